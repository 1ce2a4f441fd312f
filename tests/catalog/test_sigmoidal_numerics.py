"""Numerical guarantees of the step/sigmoid family and the SiLU class (survey §3.1–3.3) that the
generated tests do not reach: identities between entries and with the published forms, the
orientation and limits the sources fix, exact values of the discontinuous units, far tails of the
double exponentials, cross-parameter errors, and the names and presets of rediscovered functions."""

from __future__ import annotations

import math

import mpmath
import pytest
import torch

import actlab
from actlab.catalog.registry import LOOSE, PRESETS, REGISTRY, relatives, resolve
from actlab.errors import AmbiguousActivationError
from tests.reference import REFERENCES

f = actlab.functional.apply
X = torch.linspace(-7.0, 7.0, 113, dtype=torch.float64) + 0.0123
PHI = (1.0 + math.sqrt(5.0)) / 2.0


IDENTITIES = [
    ("rescaled_sigmoid", {}, lambda x: 4.0 * torch.sigmoid(x) - 2.0),
    ("variant_sigmoid", {}, lambda x: torch.tanh(x / 2.0)),
    ("variant_sigmoid", {"a": 1.5, "b": 2.0, "c": 0.25}, lambda x: 1.5 * torch.sigmoid(2.0 * x) - 0.25),
    ("root2sigmoid", {}, lambda x: (2.0 ** (x / 2) - 2.0 ** (-x / 2))
     / (2.0 * math.sqrt(2.0) * torch.sqrt(2.0 * (2.0**x + 2.0 ** (-x))))),
    ("new_sigmoid", {}, lambda x: torch.sinh(x) / torch.sqrt(torch.cosh(2.0 * x))),
    ("symmsaf", {"a": -3.0}, lambda x: -1.0 + torch.sigmoid(x) + torch.sigmoid(x - 3.0)),
    ("rootsig", {"a": 2.0}, lambda x: 2.0 * x / (1.0 + torch.sqrt(1.0 + 4.0 * x * x))),
    ("rootsig_variant_1", {"a": 2.0}, lambda x: x * (x.abs() - 2.0) / (x * x - 4.0)),
    ("sechsig", {}, lambda x: (x + 1.0 / torch.cosh(x)) * torch.sigmoid(x)),
    ("sinc_sigmoid", {}, lambda x: torch.sin(torch.sigmoid(x)) / torch.sigmoid(x)),
    ("sigmoid_gumbel", {}, lambda x: torch.sigmoid(x) * torch.exp(-torch.exp(-x))),
    ("cloglogm", {}, lambda x: 2.0 * f("cloglog", x + math.log(0.7)) - 1.0),
    ("exponential_swish", {}, lambda x: torch.exp(-x) * torch.sigmoid(x)),
    ("eanaf", {}, lambda x: x * torch.exp(x) / (torch.exp(x) + 2.0)),
    ("eanaf", {}, lambda x: x * torch.tanh(torch.nn.functional.softplus(x) / 2.0)),
    ("tbsrelu", {}, lambda x: x * torch.tanh((1.0 - torch.exp(-x)) / (1.0 + torch.exp(-x)))),
    ("loglogish", {}, lambda x: x * f("cloglog", x)),
    ("ts_swish", {"a": 1.0, "b": 2.0}, lambda x: x * f("ts_sigmoid", x, a=1.0, b=2.0)),
    ("suish", {}, lambda x: torch.maximum(x, x * torch.exp(-x.abs()))),
    ("rehsec", {}, lambda x: x / torch.cosh(x)),
    ("expexpish", {}, lambda x: f("golu", x)),
    ("sielu", {}, lambda x: f("gelu_tanh", x)),
    ("telu_2024", {}, lambda x: f("tanhexp", x)),
    ("pw_tanh_zero", {}, lambda x: f("penalized_tanh", x, a=0.0)),
]


IDS = [f"{n}{i}" for i, (n, *_) in enumerate(IDENTITIES)]


