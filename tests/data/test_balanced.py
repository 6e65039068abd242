"""Balanced batches: half labelled anomalies, half unlabelled rows."""

import numpy as np
import pytest
import scipy.sparse as sp
import torch

from skfraud.data import BalancedBatchIterator, TabularData


def make_data(n_unlabelled=90, n_anomalies=10, seed=0, sparse=False):
    # Column 0 is the row number, so that batches reveal which rows they hold.
    X = np.arange(n_unlabelled + n_anomalies, dtype=np.float32)[:, None]
    y = np.r_[np.zeros(n_unlabelled), np.ones(n_anomalies)]
    if sparse:
        X = sp.csr_matrix(np.hstack([X, np.zeros_like(X)]))
    return TabularData(X, y, generator=torch.Generator().manual_seed(seed))


def rows_of(batches):
    return [X_batch[:, 0].long().tolist() for X_batch, _ in batches]


@pytest.mark.parametrize("batch_size", [8, 7, 64])
def test_every_batch_is_half_labelled_anomalies(batch_size):
    data = make_data()
    batches = list(BalancedBatchIterator(data, batch_size=batch_size, n_batches=5))
    assert len(batches) == 5
    for X_batch, y_batch in batches:
        assert X_batch.shape == (batch_size, 1)
        assert int(y_batch.sum()) == batch_size // 2
        # the targets belong to the rows: rows 90-99 are the anomalies
        assert torch.equal(y_batch, (X_batch[:, 0] >= 90).float())


def test_len_is_the_fixed_number_of_batches():
    data = make_data()
    assert len(BalancedBatchIterator(data, batch_size=512, n_batches=20)) == 20


def test_same_seed_same_batches_other_seed_other_batches():
    first = rows_of(BalancedBatchIterator(make_data(seed=3), 16, n_batches=4))
    again = rows_of(BalancedBatchIterator(make_data(seed=3), 16, n_batches=4))
    other = rows_of(BalancedBatchIterator(make_data(seed=4), 16, n_batches=4))
    assert first == again
    assert first != other


def test_unlabelled_rows_all_drawn_before_any_repeats():
    data = make_data(n_unlabelled=10, n_anomalies=2)
    # 5 batches of 4 unlabelled rows: 20 draws, two full passes over 10 rows
    batches = rows_of(BalancedBatchIterator(data, batch_size=8, n_batches=5))
    unlabelled = [row for batch in batches for row in batch if row < 10]
    assert sorted(unlabelled[:10]) == list(range(10))
    assert np.bincount(unlabelled).tolist() == [2] * 10


def test_anomalies_are_drawn_with_replacement():
    data = make_data(n_unlabelled=50, n_anomalies=1)
    batches = rows_of(BalancedBatchIterator(data, batch_size=10, n_batches=2))
    assert all(batch[:5] == [50] * 5 for batch in batches)


def test_sparse_rows_come_out_dense():
    data = make_data(sparse=True)
    X_batch, y_batch = next(iter(BalancedBatchIterator(data, 6, n_batches=1)))
    assert X_batch.shape == (6, 2) and X_batch.layout == torch.strided
    assert int(y_batch.sum()) == 3


@pytest.mark.parametrize(
    ("y", "message"),
    [
        (np.zeros(10), "no labelled anomalies"),
        (np.ones(10), "no unlabelled rows"),
    ],
)
def test_missing_class_is_a_clear_error(y, message):
    data = TabularData(np.zeros((10, 2)), y)
    with pytest.raises(ValueError, match=message):
        next(iter(BalancedBatchIterator(data, 4, n_batches=1)))


def test_bad_arguments():
    with pytest.raises(ValueError, match="targets"):
        BalancedBatchIterator(TabularData(np.zeros((4, 2))), 4, n_batches=1)
    with pytest.raises(ValueError, match="at least 2"):
        BalancedBatchIterator(make_data(), 1, n_batches=1)
    with pytest.raises(ValueError, match="n_batches"):
        BalancedBatchIterator(make_data(), 4, n_batches=0)
