"""Square- and square-root-based activations of the survey (Kunc & Kléma 2024, §3.8–3.12, 3.16, 3.21,
3.22, 3.42–3.44): Wuraola & Patel's square family (SQLU, squish, SqREU, SqSoftplus, LogSQNL), LinQ,
MEF, SQRT/SSAF, Mishra, SBAF, PUAF, the bi-firing units and the cubic/quadratic NCU, triple and SQU.

The survey's stored copy carries its prose but not its typeset formulas, and several original papers
were out of reach; where that is so, ``source`` says which transcriptions of the survey's printed
formula were compared (the peer package torch-activation 1.0.0 and two independent public
transcriptions of §3) and which form is implemented. Piecewise functions evaluate each branch on an
argument selected with the same condition (``torch.where``, never ``clamp``), so the unselected branch
cannot poison a gradient and NaN propagates.
"""

from __future__ import annotations

import math
from typing import Any

import torch

import actlab.catalog.smooth_rectifier  # noqa: F401  (registers smelu, which sqsoftplus presets)
from actlab.catalog.citations import KUNC_KLEMA_2024
from actlab.catalog.periodic import NOEL_OSC_2021
from actlab.catalog.rectified import LIEW_2016
from actlab.catalog.registry import activation, preset
from actlab.catalog.spec import Citation, Param, Relation, special_case_of

Tensor = torch.Tensor

WURAOLA_2021 = Citation(
    authors="Wuraola, A. and Patel, N. and Nguang, S. K.",
    title="Efficient activation functions for embedded inference engines",
    year=2021,
    url="https://doi.org/10.1016/j.neucom.2021.02.030",
    venue="Neurocomputing 442",
)
SAHA_2018 = Citation(
    authors="Saha, S. and Mathur, A. and Bora, K. and Agrawal, S. and Basak, S.",
    title="SBAF: A New Activation Function for Artificial Neural Net based Habitability Classification",
    year=2018,
    arxiv="1806.01844",
)
LI_BIFIRING_2014 = Citation(
    authors="Li, J.-C. and Ng, W. W. Y. and Yeung, D. S. and Chan, P. P. K.",
    title="Bi-firing deep neural networks",
    year=2014,
    url="https://doi.org/10.1007/s13042-013-0198-9",
    venue="International Journal of Machine Learning and Cybernetics 5",
)

_POS = dict(low=0.0, low_inclusive=False)

# the square family: the survey §3.8 notes that the original papers print several mistakes; every
# formula below is continuous, and the transcriptions compared agree on it
_SQUARE_SOURCE = (
    "Wuraola, Patel & Nguang (2021, Neurocomputing; summarised in arXiv 2109.12686); the formula is the "
    "survey's §3.8 as transcribed identically by the peer package and two independent public "
    "transcriptions of the survey (the paper itself was out of reach). "
)


def _where_mid(x: Tensor, outside: Tensor) -> Tensor:
    """``x`` where ``outside`` is False, 0 elsewhere: the safe argument of a middle branch."""
    return torch.where(outside, 0.0, x)


@activation(
    "sqlu",
    family="smooth_rectifier",
    latex=r"x \;(x > 0);\quad x + \tfrac{x^2}{4} \;(-2 \le x \le 0);\quad -1 \;(x < -2)",
    text="max(x, 0) + min(max(x, -2), 0) + min(max(x, -2), 0)^2 / 4",
    citation=WURAOLA_2021,
    names=("SQLU", "square linear unit"),
    survey=("SQLU",),
    source=_SQUARE_SOURCE + "x for x > 0, x + x²/4 on [-2, 0], -1 below. A public TensorFlow version of "
    "the authors' family (sqlu = where(x > 0, x, x + x²/4) on x clipped to [-2, 200]) agrees below 200.",
    notes="Square linear unit: the negative half of SQNL with a linear positive half, an ELU-like "
    "rectifier without exponentials. Continuously differentiable (slope 1 at 0, 0 at -2); saturates at -1. "
    "The authors' hardware code also clips inputs above 200; that range limit is not part of the function.",
)
def sqlu(x: Tensor) -> Tensor:
    r"""SQLU: :math:`x` (x > 0), :math:`x + x^2/4` (-2 ≤ x ≤ 0), :math:`-1` (x < -2)."""
    pos, low = x > 0, x < -2
    xm = _where_mid(x, pos | low)
    return torch.where(pos, x, torch.where(low, -1.0, xm + xm * xm / 4))


