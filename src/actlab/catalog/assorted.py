"""Survey §3.13-3.45 functions that fit no other family module (Kunc & Kléma 2024): symlog (LAF),
symexp, SPOCU, Aranda-Ordaz, comb-H-sine, m-arcsinh, hyper-sinh, arctid, HcLSH, the exponential,
E-Tanh, the two evolved tanh/ReLU combinations and KDAC. Each entry's ``family`` says what it is.

The survey's stored copy carries its prose but not its typeset formulas; where an original paper was
out of reach, ``source`` says which transcriptions of the survey's printed formula were compared (the
peer package torch-activation 1.0.0 and public transcriptions of §3) and which form is implemented.
Branches of ``torch.where`` are evaluated on arguments selected with the same condition, so no
unselected branch produces inf/NaN in a gradient, and NaN propagates.
"""

from __future__ import annotations

import math
from typing import Any

import torch

from actlab.catalog.citations import IDENTIFIED_NOT_READ, KUNC_KLEMA_2024, RAMACHANDRAN_2017
from actlab.catalog.registry import activation
from actlab.catalog.sigmoidal import log_of, softplus
from actlab.catalog.spec import Citation, Param, Relation

Tensor = torch.Tensor

LN2 = math.log(2.0)
_POS = dict(low=0.0, low_inclusive=False)

HAFNER_2023 = Citation(
    authors="Hafner, D. and Pasukonis, J. and Ba, J. and Lillicrap, T.",
    title="Mastering Diverse Domains through World Models",
    year=2023,
    arxiv="2301.04104",
)
KISELAK_2021 = Citation(
    authors="Kiseľák, J. and Lu, Y. and Švihra, J. and Szépe, P. and Stehlík, M.",
    title="“SPOCU”: scaled polynomial constant unit activation function",
    year=2021,
    url="https://doi.org/10.1007/s00521-020-05182-1",
    venue="Neural Computing and Applications 33",
)
ARANDA_ORDAZ_1981 = Citation(
    authors="Aranda-Ordaz, F. J.",
    title="On two families of transformations to additivity for binary response data",
    year=1981,
    url="https://doi.org/10.1093/biomet/68.2.357",
    venue="Biometrika 68(2)",
)
VIJAYAPRABAKARAN_2022 = Citation(
    authors="Vijayaprabakaran, K. and Sathiyamurthy, K.",
    title="Towards activation function search for long short-term model network: A differential evolution "
    "based approach",
    year=2022,
    url="https://doaj.org/article/5b860471e4664569b59bd21bffff6a62",
    venue="Journal of King Saud University - Computer and Information Sciences 34(6)",
)
VIJAYAPRABAKARAN_2021 = Citation(
    authors="Vijayaprabakaran, K. and Sathiyamurthy, K.",
    title="Neuroevolution based hierarchical activation function for long short-term model network",
    year=2021,
    url="https://doi.org/10.1007/s12652-020-02889-w",
    venue="Journal of Ambient Intelligence and Humanized Computing",
)
PARISI_2020A = Citation(
    authors="Parisi, L.",
    title="m-arcsinh: An Efficient and Reliable Function for SVM and MLP in scikit-learn",
    year=2020,
    arxiv="2009.07530",
)
PARISI_2020B = Citation(
    authors="Parisi, L. and Ma, R. and RaviChandran, N. and Lanzillotta, M.",
    title="hyper-sinh: An Accurate and Reliable Function from Shallow to Deep Learning in TensorFlow and "
    "Keras",
    year=2020,
    arxiv="2011.07661",
)
WANG_KDAC_2021 = Citation(
    authors="Wang, Z. and others",
    title="Why KDAC? A general activation function for knowledge discovery",
    year=2021,
    arxiv="2111.13858",
)

_TRANSCRIPTIONS = "the peer package and two public transcriptions of the survey print the same"


