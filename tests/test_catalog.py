"""Generated tests for every registered activation: adding one to the catalog covers it here.

- float64 values against the independent mpmath references in ``tests/reference``;
- gradcheck in float64 away from kinks;
- finite value and gradient at extreme inputs (fp32 and across the half types' ranges);
- NaN in gives NaN out; shape/dtype preserved; parity with torch.nn where torch has the function.
"""

from __future__ import annotations

import math

import mpmath
import pytest
import torch

import actlab
from actlab.catalog.registry import REGISTRY
from tests.reference import REFERENCES

NAMES = sorted(REGISTRY)
ELEMENTWISE = [n for n in NAMES if REGISTRY[n].elementwise]
WITH_TORCH = [n for n in NAMES if REGISTRY[n].torch_ref is not None]

REF_POINTS = [
    s * v
    for v in (1e-8, 1e-3, 0.5, 1.0, 1.7, 3.0, 5.0, 10.0, 20.0, 1e3)
    for s in (1.0, -1.0)
] + [0.0, 0.25, -2.5]


def _ref_value(name: str, x: float, params: dict) -> mpmath.mpf:
    return REFERENCES[name](mpmath.mpf(x), **params)


def _away_from_kinks(name: str, xs: list[float], params: dict, gap: float = 1e-3) -> list[float]:
    kinks = REGISTRY[name].kinks(params)
    return [x for x in xs if all(abs(x - k) > gap for k in kinks)]


def test_catalog_size_and_references_complete():
    assert len(NAMES) >= 80, f"only {len(NAMES)} activations registered"
    missing = sorted(set(NAMES) - set(REFERENCES))
    extra = sorted(set(REFERENCES) - set(NAMES))
    assert not missing, f"activations without an mpmath reference: {missing}"
    assert not extra, f"references for unregistered names: {extra}"


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_values_against_mpmath(name):
    spec = REGISTRY[name]
    params = spec.defaults
    x = torch.tensor(REF_POINTS, dtype=torch.float64)
    y = spec.fn(x, **params)
    bad = []
    for xi, yi in zip(REF_POINTS, y.tolist()):
        r = _ref_value(name, xi, params)
        if mpmath.isinf(r) or abs(r) > 1.7e308:
            ok = math.isinf(yi) and (yi > 0) == (r > 0)
        else:
            ok = abs(mpmath.mpf(yi) - r) <= 1e-12 * abs(r) + 1e-300
        if not ok:
            bad.append((xi, yi, mpmath.nstr(r, 17)))
    assert not bad, f"{name}: (x, actlab, mpmath) mismatches: {bad}"


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_gradcheck(name):
    spec = REGISTRY[name]
    params = spec.defaults
    pts = [i / 4 - 6.0 + 0.0137 for i in range(49)] + [-15.3, 15.3]
    pts = _away_from_kinks(name, pts, params)
    x = torch.tensor(pts, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda t: spec.fn(t, **params), (x,), eps=1e-6, atol=1e-6, rtol=1e-4)


def _true_finite(name: str, x: float, params: dict, limit: float) -> tuple[bool, bool]:
    """Whether f(x) and f'(x) are finite (below ``limit`` in magnitude) by the mpmath reference."""
    f = REFERENCES[name]
    r = f(mpmath.mpf(x), **params)
    val_ok = mpmath.isfinite(r) and abs(r) < limit
    try:
        h = max(abs(mpmath.mpf(x)), 1) * mpmath.mpf("1e-20")
        d = (f(mpmath.mpf(x) + h, **params) - f(mpmath.mpf(x) - h, **params)) / (2 * h)
        grad_ok = mpmath.isfinite(d) and abs(d) < limit / 4
    except (ValueError, ZeroDivisionError, OverflowError):
        grad_ok = False
    return val_ok, grad_ok


