"""Precision-recall and ROC curves with fraud (y = 1) as the positive class.

scikit-learn's :class:`~sklearn.metrics.PrecisionRecallDisplay` and
:class:`~sklearn.metrics.RocCurveDisplay` draw the curves. What skfraud adds:
rows ranked by anomaly score, so that ``from_estimator`` works on any outlier
detector; the chance level at the fraud rate, drawn once however many curves
share the axes; and axis labels in fraud terms.
"""

import inspect

import numpy as np
from sklearn.metrics import (
    PrecisionRecallDisplay,
    RocCurveDisplay,
    average_precision_score,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
)

from skfraud._docstrings import fill_texts
from skfraud._threshold import check_anomaly_labels
from skfraud.metrics import _check_scores, anomaly_score
from skfraud.plotting._base import DOC_TEXTS, estimator_name, get_axes

__all__ = [
    "AnomalyPrecisionRecallDisplay",
    "AnomalyRocCurveDisplay",
    "plot_detector_curves",
]

# Marks chance-level lines so that several displays on one axes draw each
# distinct chance level once.
_CHANCE_LEVEL_GID = "skfraud-chance-level"
_CHANCE_LEVEL_STYLE = {"color": "black", "linestyle": "--", "linewidth": 1}


def _labels_and_scores(y_true, anomaly_scores):
    y = check_anomaly_labels(y_true, name="y_true")
    scores = _check_scores(anomaly_scores, y)
    if np.unique(y).size < 2:
        raise ValueError(
            "y_true holds a single class; precision-recall and ROC curves need "
            "both normal (0) and fraud (1) rows."
        )
    return y, scores


def _existing_chance_level(ax, xdata, ydata):
    for line in ax.get_lines():
        if (
            line.get_gid() == _CHANCE_LEVEL_GID
            and np.allclose(line.get_xdata(), xdata)
            and np.allclose(line.get_ydata(), ydata)
        ):
            return line
    return None


def _line_kwargs(display_class, kwargs):
    # scikit-learn 1.7 moved the curve's keyword arguments into curve_kwargs.
    if "curve_kwargs" in inspect.signature(display_class.plot).parameters:
        return {"curve_kwargs": kwargs}
    return kwargs


def _curve_example(display):
    """The Examples of a curve display: ``display`` of IsolationForest."""
    return f""">>> import numpy as np
    >>> from sklearn.ensemble import IsolationForest
    >>> from skfraud.plotting import {display}
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(0, 1, (200, 2)), rng.normal(4, 1, (10, 2))])
    >>> y = np.r_[np.zeros(200), np.ones(10)]
    >>> detector = IsolationForest(random_state=0).fit(X)
    >>> display = {display}.from_estimator(detector, X, y)
    >>> display.line_.get_label()  # doctest: +ELLIPSIS"""


