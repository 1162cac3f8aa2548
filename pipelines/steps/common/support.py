"""Which candidates the list shows: those something the clinician entered speaks for.

A candidate is supported when one of the observed findings is its profile term, an ancestor of one or a descendant
of one (what the service lists as ``supportingPhenotypes``, containers/inference/src/model/listing.ts), or, for a
common disease, when one of the questionnaire answers is among its condition's evidence codes. A disease without
annotations is judged on the profile it borrows from its gene relatives, as it is scored.

The differential leaves unsupported candidates out. Their probability is what the prior gives them: a rare-disease
entry (Kayser-Fleischer ring, tremor, cirrhosis) puts a third of a percent on the common side, which spreads it over
its 83 diseases. They then came before the rare candidates that share one finding: HIV disease, asthma and allergic
rhinosinusitis were 7th, 8th and 10th of Wilson disease's list, and 24% of the clinician entries listed such a
candidate in their top 10 (docs/model-card-history.md).
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from common.csc import any_in_rows
from common.orphan_model import disease_profiles


class Support:
    def __init__(self, vocabulary: dict, diseases: list[dict], full_ancestors: list, tokens: list[str] = ()):
        """``diseases`` in the order of the probabilities to mask (the catalog: common, then orphan);
        ``tokens``: the evidence tokens a request's ``tokens`` index."""
        index = {t["id"]: i for i, t in enumerate(vocabulary["terms"])}
        n_terms = len(index)
        # the profile a disease is scored on: its own, or the union of its gene relatives' (the frequencies aside)
        terms = [{t for t in p if t in index} for p in disease_profiles(diseases, 1.0)]
        self.direct = self._matrix(terms, index, n_terms, None)
        self.reach = self._matrix(terms, index, n_terms, full_ancestors)
        code_of = [t.split("_@_")[0] for t in tokens]
        rows, cols = [], []
        for d, disease in enumerate(diseases):
            codes = set(disease.get("evidences") or [])
            for k, code in enumerate(code_of):
                if code in codes:
                    rows.append(d)
                    cols.append(k)
        self.answers = sparse.csc_matrix(
            (np.ones(len(rows), np.float32), (rows, cols)), shape=(len(diseases), len(code_of))
        )
        self.full_ancestors = full_ancestors

    @staticmethod
    def _matrix(terms: list[set[str]], index: dict, n_terms: int, full_ancestors) -> sparse.csc_matrix:
        """[N, T] 1 at each disease's profile terms, or (``full_ancestors``) at them and every ancestor."""
        rows, cols = [], []
        for d, ids in enumerate(terms):
            cells = {index[t] for t in ids}
            if full_ancestors is not None:
                cells = {a for c in cells for a in full_ancestors[c]}
            rows.extend([d] * len(cells))
            cols.extend(cells)
        return sparse.csc_matrix((np.ones(len(rows), np.float32), (rows, cols)), shape=(len(terms), n_terms))

    def mask(self, observed: list[int], tokens: list[int] = ()) -> np.ndarray:
        """[N] bool: the candidates the request's findings or answers support."""
        out = np.zeros(self.direct.shape[0], bool)
        if observed:
            up = sorted({a for q in observed for a in self.full_ancestors[q]})
            # a profile term at or above a finding (the finding is as specific or more), or the finding above one
            out |= any_in_rows(self.direct, up)
            out |= any_in_rows(self.reach, sorted(set(observed)))
        if len(tokens):
            out |= any_in_rows(self.answers, sorted(set(tokens)))
        return out


def listed(probs: np.ndarray, supported: np.ndarray) -> np.ndarray:
    """The probabilities as the list orders them: an unsupported candidate is not listed (-1, below every listed
    one), so a true disease nothing supports counts as a miss, as it is in the service's answer. When nothing
    supports any candidate (only excluded findings, or none the catalog relates to) the list is the probabilities'
    order, as the service answers it, with a warning."""
    if not supported.any():
        return probs
    return np.where(supported, probs, -1.0).astype(probs.dtype)
