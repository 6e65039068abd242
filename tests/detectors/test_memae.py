"""MemAEDetector: toy outliers, the memory ablation, attention, real-data floor."""

import numpy as np
import pytest
import torch
from sklearn.exceptions import NotFittedError
from sklearn.metrics import average_precision_score, roc_auc_score

from skfraud import AutoEncoderDetector, MemAEDetector
from skfraud.nn import functional as F
from tests.conftest import make_toy_outliers, outliers_rank_last

# Small network, enough epochs for the toy sets; the anomalies are the last 3.
TOY = {
    "hidden_dims": (16,),
    "latent_dim": 4,
    "max_epochs": 60,
    "batch_size": 64,
    "random_state": 0,
}


@pytest.fixture(scope="module")
def toy():
    return make_toy_outliers()


@pytest.fixture(scope="module")
def wide_blob():
    """A full-dimensional Gaussian blob and three far rows (the last three).

    Its inliers fill all 4 dimensions, so an autoencoder with a 4-number code
    learns something close to the identity and reconstructs the far rows
    almost as well as the blob: the case the memory is meant for.
    """
    rng = np.random.default_rng(0)
    inliers = rng.normal(0.0, 0.1, size=(300, 4))
    outliers = np.array([[1.5] * 4, [2.0, -2.0, 2.0, -2.0], [-1.8] * 4])
    return np.vstack([inliers, outliers])


# The curve of the toy rows needs a two-number code for the memory to address.
CURVE = {**TOY, "hidden_dims": (32, 16), "latent_dim": 2, "batch_size": 32}


@pytest.fixture(scope="module")
def fitted(toy):
    return MemAEDetector(**CURVE, n_slots=20).fit(toy)


def _mean_entropy(detector, X):
    return F.attention_entropy(torch.from_numpy(detector.memory_attention(X))).mean()


def test_toy_outliers_rank_last(fitted, toy):
    scores = fitted.score_samples(toy)
    assert scores.dtype == np.float64
    assert outliers_rank_last(scores)
    assert (fitted.predict(toy)[-3:] == -1).all()


def test_an_untrained_network_does_not_find_the_toy_outliers(toy):
    untrained = MemAEDetector(**CURVE, n_slots=20, lr=1e-9).fit(toy)
    scores = untrained.score_samples(toy)
    assert not outliers_rank_last(scores)
    assert roc_auc_score(np.arange(len(toy)) >= len(toy) - 3, -scores) < 0.8


@pytest.mark.parametrize("seed", [0, 1])
def test_memory_makes_anomalies_harder_to_reconstruct(wide_blob, seed):
    # Ablation: the same encoder and decoder, from the same initial weights
    # (the memory slots are drawn after them), trained on the same plain
    # mean squared error without the memory.
    params = {**TOY, "random_state": seed}
    with_memory = -MemAEDetector(**params).fit(wide_blob).score_samples(wide_blob)
    without = AutoEncoderDetector(**params, trim=0.0).fit(wide_blob)
    without = -without.score_samples(wide_blob)
    assert (with_memory[-3:] > without[-3:]).all()
    # Not only larger errors everywhere: the anomalies stand further out
    # from the inliers when the decoder can only read the memory.
    separation_with = with_memory[-3:].min() / np.median(with_memory[:300])
    separation_without = without[-3:].min() / np.median(without[:300])
    assert separation_with > separation_without


def test_loss_falls(fitted):
    losses = fitted.history_[:, "train_loss"]
    assert len(losses) == TOY["max_epochs"]
    assert np.isfinite(losses).all()
    assert losses[-1] < 0.7 * losses[0]


def test_memory_attention_rows_sum_to_one(fitted, toy):
    attention = fitted.memory_attention(toy)
    assert attention.shape == (len(toy), fitted.n_slots)
    assert attention.dtype == np.float64
    assert (attention >= 0).all()
    np.testing.assert_allclose(attention.sum(axis=1), 1.0, rtol=1e-5)
    # lambda = 1/N keeps only the slots above the average weight.
    assert ((attention > 0).sum(axis=1) < fitted.n_slots).all()


def test_attention_gets_sparser_with_larger_threshold(toy):
    params = {**TOY, "max_epochs": 10, "n_slots": 20}
    slots_used = [
        (
            MemAEDetector(**params, shrink_threshold=threshold)
            .fit(toy)
            .memory_attention(toy)
            > 0
        )
        .sum(axis=1)
        .mean()
        for threshold in (0.0, 1 / 20, 3 / 20)
    ]
    assert slots_used[0] == 20
    assert slots_used[0] > slots_used[1] > slots_used[2]


def test_training_lowers_attention_entropy(wide_blob):
    # At the paper's weight (2e-4) the entropy term is a rounding error next
    # to the reconstruction error of these toy rows, so its effect is checked
    # at a weight where it counts: against the same model after one epoch.
    params = {**TOY, "entropy_weight": 0.1}
    untrained = MemAEDetector(**{**params, "max_epochs": 1}).fit(wide_blob)
    trained = MemAEDetector(**params).fit(wide_blob)
    inliers = wide_blob[:300]
    assert _mean_entropy(trained, inliers) < 0.8 * _mean_entropy(untrained, inliers)


def test_threshold_above_every_weight_gives_zero_code_not_nan(toy):
    # Weights of 50 slots are at most e**2 / (e**2 + 49) < 0.5, so every
    # slot is cut: each row reads the zero code and the decoder learns a
    # constant, which still scores and ranks without NaN.
    detector = MemAEDetector(**{**TOY, "max_epochs": 5}, shrink_threshold=0.5)
    detector.fit(toy)
    assert (detector.memory_attention(toy) == 0).all()
    scores = detector.score_samples(toy)
    assert np.isfinite(scores).all()
    assert np.isfinite(detector.history_[:, "train_loss"]).all()


@pytest.mark.parametrize("threshold", [-0.01, 1.0, "half"])
def test_invalid_shrink_threshold(toy, threshold):
    with pytest.raises(ValueError, match="shrink_threshold"):
        MemAEDetector(shrink_threshold=threshold).fit(toy)


def test_memory_attention_checks_its_input(fitted, toy):
    with pytest.raises(ValueError, match="6 features"):
        fitted.memory_attention(toy[:, :3])
    with pytest.raises(NotFittedError):
        MemAEDetector().memory_attention(toy)


@pytest.mark.slow
def test_thyroid_floor(thyroid):
    X, y = thyroid
    # Trained on the normal rows and scored on all of them, default
    # parameters; over random_state 0-5 the ROC AUC measured 0.941-0.970 and
    # the average precision 0.357-0.509 (base rate 2.5 %). Floors: the lowest
    # of those minus a margin.
    anomaly_scores = (
        -MemAEDetector(random_state=0, train_on="normal").fit(X, y).score_samples(X)
    )
    assert roc_auc_score(y, anomaly_scores) > 0.91
    assert average_precision_score(y, anomaly_scores) > 0.30