@activation(
    "squish",
    family="self_gated",
    latex=r"x + \tfrac{x^2}{32} \;(x > 0);\quad x + \tfrac{x^2}{2} \;(-2 \le x \le 0);\quad 0 \;(x < -2)",
    text="max(x, 0) + max(x, 0)^2 / 32 + min(max(x, -2), 0) + min(max(x, -2), 0)^2 / 2",
    citation=WURAOLA_2021,
    names=("squish", "square swish"),
    survey=("squish",),
    kinks=lambda p: (-2.0,),
    source=_SQUARE_SOURCE + "x + x²/32 for x > 0, x + x²/2 on [-2, 0], 0 below.",
    notes="Square swish: a swish/GELU-inspired quadratic unit (the survey stresses it approximates "
    "neither). Minimum -1/2 at x = -1; slope jumps from -1 to 0 at x = -2; grows slightly faster than "
    "linearly for x > 0.",
)
def squish(x: Tensor) -> Tensor:
    r"""Squish: :math:`x + x^2/32` (x > 0), :math:`x + x^2/2` (-2 ≤ x ≤ 0), 0 (x < -2)."""
    pos, low = x > 0, x < -2
    xp = torch.where(pos, x, 0.0)
    xm = _where_mid(x, pos | low)
    return torch.where(pos, xp + xp * xp / 32, torch.where(low, 0.0, xm + xm * xm / 2))


@activation(
    "sqreu",
    family="rectified",
    latex=r"x \;(x > 0);\quad x + \tfrac{x^2}{2} \;(-2 \le x \le 0);\quad 0 \;(x < -2)",
    text="max(x, 0) + min(max(x, -2), 0) + min(max(x, -2), 0)^2 / 2",
    citation=WURAOLA_2021,
    names=("SqREU", "square REU"),
    survey=("SqREU",),
    kinks=lambda p: (-2.0,),
    source=_SQUARE_SOURCE + "x for x > 0 (ReLU's positive half), squish's x + x²/2 on [-2, 0], 0 below.",
    notes="Square REU: ReLU for x > 0 and squish's negative bump (minimum -1/2 at x = -1); slope jumps "
    "from -1 to 0 at x = -2.",
)
def sqreu(x: Tensor) -> Tensor:
    r"""SqREU: :math:`x` (x > 0), :math:`x + x^2/2` (-2 ≤ x ≤ 0), 0 (x < -2)."""
    pos, low = x > 0, x < -2
    xm = _where_mid(x, pos | low)
    return torch.where(pos, x, torch.where(low, 0.0, xm + xm * xm / 2))


preset(
    "sqsoftplus",
    of="smelu",
    params={"beta": 0.5},
    citation=WURAOLA_2021,
    latex=r"x \;(x > \tfrac12);\quad \tfrac12\left(x + \tfrac12\right)^2 \;(|x| \le \tfrac12);\quad 0 "
    r"\;(x < -\tfrac12)",
    text="(min(max(x, -0.5), 0.5) + 0.5)^2 / 2 + max(x - 0.5, 0)",
    names=("SqSoftplus", "square softplus"),
    survey=("SqSoftplus",),
    source=_SQUARE_SOURCE + "x for x > 1/2, (x + 1/2)²/2 on [-1/2, 1/2], 0 below; the peer prints the "
    "middle piece as x + (x - 1/2)²/2, which is the same polynomial. One transcription prints "
    "x + (x + 1/2)²/2 (discontinuous at ±1/2: rejected), and a public TensorFlow version switches at 0 "
    "instead of 1/2 (a jump of 1/8 at 0: rejected). The continuous form is SmeLU with β = 1/2.",
    notes="Square softplus is SmeLU (Shamir et al. 2020) with half-width β = 1/2, hence a preset of "
    "'smelu': continuously differentiable, f' = clip(x + 1/2, 0, 1).",
)


