"""Statistics over a results store: per task × activation summaries and paired baseline tests.

For every *board* (one task at one config and actlab version) and every activation on it
(the runs differing only in seed):

- ``mean`` and ``std`` (sample standard deviation, ddof = 1) of the final test metric over the
  seeds whose run finished ``ok`` with a finite metric; diverged and failed runs are counted
  (``n_diverged``, ``n_error``) but not averaged;
- ``ci_low, ci_high``: a 95 % bootstrap confidence interval of the mean
  (``scipy.stats.bootstrap``, 9 999 resamples, fixed generator seed 0 so reports are
  reproducible; percentile method below 10 seeds, BCa from 10 on). With 3 seeds a bootstrap CI
  is coarse: it cannot be wider than the range of the values;
- ``rank``: 1 = best mean (respecting the task's ``higher_is_better``), ties share the lower rank;
- paired comparison with the baseline activation (``relu`` by default) over the seeds both have:
  mean difference ``d̄ = mean(metric − baseline)``, the paired t-test p-value
  (``scipy.stats.ttest_rel``; needs ≥ 2 pairs; undefined — NaN — when the differences are constant
  and non-zero; 1 when all differences are zero) and the Wilcoxon signed-rank p-value
  (``scipy.stats.wilcoxon``, only from 5 pairs on: with n pairs its smallest two-sided p-value is
  2/2ⁿ, so fewer pairs can never reach 0.05);
- ``p_holm``: the t-test p-values adjusted with Holm–Bonferroni over all activations compared on
  the board (the family of tests), p₍ᵢ₎ ↦ max_{j≤i} min(1, (m − j + 1) p₍ⱼ₎);
- ``disagreement``: cross-seed reproducibility, the mean over seed pairs of the fraction of test
  examples whose predicted label differs (the "prediction difference" of Shamir et al., "Smooth
  activations and reproducibility in deep networks", arXiv 2010.09931); only for tasks returning
  predictions;
- means of the run costs (wall time, time per step, peak memory) and of the probe metrics
  (``dead_rate``, ``zero_fraction``, ``near_zero_fraction``) and ``final_train_loss``.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from actlab.bench.spec import canonical_json
from actlab.bench.store import RunRecord, Store

__all__ = ["Board", "GroupStats", "holm", "mean_curve", "prediction_disagreement", "summarize"]

MEAN_METRICS = ("final_train_loss", "best_test_metric", "dead_rate", "zero_fraction", "near_zero_fraction")
MULTIPLE_COMPARISONS_NOTE = (
    "Each activation is compared with the baseline by a paired test over seeds; with many activations "
    "some comparisons will look significant by chance (at α = 0.05, about one in twenty even when "
    "nothing differs). p(Holm) controls the family-wise error rate over all comparisons on a board "
    "(Holm–Bonferroni); read the raw p-values as descriptive only. With 3–5 seeds these tests have "
    "little power: a large p-value is not evidence that two activations are equal."
)


@dataclass
class GroupStats:
    """Summary of one activation on one board (runs differing only in seed)."""

    activation: str
    params: dict[str, Any]
    label: str
    n_runs: int
    n_ok: int
    n_diverged: int
    n_error: int
    seeds: list[int]
    values: list[float]
    mean: float = math.nan
    std: float = math.nan
    ci_low: float = math.nan
    ci_high: float = math.nan
    rank: int | None = None
    n_pairs: int = 0
    diff_mean: float = math.nan
    p_ttest: float = math.nan
    p_wilcoxon: float = math.nan
    p_holm: float = math.nan
    disagreement: float = math.nan
    wall_time: float = math.nan
    time_per_step: float = math.nan
    peak_memory: float = math.nan
    memory_delta: float = math.nan
    extras: dict[str, float] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    runs: list[RunRecord] = field(default_factory=list, repr=False)


@dataclass
class Board:
    """One task at one config (and actlab version): its activations ranked."""

    task: str
    metric: str
    higher_is_better: bool
    config: dict[str, Any]
    version: str
    title: str
    groups: list[GroupStats]
    baseline: str | None

    def ranked(self) -> list[GroupStats]:
        return sorted(self.groups, key=lambda g: (g.rank is None, g.rank or 0, g.label))


def holm(pvalues: Sequence[float]) -> list[float]:
    """Holm–Bonferroni adjusted p-values (NaN entries stay NaN and are not counted in m)."""
    idx = [i for i, p in enumerate(pvalues) if not math.isnan(p)]
    m = len(idx)
    out = [math.nan] * len(pvalues)
    running = 0.0
    for j, i in enumerate(sorted(idx, key=lambda i: pvalues[i])):
        running = max(running, min(1.0, (m - j) * pvalues[i]))
        out[i] = running
    return out


def prediction_disagreement(predictions: Sequence[Sequence[int]]) -> float:
    """Mean over pairs of the fraction of positions where two prediction vectors differ."""
    preds = [np.asarray(p) for p in predictions if p is not None]
    pairs = [(a, b) for a, b in itertools.combinations(preds, 2) if a.shape == b.shape and a.size]
    if not pairs:
        return math.nan
    return float(np.mean([np.mean(a != b) for a, b in pairs]))


def mean_curve(curves: Iterable[Sequence[float]]) -> np.ndarray:
    """Pointwise mean of curves of possibly different lengths (ignoring NaN and missing points)."""
    curves = [np.asarray(c, dtype=float) for c in curves if c is not None and len(c)]
    if not curves:
        return np.array([])
    n = max(len(c) for c in curves)
    m = np.full((len(curves), n), np.nan)
    for i, c in enumerate(curves):
        m[i, : len(c)] = c
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return np.nanmean(np.where(np.isfinite(m), m, np.nan), axis=0)


def _bootstrap_ci(values: list[float]) -> tuple[float, float]:
    if len(values) < 2:
        return math.nan, math.nan
    arr = np.asarray(values, dtype=float)
    if np.all(arr == arr[0]):
        return float(arr[0]), float(arr[0])
    from scipy.stats import bootstrap

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = bootstrap(
            (arr,),
            np.mean,
            confidence_level=0.95,
            n_resamples=9999,
            method="percentile" if len(arr) < 10 else "BCa",
            rng=np.random.default_rng(0),
        )
    return float(res.confidence_interval.low), float(res.confidence_interval.high)


def _paired(a: list[float], b: list[float]) -> tuple[float, float, float]:
    """(mean difference, paired t-test p, Wilcoxon p) of a − b."""
    from scipy.stats import ttest_rel, wilcoxon

    d = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    n = len(d)
    if n == 0:
        return math.nan, math.nan, math.nan
    diff = float(d.mean())
    if n < 2:
        return diff, math.nan, math.nan
    if np.all(d == 0):
        return diff, 1.0, (1.0 if n >= 5 else math.nan)
    if np.all(d == d[0]):
        p_t = math.nan  # constant non-zero difference: the t statistic is undefined
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            p_t = float(ttest_rel(a, b).pvalue)
    p_w = math.nan
    if n >= 5:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            p_w = float(wilcoxon(d).pvalue)
    return diff, p_t, p_w


def _finite(v: Any) -> bool:
    return isinstance(v, (int, float)) and math.isfinite(v)


def _mean(vals: Iterable[Any]) -> float:
    v = [float(x) for x in vals if _finite(x)]
    return float(np.mean(v)) if v else math.nan


def _group(runs: list[RunRecord], metric: str) -> GroupStats:
    r0 = runs[0]
    ok = [r for r in runs if r.status == "ok" and _finite(r.metrics.get(metric))]
    g = GroupStats(
        activation=r0.activation,
        params=r0.params,
        label=r0.label,
        n_runs=len(runs),
        n_ok=sum(r.status == "ok" for r in runs),
        n_diverged=sum(r.status == "diverged" for r in runs),
        n_error=sum(r.status == "error" for r in runs),
        seeds=[r.seed for r in ok],
        values=[float(r.metrics[metric]) for r in ok],
        runs=runs,
    )
    if g.values:
        g.mean = float(np.mean(g.values))
        g.std = float(np.std(g.values, ddof=1)) if len(g.values) > 1 else math.nan
        g.ci_low, g.ci_high = _bootstrap_ci(g.values)
    g.disagreement = prediction_disagreement([r.predictions for r in ok if r.predictions is not None])
    done = [r for r in runs if r.status != "error"]
    g.wall_time = _mean(r.wall_time for r in done)
    g.time_per_step = _mean(r.time_per_step for r in done)
    g.peak_memory = _mean(r.peak_memory for r in done)
    g.memory_delta = _mean(r.memory_delta for r in done)
    g.extras = {k: _mean(r.metrics.get(k) for r in ok) for k in MEAN_METRICS}
    g.errors = [(r.error or "").strip().splitlines()[0] for r in runs if r.status == "error" and r.error]
    return g


def summarize(
    source: Store | Iterable[RunRecord], baseline: str = "relu", metric: str = "test_metric"
) -> list[Board]:
    """Boards (task × config × version) with ranked, tested activation summaries."""
    runs = source.runs() if isinstance(source, Store) else list(source)
    boards: dict[tuple[str, str, str], list[RunRecord]] = {}
    for r in runs:
        boards.setdefault((r.task, canonical_json(r.config), r.version), []).append(r)
    per_task: dict[str, int] = {}
    for task, _, _ in boards:
        per_task[task] = per_task.get(task, 0) + 1

    out = []
    for (task, cfg_json, version), rs in sorted(boards.items()):
        info = next((r for r in rs if r.metric is not None), rs[0])
        hib = True if info.higher_is_better is None else bool(info.higher_is_better)
        groups: dict[str, list[RunRecord]] = {}
        for r in rs:
            groups.setdefault(r.group, []).append(r)
        stats = [_group(sorted(g, key=lambda r: r.seed), metric) for g in groups.values()]
        _rank(stats, hib)
        base = next((g for g in stats if g.activation == baseline and not g.params), None)
        if base is not None:
            base_by_seed = dict(zip(base.seeds, base.values))
            for g in stats:
                if g is base:
                    continue
                pairs = [(v, base_by_seed[s]) for s, v in zip(g.seeds, g.values) if s in base_by_seed]
                g.n_pairs = len(pairs)
                if pairs:
                    a, b = map(list, zip(*pairs))
                    g.diff_mean, g.p_ttest, g.p_wilcoxon = _paired(a, b)
            others = [g for g in stats if g is not base]
            for g, p in zip(others, holm([g.p_ttest for g in others])):
                g.p_holm = p
        title = task
        if per_task[task] > 1:
            title = f"{task} [config {hashlib.sha256(cfg_json.encode()).hexdigest()[:8]}, v{version}]"
        out.append(
            Board(
                task=task,
                metric=info.metric or metric,
                higher_is_better=hib,
                config=rs[0].config,
                version=version,
                title=title,
                groups=stats,
                baseline=base.label if base is not None else None,
            )
        )
    return out


def _rank(stats: list[GroupStats], higher_is_better: bool) -> None:
    scored = [g for g in stats if not math.isnan(g.mean)]
    keyed = sorted(scored, key=lambda g: -g.mean if higher_is_better else g.mean)
    rank, prev = 0, None
    for i, g in enumerate(keyed):
        if prev is None or g.mean != prev:
            rank, prev = i + 1, g.mean
        g.rank = rank
