"""``actlab claims list`` and ``actlab claims run`` (the typer wrappers live in ``actlab.cli``).

Exit codes as for ``actlab bench``: 0 done (verdicts of any kind, runs that failed are recorded and
reported); 1 the store could not be written or the executor could not start; 2 bad input (unknown
claim or preset, bad seeds, not an actlab store), found before any run starts; 130 interrupted.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from rich.console import Console
from rich.table import Table

__all__ = ["list_command", "run_command"]

err = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)


def _runs(name: str, preset: str) -> str:
    from actlab.claims import get_claim

    c = get_claim(name)
    if c.settings(preset) is None:
        return "out of reach"
    return str(len(c.specs(preset)))


def list_command(as_json: bool = False) -> int:
    from actlab.claims import available_claims, get_claim

    rows = []
    for n in available_claims():
        c = get_claim(n)
        rows.append({
            "name": n, "statement": c.statement, "paper": c.paper.cite(),
            "protocol": getattr(c, "summary", c.protocol), "scaled_down": c.scaled_down,
            "decision": c.decision,
            "runs": {p: _runs(n, p) for p in ("quick", "full")},
        })  # fmt: skip
    if as_json:
        print(json.dumps(rows, indent=1, ensure_ascii=False))
        return 0
    t = Table(title=f"{len(rows)} claims (actlab claims run [NAMES] --preset quick|full)", show_lines=True)
    for col in ("name", "claim", "paper", "runs quick / full"):
        t.add_column(col, overflow="fold")
    for r in rows:
        t.add_row(r["name"], r["statement"], r["paper"], f"{r['runs']['quick']} / {r['runs']['full']}")
    out.print(t)
    return 0


def _fmt(v: float) -> str:
    return "–" if v is None or not math.isfinite(v) else f"{v:.3g}"


def run_command(
    names: list[str] | None,
    preset: str = "quick",
    seeds: int | None = None,
    store: Path = Path("actlab-results.db"),
    executor: str = "local",
    workers: int | None = None,
    address: str | None = None,
    report: Path | None = Path("actlab-report"),
    quiet: bool = False,
    wait: bool = True,
    bench: str | None = None,
) -> int:
    """Plan (validating everything first), run, evaluate and report; returns the exit code. ``bench``:
    also run that ``actlab bench`` preset's runs in the same sweep (one report for both)."""
    from actlab.bench.executors import make_executor
    from actlab.bench.store import Store, StoreError, StoreWriteError
    from actlab.claims import plan, run_claims

    try:
        plan(names, preset, seeds)  # validates names, preset and seeds before anything runs
        extra = []
        if bench is not None:
            from actlab.bench.commands import BadInput
            from actlab.bench.commands import plan as bench_plan

            try:
                extra = bench_plan(bench)
            except BadInput as e:
                raise ValueError(f"--bench: {e}") from None
        if workers is not None and workers < 1:
            raise ValueError(f"--workers must be at least 1, got {workers}")
        ex = make_executor(executor, workers=workers, address=address)
        st = Store(store)
    except (LookupError, ValueError, TypeError, StoreError) as e:
        err.print(f"error: {e}", highlight=False, markup=False)
        return 2
    try:
        summary, results = run_claims(names, preset, st, ex, seeds=seeds, quiet=quiet, wait=wait, extra=extra)
    except StoreWriteError as e:
        err.print(f"error: {e}", highlight=False, markup=False)
        st.close()
        return 1
    except ConnectionError as e:
        err.print(f"error: {executor} executor: {e}", highlight=False, markup=False)
        st.close()
        return 1
    except KeyboardInterrupt:
        err.print("interrupted: finished runs are in the store; rerun the same command to resume")
        st.close()
        return 130
    err.print(summary.line(), highlight=False, markup=False)
    for r in results:
        eff = ""
        if r.effect:
            eff = f"{r.effect}: {_fmt(r.estimate)} [{_fmt(r.ci[0])}, {_fmt(r.ci[1])}], p = {_fmt(r.p)}; "
        err.print(f"{r.claim}: {r.verdict.upper()} — {eff}{r.reason}", highlight=False, markup=False)
    if report is not None:
        from actlab.bench.report import write_report

        md, html = write_report(st, report)
        err.print(f"report: {html} (and {md})", highlight=False, markup=False)
    st.close()
    return 0
