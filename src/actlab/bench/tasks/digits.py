"""``digits``: scikit-learn's bundled 8×8 handwritten digits (1797 images, 10 classes; no download).

Pixels are scaled to [0, 1] (÷16). A fixed seeded split (the same for every run seed, so test-set
predictions are comparable across seeds) keeps ``test_fraction`` of the images for testing; of the
rest, ``val_fraction`` is a fixed validation split (for learning-rate selection), the remainder trains.
Models (``model``):

- ``mlp``: 64 → width → … → 10, ``depth`` hidden layers with ``make_act()`` after each;
- ``cnn``: conv3×3(1→c) · act · conv3×3(c→2c) · act · maxpool 2 · conv3×3(2c→2c) · act ·
  global average pool · linear(2c→10), with c = ``channels``.

Cross-entropy, Adam, minibatches. Test metric: accuracy.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np
import torch
from torch import nn

from actlab.bench.tasks._train import ActSites, train_supervised
from actlab.bench.tasks.base import Task, TaskResult, mlp, register_task, seed_everything, split_validation

SPLIT_SEED = 0


@functools.lru_cache(maxsize=4)
def load_digits_split(test_fraction: float) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """(x_train, y_train, x_test, y_test): images as (N, 1, 8, 8) float32 in [0, 1], labels int64."""
    from sklearn.datasets import load_digits

    d = load_digits()
    x = torch.tensor(d.images / 16.0, dtype=torch.float32).unsqueeze(1)
    y = torch.tensor(d.target, dtype=torch.int64)
    order = torch.from_numpy(np.random.RandomState(SPLIT_SEED).permutation(len(y)))
    n_test = int(round(len(y) * test_fraction))
    te, tr = order[:n_test], order[n_test:]
    return x[tr], y[tr], x[te], y[te]


def small_cnn(channels: int, make_act: Callable[[], nn.Module]) -> nn.Sequential:
    c = channels
    return nn.Sequential(
        nn.Conv2d(1, c, 3, padding=1),
        make_act(),
        nn.Conv2d(c, 2 * c, 3, padding=1),
        make_act(),
        nn.MaxPool2d(2),
        nn.Conv2d(2 * c, 2 * c, 3, padding=1),
        make_act(),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Linear(2 * c, 10),
    )


@register_task
class DigitsTask(Task):
    name = "digits"
    metric = "accuracy"
    higher_is_better = True
    description = "scikit-learn's 8x8 digits: MLP or small CNN"

    def default_config(self, preset: str) -> dict[str, Any]:
        base = {"model": "mlp", "test_fraction": 0.25, "val_fraction": 0.15, "width": 128, "depth": 2,
                "channels": 16,
                "optimizer": "adam", "lr": 1e-3, "weight_decay": 0.0, "schedule": "constant",
                "batch_size": 64, "evals": 5, "device": "cpu", "eval_predictions": False}
        if preset == "tiny":
            return {**base, "width": 64, "channels": 8, "epochs": 4}
        if preset == "quick":
            return {**base, "epochs": 20}
        if preset == "full":
            return {**base, "width": 256, "channels": 32, "epochs": 60, "schedule": "cosine", "evals": 20}
        raise ValueError(f"unknown preset {preset!r}")

    def warmup_config(self, config: dict[str, Any]) -> dict[str, Any]:
        return {**config, "epochs": 1, "evals": 1}

    def run(self, make_act: Callable[[], nn.Module], seed: int, config: dict[str, Any]) -> TaskResult:
        x_tr, y_tr, x_te, y_te = load_digits_split(float(config["test_fraction"]))
        (x_tr, y_tr), (x_va, y_va) = split_validation(x_tr, y_tr, float(config["val_fraction"]))
        gen = seed_everything(seed)
        sites = ActSites(make_act)
        if config["model"] == "mlp":
            model = mlp(64, config["width"], config["depth"], 10, sites)
            x_tr, x_va, x_te = x_tr.flatten(1), x_va.flatten(1), x_te.flatten(1)
        elif config["model"] == "cnn":
            model = small_cnn(config["channels"], sites)
        else:
            raise ValueError(f"digits: model must be 'mlp' or 'cnn', got {config['model']!r}")
        return train_supervised(
            model, (x_tr, y_tr), (x_te, y_te), config, gen, acts=sites.modules, val=(x_va, y_va)
        )
