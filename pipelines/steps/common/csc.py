"""Column reads of a CSC matrix without scipy's indexing machinery.

``matrix[:, j]`` validates its index and builds a new sparse matrix on every call: for one column that costs about
0.2 ms, and the scorers read tens of thousands of columns per pipeline step (a third of EvaluateModel's time). The
stored entries of column ``j`` are a slice of the matrix's own arrays, in the same order, so the results are the same.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse


def column(matrix: sparse.csc_matrix, j: int) -> tuple[np.ndarray, np.ndarray]:
    """(row indices, values) of the stored entries of column ``j``."""
    start, end = matrix.indptr[j], matrix.indptr[j + 1]
    return matrix.indices[start:end], matrix.data[start:end]


def row_sums(matrix: sparse.csc_matrix, columns: list[int]) -> np.ndarray:
    """``matrix[:, columns].sum(axis=1)`` as a flat array: each row's entries in those columns, added in float32 in
    the order of ``columns``, as scipy's product with a vector of ones adds them."""
    out = np.zeros(matrix.shape[0], matrix.dtype)
    for j in columns:
        rows, values = column(matrix, j)
        out[rows] += values
    return out


def any_in_rows(matrix: sparse.csc_matrix, columns: list[int]) -> np.ndarray:
    """[rows] bool: a row has a stored entry in one of ``columns`` (the matrices it reads hold ones)."""
    out = np.zeros(matrix.shape[0], bool)
    for j in columns:
        out[column(matrix, j)[0]] = True
    return out
