"""ELU-like units of the survey's §3.7 (Kunc & Kléma 2024): maxsig and ThLU, polynomial and power
linear units, SELU relatives and the RSigELU family.

ELU, SELU, SERLU, ... themselves live in :mod:`actlab.catalog.exponential`. Every negative branch is
evaluated on ``where(x >= 0, 0, x)`` (the same condition as the outer ``where``), so NaN propagates and
no unselected branch overflows; ``expm1`` is the catalog's helper with the exact ``exp`` derivative.
Where the survey is the only source we could read for a formula, the citation is the survey and
``source`` names the original authors as the survey does.
"""

from __future__ import annotations

import math
from typing import Any

import torch

from actlab.catalog.citations import IDENTIFIED_NOT_READ, KUNC_KLEMA_2024, RAMACHANDRAN_2017
from actlab.catalog.exponential import SELU_ALPHA, SELU_SCALE, expm1, x_exp_x
from actlab.catalog.rectified import _clip
from actlab.catalog.registry import activation, preset
from actlab.catalog.spec import Citation, Param, Relation, special_case_of

Tensor = torch.Tensor

LI_DING_LI_2018 = Citation(
    authors="Li, Y. and Ding, P. L. K. and Li, B.",
    title="Training Neural Networks by Using Power Linear Units (PoLUs)",
    year=2018,
    arxiv="1802.00212",
)
DUAN_2021 = Citation(
    authors="Duan, B. and Yang, Y. and Dai, X.",
    title="First Power Linear Unit with Sign",
    year=2021,
    arxiv="2111.14349",
    venue="Electronics 11(13), 1980 (2022)",
)
HU_2020_DELU = Citation(
    authors="Hu, Z. and Huang, H. and Ran, Q. and Yuan, M.",
    title="Improving Convolutional Neural Network Expression via Difference Exponentially Linear Units",
    year=2020,
    url="https://doi.org/10.1088/1742-6596/1651/1/012163",
    venue="Journal of Physics: Conference Series 1651",
)
ZHU_2021_PFLU = Citation(
    authors="Zhu, M. and Min, W. and Wang, Q. and others",
    title="PFLU and FPFLU: Two novel non-monotonic activation functions in convolutional neural networks",
    year=2021,
    url="https://doi.org/10.1016/j.neucom.2020.11.068",
    venue="Neurocomputing 429",
)
KILICARSLAN_CELIK_2021 = Citation(
    authors="Kiliçarslan, S. and Celik, M.",
    title="RSigELU: A nonlinear activation function for deep neural networks",
    year=2021,
    url="https://www.sciencedirect.com/science/article/abs/pii/S0957417421002463",
    venue="Expert Systems with Applications 174",
)

SURVEY_ONLY = (
    "The survey's formula is the one implemented (its stored copy carries no bibliography and the "
    "original paper was out of reach); "
)


def _neg(x: Tensor) -> tuple[Tensor, Tensor]:
    """(x >= 0, the safe negative-branch argument ``where(x >= 0, 0, x)``)."""
    pos = x >= 0
    return pos, torch.where(pos, 0.0, x)


def _abs_log1p_minus(v: Any, b: Any) -> Any:
    """|ln(1 + v) - b| for Python numbers or tensors (learnable parameters)."""
    if isinstance(v, Tensor) or isinstance(b, Tensor):
        return torch.abs(torch.log1p(torch.as_tensor(v)) - b)
    return abs(math.log1p(v) - b)


def _maxsig_crossing() -> float:
    """The x* with x* = sigmoid(x*) (Newton's method; ~0.659046), where maxsig switches branch."""
    x = 0.66
    for _ in range(50):
        s = 1.0 / (1.0 + math.exp(-x))
        x -= (x - s) / (1.0 - s * (1.0 - s))
    return x


MAXSIG_KINK = _maxsig_crossing()


