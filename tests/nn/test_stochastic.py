"""Stochastic activation: ReLU/SiLU draws in training, ReLU at eval, seeded."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

import actlab
from actlab.nn import StochasticActivation, set_finetune_relu

silu_ref = actlab.functional.silu  # the catalog's SiLU, bit for bit what the module computes


def test_eval_is_deterministic_relu():
    m = actlab.get("stochastic", p=0.9).eval()
    x = torch.randn(1000)
    assert torch.equal(m(x), F.relu(x)) and torch.equal(m(x), m(x))


def test_reproducible_under_a_seed():
    x = torch.randn(64, 32)
    a, b = StochasticActivation(0.5, seed=7), StochasticActivation(0.5, seed=7)
    ya = [a(x) for _ in range(3)]
    yb = [b(x) for _ in range(3)]
    assert all(torch.equal(u, v) for u, v in zip(ya, yb))
    assert not torch.equal(ya[0], ya[1])  # fresh draws each call
    c = StochasticActivation(0.5, seed=8)
    assert not torch.equal(c(x), ya[0])
    a.manual_seed(7)
    assert torch.equal(a(x), ya[0])


def test_draws_only_on_the_negative_side():
    torch.manual_seed(0)
    x = torch.randn(20000)
    y = StochasticActivation(0.3, seed=123)(x)  # not the data seed: same stream, correlated
    pos, neg = x >= 0, x < 0
    assert torch.equal(y[pos], x[pos])  # identical for both choices
    silu = silu_ref(x)[neg]  # same tensor shape as the module saw: bitwise equal values
    chose_silu = y[neg] == silu
    assert torch.all(chose_silu | (y[neg] == 0))
    frac = chose_silu.float().mean().item()
    n = int(neg.sum())
    assert abs(frac - 0.3) < 4 * (0.3 * 0.7 / n) ** 0.5  # Bernoulli(p) within 4 sigma


def test_whole_axis_mode_and_granularity():
    x = torch.randn(50, 40)
    y = StochasticActivation(0.5, seed=1, negative_only=False)(x)
    silu, relu = silu_ref(x), F.relu(x)
    assert torch.all((y == silu) | (y == relu))
    assert ((y == silu) & (x > 0.5)).any()  # SiLU also changes the positive side here
    tok = StochasticActivation(0.5, seed=1, negative_only=False, granularity="token")(x)
    per_row = (tok == silu).all(dim=1) | (tok == relu).all(dim=1)
    assert per_row.all() and 0 < (tok == silu).all(dim=1).sum() < 50
    with pytest.raises(ValueError, match="granularity"):
        StochasticActivation(granularity="layer")
    with pytest.raises(ValueError, match="'p'"):
        StochasticActivation(p=1.5)


def test_finetune_relu_and_stochastic_inference():
    x = torch.randn(500)
    m = StochasticActivation(1.0, seed=0)
    assert not torch.equal(m(x), F.relu(x))
    assert m.finetune_relu() is m and torch.equal(m(x), F.relu(x))
    m.finetune_relu(False)
    model = torch.nn.Sequential(torch.nn.Linear(4, 4), StochasticActivation(1.0), StochasticActivation(1.0))
    assert set_finetune_relu(model) == 2 and all(mm.relu_only for mm in model[1:])
    keep = StochasticActivation(1.0, seed=0, stochastic_inference=True).eval()
    assert torch.equal(keep(x)[x < 0], silu_ref(x)[x < 0])


def test_gradient_follows_the_drawn_function():
    x = torch.randn(3000, requires_grad=True)
    m = StochasticActivation(0.5, seed=3)
    y = m(x)
    (g,) = torch.autograd.grad(y.sum(), x)
    xd = x.detach()
    xr = xd.clone().requires_grad_(True)
    (silu_grad,) = torch.autograd.grad(silu_ref(xr).sum(), xr)
    chose_silu = (y.detach() == silu_ref(xd)) & (xd < 0)
    torch.testing.assert_close(g[chose_silu], silu_grad[chose_silu])
    assert torch.all(g[(xd < 0) & ~chose_silu] == 0) and torch.all(g[xd > 0] == 1)
