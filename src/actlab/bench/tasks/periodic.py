"""``periodic``: learn a periodic signal on an interval, predict it outside (extrapolation).

The setting of Liu Ziyin, Hartwig & Ueda, "Neural networks fail to learn periodic functions and how
to fix it" (arXiv 2006.08195; the Snake paper): an MLP fitted to a periodic function on a bounded
training interval extrapolates like its activation does far from the data (ReLU linearly, tanh to a
constant); Snake's x + sin²(ax)/a keeps oscillating.

Signal: f(x) = Σ_k a_k sin(ω_k x) over ``components`` = [[a_1, ω_1], …] (default
sin(x) + sin(4x)/4), training targets f(x) + N(0, noise²) at ``n_train`` points drawn uniformly
from ``train_range`` with a fixed data seed. Model: 1 → width → … → 1 with ``make_act()`` after each
hidden layer, mean squared error, Adam.

Test metric (lower is better): the MSE on ``n_test`` evenly spaced points of the extrapolation
intervals [lo − L·extrapolate, lo) ∪ (hi, hi + L·extrapolate], L = hi − lo. Extra metric
``interp_mse``: the MSE on evenly spaced points of the training interval.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import torch
from torch import nn

from actlab.bench.tasks._train import ActSites, predict, train_supervised
from actlab.bench.tasks.base import Task, TaskResult, mlp, register_task, seed_everything


def signal(x: torch.Tensor, components: list[list[float]]) -> torch.Tensor:
    """f(x) = Σ a sin(ω x) over ``components`` = [[a, ω], …]."""
    y = torch.zeros_like(x)
    for a, w in components:
        y = y + float(a) * torch.sin(float(w) * x)
    return y


def make_data(cfg: dict[str, Any]) -> dict[str, tuple[torch.Tensor, torch.Tensor]]:
    lo, hi = (float(v) for v in cfg["train_range"])
    if not hi > lo:
        raise ValueError(f"periodic: train_range must be increasing, got {cfg['train_range']!r}")
    span = (hi - lo) * float(cfg["extrapolate"])
    g = torch.Generator().manual_seed(1)
    comps = cfg["components"]
    x_tr = lo + (hi - lo) * torch.rand(int(cfg["n_train"]), 1, generator=g, dtype=torch.float64)
    noise = torch.randn(x_tr.shape, generator=g, dtype=torch.float64)
    y_tr = signal(x_tr, comps) + float(cfg["noise"]) * noise
    half = int(cfg["n_test"]) // 2
    left = torch.linspace(lo - span, lo, half + 1, dtype=torch.float64)[:-1]
    right = torch.linspace(hi, hi + span, half + 1, dtype=torch.float64)[1:]
    x_ex = torch.cat([left, right]).unsqueeze(1)
    x_in = torch.linspace(lo, hi, int(cfg["n_test"]), dtype=torch.float64).unsqueeze(1)
    f32 = lambda x, y: (x.float(), y.float())
    return {
        "train": f32(x_tr, y_tr),
        "extrapolation": f32(x_ex, signal(x_ex, comps)),
        "interpolation": f32(x_in, signal(x_in, comps)),
    }


@register_task
class PeriodicTask(Task):
    name = "periodic"
    metric = "extrapolation_mse"
    higher_is_better = False
    description = "Snake-paper setting: fit sin(x)+sin(4x)/4 on an interval, MSE on extrapolation outside it"

    def default_config(self, preset: str) -> dict[str, Any]:
        base = {
            "components": [[1.0, 1.0], [0.25, 4.0]],
            "train_range": [-2 * math.pi, 2 * math.pi],
            "extrapolate": 0.5,
            "noise": 0.0,
            "n_train": 1024,
            "n_test": 1000,
            "width": 64,
            "depth": 2,
            "optimizer": "adam",
            "lr": 3e-3,
            "weight_decay": 0.0,
            "schedule": "constant",
            "batch_size": 64,
            "evals": 5,
            "device": "cpu",
        }
        if preset == "tiny":
            return {**base, "n_train": 256, "width": 32, "epochs": 5}
        if preset == "quick":
            return {**base, "epochs": 40}
        if preset == "full":
            return {**base, "n_train": 4096, "width": 128, "epochs": 100, "schedule": "cosine", "evals": 20}
        raise ValueError(f"unknown preset {preset!r}")

    def warmup_config(self, config: dict[str, Any]) -> dict[str, Any]:
        return {**config, "epochs": 1, "evals": 1}

    def run(self, make_act: Callable[[], nn.Module], seed: int, config: dict[str, Any]) -> TaskResult:
        data = make_data(config)
        gen = seed_everything(seed)
        sites = ActSites(make_act)
        model = mlp(1, config["width"], config["depth"], 1, sites)
        res = train_supervised(
            model,
            data["train"],
            data["extrapolation"],
            config,
            gen,
            kind="regression",
            higher_is_better=False,
            acts=sites.modules,
        )
        if not res.diverged:
            x_in, y_in = data["interpolation"]
            res.metrics["interp_mse"] = float(nn.functional.mse_loss(predict(model, x_in), y_in))
        return res
