import hashlib
import json
import tarfile

import numpy as np
import onnxruntime as ort

from common.diagnosis_model import DiagnosisModel
from common.features import Request, closure_of
from export.export_model import feeds


def test_manifest_checksums_and_counts_match_the_files(tiny_run):
    pkg = tiny_run["package"]
    manifest = json.loads((pkg / "manifest.json").read_text())
    assert manifest["schemaVersion"] == 1 and manifest["modelVersion"] == "test-1"
    for entry in manifest["files"].values():
        assert hashlib.sha256((pkg / entry["path"]).read_bytes()).hexdigest() == entry["sha256"]
    catalog = json.loads((pkg / "catalog.json").read_text())["diseases"]
    assert manifest["counts"]["diseases"] == len(catalog)
    assert manifest["thresholds"]["specialistReview"] == 0.7
    assert manifest["driftBaseline"]["families"]["ageBand"]["bins"][0] == "unknown"
    with tarfile.open(pkg / "model.tar.gz") as tar:
        assert {"manifest.json", "model.onnx", "catalog.json"} <= set(tar.getnames())


def test_onnx_matches_the_python_model_within_1e_5(tiny_run):
    model = DiagnosisModel(tiny_run["kb"], tiny_run["model"])
    session = ort.InferenceSession(
        str(tiny_run["package"] / "model.onnx"), providers=["CPUExecutionProvider"]
    )
    vocab = {t["id"]: i for i, t in enumerate(model.vocabulary["terms"])}
    n_terms, n_tokens = len(vocab), len(model.spec.tokens)
    requests = [
        Request([vocab["HP:0002373"], vocab["HP:0001249"]], [vocab["HP:0012735"]], [], 0.5, 1),
        Request([vocab["HP:0001631"]], [], [0, 1], 40.0, 2),
        Request([], [], [], -1.0, 0),
    ]
    tok = {t: i for i, t in enumerate(model.spec.tokens)}
    cough = Request([vocab["HP:0012735"]], [], [], 30.0, 1)  # cough alone: "a cough?", not the pain location
    # the tiny catalog nests URTI's list in pneumonia's, and cough is the phenotype of two answers
    assert model.profile.larger.shape[0] == 1 and model.profile.nested_penalty > 0
    assert model.profile.per_answer.tolist() == [0.5]  # URTI's patients answer both of its evidences
    requests += [
        Request([vocab["HP:0012735"]], [], [tok["E_4_@_V_2"]], 30.0, 1),  # the answer explains cough
        Request([vocab["HP:0001945"]], [], [tok["E_1"], tok["E_2"]], 30.0, 2),  # within URTI's list only
        Request([], [], [tok["E_2"]], 30.0, 2),  # half of URTI's list: half the nested cost
        cough,
    ]
    effective = model.spec.evidence_vector(cough, closure_of(cough.observed, model.matrices.full_ancestors))
    assert effective[tok["E_2"]] == 1.0 and effective[tok["E_4_@_V_2"]] == 0.0
    for req in requests:
        expected, suspicion = model.predict(req)
        probs, susp = session.run(None, feeds(req, n_terms, n_tokens))
        assert np.abs(probs - expected).max() < 1e-5
        assert abs(float(susp[0]) - suspicion) < 1e-5
        assert abs(float(probs.sum()) - 1.0) < 1e-4


def test_parity_vectors_are_shipped_for_the_service(tiny_run):
    vectors = json.loads((tiny_run["package"] / "parity-vectors.json").read_text())
    assert vectors["tolerance"] == 1e-5 and len(vectors["vectors"]) >= 2
    assert {"request", "top", "orphanSuspicion"} <= set(vectors["vectors"][0])


def test_the_graph_takes_the_temperature_of_the_number_of_findings(tiny_run):
    from dataclasses import replace

    from common.orphan_model import OrphanScorer
    from export.onnx_combined import build_onnx

    model = DiagnosisModel(tiny_run["kb"], tiny_run["model"])
    # a table for 0 to 2 findings, then the general temperature; every entry differs so a wrong lookup shows
    model.params = replace(model.params, temperature_by_findings=(0.4, 0.7, 1.3), temperature=2.5)
    model.scorer = OrphanScorer(model.matrices, model.params)
    session = ort.InferenceSession(build_onnx(model).SerializeToString(), providers=["CPUExecutionProvider"])
    vocab = {t["id"]: i for i, t in enumerate(model.vocabulary["terms"])}
    n_terms, n_tokens = len(vocab), len(model.spec.tokens)
    terms = [vocab[t] for t in ("HP:0002373", "HP:0001249", "HP:0012735", "HP:0001631")]
    orphan = slice(model.n_common, None)
    for n in range(len(terms) + 1):
        req = Request(terms[:n], [], [], 5.0, 0)
        expected, _ = model.predict(req)
        probs, _ = session.run(None, feeds(req, n_terms, n_tokens))
        assert np.abs(probs - expected).max() < 1e-5, n
        # and the temperature did change with n: the orphan part at the general temperature differs
        flat = replace(model.params, temperature_by_findings=())
        scores = model.scorer.scores(req.observed, req.excluded, req.age, req.sex)
        at_general = OrphanScorer(model.matrices, flat).softmax(scores, n)
        share = expected[orphan].sum()
        if n < 3 and share > 0:
            assert np.abs(expected[orphan] / share - at_general).max() > 1e-4, n
