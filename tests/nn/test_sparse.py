"""CATS with threshold calibration, exact top-k, statistical top-k."""

from __future__ import annotations

import pytest
import torch
from torch import nn

import actlab
from actlab.nn import CATS, GatedFFN, StatisticalTopK, TopK, calibrate

silu_ref = actlab.functional.silu


def test_cats_zeroes_small_silu_values():
    x = torch.linspace(-6, 6, 1201)
    a = silu_ref(x)
    y = CATS(threshold=0.2)(x)
    assert torch.equal(y, torch.where(a.abs() >= 0.2, a, torch.zeros_like(a)))
    x = x.clone().requires_grad_(True)
    CATS(threshold=0.2)(x).sum().backward()
    xr = x.detach().clone().requires_grad_(True)
    (g_silu,) = torch.autograd.grad(silu_ref(xr).sum(), xr)
    torch.testing.assert_close(x.grad, torch.where(a.abs() >= 0.2, g_silu, torch.zeros_like(g_silu)))
    assert "threshold" in CATS().state_dict()
    with pytest.raises(ValueError, match="threshold"):
        CATS(threshold=-1.0)


class Blocks(nn.Module):
    """Two residual SwiGLU blocks with CATS gates, as in a transformer's FFN stack."""

    def __init__(self, d: int = 64):
        super().__init__()
        self.b1 = GatedFFN(d, 128, gate="cats")
        self.b2 = GatedFFN(d, 128, gate="cats")

    def forward(self, x):
        x = x + self.b1(x)
        return x + self.b2(x)


def _sparsity(model: nn.Module, x: torch.Tensor) -> dict[str, float]:
    out = {}
    hooks = [
        m.register_forward_hook(lambda mod, args, y, n=n: out.__setitem__(n, (y == 0).float().mean().item()))
        for n, m in model.named_modules()
        if isinstance(m, CATS)
    ]
    with torch.no_grad():
        model(x)
    for h in hooks:
        h.remove()
    return out


@pytest.mark.parametrize("method", ["histogram", "exact"])
@pytest.mark.parametrize("target", [0.5, 0.7, 0.9])
def test_calibration_hits_target_sparsity_on_held_out_gaussian_data(method, target):
    torch.manual_seed(0)
    model = Blocks()
    g = torch.Generator().manual_seed(1)
    train = [torch.randn(256, 64, generator=g) for _ in range(8)]
    held_out = torch.randn(4096, 64, generator=g)
    thresholds = calibrate(model, train, target, method=method, sequential=True)
    assert set(thresholds) == {"b1.act", "b2.act"} and all(t > 0 for t in thresholds.values())
    measured = _sparsity(model, held_out)
    for name, s in measured.items():
        assert abs(s - target) <= 0.01, f"{name}: sparsity {s:.4f} for target {target}"


def test_dense_calibration_hits_the_first_layer_and_restores_mode():
    torch.manual_seed(0)
    model = Blocks().train()
    g = torch.Generator().manual_seed(2)
    calibrate(model, (torch.randn(256, 64, generator=g) for _ in range(8)), 0.6)
    assert model.training
    measured = _sparsity(model, torch.randn(4096, 64, generator=g))
    assert abs(measured["b1.act"] - 0.6) <= 0.01  # fed by the input itself: exact target
    assert abs(measured["b2.act"] - 0.6) <= 0.02  # fed by a sparsified block (measured: 0.001 off)
    with pytest.raises(ValueError, match="no CATS"):
        calibrate(nn.Linear(2, 2), [torch.randn(1, 2)], 0.5)
    with pytest.raises(ValueError, match="target_sparsity"):
        calibrate(model, [], 1.0)


def test_topk_keeps_exactly_k_per_row_even_with_ties():
    x = torch.tensor([[1.0, 1.0, 1.0, 1.0, 1.0], [5.0, -1.0, 3.0, 3.0, 3.0], [0.5, 0.2, 0.9, -4.0, 0.9]])
    y = TopK(2)(x)
    assert ((y != 0).sum(dim=1) == 2).all()
    assert y[1, 0] == 5.0 and y[1, 2:].count_nonzero() == 1
    assert torch.equal(y[2], torch.tensor([0.0, 0.0, 0.9, 0.0, 0.9]))
    big = torch.randn(64, 512)
    kept = TopK(37)(big)
    assert ((kept != 0).sum(dim=1) == 37).all()
    assert torch.equal(kept.max(dim=1).values, big.max(dim=1).values)
    # gradient reaches the kept entries only; dim and post-activation
    xg = big.clone().requires_grad_(True)
    TopK(37)(xg).sum().backward()
    assert torch.equal(xg.grad != 0, kept != 0)
    cols = TopK(3, dim=0, act="relu")(big)
    assert ((cols != 0).sum(dim=0) <= 3).all() and (cols >= 0).all()
    with pytest.raises(ValueError, match="exceeds"):
        TopK(600)(big)


@pytest.mark.parametrize("soft", [True, False])
@pytest.mark.parametrize("d,k", [(4096, 256), (16384, 1024), (2048, 512)])
def test_statistical_topk_keeps_about_k_on_gaussian_rows(d, k, soft):
    g = torch.Generator().manual_seed(d + k)
    x = torch.randn(64, d, generator=g) * 3.0 + 1.5  # any mean and scale: the threshold adapts
    y = StatisticalTopK(k, soft=soft)(x)
    counts = (y > 0).sum(dim=1).float()
    assert abs(counts.mean().item() - k) <= 0.02 * k
    within = ((counts - k).abs() <= 0.1 * k).float().mean().item()
    assert within >= 0.9, f"only {within:.0%} of rows keep k ± 10 %"


def test_statistical_topk_threshold_formula():
    x = torch.randn(8, 1000, dtype=torch.float64)
    m = StatisticalTopK(50)
    from statistics import NormalDist

    z = NormalDist().inv_cdf(1 - 50 / 1000)
    theta = x.mean(dim=1, keepdim=True) + x.std(dim=1, correction=0, keepdim=True) * z
    torch.testing.assert_close(m.threshold(x), theta)
    torch.testing.assert_close(m(x), (x - theta).clamp_min(0))
    torch.testing.assert_close(StatisticalTopK(50, soft=False)(x), torch.where(x > theta, x, 0.0))
