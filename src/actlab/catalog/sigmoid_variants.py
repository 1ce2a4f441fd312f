"""The survey's binary and sigmoid-family rows (Kunc & Kléma 2024, §3.1 and §3.2) beyond the
classics in :mod:`actlab.catalog.sigmoidal`: step and sign, probit, scaled, shifted and cascaded
logistic sigmoids, arctan variants, algebraic and root sigmoids, Hexpo, smooth step, the Gumbel
and cLogLog relatives, SechSig/TanhSig, multistate sigmoids and the piecewise sigmoid/tanh pairs.

Numerics follow the family's rules: tails are evaluated in forms that neither overflow nor
cancel (σ(u) − ½ as tanh(u/2)/2, 1 − 2e^{−t} as −expm1(ln 2 − t), sech through e^{−|x|}, the
root sigmoid as tanh(asinh(x)/2)), and ``torch.where`` branches only see arguments selected with
the same condition. Where the survey's formula is not printed in any stored copy, the formula was
taken from the two public transcriptions of the survey (the peer package torch-activation and a
third-party one) and, where those disagree, settled by the argument stated in the entry's notes.
"""

from __future__ import annotations

import math
from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor

from actlab.catalog.citations import (
    GUEVARA_ET_AL_2021,
    HAZIMEH_ET_AL_2020,
    IDENTIFIED_NOT_READ,
    KOCAK_USTUNDAG_SIRAY_2021,
    KUNC_KLEMA_2024,
)
from actlab.catalog.exponential import expm1
from actlab.catalog.registry import activation, preset
from actlab.catalog.sigmoidal import GOMES_2011, XU_2016, ndtr
from actlab.catalog.spec import Citation, Param, Relation, equal_to, special_case_of

LN2 = math.log(2.0)
SQRT2 = math.sqrt(2.0)
PHI = (1.0 + math.sqrt(5.0)) / 2.0  # the golden ratio

# --------------------------------------------------------------------------- citations

CAI_2015_MSAF = Citation(
    authors="Cai, C. and Xu, Y. and Ke, D. and Su, K.",
    title="Deep Neural Networks with Multistate Activation Functions",
    year=2015,
    url="https://doi.org/10.1155/2015/721367",
    venue="Computational Intelligence and Neuroscience 2015",
)
ROSENBLATT_1958 = Citation(
    authors="Rosenblatt, F.",
    title="The perceptron: a probabilistic model for information storage and organization in the brain",
    year=1958,
    url="https://doi.org/10.1037/h0042519",
    venue="Psychological Review",
)
PERVAN_AKMAN_2025 = Citation(
    authors="Pervan Akman, N. and Tümer Sivri, T. and Berkol, A.",
    title="The Impact of Irrationals on the Range of Arctan Activation Function for Deep Learning Models",
    year=2025,
    url="https://doi.org/10.19072/ijet.1394093",
    venue="International Journal of Engineering Technologies (IJET)",
)
ROODSCHILD_2020 = Citation(
    authors="Roodschild, M. and Gotay Sardiñas, J. and Will, A.",
    title="A new approach for the vanishing gradient problem on sigmoid activation",
    year=2020,
    url="https://doi.org/10.1007/s13748-020-00218-y",
    venue="Progress in Artificial Intelligence",
)
ZHOU_2020 = Citation(
    authors="Zhou, Y. and Li, D. and Huo, S. and Kung, S.-Y.",
    title="Soft-Root-Sign Activation Function",
    year=2020,
    arxiv="2003.00547",
)
KONG_2017 = Citation(
    authors="Kong, S. and Takatsuka, M.",
    title="Hexpo: A vanishing-proof activation function",
    year=2017,
    url="https://www.semanticscholar.org/paper/170eaec31e64c21ec6b80a322e03230933b5671e",
    venue="IJCNN",
)
KAYTAN_2022 = Citation(
    authors="Kaytan, M. and Aydilek, İ. B. and Yeroğlu, C. and Karcı, A.",
    title="Sigmoid-Gumbel: Yeni Bir Hibrit Aktivasyon Fonksiyonu (Sigmoid-Gumbel: a new hybrid activation "
    "function)",
    year=2022,
    url="https://doi.org/10.17798/bitlisfen.990508",
    venue="Bitlis Eren Üniversitesi Fen Bilimleri Dergisi",
)
KOZKURT_2023 = Citation(
    authors="Közkurt, C. and others",
    title="αSechSig and αTanhSig: two novel non-monotonic activation functions",
    year=2023,
    url="https://doi.org/10.1007/s00500-023-09279-2",
    venue="Soft Computing",
)

_POS = dict(low=0.0, low_inclusive=False)  # (0, inf)
_NONNEG = dict(low=0.0)  # [0, inf)


# --------------------------------------------------------------------------- helpers


def _keep_nan(x: Tensor, y: Tensor) -> Tensor:
    """``y`` with NaN wherever ``x`` is NaN (for branches that are constant in x)."""
    return torch.where(torch.isnan(x), x, y)


def _sigmoid_of(v: Any) -> Any:
    """σ(v) for a Python number or a tensor."""
    if isinstance(v, Tensor):
        return torch.sigmoid(v)
    return 1.0 / (1.0 + math.exp(-v)) if v >= 0 else math.exp(v) / (1.0 + math.exp(v))


def _cosh_of(v: Any) -> Any:
    """cosh v for a Python number (inf beyond float range) or a tensor."""
    if isinstance(v, Tensor):
        return torch.cosh(v)
    return math.cosh(v) if abs(v) < 700.0 else math.inf


def sech(x: Tensor) -> Tensor:
    """sech x = 2e^{−|x|}/(1 + e^{−2|x|}): no overflow, finite gradient (0 at x = 0, as the true one)."""
    e = torch.exp(-x.abs())
    return 2.0 * e / (1.0 + e * e)


def _new_sigmoid(x: Tensor) -> Tensor:
    # (e^u - e^{-u}) / sqrt(2 (e^{2u} + e^{-2u})) for u >= 0 divided through by e^u:
    # (1 - e^{-2u}) / sqrt(2 (1 + e^{-4u})); odd, so the negative side is the mirror image.
    xp = torch.where(x >= 0, x, 0.0)
    xn = torch.where(x >= 0, 0.0, x)

    def half(u: Tensor) -> Tensor:
        return -expm1(-2.0 * u) / torch.sqrt(2.0 + 2.0 * torch.exp(-4.0 * u))

    return torch.where(x >= 0, half(xp), -half(-xn))


# --------------------------------------------------------------------------- §3.1


