"""The sweep: claim every spec not yet in the store, run it, record it as it finishes, go on after
failures.

Resumability comes from the store: a run's key is the hash of its full configuration, a row is
written (in one transaction) only when the run has finished, and a sweep skips every key already
recorded. Killing the driver at any moment, ``kill -9`` included, therefore loses at most the runs
in flight, and re-running the same command finishes the rest without duplicates.

Sharing a sweep: before a run is handed to the executor it is *claimed* in the store (a lease,
:meth:`~actlab.bench.store.Store.claim`); a heartbeat thread renews the leases of the runs in flight
every ``lease_ttl / 3`` seconds. Any number of processes started on the same store and sweep (on
one machine or as array jobs of a cluster without Ray, on a shared file system that supports
SQLite locking) therefore split the runs between them: each takes the runs nobody holds, and the
runs of a process that died are taken over when its leases expire (at once on the same host).
A process that runs out of runs it can claim waits for the runs others hold (``wait=True``, the
default) so that its report is complete, or returns (``wait=False``).
"""

from __future__ import annotations

import os
import sys
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from actlab.bench.executors import WAIT, LocalExecutor, RayExecutor, usable_cpus
from actlab.bench.spec import RunSpec
from actlab.bench.store import RunRecord, Store

__all__ = ["SweepSummary", "run_sweep"]

LEASE_TTL_S = 60.0


@dataclass
class SweepSummary:
    """What a sweep did: counts per status, runs skipped because already recorded (or recorded by
    another process meanwhile), wall time."""

    planned: int
    skipped: int
    ok: int = 0
    error: int = 0
    diverged: int = 0
    duplicates: int = 0
    by_others: int = 0
    wall_time: float = 0.0
    errors: list[tuple[str, str]] = field(default_factory=list)  # (run, first line of the error)

    @property
    def ran(self) -> int:
        return self.ok + self.error + self.diverged

    def line(self) -> str:
        others = f", {self.by_others} run by other processes" if self.by_others else ""
        return (
            f"{self.planned} runs planned, {self.skipped} already in the store, {self.ran} ran "
            f"({self.ok} ok, {self.diverged} diverged, {self.error} errors){others} in {self.wall_time:.1f} s"
        )


class _ClaimingSource:
    """Hands out the specs one at a time, each claimed in the store first (see module docstring)."""

    def __init__(self, store: Store, specs: Sequence[RunSpec], owner: str, ttl: float,
                 retry_errors: bool, wait: bool):  # fmt: skip
        self.store, self.owner, self.ttl = store, owner, ttl
        self.retry_errors, self.wait = retry_errors, wait
        self.todo = list(specs)
        self.busy: list[RunSpec] = []  # held by another live process
        self.mine: dict[str, RunSpec] = {}  # claimed, not yet recorded
        self.given: set[str] = set()
        self.by_others = 0
        self.lock = threading.Lock()
        self.next_poll = 0.0

    def _try(self, spec: RunSpec) -> str:
        with self.lock:
            got = self.store.claim(spec.key, self.owner, self.ttl, retry_errors=self.retry_errors)
        if got == "claimed":
            self.mine[spec.key] = spec
        return got

    def take(self) -> RunSpec | None | object:
        while self.todo:
            spec = self.todo.pop(0)
            got = self._try(spec)
            if got == "claimed":
                return spec
            if got == "busy":
                self.busy.append(spec)
            elif spec.key not in self.given:
                self.by_others += 1
        if not self.busy:
            return None
        if not self.wait:
            return None
        if time.monotonic() < self.next_poll:
            return WAIT
        self.next_poll = time.monotonic() + 1.0
        still = []
        for spec in self.busy:
            got = self._try(spec)
            if got == "claimed":
                self.todo.insert(0, spec)
            elif got == "busy":
                still.append(spec)
            else:
                self.by_others += 1
        self.busy = still
        return self.take() if self.todo else (WAIT if self.busy else None)

    def give_back(self, spec: RunSpec) -> None:
        """The executor will not finish ``spec`` (interrupted): release its lease."""
        with self.lock:
            if self.mine.pop(spec.key, None) is not None:
                try:
                    self.store.release([spec.key], self.owner)
                except Exception:  # noqa: BLE001  (the lease then simply expires)
                    pass

    def recorded(self, key: str) -> None:
        self.mine.pop(key, None)
        self.given.add(key)

    def release_all(self) -> None:
        keys = list(self.mine)
        self.mine.clear()
        if keys:
            with self.lock:
                try:
                    self.store.release(keys, self.owner)
                except Exception:  # noqa: BLE001
                    pass


class _Heartbeat(threading.Thread):
    """Renews this process's leases and its entry in the processes table (own SQLite connection)."""

    def __init__(self, path, source: _ClaimingSource, owner: str, ttl: float):
        super().__init__(name="actlab-lease-heartbeat", daemon=True)
        self.path, self.source, self.owner, self.ttl = path, source, owner, ttl
        self.stop = threading.Event()

    def run(self) -> None:
        try:
            st = Store(self.path)
        except Exception:  # noqa: BLE001
            return
        try:
            while not self.stop.wait(self.ttl / 3):
                try:
                    st.renew(list(self.source.mine), self.owner, self.ttl)
                    st.heartbeat(self.owner)
                except Exception:  # noqa: BLE001  (locked for a moment: next beat)
                    pass
        finally:
            st.close()


