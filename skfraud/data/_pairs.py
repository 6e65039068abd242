"""Batches of row pairs for pairwise relation learning.

A pair holds two labelled anomalies, a labelled anomaly and an unlabelled
row, or two unlabelled rows. With a handful of labelled anomalies among
thousands of unlabelled rows, pairs drawn at random would almost never hold
an anomaly; every batch instead holds the three kinds in fixed proportions.
"""

import torch

from skfraud.data._labelled import LabelledBatches, fill_iterator_doc

__all__ = ["PairBatchIterator"]


def _distinct_pairs(rows, n_pairs, generator):
    """``(n_pairs, 2)`` positions into ``rows``: two different rows a pair,
    unless there is only one row."""
    first = torch.randint(len(rows), (n_pairs,), generator=generator)
    if len(rows) == 1:
        return rows[torch.stack([first, first], dim=1)]
    shift = torch.randint(1, len(rows), (n_pairs,), generator=generator)
    return rows[torch.stack([first, (first + shift) % len(rows)], dim=1)]


@fill_iterator_doc
class PairBatchIterator(LabelledBatches):
    """Fixed number of batches of row pairs, the three kinds in fixed shares.

    Each batch of ``batch_size`` pairs holds ``batch_size // 4`` pairs of two
    labelled anomalies, ``batch_size // 4`` pairs of a labelled anomaly and
    an unlabelled row (in random order within the pair, so that the network
    sees the anomaly on either side), and the rest, about half, pairs of two
    unlabelled rows. The two rows of a same-kind pair differ whenever that
    kind has more than one row. All draws come from ``dataset.generator``, so
    a seeded generator gives the same batches.

    A batch is ``(X_pairs, n_anomalies)``: ``X_pairs`` of shape
    ``(batch_size, 2, n_features)`` and, for every pair, the number of
    labelled anomalies in it (0, 1 or 2, as float32), which the loss turns
    into the pair's ordinal target.

    Parameters
    ----------
    %(dataset)s
    batch_size : int
        Pairs per batch, at least 4 (one of each kind and a second
        unlabelled pair).
    %(n_batches)s

    Examples
    --------
    %(example_data)s
    >>> X_pairs, n_anomalies = next(iter(PairBatchIterator(data, 8, n_batches=1)))
    >>> tuple(X_pairs.shape), n_anomalies.tolist()
    ((8, 2, 1), [2.0, 2.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0])
    """

    kind = "Pair batches"
    holds = "three kinds of pairs"
    min_batch_size = 4

    def _pair_counts(self):
        n_both = n_mixed = self.batch_size // 4
        return n_both, n_mixed, self.batch_size - n_both - n_mixed

    def __iter__(self):
        anomalies, unlabelled = self._class_rows()
        generator = self.dataset.generator
        n_both, n_mixed, n_neither = self._pair_counts()
        n_anomalies = torch.cat(
            [torch.full((n_both,), 2.0), torch.ones(n_mixed), torch.zeros(n_neither)]
        )
        if not self.dataset.is_sparse:
            n_anomalies = n_anomalies.to(self.dataset.device)
        for _ in range(self.n_batches):
            both = _distinct_pairs(anomalies, n_both, generator)
            mixed = torch.stack(
                [
                    anomalies[
                        torch.randint(len(anomalies), (n_mixed,), generator=generator)
                    ],
                    unlabelled[
                        torch.randint(len(unlabelled), (n_mixed,), generator=generator)
                    ],
                ],
                dim=1,
            )
            swap = torch.rand(n_mixed, generator=generator) < 0.5
            mixed[swap] = mixed[swap].flip(1)
            neither = _distinct_pairs(unlabelled, n_neither, generator)
            pairs = torch.cat([both, mixed, neither])
            # Left rows then right rows, so one indexing densifies both.
            index = pairs.T.reshape(-1)
            if not self.dataset.is_sparse:
                index = index.to(self.dataset.device)
            X_rows, _ = self.dataset.rows(index)
            X_pairs = X_rows.view(2, self.batch_size, -1).transpose(0, 1)
            yield X_pairs, n_anomalies.to(X_pairs.device)
