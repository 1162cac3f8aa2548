"""Clinician feedback as labeled records: the service's feedback JSON Lines, joined with its audit log.

A feedback record (``POST /v1/feedback``, docs/api.md) carries the label (``diseaseId``) and, when the request was
still in the service's memory, the request's inputs (``input``: resolved HPO ids, questionnaire tokens, age band,
sex). Otherwise the inputs come from the audit record with the same ``requestId``. Either holds what the model used:
the tokens the service ignored are apart, in the audit record's ``unknownEvidences``, which is not read, so a label
is not quarantined for a token the model never saw. One canonical record per request:
a later feedback for the same request (a correction after a confirmation) supersedes the earlier ones, which go to
quarantine with the reason. Audit records without feedback are unlabeled predictions, not training records, and
produce no row. The service never records exact ages, so the record's ``age_years`` is its age band's midpoint.

Pure functions (no Spark): readers.py groups the lines by ``requestId`` and calls ``stage_request`` per group."""

from __future__ import annotations

import json
import re

from ingest import record as r
from ingest.mappings import Reference, is_known_token
from ingest.parsers import Parsed, resolve_hpo
from ingest.staging import rejected, stage

# The service's age bands (containers/inference/src/routes/diagnosis-input.ts) -> the age a record carries.
AGE_BAND_YEARS = {
    "0-1": 1.0,
    "2-5": 4.0,
    "6-17": 12.0,
    "18-39": 29.0,
    "40-64": 52.5,
    "65+": 75.0,
    "unknown": None,
}
# every catalog prefix (docs/model.md), as the service's DiseaseId schema accepts them
_LABEL = re.compile(r"^((OMIM|ORPHA|DECIPHER):\d+|(DDXPLUS|KAGGLE):[0-9A-Za-z_]+)$")
FEEDBACK, AUDIT = "feedback", "audit"


def classify_line(file: str, line: int, text: str) -> tuple[str | None, tuple]:
    """(requestId or None, (kind, file, line, raw, document, error)) for one line of a feedback-source file.

    ``kind`` is ``feedback`` (has feedbackId), ``audit`` (a prediction's audit record) or None (unusable: not
    JSON, not an object, no requestId), which becomes a quarantined row."""
    raw = text.strip()
    try:
        doc = json.loads(raw)
    except json.JSONDecodeError as err:
        # a crash can leave a torn last line; it belongs to a request that was never acknowledged
        return None, (None, file, line, json.dumps(raw), None, f"line {line} is not JSON: {err}")
    if not isinstance(doc, dict) or not isinstance(doc.get("requestId"), str) or not doc["requestId"]:
        return None, (None, file, line, raw, None, "not a feedback or audit record: no requestId")
    kind = FEEDBACK if "feedbackId" in doc else AUDIT
    return doc["requestId"], (kind, file, line, raw, doc, None)


def stage_request(items, ref: Reference) -> list[tuple]:
    """Staged rows for one requestId group (or the group of unusable lines, whose key is None)."""
    items = sorted(items, key=lambda i: (i[1], i[2]))
    rows = [
        rejected("feedback", file, line, raw, r.MALFORMED_JSON, error)
        for kind, file, line, raw, _, error in items
        if kind is None
    ]
    audits = [i[4] for i in items if i[0] == AUDIT]
    labels = sorted((i for i in items if i[0] == FEEDBACK), key=lambda i: str(i[4].get("timestamp", "")))
    if not labels:
        return rows
    *older, latest = labels
    _, file, line, raw, doc, _ = latest
    for _, o_file, o_line, o_raw, _, _ in older:
        reason = (
            f"superseded by feedback {doc.get('feedbackId')} of {doc.get('timestamp')} for the same request"
        )
        rows.append(rejected("feedback", o_file, o_line, o_raw, r.SUPERSEDED, reason))
    rows.append(stage("feedback", file, line, raw, parse_feedback, doc, audits[0] if audits else None, ref))
    return rows


def parse_feedback(feedback: dict, audit: dict | None, ref: Reference) -> Parsed:
    label = feedback.get("diseaseId")
    if not isinstance(label, str) or not label:
        raise r.InvalidRecordError(r.MISSING_FIELD, "feedback has no diseaseId")
    if not _LABEL.match(label):
        raise r.InvalidRecordError(
            r.UNSUPPORTED_DIAGNOSIS, f"diseaseId {label!r} is not OMIM:n, ORPHA:n or DDXPLUS:<slug>"
        )
    inputs = feedback.get("input") or audit
    if not isinstance(inputs, dict):
        raise r.InvalidRecordError(
            r.FEEDBACK_WITHOUT_INPUT,
            f"no inputs for request {feedback['requestId']}: not in the feedback record and no audit record",
        )
    band = inputs.get("ageBand", "unknown")
    if band not in AGE_BAND_YEARS:
        raise r.InvalidRecordError(r.INVALID_AGE, f"ageBand {band!r} is not one of {sorted(AGE_BAND_YEARS)}")
    sex = r.normalise_sex(str(inputs.get("sex") or "unknown"))
    observed, notes = _resolve(inputs.get("observed"), "observed", ref)
    excluded, excluded_notes = _resolve(inputs.get("excluded"), "excluded", ref)
    evidences = _strings(inputs.get("evidences"), "evidences")
    unknown = [t for t in evidences if ref.evidences and not is_known_token(t, ref.evidences)]
    if unknown:
        raise r.InvalidRecordError(r.UNKNOWN_EVIDENCE, f"evidence tokens not in the questionnaire: {unknown}")
    if not observed and not evidences:
        raise r.InvalidRecordError(
            r.NO_VALID_PHENOTYPE, "no observed phenotype or questionnaire answer", notes
        )
    record = {
        "age_years": AGE_BAND_YEARS[band],
        "sex": sex,
        "phenotypes": sorted(observed),
        "excluded_phenotypes": sorted(excluded - observed),
        "evidences": evidences,
        "diagnosis_id": label,
        "diagnosis_name": label,
    }
    content = {"requestId": feedback["requestId"], "diseaseId": label}
    return Parsed(record, notes + excluded_notes, content, feedback["requestId"])


def _strings(value, field: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise r.InvalidRecordError(r.MALFORMED_JSON, f"input.{field} is not a list of strings")
    return value


def _resolve(value, field: str, ref: Reference) -> tuple[set[str], list[tuple[str, str]]]:
    notes: list[tuple[str, str]] = []
    resolved = {resolve_hpo(term, ref, notes) for term in _strings(value, field)}
    return resolved - {None}, notes
