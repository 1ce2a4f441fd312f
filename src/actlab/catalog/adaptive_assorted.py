"""Assorted adaptive activations of survey sections 4.8-4.30 (Kunc & Kléma 2024).

ARBF, PGELU/GEU, PFTS/PFPM, SGT, RSign, P-SIG-RAMP, the §4.17 group (PSTanh, SSinH, SExp, LAU,
CosLU, AGumb, SAAAF), the fractional units that have an elementwise closed form (FracReLU,
FracPReLU/FracLReLU, FALU), scaled softsign, the parameterised softplus s+2L and ELUs+2L, UAF, LEAF,
GReLU, MAF, the EIS family, GLN, NAF, the scaled logistic sigmoid with sine (SLS-SS), APLU and SPLASH.
Families are chosen per function. Parameters the original work learns are ``trainable=True``.

Not here (reported to the catalog lead, see the module docstring of ``catalog.survey``): GRA (the
survey's printed form is undefined for x < -1/b and the paper was not readable), FracSoftplus,
FracTanh, FracELU, FracSiLU1/2, FracGELU1/2 (defined as Grünwald-Letnikov limits or as infinite
Maclaurin series of fractional powers: no elementwise closed form, and the series of FracSiLU
diverges for |x| > π), and the smooth adaptive SAAF (piecewise-polynomial basis whose breakpoints and
integration constants are not recoverable without the paper).
"""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import Tensor

from actlab.catalog.adaptive_sigmoidal import FAR, _numbers, gated_far, safe_left
from actlab.catalog.citations import (
    FERREIRA_MATTHEAKIS_PROTOPAPAS_2021,
    HUSAIN_ONG_BOBER_2019,
    IDENTIFIED_NOT_READ,
    KUNC_KLEMA_2024,
    PISHCHIK_2023,
)
from actlab.catalog.exponential import expm1
from actlab.catalog.registry import activation, preset
from actlab.catalog.sigmoidal import log_of, ndtr, softplus
from actlab.catalog.smooth_rectifier import ssp
from actlab.catalog.spec import Citation, Param, Relation, equal_to, special_case_of

_POS = dict(low=0.0, low_inclusive=False)  # (0, inf)
LN2 = math.log(2.0)

_SURVEY_ONLY = (
    "The original paper could not be read here (it is cited only through the survey): the formula is "
    "the survey's, printed identically by two independent transcriptions of it (torch-activation 1.0.0 "
    "and a third-party PyTorch transcription of the survey's Section 4)."
)


def _gamma_of(v: Any) -> Any:
    """Γ(v) for a positive Python number or tensor."""
    if isinstance(v, Tensor):
        return torch.exp(torch.lgamma(v))
    return math.gamma(v)


def _sigmoid_of(v: Any) -> Any:
    if isinstance(v, Tensor):
        return torch.sigmoid(v)
    return 1.0 / (1.0 + math.exp(-v)) if v > -700 else 0.0


def _sqrt_of(v: Any) -> Any:
    return torch.sqrt(v) if isinstance(v, Tensor) else math.sqrt(v)


def _expm1(u: Tensor) -> Tensor:
    """e^u - 1: torch's expm1 for u > 0 (its backward e^u is exact there and it overflows to inf
    cleanly), the catalog's exact-derivative expm1 for u <= 0."""
    pos = u > 0
    return torch.where(pos, torch.expm1(torch.where(pos, u, 0.0)), expm1(torch.where(pos, 0.0, u)))


LN2_LO = 2.3190468138462996e-17  # ln 2 - float(ln 2)


def _softplus_minus(x: Tensor, a: Any) -> Tensor:
    """ln(1 + e^x) - a without cancellation where a is near ln 2 (the curve through the origin):
    there (softplus(x) - ln 2) + (ln 2 - a), with the accurate shifted softplus and the low part of
    ln 2; elsewhere the direct difference."""
    shifted = ssp(x) + ((LN2 - a) + LN2_LO)
    direct = softplus(x) - a
    if isinstance(a, Tensor):
        return torch.where((a - LN2).abs() < 0.25, shifted, direct)
    return shifted if abs(a - LN2) < 0.25 else direct


def _as_tensor(v: Any, x: Tensor) -> Tensor:
    return v if isinstance(v, Tensor) else torch.tensor(v, dtype=x.dtype, device=x.device)


# --------------------------------------------------------------------------- citations

CHIENG_2020 = Citation(
    authors="Chieng, H. H. and Wahid, N. and Ong, P.",
    title="Parametric Flatten-T Swish: An Adaptive Non-linear Activation Function For Deep Learning",
    year=2020,
    arxiv="2011.03155",
    venue="Journal of Information and Communication Technology 20(1)",
)
KHAGI_KWON_2022 = Citation(
    authors="Khagi, B. and Kwon, G.-R.",
    title="A novel scaled-gamma-tanh (SGT) activation function in 3D CNN applied for MRI classification",
    year=2022,
    url="https://doi.org/10.1038/s41598-022-19020-y",
    venue="Scientific Reports 12",
)
LAU_2023 = Citation(
    authors="Anonymous",
    title="LAU: A novel two-parameter learnable Logmoid Activation Unit",
    year=2023,
    url="https://openreview.net/forum?id=uwBUzlm0GS",
    venue="ICLR 2023 submission (double-blind; the authors are not named on the page)",
)
LIU_REACTNET_2020 = Citation(
    authors="Liu, Z. and Shen, Z. and Savvides, M. and Cheng, K.-T.",
    title="ReActNet: Towards Precise Binary Neural Network with Generalized Activation Functions",
    year=2020,
    arxiv="2003.03488",
    venue="ECCV",
)
FARHADI_2019 = Citation(
    authors="Farhadi, F. and Nia, V. P. and Lodi, A.",
    title="Activation Adaptation in Neural Networks",
    year=2019,
    arxiv="1901.09849",
)
ZHOU_SAAF_2021 = Citation(
    authors="Zhou, Y. and Li, D. and Huo, S. and Kung, S.-Y.",
    title="Shape autotuning activation function",
    year=2021,
    url="https://collaborate.princeton.edu/en/publications/shape-autotuning-activation-function-formula-presented",
    venue="Expert Systems with Applications 171, 114534",
)
JOB_2022 = Citation(
    authors="Job, M. S. and Bhateja, P. H. and Gupta, M. and Bingi, K. and Prusty, B. R.",
    title="Fractional Rectified Linear Unit Activation Function and Its Variants",
    year=2022,
    url="https://www.hindawi.com/journals/mpe/2022/1860779/",
    venue="Mathematical Problems in Engineering 2022, 1860779",
)
ZAMORA_FALU_2022 = Citation(
    authors="Zamora, J. and Rhodes, A. D. and Nachman, L.",
    title="Fractional Adaptive Linear Units",
    year=2022,
    url="https://doi.org/10.1609/aaai.v36i8.20882",
    venue="AAAI",
)
VARGAS_2023 = Citation(
    authors="Vargas-Yun, V. M. and Gutiérrez, P. A. and Barbero-Gómez, J. and Hervás-Martínez, C.",
    title="Activation functions for convolutional neural networks: proposals and experimental study",
    year=2023,
    url="https://doi.org/10.1109/TNNLS.2021.3105444",
    venue="IEEE Transactions on Neural Networks and Learning Systems 34(3)",
)
YUEN_2021 = Citation(
    authors="Yuen, B. and Hoang, M. T. and Dong, X. and Lu, T.",
    title="Universal activation function for machine learning",
    year=2021,
    url="https://doi.org/10.1038/s41598-021-96723-8",
    venue="Scientific Reports 11",
)
BODYANSKIY_KOSTIUK_2023 = Citation(
    authors="Bodyanskiy, Y. and Kostiuk, S.",
    title="Learnable Extended Activation Function for Deep Neural Networks",
    year=2023,
    url="https://doi.org/10.47839/ijc.22.3.3225",
    venue="International Journal of Computing 22(3)",
)
BISWAS_EIS_2020 = Citation(
    authors="Biswas, K. and Kumar, S. and Banerjee, S. and Pandey, A. K.",
    title="EIS -- a family of activation functions combining Exponential, ISRU, and Softplus",
    year=2020,
    arxiv="2009.13501",
)
BISWAS_EIS_2021 = Citation(
    authors="Biswas, K. and Kumar, S. and Banerjee, S. and Pandey, A. K.",
    title="EIS - Efficient and Trainable Activation Functions for Better Accuracy and Performance",
    year=2021,
    url="https://doi.org/10.1007/978-3-030-86340-1_21",
    venue="ICANN",
)
AGOSTINELLI_2015 = Citation(
    authors="Agostinelli, F. and Hoffman, M. and Sadowski, P. and Baldi, P.",
    title="Learning Activation Functions to Improve Deep Neural Networks",
    year=2015,
    arxiv="1412.6830",
    venue="ICLR workshop",
)
TAVAKOLI_2021 = Citation(
    authors="Tavakoli, M. and Agostinelli, F. and Baldi, P.",
    title="SPLASH: Learnable Activation Functions for Improving Accuracy and Adversarial Robustness",
    year=2021,
    arxiv="2006.08947",
    venue="Neural Networks",
)


