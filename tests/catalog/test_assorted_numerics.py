"""Numerical guarantees of the survey §3.8-3.48 entries (catalog/algebraic.py, assorted.py and the new
smooth_rectifier, periodic and bump entries) that the generated tests do not reach: accuracy next to
zeros and in cancelling tails, identities between entries, continuity at the switch points of piecewise
definitions, the behaviour chosen where a printed formula is undefined, and finite gradients at
singular points."""

from __future__ import annotations

import math

import mpmath
import pytest
import torch

import actlab
from actlab.catalog.registry import PRESETS, REGISTRY
from tests.reference import REFERENCES

F64 = torch.float64


def _fn(name):
    spec = REGISTRY.get(name) or PRESETS[name]
    return lambda x, **p: spec.fn(x, **{**spec.defaults, **p})


def _rel_err(y: float, r) -> float:
    return float(abs(mpmath.mpf(y) - r) / abs(r))


def test_psoftplus_is_accurate_at_its_zero_and_in_the_left_tail():
    f = _fn("psoftplus")
    xs = [1e-14, -1e-14, 1e-10, -3e-9, 0.25, -0.4, -0.6, -20.0, -40.0]
    for b in (math.log(2.0), 0.0, 0.5):
        y = f(torch.tensor(xs, dtype=F64), b=b).tolist()
        for x, yi in zip(xs, y):
            r = REFERENCES["psoftplus"](mpmath.mpf(x), a=1.5, b=b)
            assert _rel_err(yi, r) < 1e-13, (b, x, yi, r)


def test_ssp_is_psoftplus_with_a_1_and_b_ln2():
    x = torch.linspace(-30, 30, 601, dtype=F64)
    # psoftplus takes b as the float64 ln 2, which differs from ln 2 by 2.3e-17
    y = _fn("psoftplus")(x, a=1.0, b=math.log(2.0))
    torch.testing.assert_close(_fn("ssp")(x), y, rtol=1e-14, atol=3e-17)


def test_sine_uses_the_exact_product_next_to_its_zeros():
    # sin(w0 x) for the exact product of the two floats: sin(pi x) at integers, sin(30 x) near k pi/30
    xs = [1.0, 3.0, 7.0, 1e3 + 1, -5.0, 2.0 * math.pi / 30 * 7, math.pi / 30 * 101]
    for name, w0 in (("sine_pi", math.pi), ("sine", 30.0)):
        y = _fn(name)(torch.tensor(xs, dtype=F64)).tolist()
        for x, yi in zip(xs, y):
            r = mpmath.sin(mpmath.mpf(w0) * mpmath.mpf(x))
            assert abs(mpmath.mpf(yi) - r) <= 1e-15 * abs(r) + 1e-300, (name, x, yi, r)


@pytest.mark.parametrize("dtype", [torch.float32, F64])
def test_sinc_value_and_gradient_are_exact_and_finite_at_and_near_zero(dtype):
    x = torch.tensor([0.0, 1e-30, -1e-30, 1e-5, 5e-3, 0.02], dtype=dtype, requires_grad=True)
    y = _fn("sinc")(x)
    (g,) = torch.autograd.grad(y.sum(), x)
    assert torch.isfinite(g).all()
    for xi, yi, gi in zip(x.detach().double().tolist(), y.detach().double().tolist(), g.double().tolist()):
        r = mpmath.mpf(1) if xi == 0 else mpmath.sin(xi) / xi
        d = mpmath.diff(lambda t: mpmath.sinc(t), mpmath.mpf(xi))
        tol = 1e-6 if dtype == torch.float32 else 1e-15
        assert abs(yi - r) <= tol
        assert abs(gi - d) <= tol * (1 + abs(d)), (xi, gi, d)


def test_square_root_units_have_a_finite_gradient_at_zero_and_the_true_slope_elsewhere():
    for name, a in (("ssaf", 1.0), ("sqrt", 0.5)):
        x = torch.tensor([0.0, 1e-300, -1e-12, 4.0], dtype=F64, requires_grad=True)
        (g,) = torch.autograd.grad(_fn(name)(x).sum(), x)
        assert g[0] == 0 and torch.isfinite(g).all()
        expected = [a / math.sqrt(2 * a * abs(v)) for v in (1e-300, -1e-12, 4.0)]
        torch.testing.assert_close(g[1:], torch.tensor(expected, dtype=F64), rtol=1e-14, atol=0)


