"""Batches balanced between labelled anomalies and unlabelled rows.

With a handful of labelled anomalies among thousands of unlabelled rows, a
plain shuffle would show the network a labelled anomaly in almost no batch.
Deviation networks instead train on a fixed number of batches per epoch,
each half labelled anomalies (drawn with replacement) and half unlabelled
rows.
"""

import math

import torch

from skfraud.data._labelled import LabelledBatches, fill_iterator_doc

__all__ = ["BalancedBatchIterator"]


@fill_iterator_doc
class BalancedBatchIterator(LabelledBatches):
    """Fixed number of batches, half labelled anomalies, half unlabelled rows.

    Each batch holds ``batch_size // 2`` rows with ``y == 1``, drawn with
    replacement, followed by ``batch_size - batch_size // 2`` rows with
    ``y == 0``. The unlabelled rows of one pass walk through a random
    permutation of all unlabelled rows (a new one whenever it is used up), so
    no unlabelled row repeats before every other has been drawn. All draws
    come from ``dataset.generator``, so a seeded generator gives the same
    batches.

    Parameters
    ----------
    %(dataset)s
    batch_size : int
        Rows per batch, at least 2.
    %(n_batches)s

    Examples
    --------
    %(example_data)s
    >>> batches = list(BalancedBatchIterator(data, batch_size=8, n_batches=3))
    >>> len(batches), [int(y_batch.sum()) for _, y_batch in batches]
    (3, [4, 4, 4])
    """

    kind = "Balanced batches"
    holds = "labelled anomalies and unlabelled rows"
    min_batch_size = 2

    def __iter__(self):
        anomalies, unlabelled = self._class_rows()
        generator = self.dataset.generator
        n_anomalies = self.batch_size // 2
        n_unlabelled = self.batch_size - n_anomalies
        anomaly_draws = torch.randint(
            len(anomalies), (self.n_batches, n_anomalies), generator=generator
        )
        n_needed = self.n_batches * n_unlabelled
        permutations = [
            torch.randperm(len(unlabelled), generator=generator)
            for _ in range(math.ceil(n_needed / len(unlabelled)))
        ]
        unlabelled_draws = torch.cat(permutations)[:n_needed].view(
            self.n_batches, n_unlabelled
        )
        for batch in range(self.n_batches):
            index = torch.cat(
                [anomalies[anomaly_draws[batch]], unlabelled[unlabelled_draws[batch]]]
            )
            if not self.dataset.is_sparse:
                index = index.to(self.dataset.device)
            yield self.dataset.rows(index)
