r"""How linear a trained network is: per-layer linearity scores and per-unit linearisability.

- :func:`linearity_scores`: the normalised Procrustes linearity score of "Your Transformer is
  Secretly Linear" (Razzhigaev et al., ACL 2024, arXiv 2405.12250) between the input and the output
  of each chosen layer. With X, Y the (n, d) matrices of the samples' embeddings before and after
  the layer, centred (column means removed) and scaled to unit Frobenius norm,

  .. math:: \mathrm{score} = 1 - \min_A \|\tilde X A - \tilde Y\|_F^2,

  1 for an affine layer (given enough samples) and lower the more the layer bends. ``mapping=
  "linear"`` (default, least squares over all matrices A, as we read the paper) or ``"orthogonal"``
  (A orthogonal: the classical Procrustes problem, which needs equal widths).
- :func:`unit_linearisability`: the share of an activation site's units that can be replaced by
  their best affine fit (least squares over the data) before the loss rises by more than
  ``tolerance`` — the question of "Nonlinear Advantage: Trained Networks Might Not Be As Complex as
  You Think" (Ali Mehmeti-Göpel & Disselhoff, ICML 2023, arXiv 2211.17180), who linearise units
  during training under a sparsity prior; here it is measured after training: units are ordered by
  how well an affine map fits them (residual share of variance) and linearised most-linear first.

A unit is a channel: the last dimension of ``(N, d)``/``(N, T, d)`` activations, dimension 1 of
``(N, C, H, W)`` (one affine map per channel, as the paper's channel-wise PReLU).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import torch
from torch import nn

Tensor = torch.Tensor
DTYPE = torch.float64


def _module(model: nn.Module, path: str) -> nn.Module:
    try:
        return model.get_submodule(path)
    except AttributeError:
        names = [n for n, _ in model.named_modules() if n]
        raise LookupError(f"model has no module {path!r}; modules: {', '.join(names[:30])}") from None


def _samples(t: Tensor) -> Tensor:
    """Embeddings as (samples, features): tokens are samples for (N, T, d), else one row per input."""
    t = t.detach().to(DTYPE)
    if t.dim() == 3:
        return t.reshape(-1, t.shape[-1])
    return t.reshape(t.shape[0], -1)


def _normalised(x: Tensor) -> Tensor:
    x = x - x.mean(dim=0, keepdim=True)
    n = torch.linalg.norm(x)
    return x / n if n > 0 else x


def procrustes_linearity(x: Tensor, y: Tensor, mapping: str = "linear") -> float:
    r"""The linearity score :math:`1 - \min_A \|\tilde X A - \tilde Y\|_F^2` of two (n, d) matrices."""
    if mapping not in ("linear", "orthogonal"):
        raise ValueError(f"mapping must be 'linear' or 'orthogonal', got {mapping!r}")
    if x.shape[0] != y.shape[0]:
        raise ValueError(f"x has {x.shape[0]} samples, y {y.shape[0]}; they must match")
    xs, ys = _normalised(x.to(DTYPE)), _normalised(y.to(DTYPE))
    if mapping == "linear":
        a = torch.linalg.lstsq(xs, ys, driver="gelsd").solution
        r = xs @ a - ys
    else:
        if xs.shape[1] != ys.shape[1]:
            raise ValueError("the orthogonal Procrustes score needs equal widths; use mapping='linear'")
        u, _, vh = torch.linalg.svd(xs.T @ ys)
        r = xs @ (u @ vh) - ys
    return float(1.0 - (r * r).sum())


def linearity_scores(model: nn.Module, x: Tensor, modules: Iterable[str] | None = None,
                     mapping: str = "linear") -> dict[str, float]:
    """Linearity score of every chosen layer on the inputs ``x`` (between its input and its output).

    ``modules``: module paths (default: each child of an ``nn.Sequential``, or each top-level child).
    Use more samples than features (the least-squares fit of a wide layer on few samples is exact
    and scores 1 whatever the layer)."""
    paths = list(modules) if modules is not None else [n for n, _ in model.named_children()]
    if not paths:
        raise ValueError("no modules to score: pass modules=[...] (module paths)")
    seen: dict[str, tuple[Tensor, Tensor]] = {}
    hooks = []
    for p in paths:
        def hook(m, args, out, p=p):
            seen[p] = (args[0], out)
        hooks.append(_module(model, p).register_forward_hook(hook))
    try:
        with torch.no_grad():
            model(x)
    finally:
        for h in hooks:
            h.remove()
    missing = [p for p in paths if p not in seen]
    if missing:
        raise ValueError(f"modules {missing} were not called by the forward pass")
    return {p: procrustes_linearity(_samples(seen[p][0]), _samples(seen[p][1]), mapping) for p in paths}


# ------------------------------------------------------------------------------------- per unit


def _unit_dim(t: Tensor) -> int:
    return 1 if t.dim() == 4 else t.dim() - 1


def _per_unit(t: Tensor, dim: int) -> Tensor:
    """(units, samples) view of activations."""
    return t.detach().to(DTYPE).movedim(dim, 0).reshape(t.shape[dim], -1)


def affine_fits(z: Tensor, y: Tensor, dim: int) -> tuple[Tensor, Tensor, Tensor]:
    """Per-unit least-squares fits y ≈ a z + b: slopes, intercepts and the residual share of variance
    (0: the unit is affine on the data; 1: no better than a constant)."""
    zu, yu = _per_unit(z, dim), _per_unit(y, dim)
    zm, ym = zu.mean(dim=1, keepdim=True), yu.mean(dim=1, keepdim=True)
    zc, yc = zu - zm, yu - ym
    var_z = (zc * zc).mean(dim=1)
    a = torch.where(var_z > 0, (zc * yc).mean(dim=1) / var_z.clamp(min=1e-300), torch.zeros_like(var_z))
    b = ym[:, 0] - a * zm[:, 0]
    res = yu - (a[:, None] * zu + b[:, None])
    var_y = (yc * yc).mean(dim=1)
    share = torch.where(var_y > 0, (res * res).mean(dim=1) / var_y.clamp(min=1e-300), torch.zeros_like(var_y))
    return a, b, share


@dataclass
class Linearisability:
    """Per-unit linearisability of one activation site.

    ``fraction``: the largest share of units (most linear first) whose linearisation keeps the loss
    within ``tolerance`` of ``base_loss`` (and every smaller share as well); ``curve``: (share, loss)
    at each step; ``residual``: every unit's residual share of variance of its best affine fit;
    ``order``: the units, most linear first; ``slope``/``intercept``: the fits."""

    site: str
    fraction: float
    base_loss: float
    tolerance: float
    curve: list[tuple[float, float]]
    residual: Tensor
    order: Tensor
    slope: Tensor
    intercept: Tensor
    extra: dict[str, Any] = field(default_factory=dict)


def unit_linearisability(model: nn.Module, x: Tensor, y: Tensor, loss_fn: Callable[[Tensor, Tensor], Tensor],
                         site: str, tolerance: float = 0.01, steps: int = 11) -> Linearisability:
    """How many units of activation ``site`` can be replaced by their best affine fit.

    Args:
        model: any module; ``site`` the path of one of its activation modules.
        x, y: data (inputs and targets) for the fits and the loss.
        loss_fn: ``loss_fn(model(x), y)``, a scalar.
        tolerance: allowed loss increase (absolute, in the loss's units), >= 0.
        steps: shares of units tried, evenly from 0 to 1 (>= 2).
    """
    if not tolerance >= 0:
        raise ValueError(f"tolerance must be >= 0, got {tolerance!r}")
    if not (isinstance(steps, int) and steps >= 2):
        raise ValueError(f"steps must be an integer >= 2, got {steps!r}")
    module = _module(model, site)
    seen: dict[str, Tensor] = {}
    h = module.register_forward_hook(lambda m, args, out: seen.update(z=args[0], f=out))
    try:
        with torch.no_grad():
            base = float(loss_fn(model(x), y))
    finally:
        h.remove()
    if "z" not in seen:
        raise ValueError(f"module {site!r} was not called by the forward pass")
    z, f = seen["z"], seen["f"]
    dim = _unit_dim(z)
    a, b, share = affine_fits(z, f, dim)
    order = torch.argsort(share)
    n = len(order)
    curve, fraction, ok = [], 0.0, True
    for i in range(steps):
        k = round(i * n / (steps - 1))
        mask = torch.zeros(n, dtype=torch.bool)
        mask[order[:k]] = True
        loss = _loss_with(model, module, x, y, loss_fn, a, b, mask, dim)
        curve.append((k / n, loss))
        ok = ok and loss <= base + tolerance
        if ok:
            fraction = k / n
    return Linearisability(site, fraction, base, tolerance, curve, share, order, a, b)


def _loss_with(model: nn.Module, module: nn.Module, x: Tensor, y: Tensor, loss_fn: Callable, a: Tensor,
               b: Tensor, mask: Tensor, dim: int) -> float:
    """The loss with the masked units of ``module`` replaced by a z + b."""
    def hook(m, args, out):
        z = args[0]
        shape = [1] * z.dim()
        shape[dim] = -1
        lin = a.to(z.dtype).reshape(shape) * z + b.to(z.dtype).reshape(shape)
        return torch.where(mask.reshape(shape), lin, out)

    h = module.register_forward_hook(hook)
    try:
        with torch.no_grad():
            return float(loss_fn(model(x), y))
    finally:
        h.remove()
