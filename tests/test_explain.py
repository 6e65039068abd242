"""Per-feature contributions and reason codes."""

import math

import numpy as np
import pandas as pd
import pytest
import torch
from sklearn.ensemble import IsolationForest
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import make_pipeline

import skfraud.nets._scoring
from skfraud import (
    AutoEncoderDetector,
    DAGMMDetector,
    MemAEDetector,
    VAEDetector,
)
from skfraud.datasets import make_transactions
from skfraud.explain import reason_codes
from skfraud.nn import functional as F
from skfraud.preprocessing import make_preprocessor

FAST = {"hidden_dims": (16,), "max_epochs": 30, "random_state": 0}


def _correlated_rows(n_rows=400, random_state=0):
    """Four features that move together (one latent factor) plus noise."""
    rng = np.random.default_rng(random_state)
    factor = rng.uniform(0.2, 0.8, size=(n_rows, 1))
    return factor + rng.normal(0.0, 0.02, size=(n_rows, 4))


@pytest.fixture(scope="module")
def rows():
    return _correlated_rows()


@pytest.fixture(scope="module")
def fitted(rows):
    return {
        "autoencoder": AutoEncoderDetector(**FAST, latent_dim=1).fit(rows),
        "memae": MemAEDetector(**FAST, latent_dim=1).fit(rows),
        "vae": VAEDetector(**FAST, latent_dim=1, n_draws=5).fit(rows),
    }


@pytest.mark.parametrize("name", ["autoencoder", "memae"])
def test_squared_error_contributions_add_up_to_the_score(fitted, rows, name):
    detector = fitted[name]
    contributions = detector.feature_contributions(rows)
    assert contributions.shape == rows.shape
    assert contributions.dtype == np.float64
    assert (contributions >= 0).all()
    np.testing.assert_allclose(
        contributions.sum(axis=1), -detector.score_samples(rows), rtol=1e-5
    )


def test_vae_reconstruction_error_contributions_add_up(rows):
    detector = VAEDetector(**FAST, anomaly_score="reconstruction_error").fit(rows)
    np.testing.assert_allclose(
        detector.feature_contributions(rows).sum(axis=1),
        -detector.score_samples(rows),
        rtol=1e-5,
    )


def test_vae_probability_contributions_fall_short_by_at_most_log_n_draws(fitted, rows):
    detector = fitted["vae"]
    gap = -detector.score_samples(rows) - detector.feature_contributions(rows).sum(1)
    # score = sum of contributions + log L - H(w), with 0 <= H(w) <= log L.
    assert (gap >= -1e-4).all()
    assert (gap <= math.log(detector.n_draws) + 1e-4).all()
    assert gap.max() > 1e-3  # the draws do not all agree, so the gap is real


def test_vae_probability_contributions_are_exact_with_one_draw(rows):
    detector = VAEDetector(**FAST, n_draws=1).fit(rows)
    np.testing.assert_allclose(
        detector.feature_contributions(rows).sum(axis=1),
        -detector.score_samples(rows),
        rtol=1e-5,
        atol=1e-5,
    )


def test_vae_elbo_contributions_leave_out_the_kl_term(rows):
    detector = VAEDetector(**FAST, anomaly_score="elbo", n_draws=3).fit(rows)
    module = detector.net_.module_
    with torch.inference_mode():
        z_mu, z_log_var = module.encode(torch.as_tensor(rows, dtype=torch.float32))
        kl = F.gaussian_kl_divergence(z_mu, z_log_var).double().numpy()
    np.testing.assert_allclose(
        detector.feature_contributions(rows).sum(axis=1) + kl,
        -detector.score_samples(rows),
        rtol=1e-4,
        atol=1e-4,
    )


