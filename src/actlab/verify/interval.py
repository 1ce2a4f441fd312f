"""Interval arithmetic through a spec's own code: rigorous enclosures of f and f' over [lo, hi].

:func:`enclose` runs an activation's reference implementation ``spec.fn`` on an :class:`Interval`
instead of a tensor. Every torch operation the catalog uses has an interval extension here: for
an input interval X it returns an interval containing op(x) for every x in X (the fundamental
property of interval arithmetic). Composed, they enclose f(X) — whatever the formula, with no
sampling. Branches (``torch.where(x > 0, ...)``) are followed through :class:`Condition`, a
three-valued comparison: where the condition is certain the branch it selects is used, where it is
uncertain the hull of both branches (a branch that is the compared value itself is first narrowed
to the side the condition selects).

Derivatives: an interval also carries an enclosure of the derivative with respect to the input
(forward-mode differentiation in interval arithmetic), so that f(x) - f(c) ∈ f'(X)·(x - c) (the
mean-value theorem) gives bounds whose error shrinks with the square of the cell width. Where f
may jump inside X (an uncertain branch, ``floor``, a table look-up across entries) the derivative
enclosure is (-∞, ∞), which keeps the mean-value bound sound by making it useless there.

Rounding: float64 results of arithmetic are moved one ulp outward (``nextafter``) and results of
library functions (exp, sin, erf, ...) two ulps. NaN in a bound (an operation outside its domain,
or an unbounded product) makes that bound infinite, which keeps it sound.

The enclosure of a wide interval is loose (the dependency problem: ``x - x`` is not ``0``, though
the same object subtracted from itself is), but its overestimate shrinks with the interval's width,
so on a fine partition it is tight; :mod:`actlab.verify.relax` partitions and refines, splitting
cells at the branch thresholds recorded here.

Operations without an interval extension raise :class:`UnsupportedOperation` naming them.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from fractions import Fraction
from typing import Any, NamedTuple

import torch
from torch.nn import functional as F  # noqa: N812

Tensor = torch.Tensor
DTYPE = torch.float64
INF = math.inf
_SQRT_PI_2 = 2.0 / math.sqrt(math.pi)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


class UnsupportedOperation(NotImplementedError):
    """An operation inside an activation's formula that has no interval extension here."""


# ------------------------------------------------------------------------------------- values


class _Abstract:
    """What intervals and conditions share: dispatch of torch functions and Tensor methods to the
    extensions in :data:`_OPS`, and the arithmetic and logical operators."""

    __slots__ = ()
    __hash__ = object.__hash__

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        return dispatch(func, args, kwargs or {})

    def __getattr__(self, name: str):
        op = _OPS.get(name)
        if op is None:
            raise UnsupportedOperation(f"Tensor.{name} has no interval extension")
        return lambda *a, **k: op(self, *a, **k)

    def __add__(self, o): return add(self, o)
    def __radd__(self, o): return add(o, self)
    def __sub__(self, o): return sub(self, o)
    def __rsub__(self, o): return sub(o, self)
    def __mul__(self, o): return mul(self, o)
    def __rmul__(self, o): return mul(o, self)
    def __truediv__(self, o): return div(self, o)
    def __rtruediv__(self, o): return div(o, self)
    def __neg__(self): return neg(self)
    def __eq__(self, o): return eq(self, o)  # type: ignore[override]
    def __ne__(self, o): return ne(self, o)  # type: ignore[override]
    def __and__(self, o): return and_(self, o)
    def __rand__(self, o): return and_(o, self)
    def __or__(self, o): return or_(self, o)
    def __ror__(self, o): return or_(o, self)
    def __invert__(self): return not_(self)


class Interval(_Abstract):
    """Elementwise intervals ``[lo, hi]`` (float64 tensors), with an optional derivative enclosure.

    ``d`` is ``(dlo, dhi)``, bounds of the derivative with respect to the enclosed function's input,
    or ``None`` for a value that does not depend on it. ``aff`` is a :class:`Lin` where the value is
    known to be linear in the input (or the absolute value of a linear function).

    Behaves enough like a tensor for the catalog's formulas: arithmetic, comparisons (giving a
    :class:`Condition`), indexing, ``dtype``/``device``/``shape``, and every torch function with a
    registered extension (dispatched through ``__torch_function__``).
    """

    __slots__ = ("aff", "d", "hi", "lo")

    def __init__(self, lo: Tensor, hi: Tensor | None = None, d: tuple[Tensor, Tensor] | None = None,
                 aff: tuple | None = None):
        self.lo = lo
        self.hi = lo if hi is None else hi
        self.d = d
        self.aff = aff

    @property
    def dtype(self) -> torch.dtype:
        return self.lo.dtype

    @property
    def device(self) -> torch.device:
        return self.lo.device

    @property
    def shape(self) -> torch.Size:
        return torch.broadcast_shapes(self.lo.shape, self.hi.shape)

    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def requires_grad(self) -> bool:
        return False

    def dim(self) -> int:
        return self.ndim

    def size(self, dim: int | None = None):
        return self.shape if dim is None else self.shape[dim]

    def numel(self) -> int:
        return self.shape.numel()

    def is_floating_point(self) -> bool:
        return self.lo.is_floating_point()

    def __repr__(self) -> str:
        return f"Interval(lo={self.lo}, hi={self.hi})"

    def __len__(self) -> int:
        return self.shape[0]

    def __bool__(self) -> bool:
        raise UnsupportedOperation("the truth value of an interval (data-dependent Python control flow)")

    def __getitem__(self, index):
        return _getitem(self, index)

    # python operators (dunders are looked up on the type, so they are spelled out)
    def __pow__(self, o): return pow_(self, o)
    def __rpow__(self, o): return pow_(o, self)
    def __pos__(self): return self
    def __abs__(self): return abs_(self)
    def __gt__(self, o): return gt(self, o)
    def __ge__(self, o): return ge(self, o)
    def __lt__(self, o): return lt(self, o)
    def __le__(self, o): return le(self, o)


class Condition(_Abstract):
    """A three-valued comparison: ``must`` (true for every x in the interval) and ``may`` (true for
    some); ``must`` implies ``may``. As a number it is the interval ``[must, may]``.

    ``narrow`` = (subject, true part, false part) when the condition compares the interval
    ``subject`` with a constant: where it holds, the subject lies in the true part."""

    __slots__ = ("may", "must", "narrow")

    def __init__(self, must: Tensor, may: Tensor, narrow: tuple | None = None):
        self.must = must
        self.may = may | must
        self.narrow = narrow

    @property
    def shape(self) -> torch.Size:
        return torch.broadcast_shapes(self.must.shape, self.may.shape)

    @property
    def dtype(self) -> torch.dtype:
        return torch.bool

    @property
    def device(self) -> torch.device:
        return self.must.device

    def __bool__(self) -> bool:
        raise UnsupportedOperation("the truth value of an uncertain comparison (data-dependent control flow)")

    def __getitem__(self, index):
        return Condition(self.must[index], self.may[index])

    def __xor__(self, o): return xor(self, o)


def _is_abstract(v: Any) -> bool:
    return isinstance(v, (Interval, Condition))


def _bounds(v: Any) -> tuple[Tensor, Tensor]:
    """(lo, hi) of an interval, a condition (as 0/1), a tensor or a number."""
    if isinstance(v, Interval):
        return v.lo, v.hi
    if isinstance(v, Condition):
        return v.must.to(DTYPE), v.may.to(DTYPE)
    if isinstance(v, Tensor):
        t = v.detach()
    else:
        t = torch.as_tensor(v, dtype=DTYPE if isinstance(v, float) else None)
    if t.dtype == torch.bool:
        t = t.to(DTYPE)
    return t, t


def _cond(v: Any) -> tuple[Tensor, Tensor]:
    """(must, may) of a condition, a bool tensor, a bool or an interval (nonzero = true)."""
    if isinstance(v, Condition):
        return v.must, v.may
    if isinstance(v, Interval):
        c = ne(v, 0)
        return c.must, c.may
    t = torch.as_tensor(v)
    if t.dtype != torch.bool:
        t = t != 0
    return t, t


def _val(v: Any) -> Interval:
    """The value of ``v`` as an interval without derivative (derivative rules compute with these)."""
    return Interval(*_bounds(v))


def _dval(v: Any) -> Interval | None:
    """The derivative enclosure of ``v`` as an interval (``None``: it does not depend on the input)."""
    d = v.d if isinstance(v, Interval) else None
    return None if d is None else Interval(*d)


def _unbounded(shape: torch.Size) -> tuple[Tensor, Tensor]:
    return torch.full(shape, -INF, dtype=DTYPE), torch.full(shape, INF, dtype=DTYPE)


def _zeros_d(shape: torch.Size) -> Interval:
    z = torch.zeros(shape, dtype=DTYPE)
    return Interval(z, z)


# ------------------------------------------------------------------------------------- rounding


_NEG_INF = torch.tensor(-INF, dtype=DTYPE)
_POS_INF = torch.tensor(INF, dtype=DTYPE)


def _down(t: Tensor, ulps: int = 1) -> Tensor:
    if not t.is_floating_point():
        return t
    for _ in range(ulps):
        t = torch.nextafter(t, _NEG_INF)
    return t


