"""Parameters of every entry: tensor parameters (as the learnable modules pass them) give the same
values as Python numbers, broadcast per channel and have correct gradients; the learnable module
learns them; bad values (out of range, non-finite, huge) are a ValueError naming the parameter."""

from __future__ import annotations

import math

import pytest
import torch

import actlab
from tests.catalog.common import (
    ELEMENTWISE,
    SPECS,
    away_from_kinks,
    float_params,
    settings,
    tensor_params,
)

WITH_FLOATS = [n for n in ELEMENTWISE if float_params(SPECS[n])]
SCALAR_FLOATS = [n for n in WITH_FLOATS if all(p.kind != "vector" for p in SPECS[n].params)]


def _sample(name: str, params: dict, n: int = 64) -> torch.Tensor:
    gen = torch.Generator().manual_seed(1)
    pts = (torch.randn(n, generator=gen, dtype=torch.float64) * 3).tolist() + [-15.3, 15.3, 0.7, -0.7]
    return torch.tensor(away_from_kinks(name, pts, params), dtype=torch.float64)


@pytest.mark.parametrize("name", WITH_FLOATS)
def test_tensor_parameters_match_numbers_and_have_gradients(name):
    spec = SPECS[name]
    for params in settings(name):
        x = _sample(name, params)
        torch.testing.assert_close(
            spec.fn(x, **tensor_params(spec, params)), spec.fn(x, **params), rtol=1e-12, atol=1e-300
        )
    params = settings(name)[1]  # the first non-default case (defaults can sit on a kink in θ)
    x = _sample(name, params)
    names = float_params(spec)
    fixed = {k: v for k, v in params.items() if k not in names}
    leaves = [torch.tensor(params[k], dtype=torch.float64, requires_grad=True) for k in names]
    xg = x.clone().requires_grad_(True)

    def f(xx, *ps):
        return spec.fn(xx, **fixed, **dict(zip(names, ps)))

    assert torch.autograd.gradcheck(f, (xg, *leaves), eps=1e-6, atol=1e-6, rtol=1e-4)


@pytest.mark.parametrize("name", SCALAR_FLOATS)
def test_per_channel_parameters_broadcast(name):
    spec = SPECS[name]
    params = settings(name)[1]
    floats = float_params(spec)
    x = torch.randn(3, 11, dtype=torch.float64, generator=torch.Generator().manual_seed(2)) * 3
    rows = [dict(params), spec.defaults, settings(name)[-1]]
    per_channel = dict(params)
    for k in floats:
        per_channel[k] = torch.tensor([r[k] for r in rows], dtype=torch.float64).reshape(3, 1)
    y = spec.fn(x, **per_channel)
    for i, row in enumerate(rows):
        row_params = {**params, **{k: row[k] for k in floats}}
        torch.testing.assert_close(y[i], spec.fn(x[i], **row_params), rtol=1e-12, atol=1e-300)


@pytest.mark.parametrize("name", [n for n in SCALAR_FLOATS if SPECS[n].module is None])
def test_learnable_module_learns_and_matches_the_function(name):
    spec = SPECS[name]
    # learnable parameters are created in float32: compare with the same rounded values as numbers
    params = {k: (float(torch.tensor(v, dtype=torch.float32)) if k in float_params(spec) else v)
              for k, v in settings(name)[1].items()}
    x = torch.linspace(-8.0, 8.0, 41, dtype=torch.float64).reshape(1, 41, 1) + 0.0137
    expected = actlab.functional.apply(name, x, **params)
    mod = actlab.get(name, trainable=True, **params).double()
    assert any(p.requires_grad for p in mod.parameters())
    xr = x.clone().requires_grad_(True)
    y = mod(xr)
    # a parameter learned on a log scale is stored as log θ in float32: exp(log θ) rounds θ
    tol = 1e-6 if any(p.log_scale for p in spec.params) else 1e-12
    torch.testing.assert_close(y, expected, rtol=tol, atol=tol)
    grads = torch.autograd.grad(y.sum(), [xr, *mod.parameters()], allow_unused=True)
    assert all(g is None or torch.isfinite(g).all() for g in grads)
    per_channel = actlab.get(name, trainable=True, num_parameters=41, **params).double()
    torch.testing.assert_close(per_channel(x), expected, rtol=tol, atol=tol)


TRAINABLE_VECTORS = [
    n for n in ELEMENTWISE
    if SPECS[n].module is None and any(p.kind == "vector" and p.trainable for p in SPECS[n].params)
]


