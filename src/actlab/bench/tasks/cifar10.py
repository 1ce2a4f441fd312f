"""``cifar10``: ResNet-20 on CIFAR-10 (He et al., "Deep Residual Learning for Image Recognition",
CVPR 2016, §4.2, the CIFAR variant).

ResNet-20: conv3×3(3→16) · BN · act, then three stages of n = 3 basic blocks with 16, 32 and 64
filters on 32×32, 16×16 and 8×8 maps (the first block of stages 2 and 3 subsamples with stride 2),
global average pooling and a 10-way linear layer: 6n + 2 = 20 weighted layers, ≈0.27 M parameters.
A basic block is conv3×3 · BN · act · conv3×3 · BN, plus the shortcut, then act; the shortcut is
the identity, and where the shape changes it is the paper's option A: the input subsampled by 2 and
zero-padded with the extra channels (no parameters). Convolutions use He (Kaiming normal) init.
``make_act()`` gives each of the 19 activation sites its own module. Config ``depth_n`` (n) and
``width`` (16) change the depth (6n + 2 layers) and the stem width, for the tiny test preset.

Training (the paper's recipe): SGD with momentum 0.9, weight decay 1e-4, batch 128, learning rate
0.1 divided by 10 at 50 % and 75 % of training (``schedule: step``; the paper's 32k/48k of 64k
iterations), augmentation by 4-pixel zero padding with a random 32×32 crop and random horizontal
flips (the padding has the channel mean, i.e. zero after normalisation); inputs normalised per
channel with the training set's mean and std. Images stay uint8 in memory; the model's first
module converts and normalises them.

Data (``data``): ``cifar10`` loads the dataset with ``torchvision.datasets.CIFAR10`` under ``root``
(default ``$ACTLAB_DATA_DIR``, else ``<actlab cache dir>/datasets``), downloading it when missing and
``download`` is true; when that is impossible (offline, no torchvision) the task raises
:class:`~actlab.bench.tasks.base.DatasetUnavailableError` before building the model. ``synthetic``
uses generated images of the same shape and type (uint8 (N, 32, 32, 3), 10 classes: a smooth
random template per class, randomly shifted, plus noise) for tests and offline smoke runs.
Test metric: accuracy on the 10 000 test images.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from actlab.bench.tasks._train import ActSites, train_supervised
from actlab.bench.tasks.base import (
    DatasetUnavailableError,
    Task,
    TaskResult,
    cache_dir,
    register_task,
    seed_everything,
)


def data_root(root: str | None) -> Path:
    if root:
        return Path(root).expanduser()
    if os.environ.get("ACTLAB_DATA_DIR"):
        return Path(os.environ["ACTLAB_DATA_DIR"])
    return cache_dir() / "datasets"


def load_cifar10(root: Path, download: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(x_train, y_train, x_test, y_test) as uint8 (N, 32, 32, 3) and int64 arrays.

    Raises :class:`DatasetUnavailableError` when the data is neither under ``root`` nor downloadable.
    """
    try:
        from torchvision.datasets import CIFAR10
    except ImportError as e:
        raise DatasetUnavailableError(
            f"cifar10 needs torchvision to load CIFAR-10 ({e}); `pip install torchvision`, "
            "or run the task with config data='synthetic'"
        ) from None
    try:
        tr = CIFAR10(str(root), train=True, download=download)
        te = CIFAR10(str(root), train=False, download=download)
    except Exception as e:  # noqa: BLE001  (URLError, OSError, RuntimeError, checksum errors, ...)
        raise DatasetUnavailableError(
            f"CIFAR-10 is not available under {str(root)!r} and could not be downloaded "
            f"({type(e).__name__}: {e}). Run once on a machine with internet access, or copy the "
            f"extracted 'cifar-10-batches-py' folder into {str(root)!r} (config 'root' or "
            "$ACTLAB_DATA_DIR chooses the folder); config data='synthetic' runs without it."
        ) from None
    as_np = lambda d: (np.asarray(d.data, dtype=np.uint8), np.asarray(d.targets, dtype=np.int64))
    return (*as_np(tr), *as_np(te))


