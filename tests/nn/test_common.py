"""Checks every actlab.nn module must pass: gradients reach every parameter, a short training loop
lowers the loss on a toy problem, state_dict round-trips, fp32/bf16 on CPU, and torch.compile.

Each case builds a small model around the module and a toy regression problem whose target is a
fixed random "teacher" function; the student must reduce its mean squared error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
import torch
from torch import nn

import actlab
from actlab import nn as anl


class Around(nn.Module):
    """Linear → module → Linear, so every module sits inside a trainable network."""

    def __init__(self, act: nn.Module, d_in: int = 8, width: int = 16, d_out: int = 1):
        super().__init__()
        self.inp, self.act, self.out = nn.Linear(d_in, width), act, nn.Linear(width, d_out)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.out(self.act(self.inp(x)))


class ConvAround(nn.Module):
    def __init__(self, act: nn.Module, c: int = 4):
        super().__init__()
        self.inp, self.act, self.out = nn.Conv2d(1, c, 3, padding=1), act, nn.Conv2d(c, 1, 3, padding=1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.out(self.act(self.inp(x)))


@dataclass
class Case:
    build: Callable[[], nn.Module]
    x_shape: tuple[int, ...] = (64, 8)
    y_dim: int = 1
    lr: float = 1e-2
    bf16_rtol: float = 0.1


def _ffn(**kw) -> nn.Module:
    class M(nn.Module):
        def __init__(self):
            super().__init__()
            self.ffn = anl.GatedFFN(8, 32, **kw)
            self.head = nn.Linear(8, 1)

        def forward(self, x):
            return self.head(self.ffn(x))

    return M()


CASES: dict[str, Case] = {
    "learnable_prelu": Case(
        lambda: Around(actlab.get("prelu", trainable=True, num_parameters=16, channel_dim=-1))
    ),
    "learnable_snake_log": Case(lambda: Around(actlab.get("snake", trainable=True, log_scale=True))),
    "learnable_elephant": Case(lambda: Around(actlab.get("elephant", trainable=True))),
    "learnable_aglu": Case(lambda: Around(actlab.get("aglu", trainable=True))),
    "learnable_xsilu": Case(lambda: Around(actlab.get("xsilu", trainable=True))),
    "learnable_aptx": Case(lambda: Around(actlab.get("aptx", trainable=True))),
    "learnable_crrelu": Case(lambda: Around(actlab.get("crrelu", trainable=True))),
    "velu": Case(lambda: Around(actlab.get("velu", trainable=True))),
    "pau": Case(lambda: Around(anl.PAU())),
    "gated_ffn_swiglu": Case(lambda: _ffn(gate="silu")),
    "gated_ffn_fused_xgelu": Case(lambda: _ffn(gate="xgelu", fused=True)),
    "gated_ffn_drelu": Case(lambda: _ffn(gate="drelu", bias=True)),
    "ffn": Case(lambda: nn.Sequential(anl.FFN(8, 32, act="gelu"), nn.Linear(8, 1))),
    "helu": Case(lambda: Around(actlab.get("helu"))),
    "stochastic": Case(lambda: Around(actlab.get("stochastic", p=0.5, seed=0))),
    "cats": Case(lambda: Around(actlab.get("cats", threshold=0.05))),
    "topk": Case(lambda: Around(actlab.get("topk", k=6))),
    "statistical_topk": Case(lambda: Around(actlab.get("statistical_topk", k=6))),
    "smart_mixed": Case(lambda: Around(actlab.get("smart_mixed", num_features=16))),
    "xunit": Case(
        lambda: ConvAround(actlab.get("xunit", num_features=4, kernel_size=3)), x_shape=(8, 1, 8, 8)
    ),
    "kan": Case(lambda: nn.Sequential(anl.KANLinear(8, 6), anl.KANLinear(6, 1))),
    "catalog_kan": Case(lambda: nn.Sequential(anl.CatalogKANLinear(8, 6), anl.CatalogKANLinear(6, 1))),
    "matrix": Case(lambda: Around(anl.MatrixActivation(16, breakpoints=(-1.0, 0.0, 1.0)))),
}
NAMES = sorted(CASES)


def _data(case: Case, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(case.x_shape, generator=g)
    torch.manual_seed(1000 + seed)
    teacher = case.build()
    with torch.no_grad():
        teacher.eval()
        y = teacher(x) * 2.0 + torch.sin(3 * x.mean(dim=-1, keepdim=True)).expand_as(teacher(x))
    return x, y


def _model(case: Case, seed: int = 0) -> nn.Module:
    torch.manual_seed(seed)
    return case.build()


@pytest.mark.parametrize("name", NAMES)
def test_every_parameter_gets_a_gradient(name):
    case = CASES[name]
    model = _model(case)
    model.train()
    x, y = _data(case)
    loss = (model(x) - y).pow(2).mean()
    loss.backward()
    act_params = (
        dict(model.act.named_parameters()) if hasattr(model, "act") else dict(model.named_parameters())
    )
    missing = [n for n, p in act_params.items() if p.requires_grad and p.grad is None]
    assert not missing, f"{name}: no gradient for {missing}"
    for n, p in model.named_parameters():
        if p.grad is not None:
            assert torch.isfinite(p.grad).all(), f"{name}: non-finite gradient of {n}"
    nonzero = [n for n, p in act_params.items() if p.grad is not None and p.grad.abs().sum() > 0]
    if act_params:
        assert nonzero, f"{name}: every module gradient is zero"


@pytest.mark.parametrize("name", NAMES)
def test_training_lowers_the_loss(name):
    case = CASES[name]
    model = _model(case)
    x, y = _data(case)
    opt = torch.optim.Adam(model.parameters(), lr=case.lr)
    model.train()
    losses = []
    for _ in range(60):
        opt.zero_grad()
        loss = (model(x) - y).pow(2).mean()
        if isinstance(getattr(model, "act", None), anl.VeLU):
            loss = loss + model.act.aux_loss()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert all(map(lambda v: v == v, losses)), f"{name}: NaN loss"
    first, last = sum(losses[:3]) / 3, sum(losses[-3:]) / 3
    assert last < 0.7 * first, f"{name}: loss {first:.4g} -> {last:.4g}"


@pytest.mark.parametrize("name", NAMES)
def test_state_dict_round_trip(name):
    case = CASES[name]
    a = _model(case, seed=1)
    x, y = _data(case)
    # move the module away from its initial state first
    opt = torch.optim.SGD(a.parameters(), lr=1e-2)
    a.train()
    (a(x) - y).pow(2).mean().backward()
    opt.step()
    b = _model(case, seed=2)
    b.load_state_dict(a.state_dict())
    a.eval(), b.eval()
    with torch.no_grad():
        torch.testing.assert_close(b(x), a(x), rtol=0, atol=0)


@pytest.mark.parametrize("name", NAMES)
def test_bf16_matches_fp32(name):
    case = CASES[name]
    model = _model(case).eval()
    x, _ = _data(case)
    with torch.no_grad():
        ref = model(x)
        out = model.to(torch.bfloat16)(x.to(torch.bfloat16))
    assert out.dtype == torch.bfloat16
    assert torch.isfinite(out.float()).all()
    err = (out.float() - ref).abs().max() / ref.abs().max().clamp_min(1e-3)
    assert err < case.bf16_rtol, f"{name}: bf16 relative error {float(err):.3g}"


@pytest.mark.parametrize("name", NAMES)
def test_torch_compile_traces(name):
    """Every module traces under TorchDynamo (backend "eager": graph capture without codegen);
    real code generation is tested once, on the gated FFN, in test_gated.py."""
    case = CASES[name]
    model = _model(case).eval()
    x, _ = _data(case)
    torch._dynamo.reset()
    compiled = torch.compile(model, backend="eager")
    with torch.no_grad():
        torch.testing.assert_close(compiled(x), model(x), rtol=1e-5, atol=1e-6)
