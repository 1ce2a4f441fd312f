"""The report of a results store: ``report.md`` (+ ``plots/*.png``) and one self-contained
``report.html`` (the same content, every plot embedded as a base64 PNG, no external resources).

Per board (task × config): the leaderboard, a bar chart of the mean metric with its 95 %
bootstrap CI, mean training-loss curves, metric versus wall time per run, sparsity versus
training loss (when the task reports activation sparsity), and, for tasks that return a
learning-rate grid (``xor``), success rate versus learning rate.

Extension hook: :data:`SECTIONS` holds callables ``section(store, out_dir) -> str | None``
returning a Markdown fragment (raw HTML allowed) appended to the report; images a section writes
under ``out_dir`` and references by relative path are embedded in the HTML too.
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

from actlab.bench.stats import MULTIPLE_COMPARISONS_NOTE, Board, mean_curve, summarize
from actlab.bench.store import Store

__all__ = ["SECTIONS", "write_report"]

Section = Callable[[Store, Path], "str | None"]
SECTIONS: list[Section] = []

_MB = 1024 * 1024
MAX_CURVES = 12  # line plots show at most this many activations (the best ranked) + the baseline


def _fmt(v: float, digits: int = 4) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    return f"{v:.{digits}g}"


def _p(v: float) -> str:
    if v is None or math.isnan(v):
        return "–"
    return "<0.001" if v < 1e-3 else f"{v:.3f}"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


# ---------------------------------------------------------------------------- plots


class _Plots:
    """Writes PNGs under ``out/plots`` and returns their relative paths."""

    def __init__(self, out: Path):
        import matplotlib

        matplotlib.use("Agg", force=True)
        import matplotlib.pyplot as plt

        self.plt = plt
        self.dir = out / "plots"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.out = out

    def save(self, fig: Any, name: str) -> str:
        path = self.dir / f"{name}.png"
        fig.tight_layout()
        fig.savefig(path, dpi=100)
        self.plt.close(fig)
        return path.relative_to(self.out).as_posix()

    def _colors(self, n: int) -> list:
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
        colors = ["#d62728" if g.label == board.baseline else "#1f77b4" for g in gs]
        ax.barh(y, means, xerr=np.vstack([lo, hi]), color=colors, alpha=0.85, capsize=3)
        ax.set_yticks(y, [g.label for g in gs])
        ax.set_xlabel(f"{board.metric} ({'higher' if board.higher_is_better else 'lower'} is better)")
        ax.set_title(f"{board.title}: mean over seeds, 95 % bootstrap CI")
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
                series.append((g.label, c))
        if not series:
            return None
        fig, ax = self.plt.subplots(figsize=(7, 4))
        for (lab, c), col in zip(series, self._colors(len(series))):
            ax.plot(np.arange(1, len(c) + 1), c, label=lab, color=col, lw=1.3)
        finite = np.concatenate([c[np.isfinite(c)] for _, c in series])
        if finite.size and finite.min() > 0 and finite.max() / finite.min() > 20:
            ax.set_yscale("log")
        ax.set_xlabel("logging step")
        ax.set_ylabel("training loss (mean over seeds)")
        ax.set_title(f"{board.title}: training loss{note}")
        ax.legend(fontsize=7, ncol=2 if len(series) > 8 else 1, loc="best")
        return self.save(fig, f"{slug}-loss")

    def metric_vs_time(self, board: Board, slug: str) -> str | None:
        gs = [g for g in board.groups if not (math.isnan(g.mean) or math.isnan(g.wall_time))]
        if not gs:
            return None
        fig, ax = self.plt.subplots(figsize=(7, 4.5))
        for g, col in zip(gs, self._colors(len(gs))):
            ax.errorbar(g.wall_time, g.mean, yerr=0 if math.isnan(g.std) else g.std, fmt="o", color=col)
            ax.annotate(g.label, (g.wall_time, g.mean), fontsize=7, xytext=(3, 3), textcoords="offset points")
        ax.set_xlabel("wall time per run (s)")
        ax.set_ylabel(f"{board.metric} (mean ± std)")
        ax.set_title(f"{board.title}: {board.metric} versus time")
        return self.save(fig, f"{slug}-time")

    def sparsity_vs_loss(self, board: Board, slug: str) -> str | None:
        pts = []
        for g in board.groups:
            z = g.extras.get("zero_fraction", math.nan)
            if math.isnan(z):
                z = g.extras.get("near_zero_fraction", math.nan)
            loss = g.extras.get("final_train_loss", math.nan)
            if not (math.isnan(z) or math.isnan(loss)):
                pts.append((g.label, z, loss))
        if not pts:
            return None
        fig, ax = self.plt.subplots(figsize=(7, 4.5))
        for (lab, z, loss), col in zip(pts, self._colors(len(pts))):
            ax.scatter([z], [loss], color=col)
            ax.annotate(lab, (z, loss), fontsize=7, xytext=(3, 3), textcoords="offset points")
        ax.set_xlabel("activation sparsity (fraction of exact zeros on test data)")
        ax.set_ylabel("final training loss")
        ax.set_title(f"{board.title}: sparsity versus loss")
        return self.save(fig, f"{slug}-sparsity")

    def success_vs_lr(self, board: Board, slug: str) -> str | None:
        runs = [r for g in board.groups for r in g.runs if r.status != "error" and "lr" in r.curves]
        if not runs:
            return None
        lrs = runs[0].curves["lr"]
        keys = sorted({k for r in runs for k, v in r.curves.items() if k.startswith("success")
                       and len(v) == len(lrs)})
        if not keys or len(lrs) < 2:
            return None
        fig, axes = self.plt.subplots(1, len(keys), figsize=(5 * len(keys), 4), squeeze=False)
        groups, note = self._shown(board)
        colors = self._colors(len(groups))
        for ax, k in zip(axes[0], keys):
            for g, col in zip(groups, colors):
                cs = [r.curves.get(k) for r in g.runs if r.status != "error" and r.curves.get("lr") == lrs]
                c = mean_curve(cs)
                if c.size == len(lrs):
                    ax.plot(lrs, c, marker="o", ms=3, lw=1.2, label=g.label, color=col)
            ax.set_xscale("log")
            ax.set_ylim(-0.03, 1.03)
            ax.set_xlabel("learning rate")
            ax.set_ylabel("success rate (mean over seeds)")
            ax.set_title(f"{board.title}: {k.replace('_', ' ')}{note}")
        axes[0][-1].legend(fontsize=7, loc="best")
        return self.save(fig, f"{slug}-lr")


# ---------------------------------------------------------------------------- markdown


def _leaderboard(board: Board) -> str:
    has_pred = any(not math.isnan(g.disagreement) for g in board.groups)
    has_dead = any(not math.isnan(g.extras.get("dead_rate", math.nan)) for g in board.groups)
    has_zero = any(not math.isnan(g.extras.get("zero_fraction", math.nan)) for g in board.groups)
    head = ["rank", "activation", f"{board.metric} mean ± std", "95 % CI", "ok/runs"]
    if board.baseline:
        head += [f"Δ vs {board.baseline}", "p (t)", "p (Holm)", "p (Wilcoxon)"]
    if has_pred:
        head.append("pred. disagreement")
    if has_dead:
        head.append("dead rate")
    if has_zero:
        head.append("zeros")
    head += ["s/run", "ms/step", "peak MB (+run)"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for g in board.ranked():
        status = f"{g.n_ok}/{g.n_runs}"
        if g.n_diverged:
            status += f" ({g.n_diverged} diverged)"
        if g.n_error:
            status += f" ({g.n_error} errors)"
        name = f"**{g.label}**" if g.label == board.baseline else g.label
        ms = "–"
        if not math.isnan(g.mean):
            ms = _fmt(g.mean) + ("" if math.isnan(g.std) else f" ± {_fmt(g.std, 2)}")
        ci = "–" if math.isnan(g.ci_low) else f"[{_fmt(g.ci_low)}, {_fmt(g.ci_high)}]"
        row = [str(g.rank) if g.rank else "–", name, ms, ci, status]
        if board.baseline:
            if g.label == board.baseline:
                row += ["baseline", "", "", ""]
            else:
                d = "–" if math.isnan(g.diff_mean) else f"{g.diff_mean:+.3g}"
                row += [d, _p(g.p_ttest), _p(g.p_holm), _p(g.p_wilcoxon)]
        if has_pred:
            row.append(_fmt(g.disagreement, 3))
        if has_dead:
            row.append(_fmt(g.extras.get("dead_rate", math.nan), 3))
        if has_zero:
            row.append(_fmt(g.extras.get("zero_fraction", math.nan), 3))
        mem = "–" if math.isnan(g.peak_memory) else f"{g.peak_memory / _MB:.0f}"
        if not math.isnan(g.memory_delta):
            mem += f" (+{g.memory_delta / _MB:.0f})"
        tps = "–" if math.isnan(g.time_per_step) else f"{1e3 * g.time_per_step:.3g}"
        row += [_fmt(g.wall_time, 3), tps, mem]
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def _board_markdown(board: Board, plots: _Plots, slug: str) -> str:
    better = "higher" if board.higher_is_better else "lower"
    parts = [f"## {board.title}", ""]
    parts.append(
        f"Metric: **{board.metric}** ({better} is better), final value of each run; "
        f"{len(board.groups)} activations, "
        f"{sum(g.n_runs for g in board.groups)} runs. Config: `{_config_text(board.config)}`."
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
        (plots.sparsity_vs_loss, "sparsity versus loss"),
    ):
        path = fn(board, slug)
        if path:
            images += [f"![{board.title}: {alt}]({path})", ""]
    if images:  # a grid of plots in the HTML; plain paragraphs in Markdown viewers
        parts += ['<div class="plots">', "", *images, "</div>", ""]
    errs = [(g.label, e) for g in board.groups for e in g.errors]
    if errs:
        parts += ["Errors:", ""] + [f"- {lab}: `{e[:300]}`" for lab, e in errs[:20]]
        if len(errs) > 20:
            parts.append(f"- … and {len(errs) - 20} more")
        parts.append("")
    return "\n".join(parts)


def _config_text(cfg: dict[str, Any]) -> str:
    text = ", ".join(f"{k}={v}" for k, v in sorted(cfg.items()))
    return text if len(text) < 300 else text[:297] + "..."


def _overview(store: Store, boards: list[Board]) -> str:
    runs = [r for b in boards for g in b.groups for r in g.runs]
    hosts = sorted({r.host for r in runs if r.host})
    versions = sorted({f"actlab {r.versions.get('actlab')}, torch {r.versions.get('torch')}" for r in runs})
    counts = {s: sum(r.status == s for r in runs) for s in ("ok", "diverged", "error")}
    total_time = sum(r.wall_time or 0.0 for r in runs)
    lines = [
        "# actlab bench report",
        "",
        f"Store `{store.path}`: {len(runs)} runs ({counts['ok']} ok, {counts['diverged']} diverged, "
        f"{counts['error']} errors), {total_time / 60:.1f} min of run time in total, "
        f"on {', '.join(hosts) or '?'} ({'; '.join(versions) or '?'}). "
        f"Generated {time.strftime('%Y-%m-%d %H:%M:%S')}.",
        "",
    ]
    if boards:
        lines += ["| board | metric | winner | activations | seeds |", "|---|---|---|---|---|"]
        for b in boards:
            ranked = b.ranked()
            best = ranked[0] if ranked and ranked[0].rank else None
            win = f"{best.label} ({_fmt(best.mean)})" if best else "–"
            seeds = max((g.n_runs for g in b.groups), default=0)
            link = f"[{b.title}](#{_slug(b.title)})"
            lines.append(f"| {link} | {b.metric} | {win} | {len(b.groups)} | {seeds} |")
        lines.append("")
    lines += [
        "How to read: each row summarises the runs of one activation that differ only in seed. "
        "CI: 95 % bootstrap interval of the mean. Δ and p: paired comparison with the baseline "
        "over the seeds both have (paired t-test; Wilcoxon signed-rank from 5 seeds). "
        "pred. disagreement: mean fraction of test examples whose predicted label changes between "
        "two seeds (lower = more reproducible). peak MB: peak resident memory of the worker process "
        "during the run (+ what the run added).",
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
th{background:#f3f3f3}td:nth-child(2),th:nth-child(2){text-align:left}
tr:nth-child(even){background:#fafafa}img{max-width:100%;display:block;margin:0.6em 0}
.plots{display:grid;grid-template-columns:repeat(auto-fill,minmax(540px,1fr));gap:0 1em}
.plots p{margin:0}
h1{border-bottom:2px solid #333}h2{border-bottom:1px solid #ccc;margin-top:2em}
code{background:#f4f4f4;padding:1px 3px;border-radius:3px;font-size:90%}
"""


