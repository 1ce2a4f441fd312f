"""``robustness``: how a trained classifier's accuracy falls as activation noise grows and bit width shrinks.

Each run trains the ``digits`` (or ``mnist1d``) classifier of :mod:`actlab.bench.tasks._trained`
— optionally with noise and/or quantisation *in the training loop* (``train_noise``,
``train_bits``: the effects act in training mode only) — and then measures, on the test set:

- the **noise curve**: accuracy with ``noise_kind`` noise of each standard deviation in
  ``noise_levels`` at every activation (``noise_where``: ``"post"`` outputs, ``"pre"`` inputs or
  ``"weights"``), ``repeats`` draws per level (:func:`actlab.robust.noise_curve`; additive noise
  is relative to each tensor's rms when ``relative``, so that activations with larger outputs gain
  nothing from their scale);
- the **quantisation curve**: accuracy with every activation output quantised to each of
  ``bits`` (dynamic per-tensor min–max range, :func:`actlab.robust.quantization_curve`).

Metrics: ``test_metric`` = ``noise_auc_relative``, the area under accuracy ÷ clean accuracy over
the noise grid divided by its span (1 = no loss at any level); also ``clean_accuracy``,
``noise_auc`` (the mean accuracy over the grid), ``noise_half_level`` (the σ at which accuracy
halves; ``inf`` when it does not within the grid), ``quant_auc``, ``quant_auc_relative``,
``quant_half_bits`` (the bit width at which accuracy halves; ``inf`` when it does not), and
``val_accuracy``. Curves ``noise_levels``/``noise_accuracy`` and ``bits``/``quant_accuracy`` hold
the curves themselves (plotted in the report's robustness section).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from torch import nn

from actlab.bench.tasks._trained import DATASETS, classifier_config, train_classifier
from actlab.bench.tasks.base import Task, TaskResult, register_task

__all__ = ["RobustnessTask", "check_config"]


def check_config(cfg: dict[str, Any]) -> None:
    """``ValueError`` naming the key for a bad robustness setting (run before any run starts)."""
    from actlab import robust
    from actlab.robust.curve import WHERE
    from actlab.robust.effects import check_bits, check_level

    if cfg["data"] not in DATASETS:
        raise ValueError(f"data must be one of {', '.join(DATASETS)}, got {cfg['data']!r}")
    levels = [check_level("noise_levels", v) for v in cfg["noise_levels"]]
    if not levels or len(set(levels)) != len(levels):
        raise ValueError(f"noise_levels must be non-empty and without repeats, got {cfg['noise_levels']!r}")
    bits = [check_bits(v, "bits") for v in cfg["bits"]]
    if not bits or len(set(bits)) != len(bits):
        raise ValueError(f"bits must be non-empty and without repeats, got {cfg['bits']!r}")
    check_level("train_noise", cfg["train_noise"])
    if cfg["train_bits"] != 0:
        check_bits(cfg["train_bits"], "train_bits")
    if cfg["noise_kind"] not in robust.NOISE_KINDS:
        raise ValueError(f"noise_kind must be one of {', '.join(robust.NOISE_KINDS)}, "
                         f"got {cfg['noise_kind']!r}")
    for key in ("noise_where", "quant_where"):
        if cfg[key] not in WHERE:
            raise ValueError(f"{key} must be one of {', '.join(WHERE)}, got {cfg[key]!r}")
    if isinstance(cfg["repeats"], bool) or not isinstance(cfg["repeats"], int) or cfg["repeats"] < 1:
        raise ValueError(f"repeats must be an integer >= 1, got {cfg['repeats']!r}")


def _in_the_loop(cfg: dict[str, Any], seed: int) -> Callable[[nn.Module], nn.Module] | None:
    """Wraps the model with the training-time effects (or ``None`` when there are none)."""
    from actlab import robust

    effects: list[nn.Module] = []
    if cfg["train_bits"]:
        effects.append(robust.Quantize(int(cfg["train_bits"]), when="train"))
    if cfg["train_noise"] > 0:
        effects.append(robust.noise_effect(cfg["noise_kind"], float(cfg["train_noise"]),
                                           relative=bool(cfg["relative"]), when="train"))
    if not effects:
        return None
    where = cfg["noise_where"]
    return lambda m: robust.apply(m, **{where: effects}, inplace=True, seed=seed).model


def _finite_or_inf(v: float | None) -> float:
    return math.inf if v is None else float(v)


@register_task
class RobustnessTask(Task):
    name = "robustness"
    metric = "noise_auc_relative"
    higher_is_better = True
    description = "digits/mnist1d classifier: accuracy vs activation noise and bit width (AUC, half level)"

    def default_config(self, preset: str) -> dict[str, Any]:
        base = {**classifier_config(preset), "noise_kind": "additive", "noise_where": "post",
                "relative": True, "noise_levels": [0.0, 0.25, 0.5, 1.0, 2.0, 4.0], "repeats": 2,
                "curve_seed": 0, "bits": [8, 6, 4, 3, 2, 1], "quant_where": "post", "train_noise": 0.0,
                "train_bits": 0}
        if preset == "tiny":
            return {**base, "noise_levels": [0.0, 0.5, 2.0], "repeats": 1, "bits": [8, 2, 1]}
        if preset == "full":
            levels = [0.0, 0.125, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0]
            return {**base, "noise_levels": levels, "repeats": 5}
        return base

    def config(self, preset: str = "quick", **overrides: Any) -> dict[str, Any]:
        cfg = super().config(preset, **overrides)
        check_config(cfg)
        return cfg

    def warmup_config(self, config: dict[str, Any]) -> dict[str, Any]:
        return {**config, "epochs": 1, "evals": 1, "repeats": 1,
                "noise_levels": list(config["noise_levels"])[:2], "bits": list(config["bits"])[:1]}

    def run(self, make_act: Callable[[], nn.Module], seed: int, config: dict[str, Any]) -> TaskResult:
        from actlab import robust

        check_config(config)
        t = train_classifier(make_act, seed, config, _in_the_loop(config, seed))
        res = t.result
        if res.diverged:
            return res
        clean_model = robust.remove(t.model)
        clean_model.eval()
        x_te, y_te = t.test
        evaluate = robust.accuracy(x_te, y_te)
        clean = evaluate(clean_model)
        noise = robust.noise_curve(
            clean_model, evaluate, config["noise_levels"], kind=config["noise_kind"],
            where=config["noise_where"], relative=bool(config["relative"]), repeats=int(config["repeats"]),
            seed=int(config["curve_seed"]), clean=clean,
        )
        quant = robust.quantization_curve(clean_model, evaluate, config["bits"], where=config["quant_where"],
                                          clean=clean)
        m = dict(res.metrics)
        m.pop("val_metric", None)  # the validation *accuracy*: not this task's metric
        m.pop("n_test", None)
        m.update({
            "test_metric": noise.auc_relative,
            "best_test_metric": noise.auc_relative,
            "clean_accuracy": clean,
            "val_accuracy": float(res.metrics.get("val_metric", math.nan)),
            "noise_auc": noise.auc,
            "noise_auc_relative": noise.auc_relative,
            "noise_half_level": _finite_or_inf(noise.half_level),
            "quant_auc": quant.auc,
            "quant_auc_relative": quant.auc_relative,
            "quant_half_bits": _finite_or_inf(quant.half_level),
        })
        curves = dict(res.curves)
        curves.update({"noise_levels": list(noise.levels), "noise_accuracy": list(noise.values),
                       "bits": list(quant.levels), "quant_accuracy": list(quant.values)})
        # the per-example correctness describes clean accuracy, not this metric: left out
        return TaskResult(metrics=m, curves=curves, predictions=res.predictions, diverged=False)
