"""Numerical guarantees the generated tests do not reach: identities between entries, exact
limits and finite gradients in the far tails, removable singularities, accuracy where torch's own
kernels cancel, and the self-normalising units' second moment."""

from __future__ import annotations

import math

import mpmath
import pytest
import torch
import torch.nn.functional as F

import actlab
from actlab.catalog.registry import REGISTRY
from tests.reference import REFERENCES


def test_smelu_beta_zero_is_relu_with_finite_gradients():
    x = torch.linspace(-3, 3, 61, dtype=torch.float64).requires_grad_(True)
    y = actlab.functional.smelu(x, beta=0.0)
    (g,) = torch.autograd.grad(y.sum(), x)
    torch.testing.assert_close(y, torch.relu(x), rtol=0, atol=0)
    torch.testing.assert_close(g, (x > 0).double(), rtol=0, atol=0)
    beta = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)  # a learned beta clamped at 0
    y = REGISTRY["smelu"].fn(x, beta=beta)
    gx, gb = torch.autograd.grad(y.sum(), (x, beta))
    assert torch.isfinite(gx).all() and torch.isfinite(gb)


def test_tanhshrink_float32_is_accurate_near_zero():
    # torch's float32 kernel computes x - tanh(x) directly and loses ~log10(3/x^2) digits near 0
    xs = [1e-6, 1e-3, 0.01, 0.05, 0.2, 0.5, 0.9, 0.999, 1.0, 1.01, 1.5, 3.0]
    x = torch.tensor(xs + [-v for v in xs], dtype=torch.float32)
    y = actlab.functional.tanhshrink(x).tolist()
    for xi, yi in zip(x.double().tolist(), y):
        r = mpmath.mpf(xi) - mpmath.tanh(mpmath.mpf(xi))
        assert abs(mpmath.mpf(yi) - r) <= 4e-7 * abs(r), (xi, yi, r)


@pytest.mark.parametrize("name", ["elu", "selu", "celu", "pelu", "ssp", "slu"])
def test_negative_tail_gradient_is_accurate_in_float32(name):
    # autograd of torch.expm1 uses expm1(x) + 1, which is 0 in float32 for x < -17; the true
    # derivative is ~ exp(x)
    x = torch.tensor([-10.0, -20.0, -30.0, -60.0], dtype=torch.float32, requires_grad=True)
    (g,) = torch.autograd.grad(actlab.functional.apply(name, x).sum(), x)
    x64 = x.detach().double().requires_grad_(True)
    (g64,) = torch.autograd.grad(REGISTRY[name].fn(x64, **REGISTRY[name].defaults).sum(), x64)
    assert (g64 > 0).all()
    torch.testing.assert_close(g.double(), g64, rtol=1e-5, atol=0)


def test_pau_branches_join_at_one_and_large_inputs_are_finite():
    fn, d = REGISTRY["pau"].fn, REGISTRY["pau"].defaults
    eps = torch.finfo(torch.float64).eps
    for edge in (1.0, -1.0):
        x = torch.tensor([edge * (1 - eps), edge, edge * (1 + eps)], dtype=torch.float64)
        y = fn(x, **d)
        assert (y.diff().abs() < 1e-14).all()
    big = torch.tensor([3e38, -3e38, 1e30], dtype=torch.float32, requires_grad=True)
    y = fn(big, **d)
    (g,) = torch.autograd.grad(y.sum(), big)
    slope = d["numerator"][5] / d["denominator"][3]
    torch.testing.assert_close(g, torch.full_like(g, slope), rtol=1e-6, atol=0)
    torch.testing.assert_close(y, big.detach() * slope, rtol=1e-6, atol=0)


@pytest.mark.parametrize("name", ["selu", "serlu", "starrelu"])
def test_self_normalizing_units_keep_unit_second_moment(name):
    # SELU, SERLU and StarReLU are built so that E f(z)^2 = 1 for z ~ N(0, 1): the init gain is 1
    assert actlab.init_gain(name) == pytest.approx(1.0, abs=2e-3)


def test_helu_forward_is_relu_and_alpha_only_documents_backward():
    x = torch.randn(100, dtype=torch.float64)
    torch.testing.assert_close(actlab.functional.helu(x, alpha=0.3), torch.relu(x), rtol=0, atol=0)


