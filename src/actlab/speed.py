"""``actlab speed``: time every backend of chosen activations side by side, in one process.

For each activation × dtype × size and each backend (``eager``; ``torch.compile`` of the plain
expression, called ``inductor`` here; actlab's ``lean``, ``compiled``, ``triton`` and ``auto``;
Liger-Kernel's SwiGLU/GeGLU when installed, for GLU rows), it measures forward, backward and both
with warm-up and medians (``triton.testing.do_bench`` on CUDA, ``torch.utils.benchmark`` on the
CPU) and reports

- achieved GB/s under the minimum-traffic model of an elementwise op (forward: read x, write y;
  backward: read x and dy, write dx; GLU: read a, b (and do), write o (da, db));
- that bandwidth as a percentage of a device copy of the same size measured in the same run;
- speed ratios against eager and against ``torch.compile`` of the plain expression (> 1 = faster);
- saved-for-backward bytes per element (``torch.autograd.graph.saved_tensors_hooks``);
- on CUDA, peak memory of forward+backward above the inputs.

Absolute times on a shared CPU are noise; the ratios, measured side by side, are the figure.
"""

from __future__ import annotations

import csv
import itertools
import math
import re
import statistics
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import torch

from actlab.catalog.registry import lookup
from actlab.catalog.spec import ActivationSpec, evaluate
from actlab.kernels.compiled import fresh
from actlab.kernels.dispatch import apply, glu
from actlab.kernels.glu import eager_glu, resolve_branch

Tensor = torch.Tensor

#: the nine composite activations of the CPU target in issue 4
DEFAULT_NAMES = ("golu", "mish", "snake", "aptx", "xatlu", "smelu", "serf", "gelu_tanh", "swish")
DEFAULT_IMPLS = ("eager", "inductor", "lean", "compiled", "auto")
MODES = ("fwd", "bwd", "both")
#: elements moved per element of the input, by mode (elementwise, GLU)
TRAFFIC = {"fwd": 2, "bwd": 3, "both": 5}
GLU_TRAFFIC = {"fwd": 3, "bwd": 5, "both": 8}
GLU_COLS = 8192


@dataclass
class Row:
    """One measurement: a backend on one activation, dtype, size and mode."""

    name: str
    impl: str
    dtype: str
    numel: int
    mode: str
    device: str
    median_us: float
    gbps: float
    pct_copy: float
    vs_eager: float = float("nan")
    vs_inductor: float = float("nan")
    saved_bytes_per_elem: float = float("nan")
    peak_mb: float = float("nan")
    note: str = ""
    extra: dict = field(default_factory=dict, repr=False)

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("extra")
        return d


