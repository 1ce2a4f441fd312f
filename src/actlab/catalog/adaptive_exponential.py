"""Adaptive exponential units of the survey's section 4.2 (Kunc & Kléma 2024): ELU relatives whose
scale, decay, shifts or thresholds are learned, mixtures of ELU with (P/L)ReLU, and the soft
exponential.

Every parameter the original work learns is ``trainable=True``; parameters may be Python numbers
or tensors broadcasting against ``x`` (per-channel learning: ``num_parameters=C``). Negative
branches are evaluated on ``where(selected, x, 0)`` with the catalog's ``expm1`` (exact exp
derivative), so no unselected branch overflows into the gradient.
"""

from __future__ import annotations

import math
from numbers import Real
from typing import Any

import torch

from actlab.catalog.adaptive_rectified import _survey_only
from actlab.catalog.citations import KUNC_KLEMA_2024
from actlab.catalog.exponential import SELU_ALPHA, SELU_SCALE, expm1
from actlab.catalog.registry import activation, preset
from actlab.catalog.spec import Citation, Param, Relation, equal_to

Tensor = torch.Tensor

LI_2016_MPELU = Citation(
    authors="Li, Y. and Fan, C. and Li, Y. and Wu, Q. and Ming, Y.",
    title="Improving Deep Neural Network with Multiple Parametric Exponential Linear Units",
    year=2016,
    arxiv="1606.00305",
    venue="Neurocomputing 301 (2018)",
)
JIE_2020 = Citation(
    authors="Jie, R. and Gao, J. and Vasnev, A. and Tran, M.-N.",
    title="Regularized Flexible Activation Function Combinations for Deep Neural Networks",
    year=2020,
    arxiv="2007.13101",
)
GODFREY_2015 = Citation(
    authors="Godfrey, L. B. and Gashler, M. S.",
    title="A continuum among logarithmic, linear, and exponential functions, and its potential to "
    "improve generalization in neural networks",
    year=2015,
    arxiv="1602.01321",
    venue="IC3K",
)
RAJANAND_2023 = Citation(
    authors="Rajanand, A. and Singh, P.",
    title="ErfReLU: Adaptive Activation Function for Deep Neural Network",
    year=2023,
    arxiv="2306.01822",
    venue="Pattern Analysis and Applications 27 (2024)",
)
GRELSSON_FELSBERG_2018 = Citation(
    authors="Grelsson, B. and Felsberg, M.",
    title="Improved Learning in Convolutional Neural Networks with Shifted Exponential Linear Units "
    "(ShELUs)",
    year=2018,
    url="https://doi.org/10.1109/ICPR.2018.8545104",
    venue="ICPR 2018",
)
CATALBAS_MORGUL_2023 = Citation(
    authors="Çatalbaş, B. and Morgül, Ö.",
    title="Deep learning with ExtendeD Exponential Linear Unit (DELU)",
    year=2023,
    url="https://doi.org/10.1007/s00521-023-08932-z",
    venue="Neural Computing and Applications 35",
)
ADEM_2022 = Citation(
    authors="Adem, K.",
    title="P + FELU: Flexible and trainable fast exponential linear unit for deep learning architectures",
    year=2022,
    url="https://doi.org/10.1007/s00521-022-07625-3",
    venue="Neural Computing and Applications 34",
)
CHENG_2020 = Citation(
    authors="Cheng, Q. and Li, H. and Wu, Q. and Ma, L. and Ngan, K. N.",
    title="Parametric Deformable Exponential Linear Units for Deep Neural Networks",
    year=2020,
    url="https://doi.org/10.1016/j.neunet.2020.02.012",
    venue="Neural Networks 125",
)


def _neg(x: Tensor) -> Tensor:
    """``x`` where ``x <= 0``, else 0: the safe argument of a negative branch."""
    return torch.where(x > 0, 0.0, x)


def _elu1(x: Tensor) -> Tensor:
    """ELU with α = 1 (continuously differentiable)."""
    return torch.where(x > 0, x, expm1(_neg(x)))


