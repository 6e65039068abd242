"""Pairwise relation losses of PReNet (Pang, Shen, Jin & van den Hengel, 2023).

A network scores pairs of rows. Its target for a pair is ordinal in the
number of labelled anomalies the pair holds: highest for two anomalies,
middle for an anomaly and an unlabelled row, lowest for two unlabelled rows
(8, 4 and 0 in the paper). A row's anomaly score is its mean pair score
against reference anomalies and reference unlabelled rows.
"""

import torch

__all__ = ["mean_pair_score", "ordinal_pair_targets", "pair_regression_loss"]


def ordinal_pair_targets(n_anomalies, targets):
    """The ordinal target of each pair from its count of labelled anomalies.

    Parameters
    ----------
    n_anomalies : Tensor of shape (B,)
        0, 1 or 2 labelled anomalies in each pair; any other value raises.
    targets : sequence of 3 floats
        Targets of the pairs with 0, 1 and 2 labelled anomalies, increasing.

    Returns
    -------
    Tensor of shape (B,)
        ``targets[n_anomalies]``, in the dtype of ``n_anomalies``.
    """
    if not torch.is_tensor(n_anomalies) or n_anomalies.ndim != 1:
        raise ValueError("n_anomalies must be a tensor of shape (B,), one per pair.")
    if not bool(((n_anomalies == 0) | (n_anomalies == 1) | (n_anomalies == 2)).all()):
        raise ValueError(
            "n_anomalies must count the labelled anomalies of each pair: 0, 1 "
            "or 2. Were pair scores passed in its place?"
        )
    if len(targets) != 3:
        raise ValueError(f"targets must hold 3 values; got {len(targets)}.")
    table = torch.as_tensor(targets, dtype=n_anomalies.dtype, device=n_anomalies.device)
    return table[n_anomalies.long()]


def pair_regression_loss(pair_scores, n_anomalies, targets):
    """Absolute error of each pair score from its ordinal target.

    Parameters
    ----------
    pair_scores : Tensor of shape (B,)
        The network's score of each pair.
    n_anomalies : Tensor of shape (B,)
        Labelled anomalies in each pair: 0, 1 or 2.
    targets : sequence of 3 floats
        Targets of the pairs with 0, 1 and 2 labelled anomalies.

    Returns
    -------
    Tensor of shape (B,)
        ``|pair_scores - targets[n_anomalies]|``; the criterion is its mean.
    """
    if not torch.is_tensor(pair_scores) or not pair_scores.is_floating_point():
        raise TypeError("pair_scores must be a floating-point tensor.")
    if (
        pair_scores.ndim != 1
        or not torch.is_tensor(n_anomalies)
        or (n_anomalies.shape != pair_scores.shape)
    ):
        raise ValueError(
            "pair_scores and n_anomalies must both have shape (B,); got "
            f"{tuple(pair_scores.shape)} and "
            f"{tuple(getattr(n_anomalies, 'shape', ()))}. Squeeze the network's "
            "output column."
        )
    return (pair_scores - ordinal_pair_targets(n_anomalies, targets)).abs()


def mean_pair_score(anomaly_pair_scores, unlabelled_pair_scores):
    """A row's score: the mean of its mean pair score against each kind of
    reference.

    Parameters
    ----------
    anomaly_pair_scores : Tensor of shape (B, R_a)
        Pair scores of each row with each reference labelled anomaly.
    unlabelled_pair_scores : Tensor of shape (B, R_u)
        Pair scores of each row with each reference unlabelled row.

    Returns
    -------
    Tensor of shape (B,)
        ``(mean_a + mean_u) / 2``: both kinds weigh the same, so that with
        the paper's targets a row's score aims at 2 for a normal row and 6
        for an anomaly, whatever the numbers of references.
    """
    for name, scores in (
        ("anomaly_pair_scores", anomaly_pair_scores),
        ("unlabelled_pair_scores", unlabelled_pair_scores),
    ):
        if scores.ndim != 2 or scores.shape[1] < 1:
            raise ValueError(
                f"{name} must have shape (B, R) with R >= 1; got {tuple(scores.shape)}."
            )
    return 0.5 * (anomaly_pair_scores.mean(dim=1) + unlabelled_pair_scores.mean(dim=1))
