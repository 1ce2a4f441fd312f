"""The ``actlab bench`` and ``actlab report`` commands (the typer wrappers live in ``actlab.cli``).

Exit codes: 0 done (runs that raised or diverged are recorded and reported, not fatal);
1 the store could not be written (disk full, ...; everything recorded before is kept) or the
executor could not start (no Ray cluster at --address);
2 bad input (unknown task/activation/preset, invalid parameters, not an actlab store), found
before any run starts; 130 interrupted.
"""

from __future__ import annotations

import sys
from pathlib import Path

from rich.console import Console

__all__ = ["bench_command", "report_command"]

err = Console(stderr=True, soft_wrap=True)


class BadInput(Exception):
    """Input rejected before any run started (exit code 2)."""


def _split(text: str | None) -> list[str] | None:
    if text is None:
        return None
    items = [t.strip() for t in text.split(",") if t.strip()]
    if not items:
        raise BadInput("empty list")
    return items


def _lrs(text: str | None) -> list[float] | None:
    if text is None:
        return None
    try:
        return [float(v) for v in _split(text) or []]
    except ValueError:
        raise BadInput(f"--lrs takes comma-separated numbers, got {text!r}") from None


def plan(
    preset: str = "quick",
    tasks: str | None = None,
    activations: str | None = None,
    seeds: int | None = None,
    lrs: str | None = None,
) -> list:
    """The validated run specs of a command line (raises :class:`BadInput`). ``tasks`` may name a
    user's task as ``module:attr`` (:func:`actlab.bench.tasks.base.load_task`)."""
    import actlab.bench.tasks  # noqa: F401  (registers the tasks)
    from actlab.bench.activations import parse_activation_list
    from actlab.bench.presets import get_preset
    from actlab.bench.spec import expand_grid

    try:
        p = get_preset(preset)
        task_list = _split(tasks) or p.task_names()
        act_list = parse_activation_list(activations) if activations is not None else p.activation_list()
        return expand_grid(task_list, act_list, p.seeds if seeds is None else seeds, preset=p.task_preset,
                           lrs=_lrs(lrs))
    except (LookupError, TypeError, ValueError) as e:
        raise BadInput(str(e)) from None


def bench_command(
    preset: str = "quick",
    tasks: str | None = None,
    activations: str | None = None,
    seeds: int | None = None,
    store: Path = Path("actlab-results.db"),
    executor: str = "local",
    workers: int | None = None,
    address: str | None = None,
    out: Path | None = Path("actlab-report"),
    quiet: bool = False,
    lrs: str | None = None,
    wait: bool = True,
) -> int:
    """Plan, validate, run and report a sweep; returns the exit code."""
    from actlab.bench.executors import make_executor
    from actlab.bench.runner import run_sweep
    from actlab.bench.store import Store, StoreError, StoreWriteError

    try:
        specs = plan(preset, tasks, activations, seeds, lrs)
        if workers is not None and workers < 1:
            raise BadInput(f"--workers must be at least 1, got {workers}")
        try:
            ex = make_executor(executor, workers=workers, address=address)
        except ValueError as e:
            raise BadInput(str(e)) from None
        st = Store(store)
    except (BadInput, StoreError) as e:
        err.print(f"[red]error:[/red] {e}", highlight=False)
        return 2
    try:
        summary = run_sweep(specs, st, ex, quiet=quiet, wait=wait)
    except StoreWriteError as e:
        err.print(f"[red]error:[/red] {e}", highlight=False)
        st.close()
        return 1
    except ConnectionError as e:  # e.g. no Ray cluster at --address
        err.print(f"[red]error:[/red] {executor} executor: {e}", highlight=False)
        st.close()
        return 1
    except KeyboardInterrupt:
        err.print("interrupted: finished runs are in the store; rerun the same command to resume")
        st.close()
        return 130
    err.print(summary.line(), highlight=False)
    for run, first in summary.errors[:10]:
        err.print(f"  error in {run}: {first}", highlight=False, markup=False)
    if out is not None:
        from actlab.bench.report import write_report

        md, html = write_report(st, out)
        err.print(f"report: {html} (and {md})", highlight=False)
    st.close()
    return 0


def report_command(store: Path, out: Path) -> int:
    """Write the report of ``store`` to ``out``; returns the exit code."""
    from actlab.bench.report import write_report
    from actlab.bench.store import StoreError

    try:
        md, html = write_report(store, out)
    except StoreError as e:
        err.print(f"[red]error:[/red] {e}", highlight=False)
        return 2
    print(f"wrote {html} and {md}", file=sys.stdout)
    return 0
