"""The "Plus" family (survey §4.55): piecewise-linear activations smoothed by the mollified square
root function (MSRF) of Pan et al., and compound activations rewritten with it.

The MSRF replaces |u| by :math:`|u|_\\varepsilon = \\sqrt{u^2 + \\varepsilon}`; written as a maximum or
minimum of two lines, max(u, v) = (u + v + |u - v|)/2, a piecewise-linear unit becomes smooth. Every
entry here takes the mollifier ε as a fixed parameter ``eps`` (default 0.01: |u|_ε is within
√ε = 0.1 of |u|, so each unit stays close to the piecewise-linear original; Pan et al. leave ε free).
SquarePlus (ε = b) is the entry ``squareplus``; LReLUPlus is SMU-1 (the entry ``smu1``, which carries
its name), and MeLUPlus uses it with μ = √ε.

Numerics: the published forms cancel wherever the smoothed unit is flat (e.g. StepPlus for x << 0,
SoftshrinkPlus inside the dead zone). Every function is rewritten exactly in terms of
r(u) = |u|_ε - |u| = ε/(|u|_ε + |u|) ≥ 0 or of ε/(|u|_ε ∓ u), so it is accurate to a few ulps
everywhere, and |u|_ε is ``hypot(u, √ε)`` (no overflow of u²).
"""

from __future__ import annotations

from typing import Any

import torch

from actlab.catalog.adaptive_piecewise import MELU_HATS, MELU_ZEROS, _vec
from actlab.catalog.exponential import expm1
from actlab.catalog.registry import activation
from actlab.catalog.spec import Citation, Param, Relation, equal_to

Tensor = torch.Tensor

PAN_2023 = Citation(
    authors="Pan, T. Y. and Yang, G. and Zhao, J. and Ding, J.",
    title="Smoothing piecewise linear activation functions based on mollified square root functions",
    year=2023,
    url="https://openreview.net/forum?id=ZPtQ83t7ob",
    venue="Mathematical Foundations of Computing",
)

_EPS = Param("eps", 0.01, "mollifier ε > 0 of |u|_ε = sqrt(u² + ε) (fixed)", low=0.0, low_inclusive=False)
_SOURCE = (
    "Pan et al. (2023) smooth piecewise-linear activations by writing them with max/min of lines and "
    "replacing |u| by the MSRF |u|_ε = sqrt(u² + ε) (abstract at the cited page); the survey §4.55 "
    "prints the resulting formulas. Their paper text was not readable to us: the formula follows the "
    "construction and the survey, which agree"
)


def _root(eps: Any, x: Tensor) -> Tensor:
    """√ε as a tensor (ε a number or a learnable tensor)."""
    return torch.sqrt(torch.as_tensor(eps, dtype=x.dtype, device=x.device))


def _relu_plus(u: Tensor, s: Tensor) -> Tensor:
    """(u + |u|_ε)/2 (the MSRF max(u, 0)); ε/(2(|u|_ε - u)) for u < 0 (no cancellation)."""
    neg = u < 0
    un = torch.where(neg, u, 0.0)
    up = torch.where(neg, 0.0, u)
    return torch.where(neg, (s * s / (torch.hypot(un, s) - un)) / 2, up / 2 + torch.hypot(up, s) / 2)


def _step_plus(u: Tensor, s: Tensor) -> Tensor:
    """(1 + u/|u|_ε)/2; ε/(2|u|_ε(|u|_ε - u)) for u < 0."""
    neg = u < 0
    un = torch.where(neg, u, 0.0)
    up = torch.where(neg, 0.0, u)
    hn = torch.hypot(un, s)
    return torch.where(neg, (s * s / hn / (hn - un)) / 2, (1 + up / torch.hypot(up, s)) / 2)


def _deviations(x: Tensor, t: Any) -> tuple[Tensor, Tensor]:
    """|x - t| and |x + t| (t > 0), each written as the line that holds on [-t, t] up to and including
    the ends, so that autograd takes the same side at x = ±t as :func:`_clip` (a smooth sum of pieces
    then gets its true derivative there)."""
    return torch.where(x > t, x - t, t - x), torch.where(x < -t, -x - t, x + t)


