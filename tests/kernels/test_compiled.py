"""The compiled backend (torch.compile of the lean function): few, small cases (a compile is slow)."""

from __future__ import annotations

import pytest
import torch

from actlab.catalog.registry import REGISTRY
from actlab.kernels.dispatch import apply, glu, kernels_for
from actlab.kernels.lean import packed_size
from tests.kernels.conftest import SavedBytes, check_close, declared_grad, inputs

CASES = [n for n in ("golu", "relu") if n in REGISTRY]  # one composite, one of the mask family


@pytest.mark.parametrize("name", CASES)
def test_compiled_values_grads_and_saved_bytes(name):
    spec = REGISTRY[name]
    params = spec.defaults
    x, dy = inputs(spec, torch.float32, n=1001)
    kernels_for("compiled", spec, params, x.dtype, x.device)
    y = apply(spec, params, x, "compiled")  # first call compiles forward
    (g,) = torch.autograd.grad(y, x, dy)  # ... and backward
    check_close(y, spec(x.detach()), torch.float32, f"{name} value")
    check_close(g, declared_grad(spec, params, x, dy), torch.float32, f"{name} grad")
    with SavedBytes() as saved:
        y = apply(spec, params, x, "compiled")
    expected = packed_size(x.numel()) if spec.grad_mask is not None else x.numel() * 4
    assert saved.total == expected
    # another size reuses the compiled code (dynamic shapes) and stays correct
    x2, dy2 = inputs(spec, torch.float32, n=77, seed=1)
    (g2,) = torch.autograd.grad(apply(spec, params, x2, "compiled"), x2, dy2)
    check_close(g2, declared_grad(spec, params, x2, dy2), torch.float32, f"{name} grad, n=77")


def test_compiled_glu():
    gate = next(g for g in ("silu", "gelu_tanh", "golu") if g in REGISTRY)
    h = torch.randn(4, 2 * 50, requires_grad=True)
    a, b = h.chunk(2, dim=-1)
    do = torch.randn(4, 50)
    (dh,) = torch.autograd.grad(glu(gate, a, b, impl="compiled"), h, do)
    (dhe,) = torch.autograd.grad(glu(gate, a, b, impl="eager"), h, do)
    check_close(dh, dhe, torch.float32, "compiled glu grads")
