r"""Remove nonlinearities and merge the linear layers around them: :func:`linearize`, :func:`merge`.

LayerMerge (Kim et al., ICML 2024, arXiv 2406.12837) removes activation layers of a trained network
and merges the now adjacent convolutions into one, trading accuracy for depth; RePaViT folds linear
paths of FFNs; "Faster Inference of Integer SWIN Transformer by Removing the GELU Activation"
replaces GELU by a cheap map. The two steps here:

- :func:`linearize` replaces chosen activation sites — or only their most linear units — by the
  identity or by each unit's best affine fit on data (:func:`actlab.linear.measures.affine_fits`).
- :func:`merge` folds adjacent linear layers of an ``nn.Sequential`` into single layers with the
  same outputs: ``Linear ∘ Linear``; ``Conv ∘ Conv`` where the kernel algebra allows (the second
  without padding, no groups or dilation: the composed kernel has size k1 + (k2 - 1)·s1 and stride
  s1·s2); ``BatchNorm`` (eval) and per-channel affine maps into the neighbouring ``Linear``/``Conv``;
  ``Identity`` and eval-mode ``Dropout`` dropped. It reports parameters, depth and measured latency
  before and after.
"""

from __future__ import annotations

import copy
import statistics
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import torch
from torch import nn
from torch.nn import functional as F  # noqa: N812

from actlab.linear.measures import affine_fits

Tensor = torch.Tensor
_CONV = (nn.Conv1d, nn.Conv2d)
_NORM = (nn.BatchNorm1d, nn.BatchNorm2d)


class ChannelAffine(nn.Module):
    r"""Per-channel affine map :math:`y = a_c\,x + b_c` (a linearised activation site).

    ``dim``: the channel dimension (1 for ``(N, C, ...)`` images, -1 for ``(..., C)`` features)."""

    def __init__(self, scale: Tensor, shift: Tensor, dim: int = -1):
        super().__init__()
        self.register_buffer("scale", scale.detach().clone())
        self.register_buffer("shift", shift.detach().clone())
        self.dim = dim

    def _shape(self, x: Tensor) -> list[int]:
        shape = [1] * x.dim()
        shape[self.dim] = -1
        return shape

    def forward(self, x: Tensor) -> Tensor:
        s = self._shape(x)
        return x * self.scale.to(x.dtype).reshape(s) + self.shift.to(x.dtype).reshape(s)

    def extra_repr(self) -> str:
        return f"channels={self.scale.numel()}, dim={self.dim}"


class PartialLinear(nn.Module):
    r"""An activation whose masked channels are replaced by :math:`a_c x + b_c` (the rest keep f)."""

    def __init__(self, act: nn.Module, scale: Tensor, shift: Tensor, mask: Tensor, dim: int = -1):
        super().__init__()
        self.act = act
        self.linear = ChannelAffine(scale, shift, dim)
        self.register_buffer("mask", mask.detach().clone().bool())
        self.dim = dim

    def forward(self, x: Tensor) -> Tensor:
        shape = [1] * x.dim()
        shape[self.dim] = -1
        return torch.where(self.mask.reshape(shape), self.linear(x), self.act(x))

    def extra_repr(self) -> str:
        return f"linear={int(self.mask.sum())}/{self.mask.numel()}"


# ------------------------------------------------------------------------------------- linearize


@dataclass
class LinearizeReport:
    """What :func:`linearize` did: the new ``model`` (a copy), and per site the share of units
    linearised and how (``"identity"`` or ``"affine"``)."""

    model: nn.Module
    sites: dict[str, dict[str, Any]] = field(default_factory=dict)

    def summary(self) -> str:
        lines = [f"{p}: {d['units']}/{d['of']} units -> {d['mode']}" for p, d in self.sites.items()]
        return "\n".join(lines) or "nothing linearised"


def _activation_sites(model: nn.Module) -> list[str]:
    from actlab.surgery import is_activation_module

    return [n for n, m in model.named_modules() if n and is_activation_module(m)]


def _set(model: nn.Module, path: str, new: nn.Module) -> None:
    parent, _, name = path.rpartition(".")
    setattr(model.get_submodule(parent) if parent else model, name, new)


