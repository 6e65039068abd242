"""Gaussian variational autoencoder: the network and its training criterion.

The maths lives in :mod:`skfraud.nn._vae_functional`.
"""

import torch
from torch import nn

from skfraud.nn._layers import MLP
from skfraud.nn._trimming_functional import trimmed_mean
from skfraud.nn._vae_functional import negative_elbo, reparameterize

__all__ = ["LOG_VAR_BOUNDS", "GaussianVAE", "NegativeELBO"]

# Log-variances are clamped to this range. Below it a near-constant feature
# (a rare one-hot column, say) would let the likelihood grow without bound
# during training; above it a feature is effectively ignored.
LOG_VAR_BOUNDS = (-10.0, 10.0)


class GaussianVAE(nn.Module):
    """Variational autoencoder whose decoder outputs a Gaussian per feature.

    The encoder maps ``x`` to the mean and log-variance of ``q(z | x)``; the
    decoder maps ``z`` to the mean and log-variance of ``p(x | z)``. Both
    log-variances are clamped to :data:`LOG_VAR_BOUNDS`.

    ``forward(x)`` draws one reparameterised ``z`` per row when the module is
    training and uses ``z = mu`` otherwise; it returns
    ``(x_mean, x_log_var, z_mu, z_log_var)``.
    """

    def __init__(self, n_features, hidden_dims, latent_dim, activation, dropout):
        super().__init__()
        hidden_dims = tuple(hidden_dims)
        self.encoder = MLP(n_features, hidden_dims, 2 * latent_dim, activation, dropout)
        self.decoder = MLP(
            latent_dim, hidden_dims[::-1], 2 * n_features, activation, dropout
        )

    @staticmethod
    def _split(params):
        mean, log_var = params.chunk(2, dim=-1)
        return mean, log_var.clamp(*LOG_VAR_BOUNDS)

    def encode(self, x):
        """Mean and log-variance of ``q(z | x)``."""
        return self._split(self.encoder(x))

    def decode(self, z):
        """Mean and log-variance of ``p(x | z)``; ``z`` may have leading dims."""
        return self._split(self.decoder(z))

    def forward(self, x):
        z_mu, z_log_var = self.encode(x)
        if self.training:
            z = reparameterize(z_mu, z_log_var, torch.randn_like(z_mu))
        else:
            z = z_mu
        x_mean, x_log_var = self.decode(z)
        return x_mean, x_log_var, z_mu, z_log_var


class NegativeELBO(nn.Module):
    """Negative evidence lower bound of :class:`GaussianVAE`, batch mean.

    ``-E_q log p(x | z) + beta * KL(q(z | x) || N(0, I))``, with ``E_q``
    estimated by the single reparameterised sample the module draws in
    training mode.

    Parameters
    ----------
    beta : float
        Weight of the KL term (1 gives the ELBO itself).
    trim : float, default=0.0
        Share of each batch's rows, those with the largest negative ELBO,
        left out of the mean (:func:`~skfraud.nn.functional.trimmed_mean`).
    fence : float, default=None
        Leave out only the outliers by loss, at most ``trim``
        (:func:`~skfraud.nn.functional.trimmed_rows`).
    """

    def __init__(self, beta, trim=0.0, fence=None):
        super().__init__()
        self.beta = beta
        self.trim = trim
        self.fence = fence

    def forward(self, outputs, x):
        x_mean, x_log_var, z_mu, z_log_var = outputs
        per_row = negative_elbo(x, x_mean, x_log_var, z_mu, z_log_var, self.beta)
        return trimmed_mean(per_row, self.trim, fence=self.fence)
