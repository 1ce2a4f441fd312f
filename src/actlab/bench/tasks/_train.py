"""Training and evaluation loops shared by the tasks: minibatch classification and regression, the
divergence check, and the activation statistics from :func:`actlab.probe`.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import torch
from torch import nn

from actlab.bench.tasks.base import TaskResult, Tracker, finite

PROBE_METRICS = ("dead_rate", "zero_fraction", "near_zero_fraction")


def make_optimizer(model: nn.Module, cfg: dict[str, Any]) -> torch.optim.Optimizer:
    """``cfg["optimizer"]`` (``"adam"``, ``"adamw"`` or ``"sgd"`` with momentum 0.9) at ``cfg["lr"]``."""
    name = cfg.get("optimizer", "adam")
    wd = float(cfg.get("weight_decay", 0.0))
    lr = float(cfg["lr"])
    if name == "adam":
        return torch.optim.Adam(model.parameters(), lr=lr, weight_decay=wd)
    if name == "adamw":
        return torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=wd)
    if name == "sgd":
        return torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9, weight_decay=wd, nesterov=False)
    raise ValueError(f"unknown optimizer {name!r}; valid: adam, adamw, sgd")


def lr_factor(
    schedule: str, step: int, total: int, warmup: int = 0, milestones: tuple[float, ...] = (0.5, 0.75)
) -> float:
    """Multiplier of the base learning rate at ``step`` (0-based) of ``total``.

    ``"constant"``: 1. ``"cosine"``: linear warm-up over ``warmup`` steps, then
    ``0.5 (1 + cos(π t))`` with ``t`` the fraction of the remaining steps done. ``"step"``:
    ``0.1^k`` with ``k`` the number of ``milestones`` (fractions of ``total``) passed, as in
    He et al. 2016 (÷10 at 50 % and 75 % of training).
    """
    if schedule == "constant":
        return 1.0
    if schedule == "step":
        return 0.1 ** sum(step >= m * total for m in milestones)
    if schedule != "cosine":
        raise ValueError(f"unknown schedule {schedule!r}; valid: constant, cosine, step")
    if step < warmup:
        return (step + 1) / warmup
    t = (step - warmup) / max(1, total - warmup)
    return 0.5 * (1.0 + math.cos(math.pi * min(1.0, t)))


def batches(n: int, batch_size: int, gen: torch.Generator, shuffle: bool = True) -> Iterator[torch.Tensor]:
    """Index tensors of one epoch over ``n`` samples (a seeded permutation when ``shuffle``)."""
    order = torch.randperm(n, generator=gen) if shuffle else torch.arange(n)
    for i in range(0, n, batch_size):
        yield order[i : i + batch_size]


@torch.no_grad()
def predict(model: nn.Module, x: torch.Tensor, batch_size: int = 1024) -> torch.Tensor:
    """``model(x)`` in eval mode, in batches, concatenated."""
    was_training = model.training
    model.eval()
    out = torch.cat([model(x[i : i + batch_size]) for i in range(0, len(x), batch_size)])
    model.train(was_training)
    return out


class ActSites:
    """Wraps an activation factory and remembers every module it made (the model's activation sites).

    ``sites = ActSites(make_act)``; build the model with ``sites`` as the factory; ``sites.modules``
    then lists the activation modules, which :func:`probe_stats` hooks.
    """

    def __init__(self, make_act: Callable[[], nn.Module]):
        self.make_act = make_act
        self.modules: list[nn.Module] = []

    def __call__(self) -> nn.Module:
        m = self.make_act()
        if not isinstance(m, nn.Module):
            raise TypeError(f"the activation factory must return an nn.Module, got {type(m).__name__}")
        if all(m is not o for o in self.modules):
            self.modules.append(m)
        return m


def probe_stats(
    model: nn.Module, forward: Callable[[], Any], modules: list[nn.Module], neuron_dim: int = 1
) -> dict[str, float]:
    """Activation statistics of ``modules`` (inside ``model``) during ``forward()``, averaged over them.

    Uses :func:`actlab.probe` (ε = 1e-3) and returns ``dead_rate`` (the dynamic dead-neuron rate of
    the APA paper: the fraction of neurons never active, |a| > ε, on the data seen),
    ``zero_fraction`` (exact zeros) and ``near_zero_fraction`` (|a| ≤ ε), each the mean over the
    layers. ``neuron_dim`` is the axis of neurons/channels in the activations (1 for (B, C),
    (B, C, L) and (B, C, H, W); -1 for (B, T, C)). If the probe fails (e.g. an activation module
    that does not return a tensor), a ``RuntimeWarning`` is issued and ``{}`` returned.
    """
    import actlab

    if not modules:
        return {}
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad(), actlab.probe(
            model, list(modules), neuron_dim=neuron_dim, threshold_sparsity=False, followers=None
        ) as p:
            forward()
        rows = p.rows()
    except Exception as e:  # noqa: BLE001  (a finished run is not lost to its statistics)
        warnings.warn(f"actlab.probe failed, no sparsity/dead-neuron metrics: {type(e).__name__}: {e}",
                      RuntimeWarning, stacklevel=2)
        return {}
    finally:
        model.train(was_training)
    sums: dict[str, list[float]] = {}
    for r in rows:
        if r["metric"] in PROBE_METRICS:
            v = float(r["value"])
            if math.isfinite(v):
                sums.setdefault(r["metric"], []).append(v)
    return {k: sum(v) / len(v) for k, v in sums.items()}


def train_supervised(
    model: nn.Module,
    train: tuple[torch.Tensor, torch.Tensor],
    test: tuple[torch.Tensor, torch.Tensor],
    cfg: dict[str, Any],
    gen: torch.Generator,
    *,
    kind: str = "classification",
    higher_is_better: bool = True,
    augment: Callable[[torch.Tensor, torch.Generator], torch.Tensor] | None = None,
    metric_fn: Callable[[torch.Tensor, torch.Tensor], float] | None = None,
    acts: list[nn.Module] | None = None,
    neuron_dim: int = 1,
    probe_samples: int = 512,
    val: tuple[torch.Tensor, torch.Tensor] | None = None,
) -> TaskResult:
    """Minibatch training of ``model`` on ``train``, evaluated on ``test`` (and ``val``).

    ``kind="classification"``: cross-entropy loss; the test metric is accuracy; the result carries the
    test-set predicted labels and, per test example, whether it was right (``correct``), and the
    metric ``n_test``. ``kind="regression"``: mean squared error; the test metric is the MSE,
    or ``metric_fn(outputs, targets)`` when given. With ``val`` (a validation split, never the test
    set), the same metric on it is logged at every evaluation (curve ``val_metric``) and reported
    as ``val_metric`` (final) — what learning-rate selection uses. ``cfg["eval_predictions"]``
    (default false) also stores the test predictions of every evaluation as curves
    ``predictions@<epoch>`` (for prediction difference along training).

    ``cfg`` keys: ``epochs``, ``batch_size``, ``lr``, ``optimizer``, ``weight_decay``, ``schedule``,
    ``warmup_steps``, ``evals`` (number of evaluations spread over training, the last one at the end)
    and ``device`` (default ``"cpu"``; data and model are moved there).
    The train loss is logged once per epoch (mean over its steps). A non-finite loss or parameter
    stops training: the result has ``diverged=True`` and a NaN final test metric. After training,
    the activation modules ``acts`` are probed on the first ``probe_samples`` test inputs.
    """
    device = torch.device(cfg.get("device", "cpu"))
    model.to(device)
    x_tr, y_tr = (t.to(device) for t in train)
    x_te, y_te = (t.to(device) for t in test)
    opt = make_optimizer(model, cfg)
    base_lrs = [g["lr"] for g in opt.param_groups]
    bs = int(cfg["batch_size"])
    epochs = int(cfg["epochs"])
    if epochs < 1 or bs < 1:
        raise ValueError(f"epochs and batch_size must be at least 1, got epochs={epochs}, batch_size={bs}")
    steps_per_epoch = math.ceil(len(x_tr) / bs)
    total = epochs * steps_per_epoch
    n_evals = max(1, int(cfg.get("evals", 5)))
    eval_epochs = {max(1, round(epochs * (i + 1) / n_evals)) for i in range(n_evals)}
    schedule = cfg.get("schedule", "constant")
    warmup = int(cfg.get("warmup_steps", 0))
    loss_fn = nn.functional.cross_entropy if kind == "classification" else nn.functional.mse_loss
    tr = Tracker(higher_is_better=higher_is_better)
    step = 0

    if val is not None and len(val[1]) == 0:
        val = None
    x_va, y_va = (t.to(device) for t in val) if val is not None else (None, None)
    keep_preds = bool(cfg.get("eval_predictions", False)) and kind == "classification"

    def evaluate(x: torch.Tensor = x_te, y: torch.Tensor = y_te) -> tuple[float, torch.Tensor]:
        out = predict(model, x)
        if kind == "classification":
            pred = out.argmax(-1)
            return float((pred == y).float().mean()), pred
        if metric_fn is not None:
            return float(metric_fn(out, y)), out
        return float(nn.functional.mse_loss(out, y)), out

    model.train()
    for epoch in range(1, epochs + 1):
        total_loss, n_steps = 0.0, 0
        for idx in batches(len(x_tr), bs, gen):
            idx = idx.to(device)
            xb, yb = x_tr[idx], y_tr[idx]
            if augment is not None:
                xb = augment(xb, gen)
            f = lr_factor(schedule, step, total, warmup)
            for g, b in zip(opt.param_groups, base_lrs):
                g["lr"] = b * f
            loss = loss_fn(model(xb), yb)
            loss_value = loss.item()  # the step's one host sync
            if not math.isfinite(loss_value):
                tr.diverged = True
                break
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            step += 1
            total_loss += loss_value
            n_steps += 1
        if n_steps:
            tr.log("train_loss", total_loss / n_steps)
        if not tr.diverged and not finite(0.0, model):
            tr.diverged = True
        if tr.diverged:
            break
        if epoch in eval_epochs:  # always includes the last epoch
            metric, out = evaluate()
            tr.evaluation(metric)
            tr.log("eval_epoch", epoch)
            if x_va is not None:
                tr.log("val_metric", evaluate(x_va, y_va)[0])
            if keep_preds:
                tr.curves[f"predictions@{epoch}"] = [float(v) for v in out.cpu().tolist()]

    if tr.diverged:
        return tr.result(float("nan"), step)
    extra = probe_stats(model, lambda: model(x_te[:probe_samples]), acts or [], neuron_dim)
    preds = correct = None
    if kind == "classification":
        preds = out.cpu().tolist()
        correct = (out == y_te).int().cpu().tolist()
        extra["n_test"] = float(len(y_te))
    if "val_metric" in tr.curves:
        extra["val_metric"] = tr.curves["val_metric"][-1]
    return tr.result(metric, step, extra=extra, predictions=preds, correct=correct)
