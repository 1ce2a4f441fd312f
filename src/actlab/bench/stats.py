"""Statistics over a results store: per task × activation summaries, paired tests, the set of
activations indistinguishable from the best.

For every *board* (one task at one config and actlab version; runs that differ only in the
learning rate form one board, see "Learning rates") and every activation on it (the runs
differing only in seed):

- ``mean``, ``std`` (ddof = 1) of the final test metric over the seeds whose run finished ``ok``;
- **Interval** ``ci_low, ci_high``: a 95 % Student-t interval of the mean, with nominal coverage at
  small n (for normal seed-to-seed variation; checked by simulation in the tests). For
  classification tasks the interval also covers the **test-set sampling error**: the test set is
  one sample of examples, shared by all seeds, so its error does not average out over seeds. With
  c₍ₛ,ᵢ₎ ∈ {0, 1} the correctness of seed s on example i (N examples, k seeds),

      mean ± sqrt(t²₍k−1₎ · s²/k + z² · V_test),   V_test = [Var_i(d̄ᵢ) − mean_i(s²ᵢ)/k] / N  (≥ 0),

  d̄ᵢ the mean over seeds of c₍ₛ,ᵢ₎ and s²ᵢ its variance over seeds (the subtraction removes the
  seed noise already in s²/k): the seed part keeps its Student quantile, the test-set part (N in
  the hundreds) its normal one. With V_test = 0 this is the t-interval; its simulated coverage
  (latent example difficulty × seed effect, k = 2, 3, 5, seed effects from none to dominant) is
  0.95–0.98, where Welch–Satterthwaite degrees of freedom gave 0.88–0.94 at k ≤ 3. p-values are
  the matching two-sided tests (the level at which the interval reaches 0). Other metrics (MSE,
  PSNR, bits per character) have seed-only intervals; the report says which. Values constant over
  seeds give no interval ("constant").
- **Divergence counts against the activation**: a diverged run produced no usable model, so in
  ranks and in the tests against the best it takes the board's *failure value*: the worst finished
  value minus the spread of the finished values (worst − (best − worst) when higher is better,
  worst + (worst − best) otherwise) — worse than any finished run, on the metric's own scale. An
  activation with 1 finished run of 3 thus cannot rank first on the strength of that one run;
  ``div_rate`` is shown. Errors (exceptions) are not the activation's doing and are only counted.
- **Rank**: by the imputed mean; means equal to 10 significant digits share a rank (ties are
  not split by float rounding).
- **Indistinguishable from the best** (``in_top``): each activation is compared with the best
  ranked one by a paired test over their common seeds (imputed values; test-set error included
  as above; a difference constant over seeds is tested by the exact Wilcoxon test); Holm over
  those comparisons; ``in_top`` unless that adjusted p < 0.05 (the best itself, ties with it and
  activations with fewer than 2 pairs, which cannot be told apart, are in the set).
- **Paired comparison with the baseline** (``relu`` by default): Δ = mean(metric − baseline) over
  the common seeds (``n_pairs``), its 95 % interval ``diff_ci`` (paired t, plus the test-set error
  of the difference computed from both runs' correctness on the same examples), the direction
  ("better"/"worse" for the task's ``higher_is_better``), the p-value of that t-test
  (``p_ttest``), Holm over the board (``p_holm``) and over the whole report (``p_holm_all``: the
  family-wise error over every comparison of every board), and the exact Wilcoxon signed-rank
  p-value with its smallest attainable value 2/2ⁿ (``wilcoxon_min_p``: with n ≤ 5 pairs it cannot
  reach 0.05). Differences constant over seeds (to 1e-12, float rounding included) have no
  t-test: the note says so and no p-value is invented.
- ``disagreement``: the mean over seed pairs of the fraction of test examples whose predicted
  label differs (Shamir et al., arXiv 2010.09931). It tracks the error rate (a model that is
  wrong more often has more to disagree on), so compare it at matched accuracy: the report
  plots it against accuracy.
- costs: wall time, time per step, bytes saved for backward per step (the activation's own memory
  cost), CUDA peak allocation; the probe metrics ``dead_rate``, ``zero_fraction``,
  ``near_zero_fraction`` and ``final_train_loss``.

**Learning rates.** Every activation of a board is trained with the task config's learning rate
unless the sweep asked for a learning-rate grid (``actlab bench --lrs``): then the runs differing
only in ``lr`` form one board and each activation is reported at *its* best learning rate, chosen
by the mean validation metric (``val_metric``, a split of the training data, never the test set;
tasks without one fall back to the final training loss), shown as ``lr``.
"""

