"""Drop-in, part 4 (issue 13, item 1): every backend on non-contiguous, channels-last,
zero-size and meta tensors gives eager's values, gradients and memory layout."""

from __future__ import annotations

import pytest
import torch

import actlab
from tests.kernels.models import IMPLS, NAMES, assert_same, convnet, grads, mlp, use_backend


@pytest.fixture(params=IMPLS)
def impl(request, monkeypatch):
    use_backend(request.param, monkeypatch)
    return request.param


def _views() -> dict[str, torch.Tensor]:
    g = torch.Generator().manual_seed(4)
    base = torch.randn(2, 6, 5, 4, generator=g) * 2
    return {
        "channels_last": base.contiguous(memory_format=torch.channels_last),
        "transposed": base.transpose(1, 3),
        "strided": base[:, ::2, 1:, ::3],  # not dense: no permutation makes it contiguous
        "expanded": torch.randn(1, 5, 1, generator=g).expand(3, 5, 4),
    }


@pytest.mark.parametrize("layout", list(_views()))
@pytest.mark.parametrize("name", NAMES)
def test_layouts_values_grads_and_strides(name, impl, layout):
    x = _views()[layout]
    act, ref = actlab.get(name, impl=impl), actlab.get(name, impl="eager")
    xa, xr = x.detach().requires_grad_(), x.detach().requires_grad_()
    y, yr = act(xa), ref(xr)
    torch.testing.assert_close(y, yr)
    if layout != "expanded":  # eager's result of an expanded input is a fresh dense tensor
        assert y.stride() == yr.stride()
    dy = torch.randn_like(yr).contiguous()  # a different layout than y's
    torch.testing.assert_close(*[torch.autograd.grad(o, i, dy)[0] for o, i in ((y, xa), (yr, xr))])


@pytest.mark.parametrize("name", ["relu", "golu", "snake"])
def test_channels_last_convnet(name, impl):
    x = torch.randn(2, 3, 8, 8, generator=torch.Generator().manual_seed(5))
    model = convnet(name, impl).to(memory_format=torch.channels_last)
    ref = convnet(name, "eager").to(memory_format=torch.channels_last)
    xc = x.contiguous(memory_format=torch.channels_last)
    torch.testing.assert_close(model(xc), ref(xc))
    assert_same(grads(model, xc), grads(ref, xc), rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("name", NAMES)
def test_zero_size_and_meta(name, impl):
    model = mlp(name, impl)
    empty = torch.empty(0, 8, dtype=torch.float64, requires_grad=True)
    y = model(empty)
    assert y.shape == (0, 4)
    y.sum().backward()
    assert empty.grad.shape == (0, 8)
    meta = mlp(name, impl).to("meta")
    xm = torch.empty(3, 8, device="meta", dtype=torch.float64, requires_grad=True)
    ym = meta(xm)
    assert ym.device.type == "meta" and ym.shape == (3, 4)
    ym.sum().backward()
    assert xm.grad.shape == (3, 8)
