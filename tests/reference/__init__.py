"""Independent high-precision reference evaluations (mpmath) of published formulas.

Written from the papers / official code, separately from actlab's implementations, and never
importing ``actlab``. Each family module registers ``name -> f(x: mpf, **params) -> mpf`` with
the :func:`ref` decorator; ``REFERENCES`` collects them all.

``@ref(name, cases=[{...}, ...])`` also gives the function's table of non-default parameter
settings (inside the valid ranges, edge cases included); the generated tests in ``tests/catalog``
check values, gradients and tensor parameters at the defaults and at every case. Every entry with
parameters has at least one case.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable

import mpmath

mpmath.mp.dps = 50

REFERENCES: dict[str, Callable] = {}
CASES: dict[str, tuple[dict, ...]] = {}


def ref(name: str, cases: tuple[dict, ...] | list[dict] = ()) -> Callable[[Callable], Callable]:
    def deco(f: Callable) -> Callable:
        if name in REFERENCES:
            raise ValueError(f"reference for {name!r} defined twice")
        REFERENCES[name] = f
        CASES[name] = tuple(cases)
        return f

    return deco


for _m in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_m.name}")
