"""The orphan-suspicion score: a logistic regression telling common-disease patients from orphan-disease ones.

Positives are simulated orphan patients (phenotypes only); negatives are common-disease training patients as full
questionnaires, as phenotypes only and as a few of their phenotypes, so that neither "no questionnaire" nor "few
findings" alone means "orphan" (a clinician often enters three findings of a chest infection).
"""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression

from common.diagnosis_model import Suspicion, suspicion_features
from common.features import Request, phenotype_only


def fit_suspicion(
    common_parts, orphan_parts, covered: np.ndarray, support: np.ndarray, seed: int
) -> Suspicion:
    """``*_parts``: lists of (orphan scores, common probabilities, request, evidence vector); ``covered``: the
    vocabulary terms that switch on a questionnaire answer (CommonFeatureSpec.covered_terms); ``support``: which
    common diseases explain each term (common/diagnosis_model.common_support)."""
    x = [suspicion_features(*p, covered, support) for p in common_parts + orphan_parts]
    y = [0] * len(common_parts) + [1] * len(orphan_parts)
    model = LogisticRegression(C=1.0, max_iter=1000, random_state=seed, class_weight="balanced").fit(
        np.vstack(x), y
    )
    return Suspicion(model.coef_[0].astype(np.float32), float(model.intercept_[0]))


def few_phenotypes(req: Request, rng: np.random.Generator) -> Request:
    """Between one and four of the patient's phenotypes, no questionnaire."""
    if not req.observed:
        return phenotype_only(req)
    k = int(rng.integers(1, min(4, len(req.observed)) + 1))
    kept = sorted(rng.choice(req.observed, k, replace=False).tolist())
    return Request(kept, req.excluded, [], req.age, req.sex)
