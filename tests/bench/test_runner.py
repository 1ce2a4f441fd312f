"""The sweep runner and the local executor: resume, errors, divergence, memory, kill -9, full disk."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from actlab.bench.executors import LocalExecutor, execute
from actlab.bench.runner import run_sweep
from actlab.bench.spec import RunSpec, expand_grid
from actlab.bench.store import Store, StoreWriteError
from tests.bench import fake_tasks  # noqa: F401  (registers the fake tasks)

ROOT = Path(__file__).resolve().parents[2]
MB = 1024 * 1024


def _rows(store: Store) -> dict[str, tuple]:
    return {r.key: (r.status, r.metrics.get("test_metric"), r.finished) for r in store.runs()}


def test_sweep_records_resumes_and_skips(tmp_path):
    specs = expand_grid(["fake_score"], ["relu"], 3, preset="tiny")
    with Store(tmp_path / "r.db") as st:
        s1 = run_sweep(specs[:2], st, LocalExecutor(workers=1), quiet=True)
        assert (s1.planned, s1.skipped, s1.ok) == (2, 0, 2)
        first = _rows(st)
        s2 = run_sweep(specs, st, LocalExecutor(workers=1), quiet=True)
        assert (s2.planned, s2.skipped, s2.ok) == (3, 2, 1)
        rows = _rows(st)
        assert len(rows) == 3 and all(rows[k] == v for k, v in first.items())
        r = st.runs()[0]
        assert r.status == "ok" and r.metric == "score" and r.higher_is_better is True
        assert r.wall_time > 0 and r.time_per_step == pytest.approx(r.wall_time / 5)
        assert r.versions["torch"] and r.host and r.executor == "local" and r.attempts == 1
        assert r.predictions and len(r.predictions) == 64
        s3 = run_sweep(specs, st, LocalExecutor(workers=1), quiet=True)
        assert (s3.skipped, s3.ran) == (3, 0)


def test_errors_and_divergence_are_recorded_and_the_sweep_goes_on(tmp_path, capsys):
    specs = expand_grid(["fake_raise", "fake_diverge"], ["relu"], 3, preset="tiny")
    with Store(tmp_path / "r.db") as st:
        s = run_sweep(specs, st, LocalExecutor(workers=1), quiet=True)
        assert (s.ok, s.error, s.diverged) == (4, 1, 1)
        by = {(r.task, r.seed): r for r in st.runs()}
        err = by[("fake_raise", 1)]
        assert err.status == "error" and "RuntimeError: boom: seed 1 always fails" in err.error
        assert "Traceback" in err.error and err.metrics == {}
        div = by[("fake_diverge", 0)]
        assert div.status == "diverged" and div.metrics["test_metric"] != div.metrics["test_metric"]
        assert by[("fake_raise", 2)].status == "ok"
        # errors count as finished; retry_errors re-runs (and replaces) them
        assert run_sweep(specs, st, LocalExecutor(workers=1), quiet=True).ran == 0
        again = run_sweep(specs, st, LocalExecutor(workers=1), quiet=True, retry_errors=True)
        assert (again.ran, again.error) == (1, 1) and len(st) == 6
    assert "boom" in capsys.readouterr().err  # --quiet logs one line per run, errors included


def test_a_run_leaves_the_callers_torch_as_it_found_it():
    """In-process runs seed the global generators and turn on deterministic algorithms: both are
    restored afterwards (deterministic mode would otherwise fill every new tensor with NaN)."""
    import numpy as np
    import torch

    torch.manual_seed(123)
    before = (torch.get_rng_state(), np.random.get_state()[1].copy(), random.getstate())
    assert not torch.are_deterministic_algorithms_enabled()
    rec = execute(RunSpec("fake_seeded", "relu", {}, 7, {"n": 8, "sleep": 0.0}), ["tests.bench.fake_tasks"])
    assert rec["status"] == "ok"
    assert not torch.are_deterministic_algorithms_enabled()
    assert torch.equal(torch.get_rng_state(), before[0])
    assert (np.random.get_state()[1] == before[1]).all() and random.getstate() == before[2]


def test_peak_memory_accounts_for_the_run():
    """memory_delta is what the run itself added to the resident set (high-water mark reset per run)."""
    if not os.path.exists("/proc/self/clear_refs"):
        pytest.skip("needs Linux /proc")
    big = RunSpec("fake_memory", "relu", {}, 0, {"n": 64, "sleep": 0.0, "mb": 300})
    small = RunSpec("fake_memory", "relu", {}, 0, {"n": 64, "sleep": 0.0, "mb": 0})
    rb = execute(big, ["tests.bench.fake_tasks"])
    rs = execute(small, ["tests.bench.fake_tasks"])  # after the big one: the peak was reset
    assert rb["status"] == rs["status"] == "ok"
    assert rb["memory_delta"] >= 290 * MB, rb["memory_delta"] / MB
    assert rb["peak_memory"] >= rb["memory_delta"]
    assert rs["memory_delta"] < 50 * MB, rs["memory_delta"] / MB
    assert rs["peak_memory"] < rb["peak_memory"]


def test_worker_pool_matches_sequential_and_retries_dead_workers(tmp_path):
    """Two spawned workers give the same results as in-process runs; a worker killed mid-run is retried."""
    specs = expand_grid(["fake_score", "fake_raise"], ["relu"], 2, preset="tiny")
    crash = expand_grid(
        ["fake_crash_once"], ["relu"], 1, preset="tiny",
        overrides={"fake_crash_once": {"marker_dir": str(tmp_path)}},
    )  # fmt: skip
    with Store(tmp_path / "seq.db") as seq, Store(tmp_path / "par.db") as par:
        run_sweep(specs, seq, LocalExecutor(workers=1), quiet=True)
        s = run_sweep(specs + crash, par, LocalExecutor(workers=2, max_retries=2), quiet=True)
        assert (s.ok, s.error) == (4, 1)
        a = {r.key: (r.status, r.metrics, r.predictions) for r in seq.runs()}
        b = {r.key: (r.status, r.metrics, r.predictions) for r in par.runs() if r.task != "fake_crash_once"}
        assert a == b
        (c,) = par.runs(task="fake_crash_once")
        assert c.status == "ok" and c.attempts == 2
        assert len((tmp_path / "attempts0").read_text().split()) == 2  # killed once, then succeeded


_KILL_SCRIPT = """
import sys
from tests.bench import fake_tasks
from actlab.bench.spec import expand_grid
from actlab.bench.store import Store
from actlab.bench.runner import run_sweep
from actlab.bench.executors import LocalExecutor
specs = expand_grid(["fake_score"], ["relu"], 12, preset="tiny", overrides={"fake_score": {"sleep": 0.15}})
with Store(sys.argv[1]) as st:
    run_sweep(specs, st, LocalExecutor(workers=int(sys.argv[2]), threads=1), quiet=True)
