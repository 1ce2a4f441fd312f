"""Adaptive piecewise and shape-learning units of the survey's §4.32-§4.54: Mexican-hat sums (MeLU,
GaLU, MMeLU), learnable rectifier shapes (ALiSA/LiSA, PLU, AdaLU, adaptive hard-swish), Richards-curve
gating (ARiA, ARiA2), small trainable closed forms (modified Weibull, sincos, sine + sigmoid,
expcos), multi-bin and look-up-table units (MTLU/CPN family, PWLU, N-PWLU, LuTU) and the truncated
Gaussian unit (TruG).

Piecewise units keep their coefficients as ``kind="vector"`` parameters of a fixed size (the size each
entry's notes state). A vector parameter given as a tensor must have shape ``(k,)``: it is indexed per
element (``coef[bin]``), so it cannot carry a per-channel dimension; the learnable module therefore
learns these coefficient vectors, where it learns them, once per layer.

Bin indices of the multi-bin and table units are ``floor((x - start) / width)`` evaluated in the
input's floating-point dtype, and knots are ``start + j * width`` in that dtype, so the knot a value
falls on is defined by floating-point arithmetic (as in every implementation of these units).
"""

from __future__ import annotations

import math
from typing import Any

import torch

from actlab.catalog.citations import KUNC_KLEMA_2024
from actlab.catalog.rectified import _check_order
from actlab.catalog.registry import activation
from actlab.catalog.sigmoidal import softplus
from actlab.catalog.spec import Citation, Param, Relation, equal_to, special_case_of

Tensor = torch.Tensor

SQRT2 = math.sqrt(2.0)
SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
INV_SQRT_PI = 1.0 / math.sqrt(math.pi)
INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)

# --------------------------------------------------------------------------- citations

MAGUOLO_2019 = Citation(
    authors="Maguolo, G. and Nanni, L. and Ghidoni, S.",
    title="Ensemble of Convolutional Neural Networks Trained with Different Activation Functions",
    year=2019,
    arxiv="1905.02473",
    venue="Expert Systems with Applications 166 (2021)",
)
NANNI_2020 = Citation(
    authors="Nanni, L. and Lumini, A. and Ghidoni, S. and Maguolo, G.",
    title="Stochastic Selection of Activation Layers for Convolutional Neural Networks",
    year=2020,
    url="https://doi.org/10.3390/s20061626",
    venue="Sensors 20(6)",
)
BAWA_2019 = Citation(
    authors="Bawa, V. S. and Kumar, V.",
    title="Linearized sigmoidal activation: A novel activation function with tractable non-linear "
    "characteristics to boost representation capability",
    year=2019,
    url="https://doi.org/10.1016/j.eswa.2018.11.042",
    venue="Expert Systems with Applications 120",
)
NICOLAE_2018 = Citation(
    authors="Nicolae, A.",
    title="PLU: The Piecewise Linear Unit Activation Function",
    year=2018,
    arxiv="1809.09534",
)
PATWARDHAN_2018 = Citation(
    authors="Patwardhan, N. and Ingalhalikar, M. and Walambe, R.",
    title="ARiA: Utilizing Richard's Curve for Controlling the Non-monotonicity of the Activation "
    "Function in Deep Neural Nets",
    year=2018,
    arxiv="1805.08878",
)
GU_2018 = Citation(
    authors="Gu, S. and Timofte, R. and Van Gool, L.",
    title="Multi-bin Trainable Linear Unit for Fast Image Restoration Networks",
    year=2018,
    arxiv="1807.11389",
    venue="ICCV 2019 (as 'Fast Image Restoration with Multi-bin Trainable Linear Units')",
)
GAO_2023 = Citation(
    authors="Gao, X. and Li, Y. and Li, W. and Duan, L. and Van Gool, L. and Benini, L. and Magno, M.",
    title="Learning continuous piecewise non-linear activation functions for deep neural networks",
    year=2023,
    url="https://doi.org/10.1109/ICME55011.2023.00315",
    venue="ICME 2023",
)
ZHOU_2021 = Citation(
    authors="Zhou, Y. and Zhu, Z. and Zhong, Z.",
    title="Learning specialized activation functions with the Piecewise Linear Unit",
    year=2021,
    arxiv="2104.03693",
    venue="ICCV 2021",
)
ZHU_DONG_2022 = Citation(
    authors="Zhu, Z. and Dong, Y.",
    title="Non-uniform Piecewise Linear Activation Functions in Deep Neural Networks",
    year=2022,
    url="https://doi.org/10.1109/ICPR56361.2022.9956345",
    venue="ICPR 2022",
)
WANG_LIU_FOROOSH_2018 = Citation(
    authors="Wang, M. and Liu, B. and Foroosh, H.",
    title="Look-Up Table Unit Activation Function for Deep Convolutional Neural Networks",
    year=2018,
    url="https://doi.org/10.1109/WACV.2018.00139",
    venue="WACV 2018",
)
SU_2017 = Citation(
    authors="Su, Q. and Liao, X. and Carin, L.",
    title="A Probabilistic Framework for Nonlinearities in Stochastic Neural Networks",
    year=2017,
    arxiv="1709.06123",
    venue="NeurIPS 2017",
)

SURVEY_ONLY = (
    "The original paper could not be identified or read from the sources available to us (the "
    "survey's stored text carries no bibliography), so the citation is the survey and the formula is "
    "the survey's, read from its prose (which names the parameters and their roles) together with an "
    "independent transcription of its printed equation; a peer package (torch-activation) implements "
    "a different function under this name."
)


# --------------------------------------------------------------------------- helpers


def _vec(v: Any, x: Tensor) -> Tensor:
    """A coefficient vector as a 1-D tensor in the dtype and on the device of ``x``."""
    if isinstance(v, Tensor):
        return v.to(dtype=x.dtype, device=x.device)
    return torch.tensor(v, dtype=x.dtype, device=x.device)


def _bin_index(u: Tensor, lo: int, hi: int) -> Tensor:
    """``clip(floor(u), lo, hi)`` as a long tensor (no gradient; NaN maps to ``lo``)."""
    t = torch.nan_to_num(torch.floor(u.detach()), nan=float(lo)).clamp(lo, hi)
    return t.long()


def _hat(x: Tensor, centre: Any, half: Any) -> Tensor:
    """The Mexican-hat (triangle) function ``max(half - |x - centre|, 0)``, evaluated as
    ``max(min(x - lo, hi - x), 0)`` with the support ``[lo, hi]`` (exact where ``x`` is near an end)."""
    return torch.relu(torch.minimum(x - (centre - half), (centre + half) - x))


def _prelu(x: Tensor, a: Any) -> Tensor:
    return torch.where(x > 0, x, x * a)


# --------------------------------------------------------------------------- MeLU, GaLU, MMeLU

# Centres and half-widths of the fixed hats, in units of maxInput (authors' MATLAB layer
# learnableReluLayer: Z = m g(X/m)). Chosen recursively: the first hat spans [0, 4], the next two
# halve that span, the next four halve it again.
MELU_HATS = ((2.0, 2.0), (1.0, 1.0), (3.0, 1.0), (0.5, 0.5), (1.5, 0.5), (2.5, 0.5), (3.5, 0.5))
MELU_ZEROS = (0.0, 0.0, 0.0)
MELU8_ZEROS = (0.0,) * 7


def _melu_kinks(p: dict, wavelet: bool = False) -> tuple[float, ...]:
    m = float(p["max_input"])
    out = {0.0}
    for c, h in MELU_HATS[: len(p["coefficients"])]:
        out |= {m * (c - h), m * c, m * (c + h)}
        if wavelet:
            out |= {m * (c + 2 * h), m * (c + 3 * h)}
    return tuple(sorted(out))


def _melu(x: Tensor, a: Any, coefficients: Any, max_input: Any, wavelet: bool) -> Tensor:
    c = _vec(coefficients, x)
    y = _prelu(x, a)
    for j, (centre, half) in enumerate(MELU_HATS[: c.shape[0]]):
        ctr, hw = max_input * centre, max_input * half
        phi = _hat(x, ctr, hw)
        if wavelet:  # GaLU: a positive hat on [a - λ, a + λ] and a negative one on [a + λ, a + 3λ]
            phi = phi - _hat(x, ctr + 2 * hw, hw)
        y = y + c[j] * phi
    return y


_MELU_PARAMS = (
    Param("a", 0.25, "PReLU slope for x < 0 (learnable; He et al.'s initial 0.25)", trainable=True),
)
_MAX_INPUT = Param("max_input", 1.0, "scale m of the hat layout (maxInput of the authors' code)",
                   low=0.0, low_inclusive=False)
