"""One PNG summarising a probe: sparsity metrics, mean ± std and histograms per layer."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

_SPARSITY = ("zero_fraction", "near_zero_fraction", "threshold_sparsity", "dead_rate")


def _short(name: str, width: int = 28) -> str:
    return name if len(name) <= width else "…" + name[-(width - 1):]


def plot_probe(details: dict[str, Any], path: str | Path, title: str | None = None) -> Path:
    """Draw ``Probe.details()`` into ``path`` (PNG): four panels, layers in model order."""
    layers = details["layers"]
    names = list(layers)
    n = len(names)
    fig = Figure(figsize=(max(8.0, 0.45 * n + 4), 9), dpi=110)
    FigureCanvasAgg(fig)
    axs = fig.subplots(2, 2)
    x = np.arange(n)

    ax = axs[0, 0]
    w = 0.8 / len(_SPARSITY)
    for j, m in enumerate(_SPARSITY):
        vals = [layers[k][m] if layers[k][m] is not None else math.nan for k in names]
        ax.bar(x + (j - 1.5) * w, vals, w, label=m)
    ax.set_ylim(0, 1)
    ax.set_title("sparsity and dead neurons (fractions)", pad=26)
    ax.legend(fontsize=7, ncol=2, loc="lower left", bbox_to_anchor=(0.0, 1.0), frameon=False)

    ax = axs[0, 1]
    mean = np.array([layers[k]["mean"] for k in names], dtype=float)
    std = np.sqrt(np.array([layers[k]["var"] for k in names], dtype=float))
    ax.errorbar(x, mean, yerr=std, fmt="o", capsize=3)
    ax.axhline(0, color="0.7", lw=0.8)
    ax.set_title("mean ± std of activations")

    ax = axs[1, 0]
    step = max(1, math.ceil(n / 12))  # at most ~12 curves stay readable
    for k in names[::step]:
        h = layers[k]["histogram"]
        edges = np.asarray(h["edges"])
        counts = np.asarray(h["counts"], dtype=float)
        total = counts.sum() + h["underflow"] + h["overflow"]
        if total > 0:
            ax.stairs(counts / total, edges, label=_short(k, 20))
        if edges[0] < 0 < edges[-1] and (edges > 0).any():
            ax.set_xscale("symlog", linthresh=float(edges[edges > 0].min()))
    ax.set_yscale("log")
    ax.set_title("histogram of activations (fraction per bin)")
    ax.legend(fontsize=6)

    ax = axs[1, 1]
    counts = [layers[k]["massive_count"] for k in names]
    ax.bar(x, counts, color="tab:red")
    ax.set_ylim(0, max(1.0, 1.1 * max(counts, default=0)))
    ax.set_title("massive activations (count)")

    for ax in (axs[0, 0], axs[0, 1], axs[1, 1]):
        ax.set_xticks(x)
        ax.set_xticklabels([_short(k) for k in names], rotation=70, ha="right", fontsize=6)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    return path
