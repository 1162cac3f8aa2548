"""Textbook vignettes: a well-known rare disease each, described by the three to six cardinal findings a clinician
would enter (``textbook-vignettes.v1.csv``, written by the team from the standard clinical descriptions; none is a
patient).

Simulated patients draw many findings from a disease's own profile and literature cases report what a publication
added, so neither shows what a clinician typing "arachnodactyly, ectopia lentis, aortic root aneurysm" gets. These
twenty do. They were used to choose between knowledge-base variants (docs/model-card-history.md), so they are a sanity
check, not an independent measure.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from common.features import SEX_CODE

VIGNETTES = Path(__file__).with_name("textbook-vignettes.v1.csv")
_SEX = {"": 0, **SEX_CODE}


@dataclass(frozen=True)
class Vignette:
    disease_id: str
    name: str
    observed: list[int]  # vocabulary indices
    age: float
    sex: int


def read_vignettes(vocabulary: dict, path: Path = VIGNETTES) -> tuple[list[Vignette], list[str]]:
    """The vignettes as vocabulary indices, and a reason for each one left out: a term that is not current in the
    release, or whose label is not the release's (the reviewer's aid). A vignette is never evaluated without one of
    its findings, which would change what it says; on the vendored release none is left out (pytest)."""
    terms = vocabulary["terms"]
    index = {t["id"]: i for i, t in enumerate(terms)}
    out, skipped = [], []
    with open(path, encoding="utf-8") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            where = f"{path.name}:{line} ({row['disease_id']})"
            problem = _problem(row, terms, index)
            if problem:
                skipped.append(f"{where}: {problem}")
                continue
            out.append(
                Vignette(
                    row["disease_id"],
                    row["disease_name"],
                    [index[t] for t in row["hpo_ids"].split(";")],
                    float(row["age_years"]) if row["age_years"] else -1.0,
                    _SEX[row["sex"]],
                )
            )
    return out, skipped


def _problem(row: dict, terms: list[dict], index: dict[str, int]) -> str | None:
    ids, labels = row["hpo_ids"].split(";"), row["hpo_labels"].split(";")
    if len(ids) != len(labels):
        return f"{len(ids)} hpo_ids but {len(labels)} hpo_labels"
    if row["sex"] not in _SEX:
        return f"sex {row['sex']!r} is not female, male or empty"
    for term, label in zip(ids, labels, strict=True):
        if term not in index:
            return f"{term} is not a current term of the HPO release"
        if terms[index[term]]["label"] != label:
            return f"{term} is labelled {terms[index[term]]['label']!r} in the release, not {label!r}"
    return None
