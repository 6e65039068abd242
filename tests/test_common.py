"""scikit-learn's estimator checks, run once for every detector."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from skfraud import AutoEncoderDetector, VAEDetector

# Small networks and few epochs: the checks are about the contract, not accuracy.
FAST = {"hidden_dims": (8,), "latent_dim": 2, "max_epochs": 3, "random_state": 0}

DETECTORS = [
    AutoEncoderDetector(**FAST),
    VAEDetector(**FAST, n_samples=3),
]

EXPECTED_FAILED_CHECKS = {}


@parametrize_with_checks(
    DETECTORS,
    expected_failed_checks=lambda est: EXPECTED_FAILED_CHECKS.get(
        type(est).__name__, {}
    ),
)
def test_sklearn_contract(estimator, check):
    check(estimator)