@activation(
    "binary_step",
    family="sigmoidal",
    latex=r"\begin{cases} 1 & x \ge 0 \\ 0 & x < 0 \end{cases}",
    text="1 if x >= 0 else 0",
    citation=ROSENBLATT_1958,
    aliases=("step", "heaviside"),
    names=("binary step", "step function", "binary activation function"),
    survey=("step (binary)",),
    kinks=lambda p: (0.0,),
    grad_mask=lambda x: torch.zeros_like(x, dtype=torch.bool),
    grad_mask_values=lambda p: (0.0, 0.0),
    source="Survey §3.1 (Kunc & Kléma 2024): 1 for x >= 0, 0 for x < 0 (so f(0) = 1); the threshold unit of "
    "Rosenblatt's perceptron (1958), cited for its use there.",
    notes="Discontinuous at 0; the derivative is 0 everywhere else (autograd gives 0 also at 0), so it "
    "cannot be trained by back-propagation. NaN propagates. The peer package's 'Binary' is another function "
    "(1 on an interval [a, b], 0 outside).",
)
def binary_step(x: Tensor) -> Tensor:
    """H(x) = 1 for x >= 0, 0 for x < 0."""
    return _keep_nan(x, (x >= 0).to(x.dtype))


@activation(
    "sign",
    family="sigmoidal",
    latex=r"\operatorname{sign}(x) = \begin{cases} 1 & x > 0 \\ 0 & x = 0 \\ -1 & x < 0 \end{cases}",
    text="sign(x) = x / abs(x)",
    citation=KUNC_KLEMA_2024,
    aliases=("signum",),
    names=("sign function",),
    survey=("sign",),
    kinks=lambda p: (0.0,),
    grad_mask=lambda x: torch.zeros_like(x, dtype=torch.bool),
    grad_mask_values=lambda p: (0.0, 0.0),
    source="Survey §3.1: -1 for negative, 1 for positive and 0 for an input exactly zero (no single original "
    "paper; the survey treats it with the binary step).",
    notes="The text form x/abs(x) uses the expression language's protected division, which also gives 0 at "
    "0. Derivative 0 away from 0. NaN propagates (torch.sign alone would map NaN to 0).",
)
def sign(x: Tensor) -> Tensor:
    """sign(x) ∈ {-1, 0, 1}."""
    return _keep_nan(x, torch.sign(x))


# --------------------------------------------------------------------------- §3.2


@activation(
    "probit",
    family="sigmoidal",
    latex=r"\Phi(x) = \tfrac12\left(1 + \operatorname{erf}(x/\sqrt2)\right)",
    text="0.5 * (1 + erf(x / sqrt(2)))",
    citation=GOMES_2011,
    names=("probit", "standard normal CDF"),
    survey=("probit (Phi)",),
    relations=(Relation("related", "gelu", note="GELU(x) = x·Φ(x)"),),
    source="Gomes et al. (2011) propose the probit (the standard normal CDF) as an activation (abstract); "
    "the "
    "survey §3.2 prints Φ(z).",
    notes="Evaluated as erfc(-x/√2)/2, accurate in the lower tail (0.5(1 + erf) cancels below x ≈ -6).",
)
def probit(x: Tensor) -> Tensor:
    """Φ(x), the standard normal CDF."""
    return ndtr(x)


preset(
    "rescaled_sigmoid",
    of="stanh",
    params={"a": 2.0, "b": 0.5},
    citation=XU_2016,
    latex=r"4\sigma(x) - 2 = 2\tanh(x/2)",
    text="4 * sigmoid(x) - 2 = 2 * tanh(x / 2)",
    names=("scaled sigmoid", "rescaled logistic sigmoid"),
    survey=("scaled logistic 4σ(z)-2",),
    source="Xu, Huang & Li (2016) rescale the logistic sigmoid to 4σ(x) − 2 so that it has slope 1 at 0, "
    "like "
    "tanh; the survey §3.2 prints the same fixed constants.",
    notes="4σ(x) − 2 = 2 tanh(x/2) exactly, so this is the scaled tanh 'stanh' with a = 2, b = 1/2 "
    "(evaluated "
    "that way, without the cancellation of 4σ(x) − 2 near 0).",
)


@activation(
    "shifted_scaled_sigmoid",
    family="sigmoidal",
    latex=r"\sigma\left(a (x - b)\right)",
    text="sigmoid(a * (x - b))",
    citation=KUNC_KLEMA_2024,
    params=(
        Param("a", 0.02, "horizontal scale", **_POS),
        Param("b", 600.0, "horizontal shift (centre)"),
    ),
    names=("SSS", "shifted and scaled sigmoid"),
    survey=("SSS shifted scaled sigmoid",),
    relations=(Relation("affine_of", "sigmoid", note="σ(a(x − b)): the sigmoid scaled and shifted in x"),),
    source="Survey §3.2.1: σ(a(z − b)) with predetermined a, b; the defaults a = 0.02, b = 600 are the "
    "values "
    "Arai and Imamura used, as the survey reports (their paper was not reachable here).",
    notes="With the defaults the transition sits at x = 600 (for inputs on the scale Arai and Imamura used); "
    "a = 1, b = 0 gives the logistic sigmoid. The peer package defaults to a = 1, b = 0.",
)
def shifted_scaled_sigmoid(x: Tensor, a: Any = 0.02, b: Any = 600.0) -> Tensor:
    """σ(a(x − b))."""
    return torch.sigmoid(a * (x - b))


@activation(
    "variant_sigmoid",
    family="sigmoidal",
    latex=r"a\,\sigma(b x) - c",
    text="a * sigmoid(b * x) - c",
    citation=KUNC_KLEMA_2024,
    params=(
        Param("a", 2.0, "amplitude", **_POS),
        Param("b", 1.0, "slope", **_POS),
        Param("c", 1.0, "vertical offset"),
    ),
    names=("VSF", "variant sigmoid function"),
    survey=("VSF variant sigmoid",),
    relations=(
        special_case_of("stanh", a=1.0, b=0.5, note="2σ(x) − 1 = tanh(x/2) at the defaults"),
        Relation("affine_of", "sigmoid", note="a·σ(bx) − c"),
    ),
    source="Survey §3.2.2: a/(1 + e^{-bz}) − c with predetermined a, b, c; neither the survey nor the stored "
    "copies give values.",
    notes="Defaults chosen by actlab: a = 2, b = 1, c = 1, the bipolar sigmoid 2σ(x) − 1 = tanh(x/2) (the "
    "survey's "
    "σ₂ of §3.2.26), so that all three parameters act; a = 1, b = 1, c = 0 is the logistic sigmoid (the peer "
    "package's default). Evaluated per element in whichever of aσ(bx) − c, (a − c) − aσ(−bx), (a/2 − c) + "
    "(a/2)tanh(bx/2) cancels least.",
)
def variant_sigmoid(x: Tensor, a: Any = 2.0, b: Any = 1.0, c: Any = 1.0) -> Tensor:
    """VSF(x) = a σ(bx) − c."""
    # Three exact forms of the same function; each element takes the one whose terms are smallest in
    # magnitude (least cancellation): a σ(u) - c (left tail), (a - c) - a σ(-u) (right tail) and
    # (a/2 - c) + (a/2) tanh(u/2) (near u = 0, exact where a = 2c).
    u = b * x
    sp, sn = torch.sigmoid(u), torch.sigmoid(-u)
    half = a * 0.5
    th = torch.tanh(0.5 * u)
    f1, m1 = a * sp - c, torch.maximum(a * sp, torch.full_like(sp, 1.0) * abs(c))
    f2, m2 = (a - c) - a * sn, torch.maximum(a * sn, torch.full_like(sn, 1.0) * abs(a - c))
    f3, m3 = (half - c) + half * th, torch.maximum(half * th.abs(), torch.full_like(th, 1.0) * abs(half - c))
    return torch.where(m3 <= torch.minimum(m1, m2), f3, torch.where(m1 <= m2, f1, f2))


