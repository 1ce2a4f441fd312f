"""Adaptive rectified units of the survey's section 4.2 (Kunc & Kléma 2024): ReLU and PReLU
relatives whose slopes, shifts or thresholds are learned, and the tanh-, swish- and mish-based
rectifiers of the same section.

Every parameter the original work learns is ``trainable=True`` (``actlab.get(name,
trainable=True)`` learns exactly those, one value per layer or, with ``num_parameters=C``, per
channel). Parameters may be Python numbers or tensors broadcasting against ``x``.

Conventions: at a kink the derivative is the one PyTorch's ReLU/LeakyReLU use (the branch taken
where the condition ``x > threshold`` is false). Constant branches sit under a condition that is
false for NaN, so NaN inputs give NaN.
"""

from __future__ import annotations

import math
from numbers import Real
from typing import Any

import torch

import actlab.catalog.relu_variants  # noqa: F401  (registers slrelu and vlu, which presets here fix)
from actlab.catalog.citations import (
    GUPTA_AHUJA_2021,
    IDENTIFIED_NOT_READ,
    KUNC_KLEMA_2024,
    MERCIONI_HOLBAN_2021,
    WANG_XU_ZHU_2022,
)
from actlab.catalog.elu_variants import DUAN_2021
from actlab.catalog.exponential import YING_2019, expm1
from actlab.catalog.registry import activation, preset
from actlab.catalog.sigmoidal import softplus
from actlab.catalog.spec import Citation, Param, Relation, equal_to, special_case_of

Tensor = torch.Tensor

# ------------------------------------------------------------------------------------ citations

SHEN_2022_TANHLU = Citation(
    authors="Shen, S.-L. and Zhang, N. and Zhou, A. and Yin, Z.-Y.",
    title="Enhancement of neural networks with an alternative activation function tanhLU",
    year=2022,
    url="https://doi.org/10.1016/j.eswa.2022.117181",
    venue="Expert Systems with Applications 199",
)
WANG_2019_RELTANH = Citation(
    authors="Wang, X. and Qin, Y. and Wang, Y. and Xiang, S. and others",
    title="ReLTanh: An activation function with vanishing gradient resistance for SAE-based DNNs and its "
    "application to rotating machinery fault diagnosis",
    year=2019,
    url="https://qinyi-team.github.io/2019/12/ReLTanh-DNN/",
    venue="Neurocomputing",
)
LIU_2020_REACTNET = Citation(
    authors="Liu, Z. and Shen, Z. and Savvides, M. and Cheng, K.-T.",
    title="ReActNet: Towards Precise Binary Neural Network with Generalized Activation Functions",
    year=2020,
    arxiv="2003.03488",
    venue="ECCV",
)
HEO_2019 = Citation(
    authors="Heo, B. and Kim, J. and Yun, S. and Park, H. and Kwak, N. and Choi, J. Y.",
    title="A Comprehensive Overhaul of Feature Distillation",
    year=2019,
    arxiv="1904.01866",
    venue="ICCV",
)
MANIATOPOULOS_2021 = Citation(
    authors="Maniatopoulos, A. and Mitianoudis, N.",
    title="Learnable Leaky ReLU (LeLeLU): An Alternative Accuracy-Optimized Activation Function",
    year=2021,
    url="https://doi.org/10.3390/info12120513",
    venue="Information 12(12)",
)
QIU_2018 = Citation(
    authors="Qiu, S. and Xu, X. and Cai, B.",
    title="FReLU: Flexible Rectified Linear Units for Improving Convolutional Neural Networks",
    year=2018,
    arxiv="1706.08098",
    venue="ICPR",
)
PISHCHIK_2023 = Citation(
    authors="Pishchik, E.",
    title="Trainable Activations for Image Classification",
    year=2023,
    url="https://doi.org/10.20944/preprints202301.0463.v1",
    venue="Preprints.org",
)
CHEN_2020_ARELU = Citation(
    authors="Chen, D. and Li, J. and Xu, K.",
    title="AReLU: Attention-based Rectified Linear Unit",
    year=2020,
    arxiv="2006.13858",
)
INTURRISI_2021 = Citation(
    authors="Inturrisi, J. and Khoo, S. Y. and Kouzani, A. and Pagliarella, R.",
    title="Piecewise Linear Units Improve Deep Neural Networks",
    year=2021,
    arxiv="2108.00700",
)
ROZSA_2019 = Citation(
    authors="Rozsa, A. and Boult, T. E.",
    title="Improved Adversarial Robustness by Reducing Open Space Risk via Tent Activations",
    year=2019,
    arxiv="1908.02435",
)
YU_2020_RMAF = Citation(
    authors="Yu, Y. and Adu, K. and Tashi, N. and Anokye, P. and Wang, X. and Ayidzoe, M. A.",
    title="RMAF: Relu-Memristor-Like Activation Function for Deep Learning",
    year=2020,
    url="https://doi.org/10.1109/ACCESS.2020.2987829",
    venue="IEEE Access 8",
)
DUGGAL_2017 = Citation(
    authors="Duggal, R. and Gupta, A.",
    title="P-TELU: Parametric Tan Hyperbolic Linear Unit Activation for Deep Neural Networks",
    year=2017,
    url="https://openaccess.thecvf.com/content_ICCV_2017_workshops/w18/html/"
    "Duggal_P-TELU_Parametric_Tan_ICCV_2017_paper.html",
    venue="ICCV Workshops",
)
HASAN_2023 = Citation(
    authors="Hasan, M. M. and Hossain, M. A. and Srizon, A. Y. and Sayeed, A.",
    title="TaLU: A Hybrid Activation Function Combining Tanh and Rectified Linear Unit to Enhance "
    "Neural Networks",
    year=2023,
    arxiv="2305.04402",
)

def _survey_only(sec: str) -> str:
    """The sentence saying that a formula comes from the survey because the original was out of reach."""
    return (
        f"The original paper could not be read here (no open copy among the stored sources): the formula "
        f"is the survey's (§{sec}), as also transcribed by the peer package torch-activation."
    )


# E[x | x < 0] for x ~ N(0, 1): the margin of a standardised input
_MARGIN = -math.sqrt(2 / math.pi)


def _numbers(*values: Any) -> bool:
    return all(isinstance(v, Real) for v in values)


def _check_order(name: str, lo_name: str, lo: Any, hi_name: str, hi: Any) -> None:
    if _numbers(lo, hi) and not lo < hi:
        raise ValueError(f"{name}: parameter {lo_name!r} must be < {hi_name!r}, got {lo} and {hi}")


def _tanh_of(v: Any) -> Any:
    return torch.tanh(v) if isinstance(v, Tensor) else math.tanh(v)