def _gap_terms(x: Tensor, t: Any, s: Tensor) -> Tensor:
    """r(x - t) - r(x + t) for t > 0, as ε N/(D1 D2) with N = 4tx/(h1 + h2) + 2 clip(x, -t, t), D = h + |.|:
    both terms of N have the sign of x, so the small difference never cancels."""
    h1, h2 = torch.hypot(x - t, s), torch.hypot(x + t, s)
    a1, a2 = _deviations(x, t)
    n = (x / (h1 / 2 + h2 / 2)) * (2 * t) + 2 * _clip(x, t)
    return s * s / (h1 + a1) / (h2 + a2) * n


def _clip(x: Tensor, t: Any) -> Tensor:
    return torch.where(x > t, torch.zeros_like(x) + t, torch.where(x < -t, torch.zeros_like(x) - t, x))


# --------------------------------------------------------------------------- step and sign


@activation(
    "step_plus",
    family="sigmoidal",
    latex=r"\tfrac12\left(1 + \frac{x}{|x|_\varepsilon}\right)",
    text="(1 + x / sqrt(x^2 + eps)) / 2",
    citation=PAN_2023,
    params=(_EPS,),
    names=("StepPlus",),
    survey=("StepPlus / BipolarPlus",),
    relations=(Relation("limit_of", "binary_step", note="ε → 0"),
               Relation("related", "squareplus", note="step_plus(x; ε) = d/dx squareplus(x; b=ε)")),
    source=_SOURCE + ": StepPlus(x) = (1 + x/|x|_ε)/2, the MSRF step function.",
    notes="StepPlus, a smooth step (the derivative of SquarePlus). For x < 0 evaluated as "
    "ε/(2|x|_ε(|x|_ε - x)).",
)
def step_plus(x: Tensor, eps: Any = 0.01) -> Tensor:
    r""":math:`\frac12(1 + x/\sqrt{x^2 + \varepsilon})`."""
    return _step_plus(x, _root(eps, x))


@activation(
    "bipolar_plus",
    family="sigmoidal",
    latex=r"\frac{x}{|x|_\varepsilon}",
    text="x / sqrt(x^2 + eps)",
    citation=PAN_2023,
    params=(_EPS,),
    names=("BipolarPlus",),
    survey=("StepPlus / BipolarPlus",),
    relations=(Relation("limit_of", "sign", note="ε → 0"),
               Relation("affine_of", "step_plus", note="bipolar_plus(x) = 2 step_plus(x) - 1")),
    source=_SOURCE + ": BipolarPlus(x) = x/|x|_ε, the MSRF sign function.",
    notes="BipolarPlus, a smooth sign function (an ISRU-like unit with curvature set by ε).",
)
def bipolar_plus(x: Tensor, eps: Any = 0.01) -> Tensor:
    r""":math:`x/\sqrt{x^2 + \varepsilon}`."""
    return x / torch.hypot(x, _root(eps, x))


# --------------------------------------------------------------------------- rectifier-like


@activation(
    "vrelu_plus",
    family="smooth_rectifier",
    latex=r"|x|_\varepsilon = \sqrt{x^2 + \varepsilon}",
    text="sqrt(x^2 + eps)",
    citation=PAN_2023,
    params=(_EPS,),
    names=("vReLUPlus",),
    survey=("vReLUPlus",),
    relations=(Relation("limit_of", "absolute", note="ε → 0 (vReLU = |x|)"),
               Relation("affine_of", "squareplus", note="vrelu_plus(x; ε) = 2 squareplus(x; b=ε) - x")),
    source=_SOURCE + ": vReLUPlus(x) = |x|_ε, the MSRF of vReLU = |x|.",
    notes="vReLUPlus, the mollified absolute value itself (hypot(x, √ε)).",
)
def vrelu_plus(x: Tensor, eps: Any = 0.01) -> Tensor:
    r""":math:`\sqrt{x^2 + \varepsilon}`."""
    return torch.hypot(x, _root(eps, x))


