"""Cheap rejection rules on constructed bad candidates (and good ones that must pass)."""

from __future__ import annotations

import pytest

from actlab.search.reject import check


@pytest.mark.parametrize(
    "expr,reason",
    [
        ("exp(exp(x))", "non-finite"),  # overflows on the grid (x = 7)
        ("exp(x^2)", "non-finite"),
        ("x/x + 2", "constant"),
        ("0*x", "constant"),
        ("sigmoid(x)", "vanishing gradient"),  # saturates: gradients die through 20 layers
        ("0.001*x + 1", "vanishing gradient"),
        ("sinh(x)", "vanishing signal"),
        ("x^2", "vanishing signal"),
        ("max(x, 0)^2", "non-finite signal"),  # squares the scale every layer: overflows
        ("log(x)", "exploding gradient"),  # 1/x near 0
        ("1 + 0.001*sin(1000*x)", "collapsed signal"),  # every input maps to ~1; slopes stay O(1)
    ],
)
def test_bad_candidates_are_rejected_with_reason(expr, reason):
    v = check(expr)
    assert not v.ok
    assert v.reason == reason, str(v)
    assert str(v).startswith(f"rejected: {reason}")


@pytest.mark.parametrize(
    "expr", ["max(x, 0)", "x", "x*sigmoid(x)", "x/(1 + exp(-x))", "tanh(x)", "sin(x)", "abs(x)"]
)
def test_good_candidates_pass(expr):
    v = check(expr)
    assert v.ok, str(v)
    assert 0.5 < v.detail["gain"] < 3


def test_verdict_is_deterministic():
    a, b = check("x*tanh(x) + 0.1*x"), check("x*tanh(x) + 0.1*x")
    assert a.ok == b.ok and a.detail == b.detail
