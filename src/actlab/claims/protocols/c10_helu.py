"""Claim 10: HeLU trains better than ReLU while inference stays ReLU (Kimhi et al. 2024)."""

from __future__ import annotations

from typing import Any

from actlab.claims.base import Claim, Paper, register_claim
from actlab.claims.decide import contrast, metric_by_seed, superiority
from actlab.claims.protocols import _vision
from actlab.claims.protocols._common import Arms, finish, strip_plot

MIN_EFFECT = 0.002  # 0.2 percentage points of test accuracy


@register_claim
class HeLUvsReLU(Claim):
    name = "helu"
    statement = (
        "HeLU (ReLU forward, gradient also on (−α, 0]) reaches a higher accuracy than ReLU, with "
        "identical ReLU inference."
    )
    paper = Paper(
        "Kimhi, Kashani, Mendelson, Baskin",
        "Hysteresis Activation Function for Efficient Inference",
        2024,
        "2411.10573",
    )
    summary = (
        "digits CNN and MNIST-1D CNN (bench tasks), HeLU (α = 0.05, actlab.nn.HeLU) vs ReLU, same "
        "initialisation per seed; test accuracy at ReLU inference"
    )
    protocol = (
        "The paper trains the same networks with ReLU and with HeLU, whose backward passes the gradient "
        "where "
        "z > −α (α = 0.05), and evaluates both with the ReLU forward. Here: the bench's digits CNN "
        "(3 conv layers) and MNIST-1D CNN (3 conv layers), Adam, the tasks' own configs; HeLU and ReLU "
        "runs of "
        "one seed share the initialisation and data order (the activation has no parameters)."
    )
    scaled_down = (
        "The paper uses CIFAR-10/100 ResNets, ImageNet and GLUE; here two small CPU tasks, 5 (quick) "
        "or 10 (full) seeds, the tasks' quick or full configs."
    )
    decision = (
        "Effect per seed: accuracy(HeLU) − accuracy(ReLU) on each task; two contrasts, simultaneous "
        "intervals, "
        f"Holm (test-set error included). Supported: both significantly positive and ≥ {MIN_EFFECT:g}. Not "
        f"supported: an upper bound below {MIN_EFFECT:g}. Inconclusive otherwise."
    )
    presets = {p: {"seeds": k} for p, k in _vision.SEEDS.items()}


    def arms(self, s: dict[str, Any]) -> dict[str, list]:
        return {f"{a}@{t}": _vision.vision_arm(t, a, s["preset"], s["seeds"]) for t in _vision.TASKS
                for a in ("helu", "relu")}  # fmt: skip

    def evaluate(self, arms: Arms, s: dict[str, Any], preset: str):
        m = len(_vision.TASKS)
        cs = []
        for t in _vision.TASKS:
            worst = min((r.metrics["test_metric"] for a in ("helu", "relu") for r in arms[f"{a}@{t}"].values()
                         if r.status == "ok"), default=None)  # fmt: skip
            a, ca = metric_by_seed(arms[f"helu@{t}"], worst=worst)
            b, cb = metric_by_seed(arms[f"relu@{t}"], worst=worst)
            cs.append(contrast(f"{t}: helu − relu", a, b, True, 1 - 0.05 / m, ca, cb))
        return finish(
            self,
            preset,
            superiority(cs, MIN_EFFECT),
            "Δ test accuracy, HeLU − ReLU (smaller)",
            "paired t over seeds (+ test-set error), Holm",
        )

    def plot(self, arms: Arms, result, plots):
        series = {
            k: [r.metrics["test_metric"] for r in v.values() if r.status == "ok"] for k, v in arms.items()
        }
        return strip_plot(plots, self.name, series, "test accuracy", "HeLU versus ReLU (ReLU inference)")
