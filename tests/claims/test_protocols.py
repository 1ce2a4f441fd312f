"""Every claim's verdict can come out either way: synthetic runs shaped like each protocol's real runs
give 'supported' when the paper's effect is there and 'not supported' when it is absent."""

from __future__ import annotations

import math

import numpy as np
import pytest

import actlab.claims  # noqa: F401  (registers the claims)
from actlab.bench.store import RunRecord
from actlab.claims import INCONCLUSIVE, NOT_SUPPORTED, SUPPORTED, get_claim

_ARM = {"": 0}


def _jit(seed: int, scale: float = 1e-3) -> float:
    """Deterministic noise in [-scale, scale], different per seed and per arm (see ``arms_of``)."""
    return scale * float(np.random.default_rng([seed, _ARM[""]]).uniform(-1.0, 1.0))


def arms_of(claim: str, preset: str, seeds: int, make) -> tuple[dict, dict]:
    """Synthetic records for every arm: ``make(arm, spec) -> dict`` of RunRecord fields."""
    c = get_claim(claim)
    s = c.settings(preset, seeds)
    out = {}
    for arm, specs in c.arms(s).items():
        out[arm] = {}
        for sp in specs:
            _ARM[""] = sum(map(ord, arm))
            fields = {"status": "ok", "metrics": {}, "curves": {}, **make(arm, sp)}
            fields["metrics"].setdefault("steps", 1.0)
            ident = {"key": sp.key, "group": sp.group, "task": sp.task, "activation": sp.activation,
                     "params": sp.params, "seed": sp.seed, "config": sp.config, "version": sp.version}
            out[arm][sp.seed] = RunRecord(**ident, **fields)
    return out, s


def verdict(claim: str, preset: str, seeds: int, make) -> str:
    arms, s = arms_of(claim, preset, seeds, make)
    res = get_claim(claim).evaluate(arms, s, preset)
    assert res.verdict in (SUPPORTED, NOT_SUPPORTED, INCONCLUSIVE), res
    return res.verdict


def m(v, **kw):
    return {"metrics": {"test_metric": v, **kw}}


# ---------------------------------------------------------------------------- per claim


def _xor(good: str):
    def make(arm, sp):
        lrs, trials = sp.config["lrs"], sp.config["trials"]
        rate = 1.0 if arm.split("|")[0] == good else 0.5
        rng = np.random.default_rng(sp.seed + hash(arm) % 1000)
        c = (rng.random((len(lrs), trials)) < rate).astype(int)
        return {"correct": c.flatten().tolist(), "curves": {"lr": lrs}}
    return make


def test_prelu_xor_either_way():
    assert verdict("prelu_xor", "quick", 2, _xor("prelu")) == SUPPORTED
    assert verdict("prelu_xor", "quick", 2, _xor("gcu")) == NOT_SUPPORTED

    def mixed(arm, sp):  # supported under one encoding only: the uncertain encoding decides
        return _xor("prelu" if arm.endswith("|pm1") else "gcu")(arm, sp)

    assert verdict("prelu_xor", "quick", 2, mixed) == INCONCLUSIVE


def test_snake_either_way_and_regime():
    def make(ratio, interp=1e-4):
        return lambda arm, sp: m((0.01 if arm == "snake" else 0.01 * ratio) * (1 + 10 * _jit(sp.seed)),
                                 interp_mse=interp)
    assert verdict("snake_extrapolation", "quick", 6, make(100.0)) == SUPPORTED
    assert verdict("snake_extrapolation", "quick", 6, make(1.0)) == NOT_SUPPORTED
    assert verdict("snake_extrapolation", "quick", 6, make(100.0, interp=1.0)) == INCONCLUSIVE  # not fitted


def test_siren_either_way():
    def make(gap):
        return lambda arm, sp: m((20 + gap if arm == "siren" else 20) + 100 * _jit(sp.seed), siren_init=1.0)
    assert verdict("siren_image", "quick", 4, make(20.0)) == SUPPORTED
    assert verdict("siren_image", "quick", 4, make(1.0)) == NOT_SUPPORTED


def test_glu_variants_either_way_and_regime():
    def make(gated, plain=1.7):
        return lambda arm, sp: m((gated if arm in ("geglu", "swiglu") else plain) + _jit(sp.seed))
    assert verdict("glu_variants", "full", 5, make(1.6)) == SUPPORTED
    assert verdict("glu_variants", "full", 5, make(1.7)) == NOT_SUPPORTED
    assert verdict("glu_variants", "full", 5, make(2.4, plain=2.5)) == INCONCLUSIVE  # above 2 bits/char


def test_relu2_sparsity_either_way():
    def make(relu2_sparsity):
        def f(arm, sp):
            sp_ = relu2_sparsity if arm == "relu2" else 0.6
            return m(1.7 + _jit(sp.seed), **{"cett_sparsity@0.2": sp_ + _jit(sp.seed, 0.01),
                                             "cett_bpc@0.2": 1.72 + _jit(sp.seed)})
        return f
    assert verdict("relu2_sparsity", "full", 5, make(0.9)) == SUPPORTED
    assert verdict("relu2_sparsity", "full", 5, make(0.5)) == NOT_SUPPORTED


