"""``ood``: out-of-distribution detection of a trained classifier, plain and with ReAct / VRA.

Each run trains the ``digits`` (or ``mnist1d``) classifier of :mod:`actlab.bench.tasks._trained`
(in-distribution: its test split) and scores in-distribution against out-of-distribution inputs
of the same shape, generated or bundled with installed packages (:func:`ood_sets`, no download):

- ``uniform``: uniform noise over the training data's value range;
- ``gaussian``: Gaussian noise with the training data's per-feature mean and standard deviation;
- ``images``: natural images bundled with scikit-image (camera, astronaut, coffee, cat, brick),
  as 8×8 grayscale patches (4×4 block means of random 32×32 crops) for ``digits``, or as
  40-sample rows (block means of 160-pixel rows, standardised to the data's mean and std) for
  ``mnist1d``;
- ``permuted``: test inputs with their features shuffled (a fresh permutation per input: the same
  values, no digit);
- ``inverted``: test inputs reflected in their range (``1 − x`` for digits, ``−x`` for mnist1d).

Three detectors, all with the ``score`` (default the energy score, as both papers):
``plain`` (the trained model), ``react`` (:func:`actlab.ood.react`, ``react_percentile``) and
``vra`` (:func:`actlab.ood.vra`, ``vra_low_percentile``/``vra_high_percentile``/``vra_gamma``,
per-unit thresholds when ``vra_per_unit``), both calibrated on the in-distribution *training*
inputs as the papers do.

Metrics: ``test_metric`` = ``auroc_plain``; for each detector ``d``: ``auroc_<d>``, ``fpr95_<d>``,
``aupr_in_<d>`` (means over the OOD sets), ``auroc_<d>@<set>`` per set, and ``accuracy_<d>``
(in-distribution test accuracy with the rectification); ``react_gain`` = auroc_react −
auroc_plain, ``vra_gain`` = auroc_vra − auroc_plain, ``vra_minus_react``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch
from torch import nn

from actlab.bench.tasks._trained import DATASETS, classifier_config, train_classifier
from actlab.bench.tasks.base import Task, TaskResult, register_task

__all__ = ["DETECTORS", "OOD_SETS", "OodTask", "check_config", "ood_sets"]

OOD_SETS = ("uniform", "gaussian", "images", "permuted", "inverted")
DETECTORS = ("plain", "react", "vra")
_IMAGES = ("camera", "astronaut", "coffee", "chelsea", "brick")


@functools.lru_cache(maxsize=2)
def _gray_images() -> tuple[np.ndarray, ...]:
    """scikit-image's bundled pictures as float grayscale in [0, 1]."""
    from skimage import color, data

    out = []
    for name in _IMAGES:
        img = getattr(data, name)().astype(np.float64)
        if img.ndim == 3:
            img = color.rgb2gray(img[..., :3] / 255.0)
        else:
            img = img / 255.0
        out.append(img)
    return tuple(out)


def _patches(n: int, rng: np.random.Generator, data: str, mean: float, std: float) -> np.ndarray:
    imgs = _gray_images()
    rows = []
    for _ in range(n):
        img = imgs[rng.integers(len(imgs))]
        if data == "digits":  # 32×32 crop, 4×4 block means -> 8×8 in [0, 1]
            i, j = rng.integers(img.shape[0] - 32), rng.integers(img.shape[1] - 32)
            rows.append(img[i : i + 32, j : j + 32].reshape(8, 4, 8, 4).mean(axis=(1, 3)).ravel())
        else:  # 160-pixel row, blocks of 4 -> 40 samples, standardised to the data
            i, j = rng.integers(img.shape[0]), rng.integers(img.shape[1] - 160)
            r = img[i, j : j + 160].reshape(40, 4).mean(axis=1)
            rows.append((r - r.mean()) / (r.std() + 1e-6) * std + mean)
    return np.stack(rows)


def ood_sets(
    train_x: torch.Tensor, test_x: torch.Tensor, names: Sequence[str], n: int, seed: int, data: str
) -> dict[str, torch.Tensor]:
    """The OOD inputs ``names`` (see the module docstring), ``n`` each, shaped like ``test_x``."""
    rng = np.random.default_rng(seed)
    shape = tuple(test_x.shape[1:])
    flat_tr = train_x.reshape(len(train_x), -1).double().numpy()
    flat_te = test_x.reshape(len(test_x), -1).double().numpy()
    lo, hi = float(flat_tr.min()), float(flat_tr.max())
    out: dict[str, np.ndarray] = {}
    pick = rng.integers(len(flat_te), size=n)
    for name in names:
        if name == "uniform":
            out[name] = rng.uniform(lo, hi, size=(n, flat_tr.shape[1]))
        elif name == "gaussian":
            sd = flat_tr.std(axis=0) + 1e-6
            out[name] = rng.normal(flat_tr.mean(axis=0), sd, size=(n, flat_tr.shape[1]))
        elif name == "images":
            out[name] = _patches(n, rng, data, float(flat_tr.mean()), float(flat_tr.std()))
        elif name == "permuted":
            base = flat_te[pick]
            out[name] = np.stack([row[rng.permutation(len(row))] for row in base])
        elif name == "inverted":
            base = flat_te[pick]
            out[name] = (1.0 - base) if data == "digits" else -base
        else:
            raise ValueError(f"ood_sets must be among {', '.join(OOD_SETS)}, got {name!r}")
    return {k: torch.from_numpy(v).float().reshape(n, *shape) for k, v in out.items()}


