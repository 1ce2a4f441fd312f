"""The survey's class of sigmoid-weighted linear units (Kunc & Kléma 2024, §3.3) beyond the entries
in :mod:`actlab.catalog.self_gated`: x·s(x) for other squashing functions s, and functions closely
built on SiLU (TS-swish, generalized and exponential swish, LogLogish, self arctan, pLogish, Suish,
TSReLU/TBSReLU, DoubleSiLU, MSiLU, TSiLU, ASiLU, SwAT, ReHSec, EANAF, SinSig), plus the presets
that are other entries under another name: ExpExpish = GoLU(1, 1, 1), SiELU = the tanh GELU, and
the 2024 TeLU = TanhExp.

Numerics: gates are evaluated where they neither overflow nor cancel (σ(eˣ) and 1 − e^{−eˣ} with
the inner exponent clamped where the gate is exactly 0 or 1, sech through e^{−|x|}, x·eˣ floored
where it is 0 in every dtype), so values and gradients stay finite at the half types' extremes.
"""

from __future__ import annotations

import math
from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor

from actlab.catalog.citations import IDENTIFIED_NOT_READ, KOCAK_USTUNDAG_SIRAY_2021, KUNC_KLEMA_2024
from actlab.catalog.exponential import x_exp_x
from actlab.catalog.registry import activation, preset
from actlab.catalog.self_gated import ZHU_2021  # also registers golu, gelu_tanh, tanhexp (presets below)
from actlab.catalog.sigmoid_variants import PERVAN_AKMAN_2025, sech
from actlab.catalog.spec import Citation, Param, Relation

LN2 = math.log(2.0)

CHAI_2022 = Citation(
    authors="Chai, E. and Yu, W. and Cui, T. and Ren, J. and Ding, S.",
    title="An Efficient Asymmetric Nonlinear Activation Function for Deep Neural Networks",
    year=2022,
    url="https://doi.org/10.3390/sym14051027",
    venue="Symmetry",
)
FERNANDEZ_MALI_2024 = Citation(
    authors="Fernandez, A. and Mali, A.",
    title="TeLU Activation Function for Fast and Stable Deep Learning",
    year=2024,
    arxiv="2412.20269",
)

_POS = dict(low=0.0, low_inclusive=False)  # (0, inf)
_UNREACHED = "the original paper was not reachable here"


@activation(
    "ts_swish",
    family="self_gated",
    latex=r"x\,\sigma(x)\left(\sigma(x) + \sigma(x - a) + \sigma(x - b)\right)",
    text="x * sigmoid(x) * (sigmoid(x) + sigmoid(x - a) + sigmoid(x - b))",
    citation=KOCAK_USTUNDAG_SIRAY_2021,
    params=(
        Param("a", 20.0, "shift of the second state"),
        Param("b", 40.0, "shift of the third state"),
    ),
    names=("TS-swish", "triple-state swish"),
    survey=("TS-swish",),
    relations=(Relation("related", "ts_sigmoid", note="ts_swish(x) = x · ts_sigmoid(x) at equal a, b"),),
    source="Survey §3.3.6 (Koçak & Üstündağ Şiray, who call it swish although it is built on SiLU): "
    "zσ(z)(σ(z) + σ(z − a) + σ(z − b)) with fixed a, b, as both public transcriptions print it; "
    + IDENTIFIED_NOT_READ[0].lower() + IDENTIFIED_NOT_READ[1:] + ".",
    notes="UNCERTAIN defaults: the transcriptions use a = 1, b = 2 without a source; actlab takes a = 20, b "
    "= 40, "
    "the values the peer package attributes to the paper for TS-sigmoid, so that TS-swish = x·TS-sigmoid.",
)
def ts_swish(x: Tensor, a: Any = 20.0, b: Any = 40.0) -> Tensor:
    """x σ(x)(σ(x) + σ(x − a) + σ(x − b))."""
    return F.silu(x) * (torch.sigmoid(x) + torch.sigmoid(x - a) + torch.sigmoid(x - b))


