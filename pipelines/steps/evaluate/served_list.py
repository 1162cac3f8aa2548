"""Where a literature case's disease lands in the list the service returns, when the orphan side is the time-split
(2024) ranker: the run's common model and orphan suspicion mixed with it as the served model mixes its own.

The time-split cases can only be scored by a ranker that never saw them, the one built on the 2024 release. The
common model never reads HPO annotations and the suspicion learns seven case-level features from simulated patients,
so the run's own are used. Clinicians and the external measure read the combined list, where a common disease can take a rank.
As in the service, the list leaves out the candidates none of the case's findings supports (common/support.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from common.diagnosis_model import DiagnosisModel
from common.features import Request
from common.orphan_model import OrphanMatrices, OrphanScorer
from common.simulate import Case
from common.support import Support
from evaluate.metrics import rank_of


def combined_rank(
    model: DiagnosisModel,
    request: Request,
    orphan_scores: np.ndarray,
    orphan_probs: np.ndarray,
    truth: int,
    orphan_listed: np.ndarray | None = None,
) -> tuple[float, float]:
    """1-based rank of orphan disease ``truth`` (an index into ``orphan_probs``) in the combined differential, ties
    counted against it as ``evaluate/metrics.rank_of`` does, and the probability the list shows first (what its
    calibration is measured on). ``request`` holds the case in this run's vocabulary (the common model's input);
    the orphan scores and probabilities are the other ranker's for the same case. ``orphan_listed``: the orphan
    diseases the case's findings support (``Support.mask`` over the other ranker's catalog; all when omitted); the
    common ones are this run's, as the service lists them."""
    common, evidence = model.common_part(request)
    s = model.suspicion_of(orphan_scores, common, request, evidence)
    in_orphan = np.ones(len(orphan_probs), bool) if orphan_listed is None else orphan_listed
    in_common = model.supported.mask(request.observed, request.tokens)[: model.n_common]
    # nothing supported at all: the probabilities' order, as common/support.listed and the service fall back to
    if not (in_orphan.any() or in_common.any()):
        in_orphan, in_common = np.ones_like(in_orphan), np.ones_like(in_common)
    orphan_p = np.where(in_orphan, s * orphan_probs, -1.0)
    common_p = np.where(in_common, (1.0 - s) * common, -1.0)
    top = max(float(orphan_p.max()), float(common_p.max()), 0.0)
    if truth < 0 or not in_orphan[truth]:
        return float("inf"), top
    p_truth = float(orphan_p[truth])
    return float((orphan_p >= p_truth).sum() + (common_p >= p_truth).sum()), top


@dataclass
class TimesplitRanks:
    alone: list[float]  # by the time-split ranker alone
    combined: list[float]  # on the combined list
    calibration: list[tuple[float, bool]]  # the combined list's top probability, and whether it is the truth


def timesplit_ranks(
    model: DiagnosisModel, split: dict, matrices: OrphanMatrices, cases: list[Case], vindex: dict[str, int]
) -> TimesplitRanks:
    """Each case's rank by the time-split ranker alone and on the combined list. ``cases`` index the split's
    vocabulary; the common model reads them in this run's (``vindex``), terms it no longer has left out."""
    scorer = OrphanScorer(matrices, model.params)
    orphans = [d for d in split["catalog"] if d["category"] == "orphan"]
    support = Support(split["vocabulary"], orphans, matrices.full_ancestors)
    index = {d: i for i, d in enumerate(matrices.disease_ids)}
    terms = [t["id"] for t in split["vocabulary"]["terms"]]

    def served(ids: list[int]) -> list[int]:
        return [vindex[terms[t]] for t in ids if terms[t] in vindex]

    out = TimesplitRanks([], [], [])
    for c in cases:
        truth = index.get(c.disease_id, -1)
        scores = scorer.scores(c.observed, c.excluded, c.age, c.sex)
        out.alone.append(rank_of(scores, truth))
        probs = scorer.softmax(scores, len(c.observed))
        request = Request(served(c.observed), served(c.excluded), [], c.age, c.sex)
        rank, top = combined_rank(model, request, scores, probs, truth, support.mask(c.observed))
        out.combined.append(rank)
        out.calibration.append((top, rank == 1))
    return out
