"""Adaptive sigmoid-based and adaptive sigmoid-weighted units (survey sections 4.3 and 4.4).

Kunc & Kléma (2024) §4.3 collects sigmoids and tanh variants whose slope, amplitude or shape is
learned (Yamada-Yabuta's autotuned sigmoid, the generalized tanh, ASSF, SVAF, TanhSoft, psigmoid,
PSF, STAC-tanh); §4.4 the adaptive relatives of SiLU (AHAF, PSSiLU, ACON, PSGU, TBSReLUl, AQuLU,
ErfAct, pserf, Swim). Every parameter the original work learns is ``trainable=True`` with the
paper's initial value as the default where the paper (or the authors' code) gives one.

Numerics: exponentials of the input are capped where they would overflow the dtype (the capped
branch is exact whenever the saturating function is already saturated there), and a product
``x * g(x)`` whose gate is exactly 0 far left is masked there, so that ``x * g'(x)`` cannot form
``inf * 0`` in the backward pass at the half types' extremes.
"""

from __future__ import annotations

import math
from numbers import Real
from typing import Any

import torch
from torch import Tensor

from actlab.catalog import self_gated as _self_gated  # noqa: F401  (registers swish before the preset of it)
from actlab.catalog.citations import KUNC_KLEMA_2024
from actlab.catalog.registry import activation, preset
from actlab.catalog.sigmoidal import log_of, softplus
from actlab.catalog.spec import Citation, Param, Relation, equal_to, special_case_of

_POS = dict(low=0.0, low_inclusive=False)  # (0, inf)
FAR = -800.0  # below this exponent e^t is 0 in every dtype: gates built on it are exactly 0


def _numbers(*values: Any) -> bool:
    return all(isinstance(v, Real) for v in values)


def exp_capped(t: Tensor) -> Tensor:
    """e^t with the exponent capped 20 below the dtype's overflow point (e^689 in float64, e^68.7 in
    float32). Used inside saturating functions (tanh, erf of a growing exponential), which are
    already saturated at the cap for every parameter value of practical size."""
    lim = math.log(torch.finfo(t.dtype).max) - 20.0
    return torch.exp(torch.where(t > lim, lim, t))


def gated_far(x: Tensor, t: Tensor, value: Tensor) -> Tensor:
    """``value`` (an expression ``x * g``), replaced by ``x * 0`` where the gate argument
    ``t < -800`` (there the gate underflows to 0 in every dtype). The caller computes ``value`` from
    a safe argument (see :func:`safe_left`)."""
    return torch.where(t < FAR, x * 0.0, value)


def safe_left(t: Tensor) -> Tensor:
    """``t`` with the far-left region (t < -800) replaced by 0: the argument fed to a gate that
    :func:`gated_far` discards there."""
    return torch.where(t < FAR, 0.0, t)


# --------------------------------------------------------------------------- citations

YAMADA_YABUTA_1992 = Citation(
    authors="Yamada, T. and Yabuta, T.",
    title="Neural network controller using autotuning method for nonlinear functions",
    year=1992,
    url="https://doi.org/10.1109/72.143373",
    venue="IEEE Transactions on Neural Networks 3(4)",
)
CHEN_CHANG_1996 = Citation(
    authors="Chen, C.-T. and Chang, W.-D.",
    title="A feedforward neural network with function shape autotuning",
    year=1996,
    url="https://doi.org/10.1016/0893-6080(96)00006-8",
    venue="Neural Networks 9(4)",
)
JAGTAP_2020 = Citation(
    authors="Jagtap, A. D. and Kawaguchi, K. and Karniadakis, G. E.",
    title="Adaptive activation functions accelerate convergence in deep and physics-informed neural "
    "networks",
    year=2020,
    arxiv="1906.01170",
    venue="Journal of Computational Physics 404",
)
BISWAS_TANHSOFT_2020 = Citation(
    authors="Biswas, K. and Kumar, S. and Banerjee, S. and Pandey, A. K.",
    title="TanhSoft -- a family of activation functions combining Tanh and Softplus",
    year=2020,
    arxiv="2009.03863",
)
MA_ACON_2021 = Citation(
    authors="Ma, N. and Zhang, X. and Liu, M. and Sun, J.",
    title="Activate or Not: Learning Customized Activation",
    year=2021,
    arxiv="2009.04759",
    venue="CVPR",
)
BODYANSKIY_KOSTIUK_2022 = Citation(
    authors="Bodyanskiy, Y. and Kostiuk, S.",
    title="Adaptive hybrid activation function for deep neural networks",
    year=2022,
    url="https://doi.org/10.20535/SRIT.2308-8893.2022.1.07",
    venue="System Research and Information Technologies",
)
DAI_2021 = Citation(
    authors="Dai, S. and Mahloujifar, S. and Mittal, P.",
    title="Parameterizing Activation Functions for Adversarial Robustness",
    year=2021,
    arxiv="2110.05626",
)
WU_AQULU_2023 = Citation(
    authors="Wu, Z. and Yu, H. and Zhang, L. and Sui, Y.",
    title="The Adaptive Quadratic Linear Unit (AQuLU): Adaptive Non Monotonic Piecewise Activation "
    "Function",
    year=2023,
    url="https://doi.org/10.17559/TV-20230614000735",
    venue="Tehnički vjesnik 30(5)",
)
BISWAS_ERFACT_2021 = Citation(
    authors="Biswas, K. and Kumar, S. and Banerjee, S. and Pandey, A. K.",
    title="ErfAct and Pserf: Non-monotonic Smooth Trainable Activation Functions",
    year=2021,
    arxiv="2109.04386",
    venue="AAAI 2022",
)
ABDOOL_DEAR_2023 = Citation(
    authors="Abdool, M. and Dear, T.",
    title="Swim: A General-Purpose, High-Performing, and Efficient Activation Function for Locomotion "
    "Control Tasks",
    year=2023,
    arxiv="2303.02640",
)

