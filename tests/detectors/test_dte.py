"""DTEDetector: the step classifier learns the data's shape."""

import pickle

import numpy as np
import pytest
import scipy.sparse as sp
import torch
from scipy.stats import spearmanr
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.model_selection import train_test_split

from skfraud import DTEDetector
from skfraud.nn import functional as F
from tests.conftest import make_curve_outliers

# A narrower network and a larger learning rate train the toy in seconds.
FAST = {
    "hidden_dims": (128, 128),
    "dropout": 0.0,
    "max_epochs": 30,
    "lr": 2e-3,
    "batch_size": 32,
    "random_state": 0,
    "device": "cpu",
}


@pytest.fixture(scope="module")
def curve():
    return make_curve_outliers()


@pytest.fixture(scope="module")
def fitted(curve):
    return DTEDetector(**FAST).fit(curve)


def is_outlier(X):
    return np.arange(len(X)) >= len(X) - 3


def test_outliers_off_the_curve_rank_last(curve, fitted):
    assert set(np.argsort(fitted.score_samples(curve))[:3]) == {300, 301, 302}


def test_an_untrained_network_does_not_rank_them(curve, fitted):
    untrained = DTEDetector(**{**FAST, "max_epochs": 1, "lr": 1e-9}).fit(curve)
    untrained_auc = roc_auc_score(is_outlier(curve), -untrained.score_samples(curve))
    assert roc_auc_score(is_outlier(curve), -fitted.score_samples(curve)) == 1.0
    assert untrained_auc < 0.9


def test_training_loss_falls_below_the_uniform_guess(fitted):
    losses = fitted.history_[:, "train_loss"]
    # ln 7: the cross-entropy of a classifier that cannot tell the bins apart.
    assert losses[0] > 0.95 * np.log(7)
    assert losses[-1] < 0.85 * np.log(7)


def test_score_is_the_expected_step_of_the_standardised_clean_row(curve, fitted):
    module = fitted.net_.module_
    X = torch.as_tensor(curve, dtype=torch.float32)
    mean, std = X.mean(dim=0), X.std(dim=0, correction=0)
    torch.testing.assert_close(module.standardize.mean, mean)
    torch.testing.assert_close(module.standardize.std, std)
    with torch.no_grad():
        logits = module.classifier((X - mean) / std)
        expected = F.expected_diffusion_step(logits, module.bin_centres)
    np.testing.assert_allclose(-fitted.score_samples(curve), expected, rtol=1e-5)
    # Scores read in steps.
    assert 0 <= expected.min() and expected.max() < fitted.n_steps


def test_standardisation_makes_the_fit_scale_free(curve, fitted):
    rescaled = DTEDetector(**FAST).fit(curve * 1000.0 + 5.0)
    scores = rescaled.score_samples(curve * 1000.0 + 5.0)
    assert spearmanr(scores, fitted.score_samples(curve)).statistic > 0.99


def test_constant_feature_is_not_divided_by_zero(curve):
    X = np.column_stack([curve, np.full(len(curve), 3.0)])
    detector = DTEDetector(**{**FAST, "max_epochs": 2}).fit(X)
    assert float(detector.net_.module_.standardize.std[-1]) == 1.0
    assert np.isfinite(detector.score_samples(X)).all()


def test_same_seed_same_scores_and_global_rng_untouched(curve, fitted):
    torch_state, numpy_state = torch.get_rng_state(), np.random.get_state()
    again = DTEDetector(**FAST).fit(curve)
    assert torch.equal(torch_state, torch.get_rng_state())
    assert np.array_equal(numpy_state[1], np.random.get_state()[1])
    np.testing.assert_array_equal(
        again.score_samples(curve), fitted.score_samples(curve)
    )
    other = DTEDetector(**{**FAST, "random_state": 1}).fit(curve)
    assert not np.array_equal(other.score_samples(curve), fitted.score_samples(curve))


def test_pickle_round_trip(curve, fitted):
    loaded = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(
        loaded.score_samples(curve), fitted.score_samples(curve)
    )


def test_sparse_input_gives_the_dense_scores(curve, fitted):
    sparse = DTEDetector(**FAST).fit(sp.csr_matrix(curve))
    np.testing.assert_allclose(
        sparse.score_samples(sp.csr_matrix(curve)),
        fitted.score_samples(curve),
        rtol=1e-5,
    )
    np.testing.assert_allclose(
        fitted.score_samples(sp.csr_matrix(curve)), fitted.score_samples(curve)
    )


def test_early_stopping_validates_on_noised_rows(curve):
    detector = DTEDetector(
        **{**FAST, "max_epochs": 3}, early_stopping=True, validation_fraction=0.2
    ).fit(curve)
    valid = detector.history_[:, "valid_loss"]
    assert len(valid) == 3 and np.isfinite(valid).all()


def test_more_bins_than_steps_is_rejected(curve):
    with pytest.raises(ValueError, match="n_bins=10 is more than n_steps=5"):
        DTEDetector(**{**FAST, "n_steps": 5, "n_bins": 10}).fit(curve)


@pytest.mark.parametrize("params", [{"n_bins": 1}, {"n_steps": 1}])
def test_bad_parameters(curve, params):
    with pytest.raises(ValueError, match="must be an int in the range"):
        DTEDetector(**{**FAST, **params}).fit(curve)


@pytest.mark.gpu
@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
@pytest.mark.parametrize("sparse", [False, True])
def test_gpu_training_ranks_and_pickles(curve, sparse):
    X = sp.csr_matrix(curve) if sparse else curve
    gpu = DTEDetector(**{**FAST, "device": "cuda"}).fit(X)
    assert next(gpu.net_.module_.parameters()).is_cuda
    scores = gpu.score_samples(X)
    assert set(np.argsort(scores)[:3]) == {300, 301, 302}
    loaded = pickle.loads(pickle.dumps(gpu))
    np.testing.assert_allclose(loaded.score_samples(X), scores, rtol=1e-6)


@pytest.mark.slow
def test_thyroid_floor_when_training_on_normal_rows(thyroid):
    # Floors: ROC-AUC 0.91 and AUPRC 0.15 on the held-out half. With the
    # default parameters seeds 0 and 1 gave ROC-AUC 0.979 and 0.937, AUPRC
    # 0.457 and 0.186: DTE's AUPRC varies widely between seeds here. The
    # floors sit below the worst seed.
    X, y = thyroid
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.5, stratify=y, random_state=0
    )
    detector = DTEDetector(train_on="normal", random_state=0, device="cpu")
    anomaly = -detector.fit(X_train, y_train).score_samples(X_test)
    assert roc_auc_score(y_test, anomaly) > 0.91
    assert average_precision_score(y_test, anomaly) > 0.15