class _AnomalyCurveMixin:
    """Ranking by anomaly score and one shared chance level per axes."""

    # Set by each display: the legend's metric, the axis labels, the
    # scikit-learn display that draws.
    _metric_name = None
    _metric_attribute = None
    _axis_labels = None
    _sklearn_display = None

    @fill_texts(**DOC_TEXTS)
    def plot(
        self,
        ax=None,
        *,
        name=None,
        plot_chance_level=True,
        chance_level_kw=None,
        **kwargs,
    ):
        """Draw the curve.

        Parameters
        ----------
        %(ax)s

        name : str, default=None
            Legend name; overrides the one given at construction.

        plot_chance_level : bool, default=True
            Draw the curve of a random ranking: precision at the fraud rate,
            or the ROC diagonal (AUC = 0.5).

        %(chance_level_kw)s

        **kwargs : dict
            Keyword arguments of the curve's line (``matplotlib.axes.Axes.plot``).

        Returns
        -------
        display : AnomalyPrecisionRecallDisplay or AnomalyRocCurveDisplay
            This display, with the artists set.
        """
        ax, _ = get_axes(ax)
        name = self.name if name is None else name
        metric = getattr(self, self._metric_attribute)
        if metric is None:
            label = name
        else:
            summary = f"{self._metric_name} = {metric:.3f}"
            label = summary if name is None else f"{name} ({summary})"
        existing = None
        if plot_chance_level:
            xdata, ydata, chance_label = self._chance_level()
            existing = _existing_chance_level(ax, xdata, ydata)
            chance_level_kw = {
                **_CHANCE_LEVEL_STYLE,
                "label": chance_label,
                **(chance_level_kw or {}),
            }
        self._sklearn_display.plot(
            self,
            ax=ax,
            name=name,
            plot_chance_level=plot_chance_level and existing is None,
            chance_level_kw=chance_level_kw,
            **_line_kwargs(self._sklearn_display, {"label": label, **kwargs}),
        )
        if existing is not None:
            self.chance_level_ = existing
        elif plot_chance_level:
            self.chance_level_.set_gid(_CHANCE_LEVEL_GID)
        else:
            self.chance_level_ = None
        ax.set(xlabel=self._axis_labels[0], ylabel=self._axis_labels[1])
        legend = ax.get_legend()
        if legend is not None:
            legend.remove()
        if any(not text.startswith("_") for text in ax.get_legend_handles_labels()[1]):
            ax.legend(loc="best")
        return self

    @classmethod
    @fill_texts(**DOC_TEXTS)
    def from_estimator(
        cls,
        estimator,
        X,
        y,
        *,
        name=None,
        ax=None,
        plot_chance_level=True,
        chance_level_kw=None,
        **kwargs,
    ):
        """Curve of a fitted outlier detector on ``X``, fraud as the positive class.

        Parameters
        ----------
        estimator : estimator instance
            Fitted outlier detector, or a fitted Pipeline ending in one; rows
            are ranked by :func:`skfraud.metrics.anomaly_score`.

        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Rows to score.

        %(y_both_classes)s

        name : str, default=None
            Legend name; the detector's class name when None.

        %(curve_plot_params)s

        **kwargs : dict
            Keyword arguments of the curve's line.

        Returns
        -------
        %(display)s
        """
        return cls.from_predictions(
            y,
            anomaly_score(estimator, X),
            name=estimator_name(estimator) if name is None else name,
            ax=ax,
            plot_chance_level=plot_chance_level,
            chance_level_kw=chance_level_kw,
            **kwargs,
        )

    @classmethod
    @fill_texts(**DOC_TEXTS)
    def from_predictions(
        cls,
        y_true,
        anomaly_scores,
        *,
        name=None,
        ax=None,
        plot_chance_level=True,
        chance_level_kw=None,
        **kwargs,
    ):
        """Curve of given anomaly scores, fraud as the positive class.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,)
            1 = fraud, 0 = normal; both must occur.

        %(anomaly_scores)s

        name : str, default=None
            Legend name.

        %(curve_plot_params)s

        **kwargs : dict
            Keyword arguments of the curve's line.

        Returns
        -------
        %(display)s
        """
        y, scores = _labels_and_scores(y_true, anomaly_scores)
        return cls._from_scores(y, scores, name).plot(
            ax,
            plot_chance_level=plot_chance_level,
            chance_level_kw=chance_level_kw,
            **kwargs,
        )


