"""Deep SVDD (Ruff et al., 2018) and Deep SAD (Ruff et al., 2020) as pure
functions.

A network ``phi`` maps rows near a centre ``c``; the anomaly score is the
squared distance ``||phi(x) - c||^2``. Deep SAD adds known anomalies, whose
loss is the inverse of that distance, so that they are pushed away from
``c``. They are re-exported from :mod:`skfraud.nn.functional`.
"""

import torch

__all__ = ["deep_sad_loss", "guard_centre", "squared_distance"]


def squared_distance(z, centre):
    """Squared Euclidean distance of each code to the centre.

    Parameters
    ----------
    z : Tensor of shape (B, C)
    centre : Tensor of shape (C,)

    Returns
    -------
    Tensor of shape (B,)
    """
    if z.ndim != 2 or centre.shape != z.shape[-1:]:
        raise ValueError(
            f"z must have shape (B, C) and centre shape (C,); got "
            f"{tuple(z.shape)} and {tuple(centre.shape)}."
        )
    return (z - centre).square().sum(dim=-1)


def deep_sad_loss(distances, labels, eta, eps):
    """Per-row Deep SAD loss ``(1 - y) d + y eta / (d + eps)``.

    With every label 0 it is the one-class Deep SVDD loss ``d``.

    Parameters
    ----------
    distances : Tensor of shape (B,)
        Squared distances ``d`` to the centre.
    labels : Tensor of shape (B,)
        1 for a labelled anomaly, 0 for an unlabelled row; other values raise.
    eta : float
        Weight of the labelled anomalies.
    eps : float
        Keeps the inverse finite at ``d = 0``.

    Returns
    -------
    Tensor of shape (B,)
    """
    if not torch.is_tensor(labels) or labels.shape != distances.shape:
        shape = tuple(labels.shape) if torch.is_tensor(labels) else type(labels)
        raise ValueError(
            f"labels must be a tensor of shape {tuple(distances.shape)} like "
            f"the distances; got {shape}."
        )
    if not bool(((labels == 0) | (labels == 1)).all()):
        raise ValueError(
            "labels must be 0 (unlabelled) or 1 (labelled anomaly); got other "
            "values. The signature is deep_sad_loss(distances, labels, eta, eps)."
        )
    labels = labels.to(distances.dtype)
    anomaly_loss = eta / (distances + eps)
    return (1.0 - labels) * distances + labels * anomaly_loss


def guard_centre(centre, eps):
    """Move every coordinate of the centre at least ``eps`` away from zero.

    A coordinate with ``|c_i| < eps`` becomes ``-eps`` if it is negative and
    ``+eps`` otherwise. A bias-free network maps the zero row to the zero
    code, and a network with all weights at zero maps every row there; a
    centre with no zero coordinate keeps that collapsed network from reaching
    zero loss.

    Parameters
    ----------
    centre : Tensor of shape (C,)
    eps : float

    Returns
    -------
    Tensor of shape (C,)
    """
    small = centre.abs() < eps
    signed_eps = torch.where(centre < 0, -eps, eps).to(centre.dtype)
    return torch.where(small, signed_eps, centre)
