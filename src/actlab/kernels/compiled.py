"""The ``compiled`` backend: the lean autograd function with forward and backward compiled.

The derived PyTorch functions of :mod:`actlab.kernels.lean` are compiled with ``torch.compile``
(inductor: C++/OpenMP on the CPU, Triton on the GPU). The autograd-derived backward is first
traced to an aten graph (:func:`actlab.kernels.trace.trace`, since dynamo cannot trace
``torch.autograd.grad``). Every (activation, parameters, dtype, device) gets its own code
object, hence its own compiled code and dynamo cache: no recompile limits are shared between
activations. The first call of each graph compiles it (~10–20 s on a
2-core CPU); later calls reuse it, for any input size (symbolic shapes after the first resize).
"""

from __future__ import annotations

import itertools
import types
from typing import Any

import torch

from actlab.catalog.spec import ActivationSpec
from actlab.kernels.glu import GLUKernels
from actlab.kernels.lean import (
    Kernels,
    backward_fn,
    compute_dtype,
    forward_fn,
    mask_backward,
    mask_fn,
    pack_bits,
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
        if self.masked:
            m = mask_fn(spec, params)
            v0, v1 = self._v
            ct = compute_dtype(spec, dtype)
            self._cfwd_save = _compile(lambda x: (fwd(x), pack_bits(m(x))))
            self._cbwd = _compile(lambda p, dy: mask_backward(p, dy, v0, v1, ct))
        else:
            self._cbwd = _compile(trace(backward_fn(spec, params), *examples(2, dtype, device)))

    def forward(self, x: Tensor, save: bool) -> tuple[Tensor, Tensor | None]:
        if not save:
            return self._cfwd(x), None
        if self.masked:
            y, packed = self._cfwd_save(x)
            return y, packed
        return self._cfwd(x), x

    def backward(self, saved: Tensor, dy: Tensor) -> Tensor:
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