def parse_size(text: str) -> int:
    """``"4M"`` → 4·2²⁰, ``"64K"`` → 64·2¹⁰, ``"1000"`` → 1000."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kKmMgG]?)\s*", text)
    if not m:
        raise ValueError(f"bad size {text!r}; e.g. 4M, 64K, 1000")
    mult = {"": 1, "k": 2**10, "m": 2**20, "g": 2**30}[m.group(2).lower()]
    return int(float(m.group(1)) * mult)


def parse_dtype(text: str) -> torch.dtype:
    names = {"fp64": "float64", "fp32": "float32", "bf16": "bfloat16", "fp16": "float16", "half": "float16"}
    dt = getattr(torch, names.get(text.strip(), text.strip()), None)
    if not isinstance(dt, torch.dtype) or not dt.is_floating_point:
        raise ValueError(f"bad dtype {text!r}; one of float64, float32, bfloat16, float16")
    return dt


def _dtype_name(dt: torch.dtype) -> str:
    return str(dt).removeprefix("torch.")


# ----------------------------------------------------------------------------- timing


def time_fn(fn: Callable[[], Any], device: torch.device, min_run_time: float = 0.3) -> float:
    """Median seconds per call of ``fn`` after warm-up (CUDA: events, L2 flushed; CPU: blocked_autorange)."""
    if device.type == "cuda":
        from triton.testing import do_bench

        return (
            do_bench(
                fn,
                warmup=max(25, int(min_run_time * 100)),
                rep=max(100, int(min_run_time * 1000)),
                return_mode="median",
            )
            * 1e-3
        )
    from torch.utils.benchmark import Timer

    fn()  # warm-up (and any lazy compilation)
    fn()
    m = Timer(stmt="fn()", globals={"fn": fn}).blocked_autorange(min_run_time=min_run_time)
    return float(m.median)


def copy_time(numel: int, dtype: torch.dtype, device: torch.device, min_run_time: float) -> float:
    """Median seconds of a device copy of ``numel`` elements (reads + writes ``2·numel·size`` bytes)."""
    src = torch.randn(numel, device=device).to(dtype)
    dst = torch.empty_like(src)
    return time_fn(lambda: dst.copy_(src), device, min_run_time)


def saved_bytes(fn: Callable[[], Tensor]) -> int:
    """Bytes of the tensors autograd saves for backward during ``fn()``."""
    total = 0

    def pack(t: Tensor) -> Tensor:
        nonlocal total
        total += t.numel() * t.element_size()
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        fn()
    return total


def peak_memory(fn: Callable[[], Any], device: torch.device) -> float:
    """Peak CUDA memory (MB) allocated during ``fn()`` above what was allocated before."""
    if device.type != "cuda":
        return float("nan")
    torch.cuda.synchronize(device)
    torch.cuda.reset_peak_memory_stats(device)
    base = torch.cuda.memory_allocated(device)
    fn()
    torch.cuda.synchronize(device)
    return (torch.cuda.max_memory_allocated(device) - base) / 2**20


#: aten ops that allocate, view or relabel memory: they launch no kernel
_NO_KERNEL = (
    "empty", "new_empty", "empty_like", "empty_strided", "view", "_unsafe_view", "as_strided", "alias",
    "detach", "reshape", "expand", "lift_fresh", "select", "slice", "narrow", "permute", "t", "transpose",
    "unsqueeze", "squeeze", "resolve_conj", "resolve_neg", "set_", "unbind", "split", "chunk", "result_type",
)  # fmt: skip


def kernels_per_call(fn: Callable[[], Any]) -> dict[str, int]:
    """Kernel launches of one call of ``fn`` (e.g. one forward+backward), from ``torch.profiler``.

    ``triton``: launches of actlab's generated kernels (their profiler range); ``aten``: the
    other computing aten ops (innermost ones, outside those ranges: each is a kernel launch on a
    GPU); ``cuda``: the kernels the GPU ran (0 on the CPU). Works under ``TRITON_INTERPRET=1``,
    where the interpreter's own tensor operations are not counted.
    """
    from torch.profiler import ProfilerActivity, profile

    from actlab.kernels.triton.launch import LAUNCH_EVENT

    acts = [ProfilerActivity.CPU] + ([ProfilerActivity.CUDA] if torch.cuda.is_available() else [])
    with profile(activities=acts) as prof:
        fn()
        if torch.cuda.is_available():
            torch.cuda.synchronize()
    events = prof.events()
    children: dict[int, int] = {}
    for e in events:
        if e.cpu_parent is not None and e.name.startswith("aten::"):
            children[id(e.cpu_parent)] = children.get(id(e.cpu_parent), 0) + 1

    def inside_launch(e: Any) -> bool:
        p = e.cpu_parent
        while p is not None:
            if p.name == LAUNCH_EVENT:
                return True
            p = p.cpu_parent
        return False

    triton = sum(e.name == LAUNCH_EVENT for e in events)
    aten = sum(
        1
        for e in events
        if e.name.startswith("aten::")
        and children.get(id(e), 0) == 0
        and e.name.removeprefix("aten::") not in _NO_KERNEL
        and not inside_launch(e)
    )
    cuda = sum(1 for e in events if str(getattr(e, "device_type", "")).endswith("CUDA"))
    return {"triton": triton, "aten": aten, "cuda": cuda, "total": triton + aten}


# ----------------------------------------------------------------------------- backends


def elementwise_backends(spec: ActivationSpec, params: dict, impls: Iterable[str]) -> dict[str, Callable]:
    """``impl -> f(x)`` for the requested backends of one activation."""
    out: dict[str, Callable] = {}
    for impl in impls:
        if impl == "eager":
            out[impl] = lambda x: evaluate(spec, x, params)
        elif impl == "inductor":
            out[impl] = torch.compile(fresh(lambda x: evaluate(spec, x, params)))
        else:
            out[impl] = (lambda i: lambda x: apply(spec, params, x, i))(impl)
    return out


def glu_backends(gate: tuple, up: tuple | None, impls: Iterable[str]) -> dict[str, Callable]:
    """``impl -> f(a, b)`` for a GLU (adds Liger-Kernel's SwiGLU/GeGLU when installed and applicable)."""
    out: dict[str, Callable] = {}
    for impl in impls:
        if impl == "eager":
            out[impl] = lambda a, b: eager_glu(gate, up, a, b)
        elif impl == "inductor":
            out[impl] = torch.compile(fresh(lambda a, b: eager_glu(gate, up, a, b)))
        else:
            out[impl] = (
                lambda i: (
                    lambda a, b: glu(
                        gate[0],
                        a,
                        b,
                        up=None if up is None else up[0],
                        impl=i,
                        up_params=None if up is None else up[1],
                        **gate[1],
                    )
                )
            )(impl)
    liger = liger_glu(gate[0].name if up is None else "")
    if liger is not None:
        out["liger"] = liger
    return out


def liger_glu(gate: str) -> Callable | None:
    """Liger-Kernel's fused SwiGLU (gate ``silu``/``swish``) or GeGLU (``gelu_tanh``), if installed."""
    try:
        if gate in ("silu", "swish"):
            from liger_kernel.ops.swiglu import LigerSiLUMulFunction

            return LigerSiLUMulFunction.apply
        if gate == "gelu_tanh":
            from liger_kernel.ops.geglu import LigerGELUMulFunction

            return LigerGELUMulFunction.apply
    except ImportError:
        return None
    return None


# ----------------------------------------------------------------------------- the run


@dataclass
class Case:
    """One activation (or GLU gate) at one dtype and size."""

    label: str
    fns: dict[str, Callable]
    inputs: Callable[[], tuple[Tensor, ...]]
    traffic: dict[str, int]
    dtype: torch.dtype
    numel: int


def _measure_case(
    case: Case, modes: Iterable[str], device: torch.device, min_run_time: float, copy_s: float, rounds: int
) -> list[Row]:
    """Time every backend of ``case``; backends are interleaved in ``rounds`` rounds and each time is
    the median over rounds, so that load drifting over time hits all backends alike."""
    es = torch.empty((), dtype=case.dtype).element_size()
    ready: dict[str, tuple] = {}
    notes: dict[str, str] = {}
    for impl, fn in case.fns.items():
        ins = case.inputs()
        try:
            y = fn(*ins)  # warm-up: builds/compiles the backend
            dy = torch.randn_like(y)
            torch.autograd.grad(y, ins, dy)
            torch.autograd.grad(fn(*ins), ins, dy)
            sb = saved_bytes(lambda fn=fn, ins=ins: fn(*ins)) / case.numel
            peak = peak_memory(lambda fn=fn, ins=ins, dy=dy: torch.autograd.grad(fn(*ins), ins, dy), device)
            ready[impl] = (fn, ins, dy, sb, peak)
        except Exception as e:  # a backend that cannot run this case is reported, not fatal
            notes[impl] = f"{type(e).__name__}: {str(e).splitlines()[0][:120] if str(e) else ''}"
    per_round = min_run_time / rounds
    times: dict[tuple[str, str], list[float]] = {}
    for mode in modes:
        calls = {}
        for impl, (fn, ins, dy, _, _) in ready.items():
            if mode == "fwd":
                calls[impl] = lambda fn=fn, ins=ins: fn(*ins)
            elif mode == "bwd":
                y = fn(*ins)
                calls[impl] = lambda y=y, ins=ins, dy=dy: torch.autograd.grad(y, ins, dy, retain_graph=True)
            else:
                calls[impl] = lambda fn=fn, ins=ins, dy=dy: torch.autograd.grad(fn(*ins), ins, dy)
        for _ in range(rounds):
            for impl, call in calls.items():
                times.setdefault((mode, impl), []).append(time_fn(call, device, per_round))
    rows: list[Row] = []
    copy_gbps = 2 * case.numel * es / copy_s / 1e9
    for impl in case.fns:
        for mode in modes:
            if impl in ready:
                t = statistics.median(times[(mode, impl)])
                sb, peak = ready[impl][3], ready[impl][4]
            else:
                t, sb, peak = float("nan"), float("nan"), float("nan")
            gbps = case.traffic[mode] * case.numel * es / t / 1e9
            rows.append(
                Row(
                    case.label,
                    impl,
                    _dtype_name(case.dtype),
                    case.numel,
                    mode,
                    device.type,
                    t * 1e6,
                    gbps,
                    100.0 * gbps / copy_gbps,
                    saved_bytes_per_elem=sb,
                    peak_mb=peak,
                    note=notes.get(impl, ""),
                )
            )
    _ratios(rows)
    return rows


def _ratios(rows: list[Row]) -> None:
    base = {(r.mode, r.impl): r.median_us for r in rows}
    for r in rows:
        for ref, attr in (("eager", "vs_eager"), ("inductor", "vs_inductor")):
            t = base.get((r.mode, ref))
            if t is not None and r.median_us == r.median_us:
                setattr(r, attr, t / r.median_us)


def run_speed(
    names: Iterable[str] = DEFAULT_NAMES,
    dtypes: Iterable[torch.dtype] = (torch.float32,),
    sizes: Iterable[int] = (4 * 2**20,),
    impls: Iterable[str] = DEFAULT_IMPLS,
    modes: Iterable[str] = MODES,
    device: str | torch.device = "cpu",
    glu_gates: Iterable[str] = (),
    min_run_time: float = 0.3,
    progress: bool = True,
    seed: int = 0,
    rounds: int = 5,
) -> list[Row]:
    """Measure every backend on every case; returns one :class:`Row` per (case, backend, mode)."""
    device = torch.device(device)
    names, dtypes, sizes, impls, modes = list(names), list(dtypes), list(sizes), list(impls), list(modes)
    gates = list(glu_gates)
    for m in modes:
        if m not in MODES:
            raise ValueError(f"bad mode {m!r}; one of {MODES}")
    gen = torch.Generator(device="cpu").manual_seed(seed)

    def rand(n: int, dt: torch.dtype) -> Callable[[], tuple[Tensor, ...]]:
        def make(k: int = 1) -> tuple[Tensor, ...]:
            # GLU inputs as (tokens, 8192) rows, the layout of a feed-forward hidden layer
            shape = (n // GLU_COLS, GLU_COLS) if k == 2 and n % GLU_COLS == 0 else (n,)
            return tuple(
                (torch.randn(shape, generator=gen) * 2).to(device=device, dtype=dt).requires_grad_()
                for _ in range(k)
            )

        return make

    cases: list[Callable[[], Case]] = []
    for dt, n in itertools.product(dtypes, sizes):
        for name in names:
            spec = lookup(name)
            params = spec.resolve_params({})
            cases.append(
                lambda spec=spec, params=params, dt=dt, n=n: Case(
                    spec.name,
                    elementwise_backends(spec, params, impls),
                    lambda: rand(n, dt)(1),
                    TRAFFIC,
                    dt,
                    n,
                )
            )
        for gname in gates:
            up = None
            if gname == "drelu":
                gate = resolve_branch("relu", {})
                up = gate
            else:
                gate = resolve_branch(gname, {})
            cases.append(
                lambda gate=gate, up=up, gname=gname, dt=dt, n=n: Case(
                    f"glu:{gname}", glu_backends(gate, up, impls), lambda: rand(n, dt)(2), GLU_TRAFFIC, dt, n
                )
            )

    copies: dict[tuple, float] = {}
    rows: list[Row] = []
    bar = _progress(progress)
    with bar:
        task = bar.add_task("speed", total=len(cases))
        for make in cases:
            case = make()
            bar.update(task, description=f"{case.label} {_dtype_name(case.dtype)} {case.numel}")
            key = (case.dtype, case.numel)
            if key not in copies:
                copies[key] = copy_time(case.numel, case.dtype, device, min_run_time)
            with _no_donated_buffers():  # "bwd" reruns one graph (retain_graph) for every backend
                rows.extend(_measure_case(case, modes, device, min_run_time, copies[key], rounds))
            bar.advance(task)
    return rows


def _no_donated_buffers() -> Any:
    try:
        import torch._functorch.config as fconfig

        return fconfig.patch(donated_buffer=False)
    except (ImportError, AttributeError):
        import contextlib

        return contextlib.nullcontext()


def _progress(enabled: bool) -> Any:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        disable=not enabled,
        transient=True,
    )


# ----------------------------------------------------------------------------- outputs


def summary(rows: list[Row], mode: str = "both", impl: str = "compiled") -> dict[str, float]:
    """Median ratio of ``impl`` against eager and inductor over the cases of ``mode``."""
    sel = [r for r in rows if r.mode == mode and r.impl == impl and r.vs_eager == r.vs_eager]
    if not sel:
        return {}
    return {
        "median_vs_eager": statistics.median(r.vs_eager for r in sel),
        "min_vs_eager": min(r.vs_eager for r in sel),
        "median_vs_inductor": statistics.median(r.vs_inductor for r in sel if r.vs_inductor == r.vs_inductor)
        if any(r.vs_inductor == r.vs_inductor for r in sel)
        else float("nan"),
        "cases": len(sel),
    }


def compact_tables(rows: list[Row]) -> list[Any]:
    """Tables that fit an 80-column terminal: one per dtype and size, one row per activation and
    backend, forward+backward only (``mode="both"``, else the first mode measured), columns
    time, % of a copy, ratios against eager and torch.compile, saved bytes per element. Backends
    that could not run are listed under the table with the reason."""
    from rich import box
    from rich.table import Table

    modes = list(dict.fromkeys(r.mode for r in rows))
    mode = "both" if "both" in modes else (modes[0] if modes else "both")
    label = {"both": "fwd+bwd", "fwd": "forward", "bwd": "backward"}[mode]
    out = []
    for dt, n in dict.fromkeys((r.dtype, r.numel) for r in rows):
        sel = [r for r in rows if (r.dtype, r.numel, r.mode) == (dt, n, mode)]
        t = Table(
            title=f"{dt}, {_n(n)} elements, {label}, {sel[0].device if sel else ''} (× > 1: faster)",
            box=box.SIMPLE_HEAD,
            pad_edge=False,
        )
        for col, left in (("activation", True), ("impl", True), ("µs", False), ("%copy", False),
                          ("×eager", False), ("×compile", False), ("saved B/el", False)):  # fmt: skip
            t.add_column(col, justify="left" if left else "right", no_wrap=True)
        failed = []
        for r in sel:
            if r.note:
                failed.append(f"{r.name} {r.impl}: {r.note[:60]}")
            t.add_row(
                r.name,
                r.impl,
                _f(r.median_us, 0 if r.median_us >= 100 else 1),
                _f(r.pct_copy, 0),
                _f(r.vs_eager, 2),
                _f(r.vs_inductor, 2),
                _f(r.saved_bytes_per_elem, 3),
            )
        if failed:
            t.caption = "could not run: " + "; ".join(failed)
        out.append(t)
    return out


def table(rows: list[Row], mode: str | None = None) -> Any:
    """A rich table of ``rows`` (one mode, or all), every column (``actlab speed --wide``)."""
    from rich.table import Table

    t = Table(title="actlab speed (×: speed-up; > 1 is faster than eager / torch.compile of the expression)")
    show_notes = any(r.note for r in rows)
    cols = [
        "activation",
        "dtype",
        "n",
        "mode",
        "impl",
        "µs",
        "GB/s",
        "%copy",
        "×eager",
        "×compile",
        "saved B/el",
        "peak MB",
    ] + (["note"] if show_notes else [])
    for col in cols:
        left = col in ("activation", "impl", "mode", "note", "dtype")
        t.add_column(
            col,
            justify="left" if left else "right",
            no_wrap=col != "note",
            min_width=len("glu:gelu_tanh") if col == "activation" else None,
        )
    for r in rows:
        if mode and r.mode != mode:
            continue
        cells = [
            r.name,
            r.dtype,
            _n(r.numel),
            r.mode,
            r.impl,
            _f(r.median_us, 1),
            _f(r.gbps, 1),
            _f(r.pct_copy, 0),
            _f(r.vs_eager, 2),
            _f(r.vs_inductor, 2),
            _f(r.saved_bytes_per_elem, 3),
            _f(r.peak_mb, 1),
        ]
        t.add_row(*cells, *([r.note] if show_notes else []))
    return t


def _f(v: float, nd: int) -> str:
    return "-" if v != v else f"{v:.{nd}f}"


def _n(n: int) -> str:
    for unit, s in ((2**30, "G"), (2**20, "M"), (2**10, "K")):
        if n % unit == 0:
            return f"{n // unit}{s}"
    return str(n)


def write_csv(rows: list[Row], path: str | Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].as_dict()) if rows else ["name"])
        w.writeheader()
        for r in rows:
            w.writerow(r.as_dict())


