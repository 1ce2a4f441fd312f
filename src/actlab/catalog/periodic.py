"""Periodic and oscillating activations: Snake, SIREN's sine (and the survey's sine presets), cosine,
cosid, sinp, sinc, GCU, ASU, SSU, DSU, SinLU.

The sinc-based units (SSU, DSU) have removable singularities at x = ±π; they are evaluated with
a two-term π (so π - x is exact near π) and a Taylor series of sin(d)/d for |d| < 1/2, which keeps
values and gradients accurate and finite at and around ±π.
"""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import Tensor

from actlab.catalog.citations import IDENTIFIED_NOT_READ, KUNC_KLEMA_2024, RAMACHANDRAN_2017
from actlab.catalog.registry import activation, preset
from actlab.catalog.spec import Citation, Param, special_case_of

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


# Veltkamp split constants 2^s + 1 and the largest |w·x| at which the product's rounding error is
# added back (beyond, the split could overflow and the phase of sin is meaningless anyway)
_SPLIT = {torch.float64: (134217729.0, 2.0**60), torch.float32: (4097.0, 2.0**24)}


def _product_error(w: Tensor, x: Tensor, p: Tensor) -> Tensor:
    """w·x - p exactly (Dekker's two-product), for p = fl(w·x) with |p| below the dtype's limit; 0 where
    |p| is larger (or NaN), and 0 for dtypes without a split constant."""
    if p.dtype not in _SPLIT:
        return torch.zeros_like(p)
    k, limit = _SPLIT[p.dtype]
    ok = p.abs() < limit
    wo, xo, po = (torch.where(ok, v.to(p.dtype), 0.0) for v in (w, x, p))

    def split(v: Tensor) -> tuple[Tensor, Tensor]:
        c = v * k
        hi = c - (c - v)
        return hi, v - hi

    wh, wl = split(wo)
    xh, xl = split(xo)
    return ((wh * xh - po) + wh * xl + wl * xh) + wl * xl


def _sin_scaled(w: Any, x: Tensor) -> Tensor:
    """sin(w·x) for the exact product of the floats w and x: fl(w·x)'s rounding error e is added back as
    sin(p) + e cos(p), so values stay accurate next to the zeros (sin(πx) at integers, sin(30x) at
    multiples of π/30). Where the product overflows the computing dtype (fp32 for the half types, so only
    for |x| > 1e37 when w = 30) it is clamped to the largest finite value, giving a finite value of the
    right range (though not the exact phase) and zero gradient there."""
    wt = w if isinstance(w, Tensor) else torch.tensor(w, dtype=x.dtype, device=x.device)
    p = wt * x
    big = torch.finfo(p.dtype).max
    pc = torch.nan_to_num(p, nan=math.nan, posinf=big, neginf=-big)
    return torch.sin(pc) + _product_error(wt, x, p) * torch.cos(pc)