@activation(
    "symlog",
    family="sigmoidal",
    latex=r"\operatorname{sign}(x)\ln(1 + |x|)",
    text="log(1 + max(x, 0)) - log(1 + max(-x, 0))",
    citation=HAFNER_2023,
    aliases=("logarithmic_activation",),
    names=("LAF", "logarithmic activation function", "symlog"),
    survey=("LAF (symlog)",),
    relations=(Relation("related", "symexp", note="symexp is its inverse function"),),
    source="Survey §3.13: the logarithmic activation function, 'independently proposed under the name "
    "symlog' (Hafner et al., arXiv 2301.04104: symlog(x) = sign(x) ln(|x| + 1)). The survey's printed "
    "form, ln(z) + 1 for z ≥ 0 and -ln(-z) + 1 for z < 0 (so the peer package), gives f(0) = -inf and is "
    "not odd; it is read as ln(z + 1) and -ln(-z + 1) (a misplaced parenthesis), the form a public "
    "transcription implements and the one that equals symlog.",
    notes="Odd, monotone, slope 1 at 0, logarithmic growth. Evaluated branch-wise with log1p, so the slope "
    "at 0 is exactly 1.",
)
def symlog(x: Tensor) -> Tensor:
    r""":math:`\operatorname{sign}(x)\ln(1 + |x|)`."""
    pos = x >= 0
    xp, xn = torch.where(pos, x, 0.0), torch.where(pos, 0.0, x)
    return torch.where(pos, torch.log1p(xp), -torch.log1p(-xn))


@activation(
    "symexp",
    family="exponential",
    latex=r"\operatorname{sign}(x)\left(e^{|x|} - 1\right)",
    text="exp(max(x, 0)) - exp(max(-x, 0))",
    citation=HAFNER_2023,
    names=("symexp",),
    survey=("symexp",),
    relations=(Relation("related", "symlog", note="the inverse function of symlog"),),
    source="Hafner et al. (arXiv 2301.04104): symexp(x) = sign(x)(exp(|x|) - 1), the inverse of symlog; "
    "the survey §3.14 (which calls it the inverse of the logmoid unit), " + _TRANSCRIPTIONS + ".",
    notes="Odd, monotone, slope 1 at 0, exponential growth (inf beyond |x| ≈ 709 in float64, 88 in "
    "float32). Evaluated branch-wise with expm1.",
)
def symexp(x: Tensor) -> Tensor:
    r""":math:`\operatorname{sign}(x)(e^{|x|} - 1)`."""
    pos = x >= 0
    xp, xn = torch.where(pos, x, 0.0), torch.where(pos, 0.0, x)
    return torch.where(pos, torch.expm1(xp), -torch.expm1(-xn))


def _power_sum(u: Any, v: Any, n: int) -> Any:
    """(u^n - v^n)/(u - v) = Σ_{k<n} u^k v^(n-1-k), for numbers or tensors (no division)."""
    total = 0.0
    for k in range(n):
        total = total + u**k * v ** (n - 1 - k)
    return total


def _spocu_q(u: Any, v: Any) -> Any:
    """(r(u) - r(v))/(u - v) for SPOCU's r(x) = x⁸ - 2x⁷ + 2x³."""
    return _power_sum(u, v, 8) - 2 * _power_sum(u, v, 7) + 2 * _power_sum(u, v, 3)


def _spocu_r(v: Any) -> Any:
    return v**3 * (v**5 - 2 * v**4 + 2)


def _spocu_kinks(p: dict) -> tuple[float, ...]:
    # r'(c) = 2c²(4c⁵ - 7c⁴ + 3) vanishes at c = 1: a kink only for c > 1
    return () if p["c"] == 1 else (p["gamma"] * (p["c"] - p["beta"]),)