from __future__ import annotations

import itertools
import json
import math
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from actlab.bench.spec import canonical_json
from actlab.bench.store import RunRecord, Store

__all__ = [
    "Board",
    "Comparison",
    "GroupStats",
    "Interval",
    "holm",
    "mean_curve",
    "mean_interval",
    "paired",
    "prediction_disagreement",
    "summarize",
    "test_set_variance",
]

ALPHA = 0.05
MEAN_METRICS = ("final_train_loss", "best_test_metric", "dead_rate", "zero_fraction", "near_zero_fraction",
                "val_metric")  # fmt: skip
MULTIPLE_COMPARISONS_NOTE = (
    "Each activation is compared with the baseline by a paired test over seeds; with many activations "
    "some comparisons look significant by chance (at α = 0.05 about one in twenty when nothing differs). "
    "p(Holm) controls the family-wise error rate over the comparisons of one board (Holm–Bonferroni); "
    "p(Holm, all) over every comparison in this report. Read raw p-values as descriptive only. With 3–5 "
    "seeds these tests have little power: a large p-value is not evidence that two activations are equal."
)


# ---------------------------------------------------------------------------- intervals and tests


@dataclass
class Interval:
    """A mean (or mean difference) with its standard error, degrees of freedom and interval."""

    estimate: float
    low: float
    high: float
    se: float
    df: float
    n: int
    test_set: bool  # whether the test-set sampling error is included
    note: str = ""

    @property
    def finite(self) -> bool:
        return math.isfinite(self.low) and math.isfinite(self.high)


def test_set_variance(correct: Sequence[Sequence[float]]) -> tuple[float, int]:
    """``(V_test, N)``: the test-set sampling variance of the mean over seeds of per-example
    scores ``correct[s][i]`` (k seeds × N examples), seed noise removed (module docstring)."""
    c = np.asarray(correct, dtype=float)
    if c.ndim != 2 or c.shape[1] < 2:
        return math.nan, 0
    k, n = c.shape
    d = c.mean(axis=0)
    v = d.var(ddof=1)
    if k >= 2:
        v -= c.var(axis=0, ddof=1).mean() / k
    return max(0.0, float(v)) / n, n


def _halfwidth(level: float, vs: float, k: int, v_test: float) -> float:
    """Half-width sqrt(t²₍k−1₎·V_seed + z²·V_test) at confidence ``level`` (module docstring)."""
    from scipy.stats import norm
    from scipy.stats import t as student

    q_s = float(student.ppf(0.5 + level / 2, k - 1)) if k > 1 and vs > 0 else 0.0
    q_t = float(norm.ppf(0.5 + level / 2)) if v_test > 0 else 0.0
    return math.sqrt(q_s**2 * (vs if vs > 0 else 0.0) + q_t**2 * (v_test if v_test > 0 else 0.0))


def _p_value(est: float, vs: float, k: int, v_test: float) -> float:
    """Two-sided p of H0: mean = 0 for the interval of :func:`_halfwidth` (the level at which the
    interval just reaches 0; for V_test = 0 exactly the one-sample t-test)."""
    from scipy.optimize import brentq

    if not math.isfinite(est):
        return math.nan
    if est == 0:
        return 1.0
    f = lambda lv: _halfwidth(lv, vs, k, v_test) - abs(est)  # noqa: E731
    lo, hi = 1e-12, 1 - 1e-15
    if f(hi) < 0:
        return 1e-15
    if f(lo) > 0:
        return 1.0
    return 1.0 - brentq(f, lo, hi, xtol=1e-14)


