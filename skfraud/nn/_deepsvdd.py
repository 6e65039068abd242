"""Deep SVDD / Deep SAD: the bias-free hypersphere network and its criterion.

The distance, the Deep SAD loss and the centre guard live in
:mod:`skfraud.nn._deepsvdd_functional`.
"""

import torch
from torch import nn

from skfraud.nn import functional as F
from skfraud.nn._layers import ACTIVATIONS
from skfraud.nn._standardize import Standardize

__all__ = ["DeepSADLoss", "HypersphereNetwork"]


class HypersphereNetwork(nn.Module):
    """Bias-free MLP ``phi`` and the centre ``c`` its codes gather around.

    Every layer is ``Linear(bias=False)``, with the activation (and dropout)
    after each hidden layer and none after the last: with a bias, the network
    could map every row onto ``c`` and reach zero loss without learning
    anything. The centre is a buffer of zeros until the detector sets it from
    a first forward pass (:meth:`set_centre`). Rows are standardised first
    (:class:`~skfraud.nn.Standardize`).

    ``forward(x)`` returns the squared distance ``||phi(x) - c||^2`` of each
    row, shape ``(B,)``; :meth:`embed` returns ``phi(x)``.

    Parameters
    ----------
    n_features : int
    hidden_dims : sequence of int
    latent_dim : int
        Size of the code ``phi(x)``.
    activation : str
        Key of :data:`~skfraud.nn.ACTIVATIONS`.
    dropout : float
    """

    def __init__(self, n_features, hidden_dims, latent_dim, activation, dropout):
        super().__init__()
        self.standardize = Standardize(n_features)
        layers = []
        width = n_features
        for hidden in hidden_dims:
            layers += [nn.Linear(width, hidden, bias=False), ACTIVATIONS[activation]()]
            if dropout > 0:
                layers.append(nn.Dropout(dropout))
            width = hidden
        layers.append(nn.Linear(width, latent_dim, bias=False))
        self.encoder = nn.Sequential(*layers)
        self.register_buffer("centre", torch.zeros(latent_dim))

    def embed(self, x):
        """The code ``phi(x)`` of each row, shape ``(B, latent_dim)``."""
        return self.encoder(self.standardize(x))

    def set_centre(self, centre, eps):
        """Store ``centre``, each coordinate at least ``eps`` from zero."""
        self.centre.copy_(F.guard_centre(centre, eps))

    def forward(self, x):
        return F.squared_distance(self.embed(x), self.centre)


class DeepSADLoss(nn.Module):
    """Mean Deep SAD loss over the batch; Deep SVDD when no row is labelled.

    Parameters
    ----------
    eta : float
        Weight of the labelled anomalies' term.
    eps : float
        Keeps the inverse distance finite.
    trim : float, default=0.0
        Share of the unlabelled rows, those furthest from the centre, left
        out of the mean (:func:`~skfraud.nn.functional.trimmed_mean`);
        labelled anomalies always count.
    fence : float, default=None
        Leave out only the outliers by loss, at most ``trim``
        (:func:`~skfraud.nn.functional.trimmed_rows`).
    """

    def __init__(self, eta, eps, trim=0.0, fence=None):
        super().__init__()
        self.eta = eta
        self.eps = eps
        self.trim = trim
        self.fence = fence

    def forward(self, distances, labels):
        per_row = F.deep_sad_loss(distances, labels, self.eta, self.eps)
        return F.trimmed_mean(
            per_row, self.trim, candidates=labels == 0, fence=self.fence
        )
