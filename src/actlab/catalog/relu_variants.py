"""The rest of the survey's ReLU family (Kunc & Kléma 2024, §3.6): shifted, sloped, bounded, mirrored,
periodic and power variants of ReLU, and the ELU alternatives at the end of §3.6.

The basic units (relu, leaky_relu, relun, hardtanh, trec, repu, absolute, ...) live in
:mod:`actlab.catalog.rectified`; rows that are those functions with fixed parameters are presets here.
Where the survey is the only source we could read for a formula (its bibliography is not in the stored
copy, and several original papers were out of reach), the citation is the survey and ``source`` names
the original authors as the survey does; where a default is missing, ``notes`` says why the value
was chosen.

Conventions: derivatives at kinks follow PyTorch (``relu'(0) = 0``; clipping functions have derivative
0 at their clip points); every branch of a ``torch.where`` is evaluated on an argument that is safe for
it, selected with the same condition, so NaN propagates and no unselected branch poisons a gradient.
"""

from __future__ import annotations

import math
from typing import Any

import torch

from actlab.catalog.citations import (
    GUPTA_AHUJA_2021,
    IDENTIFIED_NOT_READ,
    KUNC_KLEMA_2024,
    RAMACHANDRAN_2017,
    SHAN_LI_CHEN_2022,
)
from actlab.catalog.exponential import CLEVERT_2015
from actlab.catalog.rectified import LI_TANG_YU_2019, LIEW_2016, _clip
from actlab.catalog.registry import activation, preset
from actlab.catalog.sigmoidal import log_of, softplus
from actlab.catalog.spec import Citation, Param, Relation, equal_to, special_case_of

Tensor = torch.Tensor

GRAHAM_2014 = Citation(
    authors="Graham, B.",
    title="Spatially-sparse convolutional neural networks",
    year=2014,
    arxiv="1409.6070",
)
LI_FENG_ZHOU_2022 = Citation(
    authors="Li, J. and Feng, H. and Zhou, D.-X.",
    title="SignReLU neural network and its approximation ability",
    year=2022,
    arxiv="2210.10264",
)
EL_JAAFARI_2021 = Citation(
    authors="El Jaafari, I. and Ellahyani, A. and Charfi, S.",
    title="Parametric rectified nonlinear unit (PRenu) for convolution neural networks",
    year=2021,
    url="https://doi.org/10.1007/s11760-020-01746-9",
    venue="Signal, Image and Video Processing 15",
)
MACEDO_2019 = Citation(
    authors="Macêdo, D. and Zanchettin, C. and Oliveira, A. L. I. and Ludermir, T.",
    title="Enhancing batch normalized convolutional networks using displaced rectifier linear units: "
    "A systematic comparative study",
    year=2019,
    url="https://doi.org/10.1016/j.eswa.2019.01.066",
    venue="Expert Systems with Applications 124",
)
RODRIGUES_2018 = Citation(
    authors="Rodrigues, W.",
    title="SineReLU - An Alternative to the ReLU Activation Function",
    year=2018,
    url="https://medium.com/@wilder.rodrigues/sinerelu-an-alternative-to-the-relu-activation-function-"
    "e46a6199997d",
    venue="Medium; implemented by the author in keras-contrib (layers/advanced_activations/sinerelu.py)",
)
COURBARIAUX_2015 = Citation(
    authors="Courbariaux, M. and Bengio, Y. and David, J.-P.",
    title="BinaryConnect: Training Deep Neural Networks with binary weights during propagations",
    year=2015,
    arxiv="1511.00363",
    venue="NeurIPS",
)
KERAS_HARD_SIGMOID = Citation(
    authors="Chollet, F. and others",
    title="Keras: tf.keras.activations.hard_sigmoid",
    year=2015,
    url="https://www.tensorflow.org/versions/r2.9/api_docs/python/tf/keras/activations/hard_sigmoid",
    venue="Keras 2 / TensorFlow 2.x API documentation",
)
VALLES_PEREZ_2023 = Citation(
    authors="Vallés-Pérez, I. and Soria-Olivas, E. and Martínez-Sober, M. and Serrano-López, A. J. and "
    "Vila-Francés, J. and Gómez-Sanchís, J.",
    title="Empirical study of the modulus as activation function in computer vision applications",
    year=2023,
    arxiv="2301.05993",
)
NASIRI_2021 = Citation(
    authors="Nasiri, K. and Ghiasi-Shirazi, K.",
    title="PowerLinear Activation Functions with application to the first layer of CNNs",
    year=2021,
    arxiv="2108.09256",
)
CHIENG_2018 = Citation(
    authors="Chieng, H. H. and Wahid, N. and Ong, P. and Perla, S. R. K.",
    title="Flatten-T Swish: a thresholded ReLU-Swish-like activation function for deep learning",
    year=2018,
    arxiv="1812.06247",
)
GEORGESCU_2020 = Citation(
    authors="Georgescu, M.-I. and Ionescu, R. T. and Ristea, N.-C. and Sebe, N.",
    title="Non-linear Neurons with Human-like Apical Dendrite Activations",
    year=2020,
    arxiv="2003.03229",
    venue="Applied Intelligence 53 (2023)",
)

SURVEY_ONLY = (
    "The survey's formula is the one implemented (its stored copy carries no bibliography and the "
    "original paper was out of reach); "
)


def _where_pos(x: Tensor, pos: Tensor, fill: float = 0.0) -> Tensor:
    """``x`` where ``pos`` else ``fill``: the safe argument of the positive branch."""
    return torch.where(pos, x, fill)


def _where_neg(x: Tensor, pos: Tensor, fill: float = 0.0) -> Tensor:
    """``fill`` where ``pos`` else ``x``: the safe argument of the negative branch (NaN, which fails
    every comparison, goes to this branch and stays NaN)."""
    return torch.where(pos, fill, x)


# ------------------------------------------------------------------ shifted and translated ReLUs


