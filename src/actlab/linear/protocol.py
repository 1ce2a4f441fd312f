"""LayerMerge's question on a small model: how much accuracy does each removed activation cost, once the
linear layers around it are merged?

LayerMerge (Kim, Lee & Song, ICML 2024, arXiv 2406.12837) chooses which activation layers of a trained
network to remove, merges the convolutions left adjacent, and fine-tunes; the result is a trade-off
between depth (latency) and accuracy. The protocol here, on an MLP trained on scikit-learn's bundled
digits (offline):

1. train ``depth`` hidden layers of ``width`` units with the catalog activation ``activation``;
2. for k = 0, 1, …, depth: linearise k activation sites — greedily, each step the site whose
   replacement by its per-unit affine fit (:func:`actlab.linear.linearize`) raises the validation
   loss least — optionally fine-tune ``finetune`` epochs, then :func:`actlab.linear.merge`;
3. report per k: test accuracy, depth (linear layers after merging), parameters, measured latency.

Run ``python -m actlab.linear.protocol --activation relu --depth 4`` (``--help`` for the options). The
greedy choice replaces LayerMerge's dynamic program over layer importances; it is the same question on a
model small enough to answer it in seconds.
"""

from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import asdict, dataclass

import torch
from torch import nn
from torch.nn import functional as F  # noqa: N812

from actlab.linear.fold import linearize, merge

Tensor = torch.Tensor


def digits(seed: int = 0) -> tuple[Tensor, Tensor, Tensor, Tensor, Tensor, Tensor]:
    """scikit-learn's 8x8 digits, standardised, split 60/20/20 into train/validation/test."""
    from sklearn.datasets import load_digits

    d = load_digits()
    x = torch.tensor(d.data, dtype=torch.float32)
    y = torch.tensor(d.target, dtype=torch.long)
    g = torch.Generator().manual_seed(seed)
    perm = torch.randperm(len(x), generator=g)
    x, y = x[perm], y[perm]
    n_tr, n_va = int(0.6 * len(x)), int(0.2 * len(x))
    mean, std = x[:n_tr].mean(0), x[:n_tr].std(0).clamp(min=1e-3)
    x = (x - mean) / std
    return (x[:n_tr], y[:n_tr], x[n_tr:n_tr + n_va], y[n_tr:n_tr + n_va], x[n_tr + n_va:], y[n_tr + n_va:])


def mlp(activation: str, depth: int, width: int, d_in: int = 64, d_out: int = 10,
        seed: int = 0) -> nn.Sequential:
    """Linear → activation, ``depth`` times, then a linear read-out (catalog ``activation``)."""
    import actlab

    torch.manual_seed(seed)
    layers: list[nn.Module] = []
    d = d_in
    for _ in range(depth):
        layers += [nn.Linear(d, width), actlab.get(activation)]
        d = width
    layers.append(nn.Linear(d, d_out))
    return nn.Sequential(*layers)


def train(model: nn.Module, x: Tensor, y: Tensor, epochs: int, lr: float = 3e-3, batch: int = 64,
          seed: int = 0) -> nn.Module:
    """Adam on the cross-entropy, minibatches in a seeded order."""
    g = torch.Generator().manual_seed(seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    model.train()
    for _ in range(epochs):
        perm = torch.randperm(len(x), generator=g)
        for i in range(0, len(x), batch):
            idx = perm[i:i + batch]
            opt.zero_grad()
            F.cross_entropy(model(x[idx]), y[idx]).backward()
            opt.step()
    return model.eval()


def _evaluate(model: nn.Module, x: Tensor, y: Tensor) -> tuple[float, float]:
    with torch.no_grad():
        out = model(x)
    return float(F.cross_entropy(out, y)), float((out.argmax(1) == y).float().mean())


@dataclass
class TradeoffRow:
    """One point of the trade-off: ``removed`` activation sites (``sites``), the merged model's
    ``depth`` (linear layers), ``params``, test ``accuracy`` and ``loss``, ``latency`` (median seconds
    per forward of the test set; a noisy figure on a shared machine)."""

    removed: int
    sites: str
    depth: int
    params: int
    accuracy: float
    loss: float
    latency: float
    max_abs_diff: float


def layermerge_tradeoff(activation: str = "relu", depth: int = 4, width: int = 64, epochs: int = 30,
                        finetune: int = 0, seed: int = 0, repeats: int = 20) -> list[TradeoffRow]:
    """The accuracy–depth trade-off of removing activation sites and merging (see the module docstring)."""
    if not (isinstance(depth, int) and depth >= 1):
        raise ValueError(f"depth must be an integer >= 1, got {depth!r}")
    x_tr, y_tr, x_va, y_va, x_te, y_te = digits(seed)
    base = train(mlp(activation, depth, width, seed=seed), x_tr, y_tr, epochs, seed=seed)
    sites = [str(2 * i + 1) for i in range(depth)]  # the activation modules of mlp(...)
    removed: list[str] = []
    rows = []
    for k in range(depth + 1):
        if k:
            best = None
            for s in sites:
                if s in removed:
                    continue
                trial = linearize(base, sites=removed + [s], data=x_tr).model
                loss, _ = _evaluate(trial, x_va, y_va)
                if best is None or loss < best[0]:
                    best = (loss, s)
            removed.append(best[1])
        model = linearize(base, sites=removed, data=x_tr).model if removed else base
        if finetune and removed:
            model = train(model, x_tr, y_tr, finetune, lr=1e-3, seed=seed + k)
        rep = merge(model.eval(), example=x_te, repeats=repeats)
        loss, acc = _evaluate(rep.model, x_te, y_te)
        rows.append(TradeoffRow(k, ",".join(removed), rep.depth_after, rep.params_after, acc, loss,
                                rep.latency_after, rep.max_abs_diff))
    return rows


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m actlab.linear.protocol", description=__doc__.split("\n\n")[0])
    p.add_argument("--activation", default="relu", help="catalog activation (default relu)")
    p.add_argument("--depth", type=int, default=4, help="hidden layers (default 4)")
    p.add_argument("--width", type=int, default=64, help="hidden width (default 64)")
    p.add_argument("--epochs", type=int, default=30, help="training epochs (default 30)")
    p.add_argument("--finetune", type=int, default=0, help="fine-tuning epochs after removing (default 0)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--csv", help="also write the rows to this CSV file")
    a = p.parse_args(argv)
    rows = layermerge_tradeoff(a.activation, a.depth, a.width, a.epochs, a.finetune, a.seed)
    header = ["removed", "sites", "depth", "params", "accuracy", "loss", "latency_us", "max_abs_diff"]
    print(" | ".join(header))
    for r in rows:
        print(f"{r.removed} | {r.sites or '-'} | {r.depth} | {r.params} | {r.accuracy:.4f} | {r.loss:.4f} | "
              f"{r.latency * 1e6:.1f} | {r.max_abs_diff:.2g}")
    if a.csv:
        with open(a.csv, "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(asdict(rows[0])))
            w.writeheader()
            for r in rows:
                w.writerow(asdict(r))
    return 0




if __name__ == "__main__":
    sys.exit(main())
