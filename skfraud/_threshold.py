"""What every detector and composition shares, without torch.

- ``offset_`` from ``contamination`` (:func:`contamination_offset`, with
  the upper Tukey fence as the ``"auto"`` rule, :func:`tukey_offset`), and
  ``decision_function`` / ``predict`` from it (:class:`ThresholdMixin`);
- the 0/1 labels of the frauds (:func:`check_anomaly_labels`), read by the
  metrics (0 = normal row) and by the detectors that learn from a few
  labelled frauds (0 = unlabelled row) alike;
- the anomaly score of any fitted estimator (:func:`anomaly_scores`): a
  detector's, a Pipeline's or a classifier's;
- the rows known to be genuine, for ``train_on="normal"`` (:func:`normal_rows`).

The deep base, ``KNNDetector``, the compositions and the metrics build on
this layer; it imports neither torch nor skorch.
"""

import numbers
from numbers import Real

import numpy as np
from sklearn.utils import column_or_1d, get_tags
from sklearn.utils._param_validation import Interval, StrOptions

__all__ = [
    "CONTAMINATION_CONSTRAINT",
    "ThresholdMixin",
    "anomaly_scores",
    "check_anomaly_labels",
    "contamination_offset",
    "flagged",
    "is_detector",
    "normal_rows",
    "tukey_offset",
]

#: ``contamination``: ``"auto"`` (a documented rule per detector) or the
#: share of training rows to flag.
CONTAMINATION_CONSTRAINT = [
    StrOptions({"auto"}),
    Interval(Real, 0, 0.5, closed="right"),
]


def tukey_offset(anomaly_scores):
    """``offset_`` at the upper Tukey fence of the training anomaly scores.

    A row is flagged when its anomaly score lies above ``Q3 + 1.5 * IQR``.
    """
    q1, q3 = np.percentile(anomaly_scores, [25, 75])
    return float(-(q3 + 1.5 * (q3 - q1)))


def contamination_offset(anomaly_scores, contamination, auto_offset=tukey_offset):
    """``offset_`` for ``contamination``, from the training anomaly scores.

    A share flags that share of the training rows scored highest; ``"auto"``
    applies ``auto_offset`` (by default the Tukey fence).
    """
    if contamination == "auto":
        return float(auto_offset(anomaly_scores))
    return float(np.percentile(-anomaly_scores, 100.0 * contamination))


class ThresholdMixin:
    """``decision_function`` and ``predict`` from ``score_samples`` and ``offset_``.

    Shared by every skfraud detector, the compositions included.
    """

    def decision_function(self, X):
        """``score_samples(X) - offset_``: negative for anomalies.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        decision : ndarray of shape (n_samples,), dtype float64
            Below 0 for the rows that ``predict`` flags as anomalies.
        """
        return self.score_samples(X) - self.offset_

    def predict(self, X):
        """Label each row: +1 for inliers, -1 for anomalies.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            -1 where ``decision_function`` is negative, +1 elsewhere.
        """
        return np.where(self.decision_function(X) < 0, -1, 1)


# What 1 and 0 mean, by what the 0 rows are: (long, short) forms.
_LABEL_MEANINGS = {
    "normal": (("an anomaly (fraud)", "anomaly"), ("a normal row", "normal")),
    "unlabelled": (
        ("a known anomaly", "known anomaly"),
        ("an unlabelled row", "unlabelled"),
    ),
}