_SURVEY_ONLY = (
    "The original paper could not be read here (only its citation through the survey): the formula "
    "is the survey's, as printed identically by two independent transcriptions of it (torch-activation "
    "1.0.0 and a third-party PyTorch transcription of the survey's Section 4)."
)

# --------------------------------------------------------------------------- 4.3 sigmoid-based


@activation(
    "yamada_yabuta_sigmoid",
    family="sigmoidal",
    latex=r"\frac{2}{a}\,\frac{1 - e^{-a x}}{1 + e^{-a x}} = \frac{2}{a}\tanh\!\left(\frac{a x}{2}\right)",
    text="2 * (1 - exp(-a * x)) / (a * (1 + exp(-a * x))) = (2 / a) * tanh(a * x / 2)",
    citation=YAMADA_YABUTA_1992,
    params=(Param("a", 1.0, "shape a: amplitude 2/a and slope a/2 of tanh at once", trainable=True, **_POS),),
    names=("Yamada-Yabuta autotuned sigmoid", "autotuned sigmoid", "sigmoid with shape autotuning"),
    survey=("Yamada-Yabuta autotuned sigmoid",),
    relations=(special_case_of("stanh", a=2.0, b=0.5), equal_to("rescaled_sigmoid")),
    source="Yamada & Yabuta (1992), the autotuned sigmoid; the survey §4.3 prints "
    "2(1 - e^{-az}) / (a(1 + e^{-az})) with a in (0, inf) learnable (both transcriptions of the survey "
    "agree). a = 1 as the neutral start (the paper tunes a online). DOI from the survey's "
    "bibliography, not opened here.",
    notes="One parameter sets amplitude and slope together: the slope at 0 is always 1, the range is "
    "(-2/a, 2/a). Evaluated as (2/a) tanh(ax/2), which is exact and does not overflow. At a = 1 it "
    "is 2 tanh(x/2) = stanh(a=2, b=1/2) = 4σ(x) - 2, the survey's fixed scaled logistic sigmoid.",
)
def yamada_yabuta_sigmoid(x: Tensor, a: Any = 1.0) -> Tensor:
    r""":math:`\frac{2}{a}\frac{1 - e^{-ax}}{1 + e^{-ax}} = \frac{2}{a}\tanh(ax/2)`."""
    return torch.tanh(a * x * 0.5) * (2.0 / a)


@activation(
    "generalized_tanh",
    family="sigmoidal",
    latex=r"a\,\frac{1 - e^{-b x}}{1 + e^{-b x}} = a \tanh\!\left(\frac{b x}{2}\right)",
    text="a * (1 - exp(-b * x)) / (1 + exp(-b * x)) = a * tanh(b * x / 2)",
    citation=CHEN_CHANG_1996,
    params=(
        Param("a", 1.0, "amplitude a (learnable per neuron)", trainable=True, **_POS),
        Param("b", 1.0, "slope b (learnable per neuron)", trainable=True, **_POS),
    ),
    names=("generalized hyperbolic tangent", "GeneralizedHyperbolicTangent"),
    survey=("generalized tanh",),
    relations=(special_case_of("stanh", a=1.0, b=0.5),),
    source="Chen & Chang (1996), function shape autotuning; the survey §4.3.1 prints "
    "a (1 - e^{-bz}) / (1 + e^{-bz}) with a_i, b_i learnable per neuron. Defaults a = b = 1 (the plain "
    "bipolar sigmoid this generalises); the paper's initial values are not recoverable here.",
    notes="a tanh(bx/2), i.e. LeCun's stanh with b halved; LeCun's fixed 1.7159 tanh(2x/3) is "
    "generalized_tanh(a=1.7159, b=4/3).",
)
def generalized_tanh(x: Tensor, a: Any = 1.0, b: Any = 1.0) -> Tensor:
    r""":math:`a\frac{1 - e^{-bx}}{1 + e^{-bx}} = a\tanh(bx/2)`."""
    return torch.tanh(b * x * 0.5) * a


