"""Feature standardisation as a module, so that it travels with the weights."""

import torch
from torch import nn

__all__ = ["Standardize"]


class Standardize(nn.Module):
    """``(x - mean) / std`` with the statistics held in buffers.

    The buffers start as zeros and ones (the identity) and are set once with
    :meth:`set_statistics`; being buffers, they are saved, pickled and moved
    between devices with the network's weights.

    Parameters
    ----------
    n_features : int
    """

    def __init__(self, n_features):
        super().__init__()
        self.register_buffer("mean", torch.zeros(n_features))
        self.register_buffer("std", torch.ones(n_features))

    def set_statistics(self, mean, std, eps):
        """Store ``mean`` and ``std``; a ``std`` below ``eps`` becomes 1.

        A constant feature then passes through centred, unscaled, instead of
        being divided by zero.
        """
        std = torch.as_tensor(std, dtype=self.std.dtype)
        self.mean.copy_(torch.as_tensor(mean, dtype=self.mean.dtype))
        self.std.copy_(torch.where(std < eps, torch.ones_like(std), std))

    def forward(self, x):
        return (x - self.mean) / self.std
