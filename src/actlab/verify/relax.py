r"""Sound linear relaxations of every catalog activation: :func:`linear_bounds`.

For an interval :math:`[l, u]` the relaxation is a pair of lines with

.. math:: a_l x + b_l \;\le\; f(x) \;\le\; a_u x + b_u \qquad \text{for all } x \in [l, u].

**Slopes** (tightness). The area between the lines is
:math:`\int_l^u (a_u x + b_u) - (a_l x + b_l)\,dx = (u - l)\,(U(m) - L(m))` with :math:`m = (l+u)/2`,
so the lower line of least area is the one that is highest at the midpoint, i.e. a supporting line of
the lower convex envelope of f on [l, u] at m (and the upper line one of the upper concave envelope).
Where f is convex on [l, u] that is the tangent at m; where f is concave, the chord; for ReLU it is
the usual choice (slope 1 if u > -l, else 0); for S-shaped or bump functions the line through the
right tangent point. The slopes are found from f's values on the interval (the envelope of a dense
sample, refined around its supporting pair); this choice affects only the tightness.

**Intercepts** (soundness). Given a slope a, the intercept is a rigorous bound on
:math:`\min_{x \in [l,u]} f(x) - a x` (and on the max for the upper line), never a sampled one:
:func:`actlab.verify.interval.enclose` runs the spec's own formula in interval arithmetic, which
encloses f on every cell of a partition of [l, u] (with f's declared kinks as cell boundaries);
branch and bound refines the cells that decide the bound until the rigorous bound is within a
relative 1e-9 of the best sampled value, and cells that have shrunk to a few floating-point numbers
are evaluated at each of them. The intercepts are then moved outward by a few ulps of the line's
magnitude, so the inequality holds for f as torch evaluates it in float64 at every float64 x in
[l, u]. Where no finite bound is proven (f overflows on the interval), the intercept is infinite.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import torch

from actlab.catalog.registry import lookup
from actlab.catalog.spec import ActivationSpec
from actlab.verify.interval import enclose

Tensor = torch.Tensor
DTYPE = torch.float64
_EPS = 2.0**-52


@dataclass(frozen=True)
class LinearBounds:
    r"""Lines :math:`a_l x + b_l \le f(x) \le a_u x + b_u` on ``[lower, upper]`` (float64 tensors).

    Unpacks as ``a_l, b_l, a_u, b_u = linear_bounds(...)``.
    """

    a_l: Tensor
    b_l: Tensor
    a_u: Tensor
    b_u: Tensor
    lower: Tensor
    upper: Tensor
    name: str = ""

    def __iter__(self):
        return iter((self.a_l, self.b_l, self.a_u, self.b_u))

    def lower_line(self, x: Tensor) -> Tensor:
        return self.a_l * x + self.b_l

    def upper_line(self, x: Tensor) -> Tensor:
        return self.a_u * x + self.b_u

    @property
    def area(self) -> Tensor:
        r""":math:`\int_l^u (a_u - a_l) x + (b_u - b_l)\,dx`, the relaxation's area (0 for a point)."""
        w = self.upper - self.lower
        m = (self.upper + self.lower) / 2
        return w * ((self.a_u - self.a_l) * m + (self.b_u - self.b_l))

    @property
    def gap(self) -> Tensor:
        """The largest vertical distance between the two lines on the interval."""
        d = self.a_u - self.a_l
        db = self.b_u - self.b_l
        return torch.maximum(d * self.lower + db, d * self.upper + db)


