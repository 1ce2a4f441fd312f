"""register_expression and the bench's ``expr:`` activation prefix."""

from __future__ import annotations

import pytest
import torch

import actlab
from actlab.catalog.registry import ALIASES, REGISTRY
from actlab.search.expr import ExpressionSyntaxError


@pytest.fixture
def cleanup():
    """Remove what a test registers (other tests iterate over the whole catalog)."""
    before, aliases = set(REGISTRY), set(ALIASES)
    yield
    for n in set(REGISTRY) - before:
        del REGISTRY[n]
    for a in set(ALIASES) - aliases:
        del ALIASES[a]


def test_register_expression(cleanup):
    spec = actlab.register_expression("test_search_swish", "x*sigmoid(beta*x); beta=1.5", aliases=("tss",))
    assert spec.family == "self_gated"  # closest catalog function: silu/swish
    assert actlab.describe("tss") is spec
    assert spec.formula_text == "x*sigmoid(beta*x)"
    assert spec.param("beta").default == 1.5 and spec.param("beta").trainable
    x = torch.linspace(-5, 5, 41)
    torch.testing.assert_close(actlab.get("test_search_swish")(x), x * torch.sigmoid(1.5 * x))
    torch.testing.assert_close(actlab.functional.test_search_swish(x, beta=2.0), x * torch.sigmoid(2 * x))
    learn = actlab.get("test_search_swish", trainable=True)
    (p,) = list(learn.parameters())
    assert p.item() == 1.5
    learn(x).sum().backward()
    assert p.grad is not None and torch.isfinite(p.grad).all()
    with pytest.raises(ValueError):
        actlab.register_expression("test_search_swish", "x")
    with pytest.raises(ExpressionSyntaxError):
        actlab.register_expression("test_search_bad", "x +")
    assert "test_search_bad" not in REGISTRY


def test_register_expression_family_and_citation(cleanup):
    cit = actlab.Citation(authors="actlab search", title="found by a search", year=2025)
    spec = actlab.register_expression("test_search_bump", "exp(-x^2)", citation=cit)
    assert spec.family == "bump"  # equal to gaussian
    assert spec.citation is cit
    spec2 = actlab.register_expression("test_search_fam", "x", family="rectified")
    assert spec2.family == "rectified"
    with pytest.raises(ValueError):
        actlab.register_expression("test_search_fam2", "x", family="nope")


def test_expr_prefix_resolves_in_the_bench():
    from actlab.bench.activations import resolve

    f = resolve("expr:x*sigmoid(beta*x)", {"beta": 2.0})
    m = f()
    assert [p.item() for p in m.parameters()] == [2.0]  # trainable by default, initial value 2
    fixed = resolve("expr:x*sigmoid(beta*x)", {"beta": 2.0, "trainable": False})()
    assert list(fixed.parameters()) == []
    x = torch.randn(16)
    torch.testing.assert_close(fixed(x), x * torch.sigmoid(2 * x))
    with pytest.raises(TypeError):
        resolve("expr:x*sigmoid(beta*x)", {"gamma": 1.0})
    with pytest.raises(ValueError):
        resolve("expr:x +", {})
    with pytest.raises(ValueError):
        resolve("expr:x", {"trainable": "yes"})


def test_fixed_expression_runs_through_the_kernels():
    from actlab.nn.activation import Activation
    from actlab.search.register import expression_module

    m = expression_module("max(x, 0) + 0.1*min(x, 0)")
    assert isinstance(m, Activation) and m.impl == "auto"
    x = torch.randn(1000, requires_grad=True)
    y = m(x)
    y.sum().backward()
    torch.testing.assert_close(y, torch.nn.functional.leaky_relu(x, 0.1))
    torch.testing.assert_close(x.grad, torch.where(x > 0, 1.0, 0.1))