def _sech2_of(v: Any) -> Any:
    """tanh'(v) = sech²(v) for a number or a tensor (0 where cosh overflows)."""
    if isinstance(v, Tensor):
        return 1 - torch.tanh(v).square()
    return 0.0 if abs(v) > 350 else 1.0 / math.cosh(v) ** 2


def _sigmoid_of(v: Any) -> Any:
    if isinstance(v, Tensor):
        return torch.sigmoid(v)
    return 1.0 / (1.0 + math.exp(-v)) if v >= 0 else math.exp(v) / (1.0 + math.exp(v))


# ------------------------------------------------------------------------ piecewise-linear units


# PReLU+ is the sloped ReLU (SlReLU, survey §3.6.5) with its slope learned: the same function
preset(
    "prelu_plus",
    of="slrelu",
    params={},
    citation=KUNC_KLEMA_2024,
    latex=r"a \max(0, x)",
    text="a * max(0, x)",
    names=("PReLU+", "PReLU-plus", "Positive PReLU", "Positive parametric rectified linear unit"),
    survey=("PReLU+",),
    trainable=("a",),
    source="Survey §4.2.2: f = a z for z >= 0, 0 otherwise, a trainable per neuron; the survey calls it "
    "the adaptive variant of SlReLU. " + _survey_only("4.2.2") + " The survey names no initial value: "
    "SlReLU's default slope is kept.",
    notes="Positive PReLU: the sloped ReLU with a learned slope (trainable=True learns a); a special case "
    "of DPReLU, Dual Line and PiLU.",
)


@activation(
    "margin_relu",
    family="rectified",
    latex=r"\max(x, m)",
    text="max(x, m)",
    citation=HEO_2019,
    params=(Param("m", _MARGIN, "margin m (the floor of the output)"),),
    names=("MarReLU", "Margin ReLU", "Margin rectified linear unit"),
    survey=("MarReLU",),
    grad_mask=lambda x, m=_MARGIN: x > m,
    grad_mask_values=lambda p: (0.0, 1.0),
    kinks=lambda p: (p["m"],),
    relations=(special_case_of("threshold", threshold=_MARGIN, value=_MARGIN),),
    source="Heo et al. (arXiv 1904.01866), Sec. 3.2: σ_m(x) = max(x, m) with m the channel-wise "
    "expectation of the negative response, E[x | x < 0], computed from the teacher's batch-norm "
    "statistics; the survey §4.2.3 prints the same.",
    notes="Margin ReLU, introduced for feature distillation (Heo et al. abbreviate it MReLU, which the "
    "survey reserves for the mirrored ReLU). The margin is not learned by back-propagation (so it is not "
    "marked trainable although the survey lists MarReLU among adaptive units) but computed "
    "per channel from the statistics of the pre-activation; the default m = -√(2/π) ≈ -0.798 is "
    "E[x | x < 0] for x ~ N(0, 1), i.e. for a standardised (batch-normalised) input. Derivative 0 at x = m.",
)
def margin_relu(x: Tensor, m: Any = _MARGIN) -> Tensor:
    r""":math:`\max(x, m)`."""
    return torch.where(x <= m, m, x)


@activation(
    "rprelu",
    family="rectified",
    latex=r"x - \gamma + \zeta \text{ if } x > \gamma \text{ else } \beta (x - \gamma) + \zeta",
    text="x - gamma + zeta if x > gamma else beta * (x - gamma) + zeta",
    citation=LIU_2020_REACTNET,
    params=(
        Param("gamma", 0.0, "learnable shift γ of the input (the kink)", trainable=True),
        Param("zeta", 0.0, "learnable shift ζ of the output", trainable=True),
        Param("beta", 0.25, "learnable slope β for x < γ (PReLU's initial value 0.25)", trainable=True),
    ),
    names=("RPReLU", "React-PReLU", "ReAct-PReLU"),
    survey=("RPReLU",),
    grad_mask=lambda x, gamma=0.0, zeta=0.0, beta=0.25: x - gamma > 0,
    grad_mask_values=lambda p: (p["beta"], 1.0),
    kinks=lambda p: (p["gamma"],),
    relations=(special_case_of("prelu", a=0.25),),
    source="ReActNet (arXiv 2003.03488), Eq. 5: RPReLU(x) = x - γ + ζ for x > γ, β(x - γ) + ζ otherwise, "
    "γ, ζ, β learnable per channel. Initial values follow the authors' implementation as described in "
    "the paper (learnable biases start at 0, the slope is a standard PReLU, initialised to 0.25); the "
    "survey §4.2.5 prints the same formula with a = γ, b = ζ, c = β.",
    notes="React-PReLU: PReLU with learnable horizontal (γ) and vertical (ζ) shifts, from binary "
    "networks; at its initial values it is PReLU(0.25). All three are per channel in the paper "
    "(num_parameters=C). Derivative at x = γ taken as β.",
)
def rprelu(x: Tensor, gamma: Any = 0.0, zeta: Any = 0.0, beta: Any = 0.25) -> Tensor:
    r""":math:`x-\gamma+\zeta` for :math:`x>\gamma`, :math:`\beta(x-\gamma)+\zeta` otherwise."""
    u = x - gamma
    return torch.where(u > 0, u, u * beta) + zeta


@activation(
    "lelelu",
    family="rectified",
    latex=r"a x \text{ if } x > 0 \text{ else } 0.01\, a x",
    text="a * x if x > 0 else 0.01 * a * x",
    citation=MANIATOPOULOS_2021,
    params=(Param("a", 1.0, "learnable scale a of the whole unit", trainable=True),),
    names=("LeLeLU", "Leaky learnable ReLU", "Learnable leaky ReLU"),
    survey=("LeLeLU",),
    grad_mask=lambda x, a=1.0: x > 0,
    grad_mask_values=lambda p: (0.01 * p["a"], p["a"]),
    kinks=lambda p: (0.0,),
    relations=(special_case_of("leaky_relu", negative_slope=0.01),),
    source="Maniatopoulos & Mitianoudis (doi 10.3390/info12120513), Sec. 2: f(x) = a x for x >= 0, "
    "0.01 a x otherwise, a learned per neuron; the survey §4.2.8 prints the same. The initial value of a "
    "could not be read here: a = 1 (LeakyReLU(0.01) at initialisation) is our choice; a third-party "
    "implementation starts at 0.1.",
    notes="A LeakyReLU(0.01) with a learnable scale a. Derivative at 0 taken as 0.01 a (LeakyReLU's "
    "convention).",
)
def lelelu(x: Tensor, a: Any = 1.0) -> Tensor:
    r""":math:`a x` for :math:`x > 0`, :math:`0.01\,a x` otherwise."""
    return torch.where(x > 0, x * a, x * (0.01 * a))


