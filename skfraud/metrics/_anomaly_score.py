"""Anomaly scores of any outlier detector: higher = more anomalous."""

import numpy as np
from sklearn.utils._param_validation import HasMethods, validate_params

from skfraud._docstrings import fill_texts
from skfraud._threshold import anomaly_scores
from skfraud.metrics._checks import _check_not_supervised


@validate_params(
    {
        "estimator": [
            HasMethods(["score_samples"]),
            HasMethods(["decision_function"]),
        ],
        # The detector validates its own input (Dask collections included).
        "X": "no_validation",
    },
    prefer_skip_nested_validation=True,
)
@fill_texts()
def anomaly_score(estimator, X):
    """Anomaly score of a fitted outlier detector: higher = more anomalous.

    This is ``-estimator.score_samples(X)`` when the detector has
    ``score_samples``, otherwise ``-estimator.decision_function(X)``. Both
    follow scikit-learn's convention (higher = more normal), so the negation
    ranks anomalies first. A :class:`~sklearn.pipeline.Pipeline` whose last
    step is a detector works the same way.

    Parameters
    ----------
    %(detector_rows)s

    Returns
    -------
    scores : ndarray of shape (n_samples,), dtype float64
        Anomaly scores, higher = more anomalous.

    Raises
    ------
    TypeError
        If ``estimator`` is a classifier or a regressor, or has neither
        ``score_samples`` nor ``decision_function`` (a
        :class:`~sklearn.neighbors.LocalOutlierFactor` needs
        ``novelty=True``).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.ensemble import IsolationForest
    >>> from skfraud.metrics import anomaly_score
    >>> X = np.array([[0.0], [0.1], [-0.1], [0.05], [8.0]])
    >>> detector = IsolationForest(random_state=0).fit(X)
    >>> int(np.argmax(anomaly_score(detector, X)))
    4
    """
    _check_not_supervised(estimator, "anomaly_score")
    return anomaly_scores(estimator, X)


def _anomaly_flags(estimator, X):
    """``predict`` as 1 = flagged anomaly, 0 = inlier."""
    _check_not_supervised(estimator, "A predict-based anomaly scorer")
    if not hasattr(estimator, "predict"):
        raise TypeError(f"{type(estimator).__name__} has no predict method.")
    return (np.asarray(estimator.predict(X)) == -1).astype(np.int64)
