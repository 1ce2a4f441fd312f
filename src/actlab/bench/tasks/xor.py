"""``xor``: can the activation solve XOR, and over which learning rates?

The setting of Pinto & Tavares, "PReLU: Yet Another Single-Layer Solution to the XOR Problem"
(arXiv 2409.10821): the four points x ∈ {0, 1}², target t = x₁ XOR x₂, two networks:

- ``single``: one neuron, y = f(w·x + b) (three parameters; ``single_bias: false`` drops b, as the
  paper's PReLU unit, whose three parameters are w₁, w₂ and the learned slope);
- ``mlp``: the 2-2-1 perceptron, y = v·f(W x + c) + d (linear output).

``inputs``: ``"01"`` (x ∈ {0, 1}², the default) or ``"pm1"`` (x ∈ {−1, 1}²); targets stay 0/1.
``nets`` chooses which of the two are trained. Each network is trained from ``trials`` seeded
initialisations (PyTorch's default ``nn.Linear`` init, U(-1/√2, 1/√2)) at every learning rate of
``lrs``, full-batch on the mean squared error for ``epochs`` steps, by gradient descent
(``optimizer: sgd``) or Adam (``adam``: β = 0.9, 0.999, ε = 1e-8, as ``torch.optim.Adam``, applied
to every run's parameters with that run's learning rate). A run *succeeds* when all four outputs are
on the right side of 0.5 at the end; a run whose loss or parameters become non-finite fails.

Metrics: ``test_metric`` = success rate over both networks, all learning rates and trials;
``success_single`` and ``success_mlp``; ``success_<net>_lr_<lr>`` for every learning rate (``lr`` in
``%g`` format, e.g. ``success_mlp_lr_0.1``); ``diverged_fraction``. Curves: ``lr`` (the grid),
``success_single`` and ``success_mlp`` (success rate per learning rate, aligned with ``lr``; the
report's success-versus-learning-rate plot), ``train_loss`` (median MSE of the live runs every
``log_every`` steps, averaged over the two networks) and ``test_metric`` (the success rate at those steps).
``diverged`` is set only when every run diverged.

All runs of one network train together as one batched model (the learning-rate grid × trials
along a leading axis). ``make_act()`` is called once per activation site per run; an activation
without parameters or buffers is stateless, so one of its instances is applied to the whole batch
(same values); one with state (e.g. PReLU's learned slope) is applied run by run (``vmap``).
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable
from itertools import zip_longest
from typing import Any

import torch
from torch import nn

from actlab.bench.tasks.base import Task, TaskResult, register_task, seed_everything

X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
T = torch.tensor([[0.0], [1.0], [1.0], [0.0]])


class _Site:
    """One activation site across K runs: K modules from ``make_act``, applied to a (K, 4, width) batch.

    A module without parameters and buffers is stateless: one instance is applied to the whole
    batch. Otherwise the K modules' states are stacked and the module is applied run by run with
    ``torch.func.vmap`` (checked against a plain loop once; the loop is the fallback).
    """

    def __init__(self, make_act: Callable[[], nn.Module], k: int, width: int, gen: torch.Generator):
        self.mods = [make_act() for _ in range(k)]
        m0 = self.mods[0]
        self.shared = next(m0.parameters(), None) is None and next(m0.buffers(), None) is None
        self.vmapped = None
        if not self.shared:
            self.vmapped = self._try_vmap(torch.randn(k, 4, width, generator=gen))

    def _try_vmap(self, z: torch.Tensor) -> Callable[[torch.Tensor], torch.Tensor] | None:
        from torch.func import functional_call, stack_module_state, vmap

        try:
            params, buffers = stack_module_state(self.mods)
            base = copy.deepcopy(self.mods[0]).to("meta")
            fn = vmap(lambda p, b, x: functional_call(base, (p, b), (x,)), randomness="different")
            with torch.no_grad():
                ok = torch.allclose(fn(params, buffers, z), self._loop(z), equal_nan=True)
        except Exception:  # noqa: BLE001  (any module vmap cannot handle runs in the loop)
            return None
        if not ok:
            return None
        self.stacked = params
        return lambda x: fn(params, buffers, x)

    def _loop(self, z: torch.Tensor) -> torch.Tensor:
        return torch.stack([m(z[i]) for i, m in enumerate(self.mods)])

    def __call__(self, z: torch.Tensor) -> torch.Tensor:
        if self.shared:
            return self.mods[0](z)
        if self.vmapped is not None:
            return self.vmapped(z)
        return self._loop(z)

    def tensors(self) -> list[tuple[torch.Tensor, int | None]]:
        """Trainable tensors with the run they belong to (None: stacked, run index along dim 0)."""
        if self.shared:
            return []
        if self.vmapped is not None:
            return [(p, None) for p in self.stacked.values() if p.requires_grad]
        return [(p, i) for i, m in enumerate(self.mods) for p in m.parameters() if p.requires_grad]


def _init(k: int, shapes: list[tuple[int, ...]], gen: torch.Generator) -> list[nn.Parameter]:
    """PyTorch's default ``nn.Linear`` init for fan-in 2, U(-1/√2, 1/√2), drawn run by run, so that
    run i's initial weights depend only on the seed and i (not on the size of the grid)."""
    bound = 1 / math.sqrt(2)
    per_run = [[(torch.rand(s, generator=gen) * 2 - 1) * bound for s in shapes] for _ in range(k)]
    return [nn.Parameter(torch.stack([r[j] for r in per_run])) for j in range(len(shapes))]