@activation(
    "bimodal_sigmoid",
    family="sigmoidal",
    latex=r"\tfrac12\left(\sigma(x) + \sigma(x + b)\right)",
    text="0.5 * (sigmoid(x) + sigmoid(x + b))",
    citation=KUNC_KLEMA_2024,
    params=(Param("b", 3.0, "separation of the two sigmoids (bi-modal derivative for b > 2.63)", **_POS),),
    names=("bi-modal derivative sigmoid", "sigmoid with bi-modal derivative"),
    survey=("bi-modal-derivative sigmoid",),
    source="Survey §3.2.3: ½(σ(z) + σ(z + b)) with a hyperparameter b, as both public transcriptions of the "
    "survey print it; the original (sigmoids with bi-modal derivatives) was not reachable here. The survey "
    "says three more such functions were proposed there without printing them.",
    notes="No value of b is given. actlab takes b = 3, the smallest integer for which the derivative is "
    "actually bi-modal (b > 2 ln(2 + √3) ≈ 2.63, where σ''' at ±b/2 changes sign).",
)
def bimodal_sigmoid(x: Tensor, b: Any = 3.0) -> Tensor:
    """½(σ(x) + σ(x + b))."""
    return 0.5 * (torch.sigmoid(x) + torch.sigmoid(x + b))


@activation(
    "arctan",
    family="sigmoidal",
    latex=r"\arctan(x)",
    text="atan(x)",
    citation=PERVAN_AKMAN_2025,
    aliases=("atan",),
    names=("arctangent",),
    survey=("arctan",),
    torch_ref=lambda x: torch.atan(x),
    source="Survey §3.2.4: arctan(z), range (−π/2, π/2), compared with its scaled variants by Sivri, Akman "
    "and "
    "Berkol (ECAI 2022, cited by the survey); cited here by the same authors' journal paper (doi checked).",
)
def arctan(x: Tensor) -> Tensor:
    """arctan(x)."""
    return torch.atan(x)


@activation(
    "arctan_gr",
    family="sigmoidal",
    latex=r"\arctan(x) / \varphi,\quad \varphi = \tfrac{1 + \sqrt5}{2}",
    text="2 * atan(x) / (1 + sqrt(5))",
    citation=PERVAN_AKMAN_2025,
    names=("arctanGR", "arctan φ"),
    survey=("arctanGR",),
    relations=(Relation("affine_of", "arctan", note="arctan(x)/φ with φ the golden ratio"),),
    source="Sivri, Akman and Berkol's arctan divided by the golden ratio φ = (1 + √5)/2: their journal paper "
    "(Pervan Akman, Tümer Sivri & Berkol 2025) names the variant 'arctan φ' and reports it best for "
    "multiclass "
    "classification, which is what the survey (§3.2.4) reports for 'arctanGR' from their 2022 paper.",
    notes="UNCERTAIN constant: the survey as transcribed by the peer package and by a third party divides by "
    "(1 + √2)/2, and lists (1 + √5)/2 among 'other scaling variants'. actlab follows the name (GR = golden "
    "ratio) "
    "and the authors' later paper; the 2022 paper itself was not reachable here.",
)
def arctan_gr(x: Tensor) -> Tensor:
    """arctan(x)/φ."""
    return torch.atan(x) / PHI


@activation(
    "sigmoid_algebraic",
    family="sigmoidal",
    latex=r"\sigma\!\left(\frac{x (1 + a|x|)}{1 + |x| (1 + a|x|)}\right)",
    text="sigmoid(x * (1 + a * abs(x)) / (1 + abs(x) * (1 + a * abs(x))))",
    citation=KUNC_KLEMA_2024,
    params=(Param("a", 1.0, "shape of the algebraic inner squashing", **_NONNEG),),
    names=("Sigmoid-Algebraic",),
    survey=("Sigmoid-Algebraic",),
    source="Survey §3.2.5 as both public transcriptions print it: 1/(1 + exp(−z(1 + a|z|)/(1 + |z|(1 + "
    "a|z|)))), "
    "a >= 0; the original paper was not reachable here.",
    notes="Bounded in (σ(−1), σ(1)) ≈ (0.269, 0.731): the inner algebraic sigmoid lies in (−1, 1). No "
    "default "
    "is given: actlab takes a = 1 (the peer's; a = 0 reduces the inner function to softsign). The inner "
    "ratio "
    "is evaluated on x clipped to ±1e15, where it equals ±1 to double precision, so x² never overflows.",
)
def sigmoid_algebraic(x: Tensor, a: Any = 1.0) -> Tensor:
    """σ(x(1 + a|x|)/(1 + |x|(1 + a|x|)))."""
    xc = torch.clamp(x, -1e15, 1e15)  # beyond, the inner ratio is ±1 to double precision (far from the bound)
    m = xc.abs()
    am = 1.0 + a * m
    return torch.sigmoid(xc * am / (1.0 + m * am))


