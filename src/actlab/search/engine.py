"""The search loop: propose → fingerprint → identify → reject → train (bench runs) → promote.

Strategies (``SearchConfig.strategy``):

- ``exhaustive``: the genomes of the space in enumeration order (:meth:`Space.enumerate`);
- ``random``: genomes drawn uniformly (:meth:`Space.random`);
- ``evolution``: regularised (aging) evolution (Real et al., "Regularized Evolution for Image
  Classifier Architecture Search", arXiv 1802.01548): a population of ``population`` evaluated
  candidates; each child mutates the fittest of ``tournament`` members drawn at random; the child
  joins the population and the oldest member leaves. Children are produced ``batch`` at a time and
  evaluated together (in parallel on the executor), so the search does not depend on the executor.

Every proposed candidate is fingerprinted; a function already seen in this search (same fingerprint)
is a ``duplicate`` and reuses the earlier result; otherwise it is identified against the catalog
(:func:`~actlab.search.identify.identify`) and checked by the rejection rules
(:func:`~actlab.search.reject.check`) — all before any training. Survivors are trained as bench runs
(task ``task``, activation ``"expr:<expression>"``, rung-0 preset, one seed) through the bench
executors and recorded in the bench store. ``budget`` counts trained candidates.

Successive halving (``rungs``): rung 0 trains every candidate briefly on one seed; rung k ≥ 1 takes
the best ``keep`` of the previous rung and trains them with ``seeds`` seeds at the rung's preset,
together with the baselines (ReLU and SiLU). The last rung's ranking is the result; with
``transfer_task`` its top ``top`` and the baselines are also run on that task.

Resuming: the proposal sequence is a deterministic function of the seed and of the results, and
results are read back from the store (runs are keyed by their configuration), so running the same
command again replays the finished part without training and continues where it stopped. Candidate
rows (identity, verdict, fitness) are kept in the ``search_candidates`` table.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from actlab.search.space import Genome, Space, get_space
from actlab.search.state import CandidateRow, SearchTables

__all__ = ["DEFAULT_RUNGS", "Rung", "SearchConfig", "parse_rungs", "resolve_task", "run_search"]

STRATEGIES = ("exhaustive", "random", "evolution")


@dataclass(frozen=True)
class Rung:
    """One rung of successive halving: the task preset, the number of seeds, and how many of the
    previous rung's best enter it (``keep``; ignored for rung 0, which takes every candidate)."""

    preset: str
    seeds: int
    keep: int = 0


DEFAULT_RUNGS = (Rung("tiny", 1), Rung("tiny", 3, 16), Rung("quick", 5, 5))
DEFAULT_BUDGET = 200


def parse_rungs(text: str) -> tuple[Rung, ...]:
    """``"tiny:1,tiny:3:16,quick:5:5"`` → rungs (preset:seeds[:keep])."""
    out = []
    for i, item in enumerate(t.strip() for t in text.split(",") if t.strip()):
        parts = item.split(":")
        if len(parts) not in (2, 3) or (i > 0 and len(parts) != 3):
            raise ValueError(f"rung {item!r}: expected preset:seeds (rung 0) or preset:seeds:keep")
        try:
            seeds, keep = int(parts[1]), int(parts[2]) if len(parts) == 3 else 0
        except ValueError:
            raise ValueError(f"rung {item!r}: seeds and keep must be integers") from None
        out.append(Rung(parts[0], seeds, keep))
    if not out:
        raise ValueError("no rungs given")
    return tuple(out)


