"""Reference data the validators need, parsed once on the driver and broadcast: HPO id resolution, the DDXPlus
questionnaire and conditions, and the reviewed mapping files under pipelines/mappings/."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

MATCHES = ("exact", "broader", "none")
KAGGLE_SYMPTOMS = "kaggle-symptoms-to-hpo"
KAGGLE_DISEASES = "kaggle-diseases"
DDXPLUS_EVIDENCES = "ddxplus-evidences-to-hpo"
TOKEN_SEP = "_@_"


@dataclass(frozen=True)
class Reference:
    hpo_version: str
    # every id the release knows (current, alt_id, obsolete with replacement) -> current id
    hpo: dict[str, str]
    # DDXPlus evidence code -> allowed values as strings (empty for binary evidences)
    evidences: dict[str, frozenset[str]]
    conditions: frozenset[str]
    # mapping keys -> current HPO id, or None where the reviewed match is "none"
    evidence_hpo: dict[str, str | None]
    symptom_hpo: dict[str, str | None]
    # Kaggle disease name (trimmed) -> (diagnosis_id, diagnosis_name)
    kaggle_diseases: dict[str, tuple[str, str]]
    # current ids outside Phenotypic abnormality (HP:0000118): the roots, inheritance modes, onsets, modifiers. They
    # describe a disease or a finding, not a patient; the service drops them with NOT_A_FINDING, and so does ingest
    not_findings: frozenset[str] = frozenset()


def not_findings(ontology) -> frozenset[str]:
    """The release's terms that cannot be a patient's finding (see ``Reference.not_findings``)."""
    return frozenset(t for t in ontology.terms if not ontology.is_phenotypic_abnormality(t))


def hpo_resolver(ontology) -> dict[str, str]:
    """Flattens ``Ontology.resolve`` into one dict so executors need no ontology object."""
    known = {t: t for t in ontology.terms}
    for old in ontology.redirects:
        current = ontology.resolve(old)
        if current is not None:
            known[old] = current
    return known


def parse_term_mapping(text: str, name: str, resolve: Callable[[str], str | None]) -> dict[str, str | None]:
    """A reviewed ``<key>,...,hpo_id,hpo_label,match,note`` CSV -> key -> current HPO id (None for match none).

    Raises ValueError naming the file and the row for a duplicate key, an unknown match, an id on a ``none`` row,
    a missing id on a mapped row, or an id the HPO release cannot resolve."""
    reader = csv.DictReader(io.StringIO(text))
    required = {"hpo_id", "hpo_label", "match", "note"}
    if not reader.fieldnames or not required <= set(reader.fieldnames):
        raise ValueError(
            f"{name}: header must name the key column and {sorted(required)}, got {reader.fieldnames}"
        )
    key_column = reader.fieldnames[0]
    out: dict[str, str | None] = {}
    for number, row in enumerate(reader, start=2):
        key, hpo, match = row[key_column].strip(), row["hpo_id"].strip(), row["match"].strip()
        where = f"{name} line {number} ({key!r})"
        if not key or key in out:
            raise ValueError(f"{where}: empty or duplicate key")
        if match not in MATCHES:
            raise ValueError(f"{where}: match {match!r} is not one of {MATCHES}")
        if (match == "none") != (hpo == ""):
            raise ValueError(f"{where}: hpo_id must be empty exactly when match is none")
        if hpo and resolve(hpo) is None:
            raise ValueError(f"{where}: {hpo} does not resolve in the HPO release")
        out[key] = resolve(hpo) if hpo else None
    return out


def broader_keys(text: str) -> set[str]:
    """The keys of a term mapping (validated by ``parse_term_mapping``) whose row says ``broader``: the HPO term is
    more general than the answer or symptom."""
    reader = csv.DictReader(io.StringIO(text))
    key_column = reader.fieldnames[0] if reader.fieldnames else ""
    return {row[key_column].strip() for row in reader if row["match"].strip() == "broader"}


def parse_disease_mapping(text: str, name: str) -> dict[str, tuple[str, str]]:
    """``disease,diagnosis_id,diagnosis_name,note`` -> trimmed source name -> (id, display name)."""
    out: dict[str, tuple[str, str]] = {}
    for number, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        key, did = row["disease"].strip(), row["diagnosis_id"].strip()
        if not key or key in out or not re.fullmatch(r"KAGGLE:[0-9A-Za-z_]+", did):
            raise ValueError(f"{name} line {number} ({key!r}): empty or duplicate disease, or bad id {did!r}")
        out[key] = (did, row["diagnosis_name"].strip() or key)
    return out


def ddxplus_questionnaire(evidences_json: dict) -> dict[str, frozenset[str]]:
    return {
        code: frozenset() if ev["data_type"] == "B" else frozenset(str(v) for v in ev["possible-values"])
        for code, ev in evidences_json.items()
    }


def is_known_token(token: str, questionnaire: dict[str, frozenset[str]]) -> bool:
    """``E_91`` (binary) or ``E_55_@_V_89`` (a value the categorical/multi-choice evidence allows)."""
    code, sep, value = token.partition(TOKEN_SEP)
    if code not in questionnaire:
        return False
    allowed = questionnaire[code]
    return (not sep and not allowed) or (bool(sep) and value in allowed)


def summary(text: str) -> dict:
    """Coverage of a reviewed mapping: entries, how many map, and the count per match (disease maps: all map)."""
    matches = [(row.get("match") or "exact").strip() for row in csv.DictReader(io.StringIO(text))]
    by_match = {m: matches.count(m) for m in MATCHES}
    return {"entries": len(matches), "mapped": len(matches) - by_match["none"], "byMatch": by_match}
