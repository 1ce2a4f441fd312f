"""Where runs execute: in this process, in N local worker processes, or as Ray tasks.

Every executor runs :func:`execute` on a :class:`~actlab.bench.spec.RunSpec` and hands the
finished row back to the driver, which alone writes the store. :func:`execute` never raises for a
failing run: the exception (with traceback) becomes a row with ``status="error"``.

Measured per run (around ``Task.run`` only, not the process start or data transfer):

- ``wall_time`` (s) and ``time_per_step = wall_time / metrics["steps"]``;
- ``peak_memory``: the process's peak resident set size during the run, in bytes (on Linux the
  high-water mark is reset before the run through ``/proc/self/clear_refs``); ``memory_delta``:
  that peak minus the resident size at the start of the run (what the run itself added);
  elsewhere the process-lifetime ``ru_maxrss`` and no delta;
- ``peak_gpu_memory``: ``torch.cuda.max_memory_allocated`` when CUDA is in use.

Executors yield :class:`Event`s: ``("start", spec)`` when a run is handed out and
``("done", spec, row)`` when its row is ready.
"""

from __future__ import annotations

import importlib
import math
import os
import re
import time
import traceback
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from actlab.bench.spec import RunSpec

__all__ = ["Event", "LocalExecutor", "RayExecutor", "execute", "make_executor"]

_MAX_ERROR_CHARS = 20_000


@dataclass
class Event:
    kind: str  # "start" or "done"
    spec: RunSpec
    row: dict[str, Any] | None = None


# ---------------------------------------------------------------------------- measuring one run


def _status_kb(field_name: str) -> int | None:
    try:
        with open("/proc/self/status") as f:
            m = re.search(rf"^{field_name}:\s+(\d+)\s+kB", f.read(), re.M)
        return int(m.group(1)) * 1024 if m else None
    except OSError:
        return None


class MemoryMeter:
    """Peak resident memory of this process between :meth:`start` and :meth:`stop` (bytes)."""

    def start(self) -> None:
        self.resettable = False
        try:
            with open("/proc/self/clear_refs", "w") as f:
                f.write("5")  # reset the peak-RSS high-water mark (Linux >= 4.0)
            self.resettable = _status_kb("VmHWM") is not None
        except OSError:
            pass
        self.rss0 = _status_kb("VmRSS") if self.resettable else None

    def stop(self) -> tuple[int | None, int | None]:
        """``(peak, peak - rss_at_start)``; the delta is None where the peak cannot be reset."""
        if self.resettable:
            peak = _status_kb("VmHWM")
            return peak, (peak - self.rss0 if peak is not None and self.rss0 is not None else None)
        try:
            import resource
            import sys

            r = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            return (r if sys.platform == "darwin" else r * 1024), None
        except (ImportError, OSError):
            return None, None


def _import_modules(modules: Sequence[str]) -> None:
    for m in modules:
        importlib.import_module(m)


def execute(spec: RunSpec, modules: Sequence[str] = (), threads: int | None = None) -> dict[str, Any]:
    """Run one spec and return its store row (status ok, diverged or error)."""
    import torch

    from actlab.bench.activations import ActivationFactory
    from actlab.bench.store import environment, hostname
    from actlab.bench.tasks import TaskResult, get_task

    row = {**_spec_row(spec), "host": hostname(), "started": time.time()}
    old_threads = torch.get_num_threads()
    meter = MemoryMeter()
    try:
        _import_modules(modules)
        task = get_task(spec.task)
        row["metric"], row["higher_is_better"] = task.metric, task.higher_is_better
        make_act = ActivationFactory(spec.activation, dict(spec.params))
        if threads:
            torch.set_num_threads(int(threads))
        row["threads"] = torch.get_num_threads()
        cuda = torch.cuda.is_available()
        if cuda:
            torch.cuda.reset_peak_memory_stats()
        meter.start()
        t0 = time.perf_counter()
        result = task.run(make_act, int(spec.seed), dict(spec.config))
        wall = time.perf_counter() - t0
        row["peak_memory"], row["memory_delta"] = meter.stop()
        if cuda and torch.cuda.max_memory_allocated() > 0:
            row["peak_gpu_memory"] = int(torch.cuda.max_memory_allocated())
        if not isinstance(result, TaskResult):
            raise TypeError(f"task {spec.task!r} returned {type(result).__name__}, not a TaskResult")
        missing = {"test_metric", "best_test_metric", "final_train_loss", "steps"} - set(result.metrics)
        if missing:
            raise ValueError(f"task {spec.task!r} returned no {', '.join(sorted(missing))} metric(s)")
        row["metrics"] = {k: float(v) for k, v in result.metrics.items()}
        row["curves"] = {k: [float(x) for x in v] for k, v in result.curves.items()}
        row["predictions"] = None if result.predictions is None else [int(p) for p in result.predictions]
        row["wall_time"] = wall
        steps = row["metrics"]["steps"]
        row["time_per_step"] = wall / steps if math.isfinite(steps) and steps > 0 else None
        row["status"] = "diverged" if result.diverged else "ok"
    except Exception as e:  # noqa: BLE001 - every failure of a run is recorded, the sweep goes on
        row["status"] = "error"
        tb = traceback.format_exc()
        row["error"] = f"{type(e).__name__}: {e}\n\n{tb}"[-_MAX_ERROR_CHARS:]
        row.setdefault("wall_time", None)
    finally:
        torch.set_num_threads(old_threads)
    row["versions"] = environment()
    row["finished"] = time.time()
    return row


