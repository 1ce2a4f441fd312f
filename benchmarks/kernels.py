"""Speed, memory and correctness of actlab's activation kernels; writes CSV (and PNG) under --out.

    python benchmarks/kernels.py speed  --device cpu --dtypes float32 --sizes 4M
    python benchmarks/kernels.py speed  --device cuda --dtypes bfloat16 --sizes 16M,64M --glu silu,drelu
    python benchmarks/kernels.py check  --device cuda       # triton vs eager, every elementwise activation
    python benchmarks/kernels.py sweep  --device cuda       # triton block size / warps, kernel-level timing

``speed`` is ``actlab speed`` (same options). ``check`` compares values and gradients of the triton
(and optionally compiled) backend with eager for every elementwise activation: relative error
``‖out − ref‖ / ‖ref‖`` against a float64 reference of the same definition, plus the packed mask
against :func:`actlab.kernels.pack_bits`. ``sweep`` times the generated kernels alone (no autograd)
for several launch configurations: forward (with the mask for the mask family) + backward, as a
percentage of a device copy moving the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
from pathlib import Path

import torch

import actlab
from actlab import speed as sp
from actlab.catalog.registry import lookup
from actlab.kernels.dispatch import apply, kernels_for


def _rel(out: torch.Tensor, ref: torch.Tensor) -> float:
    out, ref = out.double(), ref.double()
    fin = torch.isfinite(ref)
    if not torch.equal(fin, torch.isfinite(out)) or not torch.equal(
        out[~fin].nan_to_num(), ref[~fin].nan_to_num()
    ):
        return float("inf")
    den = ref[fin].norm().item()
    return (out[fin] - ref[fin]).norm().item() / (den if den > 0 else 1.0)


def check(args: argparse.Namespace) -> int:
    device = torch.device(args.device)
    names = (
        [n for n in actlab.available() if lookup(n).elementwise]
        if args.names == "all"
        else args.names.split(",")
    )
    impls = args.impls.split(",")
    limits = {"float32": 1e-5, "bfloat16": 1e-2, "float16": 2e-3, "float64": 1e-12}
    rows, bad = [], []
    gen = torch.Generator().manual_seed(0)
    for name in names:
        spec = lookup(name)
        params = spec.resolve_params({})
        for dt in [sp.parse_dtype(d) for d in args.dtypes.split(",")]:
            x64 = torch.randn(args.numel, generator=gen, dtype=torch.float64) * 3
            dy64 = torch.randn(args.numel, generator=gen, dtype=torch.float64)
            x, dy = x64.to(dt), dy64.to(dt)
            # reference: the same definition in float64 on the rounded inputs
            xr = x.double().requires_grad_()
            yr = spec.fn(xr, **params)
            from actlab.kernels.lean import backward_fn

            gr = backward_fn(spec, params)(x.double(), dy.double())
            for impl in impls:
                xi = x.to(device).requires_grad_()
                try:
                    y = apply(spec, params, xi, impl)
                    (g,) = torch.autograd.grad(y, xi, dy.to(device))
                    # eager in the same dtype, for scale: how far is eager itself from float64?
                    xe = x.to(device).requires_grad_()
                    ye = apply(spec, params, xe, "eager")
                    (ge,) = torch.autograd.grad(ye, xe, dy.to(device))
                    ev, eg = _rel(y.cpu(), yr.detach()), _rel(g.cpu(), gr)
                    bv, bg = _rel(ye.cpu(), yr.detach()), _rel(ge.cpu(), gr)
                    note = ""
                except Exception as e:
                    ev = eg = bv = bg = float("nan")
                    note = f"{type(e).__name__}: {str(e).splitlines()[0][:100]}"
                lim = limits[str(dt).removeprefix("torch.")]
                # pass: within the dtype's limit, or no worse than 2x eager's own error
                ok = note == "" and all(e <= max(lim, 2 * b) for e, b in ((ev, bv), (eg, bg)))
                rows.append(
                    dict(
                        name=name,
                        dtype=str(dt),
                        impl=impl,
                        err_value=ev,
                        err_grad=eg,
                        eager_err_value=bv,
                        eager_err_grad=bg,
                        ok=ok,
                        note=note,
                    )
                )
                if not ok:
                    bad.append(rows[-1])
        if spec.grad_mask is not None and "triton" in impls:
            k = kernels_for("triton", spec, params, torch.float32, device)
            xm = torch.randn(args.numel + 5, generator=gen).to(device)
            _, packed = k.forward(xm, True)
            from actlab.kernels.lean import mask_fn, pack_bits

            ref = pack_bits(mask_fn(spec, params)(xm))
            if not torch.equal(packed, ref):
                bad.append(dict(name=name, impl="triton", note="packed mask differs"))
    _write(rows, Path(args.out) / "check.csv")
    print(f"checked {len(rows)} cases on {device}: {len(bad)} failures")
    for b in bad:
        print("FAIL", b)
    worst = sorted((r for r in rows if r["ok"]), key=lambda r: -max(r["err_value"], r["err_grad"]))[:5]
    for r in worst:
        print(
            f"worst ok: {r['name']:>14} {r['dtype']:>15} {r['impl']:>8} value {r['err_value']:.2e} "
            f"grad {r['err_grad']:.2e} (eager {r['eager_err_value']:.2e} / {r['eager_err_grad']:.2e})"
        )
    return 1 if bad else 0


def sweep(args: argparse.Namespace) -> int:
    from triton.testing import do_bench

    from actlab.kernels.triton import launch as tk

    device = torch.device(args.device)
    rows = []
    for dt in [sp.parse_dtype(d) for d in args.dtypes.split(",")]:
        for n in [sp.parse_size(s) for s in args.sizes.split(",")]:
            x = torch.randn(n, device=device).to(dt)
            dy = torch.randn(n, device=device).to(dt)
            es = x.element_size()
            dst = torch.empty_like(x)
            copy_ms = do_bench(lambda dst=dst, x=x: dst.copy_(x), return_mode="median")
            copy_bw = 2 * n * es / copy_ms / 1e6
            for name in args.names.split(","):
                spec = lookup(name)
                params = spec.resolve_params({})
                for block in [int(b) for b in args.blocks.split(",")]:
                    for warps in [int(w) for w in args.warps.split(",")]:
                        tk.CONFIG.update(block=block, warps=warps)
                        k = kernels_for("triton", spec, params, dt, device)
                        y, saved = k.forward(x, True)
                        fwd = lambda k=k, x=x: k.forward(x, True)  # noqa: E731
                        bwd = lambda k=k, s=saved, dy=dy: k.backward(s, dy)  # noqa: E731
                        f = do_bench(fwd, return_mode="median")
                        b = do_bench(bwd, return_mode="median")
                        both = do_bench(
                            lambda k=k, x=x, dy=dy: k.backward(k.forward(x, True)[1], dy),
                            return_mode="median",
                        )
                        nbytes = 5 * n * es
                        rows.append(
                            dict(
                                name=name,
                                dtype=str(dt),
                                numel=n,
                                block=block,
                                warps=warps,
                                fwd_us=f * 1e3,
                                bwd_us=b * 1e3,
                                both_us=both * 1e3,
                                pct_copy_sum=100 * nbytes / ((f + b) * 1e6) / copy_bw,
                                pct_copy_both=100 * nbytes / (both * 1e6) / copy_bw,
                                copy_gbps=copy_bw,
                            )
                        )
                        r = rows[-1]
                        print(
                            f"{name:>10} {str(dt):>15} n={n:>10} block={block:>5} warps={warps:>2}: "
                            f"fwd {r['fwd_us']:7.1f} bwd {r['bwd_us']:7.1f} both {r['both_us']:7.1f} us; "
                            "% copy (fwd+bwd) "
                            f"{r['pct_copy_sum']:5.1f} (one call) {r['pct_copy_both']:5.1f}; "
                            f"copy {copy_bw:.0f} GB/s"
                        )
    _write(rows, Path(args.out) / "sweep.csv")
    best = {}
    for r in rows:
        key = (r["block"], r["warps"])
        best.setdefault(key, []).append(r["pct_copy_sum"])
    for key, v in sorted(best.items(), key=lambda kv: -statistics.median(kv[1])):
        print(f"block={key[0]:>5} warps={key[1]:>2}: median % copy {statistics.median(v):.1f}")
    return 0


def speed(args: argparse.Namespace) -> int:
    out = Path(args.out)
    sp.speed_command(
        args.names,
        args.dtypes,
        args.sizes,
        args.impls,
        args.modes,
        args.device,
        args.glu,
        args.min_time,
        out / "speed.csv",
        out / "speed.png",
        Path(args.autotable) if args.autotable else None,
        args.min_numel,
        args.wide,
    )
    return 0


def _write(rows: list[dict], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if not rows:
        return
    with path.open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    for name in ("speed", "check", "sweep"):
        q = sub.add_parser(name)
        q.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
        q.add_argument("--out", default="out/kernels")
        q.add_argument("--dtypes", default="float32" if name == "speed" else "float32,bfloat16")
        q.add_argument("--names", default=",".join(sp.DEFAULT_NAMES) if name != "check" else "all")
        if name == "speed":
            q.add_argument("--sizes", default="4M")
            q.add_argument("--impls", default=",".join(sp.DEFAULT_IMPLS))
            q.add_argument("--modes", default="fwd,bwd,both")
            q.add_argument("--glu", default="")
            q.add_argument("--min-time", type=float, default=0.3)
            q.add_argument("--autotable", default="")
            q.add_argument("--min-numel", type=int, default=2**18)
            q.add_argument("--wide", action="store_true", help="every mode and column in one table")
        elif name == "check":
            q.add_argument("--impls", default="triton")
            q.add_argument("--numel", type=int, default=1 << 16)
        else:
            q.add_argument("--sizes", default="16M,64M")
            q.add_argument("--blocks", default="1024,2048,4096,8192")
            q.add_argument("--warps", default="4,8")
    args = p.parse_args(argv)
    return {"speed": speed, "check": check, "sweep": sweep}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
