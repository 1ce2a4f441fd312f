"""One registry of backends, one kernel cache, one fallback loop.

A :class:`Backend` turns an activation into kernels: :meth:`Backend.elementwise` builds the
forward/backward of one elementwise activation (a :class:`~actlab.kernels.lean.Kernels`, run
by :class:`~actlab.kernels.lean.LeanFunction`) and :meth:`Backend.glu` those of a gated unit
``gate(a) * up(b)`` (a :class:`~actlab.kernels.glu.GLUKernels`, run by
:class:`~actlab.kernels.glu.GLUFunction`), for one parameter setting, dtype and device.
Backends are registered by name; ``impl=<name>`` picks one. Adding a backend is one class and
one :func:`register_backend` call::

    class MyBackend(Backend):
        name = "mine"
        def elementwise(self, spec, params, dtype, device): return MyKernels(spec, params)
    register_backend(MyBackend())

Built in: ``lean`` (plain PyTorch, here), ``compiled`` (:mod:`actlab.kernels.compiled`) and
``triton`` (:mod:`actlab.kernels.triton`), the last two imported on first use.

:func:`kernels_for` builds (once: the result, or the reason it cannot be built, is cached) in a
clean context: the caller's saved-tensor hooks hidden, outside inference mode, without autocast.
:func:`first_available` is the one fallback loop (the first backend of a list that builds), and
:func:`guarded` wraps kernels so that a run-time failure continues on the ``lean`` kernels of the
same function (which save exactly the same thing, so even a backward whose forward ran on the
failed backend completes).
"""

from __future__ import annotations

import contextlib
import importlib
import warnings
from collections.abc import Iterator, Sequence
from typing import Any

import torch

from actlab.catalog.spec import ActivationSpec
from actlab.kernels.context import hidden_saved_hooks
from actlab.kernels.glu import GLUKernels
from actlab.kernels.lean import BackendUnavailable, Kernels

Branch = tuple[ActivationSpec, dict]
KINDS = ("elementwise", "glu")


class Backend:
    """A way of running activations. Subclasses set ``name`` and override the builders."""

    name: str = ""

    def unavailable(self, device: torch.device) -> str | None:
        """Why this backend cannot run on ``device`` (``None``: it can)."""
        return None

    def cache_token(self) -> Any:
        """Anything besides the arguments that the built kernels depend on (part of the cache key)."""
        return None

    def elementwise(
        self, spec: ActivationSpec, params: dict[str, Any], dtype: torch.dtype, device: torch.device
    ) -> Kernels:
        """Kernels of one elementwise activation with number-valued ``params``."""
        raise BackendUnavailable(f"impl={self.name!r} has no elementwise kernels")

    def glu(self, gate: Branch, up: Branch | None, dtype: torch.dtype, device: torch.device) -> GLUKernels:
        """Kernels of ``gate(a) * up(b)`` (``up=None``: the identity)."""
        raise BackendUnavailable(f"impl={self.name!r} has no GLU kernels")


class LeanBackend(Backend):
    """``impl="lean"``: the derived functions in plain PyTorch, saving only the inputs or a mask."""

    name = "lean"

    def elementwise(self, spec, params, dtype, device):  # type: ignore[no-untyped-def]
        return Kernels(spec, params)

    def glu(self, gate, up, dtype, device):  # type: ignore[no-untyped-def]
        return GLUKernels(gate, up)


_REGISTRY: dict[str, Backend] = {"lean": LeanBackend()}
_LAZY = {
    "compiled": "actlab.kernels.compiled:CompiledBackend",
    "triton": "actlab.kernels.triton.launch:TritonBackend",
}
#: names that are not backends of this registry
RESERVED = ("auto", "eager")


def register_backend(backend: Backend, *, replace: bool = False) -> Backend:
    """Register ``backend`` under ``backend.name`` (``replace=True`` to override one)."""
    name = backend.name
    if not name or name in RESERVED:
        raise ValueError(f"a backend needs a name other than {', '.join(RESERVED)}, got {name!r}")
    if not replace and (name in _REGISTRY or name in _LAZY):
        raise ValueError(f"backend {name!r} is already registered (replace=True overrides it)")
    _LAZY.pop(name, None)
    _REGISTRY[name] = backend
    clear_cache()
    return backend


def backend_names() -> tuple[str, ...]:
    """Every registered backend name (built-in first)."""
    return tuple(dict.fromkeys([*_REGISTRY, *_LAZY]))


def get_backend(name: str) -> Backend:
    """The backend registered as ``name`` (``ValueError`` listing the names if there is none)."""
    b = _REGISTRY.get(name)
    if b is None:
        path = _LAZY.get(name)
        if path is None:
            raise ValueError(f"unknown backend {name!r}; registered: {', '.join(backend_names())}")
        module, cls = path.split(":")
        b = _REGISTRY[name] = getattr(importlib.import_module(module), cls)()
    return b


# ----------------------------------------------------------------------------- the cache

_CACHE: dict[tuple, tuple[Any, Any]] = {}


def clear_cache() -> None:
    """Forget every built kernel and cached failure."""
    _CACHE.clear()


def _pkey(params: dict[str, Any]) -> tuple:
    return tuple(sorted(params.items()))