# --------------------------------------------------------------------------- 4.8 - 4.15


@activation(
    "arbf",
    family="bump",
    latex=r"\exp\!\left(-\frac{(x - a)^2}{2 b^2}\right)",
    text="exp(-(x - a)^2 / (2 * b^2))",
    citation=KUNC_KLEMA_2024,
    params=(
        Param("a", 0.0, "learnable centre a", trainable=True),
        Param("b", 1.0, "learnable width b", trainable=True, **_POS),
    ),
    names=("adaptive radial basis function", "ARBF"),
    survey=("ARBF",),
    relations=(Relation("related", "gaussian", note="gaussian is arbf(a=0, b=1/√2)"),),
    source="Survey §4.8: exp(-(z - a_i)²/(2 b_i²)) with adaptive centre a_i and width b_i. "
    + _SURVEY_ONLY + " a = 0, b = 1 (the standard Gaussian bump) as defaults.",
    notes="A learnable Gaussian radial basis function of unit height; exactly 0 beyond 60 widths "
    "(where e^{-1800} underflows in every dtype).",
)
def arbf(x: Tensor, a: Any = 0.0, b: Any = 1.0) -> Tensor:
    r""":math:`\exp(-(x - a)^2 / (2b^2))`."""
    z = (x - a) / b
    far = z.abs() > 60.0  # e^-1800: 0 in every dtype (and z*z would overflow the backward)
    zs = torch.where(far, 0.0, z)
    return torch.where(far, x * 0.0, torch.exp(-0.5 * zs * zs))


@activation(
    "pgelu",
    family="self_gated",
    latex=r"x\,\Phi(x / a)",
    text="x * Phi(x / a)",
    citation=KUNC_KLEMA_2024,
    params=(Param("a", 1.0, "global learnable RMS noise a", trainable=True, **_POS),),
    names=("parametric Gaussian error linear unit", "PGELU"),
    survey=("PGELU",),
    relations=(equal_to("gelu"),),
    source="Survey §4.9: z Φ(z/a) with a global learnable a, the RMS of the injected noise. "
    + _SURVEY_ONLY + " a = 1 starts at GELU.",
    notes="Φ is evaluated as erfc(-x/(a√2))/2 (accurate in the left tail).",
)
def pgelu(x: Tensor, a: Any = 1.0) -> Tensor:
    r""":math:`x\,\Phi(x/a)`."""
    return x * ndtr(x / a)


@activation(
    "geu",
    family="sigmoidal",
    latex=r"\Phi(x / a)",
    text="Phi(x / a)",
    citation=KUNC_KLEMA_2024,
    params=(Param("a", 1.0, "global learnable RMS noise a", trainable=True, **_POS),),
    names=("Gaussian error unit", "GEU"),
    survey=("GEU",),
    relations=(equal_to("probit"),),
    source="Survey §4.12: Φ(z/a), a global learnable RMS noise; 'the GEU multiplied by z becomes the "
    "PGELU'. " + _SURVEY_ONLY + " The peer torch-activation computes x Φ(αx) under this name (a "
    "rescaled PGELU, not the survey's GEU); the survey's form is implemented.",
    notes="At a = 1 the probit (standard normal CDF).",
)
def geu(x: Tensor, a: Any = 1.0) -> Tensor:
    r""":math:`\Phi(x/a)`."""
    return ndtr(x / a)


@activation(
    "pfts",
    family="rectified",
    latex=r"\max(0, x)\,\sigma(x) + T",
    text="x * sigmoid(x) + T if x >= 0 else T",
    citation=CHIENG_2020,
    params=(Param("T", -0.2, "learnable level T of the negative part", trainable=True),),
    names=("parametric flatten-T swish", "PFTS"),
    survey=("PFTS",),
    kinks=lambda p: (0.0,),
    source="Chieng, Wahid & Ong (2020): PFTS = ReLU(x)σ(x) + T with T learnable per neuron, "
    "initialised to -0.20 (survey §4.10 prints the same).",
    notes="Flatten-T swish with a learnable T; continuous, the derivative jumps from 0 to 1/2 at 0.",
)
def pfts(x: Tensor, T: Any = -0.2) -> Tensor:
    r""":math:`\max(0,x)\sigma(x) + T`."""
    return torch.where(x >= 0, x * torch.sigmoid(x), x * 0.0) + T


@activation(
    "pfpm",
    family="rectified",
    latex=r"x\tanh(\ln(1 + e^x)) + p\ (x \ge 0);\ p\ (x < 0)",
    text="x * tanh(softplus(x)) + p if x >= 0 else p",
    citation=KUNC_KLEMA_2024,
    params=(Param("p", -0.2, "learnable level p of the negative part", trainable=True),),
    names=("parametric flatten-p mish", "PFPM"),
    survey=("PFPM",),
    kinks=lambda p: (0.0,),
    source="Survey §4.11: z tanh(ln(1 + e^z)) + p for z >= 0 and p for z < 0, p trainable. "
    + _SURVEY_ONLY + " No initial p is recoverable here; p = -0.2 by analogy with PFTS's T (the same "
    "construction on mish).",
    notes="Continuous (mish(0) = 0); the derivative jumps at 0 from 0 to tanh(ln 2) = 0.6.",
)
def pfpm(x: Tensor, p: Any = -0.2) -> Tensor:
    r"""Mish on :math:`x \ge 0`, shifted by the learnable level :math:`p`."""
    xp = torch.where(x >= 0, x, 0.0)
    return torch.where(x >= 0, xp * torch.tanh(softplus(xp)), x * 0.0) + p


@activation(
    "sgt",
    family="sigmoidal",
    latex=r"\tanh(b x^{\beta})\ (x \ge 0);\ -\tanh(a |x|^{\alpha})\ (x < 0)",
    text="tanh(b * x^beta) if x >= 0 else -tanh(a * |x|^alpha)",
    citation=KHAGI_KWON_2022,
    params=(
        Param("a", 1.0, "fixed scale a of the negative side", **_POS),
        Param("alpha", 1.0, "learnable exponent α of the negative side", trainable=True, **_POS),
        Param("b", 1.0, "fixed scale b of the positive side", **_POS),
        Param("beta", 1.0, "learnable exponent β of the positive side", trainable=True, **_POS),
    ),
    names=("scaled-gamma-tanh", "scaled gamma tanh", "SGT"),
    survey=("SGT",),
    relations=(equal_to("tanh"),),
    kinks=lambda p: (0.0,),
    source="Khagi & Kwon (2022), abstract: y = a x^α (x < 0), y = b x^β (x >= 0), then z = tanh(y); a, b "
    "user constants, α, β learnable per channel. The survey §4.13 prints only the gamma part (no tanh); "
    "the paper's two-step definition wins. a = b = 1 and α = β = 1 (SGT starts as tanh) are our "
    "defaults: the paper's constants are not recoverable here.",
    notes="x^α for x < 0 and real α is read as the odd power -|x|^α (so α = 1 gives a x, as the paper's "
    "'gamma version' of a line intends); the paper does not say how negative inputs are raised to a "
    "learned power. For α, β < 1 the derivative is infinite at 0.",
)
def sgt(x: Tensor, a: Any = 1.0, alpha: Any = 1.0, b: Any = 1.0, beta: Any = 1.0) -> Tensor:
    r""":math:`\tanh(bx^\beta)` for :math:`x \ge 0`, :math:`-\tanh(a|x|^\alpha)` for :math:`x < 0`."""
    pos = x >= 0
    xp = torch.where(pos, x, 1.0)
    xn = torch.where(pos, 1.0, -x)
    return torch.where(pos, torch.tanh(b * xp**beta), -torch.tanh(a * xn**alpha))


