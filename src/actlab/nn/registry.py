"""Modules reachable by name through :func:`actlab.get` that are not one elementwise function.

``MODULES[name]`` is a module such as CATS, top-k, xUnit or maxout, called as ``factory(**kwargs)``.
Its name, printed names and survey rows go into the catalog's name index
(:func:`actlab.catalog.registry.register_module_names`), so one resolver serves functions and
modules alike. (A catalog function whose module is not the generic one names its factory in its
spec's ``module`` field instead.)
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from actlab.catalog.registry import normalize, register_module_names

MODULES: dict[str, Callable[..., Any]] = {}
MODULE_SURVEY: dict[str, str] = {}  # survey row name -> module key


def register_module(
    name: str, *, names: tuple[str, ...] = (), survey: tuple[str, ...] = ()
) -> Callable[[Callable], Callable]:
    """Decorator: make ``actlab.get(name, **kwargs)`` build ``factory(**kwargs)``."""

    def deco(factory: Callable) -> Callable:
        key = normalize(name)
        if key in MODULES:
            raise ValueError(f"module name {key!r} registered twice")
        MODULES[key] = factory
        register_module_names(key, names, survey)
        for row in survey:
            if row in MODULE_SURVEY:
                raise ValueError(f"survey row {row!r} claimed by modules {MODULE_SURVEY[row]!r} and {key!r}")
            MODULE_SURVEY[row] = key
        return factory

    return deco


def module_factory(spec: Any) -> Callable[..., Any]:
    """The factory named by ``spec.module`` (``"package.module:callable"``), imported on first use."""
    path, _, attr = spec.module.partition(":")
    if not attr:
        raise ValueError(f"{spec.name}: module {spec.module!r} must be 'package.module:factory'")
    return getattr(importlib.import_module(path), attr)
