"""Members' anomaly scores, their ranks, and member weights learnt by CV.

The pieces of :class:`~skfraud.ensemble.RankAverageDetector` that act on
one member at a time: fit it, rank its anomaly scores (a detector's or a
classifier's, :func:`skfraud._threshold.anomaly_scores`) against the
training rows', and weigh the members by how well they rank held-out
labelled frauds.
"""

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import clone
from sklearn.metrics import average_precision_score
from sklearn.model_selection import check_cv
from sklearn.utils import _safe_indexing
from sklearn.utils.validation import _num_samples

from skfraud._threshold import anomaly_scores, check_anomaly_labels

__all__ = [
    "cross_validated_weights",
    "fit_member",
    "ranks",
    "weights_from_lift",
]

#: Share of each learnt weight spread evenly over the members.
SHRINKAGE = 0.5


def fit_member(estimator, X, y):
    return estimator.fit(X) if y is None else estimator.fit(X, y)


def ranks(sorted_reference, scores):
    """Share of the reference scores below each score, ties counting half."""
    below = np.searchsorted(sorted_reference, scores, side="left")
    not_above = np.searchsorted(sorted_reference, scores, side="right")
    return (below + not_above) / (2.0 * len(sorted_reference))


def _held_out_ranks(estimator, X, y, train, held):
    fitted = fit_member(clone(estimator), _safe_indexing(X, train), y[train])
    reference = np.sort(anomaly_scores(fitted, _safe_indexing(X, train)))
    return held, ranks(reference, anomaly_scores(fitted, _safe_indexing(X, held)))


def weights_from_lift(auprc, labelled_share, shrinkage=SHRINKAGE):
    """Weights from out-of-fold AUPRCs: each member's lift above chance.

    A member's lift is its AUPRC less ``labelled_share``, the AUPRC of a
    random ranking, floored at 0. The lifts are normalised to sum to 1
    (equal weights when none is positive), then ``shrinkage`` of the total
    is spread evenly over the members.

    >>> weights_from_lift([0.45, 0.25, 0.05], labelled_share=0.05)
    array([0.5       , 0.33333333, 0.16666667])
    """
    lift = np.maximum(np.asarray(auprc, dtype=np.float64) - labelled_share, 0.0)
    n = len(lift)
    learnt = lift / lift.sum() if lift.sum() > 0 else np.full(n, 1.0 / n)
    return shrinkage / n + (1.0 - shrinkage) * learnt


def cross_validated_weights(estimators, X, y, cv, n_jobs=None):
    """Weigh members by how well their held-out ranks find labelled frauds.

    Each member is refitted on every training part of ``cv`` (stratified on
    ``y``); the held-out rows are ranked against that fit's scores of its
    own training rows, as a new row is ranked. The AUPRC of a member's
    out-of-fold ranks against ``y`` (labelled frauds as positives, every
    other row as negative) sets its weight through
    :func:`weights_from_lift`.

    Parameters
    ----------
    estimators : list of estimator
        The members, unfitted; each is cloned for every fold.
    X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
        1 for a known fraud, 0 for any other row.
    cv : int or cross-validation splitter
        As ``cv`` of :func:`~sklearn.model_selection.cross_validate`; an
        int means that many stratified folds.
    n_jobs : int or None, default=None
        Member-fold fits run in parallel with joblib.

    Returns
    -------
    weights : ndarray of shape (n_members,)
        Summing to 1.
    auprc : ndarray of shape (n_members,)
        Each member's out-of-fold AUPRC.
    """
    y = check_anomaly_labels(y, n_samples=_num_samples(X), zero="unlabelled")
    cv = check_cv(cv, y, classifier=True)
    n_known, n_folds = int(y.sum()), cv.get_n_splits(X, y)
    if n_known < n_folds:
        raise ValueError(
            f"weights='cv' needs at least as many labelled frauds (y == 1) as "
            f"folds, so that every held-out part holds one; got {n_known} "
            f"labelled and {n_folds} folds."
        )
    folds = list(cv.split(X, y))
    parts = Parallel(n_jobs=n_jobs)(
        delayed(_held_out_ranks)(estimator, X, y, train, held)
        for estimator in estimators
        for train, held in folds
    )
    out_of_fold = np.empty((len(estimators), len(y)))
    for i, (held, held_ranks) in enumerate(parts):
        out_of_fold[i // len(folds), held] = held_ranks
    auprc = np.array([average_precision_score(y, r) for r in out_of_fold])
    return weights_from_lift(auprc, y.mean()), auprc