@activation(
    "rsign",
    family="sigmoidal",
    latex=r"+1\ (x > a);\ -1\ (x \le a)",
    text="1 if x > a else -1",
    citation=LIU_REACTNET_2020,
    params=(Param("a", 0.0, "learnable threshold α (per channel)", trainable=True),),
    names=("ReAct-Sign", "react-sign", "RSign"),
    survey=("RSign",),
    relations=(equal_to("sign", note="except at x = 0 itself, where sign is 0 and RSign -1"),),
    kinks=lambda p: (p["a"],),
    source="Liu et al. (2020), ReActNet Eq. 2: RSign(x_i) = +1 if x_i > α_c, -1 if x_i <= α_c, with a "
    "learnable threshold α_c per channel (survey §4.14 prints the same, with >= at the threshold; "
    "the paper's convention is used). α = 0 is the plain sign.",
    notes="The forward's derivative is 0 everywhere except at the jump, so autograd gives zero "
    "gradients (for x and for α). ReActNet trains through an approximate derivative of the sign "
    "(a piecewise-polynomial straight-through estimator), which is a training choice not provided by "
    "this functional form.",
)
def rsign(x: Tensor, a: Any = 0.0) -> Tensor:
    r""":math:`+1` for :math:`x > \alpha`, :math:`-1` otherwise."""
    return torch.where(x > a, 1.0, -1.0) + (x - a) * 0.0


@activation(
    "p_sig_ramp",
    family="sigmoidal",
    latex=r"a\,\sigma(x) + (1 - a)\,\mathrm{clip}(b x + \tfrac12, 0, 1)",
    text="a * sigmoid(x) + (1 - a) * clip(b * x + 1/2, 0, 1)",
    citation=KUNC_KLEMA_2024,
    params=(
        Param("a", 0.5, "learnable mixing weight a in [0, 1]", low=0.0, high=1.0, trainable=True),
        Param("b", 1.0, "learnable slope b of the ramp", trainable=True, **_POS),
    ),
    names=("P-SIG-RAMP", "PSIGRAMP", "parametric sigmoid ramp"),
    survey=("P-SIG-RAMP",),
    kinks=lambda p: (-0.5 / p["b"], 0.5 / p["b"]),
    source="Survey §4.15: a σ(z) + (1 - a)·(1 for z >= 1/(2b); bz + 1/2 in between; 0 for "
    "z <= -1/(2b)), a in [0, 1] and b trainable. " + _SURVEY_ONLY + " a = 0.5, b = 1 as in both "
    "transcriptions (no paper value recoverable here).",
    notes="A convex mixture of the logistic sigmoid and a hard ramp of the same centre; kinks at ±1/(2b) "
    "for a < 1.",
)
def p_sig_ramp(x: Tensor, a: Any = 0.5, b: Any = 1.0) -> Tensor:
    r""":math:`a\sigma(x) + (1-a)\,\mathrm{clip}(bx + 1/2, 0, 1)`."""
    t = 0.5 / b
    ramp = torch.where(x >= t, 1.0, torch.where(x <= -t, 0.0, b * x + 0.5))
    return a * torch.sigmoid(x) + (1.0 - a) * (ramp + x * 0.0)


# --------------------------------------------------------------------------- 4.17 group


@activation(
    "pstanh",
    family="self_gated",
    latex=r"a\,x\,(1 + \tanh(b x))",
    text="a * x * (1 + tanh(b * x))",
    citation=KUNC_KLEMA_2024,
    params=(
        Param("a", 0.5, "learnable scale a", trainable=True),
        Param("b", 1.0, "learnable slope b", trainable=True),
    ),
    names=("parametric scaled hyperbolic tangent", "PSTanh"),
    survey=("PSTanh",),
    relations=(equal_to("aptx"),),
    source="Survey §4.17: z a_i (1 + tanh(b_i z)), a_i, b_i trainable per neuron. " + _SURVEY_ONLY
    + " a = 0.5, b = 1 are our defaults, chosen so that the output approaches x for large x, as the "
    "survey's comparison with PTELU describes (no paper value recoverable here).",
    notes="Evaluated as 2a x σ(2bx) (1 + tanh(bx) = 2σ(2bx), which does not cancel in the left tail). "
    "PSTanh(a, b) = APTx(α=1, β=b, γ=a); at the defaults it is APTx's default x σ(2x).",
)
def pstanh(x: Tensor, a: Any = 0.5, b: Any = 1.0) -> Tensor:
    r""":math:`ax(1 + \tanh(bx)) = 2ax\,\sigma(2bx)`."""
    t = 2.0 * b * x
    return gated_far(x, t, 2.0 * a * x * torch.sigmoid(safe_left(t)))


@activation(
    "ssinh",
    family="exponential",
    latex=r"a \sinh(b x)",
    text="a * sinh(b * x)",
    citation=HUSAIN_ONG_BOBER_2019,
    params=(
        Param("a", 1.0, "learnable scale a", trainable=True),
        Param("b", 1.0, "learnable scale b", trainable=True),
    ),
    names=("scaled sine-hyperbolic function", "SSinH"),
    survey=("SSinH",),
    source="Survey §4.17: a_i sinh(b_i z), a_i, b_i trainable scaling parameters (Husain, Ong & "
    "Bober). " + IDENTIFIED_NOT_READ + "." + " a = b = 1 as defaults.",
    notes="Unbounded and exponentially growing; overflows to ±inf where the true value exceeds the dtype.",
)
def ssinh(x: Tensor, a: Any = 1.0, b: Any = 1.0) -> Tensor:
    r""":math:`a\sinh(bx)`."""
    return a * torch.sinh(b * x)


@activation(
    "sexp",
    family="exponential",
    latex=r"a\,(e^{b x} - 1)",
    text="a * (exp(b * x) - 1)",
    citation=HUSAIN_ONG_BOBER_2019,
    params=(
        Param("a", 1.0, "learnable scale a", trainable=True),
        Param("b", 1.0, "learnable scale b", trainable=True),
    ),
    names=("scaled exponential function", "SExp"),
    survey=("SExp",),
    source="Survey §4.17: a_i (e^{b_i z} - 1), a_i, b_i trainable (proposed with SSinH by Husain, Ong & "
    "Bober). " + IDENTIFIED_NOT_READ + "." + " a = b = 1 as defaults.",
    notes="Evaluated with expm1 (accurate near 0, exact derivative e^{bx} far left).",
)
def sexp(x: Tensor, a: Any = 1.0, b: Any = 1.0) -> Tensor:
    r""":math:`a(e^{bx} - 1)`."""
    return a * _expm1(b * x)


@activation(
    "lau",
    family="self_gated",
    latex=r"x \ln(1 + a\,\sigma(b x))",
    text="x * log(1 + a * sigmoid(b * x))",
    citation=LAU_2023,
    params=(
        Param("a", 1.0, "learnable weight a (a > -1)", low=-1.0, low_inclusive=False, trainable=True),
        Param("b", 1.0, "learnable slope b", trainable=True),
    ),
    names=("logmoid activation unit", "LAU"),
    survey=("LAU",),
    relations=(equal_to("logish"),),
    source="Survey §4.17: z ln(1 + a σ(b z)) with a, b learnable per layer, initial a = b = 1 (defaults "
    "here). The OpenReview abstract (checked) states the same formula, f(x) = x ln(1 + α sigmoid(βx)) with "
    "α, β optimised by back-propagation; the full text was not read.",
    notes="At a = b = 1 it is Logish (x ln(1 + σ(x))). Far left (bx < -800) the product is x·0 and far "
    "right (bx > 800) x ln(1 + a), where the gate is saturated exactly.",
)
def lau(x: Tensor, a: Any = 1.0, b: Any = 1.0) -> Tensor:
    r""":math:`x\ln(1 + a\sigma(bx))`."""
    t = b * x
    sat = t > -FAR  # σ(t) = 1 exactly: x ln(1 + a), so that x·σ'(t) cannot form inf * 0 backward
    ts = torch.where(sat, 0.0, safe_left(t))
    gate = torch.where(sat, torch.log1p(_as_tensor(a, x)), torch.log1p(a * torch.sigmoid(ts)))
    return gated_far(x, t, x * gate)