def run_sweep(
    specs: Sequence[RunSpec],
    store: Store,
    executor: LocalExecutor | RayExecutor | None = None,
    *,
    quiet: bool = False,
    retry_errors: bool = False,
    on_result: Callable[[RunRecord], None] | None = None,
    wait: bool = True,
    lease_ttl: float = LEASE_TTL_S,
) -> SweepSummary:
    """Run the specs whose keys are not in ``store`` and record each result as it arrives.

    ``retry_errors=True`` also re-runs runs recorded with ``status="error"`` (their rows are
    replaced). A failing write (e.g. disk full) raises :class:`~actlab.bench.store.StoreWriteError`
    after stopping the sweep; every run recorded before it stays in the store. Runs are claimed
    in the store (leases of ``lease_ttl`` seconds, renewed while this process lives), so several
    processes can share one sweep; ``wait`` says whether to wait for runs other processes hold.
    """
    executor = executor or LocalExecutor()
    t0 = time.perf_counter()
    seen: set[str] = set()
    unique = [s for s in specs if not (s.key in seen or seen.add(s.key))]
    done_keys = store.finished_keys(include_errors=not retry_errors)
    todo = [s for s in unique if s.key not in done_keys]
    summary = SweepSummary(planned=len(unique), skipped=len(unique) - len(todo))
    retrying = store.finished_keys() - done_keys if retry_errors else set()
    owner = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
    source = _ClaimingSource(store, todo, owner, lease_ttl, retry_errors, wait)
    workers = getattr(executor, "workers", 1) if isinstance(executor, LocalExecutor) else 0
    cpus = usable_cpus()
    heartbeat = None
    if todo and not store.readonly:
        store.register_process(owner, workers, cpus)
        if isinstance(executor, LocalExecutor):
            executor.peer_workers = lambda: store.peer_workers(owner, cpus, lease_ttl)
        heartbeat = _Heartbeat(store.path, source, owner, lease_ttl)
        heartbeat.start()

    display = _Plain(len(todo), summary) if quiet or not sys.stderr.isatty() else _Rich(len(todo), summary)
    display.begin()
    try:
        if not todo:
            display.message(f"nothing to run: all {len(unique)} runs are already in {store.path}")
        for ev in executor.run(source):
            if ev.kind == "start":
                display.started(ev.spec)
                continue
            rec = ev.row
            rec.setdefault("executor", executor.name)
            with source.lock:
                new = store.record(rec, replace=ev.spec.key in retrying)
            source.recorded(ev.spec.key)
            if not new:
                summary.duplicates += 1
            setattr(summary, rec.status, getattr(summary, rec.status) + 1)
            if rec.status == "error":
                first = (rec.error or "").strip().splitlines()
                summary.errors.append((ev.spec.describe(), first[0] if first else ""))
            display.finished(ev.spec, rec)
            if on_result is not None:
                on_result(rec)
    finally:
        summary.by_others = source.by_others
        summary.wall_time = time.perf_counter() - t0
        if heartbeat is not None:
            heartbeat.stop.set()
        source.release_all()
        if heartbeat is not None:
            try:
                store.unregister_process(owner)
            except Exception:  # noqa: BLE001
                pass
            if isinstance(executor, LocalExecutor):
                executor.peer_workers = lambda: 0
        display.end()
    return summary


def _result_text(spec: RunSpec, rec: RunRecord) -> str:
    if rec.status == "error":
        first = (rec.error or "").strip().splitlines()
        return f"error  {spec.describe()}: {first[0] if first else '?'}"
    m = rec.metrics.get("test_metric", float("nan"))
    wt = rec.wall_time or 0.0
    return f"{rec.status:<6} {spec.describe()}: {rec.metric or 'test_metric'}={m:.4g} ({wt:.1f} s)"


class _Plain:
    """``--quiet`` (or no terminal): one log line per finished run."""

    def __init__(self, total: int, summary: SweepSummary):
        self.total, self.summary, self.count = total, summary, 0

    def _print(self, text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    def begin(self) -> None:
        if self.total:
            self._print(f"actlab bench: {self.total} runs to do ({self.summary.skipped} already recorded)")

    def message(self, text: str) -> None:
        self._print(text)

    def started(self, spec: RunSpec) -> None:
        pass

    def finished(self, spec: RunSpec, row: RunRecord) -> None:
        self.count += 1
        self._print(f"[{self.count}/{self.total}] {_result_text(spec, row)}")

    def end(self) -> None:
        pass


class _Rich:
    """A rich progress bar: done/total, ok/diverged/error counts, elapsed, ETA and the current runs."""

    def __init__(self, total: int, summary: SweepSummary):
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.total, self.summary = total, summary
        self.console = Console(stderr=True)
        self.progress = Progress(
            TextColumn("[bold]bench[/bold]"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("[green]{task.fields[ok]} ok[/green] [yellow]{task.fields[div]} div[/yellow] "
                       "[red]{task.fields[err]} err[/red]"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[current]}"),
            console=self.console,
            transient=False,
        )
        self.running: dict[str, RunSpec] = {}
        self.task_id = None

    def begin(self) -> None:
        self.progress.start()
        self.task_id = self.progress.add_task(
            "bench", total=self.total, ok=0, div=0, err=0, current="", start=True
        )

    def message(self, text: str) -> None:
        self.progress.console.print(text)

    def _current(self) -> str:
        names = [s.describe() for s in self.running.values()]
        if not names:
            return ""
        more = f" (+{len(names) - 1})" if len(names) > 1 else ""
        return names[0] + more

    def started(self, spec: RunSpec) -> None:
        self.running[spec.key] = spec
        self.progress.update(self.task_id, current=self._current())

    def finished(self, spec: RunSpec, row: RunRecord) -> None:
        self.running.pop(spec.key, None)
        s = self.summary
        if row.status == "error":
            self.progress.console.print(f"[red]{_result_text(spec, row)}[/red]")
        self.progress.update(
            self.task_id, advance=1, ok=s.ok, div=s.diverged, err=s.error, current=self._current()
        )

    def end(self) -> None:
        self.progress.stop()