@dataclass(frozen=True)
class SearchConfig:
    """Everything that defines a search. Its ``id`` hashes all of it except ``budget`` (so a
    larger budget continues the same search)."""

    strategy: str = "evolution"
    budget: int = DEFAULT_BUDGET
    task: str = "mnist1d"
    transfer_task: str | None = None
    seed: int = 0
    space: str = "full"
    max_units: int = 2
    trainable: bool = True
    population: int = 20
    tournament: int = 5
    batch: int = 8
    rungs: tuple[Rung, ...] = DEFAULT_RUNGS
    baselines: tuple[str, ...] = ("relu", "silu")
    top: int = 5

    def validate(self) -> None:
        if self.strategy not in STRATEGIES:
            raise ValueError(f"unknown strategy {self.strategy!r}; valid: {', '.join(STRATEGIES)}")
        if self.budget < 1:
            raise ValueError(f"budget must be at least 1, got {self.budget}")
        if not 1 <= self.max_units <= 3:
            raise ValueError(f"max_units must be 1, 2 or 3, got {self.max_units}")
        if self.tournament < 1 or self.population < self.tournament or self.batch < 1:
            raise ValueError("need population >= tournament >= 1 and batch >= 1")
        if self.top < 1:
            raise ValueError(f"top must be at least 1, got {self.top}")
        if self.rungs and self.rungs[0].seeds != 1:
            raise ValueError("rung 0 trains every candidate on one seed: give it 1 seed (e.g. tiny:1)")
        if (
            not self.rungs
            or self.rungs[0].seeds < 1
            or any(r.seeds < 1 or r.keep < 1 for r in self.rungs[1:])
        ):
            raise ValueError("every rung needs seeds >= 1 and (after rung 0) keep >= 1")
        get_space(self.space, self.max_units, self.trainable)

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["rungs"] = [list(asdict(r).values()) for r in self.rungs]
        d["baselines"] = list(self.baselines)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> SearchConfig:
        d = dict(d)
        d["rungs"] = tuple(Rung(*r) for r in d["rungs"])
        d["baselines"] = tuple(d["baselines"])
        return cls(**d)

    @property
    def id(self) -> str:
        ident = {k: v for k, v in self.as_dict().items() if k != "budget"}
        h = hashlib.sha256(json.dumps(ident, sort_keys=True).encode()).hexdigest()[:8]
        task = "".join(c if c.isalnum() else "-" for c in self.task)[:24]
        return f"{self.strategy}-{task}-s{self.seed}-{h}"


def resolve_task(task: str) -> str:
    """The registered name of ``task``: a bench task name or a user task ``module:attr``."""
    import actlab.bench.tasks  # noqa: F401  (registers the built-in tasks)
    from actlab.bench.tasks import get_task

    if ":" in task:
        from actlab.search.usertask import load_user_task

        return load_user_task(task)
    return get_task(task).name


# ---------------------------------------------------------------------------------- evaluation


def _fitness(status: str, value: Any, higher_is_better: bool) -> float:
    if status != "ok" or not isinstance(value, (int, float)) or not math.isfinite(value):
        return -math.inf
    return float(value) if higher_is_better else -float(value)


class _Display:
    """A rich progress bar (trained / budget, current best) or, off a terminal, one line per batch."""

    def __init__(self, search_id: str, budget: int, quiet: bool):
        self.search_id, self.budget = search_id, budget
        self.rich = not quiet and sys.stderr.isatty()
        self.quiet = quiet
        self.progress = None
        self.last: tuple[str, int] | None = None

    def begin(self) -> None:
        if not self.rich:
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.progress = Progress(
            TextColumn("[bold]search[/bold] {task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[info]}"),
            console=Console(stderr=True),
        )
        self.progress.start()
        self.task = self.progress.add_task("rung 0", total=self.budget, info="")

    def update(self, stage: str, done: int, total: int, info: str) -> None:
        if self.progress is not None:
            self.progress.update(self.task, description=stage, completed=done, total=total, info=info)
        elif not self.quiet and (stage, done) != self.last:
            self.last = (stage, done)
            print(f"search {self.search_id} {stage}: {done}/{total} {info}", file=sys.stderr, flush=True)

    def message(self, text: str) -> None:
        if self.progress is not None:
            self.progress.console.print(text)
        elif not self.quiet:
            print(text, file=sys.stderr, flush=True)

    def end(self) -> None:
        if self.progress is not None:
            self.progress.stop()


@dataclass
class _State:
    rows: list[CandidateRow] = field(default_factory=list)
    by_fp: dict[str, int] = field(default_factory=dict)
    trained: int = 0
    best: tuple[float, int] | None = None


