"""The report's robustness and OOD section: per activation, across seeds, with 95 % intervals.

For every board of the ``robustness`` task (:mod:`actlab.bench.tasks.robustness`): a table of the
clean accuracy, the noise-curve area (retention, :func:`actlab.robust.noise_curve`), the noise
level at which accuracy halves, the quantisation-curve area and the bit width at which accuracy
halves, each as the mean over seeds with its Student-t 95 % interval
(:func:`actlab.bench.stats.mean_interval`), and two plots: accuracy versus noise level and
accuracy versus bit width (mean over seeds, the band the 95 % interval of each point).

For every board of the ``ood`` task (:mod:`actlab.bench.tasks.ood`): each activation's AUROC
without rectification, with ReAct and with VRA (mean over seeds and interval), the paired gains
(ReAct − plain, VRA − plain, VRA − ReAct, paired over seeds, :func:`actlab.bench.stats.paired`)
and FPR at 95 % TPR, and a bar plot of the three AUROCs per activation.

Every run of these tasks in the store is shown (claims' runs included: the claims board reports
its verdicts, this section the curves behind them). Importing this module registers the section
(:data:`actlab.bench.report.SECTIONS`); importing :mod:`actlab.claims` does (its robustness claims
import it), and so every ``actlab bench`` / ``actlab report`` / ``actlab claims run``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from actlab.bench.report import SECTIONS, Plots, md_escape
from actlab.bench.stats import Board, mean_interval, paired, summarize
from actlab.bench.store import RunRecord, Store

__all__ = ["curve_plot", "robustness_section"]

_DETECTORS = ("plain", "react", "vra")


def _num(v: float, digits: int = 3) -> str:
    if v is None or not isinstance(v, (int, float)) or math.isnan(v):
        return "–"
    if math.isinf(v):
        return "not reached"
    return f"{v:.{digits}g}"


def _ci(values: Sequence[float], digits: int = 3) -> str:
    vals = [float(v) for v in values if isinstance(v, (int, float)) and math.isfinite(v)]
    if not vals:
        return "–"
    iv = mean_interval(vals)
    if not iv.finite:
        return f"{iv.estimate:.{digits}g}"
    return f"{iv.estimate:.{digits}g} [{iv.low:.{digits}g}, {iv.high:.{digits}g}]"


def _metric(runs: Sequence[RunRecord], key: str) -> list[float]:
    return [float(r.metrics[key]) for r in runs if isinstance(r.metrics.get(key), (int, float))]


def _half(runs: Sequence[RunRecord], key: str) -> str:
    """Mean ± interval of the finite half levels, and how many runs never halved within the grid."""
    vals = _metric(runs, key)
    never = sum(1 for v in vals if math.isinf(v))
    text = _ci([v for v in vals if math.isfinite(v)])
    if never:
        text += f" ({never} of {len(vals)} not reached)"
    return text


def _ok(groups: Sequence[Any]) -> list[tuple[str, list[RunRecord]]]:
    out = []
    for g in groups:
        runs = [r for r in g.runs if r.status == "ok"]
        if runs:
            out.append((g.label, sorted(runs, key=lambda r: r.seed)))
    return out


def curve_plot(plots: Plots, arms: list[tuple[str, list[RunRecord]]], x_key: str, y_key: str, xlabel: str,
                title: str, name: str, invert: bool = False) -> str | None:  # fmt: skip
    """Mean curve ``y_key`` against ``x_key`` over each arm's runs, with the 95 % t-interval band."""
    fig, ax = plots.plt.subplots(figsize=(6.5, 4))
    colors = plots.colors(len(arms))
    drawn = False
    for (label, runs), color in zip(arms, colors):
        curves = [(r.curves.get(x_key), r.curves.get(y_key)) for r in runs]
        curves = [(x, y) for x, y in curves if x and y and len(x) == len(y)]
        if not curves:
            continue
        x = np.asarray(curves[0][0], dtype=float)
        same = [np.asarray(y, dtype=float) for xs, y in curves if list(xs) == list(curves[0][0])]
        ys = np.vstack(same)
        mean = ys.mean(axis=0)
        ax.plot(x, mean, marker="o", ms=3, color=color, label=label)
        if len(ys) > 1:
            ivs = [mean_interval(list(col)) for col in ys.T]
            lo = np.array([iv.low if iv.finite else m for iv, m in zip(ivs, mean)])
            hi = np.array([iv.high if iv.finite else m for iv, m in zip(ivs, mean)])
            ax.fill_between(x, lo, hi, color=color, alpha=0.15)
        drawn = True
    if not drawn:
        plots.plt.close(fig)
        return None
    if invert:
        ax.invert_xaxis()
    ax.set_xlabel(xlabel)
    ax.set_ylabel("test accuracy")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7, ncol=2)
    return plots.save(fig, name)