@fill_texts(**DOC_TEXTS, curve_example=_curve_example("AnomalyPrecisionRecallDisplay"))
class AnomalyPrecisionRecallDisplay(_AnomalyCurveMixin, PrecisionRecallDisplay):
    """Precision-recall curve of an outlier detector, fraud as the positive class.

    A :class:`~sklearn.metrics.PrecisionRecallDisplay` whose rows are ranked
    by their anomaly score (higher = more anomalous, see
    :func:`skfraud.metrics.anomaly_score`), so the curve is right for any
    outlier detector: skfraud's, scikit-learn's or a Pipeline ending in one.
    Create it with :meth:`from_estimator` or :meth:`from_predictions`; pass the
    same ``ax`` to draw several detectors together.

    Parameters
    ----------
    precision : ndarray
        Precision at each threshold, as from
        :func:`~sklearn.metrics.precision_recall_curve`.

    recall : ndarray
        Recall at each threshold.

    average_precision : float, default=None
        Shown in the legend when given.

    fraud_rate : float, default=None
        Share of fraud rows: the precision of a random ranking, drawn as the
        chance level.

    %(name_legend)s

    Attributes
    ----------
    %(line_attribute)s

    chance_level_ : matplotlib Line2D or None
        The chance level, or None when it is not drawn. When the axes already
        show the same chance level, that line is reused rather than drawn
        twice.

    %(curve_attributes)s

    See Also
    --------
    AnomalyRocCurveDisplay : ROC curve with fraud as the positive class.
    plot_detector_curves : Curves of several detectors on one axes.

    Examples
    --------
    %(curve_example)s
    'IsolationForest (AP = 0...)'
    >>> display.average_precision > display.fraud_rate  # better than chance
    True
    """

    _metric_name = "AP"
    _metric_attribute = "average_precision"
    _axis_labels = (
        "Recall (share of fraud caught)",
        "Precision (flagged rows that are fraud)",
    )
    _sklearn_display = PrecisionRecallDisplay

    def __init__(
        self, *, precision, recall, average_precision=None, fraud_rate=None, name=None
    ):
        super().__init__(
            precision,
            recall,
            average_precision=average_precision,
            pos_label=1,
            prevalence_pos_label=fraud_rate,
        )
        self.fraud_rate = fraud_rate
        self.name = name

    def _chance_level(self):
        if self.fraud_rate is None:
            raise ValueError(
                "The chance level of a precision-recall curve is the fraud "
                "rate; pass fraud_rate or plot_chance_level=False."
            )
        rate = float(self.fraud_rate)
        return [0.0, 1.0], [rate, rate], f"Chance level (fraud rate = {rate:.3f})"

    @classmethod
    def _from_scores(cls, y, scores, name):
        precision, recall, _ = precision_recall_curve(y, scores, pos_label=1)
        return cls(
            precision=precision,
            recall=recall,
            average_precision=float(average_precision_score(y, scores, pos_label=1)),
            fraud_rate=float(y.mean()),
            name=name,
        )


@fill_texts(**DOC_TEXTS, curve_example=_curve_example("AnomalyRocCurveDisplay"))
class AnomalyRocCurveDisplay(_AnomalyCurveMixin, RocCurveDisplay):
    """ROC curve of an outlier detector, fraud as the positive class.

    A :class:`~sklearn.metrics.RocCurveDisplay` whose rows are ranked by
    their anomaly score (higher = more anomalous, see
    :func:`skfraud.metrics.anomaly_score`), so the curve is right for any
    outlier detector, where scikit-learn's ROC tools on ``score_samples``
    would draw ``1 - AUC``. Create it with :meth:`from_estimator` or
    :meth:`from_predictions`; pass the same ``ax`` to draw several detectors
    together.

    Parameters
    ----------
    fpr : ndarray
        False-positive rate at each threshold, as from
        :func:`~sklearn.metrics.roc_curve`.

    tpr : ndarray
        True-positive rate (recall of fraud) at each threshold.

    roc_auc : float, default=None
        Area under the curve, shown in the legend when given.

    %(name_legend)s

    Attributes
    ----------
    %(line_attribute)s

    chance_level_ : matplotlib Line2D or None
        The diagonal of a random ranking, or None when it is not drawn. When
        the axes already show it, that line is reused rather than drawn twice.

    %(curve_attributes)s

    See Also
    --------
    AnomalyPrecisionRecallDisplay : Precision-recall curve, more telling when
        fraud is rare.
    plot_detector_curves : Curves of several detectors on one axes.

    Examples
    --------
    %(curve_example)s
    'IsolationForest (AUC = 0...)'
    """

    _metric_name = "AUC"
    _metric_attribute = "roc_auc"
    _axis_labels = (
        "False positive rate (share of normal rows flagged)",
        "True positive rate (share of fraud caught)",
    )
    _sklearn_display = RocCurveDisplay

    def __init__(self, *, fpr, tpr, roc_auc=None, name=None):
        super().__init__(fpr=fpr, tpr=tpr, roc_auc=roc_auc, pos_label=1)
        self.name = name

    def _chance_level(self):
        return [0.0, 1.0], [0.0, 1.0], "Chance level (AUC = 0.5)"

    @classmethod
    def _from_scores(cls, y, scores, name):
        fpr, tpr, _ = roc_curve(y, scores, pos_label=1)
        return cls(fpr=fpr, tpr=tpr, roc_auc=float(roc_auc_score(y, scores)), name=name)