@activation(
    "spocu",
    family="sigmoidal",
    latex=r"\alpha h\!\left(\tfrac{x}{\gamma} + \beta\right) - \alpha h(\beta),\quad h(u) = r(\min(u, c)) "
    r"\,(u \ge 0),\ 0\,(u < 0),\quad r(u) = u^3(u^5 - 2u^4 + 2)",
    text="alpha * h(x / gamma + beta) - alpha * h(beta); h(u) = r(c) if u >= c, r(u) if 0 <= u < c, "
    "0 if u < 0; r(u) = u^3 * (u^5 - 2 * u^4 + 2)",
    citation=KISELAK_2021,
    params=(
        Param("alpha", 3.0937, "output scale α > 0", **_POS),
        Param("beta", 0.6653, "offset β in (0, 1)", low=0.0, high=1.0, low_inclusive=False,
              high_inclusive=False),
        Param("gamma", 4.437, "input scale γ > 0", **_POS),
        Param("c", 1.0, "cap c ≥ 1 of the polynomial's argument", low=1.0, high=1e4),
    ),
    names=("SPOCU", "scaled polynomial constant unit"),
    survey=("SPOCU",),
    kinks=_spocu_kinks,
    source="Kiseľák et al. (2021, DOI 10.1007/s00521-020-05182-1) with the formula as restated in their "
    "erratum (DOI 10.1007/s00521-020-05412-6): s(x) = αh(x/γ + β) - αh(β), h = r(c) for x ≥ c, r(x) on "
    "[0, c), 0 below, r(x) = x³(x⁵ - 2x⁴ + 2), β ∈ (0, 1), α, γ > 0, 1 ≤ c ≤ ∞. The peer package prints "
    "r(x) = x³ - (2x⁴ + x⁵)/2 and h(x) = x below 0 (rejected: not the paper's). α = 3.0937, β = 0.6653, "
    "γ = 4.437 are the values of the public SPOCU implementation (pacocp/spocu-pytorch, for c = ∞); "
    "c = 1, which the erratum names as a natural fixed choice, is ours (actlab's parameters are finite).",
    notes="Scaled polynomial constant unit. With c = 1 (default) it is bounded, between -αr(β) and "
    "α(1 - r(β)), and twice differentiable at the lower switch and once at the upper one; c > 1 gives a "
    "kink at x = γ(c - β), and large c approaches the unbounded c = ∞ form (x⁸ growth). Evaluated as "
    "α(x/γ)·(r(u) - r(β))/(u - β) with the divided difference expanded, so values near 0 keep full "
    "relative accuracy.",
)
def spocu(x: Tensor, alpha: Any = 3.0937, beta: Any = 0.6653, gamma: Any = 4.437, c: Any = 1.0) -> Tensor:
    r"""SPOCU :math:`\alpha h(x/\gamma + \beta) - \alpha h(\beta)`."""
    dx = x / gamma
    u = dx + beta
    lo, hi = u < 0, u >= c
    mid = ~(lo | hi)
    um = torch.where(mid, u, beta)
    dm = torch.where(mid, dx, 0.0)
    inner = alpha * dm * _spocu_q(um, beta)
    top = alpha * (c - beta) * _spocu_q(c, beta)
    bottom = -alpha * _spocu_r(beta)
    return torch.where(hi, top + torch.zeros_like(x), torch.where(lo, bottom + torch.zeros_like(x), inner))