@activation(
    "displaced_relu",
    family="rectified",
    latex=r"x \text{ if } x \ge -a \text{ else } -a \;=\; \max(x, -a)",
    text="max(x, -a)",
    citation=MACEDO_2019,
    params=(Param("a", 0.05, "displacement a >= 0 into the third quadrant", low=0.0),),
    names=("DisReLU", "displaced ReLU", "displaced rectifier linear unit"),
    survey=("DisReLU",),
    relations=(special_case_of("threshold", threshold=-0.05, value=-0.05),),
    grad_mask=lambda x, a=0.05: x > -a,
    grad_mask_values=lambda p: (0.0, 1.0),
    kinks=lambda p: (-p["a"],),
    source="Macêdo et al. (2019): the identity extended into the third quadrant down to -a, constant -a "
    "below (x if x >= -a else -a); the survey (§3.6.44) prints the same and notes shifted ReLU is a = 1.",
    notes="Macêdo et al. abbreviate it DReLU, a name the survey (and actlab) keeps for the dynamic ReLU; "
    "we use DisReLU. The default a = 0.05 is our choice of a small displacement (the paper's tuned value "
    "was not checked here); a = 0 is ReLU, a = 1 the preset shifted_relu. It is threshold(-a, -a). "
    "Derivative 0 at x = -a (torch.nn.Threshold's convention).",
)
def displaced_relu(x: Tensor, a: Any = 0.05) -> Tensor:
    r""":math:`\max(x, -a)`."""
    return torch.where(x <= -a, -a, x)


preset(
    "shifted_relu",
    of="displaced_relu",
    params={"a": 1.0},
    citation=CLEVERT_2015,
    text="max(x, -1)",
    latex=r"\max(x, -1)",
    names=("shifted ReLU", "SReLU", "ShiftedReLU"),
    survey=("shifted ReLU max(z,-1)",),
    relations=(special_case_of("threshold", threshold=-1.0, value=-1.0),),
    source="Clevert et al. (2015): the 'shifted ReLU (SReLU)' baseline max(-1, x) of the ELU "
    "experiments; the survey (§3.6.1) prints max(z, -1) and calls it DisReLU with a = 1.",
    notes="'SReLU' also names the S-shaped ReLU (s_shaped_relu): actlab.get('SReLU') asks which. The peer "
    "package's 'SReLU' is relu(x - 1) and its ShiftedReLU relu(x - 0.5): other functions (horizontal "
    "shifts are delay_relu here).",
)

preset(
    "vlrelu",
    of="leaky_relu",
    params={"negative_slope": 1 / 3},
    citation=GRAHAM_2014,
    text="max(x, x/3)",
    latex=r"\max(x, x/3)",
    names=("VLReLU", "very leaky ReLU"),
    survey=("VLReLU",),
    source="Survey §3.6.2: the very leaky ReLU sets a = 3 in the LReLU form z/a, i.e. slope 1/3 for z < 0 "
    "(the very leaky units of Graham's CIFAR-10 networks).",
    notes="The peer package's VLReLU multiplies by 3 (slope 3) instead of dividing: a different function.",
)

OLRELU_SLOPE = math.exp(-(8.0 + 3.0) / (8.0 - 3.0))

preset(
    "olrelu",
    of="leaky_relu",
    params={"negative_slope": OLRELU_SLOPE},
    citation=KUNC_KLEMA_2024,
    text="max(x, 0.11080315836233387*x)",
    latex=r"\max(x, e^{-(u+l)/(u-l)} x),\ l = 3,\ u = 8",
    names=("OLReLU", "optimized leaky ReLU"),
    survey=("OLReLU",),
    source="Survey §3.6.2: x for x >= 0, x·exp(-a) otherwise with a = (u + l)/(u - l) from the RReLU "
    "bounds; with the recommended RReLU law U(3, 8) (equivalently slopes U(1/8, 1/3)) a = 2.2.",
    notes="Slope e^{-2.2} ≈ 0.1108. a depends only on the ratio u/l, so the divisor bounds (3, 8) and the "
    "slope bounds (1/8, 1/3) give the same unit.",
)


@activation(
    "delay_relu",
    family="rectified",
    latex=r"\max(0, x - a)",
    text="max(0, x - a)",
    citation=SHAN_LI_CHEN_2022,
    params=(Param("a", 0.08, "delay (horizontal shift) a > 0", low=0.0, low_inclusive=False),),
    names=("DRLU", "delay ReLU", "delayed ReLU"),
    survey=("DRLU",),
    grad_mask=lambda x, a=0.08: (x - a) > 0,
    grad_mask_values=lambda p: (0.0, 1.0),
    kinks=lambda p: (p["a"],),
    source=IDENTIFIED_NOT_READ + "; survey §3.6.43: max(0, z - a) with a > 0, after Shan, Li & Chen, "
    "who used "
    "a in {0.06, 0.08, 0.10}.",
    notes="Default a = 0.08, the middle of the values the authors used. The authors' abbreviation DRLU is "
    "kept (DReLU names the dynamic ReLU).",
)
def delay_relu(x: Tensor, a: Any = 0.08) -> Tensor:
    r""":math:`\max(0, x - a)`."""
    return torch.relu(x - a)


@activation(
    "slrelu",
    family="rectified",
    latex=r"a \max(0, x)",
    text="a*max(0, x)",
    citation=KUNC_KLEMA_2024,
    params=(Param("a", 2.0, "slope a for x > 0", low=0.0),),
    names=("SlReLU", "sloped ReLU"),
    survey=("SlReLU",),
    grad_mask=lambda x, a=2.0: x > 0,
    grad_mask_values=lambda p: (0.0, p["a"]),
    kinks=lambda p: (0.0,),
    source=SURVEY_ONLY + "survey §3.6.5: a·z for z >= 0, 0 otherwise, after Seo, Lee & Kim (IEEE PIMRC "
    "2017), who recommend a in [1, 10] (the range as two transcriptions of the survey give it).",
    notes="Default a = 2 is our choice inside the recommended [1, 10] (a = 1 is ReLU).",
)
def slrelu(x: Tensor, a: Any = 2.0) -> Tensor:
    r""":math:`a \max(0, x)`."""
    return torch.relu(x) * a


