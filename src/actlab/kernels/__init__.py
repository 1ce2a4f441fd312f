"""Fast, memory-lean activation kernels and the dispatcher that picks one.

- :mod:`~actlab.kernels.lean`: autograd saving only the input or a 1-bit mask;
- :mod:`~actlab.kernels.compiled`: the same, compiled with ``torch.compile``;
- :mod:`~actlab.kernels.triton_kernels`: Triton kernels generated from each definition;
- :mod:`~actlab.kernels.dispatch`: ``impl="auto" | "eager" | "lean" | "compiled" | "triton"``.

Usage::

    y = actlab.kernels.activation("golu", x, impl="triton")
    o = actlab.kernels.glu("silu", a, b)            # SwiGLU, fused backward
"""

from actlab.kernels.dispatch import IMPLS, activation, apply, autotable, choose, glu
from actlab.kernels.lean import BackendUnavailable, LeanFunction, pack_bits, unpack_bits

__all__ = [
    "IMPLS",
    "BackendUnavailable",
    "LeanFunction",
    "activation",
    "apply",
    "autotable",
    "choose",
    "glu",
    "pack_bits",
    "unpack_bits",
]