@activation(
    "assf",
    family="sigmoidal",
    latex=r"\sigma(a x)",
    text="sigmoid(a * x)",
    citation=KUNC_KLEMA_2024,
    params=(Param("a", 1.0, "global learnable slope a", trainable=True, **_POS),),
    names=("adaptive slope sigmoidal function", "ASSF"),
    survey=("ASSF",),
    relations=(equal_to("sigmoid"),),
    source="Survey §4.3.3: σ(az) with a global trainable slope (after Yamada & Yabuta; rediscovered by "
    "Mercioni, Tiron & Holban). " + _SURVEY_ONLY + " a = 1 starts at the logistic sigmoid.",
    notes="The logistic sigmoid with one learnable slope for the whole network.",
)
def assf(x: Tensor, a: Any = 1.0) -> Tensor:
    r""":math:`\sigma(ax)`."""
    return torch.sigmoid(a * x)


@activation(
    "adaptive_slope_tanh",
    family="sigmoidal",
    latex=r"\tanh(a x)",
    text="tanh(a * x)",
    citation=JAGTAP_2020,
    params=(Param("a", 1.0, "learnable slope a", trainable=True, **_POS),),
    names=("adaptive slope hyperbolic tangent", "AdaptiveSlopeTanh"),
    survey=("adaptive slope tanh",),
    relations=(equal_to("tanh"),),
    source="Jagtap, Kawaguchi & Karniadakis (2020): tanh(n a x) with a learnable slope a (n a fixed "
    "scale factor, here n = 1, i.e. absorbed in a); survey §4.17 prints tanh(a_i z). a = 1 starts at "
    "tanh (the paper initialises n a = 1).",
    notes="The same function as SVAF (see the 'svaf' preset); the paper's fixed factor n >= 1, which "
    "speeds up learning of a, is a property of the optimisation (scale the learned value), not of f.",
)
def adaptive_slope_tanh(x: Tensor, a: Any = 1.0) -> Tensor:
    r""":math:`\tanh(ax)`."""
    return torch.tanh(a * x)


preset(
    "svaf",
    of="adaptive_slope_tanh",
    params={},
    latex=r"\tanh(a x)",
    text="tanh(a * x)",
    citation=KUNC_KLEMA_2024,
    source="Survey §4.3.4: the slope varying activation function tanh(az) with one global trainable a, "
    "proposed together with a two-learning-rate backpropagation. " + _SURVEY_ONLY,
    names=("slope varying activation function", "SVAF"),
    survey=("SVAF",),
    notes="Literally adaptive_slope_tanh (tanh with a learnable slope); kept as its own name for the "
    "survey row, whose original paper is cited only through the survey here.",
)


@activation(
    "tanhsoft",
    family="self_gated",
    latex=r"\tanh(a x + b e^{c x})\,\ln(d + e^x)",
    text="tanh(a * x + b * exp(c * x)) * log(d + exp(x))",
    citation=BISWAS_TANHSOFT_2020,
    params=(
        Param("a", 0.87, "linear coefficient a (a <= 1)", high=1.0, trainable=True),
        Param("b", 0.0, "weight b of the exponential (b >= 0)", low=0.0, trainable=True),
        Param("c", 1.0, "rate c of the exponential (c > 0)", trainable=True, **_POS),
        Param("d", 1.0, "offset d inside the logarithm (0 <= d <= 1)", low=0.0, high=1.0, trainable=True),
    ),
    names=("TanhSoft", "TanhSoft family"),
    survey=("TanhSoft (-1/-2/-3)",),
    source="Biswas et al. (2020), arXiv 2009.03863: the family tanh(αx + βe^{γx}) ln(δ + e^x) with "
    "α <= 1, β >= 0, γ > 0, 0 <= δ <= 1 (survey §4.3.5 prints the same). Defaults α = 0.87, β = 0, "
    "γ = 1, δ = 1: the abstract's best CIFAR-100 member tanh(0.87x) ln(1 + e^x) (= tanhsoft1).",
    notes="The survey row 'TanhSoft (-1/-2/-3)' resolves to this family entry; its three named members "
    "are tanhsoft1, tanhsoft2, tanhsoft3. The arXiv version tunes α..δ as hyper-parameters; the "
    "survey lists them as trainable or fixed, and trainable=True here. ln(d + e^x) is evaluated as "
    "logaddexp(x, ln d) (exact also for d = 0, where it is x). The exponential inside tanh is capped "
    "20 below the dtype's overflow, where tanh is 1 for any b >= e^-660 (float64).",
)
def tanhsoft(x: Tensor, a: Any = 0.87, b: Any = 0.0, c: Any = 1.0, d: Any = 1.0) -> Tensor:
    r""":math:`\tanh(ax + be^{cx})\ln(d + e^x)`."""
    logd = log_of(d)
    logd = logd if isinstance(logd, Tensor) else torch.tensor(logd, dtype=x.dtype, device=x.device)
    return torch.tanh(a * x + b * exp_capped(c * x)) * torch.logaddexp(x, logd)


