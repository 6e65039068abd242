"""Scorers that rank anomalies (y == 1) as the positive class."""

from sklearn.metrics import (
    average_precision_score,
    f1_score,
    precision_score,
    recall_score,
    roc_auc_score,
)
from sklearn.utils._param_validation import StrOptions, validate_params

from skfraud._docstrings import fill_texts
from skfraud._threshold import check_anomaly_labels
from skfraud.metrics._anomaly_score import _anomaly_flags, anomaly_score


class _AnomalyScorer:
    """Scorer ``scorer(estimator, X, y)`` that ranks anomalies as positives.

    Built by :func:`make_anomaly_scorer`.
    """

    def __init__(self, score_func, *, sign, response_method, kwargs):
        self._score_func = score_func
        self._sign = sign
        self._response_method = response_method
        self._kwargs = kwargs

    @fill_texts()
    def __call__(self, estimator, X, y_true, sample_weight=None):
        """Score ``estimator`` on ``X`` against ``y_true`` (1 = anomaly).

        Parameters
        ----------
        %(detector_rows)s

        y_true : array-like of shape (n_samples,)
            1 = anomaly (fraud), 0 = normal.

        sample_weight : array-like of shape (n_samples,), default=None
            Passed on to the metric when given.

        Returns
        -------
        score : float
        """
        y = check_anomaly_labels(y_true)
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


@validate_params(
    {
        "score_func": [callable],
        "greater_is_better": ["boolean"],
        "response_method": [StrOptions({"anomaly_score", "predict"})],
    },
    prefer_skip_nested_validation=True,
)
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


@validate_params(
    {"name": [StrOptions(set(_SCORERS))]},
    prefer_skip_nested_validation=True,
)
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
    scorer = _SCORERS[name]
    return _AnomalyScorer(
        scorer._score_func,
        sign=scorer._sign,
        response_method=scorer._response_method,
        kwargs=dict(scorer._kwargs),
    )
