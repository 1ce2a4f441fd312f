"""Numerics of the survey's §4.2 adaptive rectified/exponential units that the generated tests do not
reach: the soft exponential's logarithmic branch and its learnable α at 0, continuity of EDELU at its
threshold (and c learning from 0), the C¹ joins of ReLTanh, the printed jump of PTaLU, limits and
identities between entries, which parameters the learnable modules learn, and argument errors."""

from __future__ import annotations

import math

import mpmath
import pytest
import torch

import actlab
from actlab.catalog.registry import lookup
from tests.reference import REFERENCES


def _fn(name):
    spec = lookup(name)
    return lambda x, **p: spec.fn(x, **{**spec.defaults, **p})


@pytest.mark.parametrize("a", [-0.5, -1.0, -2.0])
def test_soft_exponential_logarithmic_branch_against_mpmath_and_nan_outside_its_domain(a):
    edge = 1 / a - a  # defined for x > 1/a - a
    xs = [edge + d for d in (1e-6, 1e-3, 0.1, 1.0, 10.0, 1e3)]
    y = _fn("soft_exponential")(torch.tensor(xs, dtype=torch.float64), a=a).tolist()
    for x, yi in zip(xs, y):
        r = REFERENCES["soft_exponential"](mpmath.mpf(x), a=a)
        assert abs(mpmath.mpf(yi) - r) <= 1e-11 * abs(r), (x, yi, r)
    below = _fn("soft_exponential")(torch.tensor([edge - 0.5, edge - 10.0], dtype=torch.float64), a=a)
    assert torch.isnan(below).all()
    if a == -1.0:  # α = -1 is the natural logarithm
        x = torch.tensor([0.5, 2.0, 7.0], dtype=torch.float64)
        torch.testing.assert_close(_fn("soft_exponential")(x, a=a), torch.log(x), rtol=1e-14, atol=0)


def test_soft_exponential_tensor_alpha_of_mixed_signs_matches_numbers():
    x = torch.linspace(-0.9, 4.0, 50, dtype=torch.float64)
    alphas = [-0.5, 0.0, 0.7]
    a = torch.tensor(alphas, dtype=torch.float64).reshape(3, 1)
    y = _fn("soft_exponential")(x.expand(3, -1), a=a)
    for i, ai in enumerate(alphas):
        torch.testing.assert_close(y[i], _fn("soft_exponential")(x, a=ai), rtol=1e-14, atol=1e-15)