_MELU_SOURCE = (
    "MeLU(x) = PReLU(x) + Σ_j c_j max(λ_j - |x - a_j|, 0) (survey §4.32, from Maguolo et al. 2019, who "
    "use k = 4 and k = 8 and initialise every c_j to 0). The fixed hats follow the authors' MATLAB "
    "layer (readme of LorisNanni/Ensemble-of-Convolutional-Neural-Networks-Trained-with-Different-"
    "Activation-Functions: Z = m g(X/m) with maxInput m; between 1 and 2 the slope is 1 - β - γ): "
    "(a_j, λ_j) = m·(2, 2), m·(1, 1), m·(3, 1) for k = 4, then m·(0.5, 0.5), m·(1.5, 0.5), m·(2.5, 0.5), "
    "m·(3.5, 0.5) for k = 8."
)


@activation(
    "mexican_relu",
    family="rectified",
    latex=r"\mathrm{PReLU}_a(x) + \sum_{j=1}^{3} c_j \max(m\lambda_j - |x - m a_j|, 0)",
    text="(x if x > 0 else a*x) + sum_j c_j * max(m*lambda_j - |x - m*a_j|, 0)",
    citation=MAGUOLO_2019,
    params=(
        *_MELU_PARAMS,
        Param("coefficients", MELU_ZEROS, "c_1..c_3 of the three hats (learnable; initialised to 0)",
              trainable=True, kind="vector"),
        _MAX_INPUT,
    ),
    names=("MeLU", "Mexican ReLU"),
    survey=("MeLU",),
    relations=(equal_to("prelu", note="at the paper's initialisation c = 0"),),
    kinks=_melu_kinks,
    source=_MELU_SOURCE + " This entry is k = 4 (three hats); mexican_relu_k8 is k = 8.",
    notes="Mexican ReLU with k = 4: a PReLU plus three learnable multiples of fixed triangle ('Mexican "
    "hat') functions. At the initialisation c = 0 it is PReLU(0.25) (the slope's initial value is our "
    "choice, PReLU's usual one). The hat layout scales with max_input = m (the authors' maxInput); "
    "m = 1 (hats on [0, 4]) is our default for unit-scale inputs. The coefficient vector (3 entries) "
    "is learned once per layer by actlab's learnable module, not per channel as in the paper.",
)
def mexican_relu(x: Tensor, a: Any = 0.25, coefficients: Any = MELU_ZEROS, max_input: Any = 1.0) -> Tensor:
    r""":math:`\mathrm{PReLU}_a(x) + \sum_j c_j \max(m\lambda_j - |x - m a_j|, 0)` (three hats)."""
    return _melu(x, a, coefficients, max_input, wavelet=False)


@activation(
    "mexican_relu_k8",
    family="rectified",
    latex=r"\mathrm{PReLU}_a(x) + \sum_{j=1}^{7} c_j \max(m\lambda_j - |x - m a_j|, 0)",
    text="(x if x > 0 else a*x) + sum_j c_j * max(m*lambda_j - |x - m*a_j|, 0)",
    citation=MAGUOLO_2019,
    params=(
        *_MELU_PARAMS,
        Param("coefficients", MELU8_ZEROS, "c_1..c_7 of the seven hats (learnable; initialised to 0)",
              trainable=True, kind="vector"),
        _MAX_INPUT,
    ),
    names=("MeLU-8",),
    relations=(equal_to("prelu", note="at the paper's initialisation c = 0"),),
    kinks=_melu_kinks,
    source=_MELU_SOURCE + " This entry is k = 8 (seven hats).",
    notes="Mexican ReLU with k = 8 (seven hats, the second layout of the paper's experiments); see "
    "mexican_relu. At c = 0 it is PReLU(0.25). Seven coefficients, learned once per layer.",
)
def mexican_relu_k8(
    x: Tensor, a: Any = 0.25, coefficients: Any = MELU8_ZEROS, max_input: Any = 1.0
) -> Tensor:
    r""":math:`\mathrm{PReLU}_a(x) + \sum_j c_j \max(m\lambda_j - |x - m a_j|, 0)` (seven hats)."""
    return _melu(x, a, coefficients, max_input, wavelet=False)


@activation(
    "gaussian_relu",
    family="rectified",
    latex=r"\mathrm{PReLU}_a(x) + \sum_{j=1}^{3} c_j \left[\max(\lambda_j - |x - a_j|, 0) "
    r"+ \min(|x - a_j - 2\lambda_j| - \lambda_j, 0)\right]",
    text="(x if x > 0 else a*x) + sum_j c_j * (max(lambda_j - |x - a_j|, 0) + min(|x - a_j - 2 lambda_j| "
    "- lambda_j, 0))",
    citation=NANNI_2020,
    params=(
        *_MELU_PARAMS,
        Param("coefficients", MELU_ZEROS, "c_1..c_3 (learnable; initialised to 0 as in MeLU)",
              trainable=True, kind="vector"),
        _MAX_INPUT,
    ),
    names=("GaLU", "Gaussian ReLU"),
    survey=("GaLU",),
    relations=(equal_to("prelu", note="at the initialisation c = 0"),),
    kinks=lambda p: _melu_kinks(p, wavelet=True),
    source="Survey §4.32.2 (Nanni et al. 2020): the MeLU form with φ(x) = max(λ - |x - a|, 0) + "
    "min(|x - a - 2λ| - λ, 0), 'b_j and c_j similar as in the original MeLU'; we take MeLU's hat layout "
    "(a_j, λ_j) = m·(2, 2), m·(1, 1), m·(3, 1) and its zero initialisation.",
    notes="Gaussian ReLU: each component is a positive hat on [a - λ, a + λ] followed by a negative one "
    "on [a + λ, a + 3λ] (a discretised derivative-of-Gaussian). Uncertain: the exact (a_j, λ_j) of the "
    "GaLU paper were not readable; the survey says they are chosen like MeLU's, which is what actlab "
    "uses. At c = 0 it is PReLU(0.25). Three coefficients, learned once per layer.",
)
def gaussian_relu(x: Tensor, a: Any = 0.25, coefficients: Any = MELU_ZEROS, max_input: Any = 1.0) -> Tensor:
    r""":math:`\mathrm{PReLU}_a(x) + \sum_j c_j [\max(\lambda_j - |x - a_j|, 0) -
    \max(\lambda_j - |x - a_j - 2\lambda_j|, 0)]`."""
    return _melu(x, a, coefficients, max_input, wavelet=True)


@activation(
    "modified_mexican_relu",
    family="rectified",
    latex=r"a \max(b - |x - c|, 0) + (1 - a)\max(x, 0)",
    text="a * max(b - abs(x - c), 0) + (1 - a) * max(x, 0)",
    citation=KUNC_KLEMA_2024,
    params=(
        Param("a", 0.5, "mixing weight a ∈ [0, 1] (adaptive)", low=0.0, high=1.0, trainable=True),
        Param("b", 1.0, "hat half-width b > 0 (adaptive)", low=0.0, low_inclusive=False, trainable=True),
        Param("c", 0.0, "hat centre c (adaptive)", trainable=True),
    ),
    names=("MMeLU", "Modified Mexican ReLU"),
    survey=("MMeLU",),
    kinks=lambda p: (p["c"] - p["b"], p["c"], p["c"] + p["b"], 0.0),
    source="Survey §4.32.1: MMeLU(x) = a max(b - |x - c|, 0) + (1 - a) ReLU(x), a ∈ [0, 1], b > 0, c real, "
    "estimated by a Bayesian procedure. " + SURVEY_ONLY,
    notes="Modified Mexican ReLU: a convex mix of one hat and ReLU. The parameters are estimated, not "
    "initialised, in the original work; the defaults a = 1/2, b = 1, c = 0 are illustrative.",
)
def modified_mexican_relu(x: Tensor, a: Any = 0.5, b: Any = 1.0, c: Any = 0.0) -> Tensor:
    r""":math:`a \max(b - |x - c|, 0) + (1 - a) \max(x, 0)`."""
    return torch.relu(b - (x - c).abs()) * a + torch.relu(x) * (1 - a)


# --------------------------------------------------------------------------- rectifier shapes


