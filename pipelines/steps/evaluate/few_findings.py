"""Top-1 / top-10 when only k findings are entered: the curve behind the service's FEW_FINDINGS warning.

Each patient keeps k of their observed phenotypes, drawn at random (seeded), no questionnaire answers and no excluded
findings, age and sex as recorded: what a clinician who types a few terms on the page sends. A patient with fewer
than k observed phenotypes is left out of that k, so each cell reports its n.
"""

from __future__ import annotations

import numpy as np

from common.features import Request
from evaluate.metrics import rank_of

KS = (1, 2, 3, 4, 6)
SEED = 11


def keep_k(req: Request, k: int, rng: np.random.Generator) -> Request | None:
    if len(req.observed) < k:
        return None
    picked = sorted(rng.choice(len(req.observed), k, replace=False).tolist())
    return Request([req.observed[i] for i in picked], [], [], req.age, req.sex)


def few_findings_curve(predict, groups: dict[str, tuple[list[Request], list[int]]]) -> dict:
    """``groups``: name -> (requests, true catalog rows); ``predict(request)`` -> the probability vector."""
    out: dict = {}
    for name, (reqs, truths) in groups.items():
        rng = np.random.default_rng(SEED)
        out[name] = {}
        for k in KS:
            ranks = []
            for req, truth in zip(reqs, truths, strict=True):
                cut = keep_k(req, k, rng)
                if cut is not None:
                    ranks.append(rank_of(predict(cut), truth))
            r = np.array(ranks)
            out[name][str(k)] = {
                "n": len(r),
                "top1": round(float((r <= 1).mean()), 4) if len(r) else None,
                "top10": round(float((r <= 10).mean()), 4) if len(r) else None,
            }
    return out
