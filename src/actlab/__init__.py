"""actlab: the activation-function laboratory for PyTorch."""

from actlab import (
    catalog,  # noqa: F401  (fills the registry)
    functional,
    kernels,  # noqa: F401  (actlab.kernels.glu / .activation; the backends load lazily)
    nn,
    probe,  # noqa: F401  (callable: actlab.probe(model); actlab.probe.prediction_difference)
)
from actlab.api import available, describe, get, init_gain
from actlab.catalog.properties import properties
from actlab.catalog.spec import ActivationSpec, Citation, Param
from actlab.errors import UnknownActivationError
from actlab.search.register import register_expression  # noqa: F401
from actlab.surgery import SwapReport, swap  # noqa: F401

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
