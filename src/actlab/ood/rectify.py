r"""Activation rectification for out-of-distribution detection: ReAct and VRA.

Both change only the *penultimate* activations ``h`` — the input of the classifier head, the last
``nn.Linear`` a forward pass calls (or the layer named by ``layer=``) — and calibrate their
thresholds on in-distribution data, as the papers do (ReAct's code: a held-out in-distribution
split, the ImageNet validation images; VRA's code: the training set's features):

**ReAct** (Sun, Guo & Li, "ReAct: Out-of-distribution Detection With Rectified Activations",
NeurIPS 2021, arXiv 2111.12797): :math:`\bar h = \min(h, c)` elementwise, with ``c`` the ``p``-th
percentile of all penultimate activations (every unit of every calibration sample pooled); the
paper's default ``p = 90``.

**VRA** (Xu, Lian, Liu & Tao, "VRA: Variational Rectified Activation for Out-of-distribution
Detection", NeurIPS 2023, arXiv 2302.11716), the piecewise function

.. math::

    \mathrm{VRA}(h) = \begin{cases} 0 & h < \alpha \\ h + \gamma & \alpha \le h \le \beta \\
    \beta & h > \beta \end{cases}

which suppresses abnormally low activations (to 0) and abnormally high ones (to β) and, with
γ > 0 (the paper's VRA+), amplifies the middle. The thresholds are quantiles of the calibration
activations: in the authors' code for CIFAR (``ood_eval.py``, ``--q1 0.6 --q2 0.9`` for VRA on
CIFAR-10) they are per-unit quantiles over the samples (``torch.quantile(feat, q, dim=0)``), the
default here (``per_unit=True``: ``low_percentile=60``, ``high_percentile=90``, ``gamma=0``);
``per_unit=False`` pools every unit as ReAct does; ``alpha``/``beta`` fix them directly (the
authors' ImageNet setting). Boundaries follow the authors' code: ``h = α`` and ``h = β`` fall in
the middle piece.

Percentiles use linear interpolation between order statistics (NumPy's default, as both papers'
code does).
"""

from __future__ import annotations

import copy
import math
from typing import Any

import numpy as np
import torch
from torch import nn

from actlab.ood.data import as_batches

__all__ = ["ReActRectifier", "RectifiedHead", "VRARectifier", "features", "find_head", "react", "rectifier",
           "vra"]


