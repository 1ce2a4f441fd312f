"""The public catalog API: ``available``, ``describe``, ``get``, ``init_gain``."""

from __future__ import annotations

from typing import Any

from torch import nn

from actlab.catalog.properties import init_gain
from actlab.catalog.registry import MODULE_PREFIX, REGISTRY, lookup, resolve
from actlab.catalog.spec import FAMILIES, ActivationSpec
from actlab.nn.activation import Activation
from actlab.nn.learnable import LearnableActivation
from actlab.nn.registry import MODULES, module_factory

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
        name: a catalog name, alias, preset or printed name (``"golu"``, ``"swish"``,
            ``"Sigmoid-Gumbel"``, ``"dSiLU"``), or the name of a module that is not a single
            elementwise function (``actlab.nn`` registers e.g. ``"cats"``, ``"maxout"``).
        impl: backend for elementwise activations: ``"auto"``, ``"eager"``, ``"lean"``,
            ``"compiled"`` or ``"triton"`` (see :mod:`actlab.kernels.dispatch`).
        trainable: return the learnable form, whose parameters are ``nn.Parameter``s.
        **params: the activation's parameters.

    Raises :class:`actlab.UnknownActivationError` for an unknown name,
    :class:`actlab.AmbiguousActivationError` for an abbreviation several activations go by
    (both are ``LookupError``), ``TypeError`` for an unknown keyword and ``ValueError`` for an
    out-of-range parameter.
    """
    key = resolve(name) if isinstance(name, str) else None
    if key is not None and key.startswith(MODULE_PREFIX):
        # impl/trainable reach a module factory only when asked for, so one that has no such
        # option rejects them (TypeError) instead of silently ignoring them
        options = {k: v for k, v in (("impl", impl), ("trainable", trainable)) if v not in ("auto", False)}
        return MODULES[key.removeprefix(MODULE_PREFIX)](**options, **params)
    spec = lookup(key if key is not None else name)
    if spec.module is not None:
        return module_factory(spec)(spec, impl=impl, trainable=trainable, **params)
    if trainable:
        return LearnableActivation(spec, impl=impl, **params)
    return Activation(spec, impl=impl, **params)
