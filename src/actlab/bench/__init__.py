"""``actlab.bench``: fair, statistical, resumable comparisons of activations on real tasks.

``actlab.bench.tasks`` holds the task registry (``get_task``, ``available_tasks``); the runner,
store, executors, statistics and report build on it. :func:`compare` runs activations through a
user's own model and training function.
"""

from actlab.bench.activations import register_prefix, resolve
from actlab.bench.compare import compare
from actlab.bench.executors import LocalExecutor, RayExecutor, make_executor
from actlab.bench.report import LEADING_SECTIONS, SECTIONS, write_report
from actlab.bench.runner import SweepSummary, run_sweep
from actlab.bench.spec import RunSpec, expand_grid
from actlab.bench.stats import Board, Comparison, GroupStats, mean_interval, paired, summarize
from actlab.bench.store import RunRecord, Store, StoreError, StoreWriteError

__all__ = [
    "LEADING_SECTIONS",
    "SECTIONS",
    "Board",
    "Comparison",
    "GroupStats",
    "RunRecord",
    "compare",
    "mean_interval",
    "paired",
    "LocalExecutor",
    "RayExecutor",
    "RunSpec",
    "Store",
    "StoreError",
    "StoreWriteError",
    "SweepSummary",
    "expand_grid",
    "make_executor",
    "register_prefix",
    "resolve",
    "run_sweep",
    "summarize",
    "write_report",
]
