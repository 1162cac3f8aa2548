"""The canonical patient record: field names, Spark schemas, reason codes and the small pure helpers every reader
shares (pseudonymous ids, content hashes, sex and age normalisation). docs/data-contract.md is the prose version."""

from __future__ import annotations

import hashlib
import json
import re

from pyspark.sql.types import ArrayType, DoubleType, IntegerType, StringType, StructField, StructType

SOURCES = ("ddxplus", "kaggle", "phenopacket", "feedback")
SEXES = ("female", "male", "unknown")
MAX_AGE_YEARS = 120.0

# Reason codes of the quarantine output (machine side; the human text travels next to it).
BAD_HEADER = "bad_header"
MALFORMED_ROW = "malformed_row"
MALFORMED_JSON = "malformed_json"
MISSING_FIELD = "missing_field"
INVALID_AGE = "invalid_age"
INVALID_SEX = "invalid_sex"
UNKNOWN_EVIDENCE = "unknown_evidence"
UNKNOWN_DIAGNOSIS = "unknown_diagnosis"
UNSUPPORTED_DIAGNOSIS = "unsupported_diagnosis"
NO_VALID_PHENOTYPE = "no_valid_phenotype"
DUPLICATE = "duplicate"
SUPERSEDED = "superseded"  # an earlier feedback for a request that a later one corrects
FEEDBACK_WITHOUT_INPUT = "feedback_without_input"  # a label whose request has no audit record

# Term notes: terms that did not make it into `phenotypes` as written; counted in the data-quality report.
UNRESOLVED_HPO = "unresolved_hpo"
REDIRECTED_HPO = "redirected_hpo"
# a term outside Phenotypic abnormality (a root, an inheritance mode, an onset): the service ignores it too
NOT_A_FINDING = "not_a_finding"
UNMAPPED_SYMPTOM = "unmapped_symptom"
UNKNOWN_SYMPTOM = "unknown_symptom"
UNMAPPED_EVIDENCE = "unmapped_evidence"

_ARRAY = ArrayType(StringType(), containsNull=False)

RECORD_SCHEMA = StructType(
    [
        StructField("record_id", StringType(), False),
        StructField("source", StringType(), False),
        StructField("age_years", DoubleType(), True),
        StructField("sex", StringType(), False),
        StructField("phenotypes", _ARRAY, False),
        StructField("excluded_phenotypes", _ARRAY, False),
        StructField("evidences", _ARRAY, False),
        StructField("diagnosis_id", StringType(), False),
        StructField("diagnosis_name", StringType(), False),
        StructField("ingestion_date", StringType(), False),
    ]
)

QUARANTINE_COLUMNS = ("source", "ingestion_date", "reason_code", "reason", "location", "raw")

# One row per record read: the parsed record (when valid) or the rejection, plus lineage and term notes.
STAGED_SCHEMA = StructType(
    [
        StructField("source", StringType(), False),
        StructField("file", StringType(), False),
        StructField("line", IntegerType(), False),
        StructField("raw", StringType(), False),
        StructField("content_hash", StringType(), True),
        StructField("record_id", StringType(), True),
        StructField("reason_code", StringType(), True),
        StructField("reason", StringType(), True),
        StructField("age_years", DoubleType(), True),
        StructField("sex", StringType(), True),
        StructField("phenotypes", _ARRAY, True),
        StructField("excluded_phenotypes", _ARRAY, True),
        StructField("evidences", _ARRAY, True),
        StructField("diagnosis_id", StringType(), True),
        StructField("diagnosis_name", StringType(), True),
        StructField(
            "term_notes",
            ArrayType(StructType([StructField("kind", StringType()), StructField("term", StringType())])),
            True,
        ),
    ]
)


class InvalidRecordError(Exception):
    """A record that cannot be ingested; ``code`` is one of the reason codes above."""

    def __init__(self, code: str, reason: str, notes: list[tuple[str, str]] | None = None):
        super().__init__(reason)
        self.code = code
        self.reason = reason
        self.notes = notes or []


def slug(name: str) -> str:
    """Display name -> id slug: each run of non-alphanumerics becomes ``_``, none at either end."""
    return re.sub(r"[^0-9A-Za-z]+", "_", name).strip("_")


def record_id(source: str, row_key: str) -> str:
    """Pseudonymous record id: the first 16 hex chars of sha256(source + ':' + source row key)."""
    return hashlib.sha256(f"{source}:{row_key}".encode()).hexdigest()[:16]


def content_hash(content: object) -> str:
    """sha256 of the canonical JSON of ``content`` (sorted keys), used to find duplicates within a source."""
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


_SEX = {
    "f": "female",
    "female": "female",
    "m": "male",
    "male": "male",
    "": "unknown",
    "u": "unknown",
    "unknown": "unknown",
    "unknown_sex": "unknown",
    # The canonical record has no fourth value; OTHER_SEX keeps the record and says nothing about sex.
    "other_sex": "unknown",
}


def normalise_sex(value: str | None) -> str:
    """Source sex value -> female | male | unknown; anything unrecognised is rejected (it is not a guess we make)."""
    key = (value or "").strip().lower()
    if key not in _SEX:
        raise InvalidRecordError(
            INVALID_SEX, f"sex {value!r} is not one of F, M, FEMALE, MALE, UNKNOWN_SEX, OTHER_SEX"
        )
    return _SEX[key]


def check_age(age: float | None) -> float | None:
    if age is not None and not 0.0 <= age <= MAX_AGE_YEARS:
        raise InvalidRecordError(INVALID_AGE, f"age {age:g} years is outside 0-{MAX_AGE_YEARS:g}")
    return age


_ISO_AGE = re.compile(
    r"^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?$"
)


def parse_iso_age(duration: str) -> float:
    """ISO 8601 age (``P6Y3M``, ``P10D``, ``P2W``) -> years; the time part (``T...``) is not an age and is rejected."""
    match = _ISO_AGE.match(duration.strip())
    if not match or not any(match.groups()):
        raise InvalidRecordError(INVALID_AGE, f"age {duration!r} is not an ISO 8601 duration such as P6Y3M")
    years, months, weeks, days = (float(g) if g else 0.0 for g in match.groups())
    return round(years + months / 12 + (weeks * 7 + days) / 365.25, 4)
