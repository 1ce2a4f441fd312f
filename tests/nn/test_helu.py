"""HeLU: ReLU forward, hysteresis backward (gradient where z > -alpha)."""

from __future__ import annotations

import pytest
import torch

import actlab
from actlab.nn import HeLU
from actlab.nn.helu import helu


@pytest.mark.parametrize("dtype", [torch.float64, torch.float32, torch.bfloat16])
@pytest.mark.parametrize("alpha", [0.05, 0.3, 0.0])
def test_gradient_is_exactly_the_hysteresis_rule(alpha, dtype):
    a = torch.tensor(alpha, dtype=dtype).item()  # -alpha as representable in dtype
    z = torch.cat(
        [
            torch.tensor([-a, 0.0, -0.0, 1.0, -1.0, -a / 2, -2 * a - 1e-3], dtype=dtype),
            torch.randn(2000, dtype=dtype) * 0.2,
        ]
    ).requires_grad_(True)
    g_out = torch.rand_like(z) + 0.5
    y = actlab.get("helu", alpha=alpha)(z)
    (g,) = torch.autograd.grad(y, z, g_out)
    expected = torch.where(z.detach() > -a, g_out, torch.zeros_like(g_out))
    assert torch.equal(g, expected)
    assert g[0] == 0  # exactly at z = -alpha: no gradient
    assert torch.equal(y.detach(), torch.relu(z.detach()))  # forward is ReLU


def test_module_and_functional_form():
    m = actlab.get("helu")
    assert isinstance(m, HeLU) and m.alpha == 0.05
    assert isinstance(actlab.get("helu", trainable=True), HeLU)
    z = torch.tensor([-0.04, -0.05, -0.06, 0.2], requires_grad=True)
    helu(z).sum().backward()
    assert z.grad.tolist() == [1.0, 0.0, 0.0, 1.0]
    with pytest.raises(ValueError, match="alpha"):
        HeLU(alpha=-1.0)
    with pytest.raises(TypeError, match="valid parameters"):
        actlab.get("helu", beta=1.0)


def test_saves_one_byte_per_element_for_backward():
    saved = []

    def pack(t):
        saved.append(t.element_size() * t.numel())
        return t

    z = torch.randn(4096, requires_grad=True)
    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        y = HeLU()(z)
    assert sum(saved) == 4096  # a bool mask, not the fp32 input
    y.sum().backward()


def test_traces_with_aot_autograd():
    m = HeLU()
    z = torch.linspace(-0.2, 0.2, 41, requires_grad=True)
    torch._dynamo.reset()
    y = torch.compile(m, backend="aot_eager", fullgraph=True)(z)
    (g,) = torch.autograd.grad(y.sum(), z)
    assert torch.equal(g, (z.detach() > -0.05).float())
