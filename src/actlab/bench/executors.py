"""Where runs execute: in this process, in a persistent pool of local worker processes, or as Ray tasks.

Every executor runs :func:`execute` on a :class:`~actlab.bench.spec.RunSpec` and hands the
finished :class:`~actlab.bench.store.RunRecord` back to the driver, which alone writes the store.
:func:`execute` never raises for a failing run: the exception (with traceback) becomes a record
with ``status="error"``.

Executors pull their runs from a *source* (:class:`SpecSource`: ``take()`` returns the next spec,
:data:`WAIT` when none is available yet — another process holds the rest — or ``None`` when there
is nothing left); a plain list of specs works too. The runner's source claims each run in the
store before handing it out, so several processes share one sweep.

Fairness of the measurements (per run, around ``Task.run`` only):

- **Warm-up.** The first run of a task in a process would pay that process's warm-up (imports,
  dataset loading, first-use kernel setup, allocator growth). Before the first timed run of each
  (task, config, activation) in a process, :func:`execute` runs the task once, untimed, with
  ``Task.warmup_config(config)`` (a few steps of the same configuration and activation), so
  timings do not depend on the order of the sweep. A task without a warm-up config gets a forward
  and backward of the activation alone.
- ``wall_time`` (s) and ``time_per_step = wall_time / metrics["steps"]``;
- ``saved_bytes``: bytes the activation modules saved for backward per training step
  (saved-tensor hooks, :mod:`actlab.bench.memory`) — the activation's own memory cost;
- ``peak_gpu_memory``: ``torch.cuda.max_memory_allocated`` during the run when CUDA is in use;
- ``peak_memory``/``memory_delta``: the process's peak resident set size during the run and what
  the run added to it (Linux; kept for reference, it is the same for every activation).

Threads: each run sets ``torch.set_num_threads`` to the cores its worker has: the process's usable
cores (affinity mask and cgroup CPU quota, e.g. under ``taskset``, Slurm or a container) divided
by the worker processes using them, this sweep's and those of other sweeps on the same store and
host (:meth:`~actlab.bench.store.Store.peer_workers`).

Executors yield :class:`Event`s: ``("start", spec)`` when a run is handed out and
``("done", spec, record)`` when its record is ready.
"""

from __future__ import annotations

import atexit
import importlib
import math
import os
import re
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from actlab.bench.spec import RunSpec, canonical_json
from actlab.bench.store import RunRecord

__all__ = [
    "WAIT",
    "Event",
    "ListSource",
    "LocalExecutor",
    "RayExecutor",
    "SpecSource",
    "execute",
    "make_executor",
    "shutdown_pools",
    "usable_cores",
]

_MAX_ERROR_CHARS = 20_000
POLL_S = 0.5


class _Wait:
    def __repr__(self) -> str:
        return "WAIT"


#: returned by :meth:`SpecSource.take` when no run is available now but some may be later
WAIT: Any = _Wait()


class SpecSource(Protocol):
    def take(self) -> RunSpec | None | _Wait: ...

    def give_back(self, spec: RunSpec) -> None: ...


class ListSource:
    """A source over a fixed list of specs (never waits)."""

    def __init__(self, specs: Iterable[RunSpec]):
        self.queue = deque(specs)

    def take(self) -> RunSpec | None:
        return self.queue.popleft() if self.queue else None

    def give_back(self, spec: RunSpec) -> None:
        self.queue.appendleft(spec)


def as_source(specs: Sequence[RunSpec] | SpecSource) -> SpecSource:
    return specs if hasattr(specs, "take") else ListSource(specs)  # type: ignore[return-value]


@dataclass
class Event:
    kind: str  # "start" or "done"
    spec: RunSpec
    row: RunRecord | None = None


# ---------------------------------------------------------------------------- cores


