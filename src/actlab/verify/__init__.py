"""Verification: sound linear bounds of every catalog activation, and certified network bounds.

- :func:`linear_bounds`: lines a_l x + b_l ≤ f(x) ≤ a_u x + b_u on intervals, for any elementwise
  catalog activation (:mod:`actlab.verify.relax`, proven by :mod:`actlab.verify.interval`).
- :func:`bound`: IBP and CROWN output bounds of a Sequential MLP or small CNN on an L∞ ball
  (:mod:`actlab.verify.propagate`).
"""

from actlab.verify.interval import Interval, UnsupportedOperation, enclose
from actlab.verify.propagate import (
    ActivationLayer,
    OutputBounds,
    UnsupportedLayerError,
    activation_of,
    bound,
    sequential_layers,
)
from actlab.verify.relax import LinearBounds, linear_bounds, value_bounds

__all__ = [
    "ActivationLayer",
    "Interval",
    "LinearBounds",
    "OutputBounds",
    "UnsupportedLayerError",
    "UnsupportedOperation",
    "activation_of",
    "bound",
    "enclose",
    "linear_bounds",
    "sequential_layers",
    "value_bounds",
]
