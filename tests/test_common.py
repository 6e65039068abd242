"""scikit-learn's estimator checks, run once for every detector."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from skfraud import (
    AutoEncoderDetector,
    DAGMMDetector,
    DeepSVDDDetector,
    DevNetDetector,
    DTEDetector,
    MemAEDetector,
    VAEDetector,
)

# Small networks and few epochs: the checks are about the contract, not accuracy.
FAST = {"hidden_dims": (8,), "latent_dim": 2, "max_epochs": 3, "random_state": 0}

DETECTORS = [
    AutoEncoderDetector(**FAST),
    VAEDetector(**FAST, n_samples=3),
    MemAEDetector(**FAST, mem_dim=10),
    DAGMMDetector(**FAST, estimation_hidden=(4,), n_components=2, batch_size=64),
    DTEDetector(hidden_dims=(8,), max_epochs=3, n_steps=20, n_bins=4, random_state=0),
    DeepSVDDDetector(**FAST),
    DevNetDetector(
        hidden_dims=(8,),
        max_epochs=3,
        n_batches_per_epoch=2,
        batch_size=32,
        random_state=0,
    ),
]

_DEVNET_NEEDS_Y = (
    "fits the outlier detector without y; DevNetDetector requires labels "
    "(target_tags.required) and says so"
)
_DEVNET_Y_IN_1_2 = (
    "passes y in {1, 2}; DevNetDetector reads y as 1 = known anomaly, "
    "0 = unlabelled and rejects other codings, so that, say, a +1/-1 predict "
    "output is never silently taken for labels"
)

_DEEPSVDD_Y_IN_1_2 = (
    "passes y in {1, 2}; DeepSVDDDetector reads a given y as 1 = known "
    "anomaly (Deep SAD), 0 = unlabelled, and rejects other codings rather "
    "than guess which class is the anomaly"
)

EXPECTED_FAILED_CHECKS = {
    "DeepSVDDDetector": {
        "check_estimators_dtypes": _DEEPSVDD_Y_IN_1_2,
        "check_classifier_data_not_an_array": _DEEPSVDD_Y_IN_1_2,
        "check_fit2d_1feature": _DEEPSVDD_Y_IN_1_2,
    },
    "DevNetDetector": {
        "check_outliers_train": _DEVNET_NEEDS_Y,
        "check_outliers_fit_predict": _DEVNET_NEEDS_Y,
        "check_estimators_dtypes": _DEVNET_Y_IN_1_2,
        "check_classifier_data_not_an_array": _DEVNET_Y_IN_1_2,
        "check_fit2d_1feature": _DEVNET_Y_IN_1_2,
    },
}


@parametrize_with_checks(
    DETECTORS,
    expected_failed_checks=lambda est: EXPECTED_FAILED_CHECKS.get(
        type(est).__name__, {}
    ),
)
def test_sklearn_contract(estimator, check):
    check(estimator)
