"""Choose and run a backend: ``impl = "auto" | "eager" | "lean" | "compiled" | "triton"``.

- ``eager``: the plain reference, ``spec.fn`` with ordinary autograd.
- ``lean``: :class:`~actlab.kernels.lean.LeanFunction` in plain PyTorch (saves only ``x`` or a
  1-bit mask; backward recomputes ``f'``). Least memory without any compiler.
- ``compiled``: the lean function with forward and backward compiled by ``torch.compile``.
- ``triton``: generated Triton kernels (CUDA; or the CPU under ``TRITON_INTERPRET=1``).
- ``auto``: per device type, dtype and activation, the fastest backend of a measured table
  shipped with the package (``autotable.json``; ``ACTLAB_AUTOTABLE=/path.json`` overrides it),
  used for inputs of at least the table's ``min_numel`` elements; smaller inputs, learnable
  (tensor) parameters, non-elementwise activations and code being traced by ``torch.compile``
  run eagerly. If the chosen backend cannot be built or fails at run time, ``auto`` falls back
  to the next one (with a warning) and finally to eager.

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
from actlab.kernels.glu import GLUKernels, eager_glu, glu_apply, resolve_branch
from actlab.kernels.lean import BackendUnavailable, Kernels, lean_apply

Tensor = torch.Tensor

IMPLS = ("auto", "eager", "lean", "compiled", "triton")
AUTOTABLE = Path(__file__).with_name("autotable.json")


def check_impl(impl: str) -> str:
    """Validate an ``impl`` name (``ValueError`` listing the valid ones)."""
    if impl not in IMPLS:
        raise ValueError(f"impl must be one of {', '.join(map(repr, IMPLS))}, got {impl!r}")
    return impl


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


def autotable() -> dict[str, Any]:
    """The measured table that ``impl="auto"`` follows (``ACTLAB_AUTOTABLE`` overrides the shipped one)."""
    return _load_table(os.environ.get("ACTLAB_AUTOTABLE", str(AUTOTABLE)))


def auto_order(spec: ActivationSpec, dtype: torch.dtype, device: torch.device, numel: int) -> tuple[str, ...]:
    """Backends ``auto`` tries for this input, best first (always ending with ``eager``)."""
    rules = autotable().get("devices", {}).get(device.type)
    if not rules or numel < rules.get("min_numel", 0):
        return ("eager",)
    by_dtype = rules.get("dtypes", {}).get(str(dtype).removeprefix("torch."), {})
    order = by_dtype.get(spec.name) or by_dtype.get("*") or rules.get("default") or ["eager"]
    return (*[o for o in order if o != "eager"], "eager")


# ----------------------------------------------------------------------------- kernel cache

_CACHE: dict[tuple, Any] = {}


def _build(
    impl: str, spec: ActivationSpec, params: dict[str, Any], dtype: torch.dtype, device: torch.device
) -> Kernels:
    if impl == "lean":
        return Kernels(spec, params)
    if impl == "compiled":
        from actlab.kernels.compiled import CompiledKernels

        return CompiledKernels(spec, params, dtype, device)
    if impl == "triton":
        from actlab.kernels.triton_kernels import TritonKernels

        return TritonKernels(spec, params, dtype, device)
    raise ValueError(impl)


def kernels_for(
    impl: str, spec: ActivationSpec, params: dict[str, Any], dtype: torch.dtype, device: torch.device
) -> Kernels:
    """The (cached) kernels of backend ``impl`` for one activation, parameters, dtype and device.

    Raises :class:`BackendUnavailable` if they cannot be built (the failure is cached too).
    """
    key = (impl, spec.name, id(spec), _pkey(params), dtype, str(device), _interp_key(impl))
    hit = _CACHE.get(key)
    if hit is None:
        try:
            hit = (spec, _build(impl, spec, params, dtype, device))
        except BackendUnavailable as e:
            hit = (spec, e)
        except Exception as e:  # tracing/translation failed: this backend cannot run this function
            err = BackendUnavailable(f"{spec.name}: impl={impl!r} cannot be built: {type(e).__name__}: {e}")
            hit = (spec, err)
        _CACHE[key] = hit
    if isinstance(hit[1], Exception):
        raise hit[1]
    return hit[1]


def _interp_key(impl: str) -> bool:
    return impl == "triton" and os.environ.get("TRITON_INTERPRET", "0") not in ("", "0")


class _Guarded:
    """Kernels used by ``auto``: on a run-time failure, warn once and continue with eager-lean.

    Both save the same thing (``x`` or the same packed mask), so even a backward whose forward
    ran on the failed backend completes.
    """

    def __init__(self, primary: Kernels):
        self.primary, self.failed = primary, False
        self.fallback = Kernels(primary.spec, primary.params)
        self.masked = primary.masked

    def _fail(self, e: Exception) -> None:
        self.failed = True
        warnings.warn(
            f"actlab: impl={self.primary.name!r} failed for {self.primary.spec.name} "
            f"({type(e).__name__}: {e}); 'auto' continues with the lean eager path",
            RuntimeWarning,
            stacklevel=3,
        )

    def forward(self, x: Tensor, save: bool) -> tuple[Tensor, Tensor | None]:
        if not self.failed:
            try:
                return self.primary.forward(x, save)
            except torch.OutOfMemoryError:
                raise
            except Exception as e:
                self._fail(e)
        return self.fallback.forward(x, save)

    def backward(self, saved: Tensor, dy: Tensor) -> Tensor:
        if not self.failed:
            try:
                return self.primary.backward(saved, dy)
            except torch.OutOfMemoryError:
                raise
            except Exception as e:
                self._fail(e)
        return self.fallback.backward(saved, dy)


_GUARDED: dict[int, _Guarded] = {}


def _auto(spec: ActivationSpec, params: dict[str, Any], x: Tensor) -> tuple[str, Kernels | None]:
    """``(backend, its kernels)`` that ``auto`` uses for input ``x``; ``("eager", None)`` if none."""
    if not spec.elementwise or _has_tensor_params(params):
        return "eager", None
    for impl in auto_order(spec, x.dtype, x.device, x.numel()):
        if impl == "eager":
            break
        try:
            return impl, kernels_for(impl, spec, params, x.dtype, x.device)
        except BackendUnavailable:
            continue
    return "eager", None


def choose(spec: ActivationSpec, params: dict[str, Any], x: Tensor) -> str:
    """The backend ``auto`` uses for input ``x`` (``"eager"`` if nothing better can run)."""
    return _auto(spec, params, x)[0]


def apply(spec: ActivationSpec, params: dict[str, Any], x: Tensor, impl: str = "auto") -> Tensor:
    """Apply activation ``spec`` with resolved ``params`` to ``x`` through backend ``impl``."""
    if impl == "eager" or torch.compiler.is_compiling():
        return evaluate(spec, x, params)
    if impl == "auto":
        _, k = _auto(spec, params, x)
        if k is None:
            return evaluate(spec, x, params)
        g = _GUARDED.get(id(k))
        if g is None or g.primary is not k:
            g = _GUARDED[id(k)] = _Guarded(k)
        return lean_apply(g, x)  # type: ignore[arg-type]
    check_spec(spec, params, impl)
    return lean_apply(kernels_for(impl, spec, params, x.dtype, x.device), x)


def activation(name: str | ActivationSpec, x: Tensor, impl: str = "auto", **params: Any) -> Tensor:
    """Functional form with a backend: ``activation("golu", x, impl="triton")``."""
    spec = lookup(name)
    check_impl(impl)
    return apply(spec, spec.resolve_params(params), x, impl)


# ----------------------------------------------------------------------------- GLU

_GLU_CACHE: dict[tuple, Any] = {}


def _glu_kernels(
    impl: str, gate: tuple, up: tuple | None, dtype: torch.dtype, device: torch.device
) -> GLUKernels:
    key = (
        impl,
        gate[0].name,
        id(gate[0]),
        _pkey(gate[1]),
        None if up is None else (up[0].name, id(up[0]), _pkey(up[1])),
        dtype,
        str(device),
        _interp_key(impl),
    )
    hit = _GLU_CACHE.get(key)
    if hit is None:
        try:
            if impl == "lean":
                k: Any = GLUKernels(gate, up)
            elif impl == "compiled":
                from actlab.kernels.compiled import CompiledGLUKernels

                k = CompiledGLUKernels(gate, up, dtype, device)
            elif impl == "triton":
                from actlab.kernels.triton_kernels import TritonGLUKernels

                k = TritonGLUKernels(gate, up, dtype, device)
            else:
                raise ValueError(impl)
        except BackendUnavailable as e:
            k = e
        except Exception as e:
            k = BackendUnavailable(
                f"glu({gate[0].name}): impl={impl!r} cannot be built: {type(e).__name__}: {e}"
            )
        hit = _GLU_CACHE[key] = (gate, up, k)
    if isinstance(hit[2], Exception):
        raise hit[2]
    return hit[2]


def glu(
    gate: str | ActivationSpec,
    a: Tensor,
    b: Tensor,
    *,
    up: str | ActivationSpec | None = None,
    impl: str = "auto",
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
        up_params: parameters of ``up``.
        **gate_params: parameters of the gate.

    Backward saves only ``a`` and ``b`` and computes both gradients in one pass (Triton) or one
    compiled graph.
    """
    check_impl(impl)
    g = resolve_branch(gate, gate_params)
    u = resolve_branch(up, up_params or {})
    if a.shape != b.shape or a.dtype != b.dtype or a.device != b.device:
        raise ValueError(
            "glu: a and b must have the same shape, dtype and device, got "
            f"{tuple(a.shape)}/{a.dtype}/{a.device} and {tuple(b.shape)}/{b.dtype}/{b.device}"
        )
    if impl == "eager" or torch.compiler.is_compiling():
        return eager_glu(g, u, a, b)
    tensor_params = _has_tensor_params(g[1]) or (u is not None and _has_tensor_params(u[1]))
    if impl == "auto":
        order = ("eager",) if tensor_params else auto_order(g[0], a.dtype, a.device, a.numel())
        for cand in order:
            if cand == "eager":
                return eager_glu(g, u, a, b)
            try:
                return glu_apply(_glu_kernels(cand, g, u, a.dtype, a.device), a, b)
            except BackendUnavailable:
                continue
    if tensor_params:
        raise BackendUnavailable(f"glu: impl={impl!r} needs number-valued parameters; use 'eager' or 'auto'")
    return glu_apply(_glu_kernels(impl, g, u, a.dtype, a.device), a, b)


