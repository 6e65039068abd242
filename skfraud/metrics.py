"""Anomaly-aware scoring, ranking metrics and threshold tuning.

Every outlier detector, skfraud's or scikit-learn's, returns scores where
*higher means more normal* (``score_samples``) and predicts ``-1`` for an
anomaly. Fraud labels are the other way round: ``y == 1`` marks the fraud.
scikit-learn's own scorers do not reconcile the two, so ``scoring="roc_auc"``
on an outlier detector silently reports ``1 - AUC``. The helpers here always
rank by the **anomaly score** (``-score_samples``, higher = more anomalous)
and treat ``y == 1`` as the positive class.

Threshold convention used throughout: a row is flagged when its anomaly score
is ``>= threshold``. :func:`tune_threshold` returns the ``offset_`` that makes
``predict`` flag exactly those rows, and :func:`set_offset` applies it.
"""

import math
import numbers
from dataclasses import dataclass

import numpy as np
from sklearn.metrics import (
    average_precision_score,
    f1_score,
    precision_score,
    recall_score,
    roc_auc_score,
)
from sklearn.svm import OneClassSVM
from sklearn.utils import check_consistent_length, column_or_1d, get_tags
from sklearn.utils.validation import check_is_fitted

from skfraud._pipeline import final_step

__all__ = [
    "ThresholdResult",
    "anomaly_average_precision_scorer",
    "anomaly_roc_auc_scorer",
    "anomaly_score",
    "get_anomaly_scorer",
    "get_anomaly_scorer_names",
    "make_anomaly_scorer",
    "precision_at_k",
    "recall_at_fpr",
    "set_offset",
    "tune_threshold",
]


# --------------------------------------------------------------------------
# Validation helpers
# --------------------------------------------------------------------------


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


def _check_anomaly_labels(y, *, name="y"):
    """Return ``y`` as a 1d int array of 0 (normal) / 1 (anomaly)."""
    if y is None:
        raise ValueError(
            f"{name} is None: anomaly scoring and threshold tuning need labels, "
            "with 1 = anomaly (fraud) and 0 = normal."
        )
    y = column_or_1d(np.asarray(y, dtype=object if _is_object_like(y) else None))
    if y.dtype.kind == "O":
        if not all(
            isinstance(value, numbers.Real | np.bool_) and not isinstance(value, str)
            for value in y
        ):
            raise ValueError(
                f"{name} must hold only 0 (normal) and 1 (anomaly); found "
                "non-numeric values (strings or missing values)."
            )
        y = y.astype(np.float64)
    elif y.dtype.kind not in "biuf":
        raise ValueError(
            f"{name} must hold only 0 (normal) and 1 (anomaly); got dtype {y.dtype}."
        )
    values = np.unique(y)
    if not np.all(np.isin(values, (0, 1))):
        shown = ", ".join(repr(v.item()) for v in values[:5])
        raise ValueError(
            f"{name} must be binary with 1 = anomaly (fraud) and 0 = normal; "
            f"found values [{shown}{', ...' if len(values) > 5 else ''}]."
        )
    return y.astype(np.int64)


def _is_object_like(y):
    # pandas extension arrays (nullable Int64, boolean) convert to object
    # arrays holding pd.NA; keep them as objects so NA is reported clearly.
    dtype = getattr(y, "dtype", None)
    return dtype is not None and not isinstance(dtype, np.dtype)


def _check_scores(anomaly_scores, y):
    scores = column_or_1d(np.asarray(anomaly_scores, dtype=np.float64))
    check_consistent_length(y, scores)
    if not np.all(np.isfinite(scores)):
        raise ValueError("anomaly_scores contains NaN or infinity.")
    return scores


def _fraction_to_count(fraction, n_samples):
    # Round away representation error first: 0.29 * 100 is 28.999999999999996.
    return math.floor(round(fraction * n_samples, 9))


