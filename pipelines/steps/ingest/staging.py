"""Turns one raw input unit (a CSV line, a JSON document) into one staged row (``record.STAGED_SCHEMA`` order):
the parsed record, or the rejection with its reason, always with the raw content and where it came from."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable

from ingest import parsers
from ingest import record as r
from ingest.mappings import Reference


def header_problem(source: str, header: list[str]) -> str | None:
    """None when the CSV header fits the source's format, else what is wrong with it."""
    names = tuple(h.strip() for h in header)
    if source == "ddxplus":
        missing = [c for c in parsers.DDXPLUS_COLUMNS if c not in names]
        return f"header lacks {missing}" if missing else None
    if names in parsers.KAGGLE_HEADERS:
        return None
    return f"header {list(names)} is neither blank nor Disease,Symptom_1..Symptom_{parsers.KAGGLE_WIDTH - 1}"


def stage_csv_line(
    source: str, file: str, line: int, text: str, header: list[str], problem: str | None, ref: Reference
) -> tuple:
    if problem:
        return rejected(source, file, line, json.dumps(text), r.BAD_HEADER, f"file {file}: {problem}")
    try:
        fields = next(csv.reader([text]))
    except csv.Error as err:
        return rejected(source, file, line, json.dumps(text), r.MALFORMED_ROW, f"not a CSV row: {err}")
    names = [h.strip() for h in header]
    fits = len(fields) == len(names)
    raw = json.dumps(dict(zip(names, fields, strict=True)) if fits and all(names) else fields)
    if source == "kaggle":
        return stage(source, file, line, raw, parsers.parse_kaggle, fields, ref)
    if not fits:
        return rejected(
            source, file, line, raw, r.MALFORMED_ROW, f"{len(fields)} fields, header has {len(names)}"
        )
    return stage(source, file, line, raw, parsers.parse_ddxplus, dict(zip(names, fields, strict=True)), ref)


def stage_json_file(source: str, file: str, text: str, ref: Reference) -> list[tuple]:
    rows = []
    for line, raw, document, error in parsers.split_json_documents(text):
        if error:
            rows.append(rejected(source, file, line, raw, r.MALFORMED_JSON, error))
        else:
            rows.append(stage(source, file, line, raw, parsers.parse_phenopacket, document, ref))
    return rows


def stage(source: str, file: str, line: int, raw: str, parse: Callable[..., parsers.Parsed], *args) -> tuple:
    try:
        parsed = parse(*args)
    except r.InvalidRecordError as rejection:
        return rejected(source, file, line, raw, rejection.code, rejection.reason, rejection.notes)
    rec = parsed.record
    return (
        source,
        file,
        line,
        raw,
        r.content_hash(parsed.content),
        r.record_id(source, parsed.key or f"{file}:{line}"),
        None,
        None,
        rec["age_years"],
        rec["sex"],
        rec["phenotypes"],
        rec["excluded_phenotypes"],
        rec["evidences"],
        rec["diagnosis_id"],
        rec["diagnosis_name"],
        [{"kind": k, "term": t} for k, t in parsed.notes],
    )


def rejected(source, file, line, raw, code, reason, notes=()) -> tuple:
    nones = (None,) * 7
    return (
        source,
        file,
        line,
        raw,
        None,
        None,
        code,
        reason,
        *nones,
        [{"kind": k, "term": t} for k, t in notes],
    )
