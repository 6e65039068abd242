"""The shared losses and scores against hand computations."""

import math

import numpy as np
import pytest
import torch
from scipy.stats import norm

from skfraud.nn import NegativeELBO, ReconstructionLoss
from skfraud.nn import functional as F


def test_reconstruction_error_is_mean_squared_error_per_row():
    x = torch.tensor([[1.0, 2.0], [0.0, 0.0]])
    x_hat = torch.tensor([[0.0, 0.0], [3.0, 1.0]])
    # (1 + 4) / 2 and (9 + 1) / 2
    assert F.reconstruction_error(x, x_hat).tolist() == [2.5, 5.0]


def test_gaussian_log_likelihood_matches_scipy():
    x = torch.tensor([[0.3, -1.2, 2.0]], dtype=torch.float64)
    mean = torch.tensor([[0.0, -1.0, 1.0]], dtype=torch.float64)
    log_var = torch.tensor([[0.0, math.log(0.25), math.log(4.0)]], dtype=torch.float64)
    expected = norm.logpdf([0.3, -1.2, 2.0], [0.0, -1.0, 1.0], [1.0, 0.5, 2.0]).sum()
    assert F.gaussian_log_likelihood(x, mean, log_var).item() == pytest.approx(expected)


def test_kl_divergence_by_hand():
    mu = torch.tensor([[0.0, 0.0], [1.0, -2.0]])
    log_var = torch.tensor([[0.0, 0.0], [math.log(2.0), 0.0]])
    # row 2: 0.5 * [(1 + 2 - ln 2 - 1) + (4 + 1 - 0 - 1)]
    expected = 0.5 * ((1 + 2 - math.log(2.0) - 1) + 4)
    kl = F.gaussian_kl_divergence(mu, log_var)
    assert kl[0].item() == 0.0
    assert kl[1].item() == pytest.approx(expected, rel=1e-6)


def test_reconstruction_log_probability_is_log_mean_of_densities():
    x = torch.tensor([[0.5, 1.0]], dtype=torch.float64)
    mean = torch.tensor([[[0.0, 1.0]], [[1.0, 0.0]]], dtype=torch.float64)  # L=2
    log_var = torch.zeros_like(mean)
    densities = [
        norm.pdf(0.5, 0.0, 1.0) * norm.pdf(1.0, 1.0, 1.0),
        norm.pdf(0.5, 1.0, 1.0) * norm.pdf(1.0, 0.0, 1.0),
    ]
    expected = np.log(np.mean(densities))
    result = F.reconstruction_log_probability(x, mean, log_var)
    assert result.shape == (1,)
    assert result.item() == pytest.approx(expected)


def test_reconstruction_log_probability_does_not_underflow():
    x = torch.tensor([[100.0]])
    mean = torch.zeros(5, 1, 1)
    log_var = torch.full((5, 1, 1), -10.0)
    # Each density is exp(-1e4 * e^10 / 2): zero in float32, yet its log is finite.
    assert torch.isfinite(F.reconstruction_log_probability(x, mean, log_var)).all()


def test_reconstruction_loss_is_batch_mean():
    x = torch.tensor([[1.0, 2.0], [0.0, 0.0]])
    x_hat = torch.tensor([[0.0, 0.0], [3.0, 1.0]])
    assert ReconstructionLoss()(x_hat, x).item() == pytest.approx(3.75)


@pytest.mark.parametrize(
    ("trim", "expected"),
    [
        (0.0, 4.0),  # (1 + 2 + 3 + 4 + 10) / 5
        (0.2, 2.5),  # round(0.2 * 5) = 1 value left out: the 10
        (0.3, 2.0),  # round(1.5) = 2 left out: 10 and 4
        (0.49, 2.0),
    ],
)
def test_trimmed_mean_leaves_out_the_largest_values(trim, expected):
    values = torch.tensor([3.0, 10.0, 1.0, 4.0, 2.0])
    assert F.trimmed_mean(values, trim).item() == pytest.approx(expected)


def test_trimmed_mean_keeps_at_least_one_value():
    assert F.trimmed_mean(torch.tensor([7.0]), 0.49).item() == 7.0
    assert F.trimmed_mean(torch.tensor([7.0, 1.0]), 0.49).item() == 1.0


