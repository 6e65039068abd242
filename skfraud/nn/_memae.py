"""Memory-augmented autoencoder (MemAE): the memory module, the network and
its training criterion. The addressing maths lives in
:mod:`skfraud.nn._memae_functional`.
"""

import math

import torch
from torch import nn

from skfraud.nn._autoencoder import AutoEncoder
from skfraud.nn._memae_functional import (
    attention_entropy,
    cosine_attention,
    hard_shrinkage,
)
from skfraud.nn._reconstruction_functional import reconstruction_error

__all__ = ["Memory", "MemoryAutoEncoder", "MemoryAutoEncoderLoss"]


class Memory(nn.Module):
    """A learnable memory of ``n_slots`` slots read by sparse attention.

    ``forward(z)`` addresses the slots with :func:`~skfraud.nn.functional.
    cosine_attention`, sparsifies the weights with
    :func:`~skfraud.nn.functional.hard_shrinkage` and returns
    ``(z_hat, attention)``, where ``z_hat = attention @ weight`` is the code
    the decoder sees.

    Parameters
    ----------
    n_slots : int
        Number of slots ``N``.
    latent_dim : int
        Size of each slot (the code size ``C``).
    shrink_threshold : float
        Hard-shrinkage threshold ``lambda``.
    """

    def __init__(self, n_slots, latent_dim, shrink_threshold):
        super().__init__()
        self.shrink_threshold = shrink_threshold
        bound = 1.0 / math.sqrt(latent_dim)
        self.weight = nn.Parameter(torch.empty(n_slots, latent_dim))
        nn.init.uniform_(self.weight, -bound, bound)

    def address(self, z):
        """Sparse attention of each code over the slots, shape ``(B, N)``."""
        return hard_shrinkage(cosine_attention(z, self.weight), self.shrink_threshold)

    def forward(self, z):
        attention = self.address(z)
        return attention @ self.weight, attention


class MemoryAutoEncoder(AutoEncoder):
    """An :class:`~skfraud.nn.AutoEncoder` whose decoder reads the memory.

    The encoder and decoder are those of :class:`~skfraud.nn.AutoEncoder`,
    built first and in the same order, so under the same seed they start from
    the same weights as a plain autoencoder; the memory slots are drawn after
    them. ``forward(x)`` returns ``(x_hat, attention)``.
    """

    def __init__(
        self,
        n_features,
        hidden_dims,
        latent_dim,
        activation,
        dropout,
        n_slots,
        shrink_threshold,
    ):
        super().__init__(n_features, hidden_dims, latent_dim, activation, dropout)
        self.memory = Memory(n_slots, latent_dim, shrink_threshold)

    def attention(self, x):
        """Sparse memory attention of each row of ``x``, shape ``(B, N)``."""
        return self.memory.address(self.encoder(x))

    def forward(self, x):
        z_hat, attention = self.memory(self.encoder(x))
        return self.decoder(z_hat), attention


class MemoryAutoEncoderLoss(nn.Module):
    """MemAE's training loss: mean squared reconstruction error plus
    ``entropy_weight`` times the mean attention entropy.

    The entropy term pushes each row to read few slots, on top of the
    sparsity the hard shrinkage already imposes.

    Parameters
    ----------
    entropy_weight : float
        Weight ``alpha`` of the entropy term.
    """

    def __init__(self, entropy_weight):
        super().__init__()
        self.entropy_weight = entropy_weight

    def forward(self, outputs, x):
        x_hat, attention = outputs
        reconstruction = reconstruction_error(x, x_hat).mean()
        entropy = attention_entropy(attention).mean()
        return reconstruction + self.entropy_weight * entropy
