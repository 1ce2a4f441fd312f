"""Feed-forward blocks: the gated (GLU-family) FFN, the plain FFN, and dReLU."""

from __future__ import annotations

import math

import torch
from torch import nn

from actlab.catalog.registry import REGISTRY, lookup, normalize
from actlab.kernels.dispatch import glu
from actlab.nn import repavit
from actlab.nn.activation import GLUParts
from actlab.nn.registry import MODULES, register_module


def default_d_ff(d_model: int, multiple_of: int = 64) -> int:
    r"""Hidden width of a gated FFN with the parameter count of a plain ``4·d_model`` FFN.

    :math:`d_{ff} = \lceil \tfrac{2}{3} \cdot 4 d_{model} / m \rceil \cdot m` with :math:`m` =
    ``multiple_of`` (Shazeer 2020 keeps parameters equal with three matrices instead of two; LLaMA
    rounds up to a multiple). For ``d_model = 768``: 2048, exactly the parameters of
    ``FFN(768, 3072)``. Exact equality holds whenever ``8·d_model/3`` is already a multiple of ``m``.
    """
    if d_model < 1 or multiple_of < 1:
        raise ValueError(f"d_model and multiple_of must be positive, got {d_model}, {multiple_of}")
    return multiple_of * math.ceil(8 * d_model / (3 * multiple_of))


def _activation(name: str, impl: str, trainable: bool | None) -> nn.Module:
    from actlab.nn.build import build as get

    key = normalize(name)
    if key in MODULES:
        return get(key, impl=impl)
    spec = lookup(key)
    if trainable is None:  # as in the original work: learn what it learns (xGLU's alpha)
        trainable = any(p.trainable for p in spec.params)
    return get(spec.name, impl=impl, trainable=trainable)


def _has_hooks(module: nn.Module) -> bool:
    """Whether forward hooks (the module's own, its submodules', or global ones) would observe it."""
    from torch.nn.modules import module as _m

    if _m._global_forward_hooks or _m._global_forward_pre_hooks:
        return True
    return any(m._forward_hooks or m._forward_pre_hooks for m in module.modules())


def fusable_gate(act: nn.Module) -> GLUParts | None:
    """What ``act`` offers a fused GLU, or ``None`` when it must run as a module.

    A gate module opts in by a ``glu_parts()`` method returning :class:`~actlab.nn.activation.GLUParts`
    (the generic :class:`~actlab.nn.Activation` with number-valued parameters and ``impl != "eager"``;
    :class:`DReLU`, ReLU on both branches). A module observed by forward hooks never fuses: fusion
    skips its forward, and a probe must see the gate.
    """
    parts = getattr(act, "glu_parts", None)
    if not callable(parts) or _has_hooks(act):
        return None
    return parts()


def fused_glu(
    act: nn.Module, a: torch.Tensor, b: torch.Tensor, inplace_grads: bool = False
) -> torch.Tensor | None:
    """``act(a) * b`` (``act(a, b)`` for a two-branch gate such as dReLU) through the fused
    :func:`actlab.kernels.glu`, when ``act`` can be fused (:func:`fusable_gate`); else ``None``.
    ``inplace_grads``: the caller guarantees nothing else uses ``a`` and ``b`` (see
    :func:`actlab.kernels.glu`; what can be checked, is)."""
    p = fusable_gate(act)
    if p is None:
        return None
    return glu(
        p.gate,
        a,
        b,
        up=p.up,
        impl=p.impl,
        memory=p.memory,
        inplace_grads=inplace_grads,
        up_params=p.up_params,
        **p.gate_params,
    )


def _module_name(m: nn.Module) -> str:
    spec = getattr(m, "spec", None)
    return spec.name if spec is not None else type(m).__name__


class DReLU(nn.Module):
    r"""dReLU gate (Song et al. 2024, "Turbo Sparse", arXiv 2406.05955):
    :math:`\mathrm{dReLU}(g, u) = \max(0, g) \odot \max(0, u)`.

    ReLU on both the gate and the up projection, so an output is non-zero only where both are
    positive (higher activation sparsity than ReGLU). Called with one tensor, it splits it into
    halves ``(g, u)`` along ``dim`` like ``torch.nn.GLU`` (the function is symmetric).

    Shape: ``forward(g, u)`` with equal shapes, or ``forward(x)`` with ``x.shape[dim]`` even
    (output half as wide).
    """

    def __init__(self, dim: int = -1, impl: str = "auto"):
        super().__init__()
        self.dim = dim
        self.relu = _activation("relu", impl, False)

    def forward(self, g: torch.Tensor, u: torch.Tensor | None = None) -> torch.Tensor:
        if u is None:
            if g.shape[self.dim] % 2:
                raise ValueError(f"dReLU: dim {self.dim} has odd size {g.shape[self.dim]}")
            g, u = g.chunk(2, dim=self.dim)
        return self.relu(g) * self.relu(u)

    def glu_parts(self) -> GLUParts | None:
        """Both branches are this module's ReLU: fusable when the ReLU is."""
        p = getattr(self.relu, "glu_parts", lambda: None)()
        return None if p is None else p._replace(up=p.gate, up_params=p.gate_params)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


