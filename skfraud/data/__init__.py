"""Fast batch iteration over dense and sparse tabular data."""

from skfraud.data._balanced import BalancedBatchIterator
from skfraud.data._batches import BatchIterator, TabularData
from skfraud.data._pairs import PairBatchIterator

__all__ = ["BalancedBatchIterator", "BatchIterator", "PairBatchIterator", "TabularData"]
