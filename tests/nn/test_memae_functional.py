"""MemAE's memory addressing, module and loss against hand computations."""

import math

import pytest
import torch

from skfraud.nn import (
    AutoEncoder,
    Memory,
    MemoryAutoEncoder,
    MemoryAutoEncoderLoss,
)
from skfraud.nn import functional as F


def test_cosine_attention_is_softmax_of_cosine_similarities():
    z = torch.tensor([[2.0, 0.0], [0.0, 0.0]])
    # Similarities of the first code: 1, 0, -1 (slot norms do not matter).
    memory = torch.tensor([[3.0, 0.0], [0.0, 0.5], [-1.0, 0.0]])
    attention = F.cosine_attention(z, memory)
    total = math.e + 1.0 + 1.0 / math.e
    expected = [math.e / total, 1.0 / total, 1.0 / (math.e * total)]
    assert attention[0].tolist() == pytest.approx(expected, rel=1e-6)
    # A zero code is equally similar (0) to every slot.
    assert attention[1].tolist() == pytest.approx([1 / 3] * 3)


def test_hard_shrinkage_by_hand():
    attention = torch.tensor([[0.5, 0.3, 0.15, 0.05]], dtype=torch.float64)
    # 0.15 and 0.05 fall below 0.2; 0.5 and 0.3 survive and are divided by 0.8.
    shrunk = F.hard_shrinkage(attention, 0.2)
    assert shrunk[0].tolist() == pytest.approx([0.625, 0.375, 0.0, 0.0], rel=1e-9)
    # Only the largest weight survives 0.4.
    assert F.hard_shrinkage(attention, 0.4)[0].tolist() == pytest.approx([1, 0, 0, 0])


def test_hard_shrinkage_with_zero_threshold_keeps_the_attention():
    attention = torch.softmax(torch.randn(5, 7, generator=torch.Generator()), dim=1)
    assert torch.allclose(F.hard_shrinkage(attention, 0.0), attention, atol=1e-6)


def test_every_weight_below_threshold_gives_zero_row_not_nan():
    attention = torch.tensor(
        [[0.25, 0.25, 0.25, 0.25], [0.7, 0.1, 0.1, 0.1]], requires_grad=True
    )
    shrunk = F.hard_shrinkage(attention, 0.3)
    # Row 1: nothing survives, so the row is all zeros (the memory then
    # returns the zero code); row 2 keeps its single large weight.
    assert shrunk.tolist() == [[0.0, 0.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0]]
    entropy = F.attention_entropy(shrunk)
    assert entropy.tolist() == [0.0, 0.0]
    entropy.sum().backward()
    assert torch.isfinite(attention.grad).all()


def test_uniform_attention_at_threshold_one_over_n_is_cut_entirely():
    # The only case in which lambda = 1/N removes every slot.
    attention = torch.full((1, 4), 0.25)
    assert F.hard_shrinkage(attention, 0.25).abs().sum().item() == 0.0


def test_attention_entropy_by_hand():
    attention = torch.tensor(
        [
            [0.625, 0.375, 0.0, 0.0],
            [0.25, 0.25, 0.25, 0.25],
            [1.0, 0.0, 0.0, 0.0],
            [0.0, 0.0, 0.0, 0.0],
        ],
        dtype=torch.float64,
    )
    expected = [
        -(0.625 * math.log(0.625) + 0.375 * math.log(0.375)),  # 0.6616
        math.log(4.0),
        0.0,
        0.0,
    ]
    assert F.attention_entropy(attention).tolist() == pytest.approx(expected)


def test_attention_entropy_gradient_is_finite_at_zero_weights():
    attention = torch.tensor([[0.6, 0.4, 0.0]], requires_grad=True)
    F.attention_entropy(attention).sum().backward()
    # d/dw (-w log w) = -(log w + 1); the zero weight's gradient is held at 0.
    expected = [-(math.log(0.6) + 1), -(math.log(0.4) + 1), 0.0]
    assert attention.grad[0].tolist() == pytest.approx(expected, rel=1e-6)


def _seeded_memory(threshold, seed=0):
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        return Memory(n_slots=40, latent_dim=6, shrink_threshold=threshold)


def test_memory_reads_a_convex_combination_of_its_slots():
    memory = _seeded_memory(threshold=1 / 40)
    z = torch.randn(32, 6, generator=torch.Generator().manual_seed(1))
    z_hat, attention = memory(z)
    assert torch.allclose(attention.sum(dim=1), torch.ones(32))
    assert torch.allclose(z_hat, attention @ memory.weight)


def test_memory_attention_gets_sparser_with_larger_threshold():
    z = torch.randn(64, 6, generator=torch.Generator().manual_seed(2))
    n_slots = [
        (_seeded_memory(threshold).address(z) > 0).sum(dim=1).float().mean().item()
        for threshold in (0.0, 1 / 40, 2 / 40, 3 / 40)
    ]
    assert n_slots[0] == 40
    assert n_slots == sorted(n_slots, reverse=True)
    assert len(set(n_slots)) == 4


def test_loss_is_mse_plus_weighted_mean_entropy():
    x = torch.tensor([[1.0, 0.0], [0.0, 2.0]])
    x_hat = torch.tensor([[0.0, 0.0], [0.0, 0.0]])
    attention = torch.tensor([[0.5, 0.5], [1.0, 0.0]])
    loss = MemoryAutoEncoderLoss(entropy_weight=0.1)((x_hat, attention), x)
    # MSE: (0.5 + 2.0) / 2; entropies: ln 2 and 0.
    expected = 1.25 + 0.1 * math.log(2.0) / 2
    assert loss.item() == pytest.approx(expected, rel=1e-6)


def test_memory_autoencoder_starts_from_the_plain_autoencoders_weights():
    args = (5, (8,), 3, "relu", 0.0)
    with torch.random.fork_rng():
        torch.manual_seed(0)
        with_memory = MemoryAutoEncoder(*args, n_slots=10, shrink_threshold=0.1)
        torch.manual_seed(0)
        plain = AutoEncoder(*args)
    plain_state = plain.state_dict()
    for name, tensor in with_memory.state_dict().items():
        if not name.startswith("memory."):
            assert torch.equal(tensor, plain_state[name]), name
    x = torch.randn(4, 5, generator=torch.Generator().manual_seed(3))
    x_hat, attention = with_memory(x)
    assert x_hat.shape == (4, 5)
    assert attention.shape == (4, 10)
    assert torch.allclose(attention, with_memory.attention(x))
