"""Claim 7: smooth activations (SmeLU, GELU, Swish) give a better accuracy–reproducibility trade-off than
ReLU: lower prediction difference between identically configured models at matched accuracy (Shamir et
al. 2020)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from actlab.claims.base import INCONCLUSIVE, Claim, Paper, register_claim
from actlab.claims.decide import contrast, superiority
from actlab.claims.protocols._common import Arms, arm, finish

MIN_EFFECT = 0.005  # half a percentage point of the test examples
SMOOTH = ("smelu", "gelu", "silu")


def trajectory(r) -> tuple[list[float], list[list[float]]]:
    """(accuracy per evaluation, test predictions per evaluation) of one run."""
    epochs = [int(e) for e in r.curves.get("eval_epoch", [])]
    acc = list(r.curves.get("test_metric", []))
    preds = [r.curves.get(f"predictions@{e}") for e in epochs]
    if len(acc) != len(epochs) or any(p is None for p in preds):
        return [], []
    return acc, preds


def pair_curve(a, b) -> tuple[np.ndarray, np.ndarray]:
    """(mean accuracy, prediction difference) at each evaluation of two runs of one activation."""
    acc_a, pa = trajectory(a)
    acc_b, pb = trajectory(b)
    n = min(len(acc_a), len(acc_b))
    accs = np.array([(acc_a[i] + acc_b[i]) / 2 for i in range(n)])
    pds = np.array([float(np.mean(np.asarray(pa[i]) != np.asarray(pb[i]))) for i in range(n)])
    return accs, pds


def at_accuracy(accs: np.ndarray, pds: np.ndarray, level: float) -> float:
    """Prediction difference where the pair's accuracy first reaches ``level`` (linearly between
    evaluations)."""
    idx = np.nonzero(accs >= level)[0]
    if not idx.size:
        return math.nan
    i = int(idx[0])
    if i == 0 or accs[i] == accs[i - 1]:
        return float(pds[i])
    w = (level - accs[i - 1]) / (accs[i] - accs[i - 1])
    return float(pds[i - 1] + w * (pds[i] - pds[i - 1]))


def pairs(runs: dict[int, Any]) -> dict[int, tuple]:
    """Disjoint seed pairs (0, 1), (2, 3), …: independent prediction-difference measurements."""
    out = {}
    for j in range(max(runs, default=-1) // 2 + 1):
        a, b = runs.get(2 * j), runs.get(2 * j + 1)
        if a is not None and b is not None and a.status == "ok" and b.status == "ok":
            out[j] = pair_curve(a, b)
    return out


@register_claim
class SmeluReproducibility(Claim):
    name = "smelu_reproducibility"
    statement = (
        "Smooth activations (SmeLU, GELU, Swish) have lower prediction difference between identically "
        "configured models than ReLU at matched accuracy."
    )
    paper = Paper(
        "Shamir, Lin, Coviello", "Smooth activations and reproducibility in deep networks", 2020, "2010.09931"
    )
    summary = (
        "MNIST-1D, 2×256 MLP, Adam; disjoint seed pairs; prediction difference of each pair along "
        "training, read at the accuracy every pair reaches; SmeLU (β = 2), GELU, SiLU vs ReLU"
    )
    protocol = (
        "The paper's measure: the prediction difference (PD) between two models with identical configuration "
        "and data, differing only in random initialisation and data order (here: the seed), is the fraction "
        "of test examples whose predicted label differs; PD falls with accuracy, so the paper compares "
        "activations on the accuracy–PD trade-off. Here each pair's PD is recorded at 10 points along "
        "training and read at a matched accuracy a* (the highest accuracy that every pair of every "
        "activation "
        "reaches, linearly between evaluations). MNIST-1D MLP 40→256→256→10, Adam lr 3e-3, batch 100."
    )
    scaled_down = (
        "The paper uses ad-click and image benchmarks with many model pairs; here MNIST-1D "
        "(4000 training examples) with 4 (quick) or 8 (full) independent pairs per activation."
    )
    decision = (
        "Effect per pair j: PD_ReLU,j(a*) − PD_smooth,j(a*) (positive = smooth more reproducible) for "
        "SmeLU, GELU "
        "and SiLU: three contrasts, simultaneous intervals, Holm. Supported: all three significantly "
        "positive "
        f"and ≥ {MIN_EFFECT:g}. Not supported: an upper bound below {MIN_EFFECT:g}. Inconclusive "
        "otherwise. The "
        "interval covers pair-to-pair variation; the test set is fixed (its sampling error is not included)."
    )
    presets = {
        "tiny": {"seeds": 4, "config": {"epochs": 2, "width": 32, "evals": 2}},
        "quick": {"seeds": 8, "config": {"epochs": 20, "evals": 10}},
        "full": {"seeds": 16, "config": {"epochs": 40, "evals": 10}},
    }

    def arms(self, s: dict[str, Any]) -> dict[str, list]:
        cfg = {"model": "mlp", "width": 256, "depth": 2, "lr": 3e-3, "eval_predictions": True, **s["config"]}
        return {a: arm("mnist1d", a, s["seeds"], cfg) for a in ("relu", *SMOOTH)}

    def evaluate(self, arms: Arms, s: dict[str, Any], preset: str):
        curves = {a: pairs(r) for a, r in arms.items()}
        if any(not c for c in curves.values()):
            return self.result(preset, INCONCLUSIVE, reason="an activation has no complete seed pair")
        level = min(float(acc.max()) for c in curves.values() for acc, _ in c.values())
        pd = {a: {j: at_accuracy(acc, p, level) for j, (acc, p) in c.items()} for a, c in curves.items()}
        m = len(SMOOTH)
        cs = [contrast(f"PD relu − {a}", pd["relu"], pd[a], True, 1 - 0.05 / m) for a in SMOOTH]
        d = superiority(cs, MIN_EFFECT)
        extra = [f"matched accuracy a* = {level:.4f}"]
        for a, c in curves.items():
            fin = [(acc[-1], p[-1]) for acc, p in c.values()]
            extra.append(
                f"{a}: at a* PD {np.nanmean(list(pd[a].values())):.4f}; at the end accuracy "
                f"{np.mean([f[0] for f in fin]):.4f}, PD {np.mean([f[1] for f in fin]):.4f} ({len(c)} pairs)"
            )
        return finish(
            self,
            preset,
            d,
            "Δ prediction difference at matched accuracy, ReLU − smooth (smallest)",
            "paired t over seed pairs, Holm",
            extra,
        )

    def plot(self, arms: Arms, result, plots):
        fig, ax = plots.plt.subplots(figsize=(6.5, 4.2))
        names = list(arms)
        for a, col in zip(names, plots.colors(len(names))):
            for k, (acc, p) in enumerate(pairs(arms[a]).values()):
                ax.plot(acc, p, color=col, lw=1, alpha=0.8, marker=".", label=a if k == 0 else None)
        ax.set_xlabel("accuracy of the pair (mean)")
        ax.set_ylabel("prediction difference between the pair")
        ax.set_title("Reproducibility along training: one line per seed pair", fontsize=10)
        ax.legend(fontsize=8)
        return plots.save(fig, "claim-smelu-reproducibility")