@activation(
    "li_relu",
    family="rectified",
    latex=r"\max(0, x) + a x",
    text="max(0, x) + a*x",
    citation=KUNC_KLEMA_2024,
    params=(Param("a", 0.1, "weight a of the linear term"),),
    names=("Li-ReLU", "LiReLU"),
    survey=("Li-ReLU",),
    grad_mask=lambda x, a=0.1: x >= 0,
    grad_mask_values=lambda p: (p["a"], 1.0 + p["a"]),
    kinks=lambda p: (0.0,),
    source=SURVEY_ONLY + "survey §3.6.33: (a + 1) z for z >= 0, a z otherwise, after Elakkiya & Dejey "
    "(Neural Computing and Applications 2023).",
    notes="Default a = 0.1 is our choice (no value in the survey's text; transcriptions use 0.1 or 0.2). "
    "It is (1 + a) · leaky_relu(x, a/(1 + a)). Derivative at 0 taken as 1 + a.",
)
def li_relu(x: Tensor, a: Any = 0.1) -> Tensor:
    r""":math:`(1 + a)x` for :math:`x \ge 0`, :math:`a x` otherwise."""
    return torch.where(x >= 0, x * (1 + a), x * a)


@activation(
    "abslu",
    family="rectified",
    latex=r"x \text{ if } x \ge 0 \text{ else } a|x|",
    text="max(0, x) - a*min(0, x)",
    citation=KUNC_KLEMA_2024,
    params=(Param("a", 0.5, "weight a of |x| for x < 0", low=0.0, high=1.0),),
    names=("AbsLU", "absolute linear unit"),
    survey=("AbsLU",),
    relations=(
        special_case_of("prelu", a=-0.5),
        Relation("related", "absolute", note="a = 1 gives |x|; a = 0 gives ReLU"),
    ),
    grad_mask=lambda x, a=0.5: x >= 0,
    grad_mask_values=lambda p: (-p["a"], 1.0),
    kinks=lambda p: (0.0,),
    source=SURVEY_ONLY + "survey §3.6.27: z for z >= 0, a|z| otherwise with a in [0, 1].",
    notes="Default a = 0.5 is our choice, halfway between ReLU (a = 0) and |x| (a = 1); the survey gives "
    "no value. It is prelu(a = -a). Derivative at 0 taken as 1.",
)
def abslu(x: Tensor, a: Any = 0.5) -> Tensor:
    r""":math:`x` for :math:`x \ge 0`, :math:`a|x|` otherwise."""
    return torch.where(x >= 0, x, -a * x)


# ------------------------------------------------------------------ bounded and clipped units


@activation(
    "blrelu",
    family="rectified",
    latex=r"a x \;(x \le 0);\; x \;(0 < x < b);\; a x + (1 - a) b \;(x \ge b)",
    text="min(max(x, a*x), a*x + (1 - a)*b)",
    citation=LIEW_2016,
    params=(
        Param("a", 0.1, "slope a outside (0, b)", low=0.0, high=1.0),
        Param("b", 1.0, "saturation threshold b > 0", low=0.0, low_inclusive=False),
    ),
    names=("BLReLU", "bounded leaky ReLU"),
    survey=("BLReLU",),
    grad_mask=lambda x, a=0.1, b=1.0: (x > 0) & (x < b),
    grad_mask_values=lambda p: (p["a"], 1.0),
    kinks=lambda p: (0.0, p["b"]),
    source="Liew et al. (2016), the bounded leaky ReLU: a x below 0, x on (0, b), a x + c above b with "
    "c = (1 - a) b for continuity; the survey (§3.6.24) prints the same.",
    notes="Defaults a = 0.1, b = 1 are our choice (the survey gives none; b = 1 matches relun's default). "
    "Derivative a at 0 and at b.",
)
def blrelu(x: Tensor, a: Any = 0.1, b: Any = 1.0) -> Tensor:
    r""":math:`ax` for :math:`x \le 0`, :math:`x` on :math:`(0, b)`, :math:`ax + (1-a)b` above."""
    return torch.where(x <= 0, x * a, torch.where(x >= b, x * a + (1 - a) * b, x))


@activation(
    "linear_hard_sigmoid",
    family="sigmoidal",
    latex=r"\min(\max(s x + \tfrac12, 0), 1)",
    text="min(max(slope*x + 0.5, 0), 1)",
    citation=COURBARIAUX_2015,
    params=(Param("slope", 0.5, "slope s of the linear part", low=0.0, low_inclusive=False),),
    names=("BinaryConnect hard sigmoid", "clipped linear sigmoid"),
    relations=(
        Relation("related", "hardsigmoid", note="hardsigmoid (PyTorch, MobileNetV3) is this with slope 1/6"),
    ),
    grad_mask=lambda x, slope=0.5: ((x * slope + 0.5) > 0) & ((x * slope + 0.5) < 1),
    grad_mask_values=lambda p: (0.0, p["slope"]),
    kinks=lambda p: (-0.5 / p["slope"], 0.5 / p["slope"]),
    source="Courbariaux et al. (2015), Eq. 3: the hard sigmoid clip((x + 1)/2, 0, 1) = max(0, min(1, "
    "(x + 1)/2)), slope 1/2; the survey (§3.6.17) gives this as the common definition and the 0.2x + 0.5 "
    "variant (preset hard_sigmoid_keras).",
    notes="One entry for the three hard-sigmoid conventions clip(s x + 1/2, 0, 1): s = 1/2 (BinaryConnect, "
    "the survey's first form; the default), s = 0.2 (Theano/Keras 2, preset hard_sigmoid_keras) and "
    "s = 1/6 (PyTorch's hardsigmoid, its own entry). Derivative 0 at the clip points.",
)
def linear_hard_sigmoid(x: Tensor, slope: Any = 0.5) -> Tensor:
    r""":math:`\min(\max(s x + 1/2, 0), 1)`."""
    return _clip(x * slope + 0.5, 0.0, 1.0)


