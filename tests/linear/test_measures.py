"""Linearity scores and per-unit linearisability."""

from __future__ import annotations

import pytest
import torch
from torch import nn
from torch.nn import functional as F  # noqa: N812

import actlab
from actlab.linear import affine_fits, linearity_scores, procrustes_linearity, unit_linearisability


def test_procrustes_score_is_one_for_affine_maps_and_lower_for_bent_ones():
    g = torch.Generator().manual_seed(0)
    x = torch.randn(400, 6, generator=g, dtype=torch.float64)
    w = torch.randn(6, 5, generator=g, dtype=torch.float64)
    assert procrustes_linearity(x, x @ w + 3.0) == pytest.approx(1.0, abs=1e-12)
    q, _ = torch.linalg.qr(torch.randn(6, 6, generator=g, dtype=torch.float64))
    assert procrustes_linearity(x, x @ q, mapping="orthogonal") == pytest.approx(1.0, abs=1e-12)
    bent = procrustes_linearity(x, torch.relu(x @ w))
    assert 0.0 < bent < 0.95
    # scale does not matter (both sides are normalised), noise lowers the score
    assert procrustes_linearity(10 * x, x @ w) == pytest.approx(1.0, abs=1e-12)
    assert procrustes_linearity(x, x @ w + torch.randn(400, 5, generator=g, dtype=torch.float64)) < 0.99
    with pytest.raises(ValueError, match="mapping"):
        procrustes_linearity(x, x, mapping="affine")
    with pytest.raises(ValueError, match="equal widths"):
        procrustes_linearity(x, x @ w, mapping="orthogonal")


def test_layer_scores_of_a_sequential_model():
    torch.manual_seed(1)
    model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, 3)).eval()
    scores = linearity_scores(model, torch.randn(600, 4) * 2)
    assert set(scores) == {"0", "1", "2", "3", "4"}
    assert scores["0"] == pytest.approx(1.0, abs=1e-6) and scores["2"] == pytest.approx(1.0, abs=1e-6)
    assert scores["1"] < 0.99 and scores["3"] < 0.999
    with pytest.raises(LookupError, match="no module"):
        linearity_scores(model, torch.randn(10, 4), modules=["9"])


def test_affine_fits_recover_affine_units():
    z = torch.randn(500, 3, dtype=torch.float64)
    y = torch.stack([2 * z[:, 0] + 1, torch.relu(z[:, 1]), z[:, 2] ** 2], dim=1)
    a, b, share = affine_fits(z, y, 1)
    assert a[0] == pytest.approx(2.0) and b[0] == pytest.approx(1.0)
    assert share[0] == pytest.approx(0.0, abs=1e-12)
    assert 0 < share[1] < share[2] <= 1


def _trained(act: str, seed: int = 0):
    torch.manual_seed(seed)
    x = torch.randn(600, 2)
    y = ((x[:, 0] ** 2 + x[:, 1] ** 2) > 1.2).long()  # a disc: not linearly separable
    model = nn.Sequential(nn.Linear(2, 16), actlab.get(act), nn.Linear(16, 2))
    opt = torch.optim.Adam(model.parameters(), lr=0.02)
    for _ in range(300):
        opt.zero_grad()
        F.cross_entropy(model(x), y).backward()
        opt.step()
    return model.eval(), x, y


def test_unit_linearisability_curve_and_fraction():
    model, x, y = _trained("relu")
    r = unit_linearisability(model, x, y, F.cross_entropy, "1", tolerance=0.05, steps=5)
    assert [c[0] for c in r.curve] == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert r.curve[0][1] == pytest.approx(r.base_loss, abs=1e-6)
    assert r.curve[-1][1] > r.base_loss + 0.05  # a disc cannot be separated linearly
    assert 0.0 <= r.fraction < 1.0
    assert torch.equal(r.order, torch.argsort(r.residual))
    with pytest.raises(ValueError, match="tolerance"):
        unit_linearisability(model, x, y, F.cross_entropy, "1", tolerance=-1)
    with pytest.raises(ValueError, match="steps"):
        unit_linearisability(model, x, y, F.cross_entropy, "1", steps=1)
