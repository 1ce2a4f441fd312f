"""Entries that torch.nn also has agree with torch (values and gradients) in fp32/fp64, away from
and at the kinks, with torch's own fp32 rounding allowed on top of the tolerance."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

import actlab
from tests.catalog.common import ELEMENTWISE, SPECS, away_from_kinks

WITH_TORCH = [n for n in ELEMENTWISE if SPECS[n].torch_ref is not None]


@pytest.mark.parametrize("dtype,rtol", [(torch.float64, 1e-12), (torch.float32, 2e-6)])
@pytest.mark.parametrize("name", WITH_TORCH)
def test_parity_with_torch(name, dtype, rtol):
    spec = SPECS[name]
    params = spec.defaults
    gen = torch.Generator().manual_seed(0)
    pts = (torch.randn(512, generator=gen, dtype=torch.float64) * 4).tolist() + [30.0, -30.0]
    pts = away_from_kinks(name, pts, params, gap=1e-4)
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


@pytest.mark.parametrize("name", WITH_TORCH)
@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
def test_torch_conventions_at_kinks(name, dtype):
    # the parity test keeps away from kinks; here the kinks themselves (and 0)
    spec = SPECS[name]
    params = spec.defaults
    pts = sorted({0.0, *[float(k) for k in spec.kinks(params)]})
    x1 = torch.tensor(pts, dtype=dtype, requires_grad=True)
    x2 = torch.tensor(pts, dtype=dtype, requires_grad=True)
    y1, y2 = spec.fn(x1, **params), spec.torch_ref(x2, **params)
    (g1,) = torch.autograd.grad(y1.sum(), x1)
    (g2,) = torch.autograd.grad(y2.sum(), x2)
    torch.testing.assert_close(y1, y2, rtol=1e-6, atol=1e-12)
    torch.testing.assert_close(g1, g2, rtol=1e-6, atol=1e-12)


@pytest.mark.parametrize("name", ["hardswish", "hardsigmoid"])
def test_boundary_conventions_match_torch(name):
    x1 = torch.tensor([-3.0, 3.0], dtype=torch.float32, requires_grad=True)
    x2 = x1.detach().clone().requires_grad_(True)
    (g1,) = torch.autograd.grad(actlab.functional.apply(name, x1).sum(), x1)
    (g2,) = torch.autograd.grad(getattr(F, name)(x2).sum(), x2)
    torch.testing.assert_close(g1, g2)


@pytest.mark.parametrize("name", ["golu", "smelu"])
def test_torch_compile_fullgraph(name):
    mod = actlab.get(name)
    compiled = torch.compile(mod, fullgraph=True, backend="inductor")
    x = torch.randn(64)
    torch.testing.assert_close(compiled(x), mod(x), rtol=1e-5, atol=1e-6)