@activation(
    "logsqnl",
    family="sigmoidal",
    latex=r"\tfrac12\left(\mathrm{SQNL}(x) + 1\right)",
    text="(min(max(x, -2), 2) - min(max(x, -2), 2) * abs(min(max(x, -2), 2)) / 4 + 1) / 2",
    citation=WURAOLA_2021,
    names=("LogSQNL", "square logistic sigmoid"),
    survey=("LogSQNL",),
    relations=(Relation("affine_of", "sqnl", note="(sqnl(x) + 1)/2"),),
    source=_SQUARE_SOURCE + "1 for x > 2, (x - x²/4)/2 + 1/2 on [0, 2], (x + x²/4)/2 + 1/2 on [-2, 0), "
    "0 below: SQNL mapped onto (0, 1).",
    notes="Square logistic sigmoid, the SQNL replacement of the logistic function. Evaluated as "
    "(x + 2)²/8 for x < 0 and 1 - (x - 2)²/8 for x ≥ 0 (the same polynomials), so the values next to the "
    "saturation points 0 and 1 keep full relative accuracy. Continuously differentiable.",
)
def logsqnl(x: Tensor) -> Tensor:
    r"""LogSQNL: :math:`(\mathrm{SQNL}(x) + 1)/2` = :math:`(x+2)^2/8` on [-2, 0), :math:`1 - (x-2)^2/8` on
    [0, 2], 0 and 1 outside."""
    hi, lo = x > 2, x < -2
    neg = x < 0
    xm = _where_mid(x, hi | lo)
    left, right = xm + 2, xm - 2
    mid = torch.where(neg, left * left / 8, 1 - right * right / 8)
    return torch.where(hi, 1.0, torch.where(lo, 0.0, mid))


def _linq_text() -> str:
    t = "(2 - 2 * a)"
    c = f"min(max(x, -{t}), {t})"
    return f"{c} - {c} * abs({c}) / 4 + a * (x - {c})"


@activation(
    "linq",
    family="sigmoidal",
    latex=r"a x \pm (1 - a)^2 \;(\pm x \ge 2 - 2a);\quad x - \tfrac{x|x|}{4} \;(|x| < 2 - 2a)",
    text=_linq_text(),
    citation=KUNC_KLEMA_2024,
    params=(Param("a", 0.1, "slope a of the linear tails, in [0, 1]", low=0.0, high=1.0),),
    names=("LinQ", "linear quadratic activation"),
    survey=("LinQ",),
    relations=(Relation("related", "sqnl", note="a = 0 gives SQNL; a = 1 gives the identity"),),
    source="Survey §3.8.8: SQNL's middle x(4 - |x|)/4 on |x| < 2 - 2a, continued by lines of slope a. The "
    "survey's printed tails read 'az + 1 - 2z + z²' (so the peer package and one transcription), which is "
    "quadratic, discontinuous at ±(2 - 2a) and contradicts the survey's own 'linear parts'; we implement "
    "'az ± (1 - 2a + a²)' = az ± (1 - a)², the unique continuation that is continuous and continuously "
    "differentiable at ±(2 - 2a) (reading the printed z as a typo for a). The original paper was out of "
    "reach and the survey gives no value for a: a = 0.1 is our choice (a leaky SQNL).",
    notes="Linear quadratic activation: SQNL (a = 0) whose saturation is replaced by linear tails of slope "
    "a ∈ [0, 1]; a = 1 is the identity. Continuously differentiable for every a.",
)
def linq(x: Tensor, a: Any = 0.1) -> Tensor:
    r"""LinQ: :math:`c - c|c|/4 + a(x - c)`, :math:`c = \mathrm{clip}(x, -(2 - 2a), 2 - 2a)`."""
    t = 2 - 2 * a
    hi, lo = x > t, x < -t
    c = torch.where(hi, t, torch.where(lo, -t, x))
    return c - c * c.abs() / 4 + a * (x - c)


