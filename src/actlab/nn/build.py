"""Build the module a catalog or module name stands for: the body of :func:`actlab.get`.

It lives in :mod:`actlab.nn` (not in :mod:`actlab.api`) so that modules such as
:class:`~actlab.nn.GatedFFN` can build their activations without importing the layer above them.
"""

from __future__ import annotations

from typing import Any

from torch import nn

from actlab.catalog.registry import MODULE_PREFIX, lookup, resolve
from actlab.nn.activation import Activation
from actlab.nn.learnable import LearnableActivation
from actlab.nn.registry import MODULES, module_factory


def build(name: Any, *, impl: str = "auto", trainable: bool = False, **params: Any) -> nn.Module:
    """The module for ``name`` (see :func:`actlab.get`, which documents the arguments)."""
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