def _interval(values: np.ndarray, v_test: float, n_test: int, level: float) -> Interval:
    k = len(values)
    has_test = math.isfinite(v_test) and n_test > 1
    if k == 0:
        return Interval(math.nan, math.nan, math.nan, math.nan, math.nan, 0, False, "no finished run")
    est = float(values.mean())
    vs = float(values.var(ddof=1)) / k if k > 1 else 0.0
    if k > 1 and float(np.ptp(values)) <= 1e-12 * max(1.0, abs(est)):
        vs = 0.0  # constant over seeds (float rounding included)
    vt = v_test if has_test else 0.0
    note = "" if k > 1 else "one seed: test-set error only"
    if k < 2 and not has_test:
        return Interval(est, math.nan, math.nan, math.nan, math.nan, k, False, "one seed")
    if vs == 0 and vt == 0:
        what = "seeds and examples" if has_test else "seeds"
        return Interval(est, math.nan, math.nan, 0.0, math.nan, k, has_test, f"constant over {what}")
    h = _halfwidth(level, vs, k, vt)
    return Interval(est, est - h, est + h, math.sqrt(vs + vt), float(k - 1), k, has_test, note)


def mean_interval(
    values: Sequence[float], correct: Sequence[Sequence[float]] | None = None, level: float = 0.95
) -> Interval:
    """Student-t interval of the mean of ``values`` (one per seed); with ``correct`` (per seed,
    per test example), the test-set sampling error is included (module docstring)."""
    arr = np.asarray([v for v in values if math.isfinite(v)], dtype=float)
    v_test, n = test_set_variance(correct) if correct is not None else (math.nan, 0)
    return _interval(arr, v_test, n, level)


@dataclass
class Comparison:
    """A paired comparison a − b over common seeds."""

    n_pairs: int
    diff: Interval
    p_ttest: float
    p_wilcoxon: float
    wilcoxon_min_p: float
    note: str = ""

    def direction(self, higher_is_better: bool) -> str:
        d = self.diff.estimate
        if not math.isfinite(d) or d == 0:
            return "equal" if d == 0 else "–"
        return "better" if (d > 0) == higher_is_better else "worse"


def paired(
    a: Sequence[float],
    b: Sequence[float],
    a_correct: Sequence[Sequence[float]] | None = None,
    b_correct: Sequence[Sequence[float]] | None = None,
    level: float = 0.95,
) -> Comparison:
    """Paired comparison of ``a`` and ``b`` (aligned by seed): mean difference with its interval,
    the t-test of that difference (test-set error of the difference included when both
    correctness matrices are given), and the exact Wilcoxon signed-rank test."""
    from scipy.stats import wilcoxon

    d = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    d = d[np.isfinite(d)]
    n = len(d)
    dc = None
    if a_correct is not None and b_correct is not None and len(a_correct) == len(b_correct) > 0:
        ca, cb = np.asarray(a_correct, dtype=float), np.asarray(b_correct, dtype=float)
        if ca.shape == cb.shape and ca.ndim == 2:
            dc = ca - cb
    v_test, n_test = test_set_variance(dc) if dc is not None else (math.nan, 0)
    iv = _interval(d, v_test, n_test, level)
    note = iv.note
    p_t = math.nan
    if n and math.isfinite(iv.se) and iv.se > 0:
        varies = n > 1 and float(np.ptp(d)) > 1e-12 * max(1.0, abs(iv.estimate))
        vs = float(d.var(ddof=1)) / n if varies else 0.0
        vt = v_test if math.isfinite(v_test) and n_test > 1 else 0.0
        p_t = _p_value(iv.estimate, vs, n, vt)
    elif n >= 2 and np.all(np.abs(d) <= 1e-12 * max(1.0, float(np.abs(d).max()))):
        p_t, note = 1.0, "identical over all pairs"
    elif n >= 2:
        note = f"constant difference over {n} pairs: no t-test (no variation)"
    nz = int(np.sum(np.abs(d) > 1e-12 * max(1.0, float(np.abs(d).max()) if n else 1.0)))
    wmin = 2.0 / 2**nz if nz else math.nan
    p_w = math.nan
    if nz >= 1 and n >= 2:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                p_w = float(wilcoxon(d, method="exact" if n <= 25 else "auto").pvalue)
            except ValueError:
                p_w = math.nan
    return Comparison(n, iv, p_t, p_w, min(1.0, wmin) if math.isfinite(wmin) else math.nan, note)


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


