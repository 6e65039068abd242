"""Histograms of anomaly scores by class, with the detector's threshold."""

import numbers

import numpy as np

from skfraud._docstrings import fill_texts
from skfraud._pipeline import final_step
from skfraud.metrics import anomaly_score
from skfraud.plotting._base import (
    CLASS_STYLES,
    DOC_TEXTS,
    check_optional_labels,
    estimator_name,
    finish_plot,
    get_axes,
)

__all__ = ["ScoreDistributionDisplay"]


def _check_anomaly_scores(anomaly_scores):
    scores = np.asarray(anomaly_scores, dtype=np.float64)
    if scores.ndim != 1:
        raise ValueError(
            f"anomaly_scores must be 1-d, one score per row; got shape {scores.shape}."
        )
    if scores.size == 0:
        raise ValueError("anomaly_scores is empty.")
    if not np.all(np.isfinite(scores)):
        raise ValueError("anomaly_scores contains NaN or infinity.")
    return scores


def _check_threshold(threshold):
    if threshold is None:
        return None
    if not isinstance(threshold, numbers.Real) or isinstance(threshold, bool):
        raise TypeError(
            "threshold must be a number (in anomaly-score units), None or 'auto'; "
            f"got {threshold!r}."
        )
    if not np.isfinite(threshold):
        raise ValueError(f"threshold must be finite; got {threshold}.")
    return float(threshold)


def _bin_edges(scores, bins, log_scale):
    if not log_scale:
        return np.histogram_bin_edges(scores, bins=bins)
    if scores.min() <= 0:
        raise ValueError(
            "log_scale=True needs positive anomaly scores, but the smallest is "
            f"{scores.min():.4g}; use log_scale=False."
        )
    if np.ndim(bins) > 0:
        return np.asarray(bins, dtype=np.float64)
    return 10.0 ** np.histogram_bin_edges(np.log10(scores), bins=bins)


def detector_threshold(estimator):
    """The anomaly score above which ``estimator`` predicts -1, or None.

    A detector flags a row when ``score_samples - offset_ < 0``, that is when
    its anomaly score ``-score_samples`` exceeds ``-offset_``. A Pipeline's
    threshold is that of its last step. A detector ranked by
    ``decision_function`` alone (no ``score_samples``) flags above 0.
    """
    detector = final_step(estimator)
    if hasattr(estimator, "score_samples"):
        offset = getattr(detector, "offset_", None)
        return None if offset is None else -float(offset)
    if hasattr(estimator, "decision_function"):
        return 0.0
    return None