# "DReLU" also names the dynamic and the dual ReLU: by name this one is "turbo_drelu" (or its printed
# names); inside a GLU, GatedFFN(gate="drelu") is unambiguous and stays
register_module("turbo_drelu", names=("dReLU", "DReLU", "Turbo Sparse dReLU"))(DReLU)


class GatedFFN(nn.Module):
    r"""Gated feed-forward block (Shazeer 2020, "GLU Variants Improve Transformer", arXiv 2002.05202):

    .. math:: \mathrm{FFN}(x) = \big(g(x W) \odot x V\big) W_2

    with ``W, V: d_model → d_ff`` and ``W_2: d_ff → d_model``. ``gate`` is any catalog activation or
    activation module name: ``"sigmoid"`` → GLU, ``"identity"`` → Bilinear, ``"relu"`` → ReGLU,
    ``"gelu"`` → GEGLU, ``"silu"`` → SwiGLU, ``"xsilu"``/``"xgelu"``/``"xatlu"`` → the expanded-gate
    forms :math:`x W \cdot g_\alpha(xW) \odot xV` (arXiv 2405.20768, the code's ``order=2``),
    ``"cats"`` → CATS-sparsified SwiGLU; ``"drelu"`` applies ReLU to both branches
    (:math:`\max(0, xW) \odot \max(0, xV)`, Turbo Sparse).

    Args:
        d_model: input and output width.
        d_ff: hidden width; default :func:`default_d_ff` (``⌈8·d_model/3⌉`` rounded up to a
            multiple of 64), which gives the parameter count of a plain ``4·d_model`` FFN.
        gate: the gate activation's name, or a module computing it.
        bias: biases on the three projections (Shazeer's FFN variants have none).
        fused: one ``d_model → 2·d_ff`` projection computing ``[xW, xV]`` in a single matmul
            (same parameters, split afterwards).
        trainable_gate: learn the gate's parameters; default: as the original work does (True for
            the x-gates, whose ``alpha`` is learned, False for parameter-free gates).
        impl: backend passed to the gate (``actlab.get(gate, impl=impl)``). When the gate is a
            catalog activation with number-valued parameters (or dReLU) and ``impl`` is not
            ``"eager"``, :math:`g(a) \odot b` runs through the fused GLU of
            :func:`fused_glu` (memory-lean backward); otherwise eagerly.
        inplace_grads: the fused GLU writes its gradients into the buffers of the projections'
            outputs (dead after the op: no new gradient buffers, as Liger-Kernel does), unless a
            forward hook on a projection could have kept them.

    Shape: input ``(*, d_model)``, output ``(*, d_model)``.

    Example::

        >>> ffn = actlab.nn.GatedFFN(768, gate="silu")   # SwiGLU, d_ff = 2048
        >>> ffn(torch.randn(2, 10, 768)).shape
        torch.Size([2, 10, 768])
    """

    def __init__(
        self,
        d_model: int,
        d_ff: int | None = None,
        gate: str | nn.Module = "silu",
        bias: bool = False,
        *,
        fused: bool = False,
        trainable_gate: bool | None = None,
        impl: str = "auto",
        inplace_grads: bool = True,
    ):
        super().__init__()
        d_ff = default_d_ff(d_model) if d_ff is None else int(d_ff)
        self.inplace_grads = inplace_grads
        if d_ff < 1:
            raise ValueError(f"d_ff must be positive, got {d_ff}")
        self.d_model, self.d_ff, self.fused = d_model, d_ff, fused
        if isinstance(gate, nn.Module):
            self.act, self.gate_name = gate, _module_name(gate)
        elif normalize(gate) == "drelu":
            self.act, self.gate_name = DReLU(impl=impl), "drelu"
        else:
            self.gate_name = normalize(gate)
            self.act = _activation(self.gate_name, impl, trainable_gate)
        if fused:
            self.gate_up_proj = nn.Linear(d_model, 2 * d_ff, bias=bias)
        else:
            self.gate_proj = nn.Linear(d_model, d_ff, bias=bias)
            self.up_proj = nn.Linear(d_model, d_ff, bias=bias)
        self.down_proj = nn.Linear(d_ff, d_model, bias=bias)

    def hidden(self, x: torch.Tensor) -> torch.Tensor:
        """The gated hidden activations :math:`g(xW) \\odot xV`, shape ``(*, d_ff)``."""
        if self.fused:
            g, u = self.gate_up_proj(x).chunk(2, dim=-1)
        else:
            g, u = self.gate_proj(x), self.up_proj(x)
        projections = [self.gate_up_proj] if self.fused else [self.gate_proj, self.up_proj]
        inplace = self.inplace_grads and not any(_has_hooks(m) for m in projections)
        fused = fused_glu(self.act, g, u, inplace)  # one-pass gate(g) * u and fused backward, if possible
        if fused is not None:
            return fused
        if isinstance(self.act, DReLU):
            return self.act(g, u)
        return self.act(g) * u

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.down_proj(self.hidden(x))

    def __setstate__(self, state: dict) -> None:
        state.setdefault("inplace_grads", True)  # modules pickled before the option existed
        super().__setstate__(state)

    def extra_repr(self) -> str:
        return f"d_model={self.d_model}, d_ff={self.d_ff}, gate={self.gate_name!r}, fused={self.fused}"


