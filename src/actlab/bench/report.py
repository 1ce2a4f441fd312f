"""The report of a results store: ``report.md`` (+ ``plots/*.png``) and one self-contained
``report.html`` (the same content, every plot embedded as a base64 PNG, no external resources).

Per board (task × config): the leaderboard, a bar chart of the mean metric with its 95 % interval,
mean training-loss curves, metric versus wall time per run, prediction disagreement versus
accuracy (tasks with predictions), sparsity versus training loss (when the task reports activation
sparsity), and, for tasks that return a learning-rate grid (``xor``), success rate versus learning
rate. The statistics are those of :mod:`actlab.bench.stats`.

**Safe to open.** A store is a file people share, and every string in it (activation names,
parameters, task names, config values, errors, hosts) may be hostile. Every such string is
escaped for Markdown (:func:`md_escape`) before it enters the report, and the Markdown is rendered
to HTML with raw HTML disabled (markdown-it's ``html=False``; links with ``javascript:`` and
similar schemes are refused by its link validation), so neither file can carry markup or script
from a store. Only image files inside the output folder are embedded. In plot labels a store's ``$``
is escaped, so no store string is parsed as mathtext.

Extension hooks (``section(store, out_dir) -> str | None`` returning Markdown; images it writes
under ``out_dir`` and references by relative path are embedded in the HTML; raw HTML is not
rendered): :data:`SECTIONS` are appended at the end, :data:`LEADING_SECTIONS` come first, before
the bench's boards (the claims board, :mod:`actlab.claims`, opens the report this way).
:data:`EXCLUDED_RUNS` holds callables ``f(store) -> set of run keys`` whose runs a leading section
reports itself: a board made only of such runs is left out (a board that also has other runs keeps
all of them).
"""

from __future__ import annotations

import base64
import html
import math
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from actlab.bench.stats import MULTIPLE_COMPARISONS_NOTE, Board, GroupStats, mean_curve, summarize
from actlab.bench.store import RunRecord, Store

__all__ = ["EXCLUDED_RUNS", "LEADING_SECTIONS", "SECTIONS", "md_escape", "render_html", "write_report"]

Section = Callable[[Store, Path], "str | None"]
SECTIONS: list[Section] = []
LEADING_SECTIONS: list[Section] = []
EXCLUDED_RUNS: list[Callable[[Store], set[str]]] = []

_MB = 1024 * 1024
MAX_CURVES = 12  # line plots show at most this many activations (the best ranked) + the baseline
_MD_SPECIAL = re.compile(r"([\\`*_\[\]()<>|#!&~])")
_IMAGE_SUFFIXES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif"}


def md_escape(text: Any, limit: int | None = None) -> str:
    """``text`` as literal Markdown: every ASCII punctuation character that Markdown (or raw HTML
    in it) could interpret is backslash-escaped, line breaks become spaces, control characters go.
    ``limit`` cuts the text (before escaping) to that many characters."""
    t = str(text)
    if limit is not None and len(t) > limit:
        t = t[: max(0, limit - 1)] + "…"
    t = "".join(" " if ch in "\r\n\t" else ch for ch in t if ch in "\r\n\t" or ord(ch) >= 32)
    return _MD_SPECIAL.sub(r"\\\1", t)


def _fmt(v: float | None, digits: int = 4) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    return f"{v:.{digits}g}"


def _p(v: float) -> str:
    if v is None or math.isnan(v):
        return "–"
    return "<0.001" if v < 1e-3 else f"{v:.3f}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "x"


def _mt(text: Any) -> str:
    """A store string as plain text in a matplotlib label: ``$`` would start mathtext (a hostile
    label could then fail to render); escaped, it is drawn as is."""
    return str(text).replace("$", r"\$")


def _kb(v: float) -> str:
    if v is None or math.isnan(v):
        return "–"
    return f"{v / 1024:.3g}"


# ---------------------------------------------------------------------------- plots