preset(
    "hard_sigmoid_keras",
    of="linear_hard_sigmoid",
    params={"slope": 0.2},
    citation=KERAS_HARD_SIGMOID,
    text="min(max(0.2*x + 0.5, 0), 1)",
    latex=r"\min(\max(0.2 x + 0.5, 0), 1)",
    names=("Keras hard sigmoid",),
    source="tf.keras.activations.hard_sigmoid (Keras 2 / TF 2.x docs): 0 for x < -2.5, 1 for x > 2.5, "
    "0.2 x + 0.5 in between; the survey (§3.6.17) prints the same variant.",
    notes="Keras 3 changed hard_sigmoid to PyTorch's relu6(x + 3)/6 (entry hardsigmoid).",
)


@activation(
    "sv_hardtanh",
    family="rectified",
    latex=r"\min(\max(x, -1), 1) + a",
    text="min(max(x, -1), 1) + a",
    citation=KUNC_KLEMA_2024,
    params=(Param("a", 0.5, "vertical shift a"),),
    names=("SvHardTanh", "vertically shifted HardTanh"),
    survey=("SvHardTanh",),
    relations=(Relation("related", "hardtanh", note="a = 0 gives hardtanh(x)"),),
    grad_mask=lambda x, a=0.5: (x > -1) & (x < 1),
    grad_mask_values=lambda p: (0.0, 1.0),
    kinks=lambda p: (-1.0, 1.0),
    source=SURVEY_ONLY + "survey §3.6.19: -1 + a below -1, z + a on [-1, 1], 1 + a above (HardTanh with "
    "thresholds -1, 1 shifted vertically), after Kim et al.",
    notes="Default a = 0.5 is our choice (the survey gives no value; a = 0 would be hardtanh).",
)
def sv_hardtanh(x: Tensor, a: Any = 0.5) -> Tensor:
    r""":math:`\mathrm{hardtanh}(x) + a`."""
    return _clip(x, -1.0, 1.0) + a


@activation(
    "sh_hardtanh",
    family="rectified",
    latex=r"\min(\max(x + a, -1), 1)",
    text="min(max(x + a, -1), 1)",
    citation=KUNC_KLEMA_2024,
    params=(Param("a", 0.5, "horizontal shift a (the unit is hardtanh(x + a))"),),
    names=("ShHardTanh", "horizontally shifted HardTanh"),
    survey=("ShHardTanh",),
    relations=(Relation("related", "hardtanh", note="a = 0 gives hardtanh(x)"),),
    grad_mask=lambda x, a=0.5: ((x + a) > -1) & ((x + a) < 1),
    grad_mask_values=lambda p: (0.0, 1.0),
    kinks=lambda p: (-1.0 - p["a"], 1.0 - p["a"]),
    source=SURVEY_ONLY + "survey §3.6.19: -1 below -1 - a, z + a on [-1 - a, 1 - a], 1 above (HardTanh "
    "shifted horizontally), after Kim et al.",
    notes="Default a = 0.5 is our choice. The peer package writes the middle piece as z (not z + a), which "
    "is discontinuous; a horizontal shift is hardtanh(z + a), as implemented.",
)
def sh_hardtanh(x: Tensor, a: Any = 0.5) -> Tensor:
    r""":math:`\mathrm{hardtanh}(x + a)`."""
    return _clip(x + a, -1.0, 1.0)


@activation(
    "pan_function",
    family="rectified",
    latex=r"\max(|x| - a, 0)",
    text="max(abs(x) - a, 0)",
    citation=KUNC_KLEMA_2024,
    params=(Param("a", 1.0, "half-width a >= 0 of the dead zone", low=0.0),),
    names=("Pan", "Pan function"),
    survey=("Pan",),
    relations=(Relation("related", "softshrink", note="the magnitude |softshrink(x, a)|"),),
    kinks=lambda p: (-p["a"], p["a"]) if p["a"] > 0 else (0.0,),
    source=SURVEY_ONLY + "survey §3.6.26: z - a for z >= a, 0 on (-a, a), -z - a for z <= -a.",
    notes="Default a = 1 (the value both transcriptions of the survey use; the survey gives none). "
    "a = 0 gives |x|.",
)
def pan_function(x: Tensor, a: Any = 1.0) -> Tensor:
    r""":math:`\max(|x| - a, 0)`."""
    return torch.relu(torch.abs(x) - a)


@activation(
    "mirrored_relu",
    family="bump",
    latex=r"\min(\max(1 - x, 0), \max(1 + x, 0))",
    text="min(max(1 - x, 0), max(1 + x, 0))",
    citation=KUNC_KLEMA_2024,
    names=("mReLU", "mirrored ReLU", "mirrored rectified linear unit"),
    survey=("mReLU",),
    relations=(special_case_of("tent", a=1.0),),
    kinks=lambda p: (-1.0, 0.0, 1.0),
    source=SURVEY_ONLY + "survey §3.6.28: min(ReLU(1 - z), ReLU(1 + z)), a tent on [-1, 1].",
    notes="Bounded in [0, 1] and zero outside (-1, 1): the tent max(0, 1 - |x|), i.e. tent(a = 1).",
)
def mirrored_relu(x: Tensor) -> Tensor:
    r""":math:`\max(0, 1 - |x|)`."""
    return torch.relu(1.0 - torch.abs(x))


@activation(
    "lsptlu",
    family="rectified",
    latex=r"0.2x \;(x < 0);\; x \;(0 \le x \le a);\; 2a - x \;(a < x \le 2a);\; 0 \;(x > 2a)",
    text="0.2*min(0, x) + min(max(0, x), max(2*a - x, 0))",
    citation=KUNC_KLEMA_2024,
    params=(Param("a", 1.0, "position a > 0 of the peak", low=0.0, low_inclusive=False),),
    names=(
        "LSPTLU",
        "LRTLU",
        "leaky single-peaked triangle linear unit",
        "leaky rectified triangle linear unit",
    ),
    survey=("LSPTLU (=LRTLU)",),
    kinks=lambda p: (0.0, p["a"], 2 * p["a"]),
    source=SURVEY_ONLY + "survey §3.6.29: 0.2 z below 0, z up to a, 2a - z up to 2a, 0 beyond; the survey "
    "notes LRTLU is the same function.",
    notes="Default a = 1 (both transcriptions of the survey; it gives none). The leak 0.2 is fixed.",
)
def lsptlu(x: Tensor, a: Any = 1.0) -> Tensor:
    r"""Leaky triangle: :math:`0.2x`, :math:`x`, :math:`2a - x`, 0 on the four pieces."""
    return torch.where(x < 0, x * 0.2, torch.where(x <= a, x, torch.relu(2 * a - x)))


