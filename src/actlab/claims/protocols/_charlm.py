"""The character-level LM runs shared by the FFN claims (GLU variants, ReLU², relufication, GoLU).

One bench task, ``claims.charlm``: the bench's ``charlm`` model and training, trained past the
early phase (well under 2 bits per character), then, on the same trained model:

- **threshold sparsity** (ReLU² Wins, arXiv 2402.03804): for each CETT target in
  ``cett_targets``, :func:`actlab.probe` finds each FFN layer's threshold ε (the largest for which
  the mean relative L2 change of the FFN output, when neurons with ‖n_i‖ = |h_i|·‖W_down[:, i]‖ ≤ ε
  are dropped, stays ≤ the target); the run records the fraction of neurons dropped
  (``cett_sparsity@T``) and the validation bits per character with them dropped (``cett_bpc@T``);
- **relufication** (ReLU Strikes Back, arXiv 2310.04564), for a plain FFN whose activation is in
  ``relufy_from``: the activation is swapped for ReLU (:func:`actlab.swap`), the validation bpc
  measured (``relufied_bpc_before``), the model fine-tuned for ``relufy_steps`` steps (AdamW, peak
  lr × ``relufy_lr_factor``, warm-up then cosine) and measured again (``relufied_bpc``, with its FFN
  zero fraction ``relufied_zero_fraction``).

Every claim using these runs shares one config per preset, so an activation's runs are run once
for all the claims that need them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import torch
from torch import nn

from actlab.bench.tasks import TaskResult, register_task
from actlab.bench.tasks._train import probe_stats
from actlab.bench.tasks.base import Tracker, available_tasks
from actlab.bench.tasks.charlm import CharLMTask, train_lm, val_bpc
from actlab.claims.base import Claim

TASK = "claims.charlm"
REGIME_BPC = 2.0  # the claims are about models past the early phase: every arm must end below this

BASE = {"corpus": None, "corpus_chars": 2_000_000, "val_fraction": 0.1, "ffn": "plain", "d_model": 96,
        "d_ff": 384,
        "glu_d_ff": 256, "n_head": 4, "n_layer": 2, "context": 64, "batch_size": 32, "lr": 2e-3,
        "weight_decay": 0.1, "steps": 3000, "warmup_steps": 100, "evals": 6, "eval_windows": 256,
        "device": "cpu", "cett_targets": [0.1, 0.2, 0.3], "relufy_from": ["gelu", "silu"],
        "relufy_steps": 300, "relufy_lr_factor": 0.5}  # fmt: skip
CONFIGS = {
    "tiny": {
        **BASE,
        "corpus_chars": 100_000,
        "d_model": 24,
        "d_ff": 96,
        "glu_d_ff": 64,
        "n_layer": 1,
        "context": 32,
        "batch_size": 16,
        "steps": 30,
        "warmup_steps": 5,
        "evals": 2,
        "eval_windows": 16,
        "relufy_steps": 5,
    },  # fmt: skip
    "full": BASE,
}
OUT_OF_REACH = {
    "quick": (
        "the FFN claims are about models past the early phase (below 2 bits/char); even the full preset "
        "(4–6 activations × 3 seeds of 3000 steps, ≈ 3.5 min per run on one core, 40 min for the three "
        "claims on 2 cores) ends at 2.26–2.39 bits/char on the bundled corpus, and the quick board's "
        "15-minute budget reaches far less: run --preset full, on a larger machine with more steps"
    ),
}


def ffn_act_name(model: nn.Module) -> str | None:
    act = model.blocks[0].ffn.act
    return getattr(getattr(act, "spec", None), "name", None) or type(act).__name__.lower()


def _thresholds(
    model: nn.Module, windows: torch.Tensor, bs: int, target: float
) -> dict[int, tuple[float, str]]:
    """Per block: (CETT threshold ε, basis) from :func:`actlab.probe` on the validation windows."""
    import actlab

    paths = {f"blocks.{i}.ffn.act": i for i in range(len(model.blocks))}
    acts = [model.blocks[i].ffn.act for i in range(len(model.blocks))]
    was = model.training
    model.eval()
    with torch.no_grad(), actlab.probe(model, acts, neuron_dim=-1, cett=target, followers="auto") as p:
        for i in range(0, len(windows), bs):
            model(windows[i : i + bs, :-1])
    model.train(was)
    out = {}
    for name, d in p.details()["layers"].items():
        if name in paths:
            out[paths[name]] = (float(d["threshold"]), str(d.get("threshold_basis", "activation")))
    return out


def cett_eval(model: nn.Module, windows: torch.Tensor, bs: int, target: float) -> tuple[float, float]:
    """``(sparsity, bpc)`` with each FFN's sub-threshold neurons dropped at CETT ``target``."""
    thr = _thresholds(model, windows, bs, target)
    kept, total = [0.0], [0.0]
    handles = []
    for i, blk in enumerate(model.blocks):
        if i not in thr or not math.isfinite(thr[i][0]):
            continue
        eps, basis = thr[i]
        colnorm = blk.ffn.down_proj.weight.detach().norm(dim=0) if basis == "follower" else None

        def hook(
            mod: nn.Module, args: tuple, eps: float = eps, colnorm: torch.Tensor | None = colnorm
        ) -> tuple:
            h = args[0]
            size = h.abs() * colnorm if colnorm is not None else h.abs()
            keep = size > eps
            kept[0] += float(keep.sum())
            total[0] += keep.numel()
            return (h * keep,)

        handles.append(blk.ffn.down_proj.register_forward_pre_hook(hook))
    try:
        bpc = val_bpc(model, windows, bs)
    finally:
        for h in handles:
            h.remove()
    sparsity = 1.0 - kept[0] / total[0] if total[0] else math.nan
    return sparsity, bpc