def _robustness_board(b: Board, plots: Plots) -> str:
    arms = _ok(b.groups)
    cfg = b.config
    lines = [f"### {md_escape(b.title)}", ""]
    train = []
    if cfg.get("train_noise"):
        train.append(f"{md_escape(cfg.get('noise_kind'))} noise σ = {md_escape(cfg['train_noise'])}")
    if cfg.get("train_bits"):
        train.append(f"{md_escape(cfg['train_bits'])}-bit quantisation")
    where = md_escape(cfg.get("noise_where", "post"))
    kind = md_escape(cfg.get("noise_kind", "?"))
    relative = cfg.get("relative") and cfg.get("noise_kind") == "additive"
    rel = " (σ relative to each tensor's rms)" if relative else ""
    trained = f"with {' and '.join(train)} in the loop" if train else "clean"
    qwhere = md_escape(cfg.get("quant_where", "post"))
    lines.append(
        f"{md_escape(cfg.get('data', '?'))} {md_escape(cfg.get('model', '?'))}; trained {trained}; evaluated "
        f"with {kind} noise at the activations' {where}{rel} and with {qwhere} quantisation."
        " Mean over seeds [95 % t-interval over seeds]; AUC = the area under accuracy ÷ clean "
        "accuracy over the grid, divided by its span."
    )
    header = ("activation", "seeds", "clean accuracy", "noise AUC", "σ at half accuracy", "quantisation AUC",
              "bits at half accuracy")
    lines += ["", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for label, runs in arms:
        lines.append(f"| {md_escape(label)} | {len(runs)} | {_ci(_metric(runs, 'clean_accuracy'))} | "
                     f"{_ci(_metric(runs, 'noise_auc_relative'))} | {_half(runs, 'noise_half_level')} | "
                     f"{_ci(_metric(runs, 'quant_auc_relative'))} | {_half(runs, 'quant_half_bits')} |")
    lines.append("")
    p1 = curve_plot(plots, arms, "noise_levels", "noise_accuracy", "noise standard deviation",
                     f"{b.title}: accuracy vs activation noise", f"section-noise-{b.title}")
    p2 = curve_plot(plots, arms, "bits", "quant_accuracy", "bits (activation quantisation)",
                     f"{b.title}: accuracy vs bit width", f"section-bits-{b.title}", invert=True)
    for p, alt in ((p1, "accuracy versus noise"), (p2, "accuracy versus bit width")):
        if p:
            lines += [f"![{alt}]({p})", ""]
    return "\n".join(lines)


def _paired_text(runs: Sequence[RunRecord], a: str, b: str) -> str:
    pairs = [(r.metrics.get(a), r.metrics.get(b)) for r in runs]
    pairs = [(x, y) for x, y in pairs if isinstance(x, (int, float)) and isinstance(y, (int, float))
             and math.isfinite(x) and math.isfinite(y)]  # fmt: skip
    if not pairs:
        return "–"
    c = paired([x for x, _ in pairs], [y for _, y in pairs])
    iv = c.diff
    if not iv.finite:
        return f"{iv.estimate:+.3g}"
    return f"{iv.estimate:+.3g} [{iv.low:+.3g}, {iv.high:+.3g}]"


def _ood_plot(plots: Plots, arms: list[tuple[str, list[RunRecord]]], title: str, name: str) -> str | None:
    if not arms:
        return None
    fig, ax = plots.plt.subplots(figsize=(max(5.0, 1.0 * len(arms) + 2), 4))
    width = 0.26
    colors = plots.colors(3)
    x = np.arange(len(arms))
    for i, d in enumerate(_DETECTORS):
        means, err = [], []
        for _, runs in arms:
            iv = mean_interval(_metric(runs, f"auroc_{d}"))
            means.append(iv.estimate)
            err.append((iv.estimate - iv.low, iv.high - iv.estimate) if iv.finite else (0.0, 0.0))
        ax.bar(x + (i - 1) * width, means, width, yerr=np.array(err).T, capsize=2, color=colors[i],
               label={"plain": "plain", "react": "ReAct", "vra": "VRA"}[d])  # fmt: skip
    ax.set_xticks(x, [label for label, _ in arms], rotation=20, ha="right", fontsize=8)
    ax.set_ylabel("AUROC (mean over OOD sets)")
    lo = min(0.5, ax.get_ylim()[0])
    ax.set_ylim(max(0.0, lo), 1.0)
    ax.axhline(0.5, color="grey", lw=0.8, ls="--")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8)
    return plots.save(fig, name)


