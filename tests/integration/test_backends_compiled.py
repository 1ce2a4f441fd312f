"""Drop-in with ``impl="compiled"`` (and ``auto`` choosing it): the failures issue 13 reported.

Few, small cases: each new graph compiles for seconds. One composite (golu) and one of the mask
family (relu), one input shape, so each activation compiles its forward and backward once.
"""

from __future__ import annotations

import json

import pytest
import torch
from torch.func import grad, vmap
from torch.utils.checkpoint import checkpoint

import actlab
from actlab.kernels import backend, dispatch
from tests.kernels.models import assert_same, grads, mlp

X = torch.randn(6, 8, dtype=torch.float32, generator=torch.Generator().manual_seed(6)) * 2
NAMES = ("golu", "relu")


@pytest.mark.parametrize("name", NAMES)
def test_first_compiled_call_under_a_data_ptr_hook(name):
    backend.clear_cache()  # so that this call builds and compiles the kernels
    model, ref = mlp(name, "compiled", torch.float32), mlp(name, "eager", torch.float32)

    def pack(t):
        t.data_ptr()  # raises on the fake tensors of a tracer
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        got = grads(model, X)
    assert_same(got, grads(ref, X))


@pytest.mark.parametrize("name", NAMES)
def test_compiled_under_checkpoint_save_on_cpu_and_double_backward(name):
    model, ref = mlp(name, "compiled", torch.float32), mlp(name, "eager", torch.float32)
    want = grads(ref, X)
    for reentrant in (False, True):
        x = X.clone().requires_grad_()
        model.zero_grad()
        checkpoint(model, x, use_reentrant=reentrant).square().sum().backward()
        assert_same([*[p.grad for p in model.parameters()], x.grad], want)
    with torch.autograd.graph.save_on_cpu():
        assert_same(grads(model, X), want)

    def penalty(m):
        x = X.clone().requires_grad_()
        (gx,) = torch.autograd.grad(m(x).square().sum(), x, create_graph=True)
        return torch.autograd.grad(gx.square().sum(), list(m.parameters()))

    assert_same(list(penalty(model)), list(penalty(ref)))


@pytest.mark.parametrize("name", NAMES)
def test_compiled_steps_aside_for_torch_func_and_export(name):
    model, ref = mlp(name, "compiled", torch.float32), mlp(name, "eager", torch.float32)
    torch.testing.assert_close(vmap(grad(lambda x: model(x).sum()))(X), vmap(grad(lambda x: ref(x).sum()))(X))
    torch.testing.assert_close(torch.export.export(model, (X,)).module()(X), ref(X))


def test_auto_choosing_compiled_for_a_large_input_inside_checkpoint(tmp_path, monkeypatch):
    """Issue 13: under the default impl="auto", >= 1M elements inside a non-reentrant checkpoint
    raised CheckpointError (a different number of tensors saved on recompute)."""
    table = {"cpu": {"min_numel": 2**20, "default": ["eager"], "dtypes": {"float32": {"golu": ["compiled"]}}}}
    path = tmp_path / "table.json"
    path.write_text(json.dumps({"devices": table}))
    monkeypatch.setenv("ACTLAB_AUTOTABLE", str(path))
    backend.clear_cache()
    dispatch._DECISIONS.clear()
    act, spec = actlab.get("golu"), actlab.describe("golu")
    x = torch.randn(2**20, generator=torch.Generator().manual_seed(7)).requires_grad_()
    assert actlab.kernels.choose(spec, spec.defaults, x) == "compiled"
    y = checkpoint(act, x, use_reentrant=False)
    (g,) = torch.autograd.grad(y.sum(), x)
    xr = x.detach().requires_grad_()
    (ref,) = torch.autograd.grad(spec(xr).sum(), xr)
    torch.testing.assert_close(g, ref)
