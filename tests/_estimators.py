"""Every public estimator, built with settings small enough for contract tests.

The contract tests (``tests/test_common.py``, ``tests/test_base.py``) run
over the estimators that :func:`tests._public_api.all_estimators` finds, as
scikit-learn's common tests do with ``all_estimators()`` and its instance
generator. Each class has one entry in :data:`FAST_SETTINGS`: the parameters
it is built with, or a list of them to give scikit-learn's checks several
instances (the other contract tests use the first). A public estimator
without an entry fails ``test_every_public_estimator_has_fast_settings``.
"""

from dataclasses import dataclass

import numpy as np
from sklearn.base import clone, is_outlier_detector
from sklearn.ensemble import HistGradientBoostingClassifier, IsolationForest
from sklearn.neighbors import LocalOutlierFactor
from sklearn.utils import get_tags

from skfraud import (
    AutoEncoderDetector,
    DAGMMDetector,
    DeepSVDDDetector,
    DevNetDetector,
    DTEDetector,
    KNNDetector,
    MemAEDetector,
    PReNetDetector,
    VAEDetector,
)
from skfraud.ensemble import (
    FewLabelDetector,
    RankAverageDetector,
    SubsampleEnsembleDetector,
)
from skfraud.preprocessing import DetectorScores
from tests._public_api import all_estimators

# One hidden layer, a 2-d code and 3 epochs: the contract tests check what
# fit and scoring promise, not how well the network learns, and scikit-learn's
# checks fit each detector some hundred times.
_SMALL_NET = {"hidden_dims": (8,), "latent_dim": 2, "max_epochs": 3, "random_state": 0}

# Two cheap scikit-learn detectors as members: the compositions' contract does
# not depend on what their members are.
_TWO_DETECTORS = [
    ("iforest", IsolationForest(n_estimators=20, random_state=0)),
    ("lof", LocalOutlierFactor(n_neighbors=5, novelty=True)),
]

FAST_SETTINGS = {
    AutoEncoderDetector: _SMALL_NET,
    # Three draws of the code per row for the reconstruction probability.
    VAEDetector: {**_SMALL_NET, "n_draws": 3},
    # Ten memory slots are enough to address, and cheap to attend over.
    MemAEDetector: {**_SMALL_NET, "n_slots": 10},
    # Two mixture components on a one-layer estimation network; batches of 64
    # so that the 120-row tables give two steps an epoch.
    DAGMMDetector: {
        **_SMALL_NET,
        "estimation_hidden_dims": (4,),
        "n_components": 2,
        "batch_size": 64,
    },
    # 20 noise steps in 4 classes instead of hundreds; the classifier has no
    # latent code.
    DTEDetector: {
        "hidden_dims": (8,),
        "max_epochs": 3,
        "n_steps": 20,
        "n_bins": 4,
        "random_state": 0,
    },
    DeepSVDDDetector: _SMALL_NET,
    # Two balanced batches of 32 an epoch, whatever the number of rows.
    DevNetDetector: {
        "hidden_dims": (8,),
        "max_epochs": 3,
        "n_batches_per_epoch": 2,
        "batch_size": 32,
        "random_state": 0,
    },
    # Two batches of 32 pairs an epoch, each row scored against 5 references.
    PReNetDetector: {
        "hidden_dims": (8,),
        "max_epochs": 3,
        "n_batches_per_epoch": 2,
        "batch_size": 32,
        "n_reference": 5,
        "random_state": 0,
    },
    KNNDetector: [
        # First, for the contract tests: an index of 50 of the training rows,
        # so that random_state draws something and a seed changes the scores.
        {"n_neighbors": 3, "max_samples": 50, "random_state": 0},
        # The defaults, and a single neighbour with a fixed contamination.
        {},
        {"n_neighbors": 1, "contamination": 0.1},
    ],
    RankAverageDetector: {"estimators": _TWO_DETECTORS},
    # A small forest, a nearest-neighbour detector and a small
    # gradient-boosting classifier stand for the four default members, whose
    # fits take seconds: members that score each row alike in any batch,
    # since ranks turn a float32 rounding of a network's score into a step.
    # tests/test_few_label.py checks the default members.
    FewLabelDetector: {
        "estimators": [
            ("iforest", IsolationForest(n_estimators=20)),
            ("knn", KNNDetector()),
            ("trees", HistGradientBoostingClassifier(max_iter=5)),
        ],
        "random_state": 0,
    },
    SubsampleEnsembleDetector: [
        # A small forest as the copied detector: three copies, fast to fit.
        {
            "estimator": IsolationForest(n_estimators=10),
            "n_estimators": 3,
            "random_state": 0,
        },
        # skfraud's own detector copied, with the default 8 copies.
        {"estimator": KNNDetector(n_neighbors=3), "random_state": 0},
    ],
    # The default detector list is checked too: it holds the two
    # nearest-neighbour detectors that score training rows apart.
    DetectorScores: [
        {"detectors": _TWO_DETECTORS},
        {"detectors": _TWO_DETECTORS, "passthrough": False},
        {},
    ],
}

# ---- expected failures of scikit-learn's checks ----------------------------

