"""The peers: scikit-learn's detectors and PyOD's deep models, behind one interface.

Every peer is used with its own default parameters (``random_state`` set to
the seed, PyOD's training output silenced). PyOD is an optional benchmark
dependency (``pip install skfraud[benchmark]``); without it its models are
skipped.
"""

import contextlib
import importlib.util
import io

import numpy as np
from sklearn.base import BaseEstimator, OutlierMixin, clone
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    IsolationForest,
)
from sklearn.neighbors import LocalOutlierFactor
from sklearn.svm import OneClassSVM

from skfraud.benchmark._shared_fits import fit_estimator
from skfraud.benchmark._spec import FEW_LABEL, LABEL_FREE, ModelSpec
from skfraud.detectors import KNNDetector
from skfraud.ensemble import bagged_gradient_boosting

__all__ = [
    "OCSVM_MAX_ROWS",
    "PEERS",
    "ClassifierAsDetector",
    "KNNDetector",
    "PyODAsDetector",
    "bagged_gradient_boosting",
    "is_available",
]

# The kernel matrix and the support vectors grow with the square of the rows.
OCSVM_MAX_ROWS = 10_000


def is_available(package):
    """Whether ``package`` can be imported (None: nothing is required)."""
    return package is None or importlib.util.find_spec(package) is not None


class _AsDetector(OutlierMixin, BaseEstimator):
    """Fit a clone of ``estimator`` quietly; score with the negated anomaly score.

    Subclasses say what their estimator's anomaly score (higher = more
    anomalous) is in ``_anomaly_score``.

    Parameters
    ----------
    estimator : estimator instance
        Unfitted; :meth:`fit` trains a clone of it.
    """

    def __init__(self, estimator):
        self.estimator = estimator

    def fit(self, X, y=None):
        """Fit a clone of the estimator, without its training printout.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,), default=None
            Passed on when given (1 = known anomaly, 0 = unlabelled).

        Returns
        -------
        self : object
        """
        self.estimator_ = clone(self.estimator, safe=False)
        with contextlib.redirect_stdout(io.StringIO()):
            fit_estimator(self.estimator_, X, y)
        return self

    def score_samples(self, X):
        """Minus the anomaly score: higher = more normal.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        scores : ndarray of shape (n_samples,)
        """
        with contextlib.redirect_stdout(io.StringIO()):
            return -np.asarray(self._anomaly_score(X), dtype=np.float64)


class PyODAsDetector(_AsDetector):
    """A PyOD detector with scikit-learn's score convention.

    PyOD's ``decision_function`` grows with the anomaly; ``score_samples``
    here is its negative, so that higher means more normal as for every
    scikit-learn and skfraud detector.

    Parameters
    ----------
    estimator : PyOD detector
        Unfitted; :meth:`fit` trains a clone of it.
    """

    def _anomaly_score(self, X):
        return self.estimator_.decision_function(X)


class ClassifierAsDetector(_AsDetector):
    """A classifier trained on the few labels, scored as a detector.

    ``score_samples`` is minus the predicted probability of class 1, so that
    the supervised baseline ranks rows like the detectors do.

    Parameters
    ----------
    estimator : classifier instance
        Unfitted; :meth:`fit` trains a clone of it on y (1 = known anomaly,
        0 = unlabelled).
    """

    def _anomaly_score(self, X):
        return self.estimator_.predict_proba(X)[:, 1]


def _isolation_forest(random_state, n_features, protocol):
    return IsolationForest(random_state=random_state)


def _local_outlier_factor(random_state, n_features, protocol):
    return LocalOutlierFactor(novelty=True)


def _knn(random_state, n_features, protocol):
    return KNNDetector(n_neighbors=5)


def _one_class_svm(random_state, n_features, protocol):
    return OneClassSVM()


def _gradient_boosting(random_state, n_features, protocol):
    classifier = HistGradientBoostingClassifier(random_state=random_state)
    return ClassifierAsDetector(classifier)


def _bagged_gradient_boosting(random_state, n_features, protocol):
    return ClassifierAsDetector(bagged_gradient_boosting(random_state))


def _pyod_autoencoder(random_state, n_features, protocol):
    from pyod.models.auto_encoder import AutoEncoder

    return PyODAsDetector(AutoEncoder(random_state=random_state, verbose=0))


def _pyod_vae(random_state, n_features, protocol):
    from pyod.models.vae import VAE

    return PyODAsDetector(VAE(random_state=random_state, verbose=0))


def _pyod_deep_svdd(random_state, n_features, protocol):
    from pyod.models.deep_svdd import DeepSVDD

    return PyODAsDetector(
        DeepSVDD(n_features=n_features, random_state=random_state, verbose=0)
    )


def _pyod_devnet(random_state, n_features, protocol):
    from pyod.models.devnet import DevNet

    return PyODAsDetector(DevNet(random_seed=random_state))


PEERS = {
    spec.name: spec
    for spec in (
        ModelSpec(
            "IsolationForest",
            "peer",
            _isolation_forest,
            # Under few-label it ignores the labels: the unsupervised reference.
            protocols=LABEL_FREE | FEW_LABEL,
            epochs_param=None,
        ),
        ModelSpec("kNN", "peer", _knn, epochs_param=None),
        ModelSpec(
            "LocalOutlierFactor", "peer", _local_outlier_factor, epochs_param=None
        ),
        ModelSpec(
            "OneClassSVM",
            "peer",
            _one_class_svm,
            max_fit_rows=OCSVM_MAX_ROWS,
            epochs_param=None,
        ),
        ModelSpec(
            "PyOD AutoEncoder",
            "peer",
            _pyod_autoencoder,
            requires="pyod",
            epochs_param="estimator__epoch_num",
        ),
        ModelSpec(
            "PyOD VAE",
            "peer",
            _pyod_vae,
            requires="pyod",
            epochs_param="estimator__epoch_num",
        ),
        ModelSpec(
            "PyOD DeepSVDD",
            "peer",
            _pyod_deep_svdd,
            requires="pyod",
            epochs_param="estimator__epochs",
        ),
        ModelSpec(
            "HistGradientBoostingClassifier",
            "peer",
            _gradient_boosting,
            protocols=FEW_LABEL,
            uses_labels=True,
            epochs_param=None,
        ),
        ModelSpec(
            "bagged HistGradientBoostingClassifier",
            "peer",
            _bagged_gradient_boosting,
            protocols=FEW_LABEL,
            uses_labels=True,
            epochs_param=None,
        ),
        ModelSpec(
            "PyOD DevNet",
            "peer",
            _pyod_devnet,
            protocols=FEW_LABEL,
            uses_labels=True,
            requires="pyod",
            epochs_param="estimator__epochs",
        ),
    )
}
