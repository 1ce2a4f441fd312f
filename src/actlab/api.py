"""The public catalog API: ``available``, ``describe``, ``get``, ``init_gain``."""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from actlab.catalog.properties import init_gain
from actlab.catalog.registry import REGISTRY, lookup
from actlab.catalog.spec import FAMILIES, ActivationSpec
from actlab.nn.activation import Activation
from actlab.nn.build import build

__all__ = ["InPlaceActivation", "available", "describe", "get", "init_gain"]


def available(family: str | None = None) -> list[str]:
    """Sorted canonical names of every registered activation, optionally of one family."""
    if family is not None and family not in FAMILIES:
        raise ValueError(f"unknown family {family!r}; valid families: {', '.join(FAMILIES)}")
    return sorted(n for n, s in REGISTRY.items() if family is None or s.family == family)


def describe(name: str) -> ActivationSpec:
    """The :class:`ActivationSpec` of ``name`` (canonical name or alias)."""
    return lookup(name)


def get(
    name: str, *, impl: str = "auto", trainable: bool = False, inplace: bool = False, **params: Any
) -> nn.Module:
    """A ready ``nn.Module`` for activation (or activation module) ``name``.

    Args:
        name: a catalog name, alias, preset or printed name (``"golu"``, ``"swish"``,
            ``"Sigmoid-Gumbel"``, ``"dSiLU"``), or the name of a module that is not a single
            elementwise function (``actlab.nn`` registers e.g. ``"cats"``, ``"maxout"``).
        impl: backend for elementwise activations: ``"auto"``, ``"eager"``, ``"lean"``,
            ``"compiled"`` or ``"triton"`` (see :mod:`actlab.kernels.dispatch`).
        trainable: return the learnable form, whose parameters are ``nn.Parameter``s.
        inplace: accepted for every name, as ``torch.nn`` and timm code passes it everywhere.
            For a (non-learnable) elementwise activation it returns an
            :class:`InPlaceActivation`, which writes :math:`f(x)` into ``x`` and returns ``x``
            when no autograd graph records the call (``torch.no_grad()``, inference mode, or an
            input that does not require grad) and ``x`` can be written (no overlapping
            elements). When autograd records the call it is ignored and the result is a new
            tensor: the backends save ``x`` itself for backward (or read it to build the 1-bit
            mask), so overwriting it would corrupt the gradient. The result is computed out of
            place and then copied into ``x``: this keeps torch's in-place semantics, it saves no
            memory. For learnable activations and the modules of ``actlab.nn`` (CATS, top-k,
            HeLU, ...) it is always ignored.
        **params: the activation's parameters.

    Raises :class:`actlab.UnknownActivationError` for an unknown name,
    :class:`actlab.AmbiguousActivationError` for an abbreviation several activations go by
    (both are ``LookupError``), ``TypeError`` for an unknown keyword (or a non-bool
    ``inplace``) and ``ValueError`` for an out-of-range parameter.
    """
    if not isinstance(inplace, bool):
        raise TypeError(f"inplace must be a bool, got {type(inplace).__name__}")
    module = build(name, impl=impl, trainable=trainable, **params)
    if inplace and type(module) is Activation:
        return InPlaceActivation(module.spec, impl=module.impl, memory=module.memory, **module.params)
    return module


class InPlaceActivation(Activation):
    """An :class:`~actlab.nn.Activation` that writes its result into its input where that is safe.

    ``forward(x)`` computes :math:`y = f(x)` like :class:`~actlab.nn.Activation`; then, if
    ``self.inplace`` is true, no autograd graph records the call and ``x`` has no overlapping
    elements (and is not an inference tensor outside inference mode), it copies ``y`` into
    ``x`` and returns ``x``, as ``torch.nn.ReLU(inplace=True)`` does. Otherwise it returns
    ``y`` and leaves ``x`` untouched (see :func:`actlab.get`). Built by
    ``actlab.get(name, inplace=True)``.
    """

    def __init__(self, spec: ActivationSpec, impl: str = "auto", inplace: bool = True, **params: Any):
        super().__init__(spec, impl=impl, **params)
        self.inplace = inplace

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = super().forward(x)
        if self.inplace and y is not x and _writable(x):
            return x.copy_(y)
        return y

    def extra_repr(self) -> str:
        return ", ".join(s for s in (super().extra_repr(), f"inplace={self.inplace}") if s)


def _writable(x: torch.Tensor) -> bool:
    """Whether ``x`` can take the result in place without changing any gradient."""
    if torch.is_grad_enabled() and x.requires_grad:
        return False
    if x.is_inference() and not torch.is_inference_mode_enabled():
        return False
    return all(st != 0 or n <= 1 for st, n in zip(x.stride(), x.shape))
