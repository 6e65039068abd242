"""Deep autoencoding Gaussian mixture model (Zong et al., ICLR 2018).

The network (compression autoencoder plus estimation network) and its
training criterion. The maths lives in :mod:`skfraud.nn._dagmm_functional`.
"""

import torch
from torch import nn

from skfraud.nn._autoencoder import AutoEncoder
from skfraud.nn._dagmm_functional import (
    cholesky_with_jitter,
    cosine_similarity,
    gmm_parameters,
    inverse_variance_penalty,
    relative_euclidean_distance,
    sample_energy,
)
from skfraud.nn._layers import MLP
from skfraud.nn._reconstruction_functional import squared_norm_error

__all__ = ["DAGMM", "DAGMMLoss"]


class DAGMM(nn.Module):
    """Compression autoencoder plus estimation network.

    The encoder maps each row ``x`` to a code ``z_c``; the decoder gives
    ``x_hat``. The mixture sees ``z = [z_c, relative Euclidean distance,
    cosine similarity]`` (of ``x`` and ``x_hat``), and the estimation network
    maps ``z`` to soft memberships ``gamma`` over ``n_components``.

    ``forward(x)`` returns ``(x_hat, z, gamma)``.
    """

    def __init__(
        self,
        n_features,
        hidden_dims,
        latent_dim,
        activation,
        dropout,
        estimation_hidden_dims,
        estimation_dropout,
        n_components,
    ):
        super().__init__()
        self.compression = AutoEncoder(
            n_features, hidden_dims, latent_dim, activation, dropout
        )
        self.estimation = MLP(
            latent_dim + 2,
            tuple(estimation_hidden_dims),
            n_components,
            activation,
            estimation_dropout,
        )

    def gmm_input(self, x):
        """``(x_hat, z)``: the reconstruction and the mixture's input space."""
        code = self.compression.encoder(x)
        x_hat = self.compression.decoder(code)
        z = torch.cat(
            [
                code,
                relative_euclidean_distance(x, x_hat).unsqueeze(-1),
                cosine_similarity(x, x_hat).unsqueeze(-1),
            ],
            dim=-1,
        )
        return x_hat, z

    def forward(self, x):
        x_hat, z = self.gmm_input(x)
        gamma = torch.softmax(self.estimation(z), dim=-1)
        return x_hat, z, gamma


class DAGMMLoss(nn.Module):
    """DAGMM's training objective on one batch.

    ``mean ||x - x_hat||^2 + lambda_energy * mean E(z)
    + lambda_cov * sum_k sum_j 1 / Sigma_k[j, j]``, where the mixture
    parameters in ``E`` and ``Sigma`` come from the batch's memberships
    ``gamma``. The mixture part runs in float64 and the covariances are
    factorised with :func:`cholesky_with_jitter`; the penalty is taken on the
    jittered covariances, so it stays finite when a component collapses.

    Parameters
    ----------
    lambda_energy : float
    lambda_cov : float
    """

    def __init__(self, lambda_energy, lambda_cov):
        super().__init__()
        self.lambda_energy = lambda_energy
        self.lambda_cov = lambda_cov

    def forward(self, outputs, x):
        x_hat, z, gamma = outputs
        reconstruction = squared_norm_error(x, x_hat).mean()
        z, gamma = z.double(), gamma.double()
        weights, means, covariances = gmm_parameters(gamma, z)
        cholesky = cholesky_with_jitter(covariances)
        energy = sample_energy(z, weights, means, cholesky).mean()
        penalty = inverse_variance_penalty(cholesky @ cholesky.mT)
        return reconstruction + self.lambda_energy * energy + self.lambda_cov * penalty
