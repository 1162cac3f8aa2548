"""The combined differential in Python: common-disease model + orphan ranker + orphan suspicion.

P(common disease c) = (1 - s) * P_common(c) and P(orphan disease d) = s * P_orphan(d), where s is the orphan
suspicion. This is the reference the exported ONNX graph must reproduce.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import joblib
import numpy as np

from common.features import CommonFeatureSpec, Request, closure_of
from common.io import read_json
from common.orphan_model import OrphanMatrices, OrphanParams, OrphanScorer, build_matrices
from common.questionnaire_profile import QuestionnaireProfile
from common.support import Support, listed


def suspicion_features(
    orphan_scores: np.ndarray,
    common_probs: np.ndarray,
    req: Request,
    evidence: np.ndarray,
    covered: np.ndarray,
    support: np.ndarray,
) -> np.ndarray:
    """``covered[t]`` is 1 when term t switches on a questionnaire answer (CommonFeatureSpec.covered_terms): the
    share of the findings the common model can read at all. A DDXPlus patient's findings all come from its answers;
    a rare-disease patient's mostly do not (a seizure reads as a questionnaire answer, microcephaly does not).

    ``support[t, c]`` is 1 when common disease c's profile explains term t (``common_support``): the last feature is
    the common model's probability mass on diseases that explain each finding, averaged over the findings. A lone
    seizure reads as a questionnaire answer, yet the common model spreads it over diseases none of which has it
    (sarcoidosis, the one that does, gets 0.6 %): coverage alone called that patient common."""
    n_obs = len(req.observed)
    coverage = float(covered[req.observed].mean()) if n_obs else 1.0
    explained = float((support[req.observed] @ common_probs).mean()) if n_obs else 1.0
    return np.array(
        [
            float(orphan_scores.max()) / max(1, n_obs),
            float(common_probs.max()),
            np.log1p(n_obs),
            np.log1p(float(evidence.sum())),
            np.log1p(len(req.tokens)),
            coverage,
            explained,
        ],
        np.float32,
    )


def common_support(vocabulary: dict, common: list[dict], matrices: OrphanMatrices) -> np.ndarray:
    """[T + 1, C] float32: 1 where common disease c explains term t as the orphan ranker matches a finding, t or one
    of its ancestors within ``max_up`` levels (too general ones left out) at or above a term of c's profile. The
    last row, all zeros, is the padding index of the exported graph's observed input."""
    index = {t["id"]: i for i, t in enumerate(vocabulary["terms"])}
    n_terms = len(vocabulary["terms"])
    at_or_above = np.zeros((n_terms + 1, len(common)), bool)
    for c, disease in enumerate(common):
        for p in disease["phenotypes"]:
            if p["id"] in index:
                at_or_above[matrices.full_ancestors[index[p["id"]]], c] = True
    # ancestors[t] lists t and its matchable ancestors, padded with n_terms (the all-zero row)
    return at_or_above[matrices.ancestors].any(axis=1).astype(np.float32)


@dataclass
class Suspicion:
    coef: np.ndarray
    intercept: float

    def __call__(self, features: np.ndarray) -> float:
        return float(1.0 / (1.0 + np.exp(-(features @ self.coef + self.intercept))))

    def to_dict(self) -> dict:
        return {"coef": [float(x) for x in self.coef], "intercept": float(self.intercept)}


class DiagnosisModel:
    def __init__(self, kb_dir: Path, model_dir: Path, matrices: OrphanMatrices | None = None):
        self.vocabulary = read_json(kb_dir / "vocabulary.json")
        self.catalog = read_json(kb_dir / "catalog.json")["diseases"]
        self.evidences = read_json(kb_dir / "evidences.json")
        index = {t["id"]: i for i, t in enumerate(self.vocabulary["terms"])}
        self.spec = CommonFeatureSpec.from_kb(self.evidences, index)
        self.ordinal = self.spec.ordinal_matrix()
        self.params = OrphanParams.from_dict(read_json(model_dir / "orphan-params.json"))
        self.matrices = matrices or build_matrices(self.vocabulary, self.catalog, self.params)
        self.scorer = OrphanScorer(self.matrices, self.params)
        self.common = joblib.load(model_dir / "common-model.joblib")
        sus = read_json(model_dir / "suspicion.json")
        self.suspicion = Suspicion(np.array(sus["coef"], np.float32), sus["intercept"])
        self.n_common = sum(1 for d in self.catalog if d["category"] == "common")
        self.covered = self.spec.covered_terms(self.matrices.full_ancestors)
        self.support = common_support(self.vocabulary, self.catalog[: self.n_common], self.matrices)
        profile = read_json(model_dir / "common-profile.json")
        self.profile = QuestionnaireProfile.build(
            self.spec.tokens,
            self.catalog[: self.n_common],
            float(profile["penalty"]),
            float(profile.get("nestedPenalty", 0.0)),  # a package from before the nested term: none
            profile.get("nestedTypicalAnswers"),
        )
        self.supported = Support(
            self.vocabulary, self.catalog, self.matrices.full_ancestors, self.spec.tokens
        )

    def common_part(self, req: Request) -> tuple[np.ndarray, np.ndarray]:
        """P_common over the common diseases, and the questionnaire answers the request switches on."""
        closure = closure_of(req.observed, self.matrices.full_ancestors)
        x = self.spec.vector(req, closure, self.ordinal)
        evidence = x[: len(self.spec.tokens)]
        return self.profile.apply(self.common.predict_proba(x[None, :])[0], req.tokens, evidence), evidence

    def suspicion_of(
        self, orphan_scores: np.ndarray, common: np.ndarray, req: Request, evidence: np.ndarray
    ) -> float:
        return self.suspicion(
            suspicion_features(orphan_scores, common, req, evidence, self.covered, self.support)
        )

    def parts(self, req: Request):
        common, evidence = self.common_part(req)
        scores = self.scorer.scores(req.observed, req.excluded, req.age, req.sex)
        orphan = self.scorer.softmax(scores, len(req.observed))
        return common, orphan, scores, self.suspicion_of(scores, common, req, evidence)

    def predict(self, req: Request) -> tuple[np.ndarray, float]:
        common, orphan, _, s = self.parts(req)
        return np.concatenate([(1.0 - s) * common, s * orphan]).astype(np.float32), s

    def listed(self, req: Request) -> tuple[np.ndarray, float]:
        """``predict`` as the service's list orders it: the candidates nothing in the request supports left out
        (common/support.py). The exported graph computes ``predict``; the service leaves them out of its answer."""
        probs, s = self.predict(req)
        return listed(probs, self.supported.mask(req.observed, req.tokens)), s
