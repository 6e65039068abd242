"""Diffusion time estimation: the step classifier and its criterion.

The schedule, the noising, the binning and the loss live in
:mod:`skfraud.nn._dte_functional`.
"""

import torch
from torch import nn

from skfraud.nn import functional as F
from skfraud.nn._layers import MLP
from skfraud.nn._standardize import Standardize

__all__ = ["DiffusionTimeClassifier", "StepClassificationLoss"]


class DiffusionTimeClassifier(nn.Module):
    """MLP that classifies how much diffusion noise a row carries.

    Rows are standardised first (:class:`~skfraud.nn.Standardize`, whose
    statistics the detector sets from the training rows). ``forward(x)`` is
    the training pass: it draws a step ``t`` uniformly from ``[0, T)`` and
    noise ``eps ~ N(0, I)`` for every row with torch's global generator
    (seeded inside a detector's ``fit``), noises the standardised row, and
    returns ``(logits, bins)``: the classifier's ``(B, n_bins)`` logits and
    the true bin of each drawn step. It does so in evaluation mode too, so
    that a validation loss is measured on noised rows as well.
    :meth:`expected_step` scores clean rows and draws nothing.

    Parameters
    ----------
    n_features : int
    hidden_dims : sequence of int
    activation : str
        Key of :data:`~skfraud.nn.ACTIVATIONS`.
    dropout : float
    n_steps : int
        Diffusion steps ``T``.
    n_bins : int
        Classes the steps are binned into.
    """

    def __init__(self, n_features, hidden_dims, activation, dropout, n_steps, n_bins):
        super().__init__()
        self.n_steps = n_steps
        self.n_bins = n_bins
        self.standardize = Standardize(n_features)
        self.classifier = MLP(n_features, hidden_dims, n_bins, activation, dropout)
        self.register_buffer("noise_std", F.diffusion_noise_std(n_steps))
        self.register_buffer("bin_centres", F.step_bin_centres(n_steps, n_bins))

    def forward(self, x):
        x = self.standardize(x)
        steps = torch.randint(0, self.n_steps, x.shape[:1], device=x.device)
        noisy = F.noise_rows(x, steps, self.noise_std, torch.randn_like(x))
        bins = F.diffusion_step_bins(steps, self.n_steps, self.n_bins)
        return self.classifier(noisy), bins

    def step_logits(self, x):
        """Logits of the step bins of clean rows, shape ``(B, n_bins)``."""
        return self.classifier(self.standardize(x))

    def expected_step(self, x):
        """Expected diffusion step of clean rows, shape ``(B,)``."""
        return F.expected_diffusion_step(self.step_logits(x), self.bin_centres)


class StepClassificationLoss(nn.Module):
    """Mean cross-entropy of the step classifier over the batch.

    ``forward(outputs, x)`` takes the ``(logits, bins)`` pair of
    :class:`DiffusionTimeClassifier`; the input batch ``x`` is not used.

    Parameters
    ----------
    trim : float, default=0.0
        Share of each batch, the rows with the largest cross-entropy, left
        out of the mean (:func:`~skfraud.nn.functional.trimmed_mean`).
    fence : float, default=None
        Leave out only the outliers by loss, at most ``trim``
        (:func:`~skfraud.nn.functional.trimmed_rows`).
    """

    def __init__(self, trim=0.0, fence=None):
        super().__init__()
        self.trim = trim
        self.fence = fence

    def forward(self, outputs, x):
        logits, bins = outputs
        per_row = F.step_classification_loss(logits, bins)
        return F.trimmed_mean(per_row, self.trim, fence=self.fence)
