"""Extra checks for the adaptive units of survey §4.3-4.30 (catalog.adaptive_sigmoidal and
catalog.adaptive_assorted): the fractional units against mpmath's own fractional derivative, the
cancellation-free forms against mpmath on dense grids where the naive forms lose digits, the
cross-parameter conditions, and what the learnable modules learn."""

from __future__ import annotations

import math

import mpmath
import pytest
import torch

import actlab
from actlab.catalog.registry import lookup

mpmath.mp.dps = 40


def _fn(name: str, x: torch.Tensor, **params) -> torch.Tensor:
    return lookup(name)(x, **params)


@pytest.mark.parametrize("a", [0.0, 0.25, 0.5, 0.8])
def test_frac_relu_is_the_riemann_liouville_derivative_of_relu(a):
    # mpmath.differint: Riemann-Liouville differintegral with lower limit 0 (independent of the closed form)
    xs = [0.3, 1.0, 2.7]
    y = _fn("frac_relu", torch.tensor(xs, dtype=torch.float64), a=a).tolist()
    for x, yi in zip(xs, y):
        expected = mpmath.differint(lambda t: t, x, a)
        assert abs(yi - float(expected)) <= 1e-10 * abs(float(expected)), (x, yi, expected)
    assert _fn("frac_relu", torch.tensor([-1.0, 0.0], dtype=torch.float64), a=a).tolist() == [0.0, 0.0]


@pytest.mark.parametrize("a", [0.25, 0.6])
def test_frac_prelu_negative_side_is_the_right_sided_derivative_of_the_line(a):
    # right-sided RL derivative with terminal 0 of f(x) = b x at x < 0: substitute u = -x
    b = 0.3
    for x in (-0.4, -1.5):
        expected = -b * mpmath.differint(lambda u: u, -x, a)
        got = _fn("frac_prelu", torch.tensor([x], dtype=torch.float64), a=a, b=b).item()
        assert abs(got - float(expected)) <= 1e-10 * abs(float(expected))


def test_fractional_units_reduce_to_their_integer_order_parents():
    x = torch.linspace(-6, 6, 121, dtype=torch.float64) + 0.013
    torch.testing.assert_close(_fn("frac_relu", x, a=0.0), torch.relu(x), rtol=1e-15, atol=0)
    prelu = torch.where(x > 0, x, 0.2 * x)
    torch.testing.assert_close(_fn("frac_prelu", x, a=0.0, b=0.2), prelu, rtol=1e-15, atol=0)
    torch.testing.assert_close(_fn("falu", x, a=0.0, b=2.0), x * torch.sigmoid(2 * x), rtol=1e-15, atol=0)
    # FALU at a = 1, b = 1 is the exact first derivative of SiLU
    s = torch.sigmoid(x)
    torch.testing.assert_close(_fn("falu", x, a=1.0, b=1.0), s * (1 + x * (1 - s)), rtol=1e-13, atol=1e-15)


def _mp_softplus(t):
    return mpmath.log1p(mpmath.exp(t))


@pytest.mark.parametrize(
    "name,params,ref",
    [
        ("uaf", {}, lambda x: _mp_softplus(30 * (x + mpmath.mpf(1.2e-6)) + mpmath.mpf(1e-7) * x * x)
         - _mp_softplus(29 * (x - mpmath.mpf(1.2e-6))) + mpmath.mpf(1.02e-6)),
        ("parameterized_softplus", {}, lambda x: _mp_softplus(x) - mpmath.mpf(math.log(2.0))),
        ("swim", {"a": 1.0}, lambda x: x / 2 * (1 + x / mpmath.sqrt(1 + x * x))),
        ("falu", {"a": 1.5, "b": 1.0}, None),
    ],
)
def test_cancellation_free_forms_on_a_dense_grid(name, params, ref):
    """Where the printed form cancels (both softplus terms ≈ ln 2 near 0, 1 - |x|/√(1+x²) far left,
    1 - 2h near 0), the implementation keeps ~1e-12 relative accuracy on a dense grid."""
    xs = [k / 64 - 4.0 + 1e-3 for k in range(513)] + [-1e6, -3e3, -50.0, 1e-9, -1e-9]
    y = _fn(name, torch.tensor(xs, dtype=torch.float64), **params).tolist()
    if ref is None:  # FALU's a > 1 branch, written as printed: g + a s (1 - 2h)
        a, b = (mpmath.mpf(params["a"]), mpmath.mpf(params["b"]))

        def ref(x):
            sg = 1 / (1 + mpmath.exp(-b * x))
            g = x * sg
            h = g + (1 / (1 + mpmath.exp(-x))) * (1 - g)
            return g + a * sg * (1 - 2 * h)

    # FALU's a > 1 branch has a root near x = 1.704 (no relative accuracy there): absolute 1e-15 allowed
    atol = 1e-15 if name == "falu" else 1e-300
    refs = [ref(mpmath.mpf(x)) for x in xs]
    bad = [(x, yi) for x, yi, r in zip(xs, y, refs) if abs(yi - r) > 1e-12 * abs(r) + atol]
    assert not bad, f"{name}: {bad[:5]}"


