"""Bump activations: localised, non-monotone responses that vanish (or saturate) for large |x|: Elephant,
the Gaussian, the survey's piecewise Mexican hat and piecewise RBF (§3.23-3.24), polyexp and wave
(§3.38, 3.41)."""

from __future__ import annotations

import math
from typing import Any

import torch

from actlab.catalog.citations import KUNC_KLEMA_2024
from actlab.catalog.registry import activation
from actlab.catalog.spec import Citation, Param, special_case_of

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
    names=("Elephant", "elephant activation"),
    source="Lan & Mahmood (arXiv 2310.01365): 1/(1 + |x/a|^d); the height h, the class defaults σ = 1, "
    "d = 2, h = 1 and the log-scale learning of σ and h follow the official code (qlan3/Elephant, "
    "networks/utils.py).",
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
    names=("Gaussian", "Gaussian RBF", "radial basis function"),
    source="Broomhead & Lowe (1988): the Gaussian radial basis function e^{-x²} (unit width, centre 0) used "
    "as a unit's transfer function.",
    notes="Gaussian radial basis function as an activation (RBF networks, Broomhead and Lowe 1988). "
    "Unit height at 0, not zero-centred.",
)
def gaussian(x: Tensor) -> Tensor:
    r""":math:`e^{-x^2}`."""
    return torch.exp(-(x * x))


# 2 / (√3 π^{1/4}): the normalisation of the Mexican-hat (Ricker) wavelet
_MEXICAN_HAT = 2.0 / (math.sqrt(3.0) * math.pi**0.25)
# beyond |x| = 2^60, x² would overflow float32 while the Gaussian factor is exactly 0 in every dtype
_FAR = 2.0**60


def _times_gaussian(poly, x: Tensor, d: Any) -> Tensor:
    """poly(x)·e^{-d x²} without inf·0: where |x| > 2^60 the product is 0 for d > 0 (and poly(x) for
    d = 0); ``poly`` is a function of a tensor."""
    far = x.abs() > _FAR
    xs = torch.where(far, 0.0, x)
    near = poly(xs) * torch.exp(-d * (xs * xs))
    xf = torch.where(far, x, 0.0)
    if isinstance(d, Tensor):
        far_value = torch.where(d > 0, 0.0, poly(xf))
    else:
        far_value = poly(xf) if d == 0 else torch.zeros_like(x)
    return torch.where(far, far_value, near)


@activation(
    "pmaf",
    family="bump",
    latex=r"\tfrac{2}{\sqrt3}\pi^{-1/4}\left(1 - t^2\right)e^{-t^2/2},\ t = x + a \;(x < 0),\ "
    r"t = x - a \;(x \ge 0)",
    text="0.8673250705840776 * (1 - (abs(x) - a)^2) * exp(-(abs(x) - a)^2 / 2)",
    citation=KUNC_KLEMA_2024,
    params=(Param("a", 4.0, "distance a ≥ 0 of the two hats from 0", low=0.0),),
    names=("PMAF", "piecewise Mexican-hat activation function"),
    survey=("PMAF",),
    kinks=lambda p: (0.0,),
    source="Survey §3.23 (Liu, Zeng & Wang, who used a = 4, our default; the original was out of reach): "
    "the Mexican-hat wavelet (2/√3)π^{-1/4}(1 - t²)e^{-t²/2} centred at -a for z < 0 and at a for z ≥ 0; "
    "the peer package and a public transcription print the same (a second transcription drops the "
    "square on (z ± a): rejected, it is not a Mexican hat).",
    notes="Even: two Mexican hats with peaks at ±a; continuous at 0, where the slope jumps (for a > 0). "
    "The expression-language text uses t = |x| - a, which is the same function (t² is even).",
)
def pmaf(x: Tensor, a: Any = 4.0) -> Tensor:
    r"""PMAF: the Mexican hat :math:`c(1 - t^2)e^{-t^2/2}` with :math:`t = x + a` (x < 0), :math:`x - a`."""
    t = torch.where(x < 0, x + a, x - a)
    return _MEXICAN_HAT * _times_gaussian(lambda u: (1 - u) * (1 + u), t, 0.5)


def _prbf_kinks(p: dict) -> tuple[float, ...]:
    return (-p["a"], p["a"])


