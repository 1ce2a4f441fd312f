"""The lean autograd function for every elementwise activation: values, gradients, saved bytes."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import actlab
from actlab.catalog.registry import REGISTRY
from actlab.kernels.dispatch import apply
from actlab.kernels.lean import pack_bits, packed_size, unpack_bits
from tests.kernels.conftest import (
    DTYPE_IDS,
    DTYPES,
    ELEMENTWISE,
    MASKED,
    SavedBytes,
    check_close,
    declared_grad,
    inputs,
)


@pytest.mark.parametrize("n", [0, 1, 7, 8, 9, 64, 1001])
def test_pack_bits_layout_matches_numpy_packbits(n):
    gen = torch.Generator().manual_seed(n)
    mask = torch.rand(n, generator=gen) > 0.5
    packed = pack_bits(mask)
    assert packed.dtype == torch.uint8 and packed.numel() == packed_size(n) == (n + 7) // 8
    expected = np.packbits(mask.numpy(), bitorder="little")
    np.testing.assert_array_equal(packed.numpy(), expected)
    assert torch.equal(unpack_bits(packed, n), mask)


def test_pack_bits_uses_logical_order_of_views():
    m = torch.rand(6, 5) > 0.5
    assert torch.equal(unpack_bits(pack_bits(m.t()), 30).view(5, 6), m.t())


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_lean_values_and_grads_equal_eager(name, dtype):
    spec = REGISTRY[name]
    params = spec.defaults
    x, dy = inputs(spec, dtype)
    y = apply(spec, params, x, "lean")
    assert y.grad_fn is not None and "LeanFunction" in type(y.grad_fn).__name__
    (g,) = torch.autograd.grad(y, x, dy)
    check_close(y, actlab.functional.apply(name, x.detach()), dtype, f"{name} value")
    check_close(g, declared_grad(spec, params, x, dy), dtype, f"{name} grad")
    assert y.dtype == g.dtype == dtype and y.shape == x.shape


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16], ids=["fp32", "bf16"])
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_lean_saves_at_most_the_input(name, dtype):
    spec = REGISTRY[name]
    x, _ = inputs(spec, dtype, n=1003)
    with SavedBytes() as saved:
        apply(spec, spec.defaults, x, "lean")
    if name in MASKED:  # exactly the packed mask: 1 bit per element
        assert saved.total == packed_size(x.numel()) == 126
        assert saved.tensors == [((126,), torch.uint8)]
    else:  # exactly the input
        assert saved.total == x.numel() * x.element_size()
    with SavedBytes() as eager:
        apply(spec, spec.defaults, x, "eager")
    assert saved.total <= max(eager.total, x.numel() * x.element_size())


def test_lean_saves_less_than_eager_for_composites():
    x = torch.randn(4096, requires_grad=True)
    for name in [n for n in ("golu", "mish", "snake", "gelu_tanh") if n in REGISTRY]:
        with SavedBytes() as eager:
            apply(REGISTRY[name], REGISTRY[name].defaults, x, "eager")
        with SavedBytes() as lean:
            apply(REGISTRY[name], REGISTRY[name].defaults, x, "lean")
        assert lean.total == 4 * 4096 < eager.total, name


@pytest.mark.parametrize("name", [n for n in ("relu", "golu", "hardtanh", "mish") if n in REGISTRY])
def test_lean_non_contiguous_and_nd_inputs(name):
    spec = REGISTRY[name]
    base = torch.randn(7, 9, 3, dtype=torch.float64)
    x = base.transpose(0, 2).requires_grad_()  # non-contiguous view
    dy = torch.randn(9, 3, 7, dtype=torch.float64).permute(1, 0, 2)  # another layout
    y = apply(spec, spec.defaults, x, "lean")
    (g,) = torch.autograd.grad(y, x, dy)
    check_close(y, spec(x.detach()), torch.float64, f"{name} value")
    check_close(g, declared_grad(spec, spec.defaults, x, dy), torch.float64, f"{name} grad")


def test_lean_inference_saves_nothing_and_matches():
    spec = REGISTRY["relu"]
    x = torch.randn(100, requires_grad=True)
    with torch.no_grad(), SavedBytes() as saved:
        y = apply(spec, spec.defaults, x, "lean")
    assert saved.total == 0 and y.grad_fn is None
    torch.testing.assert_close(y, torch.relu(x.detach()))


SECOND = [
    n
    for n in ("golu", "mish", "gelu_tanh", "snake", "softplus", "relu", "leaky_relu", "hardtanh")
    if n in REGISTRY
]


@pytest.mark.parametrize("name", SECOND)
def test_lean_second_derivatives_equal_eager(name):
    spec = REGISTRY[name]
    x, dy = inputs(spec, torch.float64, n=64)
    dy = dy.requires_grad_()
    grads = {}
    for impl in ("eager", "lean"):
        y = apply(spec, spec.defaults, x, impl)
        (g,) = torch.autograd.grad(y, x, dy, create_graph=True)
        grads[impl] = torch.autograd.grad(
            g.square().sum(), (x, dy), allow_unused=True, materialize_grads=True
        )
    for got, ref in zip(grads["lean"], grads["eager"]):
        torch.testing.assert_close(got, ref)
    xx = x.detach()[:8].clone().requires_grad_()
    assert torch.autograd.gradgradcheck(lambda t: apply(spec, spec.defaults, t, "lean"), (xx,))


def test_lean_hessian_equals_eager():
    spec = REGISTRY["golu"]
    x = inputs(spec, torch.float64, n=6)[0].detach()
    h = torch.autograd.functional.hessian(lambda t: apply(spec, spec.defaults, t, "lean").sum(), x)
    ref = torch.autograd.functional.hessian(lambda t: spec(t).sum(), x)
    torch.testing.assert_close(h, ref)


def test_lean_module_through_get():
    act = actlab.get("relu", impl="lean")
    x = torch.randn(50, requires_grad=True)
    with SavedBytes() as saved:
        y = act(x)
    assert saved.total == packed_size(50)
    y.sum().backward()
    torch.testing.assert_close(x.grad, (x.detach() > 0).float())
