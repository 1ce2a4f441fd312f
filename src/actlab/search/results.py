"""Results of searches: statistics, the report section (``actlab report``) and ``actlab search export``.

Scores are the bench's statistics (:func:`actlab.bench.stats.summarize`) over the runs of the last
rung (and of the transfer task): mean test metric over seeds with its 95 % bootstrap CI, and the
paired t-test against ReLU and against SiLU over the same seeds (p-values Holm-adjusted over the
activations of that comparison, as on the bench's boards).

A candidate belongs to the Swish family x·σ(βx) when its identity (at its initial parameters) is an
exact match of ``silu`` or ``swish`` (any β), or a near match a·g(b·x) with g one of them and
a·b = 1 (which is again x·σ(b·x)).
"""

from __future__ import annotations

import datetime
import math
from pathlib import Path
from typing import Any

from actlab.bench.store import Store
from actlab.search.state import CandidateRow, SearchTables

__all__ = ["export_snippet", "is_swish_family", "search_results", "search_section"]

SWISH_NAMES = ("silu", "swish")


def is_swish_family(identity: dict[str, Any]) -> bool:
    """Whether an identity (``Identity.to_dict()``) says x·σ(βx) for some β (module docstring)."""
    if identity.get("kind") == "exact":
        return any(m["name"] in SWISH_NAMES for m in identity.get("matches", []))
    near = identity.get("near")
    if identity.get("kind") == "near" and near and near["name"] in SWISH_NAMES:
        return near["c"] == 0 and near["d"] == 0 and abs(near["a"] * near["b"] - 1.0) < 1e-6
    return False


def _stats(store: Store, task: str, config: dict[str, Any], acts: list[str]) -> dict[str, dict[str, Any]]:
    """Per activation: mean, CI, n, and Δ/p against relu and silu on one board."""
    from actlab.bench.stats import summarize

    runs = [r for r in store.runs(task=task) if r.config == config and r.activation in acts and not r.params]
    out: dict[str, dict[str, Any]] = {a: {} for a in acts}
    for base in ("relu", "silu"):
        boards = summarize(runs, baseline=base)
        for b in boards:
            for g in b.groups:
                d = out.setdefault(g.activation, {})
                d.update(
                    mean=g.mean,
                    ci=(g.ci_low, g.ci_high),
                    n=len(g.values),
                    metric=b.metric,
                    higher_is_better=b.higher_is_better,
                )
                d[f"diff_{base}"] = g.diff_mean
                d[f"p_{base}"] = g.p_ttest
                d[f"p_holm_{base}"] = g.p_holm
    return out


def search_results(store: Store, search: dict[str, Any]) -> dict[str, Any]:
    """Everything the report and ``export`` show about one search (a row of ``search``)."""
    tables = SearchTables(store)
    cands = tables.candidates(search["id"])
    by_expr: dict[str, CandidateRow] = {}
    for c in cands.values():
        if c.status == "trained":
            by_expr.setdefault(f"expr:{c.expr}", c)
    summary = search.get("summary") or {}
    sessions = search.get("sessions") or []
    ev = sum(s.get("rung0_evaluations", 0) for s in sessions)
    wt = sum(s.get("rung0_wall_time", 0.0) for s in sessions if s.get("rung0_evaluations"))
    res: dict[str, Any] = {
        "id": search["id"],
        "config": search["config"],
        "status": search["status"],
        "counts": summary.get("counts") or _counts(cands),
        "evals_per_hour": 3600.0 * ev / wt if wt > 0 and ev > 0 else math.nan,
        "rung0_evaluations": ev,
        "wall_time": sum(s.get("wall_time", 0.0) for s in sessions),
        "candidates": cands,
        "final": [],
        "transfer": summary.get("transfer"),
    }
    if not summary:
        ranked = sorted(
            (
                c
                for c in cands.values()
                if c.status == "trained" and c.fitness is not None and math.isfinite(c.fitness)
            ),
            key=lambda c: (-c.fitness, c.idx),
        )
        res["final"] = [{"activation": f"expr:{c.expr}", "candidate": c, "stats": {}} for c in ranked[:5]]
        return res
    last = summary["rungs"][-1]
    acts = list(summary["final"]) + list(summary["baselines"])
    if last.get("config") is not None:
        stats = _stats(store, summary["task"], last["config"], acts)
    else:
        stats = {}
    tstats: dict[str, dict[str, Any]] = {}
    if summary.get("transfer"):
        t = summary["transfer"]
        tstats = _stats(store, t["task"], t["config"], acts)
    res["final"] = [
        {
            "activation": a,
            "candidate": by_expr.get(a),
            "stats": stats.get(a, {}),
            "transfer": tstats.get(a, {}),
        }
        for a in acts
    ]
    res["last_rung"] = {k: last[k] for k in ("preset", "seeds")}
    res["task"] = summary["task"]
    res["swish_in_top"] = any(
        f["candidate"] is not None and is_swish_family(f["candidate"].identity)
        for f in res["final"][: len(summary["final"])]
    )
    return res


