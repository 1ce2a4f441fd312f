"""What an activation costs in memory: the bytes its modules save for backward.

During training, the memory an activation function adds is what autograd keeps from its forward
until the backward: the tensors it saves (its input, its output, a 1-bit mask, ...). Process RSS
is useless for this (it is dominated by the interpreter, torch and the data, and is the same for
every activation). :class:`SavedBytesMeter` counts the saved tensors directly: every activation
module made by a metered factory gets a forward pre-hook that enters
``torch.autograd.graph.saved_tensors_hooks`` and a forward hook that leaves it, so exactly the
tensors saved *inside* the activation's forward are seen by the pack hook.

Per module call, the saved tensors are deduplicated by storage and counted with their storage's
size (a saved view keeps its whole storage alive); calls without grad (evaluation) save nothing
and are not counted. ``bytes_per_step = total bytes / training steps``: the mean over the run of
what the activations of the whole model save in one training step.

A tensor the activation saves that is also saved by the next layer (ReLU saves its output, which
the next ``Linear`` saves as its input) is counted here although the two share one storage: the
figure is what the activation holds on to, not the marginal memory of the whole model.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
from torch import nn

__all__ = ["MeteredFactory", "SavedBytesMeter", "saved_bytes"]


def _storage_key(t: torch.Tensor) -> tuple[Any, int]:
    """(identity, bytes) of the storage behind ``t`` (its own size when it has none we can read)."""
    try:
        if t.device.type == "meta":
            return ("meta", id(t)), 0
        st = t.untyped_storage()
        return (t.device.type, st.data_ptr()), int(st.nbytes())
    except (RuntimeError, NotImplementedError, TypeError):  # e.g. vmap's batched tensors
        return ("tensor", id(t)), int(t.numel() * t.element_size())


class SavedBytesMeter:
    """Counts the bytes saved for backward inside the modules it is attached to.

    Use as a context manager around the training (it installs one pair of saved-tensor hooks for
    that span); ``meter.attach(module)`` adds a forward pre-hook and a forward hook that mark when
    the module runs with grad enabled. ``meter.total`` is the sum over all such calls; ``meter.calls``
    their number. A module whose forward hook does not run (an exception, a tracer) cannot leave
    the process in a counting state: the hooks live only inside the ``with`` block.
    """

    def __init__(self) -> None:
        self.total = 0
        self.calls = 0
        self._depth = 0
        self._marks: list[bool] = []
        self._seen: dict[Any, int] = {}
        self._ctx: Any = None

    def __enter__(self) -> SavedBytesMeter:
        self._ctx = torch.autograd.graph.saved_tensors_hooks(self._pack, self._unpack)
        self._ctx.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        ctx, self._ctx = self._ctx, None
        self._depth, self._marks = 0, []
        if ctx is not None:
            ctx.__exit__(*exc)

    def _pack(self, t: torch.Tensor) -> torch.Tensor:
        if self._depth:
            key, size = _storage_key(t)
            self._seen.setdefault(key, size)
        return t

    @staticmethod
    def _unpack(t: torch.Tensor) -> torch.Tensor:
        return t

    def _pre(self, module: nn.Module, args: Any) -> None:
        counted = self._ctx is not None and torch.is_grad_enabled()
        self._marks.append(counted)
        if counted:
            if self._depth == 0:
                self._seen = {}
            self._depth += 1

    def _post(self, module: nn.Module, args: Any, output: Any) -> None:
        if not self._marks:
            return
        if self._marks.pop() and self._depth:
            self._depth -= 1
            if self._depth == 0:
                self.total += sum(self._seen.values())
                self.calls += 1
                self._seen = {}

    def attach(self, module: nn.Module) -> nn.Module:
        module.register_forward_pre_hook(self._pre)
        module.register_forward_hook(self._post, always_call=True)
        return module

    def per_step(self, steps: float) -> float | None:
        """Mean bytes per training step, or None when nothing was measured."""
        if not self.calls or not steps or steps <= 0:
            return None
        return self.total / steps


class MeteredFactory:
    """Wraps an activation factory: every module it makes is attached to ``meter``."""

    def __init__(self, factory: Callable[[], nn.Module], meter: SavedBytesMeter):
        self.factory = factory
        self.meter = meter

    def __call__(self) -> nn.Module:
        m = self.factory()
        return self.meter.attach(m) if isinstance(m, nn.Module) else m


def saved_bytes(module: nn.Module, *inputs: torch.Tensor) -> int:
    """Bytes ``module`` saves for backward in one forward call on ``inputs`` (as in training: grad
    enabled, floating-point inputs requiring grad)."""
    inputs = tuple(x.detach().requires_grad_(True) if x.is_floating_point() else x for x in inputs)
    meter = SavedBytesMeter()
    handles = [module.register_forward_pre_hook(meter._pre),
               module.register_forward_hook(meter._post, always_call=True)]  # fmt: skip
    try:
        with torch.enable_grad(), meter:
            module(*inputs)
    finally:
        for h in handles:
            h.remove()
    return meter.total
