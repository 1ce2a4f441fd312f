"""ONNX export (issue 13, item 2): models with catalog activations in any backend export with
``torch.onnx.export`` and compute in onnxruntime what they compute in PyTorch."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import torch
from torch import nn

import actlab
from actlab.catalog.registry import REGISTRY
from actlab.kernels.export import onnx_translations
from tests.kernels.models import IMPLS, NAMES, convnet, gated, mlp, use_backend

ort = pytest.importorskip("onnxruntime")
pytest.importorskip("onnxscript")

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::UserWarning")


def run_onnx(model: nn.Module, *inputs: torch.Tensor) -> list[np.ndarray]:
    """Export ``model`` (eval mode) and run it in onnxruntime on ``inputs``."""
    model.eval()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        program = torch.onnx.export(
            model,
            inputs,
            dynamo=True,
            verbose=False,
            optimize=False,
            custom_translation_table=onnx_translations(),
        )
    options = ort.SessionOptions()
    options.log_severity_level = 3
    session = ort.InferenceSession(
        program.model_proto.SerializeToString(), options, providers=["CPUExecutionProvider"]
    )
    feeds = {i.name: t.numpy() for i, t in zip(session.get_inputs(), inputs)}
    return session.run(None, feeds)


@pytest.fixture(params=[i for i in IMPLS if i != "eager"] + ["compiled"])
def impl(request, monkeypatch):
    use_backend(request.param, monkeypatch)
    return request.param


def test_models_in_every_backend(impl):
    x = torch.randn(5, 8, generator=torch.Generator().manual_seed(0))
    for model in (
        mlp("golu", impl, torch.float32),
        gated("silu", impl, torch.float32),
        mlp("relu", impl, torch.float32),
    ):
        (got,) = run_onnx(model, x)
        np.testing.assert_allclose(got, model(x).detach().numpy(), rtol=1e-5, atol=1e-6)
    img = torch.randn(2, 3, 8, 8, generator=torch.Generator().manual_seed(1))
    net = convnet("mish", impl)
    (got,) = run_onnx(net, img)
    np.testing.assert_allclose(got, net(img).detach().numpy(), rtol=1e-4, atol=1e-5)


class Bank(nn.Module):
    """Every activation of a list on the same input, stacked: one export checks them all."""

    def __init__(self, names: list[str]):
        super().__init__()
        self.names = names
        self.acts = nn.ModuleList([actlab.get(n) for n in names])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.stack([a(x) for a in self.acts])


X = torch.cat([torch.linspace(-8, 8, 161), torch.tensor([-30.0, -12.0, 12.0, 30.0])])


def _check_bank(names: list[str]) -> None:
    bank = Bank(names)
    (got,) = run_onnx(bank, X)
    want = bank(X).numpy()
    bad = []
    for name, g, w in zip(names, got, want):
        # float32 through different (but each accurate) formulas: a few ulp, relative to the scale
        tol = 1e-5 * np.maximum(1.0, np.abs(w)) + 4e-6
        ok = (np.isnan(g) == np.isnan(w)) & ((np.abs(g - w) <= tol) | (g == w) | np.isnan(w))
        if not ok.all():
            i = int(np.argmin(ok))
            bad.append(f"{name}: at x={X[i].item():g} onnxruntime {g[i]!r} vs torch {w[i]!r}")
    assert not bad, "\n".join(bad)


def test_representative_activations():
    _check_bank(
        sorted(
            {
                *NAMES,
                "gelu",
                "silu",
                "elu",
                "softplus",
                "sigmoid",
                "tanh",
                "hardswish",
                "logsigmoid",
                "isru",
                "sau",
                "squareplus",
                "relu6",
                "prelu",
            }
            & set(REGISTRY)
        )
    )


@pytest.mark.slow
def test_every_elementwise_catalog_activation():
    """One export of all of them (about 30 s on 2 cores for 345 entries; grows with the catalog)."""
    _check_bank(sorted(n for n, s in REGISTRY.items() if s.elementwise))
