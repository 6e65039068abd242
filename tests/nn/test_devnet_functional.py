"""The deviation loss against hand computations, and its two classic bugs."""

import pytest
import torch

from skfraud.nn import AutoEncoder, DeviationLoss, DeviationNetwork
from skfraud.nn import functional as F

# mean 0, population standard deviation 1: the deviation equals the score.
UNIT_REFERENCE = torch.tensor([-1.0, 1.0])


def test_deviation_is_z_score_against_reference():
    # reference mean 2, population std 2 (not the sample std, 2 * sqrt(2)).
    reference = torch.tensor([0.0, 4.0])
    scores = torch.tensor([2.0, 6.0, -4.0])
    assert torch.allclose(
        F.deviation(scores, reference), torch.tensor([0.0, 2.0, -3.0])
    )


def test_deviation_loss_hand_computed_both_classes():
    scores = torch.tensor([0.5, -2.0, 3.0, 6.0, 1.0])
    labels = torch.tensor([0.0, 0.0, 1.0, 1.0, 1.0])
    # unlabelled: |dev|; labelled anomaly: max(0, 5 - dev)
    expected = torch.tensor([0.5, 2.0, 2.0, 0.0, 4.0])
    loss = F.deviation_loss(scores, labels, UNIT_REFERENCE, 5.0)
    assert loss.shape == (5,)
    assert torch.allclose(loss, expected)


def test_deviation_loss_at_the_margin():
    scores = torch.tensor([5.0, 5.0, 4.5])
    labels = torch.tensor([1.0, 0.0, 1.0])
    loss = F.deviation_loss(scores, labels, UNIT_REFERENCE, 5.0)
    # an anomaly exactly at the margin costs nothing, an unlabelled row there 5
    assert torch.allclose(loss, torch.tensor([0.0, 5.0, 0.5]))


def test_deviation_loss_uses_reference_statistics():
    # reference mean 2, std 1: a score of 4 deviates by 2
    reference = torch.tensor([1.0, 3.0])
    scores, labels = torch.tensor([4.0, 4.0]), torch.tensor([1.0, 0.0])
    loss = F.deviation_loss(scores, labels, reference, 5.0)
    assert torch.allclose(loss, torch.tensor([3.0, 2.0]))


def test_gradient_pushes_anomalies_up_and_normals_to_the_mean():
    scores = torch.tensor([1.0, 2.0], requires_grad=True)
    labels = torch.tensor([1.0, 0.0])
    F.deviation_loss(scores, labels, UNIT_REFERENCE, 5.0).sum().backward()
    assert scores.grad.tolist() == [-1.0, 1.0]


def test_column_of_scores_is_rejected_not_broadcast():
    scores = torch.tensor([0.0, 0.0, 10.0, 10.0])
    labels = torch.tensor([0.0, 0.0, 1.0, 1.0])
    # The (B, 1) - (B,) broadcast bug: a (B, B) matrix that mixes every score
    # with every label. Its mean is 3.75 here, where the true loss is 0.
    column = scores[:, None]
    broadcast = (
        (1 - labels) * column.abs() + labels * (5 - column).clamp(min=0)
    ).mean()
    assert broadcast.item() == pytest.approx(3.75)
    assert F.deviation_loss(scores, labels, UNIT_REFERENCE, 5.0).mean().item() == 0.0
    with pytest.raises(ValueError, match=r"shape \(B,\).*\(4, 1\)"):
        F.deviation_loss(column, labels, UNIT_REFERENCE, 5.0)
    with pytest.raises(ValueError, match=r"\(4, 1\)"):
        DeviationLoss(margin=5.0, n_reference=100)(column, labels)


def test_labels_of_another_shape_are_rejected():
    with pytest.raises(ValueError, match="labels must be a tensor of shape"):
        F.deviation_loss(torch.zeros(4), torch.zeros(4, 1), UNIT_REFERENCE, 5.0)