def _exprel(u: Any) -> Any:
    """(e^u - 1)/u, 1 at u = 0, for a number or a tensor; smooth in u (series near 0)."""
    if isinstance(u, Tensor):
        small = u.abs() < 1e-3
        us = torch.where(small, 1.0, u)
        series = 1 + u / 2 + u * u / 6 + u * u * u / 24
        return torch.where(small, series, torch.expm1(us) / us)
    if abs(u) < 1e-3:
        return 1.0 + u / 2 + u * u / 6 + u**3 / 24
    return math.inf if u > 709.0 else math.expm1(u) / u


# ----------------------------------------------------------------------------------- ELU shifts


@activation(
    "edelu",
    family="exponential",
    latex=r"x \;(x \ge c), \quad (e^{a x} - 1)/b \;(x < c), \quad b = (e^{a c} - 1)/c",
    text="x if x >= c else (exp(a * x) - 1) / b,  b = (exp(a * c) - 1) / c (b = a for c = 0)",
    citation=CATALBAS_MORGUL_2023,
    params=(
        Param("a", 1.0, "learnable decay a > 0 of the exponential branch", low=0.0, low_inclusive=False,
              trainable=True),
        Param("c", 0.0, "learnable threshold c >= 0 (the exponential branch below it)", low=0.0,
              trainable=True),
    ),
    names=("EDELU", "Extended exponential linear unit", "extendeD ELU"),
    survey=("EDELU",),
    kinks=lambda p: (p["c"],) if p["c"] != 0 else (),
    relations=(equal_to("elu", note="at the defaults a = 1, c = 0"),),
    source="Survey §4.2.44: z for z >= c, (e^{a z} - 1)/b for z < c, a, b >= 0 the PELU parameters in "
    "inverse form and c >= 0 a threshold tied to them by continuity, b c = e^{a c} - 1 (c = 0 always "
    "solves it; for b > a > 0 there is a second root). " + _survey_only("4.2.44")
    + " actlab parametrises the same family by (a, c) and derives b = (e^{ac} - 1)/c (b = a at c = 0), "
    "so the unit is continuous for every setting; a = 1, c = 0 (ELU) are our initial values.",
    notes="Extended ELU (its authors wrote DELU, a name taken by Pishchik's DELU). With c > 0 the slope "
    "jumps at c from a c e^{ac}/(e^{ac} - 1) > 1 to 1; c = 0 gives (e^{ax} - 1)/a, smooth. The ratio "
    "(e^{ac} - 1)/(ac) is evaluated by its series near 0, so c also learns from 0.",
)
def edelu(x: Tensor, a: Any = 1.0, c: Any = 0.0) -> Tensor:
    r""":math:`x` for :math:`x \ge c`, :math:`(e^{ax} - 1)/b` otherwise, :math:`b = (e^{ac}-1)/c`."""
    b = a * _exprel(a * c)
    below = x < c
    xs = torch.where(below, x, 0.0)
    return torch.where(below, expm1(xs * a) / b, x)


@activation(
    "shelu",
    family="exponential",
    latex=r"\mathrm{ELU}_\alpha(x + b)",
    text="x + b if x + b > 0 else alpha * (exp(x + b) - 1)",
    citation=GRELSSON_FELSBERG_2018,
    params=(
        Param("alpha", 1.0, "saturation α of the ELU", low=0.0),
        Param("b", 0.0, "horizontal shift b (preset)"),
    ),
    names=("ShELU", "Shifted ELU (horizontal)", "Horizontally shifted exponential linear unit"),
    survey=("ShELU",),
    kinks=lambda p: (-p["b"],) if p["alpha"] != 1.0 else (),
    relations=(equal_to("elu", note="at the default b = 0"),),
    source="Survey §4.2.56 (Grelsson & Felsberg, 'Improved learning in convolutional neural networks with "
    "shifted exponential linear units (ShELUs)', ICPR 2018): ELU(z + b; a), a as in ELU and b a preset "
    "horizontal shift. " + _survey_only("4.2.56") + " The default b = 0 (ELU) is our choice.",
    notes="A horizontal shift equals an extra, untied per-neuron bias before the ELU. Derivative at "
    "x = -b taken from the exponential branch (α).",
)
def shelu(x: Tensor, alpha: Any = 1.0, b: Any = 0.0) -> Tensor:
    r""":math:`\mathrm{ELU}_\alpha(x + b)`."""
    u = x + b
    return torch.where(u > 0, u, expm1(_neg(u)) * alpha)


