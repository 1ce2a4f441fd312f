"""Benchmark tasks of ``actlab bench``; importing this package registers every task."""

from actlab.bench.tasks import charlm, cifar10, digits, inr, mnist1d, ood, periodic, robustness, spirals, xor  # noqa: F401  (register the tasks)
from actlab.bench.tasks.base import (
    PRESETS,
    DatasetUnavailableError,
    Task,
    TaskResult,
    UnknownTaskError,
    available_tasks,
    get_task,
    register_task,
)

__all__ = [
    "PRESETS",
    "DatasetUnavailableError",
    "Task",
    "TaskResult",
    "UnknownTaskError",
    "available_tasks",
    "get_task",
    "register_task",
]