def _has_hooks(module: torch.nn.Module) -> bool:
    """Whether forward hooks (the module's own, its submodules', or global ones) would observe it."""
    from torch.nn.modules import module as _m

    if _m._global_forward_hooks or _m._global_forward_pre_hooks:
        return True
    return any(m._forward_hooks or m._forward_pre_hooks for m in module.modules())


def fused_glu(act: torch.nn.Module, a: Tensor, b: Tensor) -> Tensor | None:
    """``act(a) * b`` through :func:`glu` when ``act`` is a fusable gate module, else ``None``.

    Fusable: the generic :class:`~actlab.nn.activation.Activation` with number-valued parameters
    and ``impl != "eager"``, or a dReLU module (ReLU on both branches), with no forward hooks
    (a probe must see the gate). ``GatedFFN`` calls this.
    """
    from actlab.nn.activation import Activation

    if _has_hooks(act):  # fusion would skip the module's forward, so its hooks would never fire
        return None
    if isinstance(act, Activation):
        if act.impl == "eager" or not act.spec.elementwise or _has_tensor_params(act.params):
            return None
        return glu(act.spec, a, b, impl=act.impl, **act.params)
    relu = getattr(act, "relu", None)
    if type(act).__name__ == "DReLU" and isinstance(relu, Activation) and relu.impl != "eager":
        return glu(relu.spec, a, b, up=relu.spec, impl=relu.impl, up_params=relu.params, **relu.params)
    return None