@activation(
    "preu",
    family="exponential",
    latex=r"a x \text{ if } x > 0 \text{ else } a x e^{b x}",
    text="a * x if x > 0 else a * x * exp(b * x)",
    citation=YING_2019,
    params=(
        Param("a", 1.0, "learnable scale a", trainable=True),
        Param("b", 1.0, "learnable rate b of the negative branch", low=0.0, trainable=True),
    ),
    names=("PREU", "Parametric REU", "Parametric rectified exponential unit"),
    survey=("PREU",),
    relations=(equal_to("reu", note="at the defaults a = b = 1"),),
    source="Ying et al. (doi 10.1109/ACCESS.2019.2928442), the parametric REU: f = a x for x > 0, "
    "a x e^{b x} otherwise, a and b learned per channel; survey §4.2.9 prints the same. Initial values "
    "a = b = 1 (the unit then equals REU) are our reading of the paper, which presents PREU as the "
    "learnable REU.",
    notes="Continuously differentiable for every a, b (slope a on both sides of 0). Requires b >= 0 so "
    "that the negative branch decays.",
)
def preu(x: Tensor, a: Any = 1.0, b: Any = 1.0) -> Tensor:
    r""":math:`a x` for :math:`x > 0`, :math:`a x e^{bx}` otherwise."""
    xn = torch.where(x > 0, 0.0, x)
    return torch.where(x > 0, x, xn * torch.exp(xn * b)) * a


@activation(
    "flexible_relu",
    family="rectified",
    latex=r"\max(0, x) + b",
    text="max(0, x) + b",
    citation=QIU_2018,
    params=(Param("b", 0.0, "learnable output shift b (the rectified point)", trainable=True),),
    names=("FReLU", "Flexible ReLU", "Flexible rectified linear unit"),
    survey=("FReLU",),
    grad_mask=lambda x, b=0.0: x > 0,
    grad_mask_values=lambda p: (0.0, 1.0),
    kinks=lambda p: (0.0,),
    relations=(equal_to("relu", note="at the default b = 0"),),
    source="Qiu, Xu & Cai (arXiv 1706.08098), Eq. 3: frelu(x) = relu(x) + b_l (the horizontal shift of "
    "relu(x + a) + b is absorbed by the preceding bias), b_l learned per layer/channel; survey §4.2.15 "
    "prints the same. The initial b could not be read here: b = 0 (ReLU, like a zero-initialised bias) "
    "is our choice.",
    notes="Flexible ReLU. 'FReLU' also names the funnel activation (Ma et al.), the fully parametric "
    "ReLU (= DPReLU) and the fractional ReLU: actlab.get('FReLU') lists them. The paper reports b "
    "converging to negative values.",
)
def flexible_relu(x: Tensor, b: Any = 0.0) -> Tensor:
    r""":math:`\max(0, x) + b`."""
    return torch.relu(x) + b


@activation(
    "shilu",
    family="rectified",
    latex=r"\alpha \max(0, x) + \beta",
    text="alpha * max(0, x) + beta",
    citation=PISHCHIK_2023,
    params=(
        Param("alpha", 1.0, "learnable slope α of the positive part", trainable=True),
        Param("beta", 1.0, "learnable output shift β", trainable=True),
    ),
    names=("ShiLU", "Adaptive shifted ReLU"),
    survey=("ShiLU",),
    grad_mask=lambda x, alpha=1.0, beta=1.0: x > 0,
    grad_mask_values=lambda p: (0.0, p["alpha"]),
    kinks=lambda p: (0.0,),
    relations=(Relation("related", "flexible_relu", note="ShiLU with α = 1 is FReLU with b = β"),),
    source="Pishchik (doi 10.20944/preprints202301.0463.v1): ShiLU(x) = α relu(x) + β; the authors' "
    "code (epishchik/TrainableActivation, activation.py) learns one α and one β, both initialised to "
    "1.0. Survey §4.2.16 prints the same formula.",
    notes="Adaptive shifted ReLU (the author's 'shifted ReLU'; the survey renames it to avoid the fixed "
    "shifted ReLU). Note the initial β = 1, so the unit starts as relu(x) + 1 (the peer package starts "
    "at β = 0). Derivative at 0 taken as 0.",
)
def shilu(x: Tensor, alpha: Any = 1.0, beta: Any = 1.0) -> Tensor:
    r""":math:`\alpha\max(0, x) + \beta`."""
    return torch.relu(x) * alpha + beta


def _clip1(u: Tensor) -> Tensor:
    """clip(u, -1, 1) with derivative 1 strictly inside and 0 at and beyond ±1; NaN passes."""
    return torch.where(u <= -1, -1.0, torch.where(u >= 1, 1.0, u))


@activation(
    "adaptive_hardtanh",
    family="rectified",
    latex=r"\mathrm{HardTanh}(a (x - b))",
    text="max(-1, min(1, a * (x - b)))",
    citation=KUNC_KLEMA_2024,
    params=(
        Param("a", 1.0, "slope a_t (scheduled per epoch, a_t >= 1 increasing)", low=0.0, low_inclusive=False),
        Param("b", 0.0, "learnable shift b", trainable=True),
    ),
    names=("Adaptive HardTanh",),
    survey=("adaptive HardTanh",),
    grad_mask=lambda x, a=1.0, b=0.0: ((x - b) * a > -1) & ((x - b) * a < 1),
    grad_mask_values=lambda p: (0.0, p["a"]),
    kinks=lambda p: (p["b"] - 1 / p["a"], p["b"] + 1 / p["a"]),
    relations=(equal_to("hardtanh", note="at the defaults a = 1, b = 0"),),
    source="Survey §4.2.18: f = HardTanh(a_t (z - b)), a_t a per-epoch schedule 1 <= a_1 <= ... <= a_T "
    "that turns the unit into the sign function by the end of training, b learned by back-propagation. "
    + _survey_only("4.2.18")
    + " Defaults a = 1 (the first epoch: plain HardTanh) and b = 0 are our choice.",
    notes="Used to train networks that become binary (sign activations). The schedule of a is a training "
    "procedure outside the function: a is a fixed parameter here (trainable=True learns only b).",
)
def adaptive_hardtanh(x: Tensor, a: Any = 1.0, b: Any = 0.0) -> Tensor:
    r""":math:`\mathrm{clip}(a(x - b), -1, 1)`."""
    return _clip1((x - b) * a)


def _arelu_slopes(alpha: Any, beta: Any) -> tuple[Any, Any]:
    if isinstance(alpha, Tensor):
        neg = alpha.clamp(0.01, 0.99)
    else:
        neg = min(max(alpha, 0.01), 0.99)
    return neg, 1 + _sigmoid_of(beta)