@activation(
    "coslu",
    family="periodic",
    latex=r"(x + a \cos(b x))\,\sigma(x)",
    text="(x + a * cos(b * x)) * sigmoid(x)",
    citation=KUNC_KLEMA_2024,
    params=(
        Param("a", 1.0, "learnable amplitude a of the cosine", trainable=True),
        Param("b", 1.0, "learnable frequency b of the cosine", trainable=True),
    ),
    names=("cosinu-sigmoidal linear unit", "CosLU"),
    survey=("CosLU",),
    source="Survey §4.17: (z + a cos(b z)) σ(z), a (amplitude) and b (frequency) trainable per neuron. "
    + _SURVEY_ONLY + " a = b = 1 as defaults (as for its sine counterpart SinLU).",
    notes="The cosine counterpart of SinLU; unlike SinLU it is not 0 at 0 (CosLU(0) = a/2).",
)
def coslu(x: Tensor, a: Any = 1.0, b: Any = 1.0) -> Tensor:
    r""":math:`(x + a\cos(bx))\sigma(x)`."""
    return (x + a * torch.cos(b * x)) * torch.sigmoid(x)


@activation(
    "agumb",
    family="sigmoidal",
    latex=r"1 - (1 + a e^x)^{-1/a}",
    text="1 - (1 + a * exp(x))^(-1/a) = 1 - exp(-log(1 + a * exp(x)) / a)",
    citation=FARHADI_2019,
    params=(Param("a", 1.0, "learnable shape a > 0", trainable=True, **_POS),),
    names=("adaptive Gumbel", "AGumb"),
    survey=("AGumb",),
    relations=(equal_to("sigmoid"),),
    source="Farhadi, Nia & Lodi (2019): the adaptive Gumbel CDF 1 - (1 + a e^x)^{-1/a}, a > 0 trainable "
    "per neuron (survey §4.17 prints the same). a = 1 gives the logistic sigmoid (default), a → 0 the "
    "complementary log-log 1 - exp(-e^x).",
    notes="Evaluated as -expm1(-softplus(x + ln a)/a) (no overflow, accurate in both tails).",
)
def agumb(x: Tensor, a: Any = 1.0) -> Tensor:
    r""":math:`1 - (1 + ae^x)^{-1/a}`."""
    return -torch.expm1(-softplus(x + log_of(a)) / a)


def _check_saaaf(a: Any, b: Any) -> None:
    if _numbers(a, b) and not b < math.e * a:
        raise ValueError(
            f"saaaf: parameters 'a' and 'b' must satisfy b/a < e (else x/a + e^(-x/b) has a zero), "
            f"got a={a}, b={b}"
        )


@activation(
    "saaaf",
    family="self_gated",
    latex=r"\frac{x}{x/a + e^{-x/b}}",
    text="x / (x / a + exp(-x / b))",
    citation=ZHOU_SAAF_2021,
    params=(
        Param("a", 1.0, "learnable upper bound a > 0", trainable=True, **_POS),
        Param("b", 1.0, "learnable scale b > 0 (b/a < e)", trainable=True, **_POS),
    ),
    names=("shape autotuning adaptive activation function", "shape autotuning activation function", "SAAAF"),
    survey=("SAAAF",),
    source="Zhou, Li, Huo & Kung (2021), 'SAAF' renamed SAAAF by the survey (§4.17) to avoid the "
    "collision with the smooth adaptive SAAF of §4.29: x / (x/a + e^{-x/b}), a, b >= 0 trainable with "
    "b/a < e. The formula is the survey's (the paper was not readable here); b/a < e is exactly the "
    "condition for the denominator to stay positive, which confirms the reading. a = b = 1 are our "
    "defaults (no initial values recoverable here).",
    notes="Bounded above by a (x → ∞), → 0 for x → -∞ with a negative dip. For x < 0 evaluated as "
    "w/(1 + w/a), w = x e^{x/b} (no overflow of e^{-x/b}). The peer torch-activation implements a "
    "different function (a hat-function spline) under the name SAAAF.",
)
def saaaf(x: Tensor, a: Any = 1.0, b: Any = 1.0) -> Tensor:
    r""":math:`x / (x/a + e^{-x/b})`."""
    _check_saaaf(a, b)
    neg = x < 0
    xn = torch.where(neg, x, 0.0)
    xp = torch.where(neg, 0.0, x)
    w = xn * torch.exp(xn / b)
    return torch.where(neg, w / (1.0 + w / a), xp / (xp / a + torch.exp(-xp / b)))


# --------------------------------------------------------------------------- 4.19 fractional


@activation(
    "frac_relu",
    family="rectified",
    latex=r"\frac{x^{1-a}}{\Gamma(2 - a)}\ (x > 0);\ 0\ (x \le 0)",
    text="x^(1 - a) / Gamma(2 - a) if x > 0 else 0",
    citation=JOB_2022,
    params=(
        Param("a", 0.5, "learnable fractional order a in [0, 1)", low=0.0, high=1.0, high_inclusive=False,
              trainable=True),
    ),
    names=("fractional ReLU", "FracReLU", "FReLU"),
    survey=("FracReLU",),
    kinks=lambda p: (0.0,),
    source="The a-th Riemann-Liouville derivative of ReLU, D^a x = x^{1-a}/Γ(2-a) for x > 0 and 0 "
    "otherwise (survey §4.19.1; proposed by Zamora-Esquivel et al., ICCV workshops 2019, and "
    "independently as 'FReLU' by Job et al. 2022, cited here). a is trainable; a = 0.5 is our default "
    "(the midpoint between ReLU, a = 0, and the step, a = 1).",
    notes="a = 0 is ReLU; a → 1 tends to the Heaviside step (excluded: the value jumps at 0). The "
    "derivative (1-a) x^{-a}/Γ(2-a) is infinite at 0+. 'FReLU' is also flexible ReLU and funnel ReLU: "
    "it is ambiguous.",
)
def frac_relu(x: Tensor, a: Any = 0.5) -> Tensor:
    r""":math:`x^{1-a}/\Gamma(2-a)` for :math:`x > 0`, else 0."""
    pos = x > 0
    xp = torch.where(pos, x, 1.0)
    return torch.where(pos, xp ** (1.0 - a) / _gamma_of(2.0 - a), x * 0.0)


@activation(
    "frac_prelu",
    family="rectified",
    latex=r"\frac{x^{1-a}}{\Gamma(2 - a)}\ (x > 0);\ -b\frac{|x|^{1-a}}{\Gamma(2 - a)}\ (x < 0)",
    text="x^(1 - a) / Gamma(2 - a) if x > 0 else -b * |x|^(1 - a) / Gamma(2 - a)",
    citation=JOB_2022,
    params=(
        Param("a", 0.5, "fixed fractional order a in [0, 1)", low=0.0, high=1.0, high_inclusive=False),
        Param("b", 0.25, "learnable negative slope b", trainable=True),
    ),
    names=("fractional parametric ReLU", "FracPReLU"),
    survey=("FracPReLU",),
    kinks=lambda p: (0.0,),
    source="Job et al. (2022): the a-th fractional derivative of PReLU, with a fixed and b trainable "
    "(survey §4.19.6). b = 0.25 as PReLU's He et al. initialisation, a = 0.5 our default.",
    notes="For x < 0 the printed b x^{1-a}/Γ(2-a) is not real for non-integer a; implemented is the "
    "right-sided Riemann-Liouville derivative with terminal 0, which for f(x) = b x is "
    "-b|x|^{1-a}/Γ(2-a) (the odd extension; a = 0 gives PReLU exactly). Which real reading the paper "
    "used is not stated there.",
)
def frac_prelu(x: Tensor, a: Any = 0.5, b: Any = 0.25) -> Tensor:
    r""":math:`\mathrm{sign}(x)\,s(x)|x|^{1-a}/\Gamma(2-a)`, slope 1 right, b left."""
    pos = x > 0
    ax = torch.where(x == 0, 1.0, x.abs())
    mag = ax ** (1.0 - a) / _gamma_of(2.0 - a)
    return torch.where(pos, mag, torch.where(x < 0, -b * mag, x * 0.0))


preset(
    "frac_lrelu",
    of="frac_prelu",
    params={"b": 0.1},
    latex=r"\frac{x^{1-a}}{\Gamma(2 - a)}\ (x > 0);\ -0.1\frac{|x|^{1-a}}{\Gamma(2 - a)}\ (x < 0)",
    text="x^(1 - a) / Gamma(2 - a) if x > 0 else -0.1 * |x|^(1 - a) / Gamma(2 - a)",
    citation=JOB_2022,
    source="Job et al. (2022): the a-th fractional derivative of the leaky ReLU with slope 0.1 "
    "(survey §4.19.5 prints 0.1 z^{1-a}/Γ(2-a) for z < 0). The survey lists it among the adaptive "
    "fractional units and prints the order per neuron (a_i), as a third-party transcription of its formula "
    "does ('a_i is a trainable parameter'); with the slope fixed at 0.1 the order a is what is learned.",
    names=("fractional leaky ReLU", "FracLReLU"),
    survey=("FracLReLU",),
    notes="frac_prelu with b = 0.1; the negative side uses the same real reading (-0.1|x|^{1-a}/Γ(2-a)). "
    "The fractional order a is trainable (as for FracReLU); the slope 0.1 stays fixed.",
    trainable=("a",),
)