# ------------------------------------------------------------------ smooth modulus and softsign-like


@activation(
    "soft_modulus_q",
    family="rectified",
    latex=r"x^2 (2 - |x|) \;(|x| \le 1);\; |x| \;(|x| > 1)",
    text="x^2*(2 - abs(x)) if abs(x) <= 1 else abs(x)",
    citation=VALLES_PEREZ_2023,
    names=("SoftModulusQ",),
    survey=("SoftModulusQ",),
    relations=(Relation("related", "absolute", note="a C1 approximation of |x| that equals it for |x| > 1"),),
    source="Vallés-Pérez et al. (2023), smooth approximations of the modulus: x²(2 - |x|) for |x| <= 1, "
    "|x| outside; the survey (§3.6.30) gives the same pieces with an inconsistent inequality.",
    notes="The survey's printed conditions contradict each other; the pieces join with equal value and "
    "slope at |x| = 1 only with the split |x| <= 1 / |x| > 1, which is what the paper's construction and "
    "two independent transcriptions use. Continuously differentiable; derivative 0 at 0.",
)
def soft_modulus_q(x: Tensor) -> Tensor:
    r""":math:`x^2(2 - |x|)` for :math:`|x| \le 1`, :math:`|x|` otherwise."""
    ax = torch.abs(x)
    inside = ax <= 1
    xs = _where_pos(x, inside)
    return torch.where(inside, xs * xs * (2 - torch.abs(xs)), ax)


@activation(
    "soft_modulus_t",
    family="rectified",
    latex=r"x \tanh(x / a)",
    text="x*tanh(x/a)",
    citation=VALLES_PEREZ_2023,
    params=(Param("a", 0.01, "width a > 0 of the smoothed corner", low=0.0, low_inclusive=False),),
    names=("SoftModulusT",),
    survey=("SoftModulusT",),
    relations=(
        Relation("related", "lisht", note="a = 1 gives LiSHT, x tanh(x)"),
        Relation("limit_of", "absolute", note="a → 0 gives |x|"),
    ),
    source="Vallés-Pérez et al. (2023): x·tanh(x/a) with a = 0.01 in their experiments (as the survey, "
    "§3.6.31, reports).",
    notes="Tends to |x| as a → 0; LiSHT at a = 1.",
)
def soft_modulus_t(x: Tensor, a: Any = 0.01) -> Tensor:
    r""":math:`x \tanh(x/a)`."""
    return x * torch.tanh(x / a)


@activation(
    "sign_relu",
    family="rectified",
    latex=r"x \text{ if } x \ge 0 \text{ else } a \frac{x}{1 + |x|}",
    text="max(0, x) + a*min(0, x)/(1 - min(0, x))",
    citation=LI_FENG_ZHOU_2022,
    params=(Param("a", 1.0, "scale a of the softsign branch", low=0.0),),
    names=("SignReLU", "DLU"),
    survey=("SignReLU (=DLU)",),
    relations=(equal_to("polylu", note="SignReLU with a = 1 is PolyLU/FPLUS"),),
    kinks=lambda p: () if p["a"] == 1.0 else (0.0,),
    source=SURVEY_ONLY + "survey §3.6.32: z for z >= 0, a z/(|z| + 1) otherwise; a = 0 is ReLU; proposed "
    "independently as DLU.",
    notes="Default a = 1 (softsign for x < 0, continuously differentiable at 0); the survey gives no value. "
    "At a = 1 it is the same function as PolyLU/FPLUS (x/(1 - x) = 1/(1 - x) - 1 for x < 0).",
)
def sign_relu(x: Tensor, a: Any = 1.0) -> Tensor:
    r""":math:`x` for :math:`x \ge 0`, :math:`a x/(1 + |x|)` otherwise."""
    pos = x >= 0
    xn = _where_neg(x, pos)
    return torch.where(pos, x, a * xn / (1 - xn))


# ------------------------------------------------------------------ periodic ReLUs


@activation(
    "sine_relu",
    family="periodic",
    latex=r"x \text{ if } x \ge 0 \text{ else } \varepsilon (\sin x - \cos x)",
    text="x if x >= 0 else epsilon*(sin(x) - cos(x))",
    citation=RODRIGUES_2018,
    params=(Param("epsilon", 0.0025, "amplitude ε of the sinusoid for x < 0", low=0.0),),
    names=("SineReLU", "sine ReLU"),
    survey=("SineReLU",),
    kinks=lambda p: (0.0,),
    source="Rodrigues (2018): x for x > 0, ε(sin x - cos x) otherwise, ε = 0.0025 (the default of the "
    "author's keras-contrib layer, 'better for CNN layers'; ~0.006 suggested for dense networks); the "
    "survey (§3.6.7) prints the same piecewise form.",
    notes="The author's keras-contrib code computes max(ε(sin x - cos x), x) instead, which differs only on "
    "(-ε, 0) where it returns x; the published piecewise form is implemented. It jumps by -ε at 0 "
    "(f(0) = 0, as both forms give).",
)
def sine_relu(x: Tensor, epsilon: Any = 0.0025) -> Tensor:
    r""":math:`x` for :math:`x \ge 0`, :math:`\varepsilon(\sin x - \cos x)` otherwise."""
    pos = x >= 0
    xn = _where_neg(x, pos)
    return torch.where(pos, x, epsilon * (torch.sin(xn) - torch.cos(xn)))