@activation(
    "ts_sigmoid",
    family="sigmoidal",
    latex=r"\sigma(x)\left(\sigma(x) + \sigma(x - a) + \sigma(x - b)\right)",
    text="sigmoid(x) * (sigmoid(x) + sigmoid(x - a) + sigmoid(x - b))",
    citation=KOCAK_USTUNDAG_SIRAY_2021,
    params=(
        Param("a", 20.0, "shift of the second state"),
        Param("b", 40.0, "shift of the third state"),
    ),
    names=("TS-sigmoid", "triple-state sigmoid"),
    survey=("TS-sigmoid",),
    source="Survey §3.2.6 (a cascaded unit 'similar to TS-swish', a and b fixed). Form: σ(z)(σ(z) + σ(z − "
    "a) + "
    "σ(z − b)) as the third-party transcription prints it, i.e. TS-swish without its factor z; defaults a = "
    "20, "
    "b = 40 as the peer package reports them from the paper (ESWA, pii S0957417420307557, not reachable "
    "here).",
    notes="UNCERTAIN form: the peer package writes the plain sum σ(z) + σ(z − a) + σ(z − b). That sum is a "
    "third-order MSAF (§3.2.24), which the survey would have flagged as a duplicate; the product form keeps "
    "TS-swish = x·TS-sigmoid, as the survey's 'similar' suggests. Three plateaus (~0, 1, 2, 3) at the "
    "shifts.",
)
def ts_sigmoid(x: Tensor, a: Any = 20.0, b: Any = 40.0) -> Tensor:
    """σ(x)(σ(x) + σ(x − a) + σ(x − b))."""
    s = torch.sigmoid(x)
    return s * (s + torch.sigmoid(x - a) + torch.sigmoid(x - b))


@activation(
    "improved_logistic_sigmoid",
    family="sigmoidal",
    latex=r"\begin{cases} a (x - b) + \sigma(b) & x \ge b \\ \sigma(x) & |x| < b \\ a (x + b) + \sigma(-b) "
    r"& x \le -b "
    r"\end{cases}",
    text="sigmoid(min(max(x, -b), b)) + a * (max(x - b, 0) + min(x + b, 0))",
    citation=KUNC_KLEMA_2024,
    params=(
        Param("a", 0.2, "slope of the linear tails (recommended a > σ'(b))", **_POS),
        Param("b", 2.0, "threshold where the tails start", **_POS),
    ),
    names=("improved logistic sigmoid", "ILS"),
    survey=("improved logistic sigmoid",),
    kinks=lambda p: (-p["b"], p["b"]),
    source="Survey §3.2.7 (Qin, Wang & Zou; their paper is 'The Optimized Deep Belief Networks With Improved "
    "Logistic Sigmoid Units and Their Application in Fault Diagnosis for Planetary Gearboxes of Wind "
    "Turbines', whose abstract page was found without authors, year or DOI, so the citation stays on the "
    "survey): σ(z) on (−b, b), continued linearly with slope a, continuous at "
    "±b, with the recommended bound a > a_min = σ'(b); the paper presets a and b per network and data, so "
    "there is no universal default. The peer package prints the same (its third-party transcription uses "
    "σ(b) "
    "for the lower tail, which is discontinuous).",
    notes="Defaults a = 0.2, b = 2 (a > σ'(2) ≈ 0.105, as the paper recommends). Not differentiable at ±b "
    "unless a = σ'(b). The peer package agrees up to its float32 evaluation of σ(b).",
)
def improved_logistic_sigmoid(x: Tensor, a: Any = 0.2, b: Any = 2.0) -> Tensor:
    """σ(x) for |x| < b, linear continuation with slope a beyond ±b."""
    sb = _sigmoid_of(b)
    inside = x.abs() < b
    xm = torch.where(inside, x, 0.0)
    right = a * (x - b) + sb
    left = a * (x + b) + (1.0 - sb)
    return torch.where(inside, torch.sigmoid(xm), torch.where(x >= b, right, left))


@activation(
    "siglin",
    family="sigmoidal",
    latex=r"\sigma(x) + a x",
    text="sigmoid(x) + a * x",
    citation=ROODSCHILD_2020,
    params=(Param("a", 0.1, "slope of the added linear term", **_NONNEG),),
    names=("SigLin",),
    survey=("SigLin",),
    relations=(Relation("related", "sigmoid", note="σ(x) + a·x; a = 0 gives the logistic sigmoid"),),
    source="Survey §3.2.8: σ(z) + a z with a fixed a; Roodschild, Gotay Sardiñas and Will experimented with "
    "a ∈ {0, 0.05, 0.1, 0.15} (the name SigLin is the survey's).",
    notes="Default a = 0.1, one of the paper's tested values (the survey gives no single one).",
)
def siglin(x: Tensor, a: Any = 0.1) -> Tensor:
    """σ(x) + a x."""
    return torch.sigmoid(x) + a * x


def _check_srs(a: Any, b: Any) -> None:
    if not isinstance(a, Tensor) and not isinstance(b, Tensor) and not b < math.e * a:
        raise ValueError(
            f"soft_root_sign: parameters 'a' and 'b' must satisfy b < e·a (then x/a + exp(-x/b) stays "
            "positive "
            f"and the function is finite), got a={a!r}, b={b!r}"
        )


@activation(
    "soft_root_sign",
    family="sigmoidal",
    latex=r"\frac{x}{x/a + e^{-x/b}}",
    text="x / (x / a + exp(-x / b))",
    citation=ZHOU_2020,
    params=(
        Param("a", 2.0, "upper bound of the output (α)", trainable=True, **_POS),
        Param("b", 3.0, "decay scale of the negative side (β); needs b < e·a", trainable=True, **_POS),
    ),
    names=("SRS", "soft-root-sign"),
    survey=("SRS soft-root-sign",),
    source="Zhou et al. (2020), SRS(x) = x/(x/α + e^{−x/β}) with a pair of trainable non-negative parameters "
    "(abstract); α = 2, β = 3 as the survey §3.2.10 reports the authors' choice.",
    notes="Smooth, non-monotonic, bounded: → α for x → ∞ and → 0⁻ for x → −∞. The denominator stays positive "
    "iff b < e·a (checked for numeric parameters; a learned pair must keep it). For x < 0 evaluated as "
    "t/(t/a + 1) with t = x e^{x/b}, which does not overflow.",
)
def soft_root_sign(x: Tensor, a: Any = 2.0, b: Any = 3.0) -> Tensor:
    """SRS(x) = x/(x/a + e^{−x/b})."""
    _check_srs(a, b)
    xp = torch.where(x >= 0, x, 0.0)
    xn = torch.where(x >= 0, 0.0, x)
    pos = xp / (xp / a + torch.exp(-xp / b))
    t = xn * torch.exp(xn / b)
    return torch.where(x >= 0, pos, t / (t / a + 1.0))


