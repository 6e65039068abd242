"""Diffusion time estimation (Livernoche et al., 2024) as pure functions.

A row ``x`` is noised as in a variance-exploding diffusion,
``x_t = x + sqrt(1 - alpha_bar_t) * eps`` with ``eps ~ N(0, I)``, where
``alpha_bar_t`` is the cumulative product of ``1 - beta_s`` over a linear
schedule of ``beta``. A classifier learns which of ``n_bins`` equal ranges of
steps ``t`` a noised row comes from; the anomaly score of a clean row is the
step it reads off, averaged over the bins. They are re-exported from
:mod:`skfraud.nn.functional`.
"""

import torch
import torch.nn.functional as torch_functional

__all__ = [
    "diffusion_noise_std",
    "diffusion_step_bins",
    "expected_diffusion_step",
    "noise_rows",
    "step_bin_centres",
    "step_classification_loss",
]

# The authors' schedule: beta rises linearly from 1e-4 to 1e-2 over the steps.
_BETA_START = 1e-4
_BETA_END = 1e-2


def diffusion_noise_std(n_steps, dtype=torch.float32):
    """Standard deviation ``sqrt(1 - alpha_bar_t)`` of the noise at every step.

    Parameters
    ----------
    n_steps : int
        Number of diffusion steps ``T`` (at least 2).
    dtype : torch.dtype, default=torch.float32

    Returns
    -------
    Tensor of shape (n_steps,)
        Increasing from ``sqrt(1e-4) = 0.01`` at ``t = 0``, with
        ``beta_t = 1e-4 + (1e-2 - 1e-4) t / (T - 1)`` and
        ``alpha_bar_t = prod_{s <= t} (1 - beta_s)``.
    """
    if n_steps < 2:
        raise ValueError(f"n_steps must be at least 2; got {n_steps}.")
    betas = torch.linspace(_BETA_START, _BETA_END, n_steps, dtype=torch.float64)
    alpha_bar = torch.cumprod(1.0 - betas, dim=0)
    return torch.sqrt(1.0 - alpha_bar).to(dtype)


def noise_rows(x, steps, noise_std, noise):
    """Variance-exploding noising ``x + noise_std[t] * noise``, row by row.

    Parameters
    ----------
    x : Tensor of shape (B, D)
        Clean rows.
    steps : LongTensor of shape (B,)
        The step ``t`` of each row, in ``[0, T)``.
    noise_std : Tensor of shape (T,)
        From :func:`diffusion_noise_std`.
    noise : Tensor of shape (B, D)
        Standard normal draws ``eps``; passed in so that the caller owns the
        randomness.

    Returns
    -------
    Tensor of shape (B, D)
    """
    if steps.shape != x.shape[:1] or noise.shape != x.shape:
        raise ValueError(
            f"steps must have shape ({x.shape[0]},) and noise the shape of x "
            f"{tuple(x.shape)}; got {tuple(steps.shape)} and {tuple(noise.shape)}."
        )
    return x + noise_std[steps].unsqueeze(-1) * noise


def diffusion_step_bins(steps, n_steps, n_bins):
    """The class of each step: ``floor(t * n_bins / T)``, within ``[0, n_bins)``.

    Parameters
    ----------
    steps : LongTensor of shape (B,)
    n_steps : int
        ``T``.
    n_bins : int

    Returns
    -------
    LongTensor of shape (B,)
    """
    return torch.div(steps * n_bins, n_steps, rounding_mode="floor").clamp(
        0, n_bins - 1
    )


def step_bin_centres(n_steps, n_bins, dtype=torch.float32):
    """Mean step of each bin of :func:`diffusion_step_bins`.

    Parameters
    ----------
    n_steps : int
    n_bins : int
        At most ``n_steps``, so that no bin is empty.

    Returns
    -------
    Tensor of shape (n_bins,)
        ``centres[k]`` is the mean of the steps ``t`` in bin ``k``.
    """
    if not 2 <= n_bins <= n_steps:
        raise ValueError(
            f"n_bins must be between 2 and n_steps={n_steps}; got {n_bins}."
        )
    steps = torch.arange(n_steps)
    bins = diffusion_step_bins(steps, n_steps, n_bins)
    totals = torch.zeros(n_bins, dtype=torch.float64).index_add_(
        0, bins, steps.to(torch.float64)
    )
    return (totals / torch.bincount(bins, minlength=n_bins)).to(dtype)


def step_classification_loss(logits, bins):
    """Cross-entropy of the step classifier, one value per row.

    Parameters
    ----------
    logits : Tensor of shape (B, n_bins)
        Unnormalised class scores (not probabilities: the authors' code
        applies a softmax before a cross-entropy that applies one again).
    bins : LongTensor of shape (B,)
        The true bin of each row's step.

    Returns
    -------
    Tensor of shape (B,)
        ``-log softmax(logits)[bin]``.
    """
    if logits.ndim != 2 or bins.shape != logits.shape[:1]:
        raise ValueError(
            "logits must have shape (B, n_bins) and bins shape (B,); got "
            f"{tuple(logits.shape)} and {tuple(bins.shape)}."
        )
    return torch_functional.cross_entropy(logits, bins, reduction="none")


def expected_diffusion_step(logits, centres):
    """The step a row is read to come from: bin centres weighted by softmax.

    Parameters
    ----------
    logits : Tensor of shape (B, n_bins)
    centres : Tensor of shape (n_bins,)
        From :func:`step_bin_centres`.

    Returns
    -------
    Tensor of shape (B,)
        ``sum_k softmax(logits)_k * centres_k``; higher = noisier-looking,
        more anomalous.
    """
    return torch.softmax(logits, dim=-1) @ centres