def test_trimmed_mean_leaves_out_only_candidates():
    values = torch.tensor([3.0, 10.0, 1.0, 4.0, 2.0])
    # 10 is not a candidate: round(0.5 * 4) = 2 of the other four go, 4 and 3.
    candidates = torch.tensor([True, False, True, True, True])
    assert F.trimmed_mean(values, 0.5, candidates).item() == pytest.approx(13.0 / 3)
    # With no candidate the plain mean remains.
    none = torch.zeros(5, dtype=torch.bool)
    assert F.trimmed_mean(values, 0.4, none).item() == pytest.approx(4.0)


def test_trimmed_mean_gradient_reaches_only_the_kept_values():
    values = torch.tensor([3.0, 10.0, 1.0, 4.0], requires_grad=True)
    candidates = torch.tensor([True, True, False, True])
    F.trimmed_mean(values, 0.34, candidates).backward()
    torch.testing.assert_close(values.grad, torch.tensor([1 / 3, 0.0, 1 / 3, 1 / 3]))


def test_outlier_fence_is_tukeys_far_out_fence():
    # Quartiles of 1..9 (linear interpolation): 3 and 7; 7 + 3 * (7 - 3) = 19.
    values = torch.arange(1.0, 10.0)
    assert F.outlier_fence(values, 3.0).item() == pytest.approx(19.0)
    assert F.outlier_fence(values, 1.5).item() == pytest.approx(13.0)


def test_fenced_trim_leaves_out_only_outliers_up_to_the_share():
    values = torch.tensor([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 50, 100])
    # Quartiles 3.5 and 8.5: the fence is 8.5 + 3 * 5 = 23.5; 50 and 100 lie
    # above it. A share of 0.4 would allow round(4.4) = 4 values: only the 2
    # outliers go.
    left_out = F.trimmed_rows(values, 0.4, fence=3.0)
    assert left_out.tolist() == [False] * 9 + [True, True]
    assert F.trimmed_mean(values, 0.4, fence=3.0).item() == pytest.approx(5.0)
    # The share caps them: round(0.1 * 11) = 1, the largest, 100.
    assert F.trimmed_mean(values, 0.1, fence=3.0).item() == pytest.approx(9.5)
    # Without a fence the share is always left out: 100, 50, 9 and 8.
    assert F.trimmed_mean(values, 0.4).item() == pytest.approx(4.0)


def test_fenced_trim_leaves_values_without_outliers_alone():
    values = torch.arange(1.0, 10.0)
    assert not F.trimmed_rows(values, 0.4, fence=3.0).any()
    assert F.trimmed_mean(values, 0.4, fence=3.0).item() == pytest.approx(5.0)


def test_the_fence_is_drawn_on_the_candidates_only():
    # A labelled anomaly's huge value neither moves the fence nor is left out.
    values = torch.tensor([1.0, 2, 3, 4, 5, 6, 7, 8, 9, 1000])
    candidates = torch.tensor([True] * 9 + [False])
    assert not F.trimmed_rows(values, 0.4, candidates, fence=3.0).any()
    values[0] = 40.0  # quartiles of 2..9 and 40: 4 and 8, so the fence is 20
    left_out = F.trimmed_rows(values, 0.4, candidates, fence=3.0)
    assert left_out.tolist() == [True] + [False] * 9


def test_trimmed_mean_rejects_candidates_of_another_shape():
    with pytest.raises(ValueError, match="candidates"):
        F.trimmed_mean(torch.ones(3), 0.1, torch.ones(3))


def test_trimmed_reconstruction_loss_ignores_the_worst_rebuilt_rows():
    x = torch.zeros(4, 2)
    # Row errors (mean over features): 1, 2, 3 and 20.
    x_hat = torch.tensor([[1.0, 1.0], [2.0, 0.0], [0.0, 6.0**0.5], [0.0, 40.0**0.5]])
    assert ReconstructionLoss()(x_hat, x).item() == pytest.approx(26.0 / 4)
    assert ReconstructionLoss(trim=0.25)(x_hat, x).item() == pytest.approx(2.0)