@activation(
    "svelu",
    family="exponential",
    latex=r"\mathrm{ELU}_\alpha(x) + b",
    text="x + b if x > 0 else alpha * (exp(x) - 1) + b",
    citation=GRELSSON_FELSBERG_2018,
    params=(
        Param("alpha", 1.0, "saturation α of the ELU", low=0.0),
        Param("b", 0.0, "vertical shift b (preset)"),
    ),
    names=("SvELU", "Shifted ELU (vertical)", "Vertically shifted exponential linear unit"),
    survey=("SvELU",),
    kinks=lambda p: (0.0,) if p["alpha"] != 1.0 else (),
    relations=(equal_to("elu", note="at the default b = 0"),),
    source="Survey §4.2.56 (Grelsson & Felsberg, ICPR 2018): ELU(z; a) + b with b a preset vertical "
    "shift. " + _survey_only("4.2.56") + " The default b = 0 (ELU) is our choice.",
    notes="Derivative at 0 taken from the exponential branch (α).",
)
def svelu(x: Tensor, alpha: Any = 1.0, b: Any = 0.0) -> Tensor:
    r""":math:`\mathrm{ELU}_\alpha(x) + b`."""
    return torch.where(x > 0, x, expm1(_neg(x)) * alpha) + b


preset(
    "p_felu",
    of="svelu",
    params={},
    citation=ADEM_2022,
    latex=r"x + b \;(x > 0), \quad \alpha(2^{x/\ln 2} - 1) + b \;(x \le 0)",
    text="x + b if x > 0 else alpha * (exp(x) - 1) + b",
    names=("P+FELU",),
    survey=("P+FELU",),
    source="Survey §4.2.47 (Adem, 'P+FELU: flexible and trainable fast exponential linear unit', 2022): "
    "FELU with an added trainable shift b, z + b for z >= 0 and a(2^{z/ln 2} - 1) + b otherwise, a and b "
    "learned. The full text could not be read here (its abstract, checked, calls the unit 'flexible and "
    "trainable'); the formula is the survey's. Since 2^{z/ln 2} = e^z this is SvELU with both "
    "parameters learned.",
    notes="The same function as svelu; both α and b (the survey's a and b) are trainable, as in the paper.",
    trainable=("alpha", "b"),
)


@activation(
    "pshelu",
    family="exponential",
    latex=r"\mathrm{PELU}_{a,b}(x + c)",
    text="a / b * (x + c) if x + c > 0 else a * (exp((x + c) / b) - 1)",
    citation=GRELSSON_FELSBERG_2018,
    params=(
        Param("a", 1.0, "learnable PELU saturation a > 0", low=0.0, low_inclusive=False, trainable=True),
        Param("b", 1.0, "learnable PELU decay b > 0", low=0.0, low_inclusive=False, trainable=True),
        Param("c", 0.0, "learnable horizontal shift c", trainable=True),
    ),
    names=("PShELU", "PSheLU", "PELU with horizontal shift"),
    survey=("PShELU",),
    relations=(equal_to("pelu", note="at the default c = 0"),),
    source="Survey §4.2.56 (Grelsson & Felsberg, ICPR 2018): PELU(z + c; a, b), a, b the PELU parameters "
    "and c a learned horizontal shift. " + _survey_only("4.2.56")
    + " Defaults a = b = 1 (PELU's initial values) and c = 0 are our choice.",
    notes="Continuously differentiable (PELU's slope a/b on both sides of x = -c).",
)
def pshelu(x: Tensor, a: Any = 1.0, b: Any = 1.0, c: Any = 0.0) -> Tensor:
    r""":math:`\frac{a}{b}(x + c)` for :math:`x + c > 0`, :math:`a(e^{(x+c)/b} - 1)` otherwise."""
    u = x + c
    return torch.where(u > 0, u * (a / b), expm1(_neg(u) / b) * a)


