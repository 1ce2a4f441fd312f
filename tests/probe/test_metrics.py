"""Probe metrics on constructed inputs whose answers are known exactly."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from torch import nn

import actlab
from actlab.probe import METRICS
from actlab.probe.metrics import CETTAccumulator


def _feed(model: nn.Module, batches, **kw):
    with actlab.probe(model, **kw) as p:
        for b in batches:
            model(b)
    return p


def test_zero_and_near_zero_fraction_exact():
    x1 = torch.tensor([[-1.0, 0.0, 2.0, 5e-4, -3.0], [1.0, 1e-4, -2e-4, 0.5, 2e-3]])
    x2 = torch.tensor([[0.0, 0.0, 0.0, 7.0, -1.0]])
    p = _feed(nn.Sequential(nn.ReLU()), [x1, x2])
    m = p.table()["0"]
    # ReLU zeros: x1 has -1, 0, -3, -2e-4 -> 4; x2 has 0, 0, 0, -1 -> 4; total 8 of 15
    assert m["zero_fraction"] == 8 / 15
    # near zero (|a| <= 1e-3) adds the positive 5e-4 and 1e-4 -> 10 of 15
    assert m["near_zero_fraction"] == 10 / 15
    assert p.stats["0"].numel == 15 and p.stats["0"].calls == 2


def test_mean_var_and_histogram_match_the_concatenated_data():
    torch.manual_seed(0)
    batches = [torch.randn(7, 5) * 2 + 0.3 for _ in range(4)]
    p = _feed(nn.Sequential(nn.Identity()), batches, modules=nn.Identity, hist_range=(-4, 4), hist_bins=16)
    p2 = _feed(nn.Sequential(nn.LeakyReLU(1.0)), batches)  # identity through an activation module
    allx = torch.cat([b.flatten() for b in batches]).double()
    for probe_ in (p, p2):
        m = probe_.table()["0"]
        assert m["mean"] == pytest.approx(float(allx.mean()), rel=1e-12, abs=1e-12)
        assert m["var"] == pytest.approx(float(allx.var(unbiased=False)), rel=1e-10)
    h = p.details()["layers"]["0"]["histogram"]
    counts, _ = np.histogram(allx.numpy(), bins=np.linspace(-4, 4, 17))
    inside = ((allx >= -4) & (allx < 4)).sum().item()
    assert sum(h["counts"]) == inside  # bins are [lo, hi)
    assert np.array_equal(np.asarray(h["counts"]), counts)  # edges are exact binary fractions
    assert h["underflow"] == int((allx < -4).sum()) and h["overflow"] == int((allx >= 4).sum())


def test_dead_neuron_by_construction_mlp_and_conv():
    lin = nn.Linear(4, 6)
    with torch.no_grad():
        lin.weight.copy_(torch.rand(6, 4) + 0.1)
        lin.bias.fill_(0.5)
        lin.weight[2].zero_()
        lin.bias[2] = -1.0  # neuron 2 outputs relu(-1) = 0 for every input
    mlp = nn.Sequential(lin, nn.ReLU())
    p = _feed(mlp, [torch.rand(8, 4) for _ in range(3)])
    assert p.table()["1"]["dead_rate"] == pytest.approx(1 / 6)
    assert p.details()["layers"]["1"]["dead_neurons"] == {6: [2]}

    conv = nn.Conv2d(2, 5, 3, padding=1)
    with torch.no_grad():
        conv.weight.copy_(torch.rand_like(conv.weight) + 0.1)
        conv.bias.fill_(0.1)
        conv.weight[3].zero_()
        conv.bias[3] = -2.0  # channel 3 dead; with NCHW the neuron axis is dim 1 by default
    net = nn.Sequential(conv, nn.ReLU())
    p = _feed(net, [torch.rand(2, 2, 6, 6) for _ in range(2)])
    assert p.table()["1"]["dead_rate"] == pytest.approx(1 / 5)
    assert p.details()["layers"]["1"]["dead_neurons"] == {5: [3]}
    # the same data read with the last axis as neurons: every width position is active somewhere
    p = _feed(net, [torch.rand(2, 2, 6, 6)], neuron_dim=-1)
    assert p.table()["1"]["dead_rate"] == 0.0


def test_dead_needs_to_be_inactive_on_every_batch():
    act = nn.Sequential(nn.ReLU())
    b1 = torch.tensor([[1.0, -1.0, -1.0]])
    b2 = torch.tensor([[-1.0, 2.0, -1.0]])
    assert _feed(act, [b1]).table()["0"]["dead_rate"] == pytest.approx(2 / 3)
    assert _feed(act, [b1, b2]).table()["0"]["dead_rate"] == pytest.approx(1 / 3)


def test_planted_massive_activation_and_its_position():
    torch.manual_seed(1)
    x = torch.randn(2, 16, 32)  # median |x| ≈ 0.67
    x[1, 5, 7] = 5000.0  # > max(1000 * median, 100): massive
    x[0, 3, 2] = -2500.0  # negative values count by magnitude
    x[0, 9, 9] = 500.0  # > floor but < 1000 * median: not massive
    p = _feed(nn.Sequential(nn.LeakyReLU(1.0)), [torch.randn(2, 16, 32), x])
    m = p.table()["0"]
    assert m["massive_count"] == 2.0
    pos = p.details()["layers"]["0"]["massive_positions"]
    assert pos == [
        {"call": 1, "index": [1, 5, 7], "value": 5000.0},
        {"call": 1, "index": [0, 3, 2], "value": -2500.0},
    ]
    # a lower ratio makes the 500 massive too; a higher floor removes all but 5000
    assert _feed(nn.Sequential(nn.LeakyReLU(1.0)), [x], massive_ratio=100).table()["0"]["massive_count"] == 3
    assert _feed(nn.Sequential(nn.LeakyReLU(1.0)), [x], massive_floor=3000).table()["0"]["massive_count"] == 1


def _cett_bruteforce(a: np.ndarray, w: np.ndarray | None, grid: list[float], target: float):
    """Independent reference: loops over tokens and thresholds (float64)."""
    if w is None:
        w = np.eye(a.shape[1])
    mags = np.abs(a) * np.linalg.norm(w, axis=0)
    cetts = []
    for g in grid:
        vals = []
        for t in range(a.shape[0]):
            keep = mags[t] <= g
            full = np.linalg.norm(w @ a[t])
            trunc = np.linalg.norm(w @ (a[t] * keep))
            vals.append(0.0 if full == 0 and trunc == 0 else trunc / full)
        cetts.append(np.mean(vals))
    k = -1
    for c in cetts:
        if c > target:
            break
        k += 1
    if k < 0:
        return float((mags == 0).mean()), 0.0
    return float((mags <= grid[k]).mean()), grid[k]


def test_threshold_sparsity_hand_computed():
    a = torch.tensor([[4.0, 3.0, 0.0, 0.0], [0.0, 0.0, 3.0, 4.0]])  # each token: ‖a‖ = 5
    grid = torch.tensor([0.5, 3.5, 10.0])
    acc = CETTAccumulator(grid.double(), 0.2)
    acc.update(a)
    # CETT(0.5) = 0, CETT(3.5) = 3/5 = 0.6 > 0.2 -> threshold 0.5 removes the two zeros
    assert acc.result() == (0.5, 0.5)
    acc = CETTAccumulator(grid.double(), 0.7)
    acc.update(a)
    assert acc.result() == (0.75, 3.5)  # the 3s go too
    assert acc.curve()["cett"] == pytest.approx([0.0, 0.6, 1.0])
    acc = CETTAccumulator(torch.tensor([10.0]).double(), 0.5)
    acc.update(a)
    assert acc.result() == (0.5, 0.0)  # no grid value qualifies: threshold 0, zeros only


@pytest.mark.parametrize("with_weight", [False, True])
def test_threshold_sparsity_against_bruteforce(with_weight):
    g = torch.Generator().manual_seed(3)
    grid = torch.logspace(-3, 1, 33, dtype=torch.float64)
    w = torch.randn(5, 12, generator=g) if with_weight else None
    acc = CETTAccumulator(grid, 0.2)
    chunks = []
    for _ in range(3):  # streamed over several batches
        a = torch.relu(torch.randn(10, 12, generator=g)) ** 2 * torch.rand(10, 12, generator=g)
        chunks.append(a)
        acc.update(a, w)
    a_all = torch.cat(chunks).double().numpy()
    ref = _cett_bruteforce(a_all, None if w is None else w.double().numpy(), grid.tolist(), 0.2)
    got = acc.result()
    assert got[0] == pytest.approx(ref[0], abs=1e-12) and got[1] == pytest.approx(ref[1])
    assert 0 < got[0] < 1


def test_threshold_sparsity_uses_the_following_linear_layer():
    torch.manual_seed(0)

    class FFN(nn.Module):
        def __init__(self):
            super().__init__()
            self.up = nn.Linear(6, 16)
            self.act = nn.GELU()
            self.down_proj = nn.Linear(16, 6)

        def forward(self, x):
            return self.down_proj(self.act(self.up(x)))

    ffn = FFN()
    seen = []
    h = ffn.down_proj.register_forward_pre_hook(lambda m, a: seen.append(a[0].detach().clone()))
    grid = torch.logspace(-4, 1, 41, dtype=torch.float64)
    p = _feed(ffn, [torch.randn(3, 5, 6) for _ in range(2)], threshold_grid=grid)
    h.remove()
    d = p.details()["layers"]["act"]
    assert d["threshold_basis"] == "linear:down_proj"
    a = torch.cat([s.reshape(-1, 16) for s in seen]).double().numpy()
    ref = _cett_bruteforce(a, ffn.down_proj.weight.detach().double().numpy(), grid.tolist(), 0.2)
    assert d["threshold_sparsity"] == pytest.approx(ref[0], abs=1e-12)
    assert d["threshold"] == pytest.approx(ref[1])
    # without followers the activation itself is the basis, which gives a different value here
    p2 = _feed(ffn, [torch.randn(3, 5, 6)], followers=None)
    assert p2.details()["layers"]["act"]["threshold_basis"] == "activation"


def test_rows_have_the_seven_metrics_per_layer_in_order():
    net = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 4), nn.Tanh())
    p = _feed(net, [torch.randn(2, 3)])
    rows = p.rows()
    assert [r["layer"] for r in rows] == ["1"] * 7 + ["3"] * 7
    assert [r["metric"] for r in rows[:7]] == list(METRICS) == [
        "zero_fraction", "near_zero_fraction", "threshold_sparsity", "dead_rate", "massive_count",
        "mean", "var",
    ]
    assert all(isinstance(r["value"], float) and not math.isnan(r["value"]) for r in rows)


def test_default_histogram_bins_are_symmetric_log():
    x = torch.tensor([[0.0, 5e-5, -5e-5, 0.5, -0.5, 2e3, -2e3, 999.0]])
    p = _feed(nn.Sequential(nn.LeakyReLU(1.0)), [x])
    h = p.details()["layers"]["0"]["histogram"]
    edges, counts = np.asarray(h["edges"]), np.asarray(h["counts"])
    assert len(edges) == 115 and edges[57] == 0.0
    assert edges[58] == pytest.approx(1e-4) and edges[-1] == pytest.approx(1e3)
    assert counts[57] == 2 and counts[56] == 1  # [0, 1e-4) holds 0 and 5e-5; [-1e-4, 0) holds -5e-5
    half = int(np.searchsorted(edges, 0.5, side="right")) - 1  # the bin [lo, hi) holding 0.5
    assert counts[half] == 1 and edges[half] <= 0.5 < edges[half + 1]
    assert counts[-1] == 1  # 999 in the last bin
    assert h["underflow"] == 1 and h["overflow"] == 1 and counts.sum() == 6