@activation(
    "hexpo",
    family="sigmoidal",
    latex=r"\begin{cases} -a\,(e^{-x/b} - 1) & x \ge 0 \\ c\,(e^{x/d} - 1) & x < 0 \end{cases}",
    text="a * (1 - exp(-max(x, 0) / b)) + c * (exp(min(x, 0) / d) - 1)",
    citation=KONG_2017,
    params=(
        Param("a", 1.0, "upper limit", **_POS),
        Param("b", 1.0, "decay scale for x >= 0", **_POS),
        Param("c", 1.0, "magnitude of the lower limit (-c)", **_POS),
        Param("d", 1.0, "decay scale for x < 0", **_POS),
    ),
    names=("Hexpo",),
    survey=("Hexpo",),
    kinks=lambda p: (0.0,) if p["a"] * p["d"] != p["c"] * p["b"] else (),
    source="Kong & Takatsuka (2017): Hexpo 'has scalable limits on both positive and negative values' "
    "(abstract), i.e. −a(e^{−x/b} − 1) for x >= 0 and c(e^{x/d} − 1) for x < 0, limits a and −c; the survey "
    "§3.2.12 says a–d are fixed and gives no values.",
    notes="The survey as transcribed (peer package and a third party) prints c(e^{−x/d} − 1) for x < 0, "
    "which "
    "grows without bound and contradicts the paper's bounded design; actlab implements the bounded form. "
    "Defaults a = b = c = d = 1 chosen by actlab (sign(x)(1 − e^{−|x|})). Slopes a/b and c/d at 0; a kink "
    "where they differ.",
)
def hexpo(x: Tensor, a: Any = 1.0, b: Any = 1.0, c: Any = 1.0, d: Any = 1.0) -> Tensor:
    """−a(e^{−x/b} − 1) for x >= 0, c(e^{x/d} − 1) for x < 0."""
    xp = torch.where(x >= 0, x, 0.0)
    xn = torch.where(x >= 0, 0.0, x)
    return torch.where(x >= 0, -a * expm1(-xp / b), c * expm1(xn / d))


@activation(
    "smooth_step",
    family="sigmoidal",
    latex=r"\begin{cases} 1 & x \ge a/2 \\ -\frac{2}{a^3} x^3 + \frac{3}{2a} x + \frac12 & |x| < a/2 \\ 0 & "
    r"x \le -a/2 "
    r"\end{cases}",
    text="3 * min(max(x / a + 0.5, 0), 1)^2 - 2 * min(max(x / a + 0.5, 0), 1)^3",
    citation=HAZIMEH_ET_AL_2020,
    params=(Param("a", 1.0, "width of the transition", **_POS),),
    names=("smooth step", "smoothstep"),
    survey=("smooth step",),
    source="Survey §3.2.14 as both public transcriptions print it: 1 for z >= a/2, −2z³/a³ + 3z/(2a) + 1/2 "
    "in "
    "between, 0 for z <= −a/2, with a fixed hyperparameter a; the original (the tree ensemble "
    "layer's smooth-step, γ its hyperparameter) is cited but was not read here.",
    notes="The classic smoothstep 3t² − 2t³ of t = x/a + 1/2, continuously differentiable. No value of a is "
    "given: actlab takes a = 1 (a unit-width transition). Evaluated as t²(3 − 2t) from the nearer end, "
    "without cancellation next to ±a/2.",
)
def smooth_step(x: Tensor, a: Any = 1.0) -> Tensor:
    """Cubic smoothstep from 0 (x <= −a/2) to 1 (x >= a/2)."""
    h = a * 0.5
    inside = x.abs() < h
    xm = torch.where(inside, x, 0.0)
    sn = (xm + h) / a  # distance from the lower end, in [0, 1]
    sp = (h - xm) / a  # distance from the upper end
    mid = torch.where(xm < 0, sn * sn * (3.0 - 2.0 * sn), 1.0 - sp * sp * (3.0 - 2.0 * sp))
    return torch.where(inside, mid, _keep_nan(x, (x >= h).to(x.dtype)))


@activation(
    "sinc_sigmoid",
    family="sigmoidal",
    latex=r"\operatorname{sinc}(\sigma(x)) = \frac{\sin \sigma(x)}{\sigma(x)}",
    text="sinc(sigmoid(x))",
    citation=KUNC_KLEMA_2024,
    names=("Sinc-Sigmoid",),
    survey=("Sinc-Sigmoid",),
    source="Survey §3.2.16 (Koçak & Üstündağ Şiray): sinc(σ(z)) with the unnormalised sinc sin(u)/u, which "
    "the "
    "survey infers from the derivative the authors give; the original was not reachable here.",
    notes="Decreasing from 1 (x → −∞) to sin(1) ≈ 0.841 (x → ∞). Some code uses the normalised sinc "
    "sin(πu)/(πu) (torch.sinc); actlab follows the survey's reading.",
)
def sinc_sigmoid(x: Tensor) -> Tensor:
    """sin(σ(x))/σ(x)."""
    return torch.sinc(torch.sigmoid(x) / math.pi)


@activation(
    "sigmoid_gumbel",
    family="sigmoidal",
    latex=r"\sigma(x)\, e^{-e^{-x}} = \frac{e^{-e^{-x}}}{1 + e^{-x}}",
    text="sigmoid(x) * exp(-exp(-x))",
    citation=KAYTAN_2022,
    names=("Sigmoid-Gumbel", "SG"),
    survey=("Sigmoid-Gumbel",),
    relations=(Relation("related", "loglog", note="σ(x)·LogLog(x): the logistic CDF times the Gumbel CDF"),),
    source="Kaytan et al. (2022) combine the sigmoid and the Gumbel CDF e^{−e^{−x}} into one hybrid "
    "function; the "
    "form σ(x)·e^{−e^{−x}} is the one both public transcriptions of the survey (§3.2.17) print (the paper's "
    "text was not reachable here).",
    notes="A CDF (of the larger of a logistic and a Gumbel variable): increasing from 0 to 1. A circulating "
    "variant 1/(1 + e^{−x}e^{−e^{−x}}) = σ(x + e^{−x}) tends to 1 at both ends and is not sigmoidal. "
    "Computed "
    "in log space, exp(log σ(x) − e^{−x}), with the inner exponent clamped at 30.",
)
def sigmoid_gumbel(x: Tensor) -> Tensor:
    """σ(x) e^{−e^{−x}}."""
    return torch.exp(F.logsigmoid(x) - torch.exp(torch.clamp(-x, max=30.0)))


@activation(
    "new_sigmoid",
    family="sigmoidal",
    latex=r"\frac{e^x - e^{-x}}{\sqrt{2 (e^{2x} + e^{-2x})}}",
    text="(exp(x) - exp(-x)) / sqrt(2 * (exp(2 * x) + exp(-2 * x)))",
    citation=KUNC_KLEMA_2024,
    names=("NewSigmoid",),
    survey=("NewSigmoid",),
    source="Survey §3.2.18 as both public transcriptions print it; the original is the NewSigmoid paper in "
    "the "
    "Journal of Intelligent & Fuzzy Systems (doi 10.3233/JIFS-212333, abstract checked: smooth, bounded, "
    "zero-centred), whose full text was not reachable here.",
    notes="Equals sinh(x)/sqrt(cosh 2x), odd, with range (−1/√2, 1/√2). Evaluated as (1 − "
    "e^{−2|x|})/sqrt(2(1 + "
    "e^{−4|x|})) with the sign of x, which neither overflows nor cancels.",
)
def new_sigmoid(x: Tensor) -> Tensor:
    """(e^x − e^{−x})/√(2(e^{2x} + e^{−2x}))."""
    return _new_sigmoid(x)