@activation(
    "psvelu",
    family="exponential",
    latex=r"\mathrm{PELU}_{a,b}(x) + c",
    text="a / b * x + c if x > 0 else a * (exp(x / b) - 1) + c",
    citation=KUNC_KLEMA_2024,
    params=(
        Param("a", 1.0, "learnable PELU saturation a > 0", low=0.0, low_inclusive=False, trainable=True),
        Param("b", 1.0, "learnable PELU decay b > 0", low=0.0, low_inclusive=False, trainable=True),
        Param("c", 0.0, "learnable vertical shift c", trainable=True),
    ),
    names=("PSvELU", "PELU with vertical shift"),
    survey=("PSvELU",),
    relations=(equal_to("pelu", note="at the default c = 0"),),
    source="Survey §4.2.56: PELU(z; a, b) + c. The survey defines this unit itself ('Grelsson and "
    "Felsberg did not propose a PELU with vertical shift, but it could be defined in a similar manner'), "
    "so it has no original paper; defaults a = b = 1, c = 0 as for PShELU.",
    notes="Continuously differentiable (slope a/b on both sides of 0).",
)
def psvelu(x: Tensor, a: Any = 1.0, b: Any = 1.0, c: Any = 0.0) -> Tensor:
    r""":math:`\frac{a}{b}x + c` for :math:`x > 0`, :math:`a(e^{x/b} - 1) + c` otherwise."""
    return torch.where(x > 0, x * (a / b), expm1(_neg(x) / b) * a) + c


preset(
    "felu",
    of="elu",
    params={},
    citation=KUNC_KLEMA_2024,
    latex=r"x \;(x > 0), \quad \alpha\,(2^{x/\ln 2} - 1) \;(x \le 0)",
    text="x if x > 0 else alpha * (exp(x) - 1)",
    names=("FELU", "Fast exponential linear unit"),
    survey=("FELU",),
    source="Survey §4.2.46 (Qiumei et al. 2019, 'Improved convolutional neural network based on fast "
    "exponentially linear unit activation function', IEEE Access): z for z >= 0, a(2^{z/ln 2} - 1) "
    "otherwise, a learned; the base-2 form serves a fast exp approximation. The original could not be "
    "read here. Since 2^{z/ln 2} = e^z exactly, FELU is ELU with a learnable α.",
    notes="The same function as ELU (FELU ≡ ELU); α is trainable, as the survey says the paper learns it.",
    trainable=("alpha",),
)


@activation(
    "mpelu",
    family="exponential",
    latex=r"x \text{ if } x > 0 \text{ else } a (e^{b x} - 1)",
    text="x if x > 0 else a * (exp(b * x) - 1)",
    citation=LI_2016_MPELU,
    params=(
        Param("a", 0.25, "learnable scale a of the negative branch", trainable=True),
        Param("b", 1.0, "learnable decay b > 0 of the negative branch", low=0.0, low_inclusive=False,
              trainable=True),
    ),
    names=("MPELU", "Multiple parametric exponential linear unit"),
    survey=("MPELU",),
    kinks=lambda p: (0.0,) if p["a"] * p["b"] != 1.0 else (),
    relations=(Relation("related", "elu", note="MPELU(a = α, b = 1) is ELU(α); a = 0 gives ReLU"),),
    source="Li et al. (arXiv 1606.00305), Eq. 1: x for x > 0, α(e^{βx} - 1) otherwise, α and β learned "
    "per channel; the authors' PyTorch code (Coldmooon/Code-for-MPELU, pytorch/mpelu.py) initialises "
    "α = 0.25 and β = 1. The survey §4.2.48 prints the same formula.",
    notes="Interpolates between ReLU (a = 0) and ELU (b = 1). Derivative at 0 taken from the negative "
    "branch (a b); smooth when a b = 1.",
)
def mpelu(x: Tensor, a: Any = 0.25, b: Any = 1.0) -> Tensor:
    r""":math:`x` for :math:`x > 0`, :math:`a(e^{bx} - 1)` otherwise."""
    return torch.where(x > 0, x, expm1(_neg(x) * b) * a)


# ------------------------------------------------------------------------------------ mixtures


