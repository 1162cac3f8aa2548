"""The orphan ranker as ONNX nodes (opset 18), built with the ONNX helper API.

Sparse columns are stored CSC-style (column pointers, row indices, values). Gathering the columns a request needs
is a "ragged range" expansion done without a Loop: segment starts are marked with a scatter-add, a cumulative sum
turns them into segment ids, and every touched entry is then a single Gather. The cost is proportional to the
entries touched, not to the size of the knowledge base.
"""

from __future__ import annotations

import numpy as np
from onnx import TensorProto, helper, numpy_helper
from scipy import sparse

from common.orphan_model import OrphanMatrices, OrphanParams


class GraphBuilder:
    """Collects nodes and initializers; ``const`` names are unique per prefix."""

    def __init__(self, prefix: str):
        self.prefix = prefix
        self.nodes: list = []
        self.initializers: list = []
        self._n = 0

    def name(self, hint: str) -> str:
        self._n += 1
        return f"{self.prefix}{hint}_{self._n}"

    def const(self, value, hint: str = "c", dtype=None) -> str:
        arr = np.asarray(value, dtype=dtype)
        name = self.name(hint)
        self.initializers.append(numpy_helper.from_array(arr, name))
        return name

    def op(self, op_type: str, inputs: list[str], hint: str | None = None, **attrs) -> str:
        out = self.name(hint or op_type.lower())
        self.nodes.append(helper.make_node(op_type, inputs, [out], name=out, **attrs))
        return out


def ragged_columns(g: GraphBuilder, colptr: str, cols: str) -> tuple[str, str]:
    """For column indices ``cols`` [J], returns (entry index [L], segment id [L]) over the CSC arrays."""
    one = g.const([1], "one", np.int64)
    starts = g.op("Gather", [colptr, cols])
    ends = g.op("Gather", [colptr, g.op("Add", [cols, one])])
    lengths = g.op("Sub", [ends, starts])
    zero_axis = g.const(0, "axis0", np.int64)
    inclusive = g.op("CumSum", [lengths, zero_axis])
    offsets = g.op("Sub", [inclusive, lengths])
    total = g.op("ReduceSum", [lengths], keepdims=0)
    positions = g.op("Range", [g.const(0, "zero", np.int64), total, g.const(1, "step", np.int64)])
    marks0 = g.op(
        "ConstantOfShape",
        [g.op("Reshape", [g.op("Add", [total, one]), one])],
        value=helper.make_tensor("v", TensorProto.INT64, [1], [0]),
    )
    ones = g.op(
        "ConstantOfShape",
        [g.op("Shape", [offsets])],
        value=helper.make_tensor("v", TensorProto.INT64, [1], [1]),
    )
    marks = g.op("ScatterElements", [marks0, offsets, ones], reduction="add")
    marks = g.op("Slice", [marks, g.const([0], "s0", np.int64), g.op("Reshape", [total, one])])
    segment = g.op("Sub", [g.op("CumSum", [marks, zero_axis]), one])
    # entry = starts[segment] + (position - offsets[segment]); the shift is formed per column, then gathered once
    entry = g.op("Add", [positions, g.op("Gather", [g.op("Sub", [starts, offsets]), segment])])
    return entry, segment


def csc_arrays(g: GraphBuilder, matrix: sparse.csc_matrix, hint: str, pad_columns: int = 1, transform=None):
    """Initializers for a CSC matrix with ``pad_columns`` extra empty columns (for the padding index); ``transform``
    maps the stored values (in CSC order) before they become an initializer."""
    m = matrix.tocsc()
    m.sort_indices()
    colptr = np.concatenate([m.indptr, np.full(pad_columns, m.indptr[-1])]).astype(np.int64)
    data = m.data if transform is None else transform(m.data)
    return (
        g.const(colptr, f"{hint}_colptr"),
        g.const(m.indices.astype(np.int64), f"{hint}_rows"),
        g.const(np.asarray(data).astype(np.float32), f"{hint}_vals"),
    )


