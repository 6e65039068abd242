"""Detectors built from several models.

:class:`RankAverageDetector` fits detectors and classifiers on the same rows
and averages their anomaly ranks: with a few labelled frauds, the
combination of skfraud's few-label detectors and a classifier behind
:class:`~skfraud.preprocessing.DetectorScores` leads each of them alone.
"""

from skfraud._rank_average import RankAverageDetector

__all__ = ["RankAverageDetector"]