@activation(
    "mef",
    family="sigmoidal",
    latex=r"\frac{x}{\sqrt{1 + x^2}} + \frac12",
    text="x / sqrt(1 + x^2) + 0.5",
    citation=KUNC_KLEMA_2024,
    aliases=("modified_elliott",),
    names=("MEF", "modified Elliott function"),
    survey=("MEF modified Elliott",),
    relations=(Relation("affine_of", "isru", note="isru(x; alpha=1) + 1/2"),),
    source="Survey §3.8.11: x/√(1 + x²) + 1/2, 'a translated special case of ISRU with a = 1'; the peer "
    "package and two public transcriptions of the survey print the same. The original paper was out of "
    "reach.",
    notes="Modified Elliott function; range (-1/2, 3/2). 'MEF' is also used for a 'modified error "
    "function'; this entry is the modified Elliott function of the survey. Evaluated with hypot (no "
    "overflow of x²).",
)
def mef(x: Tensor) -> Tensor:
    r""":math:`x/\sqrt{1 + x^2} + 1/2`."""
    one = torch.ones((), dtype=x.dtype, device=x.device)
    return x / torch.hypot(one, x) + 0.5


@activation(
    "ssaf",
    family="sigmoidal",
    latex=r"\operatorname{sign}(x)\sqrt{2a|x|}",
    text="sqrt(2 * a * max(x, 0)) - sqrt(2 * a * max(-x, 0))",
    citation=KUNC_KLEMA_2024,
    params=(Param("a", 1.0, "scale a > 0", **_POS),),
    names=("SSAF", "S-shaped activation function"),
    survey=("SSAF",),
    kinks=lambda p: (0.0,),
    source="Survey §3.9: √(2az) for z ≥ 0, -√(-2az) for z < 0 with a fixed a (proposed independently of "
    "SQRT, which is the case a = 1/2); the peer package and a public transcription print the same. The "
    "original paper was out of reach and no value of a is given: a = 1 is our choice (so that the default "
    "differs from SQRT, which is the preset 'sqrt' = ssaf(a=1/2)).",
    notes="Unbounded, odd, monotone; the slope is infinite at 0. At x = 0 exactly autograd returns 0 "
    "(the one-sided slopes are +inf), everywhere else the exact derivative a/√(2a|x|).",
)
def ssaf(x: Tensor, a: Any = 1.0) -> Tensor:
    r""":math:`\operatorname{sign}(x)\sqrt{2a|x|}`."""
    u = torch.where(x == 0, 1.0, x.abs())  # sqrt never sees 0 (its derivative there is inf)
    return torch.sign(x) * torch.sqrt(u) * (2 * a) ** 0.5  # not √(2au): 2u overflows for huge |x|


preset(
    "sqrt",
    of="ssaf",
    params={"a": 0.5},
    citation=KUNC_KLEMA_2024,
    latex=r"\operatorname{sign}(x)\sqrt{|x|}",
    text="sqrt(max(x, 0)) - sqrt(max(-x, 0))",
    aliases=("sqrt_activation",),
    names=("SQRT", "square-root-based activation function"),
    survey=("SQRT",),
    source="Survey §3.9: √z for z ≥ 0, -√(-z) for z < 0 (the LAF's structure with a square root instead "
    "of a logarithm); the peer package and two public transcriptions print the same. It is SSAF with "
    "a = 1/2. The original paper was out of reach.",
    notes="Square-root-based activation function: sign(x)√|x|, the preset ssaf(a=1/2).",
)


