"""Drop-in, part 3 (issue 13, item 1): every backend under ``torch.func``, ``torch.export``,
``torch.compile(fullgraph=True)`` and CPU bf16 autocast. Where a tracer or transform must see the
expression, the backends step aside to it (:mod:`actlab.kernels.context`): the result is eager's."""

from __future__ import annotations

import pytest
import torch
from torch.func import functional_call, grad, jacrev, vmap

from tests.kernels.models import IMPLS, NAMES, assert_same, gated, grads, mlp, use_backend

X = torch.randn(4, 8, dtype=torch.float64, generator=torch.Generator().manual_seed(3)) * 2


@pytest.fixture(params=IMPLS)
def impl(request, monkeypatch):
    use_backend(request.param, monkeypatch)
    return request.param


@pytest.mark.parametrize("name", NAMES)
def test_torch_func_grad_vmap_jacrev_functional_call(name, impl):
    model, ref = mlp(name, impl), mlp(name, "eager")
    params = {k: v.detach() for k, v in model.named_parameters()}

    def loss(m):
        return lambda p, x: functional_call(m, p, (x,)).square().sum()

    got, want = grad(loss(model))(params, X), grad(loss(ref))(params, X)
    for k in params:
        torch.testing.assert_close(got[k], want[k])
    per_sample = vmap(grad(loss(model), argnums=1), in_dims=(None, 0))(params, X)
    torch.testing.assert_close(per_sample, vmap(grad(loss(ref), argnums=1), in_dims=(None, 0))(params, X))
    torch.testing.assert_close(jacrev(model)(X[0]), jacrev(ref)(X[0]))
    torch.testing.assert_close(vmap(model)(X), ref(X))


def test_torch_func_through_the_fused_glu(impl):
    model, ref = gated("silu", impl), gated("silu", "eager")
    torch.testing.assert_close(jacrev(model)(X[0]), jacrev(ref)(X[0]))
    torch.testing.assert_close(vmap(model)(X), ref(X))


def _aten_only(gm: torch.fx.GraphModule) -> bool:
    return all(n.op != "call_function" or isinstance(n.target, torch._ops.OpOverload) for n in gm.graph.nodes)


@pytest.mark.parametrize("name", NAMES)
def test_torch_export(name, impl):
    model = mlp(name, impl)
    ep = torch.export.export(model, (X,))
    assert _aten_only(ep.graph_module)  # the expression, not an opaque autograd function
    torch.testing.assert_close(ep.module()(X), model(X))
    ep2 = torch.export.export(gated("silu", impl), (X,))
    torch.testing.assert_close(ep2.module()(X), gated("silu", "eager")(X))


@pytest.mark.parametrize("name", ["relu", "golu", "snake"])
def test_cpu_bf16_autocast(name, impl):
    """Linear layers run in bf16 under autocast, activations in whatever dtype reaches them."""
    model, ref = mlp(name, impl, torch.float32), mlp(name, "eager", torch.float32)
    x = X.float()
    with torch.autocast("cpu", dtype=torch.bfloat16):
        y, yr = model(x), ref(x)
    assert y.dtype == yr.dtype == torch.bfloat16
    torch.testing.assert_close(y, yr)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        got = grads(model, x)
        want = grads(ref, x)
    assert_same(got, want, rtol=2e-2, atol=2e-2)


@pytest.mark.parametrize(
    "build",
    [lambda: mlp("golu", "lean"), lambda: gated("silu", "auto")],
    ids=["mlp-golu-lean", "glu-silu-auto"],
)
def test_torch_compile_fullgraph_of_a_model(build):
    model, ref = build(), build()
    compiled = torch.compile(model, fullgraph=True)
    torch.testing.assert_close(compiled(X), ref(X))
    assert_same(grads(compiled, X), grads(ref, X))
