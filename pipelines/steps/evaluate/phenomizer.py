"""A Phenomizer-style baseline, for evaluation only: how far the ranker is from the external reference.

Koehler et al. (2009): the similarity of a query term q and a disease d is the information content of their most
informative common ancestor (Resnik), IC(t) = -log(share of annotated diseases annotated at or below t); a case's
score is the best-match average over its query terms (query -> disease). Only a disease's own annotations count:
diseases without phenotype annotations cannot be found, as in Phenomizer. Ranks are reported both with ties broken
at random (the expectation, what a sort would give on average) and with ties counted against the method.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from common.csc import column


class PhenomizerBaseline:
    def __init__(
        self,
        vocabulary: dict,
        catalog: list[dict],
        full_ancestors: list[list[int]],
        n_background: int | None = None,
    ):
        """``n_background``: only the first that many orphan diseases count for the information content; rows after
        them are held-out variants of catalog diseases (the leave-one-publication-out cases)."""
        index = {t["id"]: i for i, t in enumerate(vocabulary["terms"])}
        orphans = [d for d in catalog if d["category"] == "orphan"]
        self.disease_ids = [d["id"] for d in orphans]
        self.full_ancestors = full_ancestors
        rows, cols = [], []
        for di, d in enumerate(orphans):
            reached = {a for p in d["phenotypes"] if d["annotated"] for a in full_ancestors[index[p["id"]]]}
            rows.extend([di] * len(reached))
            cols.extend(reached)
        shape = (len(orphans), len(index))
        self.annotated = sparse.csc_matrix((np.ones(len(rows), np.float32), (rows, cols)), shape=shape)
        background = orphans[:n_background] if n_background is not None else orphans
        n = max(1, sum(1 for d in background if d["annotated"] and d["phenotypes"]))
        count = np.asarray(self.annotated[: len(background)].sum(axis=0)).ravel()
        self.ic = np.where(count > 0, -np.log(np.maximum(count, 1.0) / n), 0.0).astype(np.float32)
        self._cache: dict[int, np.ndarray] = {}

    def term_similarity(self, q: int) -> np.ndarray:
        """[D] max over the common ancestors a of q and d's annotations of IC(a)."""
        vec = self._cache.get(q)
        if vec is None:
            vec = np.zeros(self.annotated.shape[0], np.float32)
            for a in self.full_ancestors[q]:
                rows, _ = column(self.annotated, a)
                if len(rows):
                    np.maximum.at(vec, rows, self.ic[a])
            self._cache[q] = vec
        return vec

    def scores(self, observed: list[int]) -> np.ndarray:
        if not observed:
            return np.zeros(self.annotated.shape[0], np.float32)
        return np.mean([self.term_similarity(q) for q in observed], axis=0)


def tie_aware_ranks(scores: np.ndarray, truth: int) -> tuple[int, int]:
    """(#candidates scoring higher than the truth, #scoring the same, the truth included)."""
    return int((scores > scores[truth]).sum()), int((scores == scores[truth]).sum())


def expected_metrics(ties: list[tuple[int, int] | None], ks=(1, 3, 10)) -> dict:
    """Top-k and MRR with ties broken uniformly at random (expectations) and with ties counted against the
    method (pessimistic). ``None`` is a case whose disease cannot be ranked: a miss."""
    n = len(ties)
    if n == 0:
        return {"n": 0}
    out: dict = {"n": n}
    for k in ks:
        expected = [0.0 if t is None else min(1.0, max(0.0, (k - t[0]) / t[1])) for t in ties]
        out[f"top{k}"] = round(float(np.mean(expected)), 4)
        out[f"top{k}Pessimistic"] = round(
            float(np.mean([t is not None and t[0] + t[1] <= k for t in ties])), 4
        )
    # the expected reciprocal rank over the tied block: mean of 1/r for r in greater+1 .. greater+equal
    rr = [0.0 if t is None else float(np.mean(1.0 / np.arange(t[0] + 1, t[0] + t[1] + 1))) for t in ties]
    out["mrr"] = round(float(np.mean(rr)), 4)
    return out


def evaluate_baseline(baseline: PhenomizerBaseline, cases) -> dict:
    """Metrics of the baseline on ``cases`` (objects with disease_id and observed)."""
    index = {d: i for i, d in enumerate(baseline.disease_ids)}
    ties = []
    for c in cases:
        i = index.get(c.disease_id)
        ties.append(None if i is None else tie_aware_ranks(baseline.scores(c.observed), i))
    return expected_metrics(ties)


def evaluate_lopo_baseline(vocabulary: dict, catalog: list[dict], full_ancestors, lopo: list[dict]) -> dict:
    """The baseline on leave-one-publication-out cases (``knowledge_base/lopo.py``), as the ranker meets them
    (train/orphan_tuning.lopo_set): each held-out profile is a row after the catalog's, ranked against the catalog
    rows but its disease's full profile. A held-out disease with no annotation left cannot be found (a miss)."""
    orphans = [d for d in catalog if d["category"] == "orphan"]
    held_out = [{**c["heldOutEntry"], "id": f"{c['diseaseId']}|{c['reference']}"} for c in lopo]
    baseline = PhenomizerBaseline(vocabulary, orphans + held_out, full_ancestors, n_background=len(orphans))
    n, index = len(orphans), {d["id"]: i for i, d in enumerate(orphans)}
    vindex = {t["id"]: i for i, t in enumerate(vocabulary["terms"])}
    ties: list[tuple[int, int] | None] = []
    for j, c in enumerate(lopo):
        entry = held_out[j]
        if not (entry["annotated"] and entry["phenotypes"]):
            ties.append(None)
            continue
        scores = baseline.scores([vindex[t] for t in c["observed"] if t in vindex])
        keep = np.zeros(len(scores), bool)
        keep[:n] = True
        keep[index[c["diseaseId"]]] = False
        keep[n + j] = True
        ties.append(tie_aware_ranks(scores[keep], int(keep[: n + j].sum())))
    return expected_metrics(ties)
