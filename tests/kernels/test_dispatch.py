"""Dispatch: impl names, forced-backend errors, the measured table behind impl="auto", fallbacks."""

from __future__ import annotations

import json
import warnings

import pytest
import torch

import actlab
from actlab.catalog.registry import REGISTRY
from actlab.kernels import dispatch
from actlab.kernels.dispatch import BackendUnavailable, apply, auto_order, choose, kernels_for
from actlab.nn.activation import Activation


def _table(tmp_path, monkeypatch, devices):
    path = tmp_path / "table.json"
    path.write_text(json.dumps({"devices": devices}))
    monkeypatch.setenv("ACTLAB_AUTOTABLE", str(path))
    return path


def test_unknown_impl_is_a_value_error_listing_the_valid_ones():
    with pytest.raises(ValueError, match="'auto', 'eager', 'lean', 'compiled', 'triton'"):
        actlab.get("relu", impl="fast")
    with pytest.raises(ValueError):
        actlab.kernels.activation("relu", torch.randn(3), impl="cuda")


def test_forced_triton_on_cpu_names_the_reason(monkeypatch):
    pytest.importorskip("triton")
    monkeypatch.delenv("TRITON_INTERPRET", raising=False)
    act = actlab.get("relu", impl="triton")
    with pytest.raises(BackendUnavailable, match="TRITON_INTERPRET=1"):
        act(torch.randn(8))


def test_forced_backend_on_non_elementwise_activation_fails_at_construction():
    spec = next(s for s in REGISTRY.values() if not s.elementwise)
    with pytest.raises(BackendUnavailable, match="not elementwise"):
        Activation(spec, impl="lean")
    Activation(spec, impl="auto")  # fine: auto runs it eagerly


def test_tensor_parameters_run_eagerly_under_auto_and_are_refused_when_forced():
    spec = REGISTRY["leaky_relu"] if "leaky_relu" in REGISTRY else None
    if spec is None or not spec.params:
        pytest.skip("needs a parametrised activation")
    p = spec.params[0].name
    t = torch.tensor(spec.params[0].default)
    with pytest.raises(BackendUnavailable, match="number-valued"):
        Activation(spec, impl="compiled", **{p: t})
    y = Activation(spec, impl="auto", **{p: t})(torch.randn(5))
    assert y.shape == (5,)


def test_small_inputs_and_default_table_run_eagerly_on_cpu():
    spec = REGISTRY["relu"]
    x = torch.randn(64, requires_grad=True)
    assert choose(spec, spec.defaults, x) == "eager"
    y = actlab.get("relu")(x)
    assert "LeanFunction" not in type(y.grad_fn).__name__


def test_auto_follows_the_table(tmp_path, monkeypatch):
    _table(
        tmp_path,
        monkeypatch,
        {"cpu": {"min_numel": 100, "default": ["eager"], "dtypes": {"float32": {"relu": ["lean"]}}}},
    )
    spec = REGISTRY["relu"]
    small, big = torch.randn(50, requires_grad=True), torch.randn(500, requires_grad=True)
    assert auto_order(spec, torch.float32, torch.device("cpu"), 500) == ("lean", "eager")
    assert auto_order(spec, torch.float32, torch.device("cpu"), 50) == ("eager",)
    assert auto_order(spec, torch.float64, torch.device("cpu"), 500) == ("eager",)
    assert "LeanFunction" in type(actlab.get("relu")(big).grad_fn).__name__
    assert "LeanFunction" not in type(actlab.get("relu")(small).grad_fn).__name__


def test_auto_skips_backends_that_cannot_run(tmp_path, monkeypatch):
    pytest.importorskip("triton")
    monkeypatch.delenv("TRITON_INTERPRET", raising=False)
    _table(tmp_path, monkeypatch, {"cpu": {"min_numel": 0, "default": ["triton", "lean"]}})
    x = torch.randn(300, requires_grad=True)
    spec = REGISTRY["relu"]
    assert choose(spec, spec.defaults, x) == "lean"
    y = apply(spec, spec.defaults, x, "auto")
    y.sum().backward()
    torch.testing.assert_close(x.grad, (x.detach() > 0).float())


def test_auto_falls_back_to_lean_eager_on_a_runtime_failure(tmp_path, monkeypatch):
    _table(tmp_path, monkeypatch, {"cpu": {"min_numel": 0, "default": ["lean"]}})
    name = next(n for n in ("golu", "mish", "silu") if n in REGISTRY)
    spec = REGISTRY[name]
    x = torch.randn(256, dtype=torch.float64, requires_grad=True)
    k = kernels_for("lean", spec, spec.defaults, x.dtype, x.device)
    dispatch._GUARDED.pop(id(k), None)

    def broken(*a, **kw):
        raise RuntimeError("simulated kernel failure")

    monkeypatch.setattr(k, "backward", broken)
    y = apply(spec, spec.defaults, x, "auto")
    with pytest.warns(RuntimeWarning, match="simulated kernel failure"):
        (g,) = torch.autograd.grad(y.sum(), x)
    xx = x.detach().requires_grad_()
    (ref,) = torch.autograd.grad(spec(xx).sum(), xx)
    torch.testing.assert_close(g, ref)
    with warnings.catch_warnings():  # later calls use the fallback silently
        warnings.simplefilter("error")
        apply(spec, spec.defaults, x, "auto").sum().backward()
    dispatch._GUARDED.pop(id(k), None)


def test_shipped_table_is_valid():
    table = dispatch._load_table(str(dispatch.AUTOTABLE))
    assert set(table["devices"]) >= {"cpu", "cuda"}
    for dev in table["devices"].values():
        assert isinstance(dev["min_numel"], int)
        for impls in [dev["default"], *[i for d in dev.get("dtypes", {}).values() for i in d.values()]]:
            assert set(impls) <= set(dispatch.IMPLS) - {"auto"}
        for names in dev.get("dtypes", {}).values():
            assert set(names) <= set(REGISTRY) | {"*"}


def test_module_keeps_its_interface():
    act = actlab.get("relu", impl="lean")
    assert act.impl == "lean" and act.params == {} and act.name == "relu"
    assert repr(actlab.get("golu")).startswith("Activation[golu](") if "golu" in REGISTRY else True


def test_under_torch_compile_the_expression_is_traced():
    # is_compiling() short-cuts to the eager expression: dynamo sees plain torch ops
    act = actlab.get("relu", impl="lean")
    explain = torch._dynamo.explain(act)(torch.randn(16))
    assert explain.graph_break_count == 0
