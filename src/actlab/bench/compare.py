"""Compare activations inside your own model and training code, with the bench's store, statistics
and report.

::

    import actlab.bench

    def make_model(seed):                  # a fresh model, with whatever activations it has
        torch.manual_seed(seed)
        return MyNet()

    def train(model, seed):                # your training loop; returns the metric
        ...
        return accuracy                    # or {"test_metric": ..., "val_metric": ...}, or a TaskResult

    boards = actlab.bench.compare(make_model, train, ["relu", "gelu", "silu"], name="mynet",
                                  seeds=5, store="results.db", report="report/")

For every activation and seed, ``make_model(seed)`` builds the model, :func:`actlab.swap` puts a
fresh module of the activation at every activation site (``match`` and ``roles`` as in ``swap``),
``train(model, seed)`` trains and evaluates it, and the result is stored as a bench run of task
``user.<name>``: resumable (a rerun skips what is stored), with the bench's warm-up (set
``warmup=True`` to run ``train`` once untimed on a throw-away model first), saved-for-backward
bytes of the swapped activations, and the statistics and report of ``actlab bench``.

The run keys hold ``name``, the functions' qualified names and ``config``, not their code: after
changing the code, change ``config`` (e.g. ``{"v": 2}``) to get new runs. Runs execute in this
process (the functions need not be importable elsewhere); for parallel or cluster runs, write a
module-level task and use ``actlab bench --tasks module:attr``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from torch import nn

from actlab.bench.stats import Board
from actlab.bench.store import Store

__all__ = ["compare"]


def _as_result(out: Any) -> Any:
    from actlab.bench.tasks.base import TaskResult

    if isinstance(out, TaskResult):
        return out
    if isinstance(out, dict):
        if "test_metric" not in out:
            raise ValueError("train() returned a dict without 'test_metric'")
        metrics = {k: float(v) for k, v in out.items()}
    else:
        metrics = {"test_metric": float(out)}
    v = metrics["test_metric"]
    metrics.setdefault("best_test_metric", v)
    metrics.setdefault("final_train_loss", math.nan)
    metrics.setdefault("steps", 1.0)
    return TaskResult(metrics=metrics, curves={}, diverged=not math.isfinite(v))


def _make_task(name: str, model_fn: Callable, train_fn: Callable, metric: str, hib: bool, match: Any,
               roles: Any, warm: bool) -> Any:  # fmt: skip
    from actlab.bench.tasks.base import Task

    class CompareTask(Task):
        description = f"your model and training function ({name})"

        def default_config(self, preset: str) -> dict[str, Any]:
            return {}

        def warmup_config(self, config: dict[str, Any]) -> dict[str, Any] | None:
            return dict(config) if warm else None

        def run(self, make_act: Callable[[], nn.Module], seed: int, config: dict[str, Any]) -> Any:
            import actlab

            model = model_fn(seed)
            if not isinstance(model, nn.Module):
                raise TypeError(f"make_model returned {type(model).__name__}, not an nn.Module")
            report = actlab.swap(model, to=make_act, match=match, inplace=True, roles=roles)
            if not report.replaced:
                raise ValueError("actlab.swap found no activation to replace in the model (see match=)")
            return _as_result(train_fn(model, seed))

    task = CompareTask()
    task.name, task.metric, task.higher_is_better = name, metric, hib
    return task


def compare(
    model_fn: Callable[[int], nn.Module],
    train_fn: Callable[[nn.Module, int], Any],
    activations: Sequence[str | tuple[str, dict[str, Any]]],
    *,
    name: str,
    seeds: int | Sequence[int] = 3,
    store: str | Path | Store = "actlab-results.db",
    match: Any = None,
    roles: Any = None,
    metric: str = "score",
    higher_is_better: bool = True,
    config: dict[str, Any] | None = None,
    baseline: str = "relu",
    report: str | Path | None = None,
    warmup: bool = False,
    quiet: bool = True,
) -> list[Board]:
    """Run ``activations`` × ``seeds`` through your model and training function (module docstring);
    returns the boards of task ``user.<name>`` (and writes the whole store's report to ``report``).

    Raises ``ValueError``/``TypeError``/``LookupError`` for bad names, parameters or arguments
    before anything runs.
    """
    from actlab.bench.executors import LocalExecutor
    from actlab.bench.report import write_report
    from actlab.bench.runner import run_sweep
    from actlab.bench.spec import expand_grid
    from actlab.bench.stats import summarize
    from actlab.bench.tasks.base import _TASKS

    if not isinstance(name, str) or not name.strip() or ":" in name:
        raise ValueError(f"name must be a non-empty string without ':', got {name!r}")
    if not callable(model_fn) or not callable(train_fn):
        raise TypeError("model_fn and train_fn must be callables")
    task_name = f"user.{name.strip()}"
    task = _make_task(task_name, model_fn, train_fn, metric, higher_is_better, match, roles, warmup)
    cfg = {
        "model_fn": f"{getattr(model_fn, '__module__', '?')}.{getattr(model_fn, '__qualname__', '?')}",
        "train_fn": f"{getattr(train_fn, '__module__', '?')}.{getattr(train_fn, '__qualname__', '?')}",
        "match": None if match is None else str(match),
        "roles": None if roles is None else str(roles),
        **(config or {}),
    }
    task.default_config = lambda preset: dict(cfg)  # type: ignore[method-assign]
    _TASKS[task_name] = task  # (re)registered: the functions of this call are the ones that run
    specs = expand_grid([task_name], list(activations), seeds if isinstance(seeds, int) else list(seeds))
    own = not isinstance(store, Store)
    st = Store(store) if own else store
    try:
        run_sweep(specs, st, LocalExecutor(workers=1, warmup=warmup), quiet=quiet)
        keys = {s.key for s in specs}
        boards = summarize([r for r in st.runs(task=task_name) if r.key in keys], baseline=baseline)
        if report is not None:
            write_report(st, report, baseline=baseline)
        return boards
    finally:
        if own:
            st.close()
