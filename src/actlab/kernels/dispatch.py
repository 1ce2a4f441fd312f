"""Choose and run a backend: ``impl = "auto" | "eager" | "lean" | "compiled" | "triton"``.

- ``eager``: the plain reference, ``spec.fn`` with ordinary autograd.
- ``lean``: :class:`~actlab.kernels.lean.LeanFunction` in plain PyTorch (saves only ``x`` or a
  1-bit mask; backward recomputes ``f'``). Least memory without any compiler.
- ``compiled``: the lean function with forward and backward compiled by ``torch.compile``.
- ``triton``: generated Triton kernels (CUDA; or the CPU under ``TRITON_INTERPRET=1``).
- any other backend registered with :func:`actlab.kernels.backend.register_backend`.
- ``auto``: the fastest backend that does not trade memory for nothing (below).

**The auto policy.** With ``memory="lean"`` (the default), ``auto`` runs the fastest backend
whose saved-for-backward bytes are at most the input's (1 bit per element for two-valued
derivatives): it walks the measured order of a table shipped with the package
(``autotable.json``, per device type, dtype and activation; ``ACTLAB_AUTOTABLE=/path.json``
overrides it; compiled/Triton backends only for inputs of at least the table's ``min_numel``),
skips ``eager`` where eager autograd would save more (measured once per function and dtype on a
tiny input by counting saved tensors), and ends with ``lean`` (eager math, lean saving); where
eager autograd is within the budget (e.g. ``tanh``, which saves only its output) it ends with
``eager``. ``memory="eager"`` drops the budget: the table's order, then eager (so does an
input below the table's ``budget_min_numel``, default 0: every size is budgeted). Without a
gradient nothing is saved, and ``auto`` runs the table's order and then eager.

**Where every backend steps aside** to the plain expression (see
:mod:`actlab.kernels.context`): under ``torch.compile``/``torch.export``, ``torch.jit.trace``,
``torch.func`` transforms, dispatch modes, tensor subclasses and meta tensors. Empty inputs run
on ``lean`` (nothing to compile or launch). Learnable (tensor) parameters and non-elementwise
activations run eagerly under ``auto``; a forced backend refuses them at construction. If the
chosen backend cannot be built, ``auto`` tries the next one; if it fails at run time, it warns
once and continues on ``lean``. A second derivative (``create_graph=True``) of any backend is
computed from the same definition with ordinary autograd.

A forced backend that cannot run raises :class:`BackendUnavailable` naming the reason.
"""

from __future__ import annotations

import functools
import json
import os
import warnings
from pathlib import Path
from typing import Any

import torch

from actlab.catalog.registry import lookup
from actlab.catalog.spec import ActivationSpec, evaluate
from actlab.kernels.backend import backend_names, first_available, glu_kernels_for, kernels_for
from actlab.kernels.context import count_saved_bytes, plain_reason
from actlab.kernels.glu import eager_glu, glu_apply, resolve_branch
from actlab.kernels.lean import BackendUnavailable, is_mask_family, lean_apply, packed_size

Tensor = torch.Tensor

IMPLS = ("auto", "eager", "lean", "compiled", "triton")
MEMORY = ("lean", "eager")
AUTOTABLE = Path(__file__).with_name("autotable.json")

__all__ = [
    "AUTOTABLE",
    "IMPLS",
    "MEMORY",
    "BackendUnavailable",
    "activation",
    "apply",
    "auto_order",
    "autotable",
    "check_impl",
    "check_memory",
    "check_spec",
    "choose",
    "eager_within_budget",
    "glu",
    "glu_kernels_for",
    "kernels_for",
]


def check_impl(impl: str) -> str:
    """Validate an ``impl`` name (``ValueError`` listing the valid ones)."""
    if impl in ("auto", "eager") or impl in backend_names():
        return impl
    valid = dict.fromkeys([*IMPLS, *backend_names()])
    raise ValueError(f"impl must be one of {', '.join(map(repr, valid))}, got {impl!r}")