def test_swapped_arguments_are_rejected():
    scores = torch.tensor([0.3, -1.2, 4.7])
    labels = torch.tensor([0.0, 0.0, 1.0])
    with pytest.raises(ValueError, match="swapped"):
        F.deviation_loss(labels, scores, UNIT_REFERENCE, 5.0)
    with pytest.raises(ValueError, match="swapped"):
        DeviationLoss(margin=5.0, n_reference=100)(labels, scores)
    # integer or boolean labels in the place of the scores are no scores
    with pytest.raises(TypeError, match="floating-point"):
        F.deviation_loss(labels.long(), scores, UNIT_REFERENCE, 5.0)


def test_criterion_on_a_balanced_batch_is_the_plain_mean():
    scores = torch.tensor([0.1, -0.4, 2.0, 7.0])
    labels = torch.tensor([0.0, 0.0, 1.0, 1.0])
    criterion = DeviationLoss(margin=5.0, n_reference=5000)
    with torch.random.fork_rng():
        torch.manual_seed(0)
        loss = criterion(scores, labels)
        torch.manual_seed(0)
        reference = torch.randn(5000)
    expected = F.deviation_loss(scores, labels, reference, 5.0).mean()
    assert loss.shape == ()
    assert torch.allclose(loss, expected)


def test_criterion_weighs_the_two_classes_equally():
    # deviation = score with this reference; per-row losses 1, 2, 3 and 4
    scores = torch.tensor([1.0, -2.0, 3.0, 1.0])
    labels = torch.tensor([0.0, 0.0, 0.0, 1.0])
    criterion = DeviationLoss(margin=5.0, n_reference=2)
    with torch.random.fork_rng():
        torch.manual_seed(0)
        reference = torch.randn(2)
        torch.manual_seed(0)
        loss = criterion(
            scores * reference.std(correction=0) + reference.mean(), labels
        )
    # (mean(1, 2, 3) + 4) / 2, not the plain mean 2.5
    assert loss.item() == pytest.approx(3.0, rel=1e-5)


def test_criterion_on_a_single_class_is_its_mean():
    criterion = DeviationLoss(margin=5.0, n_reference=5000)
    scores = torch.tensor([0.5, 1.5, 9.0])
    for labels in (torch.zeros(3), torch.ones(3)):
        with torch.random.fork_rng():
            torch.manual_seed(1)
            loss = criterion(scores, labels)
            torch.manual_seed(1)
            reference = torch.randn(5000)
        expected = F.deviation_loss(scores, labels, reference, 5.0).mean()
        assert torch.allclose(loss, expected)


def test_criterion_is_small_for_separated_scores():
    # normals at the prior mean, anomalies far past the margin: the loss is
    # only the reference's sampling noise, |mean(r)| / std(r) ~ 1 / sqrt(5000)
    scores = torch.cat([torch.zeros(256), torch.full((256,), 12.0)])
    labels = torch.cat([torch.zeros(256), torch.ones(256)])
    with torch.random.fork_rng():
        torch.manual_seed(0)
        loss = DeviationLoss(margin=5.0, n_reference=5000)(scores, labels)
    assert 0.0 <= loss.item() < 0.05


def test_deviation_network_outputs_one_score_per_row():
    network = DeviationNetwork(6, (16, 4), "relu", 0.1)
    assert network(torch.randn(5, 6)).shape == (5,)
    assert DeviationNetwork(6, (), "relu", 0.0)(torch.randn(5, 6)).shape == (5,)


def test_deviation_network_encoder_matches_autoencoder_encoder():
    network = DeviationNetwork(6, (16, 4), "tanh", 0.0)
    autoencoder = AutoEncoder(6, (16,), 4, "tanh", 0.0)
    network.encoder.load_state_dict(autoencoder.encoder.state_dict())
    x = torch.randn(3, 6)
    assert torch.equal(network.encoder(x), autoencoder.encoder(x))
