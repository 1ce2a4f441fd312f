"""End-to-end searches on a cheap user task: evolution, resume after SIGKILL, report, export, Ray."""

from __future__ import annotations

import json
import math
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from actlab.search.engine import SearchConfig, parse_rungs, run_search

ROOT = Path(__file__).resolve().parents[2]
TASK = "tests.search.cheap_task:fit"
CLI_ARGS = ["--task", TASK, "--budget", "6", "--population", "3", "--batch", "2",
            "--rungs", "tiny:1,tiny:2:3", "--top", "2", "--seed", "3"]  # fmt: skip
CFG = SearchConfig(
    strategy="evolution", budget=6, task=TASK, seed=3, population=3, tournament=3, batch=2,
    rungs=parse_rungs("tiny:1,tiny:2:3"), top=2,
)  # fmt: skip


def _candidates(db: Path) -> list[tuple]:
    with sqlite3.connect(db) as c:
        return c.execute(
            "SELECT idx, expr, status, fingerprint, identity, run_key FROM search_candidates ORDER BY idx"
        ).fetchall()


def _run_keys(db: Path) -> list[str]:
    with sqlite3.connect(db) as c:
        return [r[0] for r in c.execute("SELECT key FROM runs")]


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    """One uninterrupted search (in this process, local executor)."""
    db = tmp_path_factory.mktemp("search") / "a.db"
    summary = run_search(CFG, db, quiet=True)
    return db, summary


def test_evolution_completes_and_records_identities(finished):
    db, summary = finished
    rows = _candidates(db)
    trained = [r for r in rows if r[2] == "trained"]
    assert len(trained) == CFG.budget
    assert {r[2] for r in rows} <= {"trained", "rejected", "duplicate"}
    for _, _expr, status, fp, ident, key in rows:
        ident = json.loads(ident)
        assert ident["kind"] in ("exact", "near", "new") and ident["fingerprint"] == fp
        assert (key is not None) == (status == "trained")
    keys = set(_run_keys(db))
    assert {r[5] for r in trained} <= keys  # every trained candidate is a bench run in the store
    assert len(summary["final"]) == 2 and summary["baselines"] == ["relu", "silu"]
    assert summary["rungs"][1]["activations"][:2] == summary["final"]
    assert summary["counts"]["trained"] == CFG.budget
    # rung 1 ran the 3 best and both baselines with 2 seeds each (the first seed of the 3 was rung 0's)
    assert len(keys) == CFG.budget + 3 + 2 * 2


def test_rerun_resumes_without_training(finished):
    db, summary = finished
    n = len(_run_keys(db))
    again = run_search(CFG, db, quiet=True)
    assert again["final"] == summary["final"] and len(_run_keys(db)) == n


def test_resume_after_sigkill(finished, tmp_path):
    reference = [(r[0], r[1], r[2]) for r in _candidates(finished[0])]
    db = tmp_path / "b.db"
    cmd = [sys.executable, "-m", "actlab.cli", "search", "run", *CLI_ARGS, "--store", str(db), "--quiet"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"search ended before it was killed: {proc.stderr.read().decode()[-2000:]}")
            if db.exists():
                try:
                    if sum(r[2] == "trained" for r in _candidates(db)) >= 2:
                        break
                except sqlite3.OperationalError:  # tables not created yet
                    pass
            time.sleep(0.1)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    partial = _candidates(db)
    assert 2 <= sum(r[2] == "trained" for r in partial) < CFG.budget
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT status FROM search").fetchone()[0] == "running"
    summary = run_search(CFG, db, quiet=True)
    resumed = [(r[0], r[1], r[2]) for r in _candidates(db)]
    assert resumed == reference  # the same candidates in the same order as an uninterrupted search
    assert summary["final"] == finished[1]["final"]
    keys = _run_keys(db)
    assert len(keys) == len(set(keys)) == len(_run_keys(finished[0]))