@activation(
    "adaptive_hard_swish",
    family="self_gated",
    latex=r"2x \max(0, \min(0.2 b x + 0.5, 1))",
    text="2*x*max(0, min(0.2*b*x + 0.5, 1))",
    citation=KUNC_KLEMA_2024,
    params=(Param("b", 1.0, "gate slope b > 0 (trainable or fixed)", low=0.0, low_inclusive=False,
                  trainable=True),),
    names=("Adaptive Hard-Swish",),
    survey=("Hard-Swish adaptive",),
    kinks=lambda p: (-2.5 / p["b"], 2.5 / p["b"]),
    source="Survey §4.32.3: 2x·max(0, min(0.2 b x + 0.5, 1)), b trainable or fixed; b → ∞ gives a ReLU "
    "(scaled by 2). " + SURVEY_ONLY,
    notes="Adaptive hard-swish: 2x times a hard sigmoid of slope 0.2 b. Not MobileNetV3's hardswish "
    "(x·relu6(x + 3)/6, the entry 'hardswish'). b = 1 is our default.",
)
def adaptive_hard_swish(x: Tensor, b: Any = 1.0) -> Tensor:
    r""":math:`2x\,\max(0, \min(0.2bx + 0.5, 1))`."""
    h = x * (0.2 * b) + 0.5
    gate = torch.where(h <= 0, 0.0, torch.where(h >= 1, 1.0, h))
    return (x * gate) * 2


@activation(
    "adaptive_lisa",
    family="rectified",
    latex=r"a_r x - a_r + 1 \;(x \ge 1);\; x \;(0 < x < 1);\; a_l x \;(x \le 0)",
    text="a_right*x - a_right + 1 if x >= 1 else (x if x > 0 else a_left*x)",
    citation=BAWA_2019,
    params=(
        Param("a_left", 0.01, "slope a_l for x <= 0 (adaptive in ALiSA, fixed in LiSA)", trainable=True),
        Param("a_right", 0.1, "slope a_r for x >= 1 (adaptive in ALiSA, fixed in LiSA)", trainable=True),
    ),
    names=("ALiSA", "LiSA", "Adaptive linearized sigmoidal activation", "Linearized sigmoidal activation"),
    survey=("ALiSA", "LiSA"),
    relations=(special_case_of("s_shaped_relu", t_left=0.0, a_left=0.01, t_right=1.0, a_right=0.1),),
    kinks=lambda p: (0.0, 1.0),
    source="Survey §4.33.2: ALiSA is SReLU with t_r = 1 and t_l = 0 and adaptive slopes a_r, a_l; LiSA is "
    "the same function with fixed slopes (Bawa & Kumar 2019, whose abstract presents both variants).",
    notes="(Adaptive) linearized sigmoidal activation: identity on [0, 1], slopes a_l below 0 and a_r "
    "above 1. LiSA and ALiSA are one function: LiSA uses it with fixed slopes (actlab.get('LiSA')), "
    "ALiSA learns them (trainable=True). Uncertain: the paper's empirically chosen slopes were not "
    "readable; the defaults a_l = 0.01, a_r = 0.1 (small outer slopes, the sigmoid-like shape the name "
    "describes) are ours. At a knot the derivative is the outer slope, as in s_shaped_relu.",
)
def adaptive_lisa(x: Tensor, a_left: Any = 0.01, a_right: Any = 0.1) -> Tensor:
    r""":math:`a_r x - a_r + 1` for :math:`x \ge 1`, :math:`x` on (0, 1), :math:`a_l x` for
    :math:`x \le 0`."""
    return torch.where(x >= 1, (x - 1) * a_right + 1, torch.where(x <= 0, x * a_left, x))


@activation(
    "piecewise_linear_unit",
    family="rectified",
    latex=r"\max\left(a(x + c) - c,\ \min(a(x - c) + c,\ x)\right)",
    text="max(a*(x + c) - c, min(a*(x - c) + c, x))",
    citation=NICOLAE_2018,
    params=(
        Param("a", 0.1, "outer slope a ∈ [0, 1] (trainable or fixed)", low=0.0, high=1.0, trainable=True),
        Param("c", 1.0, "half-width c > 0 of the identity region", low=0.0, low_inclusive=False),
    ),
    names=("PLU",),
    survey=("PLU",),
    relations=(special_case_of("s_shaped_relu", t_left=-1.0, a_left=0.1, t_right=1.0, a_right=0.1),),
    kinks=lambda p: (-p["c"], p["c"]),
    grad_mask=lambda x, a=0.1, c=1.0: (x > -c) & (x < c),
    grad_mask_values=lambda p: (p["a"], 1.0),
    source="Nicolae (2018), Eq. 1: PLU(x) = max(α(x + c) - c, min(α(x - c) + c, x)) with α = 0.1, c = 1; "
    "the survey (§4.35) prints the same and lets a be trainable.",
    notes="Piecewise linear unit (Nicolae): identity on [-c, c], slope a outside; a symmetric SReLU and "
    "invertible for a > 0. Not PiLU or PWLU, which 'piecewise linear unit' also names. At ±c the "
    "derivative is a.",
)
def piecewise_linear_unit(x: Tensor, a: Any = 0.1, c: Any = 1.0) -> Tensor:
    r""":math:`\max(a(x + c) - c, \min(a(x - c) + c, x))`."""
    return torch.where(x >= c, (x - c) * a + c, torch.where(x <= -c, (x + c) * a - c, x))


def _adalu_kinks(p: dict) -> tuple[float, ...]:
    a, c, d, e = p["a"], p["c"], p["d"], p["e"]
    out = [a]
    if c != 0 and e / c > 0:
        out.append(a + e / c)
    if d != 0 and e / d <= 0:
        out.append(a + e / d)
    return tuple(out)


@activation(
    "adaptive_linear_unit",
    family="rectified",
    latex=r"b + \max\left(e,\ (c \text{ if } x > a \text{ else } d)(x - a)\right)",
    text="b + max(e, c*(x - a) if x > a else d*(x - a))",
    citation=KUNC_KLEMA_2024,
    params=(
        Param("a", 0.0, "input offset a (adaptive)", trainable=True),
        Param("b", 0.0, "output offset b (adaptive)", trainable=True),
        Param("c", 1.0, "slope c for x > a (adaptive)", trainable=True),
        Param("d", 0.1, "slope d for x <= a (adaptive)", trainable=True),
        Param("e", -1.0, "saturation value e (adaptive)", trainable=True),
    ),
    names=("AdaLU", "Adaptive linear unit"),
    survey=("AdaLU",),
    kinks=_adalu_kinks,
    source="Survey §4.36: AdaLU with a, b offsets, c, d slopes of the two linear parts and e the "
    "saturation value, all trainable per neuron: b + max(e, c(x - a)) for x > a, b + max(e, d(x - a)) "
    "otherwise. " + SURVEY_ONLY,
    notes="Adaptive linear unit: a two-slope linear unit around the offset a, floored at the saturation "
    "value e, shifted by b. The defaults (a = b = 0, c = 1, d = 0.1, e = -1: a leaky ReLU that "
    "saturates at -1 below x = -10) are illustrative. Uncertain: read from the survey only.",
)
def adaptive_linear_unit(
    x: Tensor, a: Any = 0.0, b: Any = 0.0, c: Any = 1.0, d: Any = 0.1, e: Any = -1.0
) -> Tensor:
    r""":math:`b + \max(e, s(x - a))` with :math:`s = c` for :math:`x > a`, :math:`d` otherwise."""
    u = x - a
    p = torch.where(u > 0, u * c, u * d)
    return torch.where(p < e, torch.zeros_like(p) + e, p) + b


# --------------------------------------------------------------------------- ARiA