def check_memory(memory: str) -> str:
    """Validate a ``memory`` policy (``ValueError`` listing the valid ones)."""
    if memory not in MEMORY:
        raise ValueError(f"memory must be one of {', '.join(map(repr, MEMORY))}, got {memory!r}")
    return memory


def check_spec(spec: ActivationSpec, params: dict[str, Any], impl: str) -> None:
    """Raise :class:`BackendUnavailable` early if ``impl`` can never run this activation."""
    if impl in ("auto", "eager"):
        return
    if not spec.elementwise:
        raise BackendUnavailable(
            f"{spec.name} is not elementwise: impl={impl!r} is for elementwise activations; use 'eager'"
        )
    if _has_tensor_params(params):
        raise BackendUnavailable(
            f"{spec.name}: impl={impl!r} needs number-valued parameters; tensor (learnable) "
            "parameters run with impl='eager' or 'auto'"
        )
    if impl == "triton":
        try:
            import triton  # noqa: F401
        except ImportError:
            raise BackendUnavailable("impl='triton' needs the triton package (pip install triton)") from None


def _has_tensor_params(params: dict[str, Any]) -> bool:
    return any(isinstance(v, Tensor) for v in params.values())


def _pkey(params: dict[str, Any]) -> tuple:
    return tuple(sorted(params.items()))


# ----------------------------------------------------------------------------- the measured table


@functools.lru_cache(maxsize=4)
def _load_table(path: str) -> dict[str, Any]:
    try:
        return json.loads(Path(path).read_text())
    except (OSError, ValueError) as e:
        warnings.warn(f"actlab: cannot read the kernel table {path}: {e}; 'auto' runs eagerly", stacklevel=2)
        return {}


def _table_path() -> str:
    return os.environ.get("ACTLAB_AUTOTABLE", str(AUTOTABLE))


def autotable() -> dict[str, Any]:
    """The measured table that ``impl="auto"`` follows (``ACTLAB_AUTOTABLE`` overrides the shipped one)."""
    return _load_table(_table_path())


def table_order(name: str, dtype: torch.dtype, device: torch.device, numel: int) -> tuple[str, ...]:
    """The table's backends for this input, fastest first (``("eager",)`` below ``min_numel``)."""
    rules = autotable().get("devices", {}).get(device.type)
    if not rules or numel < rules.get("min_numel", 0):
        return ("eager",)
    by_dtype = rules.get("dtypes", {}).get(str(dtype).removeprefix("torch."), {})
    return tuple(by_dtype.get(name) or by_dtype.get("*") or rules.get("default") or ["eager"])


# ----------------------------------------------------------------------------- the memory budget

_EAGER_OK: dict[tuple, bool] = {}
_PROBE = 256  # elements of the probe input


def _budget(kind: str, branches: tuple, n: int, dtype: torch.dtype) -> int:
    es = torch.empty((), dtype=dtype).element_size()
    if kind == "elementwise":
        return packed_size(n) if is_mask_family(branches[0][0]) else n * es
    return 2 * n * es  # a GLU's two inputs


def _eager_ok(kind: str, branches: tuple, dtype: torch.dtype) -> bool:
    key = (kind, *[None if b is None else (b[0].name, id(b[0]), _pkey(b[1])) for b in branches], dtype)
    hit = _EAGER_OK.get(key)
    if hit is None:
        n = _PROBE
        gen = torch.Generator().manual_seed(0)
        ins = [
            (torch.randn(n, generator=gen, dtype=torch.float64) * 3).to(dtype)
            for _ in range(1 if kind == "elementwise" else 2)
        ]
        if kind == "elementwise":
            fn = lambda x: evaluate(branches[0][0], x, branches[0][1])  # noqa: E731
        else:
            fn = lambda a, b: eager_glu(branches[0], branches[1], a, b)  # noqa: E731
        try:
            saved = count_saved_bytes(fn, *ins)
        except Exception:  # the expression does not run on a CPU tensor of this dtype: no claim
            saved = None
        hit = _EAGER_OK[key] = saved is not None and saved <= _budget(kind, branches, n, dtype)
    return hit