def _up(t: Tensor, ulps: int = 1) -> Tensor:
    if not t.is_floating_point():
        return t
    for _ in range(ulps):
        t = torch.nextafter(t, _POS_INF)
    return t


def _make(lo: Tensor, hi: Tensor, ulps: int = 0) -> Interval:
    """An interval from candidate bounds, moved ``ulps`` outward; NaN bounds become infinite."""
    if lo.is_floating_point() or hi.is_floating_point():
        lo, hi = _promote(lo, hi)
        lo = torch.nan_to_num(lo, nan=-INF, posinf=INF, neginf=-INF)
        hi = torch.nan_to_num(hi, nan=INF, posinf=INF, neginf=-INF)
        if ulps:
            lo, hi = _down(lo, ulps), _up(hi, ulps)
    return Interval(lo, hi)


def _promote(lo: Tensor, hi: Tensor) -> tuple[Tensor, Tensor]:
    if lo.is_floating_point() and lo.dtype != DTYPE:
        lo = lo.to(DTYPE)
    if hi.is_floating_point() and hi.dtype != DTYPE:
        hi = hi.to(DTYPE)
    return lo, hi


def _set_d(out: Interval, d: Interval | None) -> Interval:
    if d is not None:
        dl = torch.nan_to_num(d.lo, nan=-INF, posinf=INF, neginf=-INF)
        dh = torch.nan_to_num(d.hi, nan=INF, posinf=INF, neginf=-INF)
        shape = out.lo.shape
        if dl.shape != shape or dh.shape != shape:
            dl, dh = torch.broadcast_tensors(dl, dh, out.lo)[:2]
        out.d = (dl, dh)
    return out


def _chain(x: Any, fprime: Callable[[], Interval]) -> Interval | None:
    """f'(X)·dX for an argument ``x`` with a derivative; ``fprime`` is evaluated only if needed."""
    dx = _dval(x)
    return None if dx is None else mul(fprime(), dx)


# ------------------------------------------------------------------------------------- provenance

_U = 2.0**-52  # a generous bound on the relative rounding error of one float64 operation


class Lin(NamedTuple):
    """A value known to be S·x + O of the enclosed function's input x (``kind="lin"``) or
    |S·x + O| (``kind="abs"``), with the real coefficients S ∈ s ± rs and O ∈ o ± ro.

    In real arithmetic linear chains cancel exactly (``c - (c - v)`` is v, Dekker's product error
    w·x - fl(w·x) is 0), where interval arithmetic alone would blow them up. Coefficients that are
    Python numbers are kept as exact fractions (radius 0); tensor coefficients (per-element
    parameters) are floats whose rounding is carried in the radii. The form also decides
    comparisons and integer parts near their thresholds in x exactly (:func:`_decide`), where the
    rounded enclosure of the value cannot (``x + 3`` absorbs a tiny x; the real sum does not)."""

    kind: str
    s: Any
    o: Any
    rs: Any
    ro: Any


_ROOT = Lin("lin", Fraction(1), Fraction(0), 0.0, 0.0)


def _mag(v: Any) -> Any:
    return v.abs() if isinstance(v, Tensor) else abs(v)


def _lin(v: Any) -> Lin | None:
    aff = v.aff if isinstance(v, Interval) else None
    return aff if aff is not None and aff.kind == "lin" else None


def _const(v: Any) -> Any:
    """A constant operand as a number or a float64 tensor (``None`` for an abstract one)."""
    if _is_abstract(v):
        return None
    if isinstance(v, Tensor):
        return v.detach().to(DTYPE) if v.dtype != torch.bool else None
    return float(v) if isinstance(v, (int, float, Fraction)) and not isinstance(v, bool) else None


def _exact(v: Any) -> Any:
    """A constant as an exact fraction if it is a number (or a one-element tensor), else ``None``."""
    if isinstance(v, Fraction):
        return v
    if isinstance(v, Tensor):
        if v.numel() != 1 or v.is_complex():
            return None
        v = float(v)
    if isinstance(v, (int, float)) and math.isfinite(v):
        return Fraction(v)
    return None


def _flt(v: Any, r: Any) -> tuple[Any, Any]:
    """A coefficient as a float (or tensor) and its radius, counting the rounding of a fraction."""
    if isinstance(v, Fraction):
        f = float(v)
        return f, r + (0.0 if Fraction(f) == v else _U * abs(f))
    return v, r


def _lin_linear(a: Lin, b: Lin | None, ca: Any, cb: Any, c: Any) -> Lin:
    """ca·a + cb·b + c for linear forms a, b (b may be None) and constants ca, cb, c."""
    fa, fb, fc = _exact(ca), _exact(cb), _exact(c)
    exact = (isinstance(a.s, Fraction) and isinstance(a.o, Fraction) and fa is not None and fc is not None
             and (b is None or (isinstance(b.s, Fraction) and isinstance(b.o, Fraction) and fb is not None)))
    if exact:
        s, o = fa * a.s, fa * a.o + fc
        rs, ro = _mag(fa) * a.rs, _mag(fa) * a.ro
        if b is not None:
            s, o, rs, ro = s + fb * b.s, o + fb * b.o, rs + abs(fb) * b.rs, ro + abs(fb) * b.ro
        return Lin("lin", s, o, rs, ro)
    sa, rsa = _flt(a.s, a.rs)
    oa, roa = _flt(a.o, a.ro)
    ca, cc = _const(ca), _const(c)
    s, o = sa * ca, oa * ca + cc
    rs = rsa * _mag(ca) + _U * _mag(s)
    ro = roa * _mag(ca) + _U * (_mag(oa * ca) + _mag(o))
    if b is not None:
        sb_, rsb = _flt(b.s, b.rs)
        ob, rob = _flt(b.o, b.ro)
        cb = _const(cb)
        s, o = s + sb_ * cb, o + ob * cb
        rs = rs + rsb * _mag(cb) + _U * (_mag(sb_ * cb) + _mag(s))
        ro = ro + rob * _mag(cb) + _U * (_mag(ob * cb) + _mag(o))
    return Lin("lin", s, o, rs, ro)


def _aff_sum(a: Any, b: Any, sb: float) -> Lin | None:
    """Provenance of a + sb·b."""
    la, lb = _lin(a), _lin(b)
    if la is not None and lb is not None:
        return _lin_linear(la, lb, 1.0, sb, 0.0)
    if la is not None and _const(b) is not None:
        return _lin_linear(la, None, 1.0, 0.0, sb * _const(b) if _exact(b) is None else sb * _exact(b))
    if lb is not None and _const(a) is not None:
        return _lin_linear(lb, None, sb, 0.0, _const(a) if _exact(a) is None else _exact(a))
    return None


def _lin_scale(a: Lin, c: Any) -> Lin:
    return _lin_linear(a, None, c, 0.0, 0.0)


def _root_cells(shape: torch.Size) -> tuple[Tensor, Tensor] | None:
    """The enclosed function's input cells, if a value of ``shape`` lines up with them."""
    if _CTX.lo is None or torch.Size(shape) != _CTX.lo.shape:
        return None
    return _CTX.lo, _CTX.hi


def _tighten(out: Interval) -> Interval:
    """Intersect a linear value's enclosure (and derivative) with what its coefficients give."""
    aff = out.aff
    cells = None if aff is None or aff.kind != "lin" else _root_cells(out.lo.shape)
    if cells is None:
        return out
    x_lo, x_hi = cells
    (s, rs), (o, ro) = _flt(aff.s, aff.rs), _flt(aff.o, aff.ro)
    p, q = s * x_lo, s * x_hi
    slack = rs * torch.maximum(x_lo.abs(), x_hi.abs()) + ro
    lo = _down(torch.minimum(p, q) + o - slack, 2)
    hi = _up(torch.maximum(p, q) + o + slack, 2)
    ok = torch.isfinite(lo) & torch.isfinite(hi)
    out.lo = torch.where(ok, torch.maximum(out.lo, lo), out.lo)
    out.hi = torch.where(ok, torch.minimum(out.hi, hi), out.hi)
    if out.d is not None:
        st = torch.as_tensor(s, dtype=DTYPE)
        dl, dh = _down(st - rs, 1), _up(st + rs, 1)
        out.d = (torch.maximum(out.d[0], dl), torch.minimum(out.d[1], dh))
    return out


def _threshold(aff: Lin, c: Any) -> tuple[Tensor, Tensor, Any] | None:
    """Brackets [T_lo, T_hi] of the real x with S·x + O = c, and the sign of S (``None``: S may be 0)."""
    exact = isinstance(aff.s, Fraction) and isinstance(aff.o, Fraction) and aff.rs == 0 and aff.ro == 0
    if exact and aff.s == 0:
        return None
    values = None
    if exact and isinstance(c, Tensor) and c.numel() > 1:
        values = torch.unique(c.detach())
        if values.numel() > 64 or not bool(torch.isfinite(values).all()):
            values = None
    if exact and (_exact(c) is not None or values is not None):
        def bracket(v: Fraction) -> tuple[float, float]:
            t_exact = (v - aff.o) / aff.s
            t = float(t_exact)
            if Fraction(t) == t_exact:
                return t, t
            return math.nextafter(t, -INF), math.nextafter(t, INF)

        sign = 1.0 if aff.s > 0 else -1.0
        if values is None:
            t_lo, t_hi = bracket(_exact(c))
            return torch.tensor(t_lo, dtype=DTYPE), torch.tensor(t_hi, dtype=DTYPE), sign
        pairs = torch.tensor([bracket(Fraction(float(v))) for v in values], dtype=DTYPE)
        idx = torch.searchsorted(values, c.detach().contiguous())
        return pairs[idx, 0], pairs[idx, 1], sign
    (s, rs), (o, ro) = _flt(aff.s, aff.rs), _flt(aff.o, aff.ro)
    s = torch.as_tensor(s, dtype=DTYPE)
    if not bool((s.abs() > rs).all()):
        return None
    t = (torch.as_tensor(_const(c), dtype=DTYPE) - o) / s
    # relative rounding of the subtraction and division, the coefficients' radii, and underflow
    delta = 4 * _U * t.abs() + (ro + t.abs() * rs) / (s.abs() - rs) * (1 + 4 * _U) + 1e-320
    return t - delta, t + delta, torch.sign(s)