def test_report_section_and_export(finished, tmp_path):
    from actlab.bench.report import write_report
    from actlab.catalog.registry import REGISTRY
    from actlab.search.results import export_snippet

    db, summary = finished
    md, html = write_report(db, tmp_path / "rep")
    text = md.read_text()
    assert "## Searches (`actlab search`)" in text and CFG.id in text
    assert "vs ReLU" in text and "Swish family" in text
    assert (tmp_path / "rep" / "plots" / f"search-{CFG.id}.png").is_file()
    assert "data:image/png;base64" in html.read_text()
    snippet = export_snippet(db, "test_search_export")
    best = summary["final"][0].removeprefix("expr:")
    assert repr(best) in snippet and "actlab.register_expression(" in snippet
    try:
        exec(compile(snippet, "snippet", "exec"), {})
        spec = REGISTRY["test_search_export"]
        assert spec.formula_text == best.split(";")[0].strip()
        assert spec.citation.authors == "actlab search" and CFG.id in spec.citation.title
    finally:
        REGISTRY.pop("test_search_export", None)
    with pytest.raises(ValueError):
        export_snippet(db, "relu")  # an existing catalog name


def test_exhaustive_small_space(tmp_path):
    cfg = SearchConfig(strategy="exhaustive", budget=4, task=TASK, space="small", rungs=parse_rungs("tiny:1"),
                       top=2, batch=4)  # fmt: skip
    summary = run_search(cfg, tmp_path / "e.db", quiet=True)
    rows = _candidates(tmp_path / "e.db")
    assert sum(r[2] == "trained" for r in rows) == 4
    assert rows[0][1] == "x + x"  # enumeration order: add(x, x) first
    assert len(summary["final"]) == 2


def test_bad_input_is_rejected_before_running(tmp_path):
    with pytest.raises(ValueError):
        run_search(SearchConfig(strategy="nope"), tmp_path / "x.db")
    with pytest.raises(LookupError):
        run_search(SearchConfig(task="no_such_task", budget=1), tmp_path / "x.db")
    with pytest.raises(LookupError):
        run_search(SearchConfig(task="tests.search.cheap_task:nope", budget=1), tmp_path / "x.db")


@pytest.mark.timeout(300)
def test_ray_executor_local_cluster(tmp_path):
    ray = pytest.importorskip("ray")
    cfg = SearchConfig(
        strategy="random", budget=3, task=TASK, seed=1, batch=3, rungs=parse_rungs("tiny:1"), top=2
    )
    ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False,
             runtime_env={"env_vars": {"PYTHONPATH": str(ROOT)}})  # fmt: skip
    try:
        summary = run_search(cfg, tmp_path / "r.db", executor="ray", quiet=True)
    finally:
        ray.shutdown()
    with sqlite3.connect(tmp_path / "r.db") as c:
        rows = c.execute("SELECT executor, status, metrics FROM runs").fetchall()
    assert len(rows) == 3 and all(r[0] == "ray" and r[1] in ("ok", "diverged") for r in rows)
    assert all(math.isfinite(json.loads(r[2])["test_metric"]) for r in rows if r[1] == "ok")
    assert len(summary["final"]) == 2


def test_cli_identify_and_export(finished, tmp_path):
    from typer.testing import CliRunner

    from actlab.cli import app

    runner = CliRunner()
    r = runner.invoke(app, ["search", "identify", "x/(1 + exp(-x))"])
    assert r.exit_code == 0 and "this is silu" in r.output
    r = runner.invoke(app, ["search", "identify", "2*(3*x)*tanh(3*x) + 1", "--json"])
    assert r.exit_code == 0 and json.loads(r.output)["kind"] == "near"
    r = runner.invoke(app, ["search", "identify", "x +"])
    assert r.exit_code == 2
    out = tmp_path / "snippet.py"
    args = ["search", "export", "test_cli_export", "--store", str(finished[0]), "--out", str(out)]
    r = runner.invoke(app, args)
    assert r.exit_code == 0 and "register_expression" in out.read_text()
    r = runner.invoke(app, ["search", "run", "--strategy", "nope", "--store", str(tmp_path / "z.db")])
    assert r.exit_code == 2