@activation(
    "prbf",
    family="bump",
    latex=r"e^{-(x - 2a)^2/b^2} \;(x \ge a);\quad e^{-x^2/b^2} \;(|x| < a);\quad e^{-(x + 2a)^2/b^2} "
    r"\;(x \le -a)",
    text="exp(-(abs(x) - 2 * a)^2 / b^2) if abs(x) >= a else exp(-x^2 / b^2)",
    citation=KUNC_KLEMA_2024,
    params=(
        Param("a", 3.0, "half-period a > 0: bumps at 0 and ±2a", low=0.0, low_inclusive=False),
        Param("b", 1.0, "width b > 0 of each bump", low=0.0, low_inclusive=False),
    ),
    names=("PRBF", "piecewise radial basis function"),
    survey=("PRBF",),
    kinks=_prbf_kinks,
    source="Survey §3.24 (Liu, Zeng & Wang, who used a = 3, b = 1, our defaults; the original was out of "
    "reach): Gaussians e^{-(z ∓ 2a)²/b²} for ±z ≥ a and e^{-z²/b²} on |z| < a; the peer package and two "
    "public transcriptions print the same.",
    notes="Three Gaussian bumps at 0 and ±2a, glued at ±a, where the value is continuous and the slope "
    "changes sign.",
)
def prbf(x: Tensor, a: Any = 3.0, b: Any = 1.0) -> Tensor:
    r"""PRBF: :math:`e^{-(x \mp 2a)^2/b^2}` for :math:`\pm x \ge a`, :math:`e^{-x^2/b^2}` inside."""
    t = torch.where(x >= a, x - 2 * a, torch.where(x <= -a, x + 2 * a, x)) / b
    return _times_gaussian(torch.ones_like, t, 1.0)


@activation(
    "polyexp",
    family="bump",
    latex=r"\left(a x^2 + b x + c\right) e^{-d x^2}",
    text="(a * x^2 + b * x + c) * exp(-d * x^2)",
    citation=KUNC_KLEMA_2024,
    params=(
        Param("a", 1.0, "quadratic coefficient a"),
        Param("b", 1.0, "linear coefficient b"),
        Param("c", 1.0, "constant coefficient c"),
        Param("d", 1.0, "decay d ≥ 0 of the Gaussian factor", low=0.0),
    ),
    names=("Polyexp",),
    survey=("Polyexp",),
    source="Survey §3.38, 'combining a quadratic function and an exponential', with the survey's own note "
    "that the cited origin does not contain the definition. Two readings circulate: the peer package's "
    "az² + bz + c·e^{-dz²} and a public transcription's (az² + bz + c)e^{-dz²}. We implement the product: "
    "the survey calls wave (§3.41) 'similar to polyexp but with a single parameter', and wave's "
    "(1 - z²)e^{-az²} is polyexp(a=-1, b=0, c=1, d=a) only in the product reading. No parameter values "
    "are published: a = b = c = d = 1 is our choice.",
    notes="A quadratic times a Gaussian envelope; for d > 0 it vanishes as |x| → ∞. Definition uncertain "
    "(see source).",
)
def polyexp(x: Tensor, a: Any = 1.0, b: Any = 1.0, c: Any = 1.0, d: Any = 1.0) -> Tensor:
    r""":math:`(ax^2 + bx + c)e^{-dx^2}`."""
    return _times_gaussian(lambda u: a * u * u + b * u + c, x, d)


@activation(
    "wave",
    family="bump",
    latex=r"\left(1 - x^2\right) e^{-a x^2}",
    text="(1 - x^2) * exp(-a * x^2)",
    citation=KUNC_KLEMA_2024,
    params=(Param("a", 1.0, "decay a > 0", low=0.0, low_inclusive=False),),
    names=("wave", "wave activation"),
    survey=("wave",),
    relations=(special_case_of("polyexp", a=-1.0, b=0.0, c=1.0, d=1.0),),
    source="Survey §3.41: (1 - z²)e^{-az²} with a fixed a, as a public transcription of the survey prints "
    "it; the peer package prints 1 - z²e^{-az²}, which is not 'polyexp with a single parameter' as the "
    "survey describes wave (see polyexp). The survey notes the cited origin lacks the definition; a = 1 is "
    "our choice.",
    notes="A Mexican-hat (Ricker-wavelet) shape: 1 at 0, zeros at ±1, minimum below 0 at ±√(1 + 1/a), "
    "→ 0 in the tails. Evaluated as (1 - x)(1 + x)e^{-ax²} (exact zeros at ±1). Definition uncertain "
    "(see source).",
)
def wave(x: Tensor, a: Any = 1.0) -> Tensor:
    r""":math:`(1 - x^2)e^{-ax^2}`."""
    return _times_gaussian(lambda u: (1 - u) * (1 + u), x, a)
