"""Periodic and oscillating activations: Snake, SIREN's sine, GCU, ASU, SSU, DSU, SinLU.

The sinc-based units (SSU, DSU) have removable singularities at x = ±π; they are evaluated with
a two-term π (so π - x is exact near π) and a Taylor series of sin(d)/d for |d| < 1e-2, which keeps
values and gradients accurate and finite at and around ±π.
"""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import Tensor

from actlab.catalog.registry import activation
from actlab.catalog.spec import Citation, Param

ZIYIN_2020 = Citation(
    authors="Liu Ziyin and Hartwig, T. and Ueda, M.",
    title="Neural Networks Fail to Learn Periodic Functions and How to Fix It",
    year=2020,
    arxiv="2006.08195",
    venue="NeurIPS",
)
BIGVGAN_2022 = Citation(
    authors="Lee, S.-g. and Ping, W. and Ginsburg, B. and Catanzaro, B. and Yoon, S.",
    title="BigVGAN: A Universal Neural Vocoder with Large-Scale Training",
    year=2022,
    arxiv="2206.04658",
    venue="ICLR 2023",
)
SIREN_2020 = Citation(
    authors="Sitzmann, V. and Martel, J. N. P. and Bergman, A. W. and Lindell, D. B. and Wetzstein, G.",
    title="Implicit Neural Representations with Periodic Activation Functions",
    year=2020,
    arxiv="2006.09661",
    venue="NeurIPS",
)
NOEL_GCU_2021 = Citation(
    authors="Noel, M. M. and L, A. and Trivedi, A. and Dutta, P.",
    title="Growing Cosine Unit: A Novel Oscillatory Activation Function That Can Speedup Training and Reduce "
    "Parameters in Convolutional Neural Networks",
    year=2021,
    arxiv="2108.12943",
)
NOEL_OSC_2021 = Citation(
    authors="Noel, M. M. and Bharadwaj, S. and Muthiah-Nakarajan, V. and Dutta, P. and Amali, G. B.",
    title="Biologically Inspired Oscillating Activation Functions Can Bridge the Performance Gap between "
    "Biological and Artificial Neurons",
    year=2021,
    arxiv="2111.04020",
)
RAHMAN_2023 = Citation(
    authors="Rahman, J. U. and Makhdoom, F. and Lu, D.",
    title="Amplifying Sine Unit: An Oscillatory Activation Function for Deep Neural Networks to Recover "
    "Nonlinear Oscillations Efficiently",
    year=2023,
    arxiv="2304.09759",
)
PAUL_2022 = Citation(
    authors="Paul, A. and Bandyopadhyay, R. and Yoon, J. H. and Geem, Z. W. and Sarkar, R.",
    title="SinLU: Sinu-Sigmoidal Linear Unit",
    year=2022,
    url="https://doi.org/10.3390/math10030337",
    venue="Mathematics",
)

_POS = dict(low=0.0, low_inclusive=False)  # (0, inf)


def _sin_scaled(w: Any, x: Tensor) -> Tensor:
    """sin(w·x), with w·x kept finite: where the product overflows the computing dtype (fp32 for the half
    types, so only for |x| > 1e37 when w = 30) it is clamped to the largest finite value, giving a finite
    value of the right range (though not the exact phase) and zero gradient there."""
    big = torch.finfo(x.dtype).max
    return torch.sin(torch.nan_to_num(w * x, nan=math.nan, posinf=big, neginf=-big))


@activation(
    "snake",
    family="periodic",
    latex=r"x + \frac{1}{a} \sin^2(a x)",
    text="x + sin(a * x)^2 / a",
    citation=ZIYIN_2020,
    params=(Param("a", 1.0, "frequency; 5-50 suggested for periodic data", trainable=True, **_POS),),
    notes="Snake_a(x) = x + sin²(ax)/a; a is learnable (per feature) in the reference implementation.",
)
def snake(x: Tensor, a: Any = 1.0) -> Tensor:
    """Snake(x) = x + sin²(ax)/a."""
    s = _sin_scaled(a, x)
    return x + s * s / a


@activation(
    "snake_beta",
    family="periodic",
    latex=r"x + \frac{1}{\beta} \sin^2(\alpha x)",
    text="x + sin(alpha * x)^2 / beta",
    citation=BIGVGAN_2022,
    aliases=("snakebeta",),
    params=(
        Param("alpha", 1.0, "frequency", trainable=True, **_POS),
        Param("beta", 1.0, "magnitude divisor", trainable=True, **_POS),
    ),
    notes="BigVGAN's SnakeBeta with separate frequency α and magnitude 1/β (learned per channel there, "
    "log-scale parameters initialised to give α = β = 1).",
)
def snake_beta(x: Tensor, alpha: Any = 1.0, beta: Any = 1.0) -> Tensor:
    """SnakeBeta(x) = x + sin²(αx)/β."""
    s = _sin_scaled(alpha, x)
    return x + s * s / beta


@activation(
    "sine",
    family="periodic",
    latex=r"\sin(\omega_0 x)",
    text="sin(w0 * x)",
    citation=SIREN_2020,
    aliases=("siren",),
    params=(Param("w0", 30.0, "frequency ω₀ (SIREN uses 30)", **_POS),),
    notes="SIREN activation sin(30x), applied after every hidden linear layer; ω₀ is fixed. Where ω₀x "
    "overflows the computing dtype (|x| > 1e37 in fp32) the argument is clamped to the largest finite "
    "value: a finite output, but not the exact phase, and zero gradient.",
)
def sine(x: Tensor, w0: Any = 30.0) -> Tensor:
    """sin(ω₀ x)."""
    return _sin_scaled(w0, x)