class _Adam:
    """``torch.optim.Adam`` (no weight decay, no amsgrad) with a learning rate per run: ``lr`` is
    broadcast along the run axis (dim 0) of stacked tensors, or indexed for per-run tensors."""

    def __init__(self, betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8):
        self.b1, self.b2, self.eps = betas[0], betas[1], eps
        self.state: dict[int, tuple[torch.Tensor, torch.Tensor]] = {}
        self.t = 0

    @torch.no_grad()
    def step(self, tensors: list[tuple[torch.Tensor, int | None]], grads: list, lr: torch.Tensor) -> None:
        self.t += 1
        c1, c2 = 1 - self.b1**self.t, 1 - self.b2**self.t
        for (p, run), g in zip(tensors, grads):
            if g is None:
                continue
            m, v = self.state.get(id(p), (torch.zeros_like(p), torch.zeros_like(p)))
            m.mul_(self.b1).add_(g, alpha=1 - self.b1)
            v.mul_(self.b2).addcmul_(g, g, value=1 - self.b2)
            self.state[id(p)] = (m, v)
            step = (m / c1) / ((v / c2).sqrt() + self.eps)
            rate = lr.view(-1, *([1] * (p.dim() - 1))) if run is None else lr[run]
            p.sub_(rate * step)


def _train(
    net: str, make_act: Callable[[], nn.Module], lrs: list[float], cfg: dict[str, Any], gen: torch.Generator
) -> dict[str, Any]:
    """Train all runs of ``net`` (``single`` or ``mlp``); per-run success, loss curve and divergence.

    One loss, the sum of the runs' mean squared errors, is differentiated; the runs share no
    parameter, so each gets exactly its own gradient, and a run that turns NaN/inf stays so without
    touching the others (its failure is detected from its final loss and parameters).
    """
    trials, epochs = int(cfg["trials"]), int(cfg["epochs"])
    k = len(lrs) * trials
    inputs = cfg.get("inputs", "01")
    if inputs not in ("01", "pm1"):
        raise ValueError(f"xor: inputs must be '01' or 'pm1', got {inputs!r}")
    xs = X if inputs == "01" else 2 * X - 1
    lr = torch.tensor([lr for lr in lrs for _ in range(trials)])
    if net == "single":
        bias = bool(cfg.get("single_bias", True))
        weights = _init(k, [(2, 1), (1, 1)] if bias else [(2, 1)], gen)
        site = _Site(make_act, k, 1, gen)

        def forward() -> torch.Tensor:
            return site(xs @ weights[0] + weights[1] if bias else xs @ weights[0])

    else:
        weights = _init(k, [(2, 2), (1, 2), (2, 1), (1, 1)], gen)
        site = _Site(make_act, k, 2, gen)

        def forward() -> torch.Tensor:
            w1, c, v, d = weights
            return site(xs @ w1 + c) @ v + d

    tensors = [(p, None) for p in weights] + site.tensors()
    losses: list[float] = []
    success_curve: list[float] = []
    log_every = max(1, int(cfg["log_every"]))
    optimizer = cfg.get("optimizer", "sgd")
    if optimizer not in ("sgd", "adam"):
        raise ValueError(f"xor: optimizer must be 'sgd' or 'adam', got {optimizer!r}")
    adam = _Adam() if optimizer == "adam" else None
    step = 0
    while True:
        y = forward()
        per_run = ((y - T) ** 2).mean(dim=(1, 2))
        if step % log_every == 0 or step == epochs:
            alive = _alive(per_run, tensors, k)
            live = per_run.detach()[alive]
            losses.append(float(live.median()) if live.numel() else float("nan"))
            success_curve.append(float(_success(y.detach(), alive).float().mean()))
            if not alive.any():
                break
        if step == epochs:
            break
        grads = torch.autograd.grad(per_run.sum(), [p for p, _ in tensors], allow_unused=True)
        if adam is not None:
            adam.step(tensors, list(grads), lr)
            step += 1
            continue
        with torch.no_grad():
            for (p, run), g in zip(tensors, grads):
                if g is None:
                    continue
                if run is None:
                    p.sub_(lr.view(-1, *([1] * (p.dim() - 1))) * g)
                else:
                    p.sub_(lr[run] * g)
        step += 1
    alive = _alive(per_run, tensors, k)
    ok = _success(y.detach(), alive)
    return {
        "by_lr": ok.view(len(lrs), trials).float().mean(1).tolist(),
        "rate": float(ok.float().mean()),
        "diverged": float((~alive).float().mean()),
        "loss": losses,
        "success_curve": success_curve,
        "steps": step,
        "final_losses": per_run.detach().tolist(),
        "ok": ok.int().tolist(),
    }