@activation(
    "maxsig",
    family="rectified",
    latex=r"\max(x, \sigma(x))",
    text="max(x, sigmoid(x))",
    citation=RAMACHANDRAN_2017,
    names=("Maxsig",),
    survey=("Maxsig",),
    kinks=lambda p: (MAXSIG_KINK,),
    source=IDENTIFIED_NOT_READ + "; survey §3.7 (from the search's list of functions): max(z, σ(z)) "
    "with σ the logistic sigmoid.",
    notes="Switches from σ(x) to x at x* ≈ 0.659046 (where x = σ(x)); positive everywhere, σ(x) → 0 for "
    "x → -∞. Derivative at x* taken as 1.",
)
def maxsig(x: Tensor) -> Tensor:
    r""":math:`\max(x, \sigma(x))`."""
    s = torch.sigmoid(x)
    return torch.where(x >= s, x, s)


@activation(
    "thlu",
    family="exponential",
    latex=r"x \text{ if } x \ge 0 \text{ else } \tanh(x/2) \;=\; \max(x, \tanh(x/2))",
    text="max(x, tanh(x/2))",
    citation=KUNC_KLEMA_2024,
    names=("ThLU", "tanh linear unit"),
    survey=("ThLU",),
    relations=(special_case_of("ptelu", a=1.0, b=0.5),),
    kinks=lambda p: (0.0,),
    source=SURVEY_ONLY + "survey §3.7.1: z for z >= 0, tanh(z/2) = 2σ(z) - 1 otherwise; the survey "
    "notes it is TReLU with b = 1/2 and that maxtanh (entry siglu) omits the 1/2.",
    notes="Slope 1/2 from the left at 0, 1 from the right.",
)
def thlu(x: Tensor) -> Tensor:
    r""":math:`x` for :math:`x \ge 0`, :math:`\tanh(x/2)` otherwise."""
    return torch.where(x >= 0, x, torch.tanh(0.5 * x))


@activation(
    "diffelu",
    family="exponential",
    latex=r"x \text{ if } x \ge 0 \text{ else } a (x e^x - b e^{b x})",
    text="x if x >= 0 else a*(x*exp(x) - b*exp(b*x))",
    citation=HU_2020_DELU,
    params=(
        Param("a", 0.3, "scale a of the negative branch", low=0.0),
        Param("b", 0.1, "rate b >= 0 of the subtracted exponential", low=0.0),
    ),
    names=("DiffELU", "difference ELU", "difference exponential linear unit"),
    survey=("DiffELU",),
    kinks=lambda p: (0.0,),
    source=SURVEY_ONLY + "survey §3.7.3: z for z >= 0, a(z e^z - b e^{bz}) otherwise, with the recommended "
    "a = 0.3, b = 0.1 of Hu et al.",
    notes="As printed the unit jumps by -a·b at 0 (to -0.03 at the defaults); three transcriptions of the "
    "survey agree on the formula and we could not check the paper, so it is implemented as printed. Hu "
    "et al. abbreviate it DELU, a name the survey keeps for Pishchik's unit.",
)
def diffelu(x: Tensor, a: Any = 0.3, b: Any = 0.1) -> Tensor:
    r""":math:`x` for :math:`x \ge 0`, :math:`a(xe^x - b e^{bx})` otherwise."""
    pos, xn = _neg(x)
    return torch.where(pos, x, a * (x_exp_x(xn) - b * torch.exp(b * xn)))


@activation(
    "polu",
    family="exponential",
    latex=r"x \text{ if } x \ge 0 \text{ else } (1 - x)^{-n} - 1",
    text="x if x >= 0 else (1 - x)^(-n) - 1",
    citation=LI_DING_LI_2018,
    params=(Param("n", 1.5, "power n > 0 of the negative branch", low=0.0, low_inclusive=False),),
    names=("PoLU", "power linear unit"),
    survey=("PoLU",),
    kinks=lambda p: () if p["n"] == 1.0 else (0.0,),
    source="Li, Ding & Li (2018): x for x >= 0, (1 - x)^{-n} - 1 otherwise, with n in {1, 1.5, 2} in the "
    "experiments (survey §3.7.6).",
    notes="Default n = 1.5, the middle of the paper's values (n = 1 is the preset polylu). Saturates to -1 "
    "for x → -∞ with derivative n(1 - x)^{-n-1} > 0 everywhere; evaluated as expm1(-n·log1p(-x)) for "
    "accuracy near 0. No clamp: the peer package clamps x >= -0.999, which makes the unit flat with zero "
    "gradient below -0.999.",
)
def polu(x: Tensor, n: Any = 1.5) -> Tensor:
    r""":math:`x` for :math:`x \ge 0`, :math:`(1 - x)^{-n} - 1` otherwise."""
    pos, xn = _neg(x)
    return torch.where(pos, x, expm1(-n * torch.log1p(-xn)))