@activation(
    "mixed_lrelu_elu",
    family="exponential",
    latex=r"p\,\mathrm{LReLU}_s(x) + (1 - p)\,\mathrm{ELU}_\alpha(x)",
    text="x if x > 0 else p * negative_slope * x + (1 - p) * alpha * (exp(x) - 1)",
    citation=KUNC_KLEMA_2024,
    params=(
        Param("p", 0.5, "learnable mixing weight p", low=0.0, high=1.0, trainable=True),
        Param("negative_slope", 0.01, "LeakyReLU slope s", low=0.0, high=1.0),
        Param("alpha", 1.0, "ELU saturation α", low=0.0),
    ),
    names=("Mixed LReLU-ELU", "Adaptive combination of LReLU and ELU"),
    survey=("PELU+PReLU combination",),
    kinks=lambda p: (0.0,) if p["p"] * p["negative_slope"] + (1 - p["p"]) * p["alpha"] != 1.0 else (),
    source="Survey §4.2.45 (Qian et al. 2018, 'Adaptive activation functions in convolutional neural "
    "networks', Neurocomputing): the mixed activation a LReLU(z) + (1 - a) ELU(z), a learned. "
    + _survey_only("4.2.45")
    + " Defaults p = 0.5 (an even mix), LReLU slope 0.01 and ELU α = 1 are our choice.",
    notes="The first of the survey's two PELU/PReLU combinations (the other is gated_prelu_pelu). "
    "Equal to the identity for x > 0.",
)
def mixed_lrelu_elu(x: Tensor, p: Any = 0.5, negative_slope: Any = 0.01, alpha: Any = 1.0) -> Tensor:
    r""":math:`p\,\mathrm{LReLU}(x) + (1 - p)\,\mathrm{ELU}(x)`."""
    xn = _neg(x)
    neg = xn * (p * negative_slope) + expm1(xn) * ((1 - p) * alpha)
    return torch.where(x > 0, x, neg)


@activation(
    "gated_prelu_pelu",
    family="exponential",
    latex=r"\sigma(w x)\,\mathrm{PReLU}_s(x) + (1 - \sigma(w x))\,\mathrm{PELU}_{a,b}(x)",
    text="sigmoid(w * x) * (x if x > 0 else s * x) + (1 - sigmoid(w * x)) * "
    "(a / b * x if x > 0 else a * (exp(x / b) - 1))",
    citation=KUNC_KLEMA_2024,
    params=(
        Param("w", 1.0, "learnable gate weight w", trainable=True),
        Param("s", 0.25, "learnable PReLU slope s", trainable=True),
        Param("a", 1.0, "learnable PELU saturation a > 0", low=0.0, low_inclusive=False, trainable=True),
        Param("b", 1.0, "learnable PELU decay b > 0", low=0.0, low_inclusive=False, trainable=True),
    ),
    names=("Gated PReLU-PELU", "Gated combination of PReLU and PELU"),
    survey=("PELU+PReLU combination",),
    kinks=lambda p: (0.0,),
    source="Survey §4.2.45 (Qian et al. 2018, Neurocomputing): the gated combination "
    "σ(a z) PReLU(z) + (1 - σ(a z)) PELU(z), the gate and both units' parameters learned. "
    + _survey_only("4.2.45")
    + " Initial values w = 1, PReLU s = 0.25 (PReLU's usual init) and PELU a = b = 1 (PELU's) are our "
    "choice.",
    notes="A soft, input-dependent switch between PReLU (large positive w x) and PELU. Derivative at 0 "
    "taken from the negative branches.",
)
def gated_prelu_pelu(x: Tensor, w: Any = 1.0, s: Any = 0.25, a: Any = 1.0, b: Any = 1.0) -> Tensor:
    r""":math:`\sigma(wx)\,\mathrm{PReLU}_s(x) + (1 - \sigma(wx))\,\mathrm{PELU}_{a,b}(x)`."""
    xn = _neg(x)
    prelu = torch.where(x > 0, x, x * s)
    pelu = torch.where(x > 0, x * (a / b), expm1(xn / b) * a)
    g = torch.sigmoid(x * w)
    return g * prelu + (1 - g) * pelu