def _sides(form: Lin, c: Any, cells: tuple[Tensor, Tensor]) -> tuple[Tensor, Tensor] | None:
    """Where S·x + O > c is certainly true and certainly false on the input cells."""
    th = _threshold(form, c)
    if th is None:
        return None
    t_lo, t_hi, sign = th
    x_lo, x_hi = cells
    pos = torch.as_tensor(sign, dtype=DTYPE) > 0
    # S > 0: S x + O > c  <=>  x > T;  S < 0:  <=>  x < T
    true = torch.where(pos, x_lo > t_hi, x_hi < t_lo)
    false = torch.where(pos, x_hi < t_lo, x_lo > t_hi)
    return true, false


def _decide(subject: Any, c: Any, strict: bool, must: Tensor, may: Tensor) -> tuple[Tensor, Tensor]:
    """Refine (must, may) of ``subject > c`` (``>=`` if not strict) from the subject's linear form:
    certain where the input cell lies wholly on one side of the threshold in x (equality at the
    threshold itself stays undecided, so strictness does not matter here)."""
    aff = subject.aff if isinstance(subject, Interval) else None
    cells = None if aff is None else _root_cells(must.shape)
    if cells is None:
        return must, may
    form = aff._replace(kind="lin")
    if aff.kind == "lin":
        sides = _sides(form, c, cells)
        if sides is None:
            return must, may
        true, false = sides
    else:  # |L| > c  <=>  L > c or -L > c
        neg_c = -_exact(c) if _exact(c) is not None else -torch.as_tensor(_const(c), dtype=DTYPE)
        a, b = _sides(form, c, cells), _sides(form, neg_c, cells)
        if a is None or b is None:
            return must, may
        # -L > c <=> L < -c: certainly true where "L > -c" is certainly false, and vice versa
        true, false = a[0] | b[1], a[1] & b[0]
    return must | true, may & ~false


# ------------------------------------------------------------------------------------- arithmetic


def _dsum(a: Any, b: Any, sign: float) -> Interval | None:
    da, db = _dval(a), _dval(b)
    if da is None and db is None:
        return None
    if db is None:
        return da
    if da is None:
        return db if sign > 0 else neg(db)
    return add(da, db) if sign > 0 else sub(da, db)


def add(a: Any, b: Any, *, alpha: Any = 1) -> Interval:
    if alpha != 1:
        b = mul(b, alpha)
    (al, ah), (bl, bh) = _bounds(a), _bounds(b)
    out = _make(al + bl, ah + bh, ulps=1)
    out.aff = _aff_sum(a, b, 1.0)
    return _tighten(_set_d(out, _dsum(a, b, 1.0)))


def sub(a: Any, b: Any, *, alpha: Any = 1) -> Interval:
    if a is b and alpha == 1 and isinstance(a, Interval):  # x - x (e.g. e - e.detach()) is exactly 0
        zero = torch.zeros_like(a.lo)
        return Interval(zero, zero)
    if alpha != 1:
        b = mul(b, alpha)
    (al, ah), (bl, bh) = _bounds(a), _bounds(b)
    out = _make(al - bh, ah - bl, ulps=1)
    out.aff = _aff_sum(a, b, -1.0)
    return _tighten(_set_d(out, _dsum(a, b, -1.0)))


def rsub(a: Any, b: Any, *, alpha: Any = 1) -> Interval:
    return sub(b, a, alpha=alpha)


def neg(a: Any) -> Interval:
    lo, hi = _bounds(a)
    aff = _lin(a)
    out = Interval(-hi, -lo, aff=None if aff is None else _lin_scale(aff, -1.0))
    da = _dval(a)
    return _set_d(out, None if da is None else Interval(-da.hi, -da.lo))


def _products(al: Tensor, ah: Tensor, bl: Tensor, bh: Tensor) -> tuple[Tensor, Tensor]:
    ps = torch.stack(torch.broadcast_tensors(al * bl, al * bh, ah * bl, ah * bh))
    # 0 * inf is NaN; the range of a product of a bound that is 0 and one that is unbounded
    # contains 0 there (the convention of interval arithmetic)
    ps = torch.nan_to_num(ps, nan=0.0, posinf=INF, neginf=-INF)
    return ps.amin(dim=0), ps.amax(dim=0)


def _scaled(al: Tensor, ah: Tensor, c: Any) -> tuple[Tensor, Tensor]:
    """[al, ah] times the exact constant c (a number or a tensor)."""
    if isinstance(c, float):
        lo, hi = (al * c, ah * c) if c >= 0 else (ah * c, al * c)
    else:
        p, q = al * c, ah * c
        lo, hi = torch.minimum(p, q), torch.maximum(p, q)
    if c is not None and (not isinstance(c, float) or c == 0.0):  # 0 * inf
        lo = torch.nan_to_num(lo, nan=0.0, posinf=INF, neginf=-INF)
        hi = torch.nan_to_num(hi, nan=0.0, posinf=INF, neginf=-INF)
    return lo, hi


def mul(a: Any, b: Any) -> Interval:
    if a is b and isinstance(a, Interval):
        return square(a)
    cb, ca = _const(b), _const(a)
    if cb is not None or ca is not None:  # a constant factor: no need for the four products
        x, c = (a, cb) if cb is not None else (b, ca)
        out = _make(*_scaled(*_bounds(x), c), ulps=1)
        aff = _lin(x)
        if aff is not None:
            out.aff = _lin_scale(aff, c)
        dx = _dval(x)
        return _tighten(_set_d(out, None if dx is None else mul(dx, c)))
    (al, ah), (bl, bh) = _bounds(a), _bounds(b)
    out = _make(*_products(al, ah, bl, bh), ulps=1)
    da, db = _dval(a), _dval(b)
    if da is None and db is None:
        return out
    terms = [mul(da, _val(b))] if da is not None else []
    if db is not None:
        terms.append(mul(_val(a), db))
    return _set_d(out, terms[0] if len(terms) == 1 else add(terms[0], terms[1]))


def reciprocal(a: Any) -> Interval:
    lo, hi = _promote(*_bounds(a))
    if not lo.is_floating_point():
        lo, hi = lo.to(DTYPE), hi.to(DTYPE)
    safe = (lo > 0) | (hi < 0)
    out = _make(torch.where(safe, 1.0 / hi, -INF), torch.where(safe, 1.0 / lo, INF), ulps=1)
    return _set_d(out, _chain(a, lambda: neg(square(_val(out)))))


def div(a: Any, b: Any, *, rounding_mode: str | None = None) -> Interval:
    if rounding_mode is not None:
        q = div(_val(a), _val(b))
        fn = torch.floor if rounding_mode == "floor" else torch.trunc
        return _step(Interval(fn(q.lo), fn(q.hi)), a, b)
    if _is_abstract(b):
        return mul(a, reciprocal(b))
    # an exact divisor: one rounding per bound
    (al, ah), (bl, _) = _bounds(a), _bounds(b)
    q1, q2 = al / bl, ah / bl
    zero = bl == 0
    out = _make(torch.where(zero, -INF, torch.minimum(q1, q2)), torch.where(zero, INF, torch.maximum(q1, q2)),
                ulps=1)
    aff, c, fc = _lin(a), _const(b), _exact(b)
    if aff is not None and fc is not None and fc != 0:
        out.aff = _lin_scale(aff, 1 / fc)
    elif aff is not None and c is not None:
        (sa, rsa), (oa, roa) = _flt(aff.s, aff.rs), _flt(aff.o, aff.ro)
        s_, o_ = sa / c, oa / c
        out.aff = Lin("lin", s_, o_, rsa / _mag(c) + _U * _mag(s_), roa / _mag(c) + _U * _mag(o_))
    da = _dval(a)
    return _tighten(_set_d(out, None if da is None else div(da, b)))


def _is_int(p: float) -> bool:
    return float(p).is_integer()