def check_config(cfg: dict[str, Any]) -> None:
    """``ValueError`` naming the key for a bad OOD setting (run before any run starts)."""
    from actlab.ood.metrics import SCORES
    from actlab.ood.rectify import check_percentile

    if cfg["data"] not in DATASETS:
        raise ValueError(f"data must be one of {', '.join(DATASETS)}, got {cfg['data']!r}")
    sets = list(cfg["ood_sets"])
    bad = [s for s in sets if s not in OOD_SETS]
    if not sets or bad or len(set(sets)) != len(sets):
        raise ValueError(f"ood_sets must be a non-empty list of distinct names among {', '.join(OOD_SETS)}, "
                         f"got {cfg['ood_sets']!r}")
    n = cfg["n_ood"]
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"n_ood must be an integer >= 0 (0: as many as test inputs), got {n!r}")
    check_percentile("react_percentile", cfg["react_percentile"])
    lo = check_percentile("vra_low_percentile", cfg["vra_low_percentile"])
    hi = check_percentile("vra_high_percentile", cfg["vra_high_percentile"])
    if not lo < hi:
        raise ValueError(f"vra_low_percentile must be below vra_high_percentile, got {lo} and {hi}")
    g = cfg["vra_gamma"]
    if isinstance(g, bool) or not isinstance(g, (int, float)) or not 0 <= g < float("inf"):
        raise ValueError(f"vra_gamma must be a finite number >= 0, got {g!r}")
    if cfg["score"] not in SCORES:
        raise ValueError(f"score must be one of {', '.join(SCORES)}, got {cfg['score']!r}")


@register_task
class OodTask(Task):
    name = "ood"
    metric = "auroc_plain"
    higher_is_better = True
    description = "digits/mnist1d classifier vs generated and bundled OOD sets: AUROC plain, ReAct, VRA"

    def default_config(self, preset: str) -> dict[str, Any]:
        return {**classifier_config(preset), "ood_sets": list(OOD_SETS), "n_ood": 0, "ood_seed": 0,
                "score": "energy", "react_percentile": 90.0, "vra_low_percentile": 60.0,
                "vra_high_percentile": 90.0, "vra_gamma": 0.0, "vra_per_unit": True}

    def config(self, preset: str = "quick", **overrides: Any) -> dict[str, Any]:
        cfg = super().config(preset, **overrides)
        check_config(cfg)
        return cfg

    def warmup_config(self, config: dict[str, Any]) -> dict[str, Any]:
        return {**config, "epochs": 1, "evals": 1, "n_ood": 32}

    def run(self, make_act: Callable[[], nn.Module], seed: int, config: dict[str, Any]) -> TaskResult:
        from actlab import ood

        check_config(config)
        t = train_classifier(make_act, seed, config)
        res = t.result
        if res.diverged:
            return res
        x_tr = t.train[0]
        x_te, y_te = t.test
        n = int(config["n_ood"]) or len(x_te)
        sets = ood_sets(x_tr, x_te, config["ood_sets"], n, int(config["ood_seed"]), config["data"])
        detectors: dict[str, nn.Module] = {
            "plain": t.model,
            "react": ood.react(t.model, x_tr, percentile=float(config["react_percentile"])),
            "vra": ood.vra(t.model, x_tr, low_percentile=float(config["vra_low_percentile"]),
                           high_percentile=float(config["vra_high_percentile"]),
                           gamma=float(config["vra_gamma"]), per_unit=bool(config["vra_per_unit"])),
        }
        m = dict(res.metrics)
        m.pop("val_metric", None)  # validation *accuracy*, not this task's metric
        m["accuracy"] = m.pop("test_metric")
        m.pop("best_test_metric", None)
        for d, model in detectors.items():
            model.eval()
            with torch.no_grad():
                m[f"accuracy_{d}"] = float((model(x_te).argmax(-1) == y_te).float().mean())
            per = {s: ood.evaluate(model, x_te, x, score=config["score"]) for s, x in sets.items()}
            for s, r in per.items():
                m[f"auroc_{d}@{s}"] = r.auroc
            for key in ("auroc", "fpr95", "aupr_in"):
                m[f"{key}_{d}"] = float(np.mean([getattr(r, key) for r in per.values()]))
        m["react_gain"] = m["auroc_react"] - m["auroc_plain"]
        m["vra_gain"] = m["auroc_vra"] - m["auroc_plain"]
        m["vra_minus_react"] = m["auroc_vra"] - m["auroc_react"]
        m["test_metric"] = m["best_test_metric"] = m["auroc_plain"]
        return TaskResult(metrics=m, curves=res.curves, predictions=res.predictions, diverged=False)
