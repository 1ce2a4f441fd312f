"""The task interface of ``actlab bench``: :class:`Task`, :class:`TaskResult` and the task registry.

A task takes an activation factory (``make_act() -> nn.Module``, called once per activation site so
learnable activations get their own parameters), a seed and a config dict, builds its model, trains
and evaluates it deterministically, and returns a :class:`TaskResult`.

Every task has three presets (``default_config(preset)``): ``"tiny"`` (seconds, for tests),
``"quick"`` (the quick benchmark preset) and ``"full"`` (research sizes).
"""

from __future__ import annotations

import difflib
import importlib
import math
import os
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

__all__ = [
    "PRESETS",
    "DatasetUnavailableError",
    "Task",
    "TaskResult",
    "UnknownTaskError",
    "available_tasks",
    "get_task",
    "register_task",
]

PRESETS = ("tiny", "quick", "full")


@dataclass
class TaskResult:
    """What one run of a task returns.

    ``metrics`` always holds ``"test_metric"`` (final), ``"best_test_metric"``, ``"final_train_loss"``
    and ``"steps"``; where meaningful also ``"dead_rate"``, ``"zero_fraction"``,
    ``"near_zero_fraction"`` (from :func:`actlab.probe` on the test data, averaged over layers) and
    task-specific extras. ``curves`` holds per-step/per-evaluation series (e.g. ``"train_loss"``,
    ``"test_metric"``). ``predictions`` are test-set predicted labels (classification), for cross-seed
    reproducibility; ``correct`` marks, per test example, whether the prediction was right (the
    statistics compute the test-set sampling error from it). Classification tasks also report
    ``val_metric`` (the metric on a validation split carved from the training data, used to choose
    learning rates; never the test set) and ``n_test``. ``diverged`` is True when a NaN/inf loss or
    parameter was met; the task then stops early and returns what it has.
    """

    metrics: dict[str, float]
    curves: dict[str, list[float]]
    predictions: list[int] | None = None
    diverged: bool = False
    correct: list[int] | None = None


class UnknownTaskError(LookupError):
    """A task name that is not registered."""

    def __init__(self, name: str, known: Iterable[str]):
        self.name = name
        known = sorted(known)
        self.suggestions = difflib.get_close_matches(str(name), known, n=5, cutoff=0.5)
        msg = f"unknown task {name!r}"
        if self.suggestions:
            msg += "; did you mean " + ", ".join(repr(s) for s in self.suggestions) + "?"
        msg += f" (available tasks: {', '.join(known)})"
        super().__init__(msg)

    def __str__(self) -> str:
        return self.args[0]


class DatasetUnavailableError(RuntimeError):
    """A task's data cannot be obtained (e.g. a download is needed and the machine is offline).

    Raised before any training starts.
    """


class Task:
    """Base class of a benchmark task; subclass it and decorate the subclass with :func:`register_task`.

    Class attributes: ``name`` (registry key), ``metric`` (name of the test metric, e.g.
    ``"accuracy"``), ``higher_is_better`` and a one-line ``description``.
    """

    name: str = ""
    metric: str = ""
    higher_is_better: bool = True
    description: str = ""

    def default_config(self, preset: str) -> dict[str, Any]:
        """The config of ``preset`` (one of ``"tiny"``, ``"quick"``, ``"full"``)."""
        raise NotImplementedError

    def run(self, make_act: Callable[[], nn.Module], seed: int, config: dict[str, Any]) -> TaskResult:
        """Train and evaluate with activation factory ``make_act`` and ``seed`` under ``config``."""
        raise NotImplementedError

    def warmup_config(self, config: dict[str, Any]) -> dict[str, Any] | None:
        """A short version of ``config`` (the same model and data, a few steps) that the executor
        runs once, untimed, before the first timed run of ``config`` in a process, so that no
        run pays the process's warm-up (imports, data loading, first-use kernel setup). ``None``:
        no task warm-up (the default for tasks that do not say how to shorten themselves)."""
        return None

    def config(self, preset: str = "quick", **overrides: Any) -> dict[str, Any]:
        """``default_config(preset)`` updated with ``overrides``; unknown keys raise ``TypeError``."""
        if preset not in PRESETS:
            raise ValueError(f"unknown preset {preset!r}; valid presets: {', '.join(PRESETS)}")
        cfg = dict(self.default_config(preset))
        unknown = sorted(set(overrides) - set(cfg))
        if unknown:
            raise TypeError(
                f"task {self.name!r}: unknown config key(s) {', '.join(map(repr, unknown))}; "
                f"valid keys: {', '.join(sorted(cfg))}"
            )
        cfg.update(overrides)
        return cfg

    def __repr__(self) -> str:
        better = "higher" if self.higher_is_better else "lower"
        return f"<Task {self.name}: {self.metric} ({better} is better)>"


