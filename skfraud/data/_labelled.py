"""What the iterators over labelled anomalies and unlabelled rows share."""

import torch

from skfraud._docstrings import fill_texts

__all__ = ["LabelledBatches"]

# Docstring texts of the iterators over labelled anomalies, written once.
_DOC_TEXTS = {
    "dataset": """dataset : TabularData
        Rows with targets ``y`` (1 = labelled anomaly, 0 = unlabelled).""",
    "n_batches": """n_batches : int
        Batches per pass (per training epoch).""",
}

# The Examples' first lines: a seeded dataset of 95 unlabelled rows and 5
# labelled anomalies.
_EXAMPLE_DATA = """>>> import numpy as np
    >>> import torch
    >>> from skfraud.data import %s, TabularData
    >>> y = np.r_[np.zeros(95), np.ones(5)]
    >>> data = TabularData(np.arange(100.0)[:, None], y,
    ...                    generator=torch.Generator().manual_seed(0))"""


def fill_iterator_doc(cls):
    """Fill the shared texts of an iterator's docstring."""
    return fill_texts(**_DOC_TEXTS, example_data=_EXAMPLE_DATA % cls.__name__)(cls)


class LabelledBatches:
    """Base of the iterators that draw a fixed number of batches per pass from
    the labelled anomalies (``y == 1``) and the unlabelled rows (``y == 0``).

    A subclass names its batches (``kind``), says what one holds (``holds``)
    and the smallest ``batch_size`` that holds it, and implements
    ``__iter__`` with :meth:`_class_rows`.
    """

    kind = "Labelled batches"
    holds = "labelled anomalies and unlabelled rows"
    min_batch_size = 2

    def __init__(self, dataset, batch_size, n_batches):
        if batch_size < self.min_batch_size:
            raise ValueError(
                f"{self.kind} hold {self.holds}, so batch_size must be at least "
                f"{self.min_batch_size}; got {batch_size}."
            )
        if n_batches < 1:
            raise ValueError(f"n_batches must be at least 1; got {n_batches}.")
        if dataset.y is None:
            raise ValueError(f"{self.kind} need targets: dataset.y is None.")
        self.dataset = dataset
        self.batch_size = batch_size
        self.n_batches = n_batches

    def __len__(self):
        return self.n_batches

    def _class_rows(self):
        """Positions of the labelled anomalies and of the unlabelled rows."""
        y = self.dataset.y.cpu()
        anomalies = torch.nonzero(y == 1).squeeze(1)
        unlabelled = torch.nonzero(y == 0).squeeze(1)
        if len(anomalies) == 0 or len(unlabelled) == 0:
            missing = (
                "labelled anomalies (y == 1)"
                if len(anomalies) == 0
                else "unlabelled rows (y == 0)"
            )
            raise ValueError(
                f"{self.kind} need both classes, but the training rows have no "
                f"{missing}. With early_stopping, the validation split may have "
                "taken every labelled anomaly: label more anomalies or turn "
                "early_stopping off."
            )
        return anomalies, unlabelled