def _cgroup_cpu_limit() -> float | None:
    """CPUs allowed by the cgroup quota (v2 ``cpu.max`` or v1 ``cfs_quota_us``), if any."""
    try:
        with open("/sys/fs/cgroup/cpu.max") as f:
            quota, period = f.read().split()[:2]
        if quota != "max":
            return int(quota) / int(period)
    except (OSError, ValueError):
        pass
    try:
        with open("/sys/fs/cgroup/cpu/cpu.cfs_quota_us") as f:
            q = int(f.read())
        with open("/sys/fs/cgroup/cpu/cpu.cfs_period_us") as f:
            p = int(f.read())
        if q > 0 and p > 0:
            return q / p
    except (OSError, ValueError):
        pass
    return None


def usable_cpus() -> list[int]:
    """The CPU ids this process may run on (its affinity mask)."""
    try:
        return sorted(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return list(range(os.cpu_count() or 1))


def usable_cores() -> int:
    """CPU cores this process may use: its affinity mask (``taskset``, Slurm), capped by the cgroup
    CPU quota (containers), not all cores of the machine."""
    n = len(usable_cpus())
    limit = _cgroup_cpu_limit()
    if limit is not None:
        n = min(n, max(1, int(limit)))
    return max(1, n)


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


# what this process has warmed up: (task, config, activation, params)
_WARM: set[tuple[str, str, str, str]] = set()


def _warm_up(task: Any, spec: RunSpec, make_act: Callable) -> None:
    """Untimed warm-up before the first run of each (task, config, activation) in this process: a
    short run of the task (``Task.warmup_config``) with that activation, so the timed run finds the
    data loaded and the activation's kernels (whatever backend its tensor sizes select) set up;
    for a task without a warm-up config, a forward and backward of the activation alone."""
    import torch

    key = (spec.task, canonical_json(spec.config), spec.activation, canonical_json(spec.params))
    if key in _WARM:
        return
    _WARM.add(key)
    cfg = task.warmup_config(dict(spec.config)) if hasattr(task, "warmup_config") else None
    try:
        if cfg is not None:
            task.run(make_act, int(spec.seed), cfg)
        else:
            m = make_act()
            x = torch.randn(64, 32, requires_grad=True)
            m(x).sum().backward()
    except Exception:  # noqa: BLE001  (the timed run reports the real error)
        pass


def execute(
    spec: RunSpec, modules: Sequence[str] = (), threads: int | None = None, *, warmup: bool = True
) -> RunRecord:
    """Run one spec and return its record (status ok, diverged or error)."""
    import random

    import numpy as np
    import torch

    from actlab.bench.activations import ActivationFactory
    from actlab.bench.memory import MeteredFactory, SavedBytesMeter
    from actlab.bench.store import environment, hostname
    from actlab.bench.tasks import TaskResult, get_task

    rec = _spec_record(spec, "error")
    rec.host, rec.started = hostname(), time.time()
    # a run seeds the global generators and turns on deterministic algorithms (seed_everything):
    # restored afterwards, so an in-process sweep leaves the caller's torch as it found it
    old_threads = torch.get_num_threads()
    old_det = (torch.are_deterministic_algorithms_enabled(),
               torch.is_deterministic_algorithms_warn_only_enabled())  # fmt: skip
    old_rng = (torch.get_rng_state(), np.random.get_state(), random.getstate())
    meter = MemoryMeter()
    try:
        _import_modules(modules)
        task = get_task(spec.task)
        rec.metric, rec.higher_is_better = task.metric, task.higher_is_better
        make_act = ActivationFactory(spec.activation, dict(spec.params))
        if threads:
            torch.set_num_threads(int(threads))
        rec.threads = torch.get_num_threads()
        if warmup:
            _warm_up(task, spec, make_act)
        saved = SavedBytesMeter()
        cuda = torch.cuda.is_available()
        if cuda:
            torch.cuda.reset_peak_memory_stats()
        meter.start()
        t0 = time.perf_counter()
        with saved:
            result = task.run(MeteredFactory(make_act, saved), int(spec.seed), dict(spec.config))
        wall = time.perf_counter() - t0
        rec.peak_memory, rec.memory_delta = meter.stop()
        if cuda and torch.cuda.max_memory_allocated() > 0:
            rec.peak_gpu_memory = int(torch.cuda.max_memory_allocated())
        if not isinstance(result, TaskResult):
            raise TypeError(f"task {spec.task!r} returned {type(result).__name__}, not a TaskResult")
        missing = {"test_metric", "best_test_metric", "final_train_loss", "steps"} - set(result.metrics)
        if missing:
            raise ValueError(f"task {spec.task!r} returned no {', '.join(sorted(missing))} metric(s)")
        rec.metrics = {k: float(v) for k, v in result.metrics.items()}
        rec.curves = {k: [float(x) for x in v] for k, v in result.curves.items()}
        rec.predictions = None if result.predictions is None else [int(p) for p in result.predictions]
        rec.correct = None if result.correct is None else [int(bool(c)) for c in result.correct]
        rec.wall_time = wall
        steps = rec.metrics["steps"]
        rec.time_per_step = wall / steps if math.isfinite(steps) and steps > 0 else None
        rec.saved_bytes = saved.per_step(steps if math.isfinite(steps) else 0)
        rec.status = "diverged" if result.diverged else "ok"
    except Exception as e:  # noqa: BLE001 - every failure of a run is recorded, the sweep goes on
        rec.status = "error"
        tb = traceback.format_exc()
        rec.error = f"{type(e).__name__}: {e}\n\n{tb}"[-_MAX_ERROR_CHARS:]
    finally:
        torch.set_num_threads(old_threads)
        torch.use_deterministic_algorithms(old_det[0], warn_only=old_det[1])
        torch.set_rng_state(old_rng[0])
        np.random.set_state(old_rng[1])
        random.setstate(old_rng[2])
    rec.versions = environment()
    rec.finished = time.time()
    return rec


def _spec_record(spec: RunSpec, status: str) -> RunRecord:
    """A record of ``spec``'s identity, with no metrics or curves yet."""
    return RunRecord(
        key=spec.key, group=spec.group, task=spec.task, activation=spec.activation,
        params=spec.params, seed=spec.seed, config=spec.config, version=spec.version, status=status,
    )  # fmt: skip


def _error_record(spec: RunSpec, message: str, attempts: int | None) -> RunRecord:
    from actlab.bench.store import environment

    rec = _spec_record(spec, "error")
    rec.error, rec.attempts, rec.versions, rec.finished = message, attempts, environment(), time.time()
    return rec


def task_modules(specs: Iterable[RunSpec]) -> list[str]:
    """Modules a worker must import so that the specs' tasks and activation prefixes exist."""
    from actlab.bench.activations import prefix_modules
    from actlab.bench.tasks import get_task

    mods = {"actlab.bench.tasks"}
    for t in {s.task for s in specs}:
        m = type(get_task(t)).__module__
        if m != "__main__" and not getattr(get_task(t), "loaded_by_name", False):
            mods.add(m)
    return sorted(mods | set(prefix_modules()))


# ---------------------------------------------------------------------------- local


def _init_worker(parent: int) -> None:
    """Worker initializer: exit with the driver, and warm up torch before the first run.

    A worker blocked on the pool's call queue would otherwise wait forever when the driver dies
    (e.g. ``kill -9``): the queue's pipe is also held open by the other workers, so the driver's
    death never reaches it as end-of-file.
    """
    import threading

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="actlab-parent-watch", daemon=True).start()
    import torch

    torch.set_num_threads(1)
    lin = torch.nn.Linear(32, 32)
    opt = torch.optim.Adam(lin.parameters())
    lin(torch.randn(8, 32)).square().mean().backward()
    opt.step()