@activation(
    "generalized_swish",
    family="self_gated",
    latex=r"x\,\sigma\!\left(e^{-x}\right)",
    text="x * sigmoid(exp(-x))",
    citation=KOCAK_USTUNDAG_SIRAY_2021,
    names=("generalized swish",),
    survey=("generalized swish",),
    source="Survey §3.3.7 (Koçak & Üstündağ Şiray; based on SiLU, not on the adaptive swish): zσ(e^{−z}), as "
    "both public transcriptions print it; " + IDENTIFIED_NOT_READ[0].lower() + IDENTIFIED_NOT_READ[1:] + ".",
    notes="Tends to x for x → −∞ and to x/2 for x → ∞. e^{−x} is taken at min(−x, 40), where the gate is "
    "exactly 1, so the gradient never forms 0·inf.",
)
def generalized_swish(x: Tensor) -> Tensor:
    """x σ(e^{−x})."""
    return x * torch.sigmoid(torch.exp(torch.clamp(-x, max=40.0)))


@activation(
    "exponential_swish",
    family="sigmoidal",
    latex=r"e^{-x}\sigma(x) = \sigma(-x)",
    text="exp(-x) * sigmoid(x) = sigmoid(-x)",
    citation=KUNC_KLEMA_2024,
    names=("exponential swish",),
    survey=("exponential swish",),
    relations=(Relation("related", "sigmoid", note="e^{−x}σ(x) = σ(−x), the logistic sigmoid mirrored"),),
    source="Survey §3.3.8 (Koçak & Üstündağ Şiray): e^{−z}σ(z), as both public transcriptions print it; "
    + _UNREACHED + ".",
    notes="As printed it equals σ(−x), a decreasing sigmoid (computed that way). The peer package registers "
    "it as "
    "'ESwish', which is also E-swish's name (β·x·σ(x), entry 'eswish'); actlab keeps them apart.",
)
def exponential_swish(x: Tensor) -> Tensor:
    """e^{−x}σ(x) = σ(−x)."""
    return torch.sigmoid(-x)


@activation(
    "dsigmoid",
    family="bump",
    latex=r"e^{-x}\sigma(x)^2 = \sigma(x)\,\sigma(-x)",
    text="exp(-x) * sigmoid(x)^2 = sigmoid(x) * sigmoid(-x)",
    citation=KOCAK_USTUNDAG_SIRAY_2021,
    aliases=("sigmoid_derivative",),
    names=("dSigmoid", "derivative of sigmoid", "derivative of the logistic sigmoid"),
    survey=("derivative of sigmoid",),
    relations=(Relation("related", "sigmoid", note="σ'(x) = σ(x)σ(−x)"),),
    source="Survey §3.3.9: the derivative of the logistic sigmoid used as an activation, in Koçak & Üstündağ "
    "Şiray's form e^{−z}σ(z)²; " + IDENTIFIED_NOT_READ[0].lower() + IDENTIFIED_NOT_READ[1:] + ".",
    notes="A bump of height 1/4 at 0 (= sech²(x/2)/4), computed as σ(x)σ(−x), accurate in both tails.",
)
def dsigmoid(x: Tensor) -> Tensor:
    """σ'(x) = σ(x)σ(−x)."""
    return torch.sigmoid(x) * torch.sigmoid(-x)


@activation(
    "loglogish",
    family="self_gated",
    latex=r"x\left(1 - e^{-e^{x}}\right)",
    text="x * (1 - exp(-exp(x)))",
    citation=KUNC_KLEMA_2024,
    names=("LogLogish",),
    survey=("LogLogish",),
    relations=(Relation("related", "cloglog", note="x · cloglog(x)"),),
    source="Survey §3.3.12: a SiLU variant built on the log-log family, z(1 − exp(−exp(z))), as both public "
    "transcriptions print it; " + _UNREACHED + ".",
    notes="x times the complementary log-log 1 − e^{−eˣ}, evaluated as −expm1(−eˣ) with eˣ taken at min(x, "
    "30) "
    "(where the gate is exactly 1).",
)
def loglogish(x: Tensor) -> Tensor:
    """x (1 − e^{−eˣ})."""
    return x * -torch.expm1(-torch.exp(torch.clamp(x, max=30.0)))


preset(
    "expexpish",
    of="golu",
    params={"alpha": 1.0, "beta": 1.0, "gamma": 1.0},
    citation=KUNC_KLEMA_2024,
    latex=r"x\, e^{-e^{-x}}",
    text="x * exp(-exp(-x))",
    names=("ExpExpish",),
    survey=("ExpExpish",),
    source="Survey §3.3.13: ExpExpish(z) = z·exp(−exp(−z)), a SiLU variant built on the LogLog; this is "
    "exactly "
    "GoLU (Das et al. 2025) with α = β = γ = 1.",
    notes="A rediscovery: GoLU's defaults give this function; actlab registers ExpExpish as golu(1, 1, 1).",
)