def _alive(per_run: torch.Tensor, tensors: list[tuple[torch.Tensor, int | None]], k: int) -> torch.Tensor:
    """Per run: finite loss and finite parameters."""
    alive = torch.isfinite(per_run.detach())
    for p, run in tensors:
        if run is None:
            alive &= torch.isfinite(p.detach()).reshape(k, -1).all(1)
        elif not torch.isfinite(p.detach()).all():
            alive[run] = False
    return alive


def _success(y: torch.Tensor, alive: torch.Tensor) -> torch.Tensor:
    """Per run: alive and every output on the right side of 0.5."""
    return alive & ((y > 0.5) == (T > 0.5)).flatten(1).all(1)


@register_task
class XorTask(Task):
    name = "xor"
    metric = "success_rate"
    higher_is_better = True
    description = "XOR with one neuron (3 parameters) and a 2-2-1 MLP: success rate over a learning-rate grid"

    def default_config(self, preset: str) -> dict[str, Any]:
        lrs = [0.01, 0.03, 0.1, 0.3, 1.0]
        base = {"optimizer": "sgd", "single_bias": True, "nets": ["single", "mlp"], "inputs": "01"}
        if preset == "tiny":
            return {**base, "lrs": [0.1, 0.3], "trials": 2, "epochs": 200, "log_every": 50}
        if preset == "quick":
            return {**base, "lrs": lrs, "trials": 4, "epochs": 1000, "log_every": 50}
        if preset == "full":
            return {**base, "lrs": [0.001, 0.003, *lrs, 3.0], "trials": 20, "epochs": 5000, "log_every": 100}
        raise ValueError(f"unknown preset {preset!r}")

    def warmup_config(self, config: dict[str, Any]) -> dict[str, Any]:
        return {**config, "epochs": 5, "trials": 1, "log_every": 5}

    def run(self, make_act: Callable[[], nn.Module], seed: int, config: dict[str, Any]) -> TaskResult:
        seed_everything(seed)
        lrs = [float(v) for v in config["lrs"]]
        nets = list(config.get("nets", ["single", "mlp"]))
        if not nets or any(n not in ("single", "mlp") for n in nets):
            raise ValueError(f"xor: nets must be a non-empty list of 'single' and 'mlp', got {nets!r}")
        res = {  # one generator per network: each run's init depends only on (seed, network, run index)
            net: _train(net, make_act, lrs, config, torch.Generator().manual_seed(2 * seed + i))
            for i, net in enumerate(("single", "mlp"))
            if net in nets
        }
        rs = list(res.values())
        metrics: dict[str, float] = {
            "test_metric": sum(r["rate"] for r in rs) / len(rs),
            "diverged_fraction": sum(r["diverged"] for r in rs) / len(rs),
            "steps": float(max(r["steps"] for r in rs)),
        }
        for net, r in res.items():
            metrics[f"success_{net}"] = r["rate"]
            for lr, v in zip(lrs, r["by_lr"]):
                metrics[f"success_{net}_lr_{lr:g}"] = v
        loss = [_nanmean(*v) for v in zip_longest(*(r["loss"] for r in rs), fillvalue=float("nan"))]
        # a network whose runs all diverged stopped logging: its success stays 0
        succ = [sum(v) / len(rs) for v in zip_longest(*(r["success_curve"] for r in rs), fillvalue=0.0)]
        metrics["final_train_loss"] = loss[-1] if loss else float("nan")
        metrics["best_test_metric"] = max(metrics["test_metric"], *succ) if succ else metrics["test_metric"]
        curves = {"lr": lrs, "train_loss": loss, "test_metric": succ}
        for net, r in res.items():
            curves[f"success_{net}"] = r["by_lr"]
        # every trial (learning rate × initialisation) of every network: 1 when it solved XOR
        correct = [c for r in rs for c in r["ok"]]
        return TaskResult(metrics=metrics, curves=curves, correct=correct,
                          diverged=all(r["diverged"] == 1.0 for r in rs))


def _nanmean(*vals: float) -> float:
    ok = [v for v in vals if math.isfinite(v)]
    return sum(ok) / len(ok) if ok else float("nan")