@activation(
    "mishra",
    family="sigmoidal",
    latex=r"\tfrac12\left(\tfrac{x}{1 + |x|}\right)^2 + \tfrac12\,\tfrac{x}{1 + |x|}",
    text="0.5 * (x / (1 + abs(x)))^2 + 0.5 * x / (1 + abs(x))",
    citation=KUNC_KLEMA_2024,
    names=("Mishra",),
    survey=("Mishra",),
    relations=(Relation("related", "softsign", note="s²/2 + s/2 with s = softsign(x)"),),
    source="Survey §3.11, as transcribed by two independent public transcriptions of the survey: "
    "s²/2 + s/2 with s = x/(1 + |x|). The peer package prints (1/2)·x/(1+|x|) + (x/2)·1/(1+|x|), which "
    "collapses to softsign (its square is lost); we follow the two agreeing transcriptions. The original "
    "work (Mishra et al.) was out of reach.",
    notes="Bounded, non-monotone: minimum -1/8 at x = -1, tends to 0 as x → -∞ and to 1 as x → ∞. "
    "Evaluated as x/(2(1 - x)²) for x < 0 and s(s + 1)/2 for x ≥ 0 (no cancellation of s + 1 in the left "
    "tail, no overflow).",
)
def mishra(x: Tensor) -> Tensor:
    r""":math:`s(s+1)/2`, :math:`s = x/(1+|x|)`."""
    neg = x < 0
    xn, xp = torch.where(neg, x, 0.0), torch.where(neg, 0.0, x)
    q = 1 / (1 - xn)
    s = xp / (1 + xp)
    return torch.where(neg, 0.5 * xn * q * q, 0.5 * s * (s + 1))


@activation(
    "sbaf",
    family="bump",
    latex=r"\frac{1}{1 + k\,x^{\alpha}(1 - x)^{1-\alpha}} \;(0 < x < 1);\quad 1 \text{ otherwise}",
    text="1 / (1 + k * x^alpha * (1 - x)^(1 - alpha)) if 0 < x < 1 else 1",
    citation=SAHA_2018,
    params=(
        Param("k", 0.98, "scale k ≥ 0", low=0.0),
        Param("alpha", 0.5, "exponent α in (0, 1)", low=0.0, high=1.0, low_inclusive=False,
              high_inclusive=False),
    ),
    names=("SBAF", "Saha-Bora activation function"),
    survey=("SBAF Saha-Bora",),
    kinks=lambda p: (0.0, 1.0),
    source="Saha et al. (arXiv 1806.01844): y = 1/(1 + k x^α (1 - x)^(1-α)) with k = 0.98, α = 0.5 (the "
    "survey §3.12: the values at which the authors found a stable fixed point); the peer package and two "
    "public transcriptions print the same formula.",
    notes="Saha-Bora activation function, defined on the unit interval (0, 1). Outside it x^α or "
    "(1 - x)^(1-α) is not real; actlab evaluates SBAF at x clipped to [0, 1], i.e. returns 1 for x ≤ 0 and "
    "x ≥ 1 — the continuous extension, since k x^α (1 - x)^(1-α) → 0 at both ends for 0 < α < 1 (one "
    "public transcription clips the same way). Inside, the slope is infinite at 0⁺ and 1⁻; at and outside "
    "the ends autograd gives 0. Evaluated as 1/(1 + k exp(α ln x + (1-α) ln(1-x))).",
)
def sbaf(x: Tensor, k: Any = 0.98, alpha: Any = 0.5) -> Tensor:
    r"""SBAF :math:`1/(1 + k x^\alpha (1-x)^{1-\alpha})` on (0, 1), 1 outside."""
    outside = (x <= 0) | (x >= 1)  # NaN is inside, so it propagates
    xi = torch.where(outside, 0.5, x)
    p = torch.exp(alpha * torch.log(xi) + (1 - alpha) * torch.log1p(-xi))
    return torch.where(outside, 1.0, 1 / (1 + k * p))


def _puaf_kinks(p: dict) -> tuple[float, ...]:
    return (-p["c"], p["c"]) if p["b"] <= 1 else ()


