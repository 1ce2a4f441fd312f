"""Helpers shared by the claim modules: arms of bench runs, per-seed values, a per-claim plot."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from actlab.bench.spec import RunSpec, expand_grid
from actlab.bench.store import RunRecord
from actlab.claims.base import INCONCLUSIVE, Claim, ClaimResult
from actlab.claims.decide import Decision

Arms = dict[str, dict[int, RunRecord]]


def arm(task: str, activation: str, seeds: int, config: Mapping[str, Any] | None = None,
        params: Mapping[str, Any] | None = None, preset: str = "quick") -> list[RunSpec]:  # fmt: skip
    """The runs of one activation on one task config (the task's ``preset`` config updated with
    ``config``) for seeds 0 … seeds−1."""
    overrides = {task: dict(config)} if config else None
    return expand_grid([task], [(activation, dict(params or {}))], seeds, preset=preset, overrides=overrides)


def worst_finished(arms: Arms, names: Sequence[str], metric: str, higher_is_better: bool) -> float | None:
    """The worst finished value among ``names``' runs (what a diverged run counts as)."""
    vals = [r.metrics.get(metric) for n in names for r in arms.get(n, {}).values() if r.status == "ok"]
    vals = [float(v) for v in vals if isinstance(v, (int, float)) and math.isfinite(v)]
    if not vals:
        return None
    return min(vals) if higher_is_better else max(vals)


def finish(claim: Claim, preset: str, d: Decision, effect: str, test: str, extra: Sequence[str] = (),
           reason_prefix: str = "") -> ClaimResult:  # fmt: skip
    """A :class:`ClaimResult` from a :class:`~actlab.claims.decide.Decision`."""
    n = d.primary.cmp.n_pairs if d.primary is not None else 0
    est = d.primary.est if d.primary is not None else math.nan
    level = f" (simultaneous {100 * d.level:.4g} % intervals)" if d.level < 0.9499 else ""
    return claim.result(
        preset, d.verdict, effect=effect, estimate=est, ci=d.ci, ci_level=d.level, test=test + level, p=d.p,
        n=n, reason=(reason_prefix + d.reason), details=list(d.lines) + list(extra),
    )  # fmt: skip


def regime_failed(claim: Claim, preset: str, why: str, details: Sequence[str] = ()) -> ClaimResult:
    return claim.result(preset, INCONCLUSIVE, reason=f"regime not reached: {why}", details=list(details))


def strip_plot(plots: Any, name: str, series: Mapping[str, Sequence[float]], ylabel: str, title: str,
               log: bool = False, hline: float | None = None) -> str | None:  # fmt: skip
    """One column of points per arm (one point per seed), with the mean and its 95 % t-interval."""
    from actlab.bench.stats import mean_interval

    items = [(k, [v for v in vs if math.isfinite(v)]) for k, vs in series.items()]
    items = [(k, vs) for k, vs in items if vs]
    if not items:
        return None
    fig, ax = plots.plt.subplots(figsize=(max(4.5, 1.1 * len(items) + 2), 4))
    for i, (_, vs) in enumerate(items):
        x = np.full(len(vs), i) + np.linspace(-0.12, 0.12, len(vs)) if len(vs) > 1 else np.array([i])
        ax.scatter(x, vs, s=18, alpha=0.7, color=plots.colors(len(items))[i])
        iv = mean_interval(vs)
        ax.errorbar([i + 0.25], [iv.estimate],
                    yerr=None if not iv.finite else [[iv.estimate - iv.low], [iv.high - iv.estimate]],
                    fmt="D", color="black", ms=5, capsize=3)  # fmt: skip
    if hline is not None:
        ax.axhline(hline, color="grey", lw=0.8, ls="--")
    ax.set_xticks(range(len(items)), [k for k, _ in items], rotation=20, ha="right", fontsize=8)
    if log:
        ax.set_yscale("log")
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10)
    return plots.save(fig, f"claim-{name}")