def eager_within_budget(spec: ActivationSpec, params: dict[str, Any], dtype: torch.dtype) -> bool:
    """Whether eager autograd of this activation saves at most the input's bytes (1 bit per
    element for two-valued derivatives), counted once on a small input."""
    return _eager_ok("elementwise", ((spec, params),), dtype)


def _policy(order: tuple[str, ...], memory: str, grad: bool, eager_ok: bool) -> tuple[str, ...]:
    if not grad or memory == "eager":
        return (*[o for o in order if o != "eager"], "eager")
    if eager_ok:
        return (*[o for o in order if o not in ("eager", "lean")], "eager")
    # eager autograd would save more than the budget: its math runs on the lean path instead
    return tuple(dict.fromkeys([*[o for o in order if o != "eager"], "lean"]))


def auto_order(
    spec: ActivationSpec,
    dtype: torch.dtype,
    device: torch.device,
    numel: int,
    memory: str = "lean",
    params: dict[str, Any] | None = None,
    grad: bool = True,
) -> tuple[str, ...]:
    """Backends ``auto`` tries for an input of ``numel`` elements, best first (see the module doc)."""
    order = table_order(spec.name, dtype, device, numel)
    ok = (
        grad
        and memory == "lean"
        and eager_within_budget(spec, spec.defaults if params is None else params, dtype)
    )
    return _policy(order, memory, grad, ok)


# ----------------------------------------------------------------------------- running

_DECISIONS: dict[tuple, Any] = {}


def _decide(kind: str, branches: tuple, x: Tensor, memory: str, grad: bool) -> Any:
    """The kernels ``auto`` runs (``None``: eager), cached per function, dtype, device, size class.

    The table's ``budget_min_numel`` (default 0) is the size from which the memory budget
    applies; below it ``auto`` behaves as with ``memory="eager"``.
    """
    path = _table_path()
    rules = _load_table(path).get("devices", {}).get(x.device.type) or {}
    n = x.numel()
    big = n >= rules.get("min_numel", 0)
    if n < rules.get("budget_min_numel", 0):
        memory = "eager"
    key = (
        kind,
        *[None if b is None else (b[0].name, id(b[0]), _pkey(b[1])) for b in branches],
        x.dtype,
        str(x.device),
        big,
        memory,
        grad,
        path,
    )
    hit = _DECISIONS.get(key)
    if hit is None:
        spec = branches[0][0]
        order = table_order(spec.name, x.dtype, x.device, n)
        ok = grad and memory == "lean" and _eager_ok(kind, branches, x.dtype)
        chosen = first_available(_policy(order, memory, grad, ok), kind, branches, x.dtype, x.device)
        hit = _DECISIONS[key] = (branches, chosen)  # holding the specs keeps their ids unique
    return hit[1]


def _auto_name(kind: str, branches: tuple, x: Tensor, memory: str) -> tuple[str, Any]:
    grad = torch.is_grad_enabled() and x.requires_grad
    hit = _decide(kind, branches, x, memory, grad)
    return ("eager", None) if hit is None else hit


def choose(spec: ActivationSpec, params: dict[str, Any], x: Tensor, memory: str = "lean") -> str:
    """The backend ``auto`` uses for input ``x`` (``"eager"``: plain autograd)."""
    if plain_reason(x) is not None or not spec.elementwise or _has_tensor_params(params):
        return "eager"
    if x.numel() == 0:
        return "lean" if (torch.is_grad_enabled() and x.requires_grad) else "eager"
    return _auto_name("elementwise", ((spec, params),), x, memory)[0]


def apply(
    spec: ActivationSpec, params: dict[str, Any], x: Tensor, impl: str = "auto", memory: str = "lean"
) -> Tensor:
    """Apply activation ``spec`` with resolved ``params`` to ``x`` through backend ``impl``."""
    if impl == "eager" or plain_reason(x) is not None:
        return evaluate(spec, x, params)
    if impl == "auto":
        if not spec.elementwise or _has_tensor_params(params):
            return evaluate(spec, x, params)
        if x.numel() == 0:
            return lean_apply(kernels_for("lean", spec, params, x.dtype, x.device), x)
        _, k = _auto_name("elementwise", ((spec, params),), x, memory)
        return evaluate(spec, x, params) if k is None else lean_apply(k, x)
    check_spec(spec, params, impl)
    if x.numel() == 0:  # nothing to compile or launch
        impl = "lean"
    return lean_apply(kernels_for(impl, spec, params, x.dtype, x.device), x)