@activation(
    "aranda_ordaz",
    family="sigmoidal",
    latex=r"1 - \left(1 + a e^{x}\right)^{-1/a}",
    text="1 - exp(-log(1 + a * exp(x)) / a)",
    citation=ARANDA_ORDAZ_1981,
    params=(Param("a", 2.0, "shape a > 0 (1: the logistic sigmoid, → 0: cLogLog)", **_POS),),
    names=("Aranda-Ordaz", "Aranda-Ordaz link"),
    survey=("Aranda-Ordaz",),
    relations=(
        Relation("affine_of", "apa", note="1 - apa(-x; lambd=a, kappa=1)"),
        Relation("related", "sigmoid", note="a = 1 gives the logistic sigmoid"),
        Relation("limit_of", "cloglog", note="a → 0"),
    ),
    source="Aranda-Ordaz (1981)'s asymmetric family of inverse links, 1 - (1 + a e^z)^{-1/a}; the survey "
    "§3.20: a > 0 fixed, Essai Ali et al. used a = 2 in a neural network (our default). A public "
    "transcription prints the same; the peer package drops the exponent 1/a (rejected).",
    notes="Asymmetric sigmoid with values in (0, 1). Evaluated as -expm1(-softplus(x + ln a)/a), accurate "
    "in both tails and without overflow.",
)
def aranda_ordaz(x: Tensor, a: Any = 2.0) -> Tensor:
    r""":math:`1 - (1 + a e^x)^{-1/a}`."""
    return -torch.expm1(-softplus(x + log_of(a)) / a)


@activation(
    "comb_h_sine",
    family="exponential",
    latex=r"\sinh(a x) + \sinh^{-1}(a x)",
    text="sinh(a * x) + asinh(a * x)",
    citation=VIJAYAPRABAKARAN_2022,
    params=(Param("a", 1.0, "input scale a > 0", **_POS),),
    names=("Comb-H-sine", "combined hyperbolic sine"),
    survey=("Comb-H-sine",),
    source="Vijayaprabakaran & Sathiyamurthy (2022): the evolved 'sinh(x) + sinh⁻¹(x)' (abstract); the "
    "survey §3.29 adds a predefined input scale a, printed as sinh(az) + sinh⁻¹(az) by the peer package and "
    "a public transcription; a = 1 (the paper's function) is the default.",
    notes="Odd and monotone; slope 2a at 0; grows like e^{a|x|}/2 (inf beyond |ax| ≈ 710 in float64).",
)
def comb_h_sine(x: Tensor, a: Any = 1.0) -> Tensor:
    r""":math:`\sinh(ax) + \operatorname{asinh}(ax)`."""
    z = x * a
    return torch.sinh(z) + torch.asinh(z)


@activation(
    "m_arcsinh",
    family="sigmoidal",
    latex=r"\tfrac{1}{12}\sinh^{-1}(x)\sqrt{|x|}",
    text="asinh(x) * sqrt(abs(x)) / 12",
    citation=PARISI_2020A,
    names=("m-arcsinh", "modified arcsinh"),
    survey=("m-arcsinh",),
    source="Parisi (arXiv 2009.07530): arcsinh(x)·(1/3)·(1/4)·√|x|; the survey §3.26 and two public "
    "transcriptions agree (the peer package's docstring prints |x| for √|x|, its code uses √|x|).",
    notes="Odd and monotone; ≈ x√|x|/12 near 0, so the slope at 0 is 0 (and the second derivative "
    "infinite); autograd gives exactly 0 at x = 0.",
)
def m_arcsinh(x: Tensor) -> Tensor:
    r""":math:`\operatorname{asinh}(x)\sqrt{|x|}/12`."""
    zero = x == 0
    s = torch.sqrt(torch.where(zero, 1.0, x.abs()))  # √ never sees 0 (its derivative there is inf)
    return torch.where(zero, 0.0, torch.asinh(x) * s) / 12


@activation(
    "hyper_sinh",
    family="exponential",
    latex=r"\tfrac{\sinh x}{3} \;(x > 0);\quad \tfrac{x^3}{4} \;(x \le 0)",
    text="sinh(max(x, 0)) / 3 + min(x, 0)^3 / 4",
    citation=PARISI_2020B,
    names=("hyper-sinh",),
    survey=("hyper-sinh",),
    kinks=lambda p: (0.0,),
    source="Parisi et al. (arXiv 2011.07661): sinh(x)/3 for x > 0, x³/4 for x ≤ 0; the survey §3.27, "
    + _TRANSCRIPTIONS + ".",
    notes="Monotone; the slope jumps from 0 (left) to 1/3 (right) at 0; exponential growth for x > 0 and "
    "cubic decrease for x < 0.",
)
def hyper_sinh(x: Tensor) -> Tensor:
    r""":math:`\sinh(x)/3` (x > 0), :math:`x^3/4` (x ≤ 0)."""
    pos = x > 0
    xp, xn = torch.where(pos, x, 0.0), torch.where(pos, 0.0, x)
    return torch.where(pos, torch.sinh(xp) / 3, xn * xn * xn / 4)


