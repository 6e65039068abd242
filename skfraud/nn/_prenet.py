"""PReNet: a network that scores pairs of rows, and its ordinal regression loss."""

import torch
from torch import nn

from skfraud.nn._layers import ACTIVATIONS, MLP
from skfraud.nn._prenet_functional import mean_pair_score, pair_regression_loss

__all__ = ["PairRegressionLoss", "PairRelationNetwork"]


class PairRelationNetwork(nn.Module):
    """Scores a pair of rows from their two representations.

    One encoder, ``MLP(n_features, hidden_dims[:-1], hidden_dims[-1])``
    followed by the activation, maps each row of a pair to a representation;
    the two are concatenated and ``MLP(2 * hidden_dims[-1], head_dims, 1)``
    maps them to the pair score. With empty ``head_dims`` (the paper's
    network) the head is linear, so the pair score is a sum of a part of
    the left row and a part of the right one.

    ``forward(pairs)`` takes ``(B, 2, n_features)`` and returns ``(B,)``.
    :meth:`score_rows` scores rows against the reference rows kept in the
    buffers ``reference_anomalies`` and ``reference_unlabelled`` (each
    ``(n_reference, n_features)``, zeros until :meth:`set_references`).

    Parameters
    ----------
    n_features : int
    hidden_dims : sequence of int
        Widths of the encoder's layers, at least one; the last is the width
        of the representation.
    head_dims : sequence of int
        Widths of the head's hidden layers.
    activation : str
        Key of :data:`~skfraud.nn.ACTIVATIONS`.
    dropout : float
        Dropout probability after each hidden activation (0 disables it).
    n_reference : int
        Reference rows of each kind.
    """

    def __init__(
        self, n_features, hidden_dims, head_dims, activation, dropout, n_reference
    ):
        super().__init__()
        hidden_dims = tuple(hidden_dims)
        if not hidden_dims:
            raise ValueError("hidden_dims needs at least one layer.")
        encoder = [
            MLP(n_features, hidden_dims[:-1], hidden_dims[-1], activation, dropout),
            ACTIVATIONS[activation](),
        ]
        if dropout > 0:
            encoder.append(nn.Dropout(dropout))
        self.encoder = nn.Sequential(*encoder)
        self.head = MLP(2 * hidden_dims[-1], tuple(head_dims), 1, activation, dropout)
        for kind in ("anomalies", "unlabelled"):
            self.register_buffer(
                f"reference_{kind}", torch.zeros(n_reference, n_features)
            )

    def forward(self, pairs):
        if pairs.ndim != 3 or pairs.shape[1] != 2:
            raise ValueError(
                "PairRelationNetwork scores pairs of shape (B, 2, n_features); "
                f"got {tuple(pairs.shape)}. Score single rows with score_rows."
            )
        left, right = self.encoder(pairs).unbind(dim=1)
        return self.head(torch.cat([left, right], dim=1)).squeeze(-1)

    def set_references(self, anomalies, unlabelled):
        """Copy reference rows into the buffers (same shapes as the buffers)."""
        self.reference_anomalies.copy_(anomalies)
        self.reference_unlabelled.copy_(unlabelled)

    def _pair_scores_with(self, encoded, references):
        """``(B, R)`` scores of every row (encoded) paired with every reference."""
        encoded_references = self.encoder(references)
        n_rows, n_references = encoded.shape[0], encoded_references.shape[0]
        pairs = torch.cat(
            [
                encoded.unsqueeze(1).expand(-1, n_references, -1),
                encoded_references.unsqueeze(0).expand(n_rows, -1, -1),
            ],
            dim=2,
        )
        return self.head(pairs).squeeze(-1)

    def score_rows(self, x):
        """Mean pair score of each row of ``x`` (shape ``(B, n_features)``)
        with the reference rows, the row on the left of every pair."""
        encoded = self.encoder(x)
        return mean_pair_score(
            self._pair_scores_with(encoded, self.reference_anomalies),
            self._pair_scores_with(encoded, self.reference_unlabelled),
        )


class PairRegressionLoss(nn.Module):
    """Mean absolute error of the pair scores from their ordinal targets.

    Parameters
    ----------
    targets : sequence of 3 floats
        Targets of the pairs with 0, 1 and 2 labelled anomalies.
    """

    def __init__(self, targets):
        super().__init__()
        self.targets = tuple(float(target) for target in targets)

    def forward(self, pair_scores, n_anomalies):
        return pair_regression_loss(pair_scores, n_anomalies, self.targets).mean()