def _check_k(k, n_samples, name="k"):
    """Turn ``k`` (a count, or a fraction of rows if a float) into a count."""
    if isinstance(k, numbers.Integral) and not isinstance(k, bool | np.bool_):
        if not 1 <= k <= n_samples:
            raise ValueError(
                f"{name}={k} must be between 1 and the number of rows ({n_samples})."
            )
        return int(k)
    if isinstance(k, numbers.Real) and not isinstance(k, bool | np.bool_):
        if not 0 < k <= 1:
            raise ValueError(
                f"{name}={k} is a float, read as a fraction of rows: it must be "
                "in (0, 1]. Pass an int for a number of rows."
            )
        count = _fraction_to_count(k, n_samples)
        if count < 1:
            raise ValueError(
                f"{name}={k} of {n_samples} rows is less than one row; pass a "
                "larger fraction or more rows."
            )
        return count
    raise TypeError(f"{name} must be an int or a float, got {type(k).__name__}.")


# --------------------------------------------------------------------------
# Anomaly scores
# --------------------------------------------------------------------------


def anomaly_score(estimator, X):
    """Anomaly score of a fitted outlier detector: higher = more anomalous.

    This is ``-estimator.score_samples(X)`` when the detector has
    ``score_samples``, otherwise ``-estimator.decision_function(X)``. Both
    follow scikit-learn's convention (higher = more normal), so the negation
    ranks anomalies first. A :class:`~sklearn.pipeline.Pipeline` whose last
    step is a detector works the same way.

    Parameters
    ----------
    estimator : estimator instance
        Fitted outlier detector, or a fitted Pipeline ending in one.

    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        Rows to score.

    Returns
    -------
    scores : ndarray of shape (n_samples,), dtype float64
        Anomaly scores, higher = more anomalous.

    Raises
    ------
    TypeError
        If ``estimator`` is a classifier or a regressor, or has neither
        ``score_samples`` nor ``decision_function``.

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
    if hasattr(estimator, "score_samples"):
        scores = estimator.score_samples(X)
    elif hasattr(estimator, "decision_function"):
        scores = estimator.decision_function(X)
    else:
        raise TypeError(
            f"{type(estimator).__name__} has neither score_samples nor "
            "decision_function, so it cannot rank rows by anomaly. Pass a fitted "
            "outlier detector (LocalOutlierFactor needs novelty=True)."
        )
    scores = np.asarray(scores, dtype=np.float64)
    if scores.ndim != 1:
        raise ValueError(
            f"Expected one score per row, got an array of shape {scores.shape}."
        )
    return -scores


def _anomaly_flags(estimator, X):
    """``predict`` as 1 = flagged anomaly, 0 = inlier."""
    _check_not_supervised(estimator, "A predict-based anomaly scorer")
    if not hasattr(estimator, "predict"):
        raise TypeError(f"{type(estimator).__name__} has no predict method.")
    return (np.asarray(estimator.predict(X)) == -1).astype(np.int64)


# --------------------------------------------------------------------------
# Ranking metrics on anomaly scores
# --------------------------------------------------------------------------


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
    y = _check_anomaly_labels(y_true, name="y_true")
    scores = _check_scores(anomaly_scores, y)
    k = _check_k(k, len(scores))
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
    y = _check_anomaly_labels(y_true, name="y_true")
    scores = _check_scores(anomaly_scores, y)
    if not (
        isinstance(max_fpr, numbers.Real)
        and not isinstance(max_fpr, bool)
        and 0 <= max_fpr <= 1
    ):
        raise ValueError(f"max_fpr must be a float in [0, 1], got {max_fpr!r}.")
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


# --------------------------------------------------------------------------
# Scorers
# --------------------------------------------------------------------------


class _AnomalyScorer:
    """Scorer ``scorer(estimator, X, y)`` that ranks anomalies as positives.

    Built by :func:`make_anomaly_scorer`.
    """

    def __init__(self, score_func, *, sign, response_method, kwargs):
        self._score_func = score_func
        self._sign = sign
        self._response_method = response_method
        self._kwargs = kwargs

    def __call__(self, estimator, X, y_true, sample_weight=None):
        """Score ``estimator`` on ``X`` against ``y_true`` (1 = anomaly).

        Parameters
        ----------
        estimator : estimator instance
            Fitted outlier detector, or a fitted Pipeline ending in one.

        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Rows to score.

        y_true : array-like of shape (n_samples,)
            1 = anomaly (fraud), 0 = normal.

        sample_weight : array-like of shape (n_samples,), default=None
            Passed on to the metric when given.

        Returns
        -------
        score : float
        """
        y = _check_anomaly_labels(y_true)
        if self._response_method == "predict":
            y_pred = _anomaly_flags(estimator, X)
        else:
            y_pred = anomaly_score(estimator, X)
        kwargs = dict(self._kwargs)
        if sample_weight is not None:
            kwargs["sample_weight"] = sample_weight
        return self._sign * float(self._score_func(y, y_pred, **kwargs))

    def __repr__(self):
        name = getattr(self._score_func, "__name__", repr(self._score_func))
        parts = [name]
        if self._sign < 0:
            parts.append("greater_is_better=False")
        if self._response_method != "anomaly_score":
            parts.append(f"response_method={self._response_method!r}")
        parts.extend(f"{key}={value!r}" for key, value in self._kwargs.items())
        return f"make_anomaly_scorer({', '.join(parts)})"


def make_anomaly_scorer(
    score_func, *, greater_is_better=True, response_method="anomaly_score", **kwargs
):
    """Make a scorer that treats anomalies (``y == 1``) as the positive class.

    The result is a callable ``scorer(estimator, X, y)`` for ``scoring=`` in
    :class:`~sklearn.model_selection.GridSearchCV`,
    :func:`~sklearn.model_selection.cross_validate` and friends. It works on
    any fitted outlier detector, skfraud's or scikit-learn's, and on a
    Pipeline ending in one.

    Parameters
    ----------
    score_func : callable
        Metric with signature ``score_func(y_true, y_pred, **kwargs)``, with
        ``y_true`` holding 1 for an anomaly and 0 for a normal row.

    greater_is_better : bool, default=True
        If False, the scorer returns the negated metric (for losses), so
        that higher is always better as scikit-learn's model selection
        expects.

    response_method : {"anomaly_score", "predict"}, default="anomaly_score"
        What ``y_pred`` is:

        - ``"anomaly_score"``: :func:`anomaly_score`, higher = more
          anomalous; for ranking metrics such as
          :func:`~sklearn.metrics.average_precision_score`.
        - ``"predict"``: the detector's own decisions as 1 = flagged,
          0 = inlier (``predict(X) == -1``); for metrics on labels such as
          :func:`~sklearn.metrics.f1_score`. These depend on ``offset_``,
          e.g. on ``contamination``.

    **kwargs
        Extra keyword arguments for ``score_func``.

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y, sample_weight=None) -> float``. It raises
        ValueError if ``y`` is None or not binary 0/1.

    Notes
    -----
    Outlier detectors are not classifiers, so ``cross_validate`` and
    ``GridSearchCV`` split them with plain ``KFold`` by default. With rare
    anomalies, pass ``cv=StratifiedKFold(...)`` so that every fold holds some.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.ensemble import IsolationForest
    >>> from skfraud.metrics import make_anomaly_scorer, precision_at_k
    >>> X = np.array([[0.0], [0.1], [-0.1], [0.05], [8.0], [9.0]])
    >>> y = np.array([0, 0, 0, 0, 1, 1])
    >>> detector = IsolationForest(random_state=0).fit(X)
    >>> scorer = make_anomaly_scorer(precision_at_k, k=2)
    >>> scorer(detector, X, y)
    1.0
    """
    if response_method not in ("anomaly_score", "predict"):
        raise ValueError(
            "response_method must be 'anomaly_score' or 'predict', got "
            f"{response_method!r}."
        )
    if not callable(score_func):
        raise TypeError(f"score_func must be callable, got {score_func!r}.")
    return _AnomalyScorer(
        score_func,
        sign=1 if greater_is_better else -1,
        response_method=response_method,
        kwargs=kwargs,
    )


#: Average precision (area under the precision-recall curve) of the anomaly
#: score, with y == 1 as the positive class.
anomaly_average_precision_scorer = make_anomaly_scorer(average_precision_score)

#: ROC-AUC of the anomaly score, with y == 1 as the positive class.
anomaly_roc_auc_scorer = make_anomaly_scorer(roc_auc_score)

# zero_division=0.0: a detector that flags nothing in a fold scores 0 quietly
# instead of warning once per candidate in a grid search.
_SCORERS = {
    "average_precision": anomaly_average_precision_scorer,
    "roc_auc": anomaly_roc_auc_scorer,
    "f1": make_anomaly_scorer(f1_score, response_method="predict", zero_division=0.0),
    "precision": make_anomaly_scorer(
        precision_score, response_method="predict", zero_division=0.0
    ),
    "recall": make_anomaly_scorer(
        recall_score, response_method="predict", zero_division=0.0
    ),
}


def get_anomaly_scorer_names():
    """List the names that :func:`get_anomaly_scorer` accepts.

    Returns
    -------
    names : list of str
        The scorer names, sorted.

    Examples
    --------
    >>> from skfraud.metrics import get_anomaly_scorer_names
    >>> get_anomaly_scorer_names()
    ['average_precision', 'f1', 'precision', 'recall', 'roc_auc']
    """
    return sorted(_SCORERS)


def get_anomaly_scorer(name):
    """Get an anomaly-aware scorer by name.

    ============================  ==============================================
    name                          metric (y == 1 is the anomaly / fraud)
    ============================  ==============================================
    ``"average_precision"``       area under the precision-recall curve of the
                                  anomaly score (ranking; ignores ``offset_``)
    ``"roc_auc"``                 ROC-AUC of the anomaly score (ranking)
    ``"f1"``                      F1 of ``predict`` (depends on ``offset_``)
    ``"precision"``               precision of ``predict``
    ``"recall"``                  recall of ``predict``
    ============================  ==============================================

    The ranking metrics compare detectors whatever their threshold; the
    ``predict`` ones are what tuning ``contamination`` changes. For a review
    queue of fixed size use ``make_anomaly_scorer(precision_at_k, k=...)``.

    Parameters
    ----------
    name : str
        One of :func:`get_anomaly_scorer_names`.

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y)``, see :func:`make_anomaly_scorer`.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.ensemble import IsolationForest
    >>> from sklearn.model_selection import StratifiedKFold, cross_validate
    >>> from skfraud.metrics import get_anomaly_scorer
    >>> rng = np.random.default_rng(0)
    >>> X = np.r_[rng.normal(size=(90, 2)), rng.normal(6, 1, size=(10, 2))]
    >>> y = np.r_[np.zeros(90), np.ones(10)]
    >>> scoring = {name: get_anomaly_scorer(name) for name in ("average_precision",
    ...                                                        "roc_auc")}
    >>> result = cross_validate(IsolationForest(random_state=0), X, y,
    ...                         cv=StratifiedKFold(3), scoring=scoring)
    >>> bool(result["test_roc_auc"].min() > 0.9)
    True
    """
    if not isinstance(name, str) or name not in _SCORERS:
        raise ValueError(
            f"{name!r} is not an anomaly scorer name; use one of "
            f"{get_anomaly_scorer_names()} or make_anomaly_scorer()."
        )
    scorer = _SCORERS[name]
    return _AnomalyScorer(
        scorer._score_func,
        sign=scorer._sign,
        response_method=scorer._response_method,
        kwargs=dict(scorer._kwargs),
    )


# --------------------------------------------------------------------------
# Threshold tuning
# --------------------------------------------------------------------------


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
    if objective not in _OBJECTIVES:
        raise ValueError(f"objective must be one of {_OBJECTIVES}, got {objective!r}.")
    is_number = isinstance(target, numbers.Real) and not isinstance(
        target, bool | np.bool_
    )
    if objective == "f1":
        if target is not None:
            raise ValueError("objective='f1' takes no target; leave target=None.")
    elif objective == "n_alerts":
        if not (isinstance(target, numbers.Integral) and is_number and target >= 1):
            raise ValueError(
                f"objective='n_alerts' needs an int target >= 1, got {target!r}."
            )
    elif not (is_number and 0 < target <= 1):
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
    if not hasattr(estimator, "score_samples"):
        _check_not_supervised(estimator, "tune_threshold")
        raise TypeError(
            f"tune_threshold needs score_samples, the score that offset_ is "
            f"compared with; {type(estimator).__name__} has none."
        )
    scores = anomaly_score(estimator, X_val)
    labelled = y_val is not None
    if labelled:
        y = _check_anomaly_labels(y_val, name="y_val")
        check_consistent_length(y, scores)
    elif objective in ("alert_rate", "n_alerts"):
        y = np.zeros(len(scores), dtype=np.int64)
    else:
        y = _check_anomaly_labels(y_val, name="y_val")
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
    offset = float(offset)
    if math.isnan(offset):
        raise ValueError("offset is NaN.")
    detector.offset_ = offset
    return estimator