@activation(
    "snake",
    family="periodic",
    latex=r"x + \frac{1}{a} \sin^2(a x)",
    text="x + sin(a * x)^2 / a",
    citation=ZIYIN_2020,
    params=(Param("a", 1.0, "frequency; 5-50 suggested for periodic data", trainable=True, **_POS),),
    names=("Snake",),
    relations=(special_case_of("snake_beta", alpha=1.0, beta=1.0),),
    source="Liu Ziyin et al. (arXiv 2006.08195), Eq. 5: x + sin²(ax)/a; a = 1 initial and learnable per "
    "feature as in the reference implementation (EdwardDixon/snake).",
    notes="Snake_a(x) = x + sin²(ax)/a; a is learnable (per feature) in the reference implementation. "
    "snake(a) = snake_beta(alpha=a, beta=a).",
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
    names=("SnakeBeta", "Snake-beta"),
    source="Lee et al. (BigVGAN, arXiv 2206.04658): x + sin²(αx)/β with separate learnable α, β "
    "(official activations.py; log-scale parameters initialised to α = β = 1).",
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
    latex=r"A \sin(\omega_0 x) + c",
    text="amplitude * sin(w0 * x) + shift",
    citation=SIREN_2020,
    aliases=("siren",),
    params=(
        Param("w0", 30.0, "frequency ω₀ (SIREN uses 30)", **_POS),
        Param("amplitude", 1.0, "amplitude A (1: the plain sine)"),
        Param("shift", 0.0, "vertical shift c (0: the plain sine)"),
    ),
    names=("Sine", "SIREN", "sine activation"),
    survey=("sine (+scaled/shifted)",),
    source="Sitzmann et al. (SIREN, arXiv 2006.09661): sin(ω₀x) with ω₀ = 30 after every layer (official "
    "code vsitzmann/siren). Amplitude and shift cover the survey §3.29's scaled, vertically shifted sine "
    "(presets 'sine_unscaled', 'sine_pi', 'shifted_sine'); at their defaults 1 and 0 this is SIREN's "
    "sine.",
    notes="A·sin(ω₀x) + c; SIREN's activation is sin(30x), applied after every hidden linear layer, ω₀ "
    "fixed. Where ω₀x overflows the computing dtype (|x| > 1e37 in fp32) the argument is clamped to the "
    "largest finite value: a finite output, but not the exact phase, and zero gradient.",
)
def sine(x: Tensor, w0: Any = 30.0, amplitude: Any = 1.0, shift: Any = 0.0) -> Tensor:
    """A sin(ω₀ x) + c."""
    return _sin_scaled(w0, x) * amplitude + shift


preset(
    "sine_unscaled",
    of="sine",
    params={"w0": 1.0, "amplitude": 1.0, "shift": 0.0},
    citation=KUNC_KLEMA_2024,
    latex=r"\sin(x)",
    text="sin(x)",
    names=("sin", "unscaled sine"),
    source="Survey §3.29: 'just the sine function without any scaling was used as an activation'; the "
    "plain sin(z) (a public transcription of the survey lists it separately).",
    notes="The plain sine sin(x), the preset sine(w0=1).",
)
preset(
    "sine_pi",
    of="sine",
    params={"w0": math.pi, "amplitude": 1.0, "shift": 0.0},
    citation=KUNC_KLEMA_2024,
    latex=r"\sin(\pi x)",
    text="sin(pi * x)",
    names=("sine scaled by pi",),
    source="Survey §3.29: 'the sine with inputs scaled by π was used as an activation', sin(πz); the peer "
    "package and two public transcriptions print the same.",
    notes="sin(πx), the preset sine(w0=π) with π the float64 π (zeros at multiples of π/π₆₄, a relative "
    "shift of 4e-17 from the integers).",
)
preset(
    "shifted_sine",
    of="sine",
    params={"w0": 0.2, "amplitude": 0.5, "shift": 0.3},
    citation=KUNC_KLEMA_2024,
    latex=r"\tfrac12 \sin(a x) + 0.3",
    text="0.5 * sin(0.2 * x) + 0.3",
    names=("scaled sine with vertical shift",),
    source="Survey §3.29: the scaled sine with vertical shift 0.5·sin(az) + 0.3, as two independent public "
    "transcriptions of the survey print it; a ∈ {0.2, 0.8, 1.2, 1.8, 4} were used. The original paper was "
    "out of reach. a = 0.2, the first listed value, is fixed here; other values: sine(w0=a, "
    "amplitude=0.5, shift=0.3).",
    notes="0.5·sin(0.2x) + 0.3, the preset sine(w0=0.2, amplitude=0.5, shift=0.3).",
)