@activation(
    "falu",
    family="self_gated",
    latex=r"g + a\,\sigma(bx)(1 - g)\ (a \le 1);\ g + a\,\sigma(bx)(1 - 2h)\ (a > 1);\ "
    r"g = x\sigma(bx),\ h = g + \sigma(x)(1 - g)",
    text="g + a*sigmoid(b*x)*(1 - g) if a <= 1 else g + a*sigmoid(b*x)*(1 - 2*h), where g is x*sigmoid(b*x) "
    "and h is g + sigmoid(x)*(1 - g)",
    citation=ZAMORA_FALU_2022,
    params=(
        Param("a", 0.5, "learnable fractional order a in [0, 2]", low=0.0, high=2.0, trainable=True),
        Param("b", 1.0, "learnable gate slope b in [1, 10]", low=1.0, high=10.0, trainable=True),
    ),
    names=("fractional adaptive linear unit", "FALU"),
    survey=("FALU",),
    source="Zamora, Rhodes & Nachman (2022): the a-th fractional derivative of x σ(bx), used through "
    "its practical approximation g + a σ(bx)(1 - g) for a in [0, 1] and g + a σ(bx)(1 - 2h) for "
    "a in (1, 2], g = x σ(bx), h = g + σ(x)(1 - g) (as printed by the survey §4.19.4, both "
    "transcriptions; a in [0, 2], b in [1, 10]). a = 0.5 is our default (no initial value recoverable "
    "here); a = 0 gives swish(b).",
    notes="The approximation, not the exact fractional derivative, is the unit. It is discontinuous in "
    "a at a = 1 (the two branches differ there); smooth in x.",
)
def falu(x: Tensor, a: Any = 0.5, b: Any = 1.0) -> Tensor:
    r"""FALU's two-branch approximation of :math:`D^a[x\sigma(bx)]`."""
    s = torch.sigmoid(b * x)
    g = x * s
    lo = g + a * s * (1.0 - g)
    # 1 - 2h with h = g + σ(x)(1 - g), written -tanh(x/2) - 2gσ(-x) (no cancellation near 0), and
    # xσ(-x) as x - silu(x), whose fused backward cannot form inf * 0 at the extremes
    hi = g + a * s * (-torch.tanh(0.5 * x) - (x - torch.nn.functional.silu(x)) * s * 2.0)
    return torch.where(_as_tensor(a, x) <= 1.0, lo, hi)


# --------------------------------------------------------------------------- 4.20 - 4.27


@activation(
    "scaled_softsign",
    family="sigmoidal",
    latex=r"\frac{a x}{b + |x|}",
    text="a * x / (b + |x|)",
    citation=PISHCHIK_2023,
    params=(
        Param("a", 1.0, "learnable range a", trainable=True),
        Param("b", 1.0, "learnable transition scale b > 0", trainable=True, **_POS),
    ),
    names=("scaled softsign", "ScaledSoftsign"),
    survey=("scaled softsign",),
    relations=(equal_to("softsign"),),
    source="Survey §4.20: a_i z/(b_i + |z|), a_i controls the range, b_i the rate of transition, both "
    "trainable. " + IDENTIFIED_NOT_READ + ", as the peer package that cites this preprint also prints "
    "it. a = b = 1 "
    "(softsign) as defaults. The peer torch-activation omits b.",
    notes="Range (-a, a); slope a/b at 0.",
)
def scaled_softsign(x: Tensor, a: Any = 1.0, b: Any = 1.0) -> Tensor:
    r""":math:`ax/(b + |x|)`."""
    return a * x / (b + x.abs())


@activation(
    "parameterized_softplus",
    family="smooth_rectifier",
    latex=r"\ln(1 + e^x) - a",
    text="softplus(x) - a",
    citation=VARGAS_2023,
    params=(Param("a", LN2, "learnable vertical shift a", trainable=True),),
    names=("parameterized softplus", "s+2L"),
    survey=("parameterized softplus s+2L (s+2)",),
    relations=(equal_to("ssp"),),
    source="Vargas-Yun et al. (2023): the parameterised softplus s+2L(z) = ln(1 + e^z) - a with a "
    "trainable per neuron, and its non-adaptive variant s+2 with a fixed (survey §4.21). a = ln 2 "
    "(the curve through the origin, i.e. the shifted softplus) is our default; the paper's range and "
    "initial value of a are not recoverable here.",
    notes="Near a = ln 2 evaluated as (softplus(x) - ln 2) + (ln 2 - a) with the accurate shifted "
    "softplus, so the value near 0 does not cancel. s+2 (fixed a) is the same function with a not learned.",
)
def parameterized_softplus(x: Tensor, a: Any = LN2) -> Tensor:
    r""":math:`\ln(1 + e^x) - a`."""
    return _softplus_minus(x, a)


@activation(
    "elus_plus_2l",
    family="exponential",
    latex=r"b\,\mathrm{ELU}(x) + (1 - b)\,(\ln(1 + e^x) - a)",
    text="b * (x if x > 0 else exp(x) - 1) + (1 - b) * (softplus(x) - a)",
    citation=VARGAS_2023,
    params=(
        Param("a", LN2, "shift a of the parameterised softplus (learnable in ELUs+2L)", trainable=True),
        Param("b", 0.5, "learnable mixing weight b", trainable=True),
    ),
    names=("ELUs+2L", "ELUs+2", "linear combination of parameterized softplus and ELU"),
    survey=("ELUs+2L / ELUs+2",),
    source="Vargas-Yun et al. (2023): ELUs+2L = b ELU(z) + (1 - b) s+2L(z), b trainable, s+2L the "
    "parameterised softplus; ELUs+2 uses the fixed s+2 (survey §4.27). ELU with α = 1. a = ln 2 and "
    "b = 0.5 are our defaults (no initial values recoverable here).",
    notes="ELUs+2 is this function with a not learned (actlab.get('elus_plus_2l', trainable=True, "
    "learn='b')).",
)
def elus_plus_2l(x: Tensor, a: Any = LN2, b: Any = 0.5) -> Tensor:
    r""":math:`b\,\mathrm{ELU}(x) + (1-b)(\ln(1+e^x) - a)`."""
    pos = x > 0
    elu = torch.where(pos, x, expm1(torch.where(pos, 0.0, x)))  # ELU, α = 1
    return b * elu + (1.0 - b) * _softplus_minus(x, a)


def _logcosh(t: Tensor) -> Tensor:
    """ln cosh t, accurate near 0 (log1p(2 sinh²(t/2))) and without overflow for large |t|."""
    small = t.abs() < 1.0
    ts = torch.where(small, t, 0.0)
    tl = torch.where(small, 1.0, t).abs()
    near = torch.log1p(2.0 * torch.sinh(0.5 * ts) ** 2)
    return torch.where(small, near, tl + torch.log1p(torch.exp(-2.0 * tl)) - LN2)


def _softplus_diff(u: Tensor, v: Tensor) -> Tensor:
    """softplus(u) - softplus(v) without cancellation: (u - v)/2 + ln cosh(u/2) - ln cosh(v/2) where
    both are small, u - v + softplus(-u) - softplus(-v) where both are positive, the direct
    difference otherwise (every branch is finite everywhere)."""
    small = (u.abs() < 1.0) & (v.abs() < 1.0)
    both_pos = (u >= 0) & (v >= 0)
    near = 0.5 * (u - v) + _logcosh(0.5 * u) - _logcosh(0.5 * v)
    pos = (u - v) + softplus(-u) - softplus(-v)
    direct = softplus(u) - softplus(v)
    return torch.where(small, near, torch.where(both_pos, pos, direct))