def check_anomaly_labels(y, *, n_samples=None, name="y", zero="normal"):
    """``y`` as an int64 vector of 1 (a fraud) and 0 (any other row).

    Parameters
    ----------
    y : array-like of shape (n_samples,) or (n_samples, 1)
        Numbers or booleans; pandas' nullable types are read too.
    n_samples : int, default=None
        The number of rows ``y`` must label, when known.
    name : str, default="y"
        How the messages call ``y``.
    zero : {"normal", "unlabelled"}, default="normal"
        What a 0 says: a row known to be normal (the metrics' labels), or
        an unlabelled row that may hide unknown frauds (the labels of the
        detectors that learn from a few confirmed frauds).

    Returns
    -------
    y : ndarray of shape (n_samples,), dtype int64

    Raises
    ------
    ValueError
        When ``y`` is None, holds strings, missing values or a value other
        than 0 and 1, or does not label ``n_samples`` rows.
    """
    (one_long, one), (zero_long, zero_short) = _LABEL_MEANINGS[zero]
    if y is None:
        raise ValueError(
            f"{name} is None: labels are needed, with 1 for {one_long} and 0 "
            f"for {zero_long}."
        )
    y = column_or_1d(np.asarray(y, dtype=object if _is_object_like(y) else None))
    if n_samples is not None and y.shape != (n_samples,):
        raise ValueError(
            f"{name} must have shape ({n_samples},) to match X; got {y.shape}: "
            "X and y have inconsistent numbers of samples."
        )
    if y.dtype.kind in "OSU":
        strings = [value for value in y if isinstance(value, str | bytes)]
        if strings:
            distinct = np.unique(np.array(strings, dtype=str))[:3]
            examples = ", ".join(repr(str(value)) for value in distinct)
            raise ValueError(
                f"{name} must hold only 1 ({one}) and 0 ({zero_short}), but "
                f"{name} holds strings ({examples}), non-numeric values. "
                f"Encode it first, for example {name} = ({name} == 'fraud')"
                ".astype(int)."
            )
        if not all(isinstance(v, numbers.Real | np.bool_) for v in y):
            raise ValueError(
                f"{name} must hold only 1 ({one}) and 0 ({zero_short}); found "
                "non-numeric values (missing values or objects)."
            )
        y = y.astype(np.float64)
    elif y.dtype.kind not in "biuf":
        raise ValueError(
            f"{name} must hold only 1 ({one}) and 0 ({zero_short}); got dtype "
            f"{y.dtype}."
        )
    values = np.unique(y)
    if not np.isin(values, (0, 1)).all():
        shown = ", ".join(repr(v.item()) for v in values[:5])
        raise ValueError(
            f"{name} must be binary: 1 for {one_long}, 0 for {zero_long}; got "
            f"the values [{shown}{', ...' if len(values) > 5 else ''}]."
        )
    return y.astype(np.int64)


def _is_object_like(y):
    # pandas extension arrays (nullable Int64, boolean) convert to object
    # arrays holding pd.NA; keep them as objects so NA is reported clearly.
    dtype = getattr(y, "dtype", None)
    return dtype is not None and not isinstance(dtype, np.dtype)


def is_detector(estimator):
    """Whether ``estimator`` scores rows as an outlier detector does."""
    return hasattr(estimator, "score_samples")


def _is_classifier(estimator):
    try:
        return get_tags(estimator).estimator_type == "classifier"
    except AttributeError:
        return False


def anomaly_scores(estimator, X):
    """Anomaly scores of a fitted estimator: higher = more anomalous.

    Minus ``score_samples`` of a detector (or of a Pipeline ending in one),
    else the probability of class 1 (a fraud) of a classifier, else minus
    ``decision_function`` of a detector without ``score_samples``.

    Returns
    -------
    scores : ndarray of shape (n_samples,), dtype float64

    Raises
    ------
    TypeError
        When ``estimator`` has none of these.
    ValueError
        When it gives more than one score per row.
    """
    if is_detector(estimator):
        scores = -np.asarray(estimator.score_samples(X), dtype=np.float64)
    elif _is_classifier(estimator) or hasattr(estimator, "predict_proba"):
        if not hasattr(estimator, "predict_proba"):
            raise TypeError(
                f"{type(estimator).__name__} is a classifier without "
                "predict_proba; its fraud probability is the anomaly score."
            )
        classes = list(estimator.classes_)
        if 1 not in classes:
            raise ValueError(
                f"{type(estimator).__name__} was fitted without the class 1 "
                f"(a fraud); its classes are {classes}."
            )
        scores = np.asarray(
            estimator.predict_proba(X)[:, classes.index(1)], dtype=np.float64
        )
    elif hasattr(estimator, "decision_function"):
        scores = -np.asarray(estimator.decision_function(X), dtype=np.float64)
    else:
        raise TypeError(
            f"{type(estimator).__name__} has neither score_samples, "
            "predict_proba nor decision_function, so it gives no anomaly score."
        )
    if scores.ndim != 1:
        raise ValueError(
            f"Expected one score per row, got an array of shape {scores.shape}."
        )
    return scores


def flagged(estimator, X, scores):
    """Which rows ``estimator`` itself calls anomalies: ``predict == -1`` for
    a detector, a fraud probability above one half for a classifier."""
    if is_detector(estimator):
        return np.asarray(estimator.predict(X)) == -1
    return scores > 0.5


def normal_rows(y, n_samples):
    """Positions of the rows with ``y == 0``, for ``train_on="normal"``.

    Raises
    ------
    ValueError
        When ``y`` is missing, is not 0/1 labels of ``n_samples`` rows, or
        marks fewer than 2 rows as normal.
    """
    if y is None:
        raise ValueError(
            "train_on='normal' needs y (0 = normal, 1 = anomaly) to select "
            "the normal rows; pass y to fit or use train_on='all'."
        )
    normal = np.flatnonzero(check_anomaly_labels(y, n_samples=n_samples) == 0)
    if normal.size < 2:
        raise ValueError(
            "train_on='normal' trains on the rows with y == 0, but y has "
            f"{normal.size} such rows; at least 2 are needed."
        )
    return normal
