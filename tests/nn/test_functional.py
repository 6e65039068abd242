"""The shared losses and scores against hand computations."""

import math

import numpy as np
import pytest
import torch
from scipy.stats import norm

from skfraud.nn import functional as F
from skfraud.nn.losses import NegativeELBO, ReconstructionLoss


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
