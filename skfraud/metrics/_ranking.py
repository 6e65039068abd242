"""Ranking metrics on anomaly scores, anomalies (y == 1) as the positives."""

from numbers import Integral, Real

import numpy as np
from sklearn.utils._param_validation import Interval, RealNotInt, validate_params

from skfraud._threshold import check_anomaly_labels
from skfraud.metrics._checks import _check_scores, _rows_of


@validate_params(
    {
        "y_true": ["array-like"],
        "anomaly_scores": ["array-like"],
        "k": [
            Interval(Integral, 1, None, closed="left"),
            Interval(RealNotInt, 0, 1, closed="right"),
        ],
    },
    prefer_skip_nested_validation=True,
)
def precision_at_k(y_true, anomaly_scores, k):
    """Precision among the ``k`` rows with the highest anomaly scores.

    This is the share of true anomalies in a review queue of size ``k``.
    When rows tied at the cut do not all fit in the top ``k``, the tied rows
    count in proportion (the expected precision over every order of the
    ties), so the result never depends on the order of the rows.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        1 = anomaly (fraud), 0 = normal.

    anomaly_scores : array-like of shape (n_samples,)
        Higher = more anomalous, e.g. from :func:`anomaly_score`.

    k : int or float
        An int is a number of rows, ``1 <= k <= n_samples``. A float in
        ``(0, 1]`` is a fraction of the rows, rounded down to a count (as
        ``max_samples`` in :class:`~sklearn.ensemble.IsolationForest`).

    Returns
    -------
    precision : float
        Share of anomalies among the top ``k`` rows, in [0, 1].

    Examples
    --------
    >>> from skfraud.metrics import precision_at_k
    >>> precision_at_k([0, 1, 0, 1, 0], [0.1, 0.9, 0.8, 0.7, 0.2], k=2)
    0.5
    >>> round(precision_at_k([0, 1, 0, 1, 0], [0.1, 0.9, 0.8, 0.7, 0.2], k=0.6), 3)
    0.667
    """
    y = check_anomaly_labels(y_true, name="y_true")
    scores = _check_scores(anomaly_scores, y)
    k = _rows_of(k, len(scores))
    kth_highest = np.partition(scores, len(scores) - k)[len(scores) - k]
    above = scores > kth_highest
    tied = scores == kth_highest
    n_from_ties = k - np.count_nonzero(above)
    expected_hits = y[above].sum() + n_from_ties * y[tied].mean()
    return float(expected_hits / k)


def _threshold_curve(y, scores):
    """Counts at every distinct threshold, highest threshold first.

    Row ``i`` describes flagging the rows with ``score >= thresholds[i]``:
    ``n_flagged[i]`` of them, ``true_positives[i]`` of which are anomalies.
    """
    order = np.argsort(-scores, kind="stable")
    sorted_scores = scores[order]
    last_of_tie = np.r_[
        np.flatnonzero(sorted_scores[1:] != sorted_scores[:-1]), len(scores) - 1
    ]
    true_positives = np.cumsum(y[order])[last_of_tie]
    n_flagged = last_of_tie + 1
    return sorted_scores[last_of_tie], n_flagged, true_positives


@validate_params(
    {
        "y_true": ["array-like"],
        "anomaly_scores": ["array-like"],
        "max_fpr": [Interval(Real, 0, 1, closed="both")],
    },
    prefer_skip_nested_validation=True,
)
def recall_at_fpr(y_true, anomaly_scores, max_fpr):
    """Highest recall reachable with a false-positive rate of at most ``max_fpr``.

    Thresholds flag the rows whose anomaly score is ``>= threshold``; tied
    rows are flagged together, so only operating points that a threshold can
    actually produce count (no interpolation along the ROC curve). If even
    the highest score exceeds the budget, the result is 0.0 (flag nothing).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        1 = anomaly (fraud), 0 = normal. Both classes must be present.

    anomaly_scores : array-like of shape (n_samples,)
        Higher = more anomalous, e.g. from :func:`anomaly_score`.

    max_fpr : float in [0, 1]
        Largest share of normal rows that may be flagged.

    Returns
    -------
    recall : float
        Share of the anomalies flagged at that operating point, in [0, 1].

    Examples
    --------
    >>> from skfraud.metrics import recall_at_fpr
    >>> y = [1, 0, 1, 0, 0, 1]
    >>> scores = [0.9, 0.8, 0.7, 0.3, 0.2, 0.1]
    >>> round(recall_at_fpr(y, scores, max_fpr=0.0), 3)
    0.333
    >>> round(recall_at_fpr(y, scores, max_fpr=1 / 3), 3)
    0.667
    """
    y = check_anomaly_labels(y_true, name="y_true")
    scores = _check_scores(anomaly_scores, y)
    n_positive = int(y.sum())
    n_negative = len(y) - n_positive
    if n_positive == 0 or n_negative == 0:
        raise ValueError(
            "recall_at_fpr needs both anomalies (y == 1) and normal rows (y == 0)."
        )
    _, n_flagged, true_positives = _threshold_curve(y, scores)
    false_positive_rate = (n_flagged - true_positives) / n_negative
    within_budget = false_positive_rate <= max_fpr
    if not within_budget.any():
        return 0.0
    return float(true_positives[within_budget].max() / n_positive)