@activation(
    "tanhsoft1",
    family="self_gated",
    latex=r"\tanh(a x)\,\ln(1 + e^x)",
    text="tanh(a * x) * softplus(x)",
    citation=BISWAS_TANHSOFT_2020,
    params=(Param("a", 0.87, "learnable slope a of the tanh (a <= 1)", high=1.0, trainable=True),),
    names=("TanhSoft-1", "TanhSoft1"),
    relations=(special_case_of("tanhsoft", a=0.87, b=0.0, c=1.0, d=1.0),),
    source="Biswas et al. (2020): TanhSoft-1 = tanh(αx) ln(1 + e^x), the family at β = 0, δ = 1; "
    "α = 0.87 from the abstract's best CIFAR-100 result (survey §4.3.5: α trainable).",
    notes="Non-monotonic for α > 0 (negative dip left of 0), unbounded above like softplus.",
)
def tanhsoft1(x: Tensor, a: Any = 0.87) -> Tensor:
    r""":math:`\tanh(ax)\ln(1 + e^x)`."""
    return torch.tanh(a * x) * softplus(x)


@activation(
    "tanhsoft2",
    family="self_gated",
    latex=r"x \tanh(b e^{c x})",
    text="x * tanh(b * exp(c * x))",
    citation=BISWAS_TANHSOFT_2020,
    params=(
        Param("b", 0.6, "learnable weight b of the exponential", low=0.0, trainable=True),
        Param("c", 1.0, "learnable rate c of the exponential", trainable=True, **_POS),
    ),
    names=("TanhSoft-2", "TanhSoft2"),
    relations=(
        special_case_of("tanhsoft", a=0.0, b=0.6, c=1.0, d=0.0),
        Relation("related", "tanhexp", note="tanhexp is tanhsoft2(b=1, c=1)"),
    ),
    source="Biswas et al. (2020): TanhSoft-2 = x tanh(βe^{γx}), the family at α = 0, δ = 0; "
    "β = 0.6, γ = 1 from the abstract's best CIFAR-10 result x tanh(0.6 e^x) (survey §4.3.5: β, γ "
    "trainable).",
    notes="At β = γ = 1 this is TanhExp (x tanh(e^x)), proposed separately. The exponential is capped "
    "below overflow (tanh is 1 there) and the far-left product is masked where the gate is 0.",
)
def tanhsoft2(x: Tensor, b: Any = 0.6, c: Any = 1.0) -> Tensor:
    r""":math:`x\tanh(be^{cx})`."""
    t = c * x
    return gated_far(x, t, x * torch.tanh(b * exp_capped(safe_left(t))))


@activation(
    "tanhsoft3",
    family="smooth_rectifier",
    latex=r"\ln\!\left(1 + e^x \tanh(a x)\right)",
    text="log(1 + exp(x) * tanh(a * x))",
    citation=BISWAS_TANHSOFT_2020,
    params=(
        Param("a", 1.0, "learnable slope a of the tanh (0 <= a <= 1)", low=0.0, high=1.0, trainable=True),
    ),
    names=("TanhSoft-3", "TanhSoft3"),
    source="Biswas et al., TanhSoft: TanhSoft-3 = ln(1 + e^x tanh(αx)) with α trainable (survey "
    "§4.3.5; both transcriptions of the survey print this form). Not a member of the arXiv family "
    "(the survey's 'b = 0, d = 1' for it repeats TanhSoft-1's and is a typo). α = 1 is our choice "
    "(no initial value recoverable here); the range is [0, 1]: α <= 1 from the family, α >= 0 because "
    "for α < 0 the argument of ln becomes negative for x > 0.",
    notes="For x > 20 evaluated as x + logaddexp(ln tanh(αx), -x) (no overflow, exact 0 at α = 0), "
    "otherwise as "
    "log1p(e^x tanh(αx)); e^x tanh(αx) > -1 for every x when α >= 0.",
)
def tanhsoft3(x: Tensor, a: Any = 1.0) -> Tensor:
    r""":math:`\ln(1 + e^x\tanh(ax))`."""
    big = x > 20.0
    xb = torch.where(big, x, 20.0)
    xs = torch.where(big, 0.0, x)
    high = xb + torch.logaddexp(torch.log(torch.tanh(a * xb)), -xb)
    low = torch.log1p(torch.exp(xs) * torch.tanh(a * xs))
    return torch.where(big, high, low)