def _brelu_low(x: Tensor, s: Tensor) -> Tensor:
    """BReLUPlus for x < 1: (r(x) + r(x - 1) + 2 max(x, 0)) / (2(|x|_ε + |x - 1|_ε))."""
    h0, h1 = torch.hypot(x, s), torch.hypot(x - 1, s)
    pos = torch.where(x > 0, x, torch.zeros_like(x))  # max(x, 0); |x| = 2 pos - x, same side at 0
    num = s * s / (h0 + 2 * pos - x) + s * s / (h1 + (1 - x)) + 2 * pos
    return num / (h0 / 2 + h1 / 2) / 4


@activation(
    "brelu_plus",
    family="smooth_rectifier",
    latex=r"\tfrac12\left(1 + |x|_\varepsilon - |x - 1|_\varepsilon\right)",
    text="(1 + sqrt(x^2 + eps) - sqrt((x - 1)^2 + eps)) / 2",
    citation=PAN_2023,
    params=(_EPS,),
    names=("BReLUPlus",),
    survey=("BReLUPlus",),
    relations=(Relation("limit_of", "relun", note="ε → 0 with n = 1 (BReLU = min(max(x, 0), 1))"),),
    source=_SOURCE + ": BReLUPlus(x) = (1 + |x|_ε - |x - 1|_ε)/2, the MSRF of the bounded ReLU "
    "min(max(x, 0), 1).",
    notes="BReLUPlus, a smooth clip to [0, 1]; symmetric, f(x) + f(1 - x) = 1. Evaluated as "
    "(r(x) + r(x - 1) + 2 max(x, 0))/(2(|x|_ε + |x - 1|_ε)) for x < 1 (r(u) = |u|_ε - |u|) and as "
    "1 - f(1 - x) above.",
)
def brelu_plus(x: Tensor, eps: Any = 0.01) -> Tensor:
    r""":math:`\frac12(1 + |x|_\varepsilon - |x - 1|_\varepsilon)`."""
    s = _root(eps, x)
    low = x < 1
    xl = torch.where(low, x, 0.0)
    xh = torch.where(low, 0.0, 1 - x)
    return torch.where(low, _brelu_low(xl, s), 1 - _brelu_low(xh, s))


@activation(
    "srelu_plus",
    family="smooth_rectifier",
    latex=r"a x + \tfrac12 (a - 1)\left(|x - t|_\varepsilon - |x + t|_\varepsilon\right)",
    text="a*x + (a - 1) * (sqrt((x - t)^2 + eps) - sqrt((x + t)^2 + eps)) / 2",
    citation=PAN_2023,
    params=(
        Param("a", 0.1, "outer slope a (as in SReLU; trainable)", trainable=True),
        Param("t", 1.0, "symmetric threshold t > 0 (t_r = t_l = t; trainable)", low=0.0, low_inclusive=False,
              trainable=True),
        _EPS,
    ),
    names=("SReLUPlus",),
    survey=("SReLUPlus",),
    relations=(Relation("limit_of", "piecewise_linear_unit", note="ε → 0 (the symmetric SReLU is PLU)"),),
    source=_SOURCE + ": SReLUPlus(x) = a x + (a - 1)(|x - t|_ε - |x + t|_ε)/2, the MSRF of the "
    "symmetric S-shaped ReLU (t_r = -t_l = t, equal outer slopes a).",
    notes="SReLUPlus: identity near 0, slope a beyond ±t, smooth. Evaluated as a x + (1 - a) clip(x, -t, t) "
    "+ (a - 1)(r(x - t) - r(x + t))/2 with the difference of the r's formed without cancellation. "
    "Defaults a = 0.1, t = 1 (PLU's) are ours; a and t are learned as in SReLU.",
)
def srelu_plus(x: Tensor, a: Any = 0.1, t: Any = 1.0, eps: Any = 0.01) -> Tensor:
    r""":math:`ax + \frac12(a - 1)(|x - t|_\varepsilon - |x + t|_\varepsilon)`."""
    s = _root(eps, x)
    return x * a + _clip(x, t) * (1 - a) + (a - 1) * _gap_terms(x, t, s) / 2


