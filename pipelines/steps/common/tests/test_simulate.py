import numpy as np
from tiny_vocabulary import SEVEN_TERMS

from common.simulate import ENTRY_MIN_TERMS, Noise, clinician_entries, simulate_cases

# 0 root, 1 phenotypic abnormality, 2 nervous, 3 seizure, 4 febrile seizure, 5 heart, 6 cough
THREE = [("HP:0001250", 0.9), ("HP:0001627", 0.6), ("HP:0012735", 0.3)]


def _d(did, phenotypes, references):
    return {
        "id": did,
        "annotated": True,
        "phenotypes": [{"id": t, "frequency": f} for t, f in phenotypes],
        "references": references,
        "onsetYears": None,
        "sex": None,
    }


CATALOG = [
    _d("WELL_KNOWN", THREE, 30),
    _d("RARELY_DESCRIBED", THREE, 1),
    _d("NO_SOURCE", THREE, 0),
    _d("TWO_FINDINGS", THREE[:2], 50),
    _d("NOT_A_CANDIDATE", THREE, 100),
]


def test_entries_list_three_to_five_findings_of_candidates_with_sources():
    cases = clinician_entries(CATALOG, SEVEN_TERMS, [0, 1, 2, 3], 2, seed=3)
    # only the two candidates with a source and three findings can be drawn
    assert sorted(c.disease_id for c in cases) == ["RARELY_DESCRIBED", "WELL_KNOWN"]
    for c in cases:
        assert c.excluded == []
        # each finding is an annotated one, the parent of one, or an unrelated one from the annotated pool
        assert set(c.observed) <= {1, 2, 3, 5, 6}


def test_without_noise_an_entry_is_three_to_five_of_the_disease_own_findings():
    leaves = [f"HP:99{i:05d}" for i in range(10)]
    vocab = {"terms": [*SEVEN_TERMS["terms"], *({"id": t, "parents": [1]} for t in leaves)]}
    rich = _d("RICH", [(t, 0.5) for t in leaves], 5)
    exact = Noise(imprecise=0.0, max_terms=5, unrelated_mean=0.0, excluded_mean=0.0)
    sizes = set()
    for seed in range(60):
        (case,) = clinician_entries([rich], vocab, [0], 1, seed, exact)
        assert set(case.observed) <= set(range(7, 17))
        sizes.add(len(case.observed))
    assert sizes == set(range(ENTRY_MIN_TERMS, 6))


def test_diseases_are_drawn_in_proportion_to_their_sources():
    picks = [clinician_entries(CATALOG, SEVEN_TERMS, [0, 1], 1, seed=s)[0].disease_id for s in range(300)]
    share = picks.count("WELL_KNOWN") / len(picks)
    assert 0.9 < share < 1.0  # 30 sources against 1


def test_the_same_seed_gives_the_same_entries():
    a = clinician_entries(CATALOG, SEVEN_TERMS, [0, 1], 2, seed=9)
    b = clinician_entries(CATALOG, SEVEN_TERMS, [0, 1], 2, seed=9)
    assert [(c.disease_id, c.observed, c.age) for c in a] == [(c.disease_id, c.observed, c.age) for c in b]
    assert clinician_entries(CATALOG, SEVEN_TERMS, [2, 3], 5, seed=1) == []
    assert np.isfinite([c.age for c in a]).all()


def test_a_patient_never_shows_a_finding_annotated_for_the_other_sex_only():
    # GIVEN a disease of both sexes whose cough is annotated for males only (as HPO annotates cryptorchidism)
    both = _d("BOTH", [("HP:0001250", 1.0), ("HP:0012735", 1.0)], 5)
    both["phenotypes"][1]["sex"] = "male"
    exact = Noise(imprecise=0.0, max_terms=5, unrelated_mean=0.0, excluded_mean=0.0)
    cases = simulate_cases([both], SEVEN_TERMS, [0], 300, exact, seed=4)
    by_sex = {s: [c for c in cases if c.sex == s] for s in (0, 1, 2)}
    # THEN the sex is drawn (the disease is not male-only), females lack the cough, the others may show it
    assert all(by_sex[s] for s in (0, 1, 2))
    assert all(c.observed == [3] for c in by_sex[1])
    assert all(c.observed == [3, 6] for c in by_sex[0] + by_sex[2])


def test_a_single_sex_disease_gives_patients_of_its_sex():
    only = _d("ONLY", THREE, 5)
    only["sex"] = "female"
    assert {c.sex for c in simulate_cases([only], SEVEN_TERMS, [0], 50, Noise(), seed=2)} == {1}
