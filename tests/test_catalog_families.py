"""Checks beyond the generated catalog tests for the rectified, exponential, shrinkage,
smooth-rectifier, rational, bump and adaptive families:

- values against the mpmath references at NON-default parameters (edge cases included);
- tensor parameters (as the learnable modules pass them): same values as Python numbers, per-channel
  broadcasting, and correct gradients with respect to the parameters (gradcheck);
- ``grad_mask``/``grad_mask_values`` reproduce autograd of the function exactly, kinks included;
- cross-parameter errors, and a few numerical properties the generic tests do not reach.
"""

from __future__ import annotations

import mpmath
import pytest
import torch

import actlab
from actlab.catalog.registry import REGISTRY
from tests.reference import REFERENCES

FAMILY_MODULES = ("rectified", "exponential", "shrinkage", "smooth_rectifier", "rational", "bump", "adaptive")
MINE = sorted(n for n, s in REGISTRY.items() if s.fn.__module__.rsplit(".", 1)[-1] in FAMILY_MODULES)
ELEMENTWISE = [n for n in MINE if REGISTRY[n].elementwise]
WITH_FLOAT_PARAMS = [n for n in ELEMENTWISE if any(p.kind in ("float", "vector") for p in REGISTRY[n].params)]
WITH_MASK = [n for n in MINE if REGISTRY[n].grad_mask is not None]

MAGNITUDES = (1e-8, 1e-3, 0.1, 0.3, 0.5, 1.0, 1.7, 2.0, 3.0, 5.0, 10.0, 20.0, 1e3)
POINTS = [s * v for v in MAGNITUDES for s in (1.0, -1.0)]
POINTS += [0.0, 0.25, -2.5]

NON_DEFAULT = [
    ("leaky_relu", {"negative_slope": 0.2}),
    ("prelu", {"a": -0.5}),
    ("rrelu", {"lower": 0.1, "upper": 0.3}),
    ("hardtanh", {"min_val": -2.0, "max_val": 3.0}),
    ("threshold", {"threshold": 1.0, "value": -2.0}),
    ("helu", {"alpha": 0.5}),
    ("crrelu", {"eps": -0.3}),
    ("relun", {"n": 6.0}),
    ("trec", {"theta": 0.0}),
    ("srelu", {"t_left": -0.5, "a_left": 0.2, "t_right": 2.0, "a_right": 1.5}),
    ("starrelu", {"scale": 2.0, "bias": 0.5}),
    ("repu", {"p": 1}),
    ("repu", {"p": 2}),
    ("nlrelu", {"beta": 3.0}),
    ("elu", {"alpha": 0.5}),
    ("elu", {"alpha": 0.0}),
    ("celu", {"alpha": 2.0}),
    ("pelu", {"a": 2.0, "b": 0.5}),
    ("isrlu", {"alpha": 3.0}),
    ("serlu", {"lambd": 1.0, "alpha": 1.0}),
    ("softplus", {"beta": 2.0, "threshold": 10.0}),
    ("smelu", {"beta": 0.0}),
    ("smelu", {"beta": 0.5}),
    ("sau", {"alpha": 0.0, "n": 3.0}),
    ("sau", {"alpha": 1.0, "n": 0.5}),
    ("sau", {"alpha": 0.3, "n": 20000.0}),
    ("squareplus", {"b": 0.01}),
    ("smu", {"alpha": 0.0, "mu": 2.5}),
    ("smu1", {"alpha": 0.01, "mu": 0.3}),
    ("hardshrink", {"lambd": 0.0}),
    ("softshrink", {"lambd": 1.5}),
    ("pau", {"numerator": (0.0, 1.0, 0.5, -0.2, 0.1, 0.05), "denominator": (0.5, -1.0, 0.2, 2.0)}),
    ("pau", {"numerator": (1.0, -2.0, 0.0, 0.0, 0.0, 0.0), "denominator": (0.0, 0.0, 0.0, 0.0)}),
    ("elephant", {"sigma": 0.1, "d": 4, "h": 2.0}),
    ("elephant", {"sigma": 2.0, "d": 1, "h": 1.0}),
    ("elephant", {"d": 3}),
]


def _close(y: float, r: mpmath.mpf) -> bool:
    return abs(mpmath.mpf(y) - r) <= 1e-12 * abs(r) + 1e-300


