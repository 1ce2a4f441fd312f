"""Plots of activations (matplotlib, no display needed)."""

from __future__ import annotations

from pathlib import Path

import torch
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from actlab.catalog.registry import lookup


def plot_activation(name: str, path: str | Path, lo: float = -5.0, hi: float = 5.0, **params) -> Path:
    """Draw f and f' of activation ``name`` on [lo, hi] and save a PNG to ``path``."""
    spec = lookup(name)
    p = spec.resolve_params(params)
    x = torch.linspace(lo, hi, 2001, dtype=torch.float64, requires_grad=True)
    y = spec.fn(x, **p)
    (dy,) = torch.autograd.grad(y.sum(), x)
    fig = Figure(figsize=(6, 4), dpi=120)  # no pyplot: no global backend switch, nothing to close
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    ax.plot(x.detach(), y.detach(), label=f"{spec.name}(x)")
    ax.plot(x.detach(), dy, "--", label=f"{spec.name}'(x)")
    ax.axhline(0, color="0.7", lw=0.8)
    ax.axvline(0, color="0.7", lw=0.8)
    ax.set_xlabel("x")
    ax.set_title(spec.formula_text, fontsize=8)
    ax.legend()
    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    return path
