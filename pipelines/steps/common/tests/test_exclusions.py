from dataclasses import replace

from tiny_vocabulary import SEVEN_TERMS

from common.exclusions import MIN_FREQUENCY, differential_exclusions
from common.orphan_model import OrphanParams, build_matrices
from common.simulate import Case

# 0 root, 1 phenotypic abnormality, 2 nervous, 3 seizure, 4 febrile seizure, 5 heart, 6 cough


def _disease(did, phenotypes):
    return {
        "id": did,
        "category": "orphan",
        "annotated": True,
        "excludedPhenotypes": [],
        "phenotypes": [{"id": t, "frequency": f} for t, f in phenotypes],
    }


CATALOG = [
    _disease("OWN", [("HP:0001250", 0.9), ("HP:0001627", 0.3)]),
    # rivals: a febrile seizure, a heart defect and a cough are typical of them; the nervous-system term is rare
    _disease("RIVAL_A", [("HP:0002373", 0.8), ("HP:0001627", 0.9), ("HP:0000707", 0.2)]),
    _disease("RIVAL_B", [("HP:0012735", 0.7), ("HP:0001250", 0.6)]),
]
MATRICES = build_matrices(SEVEN_TERMS, CATALOG, OrphanParams(max_background=1.0))


def _case(present, observed=None):
    return Case("OWN", observed if observed is not None else list(present), [], -1.0, 0, tuple(present))


def _exclusions(case, seeds=range(40), mean=3.0):
    return [
        differential_exclusions(MATRICES, CATALOG, SEVEN_TERMS, [case], s, mean)[0].excluded for s in seeds
    ]


def test_exclusions_are_typical_findings_of_the_differential_the_patient_lacks():
    # the patient has a seizure (3) and a cough (6): neither, nor their ancestors, may be excluded
    seen = {t for ex in _exclusions(_case([3, 6])) for t in ex}
    # the rivals' typical findings are 3, 4, 5 and 6: febrile seizure and the heart defect are left; the
    # nervous-system term is below MIN_FREQUENCY for RIVAL_A and an ancestor of the seizure anyway
    assert MIN_FREQUENCY > 0.2
    assert seen == {4, 5}


def test_a_finding_of_the_patient_own_disease_can_be_excluded_so_it_costs_the_right_disease_too():
    # the heart defect is annotated for OWN at 0.3: a patient without it may have it written as absent
    assert any(5 in ex for ex in _exclusions(_case([3])))


def test_an_unreported_finding_the_patient_has_is_never_excluded():
    # the heart defect is present but omitted from the observed list
    assert all(5 not in ex for ex in _exclusions(_case([3, 5], observed=[3])))


def test_a_case_without_its_present_findings_is_kept():
    real = Case("OWN", [3], [6], 40.0, 1)
    assert differential_exclusions(MATRICES, CATALOG, SEVEN_TERMS, [real], 1) == [real]


def test_the_same_seed_gives_the_same_exclusions():
    case = _case([3])
    assert _exclusions(case, seeds=[5]) == _exclusions(case, seeds=[5])
    assert len({tuple(ex) for ex in _exclusions(case)}) > 1  # and other seeds others


def test_no_exclusions_when_the_draw_is_zero():
    out = differential_exclusions(MATRICES, CATALOG, SEVEN_TERMS, [replace(_case([3]), excluded=[6])], 1, 0.0)
    assert out[0].excluded == []
