"""actlab: the activation-function laboratory for PyTorch.

``import actlab`` loads the library: the catalog, the functional forms, the modules, the kernels,
model surgery and probes. The applications (bench, search, claims) and the optional layers load on
first use, through the names in :data:`_LAZY`.
"""

import importlib
from typing import Any

from actlab import (
    catalog,  # noqa: F401  (fills the registry)
    functional,
    kernels,  # noqa: F401  (actlab.kernels.glu / .activation; the backends load lazily)
    nn,
    probe,  # noqa: F401  (callable: actlab.probe(model); actlab.probe.prediction_difference)
)
from actlab.api import available, describe, get, init_gain
from actlab.catalog.properties import properties
from actlab.catalog.spec import ActivationSpec, Citation, Param, Relation
from actlab.errors import AmbiguousActivationError, UnknownActivationError
from actlab.surgery import SwapReport, swap  # noqa: F401

__version__ = "0.1.0"

# public names that live in modules loaded on first use: name -> "module" or "module:attribute"
_LAZY: dict[str, str] = {
    "register_expression": "actlab.search.register:register_expression",
    "bench": "actlab.bench",
    "search": "actlab.search",
    "integrations": "actlab.integrations",
    "patch": "actlab.integrations.patch:patch",
    "PatchReport": "actlab.integrations.patch:PatchReport",
    "robust": "actlab.robust",
    "ood": "actlab.ood",
    "verify": "actlab.verify",
    "linear": "actlab.linear",
    "linearize": "actlab.linear.fold:linearize",
    "merge": "actlab.linear.fold:merge",
}


def __getattr__(name: str) -> Any:
    target = _LAZY.get(name)
    if target is None:
        raise AttributeError(f"module 'actlab' has no attribute {name!r}")
    module, _, attr = target.partition(":")
    value = importlib.import_module(module)
    if attr:
        value = getattr(value, attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "ActivationSpec",
    "AmbiguousActivationError",
    "Citation",
    "Param",
    "Relation",
    "SwapReport",
    "UnknownActivationError",
    "available",
    "describe",
    "functional",
    "get",
    "init_gain",
    "linearize",
    "merge",
    "nn",
    "ood",
    "patch",
    "properties",
    "robust",
    "swap",
    "verify",
]
