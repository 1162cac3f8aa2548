from dataclasses import replace

import numpy as np
import pytest
from scipy import sparse
from tiny_vocabulary import SEVEN_TERMS

from common.disease_split import is_tuning_disease
from common.orphan_model import FEATURES, OrphanParams, OrphanScorer, build_matrices
from common.simulate import Case
from train.orphan_tuning import (
    FINDING_BINS,
    MIN_BIN_CASES,
    TEMPERATURES,
    CaseFeatures,
    TuningSet,
    catalog_set,
    fit_temperature,
    lopo_sample,
    lopo_set,
    objective,
    timesplit_half,
    tune,
)

VOCAB = (
    SEVEN_TERMS  # 0 root, 1 phenotypic abnormality, 2 nervous, 3 seizure, 4 febrile seizure, 5 heart, 6 cough
)


def _d(did, terms, genes=(), annotated=True):
    return {
        "id": did,
        "category": "orphan",
        "annotated": annotated,
        "phenotypes": [{"id": t, "frequency": f} for t, f in terms],
        "excludedPhenotypes": [],
        "genes": list(genes),
        "references": 2,
    }


CATALOG = [
    _d("OMIM:1", [("HP:0001250", 0.9), ("HP:0001627", 0.5)], genes=["G"]),
    _d("OMIM:2", [("HP:0001627", 0.9)]),
    _d("ORPHA:3", [("HP:0012735", 0.9), ("HP:0001250", 0.2)]),
]
PARAMS = OrphanParams(max_background=1.0)


def test_time_split_halves_never_share_a_disease():
    cases = [{"diseaseId": f"OMIM:{i}"} for i in range(40)]
    tuning, reporting = timesplit_half(cases, True), timesplit_half(cases, False)
    assert len(tuning) + len(reporting) == 40 and tuning and reporting
    assert all(is_tuning_disease(c["diseaseId"]) for c in tuning)
    assert not {c["diseaseId"] for c in tuning} & {c["diseaseId"] for c in reporting}


def test_cached_features_rank_exactly_like_the_scorer():
    m = build_matrices(VOCAB, CATALOG, PARAMS)
    cases = [
        Case("OMIM:1", [4, 5], [6], -1.0, 0),
        Case("ORPHA:3", [6], [], -1.0, 0),
        Case("OMIM:9", [3], [], -1.0, 0),
    ]
    tset = catalog_set("t", m, PARAMS, cases)
    scorer = OrphanScorer(m, PARAMS)
    expected = []
    for c, truth in zip(cases[:2], (0, 2), strict=True):
        s = scorer.scores(c.observed, c.excluded, c.age, c.sex)
        expected.append(float((np.delete(s, truth) >= s[truth]).sum() + 1))
    ranks = tset.ranks(PARAMS.weights().astype(np.float64))
    assert ranks[:2].tolist() == expected and ranks[2] == np.inf  # a disease outside the catalog is a miss


def test_lopo_set_ranks_the_held_out_row_against_the_other_diseases():
    held = _d("OMIM:2", [("HP:0001627", 0.9)])
    split = {"vocabulary": VOCAB, "catalog": CATALOG}
    # find a tuning-disease id for the case, since lopo_set refuses reporting diseases
    did = next(f"OMIM:{i}" for i in range(100) if is_tuning_disease(f"OMIM:{i}"))
    catalog = [dict(CATALOG[0], id=did), *CATALOG[1:]]
    lopo = [
        {
            "diseaseId": did,
            "reference": "PMID:1",
            "observed": ["HP:0001627"],
            "excluded": [],
            "heldOutEntry": held,
        }
    ]
    tset = lopo_set({**split, "catalog": catalog}, lopo, PARAMS, seed=0)
    assert len(tset.cases) == 1 and tset.cases[0].banned == 0
    assert tset.constant.shape[1] == 3  # the held-out row is no competitor
    assert tset.ranks(PARAMS.weights().astype(np.float64))[0] == 1.0


def test_tune_never_lowers_the_objective_and_is_deterministic():
    m = build_matrices(VOCAB, CATALOG, PARAMS)
    cases = [
        Case("ORPHA:3", [6, 3], [], -1.0, 0),
        Case("OMIM:1", [3], [], -1.0, 0),
        Case("OMIM:2", [5, 6], [], -1.0, 0),
    ]
    sets = [catalog_set("t", m, PARAMS, cases)]
    start = objective(sets, PARAMS.weights().astype(np.float64))
    tuned, report = tune(sets, PARAMS, log=lambda _: None)
    assert objective(sets, tuned.weights().astype(np.float64)) >= start
    assert tune(sets, PARAMS, log=lambda _: None)[0] == tuned
    assert report["before"]["t"]["n"] == 3
    assert tuned.temperature == pytest.approx(PARAMS.temperature)