class Plots:
    """Writes PNGs under ``out/plots`` and returns their relative paths (also used by claims)."""

    def __init__(self, out: Path):
        import matplotlib

        matplotlib.use("Agg", force=True)
        import matplotlib.pyplot as plt

        self.plt = plt
        self.dir = out / "plots"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.out = out
        self.used: set[str] = set()

    def save(self, fig: Any, name: str) -> str:
        name = _slug(name)
        while name in self.used:
            name += "-x"
        self.used.add(name)
        path = self.dir / f"{name}.png"
        import warnings

        with warnings.catch_warnings():  # long labels (a store's) can defeat tight_layout: draw anyway
            warnings.simplefilter("ignore", UserWarning)
            fig.tight_layout()
        fig.savefig(path, dpi=100)
        self.plt.close(fig)
        return path.relative_to(self.out).as_posix()

    def colors(self, n: int) -> list:
        cmap = self.plt.get_cmap("tab20" if n > 10 else "tab10")
        return [cmap(i % cmap.N) for i in range(n)]

    def bars(self, board: Board, slug: str) -> str | None:
        gs = [g for g in board.ranked() if not math.isnan(g.mean)]
        if not gs:
            return None
        fig, ax = self.plt.subplots(figsize=(7, 0.35 * len(gs) + 1.4))
        y = np.arange(len(gs))[::-1]
        means = np.array([g.mean for g in gs])
        lo = np.array([g.mean - g.ci_low if not math.isnan(g.ci_low) else 0.0 for g in gs])
        hi = np.array([g.ci_high - g.mean if not math.isnan(g.ci_high) else 0.0 for g in gs])
        colors = ["#d62728" if g.label == board.baseline else ("#1f77b4" if g.in_top else "#9ab")
                  for g in gs]  # fmt: skip
        ax.barh(y, means, xerr=np.vstack([lo, hi]), color=colors, alpha=0.85, capsize=3)
        ax.set_yticks(y, [_mt(g.label) for g in gs])
        ax.set_xlabel(f"{_mt(board.metric)} ({'higher' if board.higher_is_better else 'lower'} is better)")
        what = "seeds + test set" if board.test_set_error else "seeds"
        ax.set_title(f"{_mt(board.title)}: mean, 95 % CI ({what}); dark = indistinguishable from best")
        span = max(means.max() + hi.max(), 0) - min(means.min() - lo.max(), 0)
        lo_lim = means.min() - lo.max()
        if lo_lim > 0 and span > 0:  # zoom in when every value is far from zero
            ax.set_xlim(left=max(0.0, lo_lim - 0.1 * (means.max() + hi.max() - lo_lim)))
        return self.save(fig, f"{slug}-bars")

    @staticmethod
    def _shown(board: Board) -> tuple[list, str]:
        """Curves of many activations are unreadable: the best ``MAX_CURVES`` by rank + the baseline."""
        ranked = board.ranked()
        if len(ranked) <= MAX_CURVES:
            return ranked, ""
        top = ranked[:MAX_CURVES]
        top += [g for g in ranked[MAX_CURVES:] if g.label == board.baseline]
        return top, f" (best {MAX_CURVES} of {len(ranked)} + baseline)"

    def loss_curves(self, board: Board, slug: str) -> str | None:
        series = []
        shown, note = self._shown(board)
        for g in shown:
            c = mean_curve([r.curves.get("train_loss") for r in g.runs if r.status != "error"])
            if c.size and np.isfinite(c).any():
                series.append((_mt(g.label), c))
        if not series:
            return None
        fig, ax = self.plt.subplots(figsize=(7, 4))
        for (lab, c), col in zip(series, self.colors(len(series))):
            ax.plot(np.arange(1, len(c) + 1), c, label=lab, color=col, lw=1.3)
        finite = np.concatenate([c[np.isfinite(c)] for _, c in series])
        if finite.size and finite.min() > 0 and finite.max() / finite.min() > 20:
            ax.set_yscale("log")
        ax.set_xlabel("logging step")
        ax.set_ylabel("training loss (mean over seeds)")
        ax.set_title(f"{_mt(board.title)}: training loss{note}")
        ax.legend(fontsize=7, ncol=2 if len(series) > 8 else 1, loc="best")
        return self.save(fig, f"{slug}-loss")

    def metric_vs_time(self, board: Board, slug: str) -> str | None:
        gs = [g for g in board.groups if not (math.isnan(g.mean) or math.isnan(g.wall_time))]
        if not gs:
            return None
        fig, ax = self.plt.subplots(figsize=(7, 4.5))
        for g, col in zip(gs, self.colors(len(gs))):
            ax.errorbar(g.wall_time, g.mean, yerr=0 if math.isnan(g.std) else g.std, fmt="o", color=col)
            ax.annotate(_mt(g.label), (g.wall_time, g.mean), fontsize=7, xytext=(3, 3),
                        textcoords="offset points")
        ax.set_xlabel("wall time per run (s, after warm-up)")
        ax.set_ylabel(f"{_mt(board.metric)} (mean ± std)")
        ax.set_title(f"{_mt(board.title)}: {_mt(board.metric)} versus time")
        return self.save(fig, f"{slug}-time")

    def disagreement_vs_metric(self, board: Board, slug: str) -> str | None:
        pts = [(_mt(g.label), g.mean, g.disagreement) for g in board.groups
               if not (math.isnan(g.mean) or math.isnan(g.disagreement))]  # fmt: skip
        if len(pts) < 2:
            return None
        fig, ax = self.plt.subplots(figsize=(7, 4.5))
        for (lab, m, d), col in zip(pts, self.colors(len(pts))):
            ax.scatter([m], [d], color=col)
            ax.annotate(lab, (m, d), fontsize=7, xytext=(3, 3), textcoords="offset points")
        ax.set_xlabel(f"{_mt(board.metric)} (mean over seeds)")
        ax.set_ylabel("prediction disagreement between seeds")
        ax.set_title(f"{_mt(board.title)}: reproducibility at a given {_mt(board.metric)}")
        return self.save(fig, f"{slug}-disagreement")

    def sparsity_vs_loss(self, board: Board, slug: str) -> str | None:
        pts = []
        for g in board.groups:
            z = g.extras.get("zero_fraction", math.nan)
            if math.isnan(z):
                z = g.extras.get("near_zero_fraction", math.nan)
            loss = g.extras.get("final_train_loss", math.nan)
            if not (math.isnan(z) or math.isnan(loss)):
                pts.append((_mt(g.label), z, loss))
        if not pts:
            return None
        fig, ax = self.plt.subplots(figsize=(7, 4.5))
        for (lab, z, loss), col in zip(pts, self.colors(len(pts))):
            ax.scatter([z], [loss], color=col)
            ax.annotate(lab, (z, loss), fontsize=7, xytext=(3, 3), textcoords="offset points")
        ax.set_xlabel("activation sparsity (fraction of exact zeros on test data)")
        ax.set_ylabel("final training loss")
        ax.set_title(f"{_mt(board.title)}: sparsity versus loss")
        return self.save(fig, f"{slug}-sparsity")

    def success_vs_lr(self, board: Board, slug: str) -> str | None:
        runs = [r for g in board.groups for r in g.runs if r.status != "error" and "lr" in r.curves]
        if not runs:
            return None
        lrs = runs[0].curves["lr"]
        keys = sorted({k for r in runs for k, v in r.curves.items() if k.startswith("success")
                       and len(v) == len(lrs)})  # fmt: skip
        if not keys or len(lrs) < 2:
            return None
        fig, axes = self.plt.subplots(1, len(keys), figsize=(5 * len(keys), 4), squeeze=False)
        groups, note = self._shown(board)
        colors = self.colors(len(groups))
        for ax, k in zip(axes[0], keys):
            for g, col in zip(groups, colors):
                cs = [r.curves.get(k) for r in g.runs if r.status != "error" and r.curves.get("lr") == lrs]
                c = mean_curve(cs)
                if c.size == len(lrs):
                    ax.plot(lrs, c, marker="o", ms=3, lw=1.2, label=_mt(g.label), color=col)
            ax.set_xscale("log")
            ax.set_ylim(-0.03, 1.03)
            ax.set_xlabel("learning rate")
            ax.set_ylabel("success rate (mean over seeds)")
            ax.set_title(f"{_mt(board.title)}: {k.replace('_', ' ')}{note}")
        axes[0][-1].legend(fontsize=7, loc="best")
        return self.save(fig, f"{slug}-lr")