def plot(rows: list[Row], path: str | Path, mode: str = "both") -> None:
    """Bar chart: speed-up over eager per activation and backend (log scale), one panel per dtype/size."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sel = [r for r in rows if r.mode == mode and r.vs_eager == r.vs_eager]
    groups = sorted({(r.dtype, r.numel) for r in sel})
    if not groups:
        return
    impls = [i for i in dict.fromkeys(r.impl for r in sel)]
    fig, axes = plt.subplots(
        len(groups),
        1,
        figsize=(max(6, 0.9 * len({r.name for r in sel}) + 3), 3.2 * len(groups)),
        squeeze=False,
    )
    for ax, (dt, n) in zip(axes[:, 0], groups):
        names = list(dict.fromkeys(r.name for r in sel if (r.dtype, r.numel) == (dt, n)))
        width = 0.8 / max(1, len(impls))
        for j, impl in enumerate(impls):
            vals = []
            for name in names:
                hit = [r.vs_eager for r in sel if (r.dtype, r.numel, r.name, r.impl) == (dt, n, name, impl)]
                vals.append(hit[0] if hit else math.nan)
            ax.bar([i + j * width for i in range(len(names))], vals, width, label=impl)
        ax.axhline(1.0, color="k", lw=0.8)
        ax.set_yscale("log")
        ax.set_xticks([i + 0.4 - width / 2 for i in range(len(names))], names, rotation=30, ha="right")
        ax.set_ylabel(f"speed-up vs eager ({mode})")
        ax.set_title(f"{dt}, {_n(n)} elements, {sel[0].device}")
        ax.legend(fontsize=7, ncol=len(impls))
    fig.tight_layout()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)


BACKENDS_IN_TABLE = ("eager", "lean", "compiled", "triton")
COMPILING = ("compiled", "triton")


def _within_budget(r: Row) -> bool:
    """Whether a row's saved bytes per element are within ``auto``'s budget (the input's bytes,
    1 bit for two-valued derivatives)."""
    from actlab.kernels.lean import is_mask_family

    es = torch.empty((), dtype=getattr(torch, r.dtype)).element_size()
    budget = 0.125 if is_mask_family(lookup(r.name)) else float(es)
    return r.saved_bytes_per_elem == r.saved_bytes_per_elem and r.saved_bytes_per_elem <= budget + 1e-9


def autotable_from(
    rows: list[Row], min_numel: int, mode: str = "both", margin: float = 1.05
) -> dict[str, Any]:
    """A table for ``impl="auto"`` from measured rows: per device, dtype and activation, the
    backends measured (``eager``, ``lean``, ``compiled``, ``triton``), fastest first, each once.

    Several sizes combine: a backend's score is its mean time relative to the fastest backend at
    each size, over the sizes where every listed backend was measured (one size's outlier does not
    decide alone). A compiling backend is listed only where it beats the fastest non-compiling
    backend within the memory budget by ``margin`` (its first call compiles). ``auto`` reads the list
    with its memory policy (eager skipped where it saves more than the budget, ``lean`` last; see
    :mod:`actlab.kernels.dispatch`), so the table only records speed. GLU rows are not listed.
    """
    out: dict[str, Any] = {"devices": {}}
    for r in rows:
        out["devices"].setdefault(r.device, {"min_numel": min_numel, "default": ["eager"], "dtypes": {}})
    groups: dict[tuple[str, str, str], dict[int, dict[str, Row]]] = {}
    for r in rows:
        if r.mode == mode and r.impl in BACKENDS_IN_TABLE and r.median_us == r.median_us:
            if not r.name.startswith("glu:"):
                groups.setdefault((r.device, r.dtype, r.name), {}).setdefault(r.numel, {})[r.impl] = r
    for (dev, dt, name), by_size in sorted(groups.items()):
        impls = set.intersection(*(set(b) for b in by_size.values()))
        if not impls:
            continue
        fastest = {n: min(b[j].median_us for j in impls) for n, b in by_size.items()}
        score = {i: sum(b[i].median_us / fastest[n] for n, b in by_size.items()) for i in impls}
        within = {i for i in impls if all(_within_budget(b[i]) for b in by_size.values())}
        plain = [score[i] for i in impls if i not in COMPILING and i in within]
        best_plain = min(plain, default=float("inf"))
        keep = [i for i in impls if i not in COMPILING or score[i] * margin <= best_plain]
        order = sorted(keep, key=lambda i: (score[i], i))
        if any(i in COMPILING for i in order) or order[:1] != ["eager"]:
            out["devices"][dev]["dtypes"].setdefault(dt, {})[name] = order
    return out


def speed_command(
    names: str,
    dtypes: str,
    sizes: str,
    impls: str,
    modes: str,
    device: str,
    glu_gates: str,
    min_time: float,
    csv_path: Path,
    png: Path,
    autotable: Path | None,
    min_numel: int,
    wide: bool = False,
) -> list[Row]:
    """The body of ``actlab speed`` (see :mod:`actlab.cli`): compact tables that fit 80 columns,
    or with ``wide`` every mode and column."""
    import json

    from rich.console import Console

    from actlab.api import available

    console = Console()
    split = lambda s: [p.strip() for p in s.split(",") if p.strip()]  # noqa: E731
    name_list = [n for n in available() if lookup(n).elementwise] if names.strip() == "all" else split(names)
    dev = ("cuda" if torch.cuda.is_available() else "cpu") if device == "auto" else device
    rows = run_speed(
        name_list,
        [parse_dtype(d) for d in split(dtypes)],
        [parse_size(s) for s in split(sizes)],
        split(impls),
        split(modes),
        dev,
        split(glu_gates),
        min_time,
    )
    if wide:
        console.print(table(rows))
    else:
        for t in compact_tables(rows):
            console.print(t)
    for impl in ("compiled", "triton", "auto"):
        s = summary(rows, "both", impl)
        if s:
            vs_compile = s["median_vs_inductor"]
            console.print(
                f"{impl}: fwd+bwd median ×eager {s['median_vs_eager']:.2f} (min {s['min_vs_eager']:.2f})"
                + ("" if vs_compile != vs_compile else f", ×compile {vs_compile:.2f}")
                + f", {s['cases']} cases"
            )
    write_csv(rows, csv_path)
    plot(rows, png)
    console.print(f"wrote {csv_path} and {png}")
    if autotable is not None:
        autotable.write_text(json.dumps(autotable_from(rows, min_numel), indent=1) + "\n")
        console.print(f"wrote {autotable}")
    return rows