@activation(
    "amplitude_slope_sigmoid",
    family="sigmoidal",
    latex=r"a\,\sigma(b x)",
    text="a * sigmoid(b * x)",
    citation=KUNC_KLEMA_2024,
    params=(
        Param("a", 1.0, "amplitude a (learnable per neuron or channel)", trainable=True, **_POS),
        Param("b", 1.0, "slope b (global, learnable)", trainable=True, **_POS),
    ),
    names=("psigmoid", "parametric sigmoid", "PSigmoid"),
    survey=("psigmoid",),
    relations=(equal_to("sigmoid"),),
    source="Survey §4.3.6: psigmoid a_i σ(b z), a_i per neuron or channel, b global, both trainable "
    "(first proposed in 2010 and independently in 2021, per the survey). " + _SURVEY_ONLY
    + " a = b = 1 starts at the logistic sigmoid.",
    notes="Not the PSF ('power_sigmoid', σ(x)^m), whose printed name 'parametric sigmoid function' is "
    "close, nor the fixed 'scaled sigmoid' 4σ(x) − 2 of §3.2. The scaled logistic sigmoid "
    "of survey §4.28 is the same function ('scaled_logistic_sigmoid').",
)
def amplitude_slope_sigmoid(x: Tensor, a: Any = 1.0, b: Any = 1.0) -> Tensor:
    r""":math:`a\,\sigma(bx)`."""
    return torch.sigmoid(b * x) * a


preset(
    "scaled_logistic_sigmoid",
    of="amplitude_slope_sigmoid",
    params={},
    latex=r"\frac{a}{1 + e^{-b x}}",
    text="a / (1 + exp(-b * x))",
    citation=KUNC_KLEMA_2024,
    source="Survey §4.28.1: the scaled logistic sigmoid a_i / (1 + e^{-b_i z}) with a_i, b_i trainable "
    "per neuron; the survey notes it is the second term of NAF. " + _SURVEY_ONLY,
    names=("scaled logistic sigmoid", "ScaledLogisticSigmoid", "SLS"),
    survey=("scaled logistic sigmoid (+SLS-SS)",),
    notes="Literally psigmoid's a σ(bx) (here both parameters per neuron). Its sine extension SLS-SS is "
    "'sls_sine'. The survey row 'scaled logistic sigmoid (+SLS-SS)' resolves here; its '(+SLS-SS)' "
    "part also names sls_sine, so 'SLS-SS' alone lists both.",
)


@activation(
    "power_sigmoid",
    family="sigmoidal",
    latex=r"\frac{1}{(1 + e^{-x})^m} = \sigma(x)^m",
    text="sigmoid(x)^m = exp(-m * softplus(-x))",
    citation=KUNC_KLEMA_2024,
    params=(Param("m", 1.0, "global learnable exponent m", trainable=True, **_POS),),
    names=("parametric sigmoid function", "PSF"),
    survey=("PSF",),
    relations=(equal_to("sigmoid"),),
    source="Survey §4.3.7: PSF(z) = (1 + e^{-z})^{-m}, m a global trainable parameter. "
    + _SURVEY_ONLY + " m = 1 starts at the logistic sigmoid. The survey notes that the original paper "
    "states an equivalent definition with a rescaled input.",
    notes="Evaluated as exp(-m softplus(-x)) (no overflow, accurate in both tails). Larger m moves the "
    "point of maximal slope right. Not psigmoid ('amplitude_slope_sigmoid').",
)
def power_sigmoid(x: Tensor, m: Any = 1.0) -> Tensor:
    r""":math:`(1 + e^{-x})^{-m}`."""
    return torch.exp(-m * softplus(-x))


def _stac_kinks(p: dict) -> tuple[float, ...]:
    return (-p["a"], p["a"])


@activation(
    "stac_tanh",
    family="sigmoidal",
    latex=r"\tanh(x)\ (|x| \le a);\ \pm\tanh(a) + b(x \mp a)\ (\pm x > a)",
    text="tanh(a) + b*(x - a) if x > a; tanh(x) if -a <= x <= a; -tanh(a) + b*(x + a) if x < -a",
    citation=KUNC_KLEMA_2024,
    params=(
        Param("a", 1.0, "learnable threshold a > 0 where the linear tails start", trainable=True, **_POS),
        Param("b", 0.1, "learnable slope b of the linear tails", trainable=True),
    ),
    names=("slope and threshold adaptive activation function with tanh", "STAC-tanh", "STACTanh"),
    survey=("STAC-tanh",),
    kinks=_stac_kinks,
    source="Survey §4.3.8: tanh inside [-a, a], continued by lines of slope b outside (the tanh "
    "counterpart of the improved logistic sigmoid), a and b trainable. " + _SURVEY_ONLY
    + " Defaults a = 1, b = 0.1 as in both transcriptions; the paper's initial values are not "
    "recoverable here.",
    notes="Continuous; the derivative jumps at ±a (from sech²(a) to b) unless b = sech²(a).",
)
def stac_tanh(x: Tensor, a: Any = 1.0, b: Any = 0.1) -> Tensor:
    r""":math:`\tanh x` on :math:`[-a, a]`, :math:`\pm\tanh a + b(x \mp a)` outside."""
    ta = torch.tanh(a) if isinstance(a, Tensor) else math.tanh(a)
    right = ta + b * (x - a)
    left = -ta + b * (x + a)
    return torch.where(x > a, right, torch.where(x < -a, left, torch.tanh(x)))


