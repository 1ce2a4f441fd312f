"""Focused tests for the self-gated, sigmoidal and periodic families (beyond the generated ones).

- non-default parameters against the independent mpmath references;
- learnable (tensor) parameters give the same values as Python floats, with finite gradients;
- identities between entries (swish(β=1) = silu, APA(1, 1) = σ, xGELU(0) = GELU, ...);
- the stated numerical guarantees: exact zeros and finite gradients in the far tails, the removable
  singularities of SSU/DSU at ±π, torch's boundary conventions for hardswish/hardsigmoid;
- ``grad_mask`` of hardsigmoid reproduces autograd exactly.
"""

from __future__ import annotations

import math

import mpmath
import pytest
import torch
import torch.nn.functional as F

import actlab
from actlab.catalog.registry import REGISTRY
from tests.reference import REFERENCES

FAMILIES = ("self_gated", "sigmoidal", "periodic")
MINE = sorted(n for n in REGISTRY if REGISTRY[n].family in FAMILIES and REGISTRY[n].elementwise)

# one non-default setting per parametrised activation (inside the valid ranges)
NON_DEFAULT = {
    "swish": {"beta": 2.5},
    "golu": {"alpha": 2.0, "beta": 0.5, "gamma": 3.0},
    "aptx": {"alpha": 0.5, "beta": 2.0, "gamma": 1.5},
    "xatlu": {"alpha": 0.3},
    "xgelu": {"alpha": 0.3},
    "xsilu": {"alpha": 0.3},
    "aglu": {"lambd": 0.3, "kappa": 2.0},
    "apa": {"lambd": 0.3, "kappa": 2.0},
    "smish": {"alpha": 2.0, "beta": 0.5},
    "eswish": {"beta": 1.8},
    "sgelu": {"alpha": 1.5},
    "isru": {"alpha": 4.0},
    "soft_clipping": {"alpha": 3.0},
    "penalized_tanh": {"a": 0.5},
    "stanh": {"a": 1.0, "b": 2.0},
    "snake": {"a": 5.0},
    "snake_beta": {"alpha": 2.0, "beta": 0.5},
    "sine": {"w0": 1.0},
    "sinlu": {"a": 0.5, "b": 3.0},
}
POINTS = [-1e3, -30.0, -7.3, -2.5, -1.0, -0.3, -1e-3, -1e-9, 0.0, 1e-9, 1e-3, 0.3, 1.0, 2.5, 7.3, 30.0, 1e3]


def test_every_parametrised_activation_has_a_non_default_case():
    parametrised = {n for n in MINE if REGISTRY[n].params}
    assert parametrised == set(NON_DEFAULT)


@pytest.mark.parametrize("name", sorted(NON_DEFAULT))
def test_non_default_parameters_against_mpmath(name):
    params = NON_DEFAULT[name]
    spec = REGISTRY[name]
    y = spec.fn(torch.tensor(POINTS, dtype=torch.float64), **spec.resolve_params(params))
    bad = []
    for xi, yi in zip(POINTS, y.tolist()):
        r = REFERENCES[name](mpmath.mpf(xi), **params)
        if not abs(mpmath.mpf(yi) - r) <= 1e-12 * abs(r) + 1e-300:
            bad.append((xi, yi, mpmath.nstr(r, 17)))
    assert not bad, f"{name}{params}: (x, actlab, mpmath) mismatches: {bad}"


@pytest.mark.parametrize("name", sorted(NON_DEFAULT))
def test_non_default_parameters_gradcheck(name):
    spec = REGISTRY[name]
    params = spec.resolve_params(NON_DEFAULT[name])
    kinks = spec.kinks(params)
    pts = [p + 0.0137 for p in (-6.0, -3.5, -1.25, -0.5, 0.25, 1.0, 2.75, 5.5)]
    pts = [p for p in pts if all(abs(p - k) > 1e-3 for k in kinks)]
    x = torch.tensor(pts, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda t: spec.fn(t, **params), (x,), eps=1e-6, atol=1e-6, rtol=1e-4)


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("name", sorted(NON_DEFAULT))
def test_tensor_parameters_match_floats_and_learn(name, dtype):
    """Learnable form: same values as Python-float parameters; finite gradients for x and θ."""
    # learnable parameters are created in float32: compare with the same rounded values as Python floats
    params = {k: float(torch.tensor(v, dtype=torch.float32)) for k, v in NON_DEFAULT[name].items()}
    x = torch.linspace(-8.0, 8.0, 41, dtype=dtype).reshape(1, 41, 1)
    expected = actlab.functional.apply(name, x, **params)
    mod = actlab.get(name, trainable=True, **params).to(dtype)
    assert any(p.requires_grad for p in mod.parameters())
    xr = x.clone().requires_grad_(True)
    y = mod(xr)
    torch.testing.assert_close(y, expected, rtol=1e-6 if dtype == torch.float32 else 1e-12, atol=1e-7)
    grads = torch.autograd.grad(y.sum(), [xr, *mod.parameters()])
    assert all(torch.isfinite(g).all() for g in grads)
    # per-channel parameters broadcast along the channel dimension
    mod_c = actlab.get(name, trainable=True, num_parameters=41, **params).to(dtype)
    torch.testing.assert_close(mod_c(x), expected, rtol=1e-6 if dtype == torch.float32 else 1e-12, atol=1e-7)


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


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_hardsigmoid_grad_mask_reproduces_autograd_exactly(dtype):
    spec = REGISTRY["hardsigmoid"]
    x = torch.cat([torch.linspace(-5.0, 5.0, 2001, dtype=dtype), torch.tensor([-3.0, 3.0, 0.0], dtype=dtype)])
    x.requires_grad_(True)
    (g,) = torch.autograd.grad(spec.fn(x).sum(), x)
    v0, v1 = spec.grad_mask_values({})
    mask = spec.grad_mask(x.detach())
    expected = torch.where(mask, torch.tensor(v1, dtype=dtype), torch.tensor(v0, dtype=dtype))
    assert torch.equal(g, expected)


@pytest.mark.parametrize("name", ["hardswish", "hardsigmoid"])
def test_boundary_conventions_match_torch(name):
    x1 = torch.tensor([-3.0, 3.0], dtype=torch.float32, requires_grad=True)
    x2 = x1.detach().clone().requires_grad_(True)
    (g1,) = torch.autograd.grad(actlab.functional.apply(name, x1).sum(), x1)
    (g2,) = torch.autograd.grad(getattr(F, name)(x2).sum(), x2)
    torch.testing.assert_close(g1, g2)


def test_out_of_range_parameters_rejected():
    with pytest.raises(ValueError, match=r"apa: parameter 'lambd' must be in \(0, inf\)"):
        actlab.get("apa", lambd=0.0)
    with pytest.raises(ValueError, match=r"isru: parameter 'alpha' must be in \(0, inf\), got -1.0"):
        actlab.functional.isru(torch.ones(1), alpha=-1.0)
    with pytest.raises(ValueError, match=r"penalized_tanh: parameter 'a' must be in \[0, 1\]"):
        actlab.get("penalized_tanh", a=2.0)
    with pytest.raises(TypeError, match="valid parameters: w0"):
        actlab.get("sine", omega=3.0)