def linearize(model: nn.Module, sites: Iterable[str] | None = None, fraction: float = 1.0,
              mode: str = "affine", data: Tensor | None = None) -> LinearizeReport:
    """Replace activation ``sites`` (module paths; default every activation module) by linear maps.

    Args:
        fraction: share of each site's units (channels) to linearise, the most linear first (their
            best affine fit on ``data`` leaves the smallest share of variance); 1 replaces the whole
            site. A share below 1 needs ``data``.
        mode: ``"affine"``: each unit by its least-squares affine fit on ``data`` (needs ``data``);
            ``"identity"``: by the identity.
        data: inputs of ``model`` for the fits and the ranking.

    Returns a :class:`LinearizeReport` whose ``model`` is a linearised copy (``model`` is not
    changed); a fully linearised site becomes a :class:`ChannelAffine` (``nn.Identity`` in identity
    mode), a partly linearised one a :class:`PartialLinear`.
    """
    if mode not in ("affine", "identity"):
        raise ValueError(f"mode must be 'affine' or 'identity', got {mode!r}")
    if not (isinstance(fraction, (int, float)) and 0.0 <= fraction <= 1.0):
        raise ValueError(f"fraction must be in [0, 1], got {fraction!r}")
    if data is None and (mode == "affine" or fraction < 1.0):
        raise ValueError("data is needed for affine fits and for ranking units (fraction < 1)")
    paths = list(sites) if sites is not None else _activation_sites(model)
    out = copy.deepcopy(model).eval()
    for p in paths:
        try:
            out.get_submodule(p)
        except AttributeError:
            raise LookupError(f"model has no module {p!r}") from None
    seen: dict[str, tuple[Tensor, Tensor]] = {}
    if data is not None:
        hooks = [out.get_submodule(p).register_forward_hook(
            lambda m, args, o, p=p: seen.__setitem__(p, (args[0], o))) for p in paths]
        try:
            with torch.no_grad():
                out(data)
        finally:
            for h in hooks:
                h.remove()
    report = LinearizeReport(out)
    for p in paths:
        act = out.get_submodule(p)
        if data is not None and p not in seen:
            raise ValueError(f"site {p!r} was not called by the forward pass")
        if data is None:  # identity of the whole site
            _set(out, p, nn.Identity())
            report.sites[p] = {"units": "all", "of": "all", "mode": "identity"}
            continue
        z, f = seen[p]
        dim = 1 if z.dim() == 4 else -1
        a, b, share = affine_fits(z, f, 1 if z.dim() == 4 else z.dim() - 1)
        if mode == "identity":
            a, b = torch.ones_like(a), torch.zeros_like(b)
        n = a.numel()
        k = round(fraction * n)
        mask = torch.zeros(n, dtype=torch.bool)
        mask[torch.argsort(share)[:k]] = True
        dtype = z.dtype
        if k == n:
            new = nn.Identity() if mode == "identity" else ChannelAffine(a.to(dtype), b.to(dtype), dim)
        elif k == 0:
            new = act
        else:
            new = PartialLinear(act, a.to(dtype), b.to(dtype), mask, dim)
        _set(out, p, new)
        report.sites[p] = {"units": k, "of": n, "mode": mode, "residual": share[mask].tolist()}
    return report


# ------------------------------------------------------------------------------------- merge


@dataclass
class MergeReport:
    """What :func:`merge` did: the merged ``model`` (a new ``nn.Sequential``), its size and, with an
    example input, the latency (median seconds per forward) and the largest output difference."""

    model: nn.Sequential
    params_before: int
    params_after: int
    layers_before: int
    layers_after: int
    depth_before: int
    depth_after: int
    folded: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    latency_before: float | None = None
    latency_after: float | None = None
    max_abs_diff: float | None = None

    def summary(self) -> str:
        s = (f"layers {self.layers_before} -> {self.layers_after}, depth (linear layers) "
             f"{self.depth_before} -> {self.depth_after}, "
             f"parameters {self.params_before} -> {self.params_after}")
        if self.latency_before is not None:
            s += f", latency {self.latency_before * 1e6:.1f} us -> {self.latency_after * 1e6:.1f} us"
        if self.max_abs_diff is not None:
            s += f", max |difference| {self.max_abs_diff:.3g}"
        return s


def _flat(model: nn.Module) -> list[nn.Module]:
    if isinstance(model, nn.Sequential):
        out: list[nn.Module] = []
        for m in model._modules.values():  # not children(): a module used twice runs twice
            if m is not None:
                out += _flat(m)
        return out
    return [model]


def _params(m: nn.Module) -> int:
    return sum(p.numel() for p in m.parameters())


def _depth(layers: list[nn.Module]) -> int:
    return sum(isinstance(m, (nn.Linear, *_CONV)) for m in layers)


