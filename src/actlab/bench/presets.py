"""Sweep presets of ``actlab bench --preset``.

- ``quick`` (the default): 16 activations on ``xor``, ``digits``, ``mnist1d`` and ``periodic``,
  3 seeds, the tasks' ``"quick"`` configs: 192 runs, about 300 core-seconds of training measured run
  by run (about 3 minutes on 2 idle cores); ``make run`` adds the quick claims board to it.
- ``full``: every registered task, every catalog activation, 5 seeds, the tasks' ``"full"`` configs.
- ``tiny``: a smoke test (seconds per run): 3 activations on the quick tasks, 2 seeds, the tasks'
  ``"tiny"`` configs.

In presets every activation is used as its original work uses it: the parameters that work learns
(``Param.trainable`` in the catalog, e.g. PReLU's slope) are learned (``trainable=True``). On the
command line, ask for that explicitly: ``--activations 'prelu(trainable=True)'``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["PRESETS", "Preset", "get_preset"]

QUICK_ACTIVATIONS = (
    "relu",
    "leaky_relu",
    "prelu",
    "gelu",
    "silu",
    "mish",
    "golu",
    "smelu",
    "aptx",
    "xatlu",
    "snake",
    "relu2",
    "elu",
    "selu",
    "softplus",
    "tanh",
)
QUICK_TASKS = ("xor", "digits", "mnist1d", "periodic")


@dataclass(frozen=True)
class Preset:
    """``tasks``/``activations`` of ``None`` mean every registered task / catalog activation."""

    name: str
    tasks: tuple[str, ...] | None
    activations: tuple[str, ...] | None
    seeds: int
    task_preset: str
    description: str

    def task_names(self) -> list[str]:
        from actlab.bench.tasks import available_tasks

        return list(self.tasks) if self.tasks is not None else available_tasks()

    def activation_list(self) -> list[tuple[str, dict[str, Any]]]:
        import actlab

        names = list(self.activations) if self.activations is not None else actlab.available()
        return [(n, as_in_original_work(n)) for n in names]


def as_in_original_work(name: str) -> dict[str, Any]:
    """``{"trainable": True}`` if the original work learns a parameter of ``name``, else ``{}``."""
    import actlab

    try:
        spec = actlab.describe(name)
    except LookupError:
        return {}  # not a catalog function (a module, or unknown: validation reports it)
    return {"trainable": True} if any(p.trainable for p in spec.params) else {}


PRESETS: dict[str, Preset] = {
    "quick": Preset(
        "quick", QUICK_TASKS, QUICK_ACTIVATIONS, 3, "quick",
        "16 activations × xor, digits, mnist1d, periodic × 3 seeds (about 3 min on 2 cores)",
    ),
    "full": Preset("full", None, None, 5, "full", "every task × every catalog activation × 5 seeds"),
    "tiny": Preset("tiny", QUICK_TASKS, ("relu", "gelu", "silu"), 2, "tiny", "smoke test, seconds per run"),
}  # fmt: skip


def get_preset(name: str) -> Preset:
    if name not in PRESETS:
        raise ValueError(f"unknown preset {name!r}; valid presets: {', '.join(PRESETS)}")
    return PRESETS[name]
