"""GLU ``gate(a) * up(b)`` through the lean backend, and the fused path of ``GatedFFN``."""

from __future__ import annotations

import pytest
import torch

from actlab.catalog.registry import REGISTRY
from actlab.kernels.dispatch import glu
from tests.kernels.conftest import DTYPE_IDS, DTYPES, SavedBytes, check_close

GATES = [
    g for g in ("silu", "gelu", "gelu_tanh", "relu", "sigmoid", "golu", "xsilu", "identity") if g in REGISTRY
]


@pytest.mark.parametrize("dtype", DTYPES, ids=DTYPE_IDS)
@pytest.mark.parametrize("up", [None, "relu"], ids=["glu", "double-act"])
@pytest.mark.parametrize("gate", GATES)
def test_lean_glu_matches_eager_and_saves_only_inputs(gate, up, dtype):
    gen = torch.Generator().manual_seed(0)
    a = (torch.randn(5, 37, generator=gen, dtype=torch.float64) * 2).to(dtype).requires_grad_()
    b = torch.randn(5, 37, generator=gen, dtype=torch.float64).to(dtype).requires_grad_()
    do = torch.randn(5, 37, generator=gen, dtype=torch.float64).to(dtype)
    with SavedBytes() as saved:
        o = glu(gate, a, b, up=up, impl="lean")
    assert saved.total == 2 * a.numel() * a.element_size()
    da, db = torch.autograd.grad(o, (a, b), do)
    # reference: the plain expression computed in fp32 (fp64 for fp64), rounded once
    ct = torch.float64 if dtype == torch.float64 else torch.float32
    ac, bc = a.detach().to(ct).requires_grad_(), b.detach().to(ct).requires_grad_()
    oc = REGISTRY[gate].fn(ac, **REGISTRY[gate].defaults) * (bc if up is None else torch.relu(bc))
    dac, dbc = torch.autograd.grad(oc, (ac, bc), do.to(ct))
    check_close(o, oc.to(dtype), dtype, "value")
    check_close(da, dac.to(dtype), dtype, "da")
    check_close(db, dbc.to(dtype), dtype, "db")


def test_glu_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="same shape"):
        glu("relu", torch.randn(3, 4), torch.randn(3, 5))


@pytest.mark.parametrize("gate", [g for g in ("silu", "relu", "drelu") if g in REGISTRY or g == "drelu"])
def test_gated_ffn_fused_path_matches_eager(gate):
    from actlab.nn.gated import GatedFFN

    torch.manual_seed(0)
    eager = GatedFFN(16, 32, gate=gate, impl="eager", fused=True)
    lean = GatedFFN(16, 32, gate=gate, impl="lean", fused=True)
    lean.load_state_dict(eager.state_dict())
    x = torch.randn(3, 5, 16)
    ye, yl = eager(x), lean(x)
    torch.testing.assert_close(yl, ye)
    ge = torch.autograd.grad(ye.sum(), list(eager.parameters()))
    gl = torch.autograd.grad(yl.sum(), list(lean.parameters()))
    for a, b in zip(gl, ge):
        torch.testing.assert_close(a, b)
    with SavedBytes() as s_eager:
        eager.hidden(x)
    with SavedBytes() as s_lean:
        lean.hidden(x)
    assert s_lean.total < s_eager.total


def test_fused_glu_steps_aside_for_hooks_so_probes_see_the_gate():
    import actlab
    from actlab.nn import GatedFFN
    from actlab.nn.gated import fused_glu

    torch.manual_seed(0)
    ffn = GatedFFN(8, 16, gate="silu", impl="lean")
    a, b = torch.randn(4, 16), torch.randn(4, 16)
    assert fused_glu(ffn.act, a, b) is not None  # fusable when nothing observes the gate
    x = torch.randn(4, 8)
    with torch.no_grad(), actlab.probe(ffn, [ffn.act]) as p:
        assert fused_glu(ffn.act, a, b) is None
        y = ffn(x)
    means = [r["value"] for r in p.rows() if r["metric"] == "mean"]
    with torch.no_grad():
        expected = torch.nn.functional.silu(ffn.gate_proj(x))
        assert means == pytest.approx([expected.mean().item()], rel=1e-5, abs=1e-7)
        torch.testing.assert_close(y, ffn.down_proj(expected * ffn.up_proj(x)))