@activation(
    "arelu",
    family="rectified",
    latex=r"(1 + \sigma(\beta))\, x \text{ if } x > 0 \text{ else } C(\alpha)\, x",
    text="(1 + sigmoid(beta)) * x if x > 0 else clip(alpha, 0.01, 0.99) * x",
    citation=CHEN_2020_ARELU,
    params=(
        Param("alpha", 0.9, "learnable negative slope α, clipped into [0.01, 0.99]", trainable=True),
        Param("beta", 2.0, "learnable β; the positive slope is 1 + σ(β)", trainable=True),
    ),
    names=("AReLU", "Attention-based ReLU", "Attention-based rectified linear unit"),
    survey=("AReLU",),
    grad_mask=lambda x, alpha=0.9, beta=2.0: x > 0,
    grad_mask_values=lambda p: tuple(_arelu_slopes(p["alpha"], p["beta"])),
    kinks=lambda p: (0.0,),
    source="Chen, Li & Xu (arXiv 2006.13858), Eqs. 4-6: f = C(α) x for x < 0, (1 + σ(β)) x for x >= 0, "
    "C clipping into [0.01, 0.99] with no gradient outside, α and β learned per layer and initialised to "
    "0.9 and 2.0 (the paper's recommendation, also in the survey §4.2.19).",
    notes="Attention-based ReLU (element-wise sign attention). The clip C(α) passes no gradient to α "
    "outside [0.01, 0.99], as the paper specifies. Derivative at 0 taken as C(α) (the paper's reference "
    "code, relu(x)·(1+σ(β)) - relu(-x)·C(α), gives 0 there).",
)
def arelu(x: Tensor, alpha: Any = 0.9, beta: Any = 2.0) -> Tensor:
    r""":math:`(1 + \sigma(\beta))x` for :math:`x > 0`, :math:`C(\alpha)x` otherwise, :math:`C` = clip
    into [0.01, 0.99]."""
    neg, pos = _arelu_slopes(alpha, beta)
    return torch.where(x > 0, x * pos, x * neg)


@activation(
    "dprelu",
    family="rectified",
    latex=r"a x \text{ if } x > 0 \text{ else } b x",
    text="a * x if x > 0 else b * x",
    citation=KUNC_KLEMA_2024,
    params=(
        Param("a", 1.0, "learnable slope a for x > 0", trainable=True),
        Param("b", 0.01, "learnable slope b for x < 0", trainable=True),
    ),
    names=("DPReLU", "Dual parametric ReLU", "Fully parametric ReLU", "FReLU"),
    survey=("DPReLU",),
    grad_mask=lambda x, a=1.0, b=0.01: x > 0,
    grad_mask_values=lambda p: (p["b"], p["a"]),
    kinks=lambda p: (0.0,),
    relations=(special_case_of("leaky_relu", negative_slope=0.01),),
    source="Survey §4.2.20: f = a z for z >= 0, b z otherwise, a and b learned per neuron and "
    "initialised 'the same as PReLU', a = 1, b = 0.01. "
    + _survey_only("4.2.20"),
    notes="Dual parametric ReLU: both slopes learned. Later proposed again as the fully parametric ReLU "
    "(abbreviated FReLU, which collides with the flexible ReLU). Not the 2023 'dynamic parametric ReLU' "
    "of Yang et al., which has four parameters. At its initial values it is LeakyReLU(0.01).",
)
def dprelu(x: Tensor, a: Any = 1.0, b: Any = 0.01) -> Tensor:
    r""":math:`a x` for :math:`x > 0`, :math:`b x` otherwise."""
    return torch.where(x > 0, x * a, x * b)


@activation(
    "dual_line",
    family="rectified",
    latex=r"(a x \text{ if } x > 0 \text{ else } b x) + m",
    text="a * x + m if x > 0 else b * x + m",
    citation=KUNC_KLEMA_2024,
    params=(
        Param("a", 1.0, "learnable slope a for x > 0", trainable=True),
        Param("b", 0.01, "learnable slope b for x < 0", trainable=True),
        Param("m", -0.22, "learnable vertical shift m", trainable=True),
    ),
    names=("Dual Line", "Dual line activation function"),
    survey=("Dual Line",),
    grad_mask=lambda x, a=1.0, b=0.01, m=-0.22: x > 0,
    grad_mask_values=lambda p: (p["b"], p["a"]),
    kinks=lambda p: (0.0,),
    relations=(Relation("related", "dprelu", note="Dual Line is DPReLU(a, b) + m"),),
    source="Survey §4.2.21: f = a z + m for z >= 0, b z + m otherwise, a, b as in DPReLU (1, 0.01) and m "
    "initialised to -0.22. " + _survey_only("4.2.21"),
    notes="DPReLU with a learnable vertical shift m. Derivative at 0 taken as b.",
)
def dual_line(x: Tensor, a: Any = 1.0, b: Any = 0.01, m: Any = -0.22) -> Tensor:
    r""":math:`a x + m` for :math:`x > 0`, :math:`b x + m` otherwise."""
    return torch.where(x > 0, x * a, x * b) + m


@activation(
    "pilu",
    family="rectified",
    latex=r"a (x - c) + c \text{ if } x > c \text{ else } b (x - c) + c",
    text="a * x + c * (1 - a) if x > c else b * x + c * (1 - b)",
    citation=INTURRISI_2021,
    params=(
        Param("a", 1.0, "learnable slope a right of the kink", trainable=True),
        Param("b", 0.01, "learnable slope b left of the kink", trainable=True),
        Param("c", 0.0, "learnable kink position c (f(c) = c)", trainable=True),
    ),
    names=("PiLU",),
    survey=("PiLU",),
    grad_mask=lambda x, a=1.0, b=0.01, c=0.0: x - c > 0,
    grad_mask_values=lambda p: (p["b"], p["a"]),
    kinks=lambda p: (p["c"],),
    relations=(special_case_of("leaky_relu", negative_slope=0.01),),
    source="Inturrisi et al. (arXiv 2108.00700): PiLU(x) = a x + c(1 - a) for x >= c, b x + c(1 - b) "
    "otherwise, a, b, c learned; survey §4.2.22 prints the same. The paper's initialisation could not "
    "be read here: a = 1, b = 0.01, c = 0 (LeakyReLU(0.01), as DPReLU's) is our choice.",
    notes="Two lines meeting on the identity at x = c; generalises ReLU, LeakyReLU, PReLU, SlReLU, DPReLU "
    "and Dual Line. 'Piecewise linear unit' also names PLU and PWLU. Derivative at c taken as b.",
)
def pilu(x: Tensor, a: Any = 1.0, b: Any = 0.01, c: Any = 0.0) -> Tensor:
    r""":math:`a(x - c) + c` for :math:`x > c`, :math:`b(x - c) + c` otherwise."""
    u = x - c
    return torch.where(u > 0, u * a, u * b) + c


