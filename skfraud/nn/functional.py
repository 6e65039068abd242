"""Losses and anomaly scores as pure functions of tensors.

Every function here works row by row: it takes a batch and returns one value
per row (shape ``(B,)``) unless its name says it reduces. Keeping the maths in
one place lets the tests check each formula against a hand computation.
"""

import math

import torch

from skfraud.nn._dagmm_functional import (
    cholesky_with_jitter,
    cosine_similarity,
    gmm_parameters,
    gmm_parameters_from_statistics,
    gmm_statistics,
    inverse_variance_penalty,
    merge_gmm_statistics,
    relative_euclidean_distance,
    sample_energy,
)
from skfraud.nn._devnet_functional import deviation, deviation_loss
from skfraud.nn._memae_functional import (
    attention_entropy,
    cosine_attention,
    hard_shrinkage,
)
from skfraud.nn._prenet_functional import (
    mean_pair_score,
    ordinal_pair_targets,
    pair_regression_loss,
)

__all__ = [
    "attention_entropy",
    "cholesky_with_jitter",
    "cosine_attention",
    "cosine_similarity",
    "deviation",
    "deviation_loss",
    "gaussian_kl_divergence",
    "gaussian_log_density",
    "gaussian_log_likelihood",
    "gmm_parameters",
    "gmm_parameters_from_statistics",
    "gmm_statistics",
    "hard_shrinkage",
    "inverse_variance_penalty",
    "mean_pair_score",
    "merge_gmm_statistics",
    "ordinal_pair_targets",
    "pair_regression_loss",
    "reconstruction_error",
    "reconstruction_log_probability",
    "relative_euclidean_distance",
    "sample_energy",
    "squared_error",
]

_LOG_2PI = math.log(2.0 * math.pi)


def squared_error(x, x_hat):
    """Per-feature squared error ``(x - x_hat) ** 2``, shape ``(B, D)``."""
    return (x - x_hat).square()


def reconstruction_error(x, x_hat):
    """Mean squared error of each row over its features, shape ``(B,)``."""
    return squared_error(x, x_hat).mean(dim=-1)


def gaussian_log_density(x, mean, log_var):
    """Per-feature Gaussian log-density ``log N(x_j; mean_j, exp(log_var_j))``.

    Parameters
    ----------
    x : Tensor of shape (..., D)
    mean, log_var : Tensor broadcastable to ``x``

    Returns
    -------
    Tensor of the broadcast shape
    """
    return -0.5 * (_LOG_2PI + log_var + (x - mean).square() * torch.exp(-log_var))


def gaussian_log_likelihood(x, mean, log_var):
    """Log-density of ``x`` under independent Gaussians, summed over features.

    Parameters
    ----------
    x : Tensor of shape (..., D)
    mean, log_var : Tensor broadcastable to ``x``
        Per-feature mean and log-variance.

    Returns
    -------
    Tensor of shape (...,)
        ``sum_j log N(x_j; mean_j, exp(log_var_j))``.
    """
    return gaussian_log_density(x, mean, log_var).sum(dim=-1)


def gaussian_kl_divergence(mu, log_var):
    """KL divergence ``KL(N(mu, diag(exp(log_var))) || N(0, I))`` per row."""
    return 0.5 * (mu.square() + log_var.exp() - log_var - 1.0).sum(dim=-1)


def reconstruction_log_probability(x, mean, log_var):
    """Log of the mean over ``L`` samples of ``p(x | mean_l, var_l)``.

    This is the reconstruction probability of An & Cho (2015) on the log
    scale, computed with ``logsumexp`` so that it neither underflows for
    anomalies nor overflows for very likely rows.

    Parameters
    ----------
    x : Tensor of shape (B, D)
    mean, log_var : Tensor of shape (L, B, D)
        Decoder outputs for ``L`` latent samples of every row.

    Returns
    -------
    Tensor of shape (B,)
    """
    log_p = gaussian_log_likelihood(x.unsqueeze(0), mean, log_var)  # (L, B)
    return torch.logsumexp(log_p, dim=0) - math.log(log_p.shape[0])