def check_percentile(name: str, value: Any) -> float:
    """``value`` as a float, or ``ValueError`` naming ``name`` unless ``0 < value < 100``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not (0 < float(value) < 100):
        raise ValueError(f"{name} must be a number in the open interval (0, 100), got {value!r}")
    return float(value)


def _finite(name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(float(value)):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return float(value)


class ReActRectifier(nn.Module):
    r"""ReAct: :math:`\bar h = \min(h, c)` with the threshold ``c`` (a buffer)."""

    def __init__(self, threshold: float | torch.Tensor):
        super().__init__()
        self.register_buffer("threshold", torch.as_tensor(threshold, dtype=torch.float32).clone())

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        return torch.minimum(h, self.threshold.to(h.dtype))

    def extra_repr(self) -> str:
        return f"threshold={float(self.threshold):.6g}"


class VRARectifier(nn.Module):
    r"""VRA: 0 below α, :math:`h + \gamma` on ``[α, β]``, β above β (α, β scalars or one per unit)."""

    def __init__(self, alpha: float | torch.Tensor, beta: float | torch.Tensor, gamma: float = 0.0):
        super().__init__()
        a = torch.as_tensor(alpha, dtype=torch.float32).clone()
        b = torch.as_tensor(beta, dtype=torch.float32).clone()
        if a.shape != b.shape or not bool((a <= b).all()):
            raise ValueError("alpha and beta must have one shape and alpha <= beta")
        self.register_buffer("alpha", a)
        self.register_buffer("beta", b)
        self.gamma = float(gamma)

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        a, b = self.alpha.to(h.dtype), self.beta.to(h.dtype)
        mid = h + self.gamma
        return torch.where(h < a, torch.zeros_like(h), torch.where(h > b, b.expand_as(h), mid))

    def extra_repr(self) -> str:
        if self.alpha.dim() == 0:
            return f"alpha={float(self.alpha):.6g}, beta={float(self.beta):.6g}, gamma={self.gamma}"
        return f"alpha/beta per unit ({self.alpha.numel()}), gamma={self.gamma}"


class RectifiedHead(nn.Module):
    """The classifier head with its input rectified: ``forward(h) = head(rectifier(h))``."""

    def __init__(self, head: nn.Module, rectifier: nn.Module):
        super().__init__()
        self.rectifier = rectifier
        self.head = head

    def forward(self, h: torch.Tensor, *args: Any, **kwargs: Any) -> Any:
        return self.head(self.rectifier(h), *args, **kwargs)


def _first_batch(data: Any, name: str) -> torch.Tensor:
    return next(iter(as_batches(data, name)))


def _device(model: nn.Module) -> torch.device:
    return next((p.device for p in model.parameters()), torch.device("cpu"))


def find_head(model: nn.Module, sample: torch.Tensor) -> str:
    """The path of the last ``nn.Linear`` that ``model(sample)`` calls (``""``: the model itself)."""
    order: list[str] = []
    handles = [m.register_forward_pre_hook(lambda mod, args, _p=p: order.append(_p))
               for p, m in model.named_modules() if isinstance(m, nn.Linear)]
    was = model.training
    model.eval()
    try:
        with torch.no_grad():
            model(sample.to(_device(model)))
    finally:
        model.train(was)
        for h in handles:
            h.remove()
    if not order:
        raise ValueError("no nn.Linear runs in the model's forward: name the classifier head with layer=")
    return order[-1]


def _layer(model: nn.Module, layer: str | None, sample: torch.Tensor) -> str:
    if layer is None:
        return find_head(model, sample)
    if not isinstance(layer, str):
        raise ValueError(f"layer must be None or a module path (str), got {type(layer).__name__}")
    if layer:
        try:
            model.get_submodule(layer)
        except AttributeError:
            raise ValueError(f"layer {layer!r} is not a module of the model") from None
    return layer


@torch.no_grad()
def features(model: nn.Module, data: Any, layer: str | None = None, *, name: str = "data") -> torch.Tensor:
    """The inputs of ``layer`` (default: the classifier head, :func:`find_head`) over ``data``,
    as a float tensor of shape ``(samples, units)`` (leading dimensions flattened)."""
    batches = as_batches(data, name)
    path = _layer(model, layer, next(iter(batches)))
    mod = model.get_submodule(path) if path else model
    seen: list[torch.Tensor] = []

    def grab(_m: nn.Module, args: tuple) -> None:
        h = args[0]
        seen.append(h.detach().float().reshape(-1, h.shape[-1]).cpu())

    handle = mod.register_forward_pre_hook(grab)
    was = model.training
    model.eval()
    try:
        dev = _device(model)
        for x in batches:
            model(x.to(dev))
    finally:
        handle.remove()
        model.train(was)
    return torch.cat(seen)


def _install(model: nn.Module, path: str, rect: nn.Module, inplace: bool) -> nn.Module:
    target = model if inplace else copy.deepcopy(model)
    if not path:
        return RectifiedHead(target, rect.to(_device(target)))
    parent_path, _, attr = path.rpartition(".")
    parent = target.get_submodule(parent_path) if parent_path else target
    head = getattr(parent, attr)
    setattr(parent, attr, RectifiedHead(head, rect.to(_device(target))))
    return target


def rectifier(model: nn.Module) -> nn.Module:
    """The rectifier :func:`react` or :func:`vra` installed in ``model`` (``LookupError`` if none)."""
    for m in model.modules():
        if isinstance(m, RectifiedHead):
            return m.rectifier
    raise LookupError("the model has no rectified head (see actlab.ood.react / actlab.ood.vra)")


def react(
    model: nn.Module,
    data: Any = None,
    *,
    percentile: float = 90.0,
    threshold: float | None = None,
    layer: str | None = None,
    inplace: bool = False,
) -> nn.Module:
    """``model`` with ReAct at its penultimate layer: ``h ↦ min(h, c)`` (see the module docstring).

    Args:
        model: a classifier.
        data: in-distribution calibration inputs (a tensor or an iterable of batches, e.g. the
            training loader); ``c`` is the ``percentile``-th percentile of all their penultimate
            activations.
        percentile: in (0, 100); the paper's default 90.
        threshold: ``c`` given directly instead of calibrated (then ``data`` is not needed).
        layer: the module whose input is rectified (default: the last ``nn.Linear`` called).
        inplace: modify ``model`` instead of a copy.
    """
    p = check_percentile("percentile", percentile)
    if threshold is not None:
        c = _finite("threshold", threshold)
        if data is None:
            if layer is None:
                raise ValueError("with threshold= and no data, name the head with layer=")
            return _install(model, _layer(model, layer, torch.empty(0)), ReActRectifier(c), inplace)
    elif data is None:
        raise ValueError("data (in-distribution calibration inputs) is required unless threshold= is given")
    batches = as_batches(data, "data")
    path = _layer(model, layer, next(iter(batches)))
    if threshold is None:
        feats = features(model, batches, path)
        c = float(np.percentile(feats.double().numpy().ravel(), p))
    return _install(model, path, ReActRectifier(c), inplace)


def vra(
    model: nn.Module,
    data: Any = None,
    *,
    low_percentile: float = 60.0,
    high_percentile: float = 90.0,
    gamma: float = 0.0,
    per_unit: bool = True,
    alpha: float | None = None,
    beta: float | None = None,
    layer: str | None = None,
    inplace: bool = False,
) -> nn.Module:
    """``model`` with VRA at its penultimate layer (the piecewise function of the module docstring).

    Args:
        model: a classifier.
        data: in-distribution calibration inputs; α and β are their ``low_percentile``-th and
            ``high_percentile``-th percentiles (per unit with ``per_unit=True``, the authors'
            CIFAR setting; else over every unit pooled).
        low_percentile, high_percentile: in (0, 100), low < high; defaults 60 and 90 (the
            authors' CIFAR-10 VRA command).
        gamma: γ ≥ 0, added to the middle piece (0: VRA; > 0: the paper's VRA+, 0.6 on CIFAR).
        per_unit: per-unit thresholds.
        alpha, beta: fixed thresholds (α < β) instead of calibrated ones (both, or neither).
        layer: the module whose input is rectified (default: the last ``nn.Linear`` called).
        inplace: modify ``model`` instead of a copy.
    """
    lo_p = check_percentile("low_percentile", low_percentile)
    hi_p = check_percentile("high_percentile", high_percentile)
    if not lo_p < hi_p:
        raise ValueError(f"low_percentile must be below high_percentile, got {lo_p} and {hi_p}")
    g = _finite("gamma", gamma)
    if g < 0:
        raise ValueError(f"gamma must be >= 0 (it amplifies the middle piece), got {gamma!r}")
    if (alpha is None) != (beta is None):
        raise ValueError("give both alpha and beta, or neither")
    if alpha is not None:
        a, b = _finite("alpha", alpha), _finite("beta", beta)
        if not a < b:
            raise ValueError(f"alpha must be below beta, got alpha={a}, beta={b}")
        if data is None:
            if layer is None:
                raise ValueError("with alpha/beta and no data, name the head with layer=")
            return _install(model, _layer(model, layer, torch.empty(0)), VRARectifier(a, b, g), inplace)
        batches = as_batches(data, "data")
        return _install(model, _layer(model, layer, next(iter(batches))), VRARectifier(a, b, g), inplace)
    if data is None:
        raise ValueError("data (in-distribution calibration inputs) is required unless alpha= and beta= "
                         "are given")
    batches = as_batches(data, "data")
    path = _layer(model, layer, next(iter(batches)))
    feats = features(model, batches, path).double().numpy()
    if per_unit:
        a_t = torch.from_numpy(np.percentile(feats, lo_p, axis=0))
        b_t = torch.from_numpy(np.percentile(feats, hi_p, axis=0))
    else:
        a_t = torch.tensor(np.percentile(feats.ravel(), lo_p))
        b_t = torch.tensor(np.percentile(feats.ravel(), hi_p))
    return _install(model, path, VRARectifier(a_t, b_t, g), inplace)
