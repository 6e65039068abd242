"""Precision-recall and ROC curves with fraud (y = 1) as the positive class."""

import numpy as np
from sklearn.metrics import (
    average_precision_score,
    precision_recall_curve,
    roc_auc_score,
    roc_curve,
)

from skfraud.metrics import _check_anomaly_labels, _check_scores, anomaly_score
from skfraud.plotting._base import estimator_name, get_axes

__all__ = [
    "AnomalyPrecisionRecallDisplay",
    "AnomalyRocCurveDisplay",
    "plot_detector_curves",
]

# Marks chance-level lines so that several displays on one axes draw each
# distinct chance level once.
_CHANCE_LEVEL_GID = "skfraud-chance-level"


def _labels_and_scores(y_true, anomaly_scores):
    y = _check_anomaly_labels(y_true, name="y_true")
    scores = _check_scores(anomaly_scores, y)
    if np.unique(y).size < 2:
        raise ValueError(
            "y_true holds a single class; precision-recall and ROC curves need "
            "both normal (0) and fraud (1) rows."
        )
    return y, scores


def _curve_label(name, metric, value):
    if value is None:
        return name
    summary = f"{metric} = {value:.3f}"
    return summary if name is None else f"{name} ({summary})"


def _draw_chance_level(ax, xdata, ydata, label, chance_level_kw):
    for line in ax.get_lines():
        if (
            line.get_gid() == _CHANCE_LEVEL_GID
            and np.allclose(line.get_xdata(), xdata)
            and np.allclose(line.get_ydata(), ydata)
        ):
            return line
    style = {"color": "black", "linestyle": "--", "linewidth": 1, "label": label}
    (line,) = ax.plot(xdata, ydata, **{**style, **(chance_level_kw or {})})
    line.set_gid(_CHANCE_LEVEL_GID)
    return line


def _finish_axes(ax, xlabel, ylabel):
    ax.set(xlabel=xlabel, ylabel=ylabel, xlim=(-0.01, 1.01), ylim=(-0.01, 1.01))
    if any(not label.startswith("_") for label in ax.get_legend_handles_labels()[1]):
        ax.legend(loc="best")


