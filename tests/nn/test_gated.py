"""Gated and plain feed-forward blocks."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

import actlab
from actlab.nn import FFN, DReLU, GatedFFN, default_d_ff


def _count(m: torch.nn.Module) -> int:
    return sum(p.numel() for p in m.parameters())


def test_default_gated_ffn_has_the_parameters_of_ffn_768_3072():
    gated, plain = GatedFFN(768), FFN(768, 3072)
    assert gated.d_ff == 2048
    assert _count(gated) == _count(plain) == 2 * 768 * 3072 == 4_718_592
    assert _count(GatedFFN(768, fused=True)) == _count(plain)


@pytest.mark.parametrize("d_model,d_ff", [(768, 2048), (512, 1408), (1024, 2752), (4096, 10944), (96, 256)])
def test_default_d_ff_rounds_up_two_thirds_of_4d_to_64(d_model, d_ff):
    assert default_d_ff(d_model) == d_ff
    assert d_ff % 64 == 0 and d_ff >= 8 * d_model / 3 > d_ff - 64
    if d_model == 4096:
        assert default_d_ff(4096, multiple_of=256) == 11008  # LLaMA-7B rounds to a multiple of 256


REFERENCE_GATES = {
    "sigmoid": torch.sigmoid,  # GLU
    "identity": lambda t: t,  # Bilinear
    "relu": F.relu,  # ReGLU
    "gelu": F.gelu,  # GEGLU
    "silu": F.silu,  # SwiGLU
}


@pytest.mark.parametrize("gate", sorted(REFERENCE_GATES))
def test_glu_variants_compute_shazeers_formula(gate):
    torch.manual_seed(0)
    ffn = GatedFFN(16, 24, gate=gate, bias=True).double()
    x = torch.randn(5, 16, dtype=torch.float64)
    g = REFERENCE_GATES[gate](x @ ffn.gate_proj.weight.T + ffn.gate_proj.bias)
    u = x @ ffn.up_proj.weight.T + ffn.up_proj.bias
    torch.testing.assert_close(ffn(x), (g * u) @ ffn.down_proj.weight.T + ffn.down_proj.bias)


def test_drelu_is_relu_on_both_branches():
    torch.manual_seed(0)
    ffn = GatedFFN(8, 16, gate="drelu").double()
    x = torch.randn(32, 8, dtype=torch.float64)
    h = F.relu(x @ ffn.gate_proj.weight.T) * F.relu(x @ ffn.up_proj.weight.T)
    torch.testing.assert_close(ffn.hidden(x), h)
    # sparser than ReGLU: zero wherever either branch is negative
    assert (ffn.hidden(x) == 0).float().mean() > 0.6
    d = DReLU()
    torch.testing.assert_close(d(torch.tensor([[-1.0, 2.0, 3.0, 4.0]])), torch.tensor([[0.0, 8.0]]))
    assert isinstance(actlab.get("turbo_drelu"), DReLU)
    with pytest.raises(actlab.AmbiguousActivationError, match="turbo_drelu"):
        actlab.get("DReLU")  # also the dynamic and the dual ReLU


def test_fused_projection_is_the_same_function():
    torch.manual_seed(0)
    a = GatedFFN(12, 20, gate="gelu", bias=True)
    b = GatedFFN(12, 20, gate="gelu", bias=True, fused=True)
    with torch.no_grad():
        b.gate_up_proj.weight.copy_(torch.cat([a.gate_proj.weight, a.up_proj.weight]))
        b.gate_up_proj.bias.copy_(torch.cat([a.gate_proj.bias, a.up_proj.bias]))
        b.down_proj.load_state_dict(a.down_proj.state_dict())
    x = torch.randn(4, 3, 12)
    torch.testing.assert_close(b(x), a(x))


def test_expanded_gates_learn_alpha_and_cats_gate():
    ffn = GatedFFN(8, 16, gate="xsilu")
    assert [n for n, _ in ffn.act.named_parameters()] == ["alpha"]  # learned, as in the paper
    fixed = GatedFFN(8, 16, gate="xsilu", trainable_gate=False)
    assert not list(fixed.act.parameters())
    x = torch.randn(4, 8)
    ffn(x).sum().backward()
    assert ffn.act.alpha.grad is not None and ffn.act.alpha.grad.abs() > 0
    cats = GatedFFN(8, 16, gate="cats")
    assert isinstance(cats.act, actlab.nn.CATS)
    with pytest.raises(actlab.UnknownActivationError):
        GatedFFN(8, gate="nope")


@pytest.mark.parametrize("gate", ["silu", "gelu", "drelu"])
def test_fused_glu_backend_matches_eager(gate):
    torch.manual_seed(0)
    eager = GatedFFN(8, 16, gate=gate, impl="eager")
    lean = GatedFFN(8, 16, gate=gate, impl="lean")
    lean.load_state_dict(eager.state_dict())
    x = torch.randn(4, 8, requires_grad=True)
    y1, y2 = eager(x), lean(x)
    torch.testing.assert_close(y2, y1, rtol=1e-6, atol=1e-6)
    (g1,) = torch.autograd.grad(y1.sum(), x)
    (g2,) = torch.autograd.grad(y2.sum(), x)
    torch.testing.assert_close(g2, g1, rtol=1e-5, atol=1e-6)


def test_gate_and_act_can_be_modules():
    ffn = GatedFFN(8, 16, gate=actlab.get("leaky_relu", negative_slope=0.2))
    assert ffn.gate_name == "leaky_relu"
    ffn = GatedFFN(8, 16, gate=DReLU())
    x = torch.randn(3, 8)
    h = F.relu(ffn.gate_proj(x)) * F.relu(ffn.up_proj(x))
    torch.testing.assert_close(ffn.hidden(x), h)
    assert FFN(8, act=actlab.nn.HeLU()).act_name == "helu"


def test_plain_ffn():
    torch.manual_seed(0)
    ffn = FFN(8, act="gelu").double()
    assert ffn.d_ff == 32
    x = torch.randn(3, 8, dtype=torch.float64)
    torch.testing.assert_close(ffn(x), F.gelu(x @ ffn.up_proj.weight.T) @ ffn.down_proj.weight.T)


def test_gated_ffn_compiles_with_inductor():
    """The one real code-generating compile of the nn tests (about 20 s on 2 CPU cores)."""
    torch.manual_seed(0)
    ffn = GatedFFN(16, 32, gate="silu")
    x = torch.randn(4, 16, requires_grad=True)
    torch._dynamo.reset()
    compiled = torch.compile(ffn, backend="inductor", fullgraph=True)
    y = compiled(x)
    torch.testing.assert_close(y, ffn(x), rtol=1e-5, atol=1e-6)
    (g,) = torch.autograd.grad(y.sum(), x)
    (g_ref,) = torch.autograd.grad(ffn(x).sum(), x)
    torch.testing.assert_close(g, g_ref, rtol=1e-5, atol=1e-6)