@activation(
    "tent",
    family="rectified",
    latex=r"\max(0, a - |x|)",
    text="max(0, a - abs(x))",
    citation=ROZSA_2019,
    params=(Param("a", 1.0, "learnable half-width a of the tent", low=0.0, trainable=True),),
    names=("Tent", "Tent activation"),
    survey=("Tent",),
    kinks=lambda p: (-p["a"], 0.0, p["a"]),
    source="Rozsa & Boult (arXiv 1908.02435): tent(x) = max(0, δ - |x|), δ learned per layer and "
    "initialised to 1 (with batch normalisation and weight decay on δ); survey §4.2.27 prints the same.",
    notes="A bounded bump, positive only on (-a, a): finite open-space risk. Derivative 0 at x = 0 "
    "(torch's sign(0) = 0) and at x = ±a.",
)
def tent(x: Tensor, a: Any = 1.0) -> Tensor:
    r""":math:`\max(0, a - |x|)`."""
    return torch.relu(a - x.abs())


@activation(
    "hat",
    family="rectified",
    latex=r"\max(0, \min(x, a - x))",
    text="max(0, min(x, a - x))",
    citation=WANG_XU_ZHU_2022,
    params=(Param("a", 2.0, "width a of the hat (peak a/2 at x = a/2)", low=0.0, low_inclusive=False,
                  trainable=True),),
    names=("Hat", "Hat activation function"),
    survey=("Hat",),
    kinks=lambda p: (0.0, p["a"] / 2, p["a"]),
    relations=(Relation("related", "tent", note="hat(x; a) = tent(x - a/2; a/2)"),),
    source="Survey §4.2.28: 0 for z < 0, z on [0, a/2], a - z on [a/2, a], 0 for z > a; a fixed or "
    "trainable, a = 2 in the fixed variant (Wang, Xu & Zhu). " + IDENTIFIED_NOT_READ + " (§4.2.28).",
    notes="The finite-element hat function as an activation: the tent shifted to be positive only for "
    "positive inputs. Derivative 0 at the peak (torch's minimum splits a tie evenly). Wang, Xu & Zhu's "
    "paper was not found; the Hat is also the subject of Hong, Siegel, Tan & Xu, 'On the Activation "
    "Function Dependence of the Spectral Bias of Neural Networks' (arXiv 2208.04924), a later work.",
)
def hat(x: Tensor, a: Any = 2.0) -> Tensor:
    r""":math:`\max(0, \min(x, a - x))`."""
    return torch.relu(torch.minimum(x, a - x))


# ------------------------------------------------------------------------------- tanh rectifiers


@activation(
    "ptelu",
    family="exponential",
    latex=r"x \text{ if } x > 0 \text{ else } a \tanh(b x)",
    text="x if x > 0 else a * tanh(b * x)",
    citation=DUGGAL_2017,
    params=(
        Param("a", 1.0, "learnable saturation a (output floor -a)", low=0.0, trainable=True),
        Param("b", 1.0, "learnable rate b of the negative branch", low=0.0, trainable=True),
    ),
    names=("PTELU", "P-TELU", "Parametric tanh linear unit", "Parametric tan hyperbolic linear unit"),
    survey=("PTELU",),
    kinks=lambda p: () if p["a"] * p["b"] == 1.0 else (0.0,),
    source="Duggal & Gupta, ICCV Workshops 2017 (P-TELU): f = x for x >= 0, a tanh(b x) otherwise, "
    "a, b >= 0 learned per neuron; survey §4.2.30 prints the same. Defaults a = b = 1 (the survey's "
    "non-adaptive special case) are our choice of initial values.",
    notes="Output range [-a, ∞). Continuously differentiable when a·b = 1; derivative at 0 otherwise "
    "taken from the negative branch (a b).",
)
def ptelu(x: Tensor, a: Any = 1.0, b: Any = 1.0) -> Tensor:
    r""":math:`x` for :math:`x > 0`, :math:`a\tanh(bx)` otherwise."""
    return torch.where(x > 0, x, torch.tanh(x * b) * a)


preset(
    "tanh_relu",
    of="ptelu",
    params={"a": 1.0},
    citation=KUNC_KLEMA_2024,
    latex=r"x \text{ if } x > 0 \text{ else } \tanh(b x)",
    text="x if x > 0 else tanh(b * x)",
    names=("TReLU", "Tanh-based ReLU"),
    survey=("TReLU",),
    source="Survey §4.2.35: TReLU(z) = z for z >= 0, tanh(b z) otherwise, b learned per neuron; the "
    "survey notes it is PTELU with a fixed to 1. The original paper could not be read here.",
    notes="PTELU(a = 1): only the rate b is learned.",
)

preset(
    "tanh_relu2",
    of="ptelu",
    params={"b": 1.0},
    citation=KUNC_KLEMA_2024,
    latex=r"x \text{ if } x > 0 \text{ else } a \tanh(x)",
    text="x if x > 0 else a * tanh(x)",
    names=("TReLU2", "TReLU variant 2"),
    survey=("TReLU2",),
    source="Survey §4.2.35: the second TReLU (Nakhua et al.), z for z >= 0, a tanh(z) otherwise with a "
    "a predefined constant; PTELU with b fixed to 1. The original paper could not be read here.",
    notes="PTELU(b = 1). The authors kept a fixed; trainable=True learns it (they suggested it might help).",
)


@activation(
    "talu",
    family="rectified",
    latex=r"x \;(x > 0),\quad \tanh(x) \;(a < x \le 0),\quad \tanh(a) \;(x \le a)",
    text="x if x > 0 else (tanh(x) if x > a else tanh(a))",
    citation=HASAN_2023,
    params=(Param("a", -1.75, "threshold a < 0 below which the output is constant tanh(a)",
                  high=0.0, high_inclusive=False, trainable=True),),
    names=("TaLU", "Tangent linear unit", "Tanh linear unit (TaLU)"),
    survey=("TaLU",),
    kinks=lambda p: (p["a"],),
    source="Hasan et al. (arXiv 2305.04402): x for x >= 0, tanh(x) for a < x < 0, tanh(a) for x <= a; "
    "survey §4.2.31 prints the same (a fixed, or learned: 'TaLU learnable'). The default a = -1.75 is "
    "our reading of the paper's setting; the stored copies available here lack the formulas, so it is "
    "not re-verified (the peer package uses -1).",
    notes="Continuously differentiable at 0 (tanh'(0) = 1); constant, with derivative 0, below a.",
)
def talu(x: Tensor, a: Any = -1.75) -> Tensor:
    r""":math:`x` for :math:`x > 0`, :math:`\tanh x` on :math:`(a, 0]`, :math:`\tanh a` below."""
    return torch.where(x <= a, _tanh_of(a), torch.where(x > 0, x, torch.tanh(x)))


