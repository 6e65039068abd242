"""DAGMM's mixture maths against scipy and hand computations."""

import math

import numpy as np
import pytest
import torch
from scipy.special import logsumexp
from scipy.stats import multivariate_normal

from skfraud.nn import DAGMM, DAGMMLoss
from skfraud.nn import functional as F


def _hand_built_gmm():
    weights = np.array([0.5, 0.3, 0.2])
    means = np.array([[0.0, 0.0, 0.0], [2.0, -1.0, 0.5], [-3.0, 1.0, 4.0]])
    covariances = np.array(
        [
            np.eye(3),
            [[2.0, 0.5, 0.0], [0.5, 1.0, -0.3], [0.0, -0.3, 0.5]],
            [[0.1, 0.02, 0.0], [0.02, 0.2, 0.05], [0.0, 0.05, 3.0]],
        ]
    )
    return weights, means, covariances


def _scipy_energy(z, weights, means, covariances):
    log_densities = np.stack(
        [
            np.log(w) + multivariate_normal(m, c).logpdf(z)
            for w, m, c in zip(weights, means, covariances, strict=True)
        ]
    )
    return -logsumexp(log_densities, axis=0)


def _t(array):
    return torch.as_tensor(np.asarray(array), dtype=torch.float64)


@pytest.mark.parametrize("scale", [1.0, 1e3])
def test_sample_energy_matches_scipy_mixture(scale):
    # scale=1e3 puts the rows where every density underflows to zero; the
    # energy must still be the exact negative log-density.
    weights, means, covariances = _hand_built_gmm()
    z = scale * np.random.default_rng(0).normal(size=(50, 3))
    cholesky = torch.linalg.cholesky(_t(covariances))
    energy = F.sample_energy(_t(z), _t(weights), _t(means), cholesky)
    expected = _scipy_energy(z, weights, means, covariances)
    assert energy.shape == (50,)
    np.testing.assert_allclose(energy.numpy(), expected, rtol=1e-10)


def test_sample_energy_ignores_a_component_without_weight():
    weights, means, covariances = _hand_built_gmm()
    weights = np.array([0.6, 0.4, 0.0])
    z = np.random.default_rng(1).normal(size=(10, 3))
    cholesky = torch.linalg.cholesky(_t(covariances))
    energy = F.sample_energy(_t(z), _t(weights), _t(means), cholesky)
    expected = _scipy_energy(z, weights[:2], means[:2], covariances[:2])
    np.testing.assert_allclose(energy.numpy(), expected, rtol=1e-10)


def test_gmm_parameters_with_hard_memberships_are_group_statistics():
    rng = np.random.default_rng(2)
    z = rng.normal(size=(40, 3))
    labels = np.arange(40) % 4 == 0  # 10 rows in component 1, 30 in component 0
    gamma = np.stack([~labels, labels], axis=1).astype(float)
    weights, means, covariances = F.gmm_parameters(_t(gamma), _t(z))
    np.testing.assert_allclose(weights.numpy(), [0.75, 0.25])
    for k, rows in enumerate([z[~labels], z[labels]]):
        np.testing.assert_allclose(means[k].numpy(), rows.mean(axis=0))
        np.testing.assert_allclose(
            covariances[k].numpy(), np.cov(rows, rowvar=False, bias=True)
        )


def test_gmm_parameters_with_soft_memberships_by_hand():
    z = _t([[0.0], [2.0]])
    gamma = _t([[0.75, 0.25], [0.25, 0.75]])
    weights, means, covariances = F.gmm_parameters(gamma, z)
    # component 0: mean (0.25 * 2) / 1 = 0.5,
    # variance (0.75 * 0.25 + 0.25 * 2.25) / 1 = 0.75
    np.testing.assert_allclose(weights.numpy(), [0.5, 0.5])
    np.testing.assert_allclose(means.numpy().ravel(), [0.5, 1.5])
    np.testing.assert_allclose(covariances.numpy().ravel(), [0.75, 0.75])


