"""Bump activations: localised, non-monotone responses that vanish for large |x|."""

from __future__ import annotations

from typing import Any

import torch

from actlab.catalog.registry import activation
from actlab.catalog.spec import Citation, Param

Tensor = torch.Tensor

LAN_MAHMOOD_2023 = Citation(
    authors="Lan, Q. and Mahmood, A. R.",
    title="Elephant Neural Networks: Born to Be a Continual Learner",
    year=2023,
    arxiv="2310.01365",
)
BROOMHEAD_LOWE_1988 = Citation(
    authors="Broomhead, D. S. and Lowe, D.",
    title="Multivariable Functional Interpolation and Adaptive Networks",
    year=1988,
    url="https://content.wolfram.com/uploads/sites/13/2018/02/02-3-5.pdf",
    venue="Complex Systems 2(3), 321-355",
)


@activation(
    "elephant",
    family="bump",
    latex=r"\frac{h}{1 + |x/\sigma|^d}",
    text="h / (1 + |x/sigma|^d)",
    citation=LAN_MAHMOOD_2023,
    params=(
        Param("sigma", 1.0, "width σ (learnable, on a log scale)", low=0.0, low_inclusive=False,
              trainable=True, log_scale=True),
        Param("d", 2, "integer power d ≥ 1 (fixed)", low=1, kind="int"),
        Param("h", 1.0, "height h (learnable, on a log scale)", low=0.0, low_inclusive=False,
              trainable=True, log_scale=True),
    ),
    kinks=lambda p: (0.0,) if p["d"] == 1 else (),
    notes="Elephant activation (official code qlan3/Elephant; class defaults σ = 1, d = 2, h = 1; "
    "the paper's MLPs use d = 4, σ = 0.1). σ and h are learned per feature as log σ, log h; d is a "
    "fixed integer. For |x/σ| > 1 evaluated as h v^d/(1 + v^d), v = σ/|x|, so |x/σ|^d never "
    "overflows.",
)
def elephant(x: Tensor, sigma: Any = 1.0, d: int = 2, h: Any = 1.0) -> Tensor:
    r"""Elephant bump :math:`h / (1 + |x/\sigma|^d)`."""
    u = (x / sigma).abs()
    far = u > 1
    un = torch.where(far, 0.0, u)
    vd = torch.where(far, u, 2.0).reciprocal().pow(d)
    return torch.where(far, vd / (1 + vd), 1 / (1 + un.pow(d))) * h


@activation(
    "gaussian",
    family="bump",
    latex=r"e^{-x^2}",
    text="exp(-x^2)",
    citation=BROOMHEAD_LOWE_1988,
    aliases=("rbf",),
    notes="Gaussian radial basis function as an activation (RBF networks, Broomhead and Lowe 1988). "
    "Unit height at 0, not zero-centred.",
)
def gaussian(x: Tensor) -> Tensor:
    r""":math:`e^{-x^2}`."""
    return torch.exp(-(x * x))
