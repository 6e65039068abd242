"""Diffusion time estimation: schedule, noising, binning and loss by hand."""

import math

import pytest
import torch

from skfraud.nn import DiffusionTimeClassifier, StepClassificationLoss
from skfraud.nn import functional as F


def test_noise_std_follows_the_linear_beta_schedule():
    # T = 3: beta = 1e-4, 5.05e-3, 1e-2 and alpha_bar the running product.
    alpha_bar, expected = 1.0, []
    for beta in (1e-4, 5.05e-3, 1e-2):
        alpha_bar *= 1.0 - beta
        expected.append(math.sqrt(1.0 - alpha_bar))
    std = F.diffusion_noise_std(3, dtype=torch.float64)
    torch.testing.assert_close(std, torch.tensor(expected, dtype=torch.float64))


def test_noise_std_of_the_default_schedule_rises_to_about_0_93():
    std = F.diffusion_noise_std(400)
    assert std[0] == pytest.approx(0.01, rel=1e-4)
    assert bool((std[1:] > std[:-1]).all())
    # alpha_bar_T = prod(1 - beta) ~ exp(-sum beta) = exp(-400 * 5.05e-3).
    assert std[-1] == pytest.approx(math.sqrt(1 - math.exp(-2.02)), abs=5e-3)


def test_noise_rows_adds_the_step_scaled_noise():
    x = torch.tensor([[1.0, 2.0], [0.0, -1.0]])
    noise = torch.tensor([[1.0, -1.0], [2.0, 0.5]])
    std = torch.tensor([0.1, 0.5, 1.0])
    noisy = F.noise_rows(x, torch.tensor([2, 1]), std, noise)
    expected = torch.tensor([[2.0, 1.0], [1.0, -0.75]])
    torch.testing.assert_close(noisy, expected)


def test_noise_rows_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="steps must have shape"):
        F.noise_rows(
            torch.zeros(2, 3),
            torch.zeros(3, dtype=torch.long),
            torch.ones(5),
            torch.zeros(2, 3),
        )


def test_steps_are_binned_into_equal_ranges():
    bins = F.diffusion_step_bins(torch.arange(10), n_steps=10, n_bins=3)
    assert bins.tolist() == [0, 0, 0, 0, 1, 1, 1, 2, 2, 2]


def test_bin_centres_are_the_mean_step_of_each_bin():
    # Bins {0..3}, {4..6}, {7..9}.
    centres = F.step_bin_centres(10, 3)
    torch.testing.assert_close(centres, torch.tensor([1.5, 5.0, 8.0]))
    with pytest.raises(ValueError, match="n_bins must be between 2"):
        F.step_bin_centres(5, 6)


def test_cross_entropy_by_hand():
    logits = torch.tensor([[0.0, 0.0, 0.0], [math.log(2.0), 0.0, 0.0]])
    loss = F.step_classification_loss(logits, torch.tensor([2, 0]))
    # softmax: (1/3, 1/3, 1/3) and (1/2, 1/4, 1/4).
    torch.testing.assert_close(loss, torch.tensor([math.log(3.0), math.log(2.0)]))
    with pytest.raises(ValueError, match=r"shape \(B, n_bins\)"):
        F.step_classification_loss(logits, torch.tensor([[2], [0]]))


def test_expected_step_weights_the_centres_by_softmax():
    centres = torch.tensor([1.5, 5.0, 8.0])
    logits = torch.tensor([[0.0, 0.0, 0.0], [math.log(2.0), 0.0, -1e9]])
    expected = torch.tensor([(1.5 + 5.0 + 8.0) / 3, (2 * 1.5 + 5.0) / 3])
    torch.testing.assert_close(F.expected_diffusion_step(logits, centres), expected)


def test_classifier_draws_steps_and_noise_from_the_global_generator():
    module = DiffusionTimeClassifier(4, (8,), "relu", 0.0, n_steps=20, n_bins=4)
    x = torch.randn(50, 4)
    torch.manual_seed(3)
    logits, bins = module(x)
    torch.manual_seed(3)
    again, same_bins = module(x)
    assert logits.shape == (50, 4) and bins.shape == (50,)
    assert bins.dtype == torch.long and 0 <= int(bins.min()) <= int(bins.max()) < 4
    torch.testing.assert_close(logits, again)
    assert torch.equal(bins, same_bins)
    # Scoring is deterministic and sees the clean row.
    torch.testing.assert_close(
        module.expected_step(x),
        F.expected_diffusion_step(module.classifier(x), module.bin_centres),
    )


def test_criterion_is_the_mean_cross_entropy():
    logits = torch.tensor([[0.0, 0.0, 0.0], [math.log(2.0), 0.0, 0.0]])
    bins = torch.tensor([2, 0])
    loss = StepClassificationLoss()((logits, bins), torch.zeros(2, 5))
    assert float(loss) == pytest.approx((math.log(3.0) + math.log(2.0)) / 2)


def test_trimmed_criterion_leaves_out_the_largest_cross_entropy():
    # Cross-entropies log 3, log 2 and log 4: a trim of 0.34 of three rows
    # (round(1.02) = 1) leaves out the log 4.
    logits = torch.tensor(
        [[0.0, 0.0, 0.0], [math.log(2.0), 0.0, 0.0], [math.log(2.0), 0.0, 0.0]]
    )
    bins = torch.tensor([2, 0, 1])
    loss = StepClassificationLoss(trim=0.34)((logits, bins), torch.zeros(3, 5))
    assert float(loss) == pytest.approx((math.log(3.0) + math.log(2.0)) / 2)