def linear_bounds(name: str | ActivationSpec, lower: Any, upper: Any, **params: Any) -> LinearBounds:
    r"""Sound linear lower and upper bounds of activation ``name`` on ``[lower, upper]``, elementwise.

    Args:
        name: a catalog name (or spec) of an elementwise activation.
        lower, upper: interval ends (numbers or tensors of broadcastable shapes, finite, lower ≤ upper).
        **params: the activation's parameters (validated as by :func:`actlab.get`). A scalar
            parameter may be a tensor broadcastable to the intervals' shape (one value per element,
            e.g. a learned per-channel slope).

    Returns:
        :class:`LinearBounds` ``(a_l, b_l, a_u, b_u)`` in float64 with
        :math:`a_l x + b_l \le f(x) \le a_u x + b_u` for every x in [lower, upper] (see the module
        docstring for how the slopes are chosen and the intercepts proven).

    Raises ``ValueError`` if ``lower > upper`` anywhere, an end is not finite, or the activation is
    not elementwise; :class:`actlab.UnknownActivationError` for an unknown name; ``TypeError`` /
    ``ValueError`` for bad parameters.
    """
    spec, resolved = _resolve(name, params)
    lo, hi = _check_interval(lower, upper)
    shape = lo.shape
    flat_params, per_elem = _flatten_params(spec, resolved, shape)
    lo_f, hi_f = lo.reshape(-1), hi.reshape(-1)
    a_l, a_u = envelope_slopes(spec, flat_params, lo_f, hi_f, per_elem)
    b_l, b_u = certified_intercepts(spec, flat_params, lo_f, hi_f, a_l, a_u, per_elem)
    r = lambda t: t.reshape(shape)  # noqa: E731
    return LinearBounds(r(a_l), r(b_l), r(a_u), r(b_u), lo, hi, spec.name)


def value_bounds(spec: ActivationSpec, params: dict[str, Any], lower: Tensor,
                 upper: Tensor) -> tuple[Tensor, Tensor]:
    """Rigorous ``(min f, max f)`` over each interval (the relaxation with slopes 0), float64.

    ``params`` are resolved parameters; tensor parameters must broadcast to ``lower``'s shape."""
    lo, hi = _check_interval(lower, upper)
    shape = lo.shape
    flat_params, per_elem = _flatten_params(spec, params, shape)
    zero = torch.zeros(lo.numel(), dtype=DTYPE)
    b_l, b_u = certified_intercepts(spec, flat_params, lo.reshape(-1), hi.reshape(-1), zero, zero, per_elem)
    return b_l.reshape(shape), b_u.reshape(shape)


# ------------------------------------------------------------------------------------- checks


def _resolve(name: str | ActivationSpec, params: dict[str, Any]) -> tuple[ActivationSpec, dict[str, Any]]:
    spec = lookup(name)
    if not spec.elementwise:
        raise ValueError(f"{spec.name}: linear bounds are defined for elementwise activations only "
                         "(its output depends on other elements)")
    return spec, spec.resolve_params(params)


def _check_interval(lower: Any, upper: Any) -> tuple[Tensor, Tensor]:
    lo = torch.as_tensor(lower).detach().to(DTYPE)
    hi = torch.as_tensor(upper).detach().to(DTYPE)
    lo, hi = torch.broadcast_tensors(lo, hi)
    if not bool(torch.isfinite(lo).all()):
        raise ValueError("lower must be finite (no NaN or inf)")
    if not bool(torch.isfinite(hi).all()):
        raise ValueError("upper must be finite (no NaN or inf)")
    if bool((lo > hi).any()):
        i = int((lo > hi).reshape(-1).nonzero()[0, 0])
        raise ValueError(f"lower must be <= upper elementwise; at flat index {i}: "
                         f"lower = {float(lo.reshape(-1)[i])!r} > upper = {float(hi.reshape(-1)[i])!r}")
    return lo.contiguous(), hi.contiguous()


def _flatten_params(spec: ActivationSpec, params: dict[str, Any],
                    shape: torch.Size) -> tuple[dict[str, Any], frozenset[str]]:
    """Scalar parameters given as tensors become flat per-element tensors (shape (n,)); returns them
    and the names of the per-element ones."""
    out, per_elem = dict(params), set()
    for p in spec.params:
        v = params.get(p.name)
        if p.kind == "vector" or not isinstance(v, Tensor):
            continue
        v = v.detach().to(DTYPE)
        if v.numel() == 1:
            out[p.name] = v.reshape(())
            continue
        try:
            out[p.name] = torch.broadcast_to(v, shape).reshape(-1)
        except RuntimeError:
            raise ValueError(f"{spec.name}: parameter {p.name!r} of shape {tuple(v.shape)} does not "
                             f"broadcast to the intervals' shape {tuple(shape)}") from None
        per_elem.add(p.name)
    return out, frozenset(per_elem)


