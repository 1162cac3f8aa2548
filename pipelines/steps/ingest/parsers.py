"""Pure per-record parsers: one source row in, one canonical record (or a InvalidRecordError with its reason) out.

No Spark here, so every rule is unit-testable; readers.py runs these inside executors."""

from __future__ import annotations

import ast
import json
import re
from typing import NamedTuple

from ingest import record as r
from ingest.mappings import Reference, is_known_token
from ingest.time_element import phenopacket_age

DDXPLUS_COLUMNS = ("AGE", "DIFFERENTIAL_DIAGNOSIS", "SEX", "PATHOLOGY", "EVIDENCES", "INITIAL_EVIDENCE")
DDXPLUS_REQUIRED = ("AGE", "PATHOLOGY", "EVIDENCES", "INITIAL_EVIDENCE")
KAGGLE_WIDTH = 18  # Disease + 17 symptom slots
KAGGLE_HEADERS = (("",) * KAGGLE_WIDTH, ("Disease", *(f"Symptom_{i}" for i in range(1, KAGGLE_WIDTH))))
_DISEASE_ID = re.compile(r"^(OMIM|ORPHA):\d+$")


class Parsed(NamedTuple):
    record: dict
    notes: list[tuple[str, str]]
    content: object  # what "the same record" means for duplicate detection
    key: str | None = None  # source row key for record_id; None = file:line


def parse_ddxplus(row: dict[str, str], ref: Reference) -> Parsed:
    for column in DDXPLUS_REQUIRED:
        if not (row.get(column) or "").strip():
            raise r.InvalidRecordError(r.MISSING_FIELD, f"{column} is empty")
    age = r.check_age(_number(row["AGE"], "AGE"))
    sex = r.normalise_sex(row.get("SEX"))
    pathology = row["PATHOLOGY"].strip()
    if pathology not in ref.conditions:
        raise r.InvalidRecordError(
            r.UNKNOWN_DIAGNOSIS, f"PATHOLOGY {pathology!r} is not in release_conditions.json"
        )
    evidences = _string_list(row["EVIDENCES"], "EVIDENCES")
    if not evidences:
        raise r.InvalidRecordError(r.MISSING_FIELD, "EVIDENCES is an empty list")
    initial = row["INITIAL_EVIDENCE"].strip()
    unknown = [t for t in [*evidences, initial] if not is_known_token(t, ref.evidences)]
    if unknown:
        raise r.InvalidRecordError(
            r.UNKNOWN_EVIDENCE, f"evidence tokens not in release_evidences.json: {unknown}"
        )
    phenotypes, notes = set(), []
    for token in evidences:
        hpo = ref.evidence_hpo.get(token)
        if hpo:
            phenotypes.add(hpo)
        else:
            notes.append((r.UNMAPPED_EVIDENCE, token))
    record = _record(age, sex, phenotypes, (), evidences, f"DDXPLUS:{r.slug(pathology)}", pathology)
    content = {
        "age": age,
        "sex": sex,
        "pathology": pathology,
        "evidences": sorted(evidences),
        "initial": initial,
    }
    return Parsed(record, notes, content)


def parse_kaggle(fields: list[str], ref: Reference) -> Parsed:
    if len(fields) != KAGGLE_WIDTH:
        raise r.InvalidRecordError(r.MALFORMED_ROW, f"{len(fields)} fields, expected {KAGGLE_WIDTH}")
    disease = fields[0].strip()
    symptoms = sorted({s.strip() for s in fields[1:] if s.strip()})
    if not disease or not symptoms:
        raise r.InvalidRecordError(r.MISSING_FIELD, "Disease is empty" if not disease else "no symptom given")
    if disease not in ref.kaggle_diseases:
        raise r.InvalidRecordError(
            r.UNKNOWN_DIAGNOSIS, f"disease {disease!r} is not in kaggle-diseases mapping"
        )
    phenotypes, notes = set(), []
    for symptom in symptoms:
        if symptom not in ref.symptom_hpo:
            notes.append((r.UNKNOWN_SYMPTOM, symptom))
        elif ref.symptom_hpo[symptom] is None:
            notes.append((r.UNMAPPED_SYMPTOM, symptom))
        else:
            phenotypes.add(ref.symptom_hpo[symptom])
    if not phenotypes:
        raise r.InvalidRecordError(r.NO_VALID_PHENOTYPE, f"none of {symptoms} maps to an HPO term", notes)
    diagnosis_id, name = ref.kaggle_diseases[disease]
    record = _record(None, "unknown", phenotypes, (), (), diagnosis_id, name)
    return Parsed(record, notes, {"disease": disease, "symptoms": symptoms})


def parse_phenopacket(packet: object, ref: Reference) -> Parsed:
    if not isinstance(packet, dict):
        raise r.InvalidRecordError(
            r.MALFORMED_JSON, f"a phenopacket is a JSON object, got {type(packet).__name__}"
        )
    try:
        return _phenopacket(packet, ref)
    except (AttributeError, TypeError) as err:  # a field of the wrong JSON type somewhere in the packet
        raise r.InvalidRecordError(r.MALFORMED_JSON, f"unexpected phenopacket structure: {err}") from err