# ---------------------------------------------------------------------------- boards


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
    ci_note: str = ""
    ci_test_set: bool = False
    rank: int | None = None
    imputed_mean: float = math.nan
    div_rate: float = 0.0
    in_top: bool = False
    p_best: float = math.nan
    n_pairs: int = 0
    diff_mean: float = math.nan
    diff_ci: tuple[float, float] = (math.nan, math.nan)
    direction: str = ""
    compare_note: str = ""
    p_ttest: float = math.nan
    p_wilcoxon: float = math.nan
    wilcoxon_min_p: float = math.nan
    p_holm: float = math.nan
    p_holm_all: float = math.nan
    disagreement: float = math.nan
    wall_time: float = math.nan
    time_per_step: float = math.nan
    saved_bytes: float = math.nan
    peak_gpu_memory: float = math.nan
    peak_memory: float = math.nan
    memory_delta: float = math.nan
    lr: float | None = None
    lr_scores: dict[float, float] = field(default_factory=dict)
    extras: dict[str, float] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    runs: list[RunRecord] = field(default_factory=list, repr=False)
    imputed: dict[int, float] = field(default_factory=dict, repr=False)  # seed -> value (diverged imputed)


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
    lr_sweep: list[float] = field(default_factory=list)
    lr_selected_on: str = ""

    def ranked(self) -> list[GroupStats]:
        return sorted(self.groups, key=lambda g: (g.rank is None, g.rank or 0, g.label))

    @property
    def best(self) -> GroupStats | None:
        r = self.ranked()
        return r[0] if r and r[0].rank else None

    @property
    def top(self) -> list[GroupStats]:
        return [g for g in self.ranked() if g.in_top]

    @property
    def test_set_error(self) -> bool:
        return any(g.ci_test_set for g in self.groups)