def test_kdac_follows_the_authors_code_including_its_jump_at_zero():
    f = _fn("kdac")
    a, c = 0.1, 0.01
    x = torch.tensor([1e-12, 0.5, 3.0], dtype=F64)
    torch.testing.assert_close(f(x), a * x + c / 4, rtol=1e-14, atol=0)  # smax(ax, ax) = ax + c/4
    at0 = f(torch.zeros(1, dtype=F64)).item()
    assert at0 == pytest.approx(9 * c / 64, rel=1e-14)
    assert f(torch.tensor([1e-300], dtype=F64)).item() - at0 == pytest.approx(7 * c / 64, rel=1e-12)
    far = torch.tensor([-1.0, -5.0], dtype=F64)  # outside the smoothing band: the outer line ax
    torch.testing.assert_close(f(far), a * far, rtol=1e-14, atol=0)


def test_spocu_is_bounded_and_smooth_at_its_cap_with_c_1():
    f = _fn("spocu")
    alpha, beta, gamma = 3.0937, 0.6653, 4.437
    r_beta = beta**3 * (beta**5 - 2 * beta**4 + 2)
    y = f(torch.tensor([-1e6, -50.0, 50.0, 1e6], dtype=F64))
    torch.testing.assert_close(y, torch.tensor([-alpha * r_beta] * 2 + [alpha * (1 - r_beta)] * 2, dtype=F64),
                               rtol=1e-14, atol=0)
    edge = gamma * (1 - beta)  # u = c = 1: r'(1) = 0, so the slope is continuous (0) there
    x = torch.tensor([edge - 1e-7, edge, edge + 1e-7], dtype=F64, requires_grad=True)
    (g,) = torch.autograd.grad(f(x).sum(), x)
    assert g.abs().max() < 1e-5


def test_spocu_keeps_relative_accuracy_next_to_zero():
    xs = [1e-15, -1e-12, 1e-9]
    y = _fn("spocu")(torch.tensor(xs, dtype=F64)).tolist()
    for x, yi in zip(xs, y):
        assert _rel_err(yi, REFERENCES["spocu"](mpmath.mpf(x))) < 1e-13


def test_aranda_ordaz_reduces_to_the_sigmoid_and_tends_to_cloglog():
    x = torch.linspace(-30, 30, 301, dtype=F64)
    f = _fn("aranda_ordaz")
    torch.testing.assert_close(f(x, a=1.0), torch.sigmoid(x), rtol=1e-14, atol=1e-300)
    torch.testing.assert_close(f(x, a=1e-9), -torch.expm1(-torch.exp(x)), rtol=1e-6, atol=1e-300)


@pytest.mark.parametrize("a", [0.0, 0.1, 0.5, 0.9, 1.0])
def test_linq_is_continuous_and_continuously_differentiable_at_its_switch_points(a):
    t = 2 - 2 * a
    eps = 1e-7
    x = torch.tensor([t - eps, t + eps, -t - eps, -t + eps], dtype=F64, requires_grad=True)
    y = _fn("linq")(x, a=a)
    (g,) = torch.autograd.grad(y.sum(), x)
    assert abs(y[0] - y[1]) < 3 * eps and abs(y[2] - y[3]) < 3 * eps
    assert abs(g[0] - g[1]) < 1e-6 and abs(g[2] - g[3]) < 1e-6
    if a == 0.0:
        sqnl = actlab.functional.apply("sqnl", x.detach())
        torch.testing.assert_close(y.detach(), sqnl, rtol=1e-15, atol=0)


def test_bounded_bi_firing_is_bi_firing_capped_at_b():
    x = torch.linspace(-12, 12, 481, dtype=F64)
    for a, b in ((1.0, 5.0), (4.0, 1.0), (0.2, 0.05)):
        torch.testing.assert_close(_fn("bbfire")(x, a=a, b=b), torch.clamp(_fn("bfire")(x, a=a), max=b),
                                   rtol=0, atol=0)