def _rows(params: dict[str, Any], index: Tensor, per_elem: frozenset[str]) -> dict[str, Any]:
    """Parameters for a subset of rows, the per-element ones shaped (rows, 1) to broadcast against
    (rows, cells)."""
    if not per_elem:
        return params
    out = dict(params)
    for k in per_elem:
        out[k] = params[k][index][:, None]
    return out


def _kinks(spec: ActivationSpec, params: dict[str, Any]) -> list[float]:
    try:
        ks = spec.kinks(params)
        return [float(k) for k in ks if math.isfinite(float(k))]
    except Exception:  # tensor-valued parameters: the partition then has no kink boundaries
        return []


def _eval(spec: ActivationSpec, params: dict[str, Any], x: Tensor) -> Tensor:
    with torch.no_grad():
        return spec.fn(x, **params).to(DTYPE)


# ------------------------------------------------------------------------------------- slopes


_SAMPLES = 33
_DENSE = 257
_REFINE = 4
_CHUNK = 4096


def envelope_slopes(spec: ActivationSpec, params: dict[str, Any], lo: Tensor, hi: Tensor,
                    per_elem: frozenset[str] = frozenset()) -> tuple[Tensor, Tensor]:
    """Slopes of the supporting lines of f's lower convex / upper concave envelope at the midpoint,
    estimated from samples (tightness only; soundness comes from the intercepts)."""
    a_l = torch.zeros_like(lo)
    a_u = torch.zeros_like(lo)
    kinks = torch.tensor(_kinks(spec, params), dtype=DTYPE)
    for start in range(0, lo.numel(), _CHUNK):
        idx = torch.arange(start, min(start + _CHUNK, lo.numel()))
        p = _rows(params, idx, per_elem)
        a_l[idx], a_u[idx] = _slopes_chunk(spec, p, lo[idx], hi[idx], kinks)
    return a_l, a_u


def _slopes_chunk(spec: ActivationSpec, params: dict[str, Any], lo: Tensor, hi: Tensor,
                  kinks: Tensor) -> tuple[Tensor, Tensor]:
    m = (lo + hi) / 2
    t = torch.linspace(0.0, 1.0, _SAMPLES, dtype=DTYPE)
    dense = lo[:, None] + (hi - lo)[:, None] * torch.linspace(0.0, 1.0, _DENSE, dtype=DTYPE)
    x = lo[:, None] + (hi - lo)[:, None] * t
    x[:, -1] = hi
    if kinks.numel():
        x = torch.cat([x, torch.minimum(torch.maximum(kinks[None, :], lo[:, None]), hi[:, None])], dim=1)
    x = torch.cat([x, m[:, None]], dim=1)
    y = _eval(spec, params, x)
    xd = torch.cat([x, dense], dim=1)
    yd = torch.cat([y, _eval(spec, params, dense)], dim=1)
    out = []
    for side in (1.0, -1.0):
        slope, xi, xj = _support(x, y, m, side)
        h = (hi - lo) / (_SAMPLES - 1)
        for _ in range(_REFINE):
            s = torch.linspace(-1.0, 1.0, 9, dtype=DTYPE)
            left = torch.minimum(torch.maximum(xi[:, None] + h[:, None] * s, lo[:, None]), m[:, None])
            right = torch.minimum(torch.maximum(xj[:, None] + h[:, None] * s, m[:, None]), hi[:, None])
            xs = torch.cat([left, right], dim=1)
            ys = _eval(spec, params, xs)
            slope, xi, xj = _support(xs, ys, m, side)
            h = h / 4
        out.append(_or_flat(slope, side, xd, yd, m))
    return out[0], out[1]


def _or_flat(slope: Tensor, side: float, x: Tensor, y: Tensor, m: Tensor) -> Tensor:
    """The envelope slope, or 0 where the constant line is better on the samples (a function that
    oscillates faster than the samples resolve: its sampled envelope is not the true one)."""
    def height(a: Tensor) -> Tensor:  # the sampled line's height at m (higher is better for side 1)
        g = side * (y - a[:, None] * x)
        g = torch.where(torch.isnan(g), math.inf, g)
        return side * (a * m) + g.min(dim=1).values
    flat = height(torch.zeros_like(slope)) > height(slope)
    return torch.where(flat, 0.0, slope)


