"""The benchmark tasks: registry, tiny runs, determinism, divergence, offline data, learning."""

from __future__ import annotations

import math
import os
import socket

import numpy as np
import pytest
import torch
from torch import nn

import actlab
from actlab.bench.tasks import (
    DatasetUnavailableError,
    TaskResult,
    UnknownTaskError,
    available_tasks,
    get_task,
)
from actlab.bench.tasks import cifar10 as cifar_mod
from actlab.bench.tasks import mnist1d as mnist1d_mod
from actlab.bench.tasks.xor import _train as xor_train

ALL_TASKS = ["charlm", "cifar10", "digits", "inr", "mnist1d", "periodic", "spirals", "xor"]
CLASSIFICATION = {"cifar10": 100, "digits": 449, "mnist1d": 1000, "spirals": 256}  # tiny test-set sizes
REQUIRED = {"test_metric", "best_test_metric", "final_train_loss", "steps"}
PROBED = {"dead_rate", "zero_fraction", "near_zero_fraction"}


def relu() -> nn.Module:
    return actlab.get("relu")


class Abs(nn.Module):
    """|x|: PReLU with slope -1, the single-neuron XOR solution."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.abs()


class Snake(nn.Module):
    """x + sin²(x), Snake with a = 1."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x + torch.sin(x) ** 2


