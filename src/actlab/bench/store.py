"""The results store of ``actlab bench``: one SQLite file (stdlib ``sqlite3``, WAL mode).

Layout (schema version 2; a version-1 store is upgraded in place when opened for writing):

- ``actlab_meta(key, value)``: ``application = "actlab-bench"`` (the marker that tells an actlab
  store from any other SQLite file), ``schema_version``, ``created``, ``created_by``;
- ``runs``: one row per finished run, keyed by the run's configuration hash
  (:attr:`actlab.bench.spec.RunSpec.key`);
- ``leases(key, owner, host, pid, expires, taken)``: runs a process has claimed and is running.
  A lease is renewed while its process lives (every ``ttl / 3`` seconds) and expires ``ttl``
  seconds after the last renewal, so the runs of a process that died are taken over by others;
  a lease whose owner is on this host and whose process no longer exists is taken over at once;
- ``processes(owner, host, pid, workers, cpus, heartbeat, started)``: the sweeps working on this
  store now, so that processes on one host divide its cores between them (see
  :meth:`Store.peer_workers`).

Safety rules:

- A file that is not SQLite, not an actlab store, of a newer schema, or corrupt raises
  :class:`StoreError` and is never written to (it is inspected read-only first).
- A run row is written in ONE transaction, only when the run has finished (ok, error or
  diverged). A crash, ``kill -9`` or a full disk in the middle of a write leaves the previous
  state: SQLite rolls the transaction back, so nothing finished is lost and nothing is
  half-written. A failed write raises :class:`StoreWriteError`; the run is simply run again by
  the next sweep.
- ``INSERT OR IGNORE`` on the key: a run recorded twice (two sweeps racing) is kept once.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

__all__ = ["RunRecord", "Store", "StoreError", "StoreWriteError", "APPLICATION", "SCHEMA_VERSION"]

APPLICATION = "actlab-bench"
SCHEMA_VERSION = 2
SQLITE_MAGIC = b"SQLite format 3\x00"
STATUSES = ("ok", "error", "diverged")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS actlab_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    key TEXT PRIMARY KEY,
    grp TEXT NOT NULL,
    task TEXT NOT NULL,
    activation TEXT NOT NULL,
    params TEXT NOT NULL,
    seed INTEGER NOT NULL,
    config TEXT NOT NULL,
    version TEXT NOT NULL,
    metric TEXT,
    higher_is_better INTEGER,
    status TEXT NOT NULL CHECK (status IN ('ok', 'error', 'diverged')),
    metrics TEXT NOT NULL,
    curves TEXT NOT NULL,
    predictions TEXT,
    error TEXT,
    wall_time REAL,
    time_per_step REAL,
    peak_memory INTEGER,
    memory_delta INTEGER,
    peak_gpu_memory INTEGER,
    threads INTEGER,
    attempts INTEGER,
    executor TEXT,
    host TEXT,
    versions TEXT NOT NULL,
    started REAL,
    finished REAL NOT NULL,
    saved_bytes REAL,
    correct TEXT
);
CREATE INDEX IF NOT EXISTS runs_task ON runs (task);
CREATE INDEX IF NOT EXISTS runs_grp ON runs (grp);
"""

# tables and columns added by schema version 2 (also applied to version-1 stores on upgrade)
_SCHEMA_V2 = """
CREATE TABLE IF NOT EXISTS leases (
    key TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    host TEXT NOT NULL,
    pid INTEGER NOT NULL,
    expires REAL NOT NULL,
    taken REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS processes (
    owner TEXT PRIMARY KEY,
    host TEXT NOT NULL,
    pid INTEGER NOT NULL,
    workers INTEGER NOT NULL,
    cpus TEXT NOT NULL,
    heartbeat REAL NOT NULL,
    started REAL NOT NULL
);
"""
_V2_COLUMNS = {"saved_bytes": "REAL", "correct": "TEXT"}


class StoreError(RuntimeError):
    """The file is not a usable actlab results store (not SQLite, foreign, newer schema, corrupt)."""


class StoreWriteError(RuntimeError):
    """Writing a finished run failed (e.g. disk full); everything committed before is intact."""