@activation(
    "minsin",
    family="periodic",
    latex=r"\min(x, \sin x)",
    text="min(x, sin(x))",
    citation=RAMACHANDRAN_2017,
    names=("Minsin",),
    survey=("Minsin",),
    source=IDENTIFIED_NOT_READ + "; survey §3.6.8 (from the search's list of functions): sin z for "
    "z >= 0, z otherwise, i.e. min(z, sin z).",
    notes="Continuously differentiable (slope 1 on both sides of 0).",
)
def minsin(x: Tensor) -> Tensor:
    r""":math:`\min(x, \sin x)`."""
    return torch.where(x >= 0, torch.sin(x), x)


@activation(
    "vlu",
    family="periodic",
    latex=r"\max(0, x) + a \sin(b x)",
    text="max(0, x) + a*sin(b*x)",
    citation=GUPTA_AHUJA_2021,
    params=(Param("a", 1.0, "amplitude a of the sine"), Param("b", 1.0, "frequency b of the sine")),
    names=("VLU", "variational linear unit"),
    survey=("VLU",),
    kinks=lambda p: (0.0,),
    source=SURVEY_ONLY + "survey §3.6.9: ReLU(z) + a sin(bz) with fixed a, b. Cited to Gupta & Ahuja, whose "
    "PVLU (arXiv 2110.12246, abstract checked) is this unit with trainable a, b; only the abstract was read, "
    "so that the fixed VLU is first defined there is inferred from the name.",
    notes="Defaults a = b = 1 are our choice (the survey gives no values).",
)
def vlu(x: Tensor, a: Any = 1.0, b: Any = 1.0) -> Tensor:
    r""":math:`\max(0, x) + a\sin(bx)`."""
    return torch.relu(x) + a * torch.sin(b * x)


# ------------------------------------------------------------------ softplus and power variants


@activation(
    "resp",
    family="smooth_rectifier",
    latex=r"a x + \ln 2 \;(x \ge 0);\; \ln(1 + e^x) \;(x < 0)",
    text="a*max(0, x) + softplus(min(0, x))",
    citation=KUNC_KLEMA_2024,
    params=(Param("a", 1.7, "slope a for x >= 0", low=0.0),),
    names=("ReSP", "rectified softplus"),
    survey=("ReSP",),
    kinks=lambda p: (0.0,),
    source=SURVEY_ONLY + "survey §3.6.14: a z + ln 2 for z >= 0, softplus(z) otherwise; a between 1.4 and "
    "2.0 works well.",
    notes="Default a = 1.7, the middle of the recommended range. Continuous at 0 (value ln 2); the slope "
    "jumps from 1/2 to a.",
)
def resp(x: Tensor, a: Any = 1.7) -> Tensor:
    r""":math:`ax + \ln 2` for :math:`x \ge 0`, :math:`\ln(1 + e^x)` otherwise."""
    pos = x >= 0
    return torch.where(pos, x * a + math.log(2.0), softplus(_where_neg(x, pos)))


def _x_minus_log1p(r: Tensor) -> Tensor:
    """r - ln(1 + r) for r >= 0 without cancellation near 0.

    With y = r/(2 + r), ln(1 + r) = 2 atanh(y) and r = 2y/(1 - y), so r - ln(1 + r) =
    2 (y²/(1 - y) - Σ_{k>=1} y^(2k+1)/(2k+1)); for r <= 1/4 (y <= 1/9) eight terms reach double precision.
    """
    small = r <= 0.25
    rs = torch.where(small, r, 0.0)
    y = rs / (2 + rs)
    y2 = y * y
    tail = torch.full_like(y, 1.0 / 17)  # Σ_{k=1..8} y^(2k-2)/(2k+1) by Horner's rule
    for k in range(7, 0, -1):
        tail = 1.0 / (2 * k + 1) + y2 * tail
    series = 2 * (y2 / (1 - y) - y * y2 * tail)
    return torch.where(small, series, r - torch.log1p(r))


@activation(
    "prenu",
    family="rectified",
    latex=r"x - a \ln(1 + x) \;(x \ge 0);\; 0 \;(x < 0)",
    text="max(0, x) - a*log(1 + max(0, x))",
    citation=EL_JAAFARI_2021,
    params=(Param("a", 0.25, "weight a of the logarithm", low=0.0, high=1.0),),
    names=("PReNU", "parametric rectified non-linear unit"),
    survey=("PReNU",),
    kinks=lambda p: (0.0,) if p["a"] != 1.0 else (),
    source="Survey §3.6.15: z - a ln(z + 1) for z >= 0, 0 otherwise, after El Jaafari, Ellahyani & Charfi; "
    "the paper's abstract (checked) states the same, x - α log(x + 1) for positive inputs with α between 0 "
    "and 1 and zero for negative ones (its full text was not read).",
    notes="Default a = 0.25, PReLU's initial slope (the unit extends PReLU; the survey gives no value). "
    "a <= 1 keeps it monotone. Evaluated as (1 - a) x + a (x - ln(1 + x)) with the last term from a "
    "series near 0, so a = 1 keeps full relative accuracy (x²/2 for small x). Derivative at 0 taken as 0 "
    "(ReLU's convention).",
)
def prenu(x: Tensor, a: Any = 0.25) -> Tensor:
    r""":math:`x - a\ln(1 + x)` for :math:`x \ge 0`, 0 otherwise."""
    r = torch.relu(x)
    return r * (1 - a) + a * _x_minus_log1p(r)


preset(
    "recu",
    of="repu",
    params={"p": 3},
    citation=LI_TANG_YU_2019,
    text="max(0, x)^3",
    latex=r"\max(0, x)^3",
    names=("ReCU", "rectified cubic unit"),
    source="RePU with power 3, named rectified cubic unit (ReCU) in the survey (§3.6.39); RePU from Li, "
    "Tang & Yu (2019).",
)