def test_relufication_either_way():
    def make(after):
        def f(arm, sp):
            zeros = 0.7 if arm == "relu" else 0.0
            extra = {"relufied_bpc_before": 2.5, "relufied_bpc": after + _jit(sp.seed)}
            extra = {} if arm == "relu" else extra
            return m(1.7 + _jit(sp.seed, 0.003), zero_fraction=zeros + _jit(sp.seed, 0.01), **extra)
        return f
    assert verdict("relufication", "full", 5, make(1.75)) == SUPPORTED
    assert verdict("relufication", "full", 5, make(2.45)) == NOT_SUPPORTED


def test_smelu_reproducibility_either_way():
    n = 400
    labels = np.random.default_rng(0).integers(0, 10, n)

    def make(relu_pd, smooth_pd):
        def f(arm, sp):
            pd = relu_pd if arm == "relu" else smooth_pd
            rng = np.random.default_rng(1000 * sp.seed + len(arm))
            curves = {"eval_epoch": [1, 2, 3], "test_metric": [0.5, 0.7, 0.8]}
            for e in (1, 2, 3):
                pred = labels.copy()
                if sp.seed % 2:  # the odd seed of each pair differs on a fraction pd of the examples
                    flip = rng.random(n) < pd
                    pred[flip] = (pred[flip] + 1) % 10
                curves[f"predictions@{e}"] = pred.astype(float).tolist()
            return {"metrics": {"test_metric": 0.8}, "curves": curves}
        return f
    assert verdict("smelu_reproducibility", "quick", 12, make(0.20, 0.05)) == SUPPORTED
    assert verdict("smelu_reproducibility", "quick", 12, make(0.10, 0.10)) == NOT_SUPPORTED


def test_selu_deep_either_way():
    def make(selu, relu):
        def f(arm, sp):
            acc = (selu if arm.startswith("selu") else relu) + _jit(sp.seed, 0.002)
            return m(acc, val_metric=acc)
        return f
    assert verdict("selu_deep", "quick", 5, make(0.9, 0.3)) == SUPPORTED
    assert verdict("selu_deep", "quick", 5, make(0.6, 0.6)) == NOT_SUPPORTED


def test_init_gain_either_way():
    def make(correct_drift):
        def f(arm, sp):
            act, gain = arm.split("|")
            v = correct_drift if gain == "actlab" else (-30.0 if gain == "lecun" else 20.0)
            return m(v + _jit(sp.seed, 0.05), gain=1.0)
        return f
    assert verdict("init_gain", "quick", 5, make(0.0)) == SUPPORTED
    assert verdict("init_gain", "quick", 5, make(-5.0)) == NOT_SUPPORTED


def test_helu_either_way():
    def make(gain):
        return lambda arm, sp: m((0.90 + gain if arm.startswith("helu") else 0.90) + _jit(sp.seed, 0.002))
    assert verdict("helu", "quick", 6, make(0.03)) == SUPPORTED
    assert verdict("helu", "quick", 6, make(0.0)) == NOT_SUPPORTED


def test_golu_either_way():
    def make(golu):
        return lambda arm, sp: m((golu if arm.startswith("golu") else 0.90) + _jit(sp.seed, 0.0005))
    assert verdict("golu", "quick", 6, make(0.90)) == SUPPORTED
    assert verdict("golu", "quick", 6, make(0.80)) == NOT_SUPPORTED


def test_ap_pruning_either_way_and_regime():
    def make(ap_acc, ap_dnr, dense=0.97):
        def f(arm, sp):
            acc, dnr = (ap_acc, ap_dnr) if arm == "ap" else (0.90, 0.5)
            return m(acc, high_sparsity_accuracy=acc + _jit(sp.seed, 0.002), dense_accuracy=dense,
                     high_sparsity_dead_rate=dnr + _jit(sp.seed, 0.01))
        return f
    assert verdict("ap_pruning", "quick", 6, make(0.95, 0.3)) == SUPPORTED
    assert verdict("ap_pruning", "quick", 6, make(0.90, 0.5)) == NOT_SUPPORTED
    assert verdict("ap_pruning", "quick", 6, make(0.95, 0.3, dense=0.905)) == INCONCLUSIVE  # no pruning cost


@pytest.mark.parametrize("name", ["prelu_xor", "snake_extrapolation", "siren_image", "glu_variants",
                                  "relu2_sparsity", "relufication", "smelu_reproducibility", "selu_deep",
                                  "init_gain", "helu", "golu", "ap_pruning"])  # fmt: skip
def test_every_claim_says_what_it_tests(name):
    c = get_claim(name)
    assert c.statement and c.paper.year and c.protocol and c.scaled_down and c.decision and c.summary
    assert c.specs("tiny"), "a tiny preset for the tests"
    full = c.specs("full")
    assert full and all(math.isfinite(sp.seed) for sp in full)
    if c.settings("quick") is None:
        assert "quick" in c.out_of_reach  # out of reach is said, with the reason
