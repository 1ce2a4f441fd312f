"""The generic elementwise activation module built from a spec."""

from __future__ import annotations

from typing import Any, NamedTuple

import torch
from torch import nn

from actlab.catalog.spec import ActivationSpec
from actlab.kernels.dispatch import apply, check_impl, check_memory, check_spec


class GLUParts(NamedTuple):
    """What a gate module offers a fused GLU (:func:`actlab.nn.gated.fused_glu`): the gate's
    spec and parameters, the up branch's (``None``: identity), the backend and memory policy."""

    gate: ActivationSpec
    gate_params: dict[str, Any]
    up: ActivationSpec | None
    up_params: dict[str, Any]
    impl: str
    memory: str


class NotScriptableError(RuntimeError):
    """``torch.jit.script`` of an actlab activation: its forward dispatches in Python."""


class Activation(nn.Module):
    """Applies one catalog activation elementwise: ``y = f(x; params)``.

    Args:
        spec: the :class:`~actlab.catalog.spec.ActivationSpec` to apply.
        impl: the backend: ``"auto"`` (default: the fastest backend for the device, dtype and
            size that saves at most the input for backward, see ``memory``), ``"eager"``
            (plain PyTorch autograd), ``"lean"`` (saves only the input, or 1 bit per element
            for two-valued derivatives), ``"compiled"`` (lean, compiled by ``torch.compile``)
            or ``"triton"`` (generated Triton kernels, CUDA). See :mod:`actlab.kernels.dispatch`.
        memory: ``"lean"`` (default): ``impl="auto"`` never saves more than the input for
            backward (1 bit per element for two-valued derivatives); ``"eager"``: ``auto`` may
            pick eager autograd and whatever it saves, where that is faster.
        **params: the activation's parameters (validated; defaults filled in).

    Every backend works wherever eager does: ``torch.save``/``deepcopy``/``state_dict``,
    checkpointing and saved-tensor hooks, double backward, ``torch.func``, ``torch.compile``,
    ``torch.export``, ``torch.jit.trace``, ONNX export (backends step aside to the plain
    expression where a tracer or transform must see it). ``torch.jit.script`` is not supported
    and raises :class:`NotScriptableError` naming ``torch.jit.trace`` and ``torch.export``.

    Shape: input ``(*)``, output ``(*)``, same shape, dtype and device.

    Example::

        >>> act = actlab.get("golu")
        >>> act(torch.randn(4)).shape
        torch.Size([4])
        >>> lean = actlab.get("golu", impl="lean")   # saves only x for backward
    """

    def __init__(self, spec: ActivationSpec, impl: str = "auto", memory: str = "lean", **params: Any):
        super().__init__()
        self.spec = spec
        self.impl = check_impl(impl)
        self.memory = check_memory(memory)
        self.params = spec.resolve_params(params)
        check_spec(spec, self.params, impl)

    @property
    def name(self) -> str:
        return self.spec.name

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return apply(self.spec, self.params, x, self.impl, self.memory)

    def glu_parts(self) -> GLUParts | None:
        """How a fused GLU may run this module as its gate (``None``: it may not)."""
        if self.impl == "eager" or not self.spec.elementwise:
            return None
        if any(isinstance(v, torch.Tensor) for v in self.params.values()):
            return None
        return GLUParts(self.spec, self.params, None, {}, self.impl, self.memory)

    def __prepare_scriptable__(self) -> nn.Module:
        raise NotScriptableError(
            f"{self._get_name()} cannot be compiled by torch.jit.script: its forward picks a backend "
            "in Python. Use torch.jit.trace(model, example_inputs) (the traced graph holds the plain "
            "expression) or torch.export.export(model, (example_inputs,)) instead."
        )

    def __setstate__(self, state: dict[str, Any]) -> None:
        state.setdefault("memory", "lean")  # modules pickled before the memory option existed
        super().__setstate__(state)

    def extra_repr(self) -> str:
        parts = [f"{k}={_short(v)}" for k, v in self.params.items()]
        if self.memory != "lean":
            parts.append(f"memory={self.memory!r}")
        return ", ".join(parts)

    def _get_name(self) -> str:  # repr shows the activation, e.g. Activation[golu](alpha=1.0, ...)
        return f"Activation[{self.spec.name}]"


def _short(v: Any) -> str:
    if isinstance(v, tuple):
        return "(" + ", ".join(f"{x:.4g}" for x in v) + ")"
    return repr(v)