@functools.lru_cache(maxsize=2)
def synthetic_cifar(n_train: int, n_test: int, seed: int = 0) -> tuple[np.ndarray, ...]:
    """Generated CIFAR-shaped data: uint8 (N, 32, 32, 3) images and int64 labels in [0, 10).

    Each class has a smooth random template (low-frequency noise, upsampled); an image is its
    class template cyclically shifted by up to 4 pixels plus Gaussian noise, clipped to [0, 255].
    """
    g = torch.Generator().manual_seed(seed)
    coarse = torch.rand(10, 3, 4, 4, generator=g)
    templates = F.interpolate(coarse, size=(32, 32), mode="bicubic", align_corners=False)

    def make(n: int) -> tuple[np.ndarray, np.ndarray]:
        y = torch.arange(n) % 10
        y = y[torch.randperm(n, generator=g)]
        x = templates[y]
        shifts = torch.randint(-4, 5, (n, 2), generator=g)
        x = torch.stack([torch.roll(im, (int(a), int(b)), dims=(1, 2)) for im, (a, b) in zip(x, shifts)])
        x = x + 0.25 * torch.randn(x.shape, generator=g)
        img = (x.clamp(0, 1) * 255).round().to(torch.uint8).permute(0, 2, 3, 1)
        return img.numpy(), y.numpy().astype(np.int64)

    return (*make(n_train), *make(n_test))


def channel_stats(x: np.ndarray, chunk: int = 5000) -> tuple[torch.Tensor, torch.Tensor]:
    """Per-channel mean and std of uint8 (N, H, W, 3) images, in [0, 255] units (float64 sums)."""
    s = torch.zeros(3, dtype=torch.float64)
    s2 = torch.zeros(3, dtype=torch.float64)
    for i in range(0, len(x), chunk):
        t = torch.from_numpy(x[i : i + chunk]).reshape(-1, 3).double()
        s += t.sum(0)
        s2 += (t * t).sum(0)
    n = x.shape[0] * x.shape[1] * x.shape[2]
    mean = s / n
    return mean, (s2 / n - mean**2).clamp_min(1e-12).sqrt()