@activation(
    "hardtanh_plus",
    family="sigmoidal",
    latex=r"\tfrac12\left(|x + 1|_\varepsilon - |x - 1|_\varepsilon\right)",
    text="(sqrt((x + 1)^2 + eps) - sqrt((x - 1)^2 + eps)) / 2",
    citation=PAN_2023,
    params=(_EPS,),
    names=("HardTanhPlus", "HtanhPlus"),
    survey=("HardTanhPlus",),
    relations=(Relation("limit_of", "hardtanh", note="ε → 0"),),
    source=_SOURCE + ": HardTanhPlus(x) = (|x + 1|_ε - |x - 1|_ε)/2, the MSRF of HardTanh.",
    notes="HardTanhPlus, a smooth clip to [-1, 1], evaluated as x/((|x + 1|_ε + |x - 1|_ε)/2) (the "
    "difference of the roots rationalised).",
)
def hardtanh_plus(x: Tensor, eps: Any = 0.01) -> Tensor:
    r""":math:`\frac12(|x + 1|_\varepsilon - |x - 1|_\varepsilon)`."""
    s = _root(eps, x)
    return x / (torch.hypot(x + 1, s) / 2 + torch.hypot(x - 1, s) / 2)


@activation(
    "signrelu_plus",
    family="smooth_rectifier",
    latex=r"\tfrac12(x + |x|_\varepsilon) + \frac{x - |x|_\varepsilon}{2|1 - x|_\varepsilon}",
    text="(x + sqrt(x^2 + eps)) / 2 + (x - sqrt(x^2 + eps)) / (2 * sqrt((1 - x)^2 + eps))",
    citation=PAN_2023,
    params=(_EPS,),
    names=("SignReLUPlus", "DLUPlus"),
    survey=("SignReLUPlus",),
    relations=(Relation("limit_of", "sign_relu", note="ε → 0 with a = 1 (SignReLU = DLU: x, x/(1 - x))"),),
    source=_SOURCE + ": Pan et al. approximate SignReLU (DLU) by (x + |x|)/2 + (x - |x|)/(2|1 - x|) and "
    "mollify every |.|: SignReLUPlus(x) = (x + |x|_ε)/2 + (x - |x|_ε)/(2|1 - x|_ε).",
    notes="SignReLUPlus (Pan et al.'s DLUPlus). On (-1, 1) evaluated as (x(g + 1) + |x|_ε(g - 1))/(2g), "
    "g = |1 - x|_ε, g - 1 = (x² - 2x + ε)/(g + 1), where the two halves of the published form cancel.",
)
def signrelu_plus(x: Tensor, eps: Any = 0.01) -> Tensor:
    r""":math:`\frac12(x + |x|_\varepsilon) + (x - |x|_\varepsilon)/(2|1 - x|_\varepsilon)`."""
    s = _root(eps, x)
    inner = x.abs() < 1
    xi = torch.where(inner, x, 0.0)
    g = torch.hypot(1 - xi, s)
    gm1 = (xi * xi - 2 * xi + s * s) / (g + 1)
    mid = (xi * (g + 1) + torch.hypot(xi, s) * gm1) / (2 * g)
    xo = torch.where(inner, 2.0, x)
    minus = _min_plus(xo, s)  # (x - |x|_ε)/2
    out = _relu_plus(xo, s) + minus / torch.hypot(1 - xo, s)
    return torch.where(inner, mid, out)


# --------------------------------------------------------------------------- shrinkage