def _support(x: Tensor, y: Tensor, m: Tensor, side: float) -> tuple[Tensor, Tensor, Tensor]:
    """The pair (x_i < m < x_j) whose chord is lowest (side=1) / highest (side=-1) at m."""
    mm = m[:, None, None]
    xi, xj = x[:, :, None], x[:, None, :]
    yi, yj = y[:, :, None], y[:, None, :]
    finite = torch.isfinite(yi) & torch.isfinite(yj)
    # either side of m, by a margin: a pair ending at (or a rounding error from) m has the value f(m)
    # whatever its slope
    gap = 1e-6 * (x.amax(dim=1) - x.amin(dim=1))[:, None, None]
    valid = (xi < mm - gap) & (xj > mm + gap) & finite
    dx = torch.where(valid, xj - xi, 1.0)
    val = (yi * (xj - mm) + yj * (mm - xi)) / dx
    val = torch.where(valid, side * val, math.inf)
    flat = val.reshape(val.shape[0], -1)
    k = flat.argmin(dim=1)
    n = x.shape[1]
    i, j = k // n, k % n
    rows = torch.arange(x.shape[0])
    ok = torch.isfinite(flat[rows, k])
    x_i, x_j = x[rows, i], x[rows, j]
    slope = torch.where(ok, (y[rows, j] - y[rows, i]) / torch.where(ok, x_j - x_i, 1.0), 0.0)
    slope = torch.where(torch.isfinite(slope), slope, 0.0)
    return slope, torch.where(ok, x_i, m), torch.where(ok, x_j, m)


# ------------------------------------------------------------------------------------- intercepts

_CELLS = 32
_KEEP = 32
_CARRY = 224
_SPLIT = 8
_ROUNDS = 40
_RTOL = 1e-9


def _ordinal(x: Tensor) -> Tensor:
    """float64 → int64 preserving order (adjacent floats differ by 1; ±0 map to 0)."""
    i = x.view(torch.int64)
    return torch.where(i < 0, -(i & 0x7FFFFFFFFFFFFFFF), i)


def _from_ordinal(o: Tensor) -> Tensor:
    return torch.where(o < 0, (-o) | torch.tensor(-0x8000000000000000, dtype=torch.int64), o).view(DTYPE)


def _split(clo: Tensor, chi: Tensor, at: Tensor) -> tuple[Tensor, Tensor]:
    """Each cell [c, d] → _SPLIT + 1 sub-cells covering every float64 in it.

    Where ``at`` (a branch threshold inside the cell) is not NaN: the 7 floats nearest to it as point
    cells and the two cells either side; else equal parts, or, for a cell holding at most
    _SPLIT + 1 floats, those floats as point cells."""
    k = torch.arange(_SPLIT + 1, dtype=DTYPE)
    pts = clo[..., None] + (chi - clo)[..., None] * (k / _SPLIT)
    pts[..., 0], pts[..., -1] = clo, chi
    pts = torch.cummax(torch.minimum(torch.maximum(pts, clo[..., None]), chi[..., None]), dim=-1).values
    sub_lo = torch.cat([pts[..., :-1], pts[..., -1:]], dim=-1)
    sub_hi = torch.cat([pts[..., 1:], pts[..., -1:]], dim=-1)
    olo, ohi = _ordinal(clo), _ordinal(chi)
    # point cells: the floats of a small cell, or the 7 floats around a threshold
    steps = torch.arange(_SPLIT + 1, dtype=torch.int64)
    few = (ohi - olo) <= _SPLIT
    pt = _from_ordinal(torch.minimum(olo[..., None] + steps, ohi[..., None]))
    sub_lo = torch.where(few[..., None], pt, sub_lo)
    sub_hi = torch.where(few[..., None], pt, sub_hi)
    thr = ~few & ~torch.isnan(at)
    if bool(thr.any()):
        ot = _ordinal(torch.nan_to_num(at)).clamp(olo, ohi)
        near = ot[..., None] + torch.arange(-3, 4)
        near = _from_ordinal(torch.minimum(torch.maximum(near, olo[..., None]), ohi[..., None]))
        left_hi = _from_ordinal(torch.maximum(ot - 4, olo))
        right_lo = _from_ordinal(torch.minimum(ot + 4, ohi))
        t_lo = torch.cat([clo[..., None], near, right_lo[..., None]], dim=-1)
        t_hi = torch.cat([left_hi[..., None], near, chi[..., None]], dim=-1)
        sub_lo = torch.where(thr[..., None], t_lo, sub_lo)
        sub_hi = torch.where(thr[..., None], t_hi, sub_hi)
    return sub_lo, sub_hi


