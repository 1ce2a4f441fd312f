"""VeLU (non-elementwise: statistics over the last axis) against the mpmath reference of the
official Keras layer, with gradients, row independence and numerical edge cases."""

from __future__ import annotations

import mpmath
import pytest
import torch

import actlab
from actlab.catalog.registry import REGISTRY
from tests.reference import CASES, REFERENCES

SPEC = REGISTRY["velu"]
REF = REFERENCES["velu"]


def _rows() -> torch.Tensor:
    gen = torch.Generator().manual_seed(0)
    rows = torch.randn(5, 9, generator=gen, dtype=torch.float64) * 3
    rows[1] *= 10  # |beta2 x| > 1: the arcsin clip is active
    rows[2] *= 1e-4  # tiny RMS: the adaptive factor saturates at 1 + gamma
    rows[3, :4] = torch.tensor([1e3, -1e3, 20.0, -20.0], dtype=torch.float64)
    rows[4] = 0.0
    rows[4, 0] = 1e-8
    return rows


def _check_against_reference(x: torch.Tensor, params: dict) -> None:
    y = SPEC.fn(x, **params)
    assert y.shape == x.shape and y.dtype == x.dtype
    for row_x, row_y in zip(x.reshape(-1, x.shape[-1]).tolist(), y.reshape(-1, x.shape[-1]).tolist()):
        ref = REF([mpmath.mpf(v) for v in row_x], **params)
        for xi, yi, ri in zip(row_x, row_y, ref):
            assert abs(mpmath.mpf(yi) - ri) <= 1e-12 * abs(ri) + 1e-300, (xi, yi, mpmath.nstr(ri, 17))


def test_values_against_mpmath_defaults():
    _check_against_reference(_rows(), SPEC.defaults)


def test_values_against_mpmath_other_parameters():
    for params in CASES["velu"]:
        _check_against_reference(_rows(), SPEC.resolve_params(params))


def test_reduction_is_over_the_last_axis_only():
    x = torch.randn(2, 3, 6, dtype=torch.float64, generator=torch.Generator().manual_seed(1))
    y = actlab.functional.velu(x)
    flat = actlab.functional.velu(x.reshape(6, 6)).reshape(2, 3, 6)
    torch.testing.assert_close(y, flat, rtol=0, atol=0)
    x2 = x.clone()
    x2[0, 0] *= 100  # changing one row changes that row only
    y2 = actlab.functional.velu(x2)
    assert not torch.equal(y2[0, 0], y[0, 0])
    torch.testing.assert_close(y2[0, 1:], y[0, 1:], rtol=0, atol=0)
    torch.testing.assert_close(y2[1], y[1], rtol=0, atol=0)


def test_gradcheck_inputs_and_learnable_scale():
    x = _rows()[:4].clone()
    x = x[(x * 0.1).abs().sub(1).abs().amin(dim=-1) > 1e-3]  # stay away from |beta2 x| = 1
    x.requires_grad_(True)
    lam = torch.tensor(1.3, dtype=torch.float64, requires_grad=True)
    params = {k: v for k, v in SPEC.defaults.items() if k != "lambda_"}
    assert torch.autograd.gradcheck(
        lambda t, l: SPEC.fn(t, lambda_=l, **params), (x, lam), eps=1e-6, atol=1e-6, rtol=1e-4
    )


def test_clip_region_has_zero_arcsin_gradient_and_finite_gradients_everywhere():
    x = torch.tensor([[10.0, -10.0, 25.0, -3.0, 9.999999]], dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(SPEC.fn(x, **SPEC.defaults).sum(), x)
    assert torch.isfinite(g).all()


@pytest.mark.parametrize("dtype", [torch.float32, torch.float16, torch.bfloat16])
def test_extremes_and_nan_rows(dtype):
    big = min(1e4, torch.finfo(dtype).max / 4)
    rows = [[big, -big, 1.0, 0.0], [float("nan"), 1.0, -1.0, 2.0], [1e-30, -1e-30, 0.0, 0.0]]
    x = torch.tensor(rows, dtype=dtype)
    x.requires_grad_(True)
    y = actlab.functional.velu(x)
    assert y.dtype == dtype and y.shape == x.shape
    assert torch.isfinite(y[0]).all() and torch.isfinite(y[2]).all()
    assert torch.isnan(y[1]).all()  # NaN in a row makes that row's statistic NaN
    (g,) = torch.autograd.grad(y[[0, 2]].sum(), x)
    assert torch.isfinite(g[[0, 2]]).all()


def test_float32_huge_inputs_stay_finite():
    x = torch.tensor([[3e38, -3e38, 1.0]], dtype=torch.float32, requires_grad=True)
    y = SPEC.fn(x, **SPEC.defaults)
    (g,) = torch.autograd.grad(y.sum(), x)
    assert torch.isfinite(y).all() and torch.isfinite(g).all()


def test_spec_flags():
    assert SPEC.elementwise is False and SPEC.family == "adaptive"
    assert [p.name for p in SPEC.params if p.trainable] == ["lambda_"]
    assert SPEC.defaults["momentum"] == 0.9 and SPEC.defaults["eps"] == 1e-6
