"""The interval extension of the catalog's formulas: enclosures of f and f' contain every value."""

from __future__ import annotations

import math

import pytest
import torch

import actlab
from actlab.catalog import PRESETS, REGISTRY
from actlab.verify import Interval, UnsupportedOperation, enclose

F64 = torch.float64
ELEMENTWISE = sorted(n for n, s in {**REGISTRY, **PRESETS}.items() if s.elementwise)


def _cells(seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    centre = torch.cat([torch.linspace(-20, 20, 61, dtype=F64), torch.randn(60, generator=g, dtype=F64) * 3])
    width = torch.cat([torch.full((61,), 0.05, dtype=F64), torch.rand(60, generator=g, dtype=F64) * 2])
    return centre - width / 2, centre + width / 2


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_enclosure_contains_values_and_derivatives(name):
    spec = actlab.describe(name)
    p = spec.defaults
    lo, hi = _cells()
    enc = enclose(spec.fn, lo, hi, p, derivative=True)
    t = torch.linspace(0.0, 1.0, 201, dtype=F64)
    x = torch.minimum(lo[:, None] + (hi - lo)[:, None] * t, hi[:, None])  # rounding must not leave the cell
    y = spec.fn(x, **p)
    # the enclosure is of the formula in real arithmetic; torch's float64 evaluation differs from it
    # by rounding (a cancellation of terms of size ~|y| + 1 leaves an error of a few ulps of that)
    tol = 1e-14 * (1 + y.abs().nan_to_num(posinf=0.0).amax(dim=1, keepdim=True))
    inside = ((enc.lo[:, None] - tol <= y) & (y <= enc.hi[:, None] + tol)) | torch.isnan(y)
    bad = inside.all(1).logical_not().nonzero()[:, 0].tolist()[:5]
    assert not bad, f"{name}: value outside its enclosure on cells {bad}"
    # the derivative, by central differences at interior points (a jump inside [x - h, x + h] is
    # caught by the enclosure being unbounded there, which is the rule for a possible jump)
    h = 1e-6
    xi = x[:, 20:-20:10]
    fd = (spec.fn(xi + h, **p) - spec.fn(xi - h, **p)) / (2 * h)
    slack = 1e-4 * (1 + fd.abs()) + 1e-6 * (1 + spec.fn(xi, **p).abs()) / h
    ok = ((enc.dlo[:, None] - slack <= fd) & (fd <= enc.dhi[:, None] + slack)) | ~torch.isfinite(fd)
    bad = ok.all(1).logical_not().nonzero()[:, 0].tolist()[:5]
    assert not bad, f"{name}: derivative outside its enclosure on cells {bad}"


def _iv(lo, hi):
    return Interval(torch.tensor(lo, dtype=F64), torch.tensor(hi, dtype=F64))


def test_elementary_extensions():
    x = _iv([-1.0, 0.5, -3.0], [2.0, 1.0, -2.0])
    sq = x * x  # the same object: a square, not a product of independent intervals
    assert sq.lo.tolist() == pytest.approx([0.0, 0.25, 4.0]) and bool((sq.lo >= -1e-300).all())
    prod = x * _iv([-1.0, 0.5, -3.0], [2.0, 1.0, -2.0])
    assert prod.lo[0] == pytest.approx(-2.0)
    assert bool(((x - x).lo == 0).all()) and bool(((x - x).hi == 0).all())
    s = torch.sin(_iv([0.0, 2.0, -10.0], [2.0, 2.5, 10.0]))
    assert s.hi[0] == 1.0 and s.lo[2] == -1.0 and s.hi[1] < 1.0
    r = 1.0 / _iv([-1.0, 0.5], [1.0, 2.0])
    assert math.isinf(r.lo[0]) and math.isinf(r.hi[0]) and r.lo[1] <= 0.5 <= r.hi[1]
    w = torch.where(x > 0, x, torch.zeros(3, dtype=F64))  # the branch narrowed to x > 0
    assert w.lo[0] == 0.0 and w.hi[0] == pytest.approx(2.0)


def test_rounding_is_outward():
    x = _iv([0.1], [0.1])
    y = x * 3.0
    assert y.lo[0] < 0.1 * 3.0 < y.hi[0] or y.lo[0] <= 0.30000000000000004 <= y.hi[0]
    e = torch.exp(x)
    assert e.lo[0] < math.exp(0.1) < e.hi[0]


def test_unsupported_operation_is_named():
    with pytest.raises(UnsupportedOperation, match="cumsum"):
        enclose(lambda v: torch.cumsum(v, 0), torch.zeros(3, dtype=F64), torch.ones(3, dtype=F64), {})
    with pytest.raises(UnsupportedOperation, match="control flow"):
        enclose(lambda v: v if v > 0 else -v, torch.zeros(1, dtype=F64), torch.ones(1, dtype=F64), {})
