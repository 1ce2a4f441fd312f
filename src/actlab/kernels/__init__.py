"""Fast, memory-lean activation kernels and the dispatcher that picks one.

- :mod:`~actlab.kernels.backend`: the :class:`Backend` interface, the registry of backends by
  name, the one kernel cache and the one fallback loop;
- :mod:`~actlab.kernels.lean`: autograd saving only the input or a 1-bit mask (``impl="lean"``);
- :mod:`~actlab.kernels.glu`: gated units ``gate(a) * up(b)`` with a fused, lean backward;
- :mod:`~actlab.kernels.compiled`: the same, compiled with ``torch.compile``;
- :mod:`~actlab.kernels.triton`: Triton kernels generated from each definition;
- :mod:`~actlab.kernels.context`: where the backends step aside to the plain expression;
- :mod:`~actlab.kernels.dispatch`: ``impl="auto" | "eager" | "lean" | "compiled" | "triton"``
  and the ``auto`` policy (fastest within the memory budget).

Usage::

    y = actlab.kernels.activation("golu", x, impl="triton")
    o = actlab.kernels.glu("silu", a, b)            # SwiGLU, fused backward
"""

from actlab.kernels.backend import Backend, backend_names, get_backend, register_backend
from actlab.kernels.dispatch import IMPLS, MEMORY, activation, apply, autotable, choose, glu
from actlab.kernels.lean import BackendUnavailable, LeanFunction, pack_bits, unpack_bits

__all__ = [
    "IMPLS",
    "MEMORY",
    "Backend",
    "BackendUnavailable",
    "LeanFunction",
    "activation",
    "apply",
    "autotable",
    "backend_names",
    "choose",
    "get_backend",
    "glu",
    "pack_bits",
    "register_backend",
    "unpack_bits",
]
