"""Fast batch iteration over dense and sparse tabular data."""

from skfraud.data._balanced import BalancedBatchIterator
from skfraud.data._batches import BatchIterator, TabularData

__all__ = ["BalancedBatchIterator", "BatchIterator", "TabularData"]