@activation(
    "softshrink_plus",
    family="shrinkage",
    latex=r"x + \tfrac12\left(|x - a|_\varepsilon - |x + a|_\varepsilon\right)",
    text="x + (sqrt((x - a)^2 + eps) - sqrt((x + a)^2 + eps)) / 2",
    citation=PAN_2023,
    params=(Param("a", 0.5, "threshold a > 0 (fixed, as softshrink's λ)", low=0.0, low_inclusive=False),
            _EPS),
    names=("SoftshrinkPlus", "STFPlus"),
    survey=("SoftshrinkPlus",),
    relations=(Relation("limit_of", "softshrink", note="ε → 0 with lambd = a"),),
    source=_SOURCE + ": SoftshrinkPlus(x) = x + (|x - a|_ε - |x + a|_ε)/2 (Pan et al.'s STFPlus, the "
    "MSRF of the soft-thresholding function).",
    notes="SoftshrinkPlus: smooth soft thresholding. Evaluated as softshrink(x; a) + (r(x - a) - r(x + a))/2 "
    "with the difference of the r's formed without cancellation (the dead zone is of order ε x). a = 0.5 "
    "as softshrink's default.",
)
def softshrink_plus(x: Tensor, a: Any = 0.5, eps: Any = 0.01) -> Tensor:
    r""":math:`x + \frac12(|x - a|_\varepsilon - |x + a|_\varepsilon)`."""
    s = _root(eps, x)
    return (x - _clip(x, a)) + _gap_terms(x, a, s) / 2


@activation(
    "pan_plus",
    family="shrinkage",
    latex=r"-a + \tfrac12\left(|x - a|_\varepsilon + |x + a|_\varepsilon\right)",
    text="-a + (sqrt((x - a)^2 + eps) + sqrt((x + a)^2 + eps)) / 2",
    citation=PAN_2023,
    params=(Param("a", 1.0, "threshold a > 0 (fixed, as pan_function's a)", low=0.0, low_inclusive=False),
            _EPS),
    names=("PanPlus",),
    survey=("PanPlus",),
    relations=(Relation("limit_of", "pan_function", note="ε → 0"),),
    source=_SOURCE + ": PanPlus(x) = -a + (|x - a|_ε + |x + a|_ε)/2, the MSRF of the frying-pan function "
    "max(|x| - a, 0).",
    notes="PanPlus: a smooth max(|x| - a, 0), evaluated as max(|x| - a, 0) + (r(x - a) + r(x + a))/2 "
    "(both corrections positive). a = 1 as pan_function's default.",
)
def pan_plus(x: Tensor, a: Any = 1.0, eps: Any = 0.01) -> Tensor:
    r""":math:`-a + \frac12(|x - a|_\varepsilon + |x + a|_\varepsilon)`."""
    s = _root(eps, x)
    a1, a2 = _deviations(x, a)
    pan = torch.where(x > a, x - a, torch.where(x < -a, -x - a, torch.zeros_like(x)))
    return pan + (s * s / (torch.hypot(x - a, s) + a1) + s * s / (torch.hypot(x + a, s) + a2)) / 2


def _one_plus_bipolar(u: Tensor, s: Tensor) -> Tensor:
    """1 + u/|u|_ε (= 2 StepPlus(u))."""
    return 2 * _step_plus(u, s)


@activation(
    "hardshrink_plus",
    family="shrinkage",
    latex=r"x\left(1 + \tfrac12\left(\frac{x - a}{|x - a|_\varepsilon} "
    r"- \frac{x + a}{|x + a|_\varepsilon}\right)\right)",
    text="x * (1 + ((x - a) / sqrt((x - a)^2 + eps) - (x + a) / sqrt((x + a)^2 + eps)) / 2)",
    citation=PAN_2023,
    params=(Param("a", 0.5, "threshold a > 0 (fixed, as hardshrink's λ)", low=0.0, low_inclusive=False),
            _EPS),
    names=("HardshrinkPlus", "HTFPlus"),
    survey=("HardshrinkPlus",),
    relations=(Relation("limit_of", "hardshrink", note="ε → 0 with lambd = a"),),
    source=_SOURCE + ": HardshrinkPlus(x) = x(1 + ((x - a)/|x - a|_ε - (x + a)/|x + a|_ε)/2) (Pan et al.'s "
    "HTFPlus, hard thresholding as x times a smooth indicator of |x| > a).",
    notes="HardshrinkPlus, evaluated as x((1 + b(x - a)) + (1 - b(x + a)))/2 with b(u) = u/|u|_ε and each "
    "bracket in the form that does not cancel. a = 0.5 as hardshrink's default.",
)
def hardshrink_plus(x: Tensor, a: Any = 0.5, eps: Any = 0.01) -> Tensor:
    r""":math:`x(1 + \frac12((x - a)/|x - a|_\varepsilon - (x + a)/|x + a|_\varepsilon))`."""
    s = _root(eps, x)
    return x * ((_one_plus_bipolar(x - a, s) + _one_plus_bipolar(-(x + a), s)) / 2)