class NaNAct(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * float("nan")


class NaNAfter(nn.Module):
    """ReLU for the first ``n`` training-mode calls (shared counter), NaN afterwards."""

    def __init__(self, counter: list[int], n: int):
        super().__init__()
        self.counter, self.n = counter, n

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.training:
            self.counter[0] += 1
        return torch.relu(x) * (float("nan") if self.counter[0] > self.n else 1.0)


_CACHE: dict[tuple, TaskResult] = {}


@pytest.fixture(autouse=True, scope="module")
def one_thread_private_cache(tmp_path_factory):
    """One intra-op thread, as the runner gives each run on a small machine (results are only
    bit-identical for a fixed thread count; oversubscribed threads are slow on a busy machine), and
    a private dataset cache instead of the user's ~/.cache/actlab."""
    old, old_env = torch.get_num_threads(), os.environ.get("ACTLAB_CACHE_DIR")
    det = torch.are_deterministic_algorithms_enabled(), torch.is_deterministic_algorithms_warn_only_enabled()
    torch.set_num_threads(1)
    os.environ["ACTLAB_CACHE_DIR"] = str(tmp_path_factory.mktemp("actlab-cache"))
    yield
    torch.set_num_threads(old)
    torch.use_deterministic_algorithms(det[0], warn_only=det[1])  # the tasks turn it on
    if old_env is None:
        os.environ.pop("ACTLAB_CACHE_DIR", None)
    else:
        os.environ["ACTLAB_CACHE_DIR"] = old_env


def tiny(task: str, make_act=relu, seed: int = 0, act_key: str = "relu", **overrides) -> TaskResult:
    """Run ``task`` in its tiny preset (memoised per arguments within the test session)."""
    key = (task, act_key, seed, tuple(sorted(overrides.items())))
    if key not in _CACHE:
        t = get_task(task)
        _CACHE[key] = t.run(make_act, seed, t.config("tiny", **overrides))
    return _CACHE[key]


# ------------------------------------------------------------------------------------ registry


def test_registry_lists_every_task():
    names = available_tasks()  # other test modules may register extra (fake) tasks
    assert set(ALL_TASKS) <= set(names) and names == sorted(names)
    for name in ALL_TASKS:
        t = get_task(name)
        assert t.name == name and t.metric and t.description and isinstance(t.higher_is_better, bool)
        for preset in ("tiny", "quick", "full"):
            cfg = t.default_config(preset)
            assert isinstance(cfg, dict) and cfg
            assert t.config(preset) == cfg


def test_unknown_task_suggests_close_match():
    with pytest.raises(UnknownTaskError, match="did you mean 'mnist1d'") as e:
        get_task("mnist-1d")
    assert isinstance(e.value, LookupError)
    with pytest.raises(LookupError, match="available tasks"):
        get_task("imagenet")


def test_config_rejects_unknown_keys_and_presets():
    t = get_task("digits")
    with pytest.raises(TypeError, match="'epoch'.*valid keys"):
        t.config("tiny", epoch=3)
    with pytest.raises(ValueError, match="unknown preset"):
        t.config("huge")
    assert t.config("tiny", epochs=1)["epochs"] == 1


# ----------------------------------------------------------------------- tiny runs, two activations


@pytest.mark.parametrize("task", ALL_TASKS)
def test_tiny_run_sane_metrics(task):
    for act_key, make_act in (("relu", relu), ("tanh", nn.Tanh)):
        r = tiny(task, make_act, act_key=act_key)
        assert isinstance(r, TaskResult) and not r.diverged
        assert REQUIRED <= set(r.metrics), r.metrics
        assert all(isinstance(v, float) for v in r.metrics.values())
        assert all(math.isfinite(r.metrics[k]) for k in REQUIRED)
        assert r.metrics["steps"] > 0
        assert r.curves["train_loss"] and r.curves["test_metric"]
        m = r.metrics["test_metric"]
        t = get_task(task)
        if t.metric in ("accuracy", "success_rate"):
            assert 0.0 <= m <= 1.0
        else:
            assert m > 0.0  # MSE, PSNR in dB, bits per character
        better = max if t.higher_is_better else min
        assert r.metrics["best_test_metric"] == better(r.curves["test_metric"])
        if task in CLASSIFICATION:
            assert r.predictions is not None and len(r.predictions) == CLASSIFICATION[task]
            assert set(r.predictions) <= set(range(10))
        if task != "xor":  # the probe measured the activation modules the factory made
            assert PROBED <= set(r.metrics)
            assert all(0.0 <= r.metrics[k] <= 1.0 for k in PROBED)
            if act_key == "relu":
                assert r.metrics["zero_fraction"] > 0.05
            else:  # tanh is exactly zero only where its input is
                assert r.metrics["zero_fraction"] < 1e-3 and r.metrics["dead_rate"] == 0.0


@pytest.mark.parametrize("task", ALL_TASKS)
def test_deterministic_given_seed(task):
    t = get_task(task)
    cfg = t.config("tiny")
    a = tiny(task)  # seed 0, memoised
    b = t.run(relu, 0, cfg)  # seed 0 again, fresh
    c = tiny(task, seed=1)
    assert a.metrics == b.metrics and a.curves == b.curves and a.predictions == b.predictions
    assert a.curves["train_loss"] != c.curves["train_loss"]


# ------------------------------------------------------------------------------------ divergence


@pytest.mark.parametrize("task", ALL_TASKS)
def test_nan_activation_is_reported_as_diverged(task):
    t = get_task(task)
    r = t.run(NaNAct, 0, t.config("tiny"))
    assert r.diverged
    if task == "xor":  # a diverged XOR run is a failed run: the success rate is 0
        assert r.metrics["test_metric"] == 0.0 and r.metrics["diverged_fraction"] == 1.0
    else:
        assert math.isnan(r.metrics["test_metric"])
    assert REQUIRED <= set(r.metrics)
    assert r.predictions is None


def test_divergence_mid_training_stops_early_and_keeps_history():
    counter = [0]
    t = get_task("digits")
    cfg = t.config("tiny", epochs=6, evals=6)
    total = 6 * math.ceil(1348 / cfg["batch_size"])
    r = t.run(lambda: NaNAfter(counter, 2 * 50), 0, cfg)  # 2 sites: NaN from the 51st step on
    assert r.diverged
    assert r.metrics["steps"] == 50 < total
    assert len(r.curves["test_metric"]) == 2  # the evaluations after epochs 1 and 2 (22 steps each)
    assert math.isfinite(r.metrics["best_test_metric"]) and r.metrics["best_test_metric"] > 0.1


# ------------------------------------------------------------------------------------------- xor


def test_xor_single_relu_neuron_never_succeeds_but_abs_does():
    t = get_task("xor")
    cfg = t.config("tiny", lrs=[0.1, 0.3], trials=4, epochs=1000)
    r_relu = t.run(relu, 0, cfg)
    # a monotone f cannot separate XOR with one neuron: f(w·x + b) > 1/2 at (0,1) and (1,0) forces
    # it at (0,0) or (1,1) too, since z01 + z10 = z00 + z11
    assert r_relu.metrics["success_single"] == 0.0
    r_abs = t.run(Abs, 0, cfg)
    assert r_abs.metrics["success_single"] > 0.0
    assert r_abs.curves["lr"] == [0.1, 0.3]
    assert len(r_abs.curves["success_single"]) == len(r_abs.curves["success_mlp"]) == 2
    assert r_abs.metrics["success_single_lr_0.1"] == r_abs.curves["success_single"][0]
    rate = (r_abs.metrics["success_single"] + r_abs.metrics["success_mlp"]) / 2
    assert r_abs.metrics["test_metric"] == pytest.approx(rate)


def test_xor_runs_are_independent_of_the_rest_of_the_grid():
    cfg = {"trials": 3, "epochs": 300, "log_every": 100}
    alone = xor_train("mlp", nn.Tanh, [0.1], cfg, torch.Generator().manual_seed(5))
    grid = xor_train("mlp", nn.Tanh, [0.1, 50.0], cfg, torch.Generator().manual_seed(5))
    assert grid["diverged"] > 0  # lr = 50 blows up ...
    assert grid["final_losses"][:3] == alone["final_losses"]  # ... without touching the lr = 0.1 runs
    assert grid["by_lr"][0] == alone["by_lr"][0]


def test_xor_stateful_activation_matches_shared_one():
    class WithBuffer(nn.Module):  # forces one module per run instead of one shared instance
        def __init__(self):
            super().__init__()
            self.register_buffer("one", torch.ones(()))

        def forward(self, x):
            return torch.tanh(x) * self.one

    cfg = {"trials": 2, "epochs": 100, "log_every": 50}
    shared = xor_train("mlp", nn.Tanh, [0.1, 0.3], cfg, torch.Generator().manual_seed(0))
    per_run = xor_train("mlp", WithBuffer, [0.1, 0.3], cfg, torch.Generator().manual_seed(0))
    np.testing.assert_allclose(per_run["final_losses"], shared["final_losses"], rtol=1e-6)


def test_xor_learnable_activation_vmapped_matches_loop():
    class LoopPReLU(nn.PReLU):  # .item() cannot run under vmap: forces the run-by-run loop
        def forward(self, x):
            assert math.isfinite(self.weight.sum().item())
            return super().forward(x)

    cfg = {"trials": 2, "epochs": 100, "log_every": 50}
    from actlab.bench.tasks.xor import _Site

    assert _Site(nn.PReLU, 2, 2, torch.Generator()).vmapped is not None
    assert _Site(LoopPReLU, 2, 2, torch.Generator()).vmapped is None
    fast = xor_train("single", nn.PReLU, [0.1, 0.3], cfg, torch.Generator().manual_seed(0))
    slow = xor_train("single", LoopPReLU, [0.1, 0.3], cfg, torch.Generator().manual_seed(0))
    np.testing.assert_allclose(fast["final_losses"], slow["final_losses"], rtol=1e-5)
    assert fast["loss"][0] != fast["loss"][-1]  # the slopes and weights did train


# --------------------------------------------------------------------------------- tasks learn


def test_digits_mlp_relu_learns():
    t = get_task("digits")
    r = t.run(relu, 0, t.config("tiny", epochs=8))
    assert r.metrics["test_metric"] > 0.85  # chance is 0.1


def test_mnist1d_and_spirals_beat_chance():
    assert tiny("mnist1d").metrics["test_metric"] > 0.3  # 10 classes, 3 epochs of a small MLP
    t = get_task("spirals")
    r = t.run(relu, 0, t.config("tiny", epochs=60))
    assert r.metrics["test_metric"] > 0.8  # 2 classes


def test_periodic_snake_extrapolates_better_than_relu():
    t = get_task("periodic")
    cfg = t.config("tiny", epochs=20)
    snake = t.run(Snake, 0, cfg)
    rel = t.run(relu, 0, cfg)
    assert snake.metrics["test_metric"] < 0.5 * rel.metrics["test_metric"]
    assert snake.metrics["interp_mse"] < 0.1


def test_inr_and_charlm_improve_during_training():
    psnr = tiny("inr").curves["test_metric"]
    assert psnr[-1] > psnr[0] + 1.0  # dB
    bpc = tiny("charlm").curves["test_metric"]
    vocab = tiny("charlm").metrics["vocab_size"]
    assert bpc[-1] < bpc[0] and bpc[-1] < math.log2(vocab)  # better than uniform over the vocabulary


def test_charlm_glu_ffn_activations_are_probed():
    r = tiny("charlm", ffn="glu")  # GatedFFN may fuse gate(g) * u: the probe pass runs it eagerly
    assert r.metrics["zero_fraction"] > 0.05 and r.metrics["test_metric"] < math.log2(r.metrics["vocab_size"])


def test_inr_siren_init_applies_to_sine():
    from actlab.bench.tasks.inr import siren_init_

    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 64), nn.Tanh(), nn.Linear(64, 64), nn.Tanh(), nn.Linear(64, 1))
    siren_init_(model, 30.0)
    w = [m.weight for m in model if isinstance(m, nn.Linear)]
    assert w[0].abs().max() <= 1 / 2 and w[0].abs().max() > 0.4  # U(-1/n, 1/n), n = 2
    bound = math.sqrt(6 / 64) / 30
    assert w[1].abs().max() <= bound and w[1].abs().max() > 0.9 * bound
    assert w[2].abs().max() <= bound