@activation(
    "arctid",
    family="sigmoidal",
    latex=r"\arctan(x)^2 - x",
    text="atan(x)^2 - x",
    citation=RAMACHANDRAN_2017,
    names=("Arctid",),
    survey=("Arctid",),
    source="Survey §3.28: arctan(z)² - z; two public transcriptions and the peer package's code agree (its "
    "docstring prints arctan(z)·2^{-z}, contradicting its own code)." + " " + IDENTIFIED_NOT_READ + ".",
    notes="Non-monotone: decreasing with slope -1 at 0, with a bump where 2·atan(x)/(1 + x²) > 1.",
)
def arctid(x: Tensor) -> Tensor:
    r""":math:`\arctan(x)^2 - x`."""
    t = torch.atan(x)
    return t * t - x


_HCLSH_FAR = 20.0  # above, cosh x + x cosh(x/2) is evaluated relative to e^x/2 (no overflow)


@activation(
    "hclsh",
    family="smooth_rectifier",
    latex=r"\ln\!\left(\cosh x + x\cosh\tfrac{x}{2}\right) \;(x \ge 0);\quad \ln(\cosh x) + x \;(x < 0)",
    text="log(cosh(max(x, 0)) + max(x, 0) * cosh(max(x, 0) / 2)) + log(cosh(min(x, 0))) + min(x, 0)",
    citation=KUNC_KLEMA_2024,
    names=("HcLSH", "hyperbolic cosine linearized squashing function"),
    survey=("HcLSH",),
    source="Survey §3.37 (original out of reach): ln(cosh z + z·cosh(z/2)) for z ≥ 0, ln(cosh z) + z for "
    "z < 0, as two independent codes implement it (the peer package's code and a public transcription); "
    "the peer's docstring prints ln(cosh z) + z·cosh(z)/2 for z ≥ 0, which contradicts its own code and "
    "would make the slope jump at 0 (rejected).",
    notes="Smooth rectifier-like: → -ln 2 as x → -∞ (the left half is softplus(2x) - ln 2), ≈ x - ln 2 as "
    "x → ∞; continuously differentiable with slope 1 at 0. Evaluated as ln(1 + 2 sinh²(x/2) + x "
    "cosh(x/2)) for 0 ≤ x < 20, x - ln 2 + ln(1 + e^{-2x} + x e^{-x/2} + x e^{-3x/2}) above, and "
    "ln(1 + expm1(2x)/2) for x < 0 (no overflow, no cancellation next to 0).",
)
def hclsh(x: Tensor) -> Tensor:
    r"""HcLSH: :math:`\ln(\cosh x + x\cosh(x/2))` (x ≥ 0), :math:`\ln(\cosh x) + x` (x < 0)."""
    neg = x < 0
    far = x >= _HCLSH_FAR
    xn = torch.where(neg, x, 0.0)
    xm = torch.where(neg | far, 0.0, x)
    xf = torch.where(far, x, _HCLSH_FAR)
    sh = torch.sinh(xm / 2)
    near = torch.log1p(2 * sh * sh + xm * torch.cosh(xm / 2))
    tail = xf - LN2 + torch.log1p(torch.exp(-2 * xf) + xf * torch.exp(-xf / 2) + xf * torch.exp(-1.5 * xf))
    left = torch.log1p(torch.expm1(2 * xn) / 2)
    return torch.where(neg, left, torch.where(far, tail, near))


