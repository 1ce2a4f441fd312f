"""Compile the generated sources with Triton and launch them: the ``triton`` backend.

:class:`TritonBackend` builds, per (activation, parameters, dtype), the kernels of
:mod:`~actlab.kernels.triton.templates` and runs them behind the lean autograd function
(:class:`TritonKernels`) or the GLU function (:class:`TritonGLUKernels`). One forward and one
backward launch per autograd call, no host synchronisation. Blocks are large (4096 elements by
default) and contiguous, so loads and stores are vectorised; transcendental functions use CUDA's
libdevice. Under ``TRITON_INTERPRET=1`` the kernels run on CPU tensors in Triton's interpreter
(for tests); libdevice then maps to the same-named ``torch`` functions (:class:`TorchMath`).
"""

from __future__ import annotations

import hashlib
import linecache
import os
from typing import Any

import torch

from actlab.catalog.spec import ActivationSpec
from actlab.kernels.backend import Backend
from actlab.kernels.glu import GLUKernels
from actlab.kernels.lean import Kernels, packed_size
from actlab.kernels.triton.templates import elementwise_sources, glu_sources
from actlab.kernels.triton.translate import TritonUnavailable

Tensor = torch.Tensor

#: launch configuration on the GPU: elements per program and warps per program
CONFIG: dict[str, int] = {"block": 4096, "warps": 8, "glu_block": 2048, "glu_warps": 8}
#: elements per program under the interpreter (fewer, larger numpy steps)
INTERPRET_BLOCK = 1024


def interpret_mode() -> bool:
    """Whether Triton runs in its CPU interpreter (``TRITON_INTERPRET=1``)."""
    return os.environ.get("TRITON_INTERPRET", "0") not in ("", "0")


def unavailable_reason(device: torch.device | str) -> str | None:
    """``None`` if Triton kernels can run on ``device``, else why not."""
    device = torch.device(device)
    try:
        import triton  # noqa: F401
    except ImportError:
        return "triton is not installed (pip install triton)"
    if device.type == "cuda":
        return None if torch.cuda.is_available() else "CUDA is not available"
    if device.type == "cpu" and interpret_mode():
        return None
    return (
        f"triton kernels need a CUDA tensor, got a {device.type} tensor "
        "(set TRITON_INTERPRET=1 before the first kernel is built to run them slowly on the CPU "
        "through Triton's interpreter)"
    )


def compile_source(text: str, kind: str) -> Any:
    """``@triton.jit`` kernel from generated source (registered with linecache, nothing on disk)."""
    import triton
    import triton.language as tl

    digest = hashlib.sha1(text.encode()).hexdigest()[:16]
    text = text.replace(f"def {kind}(", f"def {kind}_{digest}(", 1)
    filename = f"<actlab-triton-{kind}-{digest}>"
    # Triton reads a kernel's source through inspect/linecache: register it there
    linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
    ns: dict[str, Any] = {"triton": triton, "tl": tl, "M": _math_namespace()}
    exec(compile(text, filename, "exec"), ns)  # noqa: S102  (our own generated kernel source)
    return ns[f"{kind}_{digest}"]


def _math_namespace() -> Any:
    if interpret_mode():
        return TorchMath()
    from triton.language.extra import libdevice

    return libdevice