@pytest.mark.parametrize("name,params", NON_DEFAULT, ids=[f"{n}-{i}" for i, (n, _) in enumerate(NON_DEFAULT)])
def test_values_at_other_parameters(name, params):
    spec = REGISTRY[name]
    full = spec.resolve_params(params)
    y = spec.fn(torch.tensor(POINTS, dtype=torch.float64), **full).tolist()
    bad = [
        (x, yi, mpmath.nstr(r, 17))
        for x, yi in zip(POINTS, y)
        if not _close(yi, r := REFERENCES[name](mpmath.mpf(x), **full))
    ]
    assert not bad, f"{name}{params}: (x, actlab, mpmath): {bad}"


def _tensor_params(spec, params: dict, requires_grad: bool = False) -> dict:
    out = {}
    for p in spec.params:
        v = params[p.name]
        if p.kind in ("float", "vector"):
            v = torch.tensor(v, dtype=torch.float64, requires_grad=requires_grad)
        out[p.name] = v
    return out


def _sample(spec, params: dict, n: int = 64) -> torch.Tensor:
    gen = torch.Generator().manual_seed(1)
    pts = (torch.randn(n, generator=gen, dtype=torch.float64) * 3).tolist() + [-15.3, 15.3, 0.7, -0.7]
    kinks = spec.kinks(params)
    return torch.tensor([x for x in pts if all(abs(x - k) > 1e-3 for k in kinks)], dtype=torch.float64)


# PAU's default b1, b3 (3e-6, 5e-7) lie within gradcheck's finite-difference step of the kink of |b|
GRADCHECK_PARAMS = {
    "pau": {"numerator": (0.0, 1.0, 0.5, -0.2, 0.1, 0.05), "denominator": (0.5, -1.0, 0.2, 2.0)}
}


@pytest.mark.parametrize("name", WITH_FLOAT_PARAMS)
def test_tensor_parameters_match_numbers_and_have_gradients(name):
    spec = REGISTRY[name]
    params = spec.resolve_params(GRADCHECK_PARAMS.get(name, {}))
    x = _sample(spec, params)
    expected = spec.fn(x, **params)
    tparams = _tensor_params(spec, params)
    torch.testing.assert_close(spec.fn(x, **tparams), expected, rtol=1e-13, atol=1e-300)

    names = [p.name for p in spec.params if p.kind in ("float", "vector")]
    fixed = {k: v for k, v in params.items() if k not in names}
    leaves = [tparams[k].detach().clone().requires_grad_(True) for k in names]
    xg = x.clone().requires_grad_(True)

    def f(xx, *ps):
        return spec.fn(xx, **fixed, **dict(zip(names, ps)))

    assert torch.autograd.gradcheck(f, (xg, *leaves), eps=1e-6, atol=1e-6, rtol=1e-4)


@pytest.mark.parametrize("name", [n for n in WITH_FLOAT_PARAMS if REGISTRY[n].name != "pau"])
def test_per_channel_parameters_broadcast(name):
    spec = REGISTRY[name]
    params = spec.defaults
    scales = (1.0, 0.8, 1.2)
    floats = [p.name for p in spec.params if p.kind == "float"]
    x = torch.randn(3, 11, dtype=torch.float64, generator=torch.Generator().manual_seed(2)) * 3
    per_channel = dict(params)
    for k in floats:
        per_channel[k] = torch.tensor([params[k] * s for s in scales], dtype=torch.float64).reshape(3, 1)
    y = spec.fn(x, **per_channel)
    for row, s in enumerate(scales):
        row_params = {k: (v * s if k in floats else v) for k, v in params.items()}
        torch.testing.assert_close(y[row], spec.fn(x[row], **row_params), rtol=1e-13, atol=1e-300)


# points where an implementation switches branch (0, ±1, ±β, ±λ, the fp64 series switch of tanhshrink,
# ...): autograd there must give the true derivative (a clamp-guarded branch would give 0 or 1/2)
BRANCH_POINTS = [0.0, 1.0, -1.0, 2.0, -2.0, 0.25, -0.25, 0.5, -0.5, 3.0, -3.0, 6.0, 20.0]


