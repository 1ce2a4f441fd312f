"""Run specifications and the sweep grid.

A run is one (task, activation, params, seed, config). Its key is

    sha256(canonical JSON of {task, activation, params, seed, config, actlab version})

where canonical JSON sorts keys, uses no whitespace, and writes tuples as lists. Two runs with
the same key are the same experiment: the store keeps one row per key, and a sweep skips keys
already in the store. Aliases are canonicalised first (``swish`` and ``silu`` give one key).
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from actlab.bench.activations import canonical, label, resolve

__all__ = ["RunSpec", "canonical_json", "expand_grid", "group_key"]


def _version() -> str:
    from actlab import __version__

    return __version__


def canonical_json(obj: Any) -> str:
    """Deterministic JSON: sorted keys, compact separators, finite numbers only."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), allow_nan=False, default=_default)


def _default(o: Any) -> Any:
    if isinstance(o, (tuple, set, frozenset)):
        return list(o) if isinstance(o, tuple) else sorted(o)
    if hasattr(o, "item"):  # numpy / torch scalars
        return o.item()
    raise TypeError(f"value {o!r} of type {type(o).__name__} is not JSON-serialisable")


def _normalise(obj: Any) -> Any:
    """Round-trip through canonical JSON so in-memory values equal what the store holds."""
    return json.loads(canonical_json(obj))


@dataclass(frozen=True)
class RunSpec:
    """One run of a sweep. ``key`` identifies it in the store (see module docstring)."""

    task: str
    activation: str
    params: dict[str, Any] = field(default_factory=dict)
    seed: int = 0
    config: dict[str, Any] = field(default_factory=dict)
    version: str = field(default_factory=_version)

    def identity(self) -> dict[str, Any]:
        return {
            "task": self.task,
            "activation": self.activation,
            "params": self.params,
            "seed": int(self.seed),
            "config": self.config,
            "version": self.version,
        }

    @property
    def key(self) -> str:
        return hashlib.sha256(canonical_json(self.identity()).encode()).hexdigest()

    @property
    def group(self) -> str:
        """Key of the run's seed group: the same identity without the seed."""
        return group_key(self.task, self.activation, self.params, self.config, self.version)

    @property
    def label(self) -> str:
        return label(self.activation, self.params)

    def describe(self) -> str:
        return f"{self.task}/{self.label} seed={self.seed}"


def group_key(task: str, activation: str, params: dict, config: dict, version: str) -> str:
    """Hash of everything that identifies a run except its seed (runs differing only in seed)."""
    ident = {"task": task, "activation": activation, "params": params, "config": config, "version": version}
    return hashlib.sha256(canonical_json(ident).encode()).hexdigest()[:16]


def expand_grid(
    tasks: Sequence[str],
    activations: Sequence[str | tuple[str, dict[str, Any]]],
    seeds: int | Iterable[int],
    preset: str = "quick",
    overrides: dict[str, dict[str, Any]] | None = None,
    lrs: Sequence[float] | None = None,
) -> list[RunSpec]:
    """The sweep grid task × [learning rate ×] activation(+params) × seed, validated before anything runs.

    Args:
        tasks: task names (``actlab.bench.tasks.available_tasks()``).
        activations: names, or ``(name, params)`` pairs.
        seeds: a count ``N`` (seeds ``0 … N-1``) or explicit seeds.
        preset: the tasks' config preset (``"tiny"``, ``"quick"`` or ``"full"``).
        overrides: per-task config overrides, ``{task: {key: value}}`` (unknown keys raise).
        lrs: a learning-rate grid: every task config is run at each of these ``lr`` values (the
            report then shows each activation at its best learning rate on the validation split;
            :mod:`actlab.bench.stats`). Every task must have an ``lr`` config key.

    Raises ``UnknownTaskError`` / ``UnknownActivationError`` (``LookupError``s naming close
    matches), ``TypeError`` (unknown parameter or config key) or ``ValueError`` (bad value).
    """
    from actlab.bench.tasks import get_task

    if isinstance(seeds, int):
        if seeds < 1:
            raise ValueError(f"number of seeds must be at least 1, got {seeds}")
        seed_list = list(range(seeds))
    else:
        seed_list = [int(s) for s in seeds]
        if not seed_list:
            raise ValueError("no seeds given")
    if len(set(seed_list)) != len(seed_list):
        raise ValueError(f"duplicate seeds in {seed_list}")
    if not tasks:
        raise ValueError("no tasks given")
    if not activations:
        raise ValueError("no activations given")
    overrides = dict(overrides or {})

    configs: list[tuple[str, dict[str, Any]]] = []
    for t in tasks:
        task = get_task(t)
        cfg = _normalise(task.config(preset, **overrides.pop(task.name, {})))
        if lrs is None:
            configs.append((task.name, cfg))
            continue
        if "lr" not in cfg:
            raise ValueError(f"task {task.name!r} has no 'lr' config key: it cannot take a learning-rate "
                             "grid")
        for lr in lrs:
            if not (isinstance(lr, (int, float)) and lr > 0 and lr == lr):
                raise ValueError(f"learning rates must be positive numbers, got {lr!r}")
            configs.append((task.name, {**cfg, "lr": float(lr)}))
    if overrides:
        raise ValueError(f"config overrides for tasks not in the sweep: {', '.join(sorted(overrides))}")

    acts: list[tuple[str, dict[str, Any]]] = []
    for a in activations:
        name, params = (a, {}) if isinstance(a, str) else (a[0], dict(a[1]))
        try:
            params = _normalise(params)
        except (TypeError, ValueError) as e:
            raise ValueError(f"activation {name!r}: parameters must be JSON values ({e})") from None
        resolve(name, params)  # raises for unknown names / bad params
        entry = (canonical(name), params)
        if entry not in acts:
            acts.append(entry)

    version = _version()
    return [
        RunSpec(task=t, activation=a, params=p, seed=s, config=cfg, version=version)
        for (t, cfg), (a, p), s in itertools.product(configs, acts, seed_list)
    ]

