"""The generic elementwise activation module built from a spec."""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from actlab.catalog.spec import ActivationSpec
from actlab.kernels.dispatch import apply, check_impl, check_spec


class Activation(nn.Module):
    """Applies one catalog activation elementwise: ``y = f(x; params)``.

    Args:
        spec: the :class:`~actlab.catalog.spec.ActivationSpec` to apply.
        impl: the backend: ``"auto"`` (default: the fastest measured backend for the device,
            dtype and size, eager for small inputs), ``"eager"`` (plain PyTorch autograd),
            ``"lean"`` (saves only the input, or 1 bit per element for two-valued
            derivatives), ``"compiled"`` (lean, compiled by ``torch.compile``) or ``"triton"``
            (generated Triton kernels, CUDA). See :mod:`actlab.kernels.dispatch`.
        **params: the activation's parameters (validated; defaults filled in).

    Shape: input ``(*)``, output ``(*)``, same shape, dtype and device.

    Example::

        >>> act = actlab.get("golu")
        >>> act(torch.randn(4)).shape
        torch.Size([4])
        >>> lean = actlab.get("golu", impl="lean")   # saves only x for backward
    """

    def __init__(self, spec: ActivationSpec, impl: str = "auto", **params: Any):
        super().__init__()
        self.spec = spec
        self.impl = check_impl(impl)
        self.params = spec.resolve_params(params)
        check_spec(spec, self.params, impl)

    @property
    def name(self) -> str:
        return self.spec.name

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return apply(self.spec, self.params, x, self.impl)

    def extra_repr(self) -> str:
        return ", ".join(f"{k}={_short(v)}" for k, v in self.params.items())

    def _get_name(self) -> str:  # repr shows the activation, e.g. Activation[golu](alpha=1.0, ...)
        return f"Activation[{self.spec.name}]"


def _short(v: Any) -> str:
    if isinstance(v, tuple):
        return "(" + ", ".join(f"{x:.4g}" for x in v) + ")"
    return repr(v)