@pytest.mark.parametrize(
    "name,params,match",
    [
        ("saaaf", {"a": 1.0, "b": 3.0}, "'a' and 'b'"),
        ("eis1", {"delta": 0.1, "theta": 1.0}, "'delta' and 'theta'"),
        ("eis", {"beta": 0.0, "delta": 0.0}, "'beta' and 'delta'"),
        ("splash", {"b1": 2.0, "b2": 1.0}, "'b1', 'b2', 'b3'"),
    ],
)
def test_cross_parameter_conditions_are_value_errors_naming_both(name, params, match):
    with pytest.raises(ValueError, match=match):
        actlab.functional.apply(name, torch.ones(3), **params)


def test_saaaf_condition_is_exactly_the_positivity_of_its_denominator():
    # at b/a just below e the denominator's minimum (b/a)(1 + ln(a/b)) is small but positive
    x = torch.linspace(-10, 10, 2001, dtype=torch.float64)
    y = _fn("saaaf", x, a=1.0, b=2.7)
    assert torch.isfinite(y).all()


def test_learnable_splash_learns_the_slopes_not_the_hinges():
    mod = actlab.get("splash", trainable=True)
    learned = {n for n, p in mod.named_parameters() if p.requires_grad}
    assert learned == {f"ap{i}" for i in range(4)} | {f"an{i}" for i in range(4)}
    x = torch.linspace(-4, 4, 33).reshape(1, 33)
    mod(x).pow(2).sum().backward()
    assert all(torch.isfinite(p.grad).all() for p in mod.parameters())
    assert mod.ap1.grad.abs().sum() > 0 and mod.an0.grad.abs().sum() == 0  # relu start: no left mass


def test_rsign_has_zero_gradient_and_reacts_on_the_threshold():
    x = torch.tensor([-1.0, 0.2, 0.3, 0.31, 2.0], dtype=torch.float64, requires_grad=True)
    a = torch.tensor(0.3, dtype=torch.float64, requires_grad=True)
    y = _fn("rsign", x, a=a)
    assert y.tolist() == [-1.0, -1.0, -1.0, 1.0, 1.0]
    gx, ga = torch.autograd.grad(y.sum(), [x, a])
    assert gx.abs().sum() == 0 and ga.item() == 0


def test_sgt_negative_side_is_the_odd_power():
    x = torch.tensor([-2.0, -0.5, 0.5, 2.0], dtype=torch.float64)
    y = _fn("sgt", x, a=0.5, alpha=1.5, b=2.0, beta=0.7)
    expected = [-math.tanh(0.5 * 2.0**1.5), -math.tanh(0.5 * 0.5**1.5), math.tanh(2.0 * 0.5**0.7),
                math.tanh(2 * 2**0.7)]
    torch.testing.assert_close(y, torch.tensor(expected, dtype=torch.float64), rtol=1e-14, atol=0)


GATED = ["tanhsoft2", "erfact", "pserf", "lau", "pstanh", "eis3", "falu", "arbf", "uaf", "eis"]


@pytest.mark.parametrize("name", GATED)
def test_gradients_stay_finite_at_large_inputs_for_non_default_settings(name):
    """The generated extremes test uses the defaults; here every reference case, in float32, at the
    inputs where the value is finite (the function is elementwise, so each gradient is its own)."""
    from tests.reference import CASES

    for params in CASES[name]:
        x = torch.tensor([-3e38, -1e30, -1e4, 1e4, 1e30, 3e38], dtype=torch.float32, requires_grad=True)
        y = _fn(name, x, **params)
        (g,) = torch.autograd.grad(y.sum(), x)
        finite = torch.isfinite(y.detach())
        assert not torch.isnan(g[finite]).any(), (name, params, y, g)