def _cell_bounds(spec: ActivationSpec, p: dict[str, Any], clo: Tensor, chi: Tensor, a: Tensor,
                 s: Tensor) -> tuple[Tensor, Tensor, Tensor]:
    r"""Rigorous lower bounds of :math:`g(x) = s\,(f(x) - a x)` on each cell [c, d].

    The largest of three valid bounds: :math:`\min s f(X) - \max s a X` (the value enclosure), and
    the mean-value bounds :math:`g(c) + \min(0, G)\,(d - c)` and :math:`g(d) - \max(0, G)\,(d - c)`
    with :math:`G \supseteq s (f'(X) - a)` and g(c), g(d) enclosed at the points. A cell of one
    float is its value as torch computes it. Also returns the cells' branch thresholds and f(c)."""
    n = clo.shape[1]
    enc = enclose(spec.fn, torch.cat([clo, clo, chi], 1), torch.cat([chi, clo, chi], 1), p,
                  derivative=True, splits=True)
    flo, fhi = enc.lo[:, :n], enc.hi[:, :n]
    dlo, dhi = enc.dlo[:, :n], enc.dhi[:, :n]
    pc_lo, pc_hi = enc.lo[:, n:2 * n], enc.hi[:, n:2 * n]
    pd_lo, pd_hi = enc.lo[:, 2 * n:], enc.hi[:, 2 * n:]
    fv = _eval(spec, p, clo)
    h = chi - clo
    pos = s > 0
    plain = torch.where(pos, flo, -fhi) - torch.maximum(s * a * clo, s * a * chi)
    g_c = torch.where(pos, pc_lo, -pc_hi) - s * a * clo
    g_d = torch.where(pos, pd_lo, -pd_hi) - s * a * chi
    g_lo = torch.where(pos, dlo - a, a - dhi)
    g_hi = torch.where(pos, dhi - a, a - dlo)
    left = g_c + torch.clamp(g_lo, max=0.0) * h
    right = g_d - torch.clamp(g_hi, min=0.0) * h
    lb = torch.maximum(plain, torch.maximum(left.nan_to_num(nan=-math.inf), right.nan_to_num(nan=-math.inf)))
    lb = torch.where(torch.isnan(lb), -math.inf, lb)
    # a cell of one float: its value as torch computes it (exactly what the claim is about)
    point = torch.where(pos, fv.nan_to_num(nan=-math.inf), (-fv).nan_to_num(nan=-math.inf)) - s * a * clo
    lb = torch.where(h == 0, point, lb)
    return lb, enc.split[:, :n], fv


