r"""Certified output bounds of a network on an L∞ ball: :func:`bound` (IBP and CROWN).

For inputs :math:`x'` with :math:`\|x' - x\|_\infty \le \varepsilon` (optionally clipped to a box),
``bound`` returns ``lower ≤ model(x') ≤ upper`` elementwise.

- **IBP** (interval bound propagation): an affine layer maps the box with centre c and radius r to
  the box with centre :math:`Wc + b` and radius :math:`|W| r`; an activation maps [l, u] to the
  rigorous range [min f, max f] of :func:`actlab.verify.relax.value_bounds`.
- **CROWN** (Zhang et al. 2018, "Efficient Neural Network Robustness Certification with General
  Activation Functions"; the backward mode of auto_LiRPA, Xu et al. 2020): each output is written
  as a linear function of the input by going backwards through the network, replacing every
  activation by one of its two lines from :func:`actlab.verify.linear_bounds` (the upper line where
  the coefficient is positive in an upper bound, the lower line where negative, and the reverse
  for a lower bound), and the linear function is then bounded over the input box exactly. The
  pre-activation bounds of each activation layer come from the same backward pass started at that
  layer. Every layer's CROWN bounds are intersected with its IBP bounds (both are sound), so CROWN
  is never looser than IBP.

Supported layers (the model is an ``nn.Sequential``, nested ones allowed): ``Linear``,
``Conv1d``/``Conv2d`` (zero padding), ``BatchNorm1d``/``BatchNorm2d`` in eval mode, ``Flatten``,
``AvgPool2d``, ``Identity``, ``Dropout`` in eval mode, and every elementwise activation module: an
actlab activation (``actlab.get(name)``, also learnable), or a ``torch.nn`` activation with a catalog
entry (``nn.ReLU`` is ``relu``, ``nn.GELU(approximate="tanh")`` is ``gelu_tanh``, ...). Anything else
raises :class:`UnsupportedLayerError` naming the layer.

Bounds are computed in float64 on a float64 copy of the model; they hold for the model evaluated in
exact arithmetic and, up to float rounding of the forward pass, for the model in its own dtype.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

import torch
from torch import nn
from torch.nn import functional as F  # noqa: N812

from actlab.catalog.registry import lookup
from actlab.catalog.spec import ActivationSpec
from actlab.verify.relax import linear_bounds, value_bounds

Tensor = torch.Tensor
DTYPE = torch.float64
METHODS = ("ibp", "crown")


class UnsupportedLayerError(TypeError):
    """A layer :func:`bound` cannot propagate bounds through."""


# torch.nn activations with a catalog entry: class -> (catalog name, module -> parameters)
_TORCH_ACTIVATIONS: dict[type, tuple[str, Any]] = {
    nn.ReLU: ("relu", lambda m: {}),
    nn.ReLU6: ("relu6", lambda m: {}),
    nn.LeakyReLU: ("leaky_relu", lambda m: {"negative_slope": m.negative_slope}),
    nn.PReLU: ("prelu", lambda m: {"a": m.weight.detach()}),
    nn.ELU: ("elu", lambda m: {"alpha": m.alpha}),
    nn.CELU: ("celu", lambda m: {"alpha": m.alpha}),
    nn.SELU: ("selu", lambda m: {}),
    nn.GELU: ("gelu", lambda m: {}),
    nn.SiLU: ("silu", lambda m: {}),
    nn.Mish: ("mish", lambda m: {}),
    nn.Sigmoid: ("sigmoid", lambda m: {}),
    nn.Tanh: ("tanh", lambda m: {}),
    nn.Softplus: ("softplus", lambda m: {"beta": m.beta, "threshold": m.threshold}),
    nn.Softsign: ("softsign", lambda m: {}),
    nn.Hardtanh: ("hardtanh", lambda m: {"min_val": m.min_val, "max_val": m.max_val}),
    nn.Hardswish: ("hardswish", lambda m: {}),
    nn.Hardsigmoid: ("hardsigmoid", lambda m: {}),
    nn.LogSigmoid: ("logsigmoid", lambda m: {}),
    nn.Tanhshrink: ("tanhshrink", lambda m: {}),
    nn.Softshrink: ("softshrink", lambda m: {"lambd": m.lambd}),
    nn.Hardshrink: ("hardshrink", lambda m: {"lambd": m.lambd}),
    nn.Threshold: ("threshold", lambda m: {"threshold": m.threshold, "value": m.value}),
}
_AFFINE = (nn.Linear, nn.Conv1d, nn.Conv2d, nn.BatchNorm1d, nn.BatchNorm2d, nn.Flatten, nn.AvgPool2d,
           nn.Identity, nn.Dropout)


@dataclass
class ActivationLayer:
    """An activation layer of a Sequential model: its spec, module, and parameters."""

    spec: ActivationSpec
    module: nn.Module
    fixed: dict[str, Any]

    def params(self, like: Tensor) -> dict[str, Any]:
        m = self.module
        if hasattr(m, "params_for"):  # learnable: learned values shaped to broadcast against the input
            p = m.params_for(like)
        elif isinstance(m, nn.PReLU):
            w = m.weight.detach().to(DTYPE)
            p = {"a": w.reshape(()) if w.numel() == 1 else w.reshape((-1,) + (1,) * (like.dim() - 2))}
        else:
            p = dict(self.fixed)
        return {k: (v.detach().to(DTYPE) if isinstance(v, Tensor) else v) for k, v in p.items()}


def activation_of(module: nn.Module) -> tuple[ActivationSpec, dict[str, Any]] | None:
    """The catalog activation a module computes, as (spec, parameters), or ``None`` if it is none."""
    from actlab.nn.activation import Activation

    if isinstance(module, Activation):
        return module.spec, dict(module.params)
    spec = getattr(module, "spec", None)
    if isinstance(spec, ActivationSpec) and hasattr(module, "params_for"):
        return spec, {}
    entry = _TORCH_ACTIVATIONS.get(type(module))
    if entry is None:
        return None
    name, get = entry
    if isinstance(module, nn.GELU) and module.approximate == "tanh":
        name = "gelu_tanh"
    return lookup(name), get(module)


def sequential_layers(model: nn.Module) -> list[tuple[str, Any]]:
    """The model as a flat list of (path, affine module or :class:`ActivationLayer`); raises
    :class:`UnsupportedLayerError` for any other layer (see the module docstring)."""
    if isinstance(model, nn.Sequential):
        # not named_children(): it skips a module that appears twice, Sequential runs it twice
        items = [(name, m) for name, m in model._modules.items() if m is not None]
    else:
        items = [("", model)]
    out: list[tuple[str, Any]] = []
    for name, m in items:
        if isinstance(m, nn.Sequential):
            out += [(f"{name}.{p}" if name else p, v) for p, v in sequential_layers(m)]
            continue
        act = activation_of(m)
        if act is not None:
            spec, params = act
            if not spec.elementwise:
                raise UnsupportedLayerError(f"bound: layer {name or type(m).__name__!r} ({spec.name}) is not "
                                            "elementwise; only elementwise activations are supported")
            out.append((name, ActivationLayer(spec, m, params)))
            continue
        if not isinstance(m, _AFFINE):
            raise UnsupportedLayerError(
                f"bound: unsupported layer {name or '<model>'!r} of type {type(m).__name__}; supported: "
                "Linear, Conv1d, Conv2d, BatchNorm1d/2d (eval), Flatten, AvgPool2d, Identity, Dropout (eval) "
                "and elementwise activations (actlab or torch.nn with a catalog entry), in an nn.Sequential")
        if m.training and isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d, nn.Dropout)):
            raise UnsupportedLayerError(f"bound: layer {name!r} ({type(m).__name__}) is in training mode; "
                                        "call model.eval() first")
        if isinstance(m, (nn.Conv1d, nn.Conv2d)) and m.padding_mode != "zeros":
            raise UnsupportedLayerError(f"bound: layer {name!r}: padding_mode={m.padding_mode!r} is not "
                                        "supported (only 'zeros')")
        out.append((name, m))
    return out


# ------------------------------------------------------------------------------------- affine maps


def _abs_map(m: nn.Module, r: Tensor) -> Tensor:
    """|A| r for the linear part A of affine layer m (r ≥ 0)."""
    if isinstance(m, nn.Linear):
        return F.linear(r, m.weight.abs())
    if isinstance(m, nn.Conv2d):
        return F.conv2d(r, m.weight.abs(), None, m.stride, m.padding, m.dilation, m.groups)
    if isinstance(m, nn.Conv1d):
        return F.conv1d(r, m.weight.abs(), None, m.stride, m.padding, m.dilation, m.groups)
    if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
        scale = _bn_scale(m)
        shape = (1, -1) + (1,) * (r.dim() - 2)
        return r * scale.abs().reshape(shape)
    if isinstance(m, nn.AvgPool2d):  # nonnegative weights: |A| = A
        return m(r)
    return m(r)  # Flatten, Identity, Dropout (eval)


def _bn_scale(m: nn.Module) -> Tensor:
    var = m.running_var if m.track_running_stats and m.running_var is not None else None
    if var is None:
        raise UnsupportedLayerError(f"bound: {type(m).__name__} without running statistics is not supported")
    scale = 1.0 / torch.sqrt(var + m.eps)
    return scale * m.weight if m.affine else scale


def _bias_of(m: nn.Module, in_shape: tuple[int, ...]) -> Tensor:
    """A(0): the layer's output for a zero input (shape (1, *out_shape))."""
    with torch.no_grad():
        return m(torch.zeros((1, *in_shape), dtype=DTYPE))


