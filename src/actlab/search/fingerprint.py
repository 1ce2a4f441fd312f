"""Fingerprints: the identity of a one-dimensional function, robust to floating-point noise.

A fingerprint holds the values f(xᵢ) and derivatives f'(xᵢ) (autograd; central differences for
functions autograd cannot follow) in float64 on a fixed grid :data:`GRID`: 201 points spaced 0.05 on
[-5, 5] and tail points ±6 … ±50, all shifted by :data:`OFFSET` so no point falls on the usual kinks
(0, ±1, ±3, 6) where one-sided derivative conventions differ between equal functions.

Each number v is mapped by T(v) = sign(v)·log(1 + |v|) (≈ v near 0, ≈ relative for large |v|) and
rounded to a multiple of :data:`QUANTUM` = 1e-6; NaN and ±inf get their own codes. The fingerprint's
``key`` is a hash of these integers, so ``x*sigmoid(x)``, ``x/(1 + exp(-x))`` and ``silu`` share a
key (their float64 values differ by ~1e-16), while functions that agree near 0 and part in the tails
(e.g. ReLU and min(max(x, 0), 30)) do not, because the grid reaches ±50.

Distances between fingerprints (:meth:`Fingerprint.distance`) are the largest difference in T-space,
used for matching within a tolerance (:mod:`actlab.search.identify`).
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import nn

from actlab.catalog.spec import ActivationSpec

__all__ = ["GRID", "OFFSET", "QUANTUM", "Fingerprint", "as_function", "fingerprint", "transform"]

OFFSET = 0.003217
QUANTUM = 1e-6
_TAILS = (6.0, 7.0, 8.0, 10.0, 12.0, 15.0, 20.0, 25.0, 30.0, 40.0, 50.0)
GRID: np.ndarray = (
    np.concatenate([-np.array(_TAILS[::-1]), np.round(np.linspace(-5.0, 5.0, 201), 12), np.array(_TAILS)])
    + OFFSET
)
CORE = np.abs(GRID) <= 5.01  # mask of the dense part

_NAN, _PINF, _NINF = 2**62, 2**61, -(2**61)


@contextlib.contextmanager
def one_thread() -> Iterator[None]:
    """Run torch single-threaded inside the block: fingerprints, identification and rejection work
    on tensors of a few hundred elements, where extra threads only contend with other work."""
    n = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(n)


def transform(v: np.ndarray) -> np.ndarray:
    """T(v) = sign(v)·log1p(|v|), elementwise (NaN/inf pass through)."""
    with np.errstate(invalid="ignore"):
        return np.sign(v) * np.log1p(np.abs(v))


def _quantise(v: np.ndarray) -> np.ndarray:
    t = transform(v)
    q = np.zeros(v.shape, dtype=np.int64)
    fin = np.isfinite(t)
    q[fin] = np.rint(t[fin] / QUANTUM).astype(np.int64)
    q[np.isnan(v)] = _NAN
    q[np.isposinf(v)] = _PINF
    q[np.isneginf(v)] = _NINF
    return q


@dataclass(frozen=True, eq=False)
class Fingerprint:
    """Values and derivatives of a function on :data:`GRID`, with a noise-robust ``key``.

    Two fingerprints are equal when their keys are equal.
    """

    values: np.ndarray
    derivs: np.ndarray
    key: str

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Fingerprint) and self.key == other.key

    def __hash__(self) -> int:
        return hash(self.key)

    @property
    def finite(self) -> bool:
        return bool(np.isfinite(self.values).all() and np.isfinite(self.derivs).all())

    def distance(self, other: Fingerprint, derivs: bool = False) -> float:
        """max |T(f) − T(g)| over the grid (values, or derivatives); inf if finiteness differs."""
        a, b = (self.derivs, other.derivs) if derivs else (self.values, other.values)
        return _tdist(a, b)

    def __repr__(self) -> str:
        return f"Fingerprint({self.key})"


def _tdist(a: np.ndarray, b: np.ndarray) -> float:
    fa, fb = np.isfinite(a), np.isfinite(b)
    same_nonfinite = (~fa & ~fb) & ((a == b) | (np.isnan(a) & np.isnan(b)))
    if np.any((fa != fb) | (~fa & ~fb & ~same_nonfinite)):
        return float("inf")
    both = fa & fb
    if not both.any():
        return 0.0
    return float(np.max(np.abs(transform(a[both]) - transform(b[both]))))


def as_function(f: Any, params: dict[str, Any] | None = None) -> Callable[[torch.Tensor], torch.Tensor]:
    """Turn an expression (string or :class:`~actlab.search.expr.Expression`), a catalog name, an
    :class:`ActivationSpec`, an ``nn.Module`` or a tensor callable into ``g(x) -> Tensor``.

    A string is looked up in the catalog first, then parsed as an expression. ``params`` go to the
    catalog function or expression.
    """
    from actlab.catalog.registry import lookup
    from actlab.search.expr import Expression, parse

    params = dict(params or {})
    if isinstance(f, str):
        try:
            f = lookup(f)
        except LookupError:
            f = parse(f)
    if isinstance(f, ActivationSpec):
        spec = f
        if not spec.elementwise:
            raise ValueError(f"{spec.name} is not an elementwise activation; it has no fingerprint")
        resolved = spec.resolve_params(params)
        return lambda x: spec.fn(x, **resolved)
    if isinstance(f, Expression):
        e = f
        return lambda x: e.fn(x, **params)
    if isinstance(f, nn.Module):
        m = copy.deepcopy(f).double().eval()
        return lambda x: m(x)
    if callable(f):
        if params:
            return lambda x: f(x, **params)
        return f
    raise TypeError(f"cannot make a function of {type(f).__name__}")


def evaluate(g: Callable[[torch.Tensor], torch.Tensor], xs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Values and first derivatives of ``g`` at ``xs`` in float64 (autograd, else central differences)."""
    x = torch.tensor(xs, dtype=torch.float64, requires_grad=True)
    with torch.enable_grad():
        y = g(x)
        if not isinstance(y, torch.Tensor) or y.shape != x.shape:
            raise ValueError("the function must map a 1-d tensor to a tensor of the same shape")
        if y.requires_grad:
            (d,) = torch.autograd.grad(y.sum(), x, allow_unused=True)
            if d is None:
                d = torch.zeros_like(x)
        else:
            d = None
    vals = y.detach().double().numpy().copy()
    if d is None:
        h = 1e-6 * np.maximum(1.0, np.abs(xs))
        with torch.no_grad():
            yp = g(torch.tensor(xs + h, dtype=torch.float64)).double().numpy()
            ym = g(torch.tensor(xs - h, dtype=torch.float64)).double().numpy()
        ders = (yp - ym) / (2 * h)
    else:
        ders = d.detach().double().numpy().copy()
    return vals, ders


def from_arrays(values: np.ndarray, derivs: np.ndarray) -> Fingerprint:
    """The fingerprint of given values and derivatives on :data:`GRID`."""
    q = np.concatenate([_quantise(values), _quantise(derivs)])
    key = hashlib.sha1(q.tobytes()).hexdigest()[:16]
    return Fingerprint(values=values, derivs=derivs, key=key)


def fingerprint(f: Any, params: dict[str, Any] | None = None) -> Fingerprint:
    """The :class:`Fingerprint` of ``f`` (anything :func:`as_function` accepts) with ``params``."""
    g = as_function(f, params)
    with np.errstate(all="ignore"), one_thread():
        vals, ders = evaluate(g, GRID)
    return from_arrays(vals, ders)