_NEEDS_Y = (
    "fits the outlier detector without y; the detectors that learn from "
    "labelled anomalies require y (target_tags.required) and say so"
)
_Y_IN_1_2 = (
    "passes y in {1, 2}; the detectors that learn from labelled anomalies read "
    "y as 1 = known anomaly, 0 = unlabelled and reject other codings, so that, "
    "say, a +1/-1 predict output is never silently taken for labels"
)
_LABELLED_ANOMALIES_CHECKS = {
    "check_outliers_train": _NEEDS_Y,
    "check_outliers_fit_predict": _NEEDS_Y,
    "check_estimators_dtypes": _Y_IN_1_2,
    "check_classifier_data_not_an_array": _Y_IN_1_2,
    "check_fit2d_1feature": _Y_IN_1_2,
}
_DEEPSVDD_Y_IN_1_2 = (
    "passes y in {1, 2}; DeepSVDDDetector reads a given y as 1 = known "
    "anomaly (Deep SAD), 0 = unlabelled, and rejects other codings rather "
    "than guess which class is the anomaly"
)

# predict on the training rows lets each row count itself as its nearest
# neighbour, at distance 0, so those rows look more normal than new rows and
# fewer are flagged than offset_ (set for new rows) implies. fit_predict
# labels the training rows as they should be, each against the others, so it
# differs from fit(X).predict(X) on purpose; LocalOutlierFactor makes the
# same distinction.
SCORE_TRAINING_ROWS_APART = {KNNDetector}
_TRAINING_ROWS_THROUGH_PREDICT = {
    "check_outliers_train": "predict counts each training row as its neighbour",
    "check_outliers_fit_predict": "fit_predict leaves each training row out",
}

EXPECTED_FAILED_CHECKS = {
    DeepSVDDDetector: {
        "check_estimators_dtypes": _DEEPSVDD_Y_IN_1_2,
        "check_classifier_data_not_an_array": _DEEPSVDD_Y_IN_1_2,
        "check_fit2d_1feature": _DEEPSVDD_Y_IN_1_2,
    },
    DevNetDetector: _LABELLED_ANOMALIES_CHECKS,
    PReNetDetector: _LABELLED_ANOMALIES_CHECKS,
    FewLabelDetector: _LABELLED_ANOMALIES_CHECKS,
    KNNDetector: _TRAINING_ROWS_THROUGH_PREDICT,
}

# DetectorScores' default list holds nearest-neighbour detectors that score
# their training rows each against the other rows in fit_transform, where
# transform lets a row be its own neighbour; these checks ask the two to
# agree on the same rows.
_TRAINING_ROWS_LEFT_OUT = {
    check: "fit_transform scores each training row without itself"
    for check in ("check_transformer_general", "check_transformer_data_not_an_array")
}


def expected_failed_checks(estimator):
    """``{check name: reason}`` for ``parametrize_with_checks``."""
    checks = dict(EXPECTED_FAILED_CHECKS.get(type(estimator), {}))
    if isinstance(estimator, DetectorScores) and estimator.detectors is None:
        checks.update(_TRAINING_ROWS_LEFT_OUT)
    return checks


# ---- the cases ---------------------------------------------------------------

# Labelled anomalies given to fit change these models even with the default
# train_on: Deep SAD pushes them away from the centre.
LEARNS_FROM_Y = {DeepSVDDDetector}


def _settings(cls):
    settings = FAST_SETTINGS[cls]
    return settings if isinstance(settings, list) else [settings]


def instances(classes=None):
    """Every instance that scikit-learn's checks run over, unfitted."""
    classes = all_estimators() if classes is None else classes
    return [
        clone(cls(**params))
        for cls in classes
        if cls in FAST_SETTINGS
        for params in _settings(cls)
    ]


@dataclass(frozen=True)
class Case:
    """An estimator class and the fast parameters the contract tests use."""

    cls: type
    params: dict

    @property
    def name(self):
        return self.cls.__name__

    def make(self, **overrides):
        # clone gives each test its own copy of the members of a composition.
        return clone(self.cls(**{**self.params, **overrides}))

    @property
    def parameters(self):
        return set(self.make().get_params(deep=False))

    @property
    def needs_y(self):
        """``fit`` requires labels (1 = known anomaly, 0 = unlabelled)."""
        return get_tags(self.make()).target_tags.required

    @property
    def learns_from_y(self):
        """Labelled anomalies given to ``fit`` change the model by default.

        The others learn from ``X`` alone and read ``y`` only with
        ``train_on="normal"``.
        """
        return self.cls in LEARNS_FROM_Y

    @property
    def is_deep(self):
        """Whether it trains a skorch network (``net_``, ``history_``)."""
        return {"max_epochs", "callbacks"} <= self.parameters


def cases(where=None):
    """One case per discovered estimator with fast settings, optionally filtered."""
    found = [
        Case(cls, _settings(cls)[0]) for cls in all_estimators() if cls in FAST_SETTINGS
    ]
    return [case for case in found if where is None or where(case)]


def is_outlier_detector_case(case):
    return is_outlier_detector(case.make())


def ids(cases):
    return [case.name for case in cases]


def labels_for(X):
    """y for ``X``: the first tenth of the rows are anomalies (1), the rest 0.

    Every detector accepts it: the deviation network needs labelled
    anomalies, ``train_on="normal"`` needs normal rows, and the other
    detectors ignore ``y``.
    """
    y = np.zeros(X.shape[0], dtype=int)
    y[: max(1, X.shape[0] // 10)] = 1
    return y