@activation(
    "p_e2_relu",
    family="exponential",
    latex=r"a\,\mathrm{ReLU}(x) + b\,\mathrm{ELU}(x) + (1 - a - b)(-\mathrm{ELU}(-x))",
    text="a * max(0, x) + b * (x if x > 0 else exp(x) - 1) + (1 - a - b) * (x if x < 0 else 1 - exp(-x))",
    citation=JIE_2020,
    params=(
        Param("a", 0.4, "learnable weight a of the ReLU", trainable=True),
        Param("b", 0.3, "learnable weight b of ELU(x)", trainable=True),
    ),
    names=("P-E2-ReLU",),
    survey=("P-E2-ReLU / P-E2-Id",),
    kinks=lambda p: (0.0,) if p["a"] != 0 else (),
    source="Jie et al. (arXiv 2007.13101), the P-E2-XU family with X = ReLU: a ReLU(z) + b ELU(z) + "
    "(1 - a - b)(-ELU(-z)), a and b learned per neuron, initialised to 0.4 and 0.3; survey §4.2.49 "
    "prints the same.",
    notes="The weights sum to 1, so the slope just right of 0 is 1. ELU with α = 1. Derivative at 0 "
    "taken as 1 - a (ReLU's part 0).",
)
def p_e2_relu(x: Tensor, a: Any = 0.4, b: Any = 0.3) -> Tensor:
    r""":math:`a\,\mathrm{ReLU}(x) + b\,\mathrm{ELU}(x) - (1 - a - b)\,\mathrm{ELU}(-x)`."""
    xp = torch.where(x < 0, 0.0, x)
    mirrored = torch.where(x < 0, x, -expm1(-xp))
    return torch.relu(x) * a + _elu1(x) * b + mirrored * (1 - a - b)


@activation(
    "p_e2_id",
    family="exponential",
    latex=r"a x + (1 - a)(\mathrm{ELU}(x) - \mathrm{ELU}(-x))",
    text="a * x + (1 - a) * (x + 1 - exp(-x) if x > 0 else exp(x) - 1 + x)",
    citation=JIE_2020,
    params=(Param("a", 0.5, "learnable weight a of the identity", trainable=True),),
    names=("P-E2-Id",),
    survey=("P-E2-ReLU / P-E2-Id",),
    source="Jie et al. (arXiv 2007.13101), the P-E2-XU family with X = identity, as printed in the survey "
    "§4.2.49: a z + (1 - a)(ELU(z) - ELU(-z)), a learned and initialised to 0.5. The paper itself could "
    "not be read here, so the survey's form is implemented as printed.",
    notes="Odd and smooth (C^∞ away from 0, C¹ at 0), slope 2 - a at 0; as printed the weights sum to "
    "2 - a, unlike P-E2-ReLU's (if the paper halves the ELU pair, this entry differs by that factor).",
)
def p_e2_id(x: Tensor, a: Any = 0.5) -> Tensor:
    r""":math:`ax + (1 - a)(\mathrm{ELU}(x) - \mathrm{ELU}(-x))`."""
    return x * a + (_elu1(x) - _elu1(-x)) * (1 - a)


# -------------------------------------------------------------------------------- other units


def _soft_exp_pos(x: Tensor, a: Any) -> Tensor:
    return expm1(x * a) / a + a


def _soft_exp_neg(x: Tensor, a: Any) -> Tensor:
    return -torch.log1p(-(x + a) * a) / a