@dataclass
class RunRecord:
    """One finished run: what an executor returns, what the store writes and reads back.

    JSON columns (``params``, ``config``, ``metrics``, ``curves``, ``predictions``, ``correct``,
    ``versions``) are Python objects here. ``saved_bytes`` is the mean number of bytes the
    activation modules saved for backward per training step (saved-tensor hooks; see
    :mod:`actlab.bench.memory`); ``correct`` is, for classification tasks, 1/0 per test example
    (the test-set sampling error of the statistics is computed from it).
    """

    key: str
    group: str
    task: str
    activation: str
    params: dict[str, Any]
    seed: int
    config: dict[str, Any]
    version: str
    status: str
    metrics: dict[str, float] = field(default_factory=dict)
    curves: dict[str, list[float]] = field(default_factory=dict)
    predictions: list[int] | None = None
    error: str | None = None
    metric: str | None = None
    higher_is_better: bool | None = None
    wall_time: float | None = None
    time_per_step: float | None = None
    peak_memory: int | None = None
    memory_delta: int | None = None
    peak_gpu_memory: int | None = None
    threads: int | None = None
    attempts: int | None = None
    executor: str | None = None
    host: str | None = None
    versions: dict[str, str] = field(default_factory=dict)
    started: float | None = None
    finished: float = 0.0
    saved_bytes: float | None = None
    correct: list[int] | None = None

    @property
    def label(self) -> str:
        from actlab.bench.activations import label

        return label(self.activation, self.params)

    @classmethod
    def from_dict(cls, row: dict[str, Any]) -> RunRecord:
        """A record from a column dict (``grp`` or ``group``); unknown keys raise ``TypeError``."""
        d = dict(row)
        if "grp" in d:
            d["group"] = d.pop("grp")
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(d) - names)
        if unknown:
            raise TypeError(f"unknown run column(s): {', '.join(unknown)}")
        return cls(**d)

    # Read access by column name, for code written against the dict rows of earlier versions
    # (``row["status"]``, ``row.get("error")``, ``row.setdefault("executor", ...)``).
    def __getitem__(self, name: str) -> Any:
        name = "group" if name == "grp" else name
        try:
            return getattr(self, name)
        except AttributeError:
            raise KeyError(name) from None

    def get(self, name: str, default: Any = None) -> Any:
        v = getattr(self, "group" if name == "grp" else name, None)
        return default if v is None else v

    def setdefault(self, name: str, value: Any) -> Any:
        if getattr(self, name) is None:
            setattr(self, name, value)
        return getattr(self, name)


_COLUMNS = [
    "key", "grp", "task", "activation", "params", "seed", "config", "version", "metric",
    "higher_is_better", "status", "metrics", "curves", "predictions", "error", "wall_time",
    "time_per_step", "peak_memory", "memory_delta", "peak_gpu_memory", "threads", "attempts",
    "executor", "host", "versions", "started", "finished", "saved_bytes", "correct",
]  # fmt: skip
_JSON = {"params", "config", "metrics", "curves", "predictions", "versions", "correct"}


def _dumps(v: Any) -> str:
    # NaN/inf are legitimate metric values (a diverged run); Python's json writes and reads them
    return json.dumps(v, sort_keys=True, separators=(",", ":"))


def environment() -> dict[str, str]:
    """Versions recorded with every run."""
    import numpy
    import torch

    from actlab import __version__

    return {
        "actlab": __version__,
        "python": sys.version.split()[0],
        "torch": torch.__version__,
        "numpy": numpy.__version__,
        "platform": sys.platform,
    }