@activation(
    "uaf",
    family="smooth_rectifier",
    latex=r"\ln(1 + e^{A(x + B) + C x^2}) - \ln(1 + e^{D(x - B)}) + E",
    text="softplus(A * (x + B) + C * x^2) - softplus(D * (x - B)) + E",
    citation=YUEN_2021,
    params=(
        Param("A", 30.0, "learnable A", trainable=True),
        Param("B", 1.2e-6, "learnable B", trainable=True),
        Param("C", 1e-7, "learnable C", trainable=True),
        Param("D", 29.0, "learnable D", trainable=True),
        Param("E", 1.02e-6, "learnable E", trainable=True),
    ),
    names=("universal activation function", "UAF"),
    survey=("UAF",),
    source="Yuen et al. (2021): UAF(x) = ln(1 + e^{A(x+B) + Cx²}) - ln(1 + e^{D(x-B)}) + E, all five "
    "trainable per neuron (survey §4.22 prints the same). Defaults are the authors' code's initial "
    "values (SensorOrgNet/Universal_Activation_Function, pytorch/mnist_UAF.py: A = 30, B = 1.2e-6, "
    "C = 1e-7, D = 29, E = 1.02e-6), a smooth ReLU-like start.",
    notes="The difference of the two softplus terms is evaluated without cancellation: near 0 as "
    "(u - v)/2 + ln cosh(u/2) - ln cosh(v/2) (softplus(t) = t/2 + ln 2 + ln cosh(t/2)), for positive "
    "arguments as u - v + softplus(-u) - softplus(-v).",
)
def uaf(x: Tensor, A: Any = 30.0, B: Any = 1.2e-6, C: Any = 1e-7, D: Any = 29.0, E: Any = 1.02e-6) -> Tensor:
    r""":math:`\ln(1 + e^{A(x+B)+Cx^2}) - \ln(1 + e^{D(x-B)}) + E`."""
    u = A * (x + B) + C * x * x
    v = D * (x - B)
    return _softplus_diff(u, v) + E


@activation(
    "leaf",
    family="self_gated",
    latex=r"(p_1 x + p_2)\,\sigma(p_3 x) + p_4",
    text="(p1 * x + p2) * sigmoid(p3 * x) + p4",
    citation=BODYANSKIY_KOSTIUK_2023,
    params=(
        Param("p1", 1.0, "learnable slope p1", trainable=True),
        Param("p2", 0.0, "learnable offset p2", trainable=True),
        Param("p3", 1.0, "learnable gate slope p3", trainable=True),
        Param("p4", 0.0, "learnable output shift p4", trainable=True),
    ),
    names=("learnable extended activation function", "LEAF"),
    survey=("LEAF",),
    relations=(equal_to("silu"),),
    source="Bodyanskiy & Kostiuk (2023); authors' code (s-kostyuk/leaf-aaf, adaptive_afs/cont/leaf.py): "
    "y = (p1 u + p2) σ(p3 u) + p4, all four learnable; initialisations 'as SiLU' (1, 0, 1, 0, the "
    "default here), 'as ReLU' (1, 0, 2^16, 0), 'as Tanh' (0, 2, 2, -1), 'as Sigmoid' (0, 1, 1, 0). "
    "Survey §4.23 prints (a z + b) σ(c z) + d.",
    notes="The peer torch-activation computes a different function under this name.",
)
def leaf(x: Tensor, p1: Any = 1.0, p2: Any = 0.0, p3: Any = 1.0, p4: Any = 0.0) -> Tensor:
    r""":math:`(p_1x + p_2)\sigma(p_3x) + p_4`."""
    return (p1 * x + p2) * torch.sigmoid(p3 * x) + p4


@activation(
    "grelu",
    family="smooth_rectifier",
    latex=r"\frac{\ln(1 + a^{b x})}{b \ln a}",
    text="log(1 + a^(b*x)) / (b * log(a)) = softplus(b * log(a) * x) / (b * log(a))",
    citation=KUNC_KLEMA_2024,
    params=(
        Param("a", 2.0, "learnable base a > 1", low=1.0, low_inclusive=False, trainable=True),
        Param("b", 1.0, "learnable scale b > 0", trainable=True, **_POS),
    ),
    names=("generalized ReLU", "GReLU"),
    survey=("GReLU",),
    relations=(Relation("related", "softplus", note="grelu(a, b) is softplus with beta = b ln a"),),
    source="Survey §4.24: ln(1 + a^{bz})/(b ln a) = (1/b) log_a(1 + a^{bz}), a, b trainable, based on "
    "UAF. " + _SURVEY_ONLY + " a = 2, b = 1 (log2(1 + 2^x)) are our defaults.",
    notes="Over-parameterised: only β = b ln a matters, GReLU = softplus(βx)/β.",
)
def grelu(x: Tensor, a: Any = 2.0, b: Any = 1.0) -> Tensor:
    r""":math:`\ln(1 + a^{bx})/(b\ln a)`."""
    beta = b * log_of(a)
    return softplus(beta * x) / beta


@activation(
    "maf",
    family="polynomial",
    latex=r"\sqrt{(x - a)^2 + b^2}",
    text="sqrt((x - a)^2 + b^2)",
    citation=KUNC_KLEMA_2024,
    params=(
        Param("a", 0.0, "learnable shift a", trainable=True),
        Param("b", 1.0, "learnable bias b > 0", trainable=True, **_POS),
    ),
    names=("multiquadratic activation function", "MAF"),
    survey=("MAF",),
    source="Survey §4.25: √((z - a_i)² + b_i²) with a_i, b_i trainable. " + _SURVEY_ONLY
    + " a = 0, b = 1 as defaults.",
    notes="The multiquadric radial basis function; evaluated with hypot (no overflow).",
)
def maf(x: Tensor, a: Any = 0.0, b: Any = 1.0) -> Tensor:
    r""":math:`\sqrt{(x-a)^2 + b^2}`."""
    return torch.hypot(x - a, _as_tensor(b, x))


def _log_softplus(x: Tensor) -> Tensor:
    """ln(ln(1 + e^x)), accurate also far left (≈ x - e^x/2 below -30)."""
    far = x < -30.0
    xf = torch.where(far, x, -30.0)
    xn = torch.where(far, 0.0, x)
    return torch.where(far, xf + torch.log1p(-0.5 * torch.exp(xf)), torch.log(softplus(xn)))


def _log_hypot(x: Tensor, sg: Any, sb: Any) -> Tensor:
    """ln √(γ x² + β) = ln hypot(√γ x, √β) (hypot does not overflow before its result does)."""
    return torch.log(torch.hypot(sg * x, _as_tensor(sb, x)))


def _check_eis(beta: Any, delta: Any) -> None:
    if _numbers(beta, delta) and beta == 0 and delta == 0:
        raise ValueError("eis: parameters 'beta' and 'delta' must not both be 0 (the denominator "
                         "vanishes at x = 0)")


@activation(
    "eis",
    family="smooth_rectifier",
    latex=r"\frac{x\,\ln(1 + e^x)^{\alpha}}{\sqrt{\beta + \gamma x^2} + \delta e^{-\theta x}}",
    text="x * softplus(x)^alpha / (sqrt(beta + gamma * x^2) + delta * exp(-theta * x)) "
    "= x * exp(alpha * log(softplus(x))) / (sqrt(beta + gamma * x^2) + delta * exp(-theta * x))",
    citation=BISWAS_EIS_2020,
    params=(
        Param("alpha", 1.0, "exponent α of the softplus in [0, 1]", low=0.0, high=1.0, trainable=True),
        Param("beta", 1.0, "constant β >= 0 under the root", low=0.0, trainable=True),
        Param("gamma", 1.0, "weight γ >= 0 of x² under the root", low=0.0, trainable=True),
        Param("delta", 0.0, "weight δ >= 0 of the exponential", low=0.0, trainable=True),
        Param("theta", 1.0, "rate θ >= 0 of the exponential", low=0.0, trainable=True),
    ),
    names=("EIS", "EIS family"),
    survey=("EIS (-1/-2/-3)",),
    source="Biswas et al. (2020), arXiv 2009.13501: the five-parameter family "
    "x (ln(1 + e^x))^α / (√(β + γx²) + δ e^{-θx}) (survey §4.26: α in [0, 1], β, γ, δ, θ >= 0, β, γ, δ "
    "not all 0). Defaults α = β = γ = θ = 1, δ = 0: the abstract's x ln(1 + e^x)/√(1 + x²) (= eis2).",
    notes="The survey row 'EIS (-1/-2/-3)' resolves to this family entry; its three trainable members "
    "are eis1, eis2, eis3. Evaluated in log space, "
    "x exp(α ln softplus(x) - logaddexp(ln√(β + γx²), ln δ - θx)), which neither overflows nor "
    "forms 0/0 in the tails. β and δ must not both be 0.",
)
def eis(
    x: Tensor, alpha: Any = 1.0, beta: Any = 1.0, gamma: Any = 1.0, delta: Any = 0.0, theta: Any = 1.0
) -> Tensor:
    r""":math:`x\,\mathrm{softplus}(x)^\alpha / (\sqrt{\beta + \gamma x^2} + \delta e^{-\theta x})`."""
    _check_eis(beta, delta)
    lh = _log_hypot(x, _sqrt_of(gamma), _sqrt_of(beta))
    ld = _as_tensor(log_of(delta), x)
    return x * torch.exp(alpha * _log_softplus(x) - torch.logaddexp(lh, ld - theta * x))


