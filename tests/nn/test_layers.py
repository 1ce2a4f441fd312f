"""Layers beyond elementwise: xUnit, KAN layers, trainable matrix activation."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from scipy.interpolate import BSpline
from torch import nn

import actlab
from actlab.nn import CatalogKANLinear, KANLinear, MatrixActivation, XUnit
from actlab.nn.kan import bspline_basis


def test_xunit_computes_the_gated_spatial_activation():
    torch.manual_seed(0)
    m = XUnit(3, kernel_size=5).double().eval()
    x = torch.randn(2, 3, 9, 9, dtype=torch.float64)
    z = m.bn2(m.conv(torch.relu(m.bn1(x))))
    torch.testing.assert_close(m(x), x * torch.exp(-z * z))
    assert m.conv.groups == 3 and m.conv.weight.shape == (3, 1, 5, 5)  # depthwise
    sig = XUnit(3, gate="sigmoid", batch_norm=False).double()
    z = sig.conv(torch.relu(x))
    torch.testing.assert_close(sig(x), x * torch.sigmoid(z))
    assert isinstance(actlab.get("xunit", num_features=3), XUnit)
    with pytest.raises(ValueError, match="odd"):
        XUnit(3, kernel_size=4)


@pytest.mark.parametrize("order", [0, 1, 2, 3])
def test_bspline_basis_matches_scipy(order):
    knots = torch.linspace(-1.6, 1.6, 12, dtype=torch.float64)
    x = torch.linspace(-1.59, 1.59, 301, dtype=torch.float64)
    ours = bspline_basis(x.unsqueeze(-1), knots.unsqueeze(0), order)[:, 0, :]
    n = len(knots) - 1 - order
    for j in range(n):
        ref = BSpline.basis_element(knots[j : j + order + 2].numpy(), extrapolate=False)(x.numpy())
        np.testing.assert_allclose(ours[:, j].numpy(), np.nan_to_num(ref), atol=1e-12)


def test_kan_linear_edges_and_partition_of_unity():
    torch.manual_seed(0)
    layer = KANLinear(3, 2, grid_size=5, spline_order=3).double()
    x = torch.rand(50, 3, dtype=torch.float64) * 2 - 1  # inside grid_range
    b = layer.basis(x)
    assert b.shape == (50, 3, 8)
    torch.testing.assert_close(b.sum(dim=-1), torch.ones(50, 3, dtype=torch.float64))
    # y_j = sum_i phi_ji(x_i)
    y = layer(x)
    by_edges = torch.stack(
        [sum(layer.edge_function(j, i, x[:, i]) for i in range(3)) for j in range(2)], dim=-1
    )
    torch.testing.assert_close(y, by_edges)
    relu_base = KANLinear(3, 2, base_activation="relu")
    assert relu_base.base_spec.name == "relu"


def test_kan_fits_a_one_dimensional_function():
    torch.manual_seed(0)
    layer = KANLinear(1, 1, grid_size=8)
    x = torch.linspace(-1, 1, 200).unsqueeze(-1)
    y = torch.sin(3 * x)
    opt = torch.optim.Adam(layer.parameters(), lr=0.05)
    for _ in range(200):
        opt.zero_grad()
        loss = (layer(x) - y).pow(2).mean()
        loss.backward()
        opt.step()
    assert loss.item() < 1e-3


def test_catalog_kan_spans_the_chosen_functions_and_selects():
    torch.manual_seed(0)
    layer = CatalogKANLinear(2, 1, functions=("identity", "tanh", "relu2"), bias=False).double()
    x = torch.randn(400, 2, dtype=torch.float64)
    with torch.no_grad():
        layer.coef.zero_()
        layer.coef[0, 0, 1] = 2.0  # 2 tanh(x0)
        layer.coef[0, 1, 2] = -1.0  # -relu(x1)^2
        layer.coef[0, 1, 0] = 0.01
    expected = 2 * torch.tanh(x[:, 0]) - torch.relu(x[:, 1]) ** 2
    torch.testing.assert_close(layer(x)[:, 0], expected + 0.01 * x[:, 1])
    assert layer.select(x) == {"identity": 0, "tanh": 1, "relu2": 1}
    torch.testing.assert_close(layer(x)[:, 0], expected)  # the small identity term was dropped


def test_matrix_activation_generalises_relu_and_prelu():
    x = torch.randn(6, 5, 8)
    relu_like = MatrixActivation(8)
    torch.testing.assert_close(relu_like(x), torch.relu(x))
    prelu_like = MatrixActivation(8, init_slopes=(0.25, 1.0))
    torch.testing.assert_close(prelu_like(x), nn.functional.prelu(x, torch.tensor([0.25])))
    # per-neuron slopes on three intervals, channels on dim 1
    m = MatrixActivation(3, breakpoints=(-1.0, 1.0), channel_dim=1)
    with torch.no_grad():
        m.slopes.copy_(torch.tensor([[0.0, 1.0, 2.0], [1.0, 0.0, -1.0], [0.5, 0.5, 0.5]]))
    t = torch.tensor([-2.0, 0.5, 3.0]).reshape(1, 1, 3).expand(1, 3, 3)
    assert m(t)[0].tolist() == [[-0.0, 0.5, 6.0], [-2.0, 0.0, -3.0], [-1.0, 0.25, 1.5]]
    t = t.clone().requires_grad_(True)
    m(t).sum().backward()
    assert m.slopes.grad.tolist() == [[-2.0, 0.5, 3.0]] * 3  # d y / d t_ij = x on interval j
    with pytest.raises(ValueError, match="increasing"):
        MatrixActivation(3, breakpoints=(1.0, 0.0))