def pow_(a: Any, b: Any) -> Interval:
    """a ** b for an interval base and/or exponent."""
    if not _is_abstract(b):
        bt = torch.as_tensor(b.detach() if isinstance(b, Tensor) else b)
        if bt.numel() != 1:
            return exp(mul(b, log(a)))
        p = float(bt)
        lo, hi = _bounds(a)
        if p == 0:
            one = torch.ones_like(lo, dtype=DTYPE)
            return Interval(one, one)
        if p == 1:
            return a if isinstance(a, Interval) else _val(a)
        if _is_int(p) and p < 0:
            return reciprocal(pow_(a, -p))
        if _is_int(p) and int(p) % 2 == 0:
            m = _abs_value(lo, hi)
            out = _make(m.lo ** p, m.hi ** p, ulps=2)
        elif _is_int(p) or p > 0:  # odd powers, and fractional powers on x >= 0 (NaN below)
            out = _make(lo ** p, hi ** p, ulps=2)
        else:
            out = _make(hi ** p, lo ** p, ulps=2)
        return _set_d(out, _chain(a, lambda: mul(p, pow_(_val(a), p - 1))))
    if not _is_abstract(a):
        base = torch.as_tensor(a.detach() if isinstance(a, Tensor) else a, dtype=DTYPE)
        el, eh = _bounds(b)
        c1, c2 = base ** el, base ** eh
        out = _make(torch.minimum(c1, c2), torch.maximum(c1, c2), ulps=2)
        return _set_d(out, _chain(b, lambda: mul(torch.log(base), _val(out))))
    return exp(mul(b, log(a)))


def square(a: Any) -> Interval:
    return pow_(a, 2)


# ------------------------------------------------------------------------------------- elementary functions


def _unary(value: Callable[[Tensor, Tensor], tuple[Tensor, Tensor]], deriv: Callable[..., Interval] | None,
           ulps: int = 2, jump: Callable[[Tensor], Tensor] | None = None) -> Callable[..., Interval]:
    """An extension from ``value(lo, hi, *args) -> (lo', hi')`` and ``deriv(X, V, *args) -> f'(X)``
    (``X`` the argument's value, ``V`` the result's, both intervals without derivatives).

    ``deriv=None``: piecewise constant with jumps; ``jump(lo)`` gives the first jump point above lo,
    recorded as a threshold to split at where the value is not constant."""

    def op(a: Any, *args: Any, **kwargs: Any) -> Interval:
        kwargs.pop("inplace", None)
        lo, hi = _promote(*_bounds(a))
        if not lo.is_floating_point():
            lo, hi = lo.to(DTYPE), hi.to(DTYPE)
        out = _make(*value(lo, hi, *args, **kwargs), ulps=ulps)
        if deriv is None:  # piecewise constant, with jumps: 0 where the value is constant, else unbounded
            if jump is not None:
                out = _integer_part(a, out, value is _FLOOR_VALUE)
                const = out.lo == out.hi
                _record(a, jump(lo), const, torch.ones_like(const))
            return _step(out, a)
        return _set_d(out, _chain(a, lambda: deriv(Interval(lo, hi), _val(out), *args, **kwargs)))

    return op


def _inc(fn: Callable[..., Tensor]) -> Callable[..., tuple[Tensor, Tensor]]:
    return lambda lo, hi, *a, **k: (fn(lo, *a, **k), fn(hi, *a, **k))


def _integer_part(a: Any, out: Interval, floor: bool) -> Interval:
    """Tighten floor (or trunc of a nonnegative value) of a linear ``a`` with the exact thresholds
    in x: floor(a) ≤ n - 1 where a ≥ n is certainly false, ≥ n + 1 where a ≥ n + 1 is certainly true."""
    if _lin(a) is None or not floor:
        return out
    lo, hi = out.lo.to(DTYPE), out.hi.to(DTYPE)
    open_ = lo < hi
    if not bool(open_.any()):
        return out
    yes, no = torch.zeros_like(open_), torch.ones_like(open_)
    _, below = _decide(a, hi, False, yes, no)  # may(a >= hi)
    top = torch.where(open_ & ~below, hi - 1, hi)
    above, _ = _decide(a, lo + 1, False, yes, no)  # must(a >= lo + 1)
    bottom = torch.where(open_ & above, lo + 1, lo)
    return Interval(bottom.to(out.lo.dtype), torch.maximum(top, bottom).to(out.hi.dtype))


def _dec(fn: Callable[..., Tensor]) -> Callable[..., tuple[Tensor, Tensor]]:
    return lambda lo, hi, *a, **k: (fn(hi, *a, **k), fn(lo, *a, **k))


def _step(out: Interval, *args: Any) -> Interval | Tensor:
    """Derivative of a piecewise-constant result: 0 where it is constant on the interval, else unbounded
    (it may jump); none if no argument depends on the input. A result that is one exact value
    everywhere (an integer part certain on every cell) is returned as a plain tensor, so what is
    computed from it is exact again."""
    const = out.lo == out.hi
    if bool(const.all()):
        return out.lo
    if not any(isinstance(a, Condition) or _dval(a) is not None for a in args):
        return out
    z = torch.zeros(out.shape, dtype=DTYPE)
    out.d = (torch.where(const, z, -INF), torch.where(const, z, INF))
    return out


def _abs_value(lo: Tensor, hi: Tensor) -> Interval:
    alo, ahi = lo.abs(), hi.abs()
    straddle = (lo < 0) & (hi > 0)
    low = torch.where(straddle, torch.zeros_like(alo), torch.minimum(alo, ahi))
    return Interval(low, torch.maximum(alo, ahi))


def abs_(a: Any) -> Interval:
    lo, hi = _bounds(a)
    out = _abs_value(lo, hi)
    aff = _lin(a)
    if aff is not None:
        out.aff = aff._replace(kind="abs")
    da = _dval(a)
    if da is not None:  # continuous: on a straddling interval the derivative is ±f'
        sl = torch.where(hi <= 0, -da.hi, torch.where(lo >= 0, da.lo, torch.minimum(da.lo, -da.hi)))
        sh = torch.where(hi <= 0, -da.lo, torch.where(lo >= 0, da.hi, torch.maximum(da.hi, -da.lo)))
        _set_d(out, Interval(sl, sh))
    return out


def _silu_like(fn: Callable[[Tensor], Tensor], argmin: float | None, deriv: Callable[[Interval], Interval]):
    """A function decreasing left of its minimiser and increasing right of it (SiLU, GELU, Mish).

    The minimiser (``argmin``, or located numerically on first use when ``None``) decides the order
    on either side outside a window of 1e-6 around it; inside the window the minimum is bounded by
    the value there less a slack far larger than the second-order error of the located point."""
    found: list[tuple[float, float]] = []

    def minimum() -> tuple[float, float]:
        if not found:
            x = _argmin(fn, -3.0, 0.0) if argmin is None else argmin
            f = float(fn(torch.tensor(x, dtype=DTYPE)))
            found.append((x, f - 1e-12 * (1.0 + abs(f))))
        return found[0]

    def value(lo: Tensor, hi: Tensor) -> tuple[Tensor, Tensor]:
        x_min, f_min = minimum()
        w = 1e-6
        flo, fhi = fn(lo), fn(hi)
        inner = torch.minimum(torch.minimum(flo, fhi), torch.full_like(flo, f_min))
        low = torch.where(lo >= x_min + w, flo, torch.where(hi <= x_min - w, fhi, inner))
        return low, torch.maximum(flo, fhi)

    return _unary(value, lambda x, v: deriv(x))


def _argmin(fn: Callable[[Tensor], Tensor], a: float, b: float) -> float:
    """Golden-section search for the minimiser of a unimodal ``fn`` on [a, b] (float64)."""
    g = (math.sqrt(5.0) - 1.0) / 2.0
    f = lambda v: float(fn(torch.tensor(v, dtype=DTYPE)))  # noqa: E731
    c, d = b - g * (b - a), a + g * (b - a)
    for _ in range(200):
        if f(c) < f(d):
            b = d
        else:
            a = c
        c, d = b - g * (b - a), a + g * (b - a)
    return (a + b) / 2.0


def _periodic(fn: Callable[[Tensor], Tensor], phase_max: float) -> Callable[[Tensor, Tensor], tuple]:
    """sin or cos: endpoints, plus 1/-1 wherever the interval may hold a maximum/minimum.

    ``phase_max`` is where the function peaks within a period of 2π (π/2 for sin, 0 for cos).
    Whether an extremum lies inside is decided with slack, so a doubtful case includes it."""
    two_pi = 2.0 * math.pi

    def contains(lo: Tensor, hi: Tensor, phase: float) -> Tensor:
        slack = 1e-9 * (1.0 + torch.maximum(lo.abs(), hi.abs()))
        return torch.floor((hi + slack - phase) / two_pi) >= torch.ceil((lo - slack - phase) / two_pi)

    def value(lo: Tensor, hi: Tensor) -> tuple[Tensor, Tensor]:
        flo, fhi = fn(lo), fn(hi)
        wide = ~(torch.isfinite(lo) & torch.isfinite(hi)) | ((hi - lo) >= two_pi)
        high = torch.where(wide | contains(lo, hi, phase_max), 1.0, torch.maximum(flo, fhi))
        low = torch.where(wide | contains(lo, hi, phase_max + math.pi), -1.0, torch.minimum(flo, fhi))
        return low, high

    return value


def _clip_unit(op: Callable[..., Interval]) -> Callable[..., Interval]:
    def clipped(a: Any) -> Interval:
        out = op(a)
        out.lo, out.hi = out.lo.clamp(min=-1.0), out.hi.clamp(max=1.0)
        return out

    return clipped