@activation(
    "root2sigmoid",
    family="sigmoidal",
    latex=r"\frac{\sqrt2^{\,x} - \sqrt2^{\,-x}}{2\sqrt2\,\sqrt{2\left(\sqrt2^{\,2x} + "
    r"\sqrt2^{\,-2x}\right)}}",
    text="(exp(x * log(2) / 2) - exp(-x * log(2) / 2)) / (2 * sqrt(2) * sqrt(2 * (exp(x * log(2)) + "
    "exp(-x * log(2)))))",
    citation=KUNC_KLEMA_2024,
    names=("Root2sigmoid", "root-2 sigmoid"),
    survey=("Root2sigmoid",),
    relations=(Relation("affine_of", "new_sigmoid", note="root2sigmoid(x) = new_sigmoid(x·ln2/2)/(2√2)"),),
    source="Survey §3.2.19: the formula the survey reconstructs for Kumar and Sodhi's root2sigmoid (the "
    "original "
    "has a typo, survey footnote 4), as both public transcriptions print it.",
    notes="Uses the survey's reconstruction, not the original's printed formula. Odd, range (−1/4, 1/4); "
    "computed as new_sigmoid(x ln2/2)/(2√2), the same function without overflow.",
)
def root2sigmoid(x: Tensor) -> Tensor:
    """(√2^x − √2^{−x})/(2√2·√(2(√2^{2x} + √2^{−2x})))."""
    return _new_sigmoid(x * (0.5 * LN2)) / (2.0 * SQRT2)


@activation(
    "cloglogm",
    family="sigmoidal",
    latex=r"1 - 2 e^{-0.7 e^{x}}",
    text="1 - 2 * exp(-0.7 * exp(x))",
    citation=GOMES_2011,
    names=("cLogLogm", "modified cLogLog"),
    survey=("cLogLogm",),
    relations=(Relation("affine_of", "cloglog", note="1 − 2e^{−0.7eˣ} = 2·cloglog(x + ln 0.7) − 1"),),
    source="Survey §3.2.21 (modified complementary log-log, listed with cLogLog of Gomes et al. 2011): "
    "1 − 2 exp(−0.7 exp(z)), oriented like the original cLogLog 1 − exp(−exp(z)) (increasing). A "
    "third-party transcription credits the modified form to the same paper. " + IDENTIFIED_NOT_READ + ".",
    notes="The peer package and a third-party transcription print 1 − 2exp(−0.7exp(−z)) (decreasing), the "
    "same "
    "sign flip they make in cLogLog; actlab keeps the orientation of Gomes et al.'s cLogLog (the modified "
    "form's "
    "own source was not reachable, so this orientation is inferred). Range (−1, 1), f(0) = 1 − 2e^{−0.7} ≈ "
    "0.0068. Evaluated as −expm1(ln 2 − 0.7eˣ), accurate near its root, with eˣ clamped at e^30.",
)
def cloglogm(x: Tensor) -> Tensor:
    """1 − 2 exp(−0.7 eˣ)."""
    return -torch.expm1(LN2 - 0.7 * torch.exp(torch.clamp(x, max=30.0)))


@activation(
    "sechsig",
    family="sigmoidal",
    latex=r"\left(x + \operatorname{sech}(x)\right)\sigma(x)",
    text="(x + 1 / cosh(x)) * sigmoid(x)",
    citation=KOZKURT_2023,
    names=("SechSig",),
    survey=("SechSig",),
    source="Survey §3.2.22 (Közkurt et al. 2023): (z + sech z) σ(z); both public transcriptions print the "
    "same.",
    notes="sech evaluated as 2e^{−|x|}/(1 + e^{−2|x|}), finite with a finite gradient everywhere.",
)
def sechsig(x: Tensor) -> Tensor:
    """(x + sech x) σ(x)."""
    return F.silu(x) + sech(x) * torch.sigmoid(x)


@activation(
    "psechsig",
    family="sigmoidal",
    latex=r"\left(x + a \operatorname{sech}(x + a)\right)\sigma(x)",
    text="(x + a / cosh(x + a)) * sigmoid(x)",
    citation=KOZKURT_2023,
    params=(Param("a", 1.0, "weight and shift of the sech term (α)", **_NONNEG),),
    names=("pSechSig", "αSechSig", "parametric SechSig"),
    survey=("pSechSig",),
    relations=(Relation("related", "sechsig", note="(x + a·sech(x + a))σ(x); a = 0 gives SiLU"),),
    source="Survey §3.2.22: the parametric SechSig (z + a sech(z + a)) σ(z) with a fixed a (the paper's "
    "αSechSig, title checked); both public transcriptions print the same.",
    notes="The paper's value of α was not reachable: a = 1 (the peer package's default).",
)
def psechsig(x: Tensor, a: Any = 1.0) -> Tensor:
    """(x + a sech(x + a)) σ(x)."""
    return F.silu(x) + a * sech(x + a) * torch.sigmoid(x)


@activation(
    "tanhsig",
    family="sigmoidal",
    latex=r"\left(x + \tanh(x)\right)\sigma(x)",
    text="(x + tanh(x)) * sigmoid(x)",
    citation=KOZKURT_2023,
    names=("TanhSig",),
    survey=("TanhSig",),
    source="Survey §3.2.23 (Közkurt et al. 2023): (z + tanh z) σ(z); both public transcriptions print the "
    "same.",
)
def tanhsig(x: Tensor) -> Tensor:
    """(x + tanh x) σ(x)."""
    return F.silu(x) + torch.tanh(x) * torch.sigmoid(x)


@activation(
    "ptanhsig",
    family="sigmoidal",
    latex=r"\left(x + a \tanh(x + a)\right)\sigma(x)",
    text="(x + a * tanh(x + a)) * sigmoid(x)",
    citation=KOZKURT_2023,
    params=(Param("a", 1.0, "weight and shift of the tanh term (α)", **_NONNEG),),
    names=("pTanhSig", "αTanhSig", "parametric TanhSig"),
    survey=("pTanhSig",),
    relations=(Relation("related", "tanhsig", note="(x + a·tanh(x + a))σ(x); a = 0 gives SiLU"),),
    source="Survey §3.2.23: the parametric TanhSig (z + a tanh(z + a)) σ(z) with a fixed a (the paper's "
    "αTanhSig); both public transcriptions print the same.",
    notes="The paper's value of α was not reachable: a = 1 (the peer package's default).",
)
def ptanhsig(x: Tensor, a: Any = 1.0) -> Tensor:
    """(x + a tanh(x + a)) σ(x)."""
    return F.silu(x) + a * torch.tanh(x + a) * torch.sigmoid(x)