def _check_eis1(delta: Any, theta: Any) -> None:
    if _numbers(delta, theta) and not delta * theta > math.exp(-1.0):
        raise ValueError(f"eis1: parameters 'delta' and 'theta' must satisfy delta*theta > 1/e (else "
                         f"x + delta e^(-theta x) has a zero), got delta={delta}, theta={theta}")


@activation(
    "eis1",
    family="smooth_rectifier",
    latex=r"\frac{x \ln(1 + e^x)}{x + \delta e^{-\theta x}}",
    text="x * softplus(x) / (x + delta * exp(-theta * x))",
    citation=BISWAS_EIS_2021,
    params=(
        Param("delta", 1.16, "learnable weight δ > 0", trainable=True, **_POS),
        Param("theta", 1.0, "learnable rate θ > 0", trainable=True, **_POS),
    ),
    names=("EIS-1", "EIS1"),
    source="Biswas et al. (ICANN 2021): EIS-1 = x ln(1 + e^x)/(x + δ e^{-θx}), δ, θ trainable; δ = 1.16, "
    "θ = 1 from the arXiv version's best member x ln(1 + e^x)/(x + 1.16 e^{-x}) (arXiv 2009.13501 "
    "abstract). Survey §4.26 prints the same with x in the denominator.",
    notes="The denominator has x, not √(x²) = |x|, as the paper and the survey print it (the survey's "
    "'a = 1, b = 0, c = 1' reading of the general family would give |x|): it stays positive iff "
    "δθ > 1/e, which is checked. For x < 0 evaluated as softplus(x)·xw/(xw + δ), w = e^{θx}.",
)
def eis1(x: Tensor, delta: Any = 1.16, theta: Any = 1.0) -> Tensor:
    r""":math:`x\,\mathrm{softplus}(x)/(x + \delta e^{-\theta x})`."""
    _check_eis1(delta, theta)
    neg = x < 0
    xn = torch.where(neg, x, 0.0)
    xp = torch.where(neg, 1.0, x)
    xw = xn * torch.exp(theta * xn)
    ratio = torch.where(neg, xw / (xw + delta), xp / (xp + delta * torch.exp(-theta * xp)))
    return softplus(x) * ratio


@activation(
    "eis2",
    family="smooth_rectifier",
    latex=r"\frac{x \ln(1 + e^x)}{\sqrt{\beta + x^2}}",
    text="x * softplus(x) / sqrt(beta + x^2)",
    citation=BISWAS_EIS_2021,
    params=(Param("beta", 1.0, "learnable constant β > 0", trainable=True, **_POS),),
    names=("EIS-2", "EIS2"),
    relations=(special_case_of("eis", alpha=1.0, beta=1.0, gamma=1.0, delta=0.0, theta=1.0),),
    source="Biswas et al. (ICANN 2021): EIS-2 = x ln(1 + e^x)/√(β + x²), β trainable (survey §4.26: the "
    "family at α = 1, δ = 0, γ = 1); β = 1 from the arXiv abstract's member x ln(1 + e^x)/√(1 + x²).",
    notes="Evaluated as softplus(x)·x/hypot(x, √β) (no overflow of x² or of x·softplus(x)).",
)
def eis2(x: Tensor, beta: Any = 1.0) -> Tensor:
    r""":math:`x\,\mathrm{softplus}(x)/\sqrt{\beta + x^2}`."""
    return softplus(x) * (x / torch.hypot(x, _as_tensor(_sqrt_of(beta), x)))


@activation(
    "eis3",
    family="self_gated",
    latex=r"\frac{x}{1 + \delta e^{-\theta x}}",
    text="x / (1 + delta * exp(-theta * x))",
    citation=BISWAS_EIS_2021,
    params=(
        Param("delta", 1.0, "learnable weight δ > 0", trainable=True, **_POS),
        Param("theta", 1.0, "learnable rate θ", trainable=True, low=0.0),
    ),
    names=("EIS-3", "EIS3"),
    relations=(equal_to("silu"),),
    source="Biswas et al. (ICANN 2021): EIS-3 = x/(1 + δ e^{-θx}), δ, θ trainable (survey §4.26: the "
    "family at α = 0, β = 1, γ = 0). δ = θ = 1 (SiLU) are our defaults; the paper's initial values are "
    "not recoverable here.",
    notes="x σ(θx - ln δ): a shifted swish. The product is masked far left, where the gate is 0.",
)
def eis3(x: Tensor, delta: Any = 1.0, theta: Any = 1.0) -> Tensor:
    r""":math:`x/(1 + \delta e^{-\theta x}) = x\sigma(\theta x - \ln\delta)`."""
    t = theta * x - log_of(delta)
    return gated_far(x, t, x * torch.sigmoid(safe_left(t)))


@activation(
    "gln",
    family="periodic",
    latex=r"\sigma(a) \sin(x) + (1 - \sigma(a)) \tanh(x) - b",
    text="sigmoid(a) * sin(x) + (1 - sigmoid(a)) * tanh(x) - b",
    citation=FERREIRA_MATTHEAKIS_PROTOPAPAS_2021,
    params=(
        Param("a", 0.0, "learnable mixing logit a (per layer)", trainable=True),
        Param("b", 0.0, "learnable output shift b (per layer)", trainable=True),
    ),
    names=("global-local neuron", "GLN"),
    survey=("GLN",),
    source="Survey §4.27: a convex combination of a global (sin) and a local (tanh) function with "
    "trainable weights per layer, σ(a) sin z + (1 - σ(a)) tanh z - b in both transcriptions. "
    + IDENTIFIED_NOT_READ + " (its abstract agrees on the sine/tanh combination). a = b = 0 (equal "
    "weights, no shift) as defaults.",
    notes="σ(a) keeps the combination convex while a is learned freely.",
)
def gln(x: Tensor, a: Any = 0.0, b: Any = 0.0) -> Tensor:
    r""":math:`\sigma(a)\sin x + (1 - \sigma(a))\tanh x - b`."""
    w = _sigmoid_of(a)
    return w * torch.sin(x) + (1.0 - w) * torch.tanh(x) - b


@activation(
    "naf",
    family="sigmoidal",
    latex=r"a\,e^{-b x^2} + \frac{c}{1 + e^{-d x}}",
    text="a * exp(-b * x^2) + c * sigmoid(d * x)",
    citation=KUNC_KLEMA_2024,
    params=(
        Param("a", 1.0, "learnable amplitude a of the Gaussian", trainable=True),
        Param("b", 1.0, "learnable width b >= 0 of the Gaussian", low=0.0, trainable=True),
        Param("c", 1.0, "learnable amplitude c of the sigmoid", trainable=True),
        Param("d", 1.0, "learnable slope d of the sigmoid", trainable=True),
    ),
    names=("neuron-adaptive activation function", "NAF"),
    survey=("NAF",),
    source="Survey §4.28: a linear combination of two functions with scalable amplitude, "
    "a e^{-b z²} + c/(1 + e^{-dz}), a..d trainable and shared by the whole network. " + _SURVEY_ONLY
    + " a = b = c = d = 1 as defaults.",
    notes="Its sigmoid term alone is the scaled logistic sigmoid; 'naf_sine' is the six-parameter "
    "variant with a sine term.",
)
def naf(x: Tensor, a: Any = 1.0, b: Any = 1.0, c: Any = 1.0, d: Any = 1.0) -> Tensor:
    r""":math:`ae^{-bx^2} + c\sigma(dx)`."""
    return a * torch.exp(-b * (x * x)) + c * torch.sigmoid(d * x)


