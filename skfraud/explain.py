"""Reason codes: the features behind each row's anomaly score."""

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from skfraud._pipeline import final_step, transform_to_final_step

__all__ = ["reason_codes"]


def _feature_names(estimator, detector, n_features):
    """Names of the columns the detector sees, in its input order."""
    preprocessing = getattr(estimator, "best_estimator_", estimator)
    if hasattr(preprocessing, "steps") and len(preprocessing.steps) > 1:
        try:
            return np.asarray(preprocessing[:-1].get_feature_names_out(), dtype=object)
        except (AttributeError, ValueError, TypeError):
            pass
    names = getattr(detector, "feature_names_in_", None)
    if names is not None:
        return np.asarray(names, dtype=object)
    return np.asarray([f"x{i}" for i in range(n_features)], dtype=object)


def _explainable_detector(estimator, needs):
    """The fitted last step of ``estimator``, which must split its score over
    features; ``needs`` opens the error raised otherwise."""
    detector = final_step(estimator)
    if not callable(getattr(detector, "feature_contributions", None)):
        raise TypeError(
            f"{needs} a detector whose score splits over features "
            "(AutoEncoderDetector, VAEDetector or MemAEDetector), or a "
            f"Pipeline ending in one; got {type(detector).__name__}."
        )
    check_is_fitted(detector)
    return detector


def reason_codes(estimator, X, *, n_reasons=3):
    """The features that contribute most to each row's anomaly score.

    A fraud analyst reviewing an alert wants to know why it fired. For the
    reconstruction-based detectors (:class:`~skfraud.AutoEncoderDetector`,
    :class:`~skfraud.VAEDetector`, :class:`~skfraud.MemAEDetector`) the
    anomaly score is a sum over features of how badly each feature was
    reconstructed (see their ``feature_contributions``); the features with
    the largest shares are the row's reason codes.

    Parameters
    ----------
    estimator : estimator instance
        A fitted detector with a ``feature_contributions`` method, or a
        fitted Pipeline (or model search) ending in one. In a Pipeline the
        reasons are named after the columns the detector sees, from the
        earlier steps' ``get_feature_names_out`` (``"cat__Make_Honda"`` for a
        one-hot column of a ``ColumnTransformer``).
    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        Rows to explain, in the form the estimator takes.
    n_reasons : int, default=3
        Reasons per row, at most the number of features the detector sees.

    Returns
    -------
    reasons : pandas.DataFrame of shape (n_samples, 2 * n_reasons + 1)
        ``anomaly_score`` (``-score_samples``), then for ``i = 1 ..
        n_reasons`` the column ``reason_i`` (a feature name, largest
        contribution first) and ``contribution_i`` (its contribution to the
        anomaly score). The index is ``X``'s index when ``X`` is a DataFrame.

    Examples
    --------
    >>> import numpy as np
    >>> from skfraud import AutoEncoderDetector
    >>> from skfraud.explain import reason_codes
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(0.5, 0.05, (300, 4))
    >>> detector = AutoEncoderDetector(max_epochs=20, random_state=0).fit(X)
    >>> odd = np.array([[0.5, 0.5, 3.0, 0.5]])  # unusual in feature x2 only
    >>> reason_codes(detector, odd, n_reasons=2)["reason_1"].tolist()
    ['x2']
    """
    detector = _explainable_detector(estimator, "reason_codes needs")
    index = X.index if isinstance(X, pd.DataFrame) else None
    detector, X_detector = transform_to_final_step(estimator, X)
    contributions = detector.feature_contributions(X_detector)
    n_features = contributions.shape[1]
    if not 1 <= n_reasons <= n_features:
        raise ValueError(
            f"n_reasons must be between 1 and the {n_features} features the "
            f"detector sees; got {n_reasons}."
        )
    names = _feature_names(estimator, detector, n_features)
    # A stable sort keeps the feature order among equal contributions.
    order = np.argsort(-contributions, axis=1, kind="stable")[:, :n_reasons]
    top = np.take_along_axis(contributions, order, axis=1)
    columns = {"anomaly_score": -detector.score_samples(X_detector)}
    for rank in range(n_reasons):
        columns[f"reason_{rank + 1}"] = names[order[:, rank]]
        columns[f"contribution_{rank + 1}"] = top[:, rank]
    return pd.DataFrame(columns, index=index)
