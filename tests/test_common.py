"""The contract every public estimator keeps, run over the estimators found.

The estimators are discovered by walking the package
(:func:`tests._public_api.all_estimators`) and built with their entry of
:data:`tests._estimators.FAST_SETTINGS`.
"""

import numpy as np
import pytest
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.estimator_checks import parametrize_with_checks

from tests._estimators import (
    FAST_SETTINGS,
    cases,
    expected_failed_checks,
    ids,
    instances,
    is_outlier_detector_case,
    labels_for,
)
from tests._public_api import all_estimators

_SETTINGS_FILE = "tests/_estimators.py"


def test_every_public_estimator_has_fast_settings():
    missing = [cls for cls in all_estimators() if cls not in FAST_SETTINGS]
    assert not missing, "\n".join(
        f"{cls.__name__} ({cls.__module__}) has no fast settings: add an entry "
        f"`{cls.__name__}: {{...}},` to FAST_SETTINGS in {_SETTINGS_FILE}, "
        "with parameters that fit in a fraction of a second on a 120-row "
        "table (a composition: small members), a comment saying why, and the "
        "class imported from its public module there"
        for cls in missing
    )


def test_fast_settings_name_only_public_estimators():
    public = set(all_estimators())
    stale = [cls.__name__ for cls in FAST_SETTINGS if cls not in public]
    assert not stale, (
        f"FAST_SETTINGS in {_SETTINGS_FILE} has entries for {stale}, which no "
        "public skfraud module exports: remove them, or export the classes"
    )


def test_the_discovered_estimators_include_every_family():
    # A guard against a walk that silently finds nothing: one deep detector,
    # the torch-free reference, a composition and the transformer.
    names = {cls.__name__ for cls in all_estimators()}
    assert {
        "AutoEncoderDetector",
        "KNNDetector",
        "RankAverageDetector",
        "SubsampleEnsembleDetector",
        "DetectorScores",
    } <= names


@parametrize_with_checks(instances(), expected_failed_checks=expected_failed_checks)
def test_sklearn_contract(estimator, check):
    check(estimator)


DETECTORS = cases(is_outlier_detector_case)
DEEP_DETECTORS = cases(lambda case: case.is_deep)


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


@pytest.mark.parametrize("case", DETECTORS, ids=ids(DETECTORS))
def test_every_detector_has_string_options_to_check(case):
    # The test above reads the options from the constraints: make sure it
    # finds some for each detector rather than silently checking nothing.
    expected = {"activation", "contamination"} if case.is_deep else {"contamination"}
    assert expected <= {name for name, _ in _string_options(case)}


def test_the_deep_detectors_are_told_apart():
    assert "AutoEncoderDetector" in ids(DEEP_DETECTORS)
    assert not {"KNNDetector", "RankAverageDetector"} & set(ids(DEEP_DETECTORS))


_WITH_LATENT_SPACE = [case for case in DETECTORS if hasattr(case.cls, "latent_codes")]


@pytest.mark.parametrize("case", _WITH_LATENT_SPACE, ids=ids(_WITH_LATENT_SPACE))
def test_latent_codes_are_the_encoder_outputs_batch_by_batch(case, monkeypatch):
    import scipy.sparse as sp
    from sklearn.exceptions import NotFittedError

    import skfraud.nets._scoring

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
    monkeypatch.setattr(skfraud.nets._scoring, "SCORE_BATCH_ELEMENTS", 7 * 6)
    np.testing.assert_array_equal(detector.latent_codes(sp.csr_matrix(X)), codes)
    with pytest.raises(ValueError, match="expecting 6 features"):
        detector.latent_codes(X[:, :3])