@pytest.mark.parametrize("name", ["autoencoder", "memae", "vae"])
def test_the_broken_feature_is_the_first_reason(fitted, name):
    # The four features move together; the last row breaks the pattern in
    # feature x2 alone, so that is what the detector cannot rebuild.
    odd = np.array([[0.5, 0.5, 0.5, 0.5], [0.5, 0.5, 1.4, 0.5]])
    reasons = reason_codes(fitted[name], odd, n_reasons=2)
    assert reasons.loc[1, "reason_1"] == "x2"
    assert reasons.loc[1, "contribution_1"] > reasons.loc[1, "contribution_2"]
    assert reasons.loc[1, "anomaly_score"] > reasons.loc[0, "anomaly_score"]


def test_reason_codes_are_sorted_and_match_the_contributions(fitted, rows):
    detector = fitted["autoencoder"]
    reasons = reason_codes(detector, rows[:50], n_reasons=4)
    contributions = detector.feature_contributions(rows[:50])
    top = reasons[[f"contribution_{i}" for i in range(1, 5)]].to_numpy()
    assert (np.diff(top, axis=1) <= 0).all()
    np.testing.assert_allclose(top, -np.sort(-contributions, axis=1))
    np.testing.assert_allclose(
        reasons["anomaly_score"], -detector.score_samples(rows[:50])
    )


def test_reason_codes_in_a_pipeline_name_the_encoded_columns():
    X, _ = make_transactions(1500, random_state=0, return_X_y=True)
    model = make_pipeline(
        make_preprocessor(), AutoEncoderDetector(**FAST, latent_dim=4)
    ).fit(X)
    unusual = X.iloc[:5].copy()
    unusual.index = [f"txn-{i}" for i in range(5)]
    unusual.loc["txn-3", "distance_from_home_km"] = (
        50 * X["distance_from_home_km"].max()
    )
    reasons = reason_codes(model, unusual, n_reasons=3)
    assert list(reasons.index) == list(unusual.index)
    assert reasons.loc["txn-3", "reason_1"].endswith("distance_from_home_km")
    names = set(model[:-1].get_feature_names_out())
    assert (
        set(reasons[["reason_1", "reason_2", "reason_3"]].to_numpy().ravel()) <= names
    )


def test_reason_codes_use_the_dataframe_column_names(rows):
    frame = pd.DataFrame(rows, columns=["amount", "velocity", "distance", "age"])
    detector = AutoEncoderDetector(**FAST, latent_dim=1).fit(frame)
    odd = pd.DataFrame([[0.5, 0.5, 1.4, 0.5]], columns=frame.columns)
    assert reason_codes(detector, odd)["reason_1"].iloc[0] == "distance"


def test_reason_codes_reject_detectors_without_contributions(rows):
    for detector in (
        IsolationForest(random_state=0).fit(rows),
        DAGMMDetector(max_epochs=2, random_state=0).fit(rows),
    ):
        with pytest.raises(TypeError, match="splits over features"):
            reason_codes(detector, rows)


def test_reason_codes_check_n_reasons_and_fitting(fitted, rows):
    with pytest.raises(ValueError, match="n_reasons must be between 1 and the 4"):
        reason_codes(fitted["autoencoder"], rows, n_reasons=5)
    with pytest.raises(NotFittedError):
        reason_codes(AutoEncoderDetector(), rows)
    with pytest.raises(NotFittedError):
        AutoEncoderDetector().feature_contributions(rows)


@pytest.mark.parametrize("name", ["autoencoder", "memae", "vae"])
def test_contributions_do_not_depend_on_batching(fitted, rows, name, monkeypatch):
    expected = fitted[name].feature_contributions(rows)
    # Batches of 7 rows: where the batches split must not matter.
    batch_elements = 7 * rows.shape[1]
    monkeypatch.setattr(skfraud.nets._scoring, "SCORE_BATCH_ELEMENTS", batch_elements)
    np.testing.assert_allclose(
        fitted[name].feature_contributions(rows), expected, rtol=1e-5, atol=1e-7
    )