@activation(
    "puaf",
    family="self_gated",
    latex=r"x^a \;(x > c);\quad x^a \frac{(c + x)^b}{(c + x)^b + (c - x)^b} \;(|x| \le c);\quad 0 \;(x < -c)",
    text="x^a * (c + x)^b / ((c + x)^b + (c - x)^b) if |x| <= c; x^a if x > c; 0 if x < -c",
    citation=KUNC_KLEMA_2024,
    params=(
        Param("a", 1, "integer power a of x (1: swish-like, 0: sigmoid-like)", low=0, high=8, kind="int"),
        Param("b", 5.0, "sharpness b ≥ 0 of the polynomial gate", low=0.0),
        Param("c", 10.0, "half-width c > 0 of the gate's transition", **_POS),
    ),
    names=("PUAF", "polynomial universal activation function"),
    survey=("PUAF",),
    kinks=_puaf_kinks,
    source="Survey §3.16 (Hwang & Kim; the original was out of reach): x^a · (c+x)^b/((c+x)^b + (c-x)^b) "
    "on |x| ≤ c, x^a above, 0 below; a = 1, b = 5, c = 10 approximate swish (the survey's example, our "
    "default), a = 0, b = 5, c = 10 the logistic sigmoid, a = 1, b = c = 0 ReLU. The peer package and two "
    "public transcriptions print the same formula.",
    notes="Polynomial universal activation function: x^a times a polynomial gate rising from 0 at -c to 1 "
    "at c. a is an integer here (x^a for x < 0 is not real otherwise); c > 0 (c = 0, ReLU, is the limit: "
    "use 'relu'). The gate is evaluated as σ(2b·artanh(x/c)), which equals (c+x)^b/((c+x)^b + (c-x)^b) and "
    "neither overflows nor cancels; continuously differentiable for b > 1.",
)
def puaf(x: Tensor, a: int = 1, b: Any = 5.0, c: Any = 10.0) -> Tensor:
    r"""PUAF: :math:`x^a` times the gate :math:`(c+x)^b/((c+x)^b+(c-x)^b)` on [-c, c]."""
    hi, lo = x >= c, x <= -c
    xm = torch.where(hi | lo, 0.0, x)
    gate = torch.sigmoid(2 * b * torch.atanh(xm / c))
    power = torch.ones_like(x) if a == 0 else x**a
    mid_power = torch.ones_like(x) if a == 0 else xm**a
    return torch.where(hi, power, torch.where(lo, 0.0, mid_power * gate))


@activation(
    "bfire",
    family="smooth_rectifier",
    latex=r"\frac{x^2}{2a} \;(|x| \le a);\quad |x| - \frac{a}{2} \;(|x| > a)",
    text="min(abs(x), a)^2 / (2 * a) + max(abs(x) - a, 0)",
    citation=LI_BIFIRING_2014,
    params=(Param("a", 1.0, "smoothing half-width a > 0", **_POS),),
    aliases=("bi_firing",),
    names=("bfire", "bi-firing activation function"),
    survey=("bi-firing",),
    relations=(
        special_case_of("eplaf", d=2.0),
        Relation("limit_of", "absolute", note="a → 0 (the survey: bfire is a smoothed vReLU)"),
    ),
    source="Li et al. (2014, DOI 10.1007/s13042-013-0198-9) as printed in the survey §3.21: -x - a/2 "
    "(x < -a), x²/(2a) (|x| ≤ a), x - a/2 (x > a); the peer package and a public transcription agree. The "
    "paper itself was out of reach and the survey gives no value of a: a = 1 is our choice.",
    notes="Bi-firing function: |x| with its corner smoothed by a parabola on [-a, a] (a Huber-type "
    "function, divided by a); continuously differentiable, f' = clip(x/a, -1, 1). bfire(a=1) is EPLAF "
    "with d = 2 (Nasiri & Ghiasi-Shirazi 2021), a rediscovery.",
)
def bfire(x: Tensor, a: Any = 1.0) -> Tensor:
    r"""Bi-firing: :math:`x^2/(2a)` on :math:`|x| \le a`, :math:`|x| - a/2` outside."""
    inner = (x >= -a) & (x <= a)
    xi = torch.where(inner, x, 0.0)
    xo = torch.where(inner, 0.0, x)
    return torch.where(inner, xi * xi / (2 * a), xo.abs() - a / 2)


def _bbfire_edge(a: float, b: float) -> float:
    return b + a / 2 if b >= a / 2 else math.sqrt(2 * a * b)