@activation(
    "soft_exponential",
    family="exponential",
    latex=r"-\frac{\ln(1 - a(x + a))}{a} \;(a < 0), \quad x \;(a = 0), \quad \frac{e^{a x} - 1}{a} + a "
    r"\;(a > 0)",
    text="-log(1 - a*(x + a))/a if a < 0 else (x if a == 0 else (exp(a*x) - 1)/a + a)",
    citation=GODFREY_2015,
    params=(Param("a", 0.0, "learnable α: < 0 logarithmic, 0 linear, > 0 exponential", trainable=True),),
    names=("Soft exponential",),
    survey=("soft exponential",),
    relations=(equal_to("identity", note="at the default a = 0"),),
    source="Godfrey & Gashler (arXiv 1602.01321), Eq. 1: f(α, x) = -ln(1 - α(x + α))/α for α < 0, x for "
    "α = 0, (e^{αx} - 1)/α + α for α > 0, α learned per neuron; survey §4.2.50 prints the same. The "
    "initial α = 0 (the identity) is our choice.",
    notes="Continuous and differentiable in both x and α; α = -1 gives ln(x), α = 1 gives e^x. For α < 0 "
    "it is defined only for x > 1/α - α (NaN below). At α = 0 exactly the function is the identity but "
    "its derivative in α, 1 + x²/2, is kept, so α learns from 0.",
)
def soft_exponential(x: Tensor, a: Any = 0.0) -> Tensor:
    r"""The soft exponential of Godfrey & Gashler."""
    if isinstance(a, Real):
        if a > 0:
            return _soft_exp_pos(x, a)
        if a < 0:
            return _soft_exp_neg(x, a)
        return x.clone()
    pos, negative = a > 0, a < 0
    a_pos, a_neg = torch.where(pos, a, 1.0), torch.where(negative, a, -1.0)
    y_pos = _soft_exp_pos(torch.where(pos, x, 0.0), a_pos)
    y_neg = _soft_exp_neg(torch.where(negative, x, 0.0), a_neg)
    # at a = 0: value x, derivative in a the common limit 1 + x^2/2 of both branches
    a_zero = torch.where(pos | negative, 0.0, a)
    slope = 1 + 0.5 * x * x
    y_zero = x + a_zero * torch.where(torch.isinf(slope), 0.0, slope)
    return torch.where(pos, y_pos, torch.where(negative, y_neg, y_zero))


@activation(
    "erfrelu",
    family="exponential",
    latex=r"x \text{ if } x > 0 \text{ else } a \operatorname{erf}(x)",
    text="x if x > 0 else a * erf(x)",
    citation=RAJANAND_2023,
    params=(Param("a", 1.0, "learnable scale a of the negative branch", trainable=True),),
    names=("ErfReLU", "Erf-based ReLU"),
    survey=("ErfReLU",),
    kinks=lambda p: (0.0,) if abs(p["a"] * 2 / math.sqrt(math.pi) - 1) > 1e-15 else (),
    source="Rajanand & Singh (arXiv 2306.01822): x for x >= 0, a erf(x) otherwise, a learned per neuron; "
    "survey §4.2.52 prints the same. The initial a could not be read here: a = 1 is our choice.",
    notes="Saturates at -a for x → -∞; derivative at 0 taken from the negative branch (2a/√π).",
)
def erfrelu(x: Tensor, a: Any = 1.0) -> Tensor:
    r""":math:`x` for :math:`x > 0`, :math:`a\,\mathrm{erf}(x)` otherwise."""
    return torch.where(x > 0, x, torch.erf(x) * a)


@activation(
    "lpselu_rp",
    family="exponential",
    latex=r"a x + m \;(x > 0), \quad a b (e^x - 1) + c x + m \;(x \le 0)",
    text="a * x + m if x > 0 else a * b * (exp(x) - 1) + c * x + m",
    citation=KUNC_KLEMA_2024,
    params=(
        Param("a", SELU_SCALE, "learnable scale a (SELU's λ)", trainable=True),
        Param("b", SELU_ALPHA, "learnable saturation b (SELU's α)", trainable=True),
        Param("c", 0.01, "slope c of the leak for x < 0 (a constant, or learned)"),
        Param("m", 0.0, "learnable reposition (vertical shift) m", trainable=True),
    ),
    names=("LPSELU_RP", "LPSELU-RP"),
    survey=("LPSELU_RP",),
    kinks=lambda p: (0.0,) if p["a"] * p["b"] + p["c"] != p["a"] else (),
    relations=(Relation("related", "lselu", note="LSELU(λ, α, c) = LPSELU_RP(a=λ, b=α, c=λc, m=0)"),),
    source="Survey §4.2.53-4.2.55: PSELU is SELU with its two constants learned (a z for z >= 0, "
    "a b (e^z - 1) otherwise), LPSELU adds a leak c z for z < 0 (c a constant or learned), LPSELU_RP a "
    "learned shift m. " + _survey_only("4.2.55")
    + " Initial values a = λ, b = α of SELU (PSELU then is SELU), c = 0.01 and m = 0 are our choice.",
    notes="The leak keeps a gradient c for x → -∞. The paper observed m converging to small negative "
    "values. Derivative at 0 taken from the negative branch (a b + c).",
)
def lpselu_rp(
    x: Tensor, a: Any = SELU_SCALE, b: Any = SELU_ALPHA, c: Any = 0.01, m: Any = 0.0
) -> Tensor:
    r""":math:`ax + m` for :math:`x > 0`, :math:`ab(e^x - 1) + cx + m` otherwise."""
    xn = _neg(x)
    return torch.where(x > 0, x * a, expm1(xn) * (a * b) + xn * c) + m


