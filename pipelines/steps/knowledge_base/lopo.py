"""Leave-one-publication-out (LOPO) literature cases: more realistic tuning data for the orphan ranker.

In an HPO annotation release, the rows one publication (PMID) contributes to one disease describe that publication's
patients: with at least ``MIN_TERMS`` observed findings they form a case. The disease's profile is then rebuilt
without the rows only that publication supports, so the ranker scores the case against knowledge that never saw it.
HPO keeps one row per disease and finding with all its references joined; a row that other publications support
too stays (with its frequency, which may count the held-out patients: the one leak left). Dropping those rows as well
would delete every finding the publication shares with others and leave cases no method can rank (0.3% top-1). A disease whose only
phenotype source was that publication becomes unannotated and is reachable only through its gene relatives, as a
newly described disease is in real use.

Only diseases that ``keep`` accepts become cases: tuning must never touch a disease that is reported on.
"""

from __future__ import annotations

import gzip
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from common.annotations import parse_frequency

MIN_TERMS = 3
MAX_CASES_PER_DISEASE = 3  # a disease with dozens of publications must not dominate the tuning set


@dataclass(frozen=True)
class PhenotypeRow:
    disease_id: str
    term: str
    references: frozenset[str]
    frequency: float
    excluded: bool


def read_phenotype_rows(path: str | Path, resolve) -> list[PhenotypeRow]:
    """The phenotype (aspect P) rows of ``phenotype.hpoa`` with their references split; unknown terms skipped
    (``read_hpoa`` reports them)."""
    rows = []
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for raw in fh:
            if raw.startswith(("#", "database_id")) or not raw.strip():
                continue
            row = raw.rstrip("\n").split("\t")
            if len(row) < 11 or row[10] != "P":
                continue
            term = resolve(row[3])
            if term is None:
                continue
            freq = parse_frequency(row[7])
            rows.append(
                PhenotypeRow(
                    row[0],
                    term,
                    frozenset(r.strip() for r in row[4].split(";") if r.strip()),
                    freq,
                    row[2] == "NOT" or freq == 0.0,
                )
            )
    return rows


def held_out_profile(rows: list[PhenotypeRow], reference: str) -> tuple[dict[str, float], set[str]]:
    """The disease's observed profile (term -> highest frequency) and exclusions without the rows that only
    ``reference`` supports."""
    profile: dict[str, float] = {}
    excluded: set[str] = set()
    for r in rows:
        if r.references <= {reference}:
            continue
        if r.excluded:
            excluded.add(r.term)
        else:
            profile[r.term] = max(r.frequency, profile.get(r.term, 0.0))
    return profile, excluded


def lopo_cases(
    rows: list[PhenotypeRow],
    catalog: list[dict],
    keep: Callable[[str], bool],
    seed: int,
    max_per_disease: int = MAX_CASES_PER_DISEASE,
) -> list[dict]:
    """One case per (disease, PMID) with at least MIN_TERMS observed findings, for catalog diseases ``keep``
    accepts; each carries ``heldOutEntry``, the disease's catalog entry rebuilt without that publication."""
    by_disease: dict[str, list[PhenotypeRow]] = defaultdict(list)
    for r in rows:
        by_disease[r.disease_id].append(r)
    entries = {d["id"]: d for d in catalog if d["category"] == "orphan" and d["annotated"]}
    by_gene: dict[str, list[str]] = defaultdict(list)
    for d in sorted(entries):
        for g in entries[d].get("genes", ()):
            by_gene[g].append(d)
    rng = np.random.default_rng(seed)
    out = []
    for did in sorted(by_disease):
        if did not in entries or not keep(did):
            continue
        drows = by_disease[did]
        refs = sorted({ref for r in drows for ref in r.references if ref.startswith("PMID:")})
        candidates = []
        for ref in refs:
            observed = sorted({r.term for r in drows if ref in r.references and not r.excluded})
            if len(observed) < MIN_TERMS:
                continue
            excluded = sorted({r.term for r in drows if ref in r.references and r.excluded} - set(observed))
            candidates.append((ref, observed, excluded))
        if len(candidates) > max_per_disease:
            pick = sorted(rng.choice(len(candidates), max_per_disease, replace=False).tolist())
            candidates = [candidates[i] for i in pick]
        for ref, observed, excluded in candidates:
            profile, profile_excluded = held_out_profile(drows, ref)
            entry = held_out_entry(entries[did], profile, profile_excluded, excluded)
            if not entry["annotated"]:
                # nothing left: like a newly described disease, it borrows its gene relatives' profiles
                entry["transferredFrom"] = sorted(
                    {r for g in entry.get("genes", ()) for r in by_gene[g] if r != did}
                )
            out.append(
                {
                    "diseaseId": did,
                    "reference": ref,
                    "observed": observed,
                    "excluded": excluded,
                    "heldOutEntry": entry,
                }
            )
    return out


def held_out_entry(
    entry: dict, profile: dict[str, float], profile_excluded: set[str], case_excluded: list[str]
) -> dict:
    """``entry`` with the held-out profile; exclusions only the held-out publication made are dropped too."""
    dropped = set(case_excluded) - profile_excluded
    return {
        **entry,
        "annotated": bool(profile),
        "phenotypes": [{"id": t, "frequency": round(f, 4)} for t, f in sorted(profile.items())],
        "excludedPhenotypes": sorted(set(entry.get("excludedPhenotypes", [])) - dropped),
        "references": max(0, (entry.get("references") or 0) - 1),
    }