@activation(
    "gcu",
    family="periodic",
    latex=r"x \cos(x)",
    text="x * cos(x)",
    citation=NOEL_GCU_2021,
)
def gcu(x: Tensor) -> Tensor:
    """GCU(x) = x cos(x)."""
    return x * torch.cos(x)


@activation(
    "asu",
    family="periodic",
    latex=r"x \sin(x)",
    text="x * sin(x)",
    citation=RAHMAN_2023,
)
def asu(x: Tensor) -> Tensor:
    """ASU(x) = x sin(x)."""
    return x * torch.sin(x)


def _split_pi(dtype: torch.dtype) -> tuple[float, float]:
    hi = torch.tensor(math.pi, dtype=dtype).item()
    lo = torch.tensor((math.pi - hi) + 1.2246467991473532e-16, dtype=dtype).item()
    return hi, lo


# π = hi + lo with hi the dtype's nearest value, so (hi - x) + lo is π - x to full accuracy near π
# (hi - x is exact there). Precomputed so that the forward has no tensor-to-Python conversion.
_PI_SPLIT = {dt: _split_pi(dt) for dt in (torch.float64, torch.float32, torch.float16, torch.bfloat16)}


def _pi_split(dtype: torch.dtype) -> tuple[float, float]:
    return _PI_SPLIT.get(dtype, (math.pi, 0.0))


_SERIES = 1e-2  # |d| below which sin(d)/d is taken from its Taylor series (error d^6/5040 < 2e-16)


def _sin_over(d: Tensor, s: Tensor, near: Tensor) -> Tensor:
    """s/d for s = sin(x), d = π - x (so s = sin(d)); the Taylor series of sin(d)/d where ``near``."""
    dn = torch.where(near, d, torch.zeros_like(d))  # series only ever sees |d| < 1e-2
    d2 = dn * dn
    series = 1.0 - d2 / 6.0 + d2 * d2 / 120.0
    return torch.where(near, series, s / torch.where(near, torch.ones_like(d), d))


@activation(
    "ssu",
    family="periodic",
    latex=r"\pi \operatorname{sinc}(x - \pi),\ \operatorname{sinc}(t) = \frac{\sin t}{t}",
    text="pi * sinc(x - pi), sinc(t) = sin(t)/t",
    citation=NOEL_OSC_2021,
    aliases=("shifted_sinc_unit",),
    notes="Shifted sinc unit with the unnormalised sinc (sin t / t): the only reading under which SSU(0) = 0 "
    "and SSU'(0) = 1 as in the paper's construction (some third-party code uses the normalised sinc). "
    "Evaluated as π sin(x)/(π - x).",
)
def ssu(x: Tensor) -> Tensor:
    """SSU(x) = π sinc(x - π) = π sin(x)/(π - x)."""
    hi, lo = _pi_split(x.dtype)
    d = (hi - x) + lo
    return math.pi * _sin_over(d, torch.sin(x), d.abs() < _SERIES)


@activation(
    "dsu",
    family="periodic",
    latex=r"\frac{\pi}{2}\left(\operatorname{sinc}(x - \pi) - \operatorname{sinc}(x + \pi)\right)",
    text="pi/2 * (sinc(x - pi) - sinc(x + pi)), sinc(t) = sin(t)/t",
    citation=NOEL_OSC_2021,
    aliases=("decaying_sine_unit",),
    notes="Decaying sine unit with the unnormalised sinc (see 'ssu'); equals π² sin(x)/(π² - x²), an odd "
    "function with DSU'(0) = 1, evaluated without cancellation and with series at the removable points ±π.",
)
def dsu(x: Tensor) -> Tensor:
    """DSU(x) = (π/2)(sinc(x - π) - sinc(x + π)) = π² sin(x)/((π - x)(π + x))."""
    hi, lo = _pi_split(x.dtype)
    dm = (hi - x) + lo  # π - x
    dp = (hi + x) + lo  # π + x
    s = torch.sin(x)
    near_m = dm.abs() < _SERIES
    near_p = dp.abs() < _SERIES
    one = torch.ones_like(x)
    # sin(x)/(π - x) and sin(x)/(π + x) = -sin(-x)/(π - (-x)); each accurate near its own singular point
    qm = _sin_over(dm, s, near_m)
    qp = -_sin_over(dp, -s, near_p)
    general = (s / torch.where(near_m | near_p, one, dm)) / torch.where(near_m | near_p, one, dp)
    pi2 = math.pi * math.pi
    at_p = torch.where(near_p, qp / torch.where(near_p, dm, one), general)
    return pi2 * torch.where(near_m, qm / torch.where(near_m, dp, one), at_p)


@activation(
    "sinlu",
    family="periodic",
    latex=r"(x + a \sin(b x))\,\sigma(x)",
    text="(x + a * sin(b * x)) * sigmoid(x)",
    citation=PAUL_2022,
    params=(
        Param("a", 1.0, "amplitude of the sine term", low=0.0, trainable=True),
        Param("b", 1.0, "frequency of the sine term", low=0.0, trainable=True),
    ),
    notes="Sinu-sigmoidal linear unit; a and b are trainable, initialised at 1 in the paper.",
)
def sinlu(x: Tensor, a: Any = 1.0, b: Any = 1.0) -> Tensor:
    """SinLU(x) = (x + a sin(bx)) σ(x)."""
    return (x + a * _sin_scaled(b, x)) * torch.sigmoid(x)
