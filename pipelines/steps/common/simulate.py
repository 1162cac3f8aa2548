"""Simulated rare-disease patients drawn from the HPO annotations, with the noise real case reports carry.

A patient of disease d shows each annotated phenotype with its annotated frequency; then some findings are reported
less precisely (an ancestor term), some are omitted, unrelated findings are added, and a few findings of other
diseases are explicitly excluded. Age comes from the disease's onset, sex from its annotation or at random.

Those exclusions are random findings and almost never touch the diseases that compete for a case; the simulated
case reports of training and evaluation replace them with findings of the case's differential that the patient lacks
(``common/exclusions.py``), which is what ``Case.present`` is kept for.
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
    # every finding a simulated patient has before omission, at the annotated precision: what an exclusion may not
    # contradict (common/exclusions.py); empty for real cases
    present: tuple[int, ...] = ()


def simulate_cases(
    catalog: list[dict], vocabulary: dict, diseases: list[int], per_disease: int, noise: Noise, seed: int
) -> list[Case]:
    """``diseases`` are indices into ``catalog`` (annotated orphan diseases)."""
    rng = np.random.default_rng(seed)
    index, parents, pool = _vocabulary_tables(catalog, vocabulary)
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
            observed = _as_reported(shown[: noise.max_terms].tolist(), parents, pool, noise, rng)
            excluded = [
                int(x) for x in rng.choice(pool, rng.poisson(noise.excluded_mean)) if int(x) not in own
            ]
            age, sex = _age(d, rng), _sex(d, rng)
            other, sex = _other_sex_terms(d, index, sex, observed)
            cases.append(
                Case(
                    d["id"],
                    sorted(set(observed) - other),
                    sorted(set(excluded)),
                    age,
                    sex,
                    tuple(sorted(int(t) for t in shown if int(t) not in other)),
                )
            )
    return cases


# A clinician's entry on the page: the three to five findings that characterize the disease, mostly at the
# annotated precision, rarely an unrelated one, no exclusions
CLINICIAN_ENTRY = Noise(imprecise=0.15, max_terms=5, unrelated_mean=0.3, excluded_mean=0.0)
ENTRY_MIN_TERMS = 3


def clinician_entries(
    catalog: list[dict],
    vocabulary: dict,
    candidates: list[int],
    n: int,
    seed: int,
    noise: Noise = CLINICIAN_ENTRY,
) -> list[Case]:
    """Patients as a clinician types them: the diseases are drawn from ``candidates`` (indices into ``catalog``) in
    proportion to their annotation sources (the HPO has no prevalence; the diseases clinicians meet are the ones
    described most often), and each lists 3 to 5 findings drawn in proportion to the squared frequency (the
    typical findings, not a random subset of everything the patient shows).

    ``simulate_cases`` draws diseases uniformly, so most of its patients have small, rarely described diseases,
    and with FEW_FINDINGS it keeps random findings; neither is the page's main use. Only diseases with at least
    three findings of positive frequency can be drawn."""
    rng = np.random.default_rng(seed)
    index, parents, pool = _vocabulary_tables(catalog, vocabulary)
    usable = [
        i
        for i in candidates
        if sum(1 for p in catalog[i]["phenotypes"] if p["frequency"] > 0) >= ENTRY_MIN_TERMS
        and (catalog[i].get("references") or 0) > 0
    ]
    if not usable:
        return []
    weight = np.array([float(catalog[i]["references"]) for i in usable])
    picked = rng.choice(usable, min(n, len(usable)), replace=False, p=weight / weight.sum())
    cases = []
    for di in picked.tolist():
        d = catalog[di]
        phen = [p for p in d["phenotypes"] if p["frequency"] > 0]
        terms = np.array([index[p["id"]] for p in phen])
        f2 = np.array([p["frequency"] for p in phen]) ** 2
        k = min(len(terms), int(rng.integers(ENTRY_MIN_TERMS, noise.max_terms + 1)))
        shown = rng.choice(terms, k, replace=False, p=f2 / f2.sum())
        observed = _as_reported(shown.tolist(), parents, pool, noise, rng)
        age, sex = _age(d, rng), _sex(d, rng)
        other, sex = _other_sex_terms(d, index, sex, observed)
        cases.append(Case(d["id"], sorted(set(observed) - other), [], age, sex))
    return cases


def _vocabulary_tables(catalog: list[dict], vocabulary: dict) -> tuple[dict, list, np.ndarray]:
    """Term index, parents, and the pool unrelated findings and exclusions are drawn from: the terms clinicians
    actually use, the annotated ones."""
    index = {t["id"]: i for i, t in enumerate(vocabulary["terms"])}
    parents = [t["parents"] for t in vocabulary["terms"]]
    pool = np.array(sorted({index[p["id"]] for d in catalog for p in d["phenotypes"] if p["id"] in index}))
    return index, parents, pool


def _as_reported(
    shown: list[int], parents: list, pool: np.ndarray, noise: Noise, rng: np.random.Generator
) -> list[int]:
    """The findings a patient shows as they are written down: some as a parent term, plus unrelated ones."""
    observed = [
        int(rng.choice(parents[t])) if parents[t] and rng.random() < noise.imprecise else int(t)
        for t in shown
    ]
    return observed + [int(x) for x in rng.choice(pool, rng.poisson(noise.unrelated_mean))]


def _age(d: dict, rng: np.random.Generator) -> float:
    onset = d.get("onsetYears")
    if not onset:
        return -1.0 if rng.random() < 0.3 else float(rng.integers(0, 60))
    lo, hi = onset
    return float(rng.uniform(lo, min(hi, lo + 30)) + rng.exponential(3.0))


def _sex(d: dict, rng: np.random.Generator) -> int:
    """The disease's one sex if it has one, else at random (unknown, female, male). The draw is made either way, so
    a disease gaining or losing a sex does not shift every later patient's random numbers."""
    drawn = int(rng.integers(0, 3))
    return SEX_CODE.get(d.get("sex") or "", drawn)


def _other_sex_terms(d: dict, index: dict, sex: int, observed: list[int]) -> tuple[set[int], int]:
    """The disease's phenotypes annotated for the other sex only, which a patient of ``sex`` does not show (a girl
    with Mowat-Wilson syndrome has no cryptorchidism), and the patient's sex: unknown, with nothing dropped, when
    every drawn finding is of the other sex. The findings are dropped after the draw, so the random numbers of the
    later patients do not depend on them."""
    if sex not in (1, 2):
        return set(), sex
    other = {index[p["id"]] for p in d["phenotypes"] if p.get("sex") and SEX_CODE.get(p["sex"]) != sex}
    return (other, sex) if set(observed) - other else (set(), 0)
