import numpy as np

from common.features import Request
from common.questionnaire_profile import (
    QuestionnaireProfile,
    nested_pairs,
    outside_profile_matrix,
    typical_answers,
)

TOKENS = ["E_53", "E_55_@_V_89", "E_55_@_V_108", "E_91", "E_201"]
# chronic's list is a subset of acute's: only acute produces fever (E_91)
ACUTE = {"id": "DDXPLUS:acute", "evidences": ["E_53", "E_55", "E_91"]}
CHRONIC = {"id": "DDXPLUS:chronic", "evidences": ["E_53", "E_55"]}
OTHER = {"id": "DDXPLUS:other", "evidences": ["E_201"]}


def profile(penalty=4.0, nested=0.0, diseases=(ACUTE, CHRONIC), typical=None):
    return QuestionnaireProfile.build(TOKENS, list(diseases), penalty, nested, typical)


def evidence_of(tokens):
    ev = np.zeros(len(TOKENS), np.float32)
    ev[tokens] = 1.0
    return ev


def test_outside_matrix_marks_tokens_whose_evidence_the_condition_never_produces():
    m = outside_profile_matrix(TOKENS, [ACUTE, CHRONIC])
    # every value token of E_55 shares its evidence's membership
    assert m.tolist() == [[0, 0], [0, 0], [0, 0], [0, 1], [1, 1]]


def test_condition_without_an_evidence_list_is_never_penalized():
    m = outside_profile_matrix(TOKENS, [ACUTE, {"id": "DDXPLUS:old-catalog"}])
    assert m[:, 1].sum() == 0


def test_nested_pairs_are_strict_subsets_only():
    same = {"id": "DDXPLUS:same", "evidences": ["E_53", "E_55"]}
    assert nested_pairs([ACUTE, CHRONIC, OTHER, same, {"id": "KAGGLE:x"}]) == [(1, 0), (3, 0)]


def test_an_answer_only_the_larger_condition_produces_moves_the_probability_to_it():
    # GIVEN the plain model prefers chronic
    probs = np.array([0.3, 0.7], np.float32)
    # WHEN the patient answered fever
    out = profile().apply(probs, [0, 3], evidence_of([0, 3]))
    # THEN acute wins by exp(4) times the odds, and the result is a distribution
    assert out[0] > out[1]
    assert np.isclose(out[0] / out[1], (0.3 / 0.7) * np.exp(4.0), rtol=1e-4)
    assert np.isclose(out.sum(), 1.0)


def test_answers_within_the_smaller_list_only_cost_the_larger_condition_the_nested_penalty():
    # GIVEN the plain model prefers acute
    probs = np.array([0.7, 0.3], np.float32)
    # WHEN the patient answered within chronic's list and never mentioned fever
    out = profile(nested=4.0).apply(probs, [0, 1], evidence_of([0, 1]))
    # THEN acute's odds fall by exp(4)
    assert np.isclose(out[0] / out[1], (0.7 / 0.3) * np.exp(-4.0), rtol=1e-4)
    # AND without the nested term nothing changes
    assert np.allclose(profile().apply(probs, [0, 1], evidence_of([0, 1])), probs)


def test_fever_from_an_hpo_term_lifts_the_nested_penalty_but_does_not_count_as_asked():
    probs = np.array([0.7, 0.3], np.float32)
    # GIVEN fever switched on by an HPO term, not answered
    out = profile(nested=4.0).apply(probs, [0, 1], evidence_of([0, 1, 3]))
    # THEN acute keeps its odds
    assert np.allclose(out, probs, atol=1e-6)
    # AND switched-on answers alone (no questionnaire) change nothing
    assert np.array_equal(profile(nested=4.0).apply(probs, [], evidence_of([0, 1])), probs)


def test_answers_outside_the_smaller_list_do_not_trigger_the_nested_rule():
    probs = np.array([0.4, 0.3, 0.3], np.float32)
    # GIVEN only an answer that neither acute nor chronic produces
    p = profile(penalty=0.0, nested=4.0, diseases=(ACUTE, CHRONIC, OTHER))
    assert np.allclose(p.apply(probs, [4], evidence_of([4])), probs, atol=1e-6)


def test_without_questionnaire_answers_the_probabilities_are_unchanged():
    probs = np.array([0.3, 0.7], np.float32)
    assert np.array_equal(profile(nested=4.0).apply(probs, [], evidence_of([])), probs)


def test_many_answers_outside_every_profile_do_not_underflow_to_nan():
    tokens = [f"E_{i}" for i in range(400)]
    p = QuestionnaireProfile.build(tokens, [{"evidences": []}, {"evidences": []}], 4.0, 4.0)
    out = p.apply(np.array([0.4, 0.6], np.float32), list(range(400)), np.ones(400, np.float32))
    assert np.all(np.isfinite(out))
    assert np.allclose(out, [0.4, 0.6], atol=1e-6)


def test_typical_answers_is_the_median_count_of_the_smaller_lists_evidences_its_patients_answered():
    # GIVEN chronic patients answering 2, 2 and 1 of chronic's evidences (two E_55 values are one evidence), a
    # chronic record without answers (a symptom-set twin), and an acute patient
    requests = [
        Request([], tokens=[0, 1, 2]),
        Request([], tokens=[0, 2]),
        Request([], tokens=[1]),
        Request([]),
    ]
    requests.append(Request([], tokens=[0, 3]))
    typical = typical_answers(TOKENS, [ACUTE, CHRONIC], requests, [1, 1, 1, 1, 0])
    # THEN the record without answers does not count
    assert typical == {"DDXPLUS:chronic|DDXPLUS:acute": 2.0}


def test_the_nested_cost_grows_with_the_share_of_the_smaller_list_answered():
    probs = np.array([0.7, 0.3], np.float32)
    p = profile(penalty=0.0, nested=4.0, typical={"DDXPLUS:chronic|DDXPLUS:acute": 2.0})
    # one of the two answers a chronic patient typically gives: half the cost
    half = p.apply(probs, [1], evidence_of([1]))
    assert np.isclose(half[0] / half[1], (0.7 / 0.3) * np.exp(-2.0), rtol=1e-4)
    # both (two values of E_55 count once): the whole cost, and no more beyond it
    for given in ([0, 1], [0, 1, 2]):
        full = p.apply(probs, given, evidence_of(given))
        assert np.isclose(full[0] / full[1], (0.7 / 0.3) * np.exp(-4.0), rtol=1e-4)
