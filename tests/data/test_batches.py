"""Batch slicing over prepared dense and sparse rows."""

import numpy as np
import pytest
import scipy.sparse as sp
import torch

from skfraud.data import BatchIterator, TabularData


def _rows_seen(iterator):
    return torch.cat([X_batch[:, 0] for X_batch, _ in iterator]).long().tolist()


@pytest.fixture
def dense():
    X = np.arange(10, dtype=np.float32).repeat(3).reshape(10, 3)  # row i is all i
    return X


def test_sequential_batches_cover_rows_in_order(dense):
    iterator = BatchIterator(TabularData(dense), batch_size=4)
    assert len(iterator) == 3
    assert [len(X_batch) for X_batch, _ in iterator] == [4, 4, 2]
    assert _rows_seen(iterator) == list(range(10))


def test_shuffled_epochs_are_permutations_that_differ(dense):
    data = TabularData(dense, generator=torch.Generator().manual_seed(0))
    first = _rows_seen(BatchIterator(data, batch_size=3, shuffle=True))
    second = _rows_seen(BatchIterator(data, batch_size=3, shuffle=True))
    assert sorted(first) == sorted(second) == list(range(10))
    assert first != second


def test_shuffling_is_reproducible_from_the_generator(dense):
    def epochs(seed):
        data = TabularData(dense, generator=torch.Generator().manual_seed(seed))
        return [_rows_seen(BatchIterator(data, 4, shuffle=True)) for _ in range(3)]

    assert epochs(1) == epochs(1)
    assert epochs(1) != epochs(2)


def test_targets_follow_their_rows(dense):
    y = np.arange(10) % 2
    data = TabularData(dense, y, generator=torch.Generator().manual_seed(0))
    for X_batch, y_batch in BatchIterator(data, 3, shuffle=True):
        assert torch.equal(y_batch, (X_batch[:, 0] % 2))


def test_sparse_rows_are_densified_per_batch_with_the_same_values(dense):
    X = sp.random(50, 7, density=0.2, format="csr", random_state=0, dtype=np.float64)
    data = TabularData(X, generator=torch.Generator().manual_seed(0))
    assert data.is_sparse
    batches = list(BatchIterator(data, 16))
    assert all(batch.layout == torch.strided for batch, _ in batches)
    assert max(len(batch) for batch, _ in batches) == 16
    dense_again = torch.cat([batch for batch, _ in batches]).numpy()
    np.testing.assert_allclose(dense_again, X.toarray().astype(np.float32))
    shuffled = torch.cat([b for b, _ in BatchIterator(data, 16, shuffle=True)])
    np.testing.assert_allclose(
        np.sort(shuffled.numpy(), axis=0), np.sort(X.toarray(), axis=0), rtol=1e-6
    )


def test_dense_float32_input_is_not_copied(dense):
    data = TabularData(dense)
    assert np.shares_memory(data.X.numpy(), dense)


def test_read_only_input_is_accepted(dense):
    dense.setflags(write=False)
    data = TabularData(dense)
    assert torch.equal(data.rows(slice(0, 2))[0], torch.from_numpy(dense[:2].copy()))


@pytest.mark.parametrize("sparse", [False, True])
def test_subset_keeps_selected_rows(dense, sparse):
    X = sp.csr_matrix(dense) if sparse else dense
    data = TabularData(X, np.arange(10), generator=torch.Generator())
    subset = data.subset(torch.tensor([7, 2, 5]))
    assert len(subset) == 3
    X_batch, y_batch = subset.rows(slice(0, 3))
    assert X_batch[:, 0].tolist() == [2.0, 5.0, 7.0]
    assert y_batch.tolist() == [2.0, 5.0, 7.0]