def _back(m: nn.Module, lam: Tensor, in_shape: tuple[int, ...]) -> Tensor:
    """Λ A for rows Λ of shape (N, *out_shape): the vector-Jacobian product of the linear part."""
    z = torch.zeros((lam.shape[0], *in_shape), dtype=DTYPE, requires_grad=True)
    with torch.enable_grad():
        y = m(z)
        (g,) = torch.autograd.grad(y, z, grad_outputs=lam, allow_unused=False)
    return g


# ------------------------------------------------------------------------------------- results


@dataclass
class OutputBounds:
    """Certified bounds ``lower ≤ model(x') ≤ upper`` for every x' in the input set (float64).

    Unpacks as ``lower, upper = bound(...)``. ``layers`` holds the bounds of each activation
    layer's input, by the layer's path."""

    lower: Tensor
    upper: Tensor
    method: str
    eps: float
    layers: dict[str, tuple[Tensor, Tensor]] = field(default_factory=dict)

    def __iter__(self):
        return iter((self.lower, self.upper))

    @property
    def width(self) -> Tensor:
        return self.upper - self.lower


def bound(model: nn.Module, x: Tensor, eps: float, method: str = "crown",
          clip: tuple[float, float] | None = None) -> OutputBounds:
    r"""Certified bounds of ``model``'s outputs over the L∞ ball of radius ``eps`` around ``x``.

    Args:
        model: an ``nn.Sequential`` of supported layers (see the module docstring), in eval mode.
        x: the centre, a batch ``(B, *input_shape)``.
        eps: the radius, ``eps >= 0``.
        method: ``"ibp"`` or ``"crown"`` (default).
        clip: optional ``(low, high)`` the inputs are also restricted to (e.g. ``(0, 1)`` for images).

    Returns:
        :class:`OutputBounds` with ``lower``/``upper`` of the output's shape.

    Raises ``ValueError`` for ``eps < 0`` (or not finite), an unknown ``method`` or a bad ``clip``;
    :class:`UnsupportedLayerError` (a ``TypeError``) naming a layer that is not supported.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(map(repr, METHODS))}, got {method!r}")
    eps = float(eps)
    if not eps >= 0.0 or eps == float("inf"):
        raise ValueError(f"eps must be a finite number >= 0, got {eps!r}")
    if not isinstance(x, Tensor) or x.dim() < 1:
        raise ValueError("x must be a tensor with a batch dimension, (B, *input_shape)")
    layers = sequential_layers(model)
    layers = [(p, copy.deepcopy(m).to(DTYPE) if isinstance(m, nn.Module) else m) for p, m in layers]
    x = x.detach().to(DTYPE)
    lo, hi = x - eps, x + eps
    if clip is not None:
        c_lo, c_hi = (float(c) for c in clip)
        if not c_lo <= c_hi:
            raise ValueError(f"clip must be (low, high) with low <= high, got {clip!r}")
        lo, hi = lo.clamp(c_lo, c_hi), hi.clamp(c_lo, c_hi)
    return _propagate(layers, lo, hi, method, eps)


def _propagate(layers: list[tuple[str, Any]], x_lo: Tensor, x_hi: Tensor, method: str,
               eps: float) -> OutputBounds:
    shapes = [tuple(x_lo.shape[1:])]
    lo, hi = x_lo, x_hi
    act_bounds: dict[int, tuple[Tensor, Tensor]] = {}
    relax: dict[int, tuple[Tensor, Tensor, Tensor, Tensor]] = {}
    report: dict[str, tuple[Tensor, Tensor]] = {}
    with torch.no_grad():
        for i, (path, m) in enumerate(layers):
            if isinstance(m, ActivationLayer):
                if method == "crown" and i > 0:
                    c_lo, c_hi = _crown(layers[:i], shapes[: i + 1], relax, x_lo, x_hi)
                    lo, hi = torch.maximum(lo, c_lo), torch.minimum(hi, c_hi)
                act_bounds[i] = (lo, hi)
                report[path] = (lo, hi)
                params = m.params(lo)
                if method == "crown":
                    lb = linear_bounds(m.spec, lo, hi, **params)
                    relax[i] = (lb.a_l, lb.b_l, lb.a_u, lb.b_u)
                lo, hi = value_bounds(m.spec, m.spec.resolve_params(params), lo, hi)
            else:
                c, r = (lo + hi) / 2, (hi - lo) / 2
                c, r = m(c), _abs_map(m, r)
                lo, hi = c - r, c + r
            shapes.append(tuple(lo.shape[1:]))
        if method == "crown" and layers:
            c_lo, c_hi = _crown(layers, shapes, relax, x_lo, x_hi)
            lo, hi = torch.maximum(lo, c_lo), torch.minimum(hi, c_hi)
    return OutputBounds(lo, hi, method, eps, report)


def _crown(layers: list[tuple[str, Any]], shapes: list[tuple[int, ...]],
           relax: dict[int, tuple[Tensor, Tensor, Tensor, Tensor]], x_lo: Tensor,
           x_hi: Tensor) -> tuple[Tensor, Tensor]:
    """CROWN bounds of the output of ``layers`` (a prefix of the network) over the input box."""
    batch = x_lo.shape[0]
    out_shape = shapes[len(layers)]
    k = int(torch.tensor(out_shape).prod()) if out_shape else 1
    eye = torch.eye(k, dtype=DTYPE).reshape((k, *out_shape))
    lam_u = eye.unsqueeze(0).expand(batch, *eye.shape).clone()  # (B, K, *shape)
    lam_l = lam_u.clone()
    const_u = torch.zeros(batch, k, dtype=DTYPE)
    const_l = torch.zeros(batch, k, dtype=DTYPE)
    for i in range(len(layers) - 1, -1, -1):
        _, m = layers[i]
        in_shape = shapes[i]
        if isinstance(m, ActivationLayer):
            a_l, b_l, a_u, b_u = (t.unsqueeze(1) for t in relax[i])  # (B, 1, *shape)
            lam_u, const_u = _through_act(lam_u, const_u, a_u, b_u, a_l, b_l)
            lam_l, const_l = _through_act(lam_l, const_l, a_l, b_l, a_u, b_u)
        else:
            bias = _bias_of(m, in_shape)  # (1, *out_shape)
            const_u = const_u + (lam_u * bias.unsqueeze(1)).flatten(2).sum(-1)
            const_l = const_l + (lam_l * bias.unsqueeze(1)).flatten(2).sum(-1)
            flat_u = lam_u.reshape(batch * k, *lam_u.shape[2:])
            flat_l = lam_l.reshape(batch * k, *lam_l.shape[2:])
            lam_u = _back(m, flat_u, in_shape).reshape(batch, k, *in_shape)
            lam_l = _back(m, flat_l, in_shape).reshape(batch, k, *in_shape)
    c = ((x_lo + x_hi) / 2).unsqueeze(1)
    r = ((x_hi - x_lo) / 2).unsqueeze(1)
    upper = (lam_u * c).flatten(2).sum(-1) + (lam_u.abs() * r).flatten(2).sum(-1) + const_u
    lower = (lam_l * c).flatten(2).sum(-1) - (lam_l.abs() * r).flatten(2).sum(-1) + const_l
    return lower.reshape(batch, *out_shape), upper.reshape(batch, *out_shape)


def _through_act(lam: Tensor, const: Tensor, a_pos: Tensor, b_pos: Tensor, a_neg: Tensor,
                 b_neg: Tensor) -> tuple[Tensor, Tensor]:
    """Λ f(z) ≤ Λ⁺ (a_pos z + b_pos) + Λ⁻ (a_neg z + b_neg) (for an upper bound; swapped for a lower)."""
    pos, neg = lam.clamp(min=0), lam.clamp(max=0)
    new = pos * a_pos + neg * a_neg
    # 0 · ∞ (a coefficient that does not use an unbounded line) is 0
    term = torch.where(pos != 0, pos * b_pos, 0.0) + torch.where(neg != 0, neg * b_neg, 0.0)
    return new, const + term.flatten(2).sum(-1)
