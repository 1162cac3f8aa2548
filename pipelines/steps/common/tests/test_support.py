import numpy as np

from common.support import Support, listed

# HP:1 <- HP:2 <- HP:3 (a chain) and HP:1 <- HP:4 (another branch)
VOCABULARY = {"terms": [{"id": f"HP:{i}"} for i in range(1, 5)]}
ANCESTORS = [[0], [0, 1], [0, 1, 2], [0, 3]]
DISEASES = [
    {"id": "DDXPLUS:X", "annotated": True, "phenotypes": [], "evidences": ["E_5"]},
    {"id": "OMIM:A", "annotated": True, "phenotypes": [{"id": "HP:2", "frequency": 0.5}]},
    {"id": "OMIM:B", "annotated": True, "phenotypes": [{"id": "HP:4", "frequency": 1.0}]},
    {"id": "OMIM:C", "annotated": False, "phenotypes": [], "transferredFrom": ["OMIM:A"]},
]
TOKENS = ["E_1", "E_5_@_V_2", "HPO_@_HP:4"]


def _support() -> Support:
    return Support(VOCABULARY, DISEASES, ANCESTORS, TOKENS)


def test_a_finding_supports_the_diseases_it_is_the_term_of_or_more_or_less_specific_than():
    s = _support()
    # HP:2 is OMIM:A's term; OMIM:C, A's gene relative, is judged on A's profile
    assert s.mask([1]).tolist() == [False, True, False, True]
    # HP:3 is more specific than HP:2
    assert s.mask([2]).tolist() == [False, True, False, True]
    # HP:1 is more general than HP:2 and HP:4: it speaks for every disease with a term under it
    assert s.mask([0]).tolist() == [False, True, True, True]


def test_a_sibling_branch_finding_does_not_support():
    # HP:4 is OMIM:B's; OMIM:A's HP:2 is on the other branch
    assert _support().mask([3]).tolist() == [False, False, True, False]


def test_an_answer_supports_the_condition_whose_evidence_code_it_is():
    s = _support()
    assert s.mask([], [1]).tolist() == [True, False, False, False]  # E_5 with a value is the code E_5
    assert s.mask([], [0]).tolist() == [False] * 4  # E_1 is not X's


def test_the_list_leaves_unsupported_candidates_below_every_listed_one_unless_none_is_supported():
    probs = np.array([0.6, 0.1, 0.3], np.float32)
    assert listed(probs, np.array([False, True, True])).tolist() == [-1.0, np.float32(0.1), np.float32(0.3)]
    assert listed(probs, np.zeros(3, bool)).tolist() == probs.tolist()