@activation(
    "self_arctan",
    family="self_gated",
    latex=r"x \arctan(x)",
    text="x * atan(x)",
    citation=PERVAN_AKMAN_2025,
    names=("self arctan", "self-arctan"),
    survey=("self arctan",),
    source="Survey §3.3.14: z·tan⁻¹(z); the self-arctan formulation of Sivri, Akman and Berkol, cited here "
    "by "
    "their journal paper (doi checked), whose abstract names it.",
    notes="Even and non-negative, like LiSHT with arctan instead of tanh.",
)
def self_arctan(x: Tensor) -> Tensor:
    """x arctan(x)."""
    return x * torch.atan(x)


@activation(
    "plogish",
    family="self_gated",
    latex=r"a x \ln\left(1 + \sigma(b x)\right)",
    text="a * x * log(1 + sigmoid(b * x))",
    citation=ZHU_2021,
    params=(
        Param("a", 1.0, "output scale", **_POS),
        Param("b", 10.0, "slope of the sigmoid", **_POS),
    ),
    names=("pLogish", "parametric logish"),
    survey=("pLogish",),
    source="Zhu et al. (2021), the parametric Logish a·z·ln(1 + σ(bz)) with fixed a, b; a = 1, b = 10 as the "
    "authors used them (survey §3.3.15, which names it pLogish).",
    notes="a = b = 1 gives Logish (declared on 'logish').",
)
def plogish(x: Tensor, a: Any = 1.0, b: Any = 10.0) -> Tensor:
    """a x ln(1 + σ(bx))."""
    return a * x * torch.log1p(torch.sigmoid(b * x))


@activation(
    "suish",
    family="self_gated",
    latex=r"\max\left(x, x e^{-|x|}\right) = \begin{cases} x & x \ge 0 \\ x e^{x} & x < 0 \end{cases}",
    text="max(x, x * exp(-abs(x)))",
    citation=KUNC_KLEMA_2024,
    names=("Suish",),
    survey=("Suish",),
    source="Survey §3.3.17: max(z, z·e^{−|z|}), proposed as an alternative to swish, as both public "
    "transcriptions print it; " + _UNREACHED + ".",
    notes="The identity for x >= 0 and x·eˣ below (continuously differentiable, minimum −1/e at x = −1). The "
    "negative side is floored at −1000, where x·eˣ is −0 in every dtype.",
)
def suish(x: Tensor) -> Tensor:
    """x for x >= 0, x eˣ for x < 0."""
    xn = torch.where(x >= 0, 0.0, x)
    return torch.where(x >= 0, x, x_exp_x(xn))


@activation(
    "tsrelu",
    family="self_gated",
    latex=r"x \tanh(\sigma(x))",
    text="x * tanh(sigmoid(x))",
    citation=KUNC_KLEMA_2024,
    names=("TSReLU", "tangent-sigmoid ReLU"),
    survey=("TSReLU",),
    source="Survey §3.3.18: z·tanh(σ(z)) (mish, phish and TanhExp with the logistic sigmoid inside), as both "
    "public transcriptions print it; " + _UNREACHED + ".",
)
def tsrelu(x: Tensor) -> Tensor:
    """x tanh(σ(x))."""
    return x * torch.tanh(torch.sigmoid(x))


@activation(
    "tbsrelu",
    family="self_gated",
    latex=r"x \tanh\!\left(\frac{1 - e^{-x}}{1 + e^{-x}}\right) = x \tanh(\tanh(x/2))",
    text="x * tanh((1 - exp(-x)) / (1 + exp(-x))) = x * tanh(tanh(x / 2))",
    citation=KUNC_KLEMA_2024,
    names=("TBSReLU", "tangent-bipolar-sigmoid ReLU"),
    survey=("TBSReLU",),
    source="Survey §3.3.19: z·tanh((1 − e^{−z})/(1 + e^{−z})), TSReLU with the bipolar sigmoid, as both "
    "public "
    "transcriptions print it; " + _UNREACHED + ".",
    notes="The bipolar sigmoid (1 − e^{−x})/(1 + e^{−x}) is tanh(x/2), evaluated that way.",
)
def tbsrelu(x: Tensor) -> Tensor:
    """x tanh(tanh(x/2))."""
    return x * torch.tanh(torch.tanh(0.5 * x))