@activation(
    "exponential",
    family="exponential",
    latex=r"e^{-x}",
    text="exp(-x)",
    citation=KUNC_KLEMA_2024,
    names=("exponential", "exponential activation"),
    survey=("exponential",),
    source="Survey §3.39: e^{-z}; " + _TRANSCRIPTIONS + ". The original was out of reach.",
    notes="Decreasing and positive; overflows to inf for x below about -709 (float64), -88 (float32).",
)
def exponential(x: Tensor) -> Tensor:
    r""":math:`e^{-x}`."""
    return torch.exp(-x)


@activation(
    "e_tanh",
    family="exponential",
    latex=r"a\,e^{x}\tanh(x)",
    text="a * exp(x) * tanh(x)",
    citation=KUNC_KLEMA_2024,
    params=(Param("a", 1.0, "output scale a > 0", **_POS),),
    aliases=("etanh",),
    names=("E-Tanh",),
    survey=("E-Tanh",),
    source="Survey §3.40: a·e^z·tanh(z) with a fixed scale a; the peer package and a public transcription "
    "print the same. The original paper was out of reach and no value of a is given: a = 1 is our choice.",
    notes="Non-monotone: a negative dip (minimum near x ≈ -0.6), → 0 as x → -∞, exponential growth for "
    "x > 0.",
)
def e_tanh(x: Tensor, a: Any = 1.0) -> Tensor:
    r""":math:`a e^x \tanh(x)`."""
    return a * torch.exp(x) * torch.tanh(x)


@activation(
    "evolved_tanh_relu",
    family="rectified",
    latex=r"\tanh(x^2) + \max(0, x)",
    text="tanh(x^2) + max(x, 0)",
    citation=VIJAYAPRABAKARAN_2021,
    names=("evolved tanh+ReLU",),
    survey=("evolved tanh+ReLU",),
    kinks=lambda p: (0.0,),
    source="Vijayaprabakaran & Sathiyamurthy (2021), the best evolved recurrent activation, tanh(z²) + "
    "ReLU(z), as the survey §3.40.1 reports it (the paper itself was out of reach). The two transcriptions "
    "compared add a fixed scale a in different places (a·tanh(z²) + ReLU(z) and a·(tanh(z²) + ReLU(z))); "
    "the survey's prose attaches its 'fixed parameter a' to the wave function, so the parameter-free form "
    "on which both agree at a = 1 is implemented.",
    notes="ReLU plus a bump that saturates at 1 for |x| ≳ 2: ≈ 1 + max(0, x) away from 0, 0 at 0; the slope "
    "jumps by 1 at 0.",
)
def evolved_tanh_relu(x: Tensor) -> Tensor:
    r""":math:`\tanh(x^2) + \max(0, x)`."""
    return torch.tanh(x * x) + torch.relu(x)


@activation(
    "evolved_tanh_log_relu",
    family="rectified",
    latex=r"\max\!\left(\tanh(\ln|x|),\ \max(0, x)\right)",
    text="max(tanh(log(x)), max(x, 0))",
    citation=VIJAYAPRABAKARAN_2021,
    names=("evolved max(tanh(log z),ReLU)",),
    survey=("evolved max(tanh(log z),ReLU)",),
    relations=(Relation("related", "relu", note="equal to ReLU for x ≥ -1"),),
    kinks=lambda p: (-1.0, 0.0),
    source="Vijayaprabakaran & Sathiyamurthy (2021), the evolved regular activation max(tanh(log z), "
    "ReLU(z)), as the survey §3.40.1 and two transcriptions print it (the paper was out of reach).",
    notes="log z is undefined for z ≤ 0. actlab reads it as the protected log|z| of activation-function "
    "search spaces (and of actlab's expression language), with tanh(log 0) = -1: then f = ReLU for "
    "x ≥ -1 (for x > 0, x > tanh(ln x) = (x² - 1)/(x² + 1) always) and (x² - 1)/(x² + 1) for x < -1, "
    "rising to 1 as x → -∞. (Taking log z = -inf for z ≤ 0 instead would make the function exactly ReLU.) "
    "Kinks at -1 and 0.",
)
def evolved_tanh_log_relu(x: Tensor) -> Tensor:
    r""":math:`\max(\tanh(\ln|x|), \max(0, x))`."""
    left = x < -1
    r = 1 / torch.where(left, x, -2.0)
    r2 = r * r
    return torch.where(left, (1 - r2) / (1 + r2), torch.relu(x))