def test_soft_exponential_learns_alpha_from_zero():
    # at α = 0 both branches have the derivative 1 + x²/2 in α; a zero gradient would freeze α at 0
    x = torch.tensor([-2.0, -0.3, 0.0, 1.5, 3.0], dtype=torch.float64)
    a = torch.zeros((), dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(_fn("soft_exponential")(x, a=a).sum(), a)
    assert g.item() == pytest.approx(float((1 + x * x / 2).sum()), rel=1e-12)
    h = 1e-6
    fd = (_fn("soft_exponential")(x, a=h) - _fn("soft_exponential")(x, a=-h)) / (2 * h)
    torch.testing.assert_close(fd.sum(), g, rtol=1e-6, atol=0)
    mod = actlab.get("soft_exponential", trainable=True)
    y = mod(torch.randn(64))
    y.square().sum().backward()
    assert mod.a.grad is not None and mod.a.grad.abs().item() > 0


@pytest.mark.parametrize("a,c", [(2.0, 0.5), (0.5, 1.5), (1.0, 1e-5), (3.0, 2e-4)])
def test_edelu_is_continuous_at_its_threshold(a, c):
    eps = 1e-9
    x = torch.tensor([c - eps, c, c + eps], dtype=torch.float64)
    y = _fn("edelu")(x, a=a, c=c)
    assert (y.diff().abs() < 1e-8).all(), y.tolist()
    torch.testing.assert_close(y[1], torch.tensor(c, dtype=torch.float64), rtol=1e-14, atol=1e-15)


def test_edelu_threshold_learns_from_zero():
    x = torch.tensor([-3.0, -1.0, -0.2], dtype=torch.float64)
    c = torch.zeros((), dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(_fn("edelu")(x, a=1.5, c=c).sum(), c)
    h = 1e-6
    fd = ((_fn("edelu")(x, a=1.5, c=h) - _fn("edelu")(x, a=1.5, c=0.0)) / h).sum()
    assert g.item() != 0.0
    assert g.item() == pytest.approx(fd.item(), rel=1e-4)


@pytest.mark.parametrize("a,b", [(-1.5, 0.0), (-2.0, 0.5), (-0.8, 0.3)])
def test_reltanh_is_continuously_differentiable_at_its_thresholds(a, b):
    for t in (a, b):
        x = torch.tensor([t - 1e-7, t + 1e-7], dtype=torch.float64, requires_grad=True)
        y = _fn("reltanh")(x, a=a, b=b)
        (g,) = torch.autograd.grad(y.sum(), x)
        assert abs(y[1].item() - y[0].item()) < 1e-6
        assert abs(g[1].item() - g[0].item()) < 1e-6
        assert g[0].item() == pytest.approx(1 / math.cosh(t) ** 2, rel=1e-6)


def test_ptalu_jumps_at_b_as_printed():
    x = torch.tensor([1.0 - 1e-12, 1.0], dtype=torch.float64)
    y = _fn("ptalu")(x)
    assert y[0].item() == pytest.approx(math.tanh(1.0), rel=1e-10)
    assert y[1].item() == 1.0


def test_ptelu_presets_and_felu_identities():
    x = torch.linspace(-6, 6, 121, dtype=torch.float64) + 0.013
    torch.testing.assert_close(_fn("tanh_relu")(x, b=2.5), _fn("ptelu")(x, a=1.0, b=2.5))
    torch.testing.assert_close(_fn("tanh_relu2")(x, a=0.4), _fn("ptelu")(x, a=0.4, b=1.0))
    # FELU's 2^{x/ln 2} is e^x: FELU is ELU; P+FELU is ELU + b (SvELU)
    torch.testing.assert_close(_fn("felu")(x, alpha=0.7), _fn("elu")(x, alpha=0.7), rtol=0, atol=0)
    torch.testing.assert_close(_fn("p_felu")(x, alpha=0.7, b=0.2), _fn("elu")(x, alpha=0.7) + 0.2)
    # PSELU at its defaults is SELU; LPSELU_RP with c = m = 0 is PSELU
    torch.testing.assert_close(_fn("pselu")(x), _fn("selu")(x), rtol=1e-15, atol=1e-15)
    torch.testing.assert_close(_fn("lpselu_rp")(x, a=1.3, b=0.7, c=0.0, m=0.0), _fn("pselu")(x, a=1.3, b=0.7))


def test_pdelu_tends_to_elu_as_t_tends_to_one():
    x = torch.linspace(-8, 3, 111, dtype=torch.float64)
    near_one = _fn("pdelu")(x, a=1.3, t=1 - 1e-7)
    torch.testing.assert_close(near_one, _fn("elu")(x, alpha=1.3), rtol=0, atol=1e-5)
    # with t = 0.9 the negative branch reaches -a exactly at x = -10 and stays there
    y = _fn("pdelu")(torch.tensor([-10.0, -25.0, -1e6], dtype=torch.float64), a=2.0)
    torch.testing.assert_close(y, torch.full_like(y, -2.0), rtol=0, atol=1e-15)


def test_mixtures_reduce_to_their_components():
    x = torch.linspace(-6, 6, 121, dtype=torch.float64) + 0.013
    torch.testing.assert_close(_fn("mixed_lrelu_elu")(x, p=1.0), _fn("leaky_relu")(x, negative_slope=0.01))
    torch.testing.assert_close(_fn("mixed_lrelu_elu")(x, p=0.0), _fn("elu")(x), rtol=1e-14, atol=1e-15)
    # a gate weight of 0 gives the even average of PReLU and PELU
    avg = 0.5 * (_fn("prelu")(x, a=0.25) + _fn("pelu")(x))
    torch.testing.assert_close(_fn("gated_prelu_pelu")(x, w=0.0), avg, rtol=1e-14, atol=1e-15)
    # P-E2-ReLU's weights sum to 1: unit slope just right of 0 for every a, b
    h = torch.tensor([1e-7], dtype=torch.float64)
    for a, b in ((0.4, 0.3), (0.1, 0.6), (0.9, -0.2)):
        assert (_fn("p_e2_relu")(h, a=a, b=b) / h).item() == pytest.approx(1.0, abs=1e-6)


def test_arelu_passes_no_gradient_to_alpha_outside_the_clip():
    x = torch.tensor([-2.0, -0.5, 1.0], dtype=torch.float64)
    for a0, expected in ((0.5, -2.5), (1.2, 0.0), (0.001, 0.0)):
        a = torch.tensor(a0, dtype=torch.float64, requires_grad=True)
        (g,) = torch.autograd.grad(_fn("arelu")(x, alpha=a).sum(), a)
        assert g.item() == pytest.approx(expected)


@pytest.mark.parametrize("a,b", [(1.0, 1.0), (0.2, 10.0), (5.0, 0.1)])
def test_pfplus_saturates_at_minus_a_over_b(a, b):
    y = _fn("pfplus")(torch.tensor([-1e12, -3e38], dtype=torch.float32), a=a, b=b)
    torch.testing.assert_close(y, torch.full_like(y, -a / b), rtol=1e-5, atol=0)


def test_blu_float32_has_no_cancellation_near_zero():
    x = torch.tensor([1e-4, -3e-3, 2e-2], dtype=torch.float32)
    y = _fn("blu")(x, a=0.75).double()
    for xi, yi in zip(x.double().tolist(), y.tolist()):
        r = REFERENCES["blu"](mpmath.mpf(xi), a=0.75)
        assert abs(mpmath.mpf(yi) - r) <= 2e-7 * abs(r)


@pytest.mark.parametrize(
    "name,learned",
    [
        ("rprelu", {"gamma", "zeta", "beta"}),
        ("adaptive_hardtanh", {"b"}),
        ("rmaf", {"a"}),
        ("tanh_relu", {"b"}),
        ("lpselu_rp", {"a", "b", "m"}),
        ("pdelu", {"a"}),
        ("margin_relu", {"m"}),  # the paper computes m from statistics: no trainable flag, so every float
    ],
)
def test_learnable_modules_learn_what_the_paper_learns(name, learned):
    mod = actlab.get(name, trainable=True, num_parameters=4)
    assert set(mod.learned) == learned
    x = torch.randn(2, 4, 3)
    mod(x).sum().backward()
    for p in mod.parameters():
        assert p.shape == (4,) and p.grad is not None and torch.isfinite(p.grad).all()


def test_abbreviations_shared_with_other_functions_are_ambiguous():
    with pytest.raises(LookupError) as e:
        actlab.get("FReLU")
    assert {"flexible_relu", "dprelu"} <= set(e.value.candidates)
    assert actlab.describe("Flexible ReLU").name == "flexible_relu"
    assert actlab.describe("TeLU (survey's)").name == "tanh_exponential_linear_unit"
    assert actlab.describe("PReLUPlus").name == "prelu_plus"


@pytest.mark.parametrize(
    "name,params,match",
    [
        ("ptalu", {"a": 1.0, "b": 0.5}, "'a' must be < 'b'"),
        ("reltanh", {"a": 0.0, "b": 0.0}, "'a' must be < 'b'"),
        ("blu", {"a": 1.5}, "parameter 'a'"),
        ("pdelu", {"t": 1.0}, "parameter 't'"),
        ("talu", {"a": 0.0}, "parameter 'a'"),
    ],
)
def test_bad_parameters_raise(name, params, match):
    with pytest.raises(ValueError, match=match):
        actlab.functional.apply(name, torch.ones(3), **params)