@activation(
    "double_silu",
    family="self_gated",
    latex=r"x\,\sigma\!\left(x\,\sigma(x)\right)",
    text="x * sigmoid(x * sigmoid(x))",
    citation=KUNC_KLEMA_2024,
    names=("DoubleSiLU", "double sigmoid-weighted linear unit"),
    survey=("DoubleSiLU",),
    source="Survey §3.3.22 (Verma, Chug & Singh): z·σ(z·σ(z)), as both public transcriptions print it; "
    + _UNREACHED + ".",
    notes="Its authors call it DSiLU, which the survey renames to keep it apart from Elfwing et al.'s dSiLU "
    "(entry 'dsilu'); actlab does not register 'DSiLU' for it.",
)
def double_silu(x: Tensor) -> Tensor:
    """x σ(x σ(x))."""
    return x * torch.sigmoid(F.silu(x))


@activation(
    "msilu",
    family="self_gated",
    latex=r"x\,\sigma(x) + \frac{e^{-x^2 - 1}}{4}",
    text="x * sigmoid(x) + exp(-x^2 - 1) / 4",
    citation=KUNC_KLEMA_2024,
    names=("MSiLU", "modified SiLU", "modified sigmoid-weighted linear unit"),
    survey=("MSiLU",),
    source="Survey §3.3.23: zσ(z) + e^{−z²−1}/4, as a third-party transcription of the survey prints it; "
    + _UNREACHED + ".",
    notes="UNCERTAIN: the peer package writes the bump as exp((−z² − 1)/4) (height 0.78 instead of 0.092). "
    "actlab follows the other transcription; neither could be checked against the paper.",
)
def msilu(x: Tensor) -> Tensor:
    """x σ(x) + e^{−x²−1}/4."""
    return F.silu(x) + torch.exp(-x * x - 1.0) * 0.25


@activation(
    "tsilu",
    family="sigmoidal",
    latex=r"\tanh\!\left(x\,\sigma(x)\right)",
    text="tanh(x * sigmoid(x))",
    citation=KUNC_KLEMA_2024,
    names=("TSiLU", "hyperbolic tangent sigmoid-weighted linear unit"),
    survey=("TSiLU",),
    source="Survey §3.3.24: tanh(zσ(z)), the formula the survey reconstructs because the published one "
    "evaluates to 0 (footnote 10); both public transcriptions print it.",
    notes="Bounded above by 1, minimum tanh(−0.278) at x ≈ −1.28.",
)
def tsilu(x: Tensor) -> Tensor:
    """tanh(x σ(x))."""
    return torch.tanh(F.silu(x))


@activation(
    "asilu",
    family="sigmoidal",
    latex=r"\arctan\!\left(x\,\sigma(x)\right)",
    text="atan(x * sigmoid(x))",
    citation=KUNC_KLEMA_2024,
    names=("ASiLU", "ATSiLU", "arctan sigmoid-weighted linear unit"),
    survey=("ASiLU",),
    source="Survey §3.3.25: arctan(zσ(z)), as both public transcriptions print it; " + _UNREACHED + ".",
)
def asilu(x: Tensor) -> Tensor:
    """arctan(x σ(x))."""
    return torch.atan(F.silu(x))


@activation(
    "swat",
    family="self_gated",
    latex=r"x\,\sigma(\arctan x)",
    text="x * sigmoid(atan(x))",
    citation=KUNC_KLEMA_2024,
    names=("SwAT",),
    survey=("SwAT",),
    source="Survey §3.3.26 (Verma, Chug & Singh): z·σ(arctan z), combining SiLU and arctan, as both public "
    "transcriptions print it; " + _UNREACHED + ".",
    notes="Tends to x·σ(π/2) ≈ 0.83x for x → ∞ and to x·σ(−π/2) ≈ 0.17x for x → −∞.",
)
def swat(x: Tensor) -> Tensor:
    """x σ(arctan x)."""
    return x * torch.sigmoid(torch.atan(x))


