"""Threshold tuning on labelled validation data, without refitting."""

import math
from dataclasses import dataclass
from numbers import Integral, Real

import numpy as np
from sklearn.svm import OneClassSVM
from sklearn.utils import check_consistent_length
from sklearn.utils._param_validation import (
    HasMethods,
    Interval,
    RealNotInt,
    StrOptions,
    validate_params,
)
from sklearn.utils.validation import check_is_fitted

from skfraud._pipeline import final_step
from skfraud._threshold import check_anomaly_labels
from skfraud.metrics._anomaly_score import anomaly_score
from skfraud.metrics._checks import (
    _check_not_supervised,
    _fraction_to_count,
)
from skfraud.metrics._ranking import _threshold_curve


@dataclass(frozen=True)
class ThresholdResult:
    """Outcome of :func:`tune_threshold` on the validation data.

    Attributes
    ----------
    threshold : float
        Flag a row when its anomaly score (``-score_samples``) is
        ``>= threshold``.

    offset : float
        The ``offset_`` that makes ``predict`` flag exactly those rows
        (``score_samples < offset``); apply it with :func:`set_offset`.

    objective : str
        The objective that chose the threshold.

    target : float, int or None
        The objective's target (None for ``"f1"``).

    n_alerts : int
        Number of validation rows flagged.

    alert_rate : float
        ``n_alerts`` divided by the number of validation rows.

    precision, recall, f1 : float
        Achieved on the validation rows, anomalies (y == 1) as positives.
        NaN when they cannot be computed (no labels given; no anomaly for
        recall and F1); precision with no alert is 0.0.

    See Also
    --------
    tune_threshold : The function that returns it.

    Examples
    --------
    >>> from sklearn.ensemble import IsolationForest
    >>> from skfraud.metrics import tune_threshold
    >>> X = [[0.0], [0.1], [-0.1], [0.05], [8.0], [9.0]]
    >>> y = [0, 0, 0, 0, 1, 1]
    >>> detector = IsolationForest(random_state=0).fit(X)
    >>> result = tune_threshold(detector, X, y, objective="recall", target=1.0)
    >>> result.n_alerts, result.precision, result.recall
    (2, 1.0, 1.0)
    """

    threshold: float
    offset: float
    objective: str
    target: float | int | None
    n_alerts: int
    alert_rate: float
    precision: float
    recall: float
    f1: float


_OBJECTIVES = ("f1", "recall", "precision", "alert_rate", "n_alerts")


def _check_target(objective, target):
    """The target that ``objective`` needs (each is validated on its own first)."""
    if objective == "f1":
        if target is not None:
            raise ValueError("objective='f1' takes no target; leave target=None.")
    elif objective == "n_alerts":
        if not isinstance(target, Integral):
            raise ValueError(
                f"objective='n_alerts' needs an int target >= 1, got {target!r}."
            )
    elif target is None or not 0 < target <= 1:
        raise ValueError(
            f"objective={objective!r} needs a target in (0, 1], got {target!r}."
        )


def _choose_cut(objective, target, n_flagged, true_positives, n_positive):
    """Index into the threshold curve (highest threshold first) to use."""
    if objective in ("alert_rate", "n_alerts"):
        n_rows = int(n_flagged[-1])
        budget = (
            int(target)
            if objective == "n_alerts"
            else _fraction_to_count(target, n_rows)
        )
        if budget < 1:
            raise ValueError(
                f"alert_rate={target} allows no alert on {n_rows} validation rows."
            )
        fits = np.flatnonzero(n_flagged <= budget)
        if len(fits) == 0:
            raise ValueError(
                f"The {int(n_flagged[0])} highest anomaly scores are tied, so no "
                f"threshold flags at most {budget} rows."
            )
        # The lowest threshold within budget: the most alerts allowed.
        return fits[-1]

    if n_positive == 0:
        raise ValueError(
            f"y_val has no anomaly (y == 1), so objective={objective!r} is undefined."
        )
    if objective == "f1":
        f1 = 2 * true_positives / (n_flagged + n_positive)
        # argmax returns the first maximum: the highest threshold, fewest alerts.
        return int(np.argmax(f1))
    if objective == "recall":
        # Recall only grows as the threshold falls: stop at the first cut
        # that reaches the target, which raises the fewest alerts.
        return int(np.flatnonzero(true_positives / n_positive >= target)[0])
    precision = true_positives / n_flagged
    meets = np.flatnonzero(precision >= target)
    if len(meets) == 0:
        raise ValueError(
            f"No threshold reaches precision >= {target} on the validation data; "
            f"the best reachable is {precision.max():.4g}."
        )
    # Highest recall among the cuts that meet the target, then fewest alerts.
    best_hits = true_positives[meets].max()
    return int(meets[true_positives[meets] == best_hits][0])


