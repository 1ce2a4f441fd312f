"""actlab inside other libraries' models.

- :mod:`actlab.integrations.transformers`: ``register()`` puts every catalog activation into
  ``transformers.activations.ACT2FN``, so a config's ``hidden_act="golu"`` builds, saves and
  reloads;
- :mod:`actlab.integrations.timm`: ``register()`` makes ``timm.layers.get_act_layer(name)`` and
  ``timm.create_model(..., act_layer=name)`` accept every catalog name;
- :mod:`actlab.integrations.patch`: :func:`actlab.patch` replaces the activations and GLU pairs of
  Hugging Face / timm MLPs with actlab's fused, memory-lean implementations, computing the same.

Nothing here runs at ``import actlab``: each library is imported, and registered, only when asked.
"""

from __future__ import annotations

import importlib
from typing import Any

_SUBMODULES = ("common", "patch", "timm", "transformers")


def __getattr__(name: str) -> Any:
    if name not in _SUBMODULES:
        raise AttributeError(f"module 'actlab.integrations' has no attribute {name!r}")
    return importlib.import_module(f"actlab.integrations.{name}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_SUBMODULES})