def _counts(cands: dict[int, CandidateRow]) -> dict[str, Any]:
    reasons: dict[str, int] = {}
    for c in cands.values():
        if c.status == "rejected":
            reasons[c.verdict.get("reason")] = reasons.get(c.verdict.get("reason"), 0) + 1
    return {
        "proposed": len(cands),
        "trained": sum(c.status == "trained" for c in cands.values()),
        "duplicates": sum(c.status == "duplicate" for c in cands.values()),
        "rejected": sum(c.status == "rejected" for c in cands.values()),
        "rejected_by_reason": reasons,
    }


# ---------------------------------------------------------------------------------------- report


def _f(v: Any, digits: int = 4) -> str:
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "–"
    return f"{v:.{digits}g}"


def _p(v: Any) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    return "<0.001" if v < 1e-3 else f"{v:.3f}"


def _score(st: dict[str, Any]) -> str:
    if not st or st.get("mean") is None or not math.isfinite(st.get("mean", math.nan)):
        return "–"
    lo, hi = st.get("ci", (math.nan, math.nan))
    ci = f" [{_f(lo)}, {_f(hi)}]" if math.isfinite(lo) else ""
    return f"{_f(st['mean'])}{ci} (n={st.get('n', 0)})"


def _vs(st: dict[str, Any], base: str) -> str:
    d = st.get(f"diff_{base}") if st else None
    if d is None or not math.isfinite(d):
        return "–"
    return f"{d:+.3g} (p={_p(st.get(f'p_{base}'))}, Holm {_p(st.get(f'p_holm_{base}'))})"


def _identity_text(c: CandidateRow | None, short: bool = False) -> str:
    if c is None:
        return "catalog baseline"
    from actlab.search.identify import Identity

    ident = Identity.from_dict(c.identity)
    if ident.kind == "new":
        near = ident.nearest[: 1 if short else 3]
        text = "new" + (
            " (nearest: " + ", ".join(f"{m['name']} {m['distance']:.2g}" for m in near) + ")" if near else ""
        )
    else:
        text = ident.summary()
        if short and ident.kind == "exact" and len(ident.matches) > 1:
            text = text.split(" (also")[0] + f" (+{len(ident.matches) - 1} more)"
    return text.replace("|", "\\|")


def _better(st: dict[str, Any], base: str) -> bool:
    """Better than ``base`` with unadjusted p < 0.05 (in the task's direction)."""
    d, p = st.get(f"diff_{base}"), st.get(f"p_{base}")
    if d is None or p is None or not (math.isfinite(d) and math.isfinite(p)):
        return False
    return p < 0.05 and (d > 0 if st.get("higher_is_better", True) else d < 0)


def _plot(res: dict[str, Any], out_dir: Path) -> str | None:
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt
    import torch

    from actlab.search.expr import parse

    items = [f for f in res["final"] if f["candidate"] is not None][:5]
    if not items:
        return None
    x = torch.linspace(-5, 5, 801, dtype=torch.float64)
    fig, ax = plt.subplots(figsize=(7, 4.2))
    import actlab

    for name in ("relu", "silu"):
        ax.plot(
            x,
            actlab.describe(name).fn(x).numpy(),
            "--",
            color="0.6" if name == "relu" else "0.35",
            lw=1,
            label=name,
        )
    for k, f in enumerate(items, start=1):
        e = parse(f["candidate"].expr)
        with torch.no_grad():
            y = e.fn(x).numpy()
        ax.plot(x, y, lw=1.6, label=f"#{k} {e.text[:48]}")
    ax.set_ylim(-3, 5)
    ax.axhline(0, color="0.85", lw=0.8)
    ax.axvline(0, color="0.85", lw=0.8)
    ax.set_xlabel("x")
    ax.set_title("best functions (initial parameters)", fontsize=9)
    ax.legend(fontsize=7, loc="upper left")
    plots = out_dir / "plots"
    plots.mkdir(parents=True, exist_ok=True)
    path = plots / f"search-{res['id']}.png"
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path.relative_to(out_dir).as_posix()


