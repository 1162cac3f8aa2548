"""Spark readers: list each source's files, read them without losing line numbers, and stage every record.

CSV files go through textFile + zipWithIndex (large files still split across tasks, and the line number is the
row key); phenopacket files are small, so wholeTextFiles reads each one whole. Feedback files (the service's
feedback and audit JSON Lines) are read whole too and grouped by requestId, so each label meets its request's
audit record (ingest/feedback.py)."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass

from py4j.protocol import Py4JJavaError
from pyspark import RDD
from pyspark.broadcast import Broadcast
from pyspark.sql import SparkSession

from ingest import feedback, staging
from ingest.storage import IngestError, list_files

# source -> (folder under raw_uri, file name endings it reads)
LAYOUT = {
    "ddxplus": ("ddxplus", (".csv",)),
    "kaggle": ("kaggle", (".csv",)),
    "phenopacket": ("phenopackets", (".json", ".jsonl")),
    # the service's files (audit-<day>.jsonl) or the batches it ships to the audit bucket (audit-<day>.jsonl.<from>-<to>)
    "feedback": ("feedback", re.compile(r"\.jsonl(\.\d+-\d+)?$")),
}
WHOLE_FILE_SOURCES = ("phenopacket", "feedback")  # no CSV header to check
# In AWS, S3 replicates the audit bucket's audit/ and feedback/ prefixes into the raw zone under the same keys
# (lib/stacks/data-stack.ts), so the feedback source's audit records also sit in <raw_uri>/audit.
EXTRA_FOLDERS = {"feedback": ("audit",)}


@dataclass(frozen=True)
class InputFile:
    source: str
    uri: str
    name: str  # path relative to the source folder: the file part of every row's location
    header: tuple[str, ...] = ()
    header_problem: str | None = None


def discover(
    spark: SparkSession, roots: dict[str, str], extra: dict[str, list[str]] | None = None
) -> list[InputFile]:
    """Every input file per source, with the CSV header checked once on the driver. ``extra`` adds more roots to a
    source; their files are named from the raw zone (``audit/...``) so that locations stay unambiguous."""
    found = []
    listed = [(source, root, "") for source, root in roots.items()]
    listed += [
        (s, root, root.rstrip("/").rsplit("/", 1)[-1] + "/") for s, rs in (extra or {}).items() for root in rs
    ]
    for source, root, prefix in listed:
        for uri, relative in list_files(spark, root, LAYOUT[source][1]):
            name = prefix + relative
            if source in WHOLE_FILE_SOURCES:
                found.append(InputFile(source, uri, name))
                continue
            # An empty file holds no records: no header to check, and it shows in the report with zero rows.
            header = _csv_header(spark, uri)
            problem = staging.header_problem(source, list(header)) if header is not None else None
            found.append(InputFile(source, uri, name, header or (), problem))
    return found


def stage_all(spark: SparkSession, files: list[InputFile], ref: Broadcast) -> RDD:
    """One staged row per record read, across all files (an RDD of ``record.STAGED_SCHEMA`` tuples)."""
    sc = spark.sparkContext
    parts = [_csv_rows(sc, f, ref) for f in files if f.source not in WHOLE_FILE_SOURCES]
    packets = [f for f in files if f.source == "phenopacket"]
    if packets:
        parts.append(_json_rows(sc, packets, ref))
    labels = [f for f in files if f.source == "feedback"]
    if labels:
        parts.append(_feedback_rows(sc, labels, ref))
    return sc.union(parts) if parts else sc.emptyRDD()


def _csv_header(spark: SparkSession, uri: str) -> tuple[str, ...] | None:
    """The first line's fields; None for an empty file. A file Spark cannot read stops the job, naming it."""
    try:
        first = spark.sparkContext.textFile(uri).take(1)
    except Py4JJavaError as err:
        raise IngestError(f"{uri}: cannot be read: {err.java_exception}") from None
    return tuple(next(csv.reader([first[0].lstrip("\ufeff")]), [])) if first else None


def _csv_rows(sc, f: InputFile, ref: Broadcast) -> RDD:
    source, name, header, problem = f.source, f.name, list(f.header), f.header_problem

    def stage_partition(lines):
        reference = ref.value
        for text, index in lines:
            if index > 0 and text.strip():  # line 0 is the header; a blank line is not a record
                yield staging.stage_csv_line(source, name, index + 1, text, header, problem, reference)

    return sc.textFile(f.uri).zipWithIndex().mapPartitions(stage_partition)


def _json_rows(sc, files: list[InputFile], ref: Broadcast) -> RDD:
    names = {f.uri: f.name for f in files}

    def stage_file(item):
        uri, text = item
        return staging.stage_json_file("phenopacket", names.get(uri, uri), text, ref.value)

    return sc.wholeTextFiles(",".join(names)).flatMap(stage_file)


def _feedback_rows(sc, files: list[InputFile], ref: Broadcast) -> RDD:
    names = {f.uri: f.name for f in files}

    def lines(item):
        uri, text = item
        name = names.get(uri, uri)
        return [
            feedback.classify_line(name, n, line)
            for n, line in enumerate(text.splitlines(), start=1)
            if line.strip()
        ]

    return (
        sc.wholeTextFiles(",".join(names))
        .flatMap(lines)
        .groupByKey()
        .flatMap(lambda group: feedback.stage_request(group[1], ref.value))
    )
