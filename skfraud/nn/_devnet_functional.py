"""Deviation loss of deviation networks (Pang, Shen & van den Hengel, 2019).

A scoring network maps every row to one scalar score ``s``. Scores are
compared with reference scores ``r`` drawn from a prior, ``N(0, 1)``: the
deviation ``dev = (s - mean(r)) / std(r)`` is a z-score. Unlabelled rows
(mostly normal) are pulled towards the prior mean, ``|dev| -> 0``, and known
anomalies are pushed at least ``margin`` standard deviations above it.

The functions check their inputs strictly, because the two classic bugs of
this loss are silent: labels and scores passed in swapped order, and a
``(B, 1)`` score column broadcast against ``(B,)`` labels into a ``(B, B)``
matrix whose mean is a different, wrong loss.
"""

import torch

__all__ = ["deviation", "deviation_loss"]


def _check_scores(scores, name="scores"):
    if not torch.is_tensor(scores) or not scores.is_floating_point():
        raise TypeError(f"{name} must be a floating-point tensor.")
    if scores.ndim != 1:
        raise ValueError(
            f"{name} must have shape (B,), one score per row; got shape "
            f"{tuple(scores.shape)}. Squeeze the network's output column."
        )


def deviation(scores, reference):
    """Z-score of each score against the reference scores.

    Parameters
    ----------
    scores : Tensor of shape (B,)
        One anomaly score per row.
    reference : Tensor of shape (L,)
        Reference scores drawn from the prior (``L >= 2``).

    Returns
    -------
    Tensor of shape (B,)
        ``(scores - mean(reference)) / std(reference)``, with the population
        standard deviation of the reference scores.
    """
    _check_scores(scores)
    _check_scores(reference, "reference")
    if reference.numel() < 2:
        raise ValueError("reference needs at least 2 scores to have a spread.")
    std, mean = torch.std_mean(reference, correction=0)
    return (scores - mean) / std


def deviation_loss(scores, labels, reference, margin):
    """Per-row deviation loss ``(1 - y) |dev| + y max(0, margin - dev)``.

    Parameters
    ----------
    scores : Tensor of shape (B,)
        Anomaly scores of the batch, the network's output.
    labels : Tensor of shape (B,)
        1 for a labelled anomaly, 0 for an unlabelled row. Any other value
        raises, so that scores passed in the place of labels do not go
        unnoticed.
    reference : Tensor of shape (L,)
        Reference scores drawn from the prior ``N(0, 1)``.
    margin : float
        How many reference standard deviations a labelled anomaly must score
        above the reference mean before its loss is zero (``a`` in the paper).

    Returns
    -------
    Tensor of shape (B,)
        The loss of each row; the training criterion is its mean.
    """
    dev = deviation(scores, reference)
    if not torch.is_tensor(labels) or labels.shape != scores.shape:
        shape = tuple(labels.shape) if torch.is_tensor(labels) else type(labels)
        raise ValueError(
            f"labels must be a tensor of shape {tuple(scores.shape)} like the "
            f"scores; got {shape}."
        )
    if not bool(((labels == 0) | (labels == 1)).all()):
        raise ValueError(
            "labels must be 0 (unlabelled) or 1 (labelled anomaly); got other "
            "values. Were scores and labels passed in swapped order? The "
            "signature is deviation_loss(scores, labels, reference, margin)."
        )
    labels = labels.to(dev.dtype)
    normal_loss = dev.abs()
    anomaly_loss = torch.clamp(margin - dev, min=0.0)
    return (1.0 - labels) * normal_loss + labels * anomaly_loss