# --------------------------------------------------------------------------- 4.4 sigmoid-weighted

@activation(
    "ahaf",
    family="self_gated",
    latex=r"\beta\, x\, \sigma(\gamma x)",
    text="beta * x * sigmoid(gamma * x)",
    citation=BODYANSKIY_KOSTIUK_2022,
    params=(
        Param("beta", 1.0, "learnable output scale β", trainable=True),
        Param("gamma", 1.0, "learnable gate slope γ", trainable=True),
    ),
    names=("adaptive hybrid activation function", "AHAF"),
    survey=("AHAF",),
    relations=(equal_to("silu"),),
    source="Bodyanskiy & Kostiuk (2022); authors' code (s-kostyuk/leaf-aaf, adaptive_afs/cont/ahaf.py): "
    "y = (β u) σ(γ u) with β, γ learnable per neuron, initialised 'as SiLU' (β = γ = 1) or 'as ReLU' "
    "(β = 1, γ = 2^16). The SiLU initialisation is the default here (survey §4.4.2: a z σ(b z)).",
    notes="Swish with a learnable output scale; γ → ∞ gives β ReLU.",
)
def ahaf(x: Tensor, beta: Any = 1.0, gamma: Any = 1.0) -> Tensor:
    r""":math:`\beta x \sigma(\gamma x)`."""
    return x * torch.sigmoid(gamma * x) * beta


@activation(
    "pssilu",
    family="self_gated",
    latex=r"x\,\frac{\sigma(a x) - b}{1 - b}",
    text="x * (sigmoid(a * x) - b) / (1 - b)",
    citation=DAI_2021,
    params=(
        Param("a", 1.0, "learnable gate slope a", trainable=True, low=0.0),
        Param(
            "b", 0.0, "learnable shift b in [0, 1)", low=0.0, high=1.0, high_inclusive=False, trainable=True
        ),
    ),
    names=("parametric shifted SiLU", "parametric shifted sigmoidal linear unit", "PSSiLU"),
    survey=("PSSiLU",),
    relations=(equal_to("silu"),),
    source="Dai, Mahloujifar & Mittal (2021): PSSiLU(x) = x (σ(αx) - β)/(1 - β), α, β learnable. The "
    "authors' models (RobustBench entry Dai2021Parameterizing) initialise α = 1, β = 1e-8 and use |α|, "
    "|β|; here α >= 0 and 0 <= β < 1 are ranges and β starts at 0 (SiLU), so that the default is "
    "exactly SiLU. Survey §4.4.3 prints the same formula.",
    notes="β > 0 makes the output positive for negative inputs near 0 ('positive outputs on negative "
    "inputs' is what the paper found helps robustness).",
)
def pssilu(x: Tensor, a: Any = 1.0, b: Any = 0.0) -> Tensor:
    r""":math:`x\,(\sigma(ax) - b)/(1 - b)`."""
    return x * (torch.sigmoid(a * x) - b) / (1.0 - b)


@activation(
    "acon_b",
    family="self_gated",
    latex=r"(1 - p)\,x\,\sigma(\beta (1 - p) x) + p\,x",
    text="(1 - p) * x * sigmoid(beta * (1 - p) * x) + p * x",
    citation=MA_ACON_2021,
    params=(
        Param("beta", 1.0, "learnable switching factor β", trainable=True),
        Param("p", 0.25, "learnable lower slope p", trainable=True),
    ),
    names=("ACON-B", "ACONB"),
    survey=("ACON-B",),
    source="Ma et al. (2021), ACON-B = S_β(x, px), the smooth maximum of x and px: "
    "(1 - p) x σ(β(1 - p)x) + px. p = 0.25 and β = 1 (survey §4.4.5: p initialised to 0.25; the "
    "paper gives no initial β for ACON-B, 1 as for ACON-C).",
    notes="β → ∞ gives the leaky ReLU max(x, px); β = 0 the line (1 + p)x/2.",
)
def acon_b(x: Tensor, beta: Any = 1.0, p: Any = 0.25) -> Tensor:
    r""":math:`(1-p)x\sigma(\beta(1-p)x) + px`."""
    q = 1.0 - p
    return q * x * torch.sigmoid(beta * q * x) + p * x


