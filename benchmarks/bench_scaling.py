"""How sweeps scale: 1 versus N local worker processes, and 1 versus N Ray nodes of a local multi-node
cluster (``ray start`` run several times on this machine).

    .venv/bin/python benchmarks/bench_scaling.py local --runs 12 --workers 1,2 \
        --config epochs=20
    .venv/bin/python benchmarks/bench_scaling.py ray --runs 12 --nodes 1,2 --cpus-per-node 1 \
        --config epochs=20

Every measurement uses a fresh store, the same runs (``--task``, default ``mnist1d`` at its quick
config, a 1-D CNN, with ``--config epochs=20``: about 3 s per run on one core) and reports the
sweep's wall time (driver start to last record, process/cluster start-up excluded), the mean run
time, and the speed-up over the first setting. Rows are appended to
``benchmarks/results/scaling.csv``. Run it on an otherwise idle machine: timings taken while other
work runs are noise.

Local: ``--workers 1`` runs in the driver process with all usable cores as torch threads; ``N``
spawns N persistent worker processes with cores/N threads each. Ray: a head node with
``--cpus-per-node`` CPUs, plus N−1 worker nodes started with ``ray start --address`` on the same
machine (each its own raylet and object store), one Ray task per run with ``num_cpus=1``.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "scaling.csv"
RAY_ENV = {"RAY_AUTH_MODE": "disabled", "RAY_USAGE_STATS_ENABLED": "0"}


ACTS = ["relu", "gelu", "silu", "tanh"]
OVERRIDES: dict = {}


def _specs(task: str, runs: int, preset: str):
    from actlab.bench.spec import expand_grid

    seeds = -(-runs // len(ACTS))
    return expand_grid([task], ACTS, seeds, preset=preset, overrides=OVERRIDES or None)[:runs]


def _warm(task: str, preset: str, processes: int):
    """Runs (other seeds) that start and warm every worker process before the timed sweep: process
    start-up and first imports are not the sweep's cost (the bench also warms each task and
    activation in each process before timing it)."""
    from actlab.bench.spec import expand_grid

    return expand_grid([task], ACTS, list(range(1000, 1000 + 2 * processes)), preset=preset,
                       overrides=OVERRIDES or None)


def _sweep(specs, executor) -> tuple[float, float]:
    from actlab.bench.runner import run_sweep
    from actlab.bench.store import Store

    tmp = Path(tempfile.mkdtemp(prefix="scaling"))
    try:
        with Store(tmp / "r.db") as st:
            t0 = time.perf_counter()
            s = run_sweep(specs, st, executor, quiet=True)
            wall = time.perf_counter() - t0
            assert s.ok == len(specs), s.line()
            per_run = sum(r.wall_time for r in st.runs()) / len(specs)
        return wall, per_run
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _write(rows: list[dict], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    new = not path.exists()
    with open(path, "a", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        if new:
            w.writeheader()
        w.writerows(rows)


def local(args: argparse.Namespace) -> list[dict]:
    from actlab.bench.executors import LocalExecutor, shutdown_pools, usable_cores

    specs = _specs(args.task, args.runs, args.preset)
    rows = []
    for n in [int(v) for v in args.workers.split(",")]:
        ex = LocalExecutor(workers=n)
        _sweep(_warm(args.task, args.preset, n), ex)
        wall, per_run = _sweep(specs, ex)
        rows.append({"kind": "local", "setting": f"{n} workers", "cores": usable_cores(),
                     "runs": len(specs), "task": args.task, "wall_s": round(wall, 2),
                     "mean_run_s": round(per_run, 2)})  # fmt: skip
        shutdown_pools()
    return rows


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_node(ray_bin: Path, args: list[str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [str(ray_bin), "start", "--block", *args],
        stdout=open(log, "w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env={**os.environ, **RAY_ENV},
    )


def _wait_for(
    log: Path, proc: subprocess.Popen, text: str = "Ray runtime started", timeout: float = 180
) -> None:
    deadline = time.time() + timeout
    while text not in log.read_text():
        if proc.poll() is not None or time.time() > deadline:
            raise RuntimeError(f"ray start failed:\n{log.read_text()[-3000:]}")
        time.sleep(0.5)


def ray_cluster(args: argparse.Namespace) -> list[dict]:
    import ray

    from actlab.bench.executors import RayExecutor

    os.environ.update(RAY_ENV)
    ray_bin = Path(sys.executable).with_name("ray")
    specs = _specs(args.task, args.runs, args.preset)
    rows = []
    for nodes in [int(v) for v in args.nodes.split(",")]:
        temp = tempfile.mkdtemp(prefix="rs", dir="/tmp")  # Ray's socket paths must stay short
        port = _free_port()
        common = [
            f"--num-cpus={args.cpus_per_node}",
            "--object-store-memory=200000000",
            "--disable-usage-stats",
        ]
        procs = [_start_node(ray_bin, ["--head", f"--port={port}", "--node-ip-address=127.0.0.1",
                                       "--include-dashboard=false", f"--temp-dir={temp}", *common],
                             Path(temp) / "head.log")]  # fmt: skip
        try:
            _wait_for(Path(temp) / "head.log", procs[0])
            for i in range(1, nodes):
                log = Path(temp) / f"node{i}.log"
                node = [f"--address=127.0.0.1:{port}", "--node-ip-address=127.0.0.1", *common]
                procs.append(_start_node(ray_bin, node, log))
                _wait_for(log, procs[-1])
            ray.init(address=f"127.0.0.1:{port}")
            deadline = time.time() + 60
            while len([n for n in ray.nodes() if n["Alive"]]) < nodes and time.time() < deadline:
                time.sleep(0.5)
            ex = RayExecutor(num_cpus=1)
            _sweep(_warm(args.task, args.preset, nodes * args.cpus_per_node), ex)
            wall, per_run = _sweep(specs, ex)
            rows.append({"kind": "ray", "setting": f"{nodes} nodes × {args.cpus_per_node} CPU",
                         "cores": os.cpu_count(), "runs": len(specs), "task": args.task,
                         "wall_s": round(wall, 2), "mean_run_s": round(per_run, 2)})  # fmt: skip
        finally:
            if ray.is_initialized():
                ray.shutdown()
            for p in reversed(procs):
                p.send_signal(signal.SIGTERM)
            for p in procs:
                try:
                    p.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    p.kill()
            shutil.rmtree(temp, ignore_errors=True)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("kind", choices=["local", "ray"])
    ap.add_argument("--runs", type=int, default=12)
    ap.add_argument("--task", default="mnist1d")
    ap.add_argument("--preset", default="quick")
    ap.add_argument("--workers", default="1,2", help="local: comma-separated worker counts")
    ap.add_argument("--nodes", default="1,2", help="ray: comma-separated node counts")
    ap.add_argument("--cpus-per-node", type=int, default=1)
    ap.add_argument("--csv", type=Path, default=RESULTS, help="append the rows here")
    ap.add_argument("--config", action="append", default=[], help="task config override key=value (repeat)")
    args = ap.parse_args()
    import ast

    for item in args.config:
        k, _, v = item.partition("=")
        OVERRIDES.setdefault(args.task, {})[k] = ast.literal_eval(v)
    sys.path.insert(0, str(ROOT))
    rows = local(args) if args.kind == "local" else ray_cluster(args)
    base = rows[0]["wall_s"]
    for r in rows:
        r["speedup"] = round(base / r["wall_s"], 2)
        print(f"{r['kind']:5} {r['setting']:>18}: {r['wall_s']:7.1f} s for {r['runs']} runs "
              f"(mean run {r['mean_run_s']:.2f} s), speed-up {r['speedup']:.2f}×")  # fmt: skip
    _write(rows, args.csv)


if __name__ == "__main__":
    main()
