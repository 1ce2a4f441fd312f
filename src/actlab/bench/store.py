"""The results store of ``actlab bench``: one SQLite file (stdlib ``sqlite3``, WAL mode).

Layout (schema version 1):

- ``actlab_meta(key, value)``: ``application = "actlab-bench"`` (the marker that tells an actlab
  store from any other SQLite file), ``schema_version``, ``created``, ``created_by``;
- ``runs``: one row per finished run, keyed by the run's configuration hash
  (:attr:`actlab.bench.spec.RunSpec.key`).

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
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["RunRecord", "Store", "StoreError", "StoreWriteError", "APPLICATION", "SCHEMA_VERSION"]

APPLICATION = "actlab-bench"
SCHEMA_VERSION = 1
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
    finished REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_task ON runs (task);
CREATE INDEX IF NOT EXISTS runs_grp ON runs (grp);
"""


class StoreError(RuntimeError):
    """The file is not a usable actlab results store (not SQLite, foreign, newer schema, corrupt)."""


class StoreWriteError(RuntimeError):
    """Writing a finished run failed (e.g. disk full); everything committed before is intact."""


@dataclass
class RunRecord:
    """One finished run as stored (JSON columns decoded)."""

    key: str
    group: str
    task: str
    activation: str
    params: dict[str, Any]
    seed: int
    config: dict[str, Any]
    version: str
    status: str
    metrics: dict[str, float]
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

    @property
    def label(self) -> str:
        from actlab.bench.activations import label

        return label(self.activation, self.params)


_COLUMNS = [
    "key", "grp", "task", "activation", "params", "seed", "config", "version", "metric",
    "higher_is_better", "status", "metrics", "curves", "predictions", "error", "wall_time",
    "time_per_step", "peak_memory", "memory_delta", "peak_gpu_memory", "threads", "attempts",
    "executor", "host", "versions", "started", "finished",
]  # fmt: skip
_JSON = {"params", "config", "metrics", "curves", "predictions", "versions"}


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


class Store:
    """An actlab results store at ``path`` (created if missing). Use as a context manager."""

    def __init__(self, path: str | os.PathLike, *, create: bool = True, readonly: bool = False):
        self.path = Path(path)
        self.readonly = readonly
        exists = self.path.exists() and self.path.stat().st_size > 0
        if self.path.exists() and self.path.is_dir():
            raise StoreError(f"{self.path} is a directory, not an actlab results store")
        if exists:
            self._check_existing()
        elif not create or readonly:
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
        self.conn.row_factory = sqlite3.Row

    # ------------------------------------------------------------------ opening safely

    def _check_existing(self) -> None:
        """Read-only inspection; raises :class:`StoreError` without touching the file."""
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
            version = int(meta.get("schema_version", "0"))
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
        except sqlite3.DatabaseError as e:
            raise StoreError(f"{self.path}: the results store is corrupt or unreadable ({e})") from None
        finally:
            conn.close()

    def _create(self) -> None:
        with self._transaction():
            for stmt in _SCHEMA.split(";"):
                if stmt.strip():
                    self.conn.execute(stmt)
            meta = {
                "application": APPLICATION,
                "schema_version": str(SCHEMA_VERSION),
                "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "created_by": environment()["actlab"],
            }
            self.conn.executemany("INSERT OR REPLACE INTO actlab_meta VALUES (?, ?)", meta.items())

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

    def record(self, row: dict[str, Any], *, replace: bool = False) -> bool:
        """Write one finished run in one transaction. Returns False if its key was already there.

        ``row`` holds the columns of ``runs`` (JSON columns as Python objects; missing optional
        columns are NULL). ``replace=True`` overwrites an existing row (used to retry errors).
        """
        if self.readonly:
            raise StoreError(f"{self.path} is open read-only")
        if row.get("status") not in STATUSES:
            raise ValueError(f"run status must be one of {STATUSES}, got {row.get('status')!r}")
        values = []
        for c in _COLUMNS:
            v = row.get(c)
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
                return cur.rowcount == 1
        except sqlite3.Error as e:
            raise StoreWriteError(
                f"could not write the result of run {row.get('key', '?')[:12]} to {self.path}: {e}. "
                "Runs recorded before are intact; rerun the same command to finish the sweep."
            ) from e

    def runs(self, task: str | None = None, status: str | None = None) -> list[RunRecord]:
        """Recorded runs, ordered by task, activation, seed."""
        q, args = "SELECT * FROM runs", []
        where = []
        if task is not None:
            where.append("task = ?")
            args.append(task)
        if status is not None:
            where.append("status = ?")
            args.append(status)
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
        d["group"] = d.pop("grp")
        if d.get("higher_is_better") is not None:
            d["higher_is_better"] = bool(d["higher_is_better"])
        return RunRecord(**d)
