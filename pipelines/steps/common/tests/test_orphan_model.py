import numpy as np
import pytest
from tiny_vocabulary import SEVEN_TERMS

from common.orphan_model import FEATURES, OrphanParams, OrphanScorer, build_matrices

FEATURES_INDEX = {f: i for i, f in enumerate(FEATURES)}

VOCAB = (
    SEVEN_TERMS  # 0 root, 1 phenotypic abnormality, 2 nervous, 3 seizure, 4 febrile seizure, 5 heart, 6 cough
)


def _disease(did, phenotypes, excluded=(), sex=None, onset=None):
    return {
        "id": did,
        "category": "orphan",
        "annotated": True,
        "excludedPhenotypes": list(excluded),
        "sex": sex,
        "onsetYears": onset,
        "phenotypes": [{"id": t, "frequency": f} for t, f in phenotypes],
    }


CATALOG = [
    _disease("A", [("HP:0001250", 0.9)]),
    _disease("B", [("HP:0001627", 0.9)], excluded=["HP:0001250"]),
    _disease("C", [("HP:0012735", 0.9), ("HP:0001250", 0.2)], sex="female", onset=[30, 60]),
]


@pytest.fixture(scope="module")
def scorer():
    params = OrphanParams(max_background=1.0)
    return OrphanScorer(build_matrices(VOCAB, CATALOG, params), params)


def test_a_more_specific_finding_still_matches_its_annotated_parent(scorer):
    s = scorer.scores([4], [], -1.0, 0)
    assert np.argmax(s) == 0  # febrile seizure -> disease A (seizure, 90%)


def test_not_annotation_contradicts(scorer):
    s = scorer.scores([3, 5], [], -1.0, 0)
    without_not = OrphanScorer(scorer.m, OrphanParams(max_background=1.0, w_not=0.0)).scores(
        [3, 5], [], -1.0, 0
    )
    assert s[1] < without_not[1]


def test_excluding_a_frequent_finding_lowers_that_disease(scorer):
    base = scorer.scores([3], [], -1.0, 0)
    excl = scorer.scores([3], [6], -1.0, 0)
    assert excl[2] < base[2] and excl[0] == base[0]


def test_sex_and_onset_penalties(scorer):
    base = scorer.scores([6], [], -1.0, 0)
    assert scorer.scores([6], [], -1.0, 2)[2] < base[2]  # male patient, female-only disease
    assert scorer.scores([6], [], 5.0, 0)[2] < base[2]  # 5 years old, adult onset
    assert scorer.scores([6], [], 40.0, 1)[2] == base[2]


def test_probabilities_sum_to_one(scorer):
    assert abs(scorer.probabilities([3], [], -1.0, 0).sum() - 1.0) < 1e-6


def test_scores_are_the_weighted_sum_of_the_named_features(scorer):
    from common.orphan_model import FEATURES

    f = scorer.features([4, 6], [5], 10.0, 2)
    assert f.shape == (len(FEATURES), 3)
    assert np.allclose(scorer.scores([4, 6], [5], 10.0, 2), scorer.p.weights() @ f)


def test_ic_feature_is_the_information_content_of_the_best_common_ancestor():
    params = OrphanParams(max_background=1.0, w_ic=1.0)
    m = build_matrices(VOCAB, CATALOG, params)
    # seizure: A and C reach it (IC log 3/2); febrile seizure: no disease is annotated that deep (IC 0)
    assert m.ic[3] == pytest.approx(np.log(3 / 2)) and m.ic[4] == 0.0
    f = OrphanScorer(m, params).features([4], [], -1.0, 0)
    assert f[1].tolist() == pytest.approx([np.log(3 / 2), 0.0, np.log(3 / 2)])


def test_source_and_gene_priors_are_per_disease_constants():
    catalog = [dict(CATALOG[0], id="ORPHA:1"), dict(CATALOG[1], genes=["G"]), CATALOG[2]]
    m = build_matrices(VOCAB, catalog, OrphanParams(max_background=1.0))
    assert m.orphanet.tolist() == [1.0, 0.0, 0.0] and m.gene.tolist() == [0.0, 1.0, 0.0]


def test_background_comes_only_from_the_first_rows():
    # a held-out copy of A appended after the catalog must not make seizure look more common
    extra = dict(CATALOG[0], id="A|PMID:1")
    params = OrphanParams(max_background=1.0)
    plain = build_matrices(VOCAB, CATALOG, params)
    held = build_matrices(VOCAB, [*CATALOG, extra], params, n_background=3)
    assert np.allclose(held.profile[:3].toarray(), plain.profile.toarray())
    assert np.allclose(held.profile[3].toarray(), plain.profile[0].toarray())


