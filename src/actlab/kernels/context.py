"""Where the kernels step aside, and how they keep the caller's autograd context out of theirs.

The backends (``lean``, ``compiled``, ``triton``, ``auto``) are custom autograd functions around
kernels that are traced, compiled or launched. Some callers need the plain expression instead:
code that PyTorch itself is tracing or transforming. :func:`plain_reason` says when, and the
dispatcher then evaluates ``spec.fn`` with ordinary autograd (exactly ``impl="eager"``):

- ``torch.compile`` / ``torch.export`` (dynamo, or export's non-strict fake-tensor tracing):
  the traced graph must contain the expression, not an opaque function;
- ``torch.jit.trace`` (and the TorchScript-based ONNX exporter): the same;
- ``torch.func`` transforms (``grad``, ``vmap``, ``jacrev``, ...): functorch needs the
  composite expression to differentiate and batch it;
- tensor subclasses (fake, functional, DTensor, ...) and active ``TorchDispatchMode``\\ s
  (``make_fx``, ``FakeTensorMode``, a ``FlopCounterMode``): they must see every aten op;
- ``meta`` tensors: no data to run a kernel on.

:func:`hidden_saved_hooks` runs code with the caller's ``saved_tensors_hooks`` (checkpointing,
``save_on_cpu``, user hooks) switched off, as dynamo does while it traces. The backends build
and run their kernels inside it, so that a user's pack hook never sees the tracer's fake
tensors, and checkpointing never counts tensors saved inside a kernel. What the custom function
itself saves for backward (the input, or the 1-bit mask) goes through the caller's hooks as
usual, outside this context.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

import torch

Tensor = torch.Tensor
_PLAIN_TYPES = (torch.Tensor, torch.nn.Parameter)


def plain_reason(*tensors: Tensor) -> str | None:
    """Why these inputs must run through the plain expression (``None``: a backend may run them)."""
    if torch.compiler.is_compiling():  # first: dynamo traces this function and must see only this
        return "code traced by torch.compile / torch.export"
    if torch.jit.is_tracing():
        return "code traced by torch.jit.trace"
    if torch._C._are_functorch_transforms_active():
        return "a torch.func transform"
    if torch._C._len_torch_dispatch_stack():
        return "an active TorchDispatchMode (make_fx, fake tensors, ...)"
    for t in tensors:
        if type(t) not in _PLAIN_TYPES:
            return f"a tensor subclass ({type(t).__name__})"
        if t.device.type == "meta":
            return "a meta tensor"
    return None


def _set_tracing(flag: bool) -> bool:
    return torch._C._autograd._saved_tensors_hooks_set_tracing(flag)


@contextlib.contextmanager
def hidden_saved_hooks() -> Iterator[None]:
    """Run the body with the caller's ``saved_tensors_hooks`` ignored (restored afterwards)."""
    prior = _set_tracing(True)
    try:
        yield
    finally:
        _set_tracing(prior)


def count_saved_bytes(fn: Callable[..., object], *inputs: Tensor) -> int:
    """Bytes autograd saves for backward while ``fn(*inputs)`` runs (inputs requiring grad).

    Counted with this module's own ``saved_tensors_hooks`` on top of any the caller has, with
    gradients enabled, outside inference mode and autocast, whatever the caller's context.
    """
    total = 0

    def pack(t: Tensor) -> Tensor:
        nonlocal total
        total += t.numel() * t.element_size()
        return t

    prior = _set_tracing(False)
    try:
        with torch.inference_mode(False), torch.enable_grad(), torch.autocast("cpu", enabled=False):
            ins = [t.detach().requires_grad_(True) for t in inputs]
            with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
                fn(*ins)
    finally:
        _set_tracing(prior)
    return total