@activation(
    "aria",
    family="self_gated",
    latex=r"x\left(A + \frac{K - A}{(C + Q e^{-Bx})^{1/\nu}}\right)",
    text="x * (A + (K - A) * exp(-log(C + Q*exp(-B*x)) / nu))",
    citation=PATWARDHAN_2018,
    params=(
        Param("A", 0.0, "lower asymptote A of Richard's curve"),
        Param("K", 1.0, "upper asymptote K"),
        Param("C", 1.0, "constant C > 0 (typically 1)", low=0.0, low_inclusive=False),
        Param("Q", 1.0, "Q > 0, controls the value at 0", low=0.0, low_inclusive=False),
        Param("B", 1.0, "growth rate B"),
        Param("nu", 1.0, "ν > 0, direction of growth", low=0.0, low_inclusive=False),
    ),
    names=("ARiA", "Adaptive Richard's curve weighted activation"),
    survey=("ARiA",),
    relations=(
        equal_to("silu", note="A = 0, K = C = Q = B = ν = 1: Richard's curve is the logistic sigmoid"),
        Relation("related", "aglu", note="aglu(λ, κ) = aria(A=0, K=1, C=1, Q=λ, B=κ, ν=λ)"),
    ),
    source="Patwardhan et al. (2018), Eqs. 1-2: ARiA(x) = x·σ_R(x), "
    "σ_R(x) = A + (K - A)/(C + Q e^{-Bx})^{1/ν} "
    "(Richard's curve); the survey (§4.38) prints the same. Defaults A = 0, K = C = Q = B = ν = 1 (the "
    "swish special case the paper starts from).",
    notes="ARiA, swish with the sigmoid replaced by Richard's curve. The paper treats the five shape "
    "parameters as hyperparameters (fixed in its experiments; the arXiv abstract, checked, controls the "
    "shape 'by varying the hyper-parameters'), so none is marked trainable: the survey's adaptive row "
    "reflects only that they can be trained (actlab.get('aria', trainable=True) learns all of them). "
    "The curve is evaluated in log space, exp(-log(C + Q e^{-Bx})/ν) with logaddexp, so large |Bx| does "
    "not overflow. At the defaults it is SiLU. The survey's statement of the swish case ('A = 1, K = 0') "
    "swaps the asymptotes; the formula decides (A = 0, K = 1).",
)
def aria(
    x: Tensor, A: Any = 0.0, K: Any = 1.0, C: Any = 1.0, Q: Any = 1.0, B: Any = 1.0, nu: Any = 1.0
) -> Tensor:
    r""":math:`x\,(A + (K - A)(C + Q e^{-Bx})^{-1/\nu})`."""
    log_c = torch.log(torch.as_tensor(C, dtype=x.dtype, device=x.device))
    log_q = torch.log(torch.as_tensor(Q, dtype=x.dtype, device=x.device))
    log_den = torch.logaddexp(log_c + torch.zeros_like(x), log_q - x * B)
    return x * (A + (K - A) * torch.exp(-log_den / nu))


@activation(
    "aria2",
    family="self_gated",
    latex=r"x\,(1 + e^{-bx})^{-a}",
    text="x * exp(-a * softplus(-b*x))",
    citation=PATWARDHAN_2018,
    params=(
        Param("a", 1.5, "exponent a > 0 (= 1/ν of ARiA)", low=0.0, low_inclusive=False),
        Param("b", 2.0, "growth rate b (= B of ARiA)"),
    ),
    names=("ARiA2",),
    survey=("ARiA2",),
    relations=(special_case_of("aria", A=0.0, K=1.0, C=1.0, Q=1.0, B=2.0, nu=1 / 1.5),),
    source="Patwardhan et al. (2018): ARiA2(x) = x·σ(bx)^a = x (1 + e^{-bx})^{-a}, ARiA with A = 0, K = C = "
    "Q = 1, B = b, ν = 1/a; a = 1.5, b = 2 gave the best MNIST result (survey §4.38: 'a = 1.5 and b = 2', "
    "DenseNet a = 1.75, b = 1).",
    notes="ARiA2, the two-parameter ARiA. Evaluated as x·exp(-a·softplus(-bx)). The paper fixes a and b as "
    "hyper-parameters (its arXiv abstract, checked), so neither is marked trainable; the survey's "
    "adaptive row reflects only that they can be trained (trainable=True learns both).",
)
def aria2(x: Tensor, a: Any = 1.5, b: Any = 2.0) -> Tensor:
    r""":math:`x (1 + e^{-bx})^{-a}`."""
    return x * torch.exp(-softplus(-(x * b)) * a)


# --------------------------------------------------------------------------- small closed forms


@activation(
    "modified_weibull",
    family="bump",
    latex=r"\left(\frac{x}{a}\right)^{b - 1} e^{-(x/c)^d}",
    text="(x/a)^(b - 1) * exp(-(x/c)^d) for integers b, d >= 1",
    citation=KUNC_KLEMA_2024,
    params=(
        Param("a", 1.0, "scale a > 0 of the polynomial term (adaptive)", low=0.0, low_inclusive=False,
              trainable=True),
        Param("b", 2, "integer b >= 1: polynomial degree b - 1 (sets the peak location)", low=1, kind="int"),
        Param("c", 1.0, "scale c > 0 of the exponential term (adaptive)", low=0.0, low_inclusive=False,
              trainable=True),
        Param("d", 2, "integer exponent d >= 1 of the exponential term", low=1, kind="int"),
    ),
    names=("MWF", "Modified Weibull function"),
    survey=("MWF modified Weibull",),
    source="Survey §4.39: MWF(x) = (x/a)^{b-1} exp(-(x/c)^d), a, b, c, d trainable; b sets the location "
    "of the peak, the polynomial dominates for small inputs and the exponential for large ones. "
    + SURVEY_ONLY,
    notes="Modified Weibull function. The Weibull form is defined for x >= 0 only when b and d are real; "
    "actlab keeps b and d integers so that the function is defined on the whole line, and learns a and "
    "c only. The defaults (a = c = 1, b = d = 2: x e^{-x²}) are illustrative; with odd d the "
    "exponential grows without bound for x < 0.",
)
def modified_weibull(x: Tensor, a: Any = 1.0, b: int = 2, c: Any = 1.0, d: int = 2) -> Tensor:
    r""":math:`(x/a)^{b-1} e^{-(x/c)^d}` (integer b, d)."""
    u = x / c
    # where |x/c| > 1000 and (x/c)^d > 0 the exponential is 0 in every dtype and wins over the
    # polynomial: the value is 0 (computing it would form inf * 0)
    decays = (u.abs() > 1e3) & ((u > 0) | (d % 2 == 0))
    xs = torch.where(decays, torch.zeros_like(x), x)
    head = (xs / a).pow(b - 1) if b > 1 else torch.ones_like(x)
    return torch.where(decays, 0.0, head * torch.exp(-(xs / c).pow(d)))


@activation(
    "sincos",
    family="periodic",
    latex=r"a \sin(bx) + c \cos(dx)",
    text="a*sin(b*x) + c*cos(d*x)",
    citation=KUNC_KLEMA_2024,
    params=(
        Param("a", 1.0, "sine amplitude a (adaptive)", trainable=True),
        Param("b", 1.0, "sine frequency b (adaptive)", trainable=True),
        Param("c", 1.0, "cosine amplitude c (adaptive)", trainable=True),
        Param("d", 1.0, "cosine frequency d (adaptive)", trainable=True),
    ),
    names=("Sincos",),
    survey=("sincos",),
    source="Survey §4.40: sincos(x) = a sin(bx) + c cos(dx) with a, b, c, d adaptive. " + SURVEY_ONLY,
    notes="A trainable sum of a sine and a cosine (the peer package fixes it to sin x + cos x). The "
    "defaults a = b = c = d = 1 are illustrative.",
)
def sincos(x: Tensor, a: Any = 1.0, b: Any = 1.0, c: Any = 1.0, d: Any = 1.0) -> Tensor:
    r""":math:`a \sin(bx) + c \cos(dx)`."""
    return torch.sin(x * b) * a + torch.cos(x * d) * c


@activation(
    "sine_sigmoid",
    family="periodic",
    latex=r"a \sin(bx) + c\,\sigma(dx)",
    text="a*sin(b*x) + c*sigmoid(d*x)",
    citation=KUNC_KLEMA_2024,
    params=(
        Param("a", 1.0, "sine amplitude a (adaptive)", trainable=True),
        Param("b", 1.0, "sine frequency b (adaptive)", trainable=True),
        Param("c", 1.0, "sigmoid amplitude c (adaptive)", trainable=True),
        Param("d", 1.0, "sigmoid slope d (adaptive)", trainable=True),
    ),
    names=("CSS", "Combination of sine and logistic sigmoid"),
    survey=("CSS sine+sigmoid",),
    source="Survey §4.41: CSS(x) = a sin(bx) + c σ(dx), a, b, c, d adaptive (the survey's own name for an "
    "unnamed function). " + SURVEY_ONLY,
    notes="Combination of sine and logistic sigmoid (CSS). Not the peer package's 'CSS' (σ(x)·cos x). "
    "The defaults a = b = c = d = 1 are illustrative.",
)
def sine_sigmoid(x: Tensor, a: Any = 1.0, b: Any = 1.0, c: Any = 1.0, d: Any = 1.0) -> Tensor:
    r""":math:`a \sin(bx) + c\,\sigma(dx)`."""
    return torch.sin(x * b) * a + torch.sigmoid(x * d) * c