@pytest.mark.parametrize("name,params,other", IDENTITIES, ids=IDS)
def test_identities(name, params, other):
    torch.testing.assert_close(f(name, X, **params), other(X), rtol=1e-11, atol=1e-14)


def test_dsigmoid_is_the_derivative_of_sigmoid():
    x = X.clone().requires_grad_(True)
    (g,) = torch.autograd.grad(torch.sigmoid(x).sum(), x)
    torch.testing.assert_close(f("dsigmoid", X), g, rtol=1e-12, atol=0)


@pytest.mark.parametrize("params", [{"a": 1.0, "b": 1.0, "c": 0.0}, {"a": 2.0, "b": 1.0, "c": 2.0}, {}])
def test_variant_sigmoid_keeps_relative_accuracy_in_both_tails_and_at_zero(params):
    xs = [-40.0, -20.0, -1e-9, 1e-9, 20.0, 40.0]
    y = f("variant_sigmoid", torch.tensor(xs, dtype=torch.float64), **params).tolist()
    spec = REGISTRY["variant_sigmoid"]
    full = spec.resolve_params(params)
    for xi, yi in zip(xs, y):
        r = REFERENCES["variant_sigmoid"](mpmath.mpf(xi), **full)
        assert abs(mpmath.mpf(yi) - r) <= 1e-13 * abs(r) + 1e-300, (params, xi, yi, r)


def test_cloglog_family_keeps_the_orientation_of_gomes_et_al():
    """cLogLog is 1 - exp(-exp(x)), increasing (Gomes et al. 2011); cLogLogm follows it, from -1 to 1."""
    x = torch.linspace(-3.0, 3.0, 61, dtype=torch.float64)
    for name in ("cloglog", "cloglogm", "loglog"):
        assert (f(name, x).diff() > 0).all(), name
    lim = f("cloglogm", torch.tensor([-1e4, 1e4], dtype=torch.float64))
    assert lim.tolist() == [-1.0, 1.0]
    at0 = f("cloglog", torch.tensor([0.0], dtype=torch.float64)).item()
    assert at0 == pytest.approx(1.0 - math.exp(-1.0))


def test_arctan_gr_divides_by_the_golden_ratio():
    y = f("arctan_gr", torch.tensor([1e300], dtype=torch.float64)).item()
    assert y * PHI == pytest.approx(math.pi / 2, rel=1e-15)


def test_hexpo_is_bounded_by_a_and_minus_c():
    y = f("hexpo", torch.tensor([-1e4, 1e4], dtype=torch.float64), a=2.0, b=0.5, c=1.5, d=3.0)
    assert y.tolist() == [-1.5, 2.0]


@pytest.mark.parametrize("name,lo,hi", [("new_sigmoid", -1 / math.sqrt(2), 1 / math.sqrt(2)),
                                        ("root2sigmoid", -0.25, 0.25), ("soft_root_sign", 0.0, 2.0),
                                        ("sigmoid_algebraic", 1 / (1 + math.e), 1 / (1 + math.exp(-1)))])
def test_limits_at_huge_inputs(name, lo, hi):
    for dtype in (torch.float32, torch.float64):
        big = torch.tensor([-3e38, 3e38], dtype=dtype, requires_grad=True)
        y = f(name, big)
        (g,) = torch.autograd.grad(y.sum(), big)
        assert torch.isfinite(g).all(), (name, dtype, g)
        torch.testing.assert_close(y.detach().double(), torch.tensor([lo, hi], dtype=torch.float64),
                                   rtol=1e-6, atol=1e-30)


