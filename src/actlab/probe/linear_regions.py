r"""Activation patterns and linear regions of a network: :func:`linear_regions`.

A network with piecewise-linear (PWL) activations is affine on each *activation region*: a set of
inputs on which every unit stays on one linear piece of its activation (for ReLU: on or off). The
tuple of piece indices is the input's *activation pattern*, a code of the input ("Neural networks
behave as hash encoders", He et al. 2021); how densely regions cover a segment or a plane through the
data is what "Effects of Data Geometry in Early Deep Learning" (Cohan et al. 2022) and "The Space
Between" (Lewis et al. 2023) measure.

- ``line=(x0, x1)``: the regions the segment x0 + t (x1 - x0), t ∈ [0, 1], crosses.
- ``plane=(origin, u, v)``: the regions of the parallelogram origin + s u + t v, s, t ∈ [0, 1].
- ``points=X``: the activation pattern of every input, with the hash-encoder measures.

**Exact for PWL networks** (any catalog activation whose computed ``piecewise_linear`` property holds,
the pieces bounded by the spec's ``kinks``): restricted to the segment (plane) the network is affine
on each piece of a partition of [0, 1] (of the unit square into convex polygons); going layer by layer,
each piece is split where a unit's pre-activation, affine there, crosses one of its activation's
kinks (exactly, by solving the linear equation), and the unit's output on each sub-piece is the
activation's affine piece (its slope and intercept read off the spec's function between the kinks).
The count is the number of final pieces with distinct patterns of their neighbours merged; no sampling.

**ε-patterns for smooth activations**: a smooth activation has no linear pieces; its ε-pieces are
those of the coarsest piecewise-linear interpolant of f within ε of it (``eps``, stated in the result)
over the pre-activations met; the pattern is the tuple of ε-piece indices, evaluated on a grid of
``resolution`` points (per side for a plane), and the count is the number of runs along the segment
(of distinct patterns on the plane). This is a sampled count, and says so.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, field
from typing import Any

import torch
from torch import nn

from actlab.catalog.properties import properties
from actlab.catalog.spec import ActivationSpec
from actlab.verify.propagate import ActivationLayer, sequential_layers

Tensor = torch.Tensor
DTYPE = torch.float64


# ------------------------------------------------------------------------------------- results


@dataclass
class RegionReport:
    """Linear regions along a segment or on a plane.

    ``count``: regions (exact) or ε-pattern runs/patterns (sampled); ``mode``: ``"exact"`` or
    ``"epsilon"`` (then ``eps`` and ``resolution`` say how it was counted); ``size``: the segment's
    length or the parallelogram's area in input space; ``density``: ``count / size``;
    ``breakpoints``: for a segment, the t ∈ (0, 1) where the pattern changes."""

    count: int
    mode: str
    kind: str
    size: float
    eps: float | None = None
    resolution: int | None = None
    breakpoints: Tensor | None = None

    @property
    def density(self) -> float:
        return self.count / self.size if self.size > 0 else math.inf


@dataclass
class PatternReport:
    """Activation patterns of a batch of inputs (the hash-encoder measures).

    ``codes``: one row per input, the piece index of every unit (for ReLU 0/1), int16.
    ``n_unique``: distinct codes. ``collision_rate``: 1 - n_unique / n, the share of inputs that
    add no new code (the "redundancy ratio" of He et al. as we read it). ``shared``: the share of
    inputs whose code another input also has. ``nearest_distance``: the mean, over inputs, of the
    normalised Hamming distance (share of units in a different piece) to the nearest other input's
    code. With ``labels``: ``within_class``/``between_class`` mean pairwise distances."""

    codes: Tensor
    mode: str
    eps: float | None
    n_unique: int
    collision_rate: float
    shared: float
    nearest_distance: float
    within_class: float | None = None
    between_class: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def pattern_distance(a: Tensor, b: Tensor) -> Tensor:
    """Normalised Hamming distance between activation codes: the share of units in different pieces.

    ``a`` (n, u) and ``b`` (m, u) give an (n, m) matrix."""
    if a.shape[-1] != b.shape[-1]:
        raise ValueError(f"codes have {a.shape[-1]} and {b.shape[-1]} units; they must match")
    return (a[:, None, :] != b[None, :, :]).to(DTYPE).mean(dim=-1)


# ------------------------------------------------------------------------------------- activations as pieces


@dataclass
class _Pieces:
    """An activation as linear pieces: boundaries (the kinks, or ε-knots) and, for a PWL activation,
    slope and intercept of each piece per unit."""

    knots: Tensor  # (K,)
    slope: Tensor | None = None  # (K + 1, *unit_shape)
    intercept: Tensor | None = None

    def index(self, z: Tensor) -> Tensor:
        """The piece each value lies in (0 … K), boundaries belonging to the piece on their right."""
        return torch.bucketize(z, self.knots, right=True)


def _is_pwl(spec: ActivationSpec, params: dict[str, Any]) -> bool:
    scalar = {k: v for k, v in params.items() if not isinstance(v, Tensor)}
    if len(scalar) != len(params):  # learned (tensor) parameters: check at the default values
        scalar = {k: v for k, v in spec.defaults.items() if k not in scalar} | scalar
    try:
        return bool(properties(spec, **scalar).piecewise_linear)
    except (TypeError, ValueError):
        return False


def _pwl_pieces(act: ActivationLayer, unit_shape: tuple[int, ...]) -> _Pieces:
    like = torch.zeros((1, *unit_shape), dtype=DTYPE)
    params = act.params(like)
    try:
        knots = sorted({float(k) for k in act.spec.kinks(act.spec.resolve_params(params))})
    except Exception:
        knots = sorted({float(k) for k in act.spec.kinks(act.spec.defaults)})
    k = torch.tensor(knots, dtype=DTYPE)
    # two points inside every piece (the outer pieces extend to ±∞)
    edges = [knots[0] - 2.0] + knots + [knots[-1] + 2.0] if knots else [-1.0, 1.0]
    a = torch.tensor([lo + (hi - lo) / 3 for lo, hi in zip(edges[:-1], edges[1:])], dtype=DTYPE)
    b = torch.tensor([lo + 2 * (hi - lo) / 3 for lo, hi in zip(edges[:-1], edges[1:])], dtype=DTYPE)
    n = len(edges) - 1
    grid = torch.cat([a, b]).reshape(2 * n, *([1] * len(unit_shape))).expand(2 * n, *unit_shape)
    with torch.no_grad():
        y = act.spec.fn(grid, **act.spec.resolve_params(act.params(grid)))
    ya, yb = y[:n], y[n:]
    da = (b - a).reshape(n, *([1] * len(unit_shape)))
    slope = (yb - ya) / da
    intercept = ya - slope * a.reshape(n, *([1] * len(unit_shape)))
    return _Pieces(k, slope, intercept)


def _verified(act: ActivationLayer, pieces: _Pieces, unit_shape: tuple[int, ...]) -> bool:
    """Whether the piece table reproduces the activation (kinks declared, affine between them),
    checked at points across every piece and far out on both sides."""
    knots = pieces.knots.tolist()
    lo, hi = (knots[0], knots[-1]) if knots else (-1.0, 1.0)
    z = torch.cat([torch.linspace(lo - 100.0, hi + 100.0, 2003, dtype=DTYPE),
                   torch.tensor([-1e6, 1e6], dtype=DTYPE)])
    z = z.reshape(-1, *([1] * len(unit_shape))).expand(len(z), *unit_shape)
    with torch.no_grad():
        y = act.spec.fn(z, **act.spec.resolve_params(act.params(z)))
    q = pieces.index(z)
    approx = _take(pieces.slope, q) * z + _take(pieces.intercept, q)
    at_knot = (z[..., None] == pieces.knots).any(dim=-1) if knots else torch.zeros_like(z, dtype=torch.bool)
    ok = ((approx - y).abs() <= 1e-9 * (1 + y.abs())) | at_knot | torch.isnan(y)
    return bool(ok.all())


def _epsilon_knots(spec: ActivationSpec, params: dict[str, Any], lo: float, hi: float, eps: float) -> Tensor:
    """Knots of the coarsest greedy piecewise-linear interpolant of f within ``eps`` on [lo, hi]
    (checked on a grid of 4001 points)."""
    x = torch.linspace(lo, hi, 4001, dtype=DTYPE)
    with torch.no_grad():
        y = spec.fn(x, **params)
    knots, i, n = [], 0, len(x)
    while i < n - 1:
        lo_j, hi_j = i + 1, n - 1
        while lo_j < hi_j:  # the furthest j whose chord from i stays within eps (bisection)
            j = (lo_j + hi_j + 1) // 2
            t = (x[i : j + 1] - x[i]) / (x[j] - x[i])
            chord = y[i] + t * (y[j] - y[i])
            if bool(((y[i : j + 1] - chord).abs() <= eps).all()):
                lo_j = j
            else:
                hi_j = j - 1
        i = lo_j
        if i < n - 1:
            knots.append(float(x[i]))
    return torch.tensor(knots, dtype=DTYPE)


# ------------------------------------------------------------------------------------- exact: segment


def _affine(m: nn.Module, h: Tensor, with_bias: bool) -> Tensor:
    """The layer applied to rows h: the linear part only (``with_bias=False``) or the whole map."""
    with torch.no_grad():
        out = m(h)
        if not with_bias:
            out = out - m(torch.zeros_like(h[:1]))
    return out


def _segment_exact(layers: list[tuple[str, Any]], x0: Tensor, x1: Tensor) -> tuple[int, Tensor]:
    """Exact region count along x0 + t (x1 - x0): pieces (t0, t1) with h = A t + B on each."""
    t0 = torch.zeros(1, dtype=DTYPE)
    t1 = torch.ones(1, dtype=DTYPE)
    a, b = (x1 - x0)[None], x0[None]  # h(t) = a t + b, one row per piece
    patterns: list[Tensor] = []  # per activation layer: (pieces, units) piece indices
    for _, m in layers:
        if not isinstance(m, ActivationLayer):
            a, b = _affine(m, a, False), _affine(m, b, True)
            continue
        unit_shape = tuple(a.shape[1:])
        pieces = _pwl_pieces(m, unit_shape)
        af, bf = a.reshape(len(a), -1), b.reshape(len(b), -1)
        # where a unit's pre-activation crosses a kink inside a piece: t = (k - b) / a
        cuts = [[] for _ in range(len(a))]
        for k in pieces.knots.tolist():
            with torch.no_grad():
                t = (k - bf) / af
            inside = (af != 0) & (t > t0[:, None]) & (t < t1[:, None])
            for r, c in inside.nonzero().tolist():
                cuts[r].append(float(t[r, c]))
        new_t0, new_t1, rows = [], [], []
        for r in range(len(a)):
            ts = sorted(set(cuts[r]))
            bounds = [float(t0[r]), *ts, float(t1[r])]
            for lo_t, hi_t in zip(bounds[:-1], bounds[1:]):
                if hi_t > lo_t:
                    new_t0.append(lo_t)
                    new_t1.append(hi_t)
                    rows.append(r)
        idx = torch.tensor(rows, dtype=torch.long)
        t0, t1 = torch.tensor(new_t0, dtype=DTYPE), torch.tensor(new_t1, dtype=DTYPE)
        a, b = a[idx], b[idx]
        patterns = [p[idx] for p in patterns]
        mid = ((t0 + t1) / 2).reshape(-1, *([1] * len(unit_shape)))
        z = a * mid + b
        q = pieces.index(z)  # (pieces, *unit_shape)
        patterns.append(q.reshape(len(q), -1))
        slope, icpt = _take(pieces.slope, q), _take(pieces.intercept, q)
        a, b = slope * a, slope * b + icpt
    if not patterns:
        return 1, torch.empty(0, dtype=DTYPE)
    code = torch.cat(patterns, dim=1)
    change = (code[1:] != code[:-1]).any(dim=1)
    return int(change.sum()) + 1, t1[:-1][change]


def _take(table: Tensor, q: Tensor) -> Tensor:
    """table[q[i, u], u] for a per-piece table (P, *unit_shape) and indices q (N, *unit_shape)."""
    flat = table.expand(table.shape[0], *q.shape[1:]).reshape(table.shape[0], -1)
    return torch.gather(flat, 0, q.reshape(q.shape[0], -1)).reshape(q.shape)


# ------------------------------------------------------------------------------------- exact: plane


def _clip(poly: Tensor, g: Tensor, keep_positive: bool) -> Tensor | None:
    """The part of a convex polygon (V, 2) where the affine function with vertex values g is ≥ 0
    (or ≤ 0): one Sutherland–Hodgman step."""
    sign = g if keep_positive else -g
    out = []
    v = len(poly)
    for i in range(v):
        p, q = poly[i], poly[(i + 1) % v]
        gp, gq = float(sign[i]), float(sign[(i + 1) % v])
        if gp >= 0:
            out.append(p)
        if (gp > 0 > gq) or (gp < 0 < gq):
            w = gp / (gp - gq)
            out.append(p + w * (q - p))
    if len(out) < 3:
        return None
    return torch.stack(out)


def _area(poly: Tensor) -> float:
    x, y = poly[:, 0], poly[:, 1]
    return 0.5 * abs(float((x * y.roll(-1) - x.roll(-1) * y).sum()))


def _plane_exact(layers: list[tuple[str, Any]], origin: Tensor, u: Tensor, v: Tensor,
                 max_regions: int) -> int:
    """Exact region count on origin + s u + t v, (s, t) ∈ [0, 1]²: convex polygons with
    h = A s + C t + B on each."""
    polys = [torch.tensor([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]], dtype=DTYPE)]
    a, c, b = u[None], v[None], origin[None]
    codes: list[list[Tensor]] = [[]]
    for _, m in layers:
        if not isinstance(m, ActivationLayer):
            a, c, b = _affine(m, a, False), _affine(m, c, False), _affine(m, b, True)
            continue
        unit_shape = tuple(a.shape[1:])
        pieces = _pwl_pieces(m, unit_shape)
        af, cf, bf = a.reshape(len(a), -1), c.reshape(len(c), -1), b.reshape(len(b), -1)
        new_polys, rows = [], []
        for r, poly in enumerate(polys):
            parts = [poly]
            for k in pieces.knots.tolist():
                # values at the polygon's vertices of every unit's pre-activation minus the kink
                g = poly[:, :1] * af[r] + poly[:, 1:] * cf[r] + bf[r] - k  # (V, units)
                cut = ((g > 0).any(dim=0) & (g < 0).any(dim=0)).nonzero()[:, 0].tolist()
                for unit in cut:
                    split = []
                    for p in parts:
                        gp = p[:, 0] * af[r, unit] + p[:, 1] * cf[r, unit] + bf[r, unit] - k
                        if bool((gp > 0).any() and (gp < 0).any()):
                            for side in (True, False):
                                piece = _clip(p, gp, side)
                                if piece is not None and _area(piece) > 1e-18:
                                    split.append(piece)
                        else:
                            split.append(p)
                    parts = split
            new_polys += parts
            rows += [r] * len(parts)
            if len(new_polys) > max_regions:
                raise ValueError(f"more than max_regions={max_regions} regions on the plane; raise it or "
                                 "use a smaller slice")
        idx = torch.tensor(rows, dtype=torch.long)
        polys = new_polys
        a, c, b = a[idx], c[idx], b[idx]
        centre = torch.stack([p.mean(dim=0) for p in polys])
        shape1 = (-1, *([1] * len(unit_shape)))
        z = a * centre[:, 0].reshape(shape1) + c * centre[:, 1].reshape(shape1) + b
        q = pieces.index(z)
        codes = [[*codes[r], q[i].reshape(-1)] for i, r in enumerate(rows)]
        slope, icpt = _take(pieces.slope, q), _take(pieces.intercept, q)
        a, c, b = slope * a, slope * c, slope * b + icpt
    return len({tuple(torch.cat(cd).tolist()) for cd in codes}) if codes and codes[0] else 1


# ------------------------------------------------------------------------------------- ε-patterns (sampled)


def _patterns(layers: list[tuple[str, Any]], x: Tensor, eps: float | None) -> tuple[Tensor, str]:
    """Activation patterns of inputs x: piece indices (PWL activations) or ε-piece indices."""
    h = x
    codes, mode = [], "exact"
    for _, m in layers:
        if not isinstance(m, ActivationLayer):
            with torch.no_grad():
                h = m(h)
            continue
        params = m.params(h)
        pieces = _exact_pieces(m, h)
        if pieces is None:
            mode = "epsilon"
            lo, hi = float(h.min()), float(h.max())
            if hi <= lo:
                hi = lo + 1.0
            scalar = {k: v for k, v in m.spec.resolve_params(params).items()}
            if any(isinstance(v, Tensor) and v.numel() > 1 for v in scalar.values()):
                scalar = m.spec.defaults  # per-unit parameters: ε-pieces of the defaults
            pieces = _Pieces(_epsilon_knots(m.spec, scalar, lo, hi, eps))
        codes.append(pieces.index(h).reshape(len(h), -1))
        with torch.no_grad():
            h = m.spec.fn(h, **m.spec.resolve_params(params))
    if not codes:
        return torch.zeros((len(x), 0), dtype=torch.int16), mode
    return torch.cat(codes, dim=1).to(torch.int16), mode


def _exact_pieces(m: ActivationLayer, h: Tensor) -> _Pieces | None:
    """The activation's linear pieces if it is piecewise linear (its computed property) and its
    declared kinks bound the pieces (checked), else ``None``."""
    if not _is_pwl(m.spec, m.params(h)):
        return None
    pieces = _pwl_pieces(m, tuple(h.shape[1:]))
    return pieces if _verified(m, pieces, tuple(h.shape[1:])) else None


def _all_pwl(layers: list[tuple[str, Any]], x: Tensor) -> bool:
    h = x[:1]
    for _, m in layers:
        if isinstance(m, ActivationLayer):
            if _exact_pieces(m, h) is None:
                return False
            with torch.no_grad():
                h = m.spec.fn(h, **m.spec.resolve_params(m.params(h)))
        else:
            with torch.no_grad():
                h = m(h)
    return True


# ------------------------------------------------------------------------------------- entry point


def _double(model: nn.Module) -> list[tuple[str, Any]]:
    return [(p, copy.deepcopy(m).to(DTYPE) if isinstance(m, nn.Module) else m)
            for p, m in sequential_layers(model)]


def _vector(v: Any, name: str) -> Tensor:
    t = torch.as_tensor(v).detach().to(DTYPE)
    if t.dim() >= 1 and t.shape[0] == 1:
        t = t[0]
    if not bool(torch.isfinite(t).all()):
        raise ValueError(f"{name} must be finite")
    return t


def linear_regions(
    model: nn.Module,
    *,
    line: tuple[Any, Any] | None = None,
    plane: tuple[Any, Any, Any] | None = None,
    points: Any = None,
    labels: Any = None,
    eps: float = 1e-2,
    resolution: int | None = None,
    max_regions: int = 200_000,
) -> RegionReport | PatternReport:
    r"""Linear regions of ``model`` along a segment or on a plane, or the activation patterns of inputs.

    Args:
        model: an ``nn.Sequential`` of the layers :func:`actlab.verify.bound` supports.
        line: ``(x0, x1)``, two inputs (without batch dimension): the segment between them.
        plane: ``(origin, u, v)``: the parallelogram origin + s·u + t·v, s, t ∈ [0, 1].
        points: a batch of inputs ``(N, *input_shape)``: their activation patterns.
        labels: with ``points``, class labels for the within/between-class code distances.
        eps: for smooth activations, the ε of their ε-linear pieces (see the module docstring).
        resolution: grid size for the ε-pattern count (default 10001 on a segment, 201 per side
            on a plane).
        max_regions: the exact plane count stops with a ``ValueError`` beyond this many regions.

    Returns:
        :class:`RegionReport` (line, plane) or :class:`PatternReport` (points). PWL networks get exact
        counts (``mode="exact"``); a network with a smooth activation an ε-pattern count
        (``mode="epsilon"``, with ``eps`` and ``resolution``).

    Raises ``ValueError`` unless exactly one of ``line``/``plane``/``points`` is given, for a non-positive
    ``eps`` or ``resolution``, or mismatched shapes; :class:`actlab.verify.UnsupportedLayerError` for
    a layer it cannot follow.
    """
    given = [k for k, v in (("line", line), ("plane", plane), ("points", points)) if v is not None]
    if len(given) != 1:
        raise ValueError(f"give exactly one of line=, plane=, points= (got {', '.join(given) or 'none'})")
    if not (isinstance(eps, (int, float)) and eps > 0):
        raise ValueError(f"eps must be a number > 0, got {eps!r}")
    if resolution is not None and (not isinstance(resolution, int) or resolution < 2):
        raise ValueError(f"resolution must be an integer >= 2, got {resolution!r}")
    layers = _double(model)
    if points is not None:
        return _points_report(layers, points, labels, eps)
    if line is not None:
        x0, x1 = (_vector(p, "line") for p in line)
        if x0.shape != x1.shape:
            raise ValueError(f"line ends have shapes {tuple(x0.shape)} and {tuple(x1.shape)}; "
                             "they must match")
        size = float((x1 - x0).norm())
        if _all_pwl(layers, x0[None]):
            count, where = _segment_exact(layers, x0, x1)
            return RegionReport(count, "exact", "line", size, breakpoints=where)
        n = resolution or 10001
        t = torch.linspace(0.0, 1.0, n, dtype=DTYPE).reshape(-1, *([1] * x0.dim()))
        codes, _ = _patterns(layers, x0 + t * (x1 - x0), eps)
        change = (codes[1:] != codes[:-1]).any(dim=1)
        mids = (t.reshape(-1)[1:] + t.reshape(-1)[:-1]) / 2
        return RegionReport(int(change.sum()) + 1, "epsilon", "line", size, eps, n, mids[change])
    origin, u, v = (_vector(p, "plane") for p in plane)
    if not (origin.shape == u.shape == v.shape):
        raise ValueError("plane=(origin, u, v) must have three inputs of one shape")
    uf, vf = u.reshape(-1), v.reshape(-1)
    size = float(torch.sqrt(torch.clamp((uf @ uf) * (vf @ vf) - (uf @ vf) ** 2, min=0.0)))
    if _all_pwl(layers, origin[None]):
        return RegionReport(_plane_exact(layers, origin, u, v, max_regions), "exact", "plane", size)
    n = resolution or 201
    s = torch.linspace(0.0, 1.0, n, dtype=DTYPE)
    ss, tt = torch.meshgrid(s, s, indexing="ij")
    shape = (-1, *([1] * origin.dim()))
    grid = origin + ss.reshape(shape) * u + tt.reshape(shape) * v
    codes, _ = _patterns(layers, grid, eps)
    return RegionReport(int(torch.unique(codes, dim=0).shape[0]), "epsilon", "plane", size, eps, n)


def _points_report(layers: list[tuple[str, Any]], points: Any, labels: Any, eps: float) -> PatternReport:
    x = torch.as_tensor(points).detach().to(DTYPE)
    if x.dim() < 2 or len(x) < 2:
        raise ValueError("points must be a batch of at least 2 inputs, (N, *input_shape)")
    codes, mode = _patterns(layers, x, eps)
    n = len(codes)
    uniq, inverse, counts = torch.unique(codes, dim=0, return_inverse=True, return_counts=True)
    shared = float((counts[inverse] > 1).to(DTYPE).mean())
    d = pattern_distance(codes, codes)
    d.fill_diagonal_(math.inf)
    nearest = float(d.min(dim=1).values.mean())
    within = between = None
    if labels is not None:
        y = torch.as_tensor(labels).reshape(-1)
        if len(y) != n:
            raise ValueError(f"labels has {len(y)} entries for {n} points")
        d.fill_diagonal_(math.nan)
        same = y[:, None] == y[None, :]
        off = ~torch.eye(n, dtype=torch.bool)
        within = float(d[same & off].mean()) if bool((same & off).any()) else None
        between = float(d[~same].mean()) if bool((~same).any()) else None
    return PatternReport(codes, mode, eps if mode == "epsilon" else None, int(len(uniq)), 1.0 - len(uniq) / n,
                         shared, nearest, within, between)
