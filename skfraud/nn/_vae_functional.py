"""Pure functions of the Gaussian variational autoencoder.

The reparameterised latent draw, the KL term, the negative ELBO and the
reconstruction probability of An & Cho (2015), with its split over features.
Decoder outputs for ``L`` latent draws of a batch have shape ``(L, B, D)``.
"""

import math

import torch

from skfraud.nn._reconstruction_functional import (
    gaussian_log_density,
    gaussian_log_likelihood,
)

__all__ = [
    "elbo_feature_contributions",
    "gaussian_kl_divergence",
    "negative_elbo",
    "reconstruction_log_probability",
    "reconstruction_probability_contributions",
    "reparameterize",
]


def reparameterize(z_mu, z_log_var, noise):
    """Latent draws ``z = mu + exp(log_var / 2) * noise``.

    Parameters
    ----------
    z_mu, z_log_var : Tensor of shape (B, k)
        Mean and log-variance of ``q(z | x)``.
    noise : Tensor broadcastable against them
        Standard normal draws: ``(B, k)`` for one draw per row, ``(L, 1, k)``
        for ``L`` draws shared by every row.

    Returns
    -------
    Tensor of the broadcast shape
    """
    return z_mu + torch.exp(0.5 * z_log_var) * noise


def gaussian_kl_divergence(mu, log_var):
    """KL divergence ``KL(N(mu, diag(exp(log_var))) || N(0, I))`` per row."""
    return 0.5 * (mu.square() + log_var.exp() - log_var - 1.0).sum(dim=-1)


def negative_elbo(x, x_mean, x_log_var, z_mu, z_log_var, beta):
    """Negative ELBO of each row, ``-E_q log p(x | z) + beta * KL``, shape ``(B,)``.

    Parameters
    ----------
    x : Tensor of shape (B, D)
    x_mean, x_log_var : Tensor of shape (B, D) or (L, B, D)
        Decoder outputs for one latent draw per row, or for ``L`` draws;
        ``E_q`` is the mean over the draws.
    z_mu, z_log_var : Tensor of shape (B, k)
    beta : float
        Weight of the KL term (1 gives the ELBO itself).
    """
    negative_log_likelihood = -gaussian_log_likelihood(x, x_mean, x_log_var)
    expected = negative_log_likelihood.reshape(-1, x.shape[0]).mean(dim=0)
    return expected + beta * gaussian_kl_divergence(z_mu, z_log_var)


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


def reconstruction_probability_contributions(x, mean, log_var):
    """Per-feature split of ``-reconstruction_log_probability``, ``(B, D)``.

    A feature's contribution is its negative log-density averaged over the
    draws, each draw weighted by its share ``w_l = p(x | z_l) / sum_m
    p(x | z_m)`` of the reconstruction probability (the draws that explain
    the row best count most). A row's contributions add
    up to its negative reconstruction log-probability minus
    ``log L - H(w)``, a term between 0 and ``log L`` that is 0 when all draws
    agree.
    """
    negative_log_density = -gaussian_log_density(x, mean, log_var)  # (L, B, D)
    weights = torch.softmax(-negative_log_density.sum(dim=-1), dim=0)
    return (weights.unsqueeze(-1) * negative_log_density).sum(dim=0)


def elbo_feature_contributions(x, mean, log_var):
    """Per-feature negative log-density averaged over the draws, ``(B, D)``.

    A row's contributions add up to its negative ELBO minus the KL term,
    which belongs to no feature.
    """
    return -gaussian_log_density(x, mean, log_var).mean(dim=0)
