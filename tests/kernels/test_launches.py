"""Kernels per autograd call (issue 15, item 2), counted by ``torch.profiler`` under Triton's
interpreter: the generated path runs one launch forward and one backward, nothing else."""

from __future__ import annotations

import pytest
import torch

from actlab.catalog.registry import REGISTRY
from actlab.kernels.dispatch import apply, glu
from actlab.speed import kernels_per_call

pytestmark = [
    pytest.mark.usefixtures("interpret"),
    pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning"),
]
NAMES = [n for n in ("golu", "gelu_tanh", "silu", "mish", "relu", "hardtanh", "leaky_relu") if n in REGISTRY]


def _fwd_bwd(fn, *ins):
    dy = torch.randn(ins[0].shape)
    call = lambda: torch.autograd.grad(fn(*ins), ins, dy)  # noqa: E731
    call()  # build and compile outside the count
    return kernels_per_call(call)


@pytest.mark.parametrize("name", NAMES)
def test_two_launches_per_forward_and_backward(name):
    spec = REGISTRY[name]
    x = torch.randn(3000, requires_grad=True)
    triton = _fwd_bwd(lambda t: apply(spec, spec.defaults, t, "triton"), x)
    eager = _fwd_bwd(lambda t: apply(spec, spec.defaults, t, "eager"), x)
    assert triton == {"triton": 2, "aten": 0, "cuda": 0, "total": 2}
    assert triton["total"] <= eager["total"]


def test_fused_glu_is_two_launches_against_eager():
    a = torch.randn(8, 300, requires_grad=True)
    b = torch.randn(8, 300, requires_grad=True)
    triton = _fwd_bwd(lambda p, q: glu("silu", p, q, impl="triton"), a, b)
    eager = _fwd_bwd(lambda p, q: glu("silu", p, q, impl="eager"), a, b)
    assert triton["triton"] == 2 and triton["aten"] == 0
    assert eager["aten"] >= 4  # gate, product, and the two gradient products at least


def test_the_counter_sees_aten_kernels():
    x = torch.randn(100, requires_grad=True)
    counts = _fwd_bwd(lambda t: (t.exp() * 2).sin(), x)
    assert counts["triton"] == 0 and counts["aten"] >= 6  # exp, mul, sin and their backward
