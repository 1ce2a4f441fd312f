"""HeLU: ReLU forward, hysteresis backward (Kimhi et al. 2024, arXiv 2411.10573)."""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from actlab.catalog.registry import lookup
from actlab.catalog.spec import ActivationSpec
from actlab.kernels.lean import forward_fn

DEFAULT_ALPHA = 0.05


class _HysteresisReLU(torch.autograd.Function):
    """Forward ``f(z)`` (the catalog's HeLU = ReLU); backward ``grad * 1[z > -alpha]``.

    Saves a 1-byte boolean mask for backward instead of the input.
    """

    @staticmethod
    def forward(ctx: Any, z: torch.Tensor, alpha: float, fn: Any) -> torch.Tensor:
        ctx.save_for_backward(z > -alpha)
        return fn(z)

    @staticmethod
    def backward(ctx: Any, grad: torch.Tensor) -> tuple[torch.Tensor, None, None]:
        (mask,) = ctx.saved_tensors
        return grad * mask.to(grad.dtype), None, None


def helu(z: torch.Tensor, alpha: float = DEFAULT_ALPHA) -> torch.Tensor:
    r"""HeLU with the hysteresis backward: :math:`y = \max(0, z)`,
    :math:`\partial L/\partial z = \partial L/\partial y \cdot \mathbb{1}[z > -\alpha]`.

    The gradient is passed on :math:`(-\alpha, \infty)` and zero on :math:`(-\infty, -\alpha]`
    (so exactly 0 at :math:`z = -\alpha`). The comparison is done in the dtype of ``z``.
    """
    spec = lookup("helu")
    params = spec.resolve_params({"alpha": alpha})
    return _HysteresisReLU.apply(z, params["alpha"], forward_fn(spec, params))


class HeLU(nn.Module):
    r"""Hysteresis ReLU: forward :math:`\max(0, z)`, backward passes the gradient where
    :math:`z > -\alpha` (Kimhi, Kashani, Mendelson, Baskin, 2024, "Hysteresis Activation Function for
    Efficient Inference", arXiv 2411.10573).

    The surrogate derivative is 1 on :math:`(-\alpha, \infty)` and 0 on :math:`(-\infty, -\alpha]`:
    neurons slightly below zero keep learning, which reduces dead ReLUs while inference stays a
    plain ReLU. Implemented as a custom ``autograd.Function`` that saves a boolean mask
    (1 byte per element) for backward. The forward is the catalog's ``helu`` entry.

    Args:
        alpha: width of the extra gradient window, ``alpha >= 0`` (default 0.05, not trainable).
        impl: backend; the custom backward has one implementation (``"auto"``/``"eager"``).

    Shape: input ``(*)``, output ``(*)``.

    Example::

        >>> act = actlab.get("helu")
        >>> z = torch.tensor([-0.04, -0.06], requires_grad=True)
        >>> act(z).sum().backward(); z.grad
        tensor([1., 0.])
    """

    def __init__(self, alpha: float = DEFAULT_ALPHA, impl: str = "auto"):
        super().__init__()
        if impl not in ("auto", "eager"):
            raise ValueError(f"impl must be 'auto' or 'eager' for HeLU, got {impl!r}")
        self.spec = lookup("helu")
        self.params = self.spec.resolve_params({"alpha": alpha})
        self.alpha = float(self.params["alpha"])
        self.impl = impl
        self._fn = forward_fn(self.spec, self.params)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return _HysteresisReLU.apply(z, self.alpha, self._fn)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}"


def helu_module(spec: ActivationSpec, impl: str = "auto", trainable: bool = False, **params: Any) -> HeLU:
    """``actlab.get("helu", alpha=...)``; HeLU has no learnable parameter, ``trainable`` changes nothing."""
    return HeLU(impl=impl, **spec.resolve_params(params))
