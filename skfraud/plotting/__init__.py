"""Displays for outlier detectors, in the style of scikit-learn's.

Every display is built with ``from_estimator`` (or ``from_predictions`` where
scores suffice), draws on new axes or on the ``ax`` it is given, and keeps its
artists as attributes (``line_``, ``scatter_``, ...) along with ``ax_`` and
``figure_``. Curves and scores treat fraud (``y == 1``) as the positive class
and rank rows by anomaly score (higher = more anomalous) for any outlier
detector, skfraud's or scikit-learn's.

matplotlib is optional: it is imported only when a display draws (install it
with ``pip install skfraud[plot]``).
"""

from skfraud.plotting._curves import (
    AnomalyPrecisionRecallDisplay,
    AnomalyRocCurveDisplay,
    plot_detector_curves,
)
from skfraud.plotting._latent import GMMSpaceDisplay, LatentSpaceDisplay
from skfraud.plotting._scores import ScoreDistributionDisplay
from skfraud.plotting._training import TrainingCurveDisplay

__all__ = [
    "AnomalyPrecisionRecallDisplay",
    "AnomalyRocCurveDisplay",
    "GMMSpaceDisplay",
    "LatentSpaceDisplay",
    "ScoreDistributionDisplay",
    "TrainingCurveDisplay",
    "plot_detector_curves",
]