def activation(
    name: str | ActivationSpec, x: Tensor, impl: str = "auto", memory: str = "lean", **params: Any
) -> Tensor:
    """Functional form with a backend: ``activation("golu", x, impl="triton")``."""
    spec = lookup(name)
    check_impl(impl)
    check_memory(memory)
    return apply(spec, spec.resolve_params(params), x, impl, memory)


# ----------------------------------------------------------------------------- GLU


def glu(
    gate: str | ActivationSpec,
    a: Tensor,
    b: Tensor,
    *,
    up: str | ActivationSpec | None = None,
    impl: str = "auto",
    memory: str = "lean",
    inplace_grads: bool = False,
    up_params: dict[str, Any] | None = None,
    **gate_params: Any,
) -> Tensor:
    r"""Gated linear unit :math:`o = g(a) \odot u(b)` with a fused, memory-lean backward.

    Args:
        gate: the gate activation :math:`g` (name or spec): ``"silu"`` → SwiGLU, ``"gelu"`` → GEGLU,
            ``"relu"`` → ReGLU, ``"sigmoid"`` → GLU, any elementwise catalog activation.
        a, b: gate and up inputs of equal shape (e.g. the halves of ``h.chunk(2, dim=-1)``).
        up: activation :math:`u` of the up branch (default identity); ``up="relu"`` with
            ``gate="relu"`` is dReLU (Song et al. 2024).
        impl: ``"auto"``, ``"eager"``, ``"lean"``, ``"compiled"`` or ``"triton"`` (see module doc).
        memory: ``"lean"`` (default: ``auto`` saves at most ``a`` and ``b``) or ``"eager"``.
        inplace_grads: write the two gradients into the buffers of ``a`` and ``b`` (no new
            gradient buffers, as Liger-Kernel does), for inputs nothing else uses after this
            op (e.g. the projections' outputs inside a gated FFN). Refused, and the gradients
            allocated as usual, when an input is a leaf, is still referenced from Python (it or
            the tensor it is a view of), or was modified (:func:`actlab.kernels.glu.inplace_refusal`).
        up_params: parameters of ``up``.
        **gate_params: parameters of the gate.

    Backward saves only ``a`` and ``b`` and computes both gradients in one pass (Triton) or one
    compiled graph.
    """
    check_impl(impl)
    check_memory(memory)
    g = resolve_branch(gate, gate_params)
    u = resolve_branch(up, up_params or {})
    if plain_reason(a, b) is not None:  # (traced shapes are not compared: a tracer records this)
        return eager_glu(g, u, a, b)
    if a.shape != b.shape or a.dtype != b.dtype or a.device != b.device:
        raise ValueError(
            "glu: a and b must have the same shape, dtype and device, got "
            f"{tuple(a.shape)}/{a.dtype}/{a.device} and {tuple(b.shape)}/{b.dtype}/{b.device}"
        )
    if impl == "eager":
        return eager_glu(g, u, a, b)
    tensor_params = _has_tensor_params(g[1]) or (u is not None and _has_tensor_params(u[1]))
    if impl == "auto":
        if tensor_params:
            return eager_glu(g, u, a, b)
        if a.numel() == 0:
            return glu_apply(glu_kernels_for("lean", g, u, a.dtype, a.device), a, b)
        grad = torch.is_grad_enabled() and (a.requires_grad or b.requires_grad)
        hit = _decide("glu", (g, u), a, memory, grad)
        return eager_glu(g, u, a, b) if hit is None else glu_apply(hit[1], a, b, inplace_grads)
    if tensor_params:
        raise BackendUnavailable(f"glu: impl={impl!r} needs number-valued parameters; use 'eager' or 'auto'")
    if a.numel() == 0:
        impl = "lean"
    return glu_apply(glu_kernels_for(impl, g, u, a.dtype, a.device), a, b, inplace_grads)