@activation(
    "apprelu",
    family="rectified",
    latex=r"a \max(0, x)^b",
    text="a*x^b if x > 0 else 0",
    citation=KUNC_KLEMA_2024,
    params=(
        Param("a", 1.0, "scale a > 0", low=0.0, low_inclusive=False),
        Param("b", 1.5, "power b > 0", low=0.0, low_inclusive=False),
    ),
    names=("AppReLU", "approximate ReLU"),
    survey=("AppReLU",),
    relations=(Relation("related", "repu", note="a = 1 and integer b = p give repu(p)"),),
    kinks=lambda p: (0.0,),
    source=SURVEY_ONLY + "survey §3.6.40: a z^b for z >= 0, 0 otherwise (RePU with a scale), after Saha "
    "et al.",
    notes="Saha et al. call it AReLU, a name the survey gives the attention-based ReLU. Defaults a = 1, "
    "b = 1.5 are our choice so that the entry differs from ReLU (b = 1) and ReQU (b = 2); the survey gives "
    "none.",
)
def apprelu(x: Tensor, a: Any = 1.0, b: Any = 1.5) -> Tensor:
    r""":math:`a x^b` for :math:`x > 0`, 0 otherwise."""
    pos = x > 0
    xp = _where_pos(x, pos, 1.0)
    return torch.where(pos, a * xp.pow(b), torch.relu(x))


def _powlin(ax: Tensor, d: Any) -> Tensor:
    """|x|^d/d for |x| < 1, |x| - (1 - 1/d) beyond: the even PowerLinear unit of ``ax = |x|``."""
    inside = ax < 1
    nonzero = inside & (ax > 0)
    xs = torch.where(nonzero, ax, 0.5)  # |x|^d with a safe base (grad in d needs log|x|)
    small = torch.where(nonzero, xs.pow(d) / d, 0.0)
    return torch.where(inside, small, ax - (1 - 1 / d))


@activation(
    "eplaf",
    family="rectified",
    latex=r"|x|^d / d \;(|x| < 1);\; |x| - (1 - 1/d) \;(|x| \ge 1)",
    text="abs(x)^d/d if abs(x) < 1 else abs(x) - (1 - 1/d)",
    citation=NASIRI_2021,
    params=(Param("d", 2.0, "power d >= 1 of the inner piece", low=1.0),),
    names=("EPLAF", "EvenPowLin", "even power linear activation function"),
    survey=("EPLAF",),
    kinks=lambda p: (0.0,) if p["d"] == 1.0 else (),
    source="Nasiri & Ghiasi-Shirazi (2021), EvenPowLin: |x|^d/d inside (-1, 1), |x| - (1 - 1/d) outside; "
    "d = 2 as in the paper's experiments (survey §3.6.41).",
    notes="Continuously differentiable at ±1 for every d; symmetric (even); d = 1 is |x|.",
)
def eplaf(x: Tensor, d: Any = 2.0) -> Tensor:
    r"""Even power-linear unit."""
    return _powlin(torch.abs(x), d)


@activation(
    "oplaf",
    family="rectified",
    latex=r"\operatorname{sign}(x) |x|^d / d \;(|x| < 1);\; "
    r"x - \operatorname{sign}(x)(1 - 1/d) \;(|x| \ge 1)",
    text="sign(x)*abs(x)^d/d if abs(x) < 1 else x - sign(x)*(1 - 1/d)",
    citation=NASIRI_2021,
    params=(Param("d", 2.0, "power d >= 1 of the inner piece", low=1.0),),
    names=("OPLAF", "OddPowLin", "odd power linear activation function"),
    survey=("OPLAF",),
    relations=(Relation("related", "eplaf", note="sign(x) · eplaf(x)"),),
    kinks=lambda p: (0.0,) if p["d"] == 1.0 else (),
    source="Nasiri & Ghiasi-Shirazi (2021), OddPowLin: the odd counterpart sign(x)·EvenPowLin(x); d = 2 as "
    "for EPLAF (the survey, §3.6.41, notes OPLAF was not tested experimentally).",
    notes="Odd and continuously differentiable; d = 1 is the identity.",
)
def oplaf(x: Tensor, d: Any = 2.0) -> Tensor:
    r"""Odd power-linear unit."""
    e = _powlin(torch.abs(x), d)
    return torch.where(x < 0, -e, e)


# ------------------------------------------------------------------ ReLU-swish hybrids


@activation(
    "flatten_t_swish",
    family="self_gated",
    latex=r"x \sigma(x) + T \;(x \ge 0);\; T \;(x < 0)",
    text="max(0, x)*sigmoid(x) + t",
    citation=CHIENG_2018,
    params=(Param("t", -0.2, "threshold value T (output for x < 0)"),),
    aliases=("fts",),
    names=("FTS", "Flatten-T Swish", "FTSwish"),
    survey=("FTS (ReLU-Swish T=0)",),
    relations=(special_case_of("pfts", T=-0.2, note="PFTS learns T; FTS fixes it"),),
    kinks=lambda p: (0.0,),
    source="Chieng et al. (2018): x·sigmoid(x) + T for x >= 0, T otherwise, with T = -0.20 the best value "
    "in the paper's experiments; the survey (§3.6.46) prints the same.",
    notes="Continuous at 0 (value T); the slope jumps from 0 to 1/2. T = 0 is the preset relu_swish.",
)
def flatten_t_swish(x: Tensor, t: Any = -0.2) -> Tensor:
    r""":math:`\max(0, x)\,\sigma(x) + T`."""
    return torch.relu(x) * torch.sigmoid(x) + t


preset(
    "relu_swish",
    of="flatten_t_swish",
    params={"t": 0.0},
    citation=KUNC_KLEMA_2024,
    text="max(0, x)*sigmoid(x)",
    latex=r"\max(0, x)\,\sigma(x)",
    names=("ReLU-Swish",),
    relations=(equal_to("sc_swish", note="max(0, x σ(x)) is relu(x) σ(x)"),),
    source="Survey §3.6.46: the special case T = 0 of FTS, proposed independently as ReLU-Swish.",
)


