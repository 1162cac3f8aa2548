"""4-fold cross-validation of the common model on the training records only (the held-out quarter is never read).

How C, ORIGINAL_WEIGHT, NESTED_PENALTY and MASK_DEMOGRAPHICS in train/common_model.py were chosen: for each
setting, the errors on DDXPlus training records with complete questionnaires, with half the answers removed, as HPO
phenotypes only, as phenotypes without age and sex, and as two of the patient's phenotypes, summed over the folds.

Usage (after a pipeline run): python -m train.cross_validate --run-dir .dxops/runs/<run> --c 1 --weights 1,12
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
from sklearn.linear_model import LogisticRegression

from common.features import Request, closure_of, phenotype_only, without_demographics
from common.kb_files import KnowledgeBaseFiles
from common.orphan_model import OrphanParams, build_matrices
from common.questionnaire_profile import QuestionnaireProfile, typical_answers
from common.records import RecordEncoder, holdout_split, load_records
from evaluate.evaluate import HALF_SEED, half_evidence
from train.common_model import NESTED_PENALTY, PROFILE_PENALTY, augment, featurize, some_of

FOLDS = 4
# EvaluateModel's four, and two of the patient's phenotypes (age and sex given), what a clinician typing the first
# findings sends: the few-findings region the dropout copies reach least
VIEWS = ("complete", "halfEvidence", "phenotypesOnly", "phenotypesNoDemographics", "twoPhenotypes")


def cross_validate(processed: Path, kb: Path, c: float, weights: list[float], seed: int = 42) -> list[dict]:
    files = KnowledgeBaseFiles.read(kb)
    vocabulary, catalog, evidences, vindex = files.vocabulary, files.catalog, files.evidences, files.vindex
    spec, cindex, n_common = files.spec, files.cindex, files.n_common
    train, _ = holdout_split(load_records(processed))
    train = [r for r in train if cindex.get(r["diagnosis_id"], 10**9) < n_common]
    encoder = RecordEncoder(vocabulary, spec.tokens)
    requests = [encoder.request(r) for r in train]
    labels = np.array([cindex[r["diagnosis_id"]] for r in train])
    # folds by a hash of the record id, as the held-out split: deterministic, independent of the file order
    fold = np.array(
        [int(hashlib.sha256(r["record_id"].encode()).hexdigest()[-8:], 16) % FOLDS for r in train]
    )
    scored = np.array([r["source"] == "ddxplus" for r in train])
    full_ancestors = build_matrices(vocabulary, catalog, OrphanParams()).full_ancestors
    results = []
    for weight in weights:
        errors, n = {view: 0 for view in VIEWS}, 0
        for f in range(FOLDS):
            fit = np.where(fold != f)[0]
            typical = typical_answers(
                spec.tokens, catalog[:n_common], [requests[i] for i in fit], [int(labels[i]) for i in fit]
            )
            profile = QuestionnaireProfile.build(
                spec.tokens, catalog[:n_common], PROFILE_PENALTY, NESTED_PENALTY, typical
            )
            rng = np.random.default_rng(seed)
            pairs = list(augment([requests[i] for i in fit], [int(labels[i]) for i in fit], rng, weight))
            x = featurize(spec, [p[0] for p in pairs], full_ancestors)
            model = LogisticRegression(C=c, max_iter=3000, random_state=seed)
            model.fit(x, np.array([p[1] for p in pairs]), sample_weight=np.array([p[2] for p in pairs]))
            rng = np.random.default_rng(HALF_SEED)
            # the two-phenotype draws get a stream of their own, so the half-answer draws stay as they were
            rng_two = np.random.default_rng(HALF_SEED + 1)
            for i in np.where((fold == f) & scored)[0]:
                half = half_evidence(requests[i], spec.tokens, evidences.get("hpo", {}), vindex, rng)
                q = requests[i]
                views = (
                    ("complete", q),
                    ("halfEvidence", half),
                    ("phenotypesOnly", phenotype_only(q)),
                    ("phenotypesNoDemographics", without_demographics(phenotype_only(q))),
                    ("twoPhenotypes", Request(some_of(q.observed, 2, rng_two), [], [], q.age, q.sex)),
                )
                for view, req in views:
                    probs = np.full(n_common, 1e-12)
                    x_req = spec.vector(req, closure_of(req.observed, full_ancestors))
                    probs[model.classes_] = model.predict_proba(x_req[None])[0]
                    probs = profile.apply(probs / probs.sum(), req.tokens, x_req[: len(spec.tokens)])
                    errors[view] += int(int(np.argmax(probs)) != labels[i])
                n += 1
        results.append({"c": c, "originalWeight": weight, "records": n, "errors": errors})
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--run-dir", type=Path, required=True, help="a pipeline run (its Ingest and KB outputs)"
    )
    parser.add_argument("--c", type=float, default=1.0)
    parser.add_argument("--weights", default="1,12", help="comma-separated weights of the complete record")
    args = parser.parse_args(argv)
    for result in cross_validate(
        args.run_dir / "Ingest" / "output" / "processed",
        args.run_dir / "BuildKnowledgeBase" / "output" / "kb",
        args.c,
        [float(w) for w in args.weights.split(",")],
    ):
        print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
