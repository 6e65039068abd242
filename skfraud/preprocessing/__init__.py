"""Turning transaction tables into what detectors and classifiers read.

:func:`make_preprocessor` is the recipe for tabular fraud data: one-hot
encoded categorical columns and min-max scaled numeric ones, chosen by
dtype. :class:`DetectorScores` adds the anomaly scores of unsupervised
detectors as features for a classifier trained on a few labelled frauds
(XGBOD).
"""

# The column selectors and the missing-value step that make_preprocessor's
# ColumnTransformer holds: model files name them by this module's path.
from skfraud.preprocessing._columns import _ColumnsByDtype as _ColumnsByDtype
from skfraud.preprocessing._columns import _ListedColumns as _ListedColumns
from skfraud.preprocessing._columns import _missing_as_nan as _missing_as_nan
from skfraud.preprocessing._columns import make_preprocessor
from skfraud.preprocessing._detector_scores import DetectorScores

__all__ = ["DetectorScores", "make_preprocessor"]
