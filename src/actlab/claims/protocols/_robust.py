"""Shared by the robustness claims (c13, c14) and the OOD claims (c15, c16): their arms and rules.

Robustness: ReLU against the smooth activations of Shah & Youngblood (GELU, SiLU) on the bench
task ``robustness`` (:mod:`actlab.bench.tasks.robustness`), trained in the perturbation, with a
superiority rule on the area under the retention curve. OOD: the bench task ``ood``
(:mod:`actlab.bench.tasks.ood`) with the papers' ReLU network for the verdict and other activations
reported beside it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from actlab.bench import robustness as _section  # noqa: F401  (registers the report's robustness section)
from actlab.bench.store import RunRecord
from actlab.claims.base import Claim, ClaimResult, Paper
from actlab.claims.decide import contrast, metric_by_seed, superiority
from actlab.claims.protocols._common import Arms, arm, finish, regime_failed, worst_finished

SMOOTH = ("gelu", "silu")
BASELINE = "relu"
MIN_EFFECT = 0.01  # one point of retained accuracy, averaged over the grid
LEARNED = 0.9  # every arm's mean clean accuracy must reach this (digits MLPs reach ≈ 0.95)
DEGRADED = 0.8  # at the harshest level the baseline must keep at most this fraction of its accuracy

SHAH = Paper("Shah, Youngblood",
             "Leveraging Continuously Differentiable Activation Functions for Learning in Quantized Noisy "
             "Environments", 2024, "2402.02593")  # fmt: skip
REACT = Paper("Sun, Guo, Li", "ReAct: Out-of-distribution Detection With Rectified Activations", 2021,
              "2111.12797")  # fmt: skip
VRA = Paper("Xu, Lian, Liu, Tao", "VRA: Variational Rectified Activation for Out-of-distribution Detection",
            2023, "2302.11716")  # fmt: skip

ROBUST_PRESETS = {
    "tiny": {"seeds": 2, "preset": "tiny", "config": {}},
    "quick": {"seeds": 5, "preset": "quick", "config": {}},
    "full": {"seeds": 10, "preset": "full", "config": {}},
}
OOD_ACTS = ("relu", "gelu", "silu", "tanh")
OOD_PRESETS = {
    "tiny": {"seeds": 2, "preset": "tiny", "config": {"n_ood": 64}},
    "quick": {"seeds": 5, "preset": "quick", "config": {}},
    "full": {"seeds": 10, "preset": "full", "config": {}},
}


def robust_arms(s: dict[str, Any], env: dict[str, Any]) -> dict[str, list]:
    """ReLU and the smooth activations on ``robustness``, trained in ``env`` (``train_noise``,
    ``train_bits``)."""
    cfg = {**s["config"], **env}
    return {a: arm("robustness", a, s["seeds"], cfg, preset=s["preset"]) for a in (BASELINE, *SMOOTH)}


def prose(text: str) -> str:
    """A paragraph written over several source lines, as one line (whitespace runs become one space)."""
    return " ".join(text.split())


def _mean(vals: Sequence[float]) -> float:
    vals = [v for v in vals if isinstance(v, (int, float)) and math.isfinite(v)]
    return sum(vals) / len(vals) if vals else math.nan


def _ok(runs: dict[int, RunRecord]) -> list[RunRecord]:
    return [r for r in runs.values() if r.status == "ok"]


def evaluate_robustness(
    claim: Claim, arms: Arms, preset: str, metric: str, curve: str, what: str
) -> ClaimResult:
    """Superiority of each smooth activation over ReLU on ``metric`` (an area under a retention curve).

    ``curve`` is the metric curve of the harshest level (``noise_accuracy`` or ``quant_accuracy``),
    used for the regime check together with ``clean_accuracy``.
    """
    lines = []
    for a in arms:
        ok = _ok(arms[a])
        clean = _mean([r.metrics.get("clean_accuracy", math.nan) for r in ok])
        last = _mean([r.curves[curve][-1] for r in ok if r.curves.get(curve)])
        lines.append(f"{a}: clean accuracy {clean:.4f}, accuracy at the harshest {what} {last:.4f}, "
                     f"{metric} {_mean([r.metrics.get(metric, math.nan) for r in ok]):.4f} ({len(ok)} runs)")
    clean = {a: _mean([r.metrics.get("clean_accuracy", math.nan) for r in _ok(runs)])
             for a, runs in arms.items()}  # fmt: skip
    low = [a for a, v in clean.items() if not (v >= LEARNED)]
    if low:
        return regime_failed(claim, preset, f"{', '.join(low)} below {LEARNED:g} clean accuracy", lines)
    base_runs = _ok(arms.get(BASELINE, {}))
    ret = _mean([r.curves[curve][-1] / r.metrics["clean_accuracy"] for r in base_runs
                 if r.curves.get(curve) and r.metrics.get("clean_accuracy")])  # fmt: skip
    if not ret <= DEGRADED:
        return regime_failed(claim, preset, f"at the harshest {what} ReLU keeps {ret:.2f} of its accuracy "
                             f"(> {DEGRADED:g}): the grid does not reach degradation", lines)  # fmt: skip
    worst = worst_finished(arms, list(arms), metric, True)
    vals = {a: metric_by_seed(runs, metric, worst)[0] for a, runs in arms.items()}
    level = 1 - 0.05 / len(SMOOTH)
    cs = [contrast(f"{a} − relu", vals[a], vals[BASELINE], True, level) for a in SMOOTH]
    d = superiority(cs, MIN_EFFECT)
    return finish(claim, preset, d, f"Δ {metric} (smooth − ReLU, the smaller)", "paired t over seeds, Holm",
                  lines)


def robust_plot(arms: Arms, plots: Any, x: str, y: str, xlabel: str, title: str, name: str,
                invert: bool = False) -> str | None:  # fmt: skip
    from actlab.bench.robustness import curve_plot

    items = [(a, sorted(_ok(runs), key=lambda r: r.seed)) for a, runs in arms.items()]
    return curve_plot(plots, [(a, rs) for a, rs in items if rs], x, y, xlabel, title, name, invert)


def ood_arms(s: dict[str, Any]) -> dict[str, list]:
    return {a: arm("ood", a, s["seeds"], s["config"], preset=s["preset"]) for a in OOD_ACTS}


def ood_lines(arms: Arms) -> list[str]:
    out = []
    for a, runs in arms.items():
        ok = _ok(runs)
        vals = {k: _mean([r.metrics.get(k, math.nan) for r in ok])
                for k in ("accuracy", "auroc_plain", "auroc_react", "auroc_vra")}  # fmt: skip
        out.append(f"{a}: accuracy {vals['accuracy']:.4f}, AUROC plain {vals['auroc_plain']:.4f}, ReAct "
                   f"{vals['auroc_react']:.4f}, VRA {vals['auroc_vra']:.4f} ({len(ok)} runs)")
    return out


def ood_regime(claim: Claim, arms: Arms, preset: str) -> ClaimResult | None:
    """Inconclusive unless the ReLU classifier learned the task and its plain AUROC leaves room."""
    ok = _ok(arms.get(BASELINE, {}))
    acc = _mean([r.metrics.get("accuracy", math.nan) for r in ok])
    if not acc >= LEARNED:
        return regime_failed(claim, preset, f"the ReLU classifier reached {acc:.3f} < {LEARNED:g} accuracy",
                             ood_lines(arms))  # fmt: skip
    plain = _mean([r.metrics.get("auroc_plain", math.nan) for r in ok])
    if not plain < 0.99:
        return regime_failed(claim, preset, f"plain AUROC {plain:.3f} leaves no room to improve",
                             ood_lines(arms))
    return None


def by_seed(arms: Arms, metric: str, act: str = BASELINE) -> dict[int, float]:
    return metric_by_seed(arms.get(act, {}), metric)[0]


def gain_plot(
    arms: Arms, plots: Any, pairs: Sequence[tuple[str, str, str]], title: str, name: str
) -> str | None:
    """Per-seed paired gains (``label, a, b``: a − b) of the baseline arm, with mean and interval."""
    from actlab.claims.protocols._common import strip_plot

    series = {}
    for label, a, b in pairs:
        va, vb = by_seed(arms, a), by_seed(arms, b)
        series[label] = [va[s] - vb[s] for s in sorted(set(va) & set(vb))]
    return strip_plot(plots, name, series, "AUROC gain (ReLU classifier)", title, hline=0.0)


class RobustnessClaim(Claim):
    """A claim that ReLU degrades faster than GELU/SiLU on one robustness curve.

    Subclasses set ``env`` (the training environment: ``train_noise`` or ``train_bits``),
    ``metric`` (the area summarising the curve), ``curve``/``x_key`` (the curve's run keys),
    ``what`` (the curve's axis, in words) and the plot's ``xlabel``, ``title``, ``plot_name``,
    ``invert``.
    """

    paper = SHAH
    presets = ROBUST_PRESETS
    env: dict[str, Any] = {}
    metric = curve = x_key = what = xlabel = title = plot_name = ""
    invert = False

    def arms(self, s: dict[str, Any]) -> dict[str, list]:
        return robust_arms(s, self.env)

    def evaluate(self, arms: Arms, s: dict[str, Any], preset: str) -> ClaimResult:
        return evaluate_robustness(self, arms, preset, self.metric, self.curve, self.what)

    def plot(self, arms: Arms, result: ClaimResult, plots: Any) -> str | None:
        return robust_plot(arms, plots, self.x_key, self.curve, self.xlabel, self.title, self.plot_name,
                           self.invert)


class OodClaim(Claim):
    """A claim on the runs of the ``ood`` task: the regime check, then :meth:`decide`."""

    presets = OOD_PRESETS

    def arms(self, s: dict[str, Any]) -> dict[str, list]:
        return ood_arms(s)

    def evaluate(self, arms: Arms, s: dict[str, Any], preset: str) -> ClaimResult:
        bad = ood_regime(self, arms, preset)
        return bad if bad is not None else self.decide(arms, preset)

    def decide(self, arms: Arms, preset: str) -> ClaimResult:
        raise NotImplementedError
