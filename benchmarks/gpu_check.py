"""One short GPU run for issue 15: the correctness check, then the speed and memory tables.

    PYTHONPATH=src python3 benchmarks/gpu_check.py --out out/gpu          # ~6 min on an H200
    PYTHONPATH=src python3 benchmarks/gpu_check.py --out out/gpu --quick  # ~2 min: 16M only, fewer cases
    TRITON_INTERPRET=1 python benchmarks/gpu_check.py --device cpu --sizes 8K --quick \
        --check-numel 4096 --impls eager,triton --glu silu --out /tmp/g     # smoke test without a GPU

What it does, in this order (each part writes its CSV under ``--out`` as soon as it is done, so
a run cut short still returns what it measured):

1. ``check.csv``: the generated Triton kernels against the float64 definition, values and
   gradients, fp32 and bf16, for a representative set (``--check-names all``: every elementwise
   activation; allow ~1 s of JIT per function and dtype); plus the packed masks bit for bit.
2. ``speed.csv`` / ``speed.md``: fused forward+backward of golu, gelu_tanh, silu and relu (mask
   path) at 16M and 64M bf16, and the GLUs (SwiGLU, GeGLU, dReLU) as ``(tokens, 8192)`` rows, for
   eager, torch.compile of the plain expression (``inductor``), ``triton``, ``auto`` and Liger-Kernel
   where it is importable: median time, achieved GB/s under the minimum-traffic model, % of the
   device's peak HBM bandwidth (H100 3.35 TB/s, H200 4.8 TB/s; none for other devices) and of a
   device copy measured in the same run, ratios against eager, torch.compile and Liger, saved
   bytes per element, peak memory above the inputs.
3. ``launches.csv``: CUDA kernels per forward+backward call (``torch.profiler``) per backend.
4. ``mlp.csv``: a whole gated MLP at Liger's benchmark shape (hidden 4096, intermediate 11008,
   ``--tokens`` tokens, bf16), ``GatedFFN`` eager vs ``triton`` (in-place gradients) vs Liger's
   ``LigerSwiGLUMLP``: fwd+bwd time and peak memory.
5. ``sweep.csv`` with ``--sweep``: Triton block size and warps (``benchmarks/kernels.py sweep``).

Liger-Kernel is a pure-Python wheel: carry it to a machine without it (see
``/work/.library/device/README.md``) and put it on ``PYTHONPATH``.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import math
import sys
import time
from pathlib import Path

import torch

from actlab import speed as sp

#: peak HBM bandwidth (bytes/s) by device name (the figures issue 15 names)
PEAK = {"H200": 4.8e12, "H100": 3.35e12}
ELEMENTWISE = "golu,gelu_tanh,silu,relu"
GLUS = "silu,gelu_tanh,drelu"
IMPLS = "eager,inductor,triton,auto"
CHECK = (
    "golu,gelu_tanh,gelu,silu,mish,swish,snake,softplus,elu,sigmoid,tanh,relu,leaky_relu,hardtanh,relu6,helu"
)


def _kernels_module():
    path = Path(__file__).with_name("kernels.py")
    spec = importlib.util.spec_from_file_location("actlab_bench_kernels", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


def _write(rows: list[dict], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if rows:
        with path.open("w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
    print(f"wrote {path}", flush=True)


def device_peak(device: str) -> tuple[str, float]:
    if device != "cuda":
        return device, float("nan")
    name = torch.cuda.get_device_name()
    return name, next((v for k, v in PEAK.items() if k in name), float("nan"))


def check(args: argparse.Namespace) -> int:
    ns = argparse.Namespace(
        device=args.device, names=args.check_names, impls="triton", dtypes="float32,bfloat16",
        numel=args.check_numel, out=args.out,
    )  # fmt: skip
    t = time.time()
    bad = _kernels_module().check(ns)
    print(f"check: {time.time() - t:.0f} s", flush=True)
    return bad


def speed(args: argparse.Namespace, peak: float) -> list[sp.Row]:
    sizes = args.sizes.split(",")[:1] if args.quick else args.sizes.split(",")
    rows = sp.run_speed(
        args.names.split(","),
        [torch.bfloat16],
        [sp.parse_size(s) for s in sizes],
        args.impls.split(","),
        ["both"] if args.quick else ["fwd", "bwd", "both"],
        args.device,
        glu_gates=args.glu.split(",") if args.glu else [],
        min_run_time=args.min_time,
        progress=False,
        rounds=3,
    )
    by_case: dict[tuple, dict[str, sp.Row]] = {}
    for r in rows:
        by_case.setdefault((r.name, r.dtype, r.numel, r.mode), {})[r.impl] = r
    out = []
    for r in rows:
        liger = by_case[(r.name, r.dtype, r.numel, r.mode)].get("liger")
        d = r.as_dict()
        d["pct_peak"] = 100 * r.gbps * 1e9 / peak if peak == peak else float("nan")
        d["vs_liger"] = (
            liger.median_us / r.median_us if liger and r.median_us == r.median_us else float("nan")
        )
        out.append(d)
    _write(out, Path(args.out) / "speed.csv")
    cols = ["activation", "n", "mode", "impl", "µs", "GB/s", "% peak", "% copy", "× eager", "× compile"]
    cols += ["× Liger", "saved B/el", "peak MB"]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    numbers = [("median_us", 1), ("gbps", 0), ("pct_peak", 0), ("pct_copy", 0), ("vs_eager", 2)]
    numbers += [("vs_inductor", 2), ("vs_liger", 2), ("saved_bytes_per_elem", 3), ("peak_mb", 0)]
    for d in out:
        cells = [d["name"], sp._n(d["numel"]), d["mode"], d["impl"]]
        cells += [_fmt(d[k], nd) for k, nd in numbers]
        lines.append("| " + " | ".join(cells) + " |")
    (Path(args.out) / "speed.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines), flush=True)
    return rows


def _fmt(v: float, nd: int) -> str:
    return "-" if v != v else f"{v:.{nd}f}"


def launches(args: argparse.Namespace) -> None:
    from actlab.catalog.registry import lookup
    from actlab.kernels.dispatch import glu

    n = sp.parse_size(args.sizes.split(",")[0])
    dev = args.device
    rows = []
    for name in args.names.split(","):
        spec = lookup(name)
        fns = sp.elementwise_backends(spec, spec.resolve_params({}), ["eager", "inductor", "triton"])
        for impl, fn in fns.items():
            x = torch.randn(n, device=dev, dtype=torch.bfloat16, requires_grad=True)
            dy = torch.randn_like(x)
            call = lambda fn=fn, x=x, dy=dy: torch.autograd.grad(fn(x), x, dy)  # noqa: E731
            call()
            rows.append({"name": name, "impl": impl, "numel": n, **sp.kernels_per_call(call)})
    a = torch.randn(max(1, n // 8192), min(n, 8192), device=dev, dtype=torch.bfloat16, requires_grad=True)
    b = torch.randn_like(a, requires_grad=True)
    do = torch.randn_like(a)
    for impl in ("eager", "triton"):
        call = lambda impl=impl: torch.autograd.grad(glu("silu", a, b, impl=impl), (a, b), do)  # noqa: E731
        call()
        rows.append({"name": "glu:silu", "impl": impl, "numel": a.numel(), **sp.kernels_per_call(call)})
    _write(rows, Path(args.out) / "launches.csv")
    for r in rows:
        print(r, flush=True)


def mlp(args: argparse.Namespace) -> None:
    import actlab

    hidden, inter, tokens = 4096, 11008, args.tokens
    x = torch.randn(tokens, hidden, device="cuda", dtype=torch.bfloat16)
    models = {
        "eager": actlab.nn.GatedFFN(hidden, inter, gate="silu", impl="eager"),
        "triton": actlab.nn.GatedFFN(hidden, inter, gate="silu", impl="triton"),
        "triton-fused-proj": actlab.nn.GatedFFN(hidden, inter, gate="silu", impl="triton", fused=True),
    }
    try:
        from liger_kernel.transformers.swiglu import LigerSwiGLUMLP

        cfg = argparse.Namespace(
            hidden_size=hidden, intermediate_size=inter, hidden_act="silu", mlp_bias=False
        )
        models["liger"] = LigerSwiGLUMLP(cfg)
    except ImportError as e:
        print(f"no Liger-Kernel ({e}); its MLP row is skipped", flush=True)
    rows = []
    for name, m in models.items():
        m = m.to(device="cuda", dtype=torch.bfloat16)
        xi = x.clone().requires_grad_()

        def step(m=m, xi=xi) -> None:
            m(xi).sum().backward()

        step()
        torch.cuda.synchronize()
        base = torch.cuda.memory_allocated()
        torch.cuda.reset_peak_memory_stats()
        step()
        torch.cuda.synchronize()
        peak_mb = (torch.cuda.max_memory_allocated() - base) / 2**20
        ms = sp.time_fn(step, torch.device("cuda"), args.min_time) * 1e3
        rows.append({"model": name, "tokens": tokens, "fwd_bwd_ms": ms, "peak_mb_above_inputs": peak_mb})
        print(rows[-1], flush=True)
        del m
        torch.cuda.empty_cache()
    _write(rows, Path(args.out) / "mlp.csv")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", default="out/gpu")
    p.add_argument("--names", default=ELEMENTWISE)
    p.add_argument("--glu", default=GLUS)
    p.add_argument("--impls", default=IMPLS)
    p.add_argument("--check-names", default=CHECK)
    p.add_argument("--check-numel", type=int, default=1 << 16)
    p.add_argument("--sizes", default="16M,64M")
    p.add_argument("--device", default="cuda", help="cuda; cpu only to smoke-test (TRITON_INTERPRET=1)")
    p.add_argument("--min-time", type=float, default=0.2)
    p.add_argument("--tokens", type=int, default=8192)
    p.add_argument("--quick", action="store_true", help="16M only, fwd+bwd only, no MLP")
    p.add_argument("--sweep", action="store_true", help="also time Triton block sizes and warps")
    args = p.parse_args(argv)
    if args.device == "cuda" and not torch.cuda.is_available():
        print("gpu_check needs a CUDA device", file=sys.stderr)
        return 2
    name, peak = device_peak(args.device)
    print(f"device: {name}; peak HBM bandwidth: {peak / 1e12 if peak == peak else math.nan:.2f} TB/s; "
          f"torch {torch.__version__}", flush=True)  # fmt: skip
    t0 = time.time()
    bad = check(args)
    speed(args, peak)
    launches(args)
    if not args.quick and args.device == "cuda":
        mlp(args)
    if args.sweep:
        _kernels_module().sweep(
            argparse.Namespace(
                device=args.device,
                dtypes="bfloat16",
                sizes=args.sizes,
                names=args.names,
                blocks="1024,2048,4096,8192",
                warps="4,8",
                out=args.out,
            )  # fmt: skip
        )
    print(f"total {time.time() - t0:.0f} s; correctness failures: {bad}", flush=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
