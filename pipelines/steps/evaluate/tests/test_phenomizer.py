import numpy as np
import pytest
from tiny_vocabulary import SEVEN_TERMS

from common.orphan_model import _full_ancestors
from common.simulate import Case
from evaluate.phenomizer import PhenomizerBaseline, evaluate_baseline, expected_metrics, tie_aware_ranks

VOCAB = (
    SEVEN_TERMS  # 0 root, 1 phenotypic abnormality, 2 nervous, 3 seizure, 4 febrile seizure, 5 heart, 6 cough
)


def _d(did, terms, annotated=True):
    return {
        "id": did,
        "category": "orphan",
        "annotated": annotated,
        "phenotypes": [{"id": t, "frequency": 0.5} for t in terms],
    }


CATALOG = [
    {"id": "DDXPLUS:x", "category": "common", "annotated": True, "phenotypes": []},
    _d("A", ["HP:0002373"]),
    _d("B", ["HP:0001627"]),
    _d("C", ["HP:0001250", "HP:0012735"]),
    _d("U", [], annotated=False),
]


@pytest.fixture(scope="module")
def baseline():
    return PhenomizerBaseline(
        VOCAB, CATALOG, [sorted(a) for a in _full_ancestors([t["parents"] for t in VOCAB["terms"]])]
    )


def test_information_content_counts_annotated_diseases_at_or_below_a_term(baseline):
    # three annotated diseases: all reach the root, A and C reach seizure, only A febrile seizure
    assert baseline.ic[0] == pytest.approx(0.0)
    assert baseline.ic[3] == pytest.approx(-np.log(2 / 3))
    assert baseline.ic[4] == pytest.approx(-np.log(1 / 3))


def test_similarity_is_the_ic_of_the_most_informative_common_ancestor(baseline):
    sim = baseline.term_similarity(4)  # febrile seizure
    assert sim.tolist() == pytest.approx([-np.log(1 / 3), -np.log(1.0), -np.log(2 / 3), 0.0])
    # best-match average over the query terms
    assert baseline.scores([4, 6]).tolist() == pytest.approx(
        ((sim + baseline.term_similarity(6)) / 2).tolist()
    )


def test_tie_aware_ranks_and_expected_metrics():
    assert tie_aware_ranks(np.array([3.0, 1.0, 3.0, 5.0]), 0) == (1, 2)
    m = expected_metrics([(0, 1), (1, 2), None])
    assert m["top1"] == pytest.approx(1 / 3, abs=1e-4) and m["top1Pessimistic"] == pytest.approx(
        1 / 3, abs=1e-4
    )
    assert m["top3"] == pytest.approx(2 / 3, abs=1e-4) and m["top3Pessimistic"] == pytest.approx(
        2 / 3, abs=1e-4
    )
    assert m["mrr"] == pytest.approx((1 + (1 / 2 + 1 / 3) / 2) / 3, abs=1e-4)
    # ties broken at random: truth tied with one other at the top counts half a top-1 hit
    assert expected_metrics([(0, 2)])["top1"] == 0.5 and expected_metrics([(0, 2)])["top1Pessimistic"] == 0.0


def test_evaluate_baseline_counts_unknown_and_unannotated_diseases_as_misses(baseline):
    m = evaluate_baseline(
        baseline, [Case("A", [4], [], -1, 0), Case("Z", [4], [], -1, 0), Case("U", [4], [], -1, 0)]
    )
    assert m["n"] == 3 and m["top1"] == pytest.approx(1 / 3, abs=1e-4)
    assert m["top3Pessimistic"] == pytest.approx(
        1 / 3, abs=1e-4
    )  # U scores 0 like nothing else: last, whatever the tie
