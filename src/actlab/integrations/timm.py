"""timm: every catalog activation by name in ``get_act_layer``, ``create_act_layer``, ``get_act_fn``
and ``create_model(..., act_layer=name)``.

::

    import actlab.integrations.timm as actlab_timm
    actlab_timm.register()
    model = timm.create_model("resnet18", act_layer="golu")        # every ReLU is GoLU
    timm.layers.get_act_layer("xatlu")(inplace=True)              # Activation[xatlu]
    timm.layers.create_act_layer("elu", alpha=0.5)                # timm's own ELU (kept)
    timm.layers.create_act_layer("actlab:elu", alpha=0.5)         # actlab's

The layer accepts ``inplace`` (timm passes it everywhere; see :func:`actlab.get` for when it
applies) and the activation's parameters as keywords; keys may carry parameters too
(``act_layer="leaky_relu(negative_slope=0.2)"``, see :mod:`actlab.integrations.common`; timm
lower-cases names first). Names timm already defines (``relu``, ``gelu``, ``silu``, ...) keep timm's
layers; ``"actlab:<name>"`` reaches actlab's.

:func:`register` adds the catalog's names as they are at the call and lets the tables resolve
any other catalog key on lookup (names registered later, printed names, parameters);
:func:`unregister` restores timm's tables.
"""

from __future__ import annotations

import functools
from typing import Any

import torch
from timm.layers import create_act as _ca
from torch import nn

from actlab.integrations.common import Registration, build, catalog_keys, is_catalog_key, missing_key

_TABLES = ("_ACT_LAYER_DEFAULT", "_ACT_FN_DEFAULT")
_ORIGINAL: dict[str, dict] = {}


@functools.cache
def _module(key: str, inplace: bool) -> nn.Module:
    return build(key, inplace=inplace)


def apply(key: str, x: torch.Tensor, inplace: bool = False) -> torch.Tensor:
    """Functional form of ``key`` (what ``get_act_fn(key)`` returns, with ``key`` bound)."""
    return _module(key, bool(inplace))(x)


def _layer(key: str) -> functools.partial:
    return functools.partial(build, key)


def _fn(key: str) -> functools.partial:
    return functools.partial(apply, key)


class _Table(dict):
    """timm's table plus actlab's entries; a catalog key it does not hold is resolved on lookup."""

    def __init__(self, base: dict, make: Any):
        super().__init__(base)
        self._make = make

    def __missing__(self, key: Any) -> Any:
        return self._make(missing_key(key, "timm"))

    def __contains__(self, key: Any) -> bool:
        return dict.__contains__(self, key) or is_catalog_key(key)


def register() -> Registration:
    """Make every catalog name a timm activation layer (and function) name.

    Names timm already defines keep timm's (``kept``). Idempotent. Returns a
    :class:`~actlab.integrations.common.Registration`.
    """
    own = set(_ORIGINAL.get("_ACT_LAYER_DEFAULT") or _ca._ACT_LAYER_DEFAULT) | set(_ca._ACT_LAYER_ME)
    for attr, make in zip(_TABLES, (_layer, _fn)):
        if attr not in _ORIGINAL:
            _ORIGINAL[attr] = getattr(_ca, attr)
            setattr(_ca, attr, _Table(_ORIGINAL[attr], make))
    layers, fns = (getattr(_ca, a) for a in _TABLES)
    added, kept = [], []
    for key in catalog_keys():
        if key in own:
            kept.append(key)
        elif not dict.__contains__(layers, key):
            dict.__setitem__(layers, key, _layer(key))
            dict.__setitem__(fns, key, _fn(key))
            added.append(key)
    return Registration("timm", tuple(added), tuple(kept))


def unregister() -> None:
    """Undo :func:`register`: timm's original tables again."""
    for attr in _TABLES:
        if attr in _ORIGINAL:
            setattr(_ca, attr, _ORIGINAL.pop(attr))
    _module.cache_clear()


def is_registered() -> bool:
    """Whether :func:`register` is in effect."""
    return isinstance(_ca._ACT_LAYER_DEFAULT, _Table)


__all__ = ["apply", "is_registered", "register", "unregister"]
