"""Pair batches: the three kinds of pairs in fixed shares, reproducibly."""

import numpy as np
import pytest
import scipy.sparse as sp
import torch

from skfraud.data import PairBatchIterator, TabularData


def make_data(n_unlabelled=90, n_anomalies=10, seed=0, sparse=False):
    # Column 0 is the row number, so that pairs reveal which rows they hold;
    # rows from n_unlabelled on are the labelled anomalies.
    X = np.arange(n_unlabelled + n_anomalies, dtype=np.float32)[:, None]
    y = np.r_[np.zeros(n_unlabelled), np.ones(n_anomalies)]
    if sparse:
        X = sp.csr_matrix(np.hstack([X, np.zeros_like(X)]))
    return TabularData(X, y, generator=torch.Generator().manual_seed(seed))


def pair_rows(batches):
    return [X_pairs[:, :, 0].long().tolist() for X_pairs, _ in batches]


@pytest.mark.parametrize("batch_size", [4, 9, 64])
def test_each_kind_has_its_share_and_its_count(batch_size):
    batches = list(PairBatchIterator(make_data(), batch_size, n_batches=5))
    assert len(batches) == 5
    quarter = batch_size // 4
    for X_pairs, n_anomalies in batches:
        assert X_pairs.shape == (batch_size, 2, 1)
        counts = torch.bincount(n_anomalies.long(), minlength=3).tolist()
        assert counts == [batch_size - 2 * quarter, quarter, quarter]
        # the count belongs to the pair: rows 90-99 are the anomalies
        assert torch.equal(n_anomalies, (X_pairs[:, :, 0] >= 90).sum(1).float())


def test_same_kind_pairs_hold_two_different_rows():
    for X_pairs, _ in PairBatchIterator(make_data(n_anomalies=2), 64, n_batches=5):
        assert (X_pairs[:, 0, 0] != X_pairs[:, 1, 0]).all()


def test_a_single_labelled_anomaly_pairs_with_itself():
    X_pairs, n_anomalies = next(iter(PairBatchIterator(make_data(n_anomalies=1), 8, 1)))
    both = X_pairs[n_anomalies == 2, :, 0]
    assert (both == 90).all()


def test_the_anomaly_of_a_mixed_pair_is_on_either_side():
    rows = [
        pair
        for batch in pair_rows(PairBatchIterator(make_data(), 64, n_batches=4))
        for pair in batch
        if (pair[0] >= 90) != (pair[1] >= 90)
    ]
    left = np.mean([pair[0] >= 90 for pair in rows])
    assert len(rows) == 4 * 16
    assert 0.3 < left < 0.7


def test_same_seed_same_pairs_other_seed_other_pairs():
    first = pair_rows(PairBatchIterator(make_data(seed=3), 16, n_batches=3))
    again = pair_rows(PairBatchIterator(make_data(seed=3), 16, n_batches=3))
    other = pair_rows(PairBatchIterator(make_data(seed=4), 16, n_batches=3))
    assert first == again
    assert first != other


def test_sparse_rows_give_the_dense_pairs():
    dense = pair_rows(PairBatchIterator(make_data(seed=1), 16, n_batches=3))
    sparse = pair_rows(PairBatchIterator(make_data(seed=1, sparse=True), 16, 3))
    assert dense == sparse


def test_len_is_the_number_of_batches():
    assert len(PairBatchIterator(make_data(), 512, n_batches=20)) == 20


@pytest.mark.parametrize(
    ("kwargs", "y", "message"),
    [
        ({"batch_size": 3, "n_batches": 1}, "default", "at least 4"),
        ({"batch_size": 8, "n_batches": 0}, "default", "n_batches"),
        ({"batch_size": 8, "n_batches": 1}, None, "need targets"),
    ],
)
def test_bad_arguments(kwargs, y, message):
    data = make_data()
    if y is None:
        data.y = None
    with pytest.raises(ValueError, match=message):
        PairBatchIterator(data, **kwargs)


@pytest.mark.parametrize("label", [0, 1])
def test_one_class_only_is_a_clear_error(label):
    data = TabularData(np.zeros((10, 2)), np.full(10, label))
    with pytest.raises(ValueError, match="need both classes"):
        next(iter(PairBatchIterator(data, 8, n_batches=1)))
