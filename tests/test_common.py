"""The contract every detector keeps, run over `tests._detectors.DETECTORS`."""

import numpy as np
import pytest
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.estimator_checks import parametrize_with_checks

from tests._detectors import DETECTORS, ids, labels_for

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

EXPECTED_FAILED_CHECKS = {
    "DeepSVDDDetector": {
        "check_estimators_dtypes": _DEEPSVDD_Y_IN_1_2,
        "check_classifier_data_not_an_array": _DEEPSVDD_Y_IN_1_2,
        "check_fit2d_1feature": _DEEPSVDD_Y_IN_1_2,
    },
    "DevNetDetector": _LABELLED_ANOMALIES_CHECKS,
    "PReNetDetector": _LABELLED_ANOMALIES_CHECKS,
}


@parametrize_with_checks(
    [case.make() for case in DETECTORS],
    expected_failed_checks=lambda est: EXPECTED_FAILED_CHECKS.get(
        type(est).__name__, {}
    ),
)
def test_sklearn_contract(estimator, check):
    check(estimator)


def _string_options(case):
    """``(parameter, value)`` for every string its constraints accept."""
    for name, constraints in case.cls._parameter_constraints.items():
        for constraint in constraints:
            if isinstance(constraint, StrOptions):
                for value in sorted(constraint.options):
                    yield name, value


_STRING_OPTIONS = [
    (case, name, value) for case in DETECTORS for name, value in _string_options(case)
]


@pytest.mark.parametrize(
    "case, name, value",
    _STRING_OPTIONS,
    ids=[f"{case.name}-{name}={value}" for case, name, value in _STRING_OPTIONS],
)
def test_every_accepted_string_option_fits_and_scores(case, name, value):
    X = np.random.default_rng(0).uniform(size=(80, 6))
    detector = case.make(**{name: value}).fit(X, labels_for(X))
    scores = detector.score_samples(X)
    assert scores.shape == (80,)
    assert np.isfinite(scores).all()


def test_every_detector_has_string_options_to_check():
    # The test above reads the options from the constraints: make sure it
    # finds some for each detector rather than silently checking nothing.
    for case in DETECTORS:
        assert {"activation", "contamination"} <= {
            name for name, _ in _string_options(case)
        }, case.name


def test_the_shared_list_holds_every_public_detector():
    import skfraud
    from skfraud.base import BaseDeepDetector

    public = {
        name
        for name in skfraud.__all__
        if isinstance(getattr(skfraud, name), type)
        and issubclass(getattr(skfraud, name), BaseDeepDetector)
    }
    assert public == set(ids(DETECTORS))


_WITH_LATENT_SPACE = [case for case in DETECTORS if hasattr(case.cls, "latent_codes")]


@pytest.mark.parametrize("case", _WITH_LATENT_SPACE, ids=ids(_WITH_LATENT_SPACE))
def test_latent_codes_are_the_encoder_outputs_batch_by_batch(case, monkeypatch):
    import scipy.sparse as sp
    from sklearn.exceptions import NotFittedError

    import skfraud.base

    X = np.random.default_rng(0).uniform(size=(90, 6))
    with pytest.raises(NotFittedError):
        case.make().latent_codes(X)
    detector = case.make().fit(X, labels_for(X))
    codes = detector.latent_codes(X)
    assert codes.dtype == np.float64 and codes.shape[0] == 90
    assert codes.ndim == 2
    if "latent_dim" in detector.get_params():
        assert codes.shape[1] == detector.latent_dim
    assert np.unique(codes.round(6), axis=0).shape[0] > 1  # not a constant map
    monkeypatch.setattr(skfraud.base, "_SCORE_BATCH_ELEMENTS", 7 * 6)
    np.testing.assert_array_equal(detector.latent_codes(sp.csr_matrix(X)), codes)
    with pytest.raises(ValueError, match="expecting 6 features"):
        detector.latent_codes(X[:, :3])