def _spec_row(spec: RunSpec) -> dict[str, Any]:
    """The store columns every row of ``spec`` has: its identity, and no metrics or curves yet."""
    return {"key": spec.key, "grp": spec.group, **spec.identity(), "metrics": {}, "curves": {}}


def _error_row(spec: RunSpec, message: str, attempts: int | None) -> dict[str, Any]:
    from actlab.bench.store import environment

    return {
        **_spec_row(spec),
        "status": "error",
        "error": message,
        "attempts": attempts,
        "versions": environment(),
        "finished": time.time(),
    }


def task_modules(specs: Sequence[RunSpec]) -> list[str]:
    """Modules a worker must import so that the specs' tasks and activation prefixes exist."""
    from actlab.bench.activations import prefix_modules
    from actlab.bench.tasks import get_task

    mods = {"actlab.bench.tasks"}
    for t in {s.task for s in specs}:
        m = type(get_task(t)).__module__
        if m != "__main__":
            mods.add(m)
    return sorted(mods | set(prefix_modules()))


# ---------------------------------------------------------------------------- local


def _exit_with_parent(parent: int) -> None:
    """Worker initializer: exit when the driver process is gone (e.g. ``kill -9``).

    A worker blocked on the pool's call queue would otherwise wait forever: the queue's pipe is
    also held open by the other workers, so the driver's death never reaches it as end-of-file.
    """
    import threading

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="actlab-parent-watch", daemon=True).start()


