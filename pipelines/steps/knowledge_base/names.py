"""Spanish names of the diseases and Spanish labels of the HPO terms, for the clinician page (its
first users work in Spanish).

DDXPlus names its conditions in English and French, the Kaggle set in English, and HPO has no Spanish names, so the
83 common diseases get theirs from a reviewed file, ``common-disease-names-es.v*.csv`` (written by the DxOps team
from the standard Spanish clinical terms; a clinician's review is still pending, see docs/data-contract.md). So do
the annotated rare diseases (``orphan-disease-names-es.v*.csv``, in Orphanet's Spanish style: the best-described and
classic ones written one by one, the others translated in bulk, ``note`` v3) and the HPO terms
(``hpo-labels-es.v*.csv``, every one): HPO's and Orphanet's own translations are not in the vendored release.
knowledge_base/tests/test_spanish_review.py checks that each translation keeps the numbers of its English name.
"""

from __future__ import annotations

import csv
from pathlib import Path

from common.io import latest

MAPPING = "common-disease-names-es.v*.csv"


def add_spanish_names(common: list[dict], mappings_dir: Path) -> int:
    """Sets ``names.es`` on the common entries the file names; returns how many. An id the catalog does not have, or
    an empty name, stops the step with the file and line."""
    path = latest(mappings_dir, MAPPING, required=False)
    return _add_names(path, common, "a common disease", check_english=False)


ORPHAN_MAPPING = "orphan-disease-names-es.v*.csv"


def add_spanish_orphan_names(orphans: list[dict], mappings_dir: Path) -> int:
    """Sets ``names`` (``en``, ``es``) on the orphan entries ``orphan-disease-names-es.v*.csv`` names; returns how
    many. A row whose id is not an orphan disease of the catalog, whose ``name`` is not the release's English name
    (the reviewer's aid: a renamed entry is reviewed again) or whose Spanish name is empty stops the step with the
    file and line."""
    path = latest(mappings_dir, ORPHAN_MAPPING, required=False)
    return _add_names(path, orphans, "an orphan disease", check_english=True)


def _add_names(path: Path | None, entries: list[dict], kind: str, check_english: bool) -> int:
    if path is None:
        return 0
    by_id = {d["id"]: d for d in entries}
    named = 0
    with open(path, encoding="utf-8") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            disease, name = row["id"].strip(), row["name_es"].strip()
            where = f"{path.name}:{line}: {disease}"
            if disease not in by_id:
                raise ValueError(f"{where} is not {kind} of the catalog")
            english = by_id[disease]["name"]
            if check_english and row["name"].strip() != english:
                raise ValueError(f"{where} is named {english!r} in the release, not {row['name']!r}")
            if not name:
                raise ValueError(f"{where} has an empty Spanish name")
            by_id[disease].setdefault("names", {"en": english})["es"] = name
            named += 1
    return named


TERMS_MAPPING = "hpo-labels-es.v*.csv"


def add_spanish_labels(vocabulary: dict, mappings_dir: Path) -> int:
    """Sets ``translations.es`` (``label``, ``synonyms``) on the HPO terms ``hpo-labels-es.v*.csv`` names (every
    term of the release since v10), so that a clinician can search them in Spanish. Returns how many. A row whose id
    is not current in the release, whose ``hpo_label`` is not the release's label (the reviewer's aid, as in every
    mapping file) or whose Spanish label is empty stops the step with the file and line."""
    path = latest(mappings_dir, TERMS_MAPPING, required=False)
    if path is None:
        return 0
    by_id = {t["id"]: t for t in vocabulary["terms"]}
    named = 0
    with open(path, encoding="utf-8") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            term_id, label = row["hpo_id"].strip(), row["label_es"].strip()
            where = f"{path.name}:{line}: {term_id}"
            if term_id not in by_id:
                raise ValueError(f"{where} is not a current term of the HPO release")
            if row["hpo_label"].strip() != by_id[term_id]["label"]:
                raise ValueError(
                    f"{where} is labelled {by_id[term_id]['label']!r} in the release, not {row['hpo_label']!r}"
                )
            if not label:
                raise ValueError(f"{where} has an empty Spanish label")
            synonyms = [s.strip() for s in (row.get("synonyms_es") or "").split(";") if s.strip()]
            by_id[term_id].setdefault("translations", {})["es"] = {"label": label, "synonyms": synonyms}
            named += 1
    return named