def _render_html(markdown: str, out: Path) -> str:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    body = md.render(markdown)
    # heading anchors, for the overview links
    body = re.sub(
        r"<h2>(.*?)</h2>",
        lambda m: f'<h2 id="{_slug(html.unescape(re.sub("<[^>]+>", "", m.group(1))))}">{m.group(1)}</h2>',
        body,
    )

    def inline(m: re.Match) -> str:
        src = html.unescape(m.group(2))
        path = (out / src).resolve()
        if src.startswith(("data:", "http:", "https:")) or not path.is_file():
            return m.group(0)
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        mime = "image/png" if path.suffix.lower() == ".png" else f"image/{path.suffix.lower().lstrip('.')}"
        return f'{m.group(1)}"data:{mime};base64,{data}"'

    body = re.sub(r'(<img\s[^>]*?src=)"([^"]+)"', inline, body)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>actlab bench report</title><style>{_CSS}</style></head>\n<body>\n{body}\n</body></html>\n"
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
        boards = summarize(st, baseline=baseline)
        plots = _Plots(out)
        parts = [_overview(st, boards)]
        used: set[str] = set()
        for b in boards:
            slug = _slug(b.title)
            while slug in used:
                slug += "-x"
            used.add(slug)
            parts.append(_board_markdown(b, plots, slug))
        if not boards:
            parts.append("The store holds no runs yet: run `actlab bench` first.\n")
        for section in SECTIONS:
            frag = section(st, out)
            if frag:
                parts.append(frag.rstrip() + "\n")
        markdown = "\n".join(parts)
        md_path = out / "report.md"
        md_path.write_text(markdown)
        html_path = out / "report.html"
        html_path.write_text(_render_html(markdown, out))
        return md_path, html_path
    finally:
        if own:
            st.close()