# ---------------------------------------------------------------------------- markdown


def _leaderboard(board: Board) -> str:
    has_pred = any(not math.isnan(g.disagreement) for g in board.groups)
    has_dead = any(not math.isnan(g.extras.get("dead_rate", math.nan)) for g in board.groups)
    has_zero = any(not math.isnan(g.extras.get("zero_fraction", math.nan)) for g in board.groups)
    has_gpu = any(not math.isnan(g.peak_gpu_memory) for g in board.groups)
    ci_head = "95 % CI (seeds + test set)" if board.test_set_error else "95 % CI (seeds)"
    metric = md_escape(board.metric)
    head = ["rank", "≈ best", "activation", f"{metric} mean ± std", ci_head, "ok/runs", "div."]
    if board.lr_sweep:
        head.append("lr (chosen)")
    if board.baseline:
        head += [f"Δ vs {md_escape(board.baseline)} [95 % CI]", "pairs", "p (t)", "p (Holm)",
                 "p (Holm, all)", "p (Wilcoxon) [min]"]  # fmt: skip
    if has_pred:
        head.append("pred. disagreement")
    if has_dead:
        head.append("dead rate")
    if has_zero:
        head.append("zeros")
    head += ["s/run", "ms/step", "saved KB/step"]
    if has_gpu:
        head.append("GPU peak MB")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for g in board.ranked():
        status = f"{g.n_ok}/{g.n_runs}"
        if g.n_error:
            status += f" ({g.n_error} errors)"
        name = md_escape(g.label)
        if g.label == board.baseline:
            name = f"**{name}**"
        ms = "–"
        if not math.isnan(g.mean):
            ms = _fmt(g.mean) + ("" if math.isnan(g.std) else f" ± {_fmt(g.std, 2)}")
        ci = md_escape(g.ci_note) or "–"
        if not math.isnan(g.ci_low):
            ci = f"[{_fmt(g.ci_low)}, {_fmt(g.ci_high)}]"
        row = [str(g.rank) if g.rank else "–", "✓" if g.in_top else "", name, ms, ci, status,
               f"{g.div_rate:.0%}" if g.n_diverged else "0"]  # fmt: skip
        if board.lr_sweep:
            row.append(_fmt(g.lr, 3) if g.lr is not None else "–")
        if board.baseline:
            if g.label == board.baseline:
                row += ["baseline", "", "", "", "", ""]
            else:
                d = "–"
                if not math.isnan(g.diff_mean):
                    d = f"{g.diff_mean:+.3g}"
                    if not math.isnan(g.diff_ci[0]):
                        d += f" [{g.diff_ci[0]:+.3g}, {g.diff_ci[1]:+.3g}]"
                    if g.direction in ("better", "worse"):
                        d += f" {g.direction}"
                    if g.compare_note:
                        d += f" ({md_escape(g.compare_note)})"
                w = _p(g.p_wilcoxon)
                if not math.isnan(g.wilcoxon_min_p):
                    w += f" [{g.wilcoxon_min_p:.3g}]"
                row += [d, str(g.n_pairs), _p(g.p_ttest), _p(g.p_holm), _p(g.p_holm_all), w]
        if has_pred:
            row.append(_fmt(g.disagreement, 3))
        if has_dead:
            row.append(_fmt(g.extras.get("dead_rate", math.nan), 3))
        if has_zero:
            row.append(_fmt(g.extras.get("zero_fraction", math.nan), 3))
        tps = "–" if math.isnan(g.time_per_step) else f"{1e3 * g.time_per_step:.3g}"
        row += [_fmt(g.wall_time, 3), tps, _kb(g.saved_bytes)]
        if has_gpu:
            row.append("–" if math.isnan(g.peak_gpu_memory) else f"{g.peak_gpu_memory / _MB:.0f}")
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def _board_markdown(board: Board, plots: Plots, slug: str) -> str:
    better = "higher" if board.higher_is_better else "lower"
    parts = [f"## {md_escape(board.title)}", ""]
    lr_text = (
        f"Learning rate: each activation at its best of {', '.join(f'{v:g}' for v in board.lr_sweep)} by "
        f"{board.lr_selected_on} (validation split)."
        if board.lr_sweep
        else f"One learning rate for every activation (lr = {md_escape(board.config.get('lr', '?'))})."
        if "lr" in board.config
        else ""
    )
    top = board.top
    parts.append(
        f"Metric: **{md_escape(board.metric)}** ({better} is better), final value of each run; "
        f"{len(board.groups)} activations, {sum(g.n_runs for g in board.groups)} runs. {lr_text} "
        f"Indistinguishable from the best (✓, Holm-adjusted p ≥ 0.05 against it): "
        f"{', '.join(md_escape(g.label) for g in top) or '–'}. Config: {_config_text(board.config)}."
    )
    parts += ["", _leaderboard(board), ""]
    if board.baseline is None:
        parts += ["No baseline (relu) runs on this board: paired tests skipped.", ""]
    images = []
    for fn, alt in (
        (plots.bars, "bar chart with 95 % CIs"),
        (plots.success_vs_lr, "success rate versus learning rate"),
        (plots.loss_curves, "training loss curves"),
        (plots.metric_vs_time, "metric versus wall time"),
        (plots.disagreement_vs_metric, "prediction disagreement versus metric"),
        (plots.sparsity_vs_loss, "sparsity versus loss"),
    ):
        path = fn(board, slug)
        if path:
            images.append(f"![{md_escape(board.title)}: {alt}]({path})")
    if images:  # one paragraph: a grid of plots in the HTML (CSS), one after another in Markdown
        parts += [" ".join(images), ""]
    errs = [(g.label, e) for g in board.groups for e in g.errors]
    if errs:
        parts += ["Errors:", ""] + [f"- {md_escape(lab)}: {md_escape(e, 300)}" for lab, e in errs[:20]]
        if len(errs) > 20:
            parts.append(f"- … and {len(errs) - 20} more")
        parts.append("")
    return "\n".join(parts)