def orphan_scores(
    g: GraphBuilder,
    m: OrphanMatrices,
    p: OrphanParams,
    observed: str,
    excluded: str,
    age: str,
    sex: str,
    closure: str,
) -> str:
    """Adds the orphan score computation; returns the name of the [D] score tensor (before temperature)."""
    n_dis, n_terms = m.profile.shape
    d_const = g.const([n_dis], "ndis", np.int64)
    # --- per observed term: best discounted match over its ancestors, floored at eps, in log space. The logs are
    # taken of the constants, not at run time: log(gamma^dist * F / b) = dist * log(gamma) + log(F / b), and since
    # log is monotone, log(max(v, eps)) is the max of the touched entries' logs over a grid that starts at log(eps).
    # The weights are folded in too (w * max x = max w * x for w >= 0, min for w < 0), so the only passes over the
    # [findings x diseases] grid are its initialisation, the two scatters and the sum.
    k = m.ancestors.shape[1]
    anc = g.op("Gather", [g.const(m.ancestors, "anc"), observed])  # [N, K]
    real = m.ancestors < n_terms
    log_weight = np.where(real, p.w_match * m.distances * np.log(p.gamma), 0).astype(np.float32)
    ic_table = np.where(real, p.w_ic * m.ic[np.minimum(m.ancestors, n_terms - 1)], 0).astype(np.float32)
    m1 = g.const([-1], "m1", np.int64)
    flat_t = g.op("Reshape", [anc, m1])
    if m.profile.nnz and m.profile.data.min() <= 0:
        raise ValueError(
            "the orphan profile must hold positive likelihood ratios only (explicit zeros found)"
        )
    colptr, rows, log_vals = csc_arrays(g, m.profile, "profile", transform=lambda v: p.w_match * np.log(v))
    entry, segment = ragged_columns(g, colptr, flat_t)
    # the grid cell of each touched entry: finding (segment // K) times D plus the disease (the entry's row)
    pairs = g.op(
        "Range", [g.const(0, "zero", np.int64), g.op("Size", [flat_t]), g.const(1, "step", np.int64)]
    )
    pair_offset = g.op("Mul", [g.op("Div", [pairs, g.const(k, "k", np.int64)]), d_const])  # [N*K], small
    target = g.op("Add", [g.op("Gather", [pair_offset, segment]), g.op("Gather", [rows, entry])])
    per_pair = g.op(
        "Gather", [g.op("Reshape", [g.op("Gather", [g.const(log_weight, "ancw"), observed]), m1]), segment]
    )
    value = g.op("Add", [g.op("Gather", [log_vals, entry]), per_pair])
    n_obs = g.op("Shape", [observed])
    cells = g.op("Mul", [n_obs, d_const])
    floor = float(np.float32(p.w_match * np.log(p.epsilon)))
    match0 = g.op("ConstantOfShape", [cells], value=helper.make_tensor("v", TensorProto.FLOAT, [1], [floor]))
    match = g.op("ScatterElements", [match0, target, value], reduction="max" if p.w_match >= 0 else "min")
    # --- IC similarity (Phenomizer-style): the same entries, valued by their ancestor's (weighted) information content
    ic0 = g.op("ConstantOfShape", [cells], value=helper.make_tensor("v", TensorProto.FLOAT, [1], [0.0]))
    ic_value = g.op(
        "Gather", [g.op("Reshape", [g.op("Gather", [g.const(ic_table, "anc_ic"), observed]), m1]), segment]
    )
    ic_acc = g.op("ScatterElements", [ic0, target, ic_value], reduction="max" if p.w_ic >= 0 else "min")
    grid = g.op("Concat", [n_obs, d_const], axis=0)
    per_term = g.op("Reshape", [g.op("Add", [match, ic_acc]), grid])
    score = g.op("ReduceSum", [per_term, g.const([0], "ax0", np.int64)], keepdims=0)
    # the padding term (index T, sent when a request has no observed finding) touches nothing, so its row holds the
    # floor alone; taking it back out is one scalar per padding row instead of a mask over the whole grid
    padding = g.op(
        "Cast", [g.op("Equal", [observed, g.const(n_terms, "nt", np.int64)])], to=TensorProto.FLOAT
    )
    n_padding = g.op("ReduceSum", [padding, g.const([0], "ax0", np.int64)], keepdims=0)
    score = g.op("Sub", [score, g.op("Mul", [n_padding, g.const(np.float32(floor), "floor")])])
    # --- explicitly excluded findings: sum of log(1 - F) over their columns
    ecolptr, erows, evals = csc_arrays(g, m.excluded_log, "excl")
    eentry, _ = ragged_columns(g, ecolptr, excluded)
    zeros_d = g.op("ConstantOfShape", [d_const], value=helper.make_tensor("v", TensorProto.FLOAT, [1], [0.0]))
    excl = g.op(
        "ScatterElements",
        [zeros_d, g.op("Gather", [erows, eentry]), g.op("Gather", [evals, eentry])],
        reduction="add",
    )
    score = g.op("Add", [score, g.op("Mul", [excl, g.const(np.float32(p.w_excluded), "wex")])])
    # --- annotations shown by the patient (closure) are not missing; NOT annotations inside the closure contradict
    # (the total missing cost minus the shown annotations' share), scaled by how many findings the case lists
    missing = g.op(
        "Add",
        [
            _closure_sum(g, m.missing_log, closure, zeros_d, -p.w_missing, "miss"),
            _missing_total(g, m, p, sex),
        ],
    )
    if p.missing_full_at > 0:
        n_listed = g.op("Sub", [g.op("Cast", [n_obs], to=TensorProto.FLOAT), n_padding])
        share = g.op(
            "Min",
            [
                g.op("Div", [n_listed, g.const(np.float32([p.missing_full_at]), "miss_full")]),
                g.const(np.float32([1.0]), "one_f"),
            ],
        )
        missing = g.op("Mul", [missing, share])
    score = g.op("Add", [score, missing])
    score = g.op("Add", [score, _closure_sum(g, m.not_annot, closure, zeros_d, p.w_not, "not")])
    # --- per-disease constants: size, transferred profile, literature, source and gene priors
    const = (
        p.w_size * m.size
        + p.w_transferred * m.transferred
        + p.w_references * m.references
        + p.w_orphanet * m.orphanet
        + p.w_gene * m.gene
    )
    score = g.op("Add", [score, g.const(const.astype(np.float32), "dconst")])
    # --- onset and sex
    known_age = g.op(
        "Cast", [g.op("GreaterOrEqual", [age, g.const(np.float32([0]), "z")])], to=TensorProto.FLOAT
    )
    onset = m.onset_min.astype(np.float32)
    too_young = g.op(
        "Cast",
        [g.op("Less", [age, g.const(np.where(onset >= 0, onset * 0.8, -1).astype(np.float32), "onset")])],
        to=TensorProto.FLOAT,
    )
    score = g.op(
        "Add",
        [score, g.op("Mul", [g.op("Mul", [too_young, known_age]), g.const(np.float32(p.w_onset), "won")])],
    )
    sex_mismatch = g.op(
        "Cast",
        [
            g.op(
                "And",
                [
                    g.op("Greater", [sex, g.const([0], "z0", np.int64)]),
                    g.op(
                        "And",
                        [
                            g.const(m.sex != 0, "sexspec"),
                            g.op("Not", [g.op("Equal", [g.const(m.sex, "dsex"), sex])]),
                        ],
                    ),
                ],
            )
        ],
        to=TensorProto.FLOAT,
    )
    return g.op(
        "Add", [score, g.op("Mul", [sex_mismatch, g.const(np.float32(p.w_sex), "wsex")])], hint="orphan_score"
    )


