import numpy as np

from common.diagnosis_model import suspicion_features
from common.features import CommonFeatureSpec, Request

# terms: 0 root, 1 "fever" (maps to a questionnaire token), 2 "high fever" (child of 1), 3 "microcephaly"
ANCESTORS = [[0], [0, 1], [0, 1, 2], [0, 3]]
SPEC = CommonFeatureSpec(tokens=["E_91"], ordinal=[], mapped_terms=[1], mapped_tokens=[0])


def test_a_term_is_covered_when_it_or_an_ancestor_switches_on_a_questionnaire_token():
    assert SPEC.covered_terms(ANCESTORS).tolist() == [0.0, 1.0, 1.0, 0.0]


def test_coverage_is_the_share_of_observed_findings_the_common_model_can_read():
    covered = SPEC.covered_terms(ANCESTORS)
    scores, probs, evidence = np.zeros(3), np.array([0.5, 0.5]), np.zeros(1)
    support = np.zeros((5, 2), np.float32)
    half = suspicion_features(scores, probs, Request([2, 3]), evidence, covered, support)
    assert half[5] == 0.5
    # a questionnaire-only request has no finding the common model cannot read
    assert suspicion_features(scores, probs, Request([], tokens=[0]), evidence, covered, support)[5] == 1.0


def test_explained_is_the_common_mass_on_diseases_that_explain_each_finding():
    covered = SPEC.covered_terms(ANCESTORS)
    scores, evidence = np.zeros(3), np.zeros(1)
    # common disease 0 explains "fever" (term 1), disease 1 nothing; microcephaly (3) is explained by neither
    support = np.array([[0, 0], [1, 0], [1, 0], [0, 0], [0, 0]], np.float32)
    probs = np.array([0.2, 0.8])
    # GIVEN fever alone THEN a fifth of the common mass is on a disease that explains it
    assert np.isclose(suspicion_features(scores, probs, Request([1]), evidence, covered, support)[6], 0.2)
    # GIVEN fever and microcephaly THEN the mean over the two findings halves it
    assert np.isclose(suspicion_features(scores, probs, Request([1, 3]), evidence, covered, support)[6], 0.1)
    # AND without findings nothing is unexplained
    assert suspicion_features(scores, probs, Request([], tokens=[0]), evidence, covered, support)[6] == 1.0


def test_a_token_mapped_through_a_broader_term_is_switched_on_by_that_term_only():
    # GIVEN "fever" mapped as broader (the answer is more specific than the HPO term)
    spec = CommonFeatureSpec(["E_91"], [], [1], [0], mapped_direct=[True])
    # THEN fever itself switches the answer on and counts as read, the more specific "high fever" does neither
    assert spec.evidence_vector(Request([1]), {0, 1}).tolist() == [1.0]
    assert spec.evidence_vector(Request([2]), {0, 1, 2}).tolist() == [0.0]
    assert spec.covered_terms(ANCESTORS).tolist() == [0.0, 1.0, 0.0, 0.0]
    # AND an exact mapping keeps the rule for more specific terms
    assert SPEC.evidence_vector(Request([2]), {0, 1, 2}).tolist() == [1.0]


def test_a_term_a_given_answer_maps_to_switches_no_other_answer_on():
    # GIVEN "chest pain" (term 1), the phenotype of both an upper-chest location (token 0) and pain at rest (token 1)
    spec = CommonFeatureSpec(["E_55_@_V_101", "E_14"], [], [1, 1], [0, 1])
    # WHEN the patient answered the location: rest pain stays off, though ingestion added chest pain
    assert spec.evidence_vector(Request([1], tokens=[0]), {0, 1}).tolist() == [1.0, 0.0]
    # AND a clinician who enters chest pain alone still reaches both answers
    assert spec.evidence_vector(Request([1]), {0, 1}).tolist() == [1.0, 1.0]


def test_a_term_does_not_switch_on_an_answer_that_says_more_than_it():
    # GIVEN rest pain (token 1) marked as not implied by chest pain (term 1), which the location maps to exactly
    spec = CommonFeatureSpec(["E_55_@_V_101", "E_14"], [], [1, 1], [0, 1], [False, True], [True, False])
    # WHEN a clinician enters chest pain alone THEN only the location is switched on, not pain at rest
    assert spec.evidence_vector(Request([1]), {0, 1}).tolist() == [1.0, 0.0]
    # AND the answer, when given, still accounts for its term: chest pain then switches nothing else on
    assert spec.evidence_vector(Request([1], tokens=[1]), {0, 1}).tolist() == [0.0, 1.0]
    # AND chest pain still counts as read through the location
    assert spec.covered_terms(ANCESTORS).tolist()[1] == 1.0


def test_common_support_marks_the_common_diseases_whose_profile_explains_a_term(tiny_run):
    from common.diagnosis_model import DiagnosisModel

    model = DiagnosisModel(tiny_run["kb"], tiny_run["model"])
    terms = {t["id"]: i for i, t in enumerate(model.vocabulary["terms"])}
    common = {d["id"]: j for j, d in enumerate(model.catalog[: model.n_common])}
    support = model.support
    assert support.shape == (len(terms) + 1, model.n_common)
    # fever is in URTI's and Pneumonia's profiles, GERD has no phenotype at all
    fever = support[terms["HP:0001945"]]
    assert fever[common["DDXPLUS:URTI"]] == fever[common["DDXPLUS:Pneumonia"]] == 1.0
    assert fever[common["DDXPLUS:GERD"]] == 0.0
    # a seizure is explained by the Kaggle migraine's seizure, not by URTI's fever and cough; a febrile seizure by
    # neither: the ranker's rule, where an ancestor as general as Seizure (in 2 of the 5 tiny diseases) is no match
    seizure, febrile = support[terms["HP:0001250"]], support[terms["HP:0002373"]]
    assert seizure[common["KAGGLE:Migraine"]] == 1.0 and seizure[common["DDXPLUS:URTI"]] == 0.0
    assert not febrile.any()
    # the padding row of the graph's observed input explains nothing
    assert not support[-1].any()