@activation(
    "acon_c",
    family="self_gated",
    latex=r"(p_1 - p_2)\,x\,\sigma(\beta (p_1 - p_2) x) + p_2\,x",
    text="(p1 - p2) * x * sigmoid(beta * (p1 - p2) * x) + p2 * x",
    citation=MA_ACON_2021,
    params=(
        Param("beta", 1.0, "learnable switching factor β", trainable=True),
        Param("p1", 1.0, "learnable upper slope p1", trainable=True),
        Param("p2", 0.0, "learnable lower slope p2", trainable=True),
    ),
    names=("ACON-C", "ACONC"),
    survey=("ACON-C",),
    relations=(equal_to("silu"),),
    source="Ma et al. (2021), ACON-C = S_β(p1 x, p2 x); initial p1 = 1, p2 = 0, β = 1 as in the survey "
    "§4.4.6 (the official code draws p1, p2 at random).",
    notes="β = 1, p1 = 1, p2 = 0 is SiLU; meta-ACON (β from a small network) is not elementwise and "
    "not here.",
)
def acon_c(x: Tensor, beta: Any = 1.0, p1: Any = 1.0, p2: Any = 0.0) -> Tensor:
    r""":math:`(p_1-p_2)x\sigma(\beta(p_1-p_2)x) + p_2x`."""
    q = p1 - p2
    return q * x * torch.sigmoid(beta * q * x) + p2 * x


@activation(
    "psgu",
    family="self_gated",
    latex=r"x \tanh(a\,\sigma(x))",
    text="x * tanh(a * sigmoid(x))",
    citation=KUNC_KLEMA_2024,
    params=(Param("a", 0.5, "learnable scale a of the gate", trainable=True),),
    names=("parameterized self-circulating gating unit", "PSGU", "TSReLUl", "TSReLU learnable"),
    survey=("PSGU (=TSReLUl)",),
    source="Survey §4.4.7: PSGU (Li et al., 'PSGU: Parametric self-circulation gating unit for deep "
    "neural networks') x tanh(a σ(x)), a learnable; the same function as TSReLUl (Mercioni, Tat & "
    "Holban), who initialise a = 0.5 (default here). " + _SURVEY_ONLY + " The PSGU paper's abstract page was "
    "found (discovery.researcher.life, title matches) but shows neither authors nor year, so the citation "
    "stays on the survey.",
    notes="At a = 1 it is the fixed TSReLU x tanh(σ(x)).",
)
def psgu(x: Tensor, a: Any = 0.5) -> Tensor:
    r""":math:`x\tanh(a\sigma(x))`."""
    return x * torch.tanh(a * torch.sigmoid(x))


@activation(
    "tbsrelul",
    family="self_gated",
    latex=r"x \tanh\!\left(a\,\frac{1 - e^{-x}}{1 + e^{-x}}\right)",
    text="x * tanh(a * tanh(x / 2))",
    citation=KUNC_KLEMA_2024,
    params=(Param("a", 0.5, "learnable scale a of the bipolar-sigmoid gate", trainable=True),),
    names=("tangent-bipolar-sigmoid ReLU learnable", "TBSReLUl"),
    survey=("TBSReLUl",),
    source="Survey §4.4.8: TBSReLUl (Mercioni, Tat & Holban) x tanh(a (1 - e^{-x})/(1 + e^{-x})), "
    "a learnable, initial value 0.5. " + _SURVEY_ONLY,
    notes="(1 - e^{-x})/(1 + e^{-x}) = tanh(x/2) is used for evaluation. At a = 1 it is the fixed "
    "TBSReLU.",
)
def tbsrelul(x: Tensor, a: Any = 0.5) -> Tensor:
    r""":math:`x\tanh(a\tanh(x/2))`."""
    return x * torch.tanh(a * torch.tanh(0.5 * x))


def _aqulu_kinks(p: dict) -> tuple[float, ...]:
    return (-p["b"] / p["a"], (1.0 - p["b"]) / p["a"])


@activation(
    "aqulu",
    family="self_gated",
    latex=r"x\ (x \ge \tfrac{1-b}{a});\ a x^2 + b x\ (-\tfrac{b}{a} \le x < \tfrac{1-b}{a});"
    r"\ 0\ (x < -\tfrac{b}{a})",
    text="x if x >= (1 - b)/a; a*x^2 + b*x if -b/a <= x < (1 - b)/a; 0 if x < -b/a",
    citation=WU_AQULU_2023,
    params=(
        Param("a", 0.2, "learnable slope a of the hard gate", trainable=True, **_POS),
        Param("b", 0.5, "learnable offset b of the hard gate", low=0.0, high=1.0, trainable=True),
    ),
    names=("adaptive quadratic linear unit", "AQuLU"),
    survey=("AQuLU",),
    kinks=_aqulu_kinks,
    source="Wu et al. (2023): x·Φ(x) with the gate Φ 'hardened' to clip(ax + b, 0, 1), a and b trainable "
    "per neuron; the piecewise form is the survey's §4.4.10. The paper's initial values are not "
    "recoverable here; a = 0.2, b = 0.5 make Φ the common hard sigmoid clip(0.2x + 0.5, 0, 1) "
    "(the two survey transcriptions print different, unsourced values).",
    notes="Continuous, non-monotonic (negative between -b/a and 0); the derivative jumps at both "
    "breakpoints. b in [0, 1] keeps the gate's value at 0 inside [0, 1].",
)
def aqulu(x: Tensor, a: Any = 0.2, b: Any = 0.5) -> Tensor:
    r""":math:`x\cdot\mathrm{clip}(ax + b, 0, 1)` written piecewise."""
    lo = -b / a
    hi = (1.0 - b) / a
    return torch.where(x >= hi, x, torch.where(x >= lo, a * x * x + b * x, x * 0.0))


