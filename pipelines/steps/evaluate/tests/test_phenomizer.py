import numpy as np
import pytest
from tiny_vocabulary import SEVEN_TERMS

from common.orphan_model import _full_ancestors
from common.simulate import Case
from evaluate.phenomizer import (
    PhenomizerBaseline,
    evaluate_baseline,
    evaluate_lopo_baseline,
    expected_metrics,
    tie_aware_ranks,
)

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


def test_the_lopo_baseline_ranks_the_held_out_profile_without_the_full_one_and_misses_an_emptied_disease():
    full_ancestors = [sorted(a) for a in _full_ancestors([t["parents"] for t in VOCAB["terms"]])]
    # GIVEN disease C held out without its seizure row: only cough is left; and A with nothing left
    lopo = [
        {
            "diseaseId": "C",
            "reference": "PMID:1",
            "observed": ["HP:0012735"],
            "heldOutEntry": _d("C", ["HP:0012735"]),
        },
        {
            "diseaseId": "C",
            "reference": "PMID:2",
            "observed": ["HP:0001250"],
            "heldOutEntry": _d("C", ["HP:0012735"]),
        },
        {
            "diseaseId": "A",
            "reference": "PMID:3",
            "observed": ["HP:0002373"],
            "heldOutEntry": _d("A", [], False),
        },
    ]
    m = evaluate_lopo_baseline(VOCAB, CATALOG, full_ancestors, lopo)
    # THEN cough finds the held-out C first: the full C (a tie otherwise) is no competitor
    # AND a seizure, gone from C's profile, ranks it behind A (febrile seizure under seizure), level with B and the
    # unannotated U (2 of those 3 places are in a top 3)
    # AND the emptied A is a miss
    assert m["n"] == 3
    assert m["top1Pessimistic"] == pytest.approx(1 / 3, abs=1e-4)
    assert m["top1"] == pytest.approx(1 / 3, abs=1e-4)
    assert m["top3"] == pytest.approx((1 + 2 / 3 + 0) / 3, abs=1e-4)
