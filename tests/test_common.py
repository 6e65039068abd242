"""scikit-learn's estimator checks, run once for every detector."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from skfraud import (
    AutoEncoderDetector,
    DAGMMDetector,
    DevNetDetector,
    MemAEDetector,
    PReNetDetector,
    VAEDetector,
)

# Small networks and few epochs: the checks are about the contract, not accuracy.
FAST = {"hidden_dims": (8,), "latent_dim": 2, "max_epochs": 3, "random_state": 0}

DETECTORS = [
    AutoEncoderDetector(**FAST),
    VAEDetector(**FAST, n_samples=3),
    MemAEDetector(**FAST, mem_dim=10),
    DAGMMDetector(**FAST, estimation_hidden=(4,), n_components=2, batch_size=64),
    DevNetDetector(
        hidden_dims=(8,),
        max_epochs=3,
        n_batches_per_epoch=2,
        batch_size=32,
        random_state=0,
    ),
    PReNetDetector(
        hidden_dims=(8,),
        max_epochs=3,
        n_batches_per_epoch=2,
        batch_size=32,
        n_reference=5,
        random_state=0,
    ),
]

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

EXPECTED_FAILED_CHECKS = {
    "DevNetDetector": _LABELLED_ANOMALIES_CHECKS,
    "PReNetDetector": _LABELLED_ANOMALIES_CHECKS,
}


@parametrize_with_checks(
    DETECTORS,
    expected_failed_checks=lambda est: EXPECTED_FAILED_CHECKS.get(
        type(est).__name__, {}
    ),
)
def test_sklearn_contract(estimator, check):
    check(estimator)
