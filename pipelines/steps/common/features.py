"""Request featurization shared by training, evaluation and the exported graph (which repeats it in ONNX).

A request is the canonical record's clinical part: observed and excluded HPO terms (vocabulary indices),
questionnaire tokens, age and sex. Phenotypes switch on the questionnaire tokens they map to (a token is on when
the patient shows its HPO term or a more specific one), so a clinician who only enters HPO terms still reaches the
common-disease model.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from common.ddxplus import TOKEN_SEP

UNKNOWN_AGE_FEATURE = 0.4  # the training population's typical age / 100, used when age is not given
SEX_CODE = {"female": 1, "male": 2}  # Request.sex; anything else is 0, unknown


@dataclass
class Request:
    observed: list[int]
    excluded: list[int] = field(default_factory=list)
    tokens: list[int] = field(default_factory=list)  # indices into evidences.json tokens
    age: float = -1.0
    sex: int = 0  # 0 unknown, 1 female, 2 male


def phenotype_only(req: Request) -> Request:
    """The request as a clinician who enters HPO terms sends it: no questionnaire answers."""
    return Request(req.observed, req.excluded, [], req.age, req.sex)


def without_demographics(req: Request) -> Request:
    """The request with age and sex not given (the page leaves both optional)."""
    return Request(req.observed, req.excluded, req.tokens, -1.0, 0)


@dataclass
class CommonFeatureSpec:
    """Layout of the common model's input: tokens, then ordinal values, then age, age-unknown, female, male."""

    tokens: list[str]
    ordinal: list[tuple[str, list[int]]]  # (evidence code, its integer values) for 0-10 style scales
    mapped_terms: list[int]  # vocabulary index of the HPO term ...
    mapped_tokens: list[int]  # ... that switches on this token
    # per pair: only the term itself switches the token on, not a more specific one (a ``broader`` mapping row;
    # knowledge_base/build_knowledge_base.py, direct_only_tokens); empty = none (a package from before)
    mapped_direct: list[bool] = field(default_factory=list)
    # per pair: False where the term does not switch the token on at all, because another answer maps to the term
    # exactly and this one says more than the term (knowledge_base/build_knowledge_base.py, not_implied_tokens):
    # "cough" is not "intense coughing fits". The pair still counts for ``explained_terms``. Empty = all switch.
    mapped_switches: list[bool] = field(default_factory=list)

    @classmethod
    def from_kb(cls, evidences_doc: dict, vocab_index: dict[str, int]) -> CommonFeatureSpec:
        tokens = evidences_doc["tokens"]
        tindex = {t: i for i, t in enumerate(tokens)}
        ordinal = []
        for code, ev in sorted(evidences_doc["evidences"].items()):
            values = [v for v in ev["values"]] if ev["dataType"] == "C" else []
            if values and all(v.lstrip("-").isdigit() for v in values):
                ordinal.append((code, sorted(int(v) for v in values)))
        pairs = sorted(
            (vocab_index[h], tindex[t]) for t, h in evidences_doc.get("hpo", {}).items() if t in tindex
        )
        direct = set(evidences_doc.get("hpoDirectOnly", []))
        quiet = set(evidences_doc.get("hpoNotImplied", []))  # a package from before: every pair switches
        return cls(
            tokens,
            ordinal,
            [p[0] for p in pairs],
            [p[1] for p in pairs],
            [tokens[p[1]] in direct for p in pairs],
            [tokens[p[1]] not in quiet for p in pairs] if quiet else [],
        )

    def direct_flags(self) -> list[bool]:
        """``mapped_direct``, or all False for a spec without it."""
        return self.mapped_direct or [False] * len(self.mapped_terms)

    def switch_flags(self) -> list[bool]:
        """``mapped_switches``, or all True for a spec without it."""
        return self.mapped_switches or [True] * len(self.mapped_terms)

    def _switching(self) -> list[tuple[int, int, bool]]:
        """(term, token, direct) of each pair whose term switches its token on."""
        pairs = zip(
            self.mapped_terms, self.mapped_tokens, self.direct_flags(), self.switch_flags(), strict=True
        )
        return [(t, k, d) for t, k, d, s in pairs if s]

    @property
    def width(self) -> int:
        return len(self.tokens) + len(self.ordinal) + 4

    def covered_terms(self, full_ancestors: list[list[int]]) -> np.ndarray:
        """[T] 1.0 for each vocabulary term that switches on a questionnaire token (it is a mapped term, or a more
        specific one of a term mapped without ``mapped_direct``), the same rule as ``evidence_vector``."""
        pairs = self._switching()
        below = {t for t, _, d in pairs if not d}
        itself = {t for t, _, d in pairs if d}
        return np.array(
            [1.0 if t in itself or below.intersection(a) else 0.0 for t, a in enumerate(full_ancestors)],
            np.float32,
        )

    def ordinal_matrix(self) -> np.ndarray:
        """[E, O]: token -> its scale value / max, so evidence @ matrix gives the ordinal features."""
        index = {t: i for i, t in enumerate(self.tokens)}
        mat = np.zeros((len(self.tokens), len(self.ordinal)), np.float32)
        for j, (code, values) in enumerate(self.ordinal):
            top = max(values) or 1
            for v in values:
                mat[index[f"{code}{TOKEN_SEP}{v}"], j] = v / top
        return mat

    def explained_terms(self, given_tokens: list[int]) -> set[int]:
        """The mapped terms some given questionnaire answer maps to."""
        given = set(given_tokens)
        return {t for t, k in zip(self.mapped_terms, self.mapped_tokens, strict=True) if k in given}

    def evidence_vector(self, req: Request, closure: set[int]) -> np.ndarray:
        """The given answers, plus the answers the observed terms stand for.

        A term that a given answer already maps to switches nothing else on: the patient answered that part of the
        questionnaire, and the term is that answer's own phenotype (ingestion adds it). Chest pain is the phenotype
        of nine answers (pain locations, and pain at rest, which only unstable angina produces); switching them all
        on for every patient who reported upper-chest pain made stable angina look unstable."""
        ev = np.zeros(len(self.tokens), np.float32)
        ev[req.tokens] = 1.0
        observed = set(req.observed)
        explained = self.explained_terms(req.tokens)
        for term, tok, direct in self._switching():
            if term not in explained and term in (observed if direct else closure):
                ev[tok] = 1.0
        return ev

    def vector(self, req: Request, closure: set[int], ordinal: np.ndarray | None = None) -> np.ndarray:
        ev = self.evidence_vector(req, closure)
        ordm = self.ordinal_matrix() if ordinal is None else ordinal
        known = req.age >= 0
        tail = [
            req.age / 100.0 if known else UNKNOWN_AGE_FEATURE,
            0.0 if known else 1.0,
            1.0 if req.sex == 1 else 0.0,
            1.0 if req.sex == 2 else 0.0,
        ]
        return np.concatenate([ev, ev @ ordm, np.array(tail, np.float32)])


def closure_of(observed: list[int], full_ancestors: list[list[int]]) -> set[int]:
    return {a for q in observed for a in full_ancestors[q]}