@activation(
    "oaf",
    family="self_gated",
    latex=r"\max(0, x) + x \sigma(x)",
    text="max(0, x) + x*sigmoid(x)",
    citation=KUNC_KLEMA_2024,
    names=("OAF", "optimal activation function"),
    survey=("OAF",),
    relations=(Relation("related", "silu", note="relu(x) + silu(x)"),),
    kinks=lambda p: (0.0,),
    source=SURVEY_ONLY + "survey §3.6.47: z + z·sigmoid(z) for z >= 0, z·sigmoid(z) otherwise.",
    notes="ReLU plus SiLU; the slope jumps by 1 at 0.",
)
def oaf(x: Tensor) -> Tensor:
    r""":math:`\max(0, x) + x\sigma(x)`."""
    return torch.relu(x) + x * torch.sigmoid(x)


# ------------------------------------------------------------------ apical dendrite activations


@activation(
    "ada",
    family="bump",
    latex=r"\max(0, x)\, e^{-a x + b}",
    text="max(0, x)*exp(b - a*x)",
    citation=GEORGESCU_2020,
    params=(
        Param("a", 0.3, "decay rate a >= 0", low=0.0),
        Param("b", 0.0, "log-scale b of the bump"),
    ),
    names=("ADA", "apical dendrite activation"),
    survey=("ADA",),
    kinks=lambda p: (0.0,),
    source="Georgescu et al. (2020): max(0, x)·exp(-a x + b); the official code (github raduionescu/pynada, "
    "train_adaf.py) computes max(x, 0)·exp(-x·α) with α = 0.3 and no b, i.e. b = 0.",
    notes="Rises like ReLU, peaks at x = 1/a and decays. The peer package and a transcription of the survey "
    "drop the factor x (exp(-a z + b) for z >= 0), which jumps to e^b at 0 and contradicts the authors' "
    "code; the code's form is implemented.",
)
def ada(x: Tensor, a: Any = 0.3, b: Any = 0.0) -> Tensor:
    r""":math:`\max(0, x)\,e^{-ax + b}`."""
    xp = _where_pos(x, x > 0)
    return torch.relu(x) * torch.exp(b - a * xp)


@activation(
    "lada",
    family="bump",
    latex=r"\max(0, x)\, e^{-a x + b} + c \min(0, x)",
    text="max(0, x)*exp(b - a*x) + c*min(0, x)",
    citation=GEORGESCU_2020,
    params=(
        Param("a", 0.1, "decay rate a >= 0", low=0.0),
        Param("b", 0.0, "log-scale b of the bump"),
        Param("c", 0.01, "leak c for x < 0", low=0.0),
    ),
    names=("LADA", "leaky ADA", "leaky apical dendrite activation"),
    survey=("LADA",),
    relations=(Relation("related", "ada", note="c = 0 gives ada"),),
    kinks=lambda p: (0.0,),
    source="Georgescu et al. (2020), leaky ADA: ADA plus c·min(0, x); the official code (leaky_adaf_3) uses "
    "α = 0.1 and leak 0.01, and the survey (§3.6.51) reports c = 0.01.",
    notes="Same correction as ada: the positive branch carries the factor x, as in the authors' code.",
)
def lada(x: Tensor, a: Any = 0.1, b: Any = 0.0, c: Any = 0.01) -> Tensor:
    r""":math:`\max(0, x)\,e^{-ax + b} + c\min(0, x)`."""
    pos = x > 0
    xp = _where_pos(x, pos)
    return torch.relu(x) * torch.exp(b - a * xp) + c * torch.where(pos, 0.0, x)


# ------------------------------------------------------------------ ELU alternatives of §3.6


@activation(
    "siglu",
    family="exponential",
    latex=r"x \text{ if } x \ge 0 \text{ else } \frac{1 - e^{-2x}}{1 + e^{-2x}} \;=\; \max(x, \tanh x)",
    text="max(x, tanh(x))",
    citation=KUNC_KLEMA_2024,
    names=("SigLU", "maxtanh"),
    survey=("SigLU", "maxtanh"),
    relations=(special_case_of("ptelu", a=1.0, b=1.0),),
    source=SURVEY_ONLY + "survey §3.6.52: z for z >= 0, (1 - e^{-2z})/(1 + e^{-2z}) = tanh z otherwise "
    "(the original work leaves it unnamed); the survey's maxtanh (§3.7.1), max(z, tanh z), is the same "
    "function.",
    notes="SigLU and maxtanh are one function (tanh z > z exactly when z < 0). Continuously differentiable "
    "(slope 1 at 0).",
)
def siglu(x: Tensor) -> Tensor:
    r""":math:`x` for :math:`x \ge 0`, :math:`\tanh x` otherwise."""
    return torch.where(x >= 0, x, torch.tanh(x))


@activation(
    "sara",
    family="exponential",
    latex=r"x \text{ if } x \ge 0 \text{ else } \frac{x}{1 + a e^{-b x}}",
    text="max(0, x) + min(0, x)/(1 + a*exp(-b*min(0, x)))",
    citation=KUNC_KLEMA_2024,
    params=(
        Param("a", 0.5, "weight a > 0 of the exponential", low=0.0, low_inclusive=False),
        Param("b", 0.7, "rate b >= 0", low=0.0),
    ),
    names=("SaRa", "swish and ReLU activation"),
    survey=("SaRa",),
    kinks=lambda p: (0.0,),
    source=SURVEY_ONLY + "survey §3.6.53: z for z >= 0, z/(1 + a e^{-bz}) otherwise, with the values a = "
    "0.5, b = 0.7 that Qureshi & Sarosh Umar recommend.",
    notes="The survey notes the original formula is malformed and gives this reading as the intended one. "
    "Evaluated as x·sigmoid(b x - ln a) for x < 0 (the same function, no overflow). The slope jumps from "
    "1/(1 + a) to 1 at 0.",
)
def sara(x: Tensor, a: Any = 0.5, b: Any = 0.7) -> Tensor:
    r""":math:`x` for :math:`x \ge 0`, :math:`x/(1 + a e^{-bx})` otherwise."""
    pos = x >= 0
    xn = _where_neg(x, pos)
    return torch.where(pos, x, xn * torch.sigmoid(b * xn - log_of(a)))
