"""The ``compiled`` backend: the lean autograd function with forward and backward compiled.

The derived PyTorch functions of :mod:`actlab.kernels.lean` are compiled with ``torch.compile``
(inductor: C++/OpenMP on the CPU, Triton on the GPU). The autograd-derived backward is first
traced to an aten graph (:func:`actlab.kernels.trace.trace`, since dynamo cannot trace
``torch.autograd.grad``). Every (activation, parameters, dtype, device) gets its own code
object, hence its own compiled code and dynamo cache: no recompile limits are shared between
activations. The first call of each graph compiles it (~10–20 s on a 2-core CPU); later calls
reuse it, for any input size (symbolic shapes after the first resize).

The mask family on the CPU: inductor's C++ code stores boolean and byte tensors element by
element (20–30× slower than a float store, measured on a 2-core AVX2 machine), so on the CPU only ``f``
is compiled and the 1-bit mask is computed, packed and applied by the lean path (NumPy
``packbits``/``unpackbits`` and a multiply). On the GPU the whole mask path is compiled.
"""

from __future__ import annotations

import itertools
import types
from typing import Any

import torch

from actlab.catalog.spec import ActivationSpec
from actlab.kernels.backend import Backend
from actlab.kernels.glu import GLUKernels
from actlab.kernels.lean import (
    Kernels,
    backward_fn,
    compute_dtype,
    forward_fn,
    mask_backward,
    mask_fn,
    pack_bits,
    product_dtype,
)
from actlab.kernels.trace import examples, trace

Tensor = torch.Tensor


_COUNT = itertools.count()


def fresh(fn: types.FunctionType) -> types.FunctionType:
    """A copy of ``fn`` with its own code object (own dynamo cache per activation)."""
    code = fn.__code__.replace(co_name=f"{fn.__code__.co_name}_{next(_COUNT)}")
    return types.FunctionType(code, fn.__globals__, code.co_name, fn.__defaults__, fn.__closure__)


def _compile(fn: Any) -> Any:
    """``torch.compile`` of ``fn``; plain functions get a private copy of their code object."""
    return torch.compile(fresh(fn) if isinstance(fn, types.FunctionType) else fn, fullgraph=True)


class CompiledKernels(Kernels):
    """:class:`~actlab.kernels.lean.Kernels` whose forward and backward are compiled graphs."""

    name = "compiled"

    def __init__(
        self, spec: ActivationSpec, params: dict[str, Any], dtype: torch.dtype, device: torch.device
    ):
        super().__init__(spec, params)
        fwd = forward_fn(spec, params)
        self._cfwd = _compile(lambda x: fwd(x))
        self._compiled_mask = self.masked and device.type != "cpu"
        if self._compiled_mask:
            m = mask_fn(spec, params)
            v0, v1 = self.values
            dt = product_dtype(v0, v1, dtype, compute_dtype(spec, dtype))
            self._cfwd_save = _compile(lambda x: (fwd(x), pack_bits(m(x))))
            self._cbwd = _compile(lambda p, dy: mask_backward(p, dy, v0, v1, dt))
        elif not self.masked:
            self._cbwd = _compile(trace(backward_fn(spec, params), *examples(2, dtype, device)))

    def forward(self, x: Tensor, save: bool) -> tuple[Tensor, Tensor | None]:
        if not (save and self.masked):
            return self._cfwd(x), None
        if self._compiled_mask:
            y, packed = self._cfwd_save(x)
            return y, packed
        return self._cfwd(x), pack_bits(self._mask(x))

    def backward(self, saved: Tensor, dy: Tensor) -> Tensor:
        if self.masked and not self._compiled_mask:
            return super().backward(saved, dy)
        return self._cbwd(saved, dy)


class CompiledGLUKernels(GLUKernels):
    """GLU forward and backward (both gradients in one graph), compiled."""

    name = "compiled"

    def __init__(self, gate: tuple, up: tuple | None, dtype: torch.dtype, device: torch.device):
        super().__init__(gate, up)
        fwd = super().forward
        self._cfwd = _compile(lambda a, b: fwd(a, b))
        bwd = super().backward
        self._cbwd = _compile(trace(lambda a, b, do: bwd(a, b, do), *examples(3, dtype, device)))

    def forward(self, a: Tensor, b: Tensor) -> Tensor:
        return self._cfwd(a, b)

    def backward(self, a: Tensor, b: Tensor, do: Tensor) -> tuple[Tensor, Tensor]:
        da, db = self._cbwd(a, b, do)
        return da, db


class CompiledBackend(Backend):
    """``impl="compiled"``: the lean functions compiled by ``torch.compile``."""

    name = "compiled"

    def elementwise(self, spec: ActivationSpec, params: dict, dtype: torch.dtype, device: torch.device):
        return CompiledKernels(spec, params, dtype, device)

    def glu(self, gate: tuple, up: tuple | None, dtype: torch.dtype, device: torch.device):
        return CompiledGLUKernels(gate, up, dtype, device)
