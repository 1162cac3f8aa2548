import numpy as np
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper

from export.onnx_orphan import GraphBuilder, ragged_columns


def _run_ragged(colptr: list[int], cols: list[int]):
    g = GraphBuilder("t_")
    cp = g.const(np.array(colptr, np.int64), "cp")
    entry, segment = ragged_columns(g, cp, "cols")
    graph = helper.make_graph(
        [
            *g.nodes,
            helper.make_node("Identity", [entry], ["entry"]),
            helper.make_node("Identity", [segment], ["segment"]),
        ],
        "ragged",
        [helper.make_tensor_value_info("cols", TensorProto.INT64, ["J"])],
        [
            helper.make_tensor_value_info("entry", TensorProto.INT64, ["L"]),
            helper.make_tensor_value_info("segment", TensorProto.INT64, ["L"]),
        ],
        g.initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])
    model.ir_version = 9
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    return [x.tolist() for x in session.run(None, {"cols": np.array(cols, np.int64)})]


def test_ragged_expansion_gathers_each_column_in_order():
    # columns: 0 -> entries [0, 1, 2], 1 -> [], 2 -> [3, 4], 3 -> []
    colptr = [0, 3, 3, 5, 5]
    assert _run_ragged(colptr, [2, 0]) == [[3, 4, 0, 1, 2], [0, 0, 1, 1, 1]]


def test_ragged_expansion_skips_empty_columns_anywhere():
    colptr = [0, 3, 3, 5, 5]
    assert _run_ragged(colptr, [1, 2, 3, 1, 0, 3]) == [[3, 4, 0, 1, 2], [1, 1, 4, 4, 4]]
    assert _run_ragged(colptr, [1, 3]) == [[], []]


def _orphan_score_session(model, params):
    """A graph of orphan_scores alone (closure included) for ``params``, over the tiny run's matrices."""
    from export.onnx_orphan import closure_vector, orphan_scores

    m = model.matrices
    n_terms = m.profile.shape[1]
    g = GraphBuilder("t_")
    closure = closure_vector(g, m.full_ancestors, "observed", n_terms)
    scores = orphan_scores(g, m, params, "observed", "excluded", "age", "sex", closure)
    graph = helper.make_graph(
        [*g.nodes, helper.make_node("Identity", [scores], ["scores"])],
        "orphan",
        [
            helper.make_tensor_value_info("observed", TensorProto.INT64, ["N"]),
            helper.make_tensor_value_info("excluded", TensorProto.INT64, ["E"]),
            helper.make_tensor_value_info("age", TensorProto.FLOAT, [1]),
            helper.make_tensor_value_info("sex", TensorProto.INT64, [1]),
        ],
        [helper.make_tensor_value_info("scores", TensorProto.FLOAT, ["D"])],
        g.initializers,
    )
    model_proto = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])
    model_proto.ir_version = 9
    return ort.InferenceSession(model_proto.SerializeToString(), providers=["CPUExecutionProvider"])


def test_orphan_scores_match_the_scorer_for_either_sign_of_the_folded_weights(tiny_run):
    # the graph folds w_match and w_ic into its scatters (max for a positive weight, min for a negative one) and
    # takes the padding row's floor back out as a scalar: every sign and the empty request must still agree
    from dataclasses import replace

    from common.diagnosis_model import DiagnosisModel
    from common.orphan_model import OrphanScorer

    model = DiagnosisModel(tiny_run["kb"], tiny_run["model"])
    n_terms = model.matrices.profile.shape[1]
    vocab = {t["id"]: i for i, t in enumerate(model.vocabulary["terms"])}
    cases = [
        ([vocab["HP:0002373"], vocab["HP:0001249"]], [vocab["HP:0012735"]], 0.5, 1),
        ([vocab["HP:0001631"]], [], 40.0, 2),
        ([], [], -1.0, 0),
    ]
    # and the missing-finding cost scaled by the number of findings listed (0: unscaled; 1.5: one finding pays
    # two thirds, two or more the whole); the padding row of an empty request lists none
    for w_match, w_ic, full_at in [(1.0, -0.25, 12.0), (0.7, 0.4, 1.5), (-0.5, 0.0, 0.0)]:
        params = replace(model.params, w_match=w_match, w_ic=w_ic, w_missing=0.5, missing_full_at=full_at)
        session = _orphan_score_session(model, params)
        scorer = OrphanScorer(model.matrices, params)
        for observed, excluded, age, sex in cases:
            got = session.run(
                None,
                {
                    "observed": np.array(observed or [n_terms], np.int64),
                    "excluded": np.array(excluded or [n_terms], np.int64),
                    "age": np.array([age], np.float32),
                    "sex": np.array([sex], np.int64),
                },
            )[0]
            expected = scorer.scores(observed, excluded, age, sex)
            assert np.abs(got - expected).max() < 1e-4, (w_match, w_ic, full_at, observed)


def test_the_missing_cost_follows_the_patient_sex_in_the_graph_as_in_the_scorer(tiny_run):
    # GIVEN totals that differ by sex (a disease's annotations of one sex are not missed by the other)
    from dataclasses import replace

    from common.diagnosis_model import DiagnosisModel
    from common.orphan_model import OrphanScorer

    model = DiagnosisModel(tiny_run["kb"], tiny_run["model"])
    total = model.matrices.missing_total
    by_sex = np.stack([total, total + 0.0, total + 0.0])
    by_sex[1, 0] += 1.5  # the first disease has annotations only males show: a female misses less
    by_sex[2, 1] += 0.7
    m = replace(model.matrices, missing_by_sex=by_sex.astype(np.float32))
    params = replace(model.params, w_missing=0.5, missing_full_at=0.0)
    model.matrices = m
    session = _orphan_score_session(model, params)
    scorer = OrphanScorer(m, params)
    n_terms = m.profile.shape[1]
    got = {}
    for sex in (0, 1, 2):
        feeds = {
            "observed": np.array([n_terms], np.int64),
            "excluded": np.array([n_terms], np.int64),
            "age": np.array([-1.0], np.float32),
            "sex": np.array([sex], np.int64),
        }
        got[sex] = session.run(None, feeds)[0]
        assert np.abs(got[sex] - scorer.scores([], [], -1.0, sex)).max() < 1e-4, sex
    # THEN a female scores the first disease 0.75 higher than an unknown sex, a male the second 0.35 higher
    assert got[1][0] - got[0][0] == pytest.approx(0.75, abs=1e-4)
    assert got[2][1] - got[0][1] == pytest.approx(0.35, abs=1e-4)
