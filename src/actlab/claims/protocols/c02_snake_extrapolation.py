"""Claim 2: Snake extrapolates periodic signals where ReLU and tanh do not (Ziyin et al. 2020)."""

from __future__ import annotations

import math
from typing import Any

from actlab.claims.base import Claim, Paper, register_claim
from actlab.claims.decide import contrast, metric_by_seed, superiority
from actlab.claims.protocols._common import Arms, arm, finish, regime_failed, strip_plot

MIN_EFFECT = math.log10(2.0)  # a factor 2 lower extrapolation error
FIT = 0.05  # the training interval counts as fitted when interp MSE < FIT × signal variance


def signal_variance(components: list[list[float]]) -> float:
    """Mean square of Σ a sin(ωx) over whole periods: Σ a²/2 (distinct frequencies)."""
    return sum(float(a) ** 2 / 2 for a, _ in components)


@register_claim
class SnakeExtrapolation(Claim):
    name = "snake_extrapolation"
    statement = (
        "Snake (x + sin²(ax)/a) extrapolates a periodic signal beyond the training interval where "
        "ReLU and tanh do not."
    )
    paper = Paper("Ziyin, Hartwig, "
                  "Ueda", "Neural Networks Fail to Learn Periodic Functions and How to Fix It",
                  2020, "2006.08195")  # fmt: skip
    summary = ("sin(x) + sin(4x)/4 fitted on [−2π, 2π] by a 2×64 MLP (Adam), MSE on [−4π, −2π) ∪ (2π, 4π]; "
               "snake (a learned) vs ReLU, tanh; paired seeds")  # fmt: skip
    protocol = (
        "The paper's experiment: an MLP regressing a periodic function from samples on a bounded interval, "
        "evaluated outside it, where ReLU networks extrapolate linearly and tanh networks to a constant. "
        "Bench "
        "task periodic: f(x) = sin x + ¼ sin 4x, 1024 noiseless training points uniform on [−2π, 2π], two "
        "hidden "
        "layers of 64 units, Adam (lr 3e-3), MSE; test: MSE on 1000 evenly spaced points of the two "
        "half-interval extensions on either side. Snake with its frequency a learned (initialised at 1), as "
        "in the paper."
    )
    scaled_down = ("The paper's figures use wider networks and longer training; here 2×64 units and 100 "
                   "epochs "
                   "(quick) / 2×128 and 300 epochs (full). A regime check requires every activation to "
                   "fit the "
                   f"training interval (interpolation MSE < {FIT:g} × signal variance) before "
                   "extrapolation is "
                   "compared.")  # fmt: skip
    decision = (
        "Effect per seed: log₁₀(MSE_other / MSE_snake) on the extrapolation intervals (decades; positive "
        "= snake "
        "better), against ReLU and against tanh (simultaneous intervals, Holm). Supported: both "
        "significantly "
        "positive and ≥ log₁₀ 2 (snake's error at least halved). Not supported: an upper bound below "
        "log₁₀ 2. "
        "Inconclusive otherwise, or when the training interval is not fitted."
    )
    presets = {
        "tiny": {"seeds": 2, "config": {"epochs": 3, "n_train": 256, "width": 32}, "preset": "tiny"},
        "quick": {"seeds": 5, "config": {"epochs": 100}, "preset": "quick"},
        "full": {"seeds": 10, "config": {"epochs": 300, "width": 128}, "preset": "quick"},
    }
    rivals = ("relu", "tanh")

    def arms(self, s: dict[str, Any]) -> dict[str, list]:
        out = {"snake": arm("periodic", "snake", s["seeds"], s["config"], {"trainable": True}, s["preset"])}
        for a in self.rivals:
            out[a] = arm("periodic", a, s["seeds"], s["config"], preset=s["preset"])
        return out

    def evaluate(self, arms: Arms, s: dict[str, Any], preset: str):
        comps = next(iter(r for a in arms.values() for r in a.values())).config["components"]
        var = signal_variance(comps)
        worst = max((r.metrics.get("test_metric", 0.0) for a in arms.values() for r in a.values()
                     if r.status == "ok"), default=None)  # fmt: skip
        logs = {}
        for a, runs in arms.items():
            v, _ = metric_by_seed(runs, "test_metric", worst)
            logs[a] = {k: math.log10(max(x, 1e-300)) for k, x in v.items()}
        fits = {a: [r.metrics.get("interp_mse", math.nan) for r in runs.values() if r.status == "ok"]
                for a, runs in arms.items()}  # fmt: skip
        fit_lines = [f"{a}: interpolation MSE mean {sum(v) / len(v):.3g} (signal variance {var:.3g})"
                     for a, v in fits.items() if v]  # fmt: skip
        unfit = [a for a, v in fits.items() if not v or sum(v) / len(v) >= FIT * var]
        if unfit:
            return regime_failed(
                self, preset, f"{', '.join(unfit)} did not fit the training interval", fit_lines
            )
        level = 1 - 0.05 / len(self.rivals)
        # lower log-MSE is better: improvement = log(other) − log(snake)
        cs = [contrast(f"snake vs {a}", logs["snake"], logs[a], higher_is_better=False, level=level)
              for a in self.rivals]  # fmt: skip
        d = superiority(cs, MIN_EFFECT)
        return finish(
            self,
            preset,
            d,
            "log₁₀ extrapolation-MSE ratio, rival / snake",
            "paired t over seeds, Holm",
            fit_lines,
        )

    def plot(self, arms: Arms, result, plots):
        series = {a: [r.metrics.get("test_metric", math.nan) for r in runs.values() if r.status == "ok"]
                  for a, runs in arms.items()}  # fmt: skip
        return strip_plot(
            plots,
            self.name,
            series,
            "extrapolation MSE (log scale)",
            "Periodic extrapolation: MSE outside the training interval",
            log=True,
        )
