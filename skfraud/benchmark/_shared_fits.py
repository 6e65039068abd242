"""Members fitted once and shared, so that compositions compare without refits."""

from collections import OrderedDict

import joblib
from sklearn.base import BaseEstimator, clone
from sklearn.utils.metaestimators import available_if

__all__ = ["SharedFit"]

# The fitted estimators, most recently used last. A study fits every member
# on one split before it moves to the next, so a few dozen are enough.
_FITTED = OrderedDict()
_MAX_FITTED = 64


def fit_estimator(estimator, X, y=None):
    """Fit ``estimator`` on ``X``, and on ``y`` only when it is given.

    Some estimators take no ``y`` at all; others take ``y=None`` and treat it
    as unlabelled.
    """
    if y is None:
        return estimator.fit(X)
    return estimator.fit(X, y)


def _estimator_has(method):
    return lambda self: hasattr(self.estimator, method)


class SharedFit(BaseEstimator):
    """An estimator whose fit is shared by every copy fitted on the same rows.

    A study that compares compositions of the same members (rank averages
    of PReNet, Deep SAD and XGBOD in several combinations, say) would refit
    each member for every composition that holds it. Wrapped in
    ``SharedFit``, a member is fitted once per training set: a copy (a
    clone, as compositions make) fitted with the same parameters on the same
    rows and labels takes the estimator fitted first. skfraud's detectors
    and scikit-learn's estimators fit deterministically for a given
    ``random_state`` on the CPU, so the scores are those a refit gives;
    only the fit time is not. The most recent fits are kept, in the current
    process.

    It scores as the estimator does: ``score_samples`` and ``predict`` of a
    detector, ``predict_proba`` and ``classes_`` of a classifier.

    Parameters
    ----------
    estimator : estimator instance
        Unfitted; its ``random_state`` must be fixed for the fits to agree.

    Attributes
    ----------
    estimator_ : estimator instance
        The fitted estimator, possibly shared with other copies.
    """

    def __init__(self, estimator):
        self.estimator = estimator

    def fit(self, X, y=None):
        """Fit a clone of the estimator, or reuse the fit of an identical one.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,), default=None

        Returns
        -------
        self : SharedFit
        """
        key = joblib.hash((clone(self.estimator), X, y))
        if key in _FITTED:
            _FITTED.move_to_end(key)
        else:
            estimator = clone(self.estimator)
            fit_estimator(estimator, X, y)
            _FITTED[key] = estimator
            if len(_FITTED) > _MAX_FITTED:
                _FITTED.popitem(last=False)
        self.estimator_ = _FITTED[key]
        return self

    @available_if(_estimator_has("score_samples"))
    def score_samples(self, X):
        """The estimator's ``score_samples`` (a detector's: higher = more normal)."""
        return self.estimator_.score_samples(X)

    @available_if(_estimator_has("predict"))
    def predict(self, X):
        """The estimator's ``predict``."""
        return self.estimator_.predict(X)

    @available_if(_estimator_has("predict_proba"))
    def predict_proba(self, X):
        """The estimator's ``predict_proba`` (a classifier's)."""
        return self.estimator_.predict_proba(X)

    @property
    def classes_(self):
        """The classes of a fitted classifier."""
        return self.estimator_.classes_
