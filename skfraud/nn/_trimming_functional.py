"""The trimmed mean: a training loss that ignores each batch's worst rows.

Shared by every detector whose loss is a mean over rows and whose training
rows may hide anomalies (autoencoder, VAE, Deep SVDD, DTE).
"""

import math

import torch

__all__ = ["outlier_fence", "trimmed_mean", "trimmed_rows"]


def outlier_fence(values, k):
    """Tukey's upper fence of ``values``: their upper quartile plus ``k``
    interquartile ranges (``k=3``: Tukey's "far out" values).

    The quartiles do not move when a few values are huge, so the fence
    stays where the bulk of the values ends, and it lies far enough out
    that skewed losses (squared errors are) put only a few per cent of
    rows beyond it: a chi-squared value with one degree of freedom passes
    ``k=3`` with probability 0.026, a normal value with 0.0000004.

    Parameters
    ----------
    values : Tensor of shape (n,)
    k : float
        Fence width in interquartile ranges above the upper quartile.

    Returns
    -------
    Tensor of shape ()
    """
    quartiles = torch.quantile(
        values.detach().float(), torch.tensor([0.25, 0.75], device=values.device)
    )
    lower, upper = quartiles[0], quartiles[1]
    return upper + k * (upper - lower)


def trimmed_rows(values, trim, candidates=None, fence=None):
    """Which of ``values`` (shape ``(B,)``) :func:`trimmed_mean` leaves out.

    The ``round(trim * n)`` largest of the ``n`` candidate values, but never
    every value; with ``fence``, only those of them above the candidates'
    :func:`outlier_fence`.

    Parameters
    ----------
    values : Tensor of shape (B,)
    trim : float
        Share of the candidates left out (with ``fence``: at most), in
        ``[0, 1)``.
    candidates : BoolTensor of shape (B,), default=None
        The values that may be left out; the share is taken of the
        candidates only. ``None``: every value.
    fence : float, default=None
        Width of the outlier fence in interquartile ranges; ``None``: no
        fence, the share ``trim`` is always left out.

    Returns
    -------
    BoolTensor of shape (B,)
        True where the value is left out.
    """
    values = values.detach()
    if candidates is not None and (
        candidates.shape != values.shape or candidates.dtype != torch.bool
    ):
        raise ValueError(
            f"candidates must be a boolean tensor of shape {tuple(values.shape)}"
            f" like the values; got {candidates.dtype} of shape "
            f"{tuple(candidates.shape)}."
        )
    n_rows = values.shape[0]
    n_candidates = n_rows if candidates is None else int(candidates.sum())
    n_left_out = min(round(trim * n_candidates), n_rows - 1)
    left_out = torch.zeros(n_rows, dtype=torch.bool, device=values.device)
    if n_left_out <= 0:
        return left_out
    ranked = (
        values if candidates is None else values.masked_fill(~candidates, -math.inf)
    )
    if fence is not None:
        pool = values if candidates is None else values[candidates]
        n_left_out = min(n_left_out, int((pool > outlier_fence(pool, fence)).sum()))
    if n_left_out > 0:
        left_out[torch.topk(ranked, n_left_out).indices] = True
    return left_out


def trimmed_mean(values, trim, candidates=None, fence=None):
    """Mean of ``values`` (shape ``(B,)``) without its largest ``trim`` share.

    The ``round(trim * n)`` largest of the ``n`` candidate values are left
    out, but at least one value is kept; ``trim=0`` is the plain mean. As a
    training loss over per-row losses it ignores, in every batch, the rows
    the model fits worst: in contaminated data, mostly the anomalies, which
    the model then does not learn to treat as normal.

    With ``fence``, only values that are outliers among the candidates (above
    Tukey's fence, :func:`outlier_fence`) are left out, the largest first,
    and ``trim`` caps their share. Of genuine rows' losses it leaves out a
    few per cent rather than the whole share; a rare kind of genuine row,
    badly fitted early in training, is left out by either rule.
    :func:`trimmed_rows` tells which values are left out.

    Parameters
    ----------
    values, trim, candidates, fence
        As for :func:`trimmed_rows`.

    Returns
    -------
    Tensor of shape ()
    """
    if trim <= 0:
        return values.mean()
    return values[~trimmed_rows(values, trim, candidates, fence)].mean()