def test_a_set_of_a_few_cases_weighs_in_proportion_until_it_has_a_hundred():
    m = build_matrices(VOCAB, CATALOG, PARAMS)
    w = PARAMS.weights().astype(np.float64)
    found = catalog_set("found", m, PARAMS, [Case("OMIM:2", [5], [], -1.0, 0)] * 100)  # ranked first: 1.0
    missed = catalog_set("missed", m, PARAMS, [Case("OMIM:404", [5], [], -1.0, 0)])  # not in the catalog: 0.0
    # GIVEN one case against a hundred THEN it weighs 1/100 of the hundred, not half of the objective
    assert objective([found], w) == pytest.approx(1.0)
    assert objective([found, missed], w) == pytest.approx(1.0 / 1.01)
    # AND a hundred cases weigh fully
    many_missed = catalog_set("missed", m, PARAMS, [Case("OMIM:404", [5], [], -1.0, 0)] * 100)
    assert objective([found, many_missed], w) == pytest.approx(0.5)


def test_the_search_keeps_the_sign_each_weight_means():
    # the case's own disease is annotated NOT to have seizures, and the case lists one: a positive NOT weight would
    # rank it better, and the page would then call that finding supporting for nothing
    did = next(f"OMIM:{i}" for i in range(100) if is_tuning_disease(f"OMIM:{i}"))
    catalog = [*CATALOG, dict(_d(did, [("HP:0001627", 0.9)]), excludedPhenotypes=["HP:0001250"])]
    m = build_matrices(VOCAB, catalog, PARAMS)
    sets = [catalog_set("t", m, PARAMS, [Case(did, [5, 3], [], -1.0, 0)] * 5)]
    start = replace(PARAMS, w_not=-0.5)  # one step from zero
    w = start.weights().astype(np.float64)
    flipped = w.copy()
    flipped[FEATURES.index("not")] = 0.5
    assert objective(sets, flipped) > objective(sets, w)  # the data would pull it above zero
    tuned, _ = tune(sets, start, log=lambda _: None)
    assert tuned.w_not <= 0 and tuned.w_missing >= 0 and tuned.w_match >= 0
    assert tuned.w_excluded == start.w_excluded  # not tuned


def _scored_case(truth: float, rivals: list[float], n_observed: int) -> CaseFeatures:
    """A case whose match feature alone scores it: ``truth`` for its disease, ``rivals`` for the others."""
    k = FEATURES.index("match")
    varying = np.zeros((len(FEATURES), len(rivals) + 1))  # the last row is the case's own disease, banned
    varying[k, :-1] = rivals
    truth_f = np.zeros(len(FEATURES))
    truth_f[k] = truth
    return CaseFeatures(
        sparse.csr_matrix(varying), np.zeros(len(FEATURES)), truth_f, len(rivals), 1.0, n_observed
    )


def test_the_temperature_is_fitted_by_the_number_of_findings():
    params = replace(PARAMS, w_match=1.0)
    rivals = [0.0, 0.0, 0.0, 0.0]
    # two findings, always clearly right: the sharpest temperature; twenty (beyond the bins), right half the time: a
    # flatter one
    beyond = FINDING_BINS[-1][1] + 4
    short = [_scored_case(4.0, rivals, 2) for _ in range(MIN_BIN_CASES)]
    long = [
        _scored_case(1.0, [0.0, 0.0, 0.0, 1.5], beyond),
        _scored_case(1.5, [0.0, 0.0, 0.0, 1.0], beyond),
    ] * 30
    constant = np.zeros((len(FEATURES), len(rivals) + 1))
    fitted = fit_temperature([TuningSet("t", constant, short + long)], params)
    assert len(fitted.temperature_by_findings) == FINDING_BINS[-1][1] + 1
    t_short = fitted.temperature_by_findings[2]
    assert t_short == min(TEMPERATURES) and fitted.temperature > t_short
    # a bin without cases (4 findings up to the last bin's end) takes the temperature fitted on every case, between
    # the two
    assert t_short < fitted.temperature_by_findings[5] <= fitted.temperature
    assert fitted.temperature_by_findings[4:] == (fitted.temperature_by_findings[4],) * (
        FINDING_BINS[-1][1] - 3
    )
    assert fitted.temperature_for(2) == t_short and fitted.temperature_for(40) == fitted.temperature
    # too few short cases for a bin of their own: they take the pooled temperature too
    few = fit_temperature([TuningSet("t", constant, short[: MIN_BIN_CASES - 1] + long)], params)
    assert few.temperature_by_findings[2] == few.temperature_by_findings[5]


def test_lopo_sample_keeps_one_half_of_the_diseases():
    tuning = next(f"OMIM:{i}" for i in range(100) if is_tuning_disease(f"OMIM:{i}"))
    reporting = next(f"OMIM:{i}" for i in range(100) if not is_tuning_disease(f"OMIM:{i}"))
    cases = [{"diseaseId": d, "reference": "PMID:1"} for d in (tuning, reporting)]
    assert [c["diseaseId"] for c in lopo_sample(cases, seed=0)] == [tuning]
    assert [c["diseaseId"] for c in lopo_sample(cases, seed=0, tuning=False)] == [reporting]