@activation(
    "bbfire",
    family="smooth_rectifier",
    latex=r"\min\left(\mathrm{bfire}_a(x),\ b\right)",
    text="min(min(abs(x), a)^2 / (2 * a) + max(abs(x) - a, 0), b)",
    citation=LIEW_2016,
    params=(
        Param("a", 1.0, "smoothing half-width a > 0", **_POS),
        Param("b", 5.0, "bound b > 0 of the output", **_POS),
    ),
    aliases=("bounded_bi_firing",),
    names=("bbfire", "bounded bi-firing activation function"),
    survey=("bounded bi-firing",),
    relations=(Relation("related", "bfire", note="bfire clipped at b"),),
    kinks=lambda p: (-_bbfire_edge(p["a"], p["b"]), _bbfire_edge(p["a"], p["b"])),
    source="Survey §3.22 (Liew, Khalil-Hani & Bakhteri, whose abstract, checked, proposes the bounded "
    "bi-firing; the full text was out of reach): b for |x| > b + a/2, -x - a/2 and "
    "x - a/2 on a ≤ |x| ≤ b + a/2, x²/(2a) on |x| ≤ a, i.e. min(bfire_a(x), b); the peer package and a "
    "public transcription agree on the shape but not on a default bound (b = 5 and b = 3). No value is "
    "published in reach: a = 1 (as for bfire) and b = 5, which bounds only |x| ≥ 5.5, are our choice.",
    notes="Bounded bi-firing: bfire capped at b, symmetric, near inverse-bell-shaped; the slope jumps to 0 "
    "at |x| = b + a/2. For b < a/2 (outside the survey's case distinction) the same min(bfire, b) is "
    "used.",
)
def bbfire(x: Tensor, a: Any = 1.0, b: Any = 5.0) -> Tensor:
    r"""Bounded bi-firing :math:`\min(\mathrm{bfire}_a(x), b)`."""
    y = bfire(x, a)
    return torch.where(y > b, b, y)


@activation(
    "ncu",
    family="polynomial",
    latex=r"x - x^3",
    text="x - x^3",
    citation=NOEL_OSC_2021,
    names=("NCU", "non-monotonic cubic unit"),
    survey=("NCU",),
    source="Noel et al. (arXiv 2111.04020): the non-monotonic cubic unit z - z³; the survey §3.42, the peer "
    "package and a public transcription print the same.",
    notes="Odd cubic with maxima at ±1/√3; unbounded (and decreasing) for |x| > 1/√3. Evaluated as "
    "x(1 - x)(1 + x) (exact zeros at ±1).",
)
def ncu(x: Tensor) -> Tensor:
    """NCU(x) = x - x³."""
    return x * (1 - x) * (1 + x)


@activation(
    "triple",
    family="polynomial",
    latex=r"a x^3",
    text="a * x^3",
    citation=KUNC_KLEMA_2024,
    params=(Param("a", 1.0, "scale a > 0", **_POS),),
    names=("triple",),
    survey=("triple",),
    source="Survey §3.43 (Chen et al.; the original was out of reach): a·z³; Chen et al. tried "
    "a ∈ {0.1, 0.5, 1, 2} and found a = 1 best (our default). The peer package and a public "
    "transcription print the same.",
    notes="Odd, monotone cubic with zero slope at 0.",
)
def triple(x: Tensor, a: Any = 1.0) -> Tensor:
    """triple(x) = a x³."""
    return a * (x * x * x)


@activation(
    "squ",
    family="polynomial",
    latex=r"x^2 + x",
    text="x^2 + x",
    citation=NOEL_OSC_2021,
    names=("SQU", "shifted quadratic unit"),
    survey=("SQU",),
    source="Noel et al. (arXiv 2111.04020): the shifted quadratic unit z² + z; the survey §3.44, the peer "
    "package and two public transcriptions print the same.",
    notes="Non-monotone parabola with minimum -1/4 at x = -1/2. Evaluated as x(x + 1) (exact zero at -1).",
)
def squ(x: Tensor) -> Tensor:
    """SQU(x) = x² + x."""
    return x * (x + 1)
