"""Memory-lean autograd for any elementwise activation, derived from its single definition.

Eager autograd of a composite activation saves every intermediate it needs (GoLU saves ``x`` and
two ``exp`` results: 3× the input's bytes). :class:`LeanFunction` saves only

- the input ``x`` (``x.numel() * x.element_size()`` bytes), recomputing ``f'(x)`` in backward; or
- for activations whose derivative takes two values (``spec.grad_mask``): a bit-packed mask,
  ``ceil(n / 8)`` bytes: 1 bit per element, 16× less than a bf16 input.

The backward pass is *derived*, never hand-written per activation (:func:`backward_fn`):

- ``spec.grad_mask`` given: :math:`dx = dy \\cdot (v_1 \\text{ if mask}(x) \\text{ else } v_0)`;
- ``spec.grad`` given: :math:`dx = dy \\cdot f'(x)` with ``f' = spec.grad``;
- otherwise the vector-Jacobian product of ``spec.fn`` by autograd (recomputed from ``x``).

Half types are computed in fp32 (``spec.upcast``), exactly as :func:`~actlab.catalog.spec.evaluate`.
The functions here are plain PyTorch; :mod:`actlab.kernels.compiled` compiles them and
:mod:`actlab.kernels.triton_kernels` translates them to Triton.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import torch
from torch.autograd.function import once_differentiable

from actlab.catalog.spec import HALF_TYPES, ActivationSpec, evaluate

Tensor = torch.Tensor


class BackendUnavailable(RuntimeError):
    """A forced backend (``impl=...``) cannot run for this activation, input or machine."""


def packed_size(n: int) -> int:
    """Bytes of the packed mask of ``n`` elements: ``ceil(n / 8)``."""
    return (n + 7) // 8


# Bit tricks on 8 bytes at a time (one int64 per 8 mask bytes, little-endian byte order):
#  pack:   byte i of v holds b_i in {0, 1}; (v * _GATHER) >> 56 collects b_i into bit i.
#  unpack: (p * 0x0101010101010101) & _SPREAD leaves bit i of p in byte i.
_GATHER = 0x0102040810204080
_SPREAD = 0x8040201008040201 - 2**64  # as a signed int64
_BYTES = 0x0101010101010101
_LITTLE = sys.byteorder == "little"


def pack_bits(mask: Tensor) -> Tensor:
    """Pack a boolean tensor into ``ceil(n/8)`` bytes, element ``i`` in bit ``i % 8`` of byte ``i // 8``.

    The order is the logical (row-major) order of ``mask``; unused bits of the last byte are 0.
    Same layout as ``numpy.packbits(..., bitorder="little")``.
    """
    flat = mask.reshape(-1)
    flat = flat.view(torch.uint8) if flat.dtype == torch.bool else flat.to(torch.uint8)
    pad = (-flat.numel()) % 8
    if pad:  # (torch.compile guards on this; the compiled backend re-specialises at most once)
        flat = torch.nn.functional.pad(flat, (0, pad))
    if not _LITTLE:  # pragma: no cover - big-endian hosts
        return (flat.view(-1, 8) << _shifts(flat.device)).sum(1, dtype=torch.uint8)
    words = flat.view(torch.int64)
    return (((words * _GATHER) >> 56) & 0xFF).to(torch.uint8)


def _shifts(device: torch.device) -> Tensor:
    return torch.arange(8, dtype=torch.uint8, device=device)  # created per call: traceable


def unpack_bits(packed: Tensor, n: int) -> Tensor:
    """Inverse of :func:`pack_bits`: the first ``n`` bits as a flat boolean tensor."""
    if not _LITTLE:  # pragma: no cover - big-endian hosts
        bits = (packed.unsqueeze(1) >> _shifts(packed.device)) & 1
        return bits.view(-1)[:n].bool()
    spread = (packed.to(torch.int64) * _BYTES) & _SPREAD
    return spread.view(torch.uint8)[:n] != 0


def compute_dtype(spec: ActivationSpec, dtype: torch.dtype) -> torch.dtype:
    """The dtype the math runs in: fp32 for half types when ``spec.upcast``, else ``dtype``."""
    return torch.float32 if (spec.upcast and dtype in HALF_TYPES) else dtype


def is_mask_family(spec: ActivationSpec) -> bool:
    """Whether the derivative is two-valued (``grad_mask`` and ``grad_mask_values`` given)."""
    return spec.grad_mask is not None and spec.grad_mask_values is not None


def mask_values(spec: ActivationSpec, params: dict[str, Any]) -> tuple[float, float]:
    """``(v0, v1)``: the derivative where the mask is False / True."""
    v0, v1 = spec.grad_mask_values(params)
    return float(v0), float(v1)


def forward_fn(spec: ActivationSpec, params: dict[str, Any]) -> Callable[[Tensor], Tensor]:
    """``x -> f(x)`` in the semantics of :func:`~actlab.catalog.spec.evaluate`."""
    return lambda x: evaluate(spec, x, params)


def mask_fn(spec: ActivationSpec, params: dict[str, Any]) -> Callable[[Tensor], Tensor]:
    """``x -> grad_mask(x)``, evaluated on the compute dtype (fp32 for half types)."""
    if not is_mask_family(spec):
        raise ValueError(f"{spec.name}: has no two-valued derivative (grad_mask)")

    def m(x: Tensor) -> Tensor:
        return spec.grad_mask(x.to(compute_dtype(spec, x.dtype)), **params)

    return m


def backward_fn(spec: ActivationSpec, params: dict[str, Any]) -> Callable[[Tensor, Tensor], Tensor]:
    """``(x, dy) -> dx``: the vector-Jacobian product of the activation's declared derivative.

    Uses ``grad_mask``/``grad_mask_values`` if given, else ``spec.grad``, else autograd of
    ``spec.fn`` (on a detached copy of ``x``, so it works inside a backward pass).
    """
    if is_mask_family(spec):
        m = mask_fn(spec, params)
        v0, v1 = mask_values(spec, params)

        def bwd_mask(x: Tensor, dy: Tensor) -> Tensor:
            dyc = dy.to(compute_dtype(spec, dy.dtype))
            return torch.where(m(x), dyc * v1, dyc * v0).to(dy.dtype)

        return bwd_mask
    if spec.grad is not None:
        grad = spec.grad

        def bwd_grad(x: Tensor, dy: Tensor) -> Tensor:
            ct = compute_dtype(spec, x.dtype)
            return (dy.to(ct) * grad(x.to(ct), **params)).to(dy.dtype)

        return bwd_grad

    def bwd_autograd(x: Tensor, dy: Tensor) -> Tensor:
        with torch.enable_grad():
            xx = x.detach().requires_grad_(True)
            y = evaluate(spec, xx, params)
            (dx,) = torch.autograd.grad(y, xx, dy)
        return dx

    return bwd_autograd


def mask_backward(packed: Tensor, dy: Tensor, v0: float, v1: float, ct: torch.dtype) -> Tensor:
    """``dx = dy * (v1 where bit else v0)`` from the packed mask, computed in ``ct``."""
    bits = unpack_bits(packed, dy.numel()).view(dy.shape)
    dyc = dy.to(ct)
    return torch.where(bits, dyc * v1, dyc * v0).to(dy.dtype)


class Kernels:
    """One backend's forward/backward for one (activation, parameters, dtype, device).

    ``forward(x, save)`` returns ``(y, saved)`` where ``saved`` is what backward needs (``x``
    itself or the packed mask; ``None`` when ``save`` is False); ``backward(saved, dy)``
    returns ``dx``. This eager implementation runs the derived PyTorch functions directly.
    """

    name = "lean"

    def __init__(self, spec: ActivationSpec, params: dict[str, Any]):
        self.spec, self.params = spec, params
        self.masked = is_mask_family(spec)
        self._fwd = forward_fn(spec, params)
        if self.masked:
            self._mask = mask_fn(spec, params)
            self._v = mask_values(spec, params)
        else:
            self._bwd = backward_fn(spec, params)

    def forward(self, x: Tensor, save: bool) -> tuple[Tensor, Tensor | None]:
        y = self._fwd(x)
        if not save:
            return y, None
        return y, (pack_bits(self._mask(x)) if self.masked else x)

    def backward(self, saved: Tensor, dy: Tensor) -> Tensor:
        if self.masked:
            return mask_backward(saved, dy, *self._v, compute_dtype(self.spec, dy.dtype))
        return self._bwd(saved, dy)


class LeanFunction(torch.autograd.Function):
    """Autograd function saving only what ``kernels.forward`` returns as ``saved``."""

    @staticmethod
    def forward(ctx: Any, x: Tensor, kernels: Kernels) -> Tensor:
        y, saved = kernels.forward(x, True)
        ctx.kernels = kernels
        ctx.save_for_backward(saved)
        return y

    @staticmethod
    @once_differentiable  # backward recomputes from detached inputs: no double backward
    def backward(ctx: Any, dy: Tensor) -> tuple[Tensor, None]:
        (saved,) = ctx.saved_tensors
        return ctx.kernels.backward(saved, dy), None


def lean_apply(kernels: Kernels, x: Tensor) -> Tensor:
    """Run ``kernels`` on ``x``: through :class:`LeanFunction` when a gradient is needed."""
    if torch.is_grad_enabled() and x.requires_grad:
        return LeanFunction.apply(x, kernels)
    return kernels.forward(x, False)[0]