@activation(
    "expcos",
    family="bump",
    latex=r"e^{-a x^2} \cos(bx)",
    text="exp(-a*x^2) * cos(b*x)",
    citation=KUNC_KLEMA_2024,
    params=(
        Param("a", 1.0, "Gaussian width a > 0 (adaptive)", low=0.0, low_inclusive=False, trainable=True),
        Param("b", 1.0, "cosine frequency b (adaptive)", trainable=True),
    ),
    names=("Expcos",),
    survey=("expcos",),
    source="Survey §4.43: expcos(x) = exp(-a x²) cos(bx), a and b adaptive (the survey's name for an "
    "unnamed function). " + SURVEY_ONLY,
    notes="A Gaussian-windowed cosine (a Morlet-like wavelet); the peer package fixes it to exp(cos x). "
    "The defaults a = b = 1 are illustrative.",
)
def expcos(x: Tensor, a: Any = 1.0, b: Any = 1.0) -> Tensor:
    r""":math:`e^{-ax^2}\cos(bx)`."""
    return torch.exp(-(x * x) * a) * torch.cos(x * b)


# --------------------------------------------------------------------------- multi-bin units (MTLU, CPN)

MTLU_BINS = 20
MTLU_HALF = MTLU_BINS // 2
MTLU_SLOPES = (0.0,) * MTLU_HALF + (1.0,) * MTLU_HALF
MTLU_INTERCEPTS = (0.0,) * MTLU_BINS
CPN_NONLINEAR = (0.0,) * MTLU_BINS
# CPN_mc: the value at the right end (k - 9) w of bin k; ReLU there
CPNMC_VALUES = tuple(max(0.0, (k - MTLU_HALF + 1) * 0.1) for k in range(MTLU_BINS))


def _bins(x: Tensor, width: Any, n: int) -> Tensor:
    """Bin of each element: ``floor(x / width) + n//2`` clipped to ``[0, n - 1]`` (first and last bins
    extend to -inf and +inf)."""
    half = n // 2
    return _bin_index(x / width, -half, n - 1 - half) + half


