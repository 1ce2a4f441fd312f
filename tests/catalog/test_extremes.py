"""Extreme inputs for every entry: finite value and gradient wherever the true (mpmath) ones are
finite, in fp32 and across the whole fp16/bf16 range; NaN in gives NaN out; shape, dtype and device
are preserved in every floating dtype."""

from __future__ import annotations

import math

import mpmath
import pytest
import torch

import actlab
from tests.catalog.common import ELEMENTWISE, NAMES, SPECS
from tests.reference import REFERENCES


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
    spec = SPECS[name]
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


@pytest.mark.parametrize("name", NAMES)
def test_shape_dtype_preserved(name):
    mod = actlab.get(name)
    for dtype in (torch.float64, torch.float32, torch.float16, torch.bfloat16):
        x = torch.randn(2, 3, 8, dtype=dtype)
        y = mod(x)
        assert y.shape == x.shape and y.dtype == dtype and y.device == x.device, dtype
