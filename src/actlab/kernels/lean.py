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
:mod:`actlab.kernels.triton` translates them to Triton.

On the CPU the mask is packed and unpacked by NumPy's ``packbits``/``unpackbits`` (one pass
each, far faster than the equivalent tensor arithmetic), and the backward multiplies ``dy`` by
the unpacked mask as numbers instead of a boolean ``where`` (PyTorch's CPU ``where`` on a
boolean mask is several times slower than a multiply).

A second derivative (``create_graph=True``, ``torch.autograd.functional.hessian``) is computed
from the same derived math with ordinary autograd: the backward of :class:`LeanFunction` is
itself differentiable.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from actlab.catalog.spec import HALF_TYPES, ActivationSpec, evaluate
from actlab.kernels.context import hidden_saved_hooks

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


def _numpy_ok(t: Tensor) -> bool:
    """Whether NumPy may work on ``t``'s memory: a plain CPU tensor outside any tracer."""
    return t.device.type == "cpu" and type(t) is torch.Tensor and not torch.compiler.is_compiling()


def pack_bits(mask: Tensor) -> Tensor:
    """Pack a boolean tensor into ``ceil(n/8)`` bytes, element ``i`` in bit ``i % 8`` of byte ``i // 8``.

    The order is the logical (row-major) order of ``mask``; unused bits of the last byte are 0.
    Same layout as ``numpy.packbits(..., bitorder="little")`` (which computes it on the CPU).
    """
    flat = mask.reshape(-1)
    if _numpy_ok(flat):
        return torch.from_numpy(np.packbits(flat.contiguous().numpy(), bitorder="little"))
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
    return _unpack_bytes(packed, n).view(torch.bool)


def _unpack_bytes(packed: Tensor, n: int) -> Tensor:
    """The first ``n`` bits as a flat ``uint8`` tensor of 0s and 1s."""
    if _numpy_ok(packed):
        return torch.from_numpy(np.unpackbits(packed.contiguous().numpy(), count=n, bitorder="little"))
    if not _LITTLE:  # pragma: no cover - big-endian hosts
        bits = (packed.unsqueeze(1) >> _shifts(packed.device)) & 1
        return bits.view(-1)[:n]
    spread = (packed.to(torch.int64) * _BYTES) & _SPREAD
    return (spread.view(torch.uint8)[:n] != 0).view(torch.uint8)


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


