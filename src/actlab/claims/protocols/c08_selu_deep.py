"""Claim 8: SELU trains deep plain feed-forward networks (≥ 16 layers, no normalisation) where ReLU
does not (Klambauer et al. 2017)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import torch
from torch import nn

from actlab.bench.stats import _select_lr
from actlab.bench.tasks import Task, TaskResult, register_task
from actlab.bench.tasks._train import ActSites, train_supervised
from actlab.bench.tasks.base import available_tasks, seed_everything, split_validation
from actlab.bench.tasks.digits import load_digits_split
from actlab.claims.base import Claim, Paper, register_claim
from actlab.claims.decide import contrast, metric_by_seed, superiority
from actlab.claims.protocols._common import Arms, arm, finish, strip_plot

TASK = "claims.deep_mlp"
MIN_EFFECT = 0.01  # one percentage point of accuracy


def activation_gain(module: nn.Module) -> float:
    """``actlab.init_gain`` of a catalog activation module (1 when it is not one)."""
    import actlab

    spec = getattr(module, "spec", None)
    if spec is None:
        return 1.0
    params = {k: v for k, v in (getattr(module, "params", {}) or {}).items() if isinstance(v, (int, float))}
    try:
        return float(actlab.init_gain(spec.name, **params))
    except (TypeError, ValueError):
        return float(actlab.init_gain(spec.name))


class DeepMLPTask(Task):
    """A deep plain MLP (``depth`` hidden layers of ``width``, no normalisation, no skip connections) on
    scikit-learn's digits, weights N(0, gain²/fan_in) with gain = ``actlab.init_gain`` of the
    activation (√2 for ReLU: He init; 1 for SELU: LeCun normal, as the SNN paper prescribes), zero
    biases; validation split for learning-rate selection; test accuracy."""

    name = TASK
    metric = "accuracy"
    higher_is_better = True
    description = "deep plain MLP on digits, variance-preserving init per activation"

    def default_config(self, preset: str) -> dict[str, Any]:
        return {"depth": 16, "width": 64, "test_fraction": 0.25, "val_fraction": 0.15, "optimizer": "sgd",
                "lr": 0.01, "weight_decay": 0.0, "schedule": "constant", "batch_size": 64, "epochs": 30,
                "evals": 3, "device": "cpu"}  # fmt: skip

    def warmup_config(self, config: dict[str, Any]) -> dict[str, Any]:
        return {**config, "epochs": 1, "evals": 1}

    def run(self, make_act: Callable[[], nn.Module], seed: int, config: dict[str, Any]) -> TaskResult:
        x_tr, y_tr, x_te, y_te = load_digits_split(float(config["test_fraction"]))
        (x_tr, y_tr), val = split_validation(x_tr.flatten(1), y_tr, float(config["val_fraction"]))
        gen = seed_everything(seed)
        sites = ActSites(make_act)
        layers: list[nn.Module] = []
        d = 64
        for _ in range(int(config["depth"])):
            layers += [nn.Linear(d, int(config["width"])), sites()]
            d = int(config["width"])
        layers.append(nn.Linear(d, 10))
        model = nn.Sequential(*layers)
        gain = activation_gain(sites.modules[0])
        with torch.no_grad():
            for i, lin in enumerate(m for m in model if isinstance(m, nn.Linear)):
                std = (gain if i > 0 else 1.0) / math.sqrt(lin.in_features)  # the input layer sees raw pixels
                lin.weight.normal_(0.0, std, generator=gen)
                lin.bias.zero_()
        res = train_supervised(model, (x_tr, y_tr), (x_te.flatten(1), y_te), config, gen, acts=sites.modules,
                               val=val)  # fmt: skip
        res.metrics["init_gain"] = gain
        return res


if TASK not in available_tasks():
    register_task(DeepMLPTask)


@register_claim
class SeluDeep(Claim):
    name = "selu_deep"
    statement = (
        "SELU trains deep plain feed-forward networks (16 and 32 layers, no normalisation) where "
        "ReLU does not."
    )
    paper = Paper(
        "Klambauer, Unterthiner, Mayr, Hochreiter", "Self-Normalizing Neural Networks", 2017, "1706.02515"
    )
    summary = (
        "digits, plain MLPs of 16 and 32 hidden layers × 64 (quick) / 128 (full), SGD (momentum 0.9), "
        "each activation at its best of 3 (quick) / 4 (full) learning rates on a validation split; SELU + "
        "LeCun init vs "
        "ReLU + He init"
    )
    protocol = (
        "The paper's self-normalising networks: SELU with LeCun-normal weights N(0, 1/n) in deep fully "
        "connected "
        "networks without normalisation, compared with ReLU networks (here with their own "
        "variance-preserving "
        "He init, N(0, 2/n), so that ReLU is not handicapped by the init), trained with SGD and a "
        "learning rate "
        "chosen per activation on validation data (the paper tunes hyperparameters per method). Metric: test "
        "accuracy (the test-set sampling error is included in the intervals)."
    )
    scaled_down = (
        "The paper trains 8–32-layer SNNs on MNIST/CIFAR-10 and 121 UCI sets, with alpha-dropout; here "
        "digits (1797 8×8 images), width 64, 20 epochs of batch 128 and learning rates 0.01–0.1 (quick) "
        "or width 128, 40 epochs of batch 64 and 0.003–0.1 (full), no dropout (the claim is about plain "
        "networks)."
    )
    decision = (
        "Effect per seed: accuracy(SELU) − accuracy(ReLU) at depth 16 and at depth 32, each at its "
        "validation-best "
        "learning rate; two contrasts, simultaneous intervals, Holm. Supported: both significantly "
        "positive and "
        f"≥ {MIN_EFFECT:g}. Not supported: an upper bound below {MIN_EFFECT:g}. Inconclusive otherwise."
    )
    presets = {
        "tiny": {"seeds": 2, "depths": [4], "lrs": [0.01, 0.1], "config": {"width": 16, "epochs": 1}},
        "quick": {"seeds": 3, "depths": [16, 32], "lrs": [0.01, 0.03, 0.1],
                  "config": {"width": 64, "epochs": 20, "batch_size": 128}},
        "full": {"seeds": 5, "depths": [16, 32], "lrs": [0.003, 0.01, 0.03, 0.1],
                 "config": {"width": 128, "epochs": 40}},
    }  # fmt: skip

    def arms(self, s: dict[str, Any]) -> dict[str, list]:
        out = {}
        for depth in s["depths"]:
            for a in ("selu", "relu"):
                for lr in s["lrs"]:
                    out[f"{a}@{depth}@{lr:g}"] = arm(
                        TASK, a, s["seeds"], {**s["config"], "depth": depth, "lr": lr}
                    )
        return out

    def _chosen(self, arms: Arms, s: dict[str, Any], act: str, depth: int) -> tuple[dict, float | None]:
        runs = [r for lr in s["lrs"] for r in arms.get(f"{act}@{depth}@{lr:g}", {}).values()]
        if not runs:
            return {}, None
        chosen, lr, _, _ = _select_lr(runs, True)
        return {r.seed: r for r in chosen}, lr

    def evaluate(self, arms: Arms, s: dict[str, Any], preset: str):
        cs, extra = [], []
        m = len(s["depths"])
        for depth in s["depths"]:
            sel, lr_s = self._chosen(arms, s, "selu", depth)
            rel, lr_r = self._chosen(arms, s, "relu", depth)
            both = [*sel.values(), *rel.values()]
            worst = min((r.metrics["test_metric"] for r in both if r.status == "ok"),
                        default=None)  # fmt: skip
            a, ca = metric_by_seed(sel, worst=worst)
            b, cb = metric_by_seed(rel, worst=worst)
            cs.append(contrast(f"depth {depth}: selu − relu", a, b, True, 1 - 0.05 / m, ca, cb))
            extra.append(
                f"depth {depth}: selu lr {lr_s}, mean accuracy {sum(a.values()) / max(1, len(a)):.4f}; "
                f"relu lr {lr_r}, mean accuracy {sum(b.values()) / max(1, len(b)):.4f}"
            )
        d = superiority(cs, MIN_EFFECT)
        return finish(
            self,
            preset,
            d,
            "Δ test accuracy, SELU − ReLU (smaller of the depths)",
            "paired t over seeds (+ test-set error), Holm",
            extra,
        )

    def plot(self, arms: Arms, result, plots):
        s = self.presets.get(result.preset) or self.presets["quick"]
        series = {}
        for depth in s["depths"]:
            for a in ("selu", "relu"):
                chosen, lr = self._chosen(arms, s, a, depth)
                series[f"{a}, {depth} layers (lr {lr})"] = [r.metrics["test_metric"] for r in chosen.values()
                                                            if r.status == "ok"]  # fmt: skip
        return strip_plot(plots, self.name, series, "test accuracy", "Deep plain MLPs without normalisation")
