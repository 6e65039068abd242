"""Rows prepared once per fit, iterated by slicing whole batches.

Tabular batches are small, so the per-batch overhead of a ``DataLoader``
collating rows one by one dominates training time. :class:`TabularData`
holds the rows as one tensor on the training device (or, for sparse input,
as a CSR matrix on the host that is densified one batch at a time), and
:class:`BatchIterator` cuts batches out of it with a single indexing
operation. Both plug into skorch as ``dataset`` and ``iterator_train`` /
``iterator_valid``.
"""

import math

import numpy as np
import scipy.sparse as sp
import torch
from torch.utils.data import Dataset

__all__ = ["BatchIterator", "TabularData"]


class TabularData(Dataset):
    """Feature rows (and optional targets) ready for batch slicing.

    Parameters
    ----------
    X : ndarray or sparse matrix of shape (n_samples, n_features)
        Validated numeric input. Dense input becomes one float32 tensor on
        ``device`` (without a copy on the CPU when it is already float32 and
        writable); sparse input stays a CSR matrix on the host.
    y : array-like of shape (n_samples,), default=None
        Targets, kept as a float32 tensor on ``device``.
    device : str or torch.device, default="cpu"
        Where batches are delivered.
    generator : torch.Generator, default=None
        Source of the per-epoch permutations when a shuffling
        :class:`BatchIterator` walks this data. It lives on the dataset, not
        the iterator, because skorch builds a new iterator every epoch.
    """

    def __init__(self, X, y=None, *, device="cpu", generator=None):
        self.device = torch.device(device)
        self.generator = generator
        if sp.issparse(X):
            self.X = sp.csr_matrix(X, dtype=np.float32)
        else:
            X = np.asarray(X, dtype=np.float32)
            if not X.flags.writeable:
                X = X.copy()
            self.X = torch.as_tensor(X, device=self.device)
        self.y = (
            None
            if y is None
            else torch.as_tensor(np.asarray(y, dtype=np.float32), device=self.device)
        )

    @property
    def is_sparse(self):
        return sp.issparse(self.X)

    @property
    def shape(self):
        """``(n_samples, n_features)``.

        skorch sizes a dataset whose ``is_sparse`` is true by its ``shape``
        (as it does a SciPy sparse matrix), in its progress bar for one.
        """
        return self.X.shape

    def __len__(self):
        return self.X.shape[0]

    def __getitem__(self, index):
        return self.rows(slice(index, index + 1))

    def rows(self, index):
        """Return ``(X_batch, y_batch)`` for a slice or a 1-d index tensor.

        ``X_batch`` is a dense float32 tensor on the device; ``y_batch`` is
        ``None`` when there are no targets.
        """
        if self.is_sparse:
            host_index = index if isinstance(index, slice) else index.cpu().numpy()
            X_batch = torch.from_numpy(self.X[host_index].toarray()).to(
                self.device, non_blocking=True
            )
        else:
            X_batch = self.X[index]
        y_batch = None if self.y is None else self.y[index]
        return X_batch, y_batch

    def subset(self, index):
        """A new :class:`TabularData` over the rows in ``index`` (sorted)."""
        index = torch.sort(torch.as_tensor(index)).values
        X = self.X[index.numpy()] if self.is_sparse else self.X[index.to(self.device)]
        subset = TabularData.__new__(TabularData)
        subset.device, subset.generator, subset.X = self.device, self.generator, X
        subset.y = None if self.y is None else self.y[index.to(self.device)]
        return subset


class BatchIterator:
    """Iterate over a :class:`TabularData` in batches of consecutive or
    shuffled rows.

    Parameters
    ----------
    dataset : TabularData
    batch_size : int
    shuffle : bool, default=False
        Draw a new permutation (from ``dataset.generator``) on every pass.
    """

    def __init__(self, dataset, batch_size, shuffle=False):
        self.dataset = dataset
        self.batch_size = batch_size
        self.shuffle = shuffle

    def __len__(self):
        return math.ceil(len(self.dataset) / self.batch_size)

    def __iter__(self):
        n_rows, size = len(self.dataset), self.batch_size
        if not self.shuffle:
            for start in range(0, n_rows, size):
                yield self.dataset.rows(slice(start, start + size))
            return
        order = torch.randperm(n_rows, generator=self.dataset.generator)
        if not self.dataset.is_sparse:
            order = order.to(self.dataset.device)
        for start in range(0, n_rows, size):
            yield self.dataset.rows(order[start : start + size])