_TASKS: dict[str, Task] = {}


def register_task(cls: type[Task]) -> type[Task]:
    """Class decorator: register one instance of ``cls`` under ``cls.name``."""
    if not cls.name:
        raise ValueError(f"{cls.__name__} has no name")
    if cls.name in _TASKS:
        raise ValueError(f"task {cls.name!r} registered twice")
    _TASKS[cls.name] = cls()
    return cls


def get_task(name: str) -> Task:
    """The registered task ``name``; raises :class:`UnknownTaskError` naming close matches.

    ``"module:attr"`` names a user's task (a :class:`Task` subclass or instance, or a function;
    see :func:`load_task`): it is imported and registered on first use, in every
    process that asks for it (so worker processes and Ray workers find it by name too).
    """
    text = str(name).strip()
    if ":" in text:
        if text not in _TASKS:
            _TASKS[text] = load_task(text)
        return _TASKS[text]
    key = text.lower().replace("-", "_")
    if key not in _TASKS:
        raise UnknownTaskError(name, _TASKS)
    return _TASKS[key]


def available_tasks() -> list[str]:
    """Sorted names of every registered task (user tasks ``module:attr`` loaded so far included)."""
    return sorted(_TASKS)


def split_validation(
    x: torch.Tensor, y: torch.Tensor, fraction: float, seed: int = 12345
) -> tuple[tuple[torch.Tensor, torch.Tensor], tuple[torch.Tensor, torch.Tensor]]:
    """``(train, val)``: the last ``fraction`` of a fixed seeded permutation of ``(x, y)`` is the
    validation split (the same for every run seed). ``fraction=0`` gives an empty validation set."""
    if not 0 <= fraction < 1:
        raise ValueError(f"val_fraction must be in [0, 1), got {fraction!r}")
    n_val = int(round(len(y) * fraction))
    order = torch.randperm(len(y), generator=torch.Generator().manual_seed(seed))
    tr, va = order[: len(y) - n_val], order[len(y) - n_val :]
    return (x[tr], y[tr]), (x[va], y[va])


# ---------------------------------------------------------------- helpers shared by the task modules


def seed_everything(seed: int) -> torch.Generator:
    """Seed python, numpy and torch, turn on deterministic algorithms, return a seeded CPU generator."""
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    return torch.Generator().manual_seed(seed)


