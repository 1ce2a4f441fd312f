"""actlab: the activation-function laboratory for PyTorch."""

from actlab import (
    catalog,  # noqa: F401  (fills the registry)
    functional,
    nn,
)
from actlab.api import available, describe, get, init_gain
from actlab.catalog.properties import properties
from actlab.catalog.spec import ActivationSpec, Citation, Param
from actlab.errors import UnknownActivationError

__version__ = "0.1.0"

__all__ = [
    "ActivationSpec",
    "Citation",
    "Param",
    "UnknownActivationError",
    "available",
    "describe",
    "functional",
    "get",
    "init_gain",
    "nn",
    "properties",
]