def _channel_affine(m: nn.Module) -> tuple[Tensor, Tensor, int] | None:
    """(scale, shift, channel dim) of a per-channel affine layer in eval mode, else None."""
    if isinstance(m, ChannelAffine):
        return m.scale, m.shift, m.dim
    if isinstance(m, _NORM) and not m.training and m.track_running_stats and m.running_var is not None:
        s = 1.0 / torch.sqrt(m.running_var + m.eps)
        w = m.weight if m.affine else torch.ones_like(s)
        b = m.bias if m.affine else torch.zeros_like(s)
        return (w * s).detach(), (b - m.running_mean * w * s).detach(), 1
    return None


def _linear(w: Tensor, b: Tensor | None, like: nn.Module | None = None) -> nn.Linear:
    out = nn.Linear(w.shape[1], w.shape[0], bias=b is not None)
    ref = like.weight if like is not None else w
    with torch.no_grad():
        out.weight.copy_(w)
        if b is not None:
            out.bias.copy_(b)
    return out.to(dtype=ref.dtype, device=ref.device)


def _conv_like(c: nn.Module, weight: Tensor, bias: Tensor | None, **kw: Any) -> nn.Module:
    cls = type(c)
    args = dict(stride=c.stride, padding=c.padding, dilation=c.dilation, groups=c.groups)
    args.update(kw)
    out = cls(weight.shape[1] * args["groups"], weight.shape[0], tuple(weight.shape[2:]),
              bias=bias is not None, **args).to(dtype=weight.dtype, device=weight.device)
    with torch.no_grad():
        out.weight.copy_(weight)
        if bias is not None:
            out.bias.copy_(bias)
    return out


def _bias(layer: nn.Module) -> Tensor:
    if layer.bias is not None:
        return layer.bias
    return torch.zeros(layer.weight.shape[0], dtype=layer.weight.dtype, device=layer.weight.device)


def _fold_after(layer: nn.Module, scale: Tensor, shift: Tensor, dim: int) -> nn.Module | None:
    """layer followed by a per-channel affine map, as one layer (output channels scaled)."""
    b = _bias(layer)
    if isinstance(layer, nn.Linear) and dim in (-1, 1):
        return _linear(layer.weight * scale[:, None], b * scale + shift, layer)
    if isinstance(layer, _CONV) and dim == 1:
        shape = (-1,) + (1,) * (layer.weight.dim() - 1)
        return _conv_like(layer, layer.weight * scale.reshape(shape), b * scale + shift)
    return None


def _fold_before(scale: Tensor, shift: Tensor, dim: int, layer: nn.Module) -> nn.Module | None:
    """A per-channel affine map followed by layer, as one layer (input channels scaled)."""
    if isinstance(layer, nn.Linear) and dim in (-1, 1):
        return _linear(layer.weight * scale[None, :], _bias(layer) + layer.weight @ shift, layer)
    if isinstance(layer, _CONV) and dim == 1 and layer.groups == 1:
        pad = any(p != 0 for p in layer.padding) if isinstance(layer.padding, tuple) else layer.padding != 0
        if pad and bool((shift != 0).any()):
            return None  # zero padding would see the shift where the input is padded
        shape = (1, -1) + (1,) * (layer.weight.dim() - 2)
        extra = (layer.weight * shift.reshape(shape)).flatten(1).sum(1)
        return _conv_like(layer, layer.weight * scale.reshape(shape), _bias(layer) + extra)
    return None


def _compose_linear(a: nn.Linear, b: nn.Linear) -> nn.Linear:
    return _linear(b.weight @ a.weight, b.weight @ _bias(a) + _bias(b), b)


def _mergeable_convs(a: nn.Module, b: nn.Module) -> str | None:
    """Why a ∘ b cannot be one convolution (None: it can)."""
    if type(a) is not type(b):
        return "different convolution types"
    for c in (a, b):
        if c.groups != 1 or any(d != 1 for d in c.dilation) or c.padding_mode != "zeros":
            return "groups, dilation or padding modes other than zeros"
        if isinstance(c.padding, str):
            return "string padding"
    if any(p != 0 for p in b.padding):
        return "the second convolution pads its input"
    return None


