"""Small real models with actlab activations in each backend, for the drop-in tests.

``torchvision.ops.MLP`` and ``Conv2dNormActivation`` take an ``activation_layer`` factory, the
way torchvision's own models build theirs; ``actlab.nn.GatedFFN`` runs the fused GLU.
"""

from __future__ import annotations

import functools

import pytest
import torch
from torch import nn

import actlab

#: a representative set: mask family (relu, hardtanh), smooth (golu, gelu_tanh, mish),
#: parametrised (snake, leaky_relu, whose derivative is two-valued as well)
NAMES = ("relu", "hardtanh", "golu", "gelu_tanh", "mish", "snake", "leaky_relu")
#: backends that run on the CPU without compiling (triton under TRITON_INTERPRET=1)
IMPLS = ("eager", "lean", "auto", "triton")


def use_backend(impl: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Prepare the environment ``impl`` needs on the CPU (Triton's interpreter for ``triton``)."""
    if impl == "triton":
        pytest.importorskip("triton")
        monkeypatch.setenv("TRITON_INTERPRET", "1")


def mlp(name: str, impl: str, dtype: torch.dtype = torch.float64, seed: int = 0) -> nn.Module:
    """``MLP(8 → 16 → 16 → 4)`` with activation ``name`` through backend ``impl``."""
    from torchvision.ops import MLP

    torch.manual_seed(seed)
    layer = functools.partial(actlab.get, name, impl=impl)
    return MLP(8, [16, 16, 4], activation_layer=layer).to(dtype)


def convnet(name: str, impl: str, dtype: torch.dtype = torch.float32, seed: int = 0) -> nn.Module:
    """Two conv-BN-activation blocks (torchvision's ``Conv2dNormActivation``), pool, linear."""
    from torchvision.ops import Conv2dNormActivation

    torch.manual_seed(seed)
    layer = functools.partial(actlab.get, name, impl=impl)
    return nn.Sequential(
        Conv2dNormActivation(3, 8, activation_layer=layer),
        Conv2dNormActivation(8, 8, activation_layer=layer),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Linear(8, 3),
    ).to(dtype)


def gated(gate: str, impl: str, dtype: torch.dtype = torch.float64, seed: int = 0) -> nn.Module:
    """A SwiGLU-style block (``GatedFFN``, fused GLU) between two linear layers."""
    torch.manual_seed(seed)
    return nn.Sequential(
        nn.Linear(8, 8), actlab.nn.GatedFFN(8, 16, gate=gate, impl=impl), nn.Linear(8, 2)
    ).to(dtype)


def grads(model: nn.Module, *inputs: torch.Tensor) -> list[torch.Tensor | None]:
    """Gradients of ``model(*inputs).square().sum()`` w.r.t. its parameters and the inputs
    (by ``.backward()``, which reentrant checkpointing needs)."""
    ins = [t.detach().clone().requires_grad_(t.is_floating_point()) for t in inputs]
    model.zero_grad(set_to_none=True)
    model(*ins).square().sum().backward()
    return [t.grad for t in [*model.parameters(), *ins]]


def assert_same(got: list, ref: list, **tol: float) -> None:
    assert len(got) == len(ref)
    for g, r in zip(got, ref):
        if g is None or r is None:  # an unused input: None and zeros mean the same
            g = torch.zeros_like(r) if g is None else g
            r = torch.zeros_like(g) if r is None else r
        torch.testing.assert_close(g, r, **tol)
