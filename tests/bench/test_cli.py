"""``actlab bench`` / ``actlab report`` on the command line: bad input exits 2 before any run."""

from __future__ import annotations

import os
import sqlite3

import pytest
from typer.testing import CliRunner

from actlab.bench.store import Store
from actlab.cli import app
from tests.bench import fake_tasks  # (registers the fake tasks)

runner = CliRunner()


def _bench(tmp_path, *args):
    db = tmp_path / "r.db"
    res = runner.invoke(
        app, ["bench", "--store", str(db), "--out", str(tmp_path / "rep"), "--workers", "1", "--quiet", *args]
    )
    return res, db


@pytest.mark.parametrize(
    "args, needles",
    [
        (["--tasks", "fake_scroe"], ["unknown task 'fake_scroe'", "fake_score"]),
        (["--tasks", "fake_score", "--activations", "relu,rleu"], ["unknown activation 'rleu'", "'relu'"]),
        (["--tasks", "fake_score", "--activations", "relu(slope=2)"], ["slope", "valid parameters"]),
        (["--tasks", "fake_score", "--activations", "relu(", "--seeds", "1"], ["unbalanced"]),
        (["--tasks", "fake_score", "--seeds", "0"], ["at least 1"]),
        (["--preset", "medium"], ["unknown preset 'medium'", "quick"]),
        (["--tasks", "fake_score", "--executor", "slurm"], ["unknown executor 'slurm'"]),
        (["--tasks", "fake_score", "--address", "auto"], ["--address is only used with --executor ray"]),
    ],
)
def test_bad_input_exits_2_before_any_run(tmp_path, args, needles):
    res, db = _bench(tmp_path, *args)
    assert res.exit_code == 2, res.output
    for n in needles:
        assert n in res.output, res.output
    assert not db.exists()  # nothing ran, not even the store was created


def test_out_of_range_parameter_exits_2(tmp_path):
    name, p, bad = fake_tasks.bounded_float_param()
    res, db = _bench(tmp_path, "--tasks", "fake_score", "--activations", f"{name}({p.name}={bad})")
    assert res.exit_code == 2 and p.name in res.output and not db.exists(), res.output


def test_foreign_store_exits_2_and_is_untouched(tmp_path):
    db = tmp_path / "r.db"
    c = sqlite3.connect(db)
    c.execute("CREATE TABLE important (x)")
    c.commit()
    c.close()
    before = (db.read_bytes(), os.stat(db).st_mtime_ns)
    res, _ = _bench(tmp_path, "--tasks", "fake_score", "--activations", "relu")
    assert res.exit_code == 2 and "not an actlab results store" in res.output, res.output
    res2 = runner.invoke(app, ["report", "--store", str(db), "--out", str(tmp_path / "o")])
    assert res2.exit_code == 2 and "not an actlab results store" in res2.output
    assert (db.read_bytes(), os.stat(db).st_mtime_ns) == before
    missing = str(tmp_path / "missing.db")
    res3 = runner.invoke(app, ["report", "--store", missing, "--out", str(tmp_path / "o")])
    assert res3.exit_code == 2 and "no such results store" in res3.output


def test_bench_then_resume_then_report(tmp_path):
    args = ["--tasks", "fake_score,fake_raise", "--activations", "relu", "--seeds", "2"]
    res, db = _bench(tmp_path, *args)
    assert res.exit_code == 0, res.output
    assert "4 runs planned, 0 already in the store, 4 ran (3 ok, 0 diverged, 1 errors)" in res.output
    assert "error in fake_raise/relu seed=1: RuntimeError: boom" in res.output
    assert (tmp_path / "rep" / "report.html").exists() and (tmp_path / "rep" / "report.md").exists()
    res, _ = _bench(tmp_path, *args)
    assert "4 runs planned, 4 already in the store, 0 ran" in res.output, res.output
    with Store(db) as st:
        assert len(st) == 4
    out = tmp_path / "again"
    res = runner.invoke(app, ["report", "--store", str(db), "--out", str(out)])
    assert res.exit_code == 0 and (out / "report.html").exists()
    md = (out / "report.md").read_text()
    assert "## fake\\_score" in md and "## fake\\_raise" in md and "boom" in md  # store names are escaped
    html = (out / "report.html").read_text()
    assert '<h2 id="fake-score">fake_score</h2>' in html


USER_TASK = """
from actlab.bench.tasks import TaskResult


def score(make_act, seed, config):
    import torch
    x = torch.linspace(-2, 2, 32)
    return float(make_act()(x).mean()) + 0.01 * seed


score.config = {"n": 1}
score.metric = "mean_output"
"""


def test_bench_accepts_a_users_task_module_attr(tmp_path, monkeypatch):
    """--tasks mypkg.tasks:my_task (as actlab search accepts): a function of the user's own module."""
    (tmp_path / "mytasks.py").write_text(USER_TASK)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("PYTHONPATH", f"{tmp_path}{os.pathsep}{os.environ.get('PYTHONPATH', '')}")
    res, db = _bench(tmp_path, "--tasks", "mytasks:score", "--activations", "relu,tanh", "--seeds", "2")
    assert res.exit_code == 0, res.output
    with Store(db) as st:
        runs = st.runs()
    assert {r.task for r in runs} == {"mytasks:score"} and len(runs) == 4
    assert all(r.status == "ok" and r.metric == "mean_output" for r in runs)
    # in worker processes the task is found from its name alone
    args = ["bench", "--store", str(tmp_path / "w.db"), "--out", str(tmp_path / "rep2"), "--workers", "2",
            "--quiet", "--tasks", "mytasks:score", "--activations", "gelu", "--seeds", "2"]  # fmt: skip
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    with Store(tmp_path / "w.db") as st:
        assert len(st) == 2 and all(r.status == "ok" for r in st.runs()), [r.error for r in st.runs()]
    res, _ = _bench(tmp_path, "--tasks", "mytasks:nothere")
    assert res.exit_code == 2 and "has no attribute" in res.output
