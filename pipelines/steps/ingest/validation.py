"""Dataset-level rules that need more than one row (duplicates), and the split of staged rows into the
canonical records and the quarantine."""

from __future__ import annotations

from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as sf

from ingest import record as r


def mark_duplicates(staged: DataFrame) -> DataFrame:
    """Within a source, every valid record whose content hash was already seen (in file, line order) becomes a
    ``duplicate`` rejection naming the first occurrence; the first one stays."""
    first = Window.partitionBy("source", "content_hash").orderBy("file", "line")
    location = sf.concat_ws(":", "file", sf.col("line").cast("string"))
    return (
        staged.withColumn("_dup", sf.col("reason_code").isNull() & (sf.row_number().over(first) > 1))
        .withColumn("_first", sf.first(location).over(first))
        .withColumn(
            "reason_code", sf.when(sf.col("_dup"), sf.lit(r.DUPLICATE)).otherwise(sf.col("reason_code"))
        )
        .withColumn(
            "reason",
            sf.when(sf.col("_dup"), sf.concat(sf.lit("same content as "), sf.col("_first"))).otherwise(
                sf.col("reason")
            ),
        )
        .drop("_dup", "_first")
    )


def accepted(final: DataFrame, ingestion_date: str) -> DataFrame:
    return final.where(sf.col("reason_code").isNull()).select(
        *(
            sf.lit(ingestion_date).alias(field.name) if field.name == "ingestion_date" else sf.col(field.name)
            for field in r.RECORD_SCHEMA.fields
        )
    )


def quarantined(final: DataFrame, ingestion_date: str) -> DataFrame:
    return final.where(sf.col("reason_code").isNotNull()).select(
        "source",
        sf.lit(ingestion_date).alias("ingestion_date"),
        "reason_code",
        "reason",
        sf.concat_ws(":", "file", sf.col("line").cast("string")).alias("location"),
        "raw",
    )


def outcome_counts(final: DataFrame) -> list[tuple[str, str | None, int]]:
    """(source, reason_code or None for accepted, records) for every record read."""
    rows = final.groupBy("source", "reason_code").count().collect()
    return [(row["source"], row["reason_code"], row["count"]) for row in rows]


def term_counts(final: DataFrame) -> list[tuple[str, str, str, int]]:
    """(source, kind, term, occurrences) over every record read, accepted or not."""
    notes = final.select("source", sf.explode("term_notes").alias("n")).groupBy("source", "n.kind", "n.term")
    return [(row["source"], row["kind"], row["term"], row["count"]) for row in notes.count().collect()]


def phenotype_stats(records: DataFrame) -> dict[str, dict]:
    rows = (
        records.groupBy("source")
        .agg(
            sf.sum(sf.when(sf.size("phenotypes") > 0, 1).otherwise(0)).alias("with"),
            sf.avg(sf.size("phenotypes")).alias("mean"),
        )
        .collect()
    )
    return {
        row["source"]: {"recordsWithPhenotypes": row["with"], "meanPhenotypes": round(row["mean"], 2)}
        for row in rows
    }
