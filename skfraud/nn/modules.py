"""Network building blocks: forward passes only, no training logic.

Modules take every size and option as a required argument; the defaults live
in the detectors' signatures.
"""

import torch
from torch import nn

__all__ = ["ACTIVATIONS", "LOG_VAR_BOUNDS", "MLP", "AutoEncoder", "GaussianVAE"]

ACTIVATIONS = {
    "relu": nn.ReLU,
    "leaky_relu": nn.LeakyReLU,
    "elu": nn.ELU,
    "gelu": nn.GELU,
    "selu": nn.SELU,
    "tanh": nn.Tanh,
}

# Log-variances are clamped to this range. Below it a near-constant feature
# (a rare one-hot column, say) would let the likelihood grow without bound
# during training; above it a feature is effectively ignored.
LOG_VAR_BOUNDS = (-10.0, 10.0)


class MLP(nn.Sequential):
    """Fully connected network: ``Linear -> activation [-> Dropout]`` per hidden
    layer, then a linear output layer.

    Parameters
    ----------
    in_features : int
    hidden_dims : sequence of int
        Widths of the hidden layers, in order. Empty for a single linear map.
    out_features : int
    activation : str
        Key of :data:`ACTIVATIONS`.
    dropout : float
        Dropout probability after each hidden activation (0 disables it).
    """

    def __init__(self, in_features, hidden_dims, out_features, activation, dropout):
        layers = []
        width = in_features
        for hidden in hidden_dims:
            layers += [nn.Linear(width, hidden), ACTIVATIONS[activation]()]
            if dropout > 0:
                layers.append(nn.Dropout(dropout))
            width = hidden
        layers.append(nn.Linear(width, out_features))
        super().__init__(*layers)


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
            z = z_mu + torch.exp(0.5 * z_log_var) * torch.randn_like(z_mu)
        else:
            z = z_mu
        x_mean, x_log_var = self.decode(z)
        return x_mean, x_log_var, z_mu, z_log_var
