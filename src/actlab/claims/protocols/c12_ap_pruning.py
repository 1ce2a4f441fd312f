"""Claim 12: in magnitude-pruned ReLU networks, AP (Activate-while-Pruning: pruning also the negative
weights that moved least) lowers the dynamic dead-neuron rate and recovers accuracy (Liu et al. 2023)."""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import torch
from torch import nn

from actlab.bench.tasks import Task, TaskResult, register_task
from actlab.bench.tasks._train import ActSites, batches, make_optimizer, predict
from actlab.bench.tasks.base import available_tasks, seed_everything
from actlab.bench.tasks.digits import load_digits_split
from actlab.claims.base import INCONCLUSIVE, NOT_SUPPORTED, SUPPORTED, Claim, Paper, register_claim
from actlab.claims.decide import contrast, metric_by_seed, superiority
from actlab.claims.protocols._common import Arms, arm, regime_failed

TASK = "claims.pruning"
MIN_EFFECT = 0.005  # half a percentage point of accuracy
HIGH_SPARSITY_DENSITY = 0.10  # "highly pruned": at most 10 % of the weights left
PRUNING_COST = 0.01  # the regime: pruning must have cost IMP at least one point of accuracy there


def _weights(model: nn.Module) -> list[nn.Parameter]:
    return [m.weight for m in model.modules() if isinstance(m, nn.Linear)]


def dead_rate(model: nn.Module, x: torch.Tensor, sites: list[nn.Module]) -> float:
    """Dynamic dead-neuron rate: the mean, over inputs and hidden layers, of the fraction of neurons
    whose activation is exactly zero on that input."""
    fracs: list[float] = []
    hooks = [m.register_forward_hook(lambda mod, a, out: fracs.append(float((out == 0).float().mean())))
             for m in sites]  # fmt: skip
    try:
        predict(model, x)
    finally:
        for h in hooks:
            h.remove()
    return float(np.mean(fracs)) if fracs else math.nan


class PruningTask(Task):
    """Iterative magnitude pruning with rewinding (IMP, the lottery-ticket procedure) of a
    64-300-100-10 MLP on digits, with or without AP.

    Round r: rewind the surviving weights to their initial values, train ``epochs`` epochs (pruned
    weights held at 0), measure test accuracy, dynamic dead-neuron rate and density, then prune
    ``prune_rate`` of the surviving weights (globally over the Linear weights, biases kept): by
    magnitude (``method: imp``), or (``method: ap``, the authors' code) ``prune_rate − ap_rate`` by
    magnitude and then ``ap_rate`` (of the surviving count) among the *negative* surviving weights
    that changed least during the round's training, |w_trained − w_start| smallest.
    """

    name = TASK
    metric = "accuracy"
    higher_is_better = True
    description = "iterative magnitude pruning (± AP) of a ReLU MLP on digits"

    def default_config(self, preset: str) -> dict[str, Any]:
        return {
            "method": "imp",
            "rounds": 8,
            "prune_rate": 0.2,
            "ap_rate": 0.02,
            "epochs": 20,
            "widths": [300, 100],
            "optimizer": "adam",
            "lr": 1e-3,
            "weight_decay": 0.0,
            "batch_size": 64,
            "test_fraction": 0.25,
        }

    def warmup_config(self, config: dict[str, Any]) -> dict[str, Any]:
        return {**config, "rounds": 0, "epochs": 1}

    def run(self, make_act: Callable[[], nn.Module], seed: int, config: dict[str, Any]) -> TaskResult:
        if config["method"] not in ("imp", "ap"):
            raise ValueError(f"pruning: method must be 'imp' or 'ap', got {config['method']!r}")
        x_tr, y_tr, x_te, y_te = load_digits_split(float(config["test_fraction"]))
        x_tr, x_te = x_tr.flatten(1), x_te.flatten(1)
        gen = seed_everything(seed)
        sites = ActSites(make_act)
        widths = [int(w) for w in config["widths"]]
        layers: list[nn.Module] = []
        d = 64
        for w in widths:
            layers += [nn.Linear(d, w), sites()]
            d = w
        layers.append(nn.Linear(d, 10))
        model = nn.Sequential(*layers)
        init = copy.deepcopy(model.state_dict())
        ws = _weights(model)
        masks = [torch.ones_like(w, dtype=torch.bool) for w in ws]
        curves: dict[str, list[float]] = {"density": [], "accuracy": [], "dead_rate": [], "train_loss": []}
        steps, total = 0, sum(w.numel() for w in ws)
        for rnd in range(int(config["rounds"]) + 1):
            model.load_state_dict(init)
            with torch.no_grad():
                for w, m in zip(ws, masks):
                    w.mul_(m)
            start = [w.detach().clone() for w in ws]
            opt = make_optimizer(model, config)
            loss_v = math.nan
            for _ in range(int(config["epochs"])):
                run_loss, n = 0.0, 0
                for idx in batches(len(x_tr), int(config["batch_size"]), gen):
                    loss = nn.functional.cross_entropy(model(x_tr[idx]), y_tr[idx])
                    opt.zero_grad(set_to_none=True)
                    loss.backward()
                    opt.step()
                    with torch.no_grad():
                        for w, m in zip(ws, masks):
                            w.mul_(m)
                    run_loss += loss.item()
                    n += 1
                    steps += 1
                loss_v = run_loss / max(1, n)
            if not math.isfinite(loss_v):
                return TaskResult(metrics={"test_metric": math.nan, "best_test_metric": math.nan,
                                           "final_train_loss": loss_v, "steps": float(steps)},
                                  curves=curves, diverged=True)  # fmt: skip
            pred = predict(model, x_te).argmax(-1)
            curves["accuracy"].append(float((pred == y_te).float().mean()))
            curves["density"].append(sum(int(m.sum()) for m in masks) / total)
            curves["dead_rate"].append(dead_rate(model, x_te, sites.modules))
            curves["train_loss"].append(loss_v)
            if rnd == int(config["rounds"]):
                break
            masks = self._prune(ws, masks, start, config)
        correct = (pred == y_te).int().tolist()
        hi = [a for a, dns in zip(curves["accuracy"], curves["density"]) if dns <= HIGH_SPARSITY_DENSITY]
        hd = [r for r, dns in zip(curves["dead_rate"], curves["density"]) if dns <= HIGH_SPARSITY_DENSITY]
        metrics = {"test_metric": curves["accuracy"][-1], "best_test_metric": max(curves["accuracy"]),
                   "final_train_loss": curves["train_loss"][-1], "steps": float(steps),
                   "dense_accuracy": curves["accuracy"][0], "final_density": curves["density"][-1],
                   "high_sparsity_accuracy": float(np.mean(hi)) if hi else math.nan,
                   "high_sparsity_dead_rate": float(np.mean(hd)) if hd else math.nan,
                   "dead_rate": curves["dead_rate"][-1], "n_test": float(len(y_te))}  # fmt: skip
        return TaskResult(metrics=metrics, curves=curves, predictions=pred.tolist(), correct=correct)

    @staticmethod
    def _prune(ws: list, masks: list, start: list, config: dict[str, Any]) -> list:
        alive = torch.cat([w.detach()[m].abs() for w, m in zip(ws, masks)])
        n_alive = alive.numel()
        mag_rate = float(config["prune_rate"]) - (
            float(config["ap_rate"]) if config["method"] == "ap" else 0.0
        )
        k = int(mag_rate * n_alive)
        thr = torch.kthvalue(alive, k).values if k > 0 else torch.tensor(-1.0)
        new = [m & (w.detach().abs() > thr) for w, m in zip(ws, masks)]
        if config["method"] == "ap":
            n_ap = int(float(config["ap_rate"]) * n_alive)
            change = torch.cat(
                [(w.detach() - s)[m & (w.detach() < 0)].abs() for w, s, m in zip(ws, start, new)]
            )
            if n_ap > 0 and change.numel() > n_ap:
                cthr = torch.kthvalue(change, n_ap).values
                new = [
                    m & ~((w.detach() < 0) & ((w.detach() - s).abs() <= cthr))
                    for w, s, m in zip(ws, start, new)
                ]
        return new


