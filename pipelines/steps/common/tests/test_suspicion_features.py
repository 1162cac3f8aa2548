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