@activation(
    "gcu",
    family="periodic",
    latex=r"x \cos(x)",
    text="x * cos(x)",
    citation=NOEL_GCU_2021,
    names=("GCU", "growing cosine unit"),
    survey=("GCU",),
    source="Noel et al. (arXiv 2108.12943): z·cos(z); the survey §3.33 prints the same.",
    notes="Growing cosine unit: odd, oscillating with growing amplitude; zeros at 0 and (k + 1/2)π.",
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
    names=("ASU", "amplifying sine unit"),
    survey=("ASU",),
    source="Rahman et al. (arXiv 2304.09759): z·sin(z); the survey §3.34 prints the same ('the sine "
    "equivalent of the GCU').",
    notes="Amplifying sine unit: even, non-negative near 0 (≈ x²), oscillating with growing amplitude.",
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


# |d| below which sin(d)/d is taken from its Taylor series (to d^16: truncation below d^18/19! < 3e-23).
# Beyond it the direct quotient is accurate, and so is its derivative cos(d)/d - sin(d)/d², which cancels
# to ~3 eps/d² relative (3e-15 in float64 and 1.4e-6 in float32 at 0.5; float32 at 1e-2: 4e-3).
_SERIES = 0.5
_SINC_COEFFICIENTS = tuple((-1) ** k / math.factorial(2 * k + 1) for k in range(9))


def _sin_over(d: Tensor, s: Tensor, near: Tensor) -> Tensor:
    """s/d for s = sin(x), d = π - x (so s = sin(d)); the Taylor series of sin(d)/d where ``near``."""
    dn = torch.where(near, d, torch.zeros_like(d))  # series only ever sees |d| below the limit
    d2 = dn * dn
    series = torch.full_like(dn, _SINC_COEFFICIENTS[-1])
    for c in reversed(_SINC_COEFFICIENTS[:-1]):
        series = series * d2 + c
    return torch.where(near, series, s / torch.where(near, torch.ones_like(d), d))


@activation(
    "ssu",
    family="periodic",
    latex=r"\pi \operatorname{sinc}(x - \pi),\ \operatorname{sinc}(t) = \frac{\sin t}{t}",
    text="pi * sinc(x - pi)",
    citation=NOEL_OSC_2021,
    aliases=("shifted_sinc_unit",),
    names=("SSU", "shifted sinc unit", "shifted sine unit"),
    survey=("SSU",),
    source="Noel et al. (arXiv 2111.04020): π·sinc(z - π) with sinc(t) = sin t/t (so SSU(0) = 0, "
    "SSU'(0) = 1); the survey §3.35 prints the same.",
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
    text="pi / 2 * (sinc(x - pi) - sinc(x + pi))",
    citation=NOEL_OSC_2021,
    aliases=("decaying_sine_unit",),
    names=("DSU", "decaying sine unit"),
    survey=("DSU",),
    source="Noel et al. (arXiv 2111.04020): (π/2)(sinc(z - π) - sinc(z + π)) with the unnormalised sinc; "
    "the survey §3.36 prints the same.",
    notes="Decaying sine unit with the unnormalised sinc (see 'ssu'); equals π² sin(x)/(π² - x²), an odd "
    "function with DSU'(0) = 1, evaluated without cancellation and with series at the removable points ±π.",
)
def dsu(x: Tensor) -> Tensor:
    """DSU(x) = (π/2)(sinc(x - π) - sinc(x + π)) = π² sin(x)/((π - x)(π + x))."""
    hi, lo = _pi_split(x.dtype)
    dm = (hi - x) + lo  # π - x
    dp = (hi + x) + lo  # π + x
    s = torch.sin(x)
    limit = _SERIES
    near_m = dm.abs() < limit
    near_p = dp.abs() < limit
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
    names=("SinLU", "sinu-sigmoidal linear unit"),
    survey=("SinLU",),
    source="Paul et al. (2022, Mathematics, DOI 10.3390/math10030337): (x + a sin(bx))·σ(x) with trainable "
    "a, b initialised at 1; the survey §4.4.11 prints the same.",
    notes="Sinu-sigmoidal linear unit; a and b are trainable, initialised at 1 in the paper.",
)
def sinlu(x: Tensor, a: Any = 1.0, b: Any = 1.0) -> Tensor:
    """SinLU(x) = (x + a sin(bx)) σ(x)."""
    return (x + a * _sin_scaled(b, x)) * torch.sigmoid(x)



