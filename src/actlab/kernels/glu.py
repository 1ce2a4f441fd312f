"""Gated linear units ``gate(a) ⊙ up(b)`` with a memory-lean, fusable backward.

For a gate activation :math:`g` (any elementwise catalog activation) and an optional activation
:math:`u` of the up branch (identity by default; ReLU for dReLU):

.. math::
    o = g(a) \\odot u(b), \\qquad
    \\frac{\\partial L}{\\partial a} = g'(a) \\odot u(b) \\odot \\bar o, \\qquad
    \\frac{\\partial L}{\\partial b} = u'(b) \\odot g(a) \\odot \\bar o.

Only ``a`` and ``b`` are saved (which backward needs anyway); ``g(a)``, ``u(b)`` and the
derivatives are recomputed. The vector-Jacobian products come from
:func:`actlab.kernels.lean.backward_fn`, the same derived derivative as for the single
activation. Half types are computed in fp32 and rounded once. With ``create_graph=True`` the
backward is the plain expression's, differentiated by ordinary autograd (second derivatives).
"""

from __future__ import annotations

import sys
import weakref
from typing import Any

import torch

from actlab.catalog.registry import lookup
from actlab.catalog.spec import ActivationSpec, evaluate
from actlab.kernels.context import hidden_saved_hooks
from actlab.kernels.lean import backward_fn, compute_dtype

Tensor = torch.Tensor


def resolve_branch(
    act: str | ActivationSpec | None, params: dict[str, Any]
) -> tuple[ActivationSpec, dict] | None:
    """``(spec, resolved params)`` of a branch activation; ``None`` for the identity."""
    if act is None:
        return None
    spec = lookup(act)
    if not spec.elementwise:
        raise ValueError(f"{spec.name}: a GLU branch activation must be elementwise")
    return spec, spec.resolve_params(params)


def eager_glu(
    gate: tuple[ActivationSpec, dict], up: tuple[ActivationSpec, dict] | None, a: Tensor, b: Tensor
) -> Tensor:
    """The plain reference: ``evaluate(gate, a) * evaluate(up, b)`` with ordinary autograd."""
    ga = evaluate(gate[0], a, gate[1])
    ub = b if up is None else evaluate(up[0], b, up[1])
    return ga * ub


class GLUKernels:
    """Eager-lean GLU forward/backward (plain PyTorch, saving only ``a`` and ``b``)."""

    name = "lean"

    def __init__(self, gate: tuple[ActivationSpec, dict], up: tuple[ActivationSpec, dict] | None):
        self.gate, self.up = gate, up
        self._gbwd = backward_fn(*gate)
        self._ubwd = None if up is None else backward_fn(*up)

    def _ct(self, dtype: torch.dtype) -> torch.dtype:
        ct = compute_dtype(self.gate[0], dtype)
        return ct if self.up is None else max(ct, compute_dtype(self.up[0], dtype), key=_width)

    def _branches(self, a: Tensor, b: Tensor) -> tuple[Tensor, Tensor]:
        ga = self.gate[0].fn(a, **self.gate[1])
        ub = b if self.up is None else self.up[0].fn(b, **self.up[1])
        return ga, ub

    def forward(self, a: Tensor, b: Tensor) -> Tensor:
        ct = self._ct(a.dtype)
        ga, ub = self._branches(a.to(ct), b.to(ct))
        return (ga * ub).to(a.dtype)

    def backward(self, a: Tensor, b: Tensor, do: Tensor) -> tuple[Tensor, Tensor]:
        ct = self._ct(a.dtype)
        ac, bc, doc = a.to(ct), b.to(ct), do.to(ct)
        ga, ub = self._branches(ac, bc)
        da = self._gbwd(ac, doc * ub)
        db = doc * ga if self._ubwd is None else self._ubwd(bc, doc * ga)
        return da.to(a.dtype), db.to(b.dtype)

    def backward_into(self, a: Tensor, b: Tensor, do: Tensor) -> tuple[Tensor, Tensor]:
        """Both gradients written into the buffers of ``a`` and ``b`` (which are then returned).

        Only for inputs nothing else will read again (see :func:`inplace_refusal`). Here the
        gradients are computed and copied in; backends with a fused kernel write them directly.
        """
        da, db = self.backward(a, b, do)
        with torch.no_grad():
            a.copy_(da)
            b.copy_(db)
        return a, b

    def graph_backward(self, a: Tensor, b: Tensor, do: Tensor) -> tuple[Tensor | None, Tensor | None]:
        """Both gradients as differentiable expressions of ``a``, ``b`` and ``do``."""
        with torch.enable_grad():
            ins = [t if t.requires_grad else t.detach().requires_grad_(True) for t in (a, b)]
            o = eager_glu(self.gate, self.up, *ins)
            da, db = torch.autograd.grad(o, ins, do, create_graph=True)
        return da, db


