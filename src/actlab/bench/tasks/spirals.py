"""``spirals``: the two-spirals problem (Lang & Witbrock, 1988) with a small MLP.

Class c ∈ {0, 1}: θ = turns·2π·√u with u ~ U(0, 1), radius r = θ / (turns·2π) ∈ [0, 1], point
(r cos(θ + cπ), r sin(θ + cπ)) + N(0, noise²) per coordinate (default 2.5 turns per spiral).
Training and test sets are drawn from the same distribution with fixed data seeds (the same for
every run seed, so predictions are comparable across seeds). Model: 2 → width → … → 2 (``depth``
hidden layers, ``make_act()`` after each), cross-entropy, Adam. Test metric: accuracy.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import torch
from torch import nn

from actlab.bench.tasks._train import ActSites, train_supervised
from actlab.bench.tasks.base import Task, TaskResult, mlp, register_task, seed_everything


def two_spirals(n: int, turns: float, noise: float, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """``n`` points (half per class) of the two-spirals problem and their labels."""
    g = torch.Generator().manual_seed(seed)
    y = torch.arange(n) % 2
    theta = turns * 2 * math.pi * torch.rand(n, generator=g, dtype=torch.float64).sqrt()
    r = theta / (turns * 2 * math.pi)
    phase = theta + math.pi * y
    x = torch.stack([r * torch.cos(phase), r * torch.sin(phase)], 1)
    x = x + noise * torch.randn(n, 2, generator=g, dtype=torch.float64)
    return x.float(), y


@register_task
class SpiralsTask(Task):
    name = "spirals"
    metric = "accuracy"
    higher_is_better = True
    description = "two-spirals classification with a small MLP"

    def default_config(self, preset: str) -> dict[str, Any]:
        base = {"turns": 2.5, "noise": 0.02, "optimizer": "adam", "lr": 3e-3, "weight_decay": 0.0,
                "schedule": "constant", "evals": 5, "device": "cpu"}
        if preset == "tiny":
            return {**base, "turns": 1.5, "n_train": 256, "n_test": 256, "width": 32, "depth": 2,
                    "epochs": 20, "batch_size": 64}
        if preset == "quick":
            return {**base, "n_train": 1000, "n_test": 1000, "width": 64, "depth": 3, "epochs": 60,
                    "batch_size": 100}
        if preset == "full":
            return {**base, "n_train": 2000, "n_test": 2000, "width": 128, "depth": 3, "epochs": 200,
                    "batch_size": 100, "schedule": "cosine", "evals": 20}
        raise ValueError(f"unknown preset {preset!r}")

    def warmup_config(self, config: dict[str, Any]) -> dict[str, Any]:
        return {**config, "epochs": 1, "evals": 1}

    def run(self, make_act: Callable[[], nn.Module], seed: int, config: dict[str, Any]) -> TaskResult:
        train = two_spirals(config["n_train"], config["turns"], config["noise"], seed=1)
        test = two_spirals(config["n_test"], config["turns"], config["noise"], seed=2)
        gen = seed_everything(seed)
        sites = ActSites(make_act)
        model = mlp(2, config["width"], config["depth"], 2, sites)
        return train_supervised(model, train, test, config, gen, acts=sites.modules)