def _ood_board(b: Board, plots: Plots) -> str:
    arms = _ok(b.groups)
    cfg = b.config
    sets = ", ".join(md_escape(s) for s in cfg.get("ood_sets", []))
    e = {k: md_escape(cfg.get(k, "?")) for k in ("data", "model", "score", "react_percentile",
                                                 "vra_low_percentile", "vra_high_percentile", "vra_gamma")}
    lines = [f"### {md_escape(b.title)}", "", (
        f"{e['data']} {e['model']} against {sets}; {e['score']} score; ReAct at the "
        f"{e['react_percentile']}th percentile, VRA at the {e['vra_low_percentile']}th and "
        f"{e['vra_high_percentile']}th (γ = {e['vra_gamma']}), thresholds calibrated on the in-distribution "
        "training inputs. AUROC: mean over the OOD sets; mean over seeds [95 % t-interval]; gains "
        "paired over seeds."
    ), ""]
    header = ("activation", "seeds", "accuracy", "AUROC plain", "AUROC ReAct", "AUROC VRA", "ReAct − plain",
              "VRA − plain", "VRA − ReAct", "FPR95 plain / ReAct / VRA")
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for label, runs in arms:
        fpr = " / ".join(_num(float(np.mean(v)) if v else math.nan)
                         for v in (_metric(runs, f"fpr95_{d}") for d in _DETECTORS))  # fmt: skip
        cells = [md_escape(label), str(len(runs)), _ci(_metric(runs, "accuracy"))]
        cells += [_ci(_metric(runs, f"auroc_{d}")) for d in _DETECTORS]
        gains = (("auroc_react", "auroc_plain"), ("auroc_vra", "auroc_plain"), ("auroc_vra", "auroc_react"))
        cells += [_paired_text(runs, a, b) for a, b in gains]
        lines.append("| " + " | ".join([*cells, fpr]) + " |")
    lines.append("")
    p = _ood_plot(plots, arms, f"{b.title}: AUROC with and without rectification", f"section-ood-{b.title}")
    if p:
        lines += [f"![AUROC per activation and detector]({p})", ""]
    return "\n".join(lines)


def robustness_section(store: Store, out: Path) -> str | None:
    """The Markdown of the section (``None`` when the store has no run of these tasks)."""
    runs = [r for r in store.runs() if r.task in ("robustness", "ood")]
    if not runs:
        return None
    plots = Plots(Path(out))
    parts = ["## Robustness and OOD detection", ""]
    for b in summarize(runs):
        if b.task == "robustness":
            parts.append(_robustness_board(b, plots))
        elif b.task == "ood":
            parts.append(_ood_board(b, plots))
    return "\n".join(parts)


if robustness_section not in SECTIONS:
    SECTIONS.append(robustness_section)