_CURVE_DISPLAYS = {
    "precision_recall": AnomalyPrecisionRecallDisplay,
    "roc": AnomalyRocCurveDisplay,
}


@fill_texts(**DOC_TEXTS)
def plot_detector_curves(
    detectors, X, y, *, kind="precision_recall", ax=None, plot_chance_level=True
):
    """Draw the precision-recall or ROC curves of several detectors on one axes.

    Each detector's curve is labelled with its name and its average precision
    (or ROC AUC); the chance level is drawn once.

    Parameters
    ----------
    detectors : dict or list of estimator instances
        Fitted outlier detectors (or Pipelines ending in one). A dict maps
        legend names to detectors; a list names each by its class.

    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        Rows to score, the same for every detector.

    %(y_both_classes)s

    kind : {"precision_recall", "roc"}, default="precision_recall"
        Which curve to draw.

    %(ax)s

    plot_chance_level : bool, default=True
        Draw the chance level (the fraud rate, or the ROC diagonal).

    Returns
    -------
    displays : list of AnomalyPrecisionRecallDisplay or AnomalyRocCurveDisplay
        One display per detector, in order, all on the same axes. The last
        one holds the chance level in ``chance_level_``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.ensemble import IsolationForest
    >>> from sklearn.neighbors import LocalOutlierFactor
    >>> from skfraud.plotting import plot_detector_curves
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(0, 1, (200, 2)), rng.normal(3, 1, (10, 2))])
    >>> y = np.r_[np.zeros(200), np.ones(10)]
    >>> detectors = {
    ...     "iforest": IsolationForest(random_state=0).fit(X),
    ...     "lof": LocalOutlierFactor(novelty=True).fit(X),
    ... }
    >>> displays = plot_detector_curves(detectors, X, y, kind="roc")
    >>> len(displays[0].ax_.get_lines())  # two curves and the chance level
    3
    """
    if kind not in _CURVE_DISPLAYS:
        raise ValueError(
            f"kind must be one of {sorted(_CURVE_DISPLAYS)}; got {kind!r}."
        )
    if hasattr(detectors, "fit"):
        raise TypeError(
            "detectors must be a dict of name -> detector or a list of detectors; "
            f"got a single {type(detectors).__name__}. Wrap it in a list."
        )
    if isinstance(detectors, dict):
        named = list(detectors.items())
    else:
        named = [(None, detector) for detector in detectors]
    if not named:
        raise ValueError("detectors is empty; pass at least one fitted detector.")
    display_class = _CURVE_DISPLAYS[kind]
    displays = []
    for index, (name, detector) in enumerate(named):
        # The chance level goes last, so that it closes the legend.
        display = display_class.from_estimator(
            detector,
            X,
            y,
            name=name,
            ax=ax,
            plot_chance_level=plot_chance_level and index == len(named) - 1,
        )
        ax = display.ax_
        displays.append(display)
    return displays
