import numpy as np
import onnxruntime as ort
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
