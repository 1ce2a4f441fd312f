"""The public catalog API: ``available``, ``describe``, ``get``, ``init_gain``."""

from __future__ import annotations

from typing import Any

from torch import nn

from actlab.catalog.properties import init_gain
from actlab.catalog.registry import ALIASES, REGISTRY, lookup, normalize
from actlab.catalog.spec import FAMILIES, ActivationSpec
from actlab.errors import UnknownActivationError
from actlab.nn.activation import Activation
from actlab.nn.registry import LEARNABLE, MODULES, OVERRIDES

__all__ = ["available", "describe", "get", "init_gain"]


def available(family: str | None = None) -> list[str]:
    """Sorted canonical names of every registered activation, optionally of one family."""
    if family is not None and family not in FAMILIES:
        raise ValueError(f"unknown family {family!r}; valid families: {', '.join(FAMILIES)}")
    return sorted(n for n, s in REGISTRY.items() if family is None or s.family == family)


def describe(name: str) -> ActivationSpec:
    """The :class:`ActivationSpec` of ``name`` (canonical name or alias)."""
    return lookup(name)


def get(name: str, *, impl: str = "auto", trainable: bool = False, **params: Any) -> nn.Module:
    """A ready ``nn.Module`` for activation (or activation module) ``name``.

    Args:
        name: a catalog name or alias (``"golu"``, ``"swish"``), or the name of a module that is
            not a single elementwise function (``actlab.nn`` registers e.g. ``"cats"``).
        impl: backend for elementwise activations: ``"auto"``, ``"eager"``, ``"lean"``,
            ``"compiled"`` or ``"triton"`` (see :mod:`actlab.kernels.dispatch`).
        trainable: return the learnable form, whose parameters are ``nn.Parameter``s.
        **params: the activation's parameters.

    Raises :class:`actlab.UnknownActivationError` for an unknown name, ``TypeError`` for an
    unknown keyword and ``ValueError`` for an out-of-range parameter.
    """
    key = normalize(name) if isinstance(name, str) else None
    if key in MODULES:
        # impl/trainable reach a module factory only when asked for, so one that has no such
        # option rejects them (TypeError) instead of silently ignoring them
        options = {k: v for k, v in (("impl", impl), ("trainable", trainable)) if v not in ("auto", False)}
        return MODULES[key](**options, **params)
    try:
        spec = lookup(name)
    except UnknownActivationError:
        raise UnknownActivationError(name, sorted([*REGISTRY, *ALIASES, *MODULES])) from None
    if spec.name in OVERRIDES:
        return OVERRIDES[spec.name](spec, impl=impl, trainable=trainable, **params)
    if trainable:
        return LEARNABLE[0](spec, impl=impl, **params)
    return Activation(spec, impl=impl, **params)
