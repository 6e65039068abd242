"""Memory addressing of MemAE (Gong et al., 2019) as pure functions.

A code ``z`` reads a memory of ``N`` slots through attention weights ``w``
(a softmax over cosine similarities), which are then made sparse by hard
shrinkage. The functions work row by row on a batch: ``(B, N)`` weights in,
``(B, N)`` weights or ``(B,)`` values out. They are re-exported from
:mod:`skfraud.nn.functional`.
"""

import torch
import torch.nn.functional as torch_functional

__all__ = ["attention_entropy", "cosine_attention", "hard_shrinkage"]

# Keeps the shrinkage's denominator positive where a weight equals the
# threshold, and the L1 re-normalisation finite where no weight survives.
_EPS = 1e-12


def cosine_attention(z, memory):
    """Softmax over the cosine similarities between codes and memory slots.

    Parameters
    ----------
    z : Tensor of shape (B, C)
        Codes (the queries).
    memory : Tensor of shape (N, C)
        Memory slots.

    Returns
    -------
    Tensor of shape (B, N)
        ``w_i = exp(cos(z, m_i)) / sum_j exp(cos(z, m_j))``; every row sums
        to 1. A zero code has similarity 0 with every slot, so its weights
        are uniform.
    """
    similarity = (
        torch_functional.normalize(z, dim=-1)
        @ torch_functional.normalize(memory, dim=-1).T
    )
    return torch.softmax(similarity, dim=-1)


def hard_shrinkage(attention, threshold):
    """Drop the attention weights below ``threshold`` and re-normalise.

    Each weight becomes ``max(w - threshold, 0) * w / (|w - threshold| + eps)``
    (``w`` itself above the threshold, 0 below it, in a form whose gradient
    exists almost everywhere), and each row is then divided by its L1 norm so
    that the surviving weights sum to 1 again.

    When every weight of a row is at or below ``threshold`` (possible only
    when ``threshold >= 1 / N``), nothing survives: the row comes back as all
    zeros, not NaN, so the memory returns the zero code for it and its
    attention entropy is 0.

    Parameters
    ----------
    attention : Tensor of shape (B, N)
        Attention weights, non-negative, rows summing to 1.
    threshold : float
        The shrinkage threshold ``lambda`` (0 keeps every weight).

    Returns
    -------
    Tensor of shape (B, N)
        Sparse weights; each row sums to 1, or is all zeros.
    """
    shifted = attention - threshold
    shrunk = torch.relu(shifted) * attention / (shifted.abs() + _EPS)
    return shrunk / shrunk.sum(dim=-1, keepdim=True).clamp_min(_EPS)


def attention_entropy(attention):
    """Shannon entropy ``-sum_i w_i log w_i`` of each row, in nats.

    Zero weights contribute nothing (``0 log 0 = 0``), with a finite
    gradient, so a sparse (or all-zero) row is safe to train through.

    Parameters
    ----------
    attention : Tensor of shape (B, N)

    Returns
    -------
    Tensor of shape (B,)
    """
    positive = attention > 0
    # log is taken of 1 where a weight is 0, so no -inf enters the backward pass.
    safe = torch.where(positive, attention, torch.ones_like(attention))
    return -torch.where(positive, attention * safe.log(), 0.0).sum(dim=-1)