class AnomalyPrecisionRecallDisplay:
    """Precision-recall curve of an outlier detector, fraud as the positive class.

    Rows are ranked by their anomaly score (higher = more anomalous, see
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

    name : str, default=None
        Name of the detector in the legend.

    Attributes
    ----------
    line_ : matplotlib Line2D
        The curve.

    chance_level_ : matplotlib Line2D or None
        The chance level, or None when it is not drawn. When the axes already
        show the same chance level, that line is reused rather than drawn
        twice.

    ax_ : matplotlib Axes
        Axes holding the curve.

    figure_ : matplotlib Figure
        Figure holding the axes.

    See Also
    --------
    AnomalyRocCurveDisplay : ROC curve with fraud as the positive class.
    plot_detector_curves : Curves of several detectors on one axes.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.ensemble import IsolationForest
    >>> from skfraud.plotting import AnomalyPrecisionRecallDisplay
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(0, 1, (200, 2)), rng.normal(4, 1, (10, 2))])
    >>> y = np.r_[np.zeros(200), np.ones(10)]
    >>> detector = IsolationForest(random_state=0).fit(X)
    >>> display = AnomalyPrecisionRecallDisplay.from_estimator(detector, X, y)
    >>> display.line_.get_label()  # doctest: +ELLIPSIS
    'IsolationForest (AP = 0...)'
    >>> display.average_precision > display.fraud_rate  # better than chance
    True
    """

    def __init__(
        self, *, precision, recall, average_precision=None, fraud_rate=None, name=None
    ):
        self.precision = precision
        self.recall = recall
        self.average_precision = average_precision
        self.fraud_rate = fraud_rate
        self.name = name

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
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure is created when None.

        name : str, default=None
            Legend name; overrides the one given at construction.

        plot_chance_level : bool, default=True
            Draw the precision of a random ranking (the fraud rate).

        chance_level_kw : dict, default=None
            Keyword arguments of the chance-level line.

        **kwargs : dict
            Keyword arguments of the curve's line (``matplotlib.axes.Axes.plot``).

        Returns
        -------
        display : AnomalyPrecisionRecallDisplay
            This display, with the artists set.
        """
        ax, figure = get_axes(ax)
        name = self.name if name is None else name
        label = _curve_label(name, "AP", self.average_precision)
        style = {"drawstyle": "steps-post"}
        if label is not None:
            style["label"] = label
        (self.line_,) = ax.plot(self.recall, self.precision, **{**style, **kwargs})
        self.chance_level_ = None
        if plot_chance_level:
            if self.fraud_rate is None:
                raise ValueError(
                    "The chance level of a precision-recall curve is the fraud "
                    "rate; pass fraud_rate or plot_chance_level=False."
                )
            rate = float(self.fraud_rate)
            self.chance_level_ = _draw_chance_level(
                ax,
                [0.0, 1.0],
                [rate, rate],
                f"Chance level (fraud rate = {rate:.3f})",
                chance_level_kw,
            )
        _finish_axes(
            ax,
            "Recall (share of fraud caught)",
            "Precision (flagged rows that are fraud)",
        )
        self.ax_, self.figure_ = ax, figure
        return self

    @classmethod
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
        """Precision-recall curve of a fitted outlier detector on ``X``.

        Parameters
        ----------
        estimator : estimator instance
            Fitted outlier detector, or a fitted Pipeline ending in one.

        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Rows to score.

        y : array-like of shape (n_samples,)
            1 = fraud, 0 = normal; both must occur.

        name : str, default=None
            Legend name; the detector's class name when None.

        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure is created when None.

        plot_chance_level : bool, default=True
            Draw the precision of a random ranking (the fraud rate).

        chance_level_kw : dict, default=None
            Keyword arguments of the chance-level line.

        **kwargs : dict
            Keyword arguments of the curve's line.

        Returns
        -------
        display : AnomalyPrecisionRecallDisplay
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
        """Precision-recall curve of given anomaly scores.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,)
            1 = fraud, 0 = normal; both must occur.

        anomaly_scores : array-like of shape (n_samples,)
            Higher = more anomalous, e.g. from
            :func:`skfraud.metrics.anomaly_score`.

        name : str, default=None
            Legend name.

        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure is created when None.

        plot_chance_level : bool, default=True
            Draw the precision of a random ranking (the fraud rate).

        chance_level_kw : dict, default=None
            Keyword arguments of the chance-level line.

        **kwargs : dict
            Keyword arguments of the curve's line.

        Returns
        -------
        display : AnomalyPrecisionRecallDisplay
        """
        y, scores = _labels_and_scores(y_true, anomaly_scores)
        precision, recall, _ = precision_recall_curve(y, scores, pos_label=1)
        display = cls(
            precision=precision,
            recall=recall,
            average_precision=float(average_precision_score(y, scores, pos_label=1)),
            fraud_rate=float(y.mean()),
            name=name,
        )
        return display.plot(
            ax,
            plot_chance_level=plot_chance_level,
            chance_level_kw=chance_level_kw,
            **kwargs,
        )


