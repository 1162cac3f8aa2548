"""Canonical patient records (docs/data-contract.md) as the model steps read them, and the held-out split."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds

from common.features import SEX_CODE, Request

# The canonical patient record (docs/data-contract.md); ``source`` and ``ingestion_date`` are partition columns.
CANONICAL_SCHEMA = pa.schema(
    [
        ("record_id", pa.string()),
        ("age_years", pa.float64()),
        ("sex", pa.string()),
        ("phenotypes", pa.list_(pa.string())),
        ("excluded_phenotypes", pa.list_(pa.string())),
        ("evidences", pa.list_(pa.string())),
        ("diagnosis_id", pa.string()),
        ("diagnosis_name", pa.string()),
        ("source", pa.string()),
        ("ingestion_date", pa.string()),
    ]
)
HOLDOUT_EVERY = 4  # one record in four of each diagnosis is held out for evaluation


def load_records(processed_dir: str | Path) -> list[dict]:
    """Every record under the processed zone (Parquet, partitioned by source and ingestion_date)."""
    files = [str(p) for p in Path(processed_dir).rglob("*.parquet")]
    if not files:
        raise FileNotFoundError(f"no Parquet files under {processed_dir}: did the Ingest step run?")
    partitioning = ds.partitioning(
        pa.schema([("source", pa.string()), ("ingestion_date", pa.string())]), flavor="hive"
    )
    dataset = ds.dataset(files, format="parquet", partitioning=partitioning, schema=CANONICAL_SCHEMA)
    return dataset.to_table().to_pylist()


def diagnosis_index(catalog: list[dict]) -> dict[str, int]:
    """Diagnosis id -> catalog position, the entries' ``aliases`` (a Kaggle disease that is a DDXPlus condition,
    knowledge_base/kaggle.py) and ``xrefs`` (an Orphanet or DECIPHER twin folded into an OMIM entry) included:
    a record labelled with either trains and evaluates that entry. A served id always wins over another's xref."""
    index = {d["id"]: i for i, d in enumerate(catalog)}
    for i, d in enumerate(catalog):
        for other in [*d.get("aliases", []), *d.get("xrefs", [])]:
            index.setdefault(other, i)
    return index


def _rank(record_id: str) -> str:
    return hashlib.sha256(record_id.encode()).hexdigest()


def holdout_split(records: list[dict]) -> tuple[list[dict], list[dict]]:
    """Deterministic split stratified by diagnosis: within each diagnosis, records are ordered by a hash of
    their id and every HOLDOUT_EVERY-th one is held out. Diagnoses with a single record stay in training."""
    by_dx: dict[str, list[dict]] = defaultdict(list)
    for r in records:
        by_dx[r["diagnosis_id"]].append(r)
    train, test = [], []
    for dx in sorted(by_dx):
        group = sorted(by_dx[dx], key=lambda r: _rank(r["record_id"]))
        if len(group) < 2:
            train.extend(group)
            continue
        for i, r in enumerate(group):
            (test if i % HOLDOUT_EVERY == HOLDOUT_EVERY - 1 else train).append(r)
    return train, test


class RecordEncoder:
    """Canonical record -> model Request, counting what could not be encoded (never silently)."""

    def __init__(self, vocabulary: dict, tokens: list[str]):
        self.index = {t["id"]: i for i, t in enumerate(vocabulary["terms"])}
        self.redirects = vocabulary.get("redirects", {})
        self.token_index = {t: i for i, t in enumerate(tokens)}
        self.unknown_terms: dict[str, int] = defaultdict(int)
        self.unknown_tokens: dict[str, int] = defaultdict(int)

    def term(self, term_id: str) -> int | None:
        seen = 0
        while term_id not in self.index and term_id in self.redirects and seen < 10:
            term_id, seen = self.redirects[term_id], seen + 1
        if term_id not in self.index:
            self.unknown_terms[term_id] += 1
            return None
        return self.index[term_id]

    def request(self, record: dict) -> Request:
        observed = [i for t in record.get("phenotypes") or [] if (i := self.term(t)) is not None]
        excluded = [i for t in record.get("excluded_phenotypes") or [] if (i := self.term(t)) is not None]
        tokens = []
        for tok in record.get("evidences") or []:
            if tok in self.token_index:
                tokens.append(self.token_index[tok])
            else:
                self.unknown_tokens[tok] += 1
        age = record.get("age_years")
        sex = SEX_CODE.get(record.get("sex") or "", 0)
        return Request(
            sorted(set(observed)),
            sorted(set(excluded)),
            sorted(set(tokens)),
            -1.0 if age is None else float(age),
            sex,
        )
