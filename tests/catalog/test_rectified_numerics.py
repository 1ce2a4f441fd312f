"""The ReLU and ELU families of the survey (§3.6, §3.7) beyond the generated tests: the definitions
where circulating sources disagree (PoLU without clamp, RSigELU's middle piece, ADA's factor x, the
hard-sigmoid slopes), identities between rows (maxtanh = SigLU, SignReLU(1) = PolyLU, shifted ReLU =
DisReLU(1)), the ambiguous 'SReLU', and accuracy where a direct formula cancels or overflows."""

from __future__ import annotations

import math

import mpmath
import pytest
import torch
import torch.nn.functional as F

import actlab
from actlab.catalog.registry import lookup
from actlab.errors import AmbiguousActivationError
from tests.reference import REFERENCES

fn = actlab.functional.apply
X = torch.linspace(-6.0, 6.0, 241, dtype=torch.float64) + 0.0031


def test_srelu_names_both_the_s_shaped_and_the_shifted_relu():
    with pytest.raises(AmbiguousActivationError) as e:
        actlab.get("SReLU")
    assert sorted(e.value.candidates) == ["s_shaped_relu", "shifted_relu"]
    assert lookup("S-shaped ReLU").name == "s_shaped_relu"
    assert lookup("shifted ReLU").name == "shifted_relu"


def test_shifted_relu_is_max_x_minus_one_not_a_horizontal_shift():
    y = fn("shifted_relu", X)
    torch.testing.assert_close(y, torch.clamp(X, min=-1.0), rtol=0, atol=0)
    torch.testing.assert_close(y, fn("displaced_relu", X, a=1.0), rtol=0, atol=0)
    torch.testing.assert_close(y, F.threshold(X, -1.0, -1.0), rtol=0, atol=0)
    # the peer package's 'SReLU' relu(x - 1) is another function (delay_relu with a = 1)
    assert not torch.allclose(y, fn("delay_relu", X, a=1.0))


@pytest.mark.parametrize("name,params", [("polu", {"n": 1.5}), ("polu", {"n": 2.0}), ("polylu", {})])
def test_power_linear_units_do_not_clamp_their_negative_inputs(name, params):
    """(1 - x)^-n - 1 keeps falling below x = -1 with a positive slope (no clamp at -0.999)."""
    n = params.get("n", 1.0)
    x = torch.tensor([-0.9, -0.9999, -1.0, -1.5, -5.0, -1e3, -1e6], dtype=torch.float64, requires_grad=True)
    y = fn(name, x, **params)
    (g,) = torch.autograd.grad(y.sum(), x)
    xd = x.detach()
    torch.testing.assert_close(y.detach(), (1 - xd) ** -n - 1, rtol=1e-13, atol=0)
    torch.testing.assert_close(g, n * (1 - xd) ** (-n - 1), rtol=1e-12, atol=0)
    assert (y.detach().diff() < 0).all() and (g > 0).all()


def test_sign_relu_at_a_one_is_polylu_fplus():
    torch.testing.assert_close(fn("sign_relu", X), fn("polylu", X), rtol=1e-15, atol=0)
    torch.testing.assert_close(fn("polylu", X), fn("polu", X, n=1.0), rtol=1e-15, atol=1e-300)


def test_maxtanh_is_siglu():
    assert lookup("maxtanh").name == "siglu"
    torch.testing.assert_close(fn("siglu", X), torch.maximum(X, torch.tanh(X)), rtol=0, atol=0)
    torch.testing.assert_close(fn("thlu", X), torch.maximum(X, torch.tanh(X / 2)), rtol=0, atol=0)


def test_rsigelu_follows_the_authors_branches():
    """Identity on (0, 1] (the survey's '0 >= z >= 1' cannot hold), a jump of a·σ(1) at 1."""
    a = 0.5
    mid = torch.tensor([1e-9, 0.25, 0.5, 0.999, 1.0], dtype=torch.float64)
    torch.testing.assert_close(fn("rsigelu", mid, a=a), mid, rtol=0, atol=0)
    eps = 1e-12
    right = fn("rsigelu", torch.tensor([1.0 + eps], dtype=torch.float64), a=a).item()
    assert right - 1.0 == pytest.approx(a / (1 + math.exp(-1.0)), rel=1e-9)
    neg = torch.tensor([-3.0, -0.5], dtype=torch.float64)
    torch.testing.assert_close(fn("rsigelu", neg, a=a), a * torch.expm1(neg), rtol=1e-15, atol=0)
    torch.testing.assert_close(fn("rsigelu", X, a=0.3), fn("rsigelud", X, a=0.3, b=0.3), rtol=0, atol=0)


def test_ada_keeps_the_factor_x_of_the_official_code():
    """max(x, 0)·exp(-αx) (raduionescu/pynada): 0 at 0, a bump peaking at x = 1/α."""
    y = fn("ada", X)
    torch.testing.assert_close(y, torch.relu(X) * torch.exp(-0.3 * X), rtol=1e-15, atol=0)
    assert fn("ada", torch.zeros(1, dtype=torch.float64)).item() == 0.0
    peak = X[y.argmax()].item()
    assert abs(peak - 1 / 0.3) < 0.05