@activation(
    "msaf",
    family="sigmoidal",
    latex=r"a + \sigma(x - b_1) + \sigma(x - b_2)",
    text="a + sigmoid(x - b1) + sigmoid(x - b2)",
    citation=CAI_2015_MSAF,
    params=(
        Param("a", 0.0, "vertical offset"),
        Param("b1", 0.0, "first threshold", **_NONNEG),
        Param("b2", 2.0, "second threshold", **_NONNEG),
    ),
    names=("MSAF", "multistate activation function"),
    survey=("MSAF",),
    source="Survey §3.2.24: a + Σ_k 1/(1 + e^{−z + b_k}), b_k >= 0 increasing, fixed; here of order N = 2 "
    "(the survey's example order), with b1 = 0 as the survey suspects the example intends (footnote 5). "
    "Cited to Cai et al., whose abstract (checked) proposes the N-order and the symmetrical MSAFs; their "
    "full text was not read, so the formula is the survey's.",
    notes="Order 2 only (each further state is one more shifted sigmoid). The value b2 = 2 is actlab's "
    "choice "
    "(none is printed). The sum is symmetric in b1, b2, so their order is not enforced.",
)
def msaf(x: Tensor, a: Any = 0.0, b1: Any = 0.0, b2: Any = 2.0) -> Tensor:
    """a + σ(x − b1) + σ(x − b2)."""
    return a + torch.sigmoid(x - b1) + torch.sigmoid(x - b2)


@activation(
    "symmsaf",
    family="sigmoidal",
    latex=r"-1 + \sigma(x) + \sigma(x + a)",
    text="-1 + sigmoid(x) + sigmoid(x + a)",
    citation=CAI_2015_MSAF,
    params=(Param("a", -2.0, "shift of the second sigmoid (the survey requires a well below 0)", high=0.0,
                  high_inclusive=False),),
    names=("SymMSAF", "symmetrical MSAF"),
    survey=("SymMSAF",),
    relations=(special_case_of("msaf", a=-1.0, b1=0.0, b2=2.0),),
    source="Survey §3.2.24: the symmetrical MSAF −1 + σ(z) + σ(z + a) with a well below 0, as the peer "
    "package "
    "prints it; the value a = −2 follows a third-party transcription (none is printed).",
    notes="Range (−1, 1) with a middle plateau near 0 on (0, −a); point-symmetric about x = −a/2. Evaluated "
    "as "
    "tanh(c)/(1 + cosh(a/2)·sech(c)), c = x + a/2 (the same function: σ(c + h) + σ(c − h) − 1 = sinh "
    "c/(cosh c "
    "+ cosh h)), which is exact at the centre and does not cancel.",
)
def symmsaf(x: Tensor, a: Any = -2.0) -> Tensor:
    """−1 + σ(x) + σ(x + a)."""
    c = x + a * 0.5
    return torch.tanh(c) / (1.0 + _cosh_of(a * 0.5) * sech(c))


@activation(
    "rootsig",
    family="sigmoidal",
    latex=r"\frac{a x}{1 + \sqrt{1 + a^2 x^2}} = \tanh\!\left(\tfrac12 \operatorname{asinh}(a x)\right)",
    text="a * x / (1 + sqrt(1 + (a * x)^2)) = tanh(asinh(a * x) / 2)",
    citation=KUNC_KLEMA_2024,
    params=(Param("a", 1.0, "input scale", **_POS),),
    names=("rootsig",),
    survey=("rootsig",),
    source="Survey §3.2.25: az/(1 + √(1 + a²z²)); the survey notes the name rootsig for the variant a = 1, "
    "which is the default here. The original lists were not reachable.",
    notes="Evaluated as tanh(asinh(ax)/2), the same function (x = sinh t gives tanh(t/2)), which neither "
    "overflows nor cancels.",
)
def rootsig(x: Tensor, a: Any = 1.0) -> Tensor:
    """ax/(1 + √(1 + a²x²))."""
    return torch.tanh(torch.asinh(a * x) * 0.5)


_ROOTSIG_ROW = ("rootsig-like unnamed (3 eqs)",)
_ROOTSIG_SOURCE = ("Survey §3.2.25, the {n} of the three unnamed functions listed with rootsig ({eq}); the "
                   "original lists were not reachable here.")


@activation(
    "rootsig_variant_1",
    family="sigmoidal",
    latex=r"\frac{x\,(\operatorname{sign}(x)\,x - a)}{x^2 - a^2} = \frac{x}{a + |x|}",
    text="x / (a + abs(x))",
    citation=KUNC_KLEMA_2024,
    params=(Param("a", 1.0, "half-saturation input", **_POS),),
    survey=_ROOTSIG_ROW,
    relations=(equal_to("softsign", note="x/(1 + |x|) at a = 1"),),
    source=_ROOTSIG_SOURCE.format(n="first", eq="z(sign(z)z − a)/(z² − a²), as a third-party transcription "
                                  "prints it"),
    notes="The printed form is x/(a + |x|) with a removable singularity at |x| = a; actlab computes x/(a + "
    "|x|) "
    "(equal to softsign(x/a)). a = 1 gives softsign.",
)
def rootsig_variant_1(x: Tensor, a: Any = 1.0) -> Tensor:
    """x/(a + |x|)."""
    return x / (a + x.abs())


@activation(
    "rootsig_variant_2",
    family="sigmoidal",
    latex=r"\frac{a x}{1 + |a x|}",
    text="a * x / (1 + abs(a * x))",
    citation=KUNC_KLEMA_2024,
    params=(Param("a", 1.0, "input scale", **_POS),),
    survey=_ROOTSIG_ROW,
    source=_ROOTSIG_SOURCE.format(n="second", eq="az/(1 + |az|), as both public transcriptions print it"),
    notes="softsign(ax); a = 1 gives softsign (declared on 'softsign').",
)
def rootsig_variant_2(x: Tensor, a: Any = 1.0) -> Tensor:
    """ax/(1 + |ax|)."""
    u = a * x
    return u / (1.0 + u.abs())