def _config_text(cfg: dict[str, Any]) -> str:
    text = ", ".join(f"{k}={v}" for k, v in sorted(cfg.items()))
    return md_escape(text, 300)


def _header(store: Store, runs: list[RunRecord]) -> str:
    hosts = sorted({r.host for r in runs if r.host})
    versions = sorted({f"actlab {r.versions.get('actlab')}, torch {r.versions.get('torch')}" for r in runs})
    counts = {s: sum(r.status == s for r in runs) for s in ("ok", "diverged", "error")}
    total_time = sum(r.wall_time or 0.0 for r in runs)
    return "\n".join([
        "# actlab report",
        "",
        f"Store {md_escape(store.path)}: {len(runs)} runs ({counts['ok']} ok, {counts['diverged']} diverged, "
        f"{counts['error']} errors), {total_time / 60:.1f} min of run time in total, "
        f"on {md_escape(', '.join(hosts) or '?', 500)} ({md_escape('; '.join(versions) or '?', 500)}). "
        f"Generated {time.strftime('%Y-%m-%d %H:%M:%S')}.",
        "",
    ])  # fmt: skip


def _overview(boards: list[Board], excluded: int) -> str:
    lines = ["## Bench boards", ""]
    if excluded:
        lines += [f"{excluded} runs of the store belong only to the claims above and are reported there.", ""]
    if boards:
        lines += ["| board | metric | best | indistinguishable from the best | activations | seeds |",
                  "|---|---|---|---|---|---|"]  # fmt: skip
        for b in boards:
            best = b.best
            win = f"{md_escape(best.label)} ({_fmt(best.mean)})" if best else "–"
            others = [md_escape(g.label) for g in b.top if g is not best]
            seeds = max((g.n_runs for g in b.groups), default=0)
            link = f"[{md_escape(b.title)}](#{_slug(b.title)})"
            lines.append(f"| {link} | {md_escape(b.metric)} | {win} | {', '.join(others) or '–'} | "
                         f"{len(b.groups)} | {seeds} |")  # fmt: skip
        lines.append("")
    lines += [
        "How to read: each row summarises the runs of one activation that differ only in seed. "
        "CI: 95 % Student-t interval of the mean; for classification it includes the test-set sampling "
        "error (the test set is one sample of examples shared by every seed), otherwise it covers seed "
        "variation only (column header). Diverged runs count as a failure value (worse than any "
        "finished run of the board) in ranks and in the tests against the best (div. = diverged "
        "fraction). ≈ best: not significantly "
        "worse than the best ranked activation (paired test, Holm). Δ: paired difference from the "
        "baseline over the seeds both have (pairs), with its 95 % CI and direction; Wilcoxon signed-rank "
        "is exact, [min] its smallest attainable p for that many pairs. pred. disagreement: mean "
        "fraction of test examples whose predicted label changes between two seeds (lower = more "
        "reproducible); it tracks the error rate, so read it against the metric (its plot). saved "
        "KB/step: what the activation modules keep for backward per training step (saved-tensor hooks), "
        "the activation's own memory cost. Times are measured after a warm-up of each task and "
        "activation in each worker process.",
        "",
        f"*Multiple comparisons.* {MULTIPLE_COMPARISONS_NOTE}",
        "",
    ]
    return "\n".join(lines)


