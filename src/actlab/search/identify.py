"""Which known function is this? Exact and near matches against the whole catalog.

:func:`identify` compares the :class:`~actlab.search.fingerprint.Fingerprint` of a function with every
elementwise catalog activation:

1. **exact** — values agree within :data:`TOL_VALUE` and derivatives within :data:`TOL_DERIV` on the
   whole grid (distances in T-space, see :mod:`actlab.search.fingerprint`), either at the catalog
   entry's defaults or at parameters found by bounded least squares (``scipy.optimize.least_squares``)
   started from the best points of a coarse grid over each parameter's valid range;
2. **near** — the same function up to a scale/shift of input and output,
   f(x) ≈ a·g(b·x + c) + d, fitted by variable projection (a, d by linear least squares for each
   (b, c), which the optimiser moves); reported with (a, b, c, d);
3. **new** — "no known function within tolerance", with the nearest catalog entries and distances
   (root-mean-square difference in T-space over the grid).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import torch

from actlab.search.fingerprint import CORE, GRID, Fingerprint, evaluate, fingerprint, one_thread, transform

__all__ = ["TOL_DERIV", "TOL_VALUE", "Identity", "identify"]

TOL_VALUE = 1e-5
TOL_DERIV = 1e-4
TOL_NEAR = 1e-4
# parametric catalog entries refined by least squares per query: with ~370 entries many are the same
# shape at their nearest grid point (PReLU, RReLU, SMU, MeLU, ... for a leaky ReLU), so the budget
# must reach past them to the entry that is the target (0.2 s → 0.3–0.7 s per query)
_REFINE_SPECS = 24
_REFINE_GATE = 1.0  # ... if their closest grid point is within this RMS distance (T-space)
_NEAR_SPECS = 5  # catalog entries tried for a near match per query
_NEAR_GATE = 0.1  # ... if a·g(b·x + c) + d with (b, c) on the grid below explains the target this well
_SCALES = tuple(s * 2.0 ** (k / 2) for s in (1.0, -1.0) for k in range(-4, 5))  # ±0.25 … ±4
_SHIFTS = (-1.0, -0.5, 0.0, 0.5, 1.0)


@dataclass
class Identity:
    """The answer of :func:`identify`.

    ``kind`` is ``"exact"``, ``"near"`` or ``"new"``. ``matches`` lists every exact match
    (``{"name", "params"}``, preferred first: entries matching at their defaults, fewest parameters
    first). ``near`` is ``{"name", "params", "a", "b", "c", "d", "distance"}`` for
    f(x) ≈ a·name(b·x + c) + d. ``nearest`` lists the closest entries with their distance.
    """

    kind: str
    fingerprint: str
    matches: list[dict[str, Any]] = field(default_factory=list)
    near: dict[str, Any] | None = None
    nearest: list[dict[str, Any]] = field(default_factory=list)

    @property
    def name(self) -> str | None:
        """The best catalog name (exact or near), or None for a new function."""
        if self.matches:
            return self.matches[0]["name"]
        if self.near:
            return self.near["name"]
        return None

    def summary(self) -> str:
        """One line: ``silu``, ``gelu (also: …)``, ``near: 0.5·silu(2·x)`` or ``new; nearest: …``."""
        if self.kind == "exact":
            first, rest = self.matches[0], self.matches[1:]
            s = _call(first)
            if rest:
                s += (
                    " (also: "
                    + ", ".join(_call(m) for m in rest[:4])
                    + (", …" if len(rest) > 4 else "")
                    + ")"
                )
            return s
        if self.kind == "near" and self.near:
            n = self.near
            return "near: " + _affine_text(n)
        near = ", ".join(f"{_call(m)} (distance {m['distance']:.3g})" for m in self.nearest[:3])
        return "no known function within tolerance" + (f"; nearest: {near}" if near else "")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Identity:
        return cls(**d)


def _call(m: dict[str, Any]) -> str:
    p = m.get("params") or {}
    if not p:
        return m["name"]
    return m["name"] + "(" + ", ".join(f"{k}={_g(v)}" for k, v in p.items()) + ")"


def _g(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.6g}"
    if isinstance(v, (tuple, list)):
        return "(" + ", ".join(_g(x) for x in v) + ")"
    return str(v)


def _affine_text(n: dict[str, Any]) -> str:
    a, b, c, d = (n[k] for k in "abcd")
    inner = "x" if b == 1 else f"{_g(b)}*x"
    if c:
        inner += f" {'+' if c > 0 else '-'} {_g(abs(c))}"
    s = f"{_call(n)}({inner})" if not n.get("params") else f"[{_call(n)}]({inner})"
    if a != 1:
        s = f"{_g(a)}*{s}"
    if d:
        s += f" {'+' if d > 0 else '-'} {_g(abs(d))}"
    return s


# ------------------------------------------------------------------------------- the catalog bank


@dataclass
class _Entry:
    name: str
    params: dict[str, Any]
    default: bool
    values: np.ndarray
    derivs: np.ndarray


class _Bank:
    """Values/derivatives of every catalog entry at its defaults and on a parameter grid."""

    def __init__(self) -> None:
        from actlab.catalog.registry import REGISTRY

        self.signature = _registry_signature()
        self.entries: list[_Entry] = []
        self.specs = {}
        for name in sorted(REGISTRY):
            spec = REGISTRY[name]
            if not spec.elementwise:
                continue
            try:
                default = spec.resolve_params({})
                v, d = _eval_spec(spec, default)
                v2, _ = _eval_spec(spec, default)
            except Exception:  # noqa: BLE001 - a catalog entry that cannot run in float64 is skipped
                continue
            if not np.array_equal(v, v2, equal_nan=True):  # stochastic: no fixed identity
                continue
            self.specs[name] = spec
            self.entries.append(_Entry(name, default, True, v, d))
            for p in _param_grid(spec):
                try:
                    v, d = _eval_spec(spec, p)
                except Exception:  # noqa: BLE001
                    continue
                self.entries.append(_Entry(name, p, False, v, d))
        # the default entries at scaled inputs g(b·x), for the near-match prefilter
        self.scaled: list[tuple[int, float, float]] = []
        rows = []
        xs = np.concatenate([b * GRID + c for b in _SCALES for c in _SHIFTS])
        per = len(_SCALES) * len(_SHIFTS)
        for i, e in enumerate(self.entries):
            if not e.default:
                continue
            try:
                v, _ = _eval_spec(self.specs[e.name], e.params, xs, grad=False)
            except Exception:  # noqa: BLE001
                continue
            rows.append(v.reshape(per, len(GRID)))
            self.scaled += [(i, b, c) for b in _SCALES for c in _SHIFTS]
        self.scaled_vals = np.concatenate(rows) if rows else np.zeros((0, len(GRID)))
        self.tv = (
            np.stack([transform(e.values) for e in self.entries])
            if self.entries
            else np.zeros((0, len(GRID)))
        )
        self.td = (
            np.stack([transform(e.derivs) for e in self.entries])
            if self.entries
            else np.zeros((0, len(GRID)))
        )
        self.vals = np.stack([e.values for e in self.entries]) if self.entries else np.zeros((0, len(GRID)))


def _registry_signature() -> tuple:
    from actlab.catalog.registry import REGISTRY

    return tuple((n, id(s)) for n, s in sorted(REGISTRY.items()))


_BANK: _Bank | None = None


def _bank() -> _Bank:
    global _BANK
    if _BANK is None or _BANK.signature != _registry_signature():
        _BANK = _Bank()
    return _BANK


def _eval_spec(
    spec: Any, params: dict[str, Any], xs: np.ndarray = GRID, grad: bool = True
) -> tuple[np.ndarray, np.ndarray | None]:
    with np.errstate(all="ignore"):
        if not grad:
            with torch.no_grad():
                return spec.fn(torch.tensor(xs, dtype=torch.float64), **params).double().numpy(), None
        return evaluate(lambda x: spec.fn(x, **params), xs)


def _candidate_values(p: Any) -> list[Any]:
    d = p.default
    if p.kind == "int":
        raw = [d - 1, d + 1, 2 * d, 1, 2, 3, 4, 8]
    else:
        raw = [d / 4, d / 2, 2 * d, 4 * d, d - 1, d + 1, 0.0, 0.1, 0.5, 1.0, 2.0]
    out = []
    for v in raw:
        try:
            v = p.check(v, "grid")
        except ValueError:
            continue
        if v != d and v not in out:
            out.append(v)
    return out[:6]


def _param_grid(spec: Any) -> list[dict[str, Any]]:
    """Parameter settings other than the defaults: a full grid for ≤ 2 scalar parameters,
    one parameter at a time otherwise."""
    scalar = [p for p in spec.params if p.kind in ("float", "int")]
    if not scalar:
        return []
    base = spec.resolve_params({})
    out: list[dict[str, Any]] = []
    if len(scalar) <= 2:
        axes = [[p.default, *_candidate_values(p)] for p in scalar]
        for combo in np.array(np.meshgrid(*[np.arange(len(a)) for a in axes])).T.reshape(-1, len(axes)):
            vals = {p.name: axes[i][j] for i, (p, j) in enumerate(zip(scalar, combo))}
            if all(vals[p.name] == p.default for p in scalar):
                continue
            out.append({**base, **vals})
    else:
        for p in scalar:
            for v in _candidate_values(p):
                out.append({**base, p.name: v})
    return out


# ------------------------------------------------------------------------------------ matching


def _dists(tv: np.ndarray, target_t: np.ndarray) -> np.ndarray:
    """max |Δ| per bank row over the grid; inf where finiteness differs."""
    ft = np.isfinite(target_t)
    fb = np.isfinite(tv)
    mismatch = (fb != ft[None, :]).any(axis=1)
    diff = np.where(fb & ft[None, :], np.abs(tv - target_t[None, :]), 0.0)
    out = diff.max(axis=1) if diff.size else np.zeros(len(tv))
    out[mismatch] = np.inf
    return out


def _rms(tv: np.ndarray, target_t: np.ndarray) -> np.ndarray:
    ft = np.isfinite(target_t)
    fb = np.isfinite(tv)
    mismatch = (fb != ft[None, :]).any(axis=1)
    diff = np.where(fb & ft[None, :], tv - target_t[None, :], 0.0)
    out = np.sqrt((diff**2).mean(axis=1)) if diff.size else np.zeros(len(tv))
    out[mismatch] = np.inf
    return out


def _bounds(p: Any) -> tuple[float, float]:
    lo = -np.inf if p.low is None else float(p.low)
    hi = np.inf if p.high is None else float(p.high)
    if p.low is not None and not p.low_inclusive:
        lo = lo + 1e-9 * max(1.0, abs(lo))
    if p.high is not None and not p.high_inclusive:
        hi = hi - 1e-9 * max(1.0, abs(hi))
    return lo, hi


# the least-squares fits run on every 4th core point plus the tails (fast) and are verified on the full grid
_FIT = np.zeros(len(GRID), dtype=bool)
_FIT[np.flatnonzero(CORE)[::4]] = True
_FIT[~CORE] = True


def _refine(spec: Any, start: dict[str, Any], target_t: np.ndarray) -> tuple[dict[str, Any], float]:
    """Least-squares fit of ``spec``'s float parameters to the target (T-space values).

    Returns the fitted (validated) parameters and their T-space value distance to the target.
    """
    from scipy.optimize import least_squares

    free = [p for p in spec.params if p.kind == "float"]
    if not free:
        return start, math.inf
    fin = np.isfinite(target_t) & _FIT
    lo, hi = (np.array(b) for b in zip(*(_bounds(p) for p in free)))
    x0 = np.clip([float(start[p.name]) for p in free], lo, hi)
    xs = torch.tensor(GRID[fin], dtype=torch.float64)

    def resid(theta: np.ndarray) -> np.ndarray:
        params = {**start, **{p.name: float(t) for p, t in zip(free, theta)}}
        with torch.no_grad(), np.errstate(all="ignore"):
            v = spec.fn(xs, **params).double().numpy()
        r = transform(v) - target_t[fin]
        return np.where(np.isfinite(r), r, 1e3)

    try:
        sol = least_squares(resid, x0, bounds=(lo, hi), xtol=1e-15, ftol=1e-15, gtol=1e-15, max_nfev=100)
    except (ValueError, RuntimeError, FloatingPointError):
        return start, math.inf
    theta = sol.x
    # prefer a short decimal (1.702 rather than 1.7019999998) when it fits as well
    for digits in (3, 6, 9):
        rounded = np.array([float(f"{t:.{digits}g}") for t in theta])
        if np.all((rounded >= lo) & (rounded <= hi)) and np.max(np.abs(resid(rounded))) <= TOL_VALUE / 10:
            theta = rounded
            break
    try:
        params = spec.resolve_params({**start, **{p.name: float(t) for p, t in zip(free, theta)}})
        v, _ = _eval_spec(spec, params)
    except (ValueError, TypeError):
        return start, math.inf
    return params, _tdist1(transform(v), target_t)


def _tdist1(a_t: np.ndarray, b_t: np.ndarray) -> float:
    return float(_dists(a_t[None, :], b_t)[0])


def _near_fit(
    spec: Any, params: dict[str, Any], target: np.ndarray, b0: float = 1.0, c0: float = 0.0
) -> dict[str, Any] | None:
    """Fit target ≈ a·spec(b·x + c) + d; return the fit if within :data:`TOL_NEAR` in T-space."""
    from scipy.optimize import least_squares

    if not np.isfinite(target).all():
        return None
    scale = float(np.sqrt(np.mean((target[CORE] - target[CORE].mean()) ** 2)))
    if scale == 0.0:
        return None
    xs, ts = GRID[_FIT], target[_FIT]
    w = 1.0 / np.sqrt(1.0 + np.abs(xs))

    def inner(bc: np.ndarray, x: np.ndarray, t: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, float, float]:
        with torch.no_grad(), np.errstate(all="ignore"):
            F = spec.fn(torch.tensor(bc[0] * x + bc[1], dtype=torch.float64), **params).double().numpy()
        if not np.isfinite(F).all():
            return F, math.nan, math.nan
        coef, *_ = np.linalg.lstsq(np.stack([F * w, w], axis=1), t * w, rcond=None)
        return F, float(coef[0]), float(coef[1])

    def resid(bc: np.ndarray) -> np.ndarray:
        F, a, d = inner(bc, xs, ts, w)
        if not math.isfinite(a):
            return np.full(len(xs), 1e3)
        return (a * F + d - ts) * w / scale

    best = None
    for start in ((b0, c0), (1.0, 0.0)):
        try:
            sol = least_squares(resid, np.array(start), xtol=1e-15, ftol=1e-15, gtol=1e-15, max_nfev=80)
        except (ValueError, RuntimeError, FloatingPointError):
            continue
        if best is None or sol.cost < best.cost:
            best = sol
        if best.cost < 1e-16:
            break
    if best is None or best.cost > 1e-6:
        return None
    wf = 1.0 / np.sqrt(1.0 + np.abs(GRID))
    _, a, d = inner(best.x, GRID, target, wf)
    b, c = (float(v) for v in best.x)
    if not math.isfinite(a) or abs(a) < 1e-3 or abs(b) < 1e-3:
        return None
    a, b = _tidy(a, 1.0), _tidy(b, 1.0)
    c, d = _tidy(c, 1.0), _tidy(d, scale)
    with torch.no_grad(), np.errstate(all="ignore"):
        F = spec.fn(torch.tensor(b * GRID + c, dtype=torch.float64), **params).double().numpy()
    dist = _tdist1(transform(a * F + d), transform(target))
    if dist > TOL_NEAR:
        return None
    return {
        "name": spec.name,
        "params": _shown(spec, params),
        "a": a,
        "b": b,
        "c": c,
        "d": d,
        "distance": dist,
    }


def _tidy(v: float, scale: float) -> float:
    """Round to a short decimal when that changes v by < 1e-9·max(scale, |v|) (1.9999999997 → 2,
    8e-18 → 0)."""
    tol = 1e-9 * max(scale, abs(v))
    if abs(v) <= tol:
        return 0.0
    for digits in (3, 6, 9):
        r = float(f"{v:.{digits}g}")
        if abs(r - v) <= tol:
            return r
    return v


def _shown(spec: Any, params: dict[str, Any]) -> dict[str, Any]:
    """The parameters that differ from the catalog defaults (JSON-friendly)."""
    defaults = spec.resolve_params({})
    return {k: (list(v) if isinstance(v, tuple) else v) for k, v in params.items() if defaults.get(k) != v}


def _affine_residuals(F: np.ndarray, target: np.ndarray) -> np.ndarray:
    """Per row of F: relative weighted residual of the best target ≈ a·F + d (inf for bad rows).

    Weights (1 + |x|)^-2 keep the long linear tails of many functions from dominating the shape."""
    w2 = 1.0 / (1.0 + np.abs(GRID)) ** 2
    ok = np.isfinite(F).all(axis=1)
    F = np.where(np.isfinite(F), F, 0.0)
    sw = w2.sum()
    mF = (F * w2).sum(axis=1) / sw
    mt = (target * w2).sum() / sw
    Fc, tc = F - mF[:, None], target - mt
    var = (Fc**2 * w2).sum(axis=1)
    tv = float((tc**2 * w2).sum()) or 1.0
    with np.errstate(all="ignore"):
        a = np.where(var > 0, (Fc * tc * w2).sum(axis=1) / var, 0.0)
        r = ((a[:, None] * Fc - tc) ** 2 * w2).sum(axis=1) / tv
    return np.sqrt(np.where(ok & (var > 0) & np.isfinite(r), r, np.inf))


def _near_candidates(bank: _Bank, target: np.ndarray) -> list[tuple[float, int, float, float]]:
    """(relative residual, bank row, b, c) of the best a·g(b·x + c) + d per catalog entry, best
    first; (b, c) = (1, 0) for every entry, the grid _SCALES × _SHIFTS for the defaults."""
    r1 = _affine_residuals(bank.vals, target)
    rs = _affine_residuals(bank.scaled_vals, target)
    cands = [(float(np.round(r1[i], 9)), not e.default, len(e.params), i, 1.0, 0.0)
             for i, e in enumerate(bank.entries)]  # fmt: skip
    cands += [(float(np.round(rs[k], 9)), False, len(bank.entries[i].params), i, b, c)
              for k, (i, b, c) in enumerate(bank.scaled)]  # fmt: skip
    out, seen, shapes = [], set(), set()
    for r, _, _, i, b, c in sorted(cands, key=lambda t: t[:3]):
        name = bank.entries[i].name
        # entries fitting equally well at the same (b, c) are the same shape (silu, swish, …): try one
        shape = (round(r, 6), b, c)
        if name not in seen and shape not in shapes and math.isfinite(r):
            seen.add(name)
            shapes.add(shape)
            out.append((r, i, b, c))
    return out


def identify(f: Any, params: dict[str, Any] | None = None, near: bool = True) -> Identity:
    """Identify ``f`` (expression string or object, catalog name, spec, module or callable).

    Returns an :class:`Identity`: exact matches (with parameters), else a near match
    f(x) ≈ a·g(b·x + c) + d (when ``near``), else the nearest catalog entries.
    """
    with one_thread():
        return _identify(f if isinstance(f, Fingerprint) else fingerprint(f, params), near)


def _identify(fp: Fingerprint, near: bool) -> Identity:
    bank = _bank()
    tv_t, td_t = transform(fp.values), transform(fp.derivs)
    ident = Identity(kind="new", fingerprint=fp.key)
    if not len(bank.entries):
        return ident

    dv = _dists(bank.tv, tv_t)
    dd = _dists(bank.td, td_t)
    exact = [(e, i) for i, e in enumerate(bank.entries) if dv[i] <= TOL_VALUE and dd[i] <= TOL_DERIV]
    found: dict[str, dict[str, Any]] = {}
    for e, _ in sorted(exact, key=lambda t: (not t[0].default, len(t[0].params), t[0].name)):
        if e.name not in found:
            found[e.name] = {
                "name": e.name,
                "params": _shown(bank.specs[e.name], e.params),
                "default": e.default,
            }

    # parametric refinement around the closest grid points of the nearest parametric entries
    rms = _rms(bank.tv, tv_t)
    best_per_spec: dict[str, int] = {}
    # closest first; among (numerically) equal distances, defaults and fewer parameters first
    order = np.lexsort(
        ([len(e.params) for e in bank.entries], [not e.default for e in bank.entries], np.round(rms, 9))
    )
    for i in order:
        e = bank.entries[i]
        if e.name not in best_per_spec and np.isfinite(rms[i]):
            best_per_spec[e.name] = int(i)
    parametric = [
        n
        for n, i in best_per_spec.items()
        if any(p.kind == "float" for p in bank.specs[n].params) and rms[i] <= _REFINE_GATE
    ]
    for name in parametric[:_REFINE_SPECS]:
        if name in found:
            continue
        spec = bank.specs[name]
        params_fit, dist = _refine(spec, bank.entries[best_per_spec[name]].params, tv_t)
        if dist <= TOL_VALUE:
            v, d = _eval_spec(spec, params_fit)
            if _tdist1(transform(d), td_t) <= TOL_DERIV:
                default = params_fit == spec.resolve_params({})
                found[name] = {"name": name, "params": _shown(spec, params_fit), "default": default}

    if found:
        ident.kind = "exact"
        ident.matches = sorted(
            found.values(), key=lambda m: (not m["default"], len(bank.specs[m["name"]].params), m["name"])
        )
        for m in ident.matches:
            m.pop("default")
        return ident

    ident.nearest = [
        {
            "name": bank.entries[i].name,
            "params": _shown(bank.specs[bank.entries[i].name], bank.entries[i].params),
            "distance": float(rms[i]),
        }
        for i in list(best_per_spec.values())[:5]
    ]
    if near and fp.finite:
        fits = []
        for r, i, b, c in _near_candidates(bank, fp.values)[:_NEAR_SPECS]:
            if r > _NEAR_GATE:
                break
            e = bank.entries[i]
            fit = _near_fit(bank.specs[e.name], e.params, fp.values, b, c)
            if fit is not None:
                fits.append((not e.default, len(e.params), fit["distance"], e.name, fit))
        if fits:
            ident.kind = "near"
            ident.near = min(fits, key=lambda t: t[:4])[4]
    return ident
