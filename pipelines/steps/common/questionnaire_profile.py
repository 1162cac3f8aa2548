"""What the DDXPlus knowledge base says about a questionnaire answer that a condition never produces.

Each DDXPlus condition lists the evidences (symptoms and antecedents) it can produce; none of the 1,828 vendored
patients has an answer outside their condition's list. A logistic regression learns that only softly from ~28
patients per condition, and evidence dropout teaches it that a missing answer says little, so it confuses pairs whose
lists nest (chronic rhinosinusitis's evidences are a subset of acute rhinosinusitis's, stable angina's of unstable
angina's) even when the patient gave an answer only the larger condition produces. The common model's probabilities
are therefore multiplied by exp(-penalty) per given answer outside each condition's list, then renormalized:
softmax(logits - penalty * outside_count). Only answers given to the questionnaire count: answers switched on by
HPO terms (docs/model.md) are not evidence that the patient was asked, and a clinician's extra findings must not
veto a condition.
"""

from __future__ import annotations

import numpy as np

from common.ddxplus import TOKEN_SEP


def outside_profile_matrix(tokens: list[str], common_diseases: list[dict]) -> np.ndarray:
    """[tokens, common diseases]: 1 where the token's evidence is not in that disease's ``evidences`` list.

    A disease without an ``evidences`` list (a catalog built before it existed) gets an all-zero column: no
    penalty, the plain model."""
    codes = [t.split(TOKEN_SEP)[0] for t in tokens]
    mat = np.zeros((len(tokens), len(common_diseases)), np.float32)
    for j, disease in enumerate(common_diseases):
        allowed = disease.get("evidences")
        if allowed is None:
            continue
        allowed = set(allowed)
        mat[:, j] = [0.0 if c in allowed else 1.0 for c in codes]
    return mat


def apply_profile_penalty(
    probabilities: np.ndarray, given_tokens: list[int], outside: np.ndarray, penalty: float
) -> np.ndarray:
    """The common model's probabilities for one request, with answers outside a condition's profile penalized.

    The same arithmetic as the exported graph: softmax(log p - penalty * (count - min count)). In log space the
    most probable condition always keeps a finite score, so the result cannot underflow to 0/0 however many answers
    miss; counting from the smallest count keeps float32 precision when every condition misses many."""
    if not given_tokens or penalty == 0.0:
        return probabilities.astype(np.float32)
    given = np.zeros(outside.shape[0], np.float32)
    given[given_tokens] = 1.0
    counts = given @ outside
    with np.errstate(divide="ignore"):
        z = np.log(probabilities.astype(np.float32)) - np.float32(penalty) * (counts - counts.min())
    z = np.exp(z - z.max())
    return (z / z.sum()).astype(np.float32)
