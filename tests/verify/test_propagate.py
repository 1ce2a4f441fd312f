"""bound(): IBP and CROWN contain every output of the input ball, CROWN is never looser than IBP,
CROWN on ReLU networks equals an independent implementation of it, and bad input is named."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

import actlab
from actlab.verify import UnsupportedLayerError, activation_of, bound

F64 = torch.float64


def _samples(x: torch.Tensor, eps: float, n: int, seed: int = 0) -> torch.Tensor:
    """Random points of the L-inf ball (half of them at its corners, where ReLU nets peak)."""
    g = torch.Generator().manual_seed(seed)
    u = torch.rand((x.shape[0], n, *x.shape[1:]), generator=g, dtype=F64) * 2 - 1
    u[:, : n // 2] = u[:, : n // 2].sign()
    return x.double()[:, None] + eps * u


def _check(model: nn.Module, x: torch.Tensor, eps: float, n: int = 2000) -> tuple[torch.Tensor, torch.Tensor]:
    ibp = bound(model, x, eps, method="ibp")
    crown = bound(model, x, eps, method="crown")
    ref = model.double()
    xs = _samples(x, eps, n)
    with torch.no_grad():
        ys = ref(xs.reshape(-1, *x.shape[1:])).reshape(x.shape[0], n, -1)
    model.float()
    for b in (ibp, crown):
        lo, hi = b.lower.reshape(x.shape[0], 1, -1), b.upper.reshape(x.shape[0], 1, -1)
        assert bool(((ys >= lo) & (ys <= hi)).all()), f"{b.method} bounds do not contain an output"
    assert bool((crown.width <= ibp.width + 1e-12).all())
    return ibp.width, crown.width


ACTIVATIONS = [nn.ReLU, nn.LeakyReLU, nn.Hardtanh, nn.Tanh, nn.Sigmoid, nn.GELU, nn.SiLU, nn.ELU,
               nn.Softplus, nn.Mish]


@pytest.mark.parametrize("act", ACTIVATIONS, ids=lambda a: a.__name__)
def test_mlp_bounds_contain_outputs(act):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(5, 12), act(), nn.Linear(12, 12), act(), nn.Linear(12, 3)).eval()
    ibp, crown = _check(model, torch.randn(3, 5), 0.1)
    assert float(crown.mean()) < float(ibp.mean())  # CROWN is strictly tighter on these nets


@pytest.mark.parametrize("name", ["golu", "xatlu", "snake", "pwlu", "sinc", "binary_step", "relu2"])
def test_catalog_activations(name):
    torch.manual_seed(1)
    act = actlab.get(name)
    model = nn.Sequential(nn.Linear(4, 8), act, nn.Linear(8, 2)).eval()
    _check(model, torch.randn(2, 4), 0.2)


def test_learnable_per_channel_parameters():
    torch.manual_seed(2)
    prelu = actlab.get("prelu", trainable=True, num_parameters=10)
    torch_prelu = nn.PReLU(10)
    with torch.no_grad():
        prelu.a.uniform_(-0.5, 0.9)
        torch_prelu.weight.uniform_(-0.5, 0.9)
    model = nn.Sequential(nn.Linear(4, 10), prelu, nn.Linear(10, 10), torch_prelu, nn.Linear(10, 2)).eval()
    _check(model, torch.randn(3, 4), 0.15)


def test_small_cnn_with_batchnorm_pool_and_flatten():
    torch.manual_seed(3)
    model = nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(),
        nn.Conv2d(4, 6, 3, stride=2), actlab.get("gelu"), nn.AvgPool2d(2),
        nn.Flatten(), nn.Dropout(0.3), nn.Linear(6 * 1 * 1, 4),
    )
    bn = model[1]
    bn.running_mean.uniform_(-0.3, 0.3)
    bn.running_var.uniform_(0.5, 2.0)
    bn.weight.data.uniform_(0.5, 1.5)
    model.eval()
    _check(model, torch.randn(2, 1, 7, 7), 0.05, n=600)


def test_shared_module_runs_twice():
    """A module object that appears twice in a Sequential is applied twice (named_children would
    list it once)."""
    torch.manual_seed(4)
    act = nn.Tanh()
    model = nn.Sequential(nn.Linear(3, 6), act, nn.Linear(6, 6), act, nn.Linear(6, 2)).eval()
    b = bound(model, torch.randn(2, 3), 0.1)
    assert len(b.layers) == 2
    _check(model, torch.randn(2, 3), 0.1)


def test_clip_restricts_the_ball():
    torch.manual_seed(5)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2)).eval()
    x = torch.rand(2, 3)
    wide = bound(model, x, 0.5)
    clipped = bound(model, x, 0.5, clip=(0.0, 1.0))
    assert bool((clipped.width <= wide.width + 1e-12).all())


def test_zero_radius_gives_the_output():
    torch.manual_seed(6)
    model = nn.Sequential(nn.Linear(3, 5), actlab.get("golu"), nn.Linear(5, 2)).eval()
    x = torch.randn(4, 3)
    b = bound(model, x, 0.0)
    y = model.double()(x.double())
    torch.testing.assert_close(b.lower, y, atol=1e-9, rtol=0)
    torch.testing.assert_close(b.upper, y, atol=1e-9, rtol=0)


def _reference_crown(w1, b1, w2, b2, x, eps):
    """CROWN of y = W2 relu(W1 x + b1) + b2 on the L-inf ball, written out with numpy: the exact
    pre-activation bounds, the triangle relaxation (upper chord; lower slope 1 if u > -l else 0, the
    rule of auto_LiRPA's default CROWN), then the exact bound of the linear function over the box;
    intersected with IBP, as actlab does."""
    c = x @ w1.T + b1
    r = eps * np.abs(w1).sum(1)
    lo, hi = c - r, c + r
    cross = (lo < 0) & (hi > 0)
    au = np.where(hi <= 0, 0.0, np.where(lo >= 0, 1.0, hi / np.where(cross, hi - lo, 1.0)))
    bu = np.where(cross, -hi * lo / np.where(cross, hi - lo, 1.0), 0.0)
    al = np.where(hi <= 0, 0.0, np.where(lo >= 0, 1.0, (hi > -lo).astype(float)))
    out = []
    for sign in (1.0, -1.0):  # upper, then lower (as the upper bound of -y)
        w = sign * w2
        lam = np.where(w[None] > 0, w[None] * au[:, None], w[None] * al[:, None])  # (B, K, H)
        const = np.where(w[None] > 0, w[None] * bu[:, None], 0.0).sum(-1)
        a = lam @ w1  # (B, K, D)
        val = (a * x[:, None]).sum(-1) + eps * np.abs(a).sum(-1) + lam @ b1 + const + sign * b2
        out.append(sign * val)
    crown_hi, crown_lo = out
    zc, zr = (np.maximum(hi, 0) + np.maximum(lo, 0)) / 2, (np.maximum(hi, 0) - np.maximum(lo, 0)) / 2
    ibp_c, ibp_r = zc @ w2.T + b2, zr @ np.abs(w2).T
    return np.maximum(crown_lo, ibp_c - ibp_r), np.minimum(crown_hi, ibp_c + ibp_r)


def test_crown_equals_an_independent_implementation_on_relu_nets():
    torch.manual_seed(7)
    model = nn.Sequential(nn.Linear(6, 20), nn.ReLU(), nn.Linear(20, 4)).eval()
    x = torch.randn(5, 6)
    b = bound(model, x, 0.3)
    p = [t.detach().double().numpy() for t in model.parameters()]
    lo, hi = _reference_crown(p[0], p[1], p[2], p[3], x.double().numpy(), 0.3)
    np.testing.assert_allclose(b.lower.numpy(), lo, atol=1e-9, rtol=0)
    np.testing.assert_allclose(b.upper.numpy(), hi, atol=1e-9, rtol=0)


@pytest.mark.parametrize("cls", [c for c in ACTIVATIONS] + [nn.ReLU6, nn.CELU, nn.SELU, nn.Softsign,
                                                              nn.Hardswish, nn.Hardsigmoid, nn.LogSigmoid,
                                                              nn.Tanhshrink, nn.Softshrink, nn.Hardshrink])
def test_torch_activation_modules_map_to_their_catalog_entry(cls):
    module = cls()
    spec, params = activation_of(module)
    x = torch.linspace(-6, 6, 1201, dtype=F64)
    torch.testing.assert_close(spec.fn(x, **spec.resolve_params(params)), module(x), atol=1e-12, rtol=1e-12)


def test_gelu_tanh_maps_to_gelu_tanh():
    spec, _ = activation_of(nn.GELU(approximate="tanh"))
    assert spec.name == "gelu_tanh"


def test_errors_name_the_problem():
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU()).eval()
    x = torch.zeros(1, 2)
    with pytest.raises(ValueError, match="eps must be"):
        bound(model, x, -0.1)
    with pytest.raises(ValueError, match="method must be"):
        bound(model, x, 0.1, method="lp")
    with pytest.raises(ValueError, match="clip"):
        bound(model, x, 0.1, clip=(1.0, 0.0))
    with pytest.raises(UnsupportedLayerError, match="'1'.*MaxPool2d"):
        bound(nn.Sequential(nn.Conv2d(1, 1, 3), nn.MaxPool2d(2)).eval(), torch.zeros(1, 1, 6, 6), 0.1)
    with pytest.raises(UnsupportedLayerError, match="LayerNorm"):
        bound(nn.Sequential(nn.Linear(2, 2), nn.LayerNorm(2)), x, 0.1)
    bn = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
    with pytest.raises(UnsupportedLayerError, match="training mode"):
        bound(bn.train(), x, 0.1)
    with pytest.raises(UnsupportedLayerError, match="not elementwise"):
        bound(nn.Sequential(nn.Linear(2, 2), actlab.get("velu")), x, 0.1)
    assert issubclass(UnsupportedLayerError, TypeError)