def hostname() -> str:
    return socket.gethostname()


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` exists on this host (a zombie counts as gone)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


class Store:
    """An actlab results store at ``path`` (created if missing). Use as a context manager."""

    def __init__(self, path: str | os.PathLike, *, create: bool = True, readonly: bool = False):
        self.path = Path(path)
        self.readonly = readonly
        exists = self.path.exists() and self.path.stat().st_size > 0
        if self.path.exists() and self.path.is_dir():
            raise StoreError(f"{self.path} is a directory, not an actlab results store")
        version = self._check_existing() if exists else None
        if not exists and (not create or readonly):
            raise StoreError(f"{self.path}: no such results store")
        if readonly:
            self.conn = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(str(self.path), timeout=30, isolation_level=None)
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            if not exists:
                self._create()
            elif version is not None and version < SCHEMA_VERSION:
                self._upgrade()
        self.conn.row_factory = sqlite3.Row

    # ------------------------------------------------------------------ opening safely

    def _check_existing(self) -> int:
        """Read-only inspection; raises :class:`StoreError` without touching the file. Returns
        the store's schema version."""
        with open(self.path, "rb") as f:
            head = f.read(len(SQLITE_MAGIC))
        if head != SQLITE_MAGIC:
            raise StoreError(
                f"{self.path} is not an actlab results store (not an SQLite database); "
                "refusing to touch it — pass another --store path"
            )
        # Without a -wal file beside it, open as immutable: SQLite then creates no -wal/-shm files,
        # so a foreign file's directory is left exactly as it was. With one (a store in use, or
        # killed before a checkpoint), the WAL holds committed data and must be read.
        wal = self.path.with_name(self.path.name + "-wal").exists()
        uri = f"{self.path.resolve().as_uri()}?mode=ro" + ("" if wal else "&immutable=1")
        try:
            conn = sqlite3.connect(uri, uri=True, timeout=30)
        except sqlite3.Error as e:
            raise StoreError(f"{self.path}: cannot open SQLite file ({e})") from None
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if "actlab_meta" not in tables:
                raise StoreError(
                    f"{self.path} is an SQLite database but not an actlab results store "
                    f"(tables: {', '.join(sorted(tables)) or 'none'}); refusing to touch it"
                )
            meta = dict(conn.execute("SELECT key, value FROM actlab_meta").fetchall())
            if meta.get("application") != APPLICATION:
                raise StoreError(
                    f"{self.path} is an SQLite database but not an actlab results store "
                    f"(application marker {meta.get('application')!r}); refusing to touch it"
                )
            try:
                version = int(meta.get("schema_version", "0"))
            except ValueError:
                version = 0
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{self.path} was written by a newer actlab (store schema {version}, this actlab "
                    f"reads up to {SCHEMA_VERSION}); upgrade actlab"
                )
            if version < 1 or "runs" not in tables:
                raise StoreError(f"{self.path}: actlab store with an invalid schema ({version})")
            check = conn.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise StoreError(f"{self.path}: the results store is corrupt ({check})")
            return version
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{self.path}: the results store is corrupt or unreadable ({e})") from None
        finally:
            conn.close()

    def _create(self) -> None:
        with self._transaction():
            for stmt in (_SCHEMA + _SCHEMA_V2).split(";"):
                if stmt.strip():
                    self.conn.execute(stmt)
            meta = {
                "application": APPLICATION,
                "schema_version": str(SCHEMA_VERSION),
                "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "created_by": environment()["actlab"],
            }
            self.conn.executemany("INSERT OR REPLACE INTO actlab_meta VALUES (?, ?)", meta.items())

    def _upgrade(self) -> None:
        """Schema 1 → 2: the lease and process tables and the ``saved_bytes``/``correct`` columns."""
        with self._transaction() as conn:
            have = {r[1] for r in conn.execute("PRAGMA table_info(runs)")}
            for col, kind in _V2_COLUMNS.items():
                if col not in have:
                    conn.execute(f"ALTER TABLE runs ADD COLUMN {col} {kind}")
            for stmt in _SCHEMA_V2.split(";"):
                if stmt.strip():
                    conn.execute(stmt)
            conn.execute("INSERT OR REPLACE INTO actlab_meta VALUES ('schema_version', "
                         "?)", (str(SCHEMA_VERSION),))

    class _Tx:
        def __init__(self, conn: sqlite3.Connection):
            self.conn = conn

        def __enter__(self) -> sqlite3.Connection:
            self.conn.execute("BEGIN IMMEDIATE")
            return self.conn

        def __exit__(self, exc_type, exc, tb) -> None:
            if exc_type is None:
                self.conn.execute("COMMIT")
            elif self.conn.in_transaction:
                self.conn.execute("ROLLBACK")

    def _transaction(self) -> Store._Tx:
        return Store._Tx(self.conn)

    # ------------------------------------------------------------------ API

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def meta(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT key, value FROM actlab_meta").fetchall())

    def finished_keys(self, include_errors: bool = True) -> set[str]:
        """Keys of recorded runs (``include_errors=False``: only ok and diverged ones)."""
        q = "SELECT key FROM runs" + ("" if include_errors else " WHERE status != 'error'")
        return {r[0] for r in self.conn.execute(q)}

    def __len__(self) -> int:
        return self.conn.execute("SELECT count(*) FROM runs").fetchone()[0]

    def record(self, row: RunRecord | dict[str, Any], *, replace: bool = False) -> bool:
        """Write one finished run in one transaction (releasing its lease). Returns False if its
        key was already there.

        ``row`` is a :class:`RunRecord` (or a dict of its columns, ``grp`` for the group).
        ``replace=True`` overwrites an existing row (used to retry errors).
        """
        if self.readonly:
            raise StoreError(f"{self.path} is open read-only")
        rec = row if isinstance(row, RunRecord) else RunRecord.from_dict(row)
        if rec.status not in STATUSES:
            raise ValueError(f"run status must be one of {STATUSES}, got {rec.status!r}")
        values = []
        for c in _COLUMNS:
            v = rec.group if c == "grp" else getattr(rec, c)
            if c in _JSON and v is not None:
                v = _dumps(v)
            if c == "higher_is_better" and v is not None:
                v = int(bool(v))
            values.append(v)
        verb = "INSERT OR REPLACE" if replace else "INSERT OR IGNORE"
        sql = f"{verb} INTO runs ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"
        try:
            with self._transaction() as conn:
                cur = conn.execute(sql, values)
                conn.execute("DELETE FROM leases WHERE key = ?", (rec.key,))
                return cur.rowcount == 1
        except sqlite3.Error as e:
            raise StoreWriteError(
                f"could not write the result of run {rec.key[:12]} to {self.path}: {e}. "
                "Runs recorded before are intact; rerun the same command to finish the sweep."
            ) from e

    def runs(
        self, task: str | None = None, status: str | None = None, keys: Iterable[str] | None = None
    ) -> list[RunRecord]:
        """Recorded runs (optionally of one task, one status, or only the given keys), ordered by
        task, activation, seed."""
        where, args = [], []
        if task is not None:
            where.append("task = ?")
            args.append(task)
        if status is not None:
            where.append("status = ?")
            args.append(status)
        if keys is not None:
            wanted = list(dict.fromkeys(keys))
            out: list[RunRecord] = []
            for i in range(0, len(wanted), 500):
                chunk = wanted[i : i + 500]
                cond = where + [f"key IN ({','.join('?' * len(chunk))})"]
                q = "SELECT * FROM runs WHERE " + " AND ".join(cond)
                out += [self._record(r) for r in self.conn.execute(q, args + chunk)]
            return sorted(out, key=lambda r: (r.task, r.activation, _dumps(r.params), r.seed))
        q = "SELECT * FROM runs"
        if where:
            q += " WHERE " + " AND ".join(where)
        q += " ORDER BY task, activation, params, seed"
        return [self._record(r) for r in self.conn.execute(q, args)]

    def __iter__(self) -> Iterator[RunRecord]:
        return iter(self.runs())

    @staticmethod
    def _record(r: sqlite3.Row) -> RunRecord:
        d = {k: r[k] for k in r.keys()}
        for c in _JSON:
            if d.get(c) is not None:
                d[c] = json.loads(d[c])
        if d.get("higher_is_better") is not None:
            d["higher_is_better"] = bool(d["higher_is_better"])
        return RunRecord.from_dict(d)

    # ------------------------------------------------------------------ leases

    def _has_lease_tables(self) -> bool:
        q = "SELECT count(*) FROM sqlite_master WHERE type='table' AND name IN ('leases', 'processes')"
        return self.conn.execute(q).fetchone()[0] == 2

    @staticmethod
    def _lease_live(row: sqlite3.Row | tuple, now: float, host: str) -> bool:
        owner_host, pid, expires = row[0], row[1], row[2]
        if expires < now:
            return False
        return not (owner_host == host and not pid_alive(int(pid)))

    def claim(self, key: str, owner: str, ttl: float, *, retry_errors: bool = False) -> str:
        """Try to claim run ``key`` for ``owner`` for ``ttl`` seconds, in one transaction.

        Returns ``"claimed"``; ``"done"`` when the run is already recorded (an error row counts
        unless ``retry_errors``); or ``"busy"`` when another live process holds its lease.
        A lease past its expiry, or held by a process of this host that no longer exists, is
        taken over.
        """
        host, now = hostname(), time.time()
        with self._transaction() as conn:
            row = conn.execute("SELECT status FROM runs WHERE key = ?", (key,)).fetchone()
            if row is not None and not (retry_errors and row[0] == "error"):
                return "done"
            lease = conn.execute("SELECT host, pid, expires, owner FROM leases WHERE key = "
                                 "?", (key,)).fetchone()
            if lease is not None and lease[3] != owner and self._lease_live(lease, now, host):
                return "busy"
            conn.execute(
                "INSERT OR REPLACE INTO leases (key, owner, host, pid, expires, taken) VALUES (?, ?, ?, "
                "?, ?, ?)",
                (key, owner, host, os.getpid(), now + ttl, now),
            )
        return "claimed"

    def renew(self, keys: Iterable[str], owner: str, ttl: float) -> None:
        """Extend ``owner``'s leases of ``keys`` to ``ttl`` seconds from now."""
        keys = list(keys)
        if not keys:
            return
        exp = time.time() + ttl
        with self._transaction() as conn:
            conn.executemany(
                "UPDATE leases SET expires = ? WHERE key = ? AND owner = ?", [(exp, k, owner) for k in keys]
            )

    def release(self, keys: Iterable[str], owner: str) -> None:
        """Drop ``owner``'s leases of ``keys`` (runs it will not finish)."""
        keys = list(keys)
        if keys:
            with self._transaction() as conn:
                conn.executemany("DELETE FROM leases WHERE key = ? AND owner = ?", [(k, owner) for k in keys])

    def leases(self) -> dict[str, tuple[str, str, int, float]]:
        """Current leases: ``key -> (owner, host, pid, expires)`` (live or not)."""
        if not self._has_lease_tables():
            return {}
        q = "SELECT key, owner, host, pid, expires FROM leases"
        return {r[0]: (r[1], r[2], int(r[3]), float(r[4])) for r in self.conn.execute(q)}

    # ------------------------------------------------------------------ processes

    def register_process(self, owner: str, workers: int, cpus: Iterable[int]) -> None:
        """Announce a sweep process (for :meth:`peer_workers`); renew with :meth:`heartbeat`."""
        now = time.time()
        with self._transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO processes (owner, host, pid, workers, cpus, heartbeat, started) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (owner, hostname(), os.getpid(), int(workers), _dumps(sorted(cpus)), now, now),
            )

    def heartbeat(self, owner: str) -> None:
        with self._transaction() as conn:
            conn.execute("UPDATE processes SET heartbeat = ? WHERE owner = ?", (time.time(), owner))

    def unregister_process(self, owner: str) -> None:
        with self._transaction() as conn:
            conn.execute("DELETE FROM processes WHERE owner = ?", (owner,))

    def peer_workers(self, owner: str, cpus: Iterable[int], ttl: float) -> int:
        """Worker processes of the *other* live sweeps on this host whose CPUs overlap ``cpus``."""
        if not self._has_lease_tables():
            return 0
        mine, host, now = set(cpus), hostname(), time.time()
        total = 0
        q = "SELECT owner, pid, workers, cpus, heartbeat FROM processes WHERE host = ?"
        for o, pid, workers, cpu_json, beat in self.conn.execute(q, (host,)):
            if o == owner or beat < now - ttl or not pid_alive(int(pid)):
                continue
            theirs = set(json.loads(cpu_json))
            if not theirs or theirs & mine:
                total += int(workers)
        return total
