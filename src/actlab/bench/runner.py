"""The sweep: run every spec not yet in the store, record each as it finishes, go on after failures.

Resumability comes from the store: a run's key is the hash of its full configuration, a row is
written (in one transaction) only when the run has finished, and a sweep starts by skipping every
key already recorded. Killing the driver at any moment, ``kill -9`` included, therefore loses at
most the runs in flight, and re-running the same command finishes the rest without duplicates.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from actlab.bench.executors import LocalExecutor, RayExecutor
from actlab.bench.spec import RunSpec
from actlab.bench.store import Store

__all__ = ["SweepSummary", "run_sweep"]


@dataclass
class SweepSummary:
    """What a sweep did: counts per status, runs skipped because already recorded, wall time."""

    planned: int
    skipped: int
    ok: int = 0
    error: int = 0
    diverged: int = 0
    duplicates: int = 0
    wall_time: float = 0.0
    errors: list[tuple[str, str]] = field(default_factory=list)  # (run, first line of the error)

    @property
    def ran(self) -> int:
        return self.ok + self.error + self.diverged

    def line(self) -> str:
        return (
            f"{self.planned} runs planned, {self.skipped} already in the store, {self.ran} ran "
            f"({self.ok} ok, {self.diverged} diverged, {self.error} errors) in {self.wall_time:.1f} s"
        )


def run_sweep(
    specs: Sequence[RunSpec],
    store: Store,
    executor: LocalExecutor | RayExecutor | None = None,
    *,
    quiet: bool = False,
    retry_errors: bool = False,
    on_result: Callable[[dict[str, Any]], None] | None = None,
) -> SweepSummary:
    """Run the specs whose keys are not in ``store`` and record each result as it arrives.

    ``retry_errors=True`` also re-runs runs recorded with ``status="error"`` (their rows are
    replaced). A failing write (e.g. disk full) raises :class:`~actlab.bench.store.StoreWriteError`
    after stopping the sweep; every run recorded before it stays in the store.
    """
    executor = executor or LocalExecutor()
    t0 = time.perf_counter()
    seen: set[str] = set()
    unique = [s for s in specs if not (s.key in seen or seen.add(s.key))]
    done_keys = store.finished_keys(include_errors=not retry_errors)
    todo = [s for s in unique if s.key not in done_keys]
    summary = SweepSummary(planned=len(unique), skipped=len(unique) - len(todo))
    retrying = store.finished_keys() - done_keys if retry_errors else set()

    display = _Plain(len(todo), summary) if quiet or not sys.stderr.isatty() else _Rich(len(todo), summary)
    display.begin()
    try:
        if not todo:
            display.message(f"nothing to run: all {len(unique)} runs are already in {store.path}")
        for ev in executor.run(todo):
            if ev.kind == "start":
                display.started(ev.spec)
                continue
            row = ev.row
            row.setdefault("executor", executor.name)
            new = store.record(row, replace=ev.spec.key in retrying)
            if not new:
                summary.duplicates += 1
            setattr(summary, row["status"], getattr(summary, row["status"]) + 1)
            if row["status"] == "error":
                first = (row.get("error") or "").strip().splitlines()
                summary.errors.append((ev.spec.describe(), first[0] if first else ""))
            display.finished(ev.spec, row)
            if on_result is not None:
                on_result(row)
    finally:
        summary.wall_time = time.perf_counter() - t0
        display.end()
    return summary


def _result_text(spec: RunSpec, row: dict[str, Any]) -> str:
    status = row["status"]
    if status == "error":
        first = (row.get("error") or "").strip().splitlines()
        return f"error  {spec.describe()}: {first[0] if first else '?'}"
    m = row["metrics"].get("test_metric", float("nan"))
    wt = row.get("wall_time") or 0.0
    return f"{status:<6} {spec.describe()}: {row.get('metric') or 'test_metric'}={m:.4g} ({wt:.1f} s)"


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

    def finished(self, spec: RunSpec, row: dict[str, Any]) -> None:
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

    def finished(self, spec: RunSpec, row: dict[str, Any]) -> None:
        self.running.pop(spec.key, None)
        s = self.summary
        if row["status"] == "error":
            self.progress.console.print(f"[red]{_result_text(spec, row)}[/red]")
        self.progress.update(
            self.task_id, advance=1, ok=s.ok, div=s.diverged, err=s.error, current=self._current()
        )

    def end(self) -> None:
        self.progress.stop()