def _mp_derivative(name: str, x: float, params: dict) -> mpmath.mpf:
    f = REFERENCES[name]
    h = mpmath.mpf("1e-20")
    return (f(mpmath.mpf(x) + h, **params) - f(mpmath.mpf(x) - h, **params)) / (2 * h)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_derivative_at_branch_points(name):
    spec = REGISTRY[name]
    params = spec.defaults
    kinks = spec.kinks(params)
    pts = [p for p in BRANCH_POINTS if all(abs(p - k) > 1e-9 for k in kinks)]
    x = torch.tensor(pts, dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(spec.fn(x, **params).sum(), x)
    bad = [
        (p, gi, mpmath.nstr(d, 12))
        for p, gi in zip(pts, g.tolist())
        if abs(mpmath.mpf(gi) - (d := _mp_derivative(name, p, params))) > 1e-9 * (1 + abs(d))
    ]
    assert not bad, f"{name}: (x, autograd, mpmath derivative): {bad}"


WITH_TORCH = [n for n in ELEMENTWISE if REGISTRY[n].torch_ref is not None]


@pytest.mark.parametrize("name", WITH_TORCH)
@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
def test_torch_conventions_at_kinks(name, dtype):
    # the generated parity test keeps away from kinks; here the kinks themselves (and 0)
    spec = REGISTRY[name]
    params = spec.defaults
    pts = sorted({0.0, *[float(k) for k in spec.kinks(params)]})
    x1 = torch.tensor(pts, dtype=dtype, requires_grad=True)
    x2 = torch.tensor(pts, dtype=dtype, requires_grad=True)
    y1, y2 = spec.fn(x1, **params), spec.torch_ref(x2, **params)
    (g1,) = torch.autograd.grad(y1.sum(), x1)
    (g2,) = torch.autograd.grad(y2.sum(), x2)
    torch.testing.assert_close(y1, y2, rtol=1e-6, atol=1e-12)
    torch.testing.assert_close(g1, g2, rtol=1e-6, atol=1e-12)


MASK_CASES = [(n, {}) for n in WITH_MASK] + [
    ("leaky_relu", {"negative_slope": 0.3}),
    ("prelu", {"a": -0.7}),
    ("hardtanh", {"min_val": -0.5, "max_val": 2.0}),
    ("threshold", {"threshold": 0.5, "value": 3.0}),
    ("relun", {"n": 2.5}),
    ("trec", {"theta": 0.25}),
    ("hardshrink", {"lambd": 1.0}),
    ("softshrink", {"lambd": 0.0}),
    ("rrelu", {"lower": 0.2, "upper": 0.2}),
]


@pytest.mark.parametrize("name,params", MASK_CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(MASK_CASES)])
@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
def test_grad_mask_reproduces_autograd_exactly(name, params, dtype):
    spec = REGISTRY[name]
    full = spec.resolve_params(params)
    kinks = [float(k) for k in spec.kinks(full)]
    pts = torch.randn(200, generator=torch.Generator().manual_seed(3), dtype=torch.float64) * 4
    extra = torch.tensor(kinks + [0.0, -0.0, 1e4, -1e4, 6.0, -6.0, 0.5, -0.5, 1.0], dtype=torch.float64)
    x = torch.cat([pts, extra]).to(dtype).requires_grad_(True)
    (g,) = torch.autograd.grad(spec.fn(x, **full).sum(), x)
    v0, v1 = spec.grad_mask_values(full)
    mask = spec.grad_mask(x.detach(), **full)
    assert mask.dtype == torch.bool and mask.shape == x.shape
    expected = torch.where(mask, torch.tensor(v1, dtype=dtype), torch.tensor(v0, dtype=dtype))
    assert torch.equal(g, expected), f"{name}{params}: mask disagrees at {x[g != expected].tolist()}"


@pytest.mark.parametrize(
    "name,params,match",
    [
        ("rrelu", {"lower": 0.3, "upper": 0.1}, "'lower' must be <= 'upper'"),
        ("hardtanh", {"min_val": 1.0, "max_val": 1.0}, "'min_val' must be < 'max_val'"),
        ("srelu", {"t_left": 2.0, "t_right": 1.0}, "'t_left' must be < 't_right'"),
    ],
)
def test_inconsistent_parameters_raise(name, params, match):
    with pytest.raises(ValueError, match=match):
        actlab.functional.apply(name, torch.ones(3), **params)


@pytest.mark.parametrize(
    "name,params",
    [("smelu", {"beta": -0.5}), ("elephant", {"d": 0}), ("elephant", {"d": 2.5}), ("squareplus", {"b": 0.0}),
     ("celu", {"alpha": 0.0}), ("repu", {"p": 0}), ("pau", {"numerator": (1.0, 2.0)})],
)
def test_out_of_range_parameters_raise(name, params):
    with pytest.raises(ValueError, match="parameter"):
        actlab.get(name, **params)


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


def test_every_family_has_its_members():
    fam = {n: REGISTRY[n].family for n in MINE}
    assert len(MINE) >= 40
    assert set(FAMILY_MODULES) == set(fam.values())
