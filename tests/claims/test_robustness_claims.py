"""The robustness and OOD claims (c13–c16): their runs, and verdicts that come out every way."""

from __future__ import annotations

import math

import numpy as np
import pytest

from actlab.bench.report import Plots
from actlab.bench.store import RunRecord
from actlab.claims import INCONCLUSIVE, NOT_SUPPORTED, SUPPORTED, get_claim, plan

NOISE, QUANT = "smooth_noise_robustness", "smooth_quantization_robustness"
RECT, VRA = "ood_rectification", "vra_vs_react"


def _record(task: str, act: str, seed: int, metrics: dict, curves: dict | None = None) -> RunRecord:
    return RunRecord(key=f"{task}-{act}-{seed}", group=f"{task}-{act}", task=task, activation=act, params={},
                     seed=seed, config={}, version="x", status="ok", metrics=metrics, curves=curves or {})


def _robust_arms(effect: dict[str, float], spread: float = 0.002, clean: float = 0.95, last: float = 0.2,
                 metric: str = "noise_auc_relative", seeds: int = 5) -> dict:  # fmt: skip
    rng = np.random.default_rng(0)
    arms = {}
    for act in ("relu", "gelu", "silu"):
        arms[act] = {}
        for s in range(seeds):
            v = 0.55 + effect.get(act, 0.0) + rng.normal(0, spread)
            curve = [clean, 0.9, 0.7, 0.4, last]
            metrics = {"clean_accuracy": clean, metric: v, "test_metric": v}
            curves = {"noise_accuracy": curve, "noise_levels": [0, 0.5, 1, 2, 4], "quant_accuracy": curve,
                      "bits": [8, 4, 3, 2, 1]}
            arms[act][s] = _record("robustness", act, s, metrics, curves)
    return arms


@pytest.mark.parametrize("name, metric", [(NOISE, "noise_auc_relative"), (QUANT, "quant_auc_relative")])
def test_robustness_verdicts_come_out_either_way(name, metric):
    c = get_claim(name)
    s = c.settings("quick")
    up = c.evaluate(_robust_arms({"gelu": 0.05, "silu": 0.04}, metric=metric), s, "quick")
    assert up.verdict == SUPPORTED and up.estimate == pytest.approx(0.04, abs=0.005)
    assert up.ci[0] > 0 and up.p < 0.05 and up.n == 5
    down = c.evaluate(_robust_arms({"gelu": -0.05, "silu": 0.04}, metric=metric), s, "quick")
    assert down.verdict == NOT_SUPPORTED and down.ci[1] < 0
    flat = c.evaluate(_robust_arms({"gelu": 0.0, "silu": 0.0}, metric=metric), s, "quick")
    assert flat.verdict == NOT_SUPPORTED  # the interval excludes the claim's smallest effect (0.01)
    noisy = c.evaluate(_robust_arms({"gelu": 0.02, "silu": 0.02}, spread=0.05, metric=metric), s, "quick")
    assert noisy.verdict == INCONCLUSIVE


def test_robustness_claims_check_the_regime_first():
    c = get_claim(NOISE)
    s = c.settings("quick")
    unlearned = c.evaluate(_robust_arms({"gelu": 0.05, "silu": 0.05}, clean=0.7), s, "quick")
    assert unlearned.verdict == INCONCLUSIVE and "regime not reached" in unlearned.reason
    mild = c.evaluate(_robust_arms({"gelu": 0.05, "silu": 0.05}, last=0.9), s, "quick")
    assert mild.verdict == INCONCLUSIVE and "does not reach degradation" in mild.reason


def _ood_arms(react: float, vra: float, spread: float = 0.003, acc: float = 0.95, plain: float = 0.75,
             seed_spread: float = 0.02) -> dict:  # fmt: skip
    rng = np.random.default_rng(1)
    arms = {}
    for act in ("relu", "gelu", "silu", "tanh"):
        arms[act] = {}
        for s in range(5):
            p = plain + rng.normal(0, seed_spread)
            m = {"accuracy": acc, "auroc_plain": p, "auroc_react": p + react + rng.normal(0, spread),
                 "auroc_vra": p + vra + rng.normal(0, spread)}  # fmt: skip
            arms[act][s] = _record("ood", act, s, m)
    return arms


