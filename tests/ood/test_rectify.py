"""ReAct and VRA: thresholds are the calibrated percentiles, VRA's piecewise form is the paper's."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from actlab import ood


def _model() -> nn.Sequential:
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(5, 12), nn.ReLU(), nn.Linear(12, 10), nn.ReLU(), nn.Linear(10, 4))


def _penultimate(m: nn.Sequential, x: torch.Tensor) -> torch.Tensor:
    with torch.no_grad():
        return m[:-1](x)


def _vra_reference(h: np.ndarray, alpha, beta, gamma: float) -> np.ndarray:
    """The VRA paper's piecewise function, element by element: 0 below α, h + γ on [α, β], β above."""
    a = np.broadcast_to(alpha, h.shape)
    b = np.broadcast_to(beta, h.shape)
    out = np.empty_like(h)
    for idx in np.ndindex(h.shape):
        v = h[idx]
        out[idx] = 0.0 if v < a[idx] else (b[idx] if v > b[idx] else v + gamma)
    return out


@pytest.mark.parametrize("p", [90.0, 50, 99.5])
def test_react_threshold_is_the_calibrated_percentile(p):
    m, x = _model(), torch.randn(300, 5)
    r = ood.react(m, x, percentile=p)
    expected = np.percentile(_penultimate(m, x).double().numpy().ravel(), p)
    assert float(ood.rectifier(r).threshold) == pytest.approx(expected, rel=1e-6)
    # batches from a DataLoader give the same threshold
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, torch.zeros(300)), batch_size=64)
    again = ood.rectifier(ood.react(m, loader, percentile=p)).threshold
    assert float(again) == pytest.approx(expected, rel=1e-6)


def test_react_clips_the_penultimate_activations_only():
    m, x = _model(), torch.randn(200, 5)
    r = ood.react(m, x, percentile=80)
    c = ood.rectifier(r).threshold
    h = _penultimate(m, x)
    assert torch.allclose(r(x), m[-1](torch.minimum(h, c)), atol=1e-6)
    assert isinstance(m[-1], nn.Linear)  # the input model is not changed
    assert isinstance(r[-1], ood.RectifiedHead) and r[-1].head.weight is not m[-1].weight
    fixed = ood.react(m, threshold=0.25, layer="4")
    assert float(ood.rectifier(fixed).threshold) == 0.25


def test_vra_piecewise_form_matches_the_paper():
    alpha = torch.tensor([0.125, 0.25, -0.5])  # dyadic: exact in float32 and float64
    beta = torch.tensor([0.625, 0.25, 1.0])  # α = β on the second unit
    rect = ood.VRARectifier(alpha, beta, gamma=0.6)
    h = torch.tensor([[-1.0, 0.25, -0.5], [0.125, 0.24, 1.0], [0.625, 0.26, 1.01], [0.35, 5.0, 0.0]],
                     dtype=torch.float64)
    got = rect(h).numpy()
    ref = _vra_reference(h.numpy(), alpha.double().numpy(), beta.double().numpy(), 0.6)
    assert np.allclose(got, ref)
    # the boundaries fall in the middle piece (the authors' code): α ↦ α + γ, β ↦ β + γ
    assert got[1, 0] == pytest.approx(0.125 + 0.6) and got[2, 0] == pytest.approx(0.625 + 0.6)
    assert got[0, 1] == pytest.approx(0.25 + 0.6) and got[2, 1] == 0.25 and got[1, 1] == 0.0
    assert got[0, 0] == 0.0 and got[3, 1] == 0.25 and got[2, 2] == 1.0
    plain = ood.VRARectifier(0.0, 1.0)
    x = torch.linspace(-2, 3, 501, dtype=torch.float64)
    assert np.allclose(plain(x).numpy(), _vra_reference(x.numpy(), 0.0, 1.0, 0.0))


@pytest.mark.parametrize("per_unit", [True, False])
def test_vra_thresholds_are_the_calibrated_percentiles(per_unit):
    m, x = _model(), torch.randn(400, 5)
    v = ood.vra(m, x, low_percentile=60, high_percentile=90, gamma=0.5, per_unit=per_unit)
    h = _penultimate(m, x).double().numpy()
    rect = ood.rectifier(v)
    if per_unit:
        a, b = np.percentile(h, 60, axis=0), np.percentile(h, 90, axis=0)
    else:
        a, b = np.percentile(h.ravel(), 60), np.percentile(h.ravel(), 90)
    assert np.allclose(rect.alpha.numpy(), a, rtol=1e-6) and np.allclose(rect.beta.numpy(), b, rtol=1e-6)
    out = v(x).detach().double()
    expected = m[-1].double()(torch.from_numpy(_vra_reference(h, rect.alpha.double().numpy(),
                                                               rect.beta.double().numpy(), 0.5)))
    assert torch.allclose(out, expected.detach(), atol=1e-5)


def test_the_head_is_the_last_linear_called_not_the_last_registered():
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.head = nn.Linear(8, 3)  # registered first, called last
            self.body = nn.Sequential(nn.Linear(4, 8), nn.ReLU())

        def forward(self, x):
            return torch.softmax(self.head(self.body(x)), -1)

    net = Net()
    x = torch.randn(50, 4)
    assert ood.find_head(net, x) == "head"
    r = ood.react(net, x)
    assert isinstance(r.head, ood.RectifiedHead)
    assert ood.features(net, x).shape == (50, 8)
    assert ood.features(net, x, layer="body.0").shape == (50, 4)
    bare = ood.react(nn.Linear(4, 2), x)
    assert isinstance(bare, ood.RectifiedHead)


@pytest.mark.parametrize("call, name", [
    (lambda m, x: ood.react(m, x, percentile=0), "percentile"),
    (lambda m, x: ood.react(m, x, percentile=100), "percentile"),
    (lambda m, x: ood.react(m, x, percentile=-5), "percentile"),
    (lambda m, x: ood.react(m, x, percentile=150.0), "percentile"),
    (lambda m, x: ood.react(m, x, percentile="90"), "percentile"),
    (lambda m, x: ood.react(m), "data"),
    (lambda m, x: ood.react(m, x[:0]), "data"),
    (lambda m, x: ood.react(m, x, layer="nope"), "layer"),
    (lambda m, x: ood.react(m, threshold=float("inf"), layer="4"), "threshold"),
    (lambda m, x: ood.vra(m, x, low_percentile=0), "low_percentile"),
    (lambda m, x: ood.vra(m, x, high_percentile=100), "high_percentile"),
    (lambda m, x: ood.vra(m, x, low_percentile=90, high_percentile=60), "low_percentile"),
    (lambda m, x: ood.vra(m, x, gamma=-0.1), "gamma"),
    (lambda m, x: ood.vra(m, x, alpha=1.0), "alpha"),
    (lambda m, x: ood.vra(m, x, alpha=1.0, beta=0.5), "alpha"),
    (lambda m, x: ood.vra(m), "data"),
    (lambda m, x: ood.react(nn.Sequential(nn.ReLU()), x), "layer"),
])
def test_bad_rectification_arguments(call, name):
    with pytest.raises(ValueError, match=name):
        call(_model(), torch.randn(20, 5))