class TorchMath:
    """libdevice stand-in for Triton's interpreter: the same-named ``torch`` function on the data."""

    _ALIAS = {"rint": "round"}

    @staticmethod
    def _bf16(t: Tensor) -> Tensor:
        return t.to(torch.bfloat16).to(t.dtype)

    @staticmethod
    def sum_rows(bits: Any, axis: int) -> Any:
        # tl.sum is a @triton.jit library function: under the interpreter it works only if triton
        # was imported with TRITON_INTERPRET=1 already set, so the interpreter gets this stand-in
        from triton.language import core
        from triton.runtime.interpreter import TensorHandle

        out = torch.from_numpy(bits.handle.data).sum(axis, dtype=torch.uint8).numpy()
        return core.tensor(
            TensorHandle(out, bits.handle.dtype.scalar), core.block_type(bits.dtype, list(out.shape))
        )

    def __getattr__(self, name: str) -> Any:
        from triton.language import core
        from triton.runtime.interpreter import TensorHandle

        fn = self._bf16 if name == "round_to_bf16" else getattr(torch, self._ALIAS.get(name, name))

        def call(*args: Any) -> Any:
            ref = next(a for a in args if isinstance(a, core.tensor))
            data = [torch.from_numpy(a.handle.data) if isinstance(a, core.tensor) else a for a in args]
            out = fn(*data).numpy()
            return core.tensor(TensorHandle(out, ref.handle.dtype.scalar), ref.type)

        return call


