"""Robustness curves: the summaries on hand-made curves, and curves of a small trained model."""

from __future__ import annotations

import math

import pytest
import torch
from torch import nn

from actlab import robust
from actlab.robust import RobustnessCurve


def test_area_and_half_level_of_a_hand_made_noise_curve():
    c = RobustnessCurve("post additive noise", "std", (0.0, 1.0, 2.0), (1.0, 0.8, 0.2), 1.0)
    assert c.auc == pytest.approx(((1 + 0.8) / 2 + (0.8 + 0.2) / 2) / 2)  # 0.7
    assert c.auc_relative == pytest.approx(0.7)
    assert c.half_level == pytest.approx(1.5)  # 0.8 -> 0.2 between 1 and 2 crosses 0.5 half-way
    scaled = RobustnessCurve("x", "std", (0.0, 1.0, 2.0), (0.5, 0.4, 0.1), 0.5)
    assert scaled.auc == pytest.approx(0.35) and scaled.auc_relative == pytest.approx(0.7)
    assert scaled.half_level == pytest.approx(1.5)


def test_half_level_on_the_bits_axis_and_when_never_reached():
    bits = RobustnessCurve("post quantization", "bits", (8.0, 4.0, 2.0, 1.0), (0.9, 0.9, 0.6, 0.3), 0.9)
    # retention 1, 1, 2/3, 1/3: crosses 0.5 between 2 bits (2/3) and 1 bit (1/3), half-way
    assert bits.half_level == pytest.approx(1.5)
    assert bits.auc == pytest.approx((4 * 0.9 + 2 * 0.75 + 1 * 0.45) / 7)
    flat = RobustnessCurve("x", "std", (0.0, 1.0), (0.9, 0.8), 0.9)
    assert flat.half_level is None
    first = RobustnessCurve("x", "std", (0.5, 1.0), (0.3, 0.2), 0.9)
    assert first.half_level == 0.5  # already below half at the first level


def test_lower_is_better_metrics_use_the_inverse_retention():
    c = RobustnessCurve("x", "std", (0.0, 1.0, 3.0), (2.0, 3.0, 6.0), 2.0, higher_is_better=False)
    assert c.retention == pytest.approx((1.0, 2 / 3, 1 / 3))
    assert c.half_level == pytest.approx(1.0 + 2.0 * (2 / 3 - 0.5) / (2 / 3 - 1 / 3))


@pytest.fixture(scope="module")
def trained():
    torch.manual_seed(0)
    x = torch.randn(400, 2)
    y = (x[:, 0] * x[:, 1] > 0).long()
    m = nn.Sequential(nn.Linear(2, 32), nn.Tanh(), nn.Linear(32, 32), nn.Tanh(), nn.Linear(32, 2))
    opt = torch.optim.Adam(m.parameters(), lr=0.02)
    for _ in range(200):
        loss = nn.functional.cross_entropy(m(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return m, x, y


def test_noise_curve_of_a_trained_model(trained):
    m, x, y = trained
    ev = robust.accuracy(x, y)
    clean = ev(m)
    assert clean > 0.9
    before = {k: v.clone() for k, v in m.state_dict().items()}
    c = robust.noise_curve(m, ev, [2.0, 0.0, 0.5], repeats=2, seed=0)
    assert c.levels == (0.0, 0.5, 2.0) and c.values[0] == clean and c.clean == clean
    assert len(c.draws[1]) == 2 and c.values[1] == pytest.approx(sum(c.draws[1]) / 2)
    assert c.values[2] < clean - 0.1  # σ = 2 × rms destroys most of the signal
    assert c == robust.noise_curve(m, ev, [0.0, 0.5, 2.0], repeats=2, seed=0)  # deterministic
    assert c != robust.noise_curve(m, ev, [0.0, 0.5, 2.0], repeats=2, seed=1)
    assert all(torch.equal(v, before[k]) for k, v in m.state_dict().items())
    d = c.to_dict()
    assert set(d) >= {"levels", "values", "auc", "auc_relative", "half_level"}
    for kind in robust.NOISE_KINDS:
        for where in ("pre", "post", "weights"):
            k = robust.noise_curve(m, ev, [0.0, 0.3], kind=kind, where=where)
            assert k.values[0] == clean and 0 <= k.values[1] <= 1 and where in k.kind


def test_quantization_curve_of_a_trained_model(trained):
    m, x, y = trained
    ev = robust.accuracy(x, y)
    q = robust.quantization_curve(m, ev, bits=[1, 8, 3])
    assert q.levels == (8.0, 3.0, 1.0) and q.axis == "bits"
    assert q.values[0] == pytest.approx(q.clean, abs=0.02)  # 8 bits barely changes anything
    w = robust.quantization_curve(m, ev, bits=[8, 1], where="weights")
    assert w.values[0] == pytest.approx(w.clean, abs=0.02)
    assert not math.isnan(w.auc)


@pytest.mark.parametrize("call, name", [
    (lambda m, ev: robust.noise_curve(m, ev, [0.0, -0.1]), "levels"),
    (lambda m, ev: robust.noise_curve(m, ev, []), "levels"),
    (lambda m, ev: robust.noise_curve(m, ev, [0.1, 0.1]), "levels"),
    (lambda m, ev: robust.noise_curve(m, ev, [0.1], repeats=0), "repeats"),
    (lambda m, ev: robust.noise_curve(m, ev, [0.1], where="inside"), "where"),
    (lambda m, ev: robust.noise_curve(m, ev, [0.1], kind="pink"), "kind"),
    (lambda m, ev: robust.quantization_curve(m, ev, bits=[4, 0]), "bits"),
    (lambda m, ev: robust.quantization_curve(m, ev, bits=[2.5]), "bits"),
])
def test_bad_curve_arguments_fail_before_any_evaluation(call, name):
    calls = []
    m = nn.Sequential(nn.Linear(2, 2), nn.ReLU())
    with pytest.raises(ValueError, match=name):
        call(m, lambda model: calls.append(1) or 1.0)
    assert calls == []
