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
    half = suspicion_features(scores, probs, Request([2, 3]), evidence, covered)
    assert half[-1] == 0.5
    # a questionnaire-only request has no finding the common model cannot read
    assert suspicion_features(scores, probs, Request([], tokens=[0]), evidence, covered)[-1] == 1.0


def test_a_token_mapped_through_a_broader_term_is_switched_on_by_that_term_only():
    # GIVEN "fever" mapped as broader (the answer is more specific than the HPO term)
    spec = CommonFeatureSpec(["E_91"], [], [1], [0], mapped_direct=[True])
    # THEN fever itself switches the answer on and counts as read, the more specific "high fever" does neither
    assert spec.evidence_vector(Request([1]), {0, 1}).tolist() == [1.0]
    assert spec.evidence_vector(Request([2]), {0, 1, 2}).tolist() == [0.0]
    assert spec.covered_terms(ANCESTORS).tolist() == [0.0, 1.0, 0.0, 0.0]
    # AND an exact mapping keeps the rule for more specific terms
    assert SPEC.evidence_vector(Request([2]), {0, 1, 2}).tolist() == [1.0]