class Search:
    """One search over a store; :meth:`run` does everything (see the module docstring)."""

    def __init__(
        self,
        cfg: SearchConfig,
        store: Any,
        executor: Any,
        quiet: bool = False,
    ):
        from actlab.bench.tasks import get_task

        cfg.validate()
        self.cfg = cfg
        self.store = store
        self.executor = executor
        self.tables = SearchTables(store)
        self.task = resolve_task(cfg.task)
        self.hib = get_task(self.task).higher_is_better
        self.transfer = resolve_task(cfg.transfer_task) if cfg.transfer_task else None
        self.space: Space = get_space(cfg.space, cfg.max_units, cfg.trainable)
        self.display = _Display(cfg.id, cfg.budget, quiet)
        self.state = _State()
        self.evals = 0  # bench runs executed in this session
        self.cache: dict[int, CandidateRow] = {}
        self.rung0_config: dict[str, Any] | None = None

    # -------------------------------------------------------------------- bench runs

    def _specs(self, task: str, activations: list[str], seeds: Iterable[int], preset: str) -> list:
        from actlab.bench.spec import expand_grid

        return expand_grid([task], activations, list(seeds), preset=preset)

    def _known(self, keys: list[str]) -> dict[str, tuple[str, Any]]:
        out: dict[str, tuple[str, Any]] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            q = f"SELECT key, status, metrics FROM runs WHERE key IN ({','.join('?' * len(chunk))})"
            for key, status, metrics in self.store.conn.execute(q, chunk):
                out[key] = (status, json.loads(metrics).get("test_metric"))
        return out

    def _run(self, specs: list, on_done: Any = None) -> dict[str, tuple[str, Any]]:
        """Run the specs not yet in the store; return ``key -> (status, test_metric)`` for all."""
        seen: set[str] = set()
        specs = [s for s in specs if not (s.key in seen or seen.add(s.key))]
        done = self._known([s.key for s in specs])
        todo = [s for s in specs if s.key not in done]
        if todo:
            for ev in self.executor.run(todo):
                if ev.kind != "done":
                    continue
                row = ev.row
                row.setdefault("executor", self.executor.name)
                self.store.record(row)
                done[ev.spec.key] = (row["status"], row["metrics"].get("test_metric"))
                self.evals += 1
                if on_done is not None:
                    on_done()
        return done

    # -------------------------------------------------------------------- candidates

    def _assess(self, genome: Genome) -> CandidateRow:
        """Fingerprint, then (unless a duplicate) identify and check one candidate."""
        from actlab.search.fingerprint import fingerprint
        from actlab.search.identify import identify
        from actlab.search.reject import check

        st = self.state
        idx = len(st.rows)
        expr = genome.expression(self.cfg.trainable)
        text = str(expr)
        prev = self.cache.get(idx)
        if prev is not None and prev.expr == text:
            fp_key, ident, verdict = prev.fingerprint, prev.identity, prev.verdict
        else:
            fp = fingerprint(expr)
            fp_key = fp.key
            if fp_key in st.by_fp:
                orig = st.rows[st.by_fp[fp_key]]
                ident, verdict = orig.identity, orig.verdict
            else:
                v = check(expr, fp=fp)
                verdict = {"ok": v.ok, "reason": v.reason, "detail": v.detail}
                ident = identify(fp).to_dict()
        if fp_key in st.by_fp:
            return CandidateRow(idx, text, genome.to_list(), fp_key, ident, verdict, "duplicate",
                                duplicate_of=st.by_fp[fp_key])  # fmt: skip
        st.by_fp[fp_key] = idx
        status = "trained" if verdict["ok"] else "rejected"
        return CandidateRow(idx, text, genome.to_list(), fp_key, ident, verdict, status)

    def _evaluate(self, genomes: list[Genome]) -> list[CandidateRow]:
        """Assess a batch, train the new survivors on rung 0, record the rows."""
        st = self.state
        rows = []
        for g in genomes:
            row = self._assess(g)
            st.rows.append(row)
            rows.append(row)
        new = [r for r in rows if r.status == "trained"]
        r0 = self.cfg.rungs[0]
        specs = {}
        for r in new:
            (spec,) = self._specs(self.task, [f"expr:{r.expr}"], [self.cfg.seed], r0.preset)
            specs[r.idx] = spec
            r.run_key = spec.key
            self.rung0_config = spec.config
        finished = [st.trained]

        def tick() -> None:
            finished[0] += 1
            self.display.update("rung 0", finished[0], self.cfg.budget, self._best_text())

        results = self._run(list(specs.values()), on_done=tick)
        for r in new:
            status, value = results.get(r.run_key, ("error", None))
            r.fitness = _fitness(status, value, self.hib)
            st.trained += 1
            if math.isfinite(r.fitness) and (st.best is None or r.fitness > st.best[0]):
                st.best = (r.fitness, r.idx)
        for r in rows:
            if r.status == "duplicate":
                r.fitness = st.rows[r.duplicate_of].fitness
            elif r.status == "rejected":
                r.fitness = None
        self.tables.write_candidates(self.cfg.id, rows)
        self.display.update("rung 0", st.trained, self.cfg.budget, self._best_text())
        return rows

    def _best_text(self) -> str:
        st = self.state
        if st.best is None:
            return "best: –"
        f, idx = st.best
        value = f if self.hib else -f
        return f"best: {value:.4g}  {st.rows[idx].expr}"

    def _cap(self) -> int:
        return 30 * self.cfg.budget + 100

    # -------------------------------------------------------------------- strategies

    def _batches(self, source: Iterator[Genome]) -> None:
        st = self.state
        while st.trained < self.cfg.budget and len(st.rows) < self._cap():
            batch: list[Genome] = []
            want = self.cfg.batch
            for g in source:
                batch.append(g)
                if len(batch) >= want:
                    break
            if not batch:
                return
            self._evaluate_limited(batch)

    def _evaluate_limited(self, batch: list[Genome]) -> list[CandidateRow]:
        """Evaluate ``batch`` without training more than the remaining budget: genomes are assessed
        one group at a time so the budget is never exceeded."""
        st = self.state
        out: list[CandidateRow] = []
        while batch and st.trained < self.cfg.budget:
            room = self.cfg.budget - st.trained
            out += self._evaluate(batch[:room])
            batch = batch[room:]
        return out

    def _exhaustive(self) -> None:
        self._batches(self.space.enumerate())

    def _random(self, rng: random.Random) -> None:
        def gen() -> Iterator[Genome]:
            while True:
                yield self.space.random(rng)

        self._batches(gen())

    def _evolution(self, rng: random.Random) -> None:
        cfg, st = self.cfg, self.state
        population: deque[tuple[int, Genome, float]] = deque()

        def admit(rows: list[CandidateRow], genomes: list[Genome]) -> None:
            for r, g in zip(rows, genomes):
                if r.fitness is None:  # rejected (or a duplicate of a rejected one): never evaluated
                    continue
                population.append((r.idx, g, r.fitness))
                while len(population) > cfg.population:
                    population.popleft()

        while len(population) < cfg.population and st.trained < cfg.budget and len(st.rows) < self._cap():
            genomes = [self.space.random(rng) for _ in range(cfg.batch)]
            admit(self._evaluate_limited(genomes), genomes)
        while st.trained < cfg.budget and len(st.rows) < self._cap() and population:
            children = []
            for _ in range(cfg.batch):
                sample = rng.sample(list(population), min(cfg.tournament, len(population)))
                parent = max(sample, key=lambda m: (m[2], m[0]))
                children.append(self.space.mutate(parent[1], rng))
            admit(self._evaluate_limited(children), children)

    # -------------------------------------------------------------------- successive halving

    def _rank(self, acts: list[str], task: str, rung: Rung, stage: str) -> tuple[list[str], dict[str, Any]]:
        """Run ``acts`` on ``task`` at the rung's preset and seeds; return them best first and the
        task config used."""
        seeds = range(self.cfg.seed, self.cfg.seed + rung.seeds)
        specs = self._specs(task, acts, seeds, rung.preset)
        done = [len(self._known([s.key for s in specs]))]

        def tick() -> None:
            done[0] += 1
            self.display.update(stage, done[0], len(specs), f"{len(acts)} activations × {rung.seeds} seeds")

        results = self._run(specs, on_done=tick)
        score: dict[str, list[float]] = {}
        for s in specs:
            status, value = results.get(s.key, ("error", None))
            score.setdefault(s.activation, []).append(_fitness(status, value, self.hib))
        mean = {
            a: (sum(v) / len(v) if all(math.isfinite(x) for x in v) else -math.inf) for a, v in score.items()
        }
        return sorted(acts, key=lambda a: (-mean.get(a, -math.inf), acts.index(a))), specs[0].config

    def run(self) -> dict[str, Any]:
        cfg, st = self.cfg, self.state
        t0 = time.perf_counter()
        self.tables.create()
        self.tables.start(cfg.id, cfg.as_dict())
        self.cache = self.tables.candidates(cfg.id)
        prior = self.tables.search(cfg.id) or {}
        sessions = list(prior.get("sessions") or [])
        self.display.begin()
        try:
            rng = random.Random(cfg.seed)
            if cfg.strategy == "exhaustive":
                self._exhaustive()
            elif cfg.strategy == "random":
                self._random(rng)
            else:
                self._evolution(rng)
            rung0_time = time.perf_counter() - t0
            rung0_evals = self.evals
            ranking = sorted(
                (
                    r
                    for r in st.rows
                    if r.status == "trained" and r.fitness is not None and math.isfinite(r.fitness)
                ),
                key=lambda r: (-r.fitness, r.idx),
            )
            current = [f"expr:{r.expr}" for r in ranking]
            rungs = [
                {
                    "preset": cfg.rungs[0].preset,
                    "seeds": cfg.rungs[0].seeds,
                    "activations": current,
                    "config": self.rung0_config,
                }
            ]
            baselines = list(self._baselines())
            for k, rung in enumerate(cfg.rungs[1:], start=1):
                keep = current[: rung.keep]
                order, config = self._rank(keep + baselines, self.task, rung, f"rung {k}")
                current = [a for a in order if a in keep]
                rungs.append(
                    {"preset": rung.preset, "seeds": rung.seeds, "activations": current, "config": config}
                )
                self.display.message(
                    f"rung {k} ({rung.preset}, {rung.seeds} seeds): best {current[0] if current else '–'}"
                )
            final = current[: cfg.top]
            last = cfg.rungs[-1]
            transfer = None
            if self.transfer is not None and final:
                _, tconfig = self._rank(
                    final + baselines, self.transfer, last, f"transfer to {self.transfer}"
                )
                transfer = {
                    "task": self.transfer,
                    "preset": last.preset,
                    "seeds": last.seeds,
                    "config": tconfig,
                }
            elapsed = time.perf_counter() - t0
            sessions.append(
                {
                    "started": time.time() - elapsed,
                    "wall_time": elapsed,
                    "evaluations": self.evals,
                    "rung0_wall_time": rung0_time,
                    "rung0_evaluations": rung0_evals,
                }
            )
            summary = {
                "task": self.task,
                "transfer": transfer,
                "rungs": rungs,
                "final": final,
                "baselines": baselines,
                "counts": self.counts(),
            }
            self.tables.update(cfg.id, status="done", sessions=sessions, summary=summary)
            return summary
        except BaseException:
            elapsed = time.perf_counter() - t0
            sessions.append(
                {
                    "started": time.time() - elapsed,
                    "wall_time": elapsed,
                    "evaluations": self.evals,
                    "interrupted": True,
                }
            )
            try:
                self.tables.update(cfg.id, status="interrupted", sessions=sessions)
            except Exception:  # noqa: BLE001 - the store may be the problem; the original error matters
                pass
            raise
        finally:
            self.display.end()

    def _baselines(self) -> Iterator[str]:
        from actlab.bench.activations import canonical

        for b in self.cfg.baselines:
            yield canonical(b)

    def counts(self) -> dict[str, Any]:
        rows = self.state.rows
        reasons: dict[str, int] = {}
        for r in rows:
            if r.status == "rejected":
                reasons[r.verdict["reason"]] = reasons.get(r.verdict["reason"], 0) + 1
        return {
            "proposed": len(rows),
            "trained": sum(r.status == "trained" for r in rows),
            "duplicates": sum(r.status == "duplicate" for r in rows),
            "rejected": sum(r.status == "rejected" for r in rows),
            "rejected_by_reason": reasons,
            "identified_exact": sum(
                r.identity.get("kind") == "exact" for r in rows if r.status != "duplicate"
            ),
            "identified_near": sum(r.identity.get("kind") == "near" for r in rows if r.status != "duplicate"),
        }


