"""Fingerprints and identification against the catalog."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import actlab
from actlab.search.fingerprint import GRID, fingerprint, from_arrays
from actlab.search.identify import identify

# catalog functions written differently in the expression language (defaults of the catalog entry)
FORMS = {
    "silu": "x/(1 + exp(-x))",
    "gelu": "0.5*x*(1 + erf(x/sqrt(2)))",
    "gelu_tanh": "0.5*x*(1 + tanh(0.7978845608028654*(x + 0.044715*x^3)))",
    "softplus": "log(1 + exp(x))",
    "tanh": "2*sigmoid(2*x) - 1",
    "sigmoid": "1/(1 + exp(-x))",
    "mish": "x*tanh(log(1 + exp(x)))",
    "relu": "max(x, 0)",
    "leaky_relu": "max(x, 0.01*x)",
    "elu": "max(x, 0) + min(exp(x) - 1, 0)",
    "selu": "1.0507009873554805*(max(x, 0) + 1.6732632423543772*min(exp(x) - 1, 0))",
    "softsign": "x/(1 + abs(x))",
    "tanhshrink": "x - tanh(x)",
    "logsigmoid": "-log(1 + exp(-x))",
    "relu6": "min(max(x, 0), 6)",
    "hardsigmoid": "min(max(x/6 + 0.5, 0), 1)",
    "hardswish": "x*min(max(x + 3, 0), 6)/6",
    "relu2": "max(x, 0)^2",
    "golu": "x*exp(-exp(-x))",
    "identity": "x",
    "absolute": "abs(x)",
    "gaussian": "exp(-x^2)",
    "hardtanh": "max(min(x, 1), -1)",
    "snake": "x + sin(x)^2",
    "lisht": "x*tanh(x)",
    "tanhexp": "x*tanh(exp(x))",
    "isru": "x/sqrt(1 + x^2)",
    "squareplus": "(x + sqrt(x^2 + 4))/2",
    "bent_identity": "(sqrt(x^2 + 1) - 1)/2 + x",
    "serf": "x*erf(log(1 + exp(x)))",
    "gcu": "x*cos(x)",
    "ssp": "softplus(x) - log(2)",
    "elliott": "0.5*x/(1 + abs(x)) + 0.5",
    "sine": "sin(30*x)",
    "softshrink": "max(x - 0.5, 0) + min(x + 0.5, 0)",
    "celu": "max(x, 0) + min(exp(x) - 1, 0)",
    "eswish": "1.375*x*sigmoid(x)",
    "xatlu": "x*(atan(x)/pi + 0.5)",
}

# parametric entries at non-default parameters: (catalog name, expected parameters, rewritten form)
PARAMETRIC = [
    ("swish", {"beta": 1.7}, "x/(1 + exp(-1.7*x))"),
    ("leaky_relu", {"negative_slope": 0.2}, "max(x, 0) + 0.2*min(x, 0)"),
    ("elu", {"alpha": 0.5}, "max(x, 0) + 0.5*min(exp(x) - 1, 0)"),
    ("golu", {"beta": 2.0, "gamma": 0.5}, "x*exp(-2*exp(-0.5*x))"),
]


def test_equivalent_forms_share_a_fingerprint():
    keys = {fingerprint(f).key for f in ("x*sigmoid(x)", "x/(1 + exp(-x))", "silu", "sigmoid(x)*x")}
    keys.add(fingerprint(torch.nn.functional.silu).key)
    keys.add(fingerprint(torch.nn.SiLU()).key)
    keys.add(fingerprint(actlab.describe("silu")).key)
    assert len(keys) == 1
    assert fingerprint("max(x, 0)") == fingerprint("relu") == fingerprint("(x + abs(x))/2")
    assert fingerprint("tanh(x)") == fingerprint("2*sigmoid(2*x) - 1")


def test_different_functions_differ():
    forms = [
        "x*sigmoid(x)",
        "x*sigmoid(1.001*x)",
        "gelu",
        "gelu_tanh",
        "max(x, 0)",
        "max(x, 0.01*x)",
        "tanh(x)",
        "x",
    ]
    assert len({fingerprint(f).key for f in forms}) == len(forms)


@pytest.mark.parametrize(
    "near0,tails",
    [
        ("max(x, 0)", "min(max(x, 0), 30)"),  # identical on [-30, 30]
        ("x", "x + 1e-20*exp(x)"),  # differs only where e^x is large (x > ~40)
        ("tanh(x)", "tanh(x) + 0.01*max(x - 20, 0)"),
    ],
)
def test_agree_near_zero_differ_in_tails(near0, tails):
    a, b = fingerprint(near0), fingerprint(tails)
    core = np.abs(GRID) <= 5.01
    assert np.array_equal(a.values[core], b.values[core])
    assert a != b


def test_fingerprint_is_robust_to_float_noise():
    fp = fingerprint("silu")
    rng = np.random.default_rng(0)
    noisy = from_arrays(fp.values * (1 + 1e-13 * rng.standard_normal(fp.values.shape)), fp.derivs)
    assert noisy == fp
    # the derivative is part of the identity: same values, different slope → different key
    assert from_arrays(fp.values, fp.derivs * (1 + 1e-3)) != fp


def test_catalog_covers_the_sample():
    present = [n for n in FORMS if n in actlab.available()]
    assert len(present) >= 20, f"only {len(present)} of the sample are in the catalog"


@pytest.mark.parametrize("name", sorted(FORMS))
def test_identify_finds_catalog_function_from_rewritten_form(name):
    if name not in actlab.available():
        pytest.skip(f"{name} is not in the catalog")
    ident = identify(FORMS[name], near=False)
    assert ident.kind == "exact", ident.summary()
    assert name in [m["name"] for m in ident.matches], ident.summary()
    # matched at the catalog defaults: no parameters shown for that entry
    match = next(m for m in ident.matches if m["name"] == name)
    assert match["params"] == {}


@pytest.mark.parametrize("name,params,form", PARAMETRIC)
def test_identify_searches_parameters(name, params, form):
    ident = identify(form, near=False)
    assert ident.kind == "exact", ident.summary()
    target = fingerprint(form)  # every match, at its fitted parameters, is the target function
    for m in ident.matches[:3]:
        assert fingerprint(m["name"], m["params"]).distance(target) <= 1e-5, m
    match = next((m for m in ident.matches if m["name"] == name), None)
    assert match is not None, ident.summary()
    for k, v in params.items():
        assert match["params"][k] == pytest.approx(v, rel=1e-6)


@pytest.mark.parametrize(
    "form,name,abcd",
    [
        # (2*tanh(3x) + 1 is now an exact variant sigmoid, 4σ(6x) - 1: no longer a near match)
        ("2*(3*x)*tanh(3*x) + 1", "lisht", (2, 3, 0, 1)),
        ("3*tanh(2*x + 1) - 1", "tanh", (3, 2, 1, -1)),
        # (2*exp(-(1.4x)^2) is now an exact NAF/polyexp instance)
        ("2*tanh(softplus(3*x + 1))*(3*x + 1) - 1", "mish", (2, 3, 1, -1)),
        ("0.5*(1.4*x + 0.5)*(1 + erf((1.4*x + 0.5)/sqrt(2)))", "gelu", (1, 1.4, 0.5, 0)),
    ],
)
def test_near_matches_are_reported_with_the_transform(form, name, abcd):
    ident = identify(form)
    assert ident.kind == "near", ident.summary()
    n = ident.near
    # the same function g may be written with another catalog entry; check the fitted transform
    assert n["name"] == name, ident.summary()
    assert (n["a"], n["b"], n["c"], n["d"]) == pytest.approx(abcd, rel=1e-6, abs=1e-9)
    assert "near" in ident.summary()


def test_unknown_function_reports_nearest():
    ident = identify("x*sin(x)^2 + 0.1*x")
    assert ident.kind == "new"
    assert ident.summary().startswith("no known function within tolerance; nearest: ")
    assert len(ident.nearest) >= 3
    assert ident.nearest[0]["distance"] <= ident.nearest[1]["distance"]


def test_identify_accepts_callables_and_names():
    assert identify(lambda t: torch.where(t > 0, t, torch.zeros_like(t))).name == "relu"
    assert identify("gelu").name == "gelu"
    assert identify(torch.nn.Tanh()).name == "tanh"