def _check_extremes(name: str, dtype: torch.dtype, points: list[float]) -> None:
    spec = REGISTRY[name]
    params = spec.defaults
    limit = torch.finfo(dtype).max
    x = torch.tensor(points, dtype=dtype).requires_grad_(True)
    y = actlab.functional.apply(name, x)
    (g,) = torch.autograd.grad(y.sum(), x)
    rounded = x.detach().double().tolist()  # the values actually representable in dtype
    problems = []
    for xi, yi, gi in zip(rounded, y.detach().double().tolist(), g.double().tolist()):
        val_ok, grad_ok = _true_finite(name, xi, params, limit)
        if val_ok and not math.isfinite(yi):
            problems.append(("value", xi, yi))
        if val_ok and grad_ok and not math.isfinite(gi):
            problems.append(("grad", xi, gi))
    assert not problems, f"{name} {dtype}: non-finite where the true value is finite: {problems}"


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_extremes_fp32(name):
    _check_extremes(name, torch.float32, [1e4, -1e4, 100.0, -100.0, 20.0, -20.0, 0.0, 1e-30, -1e-30])


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16], ids=["fp16", "bf16"])
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_extremes_half(name, dtype):
    fi = torch.finfo(dtype)
    mags = [fi.max, fi.max / 2, 1e3, 100.0, 10.0, 1.0, 1e-2, fi.tiny, fi.smallest_normal * 2]
    _check_extremes(name, dtype, [s * m for m in mags for s in (1.0, -1.0)] + [0.0])


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_nan_in_nan_out(name):
    x = torch.tensor([float("nan"), 1.0, -1.0], dtype=torch.float32)
    y = actlab.functional.apply(name, x)
    assert torch.isnan(y[0]), f"{name}(nan) = {y[0].item()}"
    assert torch.isfinite(y[1:]).all()


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32, torch.float16, torch.bfloat16])
@pytest.mark.parametrize("name", NAMES)
def test_shape_dtype_preserved(name, dtype):
    x = torch.randn(2, 3, 8, dtype=dtype)
    mod = actlab.get(name)
    y = mod(x)
    assert y.shape == x.shape and y.dtype == dtype and y.device == x.device


@pytest.mark.parametrize("dtype,rtol", [(torch.float64, 1e-12), (torch.float32, 2e-6)])
@pytest.mark.parametrize("name", WITH_TORCH)
def test_parity_with_torch(name, dtype, rtol):
    spec = REGISTRY[name]
    params = spec.defaults
    gen = torch.Generator().manual_seed(0)
    pts = (torch.randn(512, generator=gen, dtype=torch.float64) * 4).tolist() + [30.0, -30.0]
    pts = _away_from_kinks(name, pts, params, gap=1e-4)
    x1 = torch.tensor(pts, dtype=dtype, requires_grad=True)
    x2 = torch.tensor(pts, dtype=dtype, requires_grad=True)
    x3 = torch.tensor(pts, dtype=torch.float64, requires_grad=True)
    y1 = actlab.functional.apply(name, x1)
    y2 = spec.torch_ref(x2, **params)
    y3 = spec.torch_ref(x3, **params)
    (g1,) = torch.autograd.grad(y1.sum(), x1)
    (g2,) = torch.autograd.grad(y2.sum(), x2)
    (g3,) = torch.autograd.grad(y3.sum(), x3)
    assert y1.dtype == y2.dtype and g1.dtype == g2.dtype
    # torch's own rounding error in `dtype` (|torch(dtype) - torch(float64)|) is allowed on top of the
    # tolerance: e.g. torch's fp32 GELU cancels in 1 + erf(x/√2) for x < 0 (absolute error ~1e-7 where the
    # value is ~1e-6), which an accurate implementation cannot reproduce. It is 0 in float64.
    checks = ((y1, y2, y3, rtol, rtol * 1e-3, "value"), (g1, g2, g3, rtol * 10, rtol * 1e-2, "gradient"))
    for ours, theirs, theirs64, rt, at, what in checks:
        ours, theirs, theirs64 = ours.detach().double(), theirs.detach().double(), theirs64.detach()
        tol = at + rt * theirs.abs() + (theirs - theirs64).abs()
        bad = (~((ours - theirs).abs() <= tol)).nonzero().flatten().tolist()
        worst = [(pts[i], ours[i].item(), theirs[i].item()) for i in bad[:5]]
        assert not bad, f"{name} {dtype} {what}: {len(bad)} mismatches, (x, actlab, torch): {worst}"


@pytest.mark.parametrize("name", ["golu", "smelu"])
def test_torch_compile_fullgraph(name):
    mod = actlab.get(name)
    compiled = torch.compile(mod, fullgraph=True, backend="inductor")
    x = torch.randn(64)
    torch.testing.assert_close(compiled(x), mod(x), rtol=1e-5, atol=1e-6)
