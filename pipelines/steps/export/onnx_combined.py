"""The whole differential as one ONNX graph: featurization, common model (skl2onnx), orphan ranker (custom nodes),
orphan suspicion and the combination. Inputs and outputs follow docs/model-package.md."""

from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, compose, helper
from skl2onnx import to_onnx

from common.diagnosis_model import DiagnosisModel
from common.features import UNKNOWN_AGE_FEATURE
from export.onnx_orphan import GraphBuilder, closure_vector, observed_vector, orphan_scores

OPSET = 18


def _common_graph(model: DiagnosisModel) -> onnx.ModelProto:
    """The scikit-learn model converted by skl2onnx, names prefixed so they cannot clash with ours."""
    sample = np.zeros((1, model.spec.width), np.float32)
    converted = to_onnx(
        model.common,
        sample,
        options={id(model.common): {"zipmap": False}},
        target_opset={"": OPSET, "ai.onnx.ml": 3},
    )
    return compose.add_prefix(converted, "common_")


def _profile_penalty(g: GraphBuilder, model: DiagnosisModel, given: str, evidence: str) -> str:
    """softmax(log p - penalty * (count - min count) - nested penalty * hits), as
    common/questionnaire_profile.py computes it."""
    probs = g.op("Reshape", ["common_probabilities", g.const([-1], "m1", np.int64)])
    profile = model.profile
    if profile.penalty == 0.0 and profile.nested_penalty == 0.0:
        return probs
    counts = g.op("MatMul", [given, g.const(profile.outside, "outside_profile")])
    counts = g.op("Sub", [counts, g.op("ReduceMin", [counts], keepdims=1)])
    cost = g.op("Mul", [counts, g.const(np.float32(profile.penalty), "profile_penalty")])
    if profile.larger.shape[0] and profile.nested_penalty != 0.0:
        zero = g.const(np.float32(0), "zero_n")
        one = g.const(np.float32(1), "one_n")
        codes_on = g.op("Min", [g.op("MatMul", [given, g.const(profile.codes, "nested_codes")]), one])
        answered = g.op("MatMul", [codes_on, g.const(profile.asked, "nested_asked")])
        asked = g.op("Greater", [answered, zero])
        own = g.op("Greater", [g.op("MatMul", [evidence, g.const(profile.own, "nested_own")]), zero])
        hit = g.op("Cast", [g.op("And", [asked, g.op("Not", [own])])], to=TensorProto.FLOAT)
        scale = g.op(
            "Min",
            [
                g.op(
                    "Add",
                    [
                        g.op("Mul", [answered, g.const(profile.per_answer, "nested_per_answer")]),
                        g.const(profile.fixed, "nested_fixed"),
                    ],
                ),
                one,
            ],
        )
        hits = g.op("MatMul", [g.op("Mul", [hit, scale]), g.const(profile.larger, "nested_larger")])
        nested = g.op("Mul", [hits, g.const(np.float32(profile.nested_penalty), "nested_penalty")])
        cost = g.op("Add", [cost, nested])
    return g.op("Softmax", [g.op("Sub", [g.op("Log", [probs]), cost])], axis=0)


