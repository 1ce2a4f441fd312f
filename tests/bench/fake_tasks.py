"""Tiny, deterministic tasks for the runner tests (registered on import, importable by workers).

They exercise the runner, not learning: each finishes in milliseconds unless told to sleep.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import Any

import torch

from actlab.bench.activations import register_prefix
from actlab.bench.tasks import Task, TaskResult, available_tasks, register_task


def bounded_float_param() -> tuple[str, Any, float]:
    """A catalog activation with a bounded float parameter, that parameter, and a value outside its range."""
    import actlab

    name, p = next(
        (spec.name, p)
        for spec in map(actlab.describe, actlab.available())
        for p in spec.params
        if p.kind == "float" and (p.low is not None or p.high is not None)
    )
    return name, p, (p.low - 1.0 if p.low is not None else p.high + 1.0)

def _register(cls):
    # this module may be imported by several workers/tests; register each task once
    return cls if cls.name in available_tasks() else register_task(cls)


class _Base(Task):
    metric = "score"
    higher_is_better = True
    description = "runner test task"
    extra: dict[str, Any] = {}

    def default_config(self, preset: str) -> dict[str, Any]:
        return {"n": 64, "sleep": 0.0, **self.extra}

    def _result(self, make_act, seed: int, config: dict[str, Any]) -> TaskResult:
        g = torch.Generator().manual_seed(seed)
        x = torch.randn(int(config["n"]), generator=g)
        y = make_act()(x)
        score = float(torch.sigmoid(y).mean())
        losses = [float((y - x).abs().mean()) / (i + 1) for i in range(5)]
        preds = (y > 0.1 * seed).long().tolist()
        return TaskResult(
            metrics={
                "test_metric": score,
                "best_test_metric": score,
                "final_train_loss": losses[-1],
                "steps": 5.0,
                "zero_fraction": float((y == 0).float().mean()),
            },
            curves={"train_loss": losses, "test_metric": [score]},
            predictions=preds,
        )


@_register
class FakeScore(_Base):
    """Deterministic score; sleeps ``config["sleep"]`` seconds first (for the kill test)."""

    name = "fake_score"

    def run(self, make_act, seed, config):
        if config["sleep"]:
            time.sleep(float(config["sleep"]))
        return self._result(make_act, seed, config)


@_register
class FakeRaise(_Base):
    """Raises for seed 1, succeeds otherwise."""

    name = "fake_raise"

    def run(self, make_act, seed, config):
        if seed == 1:
            raise RuntimeError("boom: seed 1 always fails")
        return self._result(make_act, seed, config)


@_register
class FakeDiverge(_Base):
    """Diverges (NaN loss) for seed 0."""

    name = "fake_diverge"

    def run(self, make_act, seed, config):
        res = self._result(make_act, seed, config)
        if seed == 0:
            nan = float("nan")
            res.metrics.update(test_metric=nan, final_train_loss=nan)
            res.diverged = True
        return res


@_register
class FakeMemory(_Base):
    """Allocates and touches ``config["mb"]`` MiB during the run."""

    name = "fake_memory"
    extra = {"mb": 0}

    def run(self, make_act, seed, config):
        n = int(config["mb"]) * 1024 * 1024 // 4
        if n:
            buf = torch.ones(n, dtype=torch.float32)  # ones: every page is written
            assert float(buf[-1]) == 1.0
            del buf
        return self._result(make_act, seed, config)


@_register
class FakeBig(_Base):
    """Returns a long curve (about 100 kB of JSON per run) so each store write grows the file."""

    name = "fake_big"

    def run(self, make_act, seed, config):
        res = self._result(make_act, seed, config)
        res.curves["long"] = [float(i) + seed / 7 for i in range(8000)]
        return res


@_register
class FakeCrashOnce(_Base):
    """Kills its own worker process (SIGKILL) the first time each seed runs, then succeeds.

    The marker files in ``config["marker_dir"]`` count the attempts.
    """

    name = "fake_crash_once"
    extra = {"marker_dir": ""}

    def run(self, make_act, seed, config):
        d = Path(config["marker_dir"])
        marker = d / f"seed{seed}"
        with open(d / f"attempts{seed}", "a") as f:
            f.write(f"{os.getpid()}\n")
        if not marker.exists():
            marker.write_text("crashed once")
            os.kill(os.getpid(), signal.SIGKILL)
        return self._result(make_act, seed, config)


def _twin(rest: str, params: dict):
    """``twin:<name>``: ReLU under any name (the same function under two names, for the warm-up test)."""
    if not rest.strip():
        raise ValueError("twin: needs a name")
    return torch.nn.ReLU


register_prefix("twin", _twin)


@_register
class FakeSeeded(_Base):
    """Seeds the process like the real tasks (global generators, deterministic algorithms)."""

    name = "fake_seeded"

    def run(self, make_act, seed, config):
        from actlab.bench.tasks.base import seed_everything

        seed_everything(seed)
        torch.rand(3)  # advances the global generator
        return self._result(make_act, seed, config)
