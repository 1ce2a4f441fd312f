"""The catalog: one module per family (or survey section), each registering its activations on import.

Every submodule except the infrastructure below is imported here, in name order, so adding a file
adds its activations; presets import the entries they fix parameters of.
"""

import importlib
import pkgutil

from actlab.catalog.registry import ALIASES, PRESETS, REGISTRY, activation, lookup, preset
from actlab.catalog.spec import ActivationSpec, Citation, Param, Relation, equal_to, special_case_of

_INFRASTRUCTURE = {"registry", "spec", "citations", "properties", "survey"}

for _m in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    if _m.name not in _INFRASTRUCTURE and not _m.name.startswith("_"):
        importlib.import_module(f"{__name__}.{_m.name}")

__all__ = [
    "ALIASES",
    "PRESETS",
    "REGISTRY",
    "ActivationSpec",
    "Citation",
    "Param",
    "Relation",
    "activation",
    "equal_to",
    "lookup",
    "preset",
    "special_case_of",
]