def test_step_and_sign_values_and_zero_gradients():
    x = torch.tensor([-math.inf, -2.0, -0.0, 0.0, 1e-300, math.inf, math.nan], dtype=torch.float64,
                     requires_grad=True)
    step, sgn = f("binary_step", x), f("sign", x)
    assert step[:6].tolist() == [0.0, 0.0, 1.0, 1.0, 1.0, 1.0] and math.isnan(step[6].item())
    assert sgn[:6].tolist() == [-1.0, -1.0, 0.0, 0.0, 1.0, 1.0] and math.isnan(sgn[6].item())
    for y in (step, sgn):
        (g,) = torch.autograd.grad(y[:6].sum(), x)
        assert torch.equal(g, torch.zeros_like(g))


def test_smooth_step_and_improved_logistic_join_their_pieces():
    eps = 1e-12
    for a in (1.0, 4.0):
        edges = torch.tensor([-a / 2 - eps, -a / 2 + eps, a / 2 - eps, a / 2 + eps], dtype=torch.float64)
        y = f("smooth_step", edges, a=a).tolist()
        assert abs(y[0] - y[1]) < 1e-11 and abs(y[2] - y[3]) < 1e-11
    b = 2.0
    edges = torch.tensor([-b - eps, -b + eps, b - eps, b + eps], dtype=torch.float64)
    y = f("improved_logistic_sigmoid", edges, a=0.2, b=b).tolist()
    assert abs(y[0] - y[1]) < 1e-11 and abs(y[2] - y[3]) < 1e-11


DOUBLE_EXP = ["sigmoid_gumbel", "cloglogm", "generalized_swish", "loglogish", "expexpish", "telu_2024"]


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("name", DOUBLE_EXP)
def test_double_exponentials_in_the_far_tails(name, dtype):
    x = torch.tensor([-1e4, -1e3, -40.0, 40.0, 1e3, 1e4], dtype=dtype, requires_grad=True)
    y = f(name, x)
    (g,) = torch.autograd.grad(y.sum(), x)
    assert torch.isfinite(y).all() and torch.isfinite(g).all(), (y, g)
    ref = [float(REFERENCES[name](mpmath.mpf(v))) for v in x.tolist()]
    torch.testing.assert_close(y.double(), torch.tensor(ref, dtype=torch.float64), rtol=1e-6, atol=1e-30)


def test_soft_root_sign_needs_b_below_e_times_a():
    with pytest.raises(ValueError, match=r"'a' and 'b' must satisfy b < e·a"):
        f("soft_root_sign", torch.ones(3), a=1.0, b=3.0)
    assert torch.isfinite(f("soft_root_sign", torch.linspace(-50, 50, 11), a=1.0, b=2.7)).all()
    # learned (tensor) parameters are not checked: their values change in training
    a = torch.tensor(1.0, requires_grad=True)
    assert torch.isfinite(f("soft_root_sign", torch.linspace(-5, 5, 11), a=a, b=torch.tensor(2.0))).all()


def test_rediscoveries_are_presets_of_the_first_definition():
    assert PRESETS["expexpish"].preset_of == ("golu", (("alpha", 1.0), ("beta", 1.0), ("gamma", 1.0)))
    assert "golu(alpha=1, beta=1, gamma=1)" in relatives("expexpish")[0][1]
    assert PRESETS["sielu"].preset_of == ("gelu_tanh", ())
    assert PRESETS["telu_2024"].preset_of == ("tanhexp", ())
    assert resolve("ExpExpish") == "expexpish" and resolve("SiELU") == "sielu"


def test_the_2024_telu_shares_its_abbreviation_instead_of_taking_it():
    assert "telu_2024" in LOOSE["telu"] and "telu" not in REGISTRY and "telu" not in PRESETS
    try:
        key = resolve("TeLU")
    except AmbiguousActivationError as e:  # with the survey's adaptive TeLU registered
        assert "telu_2024" in e.candidates
    else:
        assert key == "telu_2024"


def test_dsilu_keeps_its_name_and_doublesilu_does_not_take_it():
    assert resolve("dSiLU") == "dsilu" and resolve("DSiLU") == "dsilu"
    assert resolve("DoubleSiLU") == "double_silu"
