"""Drop-in, part 1 (issue 13, item 1): models holding actlab activations in every backend save,
load, copy and round-trip their state like any PyTorch model, and compute the same afterwards."""

from __future__ import annotations

import copy
import io
import pickle

import pytest
import torch
from torch import nn

import actlab
from tests.kernels.models import IMPLS, NAMES, assert_same, gated, grads, mlp, use_backend

X = torch.randn(5, 8, dtype=torch.float64, generator=torch.Generator().manual_seed(1))


@pytest.fixture(params=IMPLS)
def impl(request, monkeypatch):
    use_backend(request.param, monkeypatch)
    return request.param


@pytest.mark.parametrize("name", NAMES)
def test_torch_save_load_of_the_whole_model(name, impl):
    model = mlp(name, impl)
    y = model(X)
    buf = io.BytesIO()
    torch.save(model, buf)
    buf.seek(0)
    loaded = torch.load(buf, weights_only=False)
    assert [type(m) for m in loaded.modules()] == [type(m) for m in model.modules()]
    torch.testing.assert_close(loaded(X), y)
    assert_same(grads(loaded, X), grads(model, X))


@pytest.mark.parametrize("name", NAMES)
def test_pickle_and_deepcopy(name, impl):
    model = mlp(name, impl)
    for clone in (pickle.loads(pickle.dumps(model)), copy.deepcopy(model)):
        act = next(m for m in clone.modules() if isinstance(m, actlab.nn.Activation))
        assert act.spec is actlab.describe(name)  # the catalog's spec, looked up by name
        assert act.impl == impl
        torch.testing.assert_close(clone(X), model(X))
        assert_same(grads(clone, X), grads(model, X))


@pytest.mark.parametrize("name", NAMES)
def test_state_dict_round_trip(name, impl):
    src, dst = mlp(name, impl, seed=0), mlp(name, impl, seed=1)
    dst.load_state_dict(src.state_dict())
    torch.testing.assert_close(dst(X), src(X))


def test_trainable_parameters_and_the_fused_glu_round_trip(impl):
    torch.manual_seed(0)
    model = nn.Sequential(
        nn.Linear(8, 8),
        actlab.get("snake", trainable=True),
        gated("silu", impl),
        actlab.get("leaky_relu", impl=impl),
    ).double()
    with torch.no_grad():
        model[1].a.fill_(0.7)  # a learned value, not the default
    buf = io.BytesIO()
    torch.save(model.state_dict(), buf)
    buf.seek(0)
    fresh = nn.Sequential(
        nn.Linear(8, 8),
        actlab.get("snake", trainable=True),
        gated("silu", impl, seed=3),
        actlab.get("leaky_relu", impl=impl),
    ).double()
    fresh.load_state_dict(torch.load(buf))
    assert float(fresh[1].a.detach()) == pytest.approx(0.7)
    torch.testing.assert_close(fresh(X), model(X))
    whole = io.BytesIO()
    torch.save(model, whole)
    whole.seek(0)
    torch.testing.assert_close(torch.load(whole, weights_only=False)(X), model(X))