def _closure_sum(
    g: GraphBuilder, matrix: sparse.csc_matrix, closure: str, zeros_d: str, weight: float, hint: str
) -> str:
    """weight * sum of the matrix columns of the closure terms, as a [D] vector (only those columns are touched)."""
    colptr, rows, vals = csc_arrays(g, matrix, hint)
    terms = g.op("Reshape", [g.op("NonZero", [closure]), g.const([-1], "m1", np.int64)])
    entry, _ = ragged_columns(g, colptr, terms)
    summed = g.op(
        "ScatterElements",
        [zeros_d, g.op("Gather", [rows, entry]), g.op("Gather", [vals, entry])],
        reduction="add",
    )
    return g.op("Mul", [summed, g.const(np.float32(weight), f"{hint}_w")])


def _multi_hot(g: GraphBuilder, idx: str, n_terms: int, hint: str) -> str:
    """[T+1] float vector with 1 at every index of the 1-D ``idx``; index T (padding) never counts."""
    ones = g.op(
        "ConstantOfShape",
        [g.op("Shape", [idx])],
        value=helper.make_tensor("v", TensorProto.FLOAT, [1], [1.0]),
    )
    hit = g.op(
        "ScatterElements",
        [g.const(np.zeros(n_terms + 1, np.float32), f"{hint}0"), idx, ones],
        reduction="max",
    )
    mask = np.ones(n_terms + 1, np.float32)
    mask[n_terms] = 0
    return g.op("Mul", [hit, g.const(mask, f"{hint}_padmask")], hint=hint)


def observed_vector(g: GraphBuilder, observed: str, n_terms: int) -> str:
    """[T+1] float vector with 1 at every observed term itself; index T (padding) stays 0."""
    return _multi_hot(
        g, g.op("Reshape", [observed, g.const([-1], "m1", np.int64)]), n_terms, "observed_vector"
    )


def closure_vector(g: GraphBuilder, full_ancestors: list[list[int]], observed: str, n_terms: int) -> str:
    """[T+1] float vector with 1 at every ancestor (self included) of the observed terms; index T is padding."""
    width = max(len(a) for a in full_ancestors)
    table = np.full((n_terms + 1, width), n_terms, dtype=np.int64)
    for t, anc in enumerate(full_ancestors):
        table[t, : len(anc)] = anc
    idx = g.op(
        "Reshape", [g.op("Gather", [g.const(table, "fullanc"), observed]), g.const([-1], "m1", np.int64)]
    )
    return _multi_hot(g, idx, n_terms, "closure")


def _missing_total(g: GraphBuilder, m: OrphanMatrices, p: OrphanParams, sex: str) -> str:
    """w_missing times the total missing cost [D] for the patient's sex (OrphanMatrices.missing_by_sex): row 0 for
    unknown, 1 female, 2 male; any other code reads row 0, as in the Python scorer (the service sends only these)."""
    table = g.const((p.w_missing * m.missing_by_sex).astype(np.float32), "miss_total_by_sex")
    known = g.op(
        "Cast",
        [
            g.op(
                "Or",
                [
                    g.op("Equal", [sex, g.const([1], "ms1", np.int64)]),
                    g.op("Equal", [sex, g.const([2], "ms2", np.int64)]),
                ],
            )
        ],
        to=TensorProto.INT64,
    )
    row = g.op("Mul", [sex, known])
    return g.op("Reshape", [g.op("Gather", [table, row], axis=0), g.const([-1], "ms_flat", np.int64)])