@activation(
    "cosine",
    family="periodic",
    latex=r"1 - \cos(x)",
    text="1 - cos(x)",
    citation=KUNC_KLEMA_2024,
    names=("cosine", "cosine activation"),
    survey=("cosine",),
    source="Survey §3.30: 1 - cos(z), 'a cosine activation used in simulations'; the peer package and two "
    "public transcriptions print the same. The original paper was out of reach.",
    notes="Even, periodic, non-negative; evaluated as 2 sin²(x/2), which keeps full accuracy near the "
    "zeros 2kπ.",
)
def cosine(x: Tensor) -> Tensor:
    """1 - cos(x) = 2 sin²(x/2)."""
    h = torch.sin(x / 2)
    return 2 * h * h


@activation(
    "cosid",
    family="periodic",
    latex=r"\cos(x) - x",
    text="cos(x) - x",
    citation=RAMACHANDRAN_2017,
    names=("Cosid",),
    survey=("Cosid",),
    source="Survey §3.31: cos(z) - z; the peer package and two public transcriptions print the same. "
    + IDENTIFIED_NOT_READ + ".",
    notes="A decreasing line with a cosine ripple (slope -1 - sin x ≤ 0).",
)
def cosid(x: Tensor) -> Tensor:
    """cosid(x) = cos(x) - x."""
    return torch.cos(x) - x


def _sin_minus_x_coefficients(n: int) -> tuple[float, ...]:
    """c_k of sin(x) - x = x³ Σ_k c_k x^(2k): c_k = (-1)^(k+1) / (2k+3)!."""
    return tuple((-1) ** (k + 1) / math.factorial(2 * k + 3) for k in range(n))


_SIN_MINUS_X = _sin_minus_x_coefficients(10)  # |x| < 1: truncation below x³·1/23! (1e-22 relative)


def _sin_minus_x(x: Tensor) -> Tensor:
    """sin(x) - x, by its Taylor series for |x| < 1 (the difference cancels there) and directly beyond."""
    near = x.abs() < 1
    xs = torch.where(near, x, 0.0)
    u = xs * xs
    poly = torch.full_like(xs, _SIN_MINUS_X[-1])
    for c in reversed(_SIN_MINUS_X[:-1]):
        poly = poly * u + c
    return torch.where(near, xs * u * poly, torch.sin(x) - x)


@activation(
    "sinp",
    family="periodic",
    latex=r"\sin(x) - a x",
    text="sin(x) - a * x",
    citation=KUNC_KLEMA_2024,
    params=(Param("a", 1.0, "slope a of the subtracted line", low=0.0),),
    names=("Sinp", "SinP"),
    survey=("Sinp",),
    source="Survey §3.32 (Chan et al., who call it SinP[N]; the original was out of reach): sin(z) - az "
    "with a fixed a; Chan et al. used a ∈ {1, 1.5, 2}; a = 1, the first, is our default. The peer package "
    "and two public transcriptions print the same.",
    notes="Parametric cosid-like unit. Evaluated as (sin x - x) + (1 - a)x with sin x - x from its Taylor "
    "series for |x| < 1, so the a = 1 case (≈ -x³/6 near 0) keeps full relative accuracy.",
)
def sinp(x: Tensor, a: Any = 1.0) -> Tensor:
    """sinp(x) = sin(x) - a x."""
    return _sin_minus_x(x) + (1 - a) * x


@activation(
    "sinc",
    family="periodic",
    latex=r"\frac{\sin x}{x} \;(x \ne 0),\quad 1 \;(x = 0)",
    text="sinc(x)",
    citation=KUNC_KLEMA_2024,
    names=("sinc", "sinc activation"),
    survey=("sinc",),
    source="Survey §3.35: the sinc, an older activation; unnormalised sin(z)/z, the convention of the survey "
    "(its SSU = π·sinc(z - π) needs it for SSU(0) = 0) and of one public transcription. The peer package "
    "and torch.sinc use the normalised sin(πz)/(πz), a different function (sinc(x/π) here).",
    notes="sin(x)/x with the removable point sinc(0) = 1; evaluated from its Taylor series for |x| < 1/2, "
    "so values and gradients stay exact and finite at and near 0 (the direct quotient's derivative "
    "cancels and underflows x² there).",
)
def sinc(x: Tensor) -> Tensor:
    """sinc(x) = sin(x)/x, sinc(0) = 1."""
    return _sin_over(x, torch.sin(x), x.abs() < _SERIES)