def cache_dir() -> Path:
    """Where generated datasets are cached on disk."""
    if os.environ.get("ACTLAB_CACHE_DIR"):
        return Path(os.environ["ACTLAB_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "actlab"


def mlp(d_in: int, width: int, depth: int, d_out: int, make_act: Callable[[], nn.Module]) -> nn.Sequential:
    """``depth`` hidden layers of ``width`` units, ``make_act()`` after each, then a linear output."""
    layers: list[nn.Module] = []
    d = d_in
    for _ in range(depth):
        layers += [nn.Linear(d, width), make_act()]
        d = width
    layers.append(nn.Linear(d, d_out))
    return nn.Sequential(*layers)


def finite(loss: torch.Tensor | float, model: nn.Module | None = None) -> bool:
    """True when ``loss`` and (if given) every parameter of ``model`` are finite."""
    v = float(loss.detach()) if isinstance(loss, torch.Tensor) else float(loss)
    if not math.isfinite(v):
        return False
    if model is not None:
        for p in model.parameters():
            if not torch.isfinite(p).all():
                return False
    return True


@dataclass
class Tracker:
    """Accumulates a run's curves and best metric while it trains."""

    higher_is_better: bool
    curves: dict[str, list[float]] = field(default_factory=dict)
    best: float | None = None
    diverged: bool = False

    def log(self, key: str, value: float) -> None:
        self.curves.setdefault(key, []).append(float(value))

    def evaluation(self, value: float) -> None:
        """Record one test-metric evaluation (NaN is recorded but never the best)."""
        self.log("test_metric", value)
        if math.isfinite(value) and (
            self.best is None or (value > self.best if self.higher_is_better else value < self.best)
        ):
            self.best = value

    def result(
        self,
        final: float,
        steps: int,
        extra: dict[str, float] | None = None,
        predictions: list[int] | None = None,
        correct: list[int] | None = None,
    ) -> TaskResult:
        losses = self.curves.get("train_loss", [])
        metrics = {
            "test_metric": float(final),
            "best_test_metric": float(self.best if self.best is not None else final),
            "final_train_loss": float(losses[-1]) if losses else float("nan"),
            "steps": float(steps),
        }
        metrics.update({k: float(v) for k, v in (extra or {}).items()})
        return TaskResult(
            metrics=metrics, curves=self.curves, predictions=predictions, diverged=self.diverged,
            correct=correct,
        )


# ---------------------------------------------------------------- a user's own task: "module:attr"
#
# ``attr`` (a dotted path inside ``module``) may be a :class:`Task` subclass or instance (its metric,
# higher_is_better, default_config, run and warmup_config are used as they are), or a function
# ``fn(make_act, seed, config) -> TaskResult | float``: a float is the test metric (higher is better
# unless ``fn.higher_is_better = False``); ``fn.config`` (a dict, optional) is its config for every
# preset; ``fn.metric`` (optional) names the metric. The task is registered under the exact string
# "module:attr"; nothing has to be shipped to worker processes or Ray workers, the name says what
# to import, so :func:`get_task` loads it there on first use (the module must be importable there).


def _resolve(text: str) -> Any:
    module_name, _, attr = text.partition(":")
    if not module_name.strip() or not attr.strip():
        raise ValueError(f"a user task is given as module:attr, got {text!r}")
    try:
        obj: Any = importlib.import_module(module_name.strip())
    except ImportError as e:
        raise LookupError(f"user task {text!r}: cannot import {module_name.strip()!r} ({e})") from None
    for part in attr.strip().split("."):
        if not hasattr(obj, part):
            raise LookupError(
                f"user task {text!r}: {module_name.strip()!r} has no attribute {attr.strip()!r}"
            )
        obj = getattr(obj, part)
    return obj


def user_task_class(text: str) -> type[Task]:
    """Import ``"module:attr"`` and wrap it as a :class:`~actlab.bench.tasks.Task` subclass (its
    ``name`` is left to the caller: :func:`load_task` here, ``actlab.search.usertask`` for search).

    Raises ``ValueError`` (not ``module:attr``), ``LookupError`` (cannot import, no such
    attribute) or ``TypeError`` (neither a task nor a function).
    """
    obj = _resolve(text)
    if isinstance(obj, type) and issubclass(obj, Task):
        obj = obj()
    if isinstance(obj, Task):
        inner = obj

        class UserTask(Task):
            metric = inner.metric or "score"
            higher_is_better = inner.higher_is_better
            description = inner.description or f"user task {text}"

            def default_config(self, preset: str) -> dict[str, Any]:
                return inner.default_config(preset)

            def run(self, make_act: Callable[[], nn.Module], seed: int, config: dict[str, Any]) -> TaskResult:
                return inner.run(make_act, seed, config)

            def warmup_config(self, config: dict[str, Any]) -> dict[str, Any] | None:
                return inner.warmup_config(config)

    elif callable(obj):
        fn = obj
        cfg = dict(getattr(fn, "config", {}) or {})

        class UserTask(Task):  # type: ignore[no-redef]
            metric = str(getattr(fn, "metric", "score"))
            higher_is_better = bool(getattr(fn, "higher_is_better", True))
            description = (fn.__doc__ or f"user task {text}").strip().splitlines()[0]

            def default_config(self, preset: str) -> dict[str, Any]:
                return dict(cfg)

            def run(self, make_act: Callable[[], nn.Module], seed: int, config: dict[str, Any]) -> TaskResult:
                seed_everything(seed)
                out = fn(make_act, seed, config)
                if isinstance(out, TaskResult):
                    return out
                v = float(out)
                return TaskResult(
                    metrics={
                        "test_metric": v,
                        "best_test_metric": v,
                        "final_train_loss": math.nan,
                        "steps": 1.0,
                    },
                    curves={},
                    diverged=not math.isfinite(v),
                )

    else:
        raise TypeError(f"user task {text!r} must be a Task or a function, got {type(obj).__name__}")
    return UserTask


def load_task(text: str) -> Any:
    """Import ``"module:attr"`` and wrap it as a :class:`~actlab.bench.tasks.Task` named ``text``
    (errors as :func:`user_task_class`)."""
    task = user_task_class(text)()
    task.name = text
    task.loaded_by_name = True  # workers load it from its name (see actlab.bench.tasks.get_task)
    return task
