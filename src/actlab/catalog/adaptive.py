"""Adaptive activations: the output at one element depends on statistics of the whole input row."""

from __future__ import annotations

import math
from typing import Any

import torch

from actlab.catalog.registry import activation
from actlab.catalog.spec import Citation, Param

Tensor = torch.Tensor

SHAKARAMI_2025 = Citation(
    authors="Shakarami, A. and Yeganeh, Y. and Farshad, A. and Nicolè, L. and Ghidoni, S. and Navab, N.",
    title="VeLU: Variance-enhanced Learning Unit for Deep Neural Networks",
    year=2025,
    arxiv="2504.15051",
)


def _safe_asin_clip(z: Tensor) -> Tensor:
    """``asin(clip(z, -1, 1))`` with a finite gradient: 0 where |z| >= 1 (the clipped constant ±π/2),
    ``1/sqrt(1 - z^2)`` inside. NaN passes through."""
    inside = z.abs() < 1
    zi = torch.where(inside, z, 0.0)
    return torch.where(inside, torch.asin(zi), torch.sign(z) * (math.pi / 2))


@activation(
    "velu",
    family="adaptive",
    latex=r"\lambda\, x\, \sigma\!\left(\alpha[\arctan(\beta_1 x) + \arcsin(\mathrm{clip}(\beta_2 x))]\right)"
    r"\left(1 + \gamma \tanh(\mu / \sqrt{\overline{x^2} + \epsilon})\right)",
    text="lambda_ * x * sigmoid(alpha * (atan(beta1 x) + asin(clip(beta2 x, -1, 1)))) "
    "* (1 + gamma * tanh(momentum / sqrt(mean(x^2, last axis) + eps)))",
    citation=SHAKARAMI_2025,
    params=(
        Param("alpha", 0.1, "gate scale α", low=0.0),
        Param("beta1", 0.1, "arctan scale β1", low=0.0),
        Param("beta2", 0.1, "arcsin scale β2 (input clipped to [-1, 1])", low=0.0),
        Param("gamma", 0.1, "weight γ of the adaptive factor", low=0.0),
        Param("momentum", 0.9, "scale μ of the inverse RMS in the adaptive factor", low=0.0),
        Param("eps", 1e-6, "ε added to the mean square", low=0.0, low_inclusive=False),
        Param("lambda_", 1.0, "output scale λ (learnable)", trainable=True, role="scale"),
    ),
    elementwise=False,
    module="actlab.nn.velu:velu_module",
    names=("VeLU", "variance-enhanced learning unit"),
    source="Shakarami et al. (arXiv 2504.15051) as implemented in the official Keras layer "
    "(AshkanShakarami/VeLU, VeLU.ipynb, class Velu): defaults α = β1 = β2 = γ = 0.1, momentum 0.9, eps 1e-6, "
    "learnable λ = 1; the paper's prose (input standard deviation) differs from the code (inverse RMS), and "
    "the code is followed.",
    notes="Forward of the official Keras layer (AshkanShakarami/VeLU, VeLU.ipynb): the 'std_dev' "
    "there is rsqrt(mean(x²) + 1e-6), an inverse RMS over the LAST axis with no mean subtraction, and "
    "we follow that code rather than the paper's prose (input standard deviation). Only λ is trained. "
    "The auxiliary Wasserstein loss (λ_OT) belongs to the VeLU module. Where |β2 x| >= 1 the arcsin "
    "term is the constant ±π/2 with zero gradient (autograd of the clip would give inf at |β2 x| = 1).",
)
def velu(
    x: Tensor,
    alpha: Any = 0.1,
    beta1: Any = 0.1,
    beta2: Any = 0.1,
    gamma: Any = 0.1,
    momentum: Any = 0.9,
    eps: Any = 1e-6,
    lambda_: Any = 1.0,
) -> Tensor:
    r"""VeLU, reductions over the last axis:
    :math:`\lambda x \sigma(\alpha[\arctan\beta_1x + \arcsin\mathrm{clip}(\beta_2x)])
    (1 + \gamma\tanh(\mu\,\mathrm{rsqrt}(\overline{x^2} + \epsilon)))`."""
    inv_rms = torch.rsqrt((x * x).mean(dim=-1, keepdim=True) + eps)
    adapt = 1 + gamma * torch.tanh(inv_rms * momentum)
    mix = torch.atan(x * beta1) + _safe_asin_clip(x * beta2)
    return x * torch.sigmoid(mix * alpha) * adapt * lambda_
