"""SmartMixed: per-neuron activation choice, freezing, grouped evaluation."""

from __future__ import annotations

import pytest
import torch
from torch import nn

import actlab
from actlab.nn import SmartMixed


def _trained(seed: int = 0, **kw) -> SmartMixed:
    torch.manual_seed(seed)
    m = SmartMixed(24, **kw)
    with torch.no_grad():
        m.logits.normal_(0, 2)  # a spread of preferences, as after phase-1 training
    return m


@pytest.mark.parametrize("channel_dim,shape", [(-1, (5, 7, 24)), (1, (3, 24, 4, 4))])
def test_frozen_output_equals_the_mixture_at_its_argmax(channel_dim, shape):
    m = _trained(channel_dim=channel_dim)
    x = torch.randn(shape, dtype=torch.float64) * 3
    one_hot = nn.functional.one_hot(m.logits.argmax(dim=-1), len(m.pool_names)).double()
    mixture = m.double().mixture(x, one_hot)
    m.eval()
    torch.testing.assert_close(m(x), mixture, rtol=0, atol=0)  # unfrozen eval = argmax mixture
    m.freeze()
    assert m.frozen and not m.logits.requires_grad
    torch.testing.assert_close(m(x), mixture, rtol=1e-15, atol=0)
    # and neuron by neuron against the catalog function it chose
    xs = x.movedim(channel_dim, -1)
    ys = m(x).movedim(channel_dim, -1)
    for i, c in enumerate(m.choice.tolist()):
        f = actlab.describe(m.pool_names[c])
        torch.testing.assert_close(ys[..., i], f(xs[..., i]))


def test_distribution_reports_the_choices():
    m = _trained(pool=("relu", "tanh", "gelu"))
    dist = m.distribution()
    assert list(dist) == ["relu", "tanh", "gelu"] and sum(dist.values()) == 24
    expected = torch.bincount(m.logits.argmax(dim=-1), minlength=3).tolist()
    assert list(dist.values()) == expected
    assert m.freeze().distribution() == dist


def test_training_uses_straight_through_hard_samples():
    m = SmartMixed(16, tau=0.5)
    w = m.weights()
    assert ((w == 0) | (w == 1)).all() and (w.sum(dim=-1) == 1).all()  # hard one-hot forward
    x = torch.randn(32, 16)
    m(x).pow(2).sum().backward()
    assert m.logits.grad is not None and m.logits.grad.abs().sum() > 0  # soft gradient
    soft = SmartMixed(16, hard=False)
    assert ((soft.weights() > 0) & (soft.weights() < 1)).all()


def test_state_dict_keeps_the_frozen_choice():
    a = _trained().freeze()
    b = SmartMixed(24)
    b.load_state_dict(a.state_dict())
    assert b.frozen and torch.equal(b.choice, a.choice)
    x = torch.randn(10, 24)
    torch.testing.assert_close(b(x), a(x))


def test_pool_validation():
    with pytest.raises(ValueError, match="at least two"):
        SmartMixed(4, pool=("relu",))
    with pytest.raises(ValueError, match="not elementwise"):
        SmartMixed(4, pool=("relu", "velu"))
    with pytest.raises(ValueError, match="expected 4 features"):
        SmartMixed(4)(torch.randn(2, 5))
    m = SmartMixed(4, pool=("relu", ("leaky_relu", {"negative_slope": 0.2})))
    assert m.pool_names == ["relu", "leaky_relu"]
