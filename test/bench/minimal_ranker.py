"""Writes the least graph that can rank a catalog: one scatter-add of L touched entries into D scores, then TopK 10.

Used by test/bench/floor.ts to show what any ONNX ranker over the catalog costs per request, whatever its model.
Usage: python minimal_ranker.py OUT.onnx N_DISEASES
"""

import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper, save


def main(out: str, n_diseases: int) -> None:
    nodes = [
        helper.make_node("ScatterElements", ["base", "disease", "value"], ["scores"], reduction="add"),
        helper.make_node("TopK", ["scores", "k"], ["top", "index"]),
    ]
    graph = helper.make_graph(
        nodes,
        "minimal_ranker",
        [
            helper.make_tensor_value_info("disease", TensorProto.INT64, ["L"]),
            helper.make_tensor_value_info("value", TensorProto.FLOAT, ["L"]),
        ],
        [
            helper.make_tensor_value_info("top", TensorProto.FLOAT, [10]),
            helper.make_tensor_value_info("index", TensorProto.INT64, [10]),
        ],
        [
            numpy_helper.from_array(np.zeros(n_diseases, np.float32), "base"),
            numpy_helper.from_array(np.array([10], np.int64), "k"),
        ],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 18)])
    model.ir_version = 9
    save(model, out)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