class Standardize(nn.Module):
    """uint8 images (N, 3, H, W) → float (x − mean) / std per channel."""

    def __init__(self, mean: torch.Tensor, std: torch.Tensor):
        super().__init__()
        self.register_buffer("mean", mean.float().view(1, 3, 1, 1))
        self.register_buffer("std", std.float().view(1, 3, 1, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return (x.float() - self.mean) / self.std


def augment(x: torch.Tensor, gen: torch.Generator, fill: torch.Tensor | None = None) -> torch.Tensor:
    """4-pixel padding (value ``fill`` per channel, default 0) + random 32×32 crop + random horizontal
    flip, per image (seeded by ``gen``)."""
    n, c, h, w = x.shape
    padded = x.new_zeros((n, c, h + 8, w + 8))
    if fill is not None:
        padded += fill.to(x.dtype).view(1, c, 1, 1)
    padded[:, :, 4 : 4 + h, 4 : 4 + w] = x
    dy = torch.randint(0, 9, (n,), generator=gen).to(x.device)
    dx = torch.randint(0, 9, (n,), generator=gen).to(x.device)
    flip = (torch.rand(n, generator=gen) < 0.5).to(x.device)
    rows = dy[:, None] + torch.arange(h, device=x.device)  # (n, h)
    cols = dx[:, None] + torch.arange(w, device=x.device)  # (n, w)
    cols = torch.where(flip[:, None], cols.flip(1), cols)
    b = torch.arange(n, device=x.device)[:, None, None]
    out = padded.permute(0, 2, 3, 1)[b, rows[:, :, None], cols[:, None, :]]  # (n, h, w, c)
    return out.permute(0, 3, 1, 2).contiguous()


class BasicBlock(nn.Module):
    """conv3×3 · BN · act · conv3×3 · BN, + shortcut (option A), then act."""

    def __init__(self, c_in: int, c_out: int, stride: int, make_act: Callable[[], nn.Module]):
        super().__init__()
        self.conv1 = nn.Conv2d(c_in, c_out, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(c_out)
        self.act1 = make_act()
        self.conv2 = nn.Conv2d(c_out, c_out, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(c_out)
        self.act2 = make_act()
        self.stride, self.extra = stride, c_out - c_in

    def shortcut(self, x: torch.Tensor) -> torch.Tensor:
        if self.stride != 1:
            x = x[:, :, :: self.stride, :: self.stride]
        if self.extra:
            x = F.pad(x, (0, 0, 0, 0, self.extra // 2, self.extra - self.extra // 2))
        return x

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.act1(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return self.act2(out + self.shortcut(x))


class ResNetCifar(nn.Module):
    """ResNet-(6n+2) for 32×32 inputs; n = 3 is ResNet-20."""

    def __init__(
        self, make_act: Callable[[], nn.Module], n: int = 3, num_classes: int = 10, width: int = 16
    ):
        super().__init__()
        conv = nn.Conv2d(3, width, 3, padding=1, bias=False)
        self.stem = nn.Sequential(conv, nn.BatchNorm2d(width), make_act())
        blocks, c = [], width
        for stage, c_out in enumerate((width, 2 * width, 4 * width)):
            for i in range(n):
                stride = 2 if (stage > 0 and i == 0) else 1
                blocks.append(BasicBlock(c, c_out, stride, make_act))
                c = c_out
        self.blocks = nn.Sequential(*blocks)
        self.fc = nn.Linear(c, num_classes)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.ones_(m.weight)
                nn.init.zeros_(m.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.blocks(self.stem(x))
        return self.fc(x.mean(dim=(2, 3)))


def resnet20(make_act: Callable[[], nn.Module], num_classes: int = 10) -> ResNetCifar:
    """ResNet-20 of He et al. 2016 (CIFAR variant) with ``make_act()`` at every activation site."""
    return ResNetCifar(make_act, n=3, num_classes=num_classes)


@register_task
class Cifar10Task(Task):
    name = "cifar10"
    metric = "accuracy"
    higher_is_better = True
    description = "ResNet-20 on CIFAR-10 (torchvision download; config data='synthetic' for generated data)"

    def default_config(self, preset: str) -> dict[str, Any]:
        base = {"data": "cifar10", "root": None, "download": True, "depth_n": 3, "width": 16,
                "train_subset": None,
                "synthetic_train": 2000, "synthetic_test": 500, "optimizer": "sgd", "lr": 0.1,
                "weight_decay": 1e-4, "schedule": "step", "batch_size": 128, "augment": True,
                "evals": 5, "device": "cpu"}
        if preset == "tiny":
            return {**base, "data": "synthetic", "depth_n": 1, "width": 8, "synthetic_train": 256,
                    "synthetic_test": 100, "batch_size": 64, "epochs": 2, "evals": 2}
        if preset == "quick":
            return {**base, "train_subset": 10000, "epochs": 5, "schedule": "cosine"}
        if preset == "full":
            return {**base, "epochs": 164, "evals": 20}
        raise ValueError(f"unknown preset {preset!r}")

    def warmup_config(self, config: dict[str, Any]) -> dict[str, Any] | None:
        # one epoch of CIFAR-10 is a run in itself: warm up on a few synthetic batches instead
        return {**config, "data": "synthetic", "synthetic_train": 2 * int(config["batch_size"]),
                "synthetic_test": 64, "epochs": 1, "evals": 1}

    def run(self, make_act: Callable[[], nn.Module], seed: int, config: dict[str, Any]) -> TaskResult:
        if config["data"] == "cifar10":
            x_tr, y_tr, x_te, y_te = load_cifar10(data_root(config["root"]), bool(config["download"]))
        elif config["data"] == "synthetic":
            n_tr, n_te = int(config["synthetic_train"]), int(config["synthetic_test"])
            x_tr, y_tr, x_te, y_te = synthetic_cifar(n_tr, n_te)
        else:
            raise ValueError(f"cifar10: data must be 'cifar10' or 'synthetic', got {config['data']!r}")
        if config["train_subset"]:
            x_tr, y_tr = x_tr[: int(config["train_subset"])], y_tr[: int(config["train_subset"])]
        mean, std = channel_stats(x_tr)
        nchw = lambda a: torch.from_numpy(np.ascontiguousarray(a.transpose(0, 3, 1, 2)))
        train = (nchw(x_tr), torch.from_numpy(y_tr))
        test = (nchw(x_te), torch.from_numpy(y_te))
        fill = mean.round().to(torch.uint8)
        aug = (lambda xb, g: augment(xb, g, fill)) if config["augment"] else None
        gen = seed_everything(seed)
        sites = ActSites(make_act)
        net = ResNetCifar(sites, n=int(config["depth_n"]), width=int(config["width"]))
        model = nn.Sequential(Standardize(mean, std), net)
        return train_supervised(model, train, test, config, gen, augment=aug, acts=sites.modules)