@activation(
    "ptalu",
    family="rectified",
    latex=r"x \;(x \ge b),\quad \tanh(x) \;(a < x < b),\quad \tanh(a) \;(x \le a)",
    text="x if x >= b else (tanh(x) if x > a else tanh(a))",
    citation=KUNC_KLEMA_2024,
    params=(
        Param("a", -0.75, "learnable lower threshold a", trainable=True),
        Param("b", 1.0, "learnable upper threshold b (identity from b on)", trainable=True),
    ),
    names=("PTaLU",),
    survey=("PTaLU",),
    kinks=lambda p: (p["a"], p["b"]),
    source="Survey §4.2.32 (Mercioni & Holban): z for z >= b, tanh(z) for a < z < b, tanh(a) for z <= a, "
    "a and b learned, initialised to -0.75 and 1. "
    + _survey_only("4.2.32"),
    notes="As printed the unit jumps at x = b from tanh(b) to b (unless b = 0): at the initial b = 1 the "
    "jump is 1 - tanh(1) ≈ 0.238. actlab implements the printed form. Requires a < b. The gradient with "
    "respect to b is 0 almost everywhere (b only moves the jump).",
)
def ptalu(x: Tensor, a: Any = -0.75, b: Any = 1.0) -> Tensor:
    r""":math:`x` for :math:`x \ge b`, :math:`\tanh x` on :math:`(a, b)`, :math:`\tanh a` below."""
    _check_order("ptalu", "a", a, "b", b)
    return torch.where(x <= a, _tanh_of(a), torch.where(x >= b, x, torch.tanh(x)))


@activation(
    "tanhlu",
    family="sigmoidal",
    latex=r"a \tanh(b x) + c x",
    text="a * tanh(b * x) + c * x",
    citation=SHEN_2022_TANHLU,
    params=(
        Param("a", 1.0, "learnable weight a of the tanh", trainable=True),
        Param("b", 1.0, "learnable scale b inside the tanh", trainable=True),
        Param("c", 1.0, "learnable weight c of the linear term", trainable=True),
    ),
    names=("TanhLU", "tanhLU"),
    survey=("TanhLU",),
    source="Survey §4.2.33 (Shen et al., 'Enhancement of neural networks with an alternative activation "
    "function tanhLU'): a tanh(b z) + c z, a, b, c learned per neuron; the paper's abstract (checked) "
    "describes the same three parameters, 'preconfigured as constants or adaptively optimized'. The full "
    "text could not be read here; initial values a = b = c = 1 are our choice.",
    notes="A tanh plus a linear leak: smooth, unbounded, monotone while c > 0 and a b >= -c.",
)
def tanhlu(x: Tensor, a: Any = 1.0, b: Any = 1.0, c: Any = 1.0) -> Tensor:
    r""":math:`a\tanh(bx) + cx`."""
    return torch.tanh(x * b) * a + x * c


@activation(
    "reltanh",
    family="sigmoidal",
    latex=r"\tanh'(a)(x - a) + \tanh a \;(x \le a),\quad \tanh x \;(a < x < b),\quad "
    r"\tanh'(b)(x - b) + \tanh b \;(x \ge b)",
    text="sech2(a) * (x - a) + tanh(a) if x <= a else (tanh(x) if x < b else sech2(b) * (x - b) + tanh(b))",
    citation=WANG_2019_RELTANH,
    params=(
        Param("a", -1.5, "learnable negative threshold a (the paper keeps a <= -1.5)", high=0.0,
              trainable=True),
        Param("b", 0.0, "learnable positive threshold b (the paper keeps 0 <= b <= 0.5)", low=0.0,
              trainable=True),
    ),
    names=("ReLTanh", "Rectified linear tanh"),
    survey=("ReLTanh",),
    source="Survey §4.2.36 (Wang et al. 2019, Neurocomputing): tanh between the thresholds a < b, and "
    "outside them the tangent lines of tanh at a and at b; a, b learned (shared per layer), limited to "
    "a <= -1.5 and 0 <= b <= 0.5, initialised to a = -1.5, b = 0. The paper's abstract (on the authors' "
    "group page, cited) describes the same construction, lines with tanh's slope at two learnable "
    "thresholds; its full text could not be read here.",
    notes="Continuously differentiable everywhere (tangent-line extensions). At the initial b = 0 the "
    "positive side is the identity. The paper's learning limits (a <= -1.5, b <= 0.5) are a training "
    "constraint; actlab's valid range is a <= 0 <= b with a < b.",
)
def reltanh(x: Tensor, a: Any = -1.5, b: Any = 0.0) -> Tensor:
    r"""tanh between :math:`a` and :math:`b`, continued by its tangent lines outside."""
    _check_order("reltanh", "a", a, "b", b)
    left = (x - a) * _sech2_of(a) + _tanh_of(a)
    right = (x - b) * _sech2_of(b) + _tanh_of(b)
    return torch.where(x <= a, left, torch.where(x >= b, right, torch.tanh(x)))


# ------------------------------------------------------------------------------ bendable units


def _blu(x: Tensor, a: Any) -> Tensor:
    # sqrt(x^2 + 1) - 1 = x^2 / (sqrt(x^2 + 1) + 1), written as x * (x / (hypot + 1)): no cancellation
    # near 0 and no overflow of x^2
    one = torch.ones((), dtype=x.dtype, device=x.device)
    return x * (x / (torch.hypot(x, one) + 1)) * a + x


@activation(
    "blu",
    family="smooth_rectifier",
    latex=r"a\left(\sqrt{x^2 + 1} - 1\right) + x",
    text="a * (sqrt(x^2 + 1) - 1) + x",
    citation=KUNC_KLEMA_2024,
    params=(Param("a", 0.0, "learnable bendability a in [-1, 1]", low=-1.0, high=1.0, trainable=True),),
    names=("BLU", "Bendable linear unit"),
    survey=("BLU",),
    relations=(
        equal_to("identity", note="at the default a = 0"),
        Relation("related", "bent_identity", note="the bent identity is BLU with a = 1/2"),
    ),
    source="Survey §4.2.37 (Godfrey 2019, 'An evaluation of parametric activation functions for deep "
    "learning'): a(√(z² + 1) - 1) + z with a in [-1, 1] learned per neuron or filter. The original "
    "could not be read here; the initial a = 0 (the identity the survey stresses BLU can represent) is "
    "our choice. (The peer package's docstring drops the parentheses, a√(x²+1) - 1 + x.)",
    notes="Interpolates between the identity (a = 0) and a rectifier-like |x|-bend (a = ±1); C^∞. "
    "Evaluated as a·x·x/(√(x²+1)+1) + x (no cancellation near 0, no overflow of x²).",
)
def blu(x: Tensor, a: Any = 0.0) -> Tensor:
    r""":math:`a(\sqrt{x^2+1} - 1) + x`."""
    return _blu(x, a)