def _smooth_max(p: Tensor, q: Tensor, k: Any) -> Tensor:
    h = torch.clamp(0.5 - 0.5 * (p - q) / k, 0.0, 1.0)
    return p * (1 - h) + h * q + k * h * (1 - h)


def _smooth_min(p: Tensor, q: Tensor, k: Any) -> Tensor:
    h = torch.clamp(0.5 + 0.5 * (p - q) / k, 0.0, 1.0)
    return p * (1 - h) + h * q - k * h * (1 - h)


@activation(
    "kdac",
    family="rectified",
    latex=r"\operatorname{smax}_c\!\left(a x,\ r(x)\right),\ r = a x \;(x > 0),\ "
    r"\operatorname{smin}_c(b x, \tanh x) \;(x \le 0)",
    text="smax_c(a*x, r(x)), r(x) = a*x if x > 0 else smin_c(b*x, tanh(x)); smax_c(p, q) = p(1-h) + hq + "
    "c h(1-h), h = clip(1/2 - (p-q)/(2c), 0, 1); smin_c(p, q) = p(1-h) + hq - c h(1-h), "
    "h = clip(1/2 + (p-q)/(2c), 0, 1)",
    citation=WANG_KDAC_2021,
    params=(
        Param("a", 0.1, "slope a > 0 of the outer branches (learnable)", trainable=True, **_POS),
        Param("b", 0.1, "slope b > 0 of the negative linear part (learnable)", trainable=True, **_POS),
        Param("c", 0.01, "smoothing width c > 0 (fixed)", **_POS),
    ),
    names=("KDAC", "knowledge discovery activation function"),
    survey=("KDAC",),
    kinks=lambda p: (0.0,),
    source="Authors' code (github pyy-copyto/KDAC, KDAC.py; paper arXiv 2111.13858): smax_k(αx, "
    "where(x > 0, αx, smin_k(βx, tanh x))) with the polynomial smooth max/min of width k = 0.01 and "
    "learnable α = β = 0.1 initially. The survey §3.45 (a, b adaptive, c = 0.01 fixed) prints the formula "
    "with an undefined 'h' and an undefined k: the code resolves both (h is the clipped weight of each "
    "smooth max/min, k = c). The peer package's and a transcription's h_min(q, s)/h_max(q, s) inside "
    "the negative branch do not match the code (rejected).",
    notes="KDAC as the authors' code computes it. Because the code switches with where(x > 0, ...) before "
    "smoothing, the function jumps at 0 by 7c/64 (≈ 1.1e-3 at the defaults): f(0) = 9c/64, f(0⁺) = c/4. "
    "For x > 0 it is ax + c/4; for x < 0 it follows ax outside a band of width ~c around 0, where the "
    "smoothed tanh/bx minimum takes over.",
)
def kdac(x: Tensor, a: Any = 0.1, b: Any = 0.1, c: Any = 0.01) -> Tensor:
    r"""KDAC: :math:`\operatorname{smax}_c(ax, r(x))`, :math:`r = ax` (x > 0),
    :math:`\operatorname{smin}_c(bx, \tanh x)` (x ≤ 0)."""
    p = x * a
    r = torch.where(x > 0, p, _smooth_min(x * b, torch.tanh(x), c))
    return _smooth_max(p, r, c)
