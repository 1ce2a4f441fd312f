"""The claims board end to end: ``actlab claims list|run`` through the bench runner and store, the
report opening with the claims table, resumability, bad input, and the decision rules."""

from __future__ import annotations

import json
import math

import pytest
from typer.testing import CliRunner

from actlab.bench.stats import paired
from actlab.bench.store import Store
from actlab.claims import INCONCLUSIVE, NOT_SUPPORTED, SUPPORTED, available_claims, evaluate, plan
from actlab.claims.decide import Contrast, equivalence, non_inferiority, superiority
from actlab.cli import app

runner = CliRunner()
CHEAP = ["init_gain", "prelu_xor", "ap_pruning"]


def test_claims_list_shows_at_least_the_twelve_claims():
    res = runner.invoke(app, ["claims", "list", "--json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    names = {r["name"] for r in rows}
    twelve = {"prelu_xor", "snake_extrapolation", "siren_image", "glu_variants", "relu2_sparsity",
              "relufication", "smelu_reproducibility", "selu_deep", "init_gain", "helu", "golu", "ap_pruning"}
    assert twelve <= names
    assert all(r["paper"] and r["decision"] and r["scaled_down"] for r in rows)
    assert next(r for r in rows if r["name"] == "glu_variants")["runs"]["quick"] == "out of reach"
    table = runner.invoke(app, ["claims", "list"])
    assert table.exit_code == 0 and "prelu_xor" in table.output


def test_claims_run_records_runs_resumes_and_opens_the_report_with_the_claims_table(tmp_path):
    db, out = tmp_path / "r.db", tmp_path / "rep"
    args = ["claims", "run", *CHEAP, "--preset", "tiny", "--store", str(db), "--out", str(out),
            "--workers", "1", "--quiet"]  # fmt: skip
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    n = sum(len(s) for a in plan(CHEAP, "tiny").values() for s in a.values())
    assert "0 already in the store" in res.output
    for name in CHEAP:
        assert f"{name}: " in res.output
    md = (out / "report.md").read_text()
    assert md.index("## Claims board") < md.index("### Claim init\\_gain") and "## Bench boards" not in md
    assert md.count("](plots/claim-") >= 3  # a plot per claim
    html = (out / "report.html").read_text()
    assert '<h2 id="claims-board">' in html and 'id="claim-init-gain"' in html and "data:image/png" in html
    with Store(db) as st:
        assert len(st) >= 1 and {r.task for r in st.runs()} >= {"claims.signal_propagation", "xor"}
    again = runner.invoke(app, args)
    assert again.exit_code == 0 and "0 ran" in again.output, again.output
    assert n > 0
    # the report command finds the claims in the store without being told
    res = runner.invoke(app, ["report", "--store", str(db), "--out", str(tmp_path / "rep2")])
    assert res.exit_code == 0 and "## Claims board" in (tmp_path / "rep2" / "report.md").read_text()
    results = {r.claim: r for r in evaluate(db)}
    assert set(results) == set(CHEAP) and all(r.runs_found == r.runs_planned for r in results.values())


@pytest.mark.parametrize("args, needle", [
    (["claims", "run", "prelu_xr"], "unknown claim 'prelu_xr'"),
    (["claims", "run", "prelu_xor", "--preset", "medium"], "unknown preset"),
    (["claims", "run", "prelu_xor", "--seeds", "0"], "at least 1"),
])  # fmt: skip
def test_bad_input_exits_2_before_anything_runs(tmp_path, args, needle):
    db = tmp_path / "r.db"
    res = runner.invoke(app, [*args, "--store", str(db), "--out", str(tmp_path / "o")])
    assert res.exit_code == 2 and needle in res.output, res.output
    assert not db.exists()


def test_out_of_reach_claims_say_so():
    assert plan(["glu_variants"], "quick") == {"glu_variants": {}}
    assert set(available_claims()) >= set(CHEAP)


# ---------------------------------------------------------------------------- decision rules


def _c(name, a, b, level=0.95):
    return Contrast(name, paired(a, b, level=level))


def test_superiority_comes_out_each_way():
    base = [0.50, 0.52, 0.49, 0.51, 0.50, 0.53]
    up = [v + 0.10 + 0.005 * i for i, v in enumerate(base)]
    down = [v - 0.10 - 0.005 * i for i, v in enumerate(base)]
    same = [v + 0.001 * (-1) ** i for i, v in enumerate(base)]
    assert superiority([_c("x", up, base)], 0.01).verdict == SUPPORTED
    assert superiority([_c("x", down, base)], 0.0).verdict == NOT_SUPPORTED
    assert superiority([_c("x", same, base)], 0.01).verdict == NOT_SUPPORTED  # smaller than δ, excluded
    noisy = [v + 0.05 * (-1) ** i for i, v in enumerate(base)]
    assert superiority([_c("x", noisy, base)], 0.01).verdict == INCONCLUSIVE
    # every contrast must hold: one up, one inconclusive
    assert superiority([_c("x", up, base, 0.975), _c("y", noisy, base, 0.975)], 0.01).verdict == INCONCLUSIVE


def test_non_inferiority_and_equivalence_come_out_each_way():
    base = [0.50, 0.52, 0.49, 0.51, 0.50, 0.53]
    close = [v + 0.001 * (-1) ** i for i, v in enumerate(base)]
    worse = [v - 0.2 + 0.002 * i for i, v in enumerate(base)]
    assert non_inferiority([_c("x", close, base)], 0.05).verdict == SUPPORTED
    assert non_inferiority([_c("x", worse, base)], 0.05).verdict == NOT_SUPPORTED
    assert equivalence([_c("x", close, base, 0.9)], 0.05).verdict == SUPPORTED
    assert equivalence([_c("x", worse, base, 0.9)], 0.05).verdict == NOT_SUPPORTED
    d = equivalence([_c("x", [v + 0.1 * (-1) ** i for i, v in enumerate(base)], base, 0.9)], 0.05)
    assert d.verdict == INCONCLUSIVE and math.isfinite(d.ci[0])
