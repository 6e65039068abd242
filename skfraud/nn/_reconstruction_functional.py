"""Reconstruction errors and Gaussian densities, row by row.

Shared by every model that rebuilds its input (autoencoder, VAE, MemAE,
DAGMM). Each function takes a batch and returns one value per row (shape
``(B,)``) or per row and feature (``(B, D)``), as its docstring says.
"""

import math

import torch

__all__ = [
    "LOG_2PI",
    "gaussian_log_density",
    "gaussian_log_likelihood",
    "reconstruction_error",
    "squared_error",
    "squared_error_contributions",
    "squared_norm_error",
]

#: ``log(2 pi)``, the constant of every Gaussian log-density.
LOG_2PI = math.log(2.0 * math.pi)


def squared_error(x, x_hat):
    """Per-feature squared error ``(x - x_hat) ** 2``, shape ``(B, D)``."""
    return (x - x_hat).square()


def reconstruction_error(x, x_hat):
    """Mean squared error of each row over its features, shape ``(B,)``."""
    return squared_error(x, x_hat).mean(dim=-1)


def squared_error_contributions(x, x_hat):
    """Each feature's share of :func:`reconstruction_error`, shape ``(B, D)``.

    ``(x_j - x_hat_j) ** 2 / D``: a row's contributions add up to its mean
    squared error.
    """
    return squared_error(x, x_hat) / x.shape[-1]


def squared_norm_error(x, x_hat):
    """Squared Euclidean norm of each row's error, ``||x - x_hat||^2``, ``(B,)``."""
    return squared_error(x, x_hat).sum(dim=-1)


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
    return -0.5 * (LOG_2PI + log_var + (x - mean).square() * torch.exp(-log_var))


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
