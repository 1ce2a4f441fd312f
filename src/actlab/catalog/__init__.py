"""The catalog: one module per family, each registering its activations on import."""

from actlab.catalog import (  # noqa: F401
    adaptive,
    bump,
    exponential,
    periodic,
    rational,
    rectified,
    self_gated,
    shrinkage,
    sigmoidal,
    smooth_rectifier,
)
from actlab.catalog.registry import ALIASES, REGISTRY, activation, lookup
from actlab.catalog.spec import ActivationSpec, Citation, Param

__all__ = ["ALIASES", "REGISTRY", "ActivationSpec", "Citation", "Param", "activation", "lookup"]