IDENTITIES = [
    ("swish", {"beta": 1.0}, lambda x: F.silu(x)),
    ("xsilu", {"alpha": 0.0}, lambda x: F.silu(x)),
    ("aglu", {"lambd": 1.0, "kappa": 1.0}, lambda x: F.silu(x)),
    ("apa", {"lambd": 1.0, "kappa": 1.0}, torch.sigmoid),
    ("apa", {"lambd": 1.0, "kappa": 2.5}, lambda x: torch.sigmoid(2.5 * x)),
    ("aptx", {}, lambda x: x * torch.sigmoid(2.0 * x)),
    ("xgelu", {"alpha": 0.0}, lambda x: F.gelu(x)),
    ("xatlu", {"alpha": 0.0}, lambda x: x * (torch.atan(x) / math.pi + 0.5)),
    ("calu", {}, lambda x: x * (torch.atan(x) / math.pi + 0.5)),
    ("eswish", {"beta": 1.0}, lambda x: F.silu(x)),
    ("golu", {}, lambda x: x * torch.exp(-torch.exp(-x))),
    ("stanh", {"a": 1.0, "b": 1.0}, torch.tanh),
    ("penalized_tanh", {"a": 1.0}, torch.tanh),
    ("elliott", {}, lambda x: 0.5 * F.softsign(x) + 0.5),
    ("snake_beta", {"alpha": 2.0, "beta": 2.0}, lambda x: x + torch.sin(2.0 * x) ** 2 / 2.0),
    ("sine", {"w0": 1.0}, torch.sin),
    ("loglog", {}, lambda x: torch.exp(-torch.exp(-x))),
    ("cloglog", {}, lambda x: 1.0 - torch.exp(-torch.exp(x))),
    ("dsu", {}, lambda x: math.pi**2 * torch.sin(x) / (math.pi**2 - x * x)),
    ("ssu", {}, lambda x: math.pi * torch.sin(x) / (math.pi - x)),
]
IDENTITY_IDS = [f"{name}{i}" for i, (name, *_) in enumerate(IDENTITIES)]


@pytest.mark.parametrize("name,params,other", IDENTITIES, ids=IDENTITY_IDS)
def test_identities(name, params, other):
    x = torch.linspace(-6.0, 6.0, 97, dtype=torch.float64) + 0.013  # avoids x = ±π exactly
    torch.testing.assert_close(actlab.functional.apply(name, x, **params), other(x), rtol=1e-12, atol=1e-14)


def test_apa_tends_to_gompertz_and_aglu_to_golu_as_lambda_vanishes():
    x = torch.linspace(-4.0, 6.0, 51, dtype=torch.float64)
    gompertz = torch.exp(-torch.exp(-x))
    torch.testing.assert_close(actlab.functional.apa(x, lambd=1e-7), gompertz, rtol=1e-5, atol=1e-6)
    torch.testing.assert_close(actlab.functional.aglu(x, lambd=1e-7), actlab.functional.golu(x), rtol=1e-5,
                               atol=1e-6)


DOUBLE_EXP = ["golu", "loglog", "cloglog", "tanhexp", "gish", "colu", "apa", "aglu"]


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("name", DOUBLE_EXP)
def test_double_exponentials_in_the_far_tails(name, dtype):
    """Exact limits (no NaN from inf·0 or inf/inf) and finite gradients at ±1e3, ±1e4."""
    x = torch.tensor([-1e4, -1e3, 1e3, 1e4], dtype=dtype, requires_grad=True)
    y = actlab.functional.apply(name, x)
    (g,) = torch.autograd.grad(y.sum(), x)
    assert torch.isfinite(y).all() and torch.isfinite(g).all(), (y, g)
    ref = [float(REFERENCES[name](mpmath.mpf(v))) for v in x.tolist()]
    torch.testing.assert_close(y.double(), torch.tensor(ref, dtype=torch.float64), rtol=1e-6, atol=0.0)


def test_golu_far_left_is_signed_zero_with_zero_gradient():
    x = torch.tensor([-1e3, -1e4], dtype=torch.float32, requires_grad=True)
    y = actlab.functional.golu(x)
    (g,) = torch.autograd.grad(y.sum(), x)
    assert torch.equal(y, torch.zeros(2)) and bool(torch.signbit(y).all())
    assert torch.equal(g, torch.zeros(2))


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("name", ["ssu", "dsu"])
def test_sinc_units_at_their_removable_points(name, dtype):
    """Values at and around x = ±π against mpmath (relative 1e-12 in float64), finite gradients."""
    eps = torch.finfo(dtype).eps
    near = [math.pi * s + d for s in (1.0, -1.0) for d in (0.0, 3e-3, -3e-3, 1e-2, -1e-2, 3e-2, 100 * eps)]
    x = torch.tensor(near, dtype=dtype, requires_grad=True)
    y = actlab.functional.apply(name, x)
    (g,) = torch.autograd.grad(y.sum(), x)
    assert torch.isfinite(g).all()
    xs = x.detach().double().tolist()
    ref = torch.tensor([float(REFERENCES[name](mpmath.mpf(v))) for v in xs], dtype=torch.float64)
    rtol, atol = (1e-12, 1e-300) if dtype == torch.float64 else (1e-5, 1e-6)
    torch.testing.assert_close(y.detach().double(), ref, rtol=rtol, atol=atol)
    if dtype == torch.float64:
        xg = torch.tensor([math.pi + d for d in (-2e-2, -5e-3, 5e-3, 2e-2)] + [-math.pi + 5e-3], dtype=dtype,
                          requires_grad=True)
        spec = REGISTRY[name]
        assert torch.autograd.gradcheck(lambda t: spec.fn(t), (xg,), eps=1e-7, atol=1e-7, rtol=1e-5)
