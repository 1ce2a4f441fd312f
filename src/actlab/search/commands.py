"""The ``actlab search run | identify | export`` commands (typer wrappers live in ``actlab.cli``).

Exit codes: 0 done; 1 the store could not be written; 2 bad input (found before anything runs);
130 interrupted (rerun the same command to resume).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from rich.console import Console

err = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)


def run_command(
    strategy: str,
    budget: int,
    task: str,
    transfer_task: str | None,
    store: Path,
    executor: str,
    seed: int,
    workers: int | None,
    address: str | None,
    space: str,
    units: int,
    fixed_beta: bool,
    rungs: str | None,
    top: int,
    population: int,
    batch: int,
    quiet: bool,
) -> int:
    from actlab.bench.store import StoreError, StoreWriteError
    from actlab.search.engine import DEFAULT_RUNGS, SearchConfig, parse_rungs, run_search

    try:
        cfg = SearchConfig(
            strategy=strategy,
            budget=budget,
            task=task,
            transfer_task=transfer_task,
            seed=seed,
            space=space,
            max_units=units,
            trainable=not fixed_beta,
            population=population,
            tournament=min(5, population),
            batch=batch,
            rungs=parse_rungs(rungs) if rungs else DEFAULT_RUNGS,
            top=top,
        )
        cfg.validate()
        if workers is not None and workers < 1:
            raise ValueError(f"--workers must be at least 1, got {workers}")
    except (ValueError, TypeError, LookupError) as e:
        err.print(f"[red]error:[/red] {e}", highlight=False)
        return 2
    err.print(f"search {cfg.id}: results in {store}", highlight=False)
    try:
        run_search(cfg, store, executor=executor, workers=workers, address=address, quiet=quiet)
    except (StoreError, LookupError, ValueError, TypeError) as e:
        err.print(f"[red]error:[/red] {e}", highlight=False)
        return 2
    except StoreWriteError as e:
        err.print(f"[red]error:[/red] {e}", highlight=False)
        return 1
    except KeyboardInterrupt:
        err.print("interrupted: finished evaluations are in the store; rerun the same command to resume")
        return 130
    _print_summary(store, cfg.id)
    err.print(f"`actlab report --store {store}` shows the search with plots and statistics", highlight=False)
    return 0


def _print_summary(store: Path, search_id: str) -> None:
    from rich.table import Table

    from actlab.bench.store import Store
    from actlab.search.results import _identity_text, _score, _vs, search_results
    from actlab.search.state import SearchTables

    with Store(store, readonly=True) as st:
        s = SearchTables(st).search(search_id)
        if s is None:
            return
        res = search_results(st, s)
    c = res["counts"]
    out.print(
        f"{c['proposed']} proposed, {c['trained']} trained, {c['duplicates']} duplicates, "
        f"{c['rejected']} rejected before training",
        highlight=False,
    )
    t = Table(title=f"search {search_id}: best functions")
    for col in ("#", "formula", "identity", "score [95% CI]", "vs relu", "vs silu"):
        t.add_column(col)
    k = 0
    for f in res["final"]:
        cand = f["candidate"]
        label = ""
        if cand is not None:
            k += 1
            label = str(k)
        t.add_row(
            label,
            cand.expr if cand is not None else f["activation"],
            _identity_text(cand, short=True).replace("\\|", "|"),
            _score(f["stats"]),
            _vs(f["stats"], "relu"),
            _vs(f["stats"], "silu"),
        )
    out.print(t)
    if "swish_in_top" in res:
        out.print(f"Swish family among the best: {'yes' if res['swish_in_top'] else 'no'}", highlight=False)


def identify_command(expr: str, as_json: bool) -> int:
    from actlab.search.expr import ExpressionSyntaxError
    from actlab.search.identify import identify
    from actlab.search.reject import check

    try:
        ident = identify(expr)
        verdict = check(expr)
    except (ExpressionSyntaxError, ValueError, TypeError) as e:
        err.print(f"[red]error:[/red] {e}", highlight=False)
        return 2
    if as_json:
        d: dict[str, Any] = ident.to_dict()
        d["verdict"] = {"ok": verdict.ok, "reason": verdict.reason, "detail": verdict.detail}
        print(json.dumps(d, indent=1))
        return 0
    if ident.kind == "exact":
        out.print(f"this is {ident.summary()}", highlight=False)
    elif ident.kind == "near":
        n = ident.near
        assert n is not None
        out.print(
            f"near match: same as a·g(b·x + c) + d with g = {n['name']}, a={n['a']:.6g}, b={n['b']:.6g}, "
            f"c={n['c']:.6g}, d={n['d']:.6g} (T-distance {n['distance']:.2g}): {ident.summary()[6:]}",
            highlight=False,
        )
    else:
        out.print(ident.summary(), highlight=False)
    out.print(f"fingerprint {ident.fingerprint}; cheap rejection: {verdict}", highlight=False)
    return 0


def export_command(name: str, store: Path, search_id: str | None, rank: int, out_file: Path | None) -> int:
    from actlab.bench.store import StoreError
    from actlab.search.results import export_snippet

    try:
        text = export_snippet(store, name, search_id=search_id, rank=rank)
    except (StoreError, LookupError, ValueError) as e:
        err.print(f"[red]error:[/red] {e}", highlight=False)
        return 2
    if out_file is None:
        sys.stdout.write(text)
    else:
        out_file.parent.mkdir(parents=True, exist_ok=True)
        out_file.write_text(text)
        err.print(f"wrote {out_file}", highlight=False)
    return 0
