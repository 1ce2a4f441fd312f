"""The claims board: plan the claims' bench runs, run them through the bench runner, evaluate them,
and report them at the top of the bench report.

The runs are ordinary bench runs in the bench's store (resumable, shared between claims, local or
Ray, several processes per store). Which runs make up which claim at which preset is recorded in
the store's ``claims`` table (one row per claim, preset and seed count: the arms and their run
keys), so ``actlab report`` finds the claims that were run without recomputing anything.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from actlab.bench.spec import RunSpec
from actlab.bench.store import RunRecord, Store
from actlab.claims.base import NOT_RUN, PRESETS, ClaimResult, available_claims, get_claim

__all__ = ["claim_keys", "claims_section", "evaluate", "plan", "run_claims"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS claims (
    claim TEXT NOT NULL,
    preset TEXT NOT NULL,
    seeds INTEGER NOT NULL,
    arms TEXT NOT NULL,
    settings TEXT NOT NULL,
    updated REAL NOT NULL,
    PRIMARY KEY (claim, preset, seeds)
)
"""
_ORDER = {p: i for i, p in enumerate(reversed(PRESETS))}  # full first


def _names(names: Sequence[str] | None) -> list[str]:
    if not names:
        return available_claims()
    return [get_claim(n).name for n in names]


def plan(
    names: Sequence[str] | None = None, preset: str = "quick", seeds: int | None = None
) -> dict[str, dict[str, list[RunSpec]]]:
    """``{claim: {arm: specs}}`` for the claims ``names`` (default all) at ``preset``; claims out of
    reach at that preset have no arms. Raises ``LookupError``/``ValueError`` for bad input."""
    out = {}
    for n in _names(names):
        c = get_claim(n)
        s = c.settings(preset, seeds)
        out[n] = {} if s is None else c.arms(s)
    return out


def _table_exists(store: Store) -> bool:
    q = "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='claims'"
    return store.conn.execute(q).fetchone()[0] == 1


def _save(store: Store, claim: str, preset: str, seeds: int, arms: dict[str, list[RunSpec]],
          settings: dict[str, Any]) -> None:  # fmt: skip
    doc = {a: [[sp.seed, sp.key] for sp in specs] for a, specs in arms.items()}
    with store._transaction() as conn:
        conn.execute(_SCHEMA)
        conn.execute(
            "INSERT OR REPLACE INTO claims (claim, preset, seeds, arms, settings, updated) VALUES (?, ?, "
            "?, ?, ?, ?)",
            (claim, preset, int(seeds), json.dumps(doc), json.dumps(settings, sort_keys=True, default=str),
             time.time()),
        )  # fmt: skip


def _rows(store: Store) -> list[tuple[str, str, int, dict, dict, float]]:
    if not _table_exists(store):
        return []
    q = "SELECT claim, preset, seeds, arms, settings, updated FROM claims"
    return [
        (c, p, int(s), json.loads(a), json.loads(st), float(u)) for c, p, s, a, st, u in store.conn.execute(q)
    ]


def claim_keys(store: Store) -> set[str]:
    """Keys of every run that belongs to a claim recorded in ``store`` (the bench boards skip them)."""
    return {k for _, _, _, arms, _, _ in _rows(store) for pairs in arms.values() for _, k in pairs}


def _evaluate(
    store: Store, claim: str, preset: str, arms_doc: dict[str, list], settings: dict
) -> ClaimResult:
    c = get_claim(claim)
    keys = [k for pairs in arms_doc.values() for _, k in pairs]
    found = {r.key: r for r in store.runs(keys=keys)}
    arms: dict[str, dict[int, RunRecord]] = {
        a: {int(seed): found[k] for seed, k in pairs if k in found} for a, pairs in arms_doc.items()
    }
    planned = len(set(keys))
    if not found:
        res = c.result(preset, NOT_RUN, reason="no run of this claim is in the store yet")
    else:
        try:
            res = c.evaluate(arms, settings, preset)
        except Exception as e:  # noqa: BLE001  (one broken claim must not hide the others)
            res = c.result(preset, "error", reason=f"evaluation failed: {type(e).__name__}: {e}")
    res.runs_found, res.runs_planned = len(found), planned
    if 0 < len(found) < planned and res.verdict != NOT_RUN:
        res.reason = (
            res.reason + "; " if res.reason else ""
        ) + f"only {len(found)} of {planned} runs recorded"
    res._arms = arms  # type: ignore[attr-defined]
    return res


def evaluate(store: Store | str | Path, names: Sequence[str] | None = None) -> list[ClaimResult]:
    """The result of each claim recorded in ``store`` (the most thorough preset of each: full, then
    quick, then tiny; the latest seed count), in board order."""
    own = not isinstance(store, Store)
    st = Store(store, readonly=True) if own else store
    try:
        rows = _rows(st)
        best: dict[str, tuple] = {}
        for row in rows:
            c, p, _, _, _, upd = row
            if c not in available_claims():
                continue
            cur = best.get(c)
            if cur is None or (_ORDER[p], -upd) < (_ORDER[cur[1]], -cur[5]):
                best[c] = row
        wanted = _names(names) if names else [n for n in available_claims() if n in best]
        out = []
        for n in wanted:
            if n not in best:
                out.append(get_claim(n).result("", NOT_RUN, reason="not in this store"))
                continue
            c, p, _, arms_doc, settings, _ = best[n]
            out.append(_evaluate(st, c, p, arms_doc, settings))
        return out
    finally:
        if own:
            st.close()