@validate_params(
    {
        "estimator": [HasMethods(["score_samples"])],
        "X_val": "no_validation",
        "y_val": ["array-like", None],
        "objective": [StrOptions(set(_OBJECTIVES))],
        "target": [
            Interval(Integral, 1, None, closed="left"),
            Interval(RealNotInt, 0, 1, closed="right"),
            None,
        ],
    },
    prefer_skip_nested_validation=True,
)
def tune_threshold(estimator, X_val, y_val, *, objective="f1", target=None):
    """Choose a detection threshold on labelled validation data, without refitting.

    The fitted detector scores ``X_val`` once; the threshold is then picked
    among its anomaly scores. Rows are flagged when their anomaly score
    (``-score_samples``) is ``>= threshold``, so tied rows are always
    flagged together. The estimator is **not modified**: pass
    ``result.offset`` to :func:`set_offset` to make ``predict`` and
    ``decision_function`` use the new threshold.

    Parameters
    ----------
    estimator : estimator instance
        Fitted outlier detector with ``score_samples`` (skfraud's or
        scikit-learn's), or a fitted Pipeline ending in one.

    X_val : {array-like, sparse matrix} of shape (n_samples, n_features)
        Validation rows, not used for fitting.

    y_val : array-like of shape (n_samples,) or None
        1 = anomaly (fraud), 0 = normal. May be None for the alert-budget
        objectives, which need no labels (precision, recall and F1 are then
        NaN).

    objective : {"f1", "recall", "precision", "alert_rate", "n_alerts"}, \
default="f1"
        - ``"f1"``: the highest F1 (ties: the highest threshold).
        - ``"recall"``: the highest threshold whose recall is at least
          ``target``, i.e. the fewest alerts that catch that share of anomalies.
        - ``"precision"``: the highest recall among thresholds whose precision
          is at least ``target`` (ties: the highest threshold). Raises
          ValueError if no threshold reaches ``target``.
        - ``"alert_rate"``: an alert budget of ``target`` (a fraction, e.g.
          0.01 for 1 alert per 100 rows, rounded down to a count of rows).
        - ``"n_alerts"``: an alert budget of ``target`` rows.

        An alert budget flags the most top-scored rows that fit within it:
        exactly ``k`` rows unless rows tied at the cut would exceed it, in
        which case fewer; never more.

    target : float or int, default=None
        Required by every objective except ``"f1"``: a value in (0, 1] for
        ``"recall"``, ``"precision"`` and ``"alert_rate"``, an int >= 1 for
        ``"n_alerts"``.

    Returns
    -------
    result : ThresholdResult
        The threshold, the matching ``offset``, and what it achieves on the
        validation rows.

    See Also
    --------
    set_offset : Apply ``result.offset`` to the detector.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.ensemble import IsolationForest
    >>> from skfraud.metrics import set_offset, tune_threshold
    >>> rng = np.random.default_rng(0)
    >>> X = np.r_[rng.normal(size=(200, 2)), rng.normal(5, 1, size=(10, 2))]
    >>> y = np.r_[np.zeros(200), np.ones(10)]
    >>> detector = IsolationForest(random_state=0).fit(X)
    >>> result = tune_threshold(detector, X, y, objective="n_alerts", target=15)
    >>> result.n_alerts
    15
    >>> _ = set_offset(detector, result.offset)
    >>> int((detector.predict(X) == -1).sum())
    15
    """
    _check_target(objective, target)
    _check_not_supervised(estimator, "tune_threshold")
    scores = anomaly_score(estimator, X_val)
    labelled = y_val is not None
    if labelled:
        y = check_anomaly_labels(y_val, name="y_val")
        check_consistent_length(y, scores)
    elif objective in ("alert_rate", "n_alerts"):
        y = np.zeros(len(scores), dtype=np.int64)
    else:
        y = check_anomaly_labels(y_val, name="y_val")
    if len(scores) == 0:
        raise ValueError("X_val has no rows.")
    if not np.all(np.isfinite(scores)):
        raise ValueError("The detector returned NaN or infinite scores on X_val.")

    thresholds, n_flagged, true_positives = _threshold_curve(y, scores)
    n_positive = int(y.sum())
    cut = _choose_cut(objective, target, n_flagged, true_positives, n_positive)

    threshold = float(thresholds[cut])
    n_alerts = int(n_flagged[cut])
    hits = int(true_positives[cut])
    if labelled:
        precision = hits / n_alerts
        recall = hits / n_positive if n_positive else math.nan
        f1 = 2 * hits / (n_alerts + n_positive) if n_positive else math.nan
    else:
        precision = recall = f1 = math.nan
    return ThresholdResult(
        threshold=threshold,
        # score_samples == -anomaly score exactly, and no float64 lies
        # strictly between -threshold and its successor, so
        # "score_samples < offset" is exactly "anomaly score >= threshold".
        offset=float(np.nextafter(-threshold, np.inf)),
        objective=objective,
        target=target,
        n_alerts=n_alerts,
        alert_rate=n_alerts / len(scores),
        precision=float(precision),
        recall=float(recall),
        f1=float(f1),
    )


