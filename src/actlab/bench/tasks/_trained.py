"""A trained classifier for tasks that measure something *after* training (robustness, OOD detection).

:func:`train_classifier` builds the ``digits`` or ``mnist1d`` model of those tasks (the same data
splits, models and training loop, :func:`~actlab.bench.tasks._train.train_supervised`), trains it
and returns the trained model with its data, so that a task can go on to evaluate it under noise
or against out-of-distribution inputs.

Config keys: ``data`` (``"digits"`` or ``"mnist1d"``), ``model`` (``"mlp"`` or ``"cnn"``), the
model sizes ``width``, ``depth``, ``channels``, the data keys ``test_fraction`` (digits),
``num_samples`` (mnist1d) and ``val_fraction``, and the training keys of ``train_supervised``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn

from actlab.bench.tasks._train import ActSites, train_supervised
from actlab.bench.tasks.base import TaskResult, mlp, seed_everything, split_validation

__all__ = ["DATASETS", "Trained", "classifier_config", "train_classifier"]

DATASETS = ("digits", "mnist1d")

Split = tuple[torch.Tensor, torch.Tensor]


@dataclass
class Trained:
    """A trained classifier, its training result and its data splits (model-ready inputs)."""

    model: nn.Module
    result: TaskResult
    train: Split
    val: Split
    test: Split
    acts: list[nn.Module]


def classifier_config(preset: str) -> dict[str, Any]:
    """The digits MLP of the ``digits`` task's presets (the default data and model of these tasks)."""
    base = {"data": "digits", "model": "mlp", "test_fraction": 0.25, "num_samples": 5000,
            "val_fraction": 0.15, "width": 128, "depth": 2, "channels": 16, "optimizer": "adam", "lr": 1e-3,
            "weight_decay": 0.0, "schedule": "constant", "batch_size": 64, "evals": 5, "device": "cpu"}
    if preset == "tiny":
        return {**base, "width": 32, "channels": 8, "epochs": 4, "lr": 3e-3, "evals": 1}
    if preset == "quick":
        return {**base, "epochs": 20}
    if preset == "full":
        return {**base, "width": 256, "channels": 32, "epochs": 60, "schedule": "cosine", "evals": 20}
    raise ValueError(f"unknown preset {preset!r}")


Builder = Callable[[Callable[[], nn.Module]], nn.Module]


def _data(config: dict[str, Any]) -> tuple[Split, Split, Split, Builder]:
    data, model = config["data"], config["model"]
    if data not in DATASETS:
        raise ValueError(f"data must be one of {', '.join(DATASETS)}, got {data!r}")
    if model not in ("mlp", "cnn"):
        raise ValueError(f"model must be 'mlp' or 'cnn', got {model!r}")
    if data == "digits":
        from actlab.bench.tasks.digits import load_digits_split, small_cnn

        x_tr, y_tr, x_te, y_te = load_digits_split(float(config["test_fraction"]))
        if model == "mlp":
            x_tr, x_te = x_tr.flatten(1), x_te.flatten(1)
            build = lambda act: mlp(64, int(config["width"]), int(config["depth"]), 10, act)
        else:
            build = lambda act: small_cnn(int(config["channels"]), act)
    else:
        from actlab.bench.tasks.mnist1d import cnn1d, load_mnist1d

        d = load_mnist1d(int(config["num_samples"]))
        x_tr, y_tr = torch.from_numpy(d["x"]), torch.from_numpy(d["y"])
        x_te, y_te = torch.from_numpy(d["x_test"]), torch.from_numpy(d["y_test"])
        if model == "mlp":
            build = lambda act: mlp(40, int(config["width"]), int(config["depth"]), 10, act)
        else:
            build = lambda act: cnn1d(int(config["channels"]), act)
    train, val = split_validation(x_tr, y_tr, float(config["val_fraction"]))
    return train, val, (x_te, y_te), build


def train_classifier(
    make_act: Callable[[], nn.Module],
    seed: int,
    config: dict[str, Any],
    prepare: Callable[[nn.Module], nn.Module] | None = None,
) -> Trained:
    """Build, (optionally) ``prepare`` (e.g. put noise in the training loop), train and return.

    ``prepare(model)`` returns the module that is trained (it may wrap ``model``'s layers in
    place); the returned :class:`Trained` holds that module.
    """
    train, val, test, build = _data(config)
    gen = seed_everything(seed)
    sites = ActSites(make_act)
    model = build(sites)
    if prepare is not None:
        model = prepare(model)
    result = train_supervised(model, train, test, config, gen, acts=sites.modules, val=val)
    model.eval()
    return Trained(model, result, train, val, test, sites.modules)
