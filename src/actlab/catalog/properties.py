"""Properties computed from an activation's definition, never typed by hand.

All evaluations are in float64 on the CPU with the spec's parameters (defaults unless given).

- ``monotonic``: f' ≥ 0 on a dense grid of [-20, 20] and f non-decreasing over far points.
- ``bounded_below`` / ``bounded_above``: the values at far points (±1e3 … ±1e12) stay within the
  range f takes on [-100, 100]; a function that keeps growing (linearly, or even like log x)
  exceeds it.
- ``zero_at_zero``: |f(0)| ≤ 1e-12.
- ``c1`` (continuously differentiable): the largest jump of f' between neighbouring grid points
  shrinks when the grid is refined tenfold (it is O(h) for a C¹ function, O(1) across a kink).
- ``piecewise_linear``: f'' is zero except at isolated points of the grid.
- ``init_gain``: 1/sqrt(E[f(z)²]) for z ~ N(0, 1), which keeps the second moment of the
  pre-activations of the next layer equal to that of this one for weights of variance
  gain²/fan_in (Kumar, "On weight initialization in deep neural networks", arXiv 1704.08863,
  for a layer fed by N(0, 1) pre-activations). √2 for ReLU, 1 for the identity.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any

import torch

from actlab.catalog.registry import lookup
from actlab.catalog.spec import ActivationSpec

_FAR = torch.tensor([1e3, 1e4, 1e6, 1e8, 1e12], dtype=torch.float64)


@dataclass(frozen=True)
class Properties:
    monotonic: bool
    bounded_below: bool
    bounded_above: bool
    zero_at_zero: bool
    c1: bool
    piecewise_linear: bool
    init_gain: float

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _f(spec: ActivationSpec, params: dict, x: torch.Tensor) -> torch.Tensor:
    with torch.no_grad():
        return spec.fn(x, **params)


def _fprime(spec: ActivationSpec, params: dict, x: torch.Tensor) -> torch.Tensor:
    x = x.clone().requires_grad_(True)
    with torch.enable_grad():
        y = spec.fn(x, **params)
        (g,) = torch.autograd.grad(y.sum(), x)
    return g.detach()


def _max_jump(d: torch.Tensor) -> float:
    """The largest finite jump between neighbouring values of the derivative samples ``d``."""
    jumps = (d[1:] - d[:-1]).abs()
    jumps = jumps[torch.isfinite(jumps)]
    return float(jumps.max()) if jumps.numel() else 0.0


def _key(params: dict) -> tuple:
    return tuple(sorted(params.items()))


@functools.lru_cache(maxsize=512)
def _properties(name: str, pkey: tuple) -> Properties:
    spec = lookup(name)
    params = dict(pkey)
    if not spec.elementwise:
        raise ValueError(f"{name}: properties are defined for elementwise activations only")
    grid = torch.linspace(-20.0, 20.0, 40001, dtype=torch.float64)  # step 1e-3
    d = _fprime(spec, params, grid)
    # far points, in increasing order: -1e12 ... -1e3, -100, 100, 1e3 ... 1e12
    xs = torch.cat([-_FAR.flip(0), torch.tensor([-100.0, 100.0], dtype=torch.float64), _FAR])
    ys_all = _f(spec, params, xs)
    mid = _f(spec, params, torch.linspace(-100.0, 100.0, 20001, dtype=torch.float64))
    lo, hi = float(mid.min()), float(mid.max())
    tol = 1e-6 * (1.0 + max(abs(lo), abs(hi)))
    # A side whose far values leave the range seen on [-100, 100] is unbounded unless it has
    # settled: f(±1e12) and f(±1e8) agree, as for a slow approach to an asymptote (softsign,
    # ISRU, Elliott); x, log x, ... still change there.
    bounded_above, bounded_below = True, True
    for side, t in ((xs < 0, ys_all[[1, 0]]), (xs > 0, ys_all[[-2, -1]])):  # t = f(±1e8), f(±1e12)
        y = ys_all[side & ~torch.isnan(ys_all)]
        settled = bool(torch.isfinite(t).all()) and abs(float(t[1] - t[0])) <= 1e-6 * (1 + abs(float(t[1])))
        bounded_above &= bool((y <= hi + tol).all()) or settled
        bounded_below &= bool((y >= lo - tol).all()) or settled
    ys = ys_all[~torch.isnan(ys_all)]
    monotonic = bool((d >= -1e-9).all()) and bool((ys[1:] >= ys[:-1] - tol).all())

    zero = float(_f(spec, params, torch.zeros(1, dtype=torch.float64))[0])
    zero_at_zero = abs(zero) <= 1e-12

    j_coarse = _max_jump(d)
    j_fine = _max_jump(_fprime(spec, params, torch.arange(-20.0, 20.00005, 1e-4, dtype=torch.float64)))
    c1 = j_fine < 1e-6 or j_coarse / max(j_fine, 1e-300) > 3.0

    dd = (d[1:] - d[:-1]).abs()
    piecewise_linear = bool((dd > 1e-9).float().mean() < 0.01)

    return Properties(
        monotonic=monotonic,
        bounded_below=bounded_below,
        bounded_above=bounded_above,
        zero_at_zero=zero_at_zero,
        c1=c1,
        piecewise_linear=piecewise_linear,
        init_gain=_gain_cached(name, pkey),
    )


def _init_gain(spec: ActivationSpec, params: dict) -> float:
    # E[f(z)^2], z ~ N(0,1), by the trapezoid rule on [-12, 12] (tails beyond carry < 1e-30 mass
    # for functions of at most polynomial growth); exact to ~1e-9 also for kinked functions.
    z = torch.linspace(-12.0, 12.0, 240001, dtype=torch.float64)
    w = torch.exp(-0.5 * z * z) / math.sqrt(2.0 * math.pi)
    y = _f(spec, params, z)
    m2 = float(torch.trapezoid(y * y * w, z))
    if not math.isfinite(m2) or m2 <= 0.0:
        raise ValueError(f"{spec.name}: E[f(z)^2] is {m2}; no second-moment-preserving gain exists")
    return 1.0 / math.sqrt(m2)


def properties(name: str | ActivationSpec, **params: Any) -> Properties:
    """Computed :class:`Properties` of an activation (cached per name and parameters)."""
    spec = lookup(name)
    resolved = spec.resolve_params(params)
    return _properties(spec.name, _key(resolved))


def init_gain(name: str | ActivationSpec, **params: Any) -> float:
    """Weight-init gain preserving the second moment for N(0, 1) pre-activations.

    Use as ``std = init_gain(name) / sqrt(fan_in)``. Gives √2 for ReLU and 1 for the identity.
    """
    spec = lookup(name)
    if not spec.elementwise:
        raise ValueError(f"{spec.name}: init_gain is defined for elementwise activations only")
    resolved = spec.resolve_params(params)
    return _gain_cached(spec.name, _key(resolved))


@functools.lru_cache(maxsize=512)
def _gain_cached(name: str, pkey: tuple) -> float:
    return _init_gain(lookup(name), dict(pkey))
