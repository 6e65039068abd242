"""Deviation network: a scalar scoring MLP and its deviation-loss criterion."""

import torch
from torch import nn

from skfraud.nn._devnet_functional import deviation_loss
from skfraud.nn._layers import ACTIVATIONS, MLP

__all__ = ["DeviationLoss", "DeviationNetwork"]


class DeviationNetwork(nn.Module):
    """MLP that maps every row to one anomaly score.

    The network is ``encoder -> activation [-> Dropout] -> Linear(., 1)``,
    where ``encoder`` is ``MLP(n_features, hidden_dims[:-1], hidden_dims[-1])``:
    the same layers as ``MLP(n_features, hidden_dims, 1)``, split so that the
    encoder has exactly the shape of an :class:`~skfraud.nn.AutoEncoder`'s
    encoder with ``latent_dim = hidden_dims[-1]`` and can be initialised from
    one. With empty ``hidden_dims`` the network is a linear map.

    ``forward(x)`` returns a tensor of shape ``(B,)``, never ``(B, 1)``.

    Parameters
    ----------
    n_features : int
    hidden_dims : sequence of int
        Widths of the hidden layers.
    activation : str
        Key of :data:`~skfraud.nn.ACTIVATIONS`.
    dropout : float
        Dropout probability after each hidden activation (0 disables it).
    """

    def __init__(self, n_features, hidden_dims, activation, dropout):
        super().__init__()
        hidden_dims = tuple(hidden_dims)
        if not hidden_dims:
            self.encoder = nn.Identity()
            self.head = nn.Linear(n_features, 1)
            return
        self.encoder = MLP(
            n_features, hidden_dims[:-1], hidden_dims[-1], activation, dropout
        )
        head = [ACTIVATIONS[activation]()]
        if dropout > 0:
            head.append(nn.Dropout(dropout))
        head.append(nn.Linear(hidden_dims[-1], 1))
        self.head = nn.Sequential(*head)

    def forward(self, x):
        return self.head(self.encoder(x)).squeeze(-1)


class DeviationLoss(nn.Module):
    """Class-balanced mean deviation loss, with fresh reference scores per call.

    Every call draws ``n_reference`` scores from ``N(0, 1)`` with torch's
    global generator on the scores' device; inside a detector's ``fit`` that
    generator is seeded from ``random_state``, so the draws are reproducible.

    The loss is the average of the mean loss of the labelled anomalies and the
    mean loss of the unlabelled rows (of the classes present in the batch). On
    the balanced training batches of deviation networks, half of each class,
    this is the paper's plain mean; on validation rows, mostly unlabelled, it
    still weighs the anomalies as much as in training, where a plain mean
    would reward an early network that scores every row near zero.

    Parameters
    ----------
    margin : float
        Deviation that labelled anomalies must reach (``a`` in the paper).
    n_reference : int
        Reference scores drawn per batch (``l`` in the paper).
    """

    def __init__(self, margin, n_reference):
        super().__init__()
        self.margin = margin
        self.n_reference = n_reference

    def forward(self, scores, labels):
        reference = torch.randn(
            self.n_reference, device=scores.device, dtype=scores.dtype
        )
        loss = deviation_loss(scores, labels, reference, self.margin)
        anomaly = labels.to(loss.dtype)
        n_anomalies = anomaly.sum()
        n_unlabelled = anomaly.numel() - n_anomalies
        anomaly_mean = (anomaly * loss).sum() / n_anomalies.clamp(min=1)
        unlabelled_mean = ((1 - anomaly) * loss).sum() / n_unlabelled.clamp(min=1)
        n_classes = (n_anomalies > 0).to(loss.dtype) + (n_unlabelled > 0).to(loss.dtype)
        return (anomaly_mean + unlabelled_mean) / n_classes