@activation(
    "naf_sine",
    family="periodic",
    latex=r"a \sin(b x) + c\,e^{-d x^2} + \frac{e}{1 + e^{-f x}}",
    text="a * sin(b * x) + c * exp(-d * x^2) + e * sigmoid(f * x)",
    citation=KUNC_KLEMA_2024,
    params=(
        Param("a", 1.0, "learnable amplitude a of the sine", trainable=True),
        Param("b", 1.0, "learnable frequency b of the sine", trainable=True),
        Param("c", 1.0, "learnable amplitude c of the Gaussian", trainable=True),
        Param("d", 1.0, "learnable width d >= 0 of the Gaussian", low=0.0, trainable=True),
        Param("e", 1.0, "learnable amplitude e of the sigmoid", trainable=True),
        Param("f", 1.0, "learnable slope f of the sigmoid", trainable=True),
    ),
    names=("NAF with sine", "six-parameter NAF"),
    source="Survey §4.28.1: 'another variant of NAF', a sin(bz) + c e^{-dz²} + e/(1 + e^{-fz}) with a..f "
    "trainable, of which SLS-SS is a special case. " + _SURVEY_ONLY + " All parameters 1 as defaults.",
    notes="Sum of a scaled sine, a Gaussian and a scaled logistic sigmoid.",
)
def naf_sine(
    x: Tensor, a: Any = 1.0, b: Any = 1.0, c: Any = 1.0, d: Any = 1.0, e: Any = 1.0, f: Any = 1.0
) -> Tensor:
    r""":math:`a\sin(bx) + ce^{-dx^2} + e\sigma(fx)`."""
    return a * torch.sin(b * x) + c * torch.exp(-d * (x * x)) + e * torch.sigmoid(f * x)


@activation(
    "sls_sine",
    family="periodic",
    latex=r"a \sin(b x) + \frac{c}{1 + e^{-d x}}",
    text="a * sin(b * x) + c * sigmoid(d * x)",
    citation=KUNC_KLEMA_2024,
    params=(
        Param("a", 1.0, "learnable amplitude a of the sine", trainable=True),
        Param("b", 1.0, "learnable frequency b of the sine", trainable=True),
        Param("c", 1.0, "learnable amplitude c of the sigmoid", trainable=True),
        Param("d", 1.0, "learnable slope d of the sigmoid", trainable=True),
    ),
    names=("scaled logistic sigmoid with scaled sine", "SLS-SS"),
    relations=(
        equal_to("sine_sigmoid"),
        special_case_of("naf_sine", a=1.0, b=1.0, c=0.0, d=1.0, e=1.0, f=1.0),
    ),
    source="Survey §4.28.1: SLS-SS, a scaled logistic sigmoid plus a scaled sine with four trainable "
    "parameters, a sin(bz) + c/(1 + e^{-dz}). " + _SURVEY_ONLY + " All parameters 1 as defaults.",
    notes="The same function as the CSS of survey §4.41 ('sine_sigmoid') and naf_sine without its "
    "Gaussian term (c = 0 there).",
)
def sls_sine(x: Tensor, a: Any = 1.0, b: Any = 1.0, c: Any = 1.0, d: Any = 1.0) -> Tensor:
    r""":math:`a\sin(bx) + c\sigma(dx)`."""
    return a * torch.sin(b * x) + c * torch.sigmoid(d * x)


# --------------------------------------------------------------------------- 4.29 - 4.30


@activation(
    "aplu",
    family="rectified",
    latex=r"\max(0, x) + \sum_{s=1}^{2} a_s \max(0, -x + b_s)",
    text="max(0, x) + a1 * max(0, b1 - x) + a2 * max(0, b2 - x)",
    citation=AGOSTINELLI_2015,
    params=(
        Param("a1", 0.0, "learnable slope a_1 of the first hinge", trainable=True),
        Param("b1", -1.0, "learnable location b_1 of the first hinge", trainable=True),
        Param("a2", 0.0, "learnable slope a_2 of the second hinge", trainable=True),
        Param("b2", 1.0, "learnable location b_2 of the second hinge", trainable=True),
    ),
    names=("adaptive piecewise linear unit", "APLU", "APL"),
    survey=("APLU",),
    relations=(equal_to("relu"),),
    kinks=lambda p: (0.0, p["b1"], p["b2"]),
    source="Agostinelli et al. (2015), Eq. 1: h(x) = max(0, x) + Σ_s a_s max(0, -x + b_s), S hinges with "
    "learnable a_s, b_s per unit (survey §4.29). S = 2 here, the smallest number the paper's "
    "experiments use (its CIFAR-100 and Higgs settings; the generic learnable module then learns four "
    "scalars). The paper initialises a_s, b_s at random; here a_s = 0 (the unit starts as ReLU) and "
    "the hinges at -1 and 1.",
    notes="The paper adds an L2 penalty of 0.001 on a_s, b_s (a training choice, not part of f). "
    "More hinges: compose or use a spline unit.",
)
def aplu(x: Tensor, a1: Any = 0.0, b1: Any = -1.0, a2: Any = 0.0, b2: Any = 1.0) -> Tensor:
    r""":math:`\max(0,x) + a_1\max(0, b_1 - x) + a_2\max(0, b_2 - x)`."""
    return torch.relu(x) + a1 * torch.relu(b1 - x) + a2 * torch.relu(b2 - x)


SPLASH_HINGES = (2.5 / 3.0, 5.0 / 3.0, 2.5)  # linspace(0, 2.5, 4) without the hinge at 0


def _check_splash(b1: Any, b2: Any, b3: Any) -> None:
    if _numbers(b1, b2, b3) and not 0 < b1 < b2 < b3:
        raise ValueError(
            f"splash: parameters 'b1', 'b2', 'b3' must satisfy 0 < b1 < b2 < b3, got {b1}, {b2}, {b3}"
        )


def _splash_kinks(p: dict) -> tuple[float, ...]:
    hs = (p["b1"], p["b2"], p["b3"])
    return (0.0, *hs, *(-h for h in hs))


@activation(
    "splash",
    family="rectified",
    latex=r"\sum_{s=0}^{3} a^{+}_s \max(0, x - b_s) + a^{-}_s \max(0, -x - b_s),\ b_0 = 0",
    text="sum over s in 0..3 of ap_s * max(0, x - b_s) + an_s * max(0, -x - b_s), with b_0 := 0",
    citation=TAVAKOLI_2021,
    params=(
        Param("ap0", 1.0, "learnable right slope at hinge 0", trainable=True),
        Param("ap1", 0.0, "learnable right slope at hinge b1", trainable=True),
        Param("ap2", 0.0, "learnable right slope at hinge b2", trainable=True),
        Param("ap3", 0.0, "learnable right slope at hinge b3", trainable=True),
        Param("an0", 0.0, "learnable left slope at hinge 0", trainable=True),
        Param("an1", 0.0, "learnable left slope at hinge -b1", trainable=True),
        Param("an2", 0.0, "learnable left slope at hinge -b2", trainable=True),
        Param("an3", 0.0, "learnable left slope at hinge -b3", trainable=True),
        Param("b1", SPLASH_HINGES[0], "fixed hinge b1 > 0", **_POS),
        Param("b2", SPLASH_HINGES[1], "fixed hinge b2 > b1", **_POS),
        Param("b3", SPLASH_HINGES[2], "fixed hinge b3 > b2", **_POS),
    ),
    names=("simple piecewise linear and adaptive function with symmetric hinges", "SPLASH"),
    survey=("SPLASH",),
    relations=(equal_to("relu"),),
    kinks=_splash_kinks,
    source="Tavakoli, Agostinelli & Baldi (2021): h(x) = Σ_s a+_s max(0, x - b_s) + a-_s max(0, -x - b_s) "
    "with symmetric hinges fixed from the data (not learned) and learnable slopes; S = 7 hinges "
    "'usually works well' (survey §4.30), i.e. (S + 1)/2 = 4 per side including b_0 = 0. Hinge "
    "locations linspace(0, 2.5, 4) and the ReLU initialisation (a+_0 = 1, all others 0) follow a "
    "co-author's public implementation of SPLASH (Agostinelli's PyTorch utilities).",
    notes="Continuous and grounded (f(0) = 0); 8 learnable slopes, 3 fixed hinges (b_0 = 0). "
    "0 < b1 < b2 < b3 is checked.",
)
def splash(
    x: Tensor,
    ap0: Any = 1.0, ap1: Any = 0.0, ap2: Any = 0.0, ap3: Any = 0.0,
    an0: Any = 0.0, an1: Any = 0.0, an2: Any = 0.0, an3: Any = 0.0,
    b1: Any = SPLASH_HINGES[0], b2: Any = SPLASH_HINGES[1], b3: Any = SPLASH_HINGES[2],
) -> Tensor:
    r"""SPLASH with 7 symmetric hinges at :math:`0, \pm b_1, \pm b_2, \pm b_3`."""
    _check_splash(b1, b2, b3)
    out = ap0 * torch.relu(x) + an0 * torch.relu(-x)
    for ap, an, b in ((ap1, an1, b1), (ap2, an2, b2), (ap3, an3, b3)):
        out = out + ap * torch.relu(x - b) + an * torch.relu(-x - b)
    return out
