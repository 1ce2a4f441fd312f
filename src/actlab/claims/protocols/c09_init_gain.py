"""Claim 9: the second-moment-preserving initialisation gain of each nonlinearity keeps the signal alive
through a deep network where a wrong gain makes it vanish or explode (Kumar 2017)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import torch
from torch import nn

from actlab.bench.stats import mean_interval
from actlab.bench.tasks import Task, TaskResult, register_task
from actlab.bench.tasks.base import available_tasks, seed_everything
from actlab.claims.base import INCONCLUSIVE, NOT_SUPPORTED, SUPPORTED, Claim, Paper, register_claim
from actlab.claims.protocols._common import Arms, arm

TASK = "claims.signal_propagation"
ACTIVATIONS = ("relu", "leaky_relu", "elu", "selu", "tanh", "gelu", "silu", "softplus", "mish", "golu")
WRONG_GAINS = {"lecun": 1.0, "he": math.sqrt(2.0)}
ALIVE = 1.0  # |log₂(q_L / q_1)| ≤ 1: the second moment within a factor 2 of where it started


class SignalPropagationTask(Task):
    """Forward signal propagation at initialisation (no training): a plain MLP of ``depth`` layers of
    ``width``, weights N(0, g²/fan_in) with g = ``gain`` (a number, or ``"actlab"`` for
    ``actlab.init_gain`` of the activation) from the second layer on (the first layer sees the
    N(0, I) inputs, ``batch`` of them, and has gain 1, so q_1 = 1), zero biases.
    q_l = mean squared pre-activation of layer l; metric: log₂(q_L / q_1) (0 = preserved)."""

    name = TASK
    metric = "log2_q_ratio"
    higher_is_better = False
    description = "signal propagation through a deep MLP at initialisation, per init gain"

    def default_config(self, preset: str) -> dict[str, Any]:
        return {"depth": 50, "width": 256, "batch": 256, "gain": "actlab"}

    def run(self, make_act: Callable[[], nn.Module], seed: int, config: dict[str, Any]) -> TaskResult:
        from actlab.claims.protocols.c08_selu_deep import activation_gain

        gen = seed_everything(seed)
        width, depth = int(config["width"]), int(config["depth"])
        act = make_act()
        gain = activation_gain(act) if config["gain"] == "actlab" else float(config["gain"])
        x = torch.randn(int(config["batch"]), width, generator=gen, dtype=torch.float64)
        logq = []
        with torch.no_grad():
            for layer in range(depth):
                # the first layer sees the N(0, 1) input itself (gain 1: q_1 = 1, the fixed point);
                # every later layer sees f(h) and gets the gain under test
                g = 1.0 if layer == 0 else gain
                w = torch.randn(width, width, generator=gen, dtype=torch.float64) * (g / math.sqrt(width))
                h = x @ w.T
                q = float(h.square().mean())
                logq.append(math.log2(q) if q > 0 else -math.inf)
                if not math.isfinite(logq[-1]):
                    break
                x = act(h.float()).double()
        ratio = (
            logq[-1] - logq[0] if len(logq) == depth else (-math.inf if logq[-1] == -math.inf else math.inf)
        )
        v = ratio if math.isfinite(ratio) else (-1e300 if ratio < 0 else 1e300)
        return TaskResult(
            metrics={"test_metric": v, "best_test_metric": v, "final_train_loss": math.nan, "steps": 1.0,
                     "gain": gain},
            curves={"log2_q": [q if math.isfinite(q) else -1e300 for q in logq]},
        )  # fmt: skip


if TASK not in available_tasks():
    register_task(SignalPropagationTask)


def _outside(w) -> bool:
    """The interval (or, without one, the estimate) lies entirely outside ±ALIVE."""
    lo, hi = (w.low, w.high) if w.finite else (w.estimate, w.estimate)
    return lo > ALIVE or hi < -ALIVE


@register_claim
class InitGain(Claim):
    name = "init_gain"
    statement = (
        "Initialising each layer with the nonlinearity's second-moment-preserving gain keeps the signal "
        "alive through a deep network, where a wrong gain makes it vanish or explode."
    )
    paper = Paper("Kumar", "On weight initialization in deep neural networks", 2017, "1704.08863")
    summary = (
        "10 nonlinearities, plain MLPs of 50 (quick) / 100 (full) layers at initialisation, weights "
        "N(0, g²/n): g = actlab.init_gain vs the LeCun (1) and He (√2) gains; second moment q_L/q_1"
    )
    protocol = (
        "The paper's analysis of the forward signal at initialisation: for weights N(0, v/n), the second "
        "moment "
        "of the pre-activations q_l = E[h_l²] evolves as q_{l+1} = v·E[g(h_l)²]; a deep network keeps it "
        "only "
        "with the gain that makes q a fixed point. actlab.init_gain(f) = 1/√E[f(z)²], z ~ N(0, 1), makes "
        "q = 1 "
        "a fixed point for every f. Measured: q_L/q_1 of an L-layer, width-n MLP of each nonlinearity on "
        "Gaussian inputs, with that gain and with the two gains used regardless of the nonlinearity "
        "(LeCun 1, "
        "He √2) where they differ from it by more than 10 %."
    )
    scaled_down = (
        "Width 256 (quick) / 512 (full) and depth 50 / 100, 5 / 10 seeds; the paper's analysis is "
        "exact in the infinite-width limit. No training (the paper's claim is about the signal)."
    )
    decision = (
        f"Alive: |log₂(q_L/q_1)| ≤ {ALIVE:g} (within a factor 2). Per nonlinearity, the t-interval over "
        "seeds of "
        "log₂(q_L/q_1). Supported: for every nonlinearity the interval with actlab's gain lies within ±1, "
        "and "
        "for each some wrong gain's interval lies outside ±1. Not supported: for some nonlinearity "
        "actlab's gain "
        "lies outside ±1, or every wrong gain stays within ±1. Inconclusive otherwise."
    )
    presets = {
        "tiny": {
            "seeds": 2,
            "config": {"depth": 8, "width": 32, "batch": 32},
            "activations": ["relu", "tanh"],
        },
        "quick": {
            "seeds": 5,
            "config": {"depth": 50, "width": 256, "batch": 256},
            "activations": list(ACTIVATIONS),
        },
        "full": {
            "seeds": 10,
            "config": {"depth": 100, "width": 512, "batch": 512},
            "activations": list(ACTIVATIONS),
        },
    }

    def _wrong(self, act: str) -> dict[str, float]:
        import actlab

        g = actlab.init_gain(act)
        return {k: v for k, v in WRONG_GAINS.items() if abs(v / g - 1) > 0.10}

    def arms(self, s: dict[str, Any]) -> dict[str, list]:
        out = {}
        for a in s["activations"]:
            out[f"{a}|actlab"] = arm(TASK, a, s["seeds"], {**s["config"], "gain": "actlab"})
            for k, g in self._wrong(a).items():
                out[f"{a}|{k}"] = arm(TASK, a, s["seeds"], {**s["config"], "gain": g})
        return out

    def evaluate(self, arms: Arms, s: dict[str, Any], preset: str):
        def iv(name: str):
            vals = [r.metrics["test_metric"] for r in arms.get(name, {}).values() if r.status == "ok"]
            vals = [max(-1e6, min(1e6, v)) for v in vals]
            return mean_interval(vals) if vals else None

        lines, correct_fail, wrong_harmless, undecided = [], [], [], []
        worst = None
        for a in s["activations"]:
            c = iv(f"{a}|actlab")
            if c is None:
                undecided.append(a)
                continue
            lo, hi = (c.low, c.high) if c.finite else (c.estimate, c.estimate)
            alive = -ALIVE <= lo and hi <= ALIVE
            if lo > ALIVE or hi < -ALIVE:
                correct_fail.append(a)
            if worst is None or abs(c.estimate) > abs(worst[1].estimate):
                worst = (a, c)
            wrongs = {k: iv(f"{a}|{k}") for k in self._wrong(a)}
            fails = [k for k, w in wrongs.items() if w is not None and _outside(w)]
            harmless = wrongs and all(
                w is not None
                and -ALIVE <= (w.low if w.finite else w.estimate)
                and (w.high if w.finite else w.estimate) <= ALIVE
                for w in wrongs.values()
            )
            if harmless:
                wrong_harmless.append(a)
            if not (alive and fails):
                undecided.append(a)
            wtxt = "; ".join(
                f"{k} gain {WRONG_GAINS[k]:.3g}: {w.estimate:+.3g}" for k, w in wrongs.items() if w
            )
            lines.append(
                f"{a}: actlab gain log₂ q_L/q_1 = {c.estimate:+.3g} [{lo:+.3g}, {hi:+.3g}]"
                f"{' (alive)' if alive else ''}; {wtxt or 'no wrong gain differs by > 10 %'}"
            )
        if correct_fail or wrong_harmless:
            verdict = NOT_SUPPORTED
            why = []
            if correct_fail:
                why.append(f"actlab's gain loses the signal for {', '.join(correct_fail)}")
            if wrong_harmless:
                why.append(f"no wrong gain hurts {', '.join(wrong_harmless)}")
            reason = "; ".join(why)
        elif undecided:
            verdict, reason = INCONCLUSIVE, f"undecided for {', '.join(undecided)}"
        else:
            verdict, reason = (
                SUPPORTED,
                "every nonlinearity alive with its gain, and a wrong gain fails for each",
            )
        a, c = worst if worst else ("–", None)
        return self.result(
            preset, verdict, effect=f"log₂ q_L/q_1 furthest from 0 with actlab's gain ({a})",
            estimate=c.estimate if c else math.nan, ci=(c.low, c.high) if c else (math.nan, math.nan),
            test="t-interval over seeds", n=c.n if c else 0, reason=reason, details=lines,
        )  # fmt: skip

    def plot(self, arms: Arms, result, plots):
        fig, axes = plots.plt.subplots(1, 2, figsize=(11, 4))
        acts = sorted({k.split("|")[0] for k in arms})
        cols = plots.colors(len(acts))
        for ax, which in zip(axes, ("actlab", "wrong")):
            for a, col in zip(acts, cols):
                for k, runs in arms.items():
                    name, g = k.split("|")
                    if name != a or (g == "actlab") != (which == "actlab"):
                        continue
                    r = next((r for r in runs.values() if r.status == "ok"), None)
                    if r is None:
                        continue
                    q = [max(v, -200) for v in r.curves.get("log2_q", [])]
                    ax.plot(
                        range(1, len(q) + 1),
                        q,
                        color=col,
                        lw=1.2,
                        label=a if which == "actlab" else f"{a} {g}",
                        ls="-" if g in ("actlab", "lecun") else "--",
                    )
            ax.set_xlabel("layer")
            ax.set_ylabel("log₂ second moment of the pre-activations")
            ax.set_title(
                "actlab.init_gain" if which == "actlab" else "LeCun (solid) / He (dashed) gains", fontsize=10
            )
            if which == "actlab":
                ax.set_ylim(-3, 3)
            ax.legend(fontsize=6, ncol=2)
        return plots.save(fig, "claim-init-gain")
