"""Probes: measure activations inside any model, and compare two models' predictions.

``actlab.probe`` is this package, and it is callable::

    with actlab.probe(model) as p:          # hooks on every activation module
        for x in batches:
            model(x)
    p.rows()                                 # [{"layer", "metric", "value"}, ...]
    p.to_csv("probe.csv"); p.to_json("probe.json"); p.plot("probe.png")

    actlab.probe.prediction_difference(model_a, model_b, batches)

``actlab.probe(...)`` is :func:`actlab.probe.hooks.probe`; the metrics are defined in
:mod:`actlab.probe.metrics`.
"""

from __future__ import annotations

import sys
import types
from typing import Any

from actlab.probe.hooks import METRICS, Probe, probe, select_modules
from actlab.probe.linear_regions import PatternReport, RegionReport, linear_regions, pattern_distance
from actlab.probe.metrics import CETTAccumulator, LayerStats, ProbeSettings
from actlab.probe.prediction import PredictionDifference, prediction_difference

__all__ = [
    "METRICS",
    "CETTAccumulator",
    "LayerStats",
    "PatternReport",
    "PredictionDifference",
    "Probe",
    "ProbeSettings",
    "RegionReport",
    "linear_regions",
    "pattern_distance",
    "prediction_difference",
    "probe",
    "select_modules",
]


class _CallableModule(types.ModuleType):
    """Lets ``actlab.probe(model, ...)`` stand for ``actlab.probe.probe(model, ...)``."""

    def __call__(self, *args: Any, **kwargs: Any) -> Probe:
        return probe(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