preset(
    "lpselu",
    of="lpselu_rp",
    params={"m": 0.0},
    citation=KUNC_KLEMA_2024,
    latex=r"a x \;(x > 0), \quad a b (e^x - 1) + c x \;(x \le 0)",
    text="a * x if x > 0 else a * b * (exp(x) - 1) + c * x",
    names=("LPSELU", "Leaky parametric scaled exponential linear unit"),
    survey=("LPSELU",),
    source="Survey §4.2.54: a z for z >= 0, a b (e^z - 1) + c z otherwise, a, b learned, c a constant or "
    "learned. The original could not be read here; defaults as for LPSELU_RP.",
    notes="LPSELU_RP without the reposition m.",
)

preset(
    "pselu",
    of="lpselu_rp",
    params={"c": 0.0, "m": 0.0},
    citation=KUNC_KLEMA_2024,
    latex=r"a x \;(x > 0), \quad a b (e^x - 1) \;(x \le 0)",
    text="a * x if x > 0 else a * b * (exp(x) - 1)",
    names=("PSELU", "Parametric scaled exponential linear unit"),
    survey=("PSELU",),
    relations=(equal_to("selu", note="at the defaults a = λ, b = α of SELU"),),
    source="Survey §4.2.53: SELU with its constants learned, a z for z >= 0, a b (e^z - 1) otherwise. "
    "The original could not be read here; the initial values are SELU's λ and α.",
    notes="At its initial values this is SELU.",
)


@activation(
    "pdelu",
    family="exponential",
    latex=r"x \;(x > 0), \quad a\left([1 + (1 - t) x]_+^{1/(1 - t)} - 1\right) \;(x \le 0)",
    text="x if x > 0 else a * (max(0, 1 + (1 - t) * x)^(1 / (1 - t)) - 1)",
    citation=CHENG_2020,
    params=(
        Param("a", 1.0, "learnable scale a (saturation -a)", trainable=True),
        Param("t", 0.9, "deformation t in [0, 1) (t → 1 gives ELU)", low=0.0, high=1.0, high_inclusive=False),
    ),
    names=("PDELU", "Parametric deformable exponential linear unit"),
    survey=("PDELU",),
    kinks=lambda p: (((0.0,) if p["a"] != 1.0 else ()) + ((-1.0,) if p["t"] == 0.0 else ())),
    relations=(Relation("limit_of", "elu", note="t → 1 with α = a (the deformed exponential tends to e^x)"),),
    source="Cheng et al. (doi 10.1016/j.neunet.2020.02.012): x for x > 0, α([1 + (1 - t)x]_+^{1/(1 - t)} "
    "- 1) otherwise, α learned per channel, t a fixed deformation, recommended t = 0.9 (also in the "
    "survey §4.2.59). The initial α could not be read here: 1 is our choice. (The peer package "
    "misplaces the bracket, a·[...]^{1/(1-t)} - 1, which is discontinuous at 0 unless a = 1.)",
    notes="The Tsallis-deformed exponential replaces e^x: with t = 0.9 the negative branch is "
    "a((1 + x/10)^10 - 1), reaching -a exactly at x = -10 and staying there. Evaluated as "
    "a·expm1(log1p((1 - t)x)/(1 - t)). Derivative at 0 from the negative branch (a).",
)
def pdelu(x: Tensor, a: Any = 1.0, t: Any = 0.9) -> Tensor:
    r""":math:`x` for :math:`x > 0`, :math:`a([1 + (1-t)x]_+^{1/(1-t)} - 1)` otherwise."""
    u = _neg(x) * (1 - t)
    us = torch.where(u <= -1, 0.0, u)  # NaN passes
    neg = torch.where(u <= -1, -1.0, expm1(torch.log1p(us) / (1 - t))) * a
    return torch.where(x > 0, x, neg)


