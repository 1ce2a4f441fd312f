"""The numbers of docs/verify.md: bound tightness, region counts, and the linearise+merge trade-off.

    .venv/bin/python benchmarks/verify_figures.py            # all three, small scale (~1-2 min)
    .venv/bin/python benchmarks/verify_figures.py bounds --points 50 --eps 0.01,0.05
    .venv/bin/python benchmarks/verify_figures.py regions --pairs 20
    .venv/bin/python benchmarks/verify_figures.py tradeoff --depth 4

All on scikit-learn's bundled digits (offline), MLPs 64 → 64 → 64 → 10 (inputs standardised),
trained with Adam for ``--epochs`` epochs, seed ``--seed``:

- ``bounds``: CROWN vs IBP on the first ``--points`` test digits for three activations (ReLU, GELU,
  tanh): mean output-bound width over the L∞ ball of each ``eps``, their ratio, and the share of
  points certified (the true class's lower bound above every other class's upper bound).
- ``regions``: exact linear-region counts of models trained with ReLU and other piecewise-linear
  catalog activations, along the segments between ``--pairs`` pairs of test digits (mean regions
  per segment and per unit length), and on the plane through three test digits.
- ``tradeoff``: :func:`actlab.linear.protocol.layermerge_tradeoff` for ReLU and GELU.

Rows go to ``benchmarks/results/verify_figures.csv`` (rewritten each run, with the settings).
Latencies are measured on this machine; on a shared one they are noise.
"""

from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path

import torch

from actlab.linear.protocol import digits, layermerge_tradeoff, mlp, train
from actlab.probe import linear_regions
from actlab.verify import bound

RESULTS = Path(__file__).resolve().parents[1] / "benchmarks" / "results" / "verify_figures.csv"


def _model(act: str, epochs: int, seed: int):
    x_tr, y_tr, _, _, x_te, y_te = digits(seed)
    model = train(mlp(act, 2, 64, seed=seed), x_tr, y_tr, epochs, seed=seed)
    with torch.no_grad():
        acc = float((model(x_te).argmax(1) == y_te).float().mean())
    return model, x_te, y_te, acc


def bounds(args, rows):
    print("\n== CROWN vs IBP output-bound widths, digits MLP (64-64-64-10) ==")
    print("activation | test acc | eps | IBP width | CROWN width | CROWN/IBP | certified IBP | "
          "certified CROWN | s")
    for act in ("relu", "gelu", "tanh"):
        model, x_te, y_te, acc = _model(act, args.epochs, args.seed)
        x, y = x_te[: args.points], y_te[: args.points]
        for eps in (float(e) for e in args.eps.split(",")):
            t = time.perf_counter()
            ib = bound(model, x, eps, method="ibp")
            cr = bound(model, x, eps, method="crown")
            dt = time.perf_counter() - t

            def certified(b, y=y):
                true_lo = b.lower.gather(1, y[:, None])
                others = b.upper.scatter(1, y[:, None], float("-inf"))
                return float((true_lo[:, 0] > others.max(1).values).double().mean())

            wi, wc = float(ib.width.mean()), float(cr.width.mean())
            ci, cc = certified(ib), certified(cr)
            print(f"{act} | {acc:.3f} | {eps} | {wi:.4g} | {wc:.4g} | {wc / wi:.3f} | {ci:.2f} | {cc:.2f} | "
                  f"{dt:.1f}")
            rows.append(dict(figure="bounds", activation=act, test_acc=acc, eps=eps, ibp_width=wi,
                             crown_width=wc, ratio=wc / wi, cert_ibp=ci, cert_crown=cc, seconds=dt))


def regions(args, rows):
    print("\n== Exact linear regions of trained digits MLPs (64-64-64-10) ==")
    print("activation | test acc | regions/segment (mean) | regions per unit length | plane regions | s")
    g = torch.Generator().manual_seed(args.seed)
    for act in ("relu", "leaky_relu", "hardtanh", "relu6", "hardsigmoid"):
        model, x_te, _, acc = _model(act, args.epochs, args.seed)
        idx = torch.stack([torch.randperm(len(x_te), generator=g)[:2] for _ in range(args.pairs)])  # i != j
        t = time.perf_counter()
        counts, dens = [], []
        for i, j in idx.tolist():
            r = linear_regions(model, line=(x_te[i], x_te[j]))
            counts.append(r.count)
            dens.append(r.density)
        a, b, c = x_te[0], x_te[1], x_te[2]
        plane = linear_regions(model, plane=(a, b - a, c - a), max_regions=10**6).count
        dt = time.perf_counter() - t
        mc, md = sum(counts) / len(counts), sum(dens) / len(dens)
        print(f"{act} | {acc:.3f} | {mc:.1f} | {md:.2f} | {plane} | {dt:.1f}")
        rows.append(dict(figure="regions", activation=act, test_acc=acc, regions_per_segment=mc,
                         regions_per_length=md, plane_regions=plane, seconds=dt))


def tradeoff(args, rows):
    print(f"\n== Linearise + merge trade-off (LayerMerge's question), digits MLP depth {args.depth}, "
          "width 64 ==")
    print("activation | removed | sites | depth | params | test acc | latency us")
    for act in ("relu", "gelu"):
        for r in layermerge_tradeoff(act, depth=args.depth, width=64, epochs=args.epochs,
                                     finetune=args.finetune, seed=args.seed):
            print(f"{act} | {r.removed} | {r.sites or '-'} | {r.depth} | {r.params} | {r.accuracy:.3f} | "
                  f"{r.latency * 1e6:.0f}")
            rows.append(dict(figure="tradeoff", activation=act, removed=r.removed, sites=r.sites,
                             depth=r.depth, params=r.params, test_acc=r.accuracy, latency=r.latency))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("figure", nargs="?", default="all", choices=["all", "bounds", "regions", "tradeoff"])
    p.add_argument("--epochs", type=int, default=30)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--points", type=int, default=50, help="test points for the bounds")
    p.add_argument("--eps", default="0.01,0.05", help="L-inf radii (standardised inputs)")
    p.add_argument("--pairs", type=int, default=20, help="segments for the region counts")
    p.add_argument("--depth", type=int, default=4, help="hidden layers for the trade-off")
    p.add_argument("--finetune", type=int, default=0, help="fine-tuning epochs in the trade-off")
    args = p.parse_args()
    torch.set_num_threads(1)
    rows: list[dict] = []
    for name, fn in (("bounds", bounds), ("regions", regions), ("tradeoff", tradeoff)):
        if args.figure in ("all", name):
            fn(args, rows)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    settings = (f"epochs={args.epochs} seed={args.seed} points={args.points} eps={args.eps} "
                f"pairs={args.pairs} depth={args.depth} finetune={args.finetune}")
    keys = sorted({k for r in rows for k in r}) + ["settings"]
    with RESULTS.open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=keys)
        w.writeheader()
        for r in rows:
            w.writerow({**r, "settings": settings})
    print(f"\nrows written to {RESULTS}")


if __name__ == "__main__":
    main()
