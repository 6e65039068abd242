"""Checks of the labels and anomaly scores that the metrics receive."""

import math
import numbers

import numpy as np
from sklearn.utils import check_consistent_length, column_or_1d, get_tags


def _estimator_type(estimator):
    """Return the scikit-learn estimator type, or None for duck-typed objects."""
    try:
        return get_tags(estimator).estimator_type
    except AttributeError:
        return None


def _check_not_supervised(estimator, caller):
    # A classifier's decision_function grows with the positive class, the
    # opposite of a detector's, so negating it would silently flip the ranking.
    kind = _estimator_type(estimator)
    if kind in ("classifier", "regressor"):
        raise TypeError(
            f"{caller} expects a fitted outlier detector (or a Pipeline ending in "
            f"one); got a {kind}, {type(estimator).__name__}. Use scikit-learn's "
            "own scorers for classifiers and regressors."
        )


def _check_scores(anomaly_scores, y):
    scores = column_or_1d(np.asarray(anomaly_scores, dtype=np.float64))
    check_consistent_length(y, scores)
    if not np.all(np.isfinite(scores)):
        raise ValueError("anomaly_scores contains NaN or infinity.")
    return scores


def _fraction_to_count(fraction, n_samples):
    # Round away representation error first: 0.29 * 100 is 28.999999999999996.
    return math.floor(round(fraction * n_samples, 9))


def _rows_of(k, n_samples, name="k"):
    """Turn ``k``, a count or a fraction of rows (already validated), into a count.

    Only the bounds that depend on the data are checked here.
    """
    if isinstance(k, numbers.Integral):
        if k > n_samples:
            raise ValueError(
                f"{name}={k} must be between 1 and the number of rows ({n_samples})."
            )
        return int(k)
    count = _fraction_to_count(k, n_samples)
    if count < 1:
        raise ValueError(
            f"{name}={k} of {n_samples} rows is less than one row; pass a "
            "larger fraction or more rows."
        )
    return count