def test_trimmed_negative_elbo_leaves_out_the_worst_explained_rows():
    # Three rows with z = q(z | x) = N(0, 1) (no KL) and unit variances:
    # each row's negative ELBO is 0.5 * (x - mean)^2 + 0.5 * log(2 pi).
    x = torch.tensor([[1.0], [2.0], [10.0]])
    zeros = torch.zeros(3, 1)
    outputs = (zeros, zeros, zeros, zeros)
    constant = 0.5 * np.log(2 * np.pi)
    per_row = 0.5 * np.array([1.0, 4.0, 100.0]) + constant
    assert NegativeELBO(beta=1.0)(outputs, x).item() == pytest.approx(per_row.mean())
    trimmed = NegativeELBO(beta=1.0, trim=0.34)(outputs, x).item()
    assert trimmed == pytest.approx(per_row[:2].mean())


@pytest.mark.parametrize("beta", [0.0, 1.0, 4.0])
def test_negative_elbo_weights_the_kl_term(beta):
    x = torch.tensor([[0.5, 1.0]])
    x_mean = torch.tensor([[0.0, 1.0]])
    x_log_var = torch.zeros(1, 2)
    z_mu = torch.tensor([[1.0]])
    z_log_var = torch.tensor([[0.0]])
    nll = -(norm.logpdf(0.5, 0.0, 1.0) + norm.logpdf(1.0, 1.0, 1.0))
    kl = 0.5 * 1.0  # 0.5 * (mu^2 + 1 - 0 - 1)
    loss = NegativeELBO(beta)((x_mean, x_log_var, z_mu, z_log_var), x)
    assert loss.item() == pytest.approx(nll + beta * kl, rel=1e-6)


def test_error_contributions_and_squared_norm_by_hand():
    x = torch.tensor([[1.0, 2.0, 4.0]])
    x_hat = torch.tensor([[0.0, 2.0, 2.0]])
    torch.testing.assert_close(
        F.squared_error_contributions(x, x_hat), torch.tensor([[1 / 3, 0.0, 4 / 3]])
    )
    torch.testing.assert_close(F.squared_norm_error(x, x_hat), torch.tensor([5.0]))


def test_reparameterize_scales_the_noise_by_the_standard_deviation():
    z_mu = torch.tensor([[1.0, -1.0]])
    z_log_var = torch.log(torch.tensor([[4.0, 0.25]]))
    noise = torch.tensor([[[1.0, 2.0]], [[-1.0, 0.0]]])  # two shared draws
    z = F.reparameterize(z_mu, z_log_var, noise)
    torch.testing.assert_close(z, torch.tensor([[[3.0, 0.0]], [[-1.0, -1.0]]]))


def test_negative_elbo_averages_the_likelihood_over_draws():
    x = torch.tensor([[0.5, -0.5]])
    mean = torch.tensor([[[0.0, 0.0]], [[1.0, -1.0]]])  # (L=2, B=1, D=2)
    log_var = torch.zeros_like(mean)
    z_mu, z_log_var = torch.tensor([[1.0]]), torch.tensor([[0.0]])
    log_likelihoods = [
        norm.logpdf([0.5, -0.5], loc=[0.0, 0.0]).sum(),
        norm.logpdf([0.5, -0.5], loc=[1.0, -1.0]).sum(),
    ]
    expected = -np.mean(log_likelihoods) + 2.0 * 0.5  # KL of N(1, 1) is 0.5
    value = F.negative_elbo(x, mean, log_var, z_mu, z_log_var, beta=2.0)
    assert value.item() == pytest.approx(expected, rel=1e-6)


def test_feature_contributions_of_the_vae_scores_by_hand():
    x = torch.tensor([[0.0, 1.0]])
    mean = torch.tensor([[[0.0, 0.0]], [[0.0, 1.0]]])
    log_var = torch.zeros_like(mean)
    densities = norm.logpdf([[0.0, 1.0], [0.0, 1.0]], loc=[[0.0, 0.0], [0.0, 1.0]])
    weights = np.exp(densities.sum(axis=1)) / np.exp(densities.sum(axis=1)).sum()
    expected = -(weights[:, None] * densities).sum(axis=0)
    contributions = F.reconstruction_probability_contributions(x, mean, log_var)
    np.testing.assert_allclose(contributions[0].numpy(), expected, rtol=1e-6)
    np.testing.assert_allclose(
        F.elbo_feature_contributions(x, mean, log_var)[0].numpy(),
        -densities.mean(axis=0),
        rtol=1e-6,
    )