def _phenopacket(packet: dict, ref: Reference) -> Parsed:
    subject = packet.get("subject") or {}
    sex = r.normalise_sex(subject.get("sex"))
    age = phenopacket_age(packet)
    observed, excluded, notes = set(), set(), []
    for feature in packet.get("phenotypicFeatures") or []:
        term = str((feature.get("type") or {}).get("id") or "").strip()
        current = resolve_hpo(term or "<missing type.id>", ref, notes)
        if current is not None:
            (excluded if feature.get("excluded") else observed).add(current)
    if not observed:
        raise r.InvalidRecordError(
            r.NO_VALID_PHENOTYPE, "no observed phenotypicFeatures[].type.id resolves in HPO", notes
        )
    try:
        diagnosis_id, name = _diagnosis(packet)
    except r.InvalidRecordError as err:
        err.notes = notes  # the terms seen still count in the report when the record is rejected
        raise
    content = {k: v for k, v in packet.items() if k not in ("id", "metaData")}
    record = _record(age, sex, observed, excluded - observed, (), diagnosis_id, name)
    return Parsed(record, notes, content, packet.get("id") or None)


def resolve_hpo(term: str, ref: Reference, notes: list[tuple[str, str]]) -> str | None:
    """The current id of an HPO id (alt and obsolete ids redirected), noting what was redirected or unresolved; None
    for a term that is not a finding (``Reference.not_findings``), noted too."""
    current = ref.hpo.get(term)
    if current is None:
        notes.append((r.UNRESOLVED_HPO, term))
    elif current != term:
        notes.append((r.REDIRECTED_HPO, f"{term}>{current}"))
    if current in ref.not_findings:
        notes.append((r.NOT_A_FINDING, current))
        return None
    return current


def _diagnosis(packet: dict) -> tuple[str, str]:
    """First OMIM/ORPHA id among interpretations[].diagnosis.disease, then non-excluded diseases[].term."""
    terms = [(i.get("diagnosis") or {}).get("disease") or {} for i in packet.get("interpretations") or []]
    terms += [d.get("term") or {} for d in packet.get("diseases") or [] if not d.get("excluded")]
    ids = [str(t.get("id") or "").strip().replace("Orphanet:", "ORPHA:") for t in terms]
    if not any(ids):
        raise r.InvalidRecordError(
            r.MISSING_FIELD, "no interpretations[].diagnosis.disease.id or diseases[].term.id"
        )
    for term, did in zip(terms, ids, strict=True):
        if _DISEASE_ID.match(did):
            return did, str(term.get("label") or did)
    raise r.InvalidRecordError(
        r.UNSUPPORTED_DIAGNOSIS, f"diagnosis ids {[i for i in ids if i]} are not OMIM:n or ORPHA:n"
    )


def split_json_documents(text: str) -> list[tuple[int, str, object, str | None]]:
    """A phenopacket file -> (line, raw JSON, parsed object or None, error or None) per document.

    One JSON object (or an array of them) per file, or JSON Lines. A file that is neither comes back as one
    unparseable document carrying the whole text, so it is quarantined rather than lost."""
    if not text.strip():
        return []
    try:
        whole = json.loads(text)
    except json.JSONDecodeError as err:
        lines = [(n, line.strip()) for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
        if len(lines) > 1 and _object_or_none(lines[0][1]) is not None:
            return [_document(n, line) for n, line in lines]
        return [(1, json.dumps(text), None, f"not JSON or JSON Lines: {err}")]
    if isinstance(whole, list):
        return [(n, json.dumps(doc), doc, None) for n, doc in enumerate(whole, start=1)]
    return [(1, text.strip(), whole, None)]


def _document(line: int, text: str) -> tuple[int, str, object, str | None]:
    try:
        return line, text, json.loads(text), None
    except json.JSONDecodeError as err:
        return line, json.dumps(text), None, f"line {line} is not JSON: {err}"


def _object_or_none(text: str) -> dict | None:
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None


def _record(age, sex, phenotypes, excluded, evidences, diagnosis_id, diagnosis_name) -> dict:
    return {
        "age_years": age,
        "sex": sex,
        "phenotypes": sorted(phenotypes),
        "excluded_phenotypes": sorted(excluded),
        "evidences": list(evidences),
        "diagnosis_id": diagnosis_id,
        "diagnosis_name": diagnosis_name,
    }


def _number(text: str, column: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise r.InvalidRecordError(r.INVALID_AGE, f"{column} {text!r} is not a number") from None


def _string_list(text: str, column: str) -> list[str]:
    """DDXPlus stores lists as Python literals (``['E_91', 'E_55_@_V_89']``); literal_eval never runs code."""
    try:
        value = ast.literal_eval(text.strip())
    except (ValueError, SyntaxError):
        raise r.InvalidRecordError(r.MALFORMED_ROW, f"{column} is not a list literal") from None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise r.InvalidRecordError(r.MALFORMED_ROW, f"{column} is not a list of strings")
    return [v.strip() for v in value]