@activation(
    "erfact",
    family="self_gated",
    latex=r"x \operatorname{erf}(a e^{b x})",
    text="x * erf(a * exp(b * x))",
    citation=BISWAS_ERFACT_2021,
    params=(
        Param("a", 0.75, "learnable scale α", trainable=True, **_POS),
        Param("b", 0.75, "learnable rate β", trainable=True, low=0.0),
    ),
    names=("ErfAct",),
    survey=("ErfAct",),
    source="Biswas et al. (2021): ErfAct(x) = x erf(α e^{βx}), α, β trainable; initial α = β = 0.75 "
    "(the paper's experiments; the same values in a third-party reproduction, while the two survey "
    "transcriptions print unsourced defaults). Survey §4.4.12 prints the same formula.",
    notes="The exponential is capped below overflow (erf is 1 there) and the product is masked far "
    "left (βx < -800), where the gate is 0.",
)
def erfact(x: Tensor, a: Any = 0.75, b: Any = 0.75) -> Tensor:
    r""":math:`x\,\mathrm{erf}(\alpha e^{\beta x})`."""
    t = b * x
    return gated_far(x, t, x * torch.erf(a * exp_capped(safe_left(t))))


@activation(
    "pserf",
    family="self_gated",
    latex=r"x \operatorname{erf}(a \ln(1 + e^{b x}))",
    text="x * erf(a * softplus(b * x))",
    citation=BISWAS_ERFACT_2021,
    params=(
        Param("a", 1.25, "learnable scale γ", trainable=True, **_POS),
        Param("b", 0.85, "learnable rate δ", trainable=True, **_POS),
    ),
    names=("parametric serf", "Pserf", "PSerf"),
    survey=("pserf",),
    relations=(Relation("related", "serf", note="serf is pserf(a=1, b=1)"),),
    source="Biswas et al. (2021): Pserf(x) = x erf(γ ln(1 + e^{δx})), γ, δ trainable; initial "
    "γ = 1.25, δ = 0.85 (paper's experiments; same in a third-party reproduction). Survey §4.4.13 prints "
    "the same formula.",
    notes="γ = δ = 1 is serf. The product is masked far left (δx < -800), where the gate is 0.",
)
def pserf(x: Tensor, a: Any = 1.25, b: Any = 0.85) -> Tensor:
    r""":math:`x\,\mathrm{erf}(\gamma\ln(1 + e^{\delta x}))`."""
    t = b * x
    return gated_far(x, t, x * torch.erf(a * softplus(safe_left(t))))


def _one_plus_a_t(x: Tensor, a: Any) -> Tensor:
    """1 + a x/sqrt(1 + x^2), written (1 - a) + a u with u = 1 + x/sqrt(1 + x^2) evaluated without
    cancellation for x < -1 (u = x^-2 / (g (g + 1)), g = sqrt(1 + x^-2)) and without overflow."""
    left = x < -1.0
    xl = torch.where(left, x, -1.0)
    xr = torch.where(left, 0.0, x)
    inv2 = (1.0 / xl) ** 2
    g = torch.sqrt(1.0 + inv2)
    u_left = inv2 / (g * (g + 1.0))
    big = xr.abs() > 1.0
    xb = torch.where(big, xr, 1.0)
    xs = torch.where(big, 0.0, xr)
    t = torch.where(big, torch.sign(xb) * torch.rsqrt(1.0 + (1.0 / xb) ** 2), xs * torch.rsqrt(1.0 + xs * xs))
    u = torch.where(left, u_left, 1.0 + t)
    return (1.0 - a) + a * u


@activation(
    "swim",
    family="self_gated",
    latex=r"\frac{x}{2}\left(1 + \frac{a x}{\sqrt{1 + x^2}}\right)",
    text="x / 2 * (1 + a * x / sqrt(1 + x^2))",
    citation=ABDOOL_DEAR_2023,
    params=(Param("a", 0.5, "gate scale a (fixed or trainable)", trainable=True),),
    names=("Swim",),
    survey=("Swim",),
    source="Abdool & Dear (2023): Swim = x/2 (1 + a x/√(1 + x²)); the paper uses a fixed a = 0.5 "
    "(default here), the survey §4.4.14 lists a as fixed or trainable.",
    notes="a = 1 is PFLU (x/2 (1 + x/√(1 + x²))), of which Swim is the adaptive variant.",
)
def swim(x: Tensor, a: Any = 0.5) -> Tensor:
    r""":math:`\frac{x}{2}(1 + ax/\sqrt{1 + x^2})`."""
    return 0.5 * x * _one_plus_a_t(x, a)