# ------------------------------------------------------------------------------ offline data


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network access refused by the test")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_mnist1d_generates_offline_and_caches(no_network, monkeypatch, tmp_path):
    monkeypatch.setenv("ACTLAB_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(mnist1d_mod, "_MEMO", {})
    d = mnist1d_mod.load_mnist1d(5000)
    assert d["x"].shape == (4000, 40) and d["x_test"].shape == (1000, 40)
    assert d["x"].dtype == np.float32 and set(np.unique(d["y"])) == set(range(10))
    files = list(tmp_path.glob("mnist1d-*.npz"))
    assert len(files) == 1
    monkeypatch.setattr(mnist1d_mod, "_MEMO", {})  # a new process would read the disk cache
    d2 = mnist1d_mod.load_mnist1d(5000)
    for k in d:
        np.testing.assert_array_equal(d[k], d2[k])
    t = get_task("mnist1d")
    r = t.run(relu, 0, t.config("tiny", epochs=1))
    assert 0.0 <= r.metrics["test_metric"] <= 1.0


def test_cifar10_offline_raises_before_training(no_network, tmp_path):
    made = []
    t = get_task("cifar10")
    cfg = t.config("tiny", data="cifar10", root=str(tmp_path))
    with pytest.raises(DatasetUnavailableError, match="synthetic") as e:
        t.run(lambda: made.append(1) or nn.ReLU(), 0, cfg)
    assert str(tmp_path) in str(e.value)
    assert not made  # no model was built


def test_cifar10_synthetic_data_and_augmentation():
    x, y, xt, yt = cifar_mod.synthetic_cifar(200, 50)
    assert x.shape == (200, 32, 32, 3) and x.dtype == np.uint8 and xt.shape == (50, 32, 32, 3)
    assert y.dtype == np.int64 and set(np.unique(y)) == set(range(10))
    x2, *_ = cifar_mod.synthetic_cifar.__wrapped__(200, 50)
    np.testing.assert_array_equal(x, x2)

    imgs = torch.from_numpy(np.ascontiguousarray(x[:8].transpose(0, 3, 1, 2)))
    fill = torch.tensor([1, 2, 3], dtype=torch.uint8)
    out = cifar_mod.augment(imgs, torch.Generator().manual_seed(0), fill)
    assert out.shape == imgs.shape and out.dtype == torch.uint8
    padded = fill.view(1, 3, 1, 1).expand(8, 3, 40, 40).clone()
    padded[:, :, 4:36, 4:36] = imgs
    for i in range(8):  # every output is a 32x32 crop of the padded image, possibly mirrored
        crops = [padded[i, :, a : a + 32, b : b + 32] for a in range(9) for b in range(9)]
        assert any(torch.equal(out[i], c) or torch.equal(out[i], c.flip(-1)) for c in crops)


def test_resnet20_matches_the_paper():
    sites = []
    model = cifar_mod.resnet20(lambda: sites.append(nn.ReLU()) or sites[-1])
    n_params = sum(p.numel() for p in model.parameters())
    assert 0.26e6 < n_params < 0.28e6  # "0.27M" in He et al. 2016, Table 6
    assert len(sites) == 19 and len({id(s) for s in sites}) == 19
    convs = [m for m in model.modules() if isinstance(m, nn.Conv2d)]
    assert len(convs) + 1 == 20  # 19 convolutions + the classifier
    assert model(torch.randn(2, 3, 32, 32)).shape == (2, 10)


def test_zero_epochs_is_a_clear_error():
    import actlab
    from actlab.bench.tasks import get_task

    task = get_task("spirals")
    with pytest.raises(ValueError, match="epochs and batch_size must be at least 1"):
        task.run(lambda: actlab.get("relu"), seed=0, config=task.config("tiny", epochs=0))
