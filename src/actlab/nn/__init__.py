"""Modules: the generic elementwise activation and the special modules built on the catalog."""

from actlab.nn.activation import Activation

__all__ = ["Activation"]
