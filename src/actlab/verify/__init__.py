"""Verification: sound linear bounds of every catalog activation and bound propagation.

- :func:`linear_bounds`: lines a_l x + b_l ≤ f(x) ≤ a_u x + b_u on intervals, for any activation.
"""

from actlab.verify.interval import Interval, UnsupportedOperation, enclose
from actlab.verify.relax import LinearBounds, linear_bounds, value_bounds

__all__ = ["Interval", "LinearBounds", "UnsupportedOperation", "enclose", "linear_bounds", "value_bounds"]