def relufy(
    model: nn.Module, data: Any, config: dict[str, Any], gen: torch.Generator, tr: Tracker
) -> dict[str, float]:
    """Swap the FFN activations for ReLU, measure, fine-tune, measure again (module docstring)."""
    import actlab

    bs = int(config["batch_size"])
    actlab.swap(model, to="relu", match=lambda path, m: path.endswith("ffn.act"), inplace=True)
    out = {"relufied_bpc_before": val_bpc(model, data.val_windows, bs)}
    steps = int(config["relufy_steps"])
    lr = float(config["lr"]) * float(config["relufy_lr_factor"])
    train_lm(model, data, config, gen, tr, steps=steps, lr=lr,
             warmup=max(1, steps // 20), evals=1, prefix="relufy_")  # fmt: skip
    if tr.diverged:
        return out
    out["relufied_bpc"] = val_bpc(model, data.val_windows, bs)
    sites = [blk.ffn.act for blk in model.blocks]
    st = probe_stats(model, lambda: model(data.val_windows[:bs, :-1]), sites, neuron_dim=-1)
    out["relufied_zero_fraction"] = st.get("zero_fraction", math.nan)
    return out


class ClaimsCharLM(CharLMTask):
    """``charlm`` + threshold sparsity + relufication (module docstring)."""

    name = TASK
    description = "charlm trained past the early phase, with CETT threshold sparsity and relufication"

    def default_config(self, preset: str) -> dict[str, Any]:
        return dict(CONFIGS.get(preset, BASE))

    def warmup_config(self, config: dict[str, Any]) -> dict[str, Any]:
        return {**config, "steps": 3, "evals": 1, "warmup_steps": 1, "cett_targets": [], "relufy_steps": 0}

    def run(self, make_act: Callable[[], nn.Module], seed: int, config: dict[str, Any]) -> TaskResult:
        f = self.fit(make_act, seed, config)
        data, model, gen, tr, done, extra = f.data, f.model, f.gen, f.tracker, f.steps, f.extra
        if tr.diverged:
            return tr.result(float("nan"), done)
        final = tr.curves["test_metric"][-1]
        bs = int(config["batch_size"])
        with torch.no_grad():
            for t in config.get("cett_targets", []):
                sp, bpc = cett_eval(model, data.val_windows, bs, float(t))
                extra[f"cett_sparsity@{float(t):g}"] = sp
                extra[f"cett_bpc@{float(t):g}"] = bpc
        name = ffn_act_name(model)
        if (
            config["ffn"] == "plain"
            and name in config.get("relufy_from", [])
            and int(config["relufy_steps"]) > 0
        ):
            extra.update(relufy(model, data, config, gen, tr))
            if tr.diverged:
                extra["relufy_diverged"] = 1.0
                tr.diverged = False  # the trained model itself did not diverge
        return tr.result(final, done, extra=extra)


if TASK not in available_tasks():
    register_task(ClaimsCharLM)


def lm_arm(activation: str, ffn: str, settings: dict[str, Any], preset: str) -> list:
    """The runs of one FFN activation on the shared charlm config of ``preset``."""
    from actlab.claims.protocols._common import arm

    cfg = {**CONFIGS[preset], "ffn": ffn}
    return arm(TASK, activation, settings["seeds"], cfg, preset="full")


def regime(arms: dict, names: list[str]) -> tuple[bool, list[str]]:
    """Whether every arm's mean validation bpc is below :data:`REGIME_BPC`, and one line per arm."""
    lines, ok = [], True
    for n in names:
        v = [r.metrics["test_metric"] for r in arms.get(n, {}).values() if r.status == "ok"]
        if not v:
            ok = False
            lines.append(f"{n}: no finished run")
            continue
        m = sum(v) / len(v)
        ok &= m < REGIME_BPC
        lines.append(f"{n}: validation {m:.3f} bits/char over {len(v)} seeds")
    return ok, lines


class LMClaim(Claim):
    """A claim judged on the shared charlm runs: ``lm_arms`` maps an arm to (activation, ffn)."""

    lm_arms: dict[str, tuple[str, str]] = {}
    presets = {"tiny": {"seeds": 2}, "full": {"seeds": 3}}
    out_of_reach = OUT_OF_REACH

    def arms(self, s: dict[str, Any]) -> dict[str, list]:
        return {a: lm_arm(act, ffn, s, s["preset"]) for a, (act, ffn) in self.lm_arms.items()}

    def regime_failure(self, arms: dict, preset: str) -> tuple[Any, list[str]]:
        """``(an inconclusive result, lines)`` when an arm is not past the early phase (not checked
        at the tiny preset, whose models are smoke tests), else ``(None, lines)``."""
        from actlab.claims.protocols._common import regime_failed

        ok, lines = regime(arms, list(self.lm_arms))
        if ok or preset == "tiny":
            return None, lines
        return regime_failed(self, preset, f"an arm is not below {REGIME_BPC:g} bits/char", lines), lines
