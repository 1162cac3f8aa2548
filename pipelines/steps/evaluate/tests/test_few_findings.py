"""The few-findings curve: k observed findings kept, nothing else, patients with fewer than k left out."""

import numpy as np

from common.features import Request
from evaluate.few_findings import KS, few_findings_curve, keep_k


def test_keep_k_keeps_k_observed_findings_and_drops_answers_and_exclusions():
    req = Request([1, 2, 3, 4], [9], [5], 30.0, 1)
    cut = keep_k(req, 2, np.random.default_rng(0))
    assert len(cut.observed) == 2 and set(cut.observed) <= {1, 2, 3, 4}
    assert (cut.excluded, cut.tokens, cut.age, cut.sex) == ([], [], 30.0, 1)
    assert keep_k(req, 6, np.random.default_rng(0)) is None


def test_the_curve_rises_when_more_findings_point_to_the_truth():
    # a toy model: the truth (row 0) wins once two of its three findings are entered, else row 1 does
    def predict(req):
        hits = len(set(req.observed) & {1, 2, 3})
        return np.array([hits, 1.5, 0.0])

    reqs = [Request([1, 2, 3, 4, 5, 6])] * 20
    curve = few_findings_curve(predict, {"toy": (reqs, [0] * 20)})["toy"]
    assert list(curve) == [str(k) for k in KS]
    assert curve["1"]["top1"] < curve["6"]["top1"] == 1.0
    assert curve["6"]["n"] == 20
    assert all(c["top10"] == 1.0 for c in curve.values())  # three rows: always in the top 10
