"""linearize and merge: merged outputs equal the unmerged model's (1e-6, fp32); bad input named."""

from __future__ import annotations

import pytest
import torch
from torch import nn

import actlab
from actlab.linear import ChannelAffine, PartialLinear, linearize, merge


def _bn(bn: nn.Module) -> nn.Module:
    bn.running_mean.uniform_(-0.5, 0.5)
    bn.running_var.uniform_(0.5, 2.0)
    with torch.no_grad():
        bn.weight.uniform_(0.5, 1.5)
        bn.bias.uniform_(-0.3, 0.3)
    return bn


def test_merge_folds_linear_layers_and_batchnorm_exactly():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(8, 16), _bn(nn.BatchNorm1d(16)), nn.Identity(), nn.Linear(16, 12),
                          nn.Dropout(0.2), nn.ReLU(), _bn(nn.BatchNorm1d(12)), nn.Linear(12, 4)).eval()
    x = torch.randn(64, 8)
    rep = merge(model, example=x, repeats=3)
    torch.testing.assert_close(rep.model(x), model(x), atol=1e-6, rtol=1e-6)
    assert rep.kept == ["Linear", "ReLU", "Linear"]
    assert rep.depth_before == 3 and rep.depth_after == 2 and rep.params_after < rep.params_before
    assert rep.latency_before > 0 and rep.latency_after > 0 and rep.max_abs_diff < 1e-5
    assert "Linear o Linear" in rep.folded and "dropped Identity" in rep.folded


def test_linearized_relu_mlp_merges_into_one_linear_layer():
    torch.manual_seed(1)
    model = nn.Sequential(nn.Linear(6, 10), nn.ReLU(), nn.Linear(10, 10), actlab.get("gelu"),
                          nn.Linear(10, 3))
    x = torch.randn(200, 6)
    lin = linearize(model, data=x)
    assert set(lin.sites) == {"1", "3"} and isinstance(lin.model[1], ChannelAffine)
    assert isinstance(model[1], nn.ReLU)  # the original is not changed
    rep = merge(lin.model, example=x, repeats=2)
    assert rep.kept == ["Linear"] and rep.depth_after == 1
    torch.testing.assert_close(rep.model(x), lin.model(x), atol=1e-6, rtol=1e-6)


def test_identity_mode_and_partial_sites():
    torch.manual_seed(2)
    model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 2))
    x = torch.randn(100, 4)
    ident = linearize(model, mode="identity")  # no data needed to remove a whole site
    assert isinstance(ident.model[1], nn.Identity)
    torch.testing.assert_close(ident.model(x), model[2](model[0](x)))
    half = linearize(model, sites=["1"], fraction=0.5, data=x)
    assert isinstance(half.model[1], PartialLinear) and half.sites["1"]["units"] == 4
    out = half.model[1](model[0](x))
    kept = ~half.model[1].mask
    torch.testing.assert_close(out[:, kept], torch.tanh(model[0](x))[:, kept])


def test_conv_chain_merges_where_the_kernel_algebra_allows():
    torch.manual_seed(3)
    model = nn.Sequential(
        nn.Conv2d(3, 6, 3, padding=1), _bn(nn.BatchNorm2d(6)), nn.ReLU(),
        nn.Conv2d(6, 8, 3, stride=2), nn.ReLU(), nn.Conv2d(8, 4, 2), nn.Flatten(), nn.Linear(4 * 4 * 4, 5),
    ).eval()
    x = torch.randn(3, 3, 11, 11)
    lin = linearize(model, sites=["2", "4"], mode="identity")
    rep = merge(lin.model, example=x, repeats=2)
    assert rep.kept == ["Conv2d", "Flatten", "Linear"]  # conv ∘ conv ∘ conv is one conv
    # kernels 3, 3 (stride 2), 2: composed size 3 + 2·1 + 1·2 = 7, stride 1·2·1 = 2
    assert rep.model[0].kernel_size == (7, 7) and rep.model[0].stride == (2, 2)
    torch.testing.assert_close(rep.model(x), lin.model(x), atol=1e-6, rtol=1e-5)


def test_padding_in_the_second_conv_stops_the_merge():
    torch.manual_seed(4)
    model = nn.Sequential(nn.Conv2d(2, 3, 3), nn.Conv2d(3, 2, 3, padding=1)).eval()
    rep = merge(model, example=torch.randn(1, 2, 8, 8), repeats=1)
    assert rep.kept == ["Conv2d", "Conv2d"]


def test_bad_input_is_named():
    model = nn.Sequential(nn.Linear(2, 2), nn.ReLU())
    with pytest.raises(TypeError, match="nn.Sequential"):
        merge(nn.Linear(2, 2))
    with pytest.raises(ValueError, match="eval mode"):
        merge(model.train())
    with pytest.raises(ValueError, match="fraction"):
        linearize(model, fraction=1.5)
    with pytest.raises(ValueError, match="mode"):
        linearize(model, mode="zero")
    with pytest.raises(ValueError, match="data is needed"):
        linearize(model, sites=["1"], fraction=0.5, mode="identity")
    with pytest.raises(LookupError, match="no module"):
        linearize(model, sites=["7"], data=torch.zeros(3, 2))