def run_claims(
    names: Sequence[str] | None,
    preset: str,
    store: Store,
    executor: Any = None,
    *,
    seeds: int | None = None,
    quiet: bool = False,
    wait: bool = True,
    extra: Sequence[RunSpec] = (),
) -> tuple[Any, list[ClaimResult]]:
    """Run the claims' runs (one sweep for all of them, with ``extra`` bench runs, e.g. a bench
    preset's, in the same sweep) and evaluate them; returns the sweep summary and the results."""
    from actlab.bench.runner import run_sweep

    planned = plan(names, preset, seeds)
    specs: dict[str, RunSpec] = {}
    for n, arms in planned.items():
        c = get_claim(n)
        s = c.settings(preset, seeds)
        if s is not None:
            _save(store, n, preset, int(s.get("seeds", 0)), arms, s)
        for a in arms.values():
            for sp in a:
                specs.setdefault(sp.key, sp)
    for sp in extra:
        specs.setdefault(sp.key, sp)
    summary = run_sweep(list(specs.values()), store, executor, quiet=quiet, wait=wait)
    results = []
    for n in planned:
        c = get_claim(n)
        s = c.settings(preset, seeds)
        if s is None:
            why = c.out_of_reach.get(preset, "no protocol for this preset")
            results.append(c.result(preset, NOT_RUN, reason=f"out of reach at --preset {preset}: {why}"))
            continue
        arms_doc = {a: [[sp.seed, sp.key] for sp in v] for a, v in planned[n].items()}
        results.append(_evaluate(store, n, preset, arms_doc, s))
    return summary, results


# ---------------------------------------------------------------------------- report


def _num(v: float, digits: int = 3) -> str:
    return "–" if v is None or not math.isfinite(v) else f"{v:.{digits}g}"


def _pv(v: float) -> str:
    if v is None or not math.isfinite(v):
        return "–"
    return "<0.001" if v < 1e-3 else f"{v:.3f}"


def claims_section(store: Store, out: Path) -> str | None:
    """The claims table and one subsection per claim (hook ``actlab.bench.report.LEADING_SECTIONS``)."""
    from actlab.bench.report import Plots, md_escape

    results = evaluate(store)
    if not results:
        return None
    plots = Plots(Path(out))
    lines = [
        "## Claims board",
        "",
        "Claims from the papers behind actlab, each tested by a protocol that follows its paper at a "
        "size this machine can run (the protocol column says how it was scaled down). Effect: the "
        "claim's effect size with its 95 % interval (simultaneous over the claim's comparisons where "
        "there are several); verdicts follow rules fixed before any run (per claim below): "
        "*supported*, *not supported*, or *inconclusive* (too little data, or the protocol did not reach "
        "the regime the claim is about).",
        "",
        "| claim | paper | protocol (scaled down) | effect [95 % CI] | test, p | n | verdict |",
        "|---|---|---|---|---|---|---|",
    ]
    sections = []
    for res in results:
        c = get_claim(res.claim)
        ci = (
            ""
            if not (math.isfinite(res.ci[0]) and math.isfinite(res.ci[1]))
            else (f" [{_num(res.ci[0])}, {_num(res.ci[1])}]")
        )
        effect = f"{md_escape(res.effect)}: {_num(res.estimate)}{ci}" if res.effect else "–"
        test = f"{md_escape(res.test)}, p = {_pv(res.p)}" if res.test else "–"
        verdict = f"**{res.verdict}**" + (f" ({md_escape(res.preset)})" if res.preset else "")
        anchor = f"claim-{res.claim.replace('_', '-')}"
        lines.append(
            f"| [{md_escape(c.statement, 140)}](#{anchor}) | {md_escape(c.paper.authors.split(',')[0])} "
            f"{c.paper.year} | {md_escape(c.summary if hasattr(c, 'summary') else c.protocol, 220)} | "
            f"{effect} | {test} | {res.n or '–'} | {verdict} |"
        )
        arms = getattr(res, "_arms", None)
        img = None
        if arms:
            try:
                img = c.plot(arms, res, plots)
            except Exception:  # noqa: BLE001  (a plot never hides the verdict)
                img = None
        sec = [
            f"### Claim {md_escape(c.name)}",
            "",
            f"**Claim.** {md_escape(c.statement)}",
            "",
            f"**Paper.** {md_escape(c.paper.cite())}.",
            "",
            f"**Protocol.** {md_escape(c.protocol)}",
            "",
            f"**Scaled down.** {md_escape(c.scaled_down)}",
            "",
            f"**Decision rule.** {md_escape(c.decision)}",
            "",
            f"**Result ({md_escape(res.preset or '–')}).** {verdict}: {md_escape(res.reason or '–')}. "
            f"Runs: {res.runs_found}/{res.runs_planned}.",
            "",
        ]
        sec += [f"- {md_escape(line)}" for line in res.details] + ([""] if res.details else [])
        if img:
            sec += [f"![claim {md_escape(c.name)}]({img})", ""]
        sections.append("\n".join(sec))
    lines.append("")
    return "\n".join(lines + sections)
