"""Simulated rare-disease patients drawn from the HPO annotations, with the noise real case reports carry.

A patient of disease d shows each annotated phenotype with its annotated frequency; then some findings are reported
less precisely (an ancestor term), some are omitted, unrelated findings are added, and a few findings of other
diseases are explicitly excluded. Age comes from the disease's onset, sex from its annotation or at random.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from common.features import SEX_CODE


@dataclass(frozen=True)
class Noise:
    imprecise: float = 0.3  # share of findings reported as a parent term
    max_terms: int = 12  # clinicians list a handful of findings, not the whole profile
    unrelated_mean: float = 1.0  # Poisson mean of unrelated findings added
    excluded_mean: float = 1.0  # Poisson mean of explicitly excluded findings


# What a clinician types on the page: a handful of findings (four of the patient's, plus the unrelated ones), not a
# case report's dozen. The textbook vignettes (evaluate/vignettes.py) showed the ranker tuned on the longer lists
# losing well-known diseases for three to six cardinal findings.
FEW_FINDINGS = Noise(max_terms=4)


@dataclass
class Case:
    disease_id: str
    observed: list[int]
    excluded: list[int]
    age: float
    sex: int


def simulate_cases(
    catalog: list[dict], vocabulary: dict, diseases: list[int], per_disease: int, noise: Noise, seed: int
) -> list[Case]:
    """``diseases`` are indices into ``catalog`` (annotated orphan diseases)."""
    rng = np.random.default_rng(seed)
    index = {t["id"]: i for i, t in enumerate(vocabulary["terms"])}
    parents = [t["parents"] for t in vocabulary["terms"]]
    # unrelated findings and exclusions are drawn from the terms clinicians actually use: annotated ones
    pool = np.array(sorted({index[p["id"]] for d in catalog for p in d["phenotypes"] if p["id"] in index}))
    cases = []
    for di in diseases:
        d = catalog[di]
        terms = np.array([index[p["id"]] for p in d["phenotypes"]])
        freqs = np.array([p["frequency"] for p in d["phenotypes"]])
        own = set(terms.tolist())
        for _ in range(per_disease):
            shown = terms[rng.random(len(terms)) < freqs]
            if len(shown) == 0:
                shown = terms[[int(np.argmax(freqs))]]
            rng.shuffle(shown)
            shown = shown[: noise.max_terms].tolist()
            observed = [
                int(rng.choice(parents[t])) if parents[t] and rng.random() < noise.imprecise else t
                for t in shown
            ]
            observed += [int(x) for x in rng.choice(pool, rng.poisson(noise.unrelated_mean))]
            excluded = [
                int(x) for x in rng.choice(pool, rng.poisson(noise.excluded_mean)) if int(x) not in own
            ]
            cases.append(
                Case(d["id"], sorted(set(observed)), sorted(set(excluded)), _age(d, rng), _sex(d, rng))
            )
    return cases


def _age(d: dict, rng: np.random.Generator) -> float:
    onset = d.get("onsetYears")
    if not onset:
        return -1.0 if rng.random() < 0.3 else float(rng.integers(0, 60))
    lo, hi = onset
    return float(rng.uniform(lo, min(hi, lo + 30)) + rng.exponential(3.0))


def _sex(d: dict, rng: np.random.Generator) -> int:
    return SEX_CODE.get(d.get("sex") or "", int(rng.integers(0, 3)))
