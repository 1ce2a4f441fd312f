"""Derivatives of every entry: gradcheck (float64, away from kinks) at every setting, autograd
against the mpmath derivative at the points where implementations switch branch, a written-out
``grad`` against autograd, and ``grad_mask`` reproducing autograd exactly."""

from __future__ import annotations

import mpmath
import pytest
import torch

from tests.catalog.common import ELEMENTWISE, SPECS, away_from_kinks, mp_derivative, setting_ids

CASES_ALL, IDS = setting_ids(ELEMENTWISE)
GRID = [i / 4 - 6.0 + 0.0137 for i in range(49)] + [-15.3, 15.3]
# points where an implementation switches branch (0, ±1, ±β, ...): autograd there must give the
# true derivative (a clamp-guarded branch would give 0 or 1/2)
BRANCH_POINTS = [0.0, 1.0, -1.0, 2.0, -2.0, 0.25, -0.25, 0.5, -0.5, 3.0, -3.0, 6.0, 20.0]


@pytest.mark.parametrize("name,params", CASES_ALL, ids=IDS)
def test_gradcheck(name, params):
    spec = SPECS[name]
    x = torch.tensor(away_from_kinks(name, GRID, params), dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(lambda t: spec.fn(t, **params), (x,), eps=1e-6, atol=1e-6, rtol=1e-4)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_derivative_at_branch_points(name):
    spec = SPECS[name]
    params = spec.defaults
    pts = away_from_kinks(name, BRANCH_POINTS, params, gap=1e-9)
    x = torch.tensor(pts, dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(spec.fn(x, **params).sum(), x)
    bad = [
        (p, gi, mpmath.nstr(d, 12))
        for p, gi in zip(pts, g.tolist())
        if abs(mpmath.mpf(gi) - (d := mp_derivative(name, p, params))) > 1e-9 * (1 + abs(d))
    ]
    assert not bad, f"{name}: (x, autograd, mpmath derivative): {bad}"


WITH_GRAD = [(n, p) for n, p in CASES_ALL if SPECS[n].grad is not None]
if WITH_GRAD:  # only entries that write their derivative out

    @pytest.mark.parametrize("name,params", WITH_GRAD, ids=[f"{n}-{i}" for i, (n, _) in enumerate(WITH_GRAD)])
    def test_written_derivative_matches_autograd(name, params):
        spec = SPECS[name]
        x = torch.tensor(away_from_kinks(name, GRID, params), dtype=torch.float64, requires_grad=True)
        (g,) = torch.autograd.grad(spec.fn(x, **params).sum(), x)
        torch.testing.assert_close(spec.grad(x.detach(), **params), g, rtol=1e-10, atol=1e-12)


WITH_MASK = [(n, p) for n, p in CASES_ALL if SPECS[n].grad_mask is not None]


@pytest.mark.parametrize("name,params", WITH_MASK, ids=[f"{n}-{i}" for i, (n, _) in enumerate(WITH_MASK)])
@pytest.mark.parametrize("dtype", [torch.float64, torch.float32])
def test_grad_mask_reproduces_autograd_exactly(name, params, dtype):
    spec = SPECS[name]
    kinks = [float(k) for k in spec.kinks(params)]
    pts = torch.randn(200, generator=torch.Generator().manual_seed(3), dtype=torch.float64) * 4
    extra = torch.tensor(kinks + [0.0, -0.0, 1e4, -1e4, 6.0, -6.0, 0.5, -0.5, 1.0], dtype=torch.float64)
    x = torch.cat([pts, extra]).to(dtype).requires_grad_(True)
    (g,) = torch.autograd.grad(spec.fn(x, **params).sum(), x)
    v0, v1 = spec.grad_mask_values(params)
    mask = spec.grad_mask(x.detach(), **params)
    assert mask.dtype == torch.bool and mask.shape == x.shape
    expected = torch.where(mask, torch.tensor(v1, dtype=dtype), torch.tensor(v0, dtype=dtype))
    assert torch.equal(g, expected), f"{name}{params}: mask disagrees at {x[g != expected].tolist()}"