# --------------------------------------------------------------------------- MeLUPlus


def _lrelu_plus(x: Tensor, a: Any, s: Tensor) -> Tensor:
    """LReLUPlus (x + ax + |(1 - a)x|_ε)/2; for x < 0 as (μ - 2√a|x|)/(g + (1 + a)|x|) (μ + 2√a|x|)/2 with
    μ = √ε, g = |(1 - a)x|_ε (g² - (1 + a)²x² = μ² - 4ax²): exact at the root x = -μ/(2√a)."""
    neg = x < 0
    xn = torch.where(neg, -x, 0.0)  # |x| for x < 0
    xp = torch.where(neg, 0.0, x)
    ra = torch.sqrt(torch.as_tensor(a, dtype=x.dtype, device=x.device))
    g = torch.hypot(xn * (1 - a), s)
    low = (s - 2 * ra * xn) / (g + xn * (1 + a)) * (s + 2 * ra * xn) / 2
    high = xp * ((1 + a) / 2) + torch.hypot(xp * (1 - a), s) / 2
    return torch.where(neg, low, high)


def _phi_plus(x: Tensor, centre: Any, half: Any, s: Tensor) -> Tensor:
    """The smoothed hat max(c - |x - b|, 0) → (v + |v|_ε)/2, v = c - |x - b|_ε."""
    return _relu_plus(half - torch.hypot(x - centre, s), s)


@activation(
    "melu_plus",
    family="smooth_rectifier",
    latex=r"\mathrm{LReLUPlus}_a(x) + \sum_{j=1}^{3} c_j\,\tfrac12\left(v_j + |v_j|_\varepsilon\right),"
    r"\ v_j = m\lambda_j - |x - m a_j|_\varepsilon",
    text="LReLUPlus(x; a) + sum_j c_j (v_j + sqrt(v_j^2 + eps)) / 2 with v_j := m lambda_j - |x - m a_j|_eps",
    citation=PAN_2023,
    params=(
        Param("a", 0.1, "slope a ∈ [0, 1] of the smoothed leaky ReLU (learnable)", low=0.0, high=1.0,
              trainable=True),
        Param("coefficients", MELU_ZEROS, "c_1..c_3 of the three smoothed hats (learnable; initialised to 0)",
              trainable=True, kind="vector"),
        Param("max_input", 1.0, "scale m of the hat layout (as mexican_relu)", low=0.0, low_inclusive=False),
        _EPS,
    ),
    names=("MeLUPlus", "MReLUPlus"),
    survey=("MeLUPlus",),
    relations=(equal_to("smu1", note="at c = 0: LReLUPlus = SMU-1 with μ = √ε", alpha=0.1, mu=0.1),
               Relation("limit_of", "mexican_relu", note="ε → 0")),
    source=_SOURCE + ". Pan et al. give only the smoothed hat, φ⁺(x) = (v + |v|_ε)/2 with v = c - |x - b|_ε; "
    "as the survey (§4.55) says, the full MeLUPlus is LReLUPlus plus the MeLU sum of smoothed hats. Hats "
    "as in mexican_relu (k = 4: (a_j, λ_j) = m·(2, 2), m·(1, 1), m·(3, 1)), coefficients initialised to 0.",
    notes="MeLUPlus, the MSRF-smoothed Mexican ReLU (k = 4, three coefficients, learned once per layer). "
    "Its leaky part is LReLUPlus = SMU-1 (μ = √ε), so at c = 0 it is smu1(α = 0.1, μ = 0.1). The slope "
    "default a = 0.1 is ours (with a = 0.25 the negative root -√ε/(2√a) would sit exactly on x = -0.1, "
    "where no floating-point evaluation keeps relative accuracy).",
)
def melu_plus(
    x: Tensor, a: Any = 0.1, coefficients: Any = MELU_ZEROS, max_input: Any = 1.0, eps: Any = 0.01
) -> Tensor:
    r""":math:`\mathrm{LReLUPlus}_a(x) + \sum_j c_j \phi^+_j(x)`."""
    s = _root(eps, x)
    c = _vec(coefficients, x)
    y = _lrelu_plus(x, a, s)
    for j, (centre, half) in enumerate(MELU_HATS[: c.shape[0]]):
        y = y + c[j] * _phi_plus(x, max_input * centre, max_input * half, s)
    return y



