"""The Ray executor against a REAL local Ray cluster (``ray start --head`` in a subprocess).

One cluster per module; the driver joins it by address, as on an existing cluster.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

pytest.importorskip("ray")

from typer.testing import CliRunner  # noqa: E402

from actlab.bench.executors import RayExecutor  # noqa: E402
from actlab.bench.runner import run_sweep  # noqa: E402
from actlab.bench.spec import expand_grid  # noqa: E402
from actlab.bench.store import Store  # noqa: E402
from actlab.cli import app  # noqa: E402
from tests.bench import fake_tasks  # noqa: E402, F401  (registers the fake tasks)

ROOT = Path(__file__).resolve().parents[2]
RAY_ENV = {"RAY_AUTH_MODE": "disabled", "RAY_USAGE_STATS_ENABLED": "0"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _kill_leftovers(marker: str) -> None:
    """Kill (by pid) any process of this test cluster still alive: its command line names our temp dir."""
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if marker in cmd:
            try:
                os.kill(int(pid), signal.SIGKILL)
            except OSError:
                pass


@pytest.fixture(scope="module")
def cluster():
    ray_bin = Path(sys.executable).with_name("ray")
    temp = tempfile.mkdtemp(prefix="rt", dir="/tmp")  # short: Ray's socket paths must stay < 108 chars
    port = _free_port()
    saved = {k: os.environ.get(k) for k in RAY_ENV}
    os.environ.update(RAY_ENV)
    log = open(Path(temp) / "start.log", "w")
    proc = subprocess.Popen(
        [str(ray_bin), "start", "--head", "--block", f"--port={port}", "--node-ip-address=127.0.0.1",
         "--num-cpus=2", "--include-dashboard=false", "--object-store-memory=100000000",
         "--disable-usage-stats", f"--temp-dir={temp}"],
        stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.time() + 180
        while "Ray runtime started" not in (Path(temp) / "start.log").read_text():
            if proc.poll() is not None or time.time() > deadline:
                pytest.fail("ray start failed:\n" + (Path(temp) / "start.log").read_text()[-3000:])
            time.sleep(0.5)
        yield f"127.0.0.1:{port}"
    finally:
        proc.send_signal(signal.SIGTERM)  # `ray start --block` stops its processes on SIGTERM
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
        _kill_leftovers(temp)
        log.close()
        shutil.rmtree(temp, ignore_errors=True)
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def test_sweep_on_ray_records_errors_and_retries_dead_workers(cluster, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)  # Ray workers import the fake tasks from the driver's directory
    specs = expand_grid(["fake_score", "fake_raise"], ["relu"], 2, preset="tiny")
    specs += expand_grid(
        ["fake_crash_once"], ["relu"], 1, preset="tiny",
        overrides={"fake_crash_once": {"marker_dir": str(tmp_path)}},
    )  # fmt: skip
    with Store(tmp_path / "r.db") as st:
        s = run_sweep(specs, st, RayExecutor(address=cluster, max_retries=2), quiet=True)
        assert (s.ok, s.error, s.diverged) == (4, 1, 0), s.errors
        rows = {(r.task, r.seed): r for r in st.runs()}
        assert all(r.executor == "ray" for r in rows.values())
        assert "boom" in rows[("fake_raise", 1)].error
        crash = rows[("fake_crash_once", 0)]
        assert crash.status == "ok"
        pids = (tmp_path / "attempts0").read_text().split()
        assert len(pids) == 2 and pids[0] != pids[1]  # the first worker died; Ray retried on another
        # identical to an in-process run of the same spec (only the driver wrote the store)
        from actlab.bench.executors import execute

        local = execute(specs[0], ["tests.bench.fake_tasks"])
        assert rows[("fake_score", 0)].metrics == local["metrics"]
        # resumable on Ray too
        assert run_sweep(specs, st, RayExecutor(address=cluster), quiet=True).ran == 0


def test_cli_bench_with_ray_address(cluster, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    db, out = tmp_path / "cli.db", tmp_path / "report"
    args = ["bench", "--tasks", "fake_score", "--activations", "relu", "--seeds", "3", "--store", str(db),
            "--executor", "ray", "--address", cluster, "--out", str(out), "--quiet"]  # fmt: skip
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    with Store(db) as st:
        assert len(st) == 3 and {r.status for r in st.runs()} == {"ok"}
    assert (out / "report.html").stat().st_size > 1000
