"""Independent high-precision reference evaluations (mpmath) of published formulas.

Written from the papers / official code, separately from actlab's implementations, and never
importing ``actlab``. Each family module registers ``name -> f(x: mpf, **params) -> mpf`` with
the :func:`ref` decorator; ``REFERENCES`` collects them all.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable

import mpmath

mpmath.mp.dps = 50

REFERENCES: dict[str, Callable] = {}


def ref(name: str) -> Callable[[Callable], Callable]:
    def deco(f: Callable) -> Callable:
        if name in REFERENCES:
            raise ValueError(f"reference for {name!r} defined twice")
        REFERENCES[name] = f
        return f

    return deco


for _m in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_m.name}")
