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
import sys
import types
from typing import Any

__all__ = ["load_user_task"]

_PREFIX = __name__ + ".t_"
# a module with __path__ is a package: its synthetic submodules t_<hex> can then be imported
__path__: list[str] = []


def _normal(name: str) -> str:
    return str(name).strip().lower().replace("-", "_")


def _wrap(spec: str) -> type:
    """The bench's wrapper of ``module:attr`` (:func:`actlab.bench.tasks.base.user_task_class`),
    named for search and given this module's synthetic submodule so that it pickles by reference."""
    from actlab.bench.tasks.base import user_task_class

    cls = user_task_class(spec)
    cls.name = _normal(spec)
    cls.__module__ = _PREFIX + spec.encode().hex()
    cls.__qualname__ = cls.__name__ = "UserTask"
    return cls


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