def _width(dt: torch.dtype) -> int:
    return torch.finfo(dt).bits


class _Owner:
    """What the forward knew about the inputs of an in-place GLU: weak references to them (and
    to the tensors they are views of) and their versions."""

    def __init__(self, a: Tensor, b: Tensor):
        ts = [a, b, *[t._base for t in (a, b) if t._base is not None]]
        self.refs = [weakref.ref(t) for t in ts]
        self.versions = (a._version, b._version)
        self.leaf = a.is_leaf or b.is_leaf

    def referenced(self) -> bool:
        """Whether Python code holds an input or its base. Call before unpacking the saved
        tensors: then the only references are the one the tensor's C++ object keeps to its
        Python object and ``getrefcount``'s argument."""
        return any(r() is not None and sys.getrefcount(r()) > 2 for r in self.refs)


def inplace_refusal(owner: _Owner, referenced: bool, a: Tensor, b: Tensor) -> str | None:
    """Why the gradients must not overwrite ``a`` and ``b`` (``None``: they may).

    Refused when an input is a leaf (a parameter or a user's tensor), when Python code still
    held either input or the tensor it is a view of at the start of the backward
    (``referenced``, from :meth:`_Owner.referenced`), or when an input was modified since the
    forward. Another autograd node that saved the same tensor cannot be seen from here: it then
    fails autograd's version check (the writes bump the version), loudly, instead of reading
    overwritten values.
    """
    if owner.leaf:
        return "an input is a leaf tensor"
    if referenced:
        return "an input (or the tensor it is a view of) is still referenced"
    if (a._version, b._version) != owner.versions:
        return "an input was modified after the forward"
    return None


class GLUFunction(torch.autograd.Function):
    """Autograd function of a GLU that saves only its two inputs (kernels run with the caller's
    saved-tensor hooks hidden, see :mod:`actlab.kernels.context`).

    With ``inplace`` the backward writes the two gradients into the buffers of ``a`` and ``b``
    (as Liger-Kernel does: no new gradient buffers), unless :func:`inplace_refusal` finds them
    still in use; then it allocates as usual.
    """

    @staticmethod
    def forward(ctx: Any, a: Tensor, b: Tensor, kernels: GLUKernels, inplace: bool = False) -> Tensor:
        ctx.kernels = kernels
        ctx.owner = _Owner(a, b) if inplace else None
        ctx.save_for_backward(a, b)
        with hidden_saved_hooks():
            return kernels.forward(a, b)

    @staticmethod
    def backward(ctx: Any, do: Tensor) -> tuple[Tensor | None, Tensor | None, None, None]:
        owner, ctx.owner = ctx.owner, None
        referenced = owner is not None and owner.referenced()  # before unpacking (see there)
        a, b = ctx.saved_tensors
        if torch.is_grad_enabled():  # create_graph=True: a differentiable backward
            return (*ctx.kernels.graph_backward(a, b, do), None, None)
        with hidden_saved_hooks():
            if owner is not None and inplace_refusal(owner, referenced, a, b) is None:
                da, db = ctx.kernels.backward_into(a, b, do)
            else:
                da, db = ctx.kernels.backward(a, b, do)
        return da, db, None, None


def glu_apply(kernels: GLUKernels, a: Tensor, b: Tensor, inplace: bool = False) -> Tensor:
    """Run ``kernels`` through :class:`GLUFunction` when a gradient is needed."""
    if torch.is_grad_enabled() and (a.requires_grad or b.requires_grad):
        return GLUFunction.apply(a, b, kernels, inplace)
    with hidden_saved_hooks():
        return kernels.forward(a, b)