# ---------------------------------------------------------------------------- html


_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1180px;margin:2em auto;
padding:0 1em;color:#222;line-height:1.45}
table{border-collapse:collapse;font-size:13px;margin:1em 0;display:block;overflow-x:auto}
th,td{border:1px solid #ddd;padding:3px 7px;text-align:right;white-space:nowrap}
th{background:#f3f3f3}td:nth-child(3),th:nth-child(3){text-align:left}
tr:nth-child(even){background:#fafafa}
p>img{display:inline-block;vertical-align:top;width:49%;min-width:420px;margin:0.4em 0.5% 0.4em 0}
h1{border-bottom:2px solid #333}h2{border-bottom:1px solid #ccc;margin-top:2em}
code{background:#f4f4f4;padding:1px 3px;border-radius:3px;font-size:90%}
"""


def render_html(markdown: str, out: Path, title: str = "actlab report") -> str:
    """Markdown → one self-contained HTML page: raw HTML in the Markdown is NOT rendered (it
    appears as text), images under ``out`` are embedded as data URIs, headings get anchors."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False}).enable("table")
    body = md.render(markdown)
    body = re.sub(
        r"<h([23])>(.*?)</h\1>",
        lambda m: f'<h{m.group(1)} id="{_slug(html.unescape(re.sub("<[^>]+>", "", m.group(2))))}">'
        f"{m.group(2)}</h{m.group(1)}>",
        body,
    )
    root = out.resolve()

    def inline(m: re.Match) -> str:
        src = html.unescape(m.group(2))
        if src.startswith(("data:", "http:", "https:", "//")):
            return m.group(0)
        path = (root / src).resolve()
        mime = _IMAGE_SUFFIXES.get(path.suffix.lower())
        if mime is None or not path.is_file() or not path.is_relative_to(root):
            return m.group(0)  # never read a file outside the report folder
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        return f'{m.group(1)}"data:{mime};base64,{data}"'

    body = re.sub(r'(<img\s[^>]*?src=)"([^"]+)"', inline, body)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head>\n<body>\n{body}\n</body></html>\n"
    )


def write_report(
    store: Store | str | Path, out_dir: str | Path, baseline: str = "relu"
) -> tuple[Path, Path]:
    """Write ``out_dir/report.md`` (with ``out_dir/plots/``) and ``out_dir/report.html``.

    Returns the two paths. The HTML file needs nothing else: plots are embedded.
    """
    own = not isinstance(store, Store)
    st = Store(store, readonly=True) if own else store
    try:
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        runs = st.runs()
        excluded: set[str] = set()
        for f in EXCLUDED_RUNS:
            excluded |= set(f(st))
        # a board made only of runs a leading section reports (the claims') is left out; a board the
        # bench shares with it (same task config) keeps all its runs
        boards = [b for b in summarize(runs, baseline=baseline)
                  if any(r.key not in excluded for g in b.groups for r in g.runs)]  # fmt: skip
        shown = {r.key for b in boards for g in b.groups for r in g.runs}
        bench_runs = [r for r in runs if r.key in shown]
        plots = Plots(out)
        parts = [_header(st, runs)]
        for section in LEADING_SECTIONS:
            frag = section(st, out)
            if frag:
                parts.append(frag.rstrip() + "\n")
        if boards or not excluded:
            parts.append(_overview(boards, len(runs) - len(bench_runs)))
        for b in boards:
            parts.append(_board_markdown(b, plots, _slug(b.title)))
        if not runs:
            parts.append("The store holds no runs yet: run `actlab bench` first.\n")
        for section in SECTIONS:
            frag = section(st, out)
            if frag:
                parts.append(frag.rstrip() + "\n")
        markdown = "\n".join(parts)
        md_path = out / "report.md"
        md_path.write_text(markdown)
        html_path = out / "report.html"
        html_path.write_text(render_html(markdown, out))
        return md_path, html_path
    finally:
        if own:
            st.close()


__all__ += ["GroupStats", "Plots"]
