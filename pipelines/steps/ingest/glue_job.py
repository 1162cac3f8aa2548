"""AWS Glue entry point of the ingestion job (Glue 5.0: Spark 3.5, Python 3.11).

In Glue: GlueContext + Job (job.init/commit) around ``pipeline.run``; arguments come from getResolvedOptions.
Elsewhere (laptop, CI, the local pipeline runner): the same ``run`` on local Spark, arguments as CLI flags:

    .venv/bin/python pipelines/steps/ingest/glue_job.py --raw_uri pipelines/data --processed_uri ... \\
        --quarantine_uri ... --report_uri ... [--ingestion_date YYYY-MM-DD]
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

STEPS_DIR = Path(__file__).resolve().parents[1]
if (
    str(STEPS_DIR) not in sys.path
):  # run as a script: make `ingest` and `common` importable (Glue ships them zipped)
    sys.path.insert(0, str(STEPS_DIR))

from ingest.pipeline import Options, run  # noqa: E402

REQUIRED = ("raw_uri", "processed_uri", "quarantine_uri", "report_uri")
OPTIONAL = (
    "ingestion_date",
    "hpo_uri",
    "mappings_uri",
    "ddxplus_uri",
    "kaggle_uri",
    "phenopackets_uri",
    "feedback_uri",
)
GLUE_ONLY = ("database", "table")  # the Data Catalog table to register the new partitions in


def today() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d")


def parse_args(argv: list[str] | None) -> Options:
    parser = argparse.ArgumentParser(
        description="DxOps ingestion: raw zone -> processed + quarantine + DQ report"
    )
    for name in REQUIRED:
        parser.add_argument(f"--{name}", required=True)
    for name in OPTIONAL:
        parser.add_argument(f"--{name}", default=today() if name == "ingestion_date" else None)
    args = vars(parser.parse_args(argv))
    # an empty value (a pipeline parameter left at its default) means "today", like a missing one
    args["ingestion_date"] = args["ingestion_date"] or today()
    return Options(**args)


def local_spark():
    """Local Spark sized for a shared 2-core machine. Workers inherit PYTHONPATH, so they import `ingest` too."""
    from pyspark.sql import SparkSession

    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(STEPS_DIR), os.environ.get("PYTHONPATH")]))
    return (
        SparkSession.builder.master("local[2]")
        .appName("dxops-ingest")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.default.parallelism", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.sources.partitionOverwriteMode", "dynamic")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )


def main(argv: list[str] | None = None) -> dict:
    options = parse_args(argv)
    spark = local_spark()
    spark.sparkContext.setLogLevel("ERROR")
    return run(spark, options)


def summary(report: dict) -> str:
    """One line per source for the pipeline runner's progress output."""
    lines = []
    for source, entry in sorted(report["sources"].items()):
        reasons = ", ".join(f"{k} {v}" for k, v in sorted(entry["quarantinedByReason"].items()))
        lines.append(
            f"ingest {source}: read {entry['read']}, accepted {entry['accepted']}, "
            f"quarantined {entry['quarantined']}" + (f" ({reasons})" if reasons else "")
        )
    return "\n".join(lines)


def glue_main() -> None:  # pragma: no cover - needs the Glue runtime
    from awsglue.context import GlueContext
    from awsglue.job import Job
    from awsglue.utils import getResolvedOptions
    from pyspark.context import SparkContext

    present = [name for name in (*OPTIONAL, *GLUE_ONLY) if f"--{name}" in sys.argv]
    args = getResolvedOptions(sys.argv, ["JOB_NAME", *REQUIRED, *present])
    glue_context = GlueContext(SparkContext.getOrCreate())
    spark = glue_context.spark_session
    spark.conf.set("spark.sql.sources.partitionOverwriteMode", "dynamic")
    job = Job(glue_context)
    # Bookmarks track the run; the readers are plain Spark, so each run reads the whole raw zone (a snapshot per
    # ingestion date, see docs/data-contract.md) and the commit only marks the run as done.
    job.init(args["JOB_NAME"], args)
    options = {name: args.get(name) for name in (*REQUIRED, *OPTIONAL)}
    options["ingestion_date"] = options["ingestion_date"] or today()
    report = run(spark, Options(**options))
    if args.get("database") and args.get("table"):
        register_partitions(spark, args["database"], args["table"], options["processed_uri"], report)
    print(summary(report))
    job.commit()


def register_partitions(spark, database: str, table: str, processed_uri: str, report: dict) -> None:
    """Adds this run's partitions to the Data Catalog table (needs --enable-glue-datacatalog), so Athena and the
    Glue Data Quality ruleset see them without a crawler."""
    date = report["ingestionDate"]
    for source, entry in report["sources"].items():
        if entry["accepted"]:
            location = f"{processed_uri.rstrip('/')}/source={source}/ingestion_date={date}"
            spark.sql(
                f"ALTER TABLE `{database}`.`{table}` ADD IF NOT EXISTS "
                f"PARTITION (source='{source}', ingestion_date='{date}') LOCATION '{location}'"
            )


if __name__ == "__main__":
    try:
        import awsglue  # noqa: F401
    except ImportError:
        print(summary(main()))
    else:  # pragma: no cover
        glue_main()
