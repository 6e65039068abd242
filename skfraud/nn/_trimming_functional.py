"""The trimmed mean: a training loss that ignores each batch's worst rows.

Shared by every detector whose loss is a mean over rows and whose training
rows may hide anomalies (autoencoder, VAE, Deep SVDD, DTE).
"""

import torch

__all__ = ["trimmed_mean"]


def trimmed_mean(values, trim, candidates=None):
    """Mean of ``values`` (shape ``(B,)``) without its largest ``trim`` share.

    The ``round(trim * n)`` largest of the ``n`` candidate values are left
    out, but at least one value is kept; ``trim=0`` is the plain mean. As a
    training loss over per-row losses it ignores, in every batch, the rows
    the model fits worst: in contaminated data, mostly the anomalies, which
    the model then does not learn to treat as normal.

    Parameters
    ----------
    values : Tensor of shape (B,)
    trim : float
        Share of the candidates left out, in ``[0, 1)``.
    candidates : BoolTensor of shape (B,), default=None
        The values that may be left out; the others always count, and the
        share is taken of the candidates only. ``None``: every value.

    Returns
    -------
    Tensor of shape ()
    """
    n_rows = values.shape[0]
    if candidates is None:
        n_candidates = n_rows
    else:
        if candidates.shape != values.shape or candidates.dtype != torch.bool:
            raise ValueError(
                f"candidates must be a boolean tensor of shape {tuple(values.shape)}"
                f" like the values; got {candidates.dtype} of shape "
                f"{tuple(candidates.shape)}."
            )
        n_candidates = int(candidates.sum())
    n_left_out = min(round(trim * n_candidates), n_rows - 1)
    if n_left_out <= 0:
        return values.mean()
    if candidates is None:
        return torch.topk(values, n_rows - n_left_out, largest=False).values.mean()
    ranked = values.detach().masked_fill(~candidates, float("-inf"))
    left_out = torch.topk(ranked, n_left_out).indices
    kept = torch.ones_like(candidates)
    kept[left_out] = False
    return values[kept].mean()
