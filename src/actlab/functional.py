"""Functional forms: ``actlab.functional.<name>(x, **params)`` for every registered activation.

The functions are generated from the registry (one definition per activation), so every
canonical name and alias is available here, e.g. ``actlab.functional.golu(x, gamma=2.0)``.
Parameters are validated like :func:`actlab.get`; half types are computed in fp32.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from actlab import catalog as _catalog  # noqa: F401  (fills the registry)
from actlab.catalog.registry import ALIASES, PRESETS, REGISTRY, lookup
from actlab.catalog.spec import ActivationSpec


def apply(name: str, x: torch.Tensor, **params: Any) -> torch.Tensor:
    """Apply the activation registered as ``name`` (or an alias) to ``x``."""
    return lookup(name)(x, **params)


def _make(spec: ActivationSpec) -> Callable[..., torch.Tensor]:
    def f(x: torch.Tensor, **params: Any) -> torch.Tensor:
        return spec(x, **params)

    f.__name__ = f.__qualname__ = spec.name
    args = ", ".join(f"{p.name}={p.default!r}" for p in spec.params)
    f.__doc__ = (
        f"{spec.name}(x{', ' + args if args else ''})\n\n"
        f"    {spec.formula_text}\n\n    {spec.citation.short()} {spec.citation.link()}\n"
        + (f"\n    Note: {spec.notes}\n" if spec.notes else "")
    )
    return f


def _populate() -> None:
    g = globals()
    for name, spec in (*REGISTRY.items(), *PRESETS.items()):
        g.setdefault(name, _make(spec))
    for alias, target in ALIASES.items():
        g.setdefault(alias, g[target])


def __getattr__(name: str) -> Callable[..., torch.Tensor]:
    # activations registered after import (e.g. by the user) are found too
    try:
        spec = lookup(name)
    except LookupError:
        raise AttributeError(f"module 'actlab.functional' has no attribute {name!r}") from None
    return _make(spec)


_populate()
