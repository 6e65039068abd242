"""Detectors built from several models.

:class:`FewLabelDetector` is the recipe for a few confirmed frauds among
many unlabelled rows, in one line.

:class:`RankAverageDetector` fits detectors and classifiers on the same rows
and averages their anomaly ranks: with a few labelled frauds, the
combination of skfraud's few-label detectors and a classifier behind
:class:`~skfraud.preprocessing.DetectorScores` leads each of them alone.
:class:`SubsampleEnsembleDetector` fits copies of one detector on small
random subsamples and averages their scores: anomalies hidden in the
training rows are then missing from most copies' data.
"""

from skfraud.ensemble._few_label import (
    FewLabelDetector,
    bagged_gradient_boosting,
    few_label_estimators,
)
from skfraud.ensemble._rank_average import RankAverageDetector
from skfraud.ensemble._subsample_ensemble import SubsampleEnsembleDetector

__all__ = [
    "FewLabelDetector",
    "RankAverageDetector",
    "SubsampleEnsembleDetector",
    "bagged_gradient_boosting",
    "few_label_estimators",
]
