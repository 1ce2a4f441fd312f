"""The expression language: property-based parse/print round trips, semantics, errors."""

from __future__ import annotations

import math

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from actlab.search.expr import (
    BINARY,
    UNARY,
    Binary,
    Const,
    Expression,
    ExpressionSyntaxError,
    Param,
    Unary,
    X,
    const,
    parse,
    to_text,
)

consts = st.floats(min_value=0.0, max_value=1e300, allow_nan=False, allow_infinity=False).map(abs).map(Const)
params = st.sampled_from([Param("beta"), Param("beta2"), Param("alpha"), Param("gamma_1")])
leaves = st.one_of(st.just(X), consts, params)
trees = st.recursive(
    leaves,
    lambda ch: st.one_of(
        st.builds(Unary, st.sampled_from(sorted(UNARY)), ch),
        st.builds(Binary, st.sampled_from(sorted(BINARY)), ch, ch),
    ),
    max_leaves=14,
)


@settings(max_examples=300, deadline=None)
@given(trees)
def test_print_parse_round_trip(node):
    text = to_text(node)
    back = parse(text)
    assert back.root == node, text
    assert str(back) == text  # canonical: printing the parsed tree gives the same text


@settings(max_examples=100, deadline=None)
@given(trees, st.floats(min_value=-1e6, max_value=1e6, allow_nan=False))
def test_round_trip_with_parameter_values(node, value):
    e = Expression(node)
    if e.param_names:
        e = Expression(node, {e.param_names[0]: value})
    assert parse(str(e)) == e
    assert isinstance(e.latex(), str) and e.latex()


def test_readable_forms_and_precedence():
    cases = {
        "x*sigmoid(x)": "x*sigmoid(x)",
        "x/(1+exp(-x))": "x/(1 + exp(-x))",
        "-x^2": "-x^2",
        "(-x)^2": "(-x)^2",
        "x - (x - 1)": "x - (x - 1)",
        "(x - x) - 1": "x - x - 1",
        "x^2^2": "(x^2)^2",
        "square(x)": "x^2",
        "max(x,0)+min(0.01*x , 0)": "max(x, 0) + min(0.01*x, 0)",
        "x*sigmoid(beta*x); beta=1.5": "x*sigmoid(beta*x); beta=1.5",
        "x*sigmoid(beta*x); beta=1": "x*sigmoid(beta*x)",
        "arctan(x)": "atan(x)",
    }
    for src, want in cases.items():
        assert str(parse(src)) == want
    assert parse("-x^2").root == Unary("neg", Unary("square", X))
    assert parse("2 - 3 - 4").root == Binary("sub", Binary("sub", Const(2), Const(3)), Const(4))


def test_latex():
    assert parse("x/(1 + exp(-x))").latex() == r"\frac{x}{1 + \exp\left(-x\right)}"
    assert parse("x*sigmoid(beta1*x)").latex() == r"x \cdot \sigma\left(\beta_{1} \cdot x\right)"
    assert parse("pi*x").latex() == r"\pi \cdot x"


@pytest.mark.parametrize(
    "bad", ["", "x +", "foo(x)", "y*x", "x^4", "max(x)", "x; beta=1", "x*beta; beta=nope", "2x", "(x", "+x"]
)
def test_syntax_errors(bad):
    with pytest.raises(ExpressionSyntaxError):
        parse(bad)


def test_compiled_values_match_torch():
    x = torch.linspace(-4, 4, 101, dtype=torch.float64)
    torch.testing.assert_close(
        parse("x/(1 + exp(-x))").fn(x), torch.nn.functional.silu(x), rtol=1e-14, atol=1e-15
    )
    torch.testing.assert_close(
        parse("0.5*x*(1 + erf(x/sqrt(2)))").fn(x), torch.nn.functional.gelu(x), rtol=1e-14, atol=1e-15
    )
    torch.testing.assert_close(parse("softplus(x)").fn(x), torch.log1p(torch.exp(x)), rtol=1e-14, atol=1e-15)
    e = parse("x*sigmoid(beta*x); beta=2")
    torch.testing.assert_close(e.fn(x), x * torch.sigmoid(2 * x))
    torch.testing.assert_close(e.fn(x, beta=torch.tensor(3.0)), x * torch.sigmoid(3 * x))
    with pytest.raises(TypeError):
        e.fn(x, gamma=1.0)
    assert parse("3").fn(torch.zeros(2, 3)).shape == (2, 3)  # constant expressions keep the input shape


def test_protected_operations():
    x = torch.tensor([0.0, 1e-9, -1e-9, 2.0], dtype=torch.float64)
    # a/b: |b| < 1e-6 replaced by sign(b)*1e-6, sign(0) = +1
    assert parse("1/x").fn(x).tolist() == [1e6, 1e6, -1e6, 0.5]
    # log|a| with |a| clamped at 1e-30, sqrt|a| likewise
    assert parse("log(x)").fn(x)[0].item() == pytest.approx(math.log(1e-30))
    assert parse("log(x)").fn(-x)[3].item() == pytest.approx(math.log(2.0))
    assert parse("sqrt(x)").fn(-x)[3].item() == pytest.approx(math.sqrt(2.0))
    assert parse("sinc(x)").fn(x)[0].item() == 1.0
    assert parse("sinc(x)").fn(x)[3].item() == pytest.approx(math.sin(2.0) / 2.0)
    # gradients stay finite at the protected points
    xg = torch.zeros(3, dtype=torch.float64, requires_grad=True)
    y = parse("1/x + log(x) + sqrt(x)").fn(xg).sum()
    (g,) = torch.autograd.grad(y, xg)
    assert torch.isfinite(g).all()


def test_const_helper_and_validation():
    assert const(-2.5) == Unary("neg", Const(2.5))
    assert str(Expression(const(-2.5))) == "-2.5"
    with pytest.raises(ValueError):
        Const(-1.0)
    with pytest.raises(ValueError):
        Unary("nope", X)
    with pytest.raises(ValueError):
        Expression(X, {"beta": 1.0})  # no such parameter