def _compose_conv(a: nn.Module, b: nn.Module) -> nn.Module:
    """b ∘ a for convolutions (b without padding): the composed kernel, read off by applying both to
    the unit impulses of one receptive field (exact: the map is linear)."""
    nd = a.weight.dim() - 2
    k = [ka + (kb - 1) * sa for ka, kb, sa in zip(a.kernel_size, b.kernel_size, a.stride)]
    cin = a.in_channels
    n = cin * int(torch.tensor(k).prod())
    eye = torch.eye(n, dtype=a.weight.dtype).reshape(n, cin, *k)
    conv = F.conv1d if nd == 1 else F.conv2d
    with torch.no_grad():
        mid = conv(eye, a.weight, None, a.stride, 0)
        out = conv(mid, b.weight, None, b.stride, 0)  # (n, cout, 1, ...)
        weight = out.reshape(cin, *k, b.out_channels).movedim(-1, 0).contiguous()
        bias = _bias(b) + (b.weight * _bias(a).reshape((1, -1) + (1,) * nd)).flatten(1).sum(1)
    stride = tuple(sa * sb for sa, sb in zip(a.stride, b.stride))
    return _conv_like(a, weight, bias, stride=stride, padding=a.padding, dilation=(1,) * nd, groups=1)


def _merge_pass(layers: list[nn.Module], folded: list[str]) -> tuple[list[nn.Module], bool]:
    out: list[nn.Module] = []
    changed = False
    i = 0
    while i < len(layers):
        m = layers[i]
        if isinstance(m, nn.Identity) or (isinstance(m, nn.Dropout) and not m.training):
            folded.append(f"dropped {type(m).__name__}")
            changed = True
            i += 1
            continue
        nxt = layers[i + 1] if i + 1 < len(layers) else None
        ca = _channel_affine(m)
        if ca is not None and out and isinstance(out[-1], (nn.Linear, *_CONV)):
            new = _fold_after(out[-1], *ca)
            if new is not None:
                folded.append(f"{type(out[-1]).__name__} <- {type(m).__name__}")
                out[-1] = new
                changed = True
                i += 1
                continue
        if ca is not None and isinstance(nxt, (nn.Linear, *_CONV)):
            new = _fold_before(*ca, nxt)
            if new is not None:
                folded.append(f"{type(m).__name__} -> {type(nxt).__name__}")
                out.append(new)
                changed = True
                i += 2
                continue
        if isinstance(m, nn.Linear) and isinstance(nxt, nn.Linear):
            out.append(_compose_linear(m, nxt))
            folded.append("Linear o Linear")
            changed = True
            i += 2
            continue
        if isinstance(m, _CONV) and isinstance(nxt, _CONV) and _mergeable_convs(m, nxt) is None:
            out.append(_compose_conv(m, nxt))
            folded.append(f"{type(m).__name__} o {type(nxt).__name__}")
            changed = True
            i += 2
            continue
        out.append(m)
        i += 1
    return out, changed


def _latency(model: nn.Module, example: Tensor, repeats: int) -> float:
    with torch.no_grad():
        model(example)  # warm-up
        times = []
        for _ in range(repeats):
            t = time.perf_counter()
            model(example)
            times.append(time.perf_counter() - t)
    return statistics.median(times)


def merge(model: nn.Module, example: Tensor | None = None, repeats: int = 50) -> MergeReport:
    """Fold adjacent linear layers of ``model`` (an ``nn.Sequential``, in eval mode) into single layers.

    Repeats the folds (see the module docstring) until none applies. With ``example`` the report
    has the measured latency before and after (median of ``repeats`` forward passes; on a shared
    machine a noisy figure) and the largest absolute output difference. ``model`` is not changed.

    Raises ``TypeError`` if ``model`` is not an ``nn.Sequential`` and ``ValueError`` if it is in
    training mode (BatchNorm and Dropout fold only in eval mode).
    """
    if not isinstance(model, nn.Sequential):
        raise TypeError(f"merge needs an nn.Sequential, got {type(model).__name__}")
    if model.training:
        raise ValueError("merge needs the model in eval mode (BatchNorm and Dropout fold only then): "
                         "call model.eval()")
    if not (isinstance(repeats, int) and repeats >= 1):
        raise ValueError(f"repeats must be an integer >= 1, got {repeats!r}")
    layers = [copy.deepcopy(m) for m in _flat(model)]
    before = len(layers)
    folded: list[str] = []
    changed = True
    while changed:
        layers, changed = _merge_pass(layers, folded)
    merged = nn.Sequential(*layers).eval()
    report = MergeReport(merged, _params(model), _params(merged), before, len(layers), _depth(_flat(model)),
                         _depth(layers), folded, [type(m).__name__ for m in layers])
    if example is not None:
        with torch.no_grad():
            report.max_abs_diff = float((model(example) - merged(example)).abs().max())
        report.latency_before = _latency(model, example, repeats)
        report.latency_after = _latency(merged, example, repeats)
    return report