class AnomalyRocCurveDisplay:
    """ROC curve of an outlier detector, fraud as the positive class.

    Rows are ranked by their anomaly score (higher = more anomalous, see
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

    name : str, default=None
        Name of the detector in the legend.

    Attributes
    ----------
    line_ : matplotlib Line2D
        The curve.

    chance_level_ : matplotlib Line2D or None
        The diagonal of a random ranking, or None when it is not drawn. When
        the axes already show it, that line is reused rather than drawn twice.

    ax_ : matplotlib Axes
        Axes holding the curve.

    figure_ : matplotlib Figure
        Figure holding the axes.

    See Also
    --------
    AnomalyPrecisionRecallDisplay : Precision-recall curve, more telling when
        fraud is rare.
    plot_detector_curves : Curves of several detectors on one axes.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.ensemble import IsolationForest
    >>> from skfraud.plotting import AnomalyRocCurveDisplay
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(0, 1, (200, 2)), rng.normal(4, 1, (10, 2))])
    >>> y = np.r_[np.zeros(200), np.ones(10)]
    >>> detector = IsolationForest(random_state=0).fit(X)
    >>> display = AnomalyRocCurveDisplay.from_estimator(detector, X, y)
    >>> display.line_.get_label()  # doctest: +ELLIPSIS
    'IsolationForest (AUC = 0...)'
    """

    def __init__(self, *, fpr, tpr, roc_auc=None, name=None):
        self.fpr = fpr
        self.tpr = tpr
        self.roc_auc = roc_auc
        self.name = name

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
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure is created when None.

        name : str, default=None
            Legend name; overrides the one given at construction.

        plot_chance_level : bool, default=True
            Draw the diagonal of a random ranking (AUC = 0.5).

        chance_level_kw : dict, default=None
            Keyword arguments of the chance-level line.

        **kwargs : dict
            Keyword arguments of the curve's line (``matplotlib.axes.Axes.plot``).

        Returns
        -------
        display : AnomalyRocCurveDisplay
            This display, with the artists set.
        """
        ax, figure = get_axes(ax)
        name = self.name if name is None else name
        label = _curve_label(name, "AUC", self.roc_auc)
        style = {} if label is None else {"label": label}
        (self.line_,) = ax.plot(self.fpr, self.tpr, **{**style, **kwargs})
        self.chance_level_ = None
        if plot_chance_level:
            self.chance_level_ = _draw_chance_level(
                ax, [0.0, 1.0], [0.0, 1.0], "Chance level (AUC = 0.5)", chance_level_kw
            )
        _finish_axes(
            ax,
            "False positive rate (share of normal rows flagged)",
            "True positive rate (share of fraud caught)",
        )
        self.ax_, self.figure_ = ax, figure
        return self

    @classmethod
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
        """ROC curve of a fitted outlier detector on ``X``.

        Parameters
        ----------
        estimator : estimator instance
            Fitted outlier detector, or a fitted Pipeline ending in one.

        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Rows to score.

        y : array-like of shape (n_samples,)
            1 = fraud, 0 = normal; both must occur.

        name : str, default=None
            Legend name; the detector's class name when None.

        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure is created when None.

        plot_chance_level : bool, default=True
            Draw the diagonal of a random ranking.

        chance_level_kw : dict, default=None
            Keyword arguments of the chance-level line.

        **kwargs : dict
            Keyword arguments of the curve's line.

        Returns
        -------
        display : AnomalyRocCurveDisplay
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
        """ROC curve of given anomaly scores.

        Parameters
        ----------
        y_true : array-like of shape (n_samples,)
            1 = fraud, 0 = normal; both must occur.

        anomaly_scores : array-like of shape (n_samples,)
            Higher = more anomalous, e.g. from
            :func:`skfraud.metrics.anomaly_score`.

        name : str, default=None
            Legend name.

        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure is created when None.

        plot_chance_level : bool, default=True
            Draw the diagonal of a random ranking.

        chance_level_kw : dict, default=None
            Keyword arguments of the chance-level line.

        **kwargs : dict
            Keyword arguments of the curve's line.

        Returns
        -------
        display : AnomalyRocCurveDisplay
        """
        y, scores = _labels_and_scores(y_true, anomaly_scores)
        fpr, tpr, _ = roc_curve(y, scores, pos_label=1)
        display = cls(
            fpr=fpr, tpr=tpr, roc_auc=float(roc_auc_score(y, scores)), name=name
        )
        return display.plot(
            ax,
            plot_chance_level=plot_chance_level,
            chance_level_kw=chance_level_kw,
            **kwargs,
        )


_CURVE_DISPLAYS = {
    "precision_recall": AnomalyPrecisionRecallDisplay,
    "roc": AnomalyRocCurveDisplay,
}


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

    y : array-like of shape (n_samples,)
        1 = fraud, 0 = normal; both must occur.

    kind : {"precision_recall", "roc"}, default="precision_recall"
        Which curve to draw.

    ax : matplotlib Axes, default=None
        Axes to draw on; a new figure is created when None.

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