sin = _clip_unit(_unary(_periodic(torch.sin, math.pi / 2), lambda x, v: cos(x)))
cos = _clip_unit(_unary(_periodic(torch.cos, 0.0), lambda x, v: neg(sin(x))))
exp = _unary(_inc(torch.exp), lambda x, v: v)
log = _unary(_inc(torch.log), lambda x, v: reciprocal(x))
sigmoid = _unary(_inc(torch.sigmoid), lambda x, v: mul(v, sub(1.0, v)))
tanh = _unary(_inc(torch.tanh), lambda x, v: sub(1.0, square(v)))


def _cosh_value(lo: Tensor, hi: Tensor) -> tuple[Tensor, Tensor]:
    m = _abs_value(lo, hi)
    return torch.cosh(m.lo), torch.cosh(m.hi)


sinh = _unary(_inc(torch.sinh), lambda x, v: cosh(x))
cosh = _unary(_cosh_value, lambda x, v: sinh(x))


def _sinc_value(lo: Tensor, hi: Tensor) -> tuple[Tensor, Tensor]:
    """Normalised sinc sin(πx)/(πx) by a Lipschitz enclosure about the midpoint: sin t/t = ∫₀¹ cos(st) ds,
    so |d/dt| ≤ ∫₀¹ s ds = 1/2 and |sinc'| ≤ π/2; and |sinc| ≤ 1."""
    mid = (lo + hi) / 2
    r = (hi - lo) / 2 * (math.pi / 2)
    fm = torch.sinc(mid)
    return (fm - r).clamp(min=-1.0), (fm + r).clamp(max=1.0)


def _bounded_derivative(bound: float) -> Callable[..., Interval]:
    return lambda x, v: Interval(torch.full(x.shape, -bound, dtype=DTYPE),
                                 torch.full(x.shape, bound, dtype=DTYPE))


def _softplus_value(lo: Tensor, hi: Tensor, beta: float = 1.0,
                    threshold: float = 20.0) -> tuple[Tensor, Tensor]:
    return F.softplus(lo, beta, threshold), F.softplus(hi, beta, threshold)


def _softplus_deriv(x: Interval, v: Interval, beta: float = 1.0, threshold: float = 20.0) -> Interval:
    bx = mul(x, beta)
    return where(gt(bx, threshold), 1.0, sigmoid(bx))


def _where_value(cond: Callable[[Interval], Any], yes: Any, no: Any) -> Callable[..., Interval]:
    """The derivative of a continuous piecewise function: the hull of the pieces' derivatives where
    the piece is uncertain (sound by continuity)."""
    return lambda x, v, *a, **k: where(cond(x, *a, **k), yes(x, *a, **k) if callable(yes) else yes,
                                      no(x, *a, **k) if callable(no) else no)


def hypot(a: Any, b: Any) -> Interval:
    ma, mb = _abs_value(*_bounds(a)), _abs_value(*_bounds(b))
    out = _make(torch.hypot(ma.lo, mb.lo), torch.hypot(ma.hi, mb.hi), ulps=2)
    da, db = _dval(a), _dval(b)
    if da is None and db is None:
        return out
    num = add(mul(_val(a), da if da is not None else 0.0), mul(_val(b), db if db is not None else 0.0))
    return _set_d(out, div(num, _val(out)))


def logaddexp(a: Any, b: Any) -> Interval:
    (al, ah), (bl, bh) = _bounds(a), _bounds(b)
    out = _make(torch.logaddexp(al, bl), torch.logaddexp(ah, bh), ulps=2)
    da, db = _dval(a), _dval(b)
    if da is None and db is None:
        return out
    s = sigmoid(sub(_val(a), _val(b)))  # d/da = σ(a - b), d/db = σ(b - a) = 1 - σ(a - b)
    terms = [mul(s, da)] if da is not None else []
    if db is not None:
        terms.append(mul(sub(1.0, s), db))
    return _set_d(out, terms[0] if len(terms) == 1 else add(*terms))


def _extremum(a: Any, b: Any, smaller: bool) -> Interval:
    (al, ah), (bl, bh) = _bounds(a), _bounds(b)
    pick = torch.minimum if smaller else torch.maximum
    out = _make(pick(al, bl), pick(ah, bh))
    da, db = _dval(a), _dval(b)
    if da is None and db is None:
        return out
    shape = out.shape
    da = da if da is not None else _zeros_d(shape)
    db = db if db is not None else _zeros_d(shape)
    a_wins = (ah < bl) if smaller else (al > bh)
    b_wins = (bh < al) if smaller else (bl > ah)
    lo = torch.where(a_wins, da.lo, torch.where(b_wins, db.lo, torch.minimum(da.lo, db.lo)))
    hi = torch.where(a_wins, da.hi, torch.where(b_wins, db.hi, torch.maximum(da.hi, db.hi)))
    return _set_d(out, Interval(lo, hi))  # continuous: the hull of both derivatives where undecided


def minimum(a: Any, b: Any) -> Interval:
    return _extremum(a, b, True)


def maximum(a: Any, b: Any) -> Interval:
    return _extremum(a, b, False)


def _select(mask: Tensor, a: Interval, b: Interval) -> Interval:
    """Elementwise ``a`` where ``mask`` else ``b`` (a choice known for certain, not a branch)."""
    out = Interval(torch.where(mask, a.lo, b.lo), torch.where(mask, a.hi, b.hi))
    if a.d is not None or b.d is not None:
        da, db = _dval(a), _dval(b)
        da = _zeros_d(out.shape) if da is None else da
        db = _zeros_d(out.shape) if db is None else db
        out.d = (torch.where(mask, da.lo, db.lo), torch.where(mask, da.hi, db.hi))
    return out


def atan2(y: Any, x: Any) -> Interval:
    """atan2(y, x) = atan(y/x) for x > 0, π/2 - atan(x/y) for y > 0, -π/2 - atan(x/y) for y < 0; where
    none holds for the whole interval (the branch cut at x < 0, y = 0 may be crossed) [-π, π]."""
    (xl, _), (yl, yh) = _bounds(x), _bounds(y)
    atan = _OPS["atan"]
    right = atan(div(y, x))
    up = sub(math.pi / 2, atan(div(x, y)))
    down = sub(-math.pi / 2, atan(div(x, y)))
    shape = torch.broadcast_shapes(right.shape, up.shape)
    cut = Interval(torch.full(shape, -math.pi, dtype=DTYPE), torch.full(shape, math.pi, dtype=DTYPE))
    if _dval(x) is not None or _dval(y) is not None:
        cut.d = _unbounded(shape)
    out = _select(yh < 0, down, cut)
    out = _select(yl > 0, up, out)
    out = _select(xl > 0, right, out)
    return Interval(out.lo.clamp(min=-math.pi), out.hi.clamp(max=math.pi), out.d)


def clamp(a: Any, min: Any = None, max: Any = None) -> Interval:  # noqa: A002
    out = a if isinstance(a, Interval) else _val(a)
    if min is not None:
        out = maximum(out, min)
    if max is not None:
        out = minimum(out, max)
    return out


def where(cond: Any, a: Any = None, b: Any = None) -> Interval:
    if a is None:
        raise UnsupportedOperation("torch.where(condition) (indices of a data-dependent condition)")
    must, may = _cond(cond)
    if not _is_abstract(a) and not _is_abstract(b) and bool((must == may).all()):
        return torch.where(must, *(torch.as_tensor(v, dtype=DTYPE) if not isinstance(v, Tensor) else v
                                   for v in (a, b)))  # a certain choice between constants
    for branch, chosen in ((a, must), (b, ~may)):  # one branch certainly everywhere: that branch
        if isinstance(branch, Interval) and bool(chosen.all()):
            shape = torch.broadcast_shapes(must.shape, branch.shape)
            if shape == branch.shape:
                return branch
    narrow = cond.narrow if isinstance(cond, Condition) else None
    if narrow is not None:  # a branch that is the compared interval itself lies in its part
        if a is narrow[0]:
            a = _set_d(narrow[1], _dval(a))
        if b is narrow[0]:
            b = _set_d(narrow[2], _dval(b))
    (al, ah), (bl, bh) = _bounds(a), _bounds(b)
    al, ah = _promote(al, ah)
    bl, bh = _promote(bl, bh)
    if al.is_floating_point() != bl.is_floating_point():
        al, ah, bl, bh = (t.to(DTYPE) for t in (al, ah, bl, bh))
    lo = torch.where(must, al, torch.where(may, torch.minimum(al, bl), bl))
    hi = torch.where(must, ah, torch.where(may, torch.maximum(ah, bh), bh))
    out = _make(lo, hi)
    da, db = _dval(a), _dval(b)
    if da is None and db is None and not isinstance(cond, Condition):
        return out
    shape = out.shape
    da = da if da is not None else _zeros_d(shape)
    db = db if db is not None else _zeros_d(shape)
    uncertain = may & ~must
    if da is not None or db is not None or bool(uncertain.any()):
        # where the branch is undecided the result may jump between the branches
        dlo = torch.where(must, da.lo, torch.where(may, -INF, db.lo))
        dhi = torch.where(must, da.hi, torch.where(may, INF, db.hi))
        _set_d(out, Interval(dlo, dhi))
    return out