def _bkey(branch: Branch | None) -> tuple | None:
    return None if branch is None else (branch[0].name, id(branch[0]), _pkey(branch[1]))


@contextlib.contextmanager
def build_context(device: torch.device) -> Iterator[None]:
    """Where kernels are built and traced: no caller hooks, no inference mode, no autocast."""
    with (
        hidden_saved_hooks(),
        torch.inference_mode(False),
        torch.autocast(device.type, enabled=False)
        if device.type in ("cpu", "cuda")
        else contextlib.nullcontext(),
    ):
        yield


def _key(
    impl: str, kind: str, branches: Sequence[Branch | None], dtype: torch.dtype, device: torch.device
) -> tuple:
    return (impl, kind, *map(_bkey, branches), dtype, str(device))


def build(
    impl: str, kind: str, branches: Sequence[Branch | None], dtype: torch.dtype, device: torch.device
) -> Any:
    """The cached kernels of ``kind`` (``"elementwise"``: ``branches = (fn,)``; ``"glu"``:
    ``(gate, up)``) from backend ``impl``; raises (the cached) :class:`BackendUnavailable`."""
    b = get_backend(impl)
    key = (*_key(impl, kind, branches, dtype, device), b.cache_token())
    hit = _CACHE.get(key)
    if hit is None:
        label = branches[0][0].name if kind == "elementwise" else f"glu({branches[0][0].name})"
        try:
            reason = b.unavailable(device)
            if reason:
                raise BackendUnavailable(f"{label}: impl={impl!r} cannot run: {reason}")
            with build_context(device):
                args = branches[0] if kind == "elementwise" else branches  # (spec, params) / (gate, up)
                k: Any = getattr(b, kind)(*args, dtype, device)
        except BackendUnavailable as e:
            k = e
        except Exception as e:  # tracing/translation failed: this backend cannot run this function
            k = BackendUnavailable(f"{label}: impl={impl!r} cannot be built: {type(e).__name__}: {e}")
        hit = _CACHE[key] = (tuple(branches), k)  # holding the specs keeps their ids unique
    if isinstance(hit[1], Exception):
        raise hit[1]
    return hit[1]


def kernels_for(
    impl: str, spec: ActivationSpec, params: dict[str, Any], dtype: torch.dtype, device: torch.device
) -> Kernels:
    """The (cached) elementwise kernels of backend ``impl`` (raises :class:`BackendUnavailable`)."""
    return build(impl, "elementwise", ((spec, params),), dtype, device)


def glu_kernels_for(
    impl: str, gate: Branch, up: Branch | None, dtype: torch.dtype, device: torch.device
) -> GLUKernels:
    """The (cached) GLU kernels of backend ``impl`` (raises :class:`BackendUnavailable`)."""
    return build(impl, "glu", (gate, up), dtype, device)


def first_available(
    order: Sequence[str],
    kind: str,
    branches: Sequence[Branch | None],
    dtype: torch.dtype,
    device: torch.device,
) -> tuple[str, Any] | None:
    """The one fallback loop: ``(name, guarded kernels)`` of the first backend of ``order`` that
    builds (``"eager"`` ends the search: ``None``, as does an exhausted list)."""
    for name in order:
        if name == "eager":
            return None
        try:
            return name, guarded(name, kind, branches, dtype, device)
        except (BackendUnavailable, ValueError):  # cannot build here, or not registered
            continue
    return None


class Guarded:
    """Kernels that, on a run-time failure, warn once and continue with the lean kernels.

    Works for either kind: ``forward``/``backward`` take whatever the kind's kernels take.
    """

    def __init__(self, primary: Any, fallback: Any):
        self.primary, self.fallback, self.failed = primary, fallback, False

    def __getattr__(self, name: str) -> Any:  # spec, params, masked, contiguous, graph_backward, ...
        return getattr(self.primary, name)

    def _fail(self, e: Exception) -> None:
        self.failed = True
        warnings.warn(
            f"actlab: impl={self.primary.name!r} failed ({type(e).__name__}: {e}); "
            "'auto' continues with the lean eager path",
            RuntimeWarning,
            stacklevel=4,
        )

    def _call(self, method: str, *args: Any) -> Any:
        if not self.failed:
            try:
                return getattr(self.primary, method)(*args)
            except torch.OutOfMemoryError:
                raise
            except Exception as e:
                self._fail(e)
        return getattr(self.fallback, method)(*args)

    def forward(self, *args: Any) -> Any:
        return self._call("forward", *args)

    def backward(self, *args: Any) -> Any:
        return self._call("backward", *args)

    def backward_into(self, *args: Any) -> Any:
        return self._call("backward_into", *args)


def guarded(
    impl: str, kind: str, branches: Sequence[Branch | None], dtype: torch.dtype, device: torch.device
) -> Any:
    """Kernels of ``impl`` wrapped by :class:`Guarded` (cached; lean kernels are returned as they are)."""
    primary = build(impl, kind, branches, dtype, device)
    if impl == "lean":
        return primary
    key = ("guarded", *_key(impl, kind, branches, dtype, device))
    hit = _CACHE.get(key)
    if hit is None or hit[1].primary is not primary:
        hit = _CACHE[key] = (tuple(branches), Guarded(primary, build("lean", kind, branches, dtype, device)))
    return hit[1]
