"""RePaViT's channel-idle FFN: idle channels are linear, and the reparameterised form is the same
function."""

from __future__ import annotations

import pytest
import torch

import actlab
from actlab.nn.repavit import ReparameterizedFFN, active_channels, reparameterize


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("act", ["gelu", "relu", "silu"])
def test_reparameterized_ffn_equals_the_channel_idle_ffn(act, bias):
    torch.manual_seed(0)
    ffn = actlab.nn.FFN(16, 64, act, bias=bias, idle_ratio=0.75).eval()
    x = torch.randn(3, 5, 16)
    rep = ffn.reparameterize()
    assert isinstance(rep, ReparameterizedFFN) and rep.up.out_features == 16
    torch.testing.assert_close(rep(x), ffn(x), atol=1e-5, rtol=1e-5)
    # fewer parameters: 2·16·16 + 16·16 instead of 2·16·64
    assert sum(p.numel() for p in rep.parameters()) < sum(p.numel() for p in ffn.parameters())


def test_idle_channels_bypass_the_activation():
    torch.manual_seed(1)
    ffn = actlab.nn.FFN(8, 32, "relu", idle_ratio=0.5)
    x = torch.randn(4, 8)
    h = ffn.hidden(x)
    pre = ffn.up_proj(x)
    torch.testing.assert_close(h[:, :16], torch.relu(pre[:, :16]))
    torch.testing.assert_close(h[:, 16:], pre[:, 16:])
    assert "idle_ratio=0.5" in repr(ffn)


def test_default_ffn_is_unchanged_and_gradients_flow():
    torch.manual_seed(2)
    ffn = actlab.nn.FFN(8, 32, "gelu")
    x = torch.randn(4, 8, requires_grad=True)
    torch.testing.assert_close(ffn(x), ffn.down_proj(ffn.act(ffn.up_proj(x))))
    idle = actlab.nn.FFN(8, 32, "gelu", idle_ratio=0.25)
    idle(x).sum().backward()
    assert x.grad is not None and idle.up_proj.weight.grad.abs().sum() > 0


def test_bad_input():
    with pytest.raises(ValueError, match=r"idle_ratio must be a number in \[0, 1\)"):
        actlab.nn.FFN(8, 32, idle_ratio=1.0)
    with pytest.raises(ValueError, match="idle_ratio"):
        actlab.nn.FFN(8, 32, idle_ratio=-0.1)
    with pytest.raises(TypeError, match="channel-idle"):
        reparameterize(actlab.nn.FFN(8, 32))
    assert active_channels(32, 0.75) == 8 and active_channels(4, 0.99) == 1
