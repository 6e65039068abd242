"""Deep SVDD and Deep SAD: distance, loss and centre guard by hand."""

import pytest
import torch

from skfraud.nn import DeepSADLoss, HypersphereNetwork, Standardize
from skfraud.nn import functional as F


def test_squared_distance_by_hand():
    z = torch.tensor([[1.0, 2.0], [0.0, 0.0], [3.0, -1.0]])
    centre = torch.tensor([1.0, 0.0])
    torch.testing.assert_close(
        F.squared_distance(z, centre), torch.tensor([4.0, 1.0, 5.0])
    )


def test_squared_distance_rejects_a_centre_of_the_wrong_size():
    with pytest.raises(ValueError, match="centre shape"):
        F.squared_distance(torch.zeros(4, 3), torch.zeros(2))


def test_deep_sad_loss_worked_example():
    # Unlabelled row at d = 4 costs 4; a labelled anomaly at d = 0.5 costs
    # eta / (d + eps) = 2 / 0.5 = 4, and 2 / 4 = 0.5 once pushed out to d = 4.
    distances = torch.tensor([4.0, 0.5, 4.0])
    labels = torch.tensor([0.0, 1.0, 1.0])
    loss = F.deep_sad_loss(distances, labels, eta=2.0, eps=0.0)
    torch.testing.assert_close(loss, torch.tensor([4.0, 4.0, 0.5]))
    # eps keeps an anomaly at the centre finite: 2 / 1e-6.
    at_centre = F.deep_sad_loss(torch.tensor([0.0]), torch.tensor([1.0]), 2.0, 1e-6)
    assert float(at_centre) == pytest.approx(2e6)


def test_without_labels_it_is_the_deep_svdd_loss():
    distances = torch.tensor([0.3, 2.0, 7.5])
    loss = F.deep_sad_loss(distances, torch.zeros(3), eta=1.0, eps=1e-6)
    torch.testing.assert_close(loss, distances)


@pytest.mark.parametrize(
    "labels, message",
    [(torch.tensor([0.0, 2.0]), "0 \\(unlabelled\\) or 1"), (torch.zeros(3), "shape")],
)
def test_deep_sad_loss_rejects_bad_labels(labels, message):
    with pytest.raises(ValueError, match=message):
        F.deep_sad_loss(torch.tensor([1.0, 2.0]), labels, 1.0, 1e-6)


def test_guard_centre_moves_small_coordinates_out_to_eps():
    centre = torch.tensor([0.05, -0.05, 0.0, 0.3, -2.0])
    guarded = F.guard_centre(centre, 0.1)
    torch.testing.assert_close(guarded, torch.tensor([0.1, -0.1, 0.1, 0.3, -2.0]))


def test_network_is_bias_free_and_scores_the_distance_to_its_centre():
    module = HypersphereNetwork(5, (8, 4), 3, "leaky_relu", 0.0)
    names = [name for name, _ in module.named_parameters()]
    assert names and not any("bias" in name for name in names)
    module.set_centre(torch.tensor([0.0, 0.5, -0.01]), 0.1)
    torch.testing.assert_close(module.centre, torch.tensor([0.1, 0.5, -0.1]))
    x = torch.randn(6, 5)
    expected = (module.embed(x) - module.centre).square().sum(dim=1)
    torch.testing.assert_close(module(x), expected)
    # The zero row maps to the zero code: its distance is ||c||^2 whatever
    # the weights, which is why c keeps away from zero.
    with torch.no_grad():
        at_origin = float(module(torch.zeros(1, 5)))
    assert at_origin == pytest.approx(0.01 + 0.25 + 0.01)


def test_criterion_is_the_mean_deep_sad_loss():
    loss = DeepSADLoss(eta=2.0, eps=0.0)(
        torch.tensor([4.0, 0.5]), torch.tensor([0.0, 1.0])
    )
    assert float(loss) == pytest.approx(4.0)


def test_trimmed_criterion_leaves_out_unlabelled_rows_only():
    # Unlabelled rows at d = 1, 2, 3 and 9, a labelled anomaly at d = 0.25
    # (eta / d = 8). A trim of 0.25 of the four unlabelled rows leaves out
    # the one at 9; the anomaly counts although its loss is the largest
    # left: (1 + 2 + 3 + 8) / 4.
    distances = torch.tensor([1.0, 9.0, 0.25, 2.0, 3.0])
    labels = torch.tensor([0.0, 0.0, 1.0, 0.0, 0.0])
    loss = DeepSADLoss(eta=2.0, eps=0.0, trim=0.25)(distances, labels)
    assert float(loss) == pytest.approx(14.0 / 4)
    # Untrimmed, the same batch is the plain mean.
    plain = DeepSADLoss(eta=2.0, eps=0.0)(distances, labels)
    assert float(plain) == pytest.approx(23.0 / 5)


def test_standardize_guards_constant_features():
    module = Standardize(3)
    module.set_statistics(
        torch.tensor([1.0, 2.0, 3.0]), torch.tensor([2.0, 0.0, 0.5]), 1e-6
    )
    out = module(torch.tensor([[3.0, 2.0, 4.0]]))
    torch.testing.assert_close(out, torch.tensor([[1.0, 0.0, 2.0]]))