preset(
    "polylu",
    of="polu",
    params={"n": 1.0},
    citation=DUAN_2021,
    text="max(0, x) + min(0, x)/(1 - min(0, x))",
    latex=r"x \text{ if } x \ge 0 \text{ else } \frac{1}{1 - x} - 1",
    names=("PolyLU", "FPLUS", "polynomial linear unit", "first power linear unit with sign"),
    survey=("PolyLU (=FPLUS)",),
    relations=(special_case_of("pfplus", a=1.0, b=1.0),),
    source="Duan, Yang & Dai (2021): FPLUS (sgn(x)·x + 1)^{sgn(x)} - 1, i.e. x for x >= 0 and 1/(1 - x) - 1 "
    "otherwise; proposed again as PolyLU (Feng & Yang, IEEE Access 2023), survey §3.7.4. It is PoLU with "
    "n = 1.",
    notes="Continuously differentiable (slope 1 at 0), saturating to -1. No clamp of x (see polu).",
)


def _inv1p_pow(ax: Tensor, a: Any) -> Tensor:
    """1/(1 + |x|^a) without overflow: |x|^a for |x| <= 1, |x|^-a / (|x|^-a + 1) beyond."""
    small = ax <= 1
    base = torch.where(small, ax, 1.0)
    base_big = torch.where(small, 1.0, ax)
    q = base_big.pow(-a)
    return torch.where(small, 1 / (1 + base.pow(a)), q / (q + 1))


@activation(
    "iplu",
    family="exponential",
    latex=r"x \text{ if } x \ge 0 \text{ else } \frac{1}{1 + |x|^a}",
    text="x if x >= 0 else 1/(1 + abs(x)^a)",
    citation=KUNC_KLEMA_2024,
    params=(Param("a", 1.0, "power a > 0", low=0.0, low_inclusive=False),),
    names=("IpLU", "inverse polynomial linear unit"),
    survey=("IpLU",),
    kinks=lambda p: (0.0,),
    source=SURVEY_ONLY + "survey §3.7.5: z for z >= 0, 1/(1 + |z|^a) otherwise, a > 0 fixed; three "
    "transcriptions of the survey print the same.",
    notes="UNCERTAIN: as printed the negative branch is positive and jumps from 1 to 0 at the origin, "
    "which sits oddly with the name and with the survey's remark that FPFLU resembles it (a softsign-like "
    "z/(1 + |z|^a) would fit better); we implement the printed form because we could not check the paper. "
    "Default a = 1 (the survey gives none).",
)
def iplu(x: Tensor, a: Any = 1.0) -> Tensor:
    r""":math:`x` for :math:`x \ge 0`, :math:`1/(1 + |x|^a)` otherwise."""
    pos = x >= 0
    xn = torch.where(pos, -1.0, x)
    return torch.where(pos, x, _inv1p_pow(torch.abs(xn), a))


def _pflu_parts(x: Tensor) -> tuple[Tensor, Tensor]:
    """(r = sqrt(1 + x²) without overflow, t = |x|/r in [0, 1])."""
    r = torch.hypot(x, torch.ones_like(x))
    return r, torch.abs(x) / r


def _pflu_negative(xn: Tensor) -> Tensor:
    """x(1 + x/r)/2 for x <= 0 without cancellation: -t (1/r) / (2 (1 + t)); 1/r is formed first so
    that nothing overflows even at the largest float32 inputs."""
    r, t = _pflu_parts(xn)
    return -t * torch.reciprocal(r) / (2 * (1 + t))