def _finite(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _mean(vals: Iterable[Any]) -> float:
    v = [float(x) for x in vals if _finite(x)]
    return float(np.mean(v)) if v else math.nan


def _correct_matrix(runs: Sequence[RunRecord]) -> list[list[int]] | None:
    cs = [r.correct for r in runs]
    if not cs or any(c is None for c in cs) or len({len(c) for c in cs}) != 1:
        return None
    return cs  # type: ignore[return-value]


def _group(runs: list[RunRecord], metric: str) -> GroupStats:
    r0 = runs[0]
    ok = [r for r in runs if r.status == "ok" and _finite(r.metrics.get(metric))]
    g = GroupStats(
        activation=r0.activation, params=r0.params, label=r0.label, n_runs=len(runs),
        n_ok=sum(r.status == "ok" for r in runs), n_diverged=sum(r.status == "diverged" for r in runs),
        n_error=sum(r.status == "error" for r in runs), seeds=[r.seed for r in ok],
        values=[float(r.metrics[metric]) for r in ok], runs=runs,
    )  # fmt: skip
    if g.values:
        iv = mean_interval(g.values, _correct_matrix(ok))
        g.mean, g.ci_low, g.ci_high = iv.estimate, iv.low, iv.high
        g.ci_note, g.ci_test_set = iv.note, iv.test_set
        g.std = float(np.std(g.values, ddof=1)) if len(g.values) > 1 else math.nan
    g.disagreement = prediction_disagreement([r.predictions for r in ok if r.predictions is not None])
    done = [r for r in runs if r.status != "error"]
    g.div_rate = g.n_diverged / len(done) if done else 0.0
    g.wall_time = _mean(r.wall_time for r in done)
    g.time_per_step = _mean(r.time_per_step for r in done)
    g.saved_bytes = _mean(r.saved_bytes for r in done)
    g.peak_gpu_memory = _mean(r.peak_gpu_memory for r in done)
    g.peak_memory = _mean(r.peak_memory for r in done)
    g.memory_delta = _mean(r.memory_delta for r in done)
    g.extras = {k: _mean(r.metrics.get(k) for r in ok) for k in MEAN_METRICS}
    g.errors = [(r.error or "").strip().splitlines()[0] for r in runs if r.status == "error" and r.error]
    return g


def _rank(stats: list[GroupStats], higher_is_better: bool) -> None:
    scored = [g for g in stats if not math.isnan(g.imputed_mean)]
    key = lambda g: float(f"{g.imputed_mean:.10g}")  # noqa: E731  (ties to 10 significant digits)
    keyed = sorted(scored, key=lambda g: -key(g) if higher_is_better else key(g))
    rank, prev = 0, None
    for i, g in enumerate(keyed):
        if prev is None or key(g) != prev:
            rank, prev = i + 1, key(g)
        g.rank = rank


def _impute(stats: list[GroupStats], metric: str, higher_is_better: bool) -> None:
    """Diverged runs take the board's failure value (module docstring)."""
    finished = [v for g in stats for v in g.values]
    fail = math.nan
    if finished:
        lo, hi = min(finished), max(finished)
        spread = (hi - lo) or max(abs(lo), 1e-12)
        fail = lo - spread if higher_is_better else hi + spread
    for g in stats:
        g.imputed = dict(zip(g.seeds, g.values))
        for r in g.runs:
            if r.status == "diverged" and math.isfinite(fail):
                g.imputed[r.seed] = fail
        vals = list(g.imputed.values())
        g.imputed_mean = float(np.mean(vals)) if vals else math.nan


def _pair_lists(g: GroupStats, h: GroupStats, imputed: bool) -> tuple[list[float], list[float], Any, Any]:
    ga = g.imputed if imputed else dict(zip(g.seeds, g.values))
    hb = h.imputed if imputed else dict(zip(h.seeds, h.values))
    seeds = sorted(set(ga) & set(hb))
    ok_g = {r.seed: r for r in g.runs if r.status == "ok"}
    ok_h = {r.seed: r for r in h.runs if r.status == "ok"}
    ca = cb = None
    if all(s in ok_g and s in ok_h for s in seeds):
        ca = _correct_matrix([ok_g[s] for s in seeds])
        cb = _correct_matrix([ok_h[s] for s in seeds])
        if ca is None or cb is None or len(ca[0]) != len(cb[0]):
            ca = cb = None
    return [ga[s] for s in seeds], [hb[s] for s in seeds], ca, cb


def _select_lr(runs: list[RunRecord], hib: bool) -> tuple[list[RunRecord], float | None, dict, str]:
    """Runs of one activation at its best learning rate (by mean validation metric)."""
    by_lr: dict[float, list[RunRecord]] = {}
    for r in runs:
        by_lr.setdefault(float(r.config.get("lr", math.nan)), []).append(r)
    if len(by_lr) == 1:
        return runs, next(iter(by_lr)), {}, ""
    use_val = any(_finite(r.metrics.get("val_metric")) for r in runs)
    scores = {}
    for lr, rs in by_lr.items():
        ok = [r for r in rs if r.status == "ok"]
        if use_val:
            v = _mean(r.metrics.get("val_metric") for r in ok)
            good = v if hib else -v
        else:
            v = _mean(r.metrics.get("final_train_loss") for r in ok)
            good = -v
        # a learning rate whose runs diverge is never preferred to one that finishes
        frac_ok = len(ok) / max(1, sum(r.status != "error" for r in rs))
        scores[lr] = (frac_ok, good if math.isfinite(good) else -math.inf, v)
    best = max(scores, key=lambda lr: scores[lr][:2])
    return by_lr[best], best, {lr: s[2] for lr, s in scores.items()}, ("val_metric" if use_val else
                                                                       "final_train_loss")


def _label_boards(keys: list[tuple[str, str, str]]) -> dict[tuple[str, str, str], str]:
    """Titles: the task, plus the config keys (and version) that tell its boards apart."""
    out = {}
    by_task: dict[str, list[tuple[str, str, str]]] = {}
    for k in keys:
        by_task.setdefault(k[0], []).append(k)
    for task, ks in by_task.items():
        if len(ks) == 1:
            out[ks[0]] = task
            continue
        cfgs = [json.loads(k[1]) for k in ks]
        names = sorted({n for c in cfgs for n in c})
        differ = [n for n in names if len({canonical_json(c.get(n)) for c in cfgs}) > 1]
        versions = len({k[2] for k in ks}) > 1
        for k, c in zip(ks, cfgs):
            parts = [f"{n}={_short(c.get(n))}" for n in differ]
            if versions:
                parts.append(f"v{k[2]}")
            out[k] = f"{task} {' '.join(parts)}".strip()
    return out


def _short(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, str):
        return v
    text = canonical_json(v)
    return text if len(text) <= 40 else text[:37] + "..."


def summarize(
    source: Store | Iterable[RunRecord], baseline: str = "relu", metric: str = "test_metric"
) -> list[Board]:
    """Boards (task × config × version) with ranked, tested activation summaries."""
    runs = source.runs() if isinstance(source, Store) else list(source)
    # a learning-rate grid: runs that differ only in config["lr"] share a board
    lr_free: dict[tuple[str, str, str], set[float]] = {}
    for r in runs:
        cfg = {k: v for k, v in r.config.items() if k != "lr"}
        lr = float(r.config.get("lr", math.nan))
        lr_free.setdefault((r.task, canonical_json(cfg), r.version), set()).add(lr)
    boards: dict[tuple[str, str, str], list[RunRecord]] = {}
    for r in runs:
        cfg = {k: v for k, v in r.config.items() if k != "lr"}
        k = (r.task, canonical_json(cfg), r.version)
        if len(lr_free[k]) <= 1:
            k = (r.task, canonical_json(r.config), r.version)
        boards.setdefault(k, []).append(r)
    titles = _label_boards(list(boards))

    out = []
    all_tests: list[tuple[GroupStats, float]] = []
    for bkey, rs in sorted(boards.items()):
        task, cfg_json, version = bkey
        info = next((r for r in rs if r.metric is not None), rs[0])
        hib = True if info.higher_is_better is None else bool(info.higher_is_better)
        groups: dict[str, list[RunRecord]] = {}
        for r in rs:
            ident = canonical_json({"a": r.activation, "p": r.params})
            groups.setdefault(ident, []).append(r)
        lrs = sorted({float(r.config.get("lr", math.nan)) for r in rs})
        sweep = len(lrs) > 1
        stats, selected_on = [], ""
        for g_runs in groups.values():
            chosen, lr, scores, selected_on_g = _select_lr(g_runs, hib) if sweep else (g_runs, None, {}, "")
            selected_on = selected_on or selected_on_g
            g = _group(sorted(chosen, key=lambda r: r.seed), metric)
            g.lr, g.lr_scores = lr, scores
            stats.append(g)
        _impute(stats, metric, hib)
        _rank(stats, hib)
        _top_set(stats, hib)
        base = next((g for g in stats if g.activation == baseline and not g.params), None)
        if base is not None:
            for g in stats:
                if g is base:
                    continue
                a, b, ca, cb = _pair_lists(g, base, imputed=False)
                g.n_pairs = len(a)
                if a:
                    c = paired(a, b, ca, cb)
                    g.diff_mean, g.diff_ci = c.diff.estimate, (c.diff.low, c.diff.high)
                    g.p_ttest, g.p_wilcoxon, g.wilcoxon_min_p = c.p_ttest, c.p_wilcoxon, c.wilcoxon_min_p
                    g.direction, g.compare_note = c.direction(hib), c.note
                    all_tests.append((g, g.p_ttest))
            others = [g for g in stats if g is not base]
            for g, p in zip(others, holm([g.p_ttest for g in others])):
                g.p_holm = p
        cfg = dict(rs[0].config)
        if sweep:
            cfg.pop("lr", None)
        out.append(Board(
            task=task, metric=info.metric or metric, higher_is_better=hib, config=cfg, version=version,
            title=titles[bkey], groups=stats, baseline=base.label if base is not None else None,
            lr_sweep=lrs if sweep else [], lr_selected_on=selected_on,
        ))  # fmt: skip
    for (g, _), p in zip(all_tests, holm([p for _, p in all_tests])):
        g.p_holm_all = p
    return out


def _top_set(stats: list[GroupStats], hib: bool) -> None:
    ranked = sorted((g for g in stats if g.rank), key=lambda g: g.rank)
    if not ranked:
        return
    best = ranked[0]
    best.in_top = True
    others = [g for g in ranked[1:]]
    ps = []
    for g in others:
        if g.rank == best.rank:
            ps.append(math.nan)
            continue
        a, b, ca, cb = _pair_lists(g, best, imputed=True)
        if len(a) < 2:
            ps.append(math.nan)
            continue
        c = paired(a, b, ca, cb)  # a constant difference has no t-test: its exact Wilcoxon p then
        ps.append(c.p_ttest if math.isfinite(c.p_ttest) else c.p_wilcoxon)
    for g, p, adj in zip(others, ps, holm(ps)):
        g.p_best = adj
        g.in_top = g.rank == best.rank or math.isnan(p) or adj >= ALPHA
