"""Search state in the bench's SQLite results store: two extra tables beside ``runs``.

- ``search(id, config, created, updated, status, sessions, summary)``: one row per search
  (``config``/``sessions``/``summary`` are JSON; ``sessions`` lists, per invocation, its wall time
  and how many evaluations it ran, for the evaluations-per-hour figure);
- ``search_candidates(search_id, idx, expr, genome, fingerprint, identity, verdict, status,
  duplicate_of, run_key, fitness)``: every proposed candidate, in proposal order, with its identity
  (:class:`~actlab.search.identify.Identity` as JSON), its rejection verdict and rung-0 result.

Each write is one transaction, so a killed search leaves complete rows only. The evaluations
themselves are ordinary bench runs in ``runs`` (keyed by their configuration hash).
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass
from typing import Any

from actlab.bench.store import Store

__all__ = ["CandidateRow", "SearchTables"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS search (
    id TEXT PRIMARY KEY,
    config TEXT NOT NULL,
    created REAL NOT NULL,
    updated REAL NOT NULL,
    status TEXT NOT NULL,
    sessions TEXT NOT NULL,
    summary TEXT
);
CREATE TABLE IF NOT EXISTS search_candidates (
    search_id TEXT NOT NULL,
    idx INTEGER NOT NULL,
    expr TEXT NOT NULL,
    genome TEXT,
    fingerprint TEXT NOT NULL,
    identity TEXT NOT NULL,
    verdict TEXT NOT NULL,
    status TEXT NOT NULL,
    duplicate_of INTEGER,
    run_key TEXT,
    fitness REAL,
    PRIMARY KEY (search_id, idx)
)
"""


def _json(v: Any) -> str:
    return json.dumps(v, sort_keys=True, separators=(",", ":"))


@dataclass
class CandidateRow:
    """One proposed candidate. ``status``: ``rejected``, ``duplicate``, ``trained`` (rung 0 ran)."""

    idx: int
    expr: str
    genome: list | None
    fingerprint: str
    identity: dict[str, Any]
    verdict: dict[str, Any]
    status: str
    duplicate_of: int | None = None
    run_key: str | None = None
    fitness: float | None = None


class SearchTables:
    """Access to the search tables of ``store`` (created on first write)."""

    def __init__(self, store: Store):
        self.store = store
        self.conn = store.conn

    def exists(self) -> bool:
        q = "SELECT name FROM sqlite_master WHERE type='table' AND name='search'"
        return self.conn.execute(q).fetchone() is not None

    def create(self) -> None:
        if self.exists():
            return
        with self.store._transaction():
            for stmt in _SCHEMA.split(";"):
                if stmt.strip():
                    self.conn.execute(stmt)

    def _tx(self, sql: str, rows: list[tuple]) -> None:
        with self.store._transaction():
            self.conn.executemany(sql, rows)

    # ------------------------------------------------------------------ searches

    def start(self, search_id: str, config: dict[str, Any]) -> None:
        """Create the search row (or mark an existing one as running again)."""
        now = time.time()
        row = self.search(search_id)
        if row is None:
            self._tx(
                "INSERT INTO search (id, config, created, updated, status, sessions, summary) "
                "VALUES (?, ?, ?, ?, ?, ?, NULL)",
                [(search_id, _json(config), now, now, "running", "[]")],
            )
        else:
            self._tx("UPDATE search SET status = ?, updated = ? WHERE id = ?", [("running", now, search_id)])

    def update(
        self,
        search_id: str,
        *,
        status: str | None = None,
        sessions: list[dict[str, Any]] | None = None,
        summary: dict[str, Any] | None = None,
    ) -> None:
        sets, args = ["updated = ?"], [time.time()]
        if status is not None:
            sets.append("status = ?")
            args.append(status)
        if sessions is not None:
            sets.append("sessions = ?")
            args.append(_json(sessions))
        if summary is not None:
            sets.append("summary = ?")
            args.append(json.dumps(summary, sort_keys=True))
        self._tx(f"UPDATE search SET {', '.join(sets)} WHERE id = ?", [(*args, search_id)])

    def search(self, search_id: str) -> dict[str, Any] | None:
        if not self.exists():
            return None
        r = self.conn.execute(
            "SELECT id, config, created, updated, status, sessions, summary FROM search WHERE id = ?",
            (search_id,),
        ).fetchone()
        return None if r is None else _search_row(r)

    def searches(self) -> list[dict[str, Any]]:
        if not self.exists():
            return []
        q = "SELECT id, config, created, updated, status, sessions, summary FROM search ORDER BY created"
        return [_search_row(r) for r in self.conn.execute(q)]

    # ------------------------------------------------------------------ candidates

    def write_candidates(self, search_id: str, rows: list[CandidateRow]) -> None:
        self._tx(
            "INSERT OR REPLACE INTO search_candidates (search_id, idx, expr, genome, fingerprint, identity, "
            "verdict, status, duplicate_of, run_key, fitness) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    search_id, r.idx, r.expr, None if r.genome is None else _json(r.genome), r.fingerprint,
                    _json(r.identity), _json(r.verdict), r.status, r.duplicate_of, r.run_key,
                    None if r.fitness is None or not math.isfinite(r.fitness) else r.fitness,
                )
                for r in rows
            ],
        )  # fmt: skip

    def candidates(self, search_id: str) -> dict[int, CandidateRow]:
        if not self.exists():
            return {}
        q = (
            "SELECT idx, expr, genome, fingerprint, identity, verdict, status, duplicate_of, run_key, "
            "fitness FROM search_candidates WHERE search_id = ? ORDER BY idx"
        )
        out = {}
        for r in self.conn.execute(q, (search_id,)):
            out[r[0]] = CandidateRow(
                idx=r[0], expr=r[1], genome=None if r[2] is None else json.loads(r[2]), fingerprint=r[3],
                identity=json.loads(r[4]), verdict=json.loads(r[5]), status=r[6], duplicate_of=r[7],
                run_key=r[8], fitness=-math.inf if r[9] is None and r[6] == "trained" else r[9],
            )  # fmt: skip
        return out


def _search_row(r: Any) -> dict[str, Any]:
    return {
        "id": r[0],
        "config": json.loads(r[1]),
        "created": r[2],
        "updated": r[3],
        "status": r[4],
        "sessions": json.loads(r[5]),
        "summary": None if r[6] is None else json.loads(r[6]),
    }