@activation(
    "rehsec",
    family="self_gated",
    latex=r"x \operatorname{sech}(x)",
    text="x / cosh(x)",
    citation=KUNC_KLEMA_2024,
    names=("ReHSec", "rectified hyperbolic secant"),
    survey=("ReHSec",),
    source="Survey §3.3.27: z·sech(z), differentiable, odd and vanishing at ±∞; " + _UNREACHED + ".",
    notes="sech evaluated as 2e^{−|x|}/(1 + e^{−2|x|}), which neither overflows nor loses the gradient; x is "
    "clipped to ±1000, where the value is 0 in every dtype.",
)
def rehsec(x: Tensor) -> Tensor:
    """x sech(x)."""
    xc = torch.clamp(x, -1000.0, 1000.0)  # beyond, x sech x is 0 in every dtype (and x·grad cannot overflow)
    return xc * sech(xc)


@activation(
    "eanaf",
    family="self_gated",
    latex=r"x\,\frac{e^x}{e^x + 2} = x \tanh\!\left(\tfrac12 \ln(1 + e^x)\right) = x\,\sigma(x - \ln 2)",
    text="x * exp(x) / (exp(x) + 2) = x * tanh(softplus(x) / 2)",
    citation=CHAI_2022,
    names=("EANAF", "efficient asymmetric nonlinear activation function"),
    survey=("EANAF",),
    relations=(Relation("related", "swish", note="x·σ(x − ln 2): SiLU's gate shifted by ln 2"),),
    source="Chai et al. (2022): x·g(h(x)) with h = softplus and g(u) = tanh(u/2), which simplifies to "
    "x eˣ/(eˣ + 2); the survey §3.3.33 prints the same.",
    notes="Computed as x·σ(x − ln 2), the same function (eˣ/(eˣ + 2) = 1/(1 + 2e^{−x})) without overflow.",
)
def eanaf(x: Tensor) -> Tensor:
    """x eˣ/(eˣ + 2)."""
    return x * torch.sigmoid(x - LN2)


@activation(
    "sinsig",
    family="self_gated",
    latex=r"x \sin\!\left(\tfrac{\pi}{2}\sigma(x)\right)",
    text="x * sin(pi / 2 * sigmoid(x))",
    citation=KUNC_KLEMA_2024,
    names=("SinSig",),
    survey=("SinSig",),
    source="Survey §3.3.34: z·sin((π/2)σ(z)), a self-gated non-monotonic function, as both public "
    "transcriptions "
    "print it; " + _UNREACHED + ". The original appears to be 'A Self-gated Activation Function SINSIG "
    "Based on the Sine Trigonometric for Neural Network Models' (MLN 2020, LNCS 12629, "
    "doi 10.1007/978-3-030-70866-5_15; landing page checked), which names no authors there, so the "
    "citation stays on the survey.",
    notes="x is floored at −1000, where the value is −0 in every dtype.",
)
def sinsig(x: Tensor) -> Tensor:
    """x sin(π σ(x)/2)."""
    xc = torch.clamp(x, min=-1000.0)  # below, the value is -0 in every dtype; keeps x·grad from overflowing
    return xc * torch.sin(0.5 * math.pi * torch.sigmoid(xc))


preset(
    "sielu",
    of="gelu_tanh",
    params={},
    citation=KUNC_KLEMA_2024,
    latex=r"x\,\sigma\!\left(2\sqrt{2/\pi}\,(x + 0.044715 x^3)\right)",
    text="x * sigmoid(2 * sqrt(2 / pi) * (x + 0.044715 * x^3))",
    names=("SiELU", "Gaussian error linear unit with sigmoid activation function"),
    survey=("SiELU",),
    source="Survey §3.3.35: z·σ(2√(2/π)(z + 0.044715z³)); since (1 + tanh u)/2 = σ(2u) this is exactly the "
    "tanh "
    "approximation of GELU (Hendrycks & Gimpel 2016). The SiELU paper was not reachable here.",
    notes="A rediscovery of the tanh-approximate GELU, registered as a preset of 'gelu_tanh'.",
)

preset(
    "telu_2024",
    of="tanhexp",
    params={},
    citation=FERNANDEZ_MALI_2024,
    latex=r"x \tanh(e^x)",
    text="x * tanh(exp(x))",
    names=("TeLU", "hyperbolic tangent exponential linear unit"),
    source="Fernandez & Mali (2024), TeLU(x) = x·tanh(exp(x)) (abstract of arXiv 2412.20269, checked): "
    "exactly "
    "TanhExp (Liu & Di 2020).",
    notes="Not the survey's adaptive TeLU (§4.2.34, 'tanh exponential linear unit' with a learned scale): "
    "the "
    "abbreviation TeLU names both, so actlab.get('TeLU') asks which. A rediscovery of TanhExp, registered as "
    "its preset.",
)
