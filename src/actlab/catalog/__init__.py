"""The catalog: one module per family, each registering its activations on import."""

from actlab.catalog import rectified  # noqa: F401
from actlab.catalog.registry import ALIASES, REGISTRY, activation, lookup
from actlab.catalog.spec import ActivationSpec, Citation, Param

__all__ = ["ALIASES", "REGISTRY", "ActivationSpec", "Citation", "Param", "activation", "lookup"]