@activation(
    "pflu",
    family="self_gated",
    latex=r"x \cdot \tfrac12 \left(1 + \frac{x}{\sqrt{1 + x^2}}\right)",
    text="x*(1 + x/sqrt(1 + x^2))/2",
    citation=ZHU_2021_PFLU,
    names=("PFLU", "power function linear unit"),
    survey=("PFLU",),
    source=SURVEY_ONLY + "survey §3.7.7: z·(1 + z/sqrt(1 + z²))/2, after Zhu et al. (PFLU and FPFLU, "
    "Neurocomputing 2021).",
    notes="A self-gated unit x·g(x) with the algebraic gate g = (1 + x/sqrt(1 + x²))/2. For x < 0 the gate "
    "1 + x/sqrt(1 + x²) cancels; it is evaluated as 1/(r(r + |x|)), r = hypot(1, x), which stays accurate "
    "in the tail (f ~ -1/(4|x|)).",
)
def pflu(x: Tensor) -> Tensor:
    r""":math:`x (1 + x/\sqrt{1 + x^2})/2`."""
    pos, xn = _neg(x)
    xp = torch.where(pos, x, 0.0)
    r, _ = _pflu_parts(xp)
    return torch.where(pos, xp * (1 + xp / r) / 2, _pflu_negative(xn))


@activation(
    "fpflu",
    family="exponential",
    latex=r"x \text{ if } x \ge 0 \text{ else } x + \frac{x^2}{\sqrt{1 + x^2}}",
    text="max(0, x) + min(0, x)*(1 + min(0, x)/sqrt(1 + min(0, x)^2))",
    citation=ZHU_2021_PFLU,
    names=("FPFLU", "faster power function linear unit"),
    survey=("FPFLU",),
    relations=(Relation("related", "pflu", note="twice pflu(x) for x < 0, x for x >= 0"),),
    source=SURVEY_ONLY + "survey §3.7.8: z for z >= 0, z + z²/sqrt(1 + z²) otherwise, after Zhu et al. "
    "(Neurocomputing 2021).",
    notes="For x < 0 it equals 2·pflu(x) and is evaluated the same way (no cancellation); continuously "
    "differentiable at 0 (slope 1), tends to 0 from below as x → -∞.",
)
def fpflu(x: Tensor) -> Tensor:
    r""":math:`x` for :math:`x \ge 0`, :math:`x + x^2/\sqrt{1 + x^2}` otherwise."""
    pos, xn = _neg(x)
    return torch.where(pos, x, 2 * _pflu_negative(xn))


def _selu_params() -> tuple[Param, ...]:
    return (
        Param("lambd", SELU_SCALE, "scale λ > 0 (SELU's λ)", low=0.0, low_inclusive=False),
        Param("alpha", SELU_ALPHA, "negative-branch weight α >= 0 (SELU's α)", low=0.0),
    )


@activation(
    "lselu",
    family="exponential",
    latex=r"\lambda x \;(x > 0);\; \lambda(\alpha(e^x - 1) + c x) \;(x \le 0)",
    text="lambd*(max(0, x) + alpha*(exp(min(0, x)) - 1) + c*min(0, x))",
    citation=KUNC_KLEMA_2024,
    params=(*_selu_params(), Param("c", 0.1, "leak c >= 0 of the negative branch", low=0.0)),
    names=("LSELU", "leaky SELU", "leaky scaled exponential linear unit"),
    survey=("LSELU",),
    relations=(Relation("related", "selu", note="c = 0 gives SELU"),),
    kinks=lambda p: (0.0,),
    source=SURVEY_ONLY + "survey §3.7.12: a z for z >= 0, a b(e^z - 1) + a c z otherwise, with a, b the "
    "SELU constants and c a new leak.",
    notes="λ and α default to SELU's constants as the survey states; the default leak c = 0.1 is our "
    "choice (the survey gives none). With c > 0 the self-normalising fixed point of SELU no longer holds "
    "exactly. Derivative at 0 taken from the negative branch, λ(α + c).",
)
def lselu(x: Tensor, lambd: Any = SELU_SCALE, alpha: Any = SELU_ALPHA, c: Any = 0.1) -> Tensor:
    r""":math:`\lambda x` for :math:`x > 0`, :math:`\lambda(\alpha(e^x - 1) + cx)` otherwise."""
    pos = x > 0
    xn = torch.where(pos, 0.0, x)
    return torch.where(pos, x, alpha * expm1(xn) + c * xn) * lambd


