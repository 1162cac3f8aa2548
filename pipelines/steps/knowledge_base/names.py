"""Spanish names of the common diseases, for the clinician page (its first users work in Spanish).

DDXPlus names its conditions in English and French, the Kaggle set in English, and HPO has no Spanish names, so the
83 common diseases get theirs from a reviewed file, ``common-disease-names-es.v*.csv`` (written by the DxOps team
from the standard Spanish clinical terms; a clinician's review is still pending, see docs/data-contract.md). Orphan
diseases keep their English names.
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
    if path is None:
        return 0
    by_id = {d["id"]: d for d in common}
    named = 0
    with open(path, encoding="utf-8") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            disease, name = row["id"].strip(), row["name_es"].strip()
            if disease not in by_id:
                raise ValueError(f"{path.name}:{line}: {disease} is not a common disease of the catalog")
            if not name:
                raise ValueError(f"{path.name}:{line}: {disease} has an empty Spanish name")
            by_id[disease].setdefault("names", {"en": by_id[disease]["name"]})["es"] = name
            named += 1
    return named