def _markdown(res: dict[str, Any], out_dir: Path) -> str:
    cfg = res["config"]
    c = res["counts"]
    lines = [f"### Search `{res['id']}` ({res['status']})", ""]
    rungs = ", ".join(
        f"{r[0]}×{r[1]} seed(s)" + (f" (top {r[2]})" if i else "") for i, r in enumerate(cfg["rungs"])
    )
    lines.append(
        f"Strategy **{cfg['strategy']}**, task **{cfg['task']}**"
        + (f", transfer task **{cfg['transfer_task']}**" if cfg.get("transfer_task") else "")
        + f", budget {cfg['budget']} trained candidates, space `{cfg['space']}` (≤ {cfg['max_units']} units, "
        f"β {'trainable' if cfg['trainable'] else 'fixed'}), seed {cfg['seed']}; rungs: {rungs}."
    )
    reasons = ", ".join(f"{k}: {v}" for k, v in sorted(c.get("rejected_by_reason", {}).items()))
    lines.append(
        f"Proposed {c['proposed']}, trained {c['trained']}, duplicates of earlier candidates "
        f"{c['duplicates']}, rejected before training {c['rejected']}"
        + (f" ({reasons})" if reasons else "")
        + "."
    )
    if "identified_exact" in c:
        lines.append(
            f"Of the distinct candidates, {c['identified_exact']} are exactly a catalog function and "
            f"{c['identified_near']} a scaled/shifted one (identified before training)."
        )
    if math.isfinite(res["evals_per_hour"]):
        lines.append(
            f"Rung 0: {res['rung0_evaluations']} evaluations, {res['evals_per_hour']:.0f} evaluations per "
            f"hour (search wall time {res['wall_time'] / 60:.1f} min over all sessions)."
        )
    lines.append("")
    if res["status"] != "done":
        lines.append("The search has not finished; best rung-0 candidates so far (one seed, brief training):")
        lines.append("")
        lines.append("| # | formula | identity | rung-0 score |")
        lines.append("|---|---|---|---|")
        for k, f in enumerate(res["final"], start=1):
            cand = f["candidate"]
            lines.append(f"| {k} | `{cand.expr}` | {_identity_text(cand)} | {_f(cand.fitness)} |")
        return "\n".join(lines) + "\n"
    lr = res["last_rung"]
    tr = res.get("transfer")
    head = f"| # | formula | identity | {res['task']} ({lr['preset']}, {lr['seeds']} seeds) "
    head += "| vs ReLU | vs SiLU |"
    sep = "|---|---|---|---|---|---|"
    if tr:
        head += f" {tr['task']} (transfer) | vs ReLU | vs SiLU |"
        sep += "---|---|---|"
    lines += [head, sep]
    k = 0
    for f in res["final"]:
        cand = f["candidate"]
        if cand is not None:
            k += 1
            label, formula = str(k), f"`{cand.expr}`"
        else:
            label, formula = "", f"**{f['activation']}**"
        row = f"| {label} | {formula} | {_identity_text(cand)} | {_score(f['stats'])} | "
        row += f"{_vs(f['stats'], 'relu')} | {_vs(f['stats'], 'silu')} |"
        if tr:
            t = f.get("transfer", {})
            row += f" {_score(t)} | {_vs(t, 'relu')} | {_vs(t, 'silu')} |"
        lines.append(row)
    lines.append("")
    beat = [
        f"`{f['candidate'].expr}`" for f in res["final"] if f["candidate"] and _better(f["stats"], "relu")
    ]
    lines.append(
        f"Swish family x·σ(βx) (or an identified equivalent) among the best "
        f"{sum(1 for f in res['final'] if f['candidate'])}: **{'yes' if res['swish_in_top'] else 'no'}**. "
        f"Better than ReLU with p < 0.05 (paired t-test, unadjusted) on {res['task']}: "
        f"{', '.join(beat) if beat else 'none'}."
    )
    if tr:
        tbeat = [
            f"`{f['candidate'].expr}`"
            for f in res["final"]
            if f["candidate"] and _better(f.get("transfer", {}), "relu")
        ]
        lines.append(f"On the transfer task {tr['task']}: {', '.join(tbeat) if tbeat else 'none'}.")
    img = _plot(res, out_dir)
    if img:
        lines += ["", f"![best functions of search {res['id']}]({img})"]
    return "\n".join(lines) + "\n"