if TASK not in available_tasks():
    register_task(PruningTask)


@register_claim
class APPruning(Claim):
    name = "ap_pruning"
    statement = (
        "In magnitude-pruned ReLU networks, AP (also pruning the negative weights that moved least) lowers "
        "the dynamic dead-neuron rate and raises accuracy at the same sparsity."
    )
    paper = Paper(
        "Liu, Ghosh, Tan, Motani",
        "AP: Selective Activation for De-sparsifying Pruned Neural Networks",
        2023,
        "2212.06145",
    )
    summary = (
        "digits, 64-300-100-10 ReLU MLP, iterative magnitude pruning with rewinding, 20 % per round, "
        "12 (quick: 6.9 % density) / 16 (full: 2.8 %) rounds, with and without AP (2 % per round); "
        "accuracy and dead-neuron rate at ≤ 10 % density"
    )
    protocol = (
        "The authors' procedure (their code): each round trains the rewound network, prunes 20 % of the "
        "surviving weights globally by magnitude — with AP, 18 % by magnitude and 2 % among the negative "
        "surviving weights whose value changed least in the round (de-sparsifying: fewer negative inputs, "
        "fewer dead ReLUs) — and rewinds to the initial weights. Dynamic dead-neuron rate (DNR): the mean "
        "over "
        "test inputs of the fraction of hidden ReLUs outputting 0. Runs of one seed share the initialisation "
        "and data order between IMP and IMP+AP. The paper reports that DNR falls as pruning proceeds; the "
        "board's wording 'pruned ReLU networks accumulate dead neurons' is the opposite and is reported "
        "below "
        "as the measured DNR trend, not judged."
    )
    scaled_down = (
        "The paper prunes ResNet/VGG/DenseNet on CIFAR-10/100 and ImageNet with SGD; here a LeNet-300-"
        "100-style MLP on digits trained with the digits task's recipe (Adam, lr 1e-3, 20 epochs per "
        "round), 4 (quick) / 8 (full) seeds."
    )
    decision = (
        "(a) accuracy: mean accuracy over the rounds at ≤ 10 % density, AP − IMP per seed (superiority, "
        f"δ = {MIN_EFFECT:g}, test-set error of the last round included); (b) mechanism: DNR at those "
        "rounds, "
        "IMP − AP (superiority, δ = 0). Supported: (a) and (b) supported. Not supported: (a) not supported. "
        "Inconclusive otherwise, or outside the regime: when pruning has not cost IMP at least "
        f"{PRUNING_COST:g} of accuracy at those densities, there is nothing for AP to recover."
    )
    presets = {
        "tiny": {"seeds": 2, "config": {"rounds": 2, "epochs": 1, "widths": [32, 16]}},
        "quick": {"seeds": 4, "config": {"rounds": 12, "epochs": 15}},
        "full": {"seeds": 8, "config": {"rounds": 16, "epochs": 20}},
    }

    def arms(self, s: dict[str, Any]) -> dict[str, list]:
        return {m: arm(TASK, "relu", s["seeds"], {**s["config"], "method": m}) for m in ("imp", "ap")}

    def evaluate(self, arms: Arms, s: dict[str, Any], preset: str):
        got = {m: metric_by_seed(arms[m], "high_sparsity_accuracy") for m in arms}
        acc = {m: v for m, (v, _) in got.items()}
        corr = {m: c for m, (_, c) in got.items()}
        dnr = {m: metric_by_seed(arms[m], "high_sparsity_dead_rate")[0] for m in arms}
        if preset == "tiny":  # the tiny preset never reaches 10 % density: judge the last round
            acc = {m: metric_by_seed(arms[m], "test_metric")[0] for m in arms}
            dnr = {m: metric_by_seed(arms[m], "dead_rate")[0] for m in arms}
        if not acc["imp"] or not acc["ap"]:
            return self.result(preset, INCONCLUSIVE, reason="no finished IMP or AP run reached 10 % density")
        # the regime: pruning must have cost IMP accuracy, else there is nothing for AP to recover
        dense = metric_by_seed(arms["imp"], "dense_accuracy")[0]
        cost = [dense[k] - acc["imp"][k] for k in acc["imp"] if k in dense]
        cost_line = ""
        if cost:
            cost_line = f"IMP's accuracy cost of pruning (dense − at ≤ 10 % density): {np.mean(cost):+.4f}"
        if preset != "tiny" and (not cost or np.mean(cost) < PRUNING_COST):
            why = f"pruning cost IMP < {PRUNING_COST:g} accuracy at ≤ 10 % density: nothing to recover"
            return regime_failed(self, preset, why, [cost_line])
        ca = contrast("accuracy ap − imp", acc["ap"], acc["imp"], True, 0.95, corr["ap"], corr["imp"])
        cb = contrast("dead rate imp − ap", dnr["ap"], dnr["imp"], False, 0.95)
        da, db = superiority([ca], MIN_EFFECT), superiority([cb], 0.0)
        verdict = (SUPPORTED if da.verdict == db.verdict == SUPPORTED else
                   NOT_SUPPORTED if da.verdict == NOT_SUPPORTED else INCONCLUSIVE)  # fmt: skip
        trend = []
        for m in ("imp", "ap"):
            ds = [r.curves.get("dead_rate", []) for r in arms[m].values() if r.status == "ok"]
            if ds and all(len(x) == len(ds[0]) for x in ds):
                mean = np.mean(ds, axis=0)
                trend.append(f"{m}: DNR by round {', '.join(f'{v:.3f}' for v in mean)}")
        p = da.primary
        return self.result(
            preset, verdict, effect="Δ accuracy at ≤ 10 % density, AP − "
                                    "IMP", estimate=p.est if p else math.nan,
            ci=da.ci, test="paired t over seeds", p=da.p, n=p.cmp.n_pairs if p else 0,
            reason=f"(a) {da.verdict}: {da.reason}; (b) {db.verdict}: {db.reason}",
            details=da.lines + db.lines + [cost_line] + trend,
        )  # fmt: skip

    def plot(self, arms: Arms, result, plots):
        fig, axes = plots.plt.subplots(1, 2, figsize=(11, 4))
        for m, col in zip(("imp", "ap"), ("#1f77b4", "#d62728")):
            for k, r in enumerate(v for v in arms.get(m, {}).values() if v.status == "ok"):
                d = r.curves.get("density", [])
                axes[0].plot(d, r.curves.get("accuracy", []), color=col, alpha=0.6, marker=".",
                             label=m.upper() if k == 0 else None)  # fmt: skip
                axes[1].plot(d, r.curves.get("dead_rate", []), color=col, alpha=0.6, marker=".",
                             label=m.upper() if k == 0 else None)  # fmt: skip
        for ax, lab in zip(axes, ("test accuracy", "dynamic dead-neuron rate")):
            ax.set_xscale("log")
            ax.invert_xaxis()
            ax.set_xlabel("density (fraction of weights left)")
            ax.set_ylabel(lab)
            ax.legend(fontsize=8)
        axes[0].set_title("Iterative magnitude pruning, with and without AP", fontsize=10)
        return plots.save(fig, "claim-ap-pruning")
