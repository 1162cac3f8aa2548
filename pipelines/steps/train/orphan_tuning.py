"""Tunes the orphan ranker's few global parameters by coordinate search on two tuning sets: simulated noisy
patients and the tuning half of the time-split literature cases. Neither is used to report results: evaluation uses
other simulated patients (another seed) and the other half of the time-split cases (split by disease)."""

from __future__ import annotations

import hashlib
from dataclasses import replace

import numpy as np

from common.orphan_model import OrphanMatrices, OrphanParams, OrphanScorer, build_matrices
from common.simulate import Case

GRID = {
    "epsilon": (0.02, 0.05, 0.1, 0.2),
    "gamma": (0.3, 0.5, 0.7),
    "w_missing": (0.1, 0.2, 0.3),
    "w_excluded": (0.5, 1.0, 2.0),
    "w_transferred": (-1.0, -3.0, -5.0),
    "w_references": (0.0, 0.5, 1.0, 1.5, 2.0),
}


def timesplit_half(cases: list[dict], tuning: bool) -> list[dict]:
    """The tuning half (even disease hash) or the reporting half (odd), so no disease is in both."""
    keep = 0 if tuning else 1
    return [c for c in cases if int(hashlib.sha256(c["diseaseId"].encode()).hexdigest()[:8], 16) % 2 == keep]


def ranks(scorer: OrphanScorer, matrices: OrphanMatrices, cases: list[Case]) -> np.ndarray:
    index = {d: i for i, d in enumerate(matrices.disease_ids)}
    out = []
    for c in cases:
        if c.disease_id not in index:
            out.append(np.inf)  # not in the catalog: counted as a miss, never dropped
            continue
        s = scorer.scores(c.observed, c.excluded, c.age, c.sex)
        out.append(float((s > s[index[c.disease_id]]).sum() + 1))
    return np.array(out)


def mrr(r: np.ndarray) -> float:
    return float(np.mean(1.0 / r)) if len(r) else 0.0


def tune(sets: list[tuple[OrphanMatrices, list[Case]]], start: OrphanParams, log=print) -> OrphanParams:
    """Coordinate search maximizing the mean MRR over the tuning sets (one pass over GRID)."""

    def objective(p: OrphanParams) -> float:
        return float(np.mean([mrr(ranks(OrphanScorer(m, p), m, cs)) for m, cs in sets]))

    best, best_score = start, objective(start)
    for name, values in GRID.items():
        for v in values:
            cand = replace(best, **{name: v})
            if cand == best:
                continue
            score = objective(cand)
            if score > best_score:
                best, best_score = cand, score
        log(f"  tune {name}={getattr(best, name)} mrr={best_score:.4f}")
    return fit_temperature(sets, best)


def fit_temperature(sets, params: OrphanParams) -> OrphanParams:
    """Temperature scaling: the value that minimizes the negative log-likelihood of the true disease."""
    best_t, best_nll = params.temperature, np.inf
    for t in (0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0):
        p = replace(params, temperature=t)
        nll = []
        for m, cases in sets:
            scorer, index = OrphanScorer(m, p), {d: i for i, d in enumerate(m.disease_ids)}
            for c in cases:
                if c.disease_id in index:
                    nll.append(
                        -np.log(
                            scorer.probabilities(c.observed, c.excluded, c.age, c.sex)[index[c.disease_id]]
                            + 1e-12
                        )
                    )
        if np.mean(nll) < best_nll:
            best_t, best_nll = t, float(np.mean(nll))
    return replace(params, temperature=best_t)


def timesplit_cases(split: dict, tuning: bool) -> tuple[dict, list[dict], list[Case]]:
    index = {t["id"]: i for i, t in enumerate(split["vocabulary"]["terms"])}
    cases = [
        Case(
            c["diseaseId"],
            [index[t] for t in c["observed"] if t in index],
            [index[t] for t in c["excluded"] if t in index],
            -1.0,
            0,
        )
        for c in timesplit_half(split["cases"], tuning)
    ]
    return split["vocabulary"], split["catalog"], cases


def timesplit_matrices(split: dict, params: OrphanParams) -> OrphanMatrices:
    return build_matrices(split["vocabulary"], split["catalog"], params)
