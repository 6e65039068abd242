"""Fast batch iteration over dense and sparse tabular data, and column statistics."""

from skfraud.data._balanced import BalancedBatchIterator
from skfraud.data._batches import BatchIterator, TabularData
from skfraud.data._pairs import PairBatchIterator
from skfraud.data._standardize import STD_EPS, column_mean_std

__all__ = [
    "STD_EPS",
    "BalancedBatchIterator",
    "BatchIterator",
    "PairBatchIterator",
    "TabularData",
    "column_mean_std",
]