@activation(
    "reblu",
    family="smooth_rectifier",
    latex=r"a\left(\sqrt{x^2 + 1} - 1\right) + x \text{ if } x > 0 \text{ else } 0",
    text="a * (sqrt(x^2 + 1) - 1) + x if x > 0 else 0",
    citation=KUNC_KLEMA_2024,
    params=(Param("a", 0.0, "learnable bendability a in [-1, 1]", low=-1.0, high=1.0, trainable=True),),
    names=("ReBLU", "Rectified BLU", "Rectified bendable linear unit"),
    survey=("ReBLU",),
    kinks=lambda p: (0.0,),
    relations=(equal_to("relu", note="at the default a = 0"),),
    source="Survey §4.2.38: BLU for z > 0, 0 otherwise, a learned. The original could not be read here; "
    "a = 0 as for BLU.",
    notes="Derivative at 0 taken as 0 (right-hand slope 1).",
)
def reblu(x: Tensor, a: Any = 0.0) -> Tensor:
    r"""BLU for :math:`x > 0`, 0 otherwise."""
    return torch.where(x <= 0, 0.0, _blu(x, a))


@activation(
    "pfplus",
    family="exponential",
    latex=r"a x \,(1 - b x)^{H(x) - 1}",
    text="a * x if x >= 0 else a * x / (1 - b * x)",
    citation=DUAN_2021,
    params=(
        Param("a", 1.0, "learnable scale a > 0", low=0.0, low_inclusive=False, trainable=True),
        Param("b", 1.0, "learnable shape b > 0 (the floor is -a/b)", low=0.0, low_inclusive=False,
              trainable=True),
    ),
    names=("PFPLUS", "Parametric first power linear unit with sign"),
    survey=("PFPLUS",),
    source="Survey §4.2.61: a z (1 - b z)^{H(z) - 1}, H the Heaviside step, a, b > 0 learned per neuron "
    "(a = 0.2, b = 10 resembles ReLU; a = 5, b = 0.1 a line). Cited to Duan et al.'s FPLUS paper, which "
    "extends FPLUS to PFPLUS with two fixed or learnable parameters (abstract checked; full text not read). "
    "Defaults a = b = 1 are our choice: the unit then equals FPLUS/PolyLU, 1/(1 - z) - 1 for z < 0.",
    notes="Continuously differentiable (slope a on both sides of 0); saturates at -a/b for x → -∞. "
    "Evaluated as a/(1/x - b) for x <= -1 (b x cannot overflow).",
)
def pfplus(x: Tensor, a: Any = 1.0, b: Any = 1.0) -> Tensor:
    r""":math:`a x` for :math:`x \ge 0`, :math:`a x / (1 - b x)` otherwise."""
    # x/(1 - b x) near 0; the same as 1/(1/x - b) for x <= -1, where b x could overflow
    near = (x < 0) & (x > -1)
    xs = torch.where(near, x, 0.0)
    xf = torch.where(x <= -1, x, -1.0)
    neg = torch.where(near, xs / (1 - xs * b), 1 / (1 / xf - b))
    return torch.where(x < 0, neg, x) * a


# PVLU is the variational linear unit (VLU, survey §3.6.9) with a and b learned: the same function
preset(
    "pvlu",
    of="vlu",
    params={},
    citation=GUPTA_AHUJA_2021,
    latex=r"\max(0, x) + a \sin(b x)",
    text="max(0, x) + a * sin(b * x)",
    names=("PVLU", "Parametric variational linear unit"),
    survey=("PVLU",),
    trainable=("a", "b"),
    source="Survey §4.2.62: the adaptive variant of the VLU, ReLU(z) + a sin(b z) with a and b learned. "
    + _survey_only("4.2.62") + " The paper's abstract (checked) describes the same unit, a sinusoid with "
    "trainable coefficients added to ReLU. The survey gives no initial values: VLU's defaults are kept.",
    notes="The same function as VLU; trainable=True learns a and b.",
)


# ------------------------------------------------------------------- gated and swish-like units


@activation(
    "rmaf",
    family="self_gated",
    latex=r"b \left(\frac{1}{0.25 (1 + e^{-x}) + 0.75}\right)^{c} a x",
    text="b * a * x * exp(-c * log(0.25 * (1 + exp(-x)) + 0.75))",
    citation=YU_2020_RMAF,
    params=(
        Param("a", 1.0, "learnable scale a (initial value 1)", trainable=True),
        Param("b", 1.0, "constant factor b"),
        Param("c", 1.0, "exponent c of the memristive window", low=0.0),
    ),
    names=("RMAF", "ReLU memristor-like activation function"),
    survey=("RMAF",),
    source="Yu et al. (doi 10.1109/ACCESS.2020.2987829) with the survey §4.2.29: "
    "b (1/(0.25(1 + e^{-z}) + 0.75))^c a z, a learned per neuron (initialised to 1) or fixed, b and c "
    "fixed hyperparameters (the paper's 'constant parameter' and 'threshold parameter'). The paper's "
    "values of b and c could not be read here: b = c = 1 are our choice.",
    notes="Swish-like: the gate 1/(1 + e^{-x}/4)^c rises from 0 to 1. Evaluated as "
    "a b x exp(-c softplus(-x - ln 4)) (no overflow for x → -∞).",
)
def rmaf(x: Tensor, a: Any = 1.0, b: Any = 1.0, c: Any = 1.0) -> Tensor:
    r""":math:`b\,a\,x\,(1 + e^{-x}/4)^{-c}`."""
    gate = torch.exp(softplus(-x - math.log(4.0)) * (-c))
    return x * gate * (a * b)


@activation(
    "tanh_exponential_linear_unit",
    family="self_gated",
    latex=r"x \tanh(\mathrm{ELU}(a x))",
    text="x * tanh(a * x) if x > 0 else x * tanh(exp(a * x) - 1)",
    citation=KUNC_KLEMA_2024,
    params=(Param("a", 1.0, "learnable (or fixed) input scale a", low=0.0, low_inclusive=False,
                  trainable=True),),
    names=("TeLU", "Tanh exponential linear unit (TeLU)"),
    survey=("TeLU (survey's)",),
    source="Survey §4.2.34 (Mercioni & Holban's TeLU): z tanh(ELU(a z)), a learned or fixed. The original "
    "could not be read here; a = 1 is our choice.",
    notes="The survey's adaptive TeLU, not the 2024 TeLU x tanh(eˣ) of Fernandez & Mali (another entry): "
    "actlab.get('TeLU') lists both. For x → -∞ the gate tends to tanh(-1), so f(x) ≈ -0.76 x grows "
    "linearly (positive) on the far left, as the formula says.",
)
def tanh_exponential_linear_unit(x: Tensor, a: Any = 1.0) -> Tensor:
    r""":math:`x\tanh(\mathrm{ELU}(ax))`."""
    u = x * a
    un = torch.where(u > 0, 0.0, u)
    return x * torch.tanh(torch.where(u > 0, u, expm1(un)))


