"""The column reads must give what scipy's indexing gives, to the last bit: the pipeline's outputs depend on it."""

import numpy as np
from scipy import sparse

from common.csc import any_in_rows, column, row_sums


def _matrix(seed: int = 3) -> sparse.csc_matrix:
    rng = np.random.default_rng(seed)
    dense = rng.normal(size=(40, 30)).astype(np.float32)
    dense[rng.random(dense.shape) < 0.8] = 0.0
    return sparse.csc_matrix(dense)


def test_column_is_scipys_column():
    m = _matrix()
    for j in range(m.shape[1]):
        rows, values = column(m, j)
        ref = m[:, j]
        assert rows.tolist() == ref.indices.tolist()
        assert values.tolist() == ref.data.tolist()


def test_row_sums_equal_scipys_bit_for_bit():
    m = _matrix()
    rng = np.random.default_rng(5)
    for _ in range(50):
        cols = sorted(rng.choice(m.shape[1], int(rng.integers(1, 30)), replace=False).tolist())
        expected = np.asarray(m[:, cols].sum(axis=1)).ravel()
        got = row_sums(m, cols)
        assert got.dtype == expected.dtype
        assert np.array_equal(got, expected)


def test_row_sums_of_no_column_are_zero():
    assert not row_sums(_matrix(), []).any()


def test_any_in_rows_marks_rows_with_an_entry_in_a_column():
    m = sparse.csc_matrix(np.array([[1, 0, 0], [0, 1, 0], [0, 0, 0], [1, 0, 1]], np.float32))
    assert any_in_rows(m, [0]).tolist() == [True, False, False, True]
    assert any_in_rows(m, [1, 2]).tolist() == [False, True, False, True]
    assert not any_in_rows(m, []).any()