def usable_cores() -> int:
    """CPU cores this process may run on (its affinity mask, e.g. under ``taskset``), not all cores."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


@dataclass
class LocalExecutor:
    """Runs in this process (``workers=1``) or in ``workers`` spawned processes.

    ``threads``: torch intra-op threads per run (default: the usable cores divided by
    ``workers``, so workers × threads never oversubscribes the cores). With worker processes, a
    run whose process dies (killed, segfault, out of memory) is handed out again up to
    ``max_retries`` times, then recorded as an error.
    """

    workers: int = 1
    threads: int | None = None
    max_retries: int = 2
    name: str = field(default="local", init=False)

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise ValueError(f"workers must be at least 1, got {self.workers}")
        if self.threads is None:
            self.threads = max(1, usable_cores() // self.workers)

    def run(self, specs: Sequence[RunSpec]) -> Iterator[Event]:
        modules = task_modules(specs)
        if self.workers == 1:
            for spec in specs:
                yield Event("start", spec)
                row = execute(spec, modules, self.threads)
                row["attempts"] = 1
                yield Event("done", spec, row)
            return
        yield from self._pool(specs, modules)

    def _pool(self, specs: Sequence[RunSpec], modules: list[str]) -> Iterator[Event]:
        import multiprocessing as mp
        from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
        from concurrent.futures.process import BrokenProcessPool

        queue = deque(specs)
        attempts: dict[str, int] = {}
        ctx = mp.get_context("spawn")
        while queue:
            pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=ctx,
                initializer=_exit_with_parent,
                initargs=(os.getpid(),),
            )
            running: dict[Any, RunSpec] = {}
            broken = False
            try:
                while queue or running:
                    while queue and len(running) < self.workers and not broken:
                        spec = queue.popleft()
                        attempts[spec.key] = attempts.get(spec.key, 0) + 1
                        try:
                            fut = pool.submit(execute, spec, modules, self.threads)
                        except BrokenProcessPool:
                            queue.appendleft(spec)
                            attempts[spec.key] -= 1
                            broken = True
                            break
                        running[fut] = spec
                        yield Event("start", spec)
                    if not running:
                        break
                    done, _ = wait(list(running), return_when=FIRST_COMPLETED)
                    for fut in done:
                        spec = running.pop(fut)
                        try:
                            row = fut.result()
                        except BrokenProcessPool as e:
                            broken = True
                            if attempts[spec.key] > self.max_retries:
                                msg = f"worker process died {attempts[spec.key]} times running this run ({e})"
                                yield Event("done", spec, _error_row(spec, msg, attempts[spec.key]))
                            else:
                                queue.appendleft(spec)
                            continue
                        except Exception as e:  # noqa: BLE001 - e.g. a result that cannot be pickled
                            row = _error_row(spec, f"{type(e).__name__}: {e}", attempts[spec.key])
                        row["attempts"] = attempts[spec.key]
                        yield Event("done", spec, row)
                    if broken and not running:
                        break
            finally:
                pool.shutdown(wait=True, cancel_futures=True)


# ---------------------------------------------------------------------------- ray


def _ray_execute(spec: RunSpec, modules: list[str], threads: int | None) -> dict[str, Any]:
    return execute(spec, modules, threads)


@dataclass
class RayExecutor:
    """One Ray task per run, with ``num_cpus``/``num_gpus`` resources, retried ``max_retries``
    times when its worker process dies (Ray's system-failure retry). Only the driver writes.

    ``address``: ``None`` starts a local Ray instance; ``"auto"`` joins the cluster this machine
    belongs to; ``"HOST:PORT"`` (or ``"ray://HOST:10001"`` for Ray Client) joins that cluster. If Ray
    is already initialised in this process, that connection is used. ``runtime_env`` is passed to
    ``ray.init`` (e.g. ``{"pip": ["actlab"]}`` or ``{"working_dir": "."}``) when this executor
    connects. ``num_gpus=None`` gives 1 GPU to a run whose task config says ``device: "cuda"``.
    """

    address: str | None = None
    num_cpus: float = 1
    num_gpus: float | None = None
    max_retries: int = 3
    max_in_flight: int | None = None
    runtime_env: dict[str, Any] | None = None
    name: str = field(default="ray", init=False)

    def _gpus(self, spec: RunSpec) -> float:
        if self.num_gpus is not None:
            return self.num_gpus
        return 1.0 if str(spec.config.get("device", "cpu")).startswith("cuda") else 0.0

    def run(self, specs: Sequence[RunSpec]) -> Iterator[Event]:
        import ray

        started_here = False
        if not ray.is_initialized():
            kw: dict[str, Any] = {"runtime_env": self.runtime_env} if self.runtime_env else {}
            if self.address is None:
                ray.init(include_dashboard=False, **kw)
            else:
                ray.init(address=self.address, **kw)
            started_here = True
        try:
            yield from self._run(ray, specs)
        finally:
            if started_here:
                ray.shutdown()

    def _run(self, ray: Any, specs: Sequence[RunSpec]) -> Iterator[Event]:
        modules = task_modules(specs)
        threads = max(1, int(math.ceil(self.num_cpus)))
        remote = ray.remote(_ray_execute)
        limit = self.max_in_flight
        if limit is None:
            cpus = ray.cluster_resources().get("CPU", 1.0)
            limit = max(2, int(2 * cpus / max(self.num_cpus, 1e-9)))
        queue = deque(specs)
        pending: dict[Any, RunSpec] = {}
        while queue or pending:
            while queue and len(pending) < limit:
                spec = queue.popleft()
                ref = remote.options(
                    num_cpus=self.num_cpus,
                    num_gpus=self._gpus(spec),
                    max_retries=self.max_retries,
                    retry_exceptions=False,
                    name=f"actlab-bench {spec.describe()}",
                ).remote(spec, modules, threads)
                pending[ref] = spec
                yield Event("start", spec)
            ready, _ = ray.wait(list(pending), num_returns=1)
            for ref in ready:
                spec = pending.pop(ref)
                try:
                    row = ray.get(ref)
                except Exception as e:  # noqa: BLE001 - worker died more than max_retries times, etc.
                    msg = f"{type(e).__name__} after up to {self.max_retries} retries: {e}"
                    row = _error_row(spec, msg[-_MAX_ERROR_CHARS:], None)
                row["executor"] = "ray"
                yield Event("done", spec, row)


def make_executor(
    kind: str = "local", workers: int | None = None, address: str | None = None, **kw: Any
) -> LocalExecutor | RayExecutor:
    """``"local"`` (``workers`` processes; default: one per core) or ``"ray"`` (at ``address``)."""
    if kind == "local":
        if address is not None:
            raise ValueError("--address is only used with --executor ray")
        return LocalExecutor(workers=workers or usable_cores(), **kw)
    if kind == "ray":
        import importlib.util

        if importlib.util.find_spec("ray") is None:
            raise ValueError("--executor ray needs Ray: pip install 'ray[default]' (or 'actlab[all]')")
        if workers is not None:
            kw.setdefault("max_in_flight", workers)
        return RayExecutor(address=address, **kw)
    raise ValueError(f"unknown executor {kind!r}; valid: local, ray")
