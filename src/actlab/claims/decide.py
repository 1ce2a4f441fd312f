"""Decision rules shared by the claims: superiority, non-inferiority and equivalence over seeds.

Every rule works on *contrasts*: paired comparisons over common seeds
(:func:`actlab.bench.stats.paired`), oriented so that a positive value is the direction the
claim predicts (``improvement``). With m contrasts that must all hold, the intervals are
simultaneous (Bonferroni: each at level 1 − 0.05/m) and the p-values Holm-adjusted, so the
verdict's error rate is controlled for the claim as a whole.

- :func:`superiority` ("A is better than B₁ … B_m"): *supported* when every contrast is
  significantly positive (Holm p < 0.05) and at least the claim's smallest meaningful effect δ;
  *not supported* when some contrast's simultaneous upper bound is below δ (an improvement of δ is
  excluded; with δ = 0, it goes significantly the other way); *inconclusive* otherwise.
- :func:`non_inferiority` ("A matches or beats B"): *supported* when every simultaneous lower bound
  is above −margin; *not supported* when some upper bound is below −margin; else inconclusive.
- :func:`equivalence` ("A keeps B's quality"): two one-sided tests: *supported* when the
  simultaneous (1 − 2·0.05/m) interval lies within (−margin, margin); *not supported* when it lies
  entirely outside; else inconclusive.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from actlab.bench.stats import Comparison, holm, paired
from actlab.bench.store import RunRecord
from actlab.claims.base import INCONCLUSIVE, NOT_SUPPORTED, SUPPORTED

__all__ = [
    "ALPHA",
    "Contrast",
    "Decision",
    "contrast",
    "equivalence",
    "metric_by_seed",
    "non_inferiority",
    "superiority",
]

ALPHA = 0.05


@dataclass
class Contrast:
    """``name``: what is compared; ``cmp``: the paired comparison of the improvement."""

    name: str
    cmp: Comparison

    @property
    def est(self) -> float:
        return self.cmp.diff.estimate

    def scaled(self, factor: float, suffix: str = "") -> Contrast:
        """The same contrast with the difference (estimate, interval, standard error) times ``factor``
        (> 0), e.g. in units of a margin; p-values are unchanged."""
        from dataclasses import replace

        iv = self.cmp.diff
        new = replace(iv, estimate=iv.estimate * factor, low=iv.low * factor, high=iv.high * factor,
                      se=iv.se * factor)  # fmt: skip
        return Contrast(self.name + suffix, replace(self.cmp, diff=new))


@dataclass
class Decision:
    verdict: str
    primary: Contrast | None
    ci: tuple[float, float]
    level: float
    p: float
    reason: str
    lines: list[str]


def metric_by_seed(
    runs: Mapping[int, RunRecord], metric: str = "test_metric", worst: float | None = None
) -> tuple[dict[int, float], dict[int, list[int]]]:
    """``(value per seed, correctness per seed)`` of an arm's runs. A diverged run counts as
    ``worst`` when given (divergence counts against the activation), else it is left out; runs
    that raised are left out."""
    vals: dict[int, float] = {}
    corr: dict[int, list[int]] = {}
    for seed, r in runs.items():
        v = r.metrics.get(metric)
        if r.status == "ok" and isinstance(v, (int, float)) and math.isfinite(v):
            vals[seed] = float(v)
            if r.correct is not None:
                corr[seed] = r.correct
        elif r.status == "diverged" and worst is not None:
            vals[seed] = float(worst)
    return vals, corr


def contrast(
    name: str,
    a: Mapping[int, float],
    b: Mapping[int, float],
    higher_is_better: bool,
    level: float = 0.95,
    a_correct: Mapping[int, list[int]] | None = None,
    b_correct: Mapping[int, list[int]] | None = None,
) -> Contrast:
    """The improvement of ``a`` over ``b`` (positive = ``a`` better) over their common seeds."""
    seeds = sorted(set(a) & set(b))
    x = [a[s] for s in seeds]
    y = [b[s] for s in seeds]
    ca = cb = None
    if (
        a_correct is not None
        and b_correct is not None
        and all(s in a_correct and s in b_correct for s in seeds)
    ):
        ca, cb = [a_correct[s] for s in seeds], [b_correct[s] for s in seeds]
    cmp = paired(x, y, ca, cb, level) if higher_is_better else paired(y, x, cb, ca, level)
    return Contrast(name, cmp)


def _fmt_ci(lo: float, hi: float) -> str:
    return "–" if not (math.isfinite(lo) and math.isfinite(hi)) else f"[{lo:+.3g}, {hi:+.3g}]"


def _lines(cs: Sequence[Contrast], ps: Sequence[float]) -> list[str]:
    out = []
    for c, p in zip(cs, ps):
        iv = c.cmp.diff
        note = f"; {c.cmp.note}" if c.cmp.note else ""
        out.append(
            f"{c.name}: {iv.estimate:+.4g} {_fmt_ci(iv.low, iv.high)}, {c.cmp.n_pairs} pairs, "
            f"p(Holm) = {p:.3g}{note}"
            if math.isfinite(p)
            else f"{c.name}: {iv.estimate:+.4g} {_fmt_ci(iv.low, iv.high)}, {c.cmp.n_pairs} pairs{note}"
        )
    return out


def _p_for(c: Contrast) -> float:
    # a constant difference has no t-test; its exact Wilcoxon (sign) p-value stands in
    return c.cmp.p_ttest if math.isfinite(c.cmp.p_ttest) else c.cmp.p_wilcoxon


def superiority(contrasts: Sequence[Contrast], min_effect: float = 0.0) -> Decision:
    """See the module docstring. ``contrasts`` must be computed at level ``1 − 0.05/m``."""
    m = len(contrasts)
    level = 1 - ALPHA / max(1, m)
    ps = holm([_p_for(c) for c in contrasts])
    lines = _lines(contrasts, ps)
    if not contrasts or any(c.cmp.n_pairs == 0 for c in contrasts):
        return Decision(INCONCLUSIVE, None, (math.nan, math.nan), level, math.nan, "no paired runs", lines)
    primary = min(contrasts, key=lambda c: c.est if math.isfinite(c.est) else -math.inf)
    p_primary = ps[contrasts.index(primary)]
    ci = (primary.cmp.diff.low, primary.cmp.diff.high)
    his = [c.cmp.diff.high if math.isfinite(c.cmp.diff.high) else c.est for c in contrasts]
    if all(
        math.isfinite(p) and p < ALPHA and c.est > 0 and c.est >= min_effect for c, p in zip(contrasts, ps)
    ):
        return Decision(SUPPORTED, primary, ci, level, p_primary,
                        "every comparison significant in the claimed direction", lines)  # fmt: skip
    bad = [c for c, hi in zip(contrasts, his) if math.isfinite(hi) and hi < min_effect]
    if bad:
        what = (
            "goes significantly the other way"
            if min_effect <= 0
            else f"is below the claim's δ = {min_effect:g}"
        )
        return Decision(NOT_SUPPORTED, bad[0], (bad[0].cmp.diff.low, bad[0].cmp.diff.high), level,
                        ps[contrasts.index(bad[0])], f"{bad[0].name}: the improvement "
                                                     f"{what}", lines)  # fmt: skip
    return Decision(INCONCLUSIVE, primary, ci, level, p_primary,
                    "not every comparison is significant, and none excludes the effect", lines)  # fmt: skip


def non_inferiority(contrasts: Sequence[Contrast], margin: float) -> Decision:
    """See the module docstring. ``contrasts`` at level ``1 − 0.05/m``."""
    m = len(contrasts)
    level = 1 - ALPHA / max(1, m)
    ps = holm([_p_for(c) for c in contrasts])
    lines = _lines(contrasts, ps)
    if not contrasts or any(c.cmp.n_pairs < 2 for c in contrasts):
        return Decision(
            INCONCLUSIVE, None, (math.nan, math.nan), level, math.nan, "fewer than 2 pairs", lines
        )
    primary = min(contrasts, key=lambda c: c.cmp.diff.low if math.isfinite(c.cmp.diff.low) else c.est)
    ci = (primary.cmp.diff.low, primary.cmp.diff.high)
    p_primary = ps[contrasts.index(primary)]
    lows = [c.cmp.diff.low if math.isfinite(c.cmp.diff.low) else c.est for c in contrasts]
    highs = [c.cmp.diff.high if math.isfinite(c.cmp.diff.high) else c.est for c in contrasts]
    if all(lo > -margin for lo in lows):
        return Decision(SUPPORTED, primary, ci, level, p_primary,
                        f"every lower bound above −{margin:g} (non-inferior)", lines)  # fmt: skip
    bad = [c for c, hi in zip(contrasts, highs) if hi < -margin]
    if bad:
        return Decision(
            NOT_SUPPORTED,
            bad[0],
            (bad[0].cmp.diff.low, bad[0].cmp.diff.high),
            level,
            ps[contrasts.index(bad[0])],
            f"{bad[0].name}: worse by more than {margin:g}",
            lines,
        )
    return Decision(INCONCLUSIVE, primary, ci, level, p_primary,
                    f"an interval reaches below −{margin:g}; none lies entirely below it", lines)  # fmt: skip


def equivalence(contrasts: Sequence[Contrast], margin: float) -> Decision:
    """See the module docstring. ``contrasts`` at level ``1 − 2·0.05/m`` (TOST)."""
    m = len(contrasts)
    level = 1 - 2 * ALPHA / max(1, m)
    ps = holm([_p_for(c) for c in contrasts])
    lines = _lines(contrasts, ps)
    if not contrasts or any(c.cmp.n_pairs < 2 for c in contrasts):
        return Decision(
            INCONCLUSIVE, None, (math.nan, math.nan), level, math.nan, "fewer than 2 pairs", lines
        )
    primary = max(contrasts, key=lambda c: max(abs(c.cmp.diff.low), abs(c.cmp.diff.high))
                  if c.cmp.diff.finite else abs(c.est))  # fmt: skip
    ci = (primary.cmp.diff.low, primary.cmp.diff.high)
    p_primary = ps[contrasts.index(primary)]
    inside = [c.cmp.diff.finite and -margin < c.cmp.diff.low and c.cmp.diff.high < margin
              or (not c.cmp.diff.finite and abs(c.est) < margin) for c in contrasts]  # fmt: skip
    if all(inside):
        return Decision(SUPPORTED, primary, ci, level, p_primary, f"every interval within ±{margin:g}", lines)
    outside = [c for c in contrasts
               if (c.cmp.diff.finite and (c.cmp.diff.low > margin or c.cmp.diff.high < -margin))
               or (not c.cmp.diff.finite and abs(c.est) >= margin)]  # fmt: skip
    if outside:
        return Decision(NOT_SUPPORTED, outside[0], (outside[0].cmp.diff.low, outside[0].cmp.diff.high), level,
                        ps[contrasts.index(outside[0])], f"{outside[0].name}: differs by more than "
                                                         f"{margin:g}",
                        lines)  # fmt: skip
    return Decision(INCONCLUSIVE, primary, ci, level, p_primary,
                    f"an interval crosses ±{margin:g}", lines)  # fmt: skip