"""


def _children(pid: int) -> set[int]:
    try:
        return {int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
    except OSError:
        return set()


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


@pytest.mark.parametrize("workers", [1, 2])
def test_kill_9_at_a_random_moment_then_resume(tmp_path, workers):
    db = tmp_path / "r.db"
    rng = random.Random()
    seed = rng.randrange(10**6)
    rng.seed(seed)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", _KILL_SCRIPT, str(db), str(workers)], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    deadline = time.time() + 120
    while time.time() < deadline:  # wait until the sweep is under way (at least one run recorded)
        if db.exists():
            try:
                with Store(db, readonly=True) as st:
                    if len(st) >= 1:
                        break
            except Exception:  # noqa: BLE001 - the file is being created
                pass
        assert proc.poll() is None, proc.stderr.read().decode()
        time.sleep(0.05)
    time.sleep(rng.uniform(0.0, 1.0 / workers))  # then at a random moment (seed printed on failure)
    children = _children(proc.pid)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, f"sweep ended before the kill (seed {seed})"
    deadline = time.time() + 30  # worker processes notice their driver is gone and exit
    while any(_alive(c) for c in children) and time.time() < deadline:
        time.sleep(0.1)
    left = {c: Path(f"/proc/{c}/cmdline").read_bytes()[:100] for c in children if _alive(c)}
    assert not left, f"orphaned worker processes: {left}"

    with Store(db) as st:
        before = _rows(st)
        assert 1 <= len(before) < 12, f"seed {seed}: {len(before)} runs"
        assert st.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        over = {"fake_score": {"sleep": 0.15}}
        specs = expand_grid(["fake_score"], ["relu"], 12, preset="tiny", overrides=over)
        s = run_sweep(specs, st, LocalExecutor(workers=1), quiet=True)
        after = _rows(st)
    assert s.skipped == len(before) and s.ran == 12 - len(before) and s.duplicates == 0
    assert len(after) == 12 and set(after) == {sp.key for sp in specs}
    assert all(after[k] == v for k, v in before.items()), f"seed {seed}: a finished run changed"


def test_disk_full_mid_sweep_loses_nothing_finished(tmp_path):
    db = tmp_path / "r.db"
    specs = expand_grid(["fake_big"], ["relu"], 5, preset="tiny")

    with Store(db) as st:
        def fill_disk(row):
            if len(st) == 2:  # after two runs are recorded the disk is "full"
                pages = st.conn.execute("PRAGMA page_count").fetchone()[0]
                st.conn.execute(f"PRAGMA max_page_count = {pages}")

        with pytest.raises(StoreWriteError, match="disk is full"):
            run_sweep(specs, st, LocalExecutor(workers=1), quiet=True, on_result=fill_disk)
        kept = _rows(st)
        assert len(kept) == 2
    with Store(db) as st:
        s = run_sweep(specs, st, LocalExecutor(workers=1), quiet=True)
        assert (s.skipped, s.ran) == (2, 3)
        rows = _rows(st)
        assert len(rows) == 5 and all(rows[k] == v for k, v in kept.items())