def test_hard_sigmoid_slopes():
    close = torch.testing.assert_close
    close(fn("linear_hard_sigmoid", X), torch.clamp((X + 1) / 2, 0, 1), rtol=0, atol=0)
    close(fn("hard_sigmoid_keras", X), torch.clamp(0.2 * X + 0.5, 0, 1), rtol=0, atol=1e-16)
    close(fn("linear_hard_sigmoid", X, slope=1 / 6), fn("hardsigmoid", X), rtol=0, atol=1e-15)


def test_olrelu_slope_depends_only_on_the_ratio_of_the_rrelu_bounds():
    slope = fn("olrelu", torch.tensor([-1.0], dtype=torch.float64)).item() * -1
    assert slope == pytest.approx(math.exp(-(8 + 3) / (8 - 3)), rel=1e-15)
    assert slope == pytest.approx(math.exp(-(1 / 3 + 1 / 8) / (1 / 3 - 1 / 8)), rel=1e-14)


def test_selu_relatives_reduce_to_selu():
    torch.testing.assert_close(fn("lselu", X, c=0.0), F.selu(X), rtol=1e-14, atol=1e-15)
    torch.testing.assert_close(fn("sselu", X, c=1.0), F.selu(X), rtol=1e-14, atol=1e-15)


@pytest.mark.parametrize("name", ["eplaf", "oplaf", "soft_modulus_q", "fpflu", "minsin", "siglu", "polylu"])
def test_continuously_differentiable_joins(name):
    """Value and slope agree on both sides of each join (±1, 0), computed by autograd."""
    h = 1e-7
    spec = lookup(name)
    for knot in (-1.0, 0.0, 1.0):
        x = torch.tensor([knot - h, knot + h], dtype=torch.float64, requires_grad=True)
        y = spec.fn(x, **spec.defaults)
        (g,) = torch.autograd.grad(y.sum(), x)
        assert abs(y[1].item() - y[0].item()) < 1e-6, (name, knot)
        assert abs(g[1].item() - g[0].item()) < 1e-5, (name, knot, g.tolist())


def test_continuous_at_the_saturation_and_threshold_points():
    h = 1e-9
    joins = [("blrelu", {"a": 0.2, "b": 2.0}, 2.0), ("flatten_t_swish", {}, 0.0), ("lsptlu", {"a": 1.5}, 1.5),
             ("lsptlu", {"a": 1.5}, 3.0), ("ls_relu", {}, 1.0)]
    for name, params, knot in joins:
        x = torch.tensor([knot - h, knot + h], dtype=torch.float64)
        y = fn(name, x, **params)
        assert abs(y[1] - y[0]).item() < 1e-8, (name, knot)


@pytest.mark.parametrize("name", ["pflu", "fpflu"])
def test_power_function_units_in_the_negative_tail_float32(name):
    """x(1 + x/√(1+x²))/2 cancels for x << 0; the unit keeps its relative accuracy out to -3e38."""
    xs = [-10.0, -1e3, -1e6, -1e19, -3e38]
    x = torch.tensor(xs, dtype=torch.float32, requires_grad=True)
    y = fn(name, x)
    (g,) = torch.autograd.grad(y.sum(), x)
    assert torch.isfinite(g).all()
    for xi, yi in zip(x.detach().double().tolist(), y.detach().double().tolist()):
        r = REFERENCES[name](mpmath.mpf(xi))
        assert abs(mpmath.mpf(yi) - r) <= 1e-6 * abs(r) + 1e-44, (xi, yi, r)


def test_prenu_keeps_relative_accuracy_near_zero_at_a_one():
    x = torch.tensor([1e-10, 1e-6, 1e-3, 0.2, 0.3], dtype=torch.float64)
    y = fn("prenu", x, a=1.0)
    for xi, yi in zip(x.tolist(), y.tolist()):
        r = mpmath.mpf(xi) - mpmath.log1p(mpmath.mpf(xi))
        assert abs(mpmath.mpf(yi) - r) <= 1e-14 * r


def test_sara_negative_branch_is_stable_and_matches_the_printed_formula():
    x = torch.linspace(-30.0, -0.01, 300, dtype=torch.float64)
    direct = x / (1 + 0.5 * torch.exp(-0.7 * x))
    torch.testing.assert_close(fn("sara", x), direct, rtol=1e-13, atol=1e-300)
    far = torch.tensor([-1e4, -1e30, -3e38], dtype=torch.float32, requires_grad=True)
    (g,) = torch.autograd.grad(fn("sara", far).sum(), far)
    assert torch.isfinite(g).all()


def test_sine_relu_is_the_published_piecewise_form():
    eps = 0.0025
    x = torch.tensor([-1e-4, -1.0, -10.0, 0.0, 1e-4], dtype=torch.float64)
    y = fn("sine_relu", x)
    expected = torch.where(x >= 0, x, eps * (torch.sin(x) - torch.cos(x)))
    torch.testing.assert_close(y, expected, rtol=0, atol=0)
    assert y[0].item() == pytest.approx(-eps, rel=1e-3)  # the keras-contrib max(...) form would give -1e-4


def test_soft_modulus_t_tends_to_the_modulus():
    torch.testing.assert_close(fn("soft_modulus_t", X, a=1e-4), X.abs(), rtol=0, atol=1e-4)
    torch.testing.assert_close(fn("soft_modulus_t", X, a=1.0), X * torch.tanh(X), rtol=0, atol=0)
