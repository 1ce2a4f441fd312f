"""timm: every catalog name works in get_act_layer/create_act_layer/get_act_fn and
create_model(..., act_layer=name); the layer (and actlab.get everywhere) accepts inplace
(issue 13, item 4)."""

from __future__ import annotations

import io
import pickle

import pytest
import torch
from torch import nn

import actlab
from actlab.api import InPlaceActivation
from actlab.catalog.registry import resolve
from actlab.integrations.common import catalog_keys
from actlab.nn.registry import MODULES
from actlab.surgery import is_activation_module

timm = pytest.importorskip("timm")
from timm.layers import create_act as timm_create_act  # noqa: E402
from timm.layers import create_act_layer, get_act_fn, get_act_layer  # noqa: E402

import actlab.integrations.timm as actlab_timm  # noqa: E402

TIMM_OWN = set(timm_create_act._ACT_LAYER_DEFAULT) | set(timm_create_act._ACT_LAYER_ME)


@pytest.fixture
def registered():
    reg = actlab_timm.register()
    yield reg
    actlab_timm.unregister()


def test_every_catalog_name_is_a_timm_layer(registered):
    keys = catalog_keys()
    assert set(registered.added) | set(registered.kept) == set(keys)
    assert set(registered.kept) == set(keys) & TIMM_OWN and "relu" in registered.kept
    x = torch.linspace(-3, 3, 16)
    for key in registered.added:
        layer = create_act_layer(key, inplace=True)  # timm passes inplace; every layer accepts it
        assert isinstance(layer, nn.Module) and is_activation_module(layer), key
        if getattr(layer, "spec", None) is not None:
            assert layer.spec.name == resolve(key), key
        assert get_act_layer(key) is not None and get_act_fn(key) is not None
    assert type(create_act_layer("relu")) is nn.ReLU  # timm's own names keep timm's layers
    assert type(create_act_layer("actlab:relu")).__name__ == "Activation"
    torch.testing.assert_close(get_act_fn("golu")(x), actlab.get("golu")(x))
    assert actlab_timm.register().added == () and actlab_timm.is_registered()


def test_parameters_by_keyword_or_in_the_key(registered):
    assert create_act_layer("golu", alpha=0.5).params["alpha"] == 0.5
    assert create_act_layer("leaky_relu(negative_slope=0.2)").params == {"negative_slope": 0.2}
    assert type(create_act_layer("elu", alpha=0.5)) is nn.ELU  # timm's own
    assert create_act_layer("actlab:elu", alpha=0.5).params == {"alpha": 0.5}
    with pytest.raises(KeyError, match="neither a timm activation nor in actlab's catalog"):
        get_act_layer("not_an_activation")
    with pytest.raises(ValueError, match="negative_slope"):
        create_act_layer("leaky_relu(negative_slope=3.0)")


def test_unregister_restores_timm():
    actlab_timm.register()
    actlab_timm.unregister()
    assert not actlab_timm.is_registered()
    with pytest.raises(KeyError):
        get_act_layer("golu")


@pytest.mark.parametrize("model_name,key,n_acts",
                         [("resnet18", "golu", 17), ("vit_tiny_patch16_224", "xatlu", 2)])
def test_create_model_with_an_actlab_act_layer(model_name, key, n_acts, registered):
    kw = {"img_size": 32, "patch_size": 8, "depth": 2} if model_name.startswith("vit") else {}
    torch.manual_seed(0)
    model = timm.create_model(model_name, pretrained=False, num_classes=5, act_layer=key, **kw)
    acts = [m for m in model.modules() if isinstance(m, actlab.nn.Activation)]
    assert len(acts) == n_acts and all(a.spec.name == key for a in acts)
    assert not any(isinstance(m, (nn.ReLU, nn.GELU)) for m in model.modules())
    x = torch.randn(2, 3, 32, 32)
    model.train()
    model(x).sum().backward()
    assert all(torch.isfinite(p.grad).all() for p in model.parameters() if p.grad is not None)
    # the same network with out-of-place activations computes the same (in place or not)
    plain = actlab.swap(model, key, match=actlab.nn.Activation).model.eval()
    assert not any(getattr(m, "inplace", False) for m in plain.modules())
    model.eval()
    with torch.no_grad():
        torch.testing.assert_close(model(x), plain(x))


# ---- actlab.get(..., inplace=...) ------------------------------------------------------------------

@pytest.mark.parametrize("impl", ["eager", "lean", "auto"])
def test_inplace_writes_into_the_input_only_where_autograd_does_not_record(impl):
    act = actlab.get("golu", impl=impl, inplace=True)
    assert isinstance(act, InPlaceActivation) and act.inplace and "inplace=True" in repr(act)
    ref = actlab.get("golu", impl=impl)
    x0 = torch.randn(4, 33)
    x = x0.clone()
    with torch.no_grad():
        y = act(x)
    assert y is x and torch.equal(x, ref(x0))  # in place under no_grad
    with torch.inference_mode():
        xi = x0.clone()
        assert act(xi) is xi
    xg = x0.clone().requires_grad_()
    h = xg * 1.0
    y = act(h)  # autograd records: a new tensor, h untouched, gradients as out of place
    assert y is not h and torch.equal(h, x0)
    (g,) = torch.autograd.grad(y.sum(), xg)
    xr = x0.clone().requires_grad_()
    (gr,) = torch.autograd.grad(ref(xr * 1.0).sum(), xr)
    torch.testing.assert_close(g, gr)
    e = torch.randn(1, 33).expand(4, 33)  # overlapping elements: cannot take the result
    with torch.no_grad():
        assert act(e) is not e
    inf = torch.randn(3)
    with torch.inference_mode():
        inf = torch.randn(3)
    assert act(inf) is not inf  # an inference tensor outside inference mode
    act.inplace = False  # torch code switches inplace off by attribute
    z = x0.clone()
    with torch.no_grad():
        assert act(z) is not z and torch.equal(z, x0)


def test_inplace_is_accepted_for_every_name_and_ignored_where_unsafe():
    for key in catalog_keys():
        spec = actlab.describe(key)
        if spec.module is not None:
            continue
        m = actlab.get(key, inplace=True)
        assert isinstance(m, InPlaceActivation), key
        assert actlab.get(key, inplace=False).__class__ is actlab.nn.Activation
    learn = actlab.get("snake", trainable=True, inplace=True)  # learnable: ignored
    assert isinstance(learn, actlab.nn.LearnableActivation)
    x = torch.randn(5)
    with torch.no_grad():
        assert learn(x) is not x
    built = 0
    for name in sorted(MODULES):  # the modules of actlab.nn take it too (and ignore it)
        try:
            base = actlab.get(name)
        except TypeError:
            continue  # a module that needs arguments
        assert type(actlab.get(name, inplace=True)) is type(base), name
        built += 1
    assert built >= 3
    with pytest.raises(TypeError, match="inplace must be a bool"):
        actlab.get("relu", inplace="yes")


def test_inplace_activation_pickles_and_saves():
    act = actlab.get("elu", alpha=0.5, inplace=True)
    again = pickle.loads(pickle.dumps(act))
    assert isinstance(again, InPlaceActivation) and again.params == {"alpha": 0.5} and again.inplace
    buf = io.BytesIO()
    torch.save(nn.Sequential(nn.Linear(2, 2), act), buf)
    buf.seek(0)
    seq = torch.load(buf, weights_only=False)
    assert isinstance(seq[1], InPlaceActivation)
