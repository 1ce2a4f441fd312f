"""``mnist1d``: the MNIST-1D dataset (Greydanus 2020), generated offline by the ``mnist1d`` package.

Data: ``mnist1d.data.make_dataset(args)`` with the package's default arguments (40-sample signals,
10 classes; 4000 training and 1000 test examples for ``num_samples=5000``). Its ``get_dataset``
would download a pickle, so it is never called. Generation takes ~2 s, so the arrays are cached in
the process and on disk (``$ACTLAB_CACHE_DIR``, else ``$XDG_CACHE_HOME/actlab``, else
``~/.cache/actlab``; file name keyed by a hash of the generator arguments and the package version;
an unwritable cache directory is skipped).

Models (``model``):

- ``mlp``: 40 → width → … → 10 with ``make_act()`` after each hidden layer;
- ``cnn``: three 1-D convolutions (1→c kernel 5, c→c kernel 3, c→c kernel 3; stride 2 each, so the
  length goes 40 → 20 → 10 → 5), ``make_act()`` after each, then linear(5c → 10).

Cross-entropy, Adam, minibatches. Test metric: accuracy. ``val_fraction`` of the training
examples (a fixed permutation) is held out as the validation split.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from actlab.bench.tasks._train import ActSites, train_supervised
from actlab.bench.tasks.base import (
    Task,
    TaskResult,
    cache_dir,
    mlp,
    register_task,
    seed_everything,
    split_validation,
)

_MEMO: dict[str, dict[str, np.ndarray]] = {}


def _generator_args(num_samples: int) -> tuple[Any, str]:
    from importlib.metadata import version

    from mnist1d.data import get_dataset_args

    args = get_dataset_args()
    args.num_samples = int(num_samples)
    desc = {k: v for k, v in sorted(vars(args).items()) if k != "url"}
    desc["mnist1d_version"] = version("mnist1d")
    key = hashlib.sha256(json.dumps(desc, sort_keys=True).encode()).hexdigest()[:16]
    return args, key


def load_mnist1d(num_samples: int = 5000, disk_cache: bool = True) -> dict[str, np.ndarray]:
    """The generated dataset: ``x`` (N, 40) float32, ``y`` (N,) int64, ``x_test``, ``y_test``."""
    args, key = _generator_args(num_samples)
    if key in _MEMO:
        return _MEMO[key]
    path = cache_dir() / f"mnist1d-{key}.npz"
    data = None
    if disk_cache and path.is_file():
        try:
            with np.load(path) as f:
                data = {k: f[k] for k in ("x", "y", "x_test", "y_test")}
        except (OSError, ValueError, KeyError):
            data = None  # unreadable or partial: regenerate
    if data is None:
        from mnist1d.data import make_dataset

        state = np.random.get_state()  # make_dataset reseeds numpy's global generator
        try:
            raw = make_dataset(args)
        finally:
            np.random.set_state(state)
        data = {
            "x": raw["x"].astype(np.float32),
            "y": raw["y"].astype(np.int64),
            "x_test": raw["x_test"].astype(np.float32),
            "y_test": raw["y_test"].astype(np.int64),
        }
        if disk_cache:
            _save(path, data)
    _MEMO[key] = data
    return data


def _save(path: Path, data: dict[str, np.ndarray]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                np.savez(f, **data)
            os.replace(tmp, path)  # atomic: concurrent workers never see a partial file
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except OSError:
        pass  # read-only or full disk: the in-process cache still works


def cnn1d(channels: int, make_act: Callable[[], nn.Module]) -> nn.Sequential:
    c = channels
    return nn.Sequential(
        nn.Unflatten(1, (1, 40)),
        nn.Conv1d(1, c, 5, stride=2, padding=2),
        make_act(),
        nn.Conv1d(c, c, 3, stride=2, padding=1),
        make_act(),
        nn.Conv1d(c, c, 3, stride=2, padding=1),
        make_act(),
        nn.Flatten(),
        nn.Linear(5 * c, 10),
    )


@register_task
class Mnist1dTask(Task):
    name = "mnist1d"
    metric = "accuracy"
    higher_is_better = True
    description = "MNIST-1D (generated offline by the mnist1d package): 1-D CNN or MLP"

    def default_config(self, preset: str) -> dict[str, Any]:
        base = {"model": "cnn", "num_samples": 5000, "val_fraction": 0.1, "width": 128, "depth": 2,
                "channels": 32,
                "optimizer": "adam", "lr": 3e-3, "weight_decay": 0.0, "schedule": "constant",
                "batch_size": 100, "evals": 5, "device": "cpu", "eval_predictions": False}
        if preset == "tiny":
            return {**base, "model": "mlp", "width": 64, "epochs": 3}
        if preset == "quick":
            return {**base, "epochs": 10}
        if preset == "full":
            return {**base, "channels": 64, "epochs": 60, "schedule": "cosine", "evals": 20}
        raise ValueError(f"unknown preset {preset!r}")

    def warmup_config(self, config: dict[str, Any]) -> dict[str, Any]:
        return {**config, "epochs": 1, "evals": 1}

    def run(self, make_act: Callable[[], nn.Module], seed: int, config: dict[str, Any]) -> TaskResult:
        d = load_mnist1d(int(config["num_samples"]))
        train, val = split_validation(torch.from_numpy(d["x"]), torch.from_numpy(d["y"]),
                                      float(config["val_fraction"]))
        test = (torch.from_numpy(d["x_test"]), torch.from_numpy(d["y_test"]))
        gen = seed_everything(seed)
        sites = ActSites(make_act)
        if config["model"] == "mlp":
            model = mlp(40, config["width"], config["depth"], 10, sites)
        elif config["model"] == "cnn":
            model = cnn1d(config["channels"], sites)
        else:
            raise ValueError(f"mnist1d: model must be 'mlp' or 'cnn', got {config['model']!r}")
        return train_supervised(model, train, test, config, gen, acts=sites.modules, val=val)
