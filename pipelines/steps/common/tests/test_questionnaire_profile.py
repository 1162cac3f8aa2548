import numpy as np

from common.questionnaire_profile import apply_profile_penalty, outside_profile_matrix

TOKENS = ["E_53", "E_55_@_V_89", "E_55_@_V_108", "E_91"]
# chronic's list is a subset of acute's: only acute produces fever (E_91)
ACUTE = {"id": "DDXPLUS:acute", "evidences": ["E_53", "E_55", "E_91"]}
CHRONIC = {"id": "DDXPLUS:chronic", "evidences": ["E_53", "E_55"]}


def test_outside_matrix_marks_tokens_whose_evidence_the_condition_never_produces():
    m = outside_profile_matrix(TOKENS, [ACUTE, CHRONIC])
    # every value token of E_55 shares its evidence's membership
    assert m.tolist() == [[0, 0], [0, 0], [0, 0], [0, 1]]


def test_condition_without_an_evidence_list_is_never_penalized():
    m = outside_profile_matrix(TOKENS, [ACUTE, {"id": "DDXPLUS:old-catalog"}])
    assert m[:, 1].sum() == 0


def test_an_answer_only_the_larger_condition_produces_moves_the_probability_to_it():
    # GIVEN the plain model prefers chronic
    probs = np.array([0.3, 0.7], np.float32)
    m = outside_profile_matrix(TOKENS, [ACUTE, CHRONIC])
    # WHEN the patient answered fever
    out = apply_profile_penalty(probs, [0, 3], m, 4.0)
    # THEN acute wins by exp(4) times the odds, and the result is a distribution
    assert out[0] > out[1]
    assert np.isclose(out[0] / out[1], (0.3 / 0.7) * np.exp(4.0), rtol=1e-4)
    assert np.isclose(out.sum(), 1.0)


def test_without_questionnaire_answers_the_probabilities_are_unchanged():
    probs = np.array([0.3, 0.7], np.float32)
    m = outside_profile_matrix(TOKENS, [ACUTE, CHRONIC])
    assert np.array_equal(apply_profile_penalty(probs, [], m, 4.0), probs)


def test_many_answers_outside_every_profile_do_not_underflow_to_nan():
    tokens = [f"E_{i}" for i in range(400)]
    m = outside_profile_matrix(tokens, [{"evidences": []}, {"evidences": []}])
    out = apply_profile_penalty(np.array([0.4, 0.6], np.float32), list(range(400)), m, 4.0)
    assert np.all(np.isfinite(out))
    assert np.allclose(out, [0.4, 0.6], atol=1e-6)
