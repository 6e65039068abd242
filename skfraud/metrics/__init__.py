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

from skfraud.metrics._anomaly_score import anomaly_score

# Shared with skfraud.plotting, which checks scores the same way.
from skfraud.metrics._checks import _check_scores as _check_scores
from skfraud.metrics._ranking import precision_at_k, recall_at_fpr
from skfraud.metrics._scorer import (
    anomaly_average_precision_scorer,
    anomaly_roc_auc_scorer,
    get_anomaly_scorer,
    get_anomaly_scorer_names,
    make_anomaly_scorer,
)
from skfraud.metrics._threshold import ThresholdResult, set_offset, tune_threshold

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
