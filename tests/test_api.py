"""The public catalog API: names, errors, properties, init gain, docs and CLI."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
import torch
from typer.testing import CliRunner

import actlab
from actlab.cli import app

ROOT = Path(__file__).resolve().parents[1]


def test_unknown_name_suggests_close_matches():
    with pytest.raises(actlab.UnknownActivationError) as e:
        actlab.get("rleu")
    assert isinstance(e.value, LookupError)
    assert "'rleu'" in str(e.value) and "'relu'" in str(e.value)
    with pytest.raises(actlab.UnknownActivationError, match="available"):
        actlab.describe("zzzzzzzz")


def test_unknown_keyword_lists_valid_ones():
    with pytest.raises(TypeError, match=r"'gama'.*valid parameters: alpha, beta, gamma"):
        actlab.get("golu", gama=2.0)
    with pytest.raises(TypeError, match="valid parameters: none"):
        actlab.functional.relu(torch.ones(1), alpha=1.0)


def test_out_of_range_names_parameter_and_range():
    with pytest.raises(ValueError, match=r"smelu: parameter 'beta' must be in \[0, inf\), got -1.0"):
        actlab.get("smelu", beta=-1.0)
    with pytest.raises(ValueError, match="parameter 'beta'"):
        actlab.functional.smelu(torch.ones(1), beta=float("nan"))
    with pytest.raises(ValueError, match="must be a number"):
        actlab.get("smelu", beta="wide")
    for bad in (float("inf"), float("nan"), 2.5):  # int parameters: ValueError naming the range
        with pytest.raises(ValueError, match=r"repu: parameter 'p' must be an integer in \[1, inf\)"):
            actlab.get("repu", p=bad)
    with pytest.raises(ValueError, match="must be a sequence of numbers"):
        actlab.get("pau", numerator="abcdef")


def test_alias_clash_after_normalisation_rejected():
    from actlab.catalog.registry import activation

    cite = actlab.describe("relu").citation
    register = activation(
        "zz_clash", family="rectified", latex="x", text="x", citation=cite, aliases=("Squared-ReLU",)
    )
    with pytest.raises(ValueError, match="registered twice"):
        register(lambda x: x)
    assert actlab.describe("squared_relu").name == "relu2"


def test_aliases_and_normalisation():
    assert actlab.describe("Leaky-ReLU").name == "leaky_relu"
    assert actlab.describe("squared_relu").name == "relu2"
    x = torch.randn(16)
    torch.testing.assert_close(actlab.functional.squared_relu(x), actlab.functional.relu2(x))


def test_available_and_families():
    names = actlab.available()
    assert names == sorted(names) and len(names) >= 80
    assert "relu" in actlab.available("rectified")
    with pytest.raises(ValueError, match="unknown family"):
        actlab.available("nope")


def test_module_repr_shows_parameters():
    m = actlab.get("golu", gamma=2.0)
    assert "golu" in repr(m) and "gamma=2.0" in repr(m)


SEEDS = {
    "swish": {"beta": 1.0},
    "golu": {"alpha": 1.0, "beta": 1.0, "gamma": 1.0},
    "smelu": {"beta": 2.0},
    "helu": {},
    "sau": {"alpha": 0.15, "n": 1.0},
    "aptx": {"alpha": 1.0, "beta": 1.0, "gamma": 0.5},
    "xatlu": {"alpha": 0.0},
    "xgelu": {"alpha": 0.0},
    "xsilu": {"alpha": 0.0},
    "crrelu": {"eps": 0.01},
    "elephant": {"sigma": 1.0, "d": 2, "h": 1.0},
    "apa": {"lambd": 1.0, "kappa": 1.0},
    "aglu": {"lambd": 1.0, "kappa": 1.0},
    "snake": {"a": 1.0},
    "sine": {"w0": 30.0},
    "relu2": {},
}
TORCH_NN = (
    "relu relu6 leaky_relu prelu rrelu elu celu selu gelu gelu_tanh silu mish softplus softsign "
    "sigmoid tanh hardtanh hardswish hardsigmoid hardshrink softshrink tanhshrink logsigmoid threshold"
).split()


@pytest.mark.parametrize("name,defaults", sorted(SEEDS.items()))
def test_seed_activations_with_stated_defaults(name, defaults):
    spec = actlab.describe(name)
    assert spec.name == name
    got = {k: v for k, v in spec.defaults.items() if k in defaults}
    assert got == defaults and set(defaults) <= set(spec.defaults)
    assert spec.citation.year >= 2010 and (spec.citation.arxiv or spec.citation.url)


def test_pau_and_velu_present():
    pau = actlab.describe("pau")
    assert len(pau.defaults["numerator"]) == 6 and len(pau.defaults["denominator"]) == 4
    assert actlab.describe("velu").elementwise is False


@pytest.mark.parametrize("name", TORCH_NN)
def test_every_torch_nn_activation_present(name):
    assert actlab.describe(name).name == name


def test_init_gain_known_values():
    assert actlab.init_gain("relu") == pytest.approx(math.sqrt(2), rel=1e-7)
    assert actlab.init_gain("identity") == pytest.approx(1.0, rel=1e-7)
    assert actlab.init_gain("tanh") > 1.0
    # SELU keeps unit second moment by construction (Klambauer et al.)
    assert actlab.init_gain("selu") == pytest.approx(1.0, abs=2e-3)


def test_properties_computed():
    p = actlab.properties("relu")
    assert (p.monotonic, p.bounded_below, p.bounded_above, p.zero_at_zero, p.c1, p.piecewise_linear) == (
        True, True, False, True, False, True,
    )
    p = actlab.properties("silu")
    assert not p.monotonic and p.bounded_below and not p.bounded_above and p.c1 and not p.piecewise_linear
    p = actlab.properties("tanh")
    assert p.monotonic and p.bounded_below and p.bounded_above and p.c1
    p = actlab.properties("sigmoid")
    assert not p.zero_at_zero
    p = actlab.properties("smelu")
    assert p.c1 and p.monotonic and not p.piecewise_linear
    p = actlab.properties("sine")
    assert p.bounded_above and p.bounded_below and not p.monotonic
    p = actlab.properties("softplus")
    assert not p.bounded_above  # grows without bound


def test_cli_list_and_show(tmp_path):
    r = CliRunner().invoke(app, ["list", "--json"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.output)
    assert {"name", "family", "params", "year"} <= set(rows[0])
    assert len(rows) == len(actlab.available())
    r = CliRunner().invoke(app, ["list", "--family", "rectified"])
    assert r.exit_code == 0 and "relu" in r.output
    png = tmp_path / "golu.png"
    r = CliRunner().invoke(app, ["show", "golu", "--plot", str(png)])
    assert r.exit_code == 0, r.output
    assert "exp(-exp(" in r.output.replace(" ", "") or "Gompertz" in r.output
    assert "init gain" in r.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    r = CliRunner().invoke(app, ["show", "gollu"])
    assert r.exit_code == 2 and "golu" in r.output


def test_module_names_reject_options_they_do_not_have():
    assert isinstance(actlab.get("cats"), torch.nn.Module)
    with pytest.raises(TypeError, match="trainable"):
        actlab.get("cats", trainable=True)
    with pytest.raises(TypeError, match="impl"):
        actlab.get("topk", k=2, impl="triton")
