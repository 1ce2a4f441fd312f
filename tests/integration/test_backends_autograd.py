"""Drop-in, part 2 (issue 13, item 1): every backend under checkpointing, saved-tensor hooks
and higher-order derivatives gives eager's results (and never raises where eager works)."""

from __future__ import annotations

import pytest
import torch
from torch.utils.checkpoint import checkpoint

from actlab.kernels.lean import packed_size
from tests.kernels.models import IMPLS, NAMES, assert_same, gated, grads, mlp, use_backend

X = torch.randn(6, 8, dtype=torch.float64, generator=torch.Generator().manual_seed(2)) * 2


@pytest.fixture(params=IMPLS)
def impl(request, monkeypatch):
    use_backend(request.param, monkeypatch)
    return request.param


class Checkpointed(torch.nn.Module):
    def __init__(self, inner: torch.nn.Module, reentrant: bool):
        super().__init__()
        self.inner, self.reentrant = inner, reentrant

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return checkpoint(self.inner, x, use_reentrant=self.reentrant)


@pytest.mark.parametrize("reentrant", [False, True], ids=["non-reentrant", "reentrant"])
@pytest.mark.parametrize("name", NAMES)
def test_checkpoint(name, impl, reentrant):
    ref = grads(mlp(name, "eager"), X)
    assert_same(grads(Checkpointed(mlp(name, impl), reentrant), X), ref)


def test_checkpointed_gated_ffn(impl):
    ref = grads(gated("silu", "eager"), X)
    for reentrant in (False, True):
        assert_same(grads(Checkpointed(gated("silu", impl), reentrant), X), ref)


@pytest.mark.parametrize("name", NAMES)
def test_save_on_cpu(name, impl):
    model = mlp(name, impl)
    with torch.autograd.graph.save_on_cpu():
        got = grads(model, X)
    assert_same(got, grads(mlp(name, "eager"), X))


@pytest.mark.parametrize("name", NAMES)
def test_user_hooks_see_real_tensors_and_what_actlab_saves(name, impl):
    """A pack hook reading ``data_ptr()`` (fails on fake tensors) on the very first call; every
    tensor the activation saves passes through the user's hooks, and the unpacked copy is used."""
    from actlab.kernels import backend

    backend.clear_cache()  # the first call builds (traces, compiles) the kernels under the hook
    model = mlp(name, impl)
    packed, unpacked = [], []

    def pack(t):
        packed.append((t.data_ptr(), t.dtype, t.numel()))
        return t.clone()

    def unpack(t):
        unpacked.append(t.numel())
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, unpack):
        got = grads(model, X)
    assert_same(got, grads(mlp(name, "eager"), X))
    assert packed and unpacked
    if impl in ("lean", "triton") and name in ("relu", "hardtanh", "leaky_relu"):
        assert (torch.uint8, packed_size(6 * 16)) in [(d, n) for _, d, n in packed]


@pytest.mark.parametrize("name", NAMES)
def test_double_backward(name, impl):
    """Gradient penalty: d/dθ ‖∂L/∂x‖², as in WGAN-GP or physics-informed losses."""

    def penalty(model):
        x = X.clone().requires_grad_()
        (gx,) = torch.autograd.grad(model(x).square().sum(), x, create_graph=True)
        return torch.autograd.grad(gx.square().sum(), [*model.parameters(), x], allow_unused=True)

    assert_same(list(penalty(mlp(name, impl))), list(penalty(mlp(name, "eager"))))


@pytest.mark.parametrize("name", NAMES)
def test_hessian(name, impl):
    model = mlp(name, impl)
    ref = mlp(name, "eager")
    h = torch.autograd.functional.hessian(lambda t: model(t).sum(), X[0])
    torch.testing.assert_close(h, torch.autograd.functional.hessian(lambda t: ref(t).sum(), X[0]))


def test_double_backward_through_the_fused_glu(impl):
    def penalty(model):
        x = X.clone().requires_grad_()
        (gx,) = torch.autograd.grad(model(x).square().sum(), x, create_graph=True)
        return torch.autograd.grad(gx.square().sum(), [*model.parameters(), x])

    for gate in ("silu", "drelu"):
        assert_same(list(penalty(gated(gate, impl))), list(penalty(gated(gate, "eager"))))