def nan_to_num(a: Any, nan: float = 0.0, posinf: float | None = None,
               neginf: float | None = None) -> Interval:
    lo, hi = _bounds(a)
    big = torch.finfo(lo.dtype).max
    pinf = big if posinf is None else posinf
    ninf = -big if neginf is None else neginf
    # an infinite bound stands for "unbounded", which nan_to_num maps into [neginf, posinf]
    low = torch.nan_to_num(lo, nan=min(nan, ninf), posinf=pinf, neginf=min(ninf, nan))
    high = torch.nan_to_num(hi, nan=max(nan, pinf), posinf=max(pinf, nan), neginf=ninf)
    out = Interval(low, high)
    da = _dval(a)
    if da is not None:
        finite = torch.isfinite(lo) & torch.isfinite(hi)
        out.d = (torch.where(finite, da.lo, -INF), torch.where(finite, da.hi, INF))
    return out


# ------------------------------------------------------------------------------------- conditions


class _Context:
    """The enclosure in progress: its input cells, and per cell the first branch threshold (in input
    coordinates) at which a comparison was uncertain (NaN: none)."""

    lo: Tensor | None = None
    hi: Tensor | None = None
    split: Tensor | None = None


_CTX = _Context()


def _record(subject: Any, const: Any, must: Tensor, may: Tensor) -> None:
    """Note, per cell, where in x the comparison of ``subject`` with ``const`` changes, if uncertain."""
    aff = subject.aff if isinstance(subject, Interval) else None
    if aff is None or _CTX.split is None:
        return
    uncertain = may & ~must
    if not bool(uncertain.any()):
        return
    shape = _CTX.split.shape
    if torch.broadcast_shapes(uncertain.shape, shape) != shape:
        return
    consts = [const] if aff.kind == "lin" else [const, -torch.as_tensor(_const(const), dtype=DTYPE)
                                                if _exact(const) is None else -_exact(const)]
    form = aff._replace(kind="lin")
    u = torch.broadcast_to(uncertain, shape)
    for c in consts:
        th = _threshold(form, c)
        if th is None:
            continue
        t = torch.broadcast_to((th[0] + th[1]) / 2, shape)
        inside = u & (t >= _CTX.lo) & (t <= _CTX.hi) & (_CTX.lo < _CTX.hi) & torch.isnan(_CTX.split)
        _CTX.split = torch.where(inside, t, _CTX.split)


def _cmp(a: Any, b: Any, strict: bool) -> Condition:
    """a > b (strict) or a >= b; remembers how it narrows an interval compared with a constant."""
    (al, ah), (bl, bh) = _bounds(a), _bounds(b)
    must, may = (al > bh, ah > bl) if strict else (al >= bh, ah >= bl)
    narrow = None
    if isinstance(a, Interval) and not _is_abstract(b):  # a > c: true part [max(lo, c), hi]
        must, may = _decide(a, b, strict, must, may)
        narrow = (a, Interval(torch.maximum(al, bl), ah), Interval(al, torch.minimum(ah, bl)))
        _record(a, b, must, may)
    elif isinstance(b, Interval) and not _is_abstract(a):  # c > b: true part [lo, min(hi, c)]
        # c > b  <=>  not (b >= c)
        m2, y2 = _decide(b, a, not strict, ~may, ~must)
        must, may = ~y2, ~m2
        narrow = (b, Interval(bl, torch.minimum(bh, al)), Interval(torch.maximum(bl, al), bh))
        _record(b, a, must, may)
    return Condition(must, may, narrow)


def gt(a: Any, b: Any) -> Condition:
    return _cmp(a, b, True)


def ge(a: Any, b: Any) -> Condition:
    return _cmp(a, b, False)


def lt(a: Any, b: Any) -> Condition:
    return _cmp(b, a, True)


def le(a: Any, b: Any) -> Condition:
    return _cmp(b, a, False)


def eq(a: Any, b: Any) -> Condition:
    (al, ah), (bl, bh) = _bounds(a), _bounds(b)
    must, may = (al == ah) & (bl == bh) & (al == bl), (al <= bh) & (bl <= ah)
    if isinstance(a, Interval) and not _is_abstract(b):
        _record(a, b, must, may)
    elif isinstance(b, Interval) and not _is_abstract(a):
        _record(b, a, must, may)
    return Condition(must, may)


def ne(a: Any, b: Any) -> Condition:
    return not_(eq(a, b))


def and_(a: Any, b: Any) -> Condition:
    (am, ay), (bm, by) = _cond(a), _cond(b)
    return Condition(am & bm, ay & by)


def or_(a: Any, b: Any) -> Condition:
    (am, ay), (bm, by) = _cond(a), _cond(b)
    return Condition(am | bm, ay | by)


def xor(a: Any, b: Any) -> Condition:
    (am, ay), (bm, by) = _cond(a), _cond(b)
    certain = (am == ay) & (bm == by)
    value = am ^ bm
    return Condition(certain & value, ~certain | value)


def not_(a: Any) -> Condition:
    m, y = _cond(a)
    narrow = a.narrow if isinstance(a, Condition) else None
    return Condition(~y, ~m, None if narrow is None else (narrow[0], narrow[2], narrow[1]))


def isnan(a: Any) -> Condition:
    lo, hi = _bounds(a)
    # an enclosure never holds NaN (NaN bounds were made infinite): an unbounded one may stand for it
    unknown = (torch.isinf(lo) & torch.isinf(hi) & (lo < hi)) if lo.is_floating_point() else torch.zeros_like(
        lo, dtype=torch.bool)
    return Condition(torch.zeros_like(unknown), unknown)


def isinf(a: Any) -> Condition:
    lo, hi = _bounds(a)
    return Condition((lo == hi) & torch.isinf(lo), torch.isinf(lo) | torch.isinf(hi))


def isfinite(a: Any) -> Condition:
    return not_(or_(isinf(a), isnan(a)))


def signbit(a: Any) -> Condition:
    lo, hi = _bounds(a)
    return Condition(hi < 0, lo <= 0)


# ------------------------------------------------------------------------------------- shapes, reductions


def _getitem(a: Any, index: Any) -> Any:
    if isinstance(index, Interval):  # a table indexed by a data-dependent integer
        return _gather(a, index)
    if isinstance(index, tuple) and any(_is_abstract(i) for i in index):
        raise UnsupportedOperation("indexing with an interval inside a tuple index")
    if isinstance(index, Condition):
        raise UnsupportedOperation("boolean-mask indexing with an uncertain condition")
    if isinstance(a, Condition):
        return Condition(a.must[index], a.may[index])
    lo, hi = _bounds(a)
    out = Interval(lo[index], hi[index])
    da = _dval(a)
    return _set_d(out, None if da is None else Interval(da.lo[index], da.hi[index]))


def _gather(table: Any, index: Interval) -> Interval:
    """table[i] for every integer i in [index.lo, index.hi]: the hull of the entries in range."""
    tl, th = _bounds(table)
    ilo, ihi = index.lo.long(), index.hi.long()
    n = tl.shape[0]
    ilo = torch.where(ilo < 0, ilo + n, ilo)
    ihi = torch.where(ihi < 0, ihi + n, ihi)
    span = int((ihi - ilo).max()) if ilo.numel() else 0
    if span > 64:  # a wide range of entries: the hull of the whole table
        lo = torch.full(ilo.shape, float(tl.min()), dtype=DTYPE)
        hi = torch.full(ilo.shape, float(th.max()), dtype=DTYPE)
    else:
        lo, hi = tl[ilo], th[ilo]
        for k in range(1, span + 1):
            j = torch.minimum(ilo + k, ihi)
            lo, hi = torch.minimum(lo, tl[j]), torch.maximum(hi, th[j])
    out = Interval(*_promote(lo, hi))
    if index.d is None:
        return out
    const = ilo == ihi  # one entry: constant on the interval; several: it may jump
    z = torch.zeros(out.shape, dtype=DTYPE)
    out.d = (torch.where(const, z, -INF), torch.where(const, z, INF))
    return out