@activation(
    "sselu",
    family="exponential",
    latex=r"\lambda x \;(x > 0);\; \lambda\alpha(e^{c x} - 1) \;(x \le 0)",
    text="lambd*(max(0, x) + alpha*(exp(c*min(0, x)) - 1))",
    citation=KUNC_KLEMA_2024,
    params=(
        *_selu_params(),
        Param("c", 0.5, "scale c > 0 of the negative inputs", low=0.0, low_inclusive=False),
    ),
    names=("sSELU", "scaled scaled exponential linear unit"),
    survey=("sSELU",),
    relations=(Relation("related", "selu", note="c = 1 gives SELU"),),
    kinks=lambda p: (0.0,),
    source=SURVEY_ONLY + "survey §3.7.14: a z for z >= 0, a b(e^{cz} - 1) otherwise, with a, b the SELU "
    "constants and c scaling the negative inputs.",
    notes="λ and α default to SELU's constants; the default c = 0.5 is our choice (the survey gives none; "
    "c = 1 is SELU). Derivative at 0 taken from the negative branch, λαc.",
)
def sselu(x: Tensor, lambd: Any = SELU_SCALE, alpha: Any = SELU_ALPHA, c: Any = 0.5) -> Tensor:
    r""":math:`\lambda x` for :math:`x > 0`, :math:`\lambda\alpha(e^{cx} - 1)` otherwise."""
    pos = x > 0
    xn = torch.where(pos, 0.0, x)
    return torch.where(pos, x, alpha * expm1(c * xn)) * lambd


def _rsigelu(x: Tensor, a: Any, b: Any) -> Tensor:
    """x σ(x) a + x above 1, x on (0, 1], b(e^x - 1) at and below 0 (the authors' branch tests)."""
    up = x > 1
    pos = x > 0
    xn = torch.where(pos, 0.0, x)
    upper = x * torch.sigmoid(x) * a + x
    return torch.where(up, upper, torch.where(pos, x, b * expm1(xn)))


RSIGELU_SOURCE = (
    "Kiliçarslan & Celik (2021), and the first author's code (github serhatklc/P-RsigELU-Activation-"
    "Function, PRSigELU.py): x·σ(x)·a + x for x > 1, x for 0 < x <= 1, {}(e^x - 1) for x <= 0."
)
RSIGELU_NOTES = (
    "The survey (§3.7.15) prints the middle condition as '0 >= z >= 1', which no z satisfies; the paper's "
    "code tests x > 1 and x <= 0, so the middle piece is 0 < x <= 1, as implemented. The unit jumps by "
    "a·σ(1) at x = 1 (in the paper and its code alike). "
)


@activation(
    "rsigelud",
    family="exponential",
    latex=r"x\sigma(x) a + x \;(x > 1);\; x \;(0 < x \le 1);\; b(e^x - 1) \;(x \le 0)",
    text="x*sigmoid(x)*a + x if x > 1 else (x if x > 0 else b*(exp(x) - 1))",
    citation=KILICARSLAN_CELIK_2021,
    params=(
        Param("a", 0.5, "weight a of the sigmoid term above 1", low=0.0),
        Param("b", 0.5, "saturation b of the ELU branch", low=0.0),
    ),
    names=("RSigELUD",),
    survey=("RSigELUD",),
    kinks=lambda p: (0.0, 1.0),
    source=RSIGELU_SOURCE.format("b") + " The double-parameter variant.",
    notes=RSIGELU_NOTES + "Defaults a = b = 0.5: the paper uses 0 < a, b < 1, and 0.5 is the initial value "
    "of the learnable variant in a Keras implementation of the paper; a = b = 0 is ReLU.",
)
def rsigelud(x: Tensor, a: Any = 0.5, b: Any = 0.5) -> Tensor:
    r"""RSigELUD: :math:`x\sigma(x)a + x` above 1, :math:`x` on (0, 1], :math:`b(e^x - 1)` below."""
    return _rsigelu(x, a, b)


