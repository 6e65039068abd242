"""Autoencoder: the network and its reconstruction criterion.

The maths lives in :mod:`skfraud.nn._reconstruction_functional`.
"""

from torch import nn

from skfraud.nn._layers import MLP
from skfraud.nn._reconstruction_functional import reconstruction_error
from skfraud.nn._trimming_functional import trimmed_mean

__all__ = ["AutoEncoder", "ReconstructionLoss"]


class AutoEncoder(nn.Module):
    """Symmetric MLP autoencoder; the decoder mirrors the encoder's widths.

    ``forward(x)`` returns the reconstruction ``x_hat``.
    """

    def __init__(self, n_features, hidden_dims, latent_dim, activation, dropout):
        super().__init__()
        hidden_dims = tuple(hidden_dims)
        self.encoder = MLP(n_features, hidden_dims, latent_dim, activation, dropout)
        self.decoder = MLP(
            latent_dim, hidden_dims[::-1], n_features, activation, dropout
        )

    def forward(self, x):
        return self.decoder(self.encoder(x))


class ReconstructionLoss(nn.Module):
    """Mean squared reconstruction error over rows and features.

    skorch calls it as ``criterion(x_hat, x)``: the target of an
    unsupervised net is the input batch itself.

    Parameters
    ----------
    trim : float, default=0.0
        Share of each batch's rows, those with the largest errors, left out
        of the mean (:func:`~skfraud.nn.functional.trimmed_mean`).
    fence : float, default=None
        Leave out only the outliers by loss, at most ``trim``
        (:func:`~skfraud.nn.functional.trimmed_rows`).
    """

    def __init__(self, trim=0.0, fence=None):
        super().__init__()
        self.trim = trim
        self.fence = fence

    def forward(self, x_hat, x):
        error = reconstruction_error(x, x_hat)
        return trimmed_mean(error, self.trim, fence=self.fence)
