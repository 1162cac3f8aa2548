"""Writes the processed and quarantine zones, then counts what actually landed there for this ingestion date."""

from __future__ import annotations

import hashlib

from pyspark.sql import DataFrame, SparkSession

from ingest.storage import exists

PARTITIONS = ("source", "ingestion_date")


def write_zones(records: DataFrame, quarantine: DataFrame, processed_uri: str, quarantine_uri: str) -> None:
    """Parquet for records, JSON Lines for the quarantine, both partitioned by source and ingestion date.

    With dynamic partition overwrite (set on the session) a rerun for the same date replaces only that date's
    partitions, so the job is idempotent per ingestion date. One file per partition: the zones are small."""
    records.repartition(*PARTITIONS).write.mode("overwrite").partitionBy(*PARTITIONS).parquet(processed_uri)
    quarantine.repartition(*PARTITIONS).write.mode("overwrite").partitionBy(*PARTITIONS).json(quarantine_uri)


def count_written(
    spark: SparkSession, uri: str, fmt: str, sources: list[str], ingestion_date: str
) -> dict[str, int]:
    """Records on storage per source for ``ingestion_date``, read back from the partition folders."""
    counts = {}
    for source in sources:
        path = f"{uri.rstrip('/')}/source={source}/ingestion_date={ingestion_date}"
        if not exists(spark, path):
            counts[source] = 0
        elif fmt == "parquet":
            counts[source] = spark.read.parquet(path).count()
        else:  # JSON Lines: one record per line (raw content is JSON-escaped, so it holds no newline)
            counts[source] = spark.read.text(path).count()
    return counts


def file_digests(spark: SparkSession, uris: list[str]) -> dict[str, dict]:
    """sha256 and size of each input file, computed on the executors (a file is read whole: keep files < 2 GB)."""
    if not uris:
        return {}

    def digest(item):
        uri, content = item
        return uri, {"sha256": hashlib.sha256(content).hexdigest(), "bytes": len(content)}

    return dict(spark.sparkContext.binaryFiles(",".join(uris)).map(digest).collect())
