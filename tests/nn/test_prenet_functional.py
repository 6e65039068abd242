"""PReNet's pair loss and row score against hand-computed values."""

import pytest
import torch

from skfraud.nn import PairRegressionLoss, PairRelationNetwork
from skfraud.nn.functional import (
    mean_pair_score,
    ordinal_pair_targets,
    pair_regression_loss,
)

PAPER_TARGETS = (0.0, 4.0, 8.0)


def test_targets_follow_the_count_of_anomalies():
    n_anomalies = torch.tensor([2.0, 1.0, 0.0, 1.0])
    targets = ordinal_pair_targets(n_anomalies, PAPER_TARGETS)
    assert targets.tolist() == [8.0, 4.0, 0.0, 4.0]


def test_loss_is_the_absolute_error_from_the_target():
    scores = torch.tensor([7.0, 5.5, -1.0, 0.25])
    n_anomalies = torch.tensor([2.0, 1.0, 0.0, 0.0])
    # |7 - 8|, |5.5 - 4|, |-1 - 0|, |0.25 - 0|
    expected = [1.0, 1.5, 1.0, 0.25]
    loss = pair_regression_loss(scores, n_anomalies, PAPER_TARGETS)
    assert loss.tolist() == expected
    criterion = PairRegressionLoss(PAPER_TARGETS)
    assert criterion(scores, n_anomalies).item() == pytest.approx(3.75 / 4)


def test_other_targets_are_used():
    loss = pair_regression_loss(
        torch.tensor([1.0, 1.0]), torch.tensor([0.0, 2.0]), (-1.0, 0.0, 3.0)
    )
    assert loss.tolist() == [2.0, 2.0]


def test_row_score_weighs_both_kinds_of_reference_equally():
    with_anomalies = torch.tensor([[6.0, 8.0], [4.0, 4.0]])
    with_unlabelled = torch.tensor([[4.0, 4.0, 4.0], [0.0, 1.0, 2.0]])
    # row 0: (7 + 4) / 2; row 1: (4 + 1) / 2
    scores = mean_pair_score(with_anomalies, with_unlabelled)
    assert scores.tolist() == [5.5, 2.5]


@pytest.mark.parametrize(
    ("scores", "n_anomalies", "error", "message"),
    [
        (torch.zeros(3, 1), torch.zeros(3), ValueError, "Squeeze"),
        (torch.zeros(3), torch.zeros(4), ValueError, "shape"),
        (torch.zeros(3, dtype=torch.long), torch.zeros(3), TypeError, "floating"),
        (torch.zeros(3), torch.tensor([0.0, 3.0, 1.0]), ValueError, "0, 1 or 2"),
        (torch.zeros(3), torch.tensor([0.5, 1.0, 2.0]), ValueError, "swapped|place"),
    ],
)
def test_bad_inputs_are_rejected(scores, n_anomalies, error, message):
    with pytest.raises(error, match=message):
        pair_regression_loss(scores, n_anomalies, PAPER_TARGETS)


def test_row_score_needs_reference_columns():
    with pytest.raises(ValueError, match=r"\(B, R\)"):
        mean_pair_score(torch.zeros(3), torch.zeros(3, 2))


def test_network_scores_rows_as_the_mean_pair_score_with_the_references():
    torch.manual_seed(0)
    network = PairRelationNetwork(3, (5,), (4,), "relu", 0.0, n_reference=2)
    anomalies, unlabelled = torch.randn(2, 3), torch.randn(2, 3)
    network.set_references(anomalies, unlabelled)
    rows = torch.randn(4, 3)
    with torch.no_grad():
        by_hand = [
            (
                sum(network(torch.stack([row, ref])[None]) for ref in anomalies) / 2
                + sum(network(torch.stack([row, ref])[None]) for ref in unlabelled) / 2
            )
            / 2
            for row in rows
        ]
        scores = network.score_rows(rows)
    assert scores.shape == (4,)
    torch.testing.assert_close(scores, torch.cat(by_hand))
    assert set(dict(network.named_buffers())) == {
        "reference_anomalies",
        "reference_unlabelled",
    }


def test_network_takes_pairs_only():
    network = PairRelationNetwork(3, (5,), (), "relu", 0.0, n_reference=2)
    assert network(torch.zeros(7, 2, 3)).shape == (7,)
    with pytest.raises(ValueError, match="score_rows"):
        network(torch.zeros(7, 3))