def build_onnx(model: DiagnosisModel) -> onnx.ModelProto:
    g = GraphBuilder("g_")
    n_terms = len(model.vocabulary["terms"])
    m, spec = model.matrices, model.spec
    closure = closure_vector(g, m.full_ancestors, "observed", n_terms)

    # --- common-model features: questionnaire tokens, switched on also by the phenotypes they map to
    n_tokens = len(spec.tokens)
    zeros_e = g.const(np.zeros(n_tokens, np.float32), "zeros_e")
    mapterms = g.const(np.array(spec.mapped_terms, np.int64), "mapterms")
    mapped_on = g.op("Gather", [closure, mapterms])
    direct = np.array(spec.direct_flags(), np.float32)
    if direct.any():
        # a token mapped through a broader term: only that term itself, not a more specific one, switches it on
        only = g.op("Gather", [observed_vector(g, "observed", n_terms), mapterms])
        mapped_on = g.op(
            "Add",
            [
                g.op("Mul", [mapped_on, g.const(1.0 - direct, "map_below")]),
                g.op("Mul", [only, g.const(direct, "map_direct")]),
            ],
        )
    switches = np.array(spec.switch_flags(), np.float32)
    if not switches.all():
        # an answer that says more than its term ("intense coughing fits" for Cough): the term does not switch it on
        mapped_on = g.op("Mul", [mapped_on, g.const(switches, "map_switches")])
    given = g.op(
        "Reshape",
        [
            g.op(
                "Max",
                [
                    g.op("Min", ["evidence", g.const(np.float32(1), "one_f")]),
                    g.const(np.float32(0), "zero_f"),
                ],
            ),
            g.const([-1], "m1", np.int64),
        ],
    )
    # a term some given answer maps to switches nothing else on (common/features.py, evidence_vector)
    maptok = g.const(np.array(spec.mapped_tokens, np.int64), "maptok")
    explained = g.op(
        "ScatterElements",
        [g.const(np.zeros(n_terms, np.float32), "zeros_t"), mapterms, g.op("Gather", [given, maptok])],
        reduction="max",
    )
    mapped_on = g.op(
        "Mul",
        [mapped_on, g.op("Sub", [g.const(np.float32(1), "one_s"), g.op("Gather", [explained, mapterms])])],
    )
    from_hpo = g.op(
        "ScatterElements",
        [zeros_e, maptok, mapped_on],
        reduction="max",
    )
    ev = g.op("Max", [given, from_hpo], hint="evidence_effective")
    ev_row = g.op("Unsqueeze", [ev, g.const([0], "ax0", np.int64)])
    ordinal = g.op("MatMul", [ev_row, g.const(model.ordinal, "ordinal")])
    known = g.op(
        "Cast", [g.op("GreaterOrEqual", ["age", g.const(np.float32([0]), "z")])], to=TensorProto.FLOAT
    )
    age_feat = g.op(
        "Add",
        [
            g.op("Mul", [known, g.op("Div", ["age", g.const(np.float32(100), "hundred")])]),
            g.op(
                "Mul",
                [
                    g.op("Sub", [g.const(np.float32(1), "one"), known]),
                    g.const(np.float32(UNKNOWN_AGE_FEATURE), "unk_age"),
                ],
            ),
        ],
    )
    unknown = g.op("Sub", [g.const(np.float32([1]), "one_v"), known])
    female = g.op("Cast", [g.op("Equal", ["sex", g.const([1], "one_i", np.int64)])], to=TensorProto.FLOAT)
    male = g.op("Cast", [g.op("Equal", ["sex", g.const([2], "two_i", np.int64)])], to=TensorProto.FLOAT)
    tail = g.op(
        "Unsqueeze",
        [g.op("Concat", [age_feat, unknown, female, male], axis=0), g.const([0], "ax0", np.int64)],
    )
    g.nodes.append(
        helper.make_node("Concat", [ev_row, ordinal, tail], ["common_X"], axis=1, name="common_features")
    )
    common_probs = _profile_penalty(g, model, given, ev)

    # --- orphan ranker
    scores = orphan_scores(g, m, model.params, "observed", "excluded", "age", "sex", closure)
    n_obs = g.op(
        "ReduceSum",
        [g.op("Cast", [g.op("Less", ["observed", g.const(n_terms, "nt", np.int64)])], to=TensorProto.FLOAT)],
        keepdims=1,
    )
    # the temperature for this many findings: a table up to the last fitted count, then the general one
    params = model.params
    table = np.array(
        [params.temperature_for(n) for n in range(len(params.temperature_by_findings) + 1)], np.float32
    )
    at = g.op(
        "Min",
        [g.op("Cast", [n_obs], to=TensorProto.INT64), g.const([len(table) - 1], "temp_last", np.int64)],
    )
    temp = g.op("Gather", [g.const(table, "temperatures"), at])
    orphan_probs = g.op(
        "Softmax", [g.op("Unsqueeze", [g.op("Div", [scores, temp]), g.const([0], "ax0", np.int64)])], axis=1
    )
    orphan_probs = g.op("Reshape", [orphan_probs, g.const([-1], "m1", np.int64)])

    # --- orphan suspicion: logistic regression over seven summary features (see common/diagnosis_model.py)
    f0 = g.op(
        "Div",
        [g.op("ReduceMax", [scores], keepdims=1), g.op("Max", [n_obs, g.const(np.float32([1]), "one_v2")])],
    )
    f1 = g.op("ReduceMax", [common_probs], keepdims=1)
    f2 = g.op("Log", [g.op("Add", [n_obs, g.const(np.float32([1]), "one_v3")])])
    f3 = g.op("Log", [g.op("Add", [g.op("ReduceSum", [ev], keepdims=1), g.const(np.float32([1]), "one_v4")])])
    f4 = g.op(
        "Log", [g.op("Add", [g.op("ReduceSum", [given], keepdims=1), g.const(np.float32([1]), "one_v5")])]
    )
    # f5: share of the observed terms that switch on a questionnaire answer (1 without observed terms)
    covered = g.const(np.append(model.covered, np.float32(0)).astype(np.float32), "covered_terms")
    n_covered = g.op("ReduceSum", [g.op("Gather", [covered, "observed"])], keepdims=1)
    no_obs = g.op("Cast", [g.op("Equal", [n_obs, g.const(np.float32([0]), "zero_v")])], to=TensorProto.FLOAT)
    f5 = g.op(
        "Div",
        [g.op("Add", [n_covered, no_obs]), g.op("Max", [n_obs, g.const(np.float32([1]), "one_v7")])],
    )
    # f6: the common probability mass on diseases that explain each observed term, averaged (1 without observed
    # terms); the support table is 0/1, stored as uint8 (a quarter of float32) and its padding row is zeros
    support = g.const(model.support.astype(np.uint8), "common_support")
    per_term = g.op(
        "MatMul", [g.op("Cast", [g.op("Gather", [support, "observed"])], to=TensorProto.FLOAT), common_probs]
    )
    f6 = g.op(
        "Add",
        [
            g.op(
                "Div",
                [
                    g.op("ReduceSum", [per_term], keepdims=1),
                    g.op("Max", [n_obs, g.const(np.float32([1]), "one_v8")]),
                ],
            ),
            no_obs,
        ],
    )
    feats = g.op("Concat", [f0, f1, f2, f3, f4, f5, f6], axis=0)
    logit = g.op(
        "Add",
        [
            g.op(
                "ReduceSum",
                [g.op("Mul", [feats, g.const(model.suspicion.coef.astype(np.float32), "sus_coef")])],
                keepdims=1,
            ),
            g.const(np.float32([model.suspicion.intercept]), "sus_b"),
        ],
    )
    g.nodes.append(helper.make_node("Sigmoid", [logit], ["orphan_suspicion"], name="orphan_suspicion"))

    # --- the combined differential, in catalog order (common diseases first)
    common_part = g.op(
        "Mul", [common_probs, g.op("Sub", [g.const(np.float32([1]), "one_v6"), "orphan_suspicion"])]
    )
    orphan_part = g.op("Mul", [orphan_probs, "orphan_suspicion"])
    g.nodes.append(
        helper.make_node(
            "Concat", [common_part, orphan_part], ["probabilities"], axis=0, name="probabilities"
        )
    )

    common = _common_graph(model)
    nodes = list(common.graph.node) + g.nodes
    inputs = [
        helper.make_tensor_value_info("observed", TensorProto.INT64, ["N"]),
        helper.make_tensor_value_info("excluded", TensorProto.INT64, ["M"]),
        helper.make_tensor_value_info("evidence", TensorProto.FLOAT, [1, n_tokens]),
        helper.make_tensor_value_info("age", TensorProto.FLOAT, [1]),
        helper.make_tensor_value_info("sex", TensorProto.INT64, [1]),
    ]
    outputs = [
        helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [len(model.catalog)]),
        helper.make_tensor_value_info("orphan_suspicion", TensorProto.FLOAT, [1]),
    ]
    graph = helper.make_graph(
        _topological(nodes),
        "dxops_differential",
        inputs,
        outputs,
        list(common.graph.initializer) + g.initializers,
    )
    opsets = {o.domain: o.version for o in common.opset_import}
    opsets[""] = OPSET
    onnx_model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid(d, v) for d, v in opsets.items()], producer_name="dxops"
    )
    onnx_model.ir_version = 9  # onnxruntime 1.2x and onnxruntime-node read IR 9
    onnx.checker.check_model(onnx_model, full_check=False)
    return onnx_model


def _topological(nodes: list) -> list:
    """ONNX needs nodes in dependency order; ours reference the spliced common graph's outputs."""
    produced = {o for n in nodes for o in n.output}
    ready = {"observed", "excluded", "evidence", "age", "sex"}
    ordered, pending = [], list(nodes)
    while pending:
        progressed = False
        rest = []
        for n in pending:
            if all(i == "" or i in ready or i not in produced for i in n.input):
                ordered.append(n)
                ready.update(n.output)
                progressed = True
            else:
                rest.append(n)
        if not progressed:
            raise ValueError(f"ONNX graph has a cycle or a missing input near node {rest[0].name}")
        pending = rest
    return ordered