# one persistent pool per process, reused by every sweep (spawning a worker costs seconds)
_POOL: dict[str, Any] = {}


def _get_pool(workers: int) -> Any:
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    pool = _POOL.get("pool")
    if pool is not None and _POOL.get("workers") == workers and not getattr(pool, "_broken", False):
        return pool
    _discard_pool()
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=mp.get_context("spawn"),
        initializer=_init_worker,
        initargs=(os.getpid(),),
    )
    _POOL.update(pool=pool, workers=workers)
    return pool


def _discard_pool(terminate: bool = True) -> None:
    pool = _POOL.pop("pool", None)
    _POOL.pop("workers", None)
    if pool is None:
        return
    procs = list(getattr(pool, "_processes", {}).values()) if terminate else []
    pool.shutdown(wait=not terminate, cancel_futures=True)
    for p in procs:  # a run still going in a worker is abandoned (its lease expires or is released)
        try:
            p.terminate()
        except (OSError, AttributeError):
            pass
    for p in procs:
        try:
            p.join(5)
        except (OSError, AttributeError, AssertionError):
            pass


def shutdown_pools() -> None:
    """Stop the persistent worker pool of this process (also done at exit)."""
    _discard_pool(terminate=False)


atexit.register(shutdown_pools)


@dataclass
class LocalExecutor:
    """Runs in this process (``workers=1``) or in ``workers`` spawned worker processes.

    The worker processes form one persistent pool, kept between sweeps of this process (spawning
    a worker and importing torch costs seconds). ``threads``: torch intra-op threads per run
    (default: the usable cores divided by the worker processes using them, see the module
    docstring). A run whose worker process dies (killed, segfault, out of memory) is handed out
    again up to ``max_retries`` times, then recorded as an error.
    """

    workers: int = 1
    threads: int | None = None
    max_retries: int = 2
    warmup: bool = True
    name: str = field(default="local", init=False)
    #: other sweeps' worker processes on this host sharing our cores (set by the runner)
    peer_workers: Callable[[], int] = field(default=lambda: 0, repr=False)

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise ValueError(f"workers must be at least 1, got {self.workers}")
        if self.threads is not None and self.threads < 1:
            raise ValueError(f"threads must be at least 1, got {self.threads}")

    def run_threads(self) -> int:
        """Torch threads for the next run."""
        if self.threads is not None:
            return self.threads
        try:
            peers = int(self.peer_workers())
        except Exception:  # noqa: BLE001  (a store that cannot be read now: assume no peers)
            peers = 0
        return max(1, usable_cores() // (self.workers + max(0, peers)))

    def run(self, specs: Sequence[RunSpec] | SpecSource) -> Iterator[Event]:
        source = as_source(specs)
        if self.workers == 1:
            yield from self._inline(source)
        else:
            yield from self._pool(source)

    def _modules(self, spec: RunSpec, cache: dict[str, list[str]]) -> list[str]:
        if spec.task not in cache:
            cache[spec.task] = task_modules([spec])
        return cache[spec.task]

    def _inline(self, source: SpecSource) -> Iterator[Event]:
        mods: dict[str, list[str]] = {}
        while True:
            spec = source.take()
            if spec is None:
                return
            if spec is WAIT:
                time.sleep(POLL_S)
                continue
            yield Event("start", spec)
            rec = execute(spec, self._modules(spec, mods), self.run_threads(), warmup=self.warmup)
            rec.attempts = 1
            yield Event("done", spec, rec)

    def _pool(self, source: SpecSource) -> Iterator[Event]:
        from concurrent.futures import FIRST_COMPLETED, wait
        from concurrent.futures.process import BrokenProcessPool

        retry: deque[RunSpec] = deque()
        attempts: dict[str, int] = {}
        mods: dict[str, list[str]] = {}
        running: dict[Any, RunSpec] = {}
        exhausted = broken = clean = False
        try:
            while True:
                waiting = False
                if broken and not running:  # every run of the broken pool is back: a fresh pool
                    _discard_pool()
                    broken = False
                while not broken and len(running) < self.workers:
                    spec = retry.popleft() if retry else (None if exhausted else source.take())
                    if spec is None:
                        exhausted = True
                        break
                    if spec is WAIT:
                        waiting = True
                        break
                    attempts[spec.key] = attempts.get(spec.key, 0) + 1
                    try:
                        fut = _get_pool(self.workers).submit(
                            execute, spec, self._modules(spec, mods), self.run_threads(), warmup=self.warmup
                        )
                    except (BrokenProcessPool, RuntimeError):
                        attempts[spec.key] -= 1
                        retry.appendleft(spec)
                        broken = True
                        break
                    running[fut] = spec
                    yield Event("start", spec)
                if not running:
                    if exhausted and not retry and not broken:
                        clean = True
                        return
                    if waiting:
                        time.sleep(POLL_S)
                    continue
                timeout = POLL_S if waiting else None
                done, _ = wait(list(running), timeout=timeout, return_when=FIRST_COMPLETED)
                for fut in done:
                    spec = running.pop(fut)
                    try:
                        rec = fut.result()
                    except BrokenProcessPool as e:
                        broken = True
                        if attempts[spec.key] > self.max_retries:
                            msg = f"worker process died {attempts[spec.key]} times running this run ({e})"
                            yield Event("done", spec, _error_record(spec, msg, attempts[spec.key]))
                        else:
                            retry.append(spec)
                        continue
                    except Exception as e:  # noqa: BLE001 - e.g. a result that cannot be pickled
                        rec = _error_record(spec, f"{type(e).__name__}: {e}", attempts[spec.key])
                    rec.attempts = attempts[spec.key]
                    yield Event("done", spec, rec)
        finally:
            if not clean:
                for spec in running.values():
                    source.give_back(spec)
                _discard_pool()  # interrupted: do not leave abandoned runs busy in a kept pool


# ---------------------------------------------------------------------------- ray


def _ray_execute(spec: RunSpec, modules: list[str], threads: int | None) -> RunRecord:
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
    A Ray worker process is reused between tasks, so the warm-up of :func:`execute` is paid once
    per worker and task configuration.
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

    def run(self, specs: Sequence[RunSpec] | SpecSource) -> Iterator[Event]:
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
            yield from self._run(ray, as_source(specs))
        finally:
            if started_here:
                ray.shutdown()

    def _run(self, ray: Any, source: SpecSource) -> Iterator[Event]:
        threads = max(1, int(math.ceil(self.num_cpus)))
        remote = ray.remote(_ray_execute)
        limit = self.max_in_flight
        if limit is None:
            cpus = ray.cluster_resources().get("CPU", 1.0)
            limit = max(2, int(2 * cpus / max(self.num_cpus, 1e-9)))
        mods: dict[str, list[str]] = {}
        pending: dict[Any, RunSpec] = {}
        exhausted = False
        try:
            while True:
                waiting = False
                while not exhausted and len(pending) < limit:
                    spec = source.take()
                    if spec is None:
                        exhausted = True
                        break
                    if spec is WAIT:
                        waiting = True
                        break
                    if spec.task not in mods:
                        mods[spec.task] = task_modules([spec])
                    ref = remote.options(
                        num_cpus=self.num_cpus,
                        num_gpus=self._gpus(spec),
                        max_retries=self.max_retries,
                        retry_exceptions=False,
                        name=f"actlab-bench {spec.describe()}",
                    ).remote(spec, mods[spec.task], threads)
                    pending[ref] = spec
                    yield Event("start", spec)
                if not pending:
                    if exhausted:
                        return
                    time.sleep(POLL_S)
                    continue
                ready, _ = ray.wait(list(pending), num_returns=1, timeout=POLL_S if waiting else None)
                for ref in ready:
                    spec = pending.pop(ref)
                    try:
                        rec = ray.get(ref)
                    except Exception as e:  # noqa: BLE001 - worker died more than max_retries times, etc.
                        msg = f"{type(e).__name__} after up to {self.max_retries} retries: {e}"
                        rec = _error_record(spec, msg[-_MAX_ERROR_CHARS:], None)
                    rec.executor = "ray"
                    yield Event("done", spec, rec)
        finally:
            for ref, spec in pending.items():
                try:
                    ray.cancel(ref, force=True)
                except Exception:  # noqa: BLE001
                    pass
                source.give_back(spec)


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
