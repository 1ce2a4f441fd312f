"""``actlab.bench``: fair, statistical, resumable comparisons of activations on real tasks.

``actlab.bench.tasks`` holds the task registry (``get_task``, ``available_tasks``); the runner,
store, executors, statistics and report build on it.
"""

from actlab.bench.activations import register_prefix, resolve
from actlab.bench.executors import LocalExecutor, RayExecutor, make_executor
from actlab.bench.report import SECTIONS, write_report
from actlab.bench.runner import SweepSummary, run_sweep
from actlab.bench.spec import RunSpec, expand_grid
from actlab.bench.stats import summarize
from actlab.bench.store import Store, StoreError, StoreWriteError

__all__ = [
    "SECTIONS",
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