def _shape_op(name: str) -> Callable[..., Any]:
    def op(a: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(a, Condition):
            return Condition(getattr(a.must, name)(*args, **kwargs), getattr(a.may, name)(*args, **kwargs))
        lo, hi = _bounds(a)
        out = Interval(getattr(lo, name)(*args, **kwargs), getattr(hi, name)(*args, **kwargs))
        da = _dval(a)
        if da is not None:
            dl, dh = torch.broadcast_tensors(da.lo, da.hi, lo)[:2]
            out.d = (getattr(dl, name)(*args, **kwargs), getattr(dh, name)(*args, **kwargs))
        return out

    return op


def sum_(a: Any, dim: Any = None, keepdim: bool = False, **kwargs: Any) -> Interval:
    def total(lo: Tensor, hi: Tensor) -> Interval:
        if dim is None:
            s_lo, s_hi, n = lo.sum(), hi.sum(), lo.numel()
            mag = torch.maximum(lo.abs(), hi.abs()).sum()
        else:
            s_lo, s_hi = lo.sum(dim, keepdim=keepdim), hi.sum(dim, keepdim=keepdim)
            n = lo.shape[dim] if isinstance(dim, int) else math.prod(lo.shape[d] for d in dim)
            mag = torch.maximum(lo.abs(), hi.abs()).sum(dim, keepdim=keepdim)
        # recursive summation: the rounding error is at most (n - 1) u sum |terms| (u = 2^-53)
        slack = (n + 1) * 1.2e-16 * mag
        return _make(s_lo - slack, s_hi + slack, ulps=1)

    lo, hi = _bounds(a)
    out = total(lo, hi)
    da = _dval(a)
    if da is not None:
        dl, dh = torch.broadcast_tensors(da.lo, da.hi, lo)[:2]
        _set_d(out, total(dl, dh))
    return out


def _reduce(name: str) -> Callable[..., Interval]:
    def op(a: Any, *args: Any, **kwargs: Any) -> Interval:
        lo, hi = _bounds(a)
        out = Interval(getattr(lo, name)(*args, **kwargs), getattr(hi, name)(*args, **kwargs))
        da = _dval(a)
        if da is not None:  # a max (min) of continuous functions: within the hull of their derivatives
            dl, dh = torch.broadcast_tensors(da.lo, da.hi, lo)[:2]
            red = [d for d in (args[0] if args else kwargs.get("dim"),) if d is not None]
            keep = kwargs.get("keepdim", False)
            out.d = ((dl.amin(*red, keepdim=keep), dh.amax(*red, keepdim=keep)) if red
                     else (dl.amin(), dh.amax()))
        return out

    return op


def _to(a: Any, *args: Any, **kwargs: Any) -> Any:
    dtype = kwargs.get("dtype")
    for v in args:
        if isinstance(v, torch.dtype):
            dtype = v
        elif isinstance(v, (Tensor, Interval)):
            dtype = v.dtype
    return _cast(a, dtype)


def _cast(a: Any, dtype: torch.dtype | None) -> Any:
    if dtype is None:
        return a
    if dtype == torch.bool:
        return a if isinstance(a, Condition) else ne(a, 0)
    lo, hi = _bounds(a)
    if dtype.is_floating_point:
        out = Interval(lo.to(DTYPE), hi.to(DTYPE), aff=a.aff if isinstance(a, Interval) else None)
        if isinstance(a, Condition):
            return _step(out, a)
        return _set_d(out, _dval(a))
    # float → integer truncates toward 0: monotone, and piecewise constant
    out = Interval(lo.to(dtype), hi.to(dtype))
    if lo.is_floating_point():
        const = out.lo == out.hi
        _record(a, _next_integer(lo), const, torch.ones_like(const))
    return _step(out, a)


def _like(fn: Callable[..., Tensor]) -> Callable[..., Tensor]:
    def op(a: Any, *args: Any, **kwargs: Any) -> Tensor:
        kwargs.setdefault("dtype", torch.bool if isinstance(a, Condition) else DTYPE)
        return fn(torch.empty(a.shape, dtype=kwargs["dtype"]), *args, **kwargs)

    return op


def _new(fn_name: str) -> Callable[..., Tensor]:
    def op(a: Any, *args: Any, **kwargs: Any) -> Tensor:
        kwargs.setdefault("dtype", DTYPE)
        return getattr(torch.empty(0, dtype=DTYPE), fn_name)(*args, **kwargs)

    return op


def _same(a: Any, *args: Any, **kwargs: Any) -> Any:
    return a


def _joined(fn: Callable[..., Tensor]) -> Callable[..., Interval]:
    def op(seq: Any, *args: Any, **kwargs: Any) -> Interval:
        seq = list(seq)
        parts = [_promote(*_bounds(v)) for v in seq]
        out = Interval(fn([p[0] for p in parts], *args, **kwargs), fn([p[1] for p in parts], *args, **kwargs))
        if any(_dval(v) is not None for v in seq):
            ds = [_dval(v) for v in seq]
            ds = [_zeros_d(torch.Size(p[0].shape)) if d is None else d for d, p in zip(ds, parts)]
            ds = [torch.broadcast_tensors(d.lo, d.hi, p[0])[:2] for d, p in zip(ds, parts)]
            out.d = (fn([d[0] for d in ds], *args, **kwargs), fn([d[1] for d in ds], *args, **kwargs))
        return out

    return op


# ------------------------------------------------------------------------------------- the table


def _leaky_relu(a: Any, negative_slope: float = 0.01, inplace: bool = False) -> Interval:
    out = where(ge(_val(a), 0), _val(a), mul(_val(a), negative_slope))
    return _set_d(out, _chain(a, lambda: where(gt(_val(a), 0), 1.0, negative_slope)))


def _gelu_tanh_deriv(x: Interval) -> Interval:
    k, c = math.sqrt(2.0 / math.pi), 0.044715
    t = tanh(mul(k, add(x, mul(c, pow_(x, 3)))))
    inner = mul(k, add(1.0, mul(3 * c, square(x))))
    return add(mul(0.5, add(1.0, t)), mul(mul(0.5, x), mul(sub(1.0, square(t)), inner)))


def _ndtr(x: Interval) -> Interval:
    return _OPS["ndtr"](x)


def _phi(x: Interval) -> Interval:
    return mul(_INV_SQRT_2PI, exp(mul(-0.5, square(x))))


def _silu_deriv(x: Interval) -> Interval:
    s = sigmoid(x)
    return add(s, mul(x, mul(s, sub(1.0, s))))


def _mish_deriv(x: Interval) -> Interval:
    t = tanh(_OPS["softplus"](x))
    return add(t, mul(x, mul(sub(1.0, square(t)), sigmoid(x))))


_GELU = {
    "none": _silu_like(F.gelu, None, lambda x: add(_ndtr(x), mul(x, _phi(x)))),
    "tanh": _silu_like(lambda t: F.gelu(t, approximate="tanh"), None, _gelu_tanh_deriv),
}

_SELU_SCALE_ALPHA = 1.0507009873554805 * 1.6732632423543772


_FLOOR_VALUE = _inc(torch.floor)


def _next_integer(lo: Tensor) -> Tensor:
    """The first integer above lo (where floor, ceil and trunc jump; at an integer lo, lo itself)."""
    return torch.where(lo == torch.floor(lo), lo, torch.floor(lo) + 1)
_OPS: dict[str, Callable[..., Any]] = {
    # arithmetic
    "add": add, "sub": sub, "subtract": sub, "rsub": rsub, "mul": mul, "multiply": mul,
    "div": div, "divide": div, "true_divide": div, "reciprocal": reciprocal, "neg": neg,
    "negative": neg, "pow": pow_, "square": square, "abs": abs_, "absolute": abs_,
    # elementary functions (value, derivative)
    "exp": exp, "log": log, "sigmoid": sigmoid, "expit": sigmoid, "tanh": tanh,
    "sin": sin, "cos": cos, "sinh": sinh, "cosh": cosh,
    "expm1": _unary(_inc(torch.expm1), lambda x, v: add(v, 1.0)),
    "exp2": _unary(_inc(torch.exp2), lambda x, v: mul(math.log(2.0), v)),
    "log1p": _unary(_inc(torch.log1p), lambda x, v: reciprocal(add(x, 1.0))),
    "log2": _unary(_inc(torch.log2), lambda x, v: reciprocal(mul(x, math.log(2.0)))),
    "log10": _unary(_inc(torch.log10), lambda x, v: reciprocal(mul(x, math.log(10.0)))),
    "sqrt": _unary(_inc(torch.sqrt), lambda x, v: div(0.5, v)),
    "rsqrt": _unary(_dec(torch.rsqrt), lambda x, v: mul(-0.5, pow_(v, 3))),
    "erf": _unary(_inc(torch.erf), lambda x, v: mul(_SQRT_PI_2, exp(neg(square(x))))),
    "erfc": _unary(_dec(torch.erfc), lambda x, v: mul(-_SQRT_PI_2, exp(neg(square(x))))),
    "erfcx": _unary(_dec(torch.special.erfcx), lambda x, v: sub(mul(mul(2.0, x), v), _SQRT_PI_2)),
    "erfinv": _unary(_inc(torch.erfinv), lambda x, v: mul(math.sqrt(math.pi) / 2, exp(square(v)))),
    "atan": _unary(_inc(torch.atan), lambda x, v: reciprocal(add(1.0, square(x)))),
    "asinh": _unary(_inc(torch.asinh), lambda x, v: _OPS["rsqrt"](add(1.0, square(x)))),
    "atanh": _unary(_inc(torch.atanh), lambda x, v: reciprocal(sub(1.0, square(x)))),
    "asin": _unary(_inc(torch.asin), lambda x, v: _OPS["rsqrt"](sub(1.0, square(x)))),
    "acos": _unary(_dec(torch.acos), lambda x, v: neg(_OPS["rsqrt"](sub(1.0, square(x))))),
    "log_sigmoid": _unary(_inc(F.logsigmoid), lambda x, v: sigmoid(neg(x))),
    "softplus": _unary(_softplus_value, _softplus_deriv),
    "softsign": _unary(_inc(F.softsign), lambda x, v: reciprocal(square(add(1.0, abs_(x))))),
    "ndtr": _unary(_inc(torch.special.ndtr), lambda x, v: _phi(x)),
    "log_ndtr": _unary(_inc(torch.special.log_ndtr), lambda x, v: div(_phi(x), _ndtr(x))),
    "logit": _unary(_inc(torch.logit), lambda x, v: reciprocal(mul(x, sub(1.0, x)))),
    "sinc": _unary(_sinc_value, _bounded_derivative(math.pi / 2)),
    "tanhshrink": _unary(_inc(F.tanhshrink), lambda x, v: square(tanh(x))),
    # continuous piecewise functions: the hull of the pieces' derivatives where undecided
    "relu": _unary(_inc(torch.relu), _where_value(lambda x: gt(x, 0), 1.0, 0.0), ulps=0),
    "relu6": _unary(_inc(F.relu6), _where_value(lambda x: and_(gt(x, 0), lt(x, 6)), 1.0, 0.0), ulps=0),
    "hardtanh": _unary(_inc(F.hardtanh), _where_value(
        lambda x, min_val=-1.0, max_val=1.0: and_(gt(x, min_val), lt(x, max_val)), 1.0, 0.0), ulps=0),
    "hardsigmoid": _unary(_inc(F.hardsigmoid), _where_value(lambda x: lt(abs_(x), 3.0), 1.0 / 6.0, 0.0)),
    "softshrink": _unary(_inc(F.softshrink), _where_value(lambda x, lambd=0.5: gt(abs_(x), lambd), 1.0, 0.0),
                         ulps=0),
    "elu": _unary(_inc(F.elu), _where_value(lambda x, alpha=1.0: gt(x, 0), 1.0,
                                            lambda x, alpha=1.0: mul(alpha, exp(x)))),
    "celu": _unary(_inc(F.celu), _where_value(lambda x, alpha=1.0: gt(x, 0), 1.0,
                                              lambda x, alpha=1.0: exp(div(x, alpha)))),
    "selu": _unary(_inc(F.selu), _where_value(lambda x: gt(x, 0), 1.0507009873554805,
                                              lambda x: mul(_SELU_SCALE_ALPHA, exp(x)))),
    "leaky_relu": _leaky_relu,
    "silu": _silu_like(F.silu, None, _silu_deriv),
    "mish": _silu_like(F.mish, None, _mish_deriv),
    "hardswish": _silu_like(F.hardswish, -1.5, lambda x: where(lt(x, -3.0), 0.0, where(
        gt(x, 3.0), 1.0, add(mul(x, 1.0 / 3.0), 0.5)))),
    "gelu": lambda a, approximate="none": _GELU[approximate](a),
    # piecewise constant, with jumps
    "floor": _unary(_FLOOR_VALUE, None, 0, _next_integer),
    "ceil": _unary(_inc(torch.ceil), None, 0, _next_integer),
    "trunc": _unary(_inc(torch.trunc), None, 0, _next_integer),
    "fix": _unary(_inc(torch.trunc), None, 0, _next_integer),
    "round": _unary(_inc(torch.round), None, 0, lambda lo: torch.floor(lo + 0.5) + 0.5),
    "sign": _unary(_inc(torch.sign), None, 0, torch.zeros_like),
    "sgn": _unary(_inc(torch.sign), None, 0, torch.zeros_like),
    "heaviside": _unary(_inc(torch.heaviside), None, 0, torch.zeros_like),
    "hardshrink": _unary(_inc(F.hardshrink), lambda x, v, lambd=0.5: where(
        gt(abs_(x), lambd), 1.0, where(lt(abs_(x), lambd), 0.0, Interval(_NEG_INF, _POS_INF)))),
    # not monotone, several arguments
    "hypot": hypot, "atan2": atan2, "arctan2": atan2, "logaddexp": logaddexp, "minimum": minimum,
    "maximum": maximum, "fmin": minimum, "fmax": maximum, "clamp": clamp, "clip": clamp,
    "clamp_min": lambda a, m: clamp(a, min=m), "clamp_max": lambda a, m: clamp(a, max=m), "where": where,
    "nan_to_num": nan_to_num,
    # conditions
    "gt": gt, "greater": gt, "ge": ge, "greater_equal": ge, "lt": lt, "less": lt, "le": le,
    "less_equal": le, "eq": eq, "ne": ne, "not_equal": ne, "logical_and": and_, "and": and_,
    "bitwise_and": and_, "logical_or": or_, "or": or_, "bitwise_or": or_, "logical_not": not_,
    "bitwise_not": not_, "invert": not_, "logical_xor": xor, "xor": xor, "isnan": isnan, "isinf": isinf,
    "isfinite": isfinite, "signbit": signbit,
    # shapes, reductions, casts, constructors
    "getitem": _getitem, "unsqueeze": _shape_op("unsqueeze"), "squeeze": _shape_op("squeeze"),
    "reshape": _shape_op("reshape"), "view": _shape_op("view"), "expand": _shape_op("expand"),
    "flatten": _shape_op("flatten"), "expand_as": _shape_op("expand_as"),
    "broadcast_to": _shape_op("broadcast_to"), "sum": sum_, "amax": _reduce("amax"), "amin": _reduce("amin"),
    "to": _to, "type_as": lambda a, o: _cast(a, o.dtype), "float": lambda a: _cast(a, DTYPE),
    "double": lambda a: _cast(a, DTYPE), "long": lambda a: _cast(a, torch.long),
    "int": lambda a: _cast(a, torch.int32), "bool": lambda a: _cast(a, torch.bool), "detach": _same,
    "clone": _same, "contiguous": _same, "requires_grad_": _same, "zeros_like": _like(torch.zeros_like),
    "ones_like": _like(torch.ones_like), "full_like": _like(torch.full_like),
    "empty_like": _like(torch.zeros_like),
    "new_zeros": _new("new_zeros"), "new_ones": _new("new_ones"), "new_full": _new("new_full"),
    "new_tensor": _new("new_tensor"), "stack": _joined(torch.stack), "cat": _joined(torch.cat),
}
_OPS["arctan"], _OPS["arcsinh"], _OPS["arctanh"] = _OPS["atan"], _OPS["asinh"], _OPS["atanh"]
_OPS["logsigmoid"] = _OPS["log_sigmoid"]

_REFLECTED = {"__radd__": add, "__rsub__": sub, "__rmul__": mul, "__rtruediv__": div, "__rdiv__": div,
              "__rpow__": pow_, "__rand__": and_, "__ror__": or_, "__rxor__": xor}
_DUNDER = {"truediv": "div", "and": "and", "or": "or", "xor": "xor", "invert": "invert"}


def dispatch(func: Any, args: tuple, kwargs: dict) -> Any:
    """Apply the interval extension of ``func`` (a torch function or Tensor method)."""
    fname = getattr(func, "__name__", "") or ""
    if fname in _REFLECTED:  # Tensor.__rsub__(self, other) is other - self
        return _REFLECTED[fname](args[1], args[0])
    if fname == "__floordiv__":
        return div(args[0], args[1], rounding_mode="floor")
    if fname.startswith("__") and fname.endswith("__"):
        name = _DUNDER.get(fname[2:-2], fname[2:-2])
    else:
        name = fname.removeprefix("special_")
    op = _OPS.get(name)
    if op is None:
        module = getattr(func, "__module__", None) or ""
        qual = getattr(func, "__qualname__", fname)
        raise UnsupportedOperation(f"{module}.{qual} has no interval extension")
    return op(*args, **kwargs)


class Enclosure(NamedTuple):
    """Bounds of f and f' on each interval; ``split``: a branch threshold inside it (NaN: none)."""

    lo: Tensor
    hi: Tensor
    dlo: Tensor | None
    dhi: Tensor | None
    split: Tensor | None


def enclose(fn: Callable[..., Any], lo: Tensor, hi: Tensor, params: dict[str, Any], derivative: bool = False,
            splits: bool = False) -> Enclosure:
    """Rigorous bounds with ``lo' ≤ fn(x) ≤ hi'`` (and, with ``derivative``, ``dlo ≤ fn'(x) ≤ dhi``, where
    fn is differentiable; unbounded where it may jump) for every x in [lo, hi], elementwise.

    ``lo`` and ``hi`` are float64 tensors of one shape; ``params`` the activation's resolved
    parameters. With ``splits`` it also returns, per interval, an input value at which a branch
    condition of the formula changes inside it (NaN where none was found). Raises
    :class:`UnsupportedOperation` if the formula uses an operation without an interval extension."""
    one = torch.ones_like(lo)
    split = None
    with torch.no_grad(), warnings.catch_warnings():
        # torch warns when a table is indexed by an object with __getitem__ (an interval index)
        warnings.filterwarnings("ignore", message="Using a non-tuple sequence")
        _CTX.lo, _CTX.hi = lo, hi
        if splits:
            _CTX.split = torch.full_like(lo, math.nan)
        try:
            x = Interval(lo, hi, (one, one) if derivative else None, _ROOT)
            out = fn(x, **params)
        finally:
            split, _CTX.lo, _CTX.hi, _CTX.split = _CTX.split, None, None, None
    if isinstance(out, Condition):
        out = _step(_cast(out, DTYPE), out)
    if not isinstance(out, Interval):  # a constant function
        t = torch.as_tensor(out, dtype=DTYPE).expand(lo.shape).clone()
        out = Interval(_down(t), _up(t))
    flo, fhi = torch.broadcast_tensors(out.lo.to(DTYPE), out.hi.to(DTYPE), lo)[:2]
    flo = torch.where(torch.isnan(flo), -INF, flo)
    fhi = torch.where(torch.isnan(fhi), INF, fhi)
    dlo = dhi = None
    if derivative:
        if out.d is None:
            dlo = dhi = torch.zeros_like(lo)
        else:
            dlo, dhi = torch.broadcast_tensors(out.d[0], out.d[1], lo)[:2]
            dlo = torch.where(torch.isnan(dlo), -INF, dlo)
            dhi = torch.where(torch.isnan(dhi), INF, dhi)
    return Enclosure(flo, fhi, dlo, dhi, split if splits else None)
