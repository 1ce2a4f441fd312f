"""Several processes, one store: runs are claimed with leases, so processes share a sweep; the runs of a
process that died are taken over (at once on this host, after the lease expires elsewhere)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from actlab.bench.executors import LocalExecutor
from actlab.bench.runner import run_sweep
from actlab.bench.spec import expand_grid
from actlab.bench.store import Store
from tests.bench import fake_tasks  # noqa: F401  (registers the fake tasks)

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}

_SWEEP = """
import json, sys
from tests.bench import fake_tasks
from actlab.bench.spec import expand_grid
from actlab.bench.store import Store
from actlab.bench.runner import run_sweep
from actlab.bench.executors import LocalExecutor
specs = expand_grid(["fake_score"], ["relu", "tanh"], int(sys.argv[3]), preset="tiny",
                    overrides={"fake_score": {"sleep": float(sys.argv[2])}})
with Store(sys.argv[1]) as st:
    s = run_sweep(specs, st, LocalExecutor(workers=1, threads=1, warmup=False), quiet=True)
    print(json.dumps({"ran": s.ran, "by_others": s.by_others, "dup": s.duplicates}))
"""


def _start(db: Path, sleep: float, seeds: int = 4) -> subprocess.Popen:
    cmd = [sys.executable, "-c", _SWEEP, str(db), str(sleep), str(seeds)]
    return subprocess.Popen(cmd, cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True)


def test_two_processes_share_one_sweep_without_duplicates(tmp_path):
    db = tmp_path / "r.db"
    Store(db).close()
    procs = [_start(db, 0.4) for _ in range(2)]
    outs = [json.loads(p.communicate(timeout=300)[0].strip().splitlines()[-1]) for p in procs]
    with Store(db) as st:
        runs = st.runs()
        leases = st.leases()
    assert len(runs) == 8 and all(r.status == "ok" for r in runs)
    assert sum(o["ran"] for o in outs) == 8, outs  # 8 runs of compute for 8 results
    assert all(o["ran"] > 0 for o in outs) and all(o["dup"] == 0 for o in outs), outs
    assert not leases  # every lease was released when its run was recorded


def test_the_runs_of_a_killed_process_are_taken_over(tmp_path):
    db = tmp_path / "r.db"
    Store(db).close()
    victim = _start(db, 2.0, seeds=1)  # two runs of 2 s each: killed while holding a lease
    deadline = time.time() + 60
    while time.time() < deadline:
        with Store(db, readonly=True) as st:
            if st.leases():
                break
        time.sleep(0.05)
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    with Store(db) as st:
        held = st.leases()
        assert held and all(v[2] == victim.pid for v in held.values())
        specs = expand_grid(["fake_score"], ["relu", "tanh"], 1, preset="tiny",
                            overrides={"fake_score": {"sleep": 2.0}})  # the victim's sweep
        t0 = time.time()
        s = run_sweep(specs, st, LocalExecutor(workers=1, warmup=False), quiet=True)
        # the dead process's lease (this host, no such pid) is taken over at once, not after its 60 s
        assert s.ran + s.skipped == 2 and len(st) == 2 and time.time() - t0 < 30
        assert not st.leases()


def test_claim_semantics(tmp_path):
    with Store(tmp_path / "r.db") as st:
        assert st.claim("k1", "a", ttl=60) == "claimed"
        assert st.claim("k1", "a", ttl=60) == "claimed"  # its own lease: renewed
        assert st.claim("k1", "b", ttl=60) == "busy"  # a live process of this host holds it
        # a lease held on another host: busy until it expires, then taken over
        st.conn.execute("UPDATE leases SET host = 'elsewhere', pid = 1, expires = ? WHERE key = 'k1'",
                        (time.time() + 60,))  # fmt: skip
        assert st.claim("k1", "b", ttl=60) == "busy"
        st.conn.execute("UPDATE leases SET expires = ? WHERE key = 'k1'", (time.time() - 1,))
        assert st.claim("k1", "b", ttl=60) == "claimed"
        st.release(["k1"], "b")
        assert st.leases() == {}


def test_a_process_that_does_not_wait_leaves_held_runs_to_their_holder(tmp_path):
    specs = expand_grid(["fake_score"], ["relu"], 2, preset="tiny")
    with Store(tmp_path / "r.db") as st:
        st.claim(specs[0].key, "someone-else", ttl=600)
        st.conn.execute("UPDATE leases SET host = 'elsewhere'")
        s = run_sweep(specs, st, LocalExecutor(workers=1, warmup=False), quiet=True, wait=False)
        assert s.ran == 1 and len(st) == 1