@activation(
    "rootsig_variant_3",
    family="sigmoidal",
    latex=r"\frac{a x}{\sqrt{1 + a^2 x^2}}",
    text="a * x / sqrt(1 + (a * x)^2)",
    citation=KUNC_KLEMA_2024,
    params=(Param("a", 1.0, "input scale", **_POS),),
    survey=_ROOTSIG_ROW,
    relations=(equal_to("isru", note="x/√(1 + x²) at a = 1 (ISRU with α = 1)"),),
    source=_ROOTSIG_SOURCE.format(n="third", eq="az/√(1 + a²z²), as both public transcriptions print it"),
    notes="isru(ax; α = 1); evaluated as ax/hypot(1, ax), which cannot overflow. The peer package's "
    "'SoftTanh' is this function with a = 2.",
)
def rootsig_variant_3(x: Tensor, a: Any = 1.0) -> Tensor:
    """ax/√(1 + a²x²)."""
    u = a * x
    return u / torch.hypot(torch.ones((), dtype=u.dtype, device=u.device), u)


# --------------------------------------------------------------------------- §3.2.26 pairs

_PAIRS_ROW = ("sigmoid/tanh piecewise combos (5 pairs)",)
_PAIRS_SOURCE = ("Survey §3.2.26 (Guevara et al., spelled Guevraa there): f(z) = g(z) for z >= 0, "
                 "h(z) for z < 0, with the pair "
                 "{{g, h}} = "
                 "{pair}; σ₂(z) = 2σ(z) − 1 is the bipolar sigmoid (as a third-party transcription reads "
                 "it). The original is cited but its text was out of reach here.")
_PAIR_NOTES = ("σ₂(x) = 2σ(x) − 1 is evaluated as tanh(x/2), the same function without cancellation. The "
               "survey "
               "lists {σ₂, tanh} twice among six pairs; these are the five distinct ones. The peer package's "
               "'SigmoidTanh' defaults to {σ, tanh} (plain logistic, discontinuous at 0), not one of them.")


def _pos_neg(x: Tensor) -> tuple[Tensor, Tensor]:
    return torch.where(x >= 0, x, 0.0), torch.where(x >= 0, 0.0, x)


@activation(
    "pw_sigmoid2_tanh",
    family="sigmoidal",
    latex=r"\begin{cases} 2\sigma(x) - 1 & x \ge 0 \\ \tanh(x) & x < 0 \end{cases}",
    text="tanh(max(x, 0) / 2) + tanh(min(x, 0))",
    citation=GUEVARA_ET_AL_2021,
    survey=_PAIRS_ROW,
    kinks=lambda p: (0.0,),
    source=_PAIRS_SOURCE.format(pair="{σ₂, tanh}"),
    notes=_PAIR_NOTES + " Slope 1/2 right of 0 and 1 left of it.",
)
def pw_sigmoid2_tanh(x: Tensor) -> Tensor:
    """2σ(x) − 1 for x >= 0, tanh(x) for x < 0."""
    xp, xn = _pos_neg(x)
    return torch.where(x >= 0, torch.tanh(0.5 * xp), torch.tanh(xn))


@activation(
    "pw_sigmoid2_zero",
    family="sigmoidal",
    latex=r"\begin{cases} 2\sigma(x) - 1 & x \ge 0 \\ 0 & x < 0 \end{cases}",
    text="tanh(max(x, 0) / 2)",
    citation=GUEVARA_ET_AL_2021,
    survey=_PAIRS_ROW,
    kinks=lambda p: (0.0,),
    source=_PAIRS_SOURCE.format(pair="{σ₂, 0}"),
    notes=_PAIR_NOTES + " A saturating rectifier: slope 1/2 right of 0.",
)
def pw_sigmoid2_zero(x: Tensor) -> Tensor:
    """2σ(x) − 1 for x >= 0, 0 for x < 0."""
    xp, _ = _pos_neg(x)
    return torch.where(x >= 0, torch.tanh(0.5 * xp), _keep_nan(x, torch.zeros_like(x)))


@activation(
    "pw_tanh_zero",
    family="sigmoidal",
    latex=r"\begin{cases} \tanh(x) & x \ge 0 \\ 0 & x < 0 \end{cases}",
    text="tanh(max(x, 0))",
    citation=GUEVARA_ET_AL_2021,
    survey=_PAIRS_ROW,
    kinks=lambda p: (0.0,),
    relations=(special_case_of("penalized_tanh", a=0.0),),
    source=_PAIRS_SOURCE.format(pair="{tanh, 0}"),
    notes=_PAIR_NOTES + " Equal to penalized_tanh with a = 0.",
)
def pw_tanh_zero(x: Tensor) -> Tensor:
    """tanh(x) for x >= 0, 0 for x < 0."""
    xp, _ = _pos_neg(x)
    return torch.where(x >= 0, torch.tanh(xp), _keep_nan(x, torch.zeros_like(x)))


_PAIR_A = Param("a", 0.01, "slope of the linear negative side", **_POS)


@activation(
    "pw_sigmoid2_linear",
    family="sigmoidal",
    latex=r"\begin{cases} 2\sigma(x) - 1 & x \ge 0 \\ a x & x < 0 \end{cases}",
    text="tanh(max(x, 0) / 2) + a * min(x, 0)",
    citation=GUEVARA_ET_AL_2021,
    params=(_PAIR_A,),
    survey=_PAIRS_ROW,
    kinks=lambda p: (0.0,) if p["a"] != 0.5 else (),
    source=_PAIRS_SOURCE.format(pair="{σ₂, az}, a > 0 fixed"),
    notes=_PAIR_NOTES + " No value of a is given: actlab takes a = 0.01, the customary leaky-ReLU slope.",
)
def pw_sigmoid2_linear(x: Tensor, a: Any = 0.01) -> Tensor:
    """2σ(x) − 1 for x >= 0, a x for x < 0."""
    xp, xn = _pos_neg(x)
    return torch.where(x >= 0, torch.tanh(0.5 * xp), a * xn)


@activation(
    "pw_tanh_linear",
    family="sigmoidal",
    latex=r"\begin{cases} \tanh(x) & x \ge 0 \\ a x & x < 0 \end{cases}",
    text="tanh(max(x, 0)) + a * min(x, 0)",
    citation=GUEVARA_ET_AL_2021,
    params=(_PAIR_A,),
    survey=_PAIRS_ROW,
    kinks=lambda p: (0.0,) if p["a"] != 1.0 else (),
    source=_PAIRS_SOURCE.format(pair="{tanh, az}, a > 0 fixed"),
    notes=_PAIR_NOTES + " No value of a is given: actlab takes a = 0.01, the customary leaky-ReLU slope.",
)
def pw_tanh_linear(x: Tensor, a: Any = 0.01) -> Tensor:
    """tanh(x) for x >= 0, a x for x < 0."""
    xp, xn = _pos_neg(x)
    return torch.where(x >= 0, torch.tanh(xp), a * xn)
