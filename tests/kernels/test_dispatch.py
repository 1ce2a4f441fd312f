"""Dispatch: impl names, forced-backend errors, the measured table behind impl="auto", fallbacks."""

from __future__ import annotations

import json
import warnings

import pytest
import torch

import actlab
from actlab.catalog.registry import REGISTRY
from actlab.kernels import backend, dispatch
from actlab.kernels.backend import Backend, LeanBackend, backend_names, get_backend, register_backend
from actlab.kernels.dispatch import BackendUnavailable, apply, auto_order, choose
from actlab.kernels.lean import Kernels
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


def test_small_inputs_run_eagerly_only_where_eager_is_within_the_memory_budget():
    relu = REGISTRY["relu"]
    x = torch.randn(64, requires_grad=True)
    # eager relu saves its output (4 bytes/element); the budget is 1 bit: the lean path runs
    assert not dispatch.eager_within_budget(relu, relu.defaults, x.dtype)
    assert choose(relu, relu.defaults, x) == "lean"
    assert "LeanFunction" in type(actlab.get("relu")(x).grad_fn).__name__
    # the caller may trade memory for speed, and nothing is saved without a gradient
    assert choose(relu, relu.defaults, x, memory="eager") == "eager"
    assert choose(relu, relu.defaults, x.detach()) == "eager"
    assert "LeanFunction" not in type(actlab.get("relu", memory="eager")(x).grad_fn).__name__
    with torch.no_grad():
        assert choose(relu, relu.defaults, x) == "eager"
    # tanh's eager backward needs only its output: within the budget, so eager runs
    tanh = REGISTRY["tanh"]
    assert dispatch.eager_within_budget(tanh, tanh.defaults, x.dtype)
    assert choose(tanh, tanh.defaults, x) == "eager"


def test_memory_option_is_validated():
    with pytest.raises(ValueError, match="memory must be one of 'lean', 'eager'"):
        actlab.get("relu", memory="none")
    with pytest.raises(ValueError, match="memory"):
        actlab.kernels.activation("relu", torch.randn(3), memory="x")


def test_auto_follows_the_table(tmp_path, monkeypatch):
    _table(
        tmp_path,
        monkeypatch,
        {"cpu": {"min_numel": 100, "default": ["eager"], "dtypes": {"float32": {"golu": ["compiled"]}}}},
    )
    golu, cpu = REGISTRY["golu"], torch.device("cpu")
    assert auto_order(golu, torch.float32, cpu, 500) == ("compiled", "lean")
    assert auto_order(golu, torch.float32, cpu, 500, memory="eager") == ("compiled", "eager")
    assert auto_order(golu, torch.float32, cpu, 50) == ("lean",)
    assert auto_order(golu, torch.float64, cpu, 500) == ("lean",)
    assert auto_order(golu, torch.float32, cpu, 500, grad=False) == ("compiled", "eager")
    tanh = REGISTRY["tanh"]
    assert auto_order(tanh, torch.float32, cpu, 500) == ("eager",)


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


class _Flaky(Backend):
    """A registered backend whose kernels fail at run time (backward), for the fallback test."""

    name = "flaky"

    def elementwise(self, spec, params, dtype, device):
        k = Kernels(spec, params)

        def broken(*a, **kw):
            raise RuntimeError("simulated kernel failure")

        k.backward = broken
        k.name = "flaky"
        return k


@pytest.fixture
def flaky():
    register_backend(_Flaky(), replace=True)
    yield
    backend._REGISTRY.pop("flaky", None)
    backend.clear_cache()
    dispatch._DECISIONS.clear()


def test_auto_falls_back_to_lean_eager_on_a_runtime_failure(tmp_path, monkeypatch, flaky):
    _table(tmp_path, monkeypatch, {"cpu": {"min_numel": 0, "default": ["flaky"]}})
    name = next(n for n in ("golu", "mish", "silu") if n in REGISTRY)
    spec = REGISTRY[name]
    x = torch.randn(256, dtype=torch.float64, requires_grad=True)
    assert choose(spec, spec.defaults, x) == "flaky"
    y = apply(spec, spec.defaults, x, "auto")
    with pytest.warns(RuntimeWarning, match="simulated kernel failure"):
        (g,) = torch.autograd.grad(y.sum(), x)
    xx = x.detach().requires_grad_()
    (ref,) = torch.autograd.grad(spec(xx).sum(), xx)
    torch.testing.assert_close(g, ref)
    with warnings.catch_warnings():  # later calls use the fallback silently
        warnings.simplefilter("error")
        apply(spec, spec.defaults, x, "auto").sum().backward()


def test_registry_names_and_errors():
    assert {"lean", "compiled", "triton"} <= set(backend_names())
    with pytest.raises(ValueError, match="unknown backend"):
        get_backend("nope")
    with pytest.raises(ValueError, match="already registered"):
        register_backend(LeanBackend())
    with pytest.raises(ValueError, match="name other than"):
        register_backend(type("B", (Backend,), {"name": "auto"})())


def test_a_registered_backend_is_an_impl(flaky):
    act = actlab.get("relu", impl="flaky")
    x = torch.randn(10, requires_grad=True)
    y = act(x)
    assert "LeanFunction" in type(y.grad_fn).__name__
    with pytest.raises(RuntimeError, match="simulated"):  # forced: no fallback, the error surfaces
        y.sum().backward()


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