# --------------------------------------------------------------------------- compound units


def _min_plus(u: Tensor, s: Tensor) -> Tensor:
    """(u - |u|_ε)/2 = -max⁺(-u)."""
    return -_relu_plus(-u, s)


@activation(
    "elu_plus",
    family="exponential",
    latex=r"\tfrac12\left(x + |x|_\varepsilon\right) + \tfrac12\left(u - |u|_\varepsilon\right),\ "
    r"u = \alpha(e^x - 1)",
    text="(x + sqrt(x^2 + eps)) / 2 + (alpha*(exp(x) - 1) - sqrt((alpha*(exp(x) - 1))^2 + eps)) / 2",
    citation=PAN_2023,
    params=(Param("alpha", 1.0, "ELU's α > 0 (fixed)", low=0.0, low_inclusive=False), _EPS),
    names=("ELUPlus",),
    survey=("ELUPlus",),
    relations=(Relation("limit_of", "elu", note="ε → 0"),),
    source=_SOURCE + ": ELU = max(x, 0) + min(α(e^x - 1), 0) with both parts mollified. The survey's printed "
    "ELUPlus (and the peer package) adds (u + |u|_ε)/2, a smoothed max(u, 0), which is not ELU-like "
    "(it adds e^x - 1 for x > 0); the construction decides: the negative part is the smoothed "
    "min(u, 0) = (u - |u|_ε)/2. α multiplies (Clevert's ELU); Pan et al. use 1/α (survey footnote 79).",
    notes="ELUPlus, the MSRF-smoothed ELU. On |x| <= 1 evaluated as (x + u)(1 + (x - u)/(|x|_ε + |u|_ε))/2, "
    "where the two halves cancel; for x > 40 the negative part (< ε e^{-x}) is dropped. Uncertain: the "
    "sign of the second term is resolved against the survey's printed formula (see source).",
)
def elu_plus(x: Tensor, alpha: Any = 1.0, eps: Any = 0.01) -> Tensor:
    r""":math:`\frac12(x + |x|_\varepsilon) + \frac12(u - |u|_\varepsilon)`, :math:`u = \alpha(e^x - 1)`."""
    s = _root(eps, x)
    inner = x.abs() <= 1
    xi = torch.where(inner, x, 0.0)
    ui = expm1(xi) * alpha
    mid = (xi + ui) * (1 + (xi - ui) / (torch.hypot(xi, s) + torch.hypot(ui, s))) / 2
    far = x > 40
    xo = torch.where(inner, 2.0, x)
    uo = expm1(torch.where(far, 0.0, xo)) * alpha
    out = _relu_plus(xo, s) + torch.where(far, 0.0, _min_plus(uo, s))
    return torch.where(inner, mid, out)


@activation(
    "swish_plus",
    family="self_gated",
    latex=r"x \cdot \mathrm{StepPlus}(x) = \tfrac12\left(x + \frac{x^2}{|x|_\varepsilon}\right)",
    text="x * (1 + x / sqrt(x^2 + eps)) / 2",
    citation=PAN_2023,
    params=(_EPS,),
    names=("SwishPlus",),
    survey=("SwishPlus",),
    relations=(Relation("limit_of", "relu", note="ε → 0"),),
    source=_SOURCE + ": SwishPlus(x) = x·StepPlus(x), swish with the logistic sigmoid replaced by StepPlus.",
    notes="SwishPlus, x times the MSRF step.",
)
def swish_plus(x: Tensor, eps: Any = 0.01) -> Tensor:
    r""":math:`x\,\frac12(1 + x/|x|_\varepsilon)`."""
    return x * _step_plus(x, _root(eps, x))