@fill_texts(**DOC_TEXTS)
class ScoreDistributionDisplay:
    """Histograms of a detector's anomaly scores, by class, with its threshold.

    Normal and fraud rows get one histogram each, over the same bins and
    normalised to unit area by default, so that the rare fraud rows stay
    visible next to the normal ones. A vertical line marks the threshold
    above which the detector flags a row. Create it with
    :meth:`from_estimator` or :meth:`from_predictions`.

    Parameters
    ----------
    anomaly_scores : ndarray of shape (n_samples,)
        Anomaly scores, higher = more anomalous.

    y : ndarray of shape (n_samples,), default=None
        1 = fraud, 0 = normal. Without labels a single histogram is drawn.

    threshold : float, default=None
        Threshold in anomaly-score units, drawn as a vertical line.

    %(name_title)s

    Attributes
    ----------
    hist_ : list of matplotlib BarContainer
        One histogram per class (normal, then fraud), or a single one
        without labels.

    threshold_line_ : matplotlib Line2D or None
        The threshold, or None when there is none.

    ax_ : matplotlib Axes
        Axes holding the histograms.

    %(figure_attribute)s

    See Also
    --------
    skfraud.metrics.tune_threshold : Choose a threshold on labelled data.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.ensemble import IsolationForest
    >>> from skfraud.plotting import ScoreDistributionDisplay
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(0, 1, (200, 2)), rng.normal(4, 1, (10, 2))])
    >>> y = np.r_[np.zeros(200), np.ones(10)]
    >>> detector = IsolationForest(contamination=0.05, random_state=0).fit(X)
    >>> display = ScoreDistributionDisplay.from_estimator(detector, X, y)
    >>> len(display.hist_)
    2
    >>> bool(display.threshold_line_.get_xdata()[0] == -detector.offset_)
    True
    """

    def __init__(self, *, anomaly_scores, y=None, threshold=None, name=None):
        self.anomaly_scores = anomaly_scores
        self.y = y
        self.threshold = threshold
        self.name = name

    @fill_texts(**DOC_TEXTS)
    def plot(
        self,
        ax=None,
        *,
        bins=50,
        density=True,
        log_scale=False,
        name=None,
        hist_kw=None,
        threshold_kw=None,
    ):
        """Draw the histograms and the threshold.

        Parameters
        ----------
        %(histogram_plot_params)s

        threshold_kw : dict, default=None
            Keyword arguments of the threshold line (``Axes.axvline``).

        Returns
        -------
        display : ScoreDistributionDisplay
            This display, with the artists set.
        """
        ax, figure = get_axes(ax)
        scores = _check_anomaly_scores(self.anomaly_scores)
        y = check_optional_labels(self.y, scores.shape[0])
        threshold = _check_threshold(self.threshold)
        edges = _bin_edges(scores, bins, log_scale)
        if log_scale and threshold is not None and threshold <= 0:
            raise ValueError(
                f"The threshold {threshold:.4g} is not positive, so it cannot be "
                "shown on a logarithmic axis; use log_scale=False."
            )
        hist_kw = {"alpha": 0.6, **(hist_kw or {})}
        self.hist_ = []
        if y is None:
            _, _, bars = ax.hist(
                scores, bins=edges, density=density, **{"label": "All rows", **hist_kw}
            )
            self.hist_.append(bars)
        else:
            for value, label, color in CLASS_STYLES:
                rows = scores[y == value]
                _, _, bars = ax.hist(
                    rows,
                    bins=edges,
                    density=density and rows.size > 0,
                    **{"label": f"{label} (n={rows.size})", "color": color, **hist_kw},
                )
                self.hist_.append(bars)
        self.threshold_line_ = None
        if threshold is not None:
            share_above = float(np.mean(scores > threshold))
            style = {
                "color": "black",
                "linestyle": "--",
                "label": f"Threshold = {threshold:.4g} "
                f"({share_above:.1%} of rows above)",
            }
            self.threshold_line_ = ax.axvline(
                threshold, **{**style, **(threshold_kw or {})}
            )
        if log_scale:
            ax.set_xscale("log")
        ax.set(
            xlabel="Anomaly score (higher = more anomalous)",
            ylabel="Density" if density else "Rows",
        )
        return finish_plot(self, ax, figure, name)

    @classmethod
    @fill_texts(**DOC_TEXTS)
    def from_estimator(
        cls,
        estimator,
        X,
        y=None,
        *,
        threshold="auto",
        name=None,
        ax=None,
        bins=50,
        density=True,
        log_scale=False,
        hist_kw=None,
        threshold_kw=None,
    ):
        """Score distribution of a fitted outlier detector on ``X``.

        Parameters
        ----------
        %(detector_rows)s

        %(y_histogram)s

        threshold : "auto", float or None, default="auto"
            ``"auto"`` marks the detector's own threshold, ``-offset_`` in
            anomaly-score units (that of a Pipeline's last step), when it has
            one. A float marks that anomaly score; None draws no threshold.

        %(histogram_estimator_params)s

        Returns
        -------
        display : ScoreDistributionDisplay
        """
        if isinstance(threshold, str):
            if threshold != "auto":
                raise ValueError(
                    f"threshold must be 'auto', a number or None; got {threshold!r}."
                )
            threshold = detector_threshold(estimator)
        return cls.from_predictions(
            anomaly_score(estimator, X),
            y,
            threshold=threshold,
            name=estimator_name(estimator) if name is None else name,
            ax=ax,
            bins=bins,
            density=density,
            log_scale=log_scale,
            hist_kw=hist_kw,
            threshold_kw=threshold_kw,
        )

    @classmethod
    @fill_texts(**DOC_TEXTS)
    def from_predictions(
        cls,
        anomaly_scores,
        y=None,
        *,
        threshold=None,
        name=None,
        ax=None,
        bins=50,
        density=True,
        log_scale=False,
        hist_kw=None,
        threshold_kw=None,
    ):
        """Score distribution of given anomaly scores.

        Parameters
        ----------
        %(scores_and_labels)s

        threshold : float, default=None
            Anomaly score to mark; None draws no threshold.

        name : str, default=None
            Title.

        %(histogram_params)s

        Returns
        -------
        display : ScoreDistributionDisplay
        """
        scores = _check_anomaly_scores(anomaly_scores)
        display = cls(
            anomaly_scores=scores,
            y=check_optional_labels(y, scores.shape[0]),
            threshold=_check_threshold(threshold),
            name=name,
        )
        return display.plot(
            ax,
            bins=bins,
            density=density,
            log_scale=log_scale,
            hist_kw=hist_kw,
            threshold_kw=threshold_kw,
        )
