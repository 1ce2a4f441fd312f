"""The fused GLU writing its gradients into its inputs' buffers (issue 15, item 3), and the
refusal when the inputs are still alive: held by Python code, leaves, or modified."""

from __future__ import annotations

import pytest
import torch
from torch import nn

import actlab
from actlab.kernels.dispatch import glu
from actlab.kernels.glu import GLUKernels

IMPLS = ["lean", "triton"]


@pytest.fixture(params=IMPLS)
def impl(request, monkeypatch):
    if request.param == "triton":
        pytest.importorskip("triton")
        monkeypatch.setenv("TRITON_INTERPRET", "1")
    return request.param


def _projections(seed: int = 0):
    torch.manual_seed(seed)
    return nn.Linear(6, 10).double(), nn.Linear(6, 10).double(), torch.randn(4, 6, dtype=torch.float64)


def _reference(gate_proj, up_proj, x):
    out = torch.nn.functional.silu(gate_proj(x)) * up_proj(x)
    return torch.autograd.grad(out.square().sum(), [*gate_proj.parameters(), *up_proj.parameters()])


def _grad_pointers(t: torch.Tensor, ptrs: dict, key: str) -> None:
    ptrs[key + "_input"] = t.data_ptr()  # an int: no reference to t is kept
    t.register_hook(lambda g: ptrs.__setitem__(key + "_grad", g.data_ptr()))


def test_dead_inputs_receive_their_gradients_in_place(impl):
    gate_proj, up_proj, x = _projections()
    ptrs: dict = {}

    def forward():
        a, b = gate_proj(x), up_proj(x)
        _grad_pointers(a, ptrs, "a")
        _grad_pointers(b, ptrs, "b")
        return glu("silu", a, b, impl=impl, inplace_grads=True)  # a and b die with this frame

    out = forward()
    got = torch.autograd.grad(out.square().sum(), [*gate_proj.parameters(), *up_proj.parameters()])
    for g, r in zip(got, _reference(gate_proj, up_proj, x)):
        torch.testing.assert_close(g, r)
    assert ptrs["a_grad"] == ptrs["a_input"] and ptrs["b_grad"] == ptrs["b_input"]


@pytest.mark.parametrize("held", ["input", "base"])
def test_refused_while_python_holds_an_input_or_its_base(impl, held):
    gate_proj, up_proj, x = _projections()
    both = nn.Linear(6, 20).double()
    with torch.no_grad():
        both.weight.copy_(torch.cat([gate_proj.weight, up_proj.weight]))
        both.bias.copy_(torch.cat([gate_proj.bias, up_proj.bias]))
    h = both(x)
    a, b = h.chunk(2, dim=-1)
    keep = a if held == "input" else h
    before = keep.detach().clone()
    ptrs: dict = {}
    _grad_pointers(a, ptrs, "a")
    out = glu("silu", a, b, impl=impl, inplace_grads=True)
    del a, b, h
    got = torch.autograd.grad(out.square().sum(), list(both.parameters()))
    ref = _reference(gate_proj, up_proj, x)
    torch.testing.assert_close(got[0], torch.cat([ref[0], ref[2]]))
    torch.testing.assert_close(got[1], torch.cat([ref[1], ref[3]]))
    torch.testing.assert_close(keep.detach(), before)  # what the caller holds is untouched
    assert ptrs["a_grad"] != ptrs["a_input"]


def test_refused_for_leaves_and_for_modified_inputs(impl):
    a = torch.randn(3, 5, requires_grad=True)
    b = torch.randn(3, 5, requires_grad=True)
    a0 = a.detach().clone()
    (da,) = torch.autograd.grad(glu("silu", a, b, impl=impl, inplace_grads=True).sum(), [a])
    torch.testing.assert_close(a.detach(), a0)
    gate_proj, up_proj, x = _projections()
    g, u = gate_proj(x), up_proj(x)
    out = glu("silu", g, u, impl=impl, inplace_grads=True)
    with torch.no_grad():
        g.mul_(1.0)  # a modification after the forward: autograd's own check reports it
    del g, u
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        out.sum().backward()


def test_another_node_that_saved_an_input_fails_loudly_or_reads_it_first():
    gate_proj, up_proj, x = _projections()
    g, u = gate_proj(x), up_proj(x)
    other = (g * g).sum()  # saves g; created first, so differentiated after the GLU
    out = glu("silu", g, u, impl="lean", inplace_grads=True)
    del g, u
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        (out.sum() + other).backward()
    # created after the GLU, the other node runs first and reads g before it is overwritten
    g, u = gate_proj(x), up_proj(x)
    out = glu("silu", g, u, impl="lean", inplace_grads=True)
    other = (g * g).sum()
    del g, u
    got = torch.autograd.grad(out.sum() + other, list(gate_proj.parameters()))
    g = gate_proj(x)
    want = torch.autograd.grad(
        (torch.nn.functional.silu(g) * up_proj(x)).sum() + (g * g).sum(), list(gate_proj.parameters())
    )
    for a, b in zip(got, want):
        torch.testing.assert_close(a, b)


def test_gated_ffn_uses_it_unless_a_projection_is_hooked(monkeypatch):
    calls = []
    real = GLUKernels.backward_into
    monkeypatch.setattr(GLUKernels, "backward_into", lambda self, *a: calls.append(1) or real(self, *a))
    torch.manual_seed(0)
    ffn = actlab.nn.GatedFFN(8, 16, gate="silu", impl="lean")
    ref = actlab.nn.GatedFFN(8, 16, gate="silu", impl="eager")
    ref.load_state_dict(ffn.state_dict())
    x = torch.randn(3, 8)
    got = torch.autograd.grad(ffn(x).sum(), list(ffn.parameters()))
    want = torch.autograd.grad(ref(x).sum(), list(ref.parameters()))
    for g, w in zip(got, want):
        torch.testing.assert_close(g, w)
    assert calls == [1]
    seen = []
    ffn.gate_proj.register_forward_hook(lambda m, i, o: seen.append(o))  # keeps the output alive
    ffn(x).sum().backward()
    assert calls == [1] and len(seen) == 1
