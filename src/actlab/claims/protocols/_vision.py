"""The small vision runs shared by the HeLU and GoLU claims: the bench's digits and MNIST-1D CNNs."""

from __future__ import annotations

from typing import Any

from actlab.claims.protocols._common import arm

TASKS = ("digits", "mnist1d")
SEEDS = {"tiny": 2, "quick": 5, "full": 10}
CONFIG = {"model": "cnn"}
TINY = {"digits": {"epochs": 1}, "mnist1d": {"epochs": 1, "num_samples": 1000}}


def vision_arm(
    task: str, activation: str, preset: str, seeds: int, params: dict[str, Any] | None = None
) -> list:
    """The runs of one activation on one vision task at the task's own ``preset`` config (a CNN)."""
    cfg = {**CONFIG, **(TINY[task] if preset == "tiny" else {})}
    return arm(task, activation, seeds, cfg, params, preset="quick" if preset == "tiny" else preset)