def test_wave_is_polyexp_with_a_single_parameter():
    x = torch.linspace(-6, 6, 241, dtype=F64)
    for a in (0.3, 1.0, 2.5):
        torch.testing.assert_close(_fn("wave")(x, a=a), _fn("polyexp")(x, a=-1.0, b=0.0, c=1.0, d=a),
                                   rtol=1e-14, atol=1e-300)


def test_symexp_inverts_symlog():
    x = torch.tensor([-700.0, -3.0, -1e-9, 0.0, 1e-300, 2.0, 700.0], dtype=F64)
    torch.testing.assert_close(_fn("symexp")(_fn("symlog")(x)), x, rtol=1e-14, atol=0)


def test_symlog_and_symexp_have_slope_one_at_zero():
    for name in ("symlog", "symexp"):
        x = torch.zeros(1, dtype=F64, requires_grad=True)
        (g,) = torch.autograd.grad(_fn(name)(x).sum(), x)
        assert g.item() == 1.0


def test_evolved_tanh_log_relu_is_relu_above_minus_one():
    x = torch.linspace(-1, 50, 511, dtype=F64)
    torch.testing.assert_close(_fn("evolved_tanh_log_relu")(x), torch.relu(x), rtol=0, atol=0)
    y = _fn("evolved_tanh_log_relu")(torch.tensor([-1e300, -3.0], dtype=F64))
    torch.testing.assert_close(y, torch.tensor([1.0, 0.8], dtype=F64), rtol=1e-15, atol=0)


def test_hclsh_is_finite_far_out_and_joins_smoothly_at_zero():
    f = _fn("hclsh")
    y = f(torch.tensor([1e6, -1e6, 1e300], dtype=F64))
    torch.testing.assert_close(y, torch.tensor([1e6 - math.log(2), -math.log(2), 1e300], dtype=F64),
                               rtol=1e-15, atol=0)
    x = torch.tensor([-1e-8, 0.0, 1e-8, 19.999999, 20.0], dtype=F64, requires_grad=True)
    (g,) = torch.autograd.grad(f(x).sum(), x)
    torch.testing.assert_close(g[:3], torch.ones(3, dtype=F64), rtol=1e-7, atol=0)
    assert abs(g[3] - g[4]) < 1e-6


def test_sbaf_is_one_outside_the_unit_interval_and_propagates_nan():
    x = torch.tensor([-5.0, 0.0, 1.0, 7.0, float("nan"), 0.5], dtype=F64)
    y = _fn("sbaf")(x)
    assert y[:4].tolist() == [1.0] * 4 and math.isnan(y[4])
    assert y[5].item() == pytest.approx(1 / (1 + 0.98 * 0.5))


def test_sqsoftplus_is_smelu_with_half_width_one_half():
    x = torch.linspace(-3, 3, 121, dtype=F64)
    torch.testing.assert_close(_fn("sqsoftplus")(x), _fn("smelu")(x, beta=0.5), rtol=0, atol=0)


def test_mishra_minimum_is_minus_one_eighth_at_minus_one():
    x = torch.tensor([-1.0, -1.01, -0.99], dtype=F64)
    y = _fn("mishra")(x)
    assert y[0].item() == pytest.approx(-0.125, rel=1e-15) and (y[1:] > y[0]).all()


def test_puaf_with_a_0_approaches_the_sigmoid_and_is_exact_at_its_ends():
    f = _fn("puaf")
    c = 10.0
    x = torch.tensor([-c, c, -c - 1, c + 1], dtype=F64)
    torch.testing.assert_close(f(x), torch.tensor([0.0, c, 0.0, c + 1], dtype=F64), rtol=0, atol=0)
    xs = torch.linspace(-8, 8, 161, dtype=F64)
    assert (f(xs, a=0) - torch.sigmoid(xs)).abs().max() < 0.05  # the survey's "approximates the sigmoid"