@activation(
    "rsigelu",
    family="exponential",
    latex=r"x\sigma(x) a + x \;(x > 1);\; x \;(0 < x \le 1);\; a(e^x - 1) \;(x \le 0)",
    text="x*sigmoid(x)*a + x if x > 1 else (x if x > 0 else a*(exp(x) - 1))",
    citation=KILICARSLAN_CELIK_2021,
    params=(Param("a", 0.5, "weight a of the sigmoid term and the ELU branch", low=0.0),),
    aliases=("rsigelus",),
    names=("RSigELU", "RSigELUS"),
    survey=("RSigELU",),
    relations=(special_case_of("rsigelud", a=0.5, b=0.5),),
    kinks=lambda p: (0.0, 1.0),
    source=RSIGELU_SOURCE.format("a") + " The single-parameter variant (RSigELUS in the code).",
    notes=RSIGELU_NOTES + "Default a = 0.5 (the paper uses 0 < a < 1); a = 0 is ReLU. It is "
    "rsigelud(a, b = a).",
)
def rsigelu(x: Tensor, a: Any = 0.5) -> Tensor:
    r"""RSigELU: rsigelud with b = a."""
    return _rsigelu(x, a, a)


@activation(
    "hard_srelue",
    family="exponential",
    latex=r"a x \max(0, \min(1, \tfrac{x + 1}{2})) + x \;(x \ge 0);\; a(e^x - 1) \;(x < 0)",
    text="a*x*min(max((x + 1)/2, 0), 1) + x if x >= 0 else a*(exp(x) - 1)",
    citation=KUNC_KLEMA_2024,
    params=(Param("a", 0.5, "slope parameter a", low=0.0),),
    names=("HardSReLUE",),
    survey=("HardSReLUE",),
    relations=(Relation("related", "rsigelu", note="RSigELU with the hard sigmoid in place of σ"),),
    kinks=lambda p: (0.0, 1.0),
    source=SURVEY_ONLY + "survey §3.7.16: a z·hardsigmoid(z) + z for z >= 0, a(e^z - 1) otherwise, "
    "hardsigmoid(z) = max(0, min(1, (z + 1)/2)), after Kiliçarslan.",
    notes="Default a = 0.5 as for rsigelu (the survey gives none). The peer package's LaTeX puts the '+ z' "
    "inside the clip, which is not a hard sigmoid; the reading of an independent transcription, parallel "
    "to RSigELU, is implemented.",
)
def hard_srelue(x: Tensor, a: Any = 0.5) -> Tensor:
    r""":math:`a x\,\mathrm{hs}(x) + x` for :math:`x \ge 0`, :math:`a(e^x - 1)` otherwise."""
    pos, xn = _neg(x)
    hs = _clip((x + 1) * 0.5, 0.0, 1.0)
    return torch.where(pos, a * x * hs + x, a * expm1(xn))


@activation(
    "ls_relu",
    family="exponential",
    latex=r"\frac{x}{1 + |x|} \;(x \le 0);\; x \;(0 < x \le b);\; "
    r"\ln(a x + 1) + |\ln(a b + 1) - b| \;(x > b)",
    text="x/(1 + abs(x)) if x <= 0 else (x if x <= b else log(1 + a*x) + abs(log(1 + a*b) - b))",
    citation=KUNC_KLEMA_2024,
    params=(
        Param("a", 1.0, "scale a > 0 inside the logarithm", low=0.0, low_inclusive=False),
        Param("b", 1.0, "threshold b > 0 of the logarithmic part", low=0.0, low_inclusive=False),
    ),
    names=("LS-ReLU", "LSReLU"),
    survey=("LS-ReLU",),
    kinks=lambda p: (p["b"],),
    source=SURVEY_ONLY + "survey §3.7.20: z/(1 + |z|) for z <= 0, z on [0, b], ln(az + 1) + |ln(ab + 1) - b| "
    "above b, after Wang et al.",
    notes="Defaults a = b = 1 are our choice (the survey gives none and says Wang et al. do not specify "
    "whether they are trained). Continuous at b when ln(1 + ab) <= b (true for a <= 1); continuously "
    "differentiable at 0.",
)
def ls_relu(x: Tensor, a: Any = 1.0, b: Any = 1.0) -> Tensor:
    r"""Softsign below 0, identity on (0, b], logarithmic above b."""
    big = x > b
    pos = x > 0
    xn = torch.where(pos, 0.0, x)
    xb = torch.where(big, x, b)
    upper = torch.log1p(a * xb) + _abs_log1p_minus(a * b, b)
    return torch.where(big, upper, torch.where(pos, x, xn / (1 - xn)))