def backward_fn(
    spec: ActivationSpec, params: dict[str, Any], create_graph: bool = False
) -> Callable[[Tensor, Tensor], Tensor]:
    """``(x, dy) -> dx``: the vector-Jacobian product of the activation's declared derivative.

    Uses ``grad_mask``/``grad_mask_values`` if given, else ``spec.grad``, else autograd of
    ``spec.fn`` (on a detached copy of ``x``, so it works inside a backward pass). With
    ``create_graph`` the result is differentiable in ``x`` and ``dy`` (for a second derivative):
    the autograd path then differentiates through ``x`` itself.
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
            xx = x if (create_graph and x.requires_grad) else x.detach().requires_grad_(True)
            y = evaluate(spec, xx, params)
            (dx,) = torch.autograd.grad(y, xx, dy, create_graph=create_graph)
        return dx

    return bwd_autograd


_EXACT: dict[tuple[float, torch.dtype], bool] = {}


def product_dtype(v0: float, v1: float, dtype: torch.dtype, ct: torch.dtype) -> torch.dtype:
    """The dtype :func:`mask_backward` forms ``dy * v`` in: ``dtype`` where ``v0`` and ``v1``
    are exact in it (PyTorch forms half-type products in fp32 and rounds once, exactly as
    computing in ``ct`` would), else ``ct``."""
    for v in (v0, v1):
        key = (v, dtype)
        if key not in _EXACT:
            _EXACT[key] = float(torch.tensor(v, dtype=dtype)) == v
        if not _EXACT[key]:
            return ct
    return dtype


_NUMPY_FLOATS = (torch.float32, torch.float64)


def _mask_backward_numpy(packed: Tensor, dy: Tensor, v0: float, v1: float) -> Tensor:
    """:func:`mask_backward` on the CPU through NumPy: unpack, look up ``v``, multiply into ``dx``."""
    bits = np.unpackbits(packed.contiguous().numpy(), count=dy.numel(), bitorder="little")
    dyc = dy.contiguous()
    dx = torch.empty_like(dyc)
    out = dx.numpy().reshape(-1)
    if (v0, v1) == (0.0, 1.0):
        np.multiply(dyc.numpy().reshape(-1), bits, out=out)
    else:
        np.take(np.array([v0, v1], dtype=out.dtype), bits, out=out)
        np.multiply(out, dyc.numpy().reshape(-1), out=out)
    return dx


def mask_backward(packed: Tensor, dy: Tensor, v0: float, v1: float, dt: torch.dtype) -> Tensor:
    """``dx = dy * (v1 where bit else v0)`` from the packed mask, products formed in ``dt``.

    The factor is built as numbers from the unpacked bytes (``lerp``, exact at both ends) and
    multiplied by ``dy`` in place: on the CPU a boolean ``where`` or a bool-to-float conversion is
    several times slower than this, and each fresh large buffer costs page faults. ``dt`` comes
    from :func:`product_dtype` (each product rounded once). Differentiable in ``dy``.
    """
    if dt == dy.dtype and not dy.requires_grad and _numpy_ok(dy) and dt in _NUMPY_FLOATS:
        return _mask_backward_numpy(packed, dy, v0, v1)
    factor = _unpack_bytes(packed, dy.numel()).view(dy.shape).to(dt)
    if (v0, v1) != (0.0, 1.0):
        ends = torch.tensor([v0, v1], dtype=dt, device=dy.device)
        factor = torch.lerp(ends[0], ends[1], factor)
    if dy.requires_grad:  # a differentiable backward (create_graph): no in-place op on the graph
        return (dy.to(dt) * factor).to(dy.dtype)
    return factor.mul_(dy).to(dy.dtype)


class Kernels:
    """One backend's forward/backward for one (activation, parameters, dtype, device).

    ``forward(x, save)`` returns ``(y, mask)``: the packed mask for the mask family when
    ``save`` is true, else ``None`` (the caller saves ``x`` itself for the others).
    ``backward(saved, dy)`` returns ``dx`` from the packed mask or from ``x``. This eager
    implementation runs the derived PyTorch functions directly. ``contiguous`` kernels want
    contiguous tensors: :class:`LeanFunction` hands them a contiguous permutation of a dense
    input (channels-last, transposed) and permutes the result back, so no copy is made and the
    output keeps the input's layout, as eager ops do.
    """

    name = "lean"
    contiguous = False

    def __init__(self, spec: ActivationSpec, params: dict[str, Any]):
        self.spec, self.params = spec, params
        self.masked = is_mask_family(spec)
        self._fwd = forward_fn(spec, params)
        if self.masked:
            self._mask = mask_fn(spec, params)
            self.values = mask_values(spec, params)
        else:
            self._bwd = backward_fn(spec, params)

    def forward(self, x: Tensor, save: bool) -> tuple[Tensor, Tensor | None]:
        y = self._fwd(x)
        if not (save and self.masked):
            return y, None
        return y, pack_bits(self._mask(x))

    def _mask_backward(self, saved: Tensor, dy: Tensor) -> Tensor:
        dt = product_dtype(*self.values, dy.dtype, compute_dtype(self.spec, dy.dtype))
        return mask_backward(saved, dy, *self.values, dt)

    def backward(self, saved: Tensor, dy: Tensor) -> Tensor:
        if self.masked:
            return self._mask_backward(saved, dy)
        return self._bwd(saved, dy)

    def graph_backward(self, saved: Tensor, dy: Tensor) -> Tensor:
        """``dx`` as a differentiable expression (for a second derivative), from the same math."""
        if self.masked:  # f'' = 0 almost everywhere: dx is linear in dy
            return self._mask_backward(saved, dy)
        return backward_fn(self.spec, self.params, create_graph=True)(saved, dy)


def dense_permutation(t: Tensor) -> tuple[int, ...] | None:
    """A permutation ``p`` with ``t.permute(p)`` contiguous, if ``t`` is dense in some order."""
    p = tuple(sorted(range(t.dim()), key=lambda d: (-t.stride(d), -t.shape[d])))
    return p if t.permute(p).is_contiguous() else None


def _inverse(p: tuple[int, ...]) -> tuple[int, ...]:
    inv = [0] * len(p)
    for i, d in enumerate(p):
        inv[d] = i
    return tuple(inv)


def _layout(kernels: Kernels, x: Tensor) -> tuple[int, ...] | None:
    if not kernels.contiguous or x.is_contiguous():
        return None
    return dense_permutation(x)


def _permute(t: Tensor, p: tuple[int, ...] | None) -> Tensor:
    return t if p is None else t.permute(p)


def _unpermute(t: Tensor, p: tuple[int, ...] | None) -> Tensor:
    return t if p is None else t.permute(_inverse(p))


class LeanFunction(torch.autograd.Function):
    """Autograd function saving only ``x`` or the packed mask that ``kernels.forward`` returns.

    The kernels run with the caller's saved-tensor hooks hidden (see
    :func:`~actlab.kernels.context.hidden_saved_hooks`); what this function saves goes through
    them. With ``create_graph=True`` the backward is :meth:`Kernels.graph_backward`, an
    ordinary differentiable expression. For the mask family ``dx`` is linear in ``dy`` and
    does not depend on ``x`` (``f'' = 0``): its derivative with respect to ``x`` is "unused"
    (``None``), as eager autograd gives for ``hardtanh`` and ``leaky_relu`` (eager ``relu``
    gives zeros). Linking it to ``x`` would cost a kernel launch per forward on a GPU.
    """

    @staticmethod
    def forward(ctx: Any, x: Tensor, kernels: Kernels) -> Tensor:
        p = _layout(kernels, x)
        with hidden_saved_hooks():
            y, mask = kernels.forward(_permute(x, p), True)
        ctx.kernels, ctx.perm = kernels, p
        ctx.save_for_backward(x if mask is None else mask)
        return _unpermute(y, p)

    @staticmethod
    def backward(ctx: Any, dy: Tensor) -> tuple[Tensor, None]:
        (saved,) = ctx.saved_tensors
        k, p = ctx.kernels, ctx.perm
        x_or_mask = saved if k.masked else _permute(saved, p)
        if torch.is_grad_enabled():  # create_graph=True: a differentiable backward
            return _unpermute(k.graph_backward(x_or_mask, _permute(dy, p)), p), None
        with hidden_saved_hooks():
            dx = k.backward(x_or_mask, _permute(dy, p))
        return _unpermute(dx, p), None


def lean_apply(kernels: Kernels, x: Tensor) -> Tensor:
    """Run ``kernels`` on ``x``: through :class:`LeanFunction` when a gradient is needed."""
    if torch.is_grad_enabled() and x.requires_grad:
        return LeanFunction.apply(x, kernels)
    p = _layout(kernels, x)
    with hidden_saved_hooks():
        y = kernels.forward(_permute(x, p), False)[0]
    return _unpermute(y, p)