def test_an_unlisted_annotation_costs_in_proportion_to_the_findings_listed():
    full = OrphanScorer(
        build_matrices(VOCAB, CATALOG, OrphanParams(max_background=1.0)),
        OrphanParams(max_background=1.0, missing_full_at=0.0),
    )
    scaled = OrphanScorer(full.m, OrphanParams(max_background=1.0, missing_full_at=4.0))
    missing = FEATURES_INDEX["missing"]
    for observed in ([3], [3, 5], [3, 5, 6, 4], [3, 5, 6, 4, 2]):
        share = min(1.0, len(observed) / 4.0)
        got = scaled.features(observed, [], -1.0, 0)[missing]
        assert got == pytest.approx(share * full.features(observed, [], -1.0, 0)[missing])
    assert scaled.features([], [], -1.0, 0)[missing].tolist() == [0.0, 0.0, 0.0]


def test_a_disease_explaining_every_listed_finding_beats_a_small_one_explaining_one():
    # the served failure this scaling fixes: three cardinal findings of a richly annotated disease, against a
    # disease annotated with one of them only; at full cost its 40 unlisted annotations sank it
    extra = [f"HP:99{i:05d}" for i in range(40)]
    vocab = {"terms": [*VOCAB["terms"], *({"id": t, "parents": [1]} for t in extra)]}
    listed = [("HP:0001250", 0.9), ("HP:0001627", 0.9), ("HP:0012735", 0.9)]
    rich = _disease("RICH", listed + [(t, 0.9) for t in extra])
    small = _disease("SMALL", [("HP:0001250", 0.9)])
    others = [_disease(f"O{i}", [(t, 0.5)]) for i, t in enumerate(extra)]
    catalog = [rich, small, *others]
    ranked = {}
    for full_at in (0.0, 12.0):
        params = OrphanParams(max_background=1.0, missing_full_at=full_at)
        s = OrphanScorer(build_matrices(vocab, catalog, params), params).scores([3, 5, 6], [], -1.0, 0)
        ranked[full_at] = int(np.argmax(s))
    assert ranked == {0.0: 1, 12.0: 0}


def test_a_package_from_before_the_scaling_keeps_the_full_cost():
    assert OrphanParams.from_dict({"w_missing": 0.3}).missing_full_at == 0.0
    assert OrphanParams.from_dict(OrphanParams().to_dict()) == OrphanParams()
    assert OrphanParams(missing_full_at=0.0).missing_scale(1) == 1.0


def test_the_temperature_is_the_one_of_the_number_of_findings():
    params = OrphanParams.from_dict({"temperature": 3.0, "temperature_by_findings": [0.5, 0.5, 1.0]})
    assert params.temperature_by_findings == (0.5, 0.5, 1.0)  # JSON's list, as the dataclass's tuple
    assert [params.temperature_for(n) for n in range(5)] == [0.5, 0.5, 1.0, 3.0, 3.0]
    assert OrphanParams.from_dict({"temperature": 2.0}).temperature_for(0) == 2.0  # a package from before
    scorer = OrphanScorer(build_matrices(VOCAB, CATALOG, params), params)
    s = scorer.scores([3], [], -1.0, 0)
    sharp, flat = scorer.softmax(s, 1), scorer.softmax(s, 4)
    assert sharp.max() > flat.max() and np.argmax(sharp) == np.argmax(flat)


def test_a_patient_does_not_miss_the_annotations_of_the_other_sex():
    # GIVEN a disease of both sexes whose cough is annotated for males only (HPO's "Cryptorchidism: male")
    both = _disease("D", [("HP:0001250", 0.9), ("HP:0012735", 0.5)])
    both["phenotypes"][1]["sex"] = "male"
    params = OrphanParams(max_background=1.0, w_missing=1.0, missing_full_at=0.0)
    m = build_matrices(VOCAB, [*CATALOG, both], params)
    scorer = OrphanScorer(m, params)
    seizure = [3]
    unknown, female, male = (scorer.scores(seizure, [], -1.0, s)[3] for s in (0, 1, 2))
    # THEN a girl with seizures does not pay for the unlisted cough, a boy and a patient of unknown sex do
    assert female - unknown == pytest.approx(-np.log1p(-0.9 * 0.5), rel=1e-5)
    assert male == pytest.approx(unknown)
    # AND the unknown sex's total is every annotation's cost
    assert np.allclose(m.missing_by_sex[0], np.asarray(m.missing_log.sum(axis=1)).ravel())
