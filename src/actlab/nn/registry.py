"""Modules reachable by name through :func:`actlab.get` beside the generic elementwise one.

Two tables:

- ``OVERRIDES[name]``: a catalog activation whose module differs from the generic
  :class:`~actlab.nn.activation.Activation` (e.g. ``helu``, whose module has the hysteresis
  backward). The factory is called as ``factory(spec, impl=..., trainable=..., **params)``.
- ``MODULES[name]``: a module that is not a single elementwise function (CATS, top-k, xUnit, ...),
  called as ``factory(**kwargs)``.

``LEARNABLE`` is the factory for ``actlab.get(name, trainable=True)`` of any catalog function
without an override; the learnable-module code sets it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from actlab.catalog.registry import normalize

OVERRIDES: dict[str, Callable[..., Any]] = {}
MODULES: dict[str, Callable[..., Any]] = {}
LEARNABLE: list[Callable[..., Any]] = []


def register_override(name: str) -> Callable[[Callable], Callable]:
    def deco(factory: Callable) -> Callable:
        OVERRIDES[normalize(name)] = factory
        return factory

    return deco


def register_module(name: str) -> Callable[[Callable], Callable]:
    def deco(factory: Callable) -> Callable:
        key = normalize(name)
        if key in MODULES:
            raise ValueError(f"module name {key!r} registered twice")
        MODULES[key] = factory
        return factory

    return deco