@activation(
    "mish_plus",
    family="self_gated",
    latex=r"x \cdot \mathrm{BipolarPlus}(\mathrm{SquarePlus}(x))",
    text="x * ((x + sqrt(x^2 + eps)) / 2) / sqrt(((x + sqrt(x^2 + eps)) / 2)^2 + eps)",
    citation=PAN_2023,
    params=(_EPS,),
    names=("MishPlus",),
    survey=("MishPlus",),
    relations=(Relation("limit_of", "relu", note="ε → 0"),),
    source=_SOURCE + ": mish = x tanh(softplus(x)) with tanh → BipolarPlus and softplus → SquarePlus "
    "(survey: 'defined using the BipolarPlus and SquarePlus'), MishPlus(x) = x·b(s(x)), "
    "s(x) = (x + |x|_ε)/2, b(u) = u/|u|_ε.",
    notes="MishPlus. Uncertain: two transcriptions of the survey's formula in circulation write "
    "x·BipolarPlus(BipolarPlus(x)) (≈ |x|, not mish-like); the survey's prose and the construction "
    "(tanh → BipolarPlus, softplus → SquarePlus, both with the same ε) decide.",
)
def mish_plus(x: Tensor, eps: Any = 0.01) -> Tensor:
    r""":math:`x\,b(s(x))`, :math:`s(x) = \frac12(x + |x|_\varepsilon)`, :math:`b(u) = u/|u|_\varepsilon`."""
    s = _root(eps, x)
    neg = x < 0
    xn = torch.where(neg, x, 0.0)
    xp = torch.where(neg, 0.0, x)
    dn = torch.hypot(xn, s) - xn
    spn = s * s / dn / 2  # SquarePlus(x) for x < 0
    # x * s(x) = (x / dn) (ε/2) for x < 0: the ratio first, so huge |x| meets no inf * 0
    low = (xn / dn) * (s * s / 2) / torch.hypot(spn, s)
    spp = xp / 2 + torch.hypot(xp, s) / 2
    return torch.where(neg, low, xp * (spp / torch.hypot(spp, s)))


@activation(
    "logish_plus",
    family="self_gated",
    latex=r"x \ln\left(1 + \mathrm{StepPlus}(x)\right)",
    text="x * log(1 + (1 + x / sqrt(x^2 + eps)) / 2)",
    citation=PAN_2023,
    params=(_EPS,),
    names=("LogishPlus",),
    survey=("LogishPlus",),
    relations=(Relation("related", "logish", note="logish with the sigmoid replaced by StepPlus; "
                        "ε → 0 gives ln 2·max(x, 0)"),),
    source=_SOURCE + ": LogishPlus(x) = x ln(1 + StepPlus(x)), logish x ln(1 + σ(x)) with σ → StepPlus.",
    notes="LogishPlus.",
)
def logish_plus(x: Tensor, eps: Any = 0.01) -> Tensor:
    r""":math:`x \ln(1 + \mathrm{StepPlus}(x))`."""
    return x * torch.log1p(_step_plus(x, _root(eps, x)))


@activation(
    "softsign_plus",
    family="sigmoidal",
    latex=r"\frac{x}{1 + |x|_\varepsilon}",
    text="x / (1 + sqrt(x^2 + eps))",
    citation=PAN_2023,
    params=(_EPS,),
    names=("SoftsignPlus",),
    survey=("SoftsignPlus",),
    relations=(Relation("limit_of", "softsign", note="ε → 0"),),
    source=_SOURCE + ": SoftsignPlus(x) = x/(1 + |x|_ε).",
    notes="SoftsignPlus, softsign with a mollified |x| (smooth at 0).",
)
def softsign_plus(x: Tensor, eps: Any = 0.01) -> Tensor:
    r""":math:`x/(1 + |x|_\varepsilon)`."""
    return x / (1 + torch.hypot(x, _root(eps, x)))
