"""Claim 11: GoLU matches or beats GELU, Swish and ReLU on small vision and language tasks (Das et al.
2025)."""

from __future__ import annotations

from typing import Any

from actlab.claims.base import Claim, Paper, register_claim
from actlab.claims.decide import contrast, metric_by_seed, non_inferiority
from actlab.claims.protocols import _charlm, _vision
from actlab.claims.protocols._common import Arms, finish, strip_plot

ACC_MARGIN = 0.005  # half a percentage point of accuracy
BPC_MARGIN = 0.02  # bits per character
RIVALS = ("gelu", "silu", "relu")


@register_claim
class GoLU(Claim):
    name = "golu"
    statement = (
        "GoLU (x·exp(−exp(−x))) matches or beats GELU, Swish and ReLU on small vision and language tasks."
    )
    paper = Paper(
        "Das, Bhalgat, Hutter",
        "Gompertz Linear Units: Leveraging Asymmetry for Enhanced Learning Dynamics",
        2025,
        "2502.03654",
    )
    summary = (
        "vision: digits and MNIST-1D CNNs (the HeLU claim's runs); language (full only): the charlm models "
        "of the FFN claims; GoLU vs GELU, SiLU (Swish), ReLU; non-inferiority"
    )
    protocol = (
        "The paper trains the same architectures with GoLU and with GELU, Swish and ReLU under one recipe "
        "and "
        "compares task metrics. Here: the bench's digits CNN and MNIST-1D CNN (test accuracy) and, in the "
        "full "
        "preset, the charlm character transformer of the FFN claims (validation bits/char), each activation "
        "trained identically with the same seeds."
    )
    scaled_down = (
        "The paper uses ImageNet ResNets/ViTs, TinyStories and GPT-2-size language models, "
        "segmentation and diffusion; here two small vision tasks and (full preset) a 0.23 M-parameter "
        "character model. The quick preset judges the vision tasks only (language is out of reach)."
    )
    decision = (
        f"Contrasts GoLU − rival (accuracy; bits/char sign-flipped) for each rival and task, simultaneous "
        f"intervals. Non-inferiority margins: {ACC_MARGIN:g} accuracy, {BPC_MARGIN:g} bits/char. Supported: "
        "every lower bound above −margin. Not supported: some upper bound below −margin (GoLU clearly "
        "worse). "
        "Inconclusive otherwise. Margins are relative to each task's unit, so they are checked per task."
    )
    presets = {p: {"seeds": k} for p, k in _vision.SEEDS.items()}

    def settings(self, preset: str, seeds: int | None = None):
        s = super().settings(preset, seeds)
        return None if s is None else {**s, "lm_seeds": seeds or {"tiny": 2, "full": 3}.get(preset)}

    def arms(self, s: dict[str, Any]) -> dict[str, list]:
        out = {f"{a}@{t}": _vision.vision_arm(t, a, s["preset"], s["seeds"]) for t in _vision.TASKS
               for a in ("golu", *RIVALS)}  # fmt: skip
        if s["preset"] in _charlm.CONFIGS and s.get("lm_seeds"):
            for a in ("golu", *RIVALS):
                out[f"{a}@charlm"] = _charlm.lm_arm(a, "plain", {"seeds": s["lm_seeds"]}, s["preset"])
        return out

    def evaluate(self, arms: Arms, s: dict[str, Any], preset: str):
        tasks = [t for t in (*_vision.TASKS, "charlm") if f"golu@{t}" in arms]
        m = len(tasks) * len(RIVALS)
        level = 1 - 0.05 / m
        cs, margins = [], []
        for t in tasks:
            hib = t != "charlm"
            names = [f"{a}@{t}" for a in ("golu", *RIVALS)]
            vals = [r.metrics["test_metric"] for n in names for r in arms[n].values() if r.status == "ok"]
            worst = (min(vals) if hib else max(vals)) if vals else None
            g, cg = metric_by_seed(arms[f"golu@{t}"], worst=worst)
            for r in RIVALS:
                b, cb = metric_by_seed(arms[f"{r}@{t}"], worst=worst)
                cs.append(contrast(f"{t}: golu vs {r}", g, b, hib, level, cg, cb))
                margins.append(ACC_MARGIN if hib else BPC_MARGIN)
        # one rule, per-task margins: scale every contrast to margin units
        scaled = [c.scaled(1 / mg, f" (in units of its margin {mg:g})") for c, mg in zip(cs, margins)]
        d = non_inferiority(scaled, 1.0)
        extra = (
            [] if "charlm" in tasks else ["language part not run at this preset (out of reach): vision only"]
        )
        return finish(
            self,
            preset,
            d,
            "GoLU − rival, in margin units (lowest bound)",
            "paired t over seeds (+ test-set error for accuracy)",
            extra,
        )

    def plot(self, arms: Arms, result, plots):
        series = {k: [r.metrics["test_metric"] for r in v.values() if r.status == "ok"]
                  for k, v in arms.items() if not k.endswith("charlm")}  # fmt: skip
        return strip_plot(
            plots, self.name, series, "test accuracy", "GoLU versus GELU, SiLU, ReLU (vision tasks)"
        )