def certified_intercepts(spec: ActivationSpec, params: dict[str, Any], lo: Tensor, hi: Tensor,
                         a_l: Tensor, a_u: Tensor,
                         per_elem: frozenset[str] = frozenset()) -> tuple[Tensor, Tensor]:
    r"""Rigorous :math:`b_l \le \min_{[l,u]} f(x) - a_l x` and :math:`b_u \ge \max_{[l,u]} f(x) - a_u x`.

    Branch and bound over interval enclosures (see the module docstring); 1-D float64 inputs."""
    n = lo.numel()
    # rows 0..n-1: min of f - a_l x; rows n..2n-1: min of -(f - a_u x)
    rlo, rhi = torch.cat([lo, lo]), torch.cat([hi, hi])
    slope = torch.cat([a_l, a_u])
    sign = torch.cat([torch.ones(n, dtype=DTYPE), -torch.ones(n, dtype=DTYPE)])
    elem = torch.cat([torch.arange(n), torch.arange(n)])
    kinks = torch.tensor(_kinks(spec, params), dtype=DTYPE)

    # the initial partition: equal cells, with the kinks inside each interval as extra boundaries
    t = torch.linspace(0.0, 1.0, _CELLS + 1, dtype=DTYPE)
    b = rlo[:, None] + (rhi - rlo)[:, None] * t
    b[:, 0], b[:, -1] = rlo, rhi
    if kinks.numel():
        b = torch.cat([b, torch.minimum(torch.maximum(kinks[None, :], rlo[:, None]), rhi[:, None])], dim=1)
        b = b.sort(dim=1).values
    clo, chi = b[:, :-1].contiguous(), b[:, 1:].contiguous()

    best = torch.full((2 * n,), math.inf, dtype=DTYPE)  # rigorous lower bound of the discarded cells
    sampled = torch.full((2 * n,), math.inf, dtype=DTYPE)  # best value seen (an upper bound of the min)
    active = torch.arange(2 * n)
    result = torch.full((2 * n,), -math.inf, dtype=DTYPE)
    fscale = torch.zeros(2 * n, dtype=DTYPE)  # the largest |f| seen, for the rounding margin
    for _ in range(_ROUNDS):
        e = elem[active]
        p = _rows(params, e, per_elem)
        lb, at, fv = _cell_bounds(spec, p, clo, chi, slope[active, None], sign[active, None])
        s = sign[active, None]
        a = slope[active, None]
        # sampled values at the cell ends (not rigorous: only to decide when to stop)
        sv = s * (fv - a * clo)
        sv = torch.where(torch.isnan(sv), math.inf, sv)
        sampled[active] = torch.minimum(sampled[active], sv.min(dim=1).values)
        fscale[active] = torch.maximum(fscale[active], fv.abs().nan_to_num(nan=0.0, posinf=0.0).amax(dim=1))
        cell_min = lb.min(dim=1).values
        bound = torch.minimum(best[active], cell_min)
        scale = 1.0 + sampled[active].abs().nan_to_num(posinf=0.0) + (a[:, 0].abs() * torch.maximum(
            rlo[active].abs(), rhi[active].abs()))
        done = (sampled[active] - bound <= _RTOL * scale) | (best[active] <= cell_min) \
            | torch.isneginf(sampled[active])
        result[active] = torch.maximum(result[active], bound)  # each round's bound is valid
        keep = ~done
        if not bool(keep.any()):
            break
        active, clo, chi, lb, at = active[keep], clo[keep], chi[keep], lb[keep], at[keep]
        target = (sampled[active] - _RTOL * scale[keep])[:, None]
        # the cells whose bound is below the target need work: the smallest _KEEP are split, the next
        # (up to _CARRY) are carried over unsplit to a later round; the others are settled at their
        # bound (which stops the row if it is the binding one)
        need = int((lb < target).sum(dim=1).max())
        k = min(max(need, 1), _KEEP, lb.shape[1])
        m = min(max(need - k, 0), _CARRY, lb.shape[1] - k)
        order = lb.argsort(dim=1)
        kept, carry, rest = order[:, :k], order[:, k:k + m], order[:, k + m:]
        if rest.shape[1]:
            best[active] = torch.minimum(best[active], lb.gather(1, rest).min(dim=1).values)
        clo_s, chi_s = _split(clo.gather(1, kept), chi.gather(1, kept), at.gather(1, kept))
        n_rows = len(active)
        clo = torch.cat([clo_s.reshape(n_rows, -1), clo.gather(1, carry)], dim=1)
        chi = torch.cat([chi_s.reshape(n_rows, -1), chi.gather(1, carry)], dim=1)
    b_l, b_u = result[:n], -result[n:]
    # the bounds hold for f in real arithmetic; torch's float64 evaluation of f and of a x + b differ
    # from it by rounding: move the intercepts out by a few ulps of the magnitudes involved
    x_mag = torch.maximum(lo.abs(), hi.abs())
    f_mag = torch.maximum(fscale[:n], fscale[n:])
    b_l = b_l - 16 * _EPS * (b_l.abs() + a_l.abs() * x_mag + f_mag) - 1e-300
    b_u = b_u + 16 * _EPS * (b_u.abs() + a_u.abs() * x_mag + f_mag) + 1e-300
    b_l = torch.where(torch.isnan(b_l), -math.inf, b_l)
    b_u = torch.where(torch.isnan(b_u), math.inf, b_u)
    return b_l, b_u
