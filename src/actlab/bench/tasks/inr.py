"""``inr``: an implicit neural representation of an image, the SIREN paper's setting.

Sitzmann et al., "Implicit Neural Representations with Periodic Activation Functions"
(arXiv 2006.09661): an MLP maps pixel coordinates (u, v) ∈ [-1, 1]² to the grey value of a
bundled scikit-image picture (default ``camera``, 512×512, resized to ``resolution``² with
anti-aliasing; values mapped to [-1, 1]). Model: 2 → width → … → 1, ``depth`` hidden layers with
``make_act()`` after each, linear output; full-batch Adam on the mean squared error.

Initialisation: PyTorch's default, except for SIREN (``siren_init``: ``"auto"`` = when the
activation is the catalog's ``sine``, or ``true``/``false``): with ω₀ the sine's frequency
(the module's ``w0`` parameter, else config ``w0``), first-layer weights U(-1/n, 1/n), all later
weights U(-√(6/n)/ω₀, √(6/n)/ω₀), n the fan-in; biases keep the default init.

Test metric (higher is better): PSNR of the fit over all training pixels, on the [0, 1] grey
scale: PSNR = 10 log₁₀(1 / MSE₀₁), MSE₀₁ = MSE₋₁,₁ / 4. The picture is loaded at twice the
resolution and the model trained on every other pixel in both directions (``resolution``² pixels);
the extra metric ``heldout_psnr`` is the PSNR on the other three quarters, i.e. how well the
representation interpolates between the pixels it was fitted to.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any

import torch
from torch import nn

from actlab.bench.tasks._train import ActSites, predict, train_supervised
from actlab.bench.tasks.base import Task, TaskResult, mlp, register_task, seed_everything

SINE_NAMES = ("sine", "siren")
_W0_KEYS = ("w0", "omega_0", "omega0", "omega")


@functools.lru_cache(maxsize=4)
def load_image(name: str, resolution: int) -> torch.Tensor:
    """A bundled scikit-image picture in grey, resized to ``resolution``², values in [0, 1]."""
    import skimage.data
    from skimage.color import rgb2gray, rgba2rgb
    from skimage.transform import resize
    from skimage.util import img_as_float

    try:
        loader = getattr(skimage.data, name)
    except AttributeError:
        raise ValueError(f"inr: skimage.data has no image {name!r}") from None
    img = img_as_float(loader())
    if img.ndim == 3 and img.shape[-1] == 4:
        img = rgba2rgb(img)
    if img.ndim == 3:
        img = rgb2gray(img)
    img = resize(img, (resolution, resolution), anti_aliasing=True)
    return torch.tensor(img, dtype=torch.float32).clamp(0, 1)


def pixel_grid(resolution: int) -> torch.Tensor:
    """(resolution², 2) coordinates in [-1, 1]², row-major."""
    t = torch.linspace(-1.0, 1.0, resolution)
    u, v = torch.meshgrid(t, t, indexing="ij")
    return torch.stack([u.flatten(), v.flatten()], 1)


def psnr(out: torch.Tensor, target: torch.Tensor) -> float:
    """PSNR in dB of images in [-1, 1], on the [0, 1] scale."""
    mse01 = float(nn.functional.mse_loss(out, target)) / 4.0
    return 10.0 * math.log10(1.0 / mse01) if mse01 > 0 else float("inf")


def sine_w0(module: nn.Module) -> float | None:
    """ω₀ of a catalog ``sine`` module, or None when ``module`` is not one."""
    spec = getattr(module, "spec", None)
    if getattr(spec, "name", None) not in SINE_NAMES:
        return None
    params = getattr(module, "params", {}) or {}
    for k in _W0_KEYS:
        if k in params:
            return float(params[k])
    return None


def siren_init_(model: nn.Sequential, w0: float) -> None:
    """SIREN initialisation of the linear layers of ``model`` in place (weights only)."""
    linears = [m for m in model if isinstance(m, nn.Linear)]
    with torch.no_grad():
        for i, lin in enumerate(linears):
            n = lin.in_features
            bound = 1.0 / n if i == 0 else math.sqrt(6.0 / n) / w0
            lin.weight.uniform_(-bound, bound)


@register_task
class InrTask(Task):
    name = "inr"
    metric = "psnr"
    higher_is_better = True
    description = "SIREN setting: fit a scikit-image picture as a function of pixel coordinates (PSNR)"

    def default_config(self, preset: str) -> dict[str, Any]:
        base = {"image": "camera", "resolution": 64, "width": 128, "depth": 3, "siren_init": "auto",
                "w0": 30.0, "optimizer": "adam", "lr": 1e-3, "weight_decay": 0.0, "schedule": "constant",
                "evals": 5, "device": "cpu"}
        if preset == "tiny":
            return {**base, "resolution": 32, "width": 64, "depth": 2, "epochs": 100}
        if preset == "quick":
            return {**base, "width": 64, "epochs": 300}
        if preset == "full":
            return {**base, "resolution": 128, "width": 256, "depth": 3, "lr": 1e-4, "epochs": 2000,
                    "evals": 20}
        raise ValueError(f"unknown preset {preset!r}")

    def warmup_config(self, config: dict[str, Any]) -> dict[str, Any]:
        return {**config, "epochs": 3, "evals": 1}

    def run(self, make_act: Callable[[], nn.Module], seed: int, config: dict[str, Any]) -> TaskResult:
        res = int(config["resolution"])
        img = load_image(str(config["image"]), 2 * res) * 2 - 1
        grid = pixel_grid(2 * res).reshape(2 * res, 2 * res, 2)
        fit = torch.zeros(2 * res, 2 * res, dtype=torch.bool)
        fit[::2, ::2] = True
        coords, target = grid[fit], img[fit].unsqueeze(1)
        held_x, held_y = grid[~fit], img[~fit].unsqueeze(1)
        gen = seed_everything(seed)
        sites = ActSites(make_act)
        model = mlp(2, config["width"], config["depth"], 1, sites)
        mode = config["siren_init"]
        w0 = sine_w0(sites.modules[0]) if sites.modules else None
        use_siren = mode is True or (mode == "auto" and w0 is not None)
        if use_siren:
            siren_init_(model, w0 if w0 is not None else float(config["w0"]))
        elif mode not in ("auto", False):
            raise ValueError(f"inr: siren_init must be 'auto', true or false, got {mode!r}")
        cfg = {**config, "batch_size": res * res}
        out = train_supervised(
            model,
            (coords, target),
            (coords, target),
            cfg,
            gen,
            kind="regression",
            metric_fn=psnr,
            acts=sites.modules,
            probe_samples=res * res,
        )
        if not out.diverged:
            dev = next(model.parameters()).device
            out.metrics["heldout_psnr"] = psnr(predict(model, held_x.to(dev)).cpu(), held_y)
        out.metrics["siren_init"] = float(use_siren)
        return out