def search_section(store: Store, out_dir: Path) -> str | None:
    """The report section (hook ``actlab.bench.report.SECTIONS``): one subsection per search."""
    tables = SearchTables(store)
    searches = tables.searches()
    if not searches:
        return None
    parts = [
        "## Searches (`actlab search`)",
        "",
        "Candidates are fingerprinted and identified against the catalog before training; duplicates "
        "reuse earlier results; rejected candidates never train. Scores are means over seeds with 95 % "
        "bootstrap CIs; comparisons are paired t-tests against the baseline over the same seeds.",
        "",
    ]
    for s in searches:
        parts.append(_markdown(search_results(store, s), Path(out_dir)))
    return "\n".join(parts)


# ---------------------------------------------------------------------------------------- export


def export_snippet(store: str | Path, name: str, search_id: str | None = None, rank: int = 1) -> str:
    """Python source registering the ``rank``-th best function of a search as catalog entry ``name``
    (``actlab.register_expression``), citing the search. The latest search when ``search_id`` is None."""
    from actlab.catalog.registry import REGISTRY, normalize
    from actlab.search.identify import Identity
    from actlab.search.register import closest_family

    if normalize(name) != name or not name.isidentifier():
        raise ValueError(f"catalog names are lower-case snake case identifiers, got {name!r}")
    if name in REGISTRY:
        raise ValueError(f"{name!r} is already a catalog activation; choose another name")
    with Store(store, readonly=True) as st:
        tables = SearchTables(st)
        searches = tables.searches()
        if not searches:
            raise LookupError(f"{store}: no search in this store (run `actlab search run` first)")
        if search_id is None:
            search = searches[-1]
        else:
            match = [s for s in searches if s["id"] == search_id]
            if not match:
                raise LookupError(
                    f"no search {search_id!r}; searches: {', '.join(s['id'] for s in searches)}"
                )
            search = match[0]
        res = search_results(st, search)
    cands = [f for f in res["final"] if f["candidate"] is not None]
    if not 1 <= rank <= len(cands):
        raise ValueError(f"rank must be between 1 and {len(cands)} for search {res['id']}")
    f = cands[rank - 1]
    cand: CandidateRow = f["candidate"]
    cfg = res["config"]
    ident = Identity.from_dict(cand.identity).summary()
    family = closest_family(cand.expr)
    year = datetime.date.today().year
    title = (
        f"actlab search {res['id']}: {cfg['strategy']} on task {cfg['task']}, budget {cfg['budget']}, "
        f"seed {cfg['seed']}, rank {rank}"
    )
    st_ = f.get("stats") or {}
    score = ""
    if st_:
        score = (
            f"{res.get('task', cfg['task'])} {st_.get('metric', 'score')} {_score(st_)}; "
            f"vs relu {_vs(st_, 'relu')}; vs silu {_vs(st_, 'silu')}"
        )
    notes = f"Found by actlab search {res['id']}. Identity before training: {ident}." + (
        f" {score}." if score else ""
    )
    return f'''"""{name}: an activation function found by `actlab search` (search {res["id"]}).

    f(x) = {cand.expr}
Identity before training: {ident}
{score}
"""

import actlab
from actlab import Citation

actlab.register_expression(
    {name!r},
    {cand.expr!r},
    family={family!r},
    citation=Citation(authors="actlab search", title={title!r}, year={year}),
    notes={notes!r},
)
'''
