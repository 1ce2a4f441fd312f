"""TorchScript (issue 13, item 2): ``torch.jit.trace`` works in every backend (the traced graph
holds the plain expression) and ``torch.jit.script`` raises an error naming the ways that work."""

from __future__ import annotations

import io

import pytest
import torch

import actlab
from tests.kernels.models import IMPLS, gated, mlp, use_backend

pytestmark = pytest.mark.filterwarnings("ignore::FutureWarning")  # torch.jit.trace is deprecated
X = torch.randn(4, 8, dtype=torch.float64, generator=torch.Generator().manual_seed(0))


@pytest.fixture(params=IMPLS)
def impl(request, monkeypatch):
    use_backend(request.param, monkeypatch)
    return request.param


@pytest.mark.parametrize(
    "build",
    [lambda i: mlp("golu", i), lambda i: mlp("relu", i), lambda i: gated("silu", i)],
    ids=["golu", "relu", "swiglu"],
)
def test_jit_trace_save_load(build, impl):
    model = build(impl)
    traced = torch.jit.trace(model, X)
    kinds = {n.kind() for n in traced.inlined_graph.nodes()}
    assert not any(k.startswith("prim::PythonOp") for k in kinds), kinds  # no opaque autograd function
    buf = io.BytesIO()
    torch.jit.save(traced, buf)
    buf.seek(0)
    loaded = torch.jit.load(buf)
    x2 = torch.randn(7, 8, dtype=torch.float64)  # another batch size
    torch.testing.assert_close(loaded(x2), model(x2))
    xa, xb = x2.clone().requires_grad_(), x2.clone().requires_grad_()
    (ga,) = torch.autograd.grad(loaded(xa).sum(), xa)
    (gb,) = torch.autograd.grad(model(xb).sum(), xb)
    torch.testing.assert_close(ga, gb)


@pytest.mark.parametrize(
    "model",
    [
        lambda: mlp("golu", "auto"),
        lambda: gated("silu", "lean"),
        lambda: torch.nn.Sequential(actlab.get("relu", inplace=True)),
    ],
)
def test_jit_script_names_trace_and_export(model):
    with pytest.raises(RuntimeError, match=r"torch\.jit\.trace.*torch\.export"):
        torch.jit.script(model())
