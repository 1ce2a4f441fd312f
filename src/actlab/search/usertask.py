"""A user's own evaluation task for ``actlab search --task module:attr``.

``attr`` may be

- a :class:`~actlab.bench.tasks.Task` subclass or instance (its ``run``/``default_config`` are used), or
- a function ``fn(make_act, seed, config) -> TaskResult | float``. A float is the score (higher is
  better unless ``fn.higher_is_better = False``); ``fn.config`` (a dict, optional) is its config for
  every preset; ``fn.metric`` (optional) names the score.

The task is registered in the bench's task registry under the lower-cased ``module:attr``. For
worker processes and Ray workers to find it, the wrapper class lives in a synthetic module
``actlab.search.usertask.t_<hex of "module:attr">``: importing that module (the bench's executors
import the module of every task class before a run) imports the user's module and registers the
task again in the worker. The user's module must be importable there (on ``PYTHONPATH``).
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import math
import sys
import types
from collections.abc import Callable
from typing import Any

__all__ = ["load_user_task"]

_PREFIX = __name__ + ".t_"
# a module with __path__ is a package: its synthetic submodules t_<hex> can then be imported
__path__: list[str] = []


def _normal(name: str) -> str:
    return str(name).strip().lower().replace("-", "_")


def _wrap(spec: str) -> type:
    from actlab.bench.tasks.base import Task, TaskResult, seed_everything

    module_name, _, attr = spec.partition(":")
    if not module_name or not attr:
        raise ValueError(f"a user task is given as module:attr, got {spec!r}")
    try:
        mod = importlib.import_module(module_name)
    except ImportError as e:
        raise LookupError(f"user task {spec!r}: cannot import {module_name!r} ({e})") from None
    obj: Any = mod
    for part in attr.split("."):
        if not hasattr(obj, part):
            raise LookupError(f"user task {spec!r}: {module_name!r} has no attribute {attr!r}")
        obj = getattr(obj, part)
    if isinstance(obj, type) and issubclass(obj, Task):
        obj = obj()

    if isinstance(obj, Task):
        inner = obj

        class UserTask(Task):
            name = _normal(spec)
            metric = inner.metric or "score"
            higher_is_better = inner.higher_is_better
            description = inner.description or f"user task {spec}"

            def default_config(self, preset: str) -> dict[str, Any]:
                return inner.default_config(preset)

            def run(self, make_act: Callable, seed: int, config: dict[str, Any]) -> TaskResult:
                return inner.run(make_act, seed, config)

    elif callable(obj):
        fn = obj
        cfg = dict(getattr(fn, "config", {}) or {})

        class UserTask(Task):  # type: ignore[no-redef]
            name = _normal(spec)
            metric = str(getattr(fn, "metric", "score"))
            higher_is_better = bool(getattr(fn, "higher_is_better", True))
            description = (fn.__doc__ or f"user task {spec}").strip().splitlines()[0]

            def default_config(self, preset: str) -> dict[str, Any]:
                return dict(cfg)

            def run(self, make_act: Callable, seed: int, config: dict[str, Any]) -> TaskResult:
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
        raise TypeError(f"user task {spec!r} must be a Task or a function, got {type(obj).__name__}")
    UserTask.__module__ = _PREFIX + spec.encode().hex()
    UserTask.__qualname__ = UserTask.__name__ = "UserTask"
    return UserTask


def load_user_task(spec: str) -> str:
    """Register the user task ``module:attr`` (once) and return its registered name."""
    from actlab.bench.tasks.base import available_tasks

    name = _normal(spec)
    if name not in available_tasks():
        mod_name = _PREFIX + spec.encode().hex()
        sys.modules.pop(mod_name, None)
        importlib.import_module(mod_name)  # builds and registers the task
    return name


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Creates ``actlab.search.usertask.t_<hex>`` modules on import (see the module docstring)."""

    def find_spec(
        self, fullname: str, path: Any, target: Any = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname.startswith(_PREFIX):
            return importlib.machinery.ModuleSpec(fullname, self)
        return None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        return types.ModuleType(spec.name)

    def exec_module(self, module: types.ModuleType) -> None:
        from actlab.bench.tasks.base import available_tasks, register_task

        text = bytes.fromhex(module.__name__[len(_PREFIX) :]).decode()
        cls = _wrap(text)
        module.UserTask = cls
        if cls.name not in available_tasks():
            register_task(cls)


if not any(isinstance(f, _Finder) for f in sys.meta_path):
    sys.meta_path.append(_Finder())
