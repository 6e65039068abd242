"""Validation of the 0/1 labels that semi-supervised detectors learn from."""

import numpy as np
from sklearn.utils.validation import check_consistent_length, column_or_1d

__all__ = ["check_anomaly_labels"]


def check_anomaly_labels(y, X):
    """``y`` as a float32 vector of 0 (unlabelled) and 1 (known anomaly).

    Parameters
    ----------
    y : array-like of shape (n_samples,)
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        The rows ``y`` labels; only its length is used.

    Returns
    -------
    y : ndarray of shape (n_samples,), dtype float32
    """
    y = column_or_1d(y)
    check_consistent_length(X, y)
    values = np.unique(y)
    if not np.isin(values, (0, 1)).all():
        raise ValueError(
            "y must be binary: 1 for a known anomaly, 0 for an unlabelled "
            f"row; got the values {values[:10].tolist()}."
        )
    return y.astype(np.float32)
