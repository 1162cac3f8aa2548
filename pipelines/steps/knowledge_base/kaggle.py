"""The Kaggle symptom set's diseases on the common side of the catalog.

DDXPlus knows 49 acute, mostly respiratory and cardiac conditions; the Kaggle set adds chronic and infectious ones
(diabetes, hypertension, hepatitis, malaria, dengue, ...). The reviewed mapping ``kaggle-diseases-to-catalog``
says, for each of its 41 diseases, whether it is a DDXPlus condition already (its records then train that
condition: an ``alias`` of the DDXPlus entry, whose profile takes its symptoms too) or a new common entry with a clinical display name. A new entry's
phenotypes are the HPO terms of its symptoms (``kaggle-symptoms-to-hpo``), each with the share of the disease's
distinct symptom sets that list it. It has no questionnaire profile (no ``evidences``), so DDXPlus answers never
count against it (common/questionnaire_profile.py).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from common.io import latest
from ingest.mappings import parse_disease_mapping, parse_term_mapping

DISEASES_MAPPING = "kaggle-diseases-to-catalog.v*.csv"
INGEST_IDS = "kaggle-diseases.v*.csv"  # the diagnosis ids the Ingest step gives Kaggle records
SYMPTOMS_MAPPING = "kaggle-symptoms-to-hpo.v*.csv"
MATCHES = ("exact", "broader", "new")


def read_symptom_hpo(mappings_dir: Path, resolve: Callable[[str], str | None]) -> dict[str, str]:
    """Kaggle symptom name -> current HPO id, through the Ingest step's parser (rows with match 'none' dropped)."""
    path = latest(mappings_dir, SYMPTOMS_MAPPING)
    parsed = parse_term_mapping(path.read_text(encoding="utf-8"), path.name, resolve)
    return {symptom: hpo for symptom, hpo in parsed.items() if hpo is not None}


def read_disease_mapping(mappings_dir: Path, common_ids: set[str]) -> dict[str, dict]:
    """Kaggle disease name -> its mapping row plus ``record_id`` (the diagnosis id of its ingested records), checked:
    a DDXPlus match names a condition of the catalog, a new entry has a name and keeps its records' id."""
    ingest_ids = latest(mappings_dir, INGEST_IDS)
    parsed = parse_disease_mapping(ingest_ids.read_text(encoding="utf-8"), ingest_ids.name)
    record_ids = {disease: diagnosis_id for disease, (diagnosis_id, _) in parsed.items()}
    path = latest(mappings_dir, DISEASES_MAPPING)
    out = {}
    with open(path, encoding="utf-8") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            disease, match, catalog_id = (
                row["disease"].strip(),
                row["match"].strip(),
                row["catalog_id"].strip(),
            )
            where = f"{path.name}:{line}: {disease}"
            if disease not in record_ids:
                raise ValueError(f"{where} is not in {INGEST_IDS}")
            if match not in MATCHES:
                raise ValueError(f"{where}: match {match!r} is not one of {MATCHES}")
            if match == "new" and (catalog_id != record_ids[disease] or not row["name"].strip()):
                raise ValueError(
                    f"{where}: a new entry keeps its records' id {record_ids[disease]} and has a name"
                )
            if match != "new" and catalog_id not in common_ids:
                raise ValueError(f"{where}: {catalog_id} is not a DDXPlus condition of the catalog")
            out[disease] = {**row, "match": match, "catalog_id": catalog_id, "record_id": record_ids[disease]}
    return out


def symptom_sets(dataset_csv: Path, symptom_hpo: dict[str, str]) -> dict[str, set[frozenset[str]]]:
    """Kaggle disease -> its distinct sets of mapped HPO terms (the file repeats each set many times)."""
    sets: dict[str, set[frozenset[str]]] = defaultdict(set)
    with open(dataset_csv, encoding="utf-8", newline="") as fh:
        rows = csv.reader(fh)
        next(rows, None)  # header: Disease, Symptom_1 ... Symptom_17
        for row in rows:
            disease = row[0].strip() if row else ""
            terms = frozenset(symptom_hpo[s.strip()] for s in row[1:] if s.strip() in symptom_hpo)
            if disease and terms:
                sets[disease].add(terms)
    return sets


def kaggle_entries(
    dataset_csv: Path, mappings_dir: Path, resolve: Callable[[str], str | None], common_ids: set[str]
) -> tuple[list[dict], dict[str, list[str]], dict[str, list[dict]], set[str]]:
    """(new common catalog entries, DDXPlus id -> the Kaggle diagnosis ids that are aliases of it, DDXPlus id -> the
    phenotypes of its aliases' symptom sets, every HPO term a Kaggle symptom set uses)."""
    symptom_hpo = read_symptom_hpo(mappings_dir, resolve)
    mapping = read_disease_mapping(mappings_dir, common_ids)
    sets = symptom_sets(dataset_csv, symptom_hpo)
    unmapped = sorted(set(sets) - set(mapping))
    if unmapped:
        raise ValueError(f"{DISEASES_MAPPING}: Kaggle diseases without a mapping row: {unmapped}")
    entries, aliases, alias_phenotypes = [], defaultdict(list), defaultdict(list)
    for disease in sorted(mapping, key=lambda d: mapping[d]["catalog_id"]):
        row = mapping[disease]
        profile = sets.get(disease, set())
        phenotypes = _phenotypes(profile)
        if row["match"] != "new":
            aliases[row["catalog_id"]].append(row["record_id"])
            alias_phenotypes[row["catalog_id"]].extend(phenotypes)
            continue
        entries.append(
            {
                "id": row["catalog_id"],
                "name": row["name"].strip(),
                "names": {"en": row["name"].strip()},
                "category": "common",
                "xrefs": [],
                "annotated": bool(profile),
                "phenotypes": phenotypes,
                "excludedPhenotypes": [],
                "genes": [],
                "source": "kaggle",
            }
        )
    terms = {t for per_disease in sets.values() for s in per_disease for t in s}
    return entries, dict(aliases), dict(alias_phenotypes), terms


def _phenotypes(profile: set) -> list[dict]:
    """Each HPO term of a disease's distinct symptom sets, with the share of the sets that list it."""
    counts: dict[str, int] = defaultdict(int)
    for s in profile:
        for term in s:
            counts[term] += 1
    return [{"id": t, "frequency": round(n / len(profile), 3)} for t, n in sorted(counts.items())]
