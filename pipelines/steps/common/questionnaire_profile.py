"""What the DDXPlus knowledge base says about questionnaire answers a condition never produces, or should have.

Each DDXPlus condition lists the evidences (symptoms and antecedents) it can produce; none of the 1,828 vendored
patients has an answer outside their condition's list. A logistic regression learns that only softly from ~28
patients per condition, and evidence dropout teaches it that a missing answer says little, so it confuses pairs whose
lists nest (chronic rhinosinusitis's evidences are a subset of acute rhinosinusitis's, stable angina's of unstable
angina's). Two terms, both from the lists alone, correct its log-probabilities:

- **outside**: ``penalty`` per given answer outside a condition's list (fever rules chronic rhinosinusitis out);
- **nested**: when one condition's list is a strict subset of another's and the patient answered within the smaller
  list but gave none of the larger condition's own evidences, up to ``nested_penalty`` on the larger condition, in
  proportion to how much of the smaller list the patient answered. Every vendored unstable-angina patient has rest
  pain, sweating, nausea or worsening; none of the stable ones has any. With half the answers gone the absence says
  less, and the larger condition keeps a finite score: the term shifts the odds, it does not veto.

Only answers given to the questionnaire say that the patient was asked: answers switched on by HPO terms
(docs/model.md) count as present evidence, never as the questionnaire having been taken, and a clinician's extra
findings must not veto a condition.
"""

from __future__ import annotations

from dataclasses import dataclass

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


def nested_pairs(common_diseases: list[dict]) -> list[tuple[int, int]]:
    """(smaller, larger) positions of the conditions whose evidence list is a strict subset of another's."""
    lists = [set(d["evidences"]) if d.get("evidences") else None for d in common_diseases]
    return [
        (a, b)
        for a, small in enumerate(lists)
        for b, large in enumerate(lists)
        if small is not None and large is not None and small < large
    ]


def typical_answers(
    tokens: list[str], common_diseases: list[dict], requests: list, labels: list[int]
) -> dict[str, float]:
    """Per nested pair (``"smaller id|larger id"``), the median number of the smaller list's evidences that the
    smaller condition's training patients answered: how many answers a complete interview gives there."""
    codes = [t.split(TOKEN_SEP)[0] for t in tokens]
    out = {}
    for a, b in nested_pairs(common_diseases):
        small = set(common_diseases[a]["evidences"])
        counts = [
            len({codes[t] for t in r.tokens} & small) for r, y in zip(requests, labels, strict=True) if y == a
        ]
        counts = [c for c in counts if c]
        if counts:
            out[f"{common_diseases[a]['id']}|{common_diseases[b]['id']}"] = float(np.median(counts))
    return out


@dataclass
class QuestionnaireProfile:
    outside: np.ndarray  # [tokens, conditions] 1: the token's evidence is outside the condition's list
    codes: np.ndarray  # [tokens, evidences] one-hot: the token's evidence
    asked: np.ndarray  # [evidences, pairs] 1: the evidence is in the pair's smaller list
    own: np.ndarray  # [tokens, pairs] 1: the token's evidence is in the larger list only
    larger: np.ndarray  # [pairs, conditions] one-hot: the pair's larger condition
    per_answer: np.ndarray  # [pairs] 1 / the typical number of answers in the smaller list, 0: not known
    penalty: float
    nested_penalty: float

    @classmethod
    def build(
        cls,
        tokens: list[str],
        common_diseases: list[dict],
        penalty: float,
        nested_penalty: float,
        typical: dict[str, float] | None = None,
    ) -> QuestionnaireProfile:
        """``typical``: ``typical_answers`` of the training records; without it (a package from before) every
        nested rule costs the whole ``nested_penalty``."""
        token_codes = [t.split(TOKEN_SEP)[0] for t in tokens]
        evidence_codes = sorted(set(token_codes))
        cindex = {c: i for i, c in enumerate(evidence_codes)}
        codes = np.zeros((len(tokens), len(evidence_codes)), np.float32)
        codes[np.arange(len(tokens)), [cindex[c] for c in token_codes]] = 1.0
        pairs = nested_pairs(common_diseases)
        asked = np.zeros((len(evidence_codes), len(pairs)), np.float32)
        own = np.zeros((len(tokens), len(pairs)), np.float32)
        larger = np.zeros((len(pairs), len(common_diseases)), np.float32)
        per_answer = np.zeros(len(pairs), np.float32)
        for j, (a, b) in enumerate(pairs):
            small, large = set(common_diseases[a]["evidences"]), set(common_diseases[b]["evidences"])
            asked[:, j] = [1.0 if c in small else 0.0 for c in evidence_codes]
            own[:, j] = [1.0 if c in large - small else 0.0 for c in token_codes]
            larger[j, b] = 1.0
            k = (typical or {}).get(f"{common_diseases[a]['id']}|{common_diseases[b]['id']}", 0.0)
            per_answer[j] = 1.0 / k if k > 0 else 0.0
        return cls(
            outside_profile_matrix(tokens, common_diseases),
            codes,
            asked,
            own,
            larger,
            per_answer,
            penalty,
            nested_penalty,
        )

    @property
    def fixed(self) -> np.ndarray:
        """[pairs] 1 where ``per_answer`` is 0 (no typical count known: the whole cost however few answers)."""
        return (self.per_answer == 0).astype(np.float32)

    def nested_hits(self, given: np.ndarray, evidence: np.ndarray) -> np.ndarray:
        """[conditions]: the share of the nested cost each larger condition pays. A pair's rule fires when the
        patient answered within the smaller list and gave none of the larger condition's own evidences; it costs in
        proportion to how many of the smaller list's evidences were answered, up to the number a complete interview
        typically gives, so a half-taken questionnaire costs the larger condition about half."""
        answered = np.minimum(given @ self.codes, 1.0) @ self.asked
        hit = ((answered > 0) & ~(evidence @ self.own > 0)).astype(np.float32)
        scale = np.minimum(answered * self.per_answer + self.fixed, 1.0)
        return (hit * scale).astype(np.float32) @ self.larger

    def apply(self, probabilities: np.ndarray, given_tokens: list[int], evidence: np.ndarray) -> np.ndarray:
        """The common model's probabilities for one request with both terms applied; ``evidence`` is the request's
        evidence vector (given answers and the ones its HPO terms switch on).

        The same arithmetic as the exported graph: softmax(log p - penalty * (count - min count) - nested penalty *
        hits). In log space the most probable condition keeps a finite score, so the result cannot underflow to
        0/0 however many answers miss; counting from the smallest count keeps float32 precision when every
        condition misses many."""
        if not given_tokens or (self.penalty == 0.0 and self.nested_penalty == 0.0):
            return probabilities.astype(np.float32)
        given = np.zeros(self.outside.shape[0], np.float32)
        given[given_tokens] = 1.0
        counts = given @ self.outside
        cost = np.float32(self.penalty) * (counts - counts.min())
        cost = cost + np.float32(self.nested_penalty) * self.nested_hits(given, evidence.astype(np.float32))
        with np.errstate(divide="ignore"):
            z = np.log(probabilities.astype(np.float32)) - cost
        z = np.exp(z - z.max())
        return (z / z.sum()).astype(np.float32)