def test_rectification_verdicts_come_out_either_way():
    c = get_claim(RECT)
    s = c.settings("quick")
    assert c.evaluate(_ood_arms(0.03, 0.05), s, "quick").verdict == SUPPORTED
    worse = c.evaluate(_ood_arms(0.03, -0.04), s, "quick")
    assert worse.verdict == NOT_SUPPORTED and "VRA − plain" in worse.reason
    assert c.evaluate(_ood_arms(0.002, 0.03, spread=0.03), s, "quick").verdict == INCONCLUSIVE
    saturated = c.evaluate(_ood_arms(0.0, 0.0, plain=0.995, seed_spread=0.001), s, "quick")
    assert saturated.verdict == INCONCLUSIVE and "no room" in saturated.reason
    assert any(line.startswith("tanh:") for line in c.evaluate(_ood_arms(0.03, 0.05), s, "quick").details)


def test_vra_vs_react_is_a_non_inferiority_test():
    c = get_claim(VRA)
    s = c.settings("quick")
    same = c.evaluate(_ood_arms(0.03, 0.03), s, "quick")
    assert same.verdict == SUPPORTED and same.ci[0] > -0.01  # equal within the margin: VRA ≥ ReAct holds
    assert any("superiority" in line for line in same.details)
    assert c.evaluate(_ood_arms(0.05, 0.0), s, "quick").verdict == NOT_SUPPORTED
    assert c.evaluate(_ood_arms(0.03, 0.02, spread=0.03), s, "quick").verdict == INCONCLUSIVE


def test_the_planned_runs():
    planned = plan([NOISE, QUANT, RECT, VRA], "quick")
    noise, quant, rect, vra = (planned[n] for n in (NOISE, QUANT, RECT, VRA))
    assert set(noise) == set(quant) == {"relu", "gelu", "silu"}
    assert all(sp.task == "robustness" and sp.config["train_noise"] == 0.25 and sp.config["train_bits"] == 0
               for specs in noise.values() for sp in specs)  # fmt: skip
    assert all(sp.config["train_bits"] == 4 and sp.config["train_noise"] == 0
               for specs in quant.values() for sp in specs)  # fmt: skip
    assert sorted(sp.seed for sp in noise["relu"]) == list(range(5))
    assert set(rect) == {"relu", "gelu", "silu", "tanh"} and all(sp.task == "ood" for sp in rect["relu"])
    shared = {sp.key for a in rect.values() for sp in a}
    assert shared == {sp.key for a in vra.values() for sp in a}  # the two OOD claims share their runs
    full = plan([NOISE], "full")[NOISE]
    assert len(full["relu"]) == 10 and full["relu"][0].config["epochs"] == 60
    assert len(plan([RECT], "tiny")[RECT]["relu"]) == 2


def test_plots(tmp_path):
    plots = Plots(tmp_path)
    for name, arms in ((NOISE, _robust_arms({})), (QUANT, _robust_arms({})), (RECT, _ood_arms(0.01, 0.02)),
                       (VRA, _ood_arms(0.01, 0.02))):  # fmt: skip
        c = get_claim(name)
        path = c.plot(arms, c.evaluate(arms, c.settings("quick"), "quick"), plots)
        assert path and (tmp_path / path).is_file(), name


def test_claim_texts():
    for name in (NOISE, QUANT, RECT, VRA):
        c = get_claim(name)
        for text in (c.statement, c.summary, c.protocol, c.scaled_down, c.decision):
            assert text and "  " not in text and not math.isnan(len(text))
        assert c.paper.arxiv and c.paper.year >= 2021