@pytest.mark.parametrize("name", TRAINABLE_VECTORS)
def test_learnable_module_learns_coefficient_vectors(name):
    spec = SPECS[name]
    mod = actlab.get(name, trainable=True).double()
    vectors = [p.name for p in spec.params if p.kind == "vector" and p.trainable]
    assert set(vectors) <= set(mod.learned)
    x = torch.linspace(-6.0, 6.0, 61, dtype=torch.float64) + 0.0137
    # coefficients are created in float32: compare with the same rounded values as numbers
    rounded = {k: torch.tensor(spec.defaults[k], dtype=torch.float32).tolist() for k in mod.learned}
    rounded = {k: tuple(v) if isinstance(v, list) else v for k, v in rounded.items()}
    torch.testing.assert_close(mod(x), spec.fn(x, **{**spec.defaults, **rounded}), rtol=1e-10, atol=1e-12)
    grads = torch.autograd.grad(mod(x).sum(), [getattr(mod, mod._storage(k)) for k in vectors])
    assert all(torch.isfinite(g).all() for g in grads) and any(g.abs().sum() > 0 for g in grads)


def _bad_values(p) -> list[float]:
    bad = [math.nan, math.inf, -math.inf]
    if p.low is not None:
        bad.append(p.low - 1e-3 * max(1.0, abs(p.low)) if p.low_inclusive else p.low)
    if p.high is not None:
        bad.append(p.high + 1e-3 * max(1.0, abs(p.high)) if p.high_inclusive else p.high)
    return bad


PARAMS = [(n, p.name) for n in sorted(SPECS) for p in SPECS[n].params if p.kind == "float"]


@pytest.mark.parametrize("name,param", PARAMS, ids=[f"{n}.{p}" for n, p in PARAMS])
def test_bad_parameter_values_are_value_errors_naming_the_parameter(name, param):
    p = SPECS[name].param(param)
    for v in _bad_values(p):
        with pytest.raises(ValueError, match=f"parameter '{param}'"):
            actlab.get(name, **{param: v})


@pytest.mark.parametrize("name,param", PARAMS, ids=[f"{n}.{p}" for n, p in PARAMS])
def test_huge_parameter_values_are_rejected_or_work(name, param):
    """1e308 overflows float32: either a ValueError naming the parameter, or a working module."""
    spec = SPECS[name]
    x = torch.linspace(-3.0, 3.0, 7, dtype=torch.float32).reshape(1, 7)
    for v in (1e308, -1e308, 3.0e38, -3.0e38):
        try:
            spec.param(param).check(v, name)
        except ValueError:
            continue  # outside the declared range: rejected, as the range says
        try:
            mod = actlab.get(name, **{param: v})
        except ValueError as e:
            assert f"'{param}'" in str(e), f"{name}({param}={v}): ValueError not naming the parameter: {e}"
            continue
        try:
            y = mod(x)  # must not raise anything but a ValueError naming it (a RuntimeError is a defect)
        except ValueError as e:
            assert f"'{param}'" in str(e), f"{name}({param}={v}): ValueError not naming the parameter: {e}"
            continue
        assert y.shape == x.shape


@pytest.mark.parametrize(
    "name,params,match",
    [
        ("rrelu", {"lower": 0.3, "upper": 0.1}, "'lower' must be <= 'upper'"),
        ("hardtanh", {"min_val": 1.0, "max_val": 1.0}, "'min_val' must be < 'max_val'"),
        ("s_shaped_relu", {"t_left": 2.0, "t_right": 1.0}, "'t_left' must be < 't_right'"),
    ],
)
def test_inconsistent_parameters_raise(name, params, match):
    with pytest.raises(ValueError, match=match):
        actlab.functional.apply(name, torch.ones(3), **params)


@pytest.mark.parametrize(
    "name,params",
    [("smelu", {"beta": -0.5}), ("elephant", {"d": 0}), ("elephant", {"d": 2.5}), ("squareplus", {"b": 0.0}),
     ("celu", {"alpha": 0.0}), ("repu", {"p": 0}), ("pau", {"numerator": (1.0, 2.0)})],
)
def test_out_of_range_parameters_raise(name, params):
    with pytest.raises(ValueError, match="parameter"):
        actlab.get(name, **params)


def test_out_of_range_messages_name_the_range():
    with pytest.raises(ValueError, match=r"apa: parameter 'lambd' must be in \(0, inf\)"):
        actlab.get("apa", lambd=0.0)
    with pytest.raises(ValueError, match=r"isru: parameter 'alpha' must be in \(0, inf\), got -1.0"):
        actlab.functional.isru(torch.ones(1), alpha=-1.0)
    with pytest.raises(ValueError, match=r"penalized_tanh: parameter 'a' must be in \[0, 1\]"):
        actlab.get("penalized_tanh", a=2.0)
    with pytest.raises(TypeError, match="valid parameters: w0"):
        actlab.get("sine", omega=3.0)
