"""The trimmed loss of the detectors that have ``trim``: what ``"auto"`` and
``"fence"`` leave out, checked by hand on a toy with and without planted
anomalies."""

import numpy as np
import pytest
import torch

from skfraud import AutoEncoderDetector, DeepSVDDDetector, DTEDetector, VAEDetector
from skfraud.nn import functional as F

_TRIMMED = [AutoEncoderDetector, VAEDetector, DeepSVDDDetector, DTEDetector]


@pytest.mark.parametrize("detector_class", _TRIMMED)
def test_trim_rules_and_known_genuine_rows(detector_class):
    def kwargs(**params):
        _, criterion = detector_class(**params)._criterion()
        return criterion["trim"], criterion["fence"]

    assert kwargs() == (0.1, None)  # "auto": a tenth of every batch
    assert kwargs(trim="fence") == (0.1, 3.0)  # its outliers, at most a tenth
    # Rows known to be genuine are not trimmed by either rule ...
    assert kwargs(train_on="normal") == (0.0, None)
    assert kwargs(trim="fence", train_on="normal") == (0.0, None)
    # ... but a share given as a number is always left out.
    assert kwargs(trim=0.2) == kwargs(trim=0.2, train_on="normal") == (0.2, None)


def _plane(rng, n_rows, basis):
    """Rows near a 2-D plane in 6-D."""
    return rng.normal(size=(n_rows, 2)) @ basis + 0.05 * rng.normal(size=(n_rows, 6))


def _left_out_by_batch(detector, X, batch_size=256):
    """Which rows the detector's training loss leaves out, with the trained
    network's per-row losses, batch by batch as in training."""
    losses = torch.as_tensor(-detector.score_samples(X))
    _, kwargs = detector._criterion()
    return torch.cat(
        [
            F.trimmed_rows(batch, kwargs["trim"], fence=kwargs["fence"])
            for batch in losses.split(batch_size)
        ]
    ).numpy()


@pytest.fixture(scope="module")
def toy():
    rng = np.random.default_rng(0)
    basis = rng.normal(size=(2, 6))
    genuine = _plane(rng, 1024, basis)
    # 20 planted anomalies: on the plane's scale, but off it.
    planted = _plane(rng, 20, basis) + rng.normal(size=(20, 6))
    return genuine, planted


def test_fence_leaves_genuine_rows_almost_untouched(toy):
    genuine, _ = toy
    detector = AutoEncoderDetector(latent_dim=2, trim="fence", random_state=0)
    detector.fit(genuine)
    share = _left_out_by_batch(detector, genuine).mean()
    # Squared errors are skewed, more than a chi-squared value: Tukey's
    # far-out fence passes a few per cent of them (here 5 %, the rows furthest
    # along the plane), where the fixed share leaves out a tenth of every
    # batch.
    assert share <= 0.06
    fixed = AutoEncoderDetector(latent_dim=2, random_state=0).fit(genuine)
    assert _left_out_by_batch(fixed, genuine).mean() == pytest.approx(0.1, abs=0.005)


def test_fence_leaves_out_the_planted_anomalies(toy):
    genuine, planted = toy
    X = np.vstack([genuine, planted])
    order = np.random.default_rng(1).permutation(len(X))
    is_planted = np.r_[np.zeros(len(genuine), bool), np.ones(len(planted), bool)]
    detector = AutoEncoderDetector(latent_dim=2, trim="fence", random_state=0)
    detector.fit(X[order])
    left_out = _left_out_by_batch(detector, X[order])
    planted_left_out = left_out[is_planted[order]]
    # Nearly every planted row is left out, and few genuine rows with them.
    assert planted_left_out.mean() >= 0.9
    assert left_out[~is_planted[order]].mean() <= 0.06
    # Left out of the loss, the planted rows are not learnt: they rank on top.
    scores = -detector.score_samples(X[order])
    top = np.argsort(scores)[::-1][: len(planted)]
    assert is_planted[order][top].mean() >= 0.9


def test_rows_said_to_be_genuine_keep_a_rare_kind_of_genuine_row():
    # Genuine rows of two kinds, one rare (3 %), and new rows of both kinds
    # beside anomalies off the plane. Trimming cannot tell the rare kind from
    # fraud: early in training both are rebuilt worst, so both are left out
    # and never learnt. Said to be genuine (train_on="normal"), every row is
    # learnt and the rare kind ranks as normal.
    rng = np.random.default_rng(0)
    basis = rng.normal(size=(2, 6))
    genuine = np.vstack([_plane(rng, 1940, basis), _plane(rng, 60, basis) + 4.0])
    new_rows = np.vstack([_plane(rng, 300, basis), _plane(rng, 10, basis) + 4.0])
    anomalies = _plane(rng, 30, basis) + rng.normal(size=(30, 6))
    X_test = np.vstack([new_rows, anomalies])
    rare = slice(300, 310)

    def rare_rows_above_anomalies(detector):
        scores = -detector.score_samples(X_test)
        return int((scores[rare] > np.median(scores[310:])).sum())

    trimmed = AutoEncoderDetector(latent_dim=2, random_state=0).fit(genuine)
    said = AutoEncoderDetector(latent_dim=2, train_on="normal", random_state=0)
    said.fit(genuine, np.zeros(len(genuine), dtype=int))
    assert rare_rows_above_anomalies(trimmed) == 10
    assert rare_rows_above_anomalies(said) <= 2