class FFN(nn.Module):
    r"""Plain transformer feed-forward block: :math:`\mathrm{FFN}(x) = f(x W_1) W_2`.

    Args:
        d_model: input and output width.
        d_ff: hidden width (default ``4·d_model``).
        act: any catalog activation or activation module name (default ``"relu"``, the
            original Transformer's and Shazeer's baseline ``FFN_ReLU``), or a module.
        bias: biases on both projections (default False, as in T5 / Shazeer 2020).
        trainable_act: learn the activation's parameters (default: as the original work does).
        impl: backend passed to the activation.
        idle_ratio: share θ of hidden channels that bypass the activation (RePaViT's channel idle,
            default 0); ``reparameterize()`` then folds their linear path away for inference
            (:mod:`actlab.nn.repavit`).

    Shape: input ``(*, d_model)``, output ``(*, d_model)``.
    """

    idle_ratio: float = 0.0  # (class defaults: modules pickled before the option existed)
    n_active: int | None = None

    def __init__(
        self,
        d_model: int,
        d_ff: int | None = None,
        act: str | nn.Module = "relu",
        bias: bool = False,
        *,
        trainable_act: bool | None = None,
        impl: str = "auto",
        idle_ratio: float = 0.0,
    ):
        super().__init__()
        d_ff = 4 * d_model if d_ff is None else int(d_ff)
        self.d_model, self.d_ff = d_model, d_ff
        self.idle_ratio, self.n_active = idle_ratio, repavit.active_channels(d_ff, idle_ratio)
        if isinstance(act, nn.Module):
            self.act, self.act_name = act, _module_name(act)
        else:
            self.act_name = normalize(act)
            self.act = _activation(self.act_name, impl, trainable_act)
        self.up_proj = nn.Linear(d_model, d_ff, bias=bias)
        self.down_proj = nn.Linear(d_ff, d_model, bias=bias)

    def hidden(self, x: torch.Tensor) -> torch.Tensor:
        """The hidden activations :math:`f(x W_1)` (idle channels: :math:`x W_1`), shape ``(*, d_ff)``."""
        return repavit.channel_idle(self.act, self.up_proj(x), self.n_active)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.down_proj(self.hidden(x))

    def reparameterize(self) -> nn.Module:
        """The inference form with the idle channels' linear path folded (see :mod:`actlab.nn.repavit`)."""
        return repavit.reparameterize(self)

    def extra_repr(self) -> str:
        idle = f", idle_ratio={self.idle_ratio}" if self.idle_ratio else ""
        return f"d_model={self.d_model}, d_ff={self.d_ff}, act={self.act_name!r}{idle}"


def gate_names() -> list[str]:
    """Every name ``GatedFFN(gate=...)`` accepts: catalog activations, modules and ``"drelu"``."""
    return sorted({*REGISTRY, *MODULES, "drelu"})


__all__ = ["DReLU", "FFN", "GatedFFN", "default_d_ff", "fusable_gate", "fused_glu", "gate_names"]