@validate_params(
    {
        # A Pipeline or a search object: its final detector is checked below.
        "estimator": "no_validation",
        "offset": [Interval(Real, None, None, closed="neither")],
    },
    prefer_skip_nested_validation=True,
)
def set_offset(estimator, offset):
    """Set the detector's ``offset_`` in place, so ``predict`` uses a new threshold.

    Detectors following scikit-learn's contract compute
    ``decision_function = score_samples - offset_`` and flag
    ``decision_function < 0``, so a new ``offset_`` moves the threshold
    without refitting; ``score_samples`` is unchanged. For a Pipeline (or a
    fitted ``GridSearchCV`` and the like) the final detector is modified.
    Refitting resets ``offset_`` from ``contamination``.

    Parameters
    ----------
    estimator : estimator instance
        Fitted outlier detector, or a fitted Pipeline ending in one.

    offset : float
        New ``offset_``, usually ``tune_threshold(...).offset``.

    Returns
    -------
    estimator : estimator instance
        The same object, modified in place.

    Raises
    ------
    TypeError
        If the final step has no ``offset_`` or ignores it when predicting
        (:class:`~sklearn.svm.OneClassSVM` predicts from its libsvm
        intercept); threshold its anomaly scores directly instead.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.ensemble import IsolationForest
    >>> from skfraud.metrics import set_offset
    >>> X = np.array([[0.0], [0.1], [-0.1], [0.05], [8.0]])
    >>> detector = IsolationForest(random_state=0).fit(X)
    >>> _ = set_offset(detector, 0.0)
    >>> detector.predict(X).tolist()
    [-1, -1, -1, -1, -1]
    """
    detector = final_step(estimator)
    check_is_fitted(detector)
    if isinstance(detector, OneClassSVM) or not hasattr(detector, "offset_"):
        reason = (
            "computes decision_function and predict without reading offset_"
            if hasattr(detector, "offset_")
            else "has no offset_ attribute"
        )
        raise TypeError(
            f"{type(detector).__name__} {reason}, so its threshold cannot be "
            "moved in place. Flag rows with anomaly_score(estimator, X) >= "
            "threshold instead."
        )
    detector.offset_ = float(offset)
    return estimator