def _bin_kinks(p: dict, n: int) -> tuple[float, ...]:
    w = float(p["width"])
    return tuple((k - n // 2) * w for k in range(1, n))


_WIDTH = Param("width", 0.1, "bin width w > 0 (fixed)", low=0.0, low_inclusive=False)
_MTLU_SOURCE = (
    "Bins as in the authors' code (xc-G/CPN, models/activation.py, the MTLU CUDA layer of Gu et al.): "
    "BinNum = 20 bins of width 0.1 around 0, the outer two open-ended; slopes initialised to 1 on the "
    "upper 10 bins and 0 below, intercepts 0, i.e. ReLU."
)


@activation(
    "multibin_trainable_linear_unit",
    family="rectified",
    latex=r"a_k x + b_k,\quad k = \mathrm{clip}(\lfloor x / w \rfloor + 10, 0, 19)",
    text="a_k * x + b_k for x in bin k (20 bins of width w)",
    citation=GU_2018,
    params=(
        Param("slopes", MTLU_SLOPES, "a_0..a_19, one slope per bin (learnable)", trainable=True,
              kind="vector"),
        Param("intercepts", MTLU_INTERCEPTS, "b_0..b_19, one intercept per bin (learnable)", trainable=True,
              kind="vector"),
        _WIDTH,
    ),
    names=("MTLU", "CPNm", "Multi-bin trainable linear unit"),
    survey=("MTLU (CPNm, CPNmc)",),
    relations=(equal_to("relu", note="at the ReLU initialisation"),),
    kinks=lambda p: _bin_kinks(p, MTLU_BINS),
    source="Gu et al. (2018), MTLU: a separate linear function a_k x + b_k on each of K uniform bins "
    "(anchors predefined, a, b trainable); the survey (§4.44) prints the same and notes Gao et al. call "
    "it CPN_m. " + _MTLU_SOURCE,
    notes="Multi-bin trainable linear unit: 20 bins (the size of the coefficient vectors) of width "
    "w = 0.1 on [-1, 1), the outer bins extending to ±inf. Not continuous in general (continuous_"
    "piecewise_linear_cpn is the continuous variant). At the ReLU initialisation it is ReLU. "
    "Coefficients are learned once per layer by actlab's learnable module (per channel in the paper).",
)
def multibin_trainable_linear_unit(
    x: Tensor, slopes: Any = MTLU_SLOPES, intercepts: Any = MTLU_INTERCEPTS, width: Any = 0.1
) -> Tensor:
    r""":math:`a_k x + b_k` on bin :math:`k` (bins of width :math:`w`, the outer two open-ended)."""
    a, b = _vec(slopes, x), _vec(intercepts, x)
    k = _bins(x, width, a.shape[0])
    return a[k] * x + b[k]


@activation(
    "piecewise_nonlinear_cpn",
    family="rectified",
    latex=r"a_k x + b_k + c_k\,\sigma(x),\quad k = \mathrm{clip}(\lfloor x / w \rfloor + 10, 0, 19)",
    text="a_k * x + b_k + c_k * sigmoid(x) for x in bin k (20 bins of width w)",
    citation=GAO_2023,
    params=(
        Param("slopes", MTLU_SLOPES, "a_0..a_19 (learnable)", trainable=True, kind="vector"),
        Param("intercepts", MTLU_INTERCEPTS, "b_0..b_19 (learnable)", trainable=True, kind="vector"),
        Param("nonlinear", CPN_NONLINEAR, "c_0..c_19, weights of the sigmoid term (learnable)",
              trainable=True, kind="vector"),
        _WIDTH,
    ),
    names=("CPN", "Continuous piecewise nonlinear activation function"),
    survey=("CPN",),
    relations=(equal_to("relu", note="at the ReLU initialisation (c = 0)"),),
    kinks=lambda p: _bin_kinks(p, MTLU_BINS),
    source="Gao et al. (2023) via the survey §4.45: on each bin of the MTLU layout a linear part plus a "
    "nonlinear term, a_k x + b_k + c_k g(x), with g the logistic sigmoid. " + _MTLU_SOURCE,
    notes="CPN, the general form of Gao et al.: MTLU with an extra sigmoid term per bin (20 bins of "
    "width 0.1; c initialised to 0, so it starts as ReLU). Uncertain: the survey's printed definition "
    "is garbled; the authors' code combines an MTLU with a sigmoid-weighted MTLU (a_k x + b_k + "
    "(a'_k x + b'_k) σ(x)), of which this is the case a'_k = 0. Coefficients learned once per layer.",
)
def piecewise_nonlinear_cpn(
    x: Tensor,
    slopes: Any = MTLU_SLOPES,
    intercepts: Any = MTLU_INTERCEPTS,
    nonlinear: Any = CPN_NONLINEAR,
    width: Any = 0.1,
) -> Tensor:
    r""":math:`a_k x + b_k + c_k \sigma(x)` on bin :math:`k`."""
    a, b, c = _vec(slopes, x), _vec(intercepts, x), _vec(nonlinear, x)
    k = _bins(x, width, a.shape[0])
    return a[k] * x + b[k] + c[k] * torch.sigmoid(x)


@activation(
    "continuous_piecewise_linear_cpn",
    family="rectified",
    latex=r"y_{k-1} + (y_k - y_{k-1})\,\frac{x - (k - 10) w}{w},\quad y_{-1} = 0",
    text="y_(k-1) + (y_k - y_(k-1)) * (x - (k - 10) w) / w for x in bin k; y_(-1) is 0",
    citation=GAO_2023,
    params=(
        Param("values", CPNMC_VALUES, "y_0..y_19, the value at the right end of each bin (learnable)",
              trainable=True, kind="vector"),
        _WIDTH,
    ),
    names=("CPNmc", "CPN_mc"),
    relations=(equal_to("relu", note="at the ReLU initialisation"),),
    kinks=lambda p: _bin_kinks(p, MTLU_BINS),
    source="Gao et al. (2023): the MTLU with a continuity constraint (survey §4.44, 'CPN_mc'). "
    "Parametrisation from the authors' code (xc-G/CPN, CPN_mc): values y_k at the right ends x_k = "
    "(k - 9) w of the 20 bins, slope (y_k - y_{k-1})/w on bin k with y_{-1} = 0 at -10 w, initialised "
    "to ReLU (y_k = x_k for x_k > 0).",
    notes="Continuous multi-bin linear unit (CPN_mc): continuous piecewise linear with knots every "
    "w = 0.1 on [-0.9, 0.9]; the first bin is the line through (-1, 0) and (-0.9, y_0), the last the "
    "line through (0.9, y_18) and (1, y_19). 20 values (the vector size). At initialisation it is ReLU. "
    "Listed under the survey row 'MTLU (CPNm, CPNmc)' by name only (the row is the MTLU entry's).",
)
def continuous_piecewise_linear_cpn(x: Tensor, values: Any = CPNMC_VALUES, width: Any = 0.1) -> Tensor:
    r"""Linear interpolation between :math:`(x_{k-1}, y_{k-1})` and :math:`(x_k, y_k)` on bin k."""
    y = _vec(values, x)
    n = y.shape[0]
    k = _bins(x, width, n)
    prev = torch.where(k == 0, torch.zeros((), dtype=x.dtype, device=x.device), y[(k - 1).clamp(min=0)])
    left = (k - n // 2).to(x.dtype) * width
    return prev + ((y[k] - prev) / width) * (x - left)


CPNNL_A = (1.0, 1.0, 0.0, 0.0)
CPNNL_ZEROS = (0.0, 0.0, 0.0, 0.0)


def _cpnnl_kinks(p: dict) -> tuple[float, ...]:
    a, b, c = p["a"], p["b"], p["c"]
    if any(v != 0 for v in b):
        return ()
    out = set()
    for i in range(len(a)):
        for j in range(i + 1, len(a)):
            if a[i] != a[j]:
                out.add((c[j] - c[i]) / (a[i] - a[j]))
    return tuple(sorted(out))


@activation(
    "max_piecewise_nonlinear_cpn",
    family="rectified",
    latex=r"\max_{k=1..4} \left(a_k x + b_k\,x\sigma(x) + c_k\right)",
    text="max of (a_k x + b_k x sigmoid(x) + c_k) for k in 1..4",
    citation=GAO_2023,
    params=(
        Param("a", CPNNL_A, "a_1..a_4, linear coefficients (learnable)", trainable=True, kind="vector"),
        Param("b", CPNNL_ZEROS, "b_1..b_4, SiLU coefficients (learnable)", trainable=True, kind="vector"),
        Param("c", CPNNL_ZEROS, "c_1..c_4, offsets (learnable)", trainable=True, kind="vector"),
    ),
    names=("CPNnl", "CPN_nl"),
    survey=("CPNnl",),
    relations=(equal_to("relu", note="at the authors' initialisation a = (1, 1, 0, 0), b = c = 0"),),
    kinks=_cpnnl_kinks,
    source="Gao et al. (2023), CPN_nl (survey §4.45): the maximum of K functions a_k x + b_k g(x) + c_k "
    "with a nonlinear g, no uniform division of the input. The authors' code (xc-G/CPN, CPN_nl) uses "
    "g = SiLU, K = 4 (BinNum = 4) and initialises a = (1, 1, 0, 0), b = c = 0, i.e. ReLU.",
    notes="Max of four SiLU-augmented lines (CPN_nl). Four coefficients per vector (the authors' "
    "BinNum = 4). At initialisation it is ReLU. Where pieces tie, the derivative is the mean of the "
    "tied pieces' derivatives (torch amax).",
)
def max_piecewise_nonlinear_cpn(
    x: Tensor, a: Any = CPNNL_A, b: Any = CPNNL_ZEROS, c: Any = CPNNL_ZEROS
) -> Tensor:
    r""":math:`\max_k (a_k x + b_k\,x\sigma(x) + c_k)`."""
    av, bv, cv = _vec(a, x), _vec(b, x), _vec(c, x)
    xs = x.unsqueeze(-1)
    pieces = xs * av + (xs * torch.sigmoid(xs)) * bv + cv
    return pieces.amax(dim=-1)


# --------------------------------------------------------------------------- PWLU, N-PWLU

PWLU_SEGMENTS = 16
PWLU_POINTS = tuple(max(0.0, -3.0 + i * 0.375) for i in range(PWLU_SEGMENTS + 1))


def _pwlu_kinks(p: dict) -> tuple[float, ...]:
    n = len(p["points"]) - 1
    lo, hi = float(p["left"]), float(p["right"])
    d = (hi - lo) / n
    return tuple(lo + i * d for i in range(n + 1))


@activation(
    "pwlu",
    family="rectified",
    latex=r"Y_i + (Y_{i+1} - Y_i)\frac{x - B_i}{d}\ (B_L \le x < B_R);\ "
    r"Y_0 + K_L(x - B_L)\ (x < B_L);\ Y_N + K_R(x - B_R)\ (x \ge B_R)",
    text="Y_0 + K_L (x - B_L) if x < B_L; Y_N + K_R (x - B_R) if x >= B_R; linear interpolation of "
    "(B_i, Y_i) otherwise",
    citation=ZHOU_2021,
    params=(
        Param("points", PWLU_POINTS, "Y_0..Y_16, values at the 17 uniform knots (learnable)", trainable=True,
              kind="vector"),
        Param("left", -3.0, "left bound B_L (learnable)", trainable=True),
        Param("right", 3.0, "right bound B_R > B_L (learnable)", trainable=True),
        Param("slope_left", 0.0, "slope K_L left of B_L (learnable)", trainable=True),
        Param("slope_right", 1.0, "slope K_R right of B_R (learnable)", trainable=True),
    ),
    names=("PWLU",),
    survey=("PWLU / N-PWLU",),
    relations=(equal_to("relu", note="at the ReLU initialisation"),),
    kinks=_pwlu_kinks,
    source="Zhou et al. (2021), Eq. 1 (PWLU): N uniform intervals on [B_L, B_R] with learnable values Y "
    "at the N + 1 knots and learnable outer slopes K_L, K_R; N = 16 as in the paper's experiments. "
    "Survey §4.44 describes it as MTLU-like with uniform knots.",
    notes="Piecewise linear unit (PWLU, Zhou et al.): continuous, 16 segments (17 knot values, the "
    "vector size). The paper initialises the knots to a chosen activation and realigns the bounds from "
    "input statistics (not modelled here); the defaults B_L = -3, B_R = 3 with ReLU knot values and "
    "K_L = 0, K_R = 1 (ReLU) are ours. Requires left < right. Not PLU (Nicolae) or PiLU.",
)
def pwlu(
    x: Tensor,
    points: Any = PWLU_POINTS,
    left: Any = -3.0,
    right: Any = 3.0,
    slope_left: Any = 0.0,
    slope_right: Any = 1.0,
) -> Tensor:
    r"""PWLU: linear interpolation of the knot values inside :math:`[B_L, B_R)`, lines outside."""
    _check_order("pwlu", "left", left, "right", right)
    y = _vec(points, x)
    n = y.shape[0] - 1
    d = (right - left) / n
    below, above = x < left, x >= right
    inside = ~(below | above)
    xi = torch.where(inside, x, torch.zeros_like(x) + left)
    i = _bin_index((xi - left) / d, 0, n - 1)
    knot = left + i.to(x.dtype) * d
    mid = y[i] + (y[i + 1] - y[i]) * ((xi - knot) / d)
    lo = (x - left) * slope_left + y[0]
    hi = (x - right) * slope_right + y[n]
    return torch.where(below, lo, torch.where(above, hi, mid))


NPWLU_WIDTHS = (1.0, 1.0, 1.0, 1.0)
NPWLU_SLOPES = (0.0, 0.0, 1.0, 1.0)


def _npwlu_kinks(p: dict) -> tuple[float, ...]:
    b = float(p["left"])
    out = [b]
    for w in p["widths"]:
        b += abs(w)
        out.append(b)
    return tuple(out)


@activation(
    "non_uniform_pwlu",
    family="rectified",
    latex=r"y_0 + K_L \min(x - B_0, 0) + \sum_{i=1}^{4} k_i\,\mathrm{clip}(x - B_{i-1}, 0, |d_i|) "
    r"+ K_R \max(x - B_4, 0),\ B_i = B_0 + \sum_{j \le i} |d_j|",
    text="y_0 + K_L min(x - B_0, 0) + sum_i k_i clip(x - B_(i-1), 0, |d_i|) + K_R max(x - B_4, 0)",
    citation=ZHU_DONG_2022,
    params=(
        Param("left", -2.0, "first breakpoint B_0 (learnable)", trainable=True),
        Param("widths", NPWLU_WIDTHS, "interval lengths d_1..d_4 (their absolute values; learnable)",
              trainable=True, kind="vector"),
        Param("slopes", NPWLU_SLOPES, "slopes k_1..k_4 of the four intervals (learnable)", trainable=True,
              kind="vector"),
        Param("slope_left", 0.0, "slope K_L left of B_0 (learnable)", trainable=True),
        Param("slope_right", 1.0, "slope K_R right of B_4 (learnable)", trainable=True),
        Param("value_left", 0.0, "value y_0 at B_0 (learnable)", trainable=True),
    ),
    names=("N-PWLU", "Non-uniform piecewise linear unit"),
    survey=("PWLU / N-PWLU",),
    relations=(equal_to("relu", note="at the ReLU initialisation"),),
    kinks=_npwlu_kinks,
    source="Zhu & Dong (2022), N-PWLU (abstract; survey §4.44): PWLU with learnable, non-uniform "
    "intervals and a cumulative definition; 4 intervals match 16-interval PWLU in the paper.",
    notes="Non-uniform PWLU with 4 intervals (the vector size): continuous piecewise linear, breakpoints "
    "B_i = B_0 + cumulative |d_j|, the function accumulated interval by interval (each interval adds its "
    "slope times the part of x inside it). Uncertain: the paper's exact parametrisation was not "
    "readable; this cumulative form spans the same functions. The defaults (B_0 = -2, unit widths, "
    "slopes (0, 0, 1, 1), K_L = 0, K_R = 1, y_0 = 0) are ReLU and ours.",
)
def non_uniform_pwlu(
    x: Tensor,
    left: Any = -2.0,
    widths: Any = NPWLU_WIDTHS,
    slopes: Any = NPWLU_SLOPES,
    slope_left: Any = 0.0,
    slope_right: Any = 1.0,
    value_left: Any = 0.0,
) -> Tensor:
    r""":math:`y_0 + K_L \min(x - B_0, 0) + \sum_i k_i\,\mathrm{clip}(x - B_{i-1}, 0, |d_i|) +
    K_R \max(x - B_4, 0)`."""
    w, k = _vec(widths, x).abs(), _vec(slopes, x)
    y = torch.minimum(x - left, torch.zeros_like(x)) * slope_left + value_left
    b = left
    for i in range(w.shape[0]):
        y = y + torch.minimum(torch.relu(x - b), w[i]) * k[i]
        b = b + w[i]
    return y + torch.relu(x - b) * slope_right


# --------------------------------------------------------------------------- LuTU

LUTU_START, LUTU_STEP, LUTU_N = -12.0, 0.1, 240
LUTU_VALUES = tuple(max(0.0, LUTU_START + j * LUTU_STEP) for j in range(LUTU_N + 1))


def _lutu_kinks(p: dict) -> tuple[float, ...]:
    return tuple(p["start"] + j * p["step"] for j in range(len(p["values"])))


_LUTU_SOURCE = (
    "Wang, Liu & Foroosh (2018) via the survey §4.46: anchors a_j = a_0 + s j, j = 0..n, with learnable "
    "values b_j; the paper uses a_0 = -12, s = 0.1, n = 240 (241 anchors covering [-12, 12])."
)


@activation(
    "lutu_linear",
    family="rectified",
    latex=r"b_j + (b_{j+1} - b_j)\frac{x - a_j}{s},\quad a_j = a_0 + sj \le x < a_{j+1}",
    text="linear interpolation of the points (start + j step, b_j) for j in 0..240, end segments extended",
    citation=WANG_LIU_FOROOSH_2018,
    params=(
        Param("values", LUTU_VALUES, "b_0..b_240, the table's values at the anchors (learnable)",
              trainable=True, kind="vector"),
        Param("start", LUTU_START, "first anchor a_0 (fixed)"),
        Param("step", LUTU_STEP, "anchor spacing s > 0 (fixed)", low=0.0, low_inclusive=False),
    ),
    names=("LuTU", "Look-up table unit"),
    survey=("LuTU",),
    relations=(equal_to("relu", note="at the ReLU initialisation (values sampled from ReLU)"),),
    kinks=_lutu_kinks,
    source=_LUTU_SOURCE + " Linear-interpolation variant.",
    notes="Look-up table unit, linear interpolation between 241 anchors (the vector size). Outside "
    "[a_0, a_n] the first and last segments are extended. The table is initialised by sampling ReLU at "
    "the anchors (our choice; the paper's initialisation was not readable), so at the defaults it is "
    "ReLU up to the rounding of the anchors a_0 + s j. Learned once per layer by actlab's learnable "
    "module (per neuron in the paper).",
)
def lutu_linear(
    x: Tensor, values: Any = LUTU_VALUES, start: Any = LUTU_START, step: Any = LUTU_STEP
) -> Tensor:
    r"""Linear interpolation of the table :math:`(a_j, b_j)`, :math:`a_j = a_0 + sj`."""
    b = _vec(values, x)
    n = b.shape[0] - 1
    j = _bin_index((x - start) / step, 0, n - 1)
    anchor = start + j.to(x.dtype) * step
    return b[j] + ((b[j + 1] - b[j]) / step) * (x - anchor)


@activation(
    "lutu_cosine",
    family="rectified",
    latex=r"\frac{s}{2\tau}\sum_{|x - a_j| < \tau} b_j \left(1 + \cos\frac{\pi (x - a_j)}{\tau}\right),"
    r"\quad \tau = t s",
    text="(step / (2 tau)) sum_j b_j (1 + cos(pi (x - a_j) / tau)) over |x - a_j| < tau, tau = t step",
    citation=WANG_LIU_FOROOSH_2018,
    params=(
        Param("values", LUTU_VALUES, "b_0..b_240, the table's values at the anchors (learnable)",
              trainable=True, kind="vector"),
        Param("start", LUTU_START, "first anchor a_0 (fixed)"),
        Param("step", LUTU_STEP, "anchor spacing s > 0 (fixed)", low=0.0, low_inclusive=False),
        Param("t", 2, "integer ratio t = τ/s >= 1 of the cosine mask's half-period to the spacing",
              low=1, kind="int"),
    ),
    names=("LuTU cosine", "Look-up table unit (cosine smoothing)"),
    kinks=_lutu_kinks,
    source=_LUTU_SOURCE + " Cosine-smoothed variant: mask r(u) = (1 + cos(πu/τ))/(2τ) for |u| <= τ, "
    "τ = t s, f(x) = s Σ_j b_j r(x - a_j).",
    notes="Look-up table unit with single-period cosine smoothing. With the factor s the masks form a "
    "partition of unity for integer t, so a constant table gives a constant. Beyond the table the sum "
    "is empty and f is 0. t = 2 (τ = 0.2) is our default: t = 1 pins f' to 0 at every anchor. The "
    "table starts as ReLU sampled at the anchors (our choice). The survey row 'LuTU' is the linear "
    "variant's (lutu_linear); this one is reached by its own names. f is continuously differentiable; its "
    "second derivative jumps at the anchors (listed as kinks so that finite-difference checks keep "
    "away from them).",
)
def lutu_cosine(
    x: Tensor, values: Any = LUTU_VALUES, start: Any = LUTU_START, step: Any = LUTU_STEP, t: int = 2
) -> Tensor:
    r""":math:`\frac{s}{2\tau}\sum_{|x - a_j| < \tau} b_j (1 + \cos(\pi (x - a_j)/\tau))`."""
    b = _vec(values, x)
    n = b.shape[0] - 1
    tau = t * step
    j0 = _bin_index((x - start) / step, -t - 1, n + t + 1)
    y = torch.zeros_like(x)
    for o in range(-t + 1, t + 1):
        j = j0 + o
        valid = (j >= 0) & (j <= n)
        jc = j.clamp(0, n)
        dist = x - (start + jc.to(x.dtype) * step)
        near = valid & (dist.abs() < tau)
        ds = torch.where(near, dist, torch.zeros_like(dist) + tau)
        y = y + torch.where(near, b[jc] * (1 + torch.cos(ds * (math.pi / tau))), 0.0)
    return torch.where(torch.isnan(x), x, y * (step / (2 * tau)))


# --------------------------------------------------------------------------- TruG


def _mills_g(u: Tensor) -> Tensor:
    r""":math:`1/\sqrt\pi - u\,\mathrm{erfcx}(u)` for :math:`u \ge 0` (``-erfcx'(u)/2``): direct below
    u = 30 (relative error ~2u²·eps), its asymptotic series above (no cancellation)."""
    big = u >= 30
    us = torch.where(big, torch.zeros_like(u), u)
    direct = INV_SQRT_PI - us * torch.special.erfcx(us)
    ub = torch.where(big, u, torch.full_like(u, 30.0))
    q = 1 / (2 * ub * ub)
    series, term = torch.zeros_like(u), torch.ones_like(u)
    for k in range(1, 11):
        term = term * q * (2 * k - 1) * (1 if k == 1 else -1)
        series = series + term
    return torch.where(big, INV_SQRT_PI * series, direct)


def _tail_offset(r: Tensor) -> Tensor:
    """``m - a`` of a Gaussian tail mean for large ``a = 1/r``: r(1 - 3r² + 15r⁴ ...)/(1 - r² + 3r⁴ ...)."""
    r2 = r * r
    num, den, term_n, term_d = torch.ones_like(r), torch.ones_like(r), torch.ones_like(r), torch.ones_like(r)
    for k in range(1, 9):
        term_n = term_n * r2 * -(2 * k + 1)
        term_d = term_d * r2 * -(2 * k - 1)
        num, den = num + term_n, den + term_d
    return r * num / den


def _half_sq_gap(x: Tensor, xi1: Any, xi2: Any, s: Any) -> Tensor:
    """(β² - α²)/2 = (β - α)(β + α)/2 with β - α = (ξ2 - ξ1)/σ and β + α = (ξ1 + ξ2 - 2x)/σ formed
    directly (not from the rounded α, β: near the midpoint β + α is tiny)."""
    return ((xi2 - xi1) / s) * ((xi1 + xi2 - 2 * x) / s) / 2


def _trug_upper(x: Tensor, xi1: Any, xi2: Any, s: Any, two_sided: bool) -> Tensor:
    """Mean of N(x, s²) truncated to [xi1, xi2] for x <= xi1 (a = (xi1 - x)/s >= 0), as xi1 + s (m - a)."""
    a = (xi1 - x) / s
    if two_sided:
        b = (xi2 - x) / s
        delta = _half_sq_gap(x, xi1, xi2, s)
        tail = (a >= 42) & (delta >= 40)
    else:
        tail = a >= 42
    at = torch.where(tail, a, torch.full_like(a, 42.0))
    far = _tail_offset(1 / at)
    an = torch.where(tail, torch.zeros_like(a), a)
    u1 = an / SQRT2
    e1 = torch.special.erfcx(u1)
    if two_sided:
        bn = torch.where(tail, torch.ones_like(b), b)
        dn = torch.where(tail, torch.zeros_like(a), delta)
        ed = torch.exp(-dn)
        e2 = torch.special.erfcx(bn / SQRT2)
        num = SQRT2 * _mills_g(u1) - ed * (SQRT_2_OVER_PI - an * e2)
        near = num / (e1 - e2 * ed)
    else:
        near = SQRT2 * _mills_g(u1) / e1
    return xi1 + s * torch.where(tail, far, near)


def _trug_middle(x: Tensor, xi1: Any, xi2: Any, s: Any) -> Tensor:
    """x + s (φ(a) - φ(b))/(Φ(b) - Φ(a)) for a < 0 < b, φ(a) - φ(b) = -φ(a) expm1(-(b² - a²)/2)."""
    a = (xi1 - x) / s
    b = (xi2 - x) / s
    delta = _half_sq_gap(x, xi1, xi2, s)
    phi_a = torch.exp(-(a * a) / 2) * INV_SQRT_2PI
    num = -phi_a * torch.expm1(-delta)
    den = (torch.erf(b / SQRT2) - torch.erf(a / SQRT2)) / 2
    return x + s * num / den


@activation(
    "truncated_gaussian_unit",
    family="sigmoidal",
    latex=r"x + \sigma\frac{\phi(\alpha) - \phi(\beta)}{\Phi(\beta) - \Phi(\alpha)},\quad "
    r"\alpha = \frac{\xi_1 - x}{\sigma},\ \beta = \frac{\xi_2 - x}{\sigma}",
    text="x + sigma (phi(a) - phi(b)) / (Phi(b) - Phi(a)) with a := (xi1 - x)/sigma, b := (xi2 - x)/sigma",
    citation=SU_2017,
    params=(
        Param("xi1", -1.0, "lower truncation point ξ1 (selected or tuned)", trainable=True),
        Param("xi2", 1.0, "upper truncation point ξ2 > ξ1 (selected or tuned)", trainable=True),
        Param("sigma", 1.0, "standard deviation σ > 0 of the Gaussian", low=0.0, low_inclusive=False),
    ),
    names=("TruG", "Truncated Gaussian unit"),
    survey=("TruG truncated Gaussian",),
    relations=(Relation("limit_of", "hardtanh", note="σ → 0 with ξ1 = -1, ξ2 = 1 (clip(x, ξ1, ξ2))"),),
    source="Su et al. (2017): the TruG nonlinearity is the mean of a Gaussian N(x, σ²) truncated to "
    "[ξ1, ξ2], x + σ(φ(α) - φ(β))/(Φ(β) - Φ(α)) with α = (ξ1 - x)/σ, β = (ξ2 - x)/σ (the standard "
    "truncated-normal mean); ξ1 = -1, ξ2 = 1 is its tanh-like setting. Survey §4.54.",
    notes="Truncated Gaussian unit, two-sided: a smooth clip of x into (ξ1, ξ2); ξ1 = 0, ξ2 = 1 gives the "
    "sigmoid-like unit, truncated_gaussian_unit_relu the ReLU-like one (ξ2 = ∞). σ = 1 is our default "
    "(σ → 0 gives hardtanh). The transcription of the survey's formula in circulation has the "
    "denominator's sign reversed, which puts the mean outside [ξ1, ξ2]; the truncated-normal mean "
    "decides. Evaluated with erfcx and an asymptotic series in the tails, so that values approach ξ1 "
    "and ξ2 with full relative accuracy. Requires xi1 < xi2.",
)
def truncated_gaussian_unit(x: Tensor, xi1: Any = -1.0, xi2: Any = 1.0, sigma: Any = 1.0) -> Tensor:
    r""":math:`\mathbb E[h]`, :math:`h \sim \mathcal N(x, \sigma^2)` truncated to :math:`[\xi_1, \xi_2]`."""
    _check_order("truncated_gaussian_unit", "xi1", xi1, "xi2", xi2)
    up = x <= xi1
    down = x >= xi2
    mid = ~(up | down)
    xu = torch.where(up, x, torch.zeros_like(x) + xi1)
    xd = torch.where(down, x, torch.zeros_like(x) + xi2)
    xm = torch.where(mid, x, torch.zeros_like(x) + (xi1 + xi2) / 2)
    upper = _trug_upper(xu, xi1, xi2, sigma, True)
    lower = -_trug_upper(-xd, -xi2, -xi1, sigma, True)
    middle = _trug_middle(xm, xi1, xi2, sigma)
    return torch.where(up, upper, torch.where(down, lower, middle))


@activation(
    "truncated_gaussian_unit_relu",
    family="smooth_rectifier",
    latex=r"x + \sigma\frac{\phi(\alpha)}{1 - \Phi(\alpha)},\quad \alpha = \frac{\xi_1 - x}{\sigma}",
    text="x + sigma phi(a) / (1 - Phi(a)) with a := (xi1 - x)/sigma",
    citation=SU_2017,
    params=(
        Param("xi1", 0.0, "lower truncation point ξ1 (selected or tuned)", trainable=True),
        Param("sigma", 1.0, "standard deviation σ > 0 of the Gaussian", low=0.0, low_inclusive=False),
    ),
    names=("TruG-ReLU",),
    relations=(Relation("limit_of", "relu", note="σ → 0 with ξ1 = 0"),),
    source="Su et al. (2017): TruG with ξ1 = 0 and ξ2 = +∞ approximates ReLU: the mean of N(x, σ²) "
    "truncated to [ξ1, ∞), x + σ φ(α)/(1 - Φ(α)). Survey §4.54.",
    notes="Truncated Gaussian unit, one-sided (ReLU-like): x + σ × the inverse Mills ratio; tends to x "
    "for x >> ξ1 and to ξ1 + σ²/(ξ1 - x) for x << ξ1 (evaluated with erfcx and an asymptotic series, no "
    "cancellation). σ = 1 is our default. The survey row 'TruG truncated Gaussian' is the two-sided "
    "unit's; this ReLU-like case is reached by its own names.",
)
def truncated_gaussian_unit_relu(x: Tensor, xi1: Any = 0.0, sigma: Any = 1.0) -> Tensor:
    r""":math:`\mathbb E[h]`, :math:`h \sim \mathcal N(x, \sigma^2)` truncated to :math:`[\xi_1, \infty)`."""
    up = x <= xi1
    xu = torch.where(up, x, torch.zeros_like(x) + xi1)
    xa = torch.where(up, torch.zeros_like(x) + xi1 + 1, x)
    upper = _trug_upper(xu, xi1, None, sigma, False)
    a = (xi1 - xa) / sigma
    phi_a = torch.exp(-(a * a) / 2) * INV_SQRT_2PI
    above = xa + sigma * phi_a / (torch.special.erfc(a / SQRT2) / 2)
    return torch.where(up, upper, above)