@activation(
    "delu",
    family="self_gated",
    latex=r"(n + 0.5) x + |e^{-x} - 1| \text{ if } x > 0 \text{ else } x \sigma(x)",
    text="(n + 0.5) * x + 1 - exp(-x) if x > 0 else x * sigmoid(x)",
    citation=PISHCHIK_2023,
    params=(Param("n", 0.0, "learnable slope offset n of the positive branch", trainable=True),),
    names=("DELU",),
    survey=("DELU",),
    kinks=lambda p: (0.0,),
    source="Pishchik (doi 10.20944/preprints202301.0463.v1): DELU(x) = SiLU(x) for x <= 0, "
    "(n + 0.5) x + |e^{-x} - 1| for x > 0; the authors' code (epishchik/TrainableActivation, "
    "activation.py) learns one n initialised to 0. Survey §4.2.39 prints the same.",
    notes="Continuous at 0 but with a kink: slope 1/2 on the left, n + 3/2 on the right. (The 'extended "
    "ELU' EDELU was also called DELU by its authors; the survey keeps DELU for this unit.)",
)
def delu(x: Tensor, n: Any = 0.0) -> Tensor:
    r""":math:`(n + 0.5)x + 1 - e^{-x}` for :math:`x > 0`, :math:`x\sigma(x)` otherwise."""
    xp = torch.where(x > 0, x, 0.0)
    return torch.where(x > 0, xp * (n + 0.5) - torch.expm1(-xp), x * torch.sigmoid(x))


@activation(
    "sc_mish",
    family="self_gated",
    latex=r"\max(0, x \tanh(\mathrm{softplus}(a x)))",
    text="max(0, x * tanh(softplus(a * x)))",
    citation=KUNC_KLEMA_2024,
    params=(Param("a", 1.0, "scale a inside the softplus (SC-mish: 1, fixed; SCL-mish: learned, "
                  "initialised to 0.25)", trainable=True),),
    names=("SC-mish", "SCL-mish", "Soft clipping mish", "Soft clipping learnable mish"),
    survey=("SC-mish (SCL-mish)",),
    kinks=lambda p: (0.0,),
    source="Survey §4.2.40 (Mercioni & Holban): max(0, z tanh(softplus(a z))), a = 1 fixed (SC-mish) or "
    "learned from 0.25 (SCL-mish). " + _survey_only("4.2.40"),
    notes="Mish clipped at 0 for negative inputs. One entry for both variants: the default a = 1 is "
    "SC-mish; for SCL-mish learn a from its initial value, actlab.get('SCL-mish', trainable=True, a=0.25). "
    "Derivative at 0 taken as 0 (right-hand slope tanh(ln 2) = 0.6).",
)
def sc_mish(x: Tensor, a: Any = 1.0) -> Tensor:
    r""":math:`\max(0, x\tanh(\mathrm{softplus}(ax)))`."""
    xp = torch.relu(x)
    return xp * torch.tanh(softplus(xp * a))


@activation(
    "sc_swish",
    family="self_gated",
    latex=r"\max(0, x \sigma(x))",
    text="max(0, x * sigmoid(x))",
    citation=MERCIONI_HOLBAN_2021,
    names=("SC-swish", "Soft clipping swish"),
    survey=("SC-swish",),
    kinks=lambda p: (0.0,),
    source="Survey §4.2.41 (Mercioni & Holban): max(0, z σ(z)). "
    + IDENTIFIED_NOT_READ + " (§4.2.41).",
    notes="SiLU clipped at 0 for negative inputs. Derivative at 0 taken as 0 (right-hand slope 1/2). The "
    "survey lists SC-swish among the adaptive units next to SC-mish/SCL-mish, but its formula has no "
    "parameter: there is nothing to learn (unlike SCL-mish, whose a is learned).",
)
def sc_swish(x: Tensor) -> Tensor:
    r""":math:`\max(0, x\sigma(x))`."""
    xp = torch.relu(x)
    return xp * torch.sigmoid(xp)


@activation(
    "p_swish",
    family="self_gated",
    latex=r"x \text{ if } x > c \text{ else } a x \sigma(b x)",
    text="x if x > c else a * x * sigmoid(b * x)",
    citation=KUNC_KLEMA_2024,
    params=(
        Param("a", 1.0, "learnable (or fixed) scale a of the swish branch", trainable=True),
        Param("b", 1.0, "learnable (or fixed) swish slope b", trainable=True),
        Param("c", 0.0, "learnable (or fixed) switch point c", trainable=True),
    ),
    names=("p-swish", "Parametric swish"),
    survey=("p-swish",),
    kinks=lambda p: (p["c"],),
    source="Survey §4.2.42 (Mercioni & Holban): a z σ(b z) for z <= c, z for z > c, with a, b, c trainable "
    "or fixed, initialised to a = 1, b = 1, c = 0. "
    + _survey_only("4.2.42"),
    notes="At its initial values: SiLU for x <= 0 and the identity for x > 0 (a ReLU-swish hybrid; R_S is "
    "the variant with a = 1 fixed). Discontinuous at c unless a c σ(b c) = c.",
)
def p_swish(x: Tensor, a: Any = 1.0, b: Any = 1.0, c: Any = 0.0) -> Tensor:
    r""":math:`x` for :math:`x > c`, :math:`a x\sigma(bx)` otherwise."""
    return torch.where(x > c, x, x * torch.sigmoid(x * b) * a)


preset(
    "t_swish",
    of="p_swish",
    params={},
    citation=KUNC_KLEMA_2024,
    latex=r"x \text{ if } x \ge c \text{ else } a x \sigma(b x)",
    text="x if x >= c else a * x * sigmoid(b * x)",
    names=("T-swish", "Tunable swish"),
    survey=("T-swish",),
    source="Survey §4.2.57: the tunable swish, z for z >= c and a z σ(b z) for z < c (trainable horizontal "
    "and vertical scaling of the negative branch), a, b, c fixed or trainable. The original could not be "
    "read here; as printed it is p-swish up to the value at the single point z = c.",
    notes="The same function as p_swish (actlab evaluates p-swish's convention at x = c). Kept as a "
    "named preset so that the survey's name resolves and says so.",
)