def run_search(
    cfg: SearchConfig,
    store: str | Path,
    executor: str = "local",
    workers: int | None = None,
    address: str | None = None,
    quiet: bool = False,
) -> dict[str, Any]:
    """Run (or resume) the search ``cfg`` with results in the bench store at ``store``.

    ``executor``: ``"local"`` (``workers`` processes; 1 = in this process) or ``"ray"`` (a local
    Ray instance with ``workers`` CPUs, or the cluster at ``address``). Returns the summary that is
    also stored in the ``search`` table.
    """
    from actlab.bench.executors import LocalExecutor, RayExecutor
    from actlab.bench.store import Store

    cfg.validate()
    if executor == "local":
        if address is not None:
            raise ValueError("address is only used with the ray executor")
        ex: Any = LocalExecutor(workers=workers or 1)
    elif executor == "ray":
        ex = RayExecutor(address=address, max_in_flight=workers)
    else:
        raise ValueError(f"unknown executor {executor!r}; valid: local, ray")
    st = Store(store)
    started_ray = False
    try:
        search = Search(cfg, st, ex, quiet=quiet)
        if executor == "ray":
            import ray

            if not ray.is_initialized():
                kw: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False}
                if address is None:  # a fresh local instance, even if a cluster runs on this machine
                    kw.update(address="local", num_cpus=workers)
                else:
                    kw.update(address=address)
                ray.init(**kw)
                started_ray = True
        return search.run()
    finally:
        if started_ray:
            import ray

            ray.shutdown()
        st.close()