@pytest.mark.parametrize("chunk", [1, 7, 64, 200])
def test_streamed_statistics_equal_single_batch(chunk):
    rng = np.random.default_rng(3)
    # A large offset would make raw second moments cancel; the pairwise
    # merge keeps full accuracy.
    z = _t(1e4 + rng.normal(size=(200, 3)))
    gamma = torch.softmax(_t(3.0 * rng.normal(size=(200, 4))), dim=1)
    statistics = None
    for start in range(0, 200, chunk):
        batch = F.gmm_statistics(gamma[start : start + chunk], z[start : start + chunk])
        statistics = (
            batch if statistics is None else F.merge_gmm_statistics(statistics, batch)
        )
    streamed = F.gmm_parameters_from_statistics(*statistics)
    single = F.gmm_parameters(gamma, z)
    for got, expected in zip(streamed, single, strict=True):
        np.testing.assert_allclose(got.numpy(), expected.numpy(), rtol=1e-9)


def test_merge_with_a_batch_where_a_component_has_no_weight():
    z = _t([[1.0], [3.0], [10.0]])
    gamma = _t([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    first = F.gmm_statistics(gamma[:2], z[:2])  # component 1 empty here
    second = F.gmm_statistics(gamma[2:], z[2:])  # component 0 empty here
    weights, means, covariances = F.gmm_parameters_from_statistics(
        *F.merge_gmm_statistics(first, second)
    )
    np.testing.assert_allclose(weights.numpy(), [2 / 3, 1 / 3])
    np.testing.assert_allclose(means.numpy().ravel(), [2.0, 10.0])
    np.testing.assert_allclose(covariances.numpy().ravel(), [1.0, 0.0])


def test_cholesky_with_jitter_factorises_singular_covariances():
    rank_one = _t([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [3.0, 6.0, 9.0]])
    covariances = torch.stack([rank_one, torch.zeros(3, 3, dtype=torch.float64)])
    with pytest.raises(torch.linalg.LinAlgError):
        torch.linalg.cholesky(covariances)
    factor = F.cholesky_with_jitter(covariances)
    assert torch.isfinite(factor).all()
    difference = factor @ factor.mT - covariances
    # Only a small diagonal was added.
    off_diagonal = difference - torch.diag_embed(torch.diagonal(difference, 0, -2, -1))
    assert off_diagonal.abs().max() < 1e-12
    assert 0 < torch.diagonal(difference, 0, -2, -1).min()
    assert torch.diagonal(difference, 0, -2, -1).max() < 1e-4


def test_cholesky_with_jitter_raises_on_nan():
    covariances = torch.full((1, 2, 2), float("nan"), dtype=torch.float64)
    with pytest.raises(FloatingPointError, match="NaN or inf"):
        F.cholesky_with_jitter(covariances, max_tries=3)


def test_reconstruction_features_by_hand():
    x = torch.tensor([[3.0, 4.0], [1.0, 0.0]])
    x_hat = torch.tensor([[3.0, 0.0], [0.0, 2.0]])
    # ||(0, 4)|| / 5 and ||(1, -2)|| / 1
    np.testing.assert_allclose(
        F.relative_euclidean_distance(x, x_hat).numpy(), [0.8, math.sqrt(5.0)]
    )
    # 9 / (5 * 3) and 0 / (1 * 2)
    np.testing.assert_allclose(F.cosine_similarity(x, x_hat).numpy(), [0.6, 0.0])


def test_reconstruction_features_are_finite_for_zero_rows():
    x = torch.zeros(2, 3, requires_grad=True)
    x_hat = torch.tensor([[0.0, 0.0, 0.0], [0.1, 0.0, 0.0]], requires_grad=True)
    distance = F.relative_euclidean_distance(x, x_hat)
    similarity = F.cosine_similarity(x, x_hat)
    assert distance[0].item() == 0.0
    assert torch.isfinite(distance).all()
    assert similarity.tolist() == [0.0, 0.0]
    (distance.sum() + similarity.sum()).backward()
    assert torch.isfinite(x_hat.grad).all()


def test_inverse_variance_penalty_by_hand():
    covariances = _t([[[2.0, 0.3], [0.3, 4.0]], [[0.5, 0.0], [0.0, 1.0]]])
    # 1/2 + 1/4 + 1/0.5 + 1/1
    assert F.inverse_variance_penalty(covariances).item() == pytest.approx(3.75)


def test_dagmm_loss_matches_hand_computation():
    rng = np.random.default_rng(4)
    x = rng.normal(size=(30, 5))
    x_hat = x + 0.1 * rng.normal(size=(30, 5))
    z = rng.normal(size=(30, 3))
    gamma = rng.dirichlet(np.ones(2), size=30)
    loss = DAGMMLoss(lambda_energy=0.1, lambda_cov=0.005)(
        (_t(x_hat).float(), _t(z).float(), _t(gamma).float()), _t(x).float()
    )
    z32, gamma32 = z.astype(np.float32), gamma.astype(np.float32)
    counts = gamma32.sum(axis=0)
    weights = counts / 30
    means = (gamma32.T @ z32) / counts[:, None]
    covariances = np.stack(
        [
            ((gamma32[:, k, None] * (z32 - means[k])).T @ (z32 - means[k])) / counts[k]
            + 1e-6 * np.eye(3)
            for k in range(2)
        ]
    )
    expected = (
        ((x - x_hat) ** 2).sum(axis=1).mean()
        + 0.1 * _scipy_energy(z32, weights, means, covariances).mean()
        + 0.005 * sum((1 / np.diag(c)).sum() for c in covariances)
    )
    assert loss.item() == pytest.approx(expected, rel=1e-5)


def test_dagmm_loss_has_finite_gradients_on_identical_rows():
    torch.manual_seed(0)
    module = DAGMM(4, (8,), 1, "tanh", 0.0, (10,), 0.5, 4)
    x = torch.ones(64, 4)  # every row the same: all covariances are singular
    loss = DAGMMLoss(0.1, 0.005)(module(x), x)
    loss.backward()
    assert torch.isfinite(loss)
    for parameter in module.parameters():
        assert torch.isfinite(parameter.grad).all()


def test_dagmm_module_outputs():
    torch.manual_seed(0)
    module = DAGMM(6, (12, 4), 2, "tanh", 0.0, (10,), 0.5, 3).eval()
    x = torch.rand(16, 6)
    x_hat, z, gamma = module(x)
    assert x_hat.shape == (16, 6)
    assert z.shape == (16, 4)
    np.testing.assert_allclose(
        z[:, 2].detach().numpy(),
        F.relative_euclidean_distance(x, x_hat).detach().numpy(),
    )
    assert gamma.shape == (16, 3)
    np.testing.assert_allclose(gamma.sum(dim=1).detach().numpy(), 1.0, rtol=1e-6)


def test_fit_gmm_over_batches_equals_one_batch():
    generator = torch.Generator().manual_seed(0)
    z = torch.randn(50, 3, generator=generator, dtype=torch.float64)
    gamma = torch.softmax(torch.randn(50, 2, generator=generator), -1).double()
    batches = [(gamma[i : i + 16], z[i : i + 16]) for i in range(0, 50, 16)]
    weights, means, cholesky = F.fit_gmm(batches)
    expected_weights, expected_means, covariances = F.gmm_parameters(gamma, z)
    torch.testing.assert_close(weights, expected_weights)
    torch.testing.assert_close(means, expected_means)
    torch.testing.assert_close(
        cholesky, F.cholesky_with_jitter(covariances), rtol=1e-10, atol=1e-10
    )


def test_forward_in_float64_matches_the_float32_forward():
    module = DAGMM(5, (8,), 2, "tanh", 0.0, (4,), 0.0, 3).eval()
    x = torch.rand(7, 5, generator=torch.Generator().manual_seed(0))
    outputs = F.forward_in_float64(module, x)
    assert all(output.dtype == torch.float64 for output in outputs)
    assert next(module.parameters()).dtype == torch.float32
    for output64, output32 in zip(outputs, module(x), strict=True):
        torch.testing.assert_close(output64.float(), output32, rtol=1e-4, atol=1e-5)
