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
from common.questionnaire_profile import apply_profile_penalty, outside_profile_matrix


def suspicion_features(
    orphan_scores: np.ndarray,
    common_probs: np.ndarray,
    req: Request,
    evidence: np.ndarray,
    covered: np.ndarray,
) -> np.ndarray:
    """``covered[t]`` is 1 when term t switches on a questionnaire answer (CommonFeatureSpec.covered_terms): the
    share of the findings the common model can read at all. A DDXPlus patient's findings all come from its answers;
    a rare-disease patient's mostly do not (a seizure reads as a questionnaire answer, microcephaly does not)."""
    n_obs = len(req.observed)
    coverage = float(covered[req.observed].mean()) if n_obs else 1.0
    return np.array(
        [
            float(orphan_scores.max()) / max(1, n_obs),
            float(common_probs.max()),
            np.log1p(n_obs),
            np.log1p(float(evidence.sum())),
            np.log1p(len(req.tokens)),
            coverage,
        ],
        np.float32,
    )


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
        self.params = OrphanParams(**read_json(model_dir / "orphan-params.json"))
        self.matrices = matrices or build_matrices(self.vocabulary, self.catalog, self.params)
        self.scorer = OrphanScorer(self.matrices, self.params)
        self.common = joblib.load(model_dir / "common-model.joblib")
        sus = read_json(model_dir / "suspicion.json")
        self.suspicion = Suspicion(np.array(sus["coef"], np.float32), sus["intercept"])
        self.n_common = sum(1 for d in self.catalog if d["category"] == "common")
        self.covered = self.spec.covered_terms(self.matrices.full_ancestors)
        self.outside = outside_profile_matrix(self.spec.tokens, self.catalog[: self.n_common])
        self.profile_penalty = float(read_json(model_dir / "common-profile.json")["penalty"])

    def common_part(self, req: Request) -> tuple[np.ndarray, np.ndarray]:
        """P_common over the common diseases, and the questionnaire answers the request switches on."""
        closure = closure_of(req.observed, self.matrices.full_ancestors)
        x = self.spec.vector(req, closure, self.ordinal)
        common = apply_profile_penalty(
            self.common.predict_proba(x[None, :])[0], req.tokens, self.outside, self.profile_penalty
        )
        return common, x[: len(self.spec.tokens)]

    def suspicion_of(
        self, orphan_scores: np.ndarray, common: np.ndarray, req: Request, evidence: np.ndarray
    ) -> float:
        return self.suspicion(suspicion_features(orphan_scores, common, req, evidence, self.covered))

    def parts(self, req: Request):
        common, evidence = self.common_part(req)
        scores = self.scorer.scores(req.observed, req.excluded, req.age, req.sex)
        orphan = self.scorer.probabilities(req.observed, req.excluded, req.age, req.sex)
        return common, orphan, scores, self.suspicion_of(scores, common, req, evidence)

    def predict(self, req: Request) -> tuple[np.ndarray, float]:
        common, orphan, _, s = self.parts(req)
        return np.concatenate([(1.0 - s) * common, s * orphan]).astype(np.float32), s