def cdiv(a: int, b: int) -> int:
    return -(-a // b)


#: name of the profiler range around every launch (``torch.profiler`` counts launches by it)
LAUNCH_EVENT = "actlab::triton_launch"


def _launch(kernel: Any, grid: tuple[int], *args: Any, **meta: Any) -> None:
    if torch.autograd.profiler._is_profiler_enabled:  # a range only while profiling: no cost otherwise
        with torch.profiler.record_function(LAUNCH_EVENT):
            kernel[grid](*args, **meta)
    else:
        kernel[grid](*args, **meta)


def _flat_launch(kernel: Any, n: int, *args: Any) -> None:
    block = INTERPRET_BLOCK if interpret_mode() else CONFIG["block"]
    i64 = n + 2 * block >= 2**31
    _launch(kernel, (cdiv(n, block),), *args, n, BLOCK=block, I64=i64, num_warps=CONFIG["warps"])


class TritonKernels(Kernels):
    """:class:`~actlab.kernels.lean.Kernels` running generated Triton kernels on contiguous data."""

    name = "triton"
    contiguous = True

    def __init__(
        self, spec: ActivationSpec, params: dict[str, Any], dtype: torch.dtype, device: torch.device
    ):
        super().__init__(spec, params)
        self.k = {
            kind: compile_source(text, kind)
            for kind, text in elementwise_sources(spec, params, dtype, interpret_mode()).items()
        }

    def forward(self, x: Tensor, save: bool) -> tuple[Tensor, Tensor | None]:
        x = x.contiguous()
        y = torch.empty_like(x)
        n = x.numel()
        packed = None
        if save and self.masked:
            packed = torch.empty(packed_size(n), dtype=torch.uint8, device=x.device)
        if n:
            if packed is not None:
                _flat_launch(self.k["fwd_mask"], n, x, y, packed)
            else:
                _flat_launch(self.k["fwd"], n, x, y)
        return y, packed

    def backward(self, saved: Tensor, dy: Tensor) -> Tensor:
        dy = dy.contiguous()
        dx = torch.empty_like(dy)
        n = dy.numel()
        if n:
            if self.masked:
                _flat_launch(self.k["bwd_mask"], n, saved, dy, dx)
            else:
                _flat_launch(self.k["bwd"], n, saved.contiguous(), dy, dx)
        return dx


def _rows(t: Tensor) -> tuple[int, int, int] | None:
    """``(rows, cols, row_stride)`` if ``t`` is a stack of contiguous rows with one stride."""
    if t.dim() == 0 or t.stride(-1) != 1:
        return None
    d = t.shape[-1]
    if t.dim() == 1:
        return 1, d, d
    for i in range(t.dim() - 2):
        if t.shape[i] > 1 and t.stride(i) != t.stride(i + 1) * t.shape[i + 1]:
            return None
    return t.numel() // max(d, 1), d, t.stride(-2)


class TritonGLUKernels(GLUKernels):
    """GLU through two generated Triton kernels (forward; both gradients in one pass).

    Accepts the halves of a ``chunk(2, dim=-1)`` without copying them (rows with a stride).
    """

    name = "triton"

    def __init__(self, gate: tuple, up: tuple | None, dtype: torch.dtype, device: torch.device):
        super().__init__(gate, up)
        self.k = {
            kind: compile_source(text, f"glu_{kind}")
            for kind, text in glu_sources(gate, up, dtype, interpret_mode()).items()
        }

    @staticmethod
    def _layout(a: Tensor, b: Tensor) -> tuple[Tensor, Tensor, int, int, int, int]:
        if a.is_contiguous() and b.is_contiguous():
            n = a.numel()
            return a, b, 1, n, n, n
        ra, rb = _rows(a), _rows(b)
        if ra is None or rb is None:
            a, b = a.contiguous(), b.contiguous()
            n = a.numel()
            return a, b, 1, n, n, n
        return a, b, ra[0], ra[1], ra[2], rb[2]

    def _run(self, kernel: Any, rows: int, d: int, *args: Any) -> None:
        block = INTERPRET_BLOCK if interpret_mode() else CONFIG["glu_block"]
        block = min(block, max(16, 1 << (max(d, 1) - 1).bit_length()))
        ncb = cdiv(d, block)
        i64 = rows * max(d, *args[-2:]) + 2 * block >= 2**31
        _launch(
            kernel,
            (rows * ncb,),
            *args[:-2],
            d,
            *args[-2:],
            ncb,
            BLOCK=block,
            I64=i64,
            num_warps=CONFIG["glu_warps"],
        )

    def forward(self, a: Tensor, b: Tensor) -> Tensor:
        a, b, rows, d, sa, sb = self._layout(a, b)
        o = torch.empty(a.shape, dtype=a.dtype, device=a.device)
        if o.numel():
            self._run(self.k["fwd"], rows, d, a, b, o, sa, sb)
        return o

    def backward(self, a: Tensor, b: Tensor, do: Tensor) -> tuple[Tensor, Tensor]:
        a, b, rows, d, sa, sb = self._layout(a, b)
        do = do.contiguous()
        da = torch.empty(a.shape, dtype=a.dtype, device=a.device)
        db = torch.empty(b.shape, dtype=b.dtype, device=b.device)
        if do.numel():
            self._run(self.k["bwd"], rows, d, a, b, do, da, db, sa, sb)
        return da, db

    def backward_into(self, a: Tensor, b: Tensor, do: Tensor) -> tuple[Tensor, Tensor]:
        """Both gradients written by the fused kernel straight into ``a`` and ``b`` (each element
        is read before it is overwritten, by the same program); copied in for strided halves."""
        if not (a.is_contiguous() and b.is_contiguous()):
            return super().backward_into(a, b, do)
        n = a.numel()
        if n:
            self._run(self.k["bwd"], 1, n, a, b, do.contiguous(), a, b, n, n)
            torch.autograd.graph.increment_version(a)
            torch.autograd.graph.increment_version(b)
        return a, b


class TritonBackend(Backend):
    """``impl="triton"``: generated Triton kernels (CUDA, or the CPU under ``TRITON_INTERPRET=1``)."""

    name = "triton"

    def unavailable(self, device: torch.device) -> str | None:
        return unavailable_reason(device)

    def cache_token(self) -> Any:
        return interpret_mode()  # kernels built for the interpreter differ from compiled ones

    def elementwise(self, spec: ActivationSpec, params: dict, dtype: torch.dtype, device: torch.device):
        return TritonKernels(spec, params, dtype, device)

    def glu(self, gate: tuple, up: tuple | None, dtype: torch.dtype, device: torch.device):
        return TritonGLUKernels(gate, up, dtype, device)


__all__ = [
    "CONFIG",
    "TritonBackend",
    "TritonGLUKernels",
    "TritonKernels",
    "TritonUnavailable",
    "interpret_mode",
    "unavailable_reason",
]
