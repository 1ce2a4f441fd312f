"""Smooth approximations of the rectifier: softplus and its relatives, SmeLU, SAU, SMU, squareplus.

Each function is evaluated in a form without cancellation: where a published formula subtracts two
nearly equal terms (e.g. ``x + sqrt(x^2 + b)`` for x → -∞, ``x * erf(x)`` against ``x``), the
difference is rewritten exactly (``b / (sqrt(x^2 + b) - x)``, ``x * erfc(|x|)``). Each branch of a
``where`` gets ``where(selected, x, safe constant)`` as its argument, so the unselected branch never
produces inf/NaN (and so never a NaN gradient) while the selected one gets the full derivative, also
at the switch point (``clamp`` would give 0 or 1/2 there). Float parameters may be tensors.
"""

from __future__ import annotations

import math
from typing import Any

import torch

from actlab.catalog.citations import KUNC_KLEMA_2024
from actlab.catalog.exponential import expm1
from actlab.catalog.registry import activation
from actlab.catalog.spec import Citation, Param, Relation, equal_to, special_case_of

Tensor = torch.Tensor
F = torch.nn.functional

LN2 = math.log(2.0)
LN2_LO = 2.3190468138462996e-17  # ln 2 - LN2: the rounding error of the float64 ln 2

DUGAS_2000 = Citation(
    authors="Dugas, C. and Bengio, Y. and Bélisle, F. and Nadeau, C. and Garcia, R.",
    title="Incorporating Second-Order Functional Knowledge for Better Option Pricing",
    year=2000,
    url="https://www.cirano.qc.ca/en/summaries/2002s-46",
    venue="NIPS 13",
)
SHAMIR_2020 = Citation(
    authors="Shamir, G. I. and Lin, D. and Coviello, L.",
    title="Smooth activations and reproducibility in deep networks",
    year=2020,
    arxiv="2010.09931",
)
BISWAS_SAU_2021 = Citation(
    authors="Biswas, K. and Kumar, S. and Banerjee, S. and Pandey, A. K.",
    title="SAU: Smooth activation function using convolution with approximate identities",
    year=2021,
    arxiv="2109.13210",
)
BISWAS_SMU_2021 = Citation(
    authors="Biswas, K. and Kumar, S. and Banerjee, S. and Pandey, A. K.",
    title="SMU: smooth activation function for deep networks using smoothing maximum technique",
    year=2021,
    arxiv="2111.04682",
)
SCHUTT_2017 = Citation(
    authors="Schütt, K. T. and Kindermans, P.-J. and Sauceda, H. E. and Chmiela, S. and Tkatchenko, A. "
    "and Müller, K.-R.",
    title="SchNet: A continuous-filter convolutional neural network for modeling quantum interactions",
    year=2017,
    arxiv="1706.08566",
    venue="NeurIPS",
)
BARRON_2021 = Citation(
    authors="Barron, J. T.",
    title="Squareplus: A Softplus-Like Algebraic Rectifier",
    year=2021,
    arxiv="2112.11687",
)
ZHAO_2018 = Citation(
    authors="Zhao, H. and Liu, F. and Li, L. and Luo, C.",
    title="A novel softplus linear unit for deep convolutional neural networks",
    year=2018,
    url="https://doi.org/10.1007/s10489-017-1028-7",
    venue="Applied Intelligence 48",
)


def _tiny_floor(v: Any, x: Tensor) -> Any:
    """``max(v, tiny)`` for a number or tensor ``v`` (tiny = smallest normal of ``x``'s dtype)."""
    tiny = torch.finfo(x.dtype).tiny
    return v.clamp(min=tiny) if isinstance(v, Tensor) else max(float(v), tiny)


def _as_tensor(v: Any, x: Tensor) -> Tensor:
    return v if isinstance(v, Tensor) else torch.tensor(v, dtype=x.dtype, device=x.device)


def _log1p_half_expm1(x: Tensor) -> Tensor:
    """``softplus(x) - ln 2 = log((1 + e^x)/2) = log1p(expm1(x)/2)``; accurate for x <= 1."""
    return torch.log1p(expm1(x) / 2)


@activation(
    "softplus",
    family="smooth_rectifier",
    latex=r"\tfrac{1}{\beta}\ln(1 + e^{\beta x}) \;(\beta x \le t), \quad x \;(\beta x > t)",
    text="log(1 + exp(beta*x)) / beta if beta*x <= threshold else x",
    citation=DUGAS_2000,
    params=(
        Param("beta", 1.0, "sharpness β", low=0.0, low_inclusive=False),
        Param("threshold", 20.0, "linear above β x > threshold (as torch)", low=0.0, low_inclusive=False),
    ),
    kinks=lambda p: (p["threshold"] / p["beta"],),
    torch_ref=lambda x, beta=1.0, threshold=20.0: F.softplus(x, beta, threshold),
    names=("Softplus", "SoftPlus"),
    survey=("softplus",),
    source="Dugas et al. (2000): ln(1 + e^x); the survey §3.17 prints the same. The sharpness β and the "
    "linear switch above β·x > threshold (20) follow torch.nn.Softplus, the form users meet in PyTorch.",
    notes="Follows torch.nn.Softplus exactly, including its switch to the identity where β x > "
    "threshold (default 20): this leaves a jump of log1p(e^-threshold)/β (≈ 2e-9 at the defaults) at "
    "x = threshold/β. The mpmath reference implements the same definition.",
)
def softplus(x: Tensor, beta: Any = 1.0, threshold: Any = 20.0) -> Tensor:
    r""":math:`\frac{1}{\beta}\ln(1 + e^{\beta x})`, or :math:`x` where :math:`\beta x` > threshold."""
    z = x * beta
    above = z > threshold
    soft = torch.log1p(torch.exp(torch.where(above, threshold, z))) / beta
    return torch.where(above, x, soft)


@activation(
    "smelu",
    family="smooth_rectifier",
    latex=r"0 \;(x \le -\beta);\; \frac{(x + \beta)^2}{4\beta} \;(|x| \le \beta);\; x \;(x \ge \beta)",
    text="(min(max(x, -beta), beta) + beta)^2 / (4 * beta) + max(x - beta, 0)",
    citation=SHAMIR_2020,
    params=(Param("beta", 2.0, "half-width β of the quadratic transition", low=0.0),),
    names=("SmeLU", "smooth ReLU"),
    source="Shamir, Lin & Coviello (arXiv 2010.09931): 0 (x ≤ -β), (x + β)²/(4β) (|x| ≤ β), x (x ≥ β). "
    "The paper gives no single default; β = 2 as in the public Reich implementations (seed reference).",
    notes="Smooth ReLU (ReLU convolved with a box of width 2β). The paper gives no single default; "
    "β = 2 as in the Reich implementations (seed reference). β = 0 is ReLU (no division by zero). "
    "Continuously differentiable: f' = clip((x + β)/(2β), 0, 1).",
)
def smelu(x: Tensor, beta: Any = 2.0) -> Tensor:
    r"""SmeLU: :math:`0`, :math:`(x+\beta)^2/(4\beta)` or :math:`x` on :math:`x \le -\beta`,
    :math:`|x| \le \beta`, :math:`x \ge \beta`."""
    right = x > beta  # at x = beta both pieces give beta with slope 1; for beta = 0, ReLU's f'(0) = 0
    z = torch.where(x <= -beta, 0.0, torch.where(right, 0.0, x + beta))
    return torch.where(right, x, z * z / (_tiny_floor(beta, x) * 4))


@activation(
    "sau",
    family="smooth_rectifier",
    latex=r"\tfrac{1+\alpha}{2}x + \tfrac{1-\alpha}{2}\left[x\,\mathrm{erf}\!\left(\tfrac{n x}{\sqrt2}\right)"
    r" + \tfrac{\sqrt{2/\pi}}{n} e^{-n^2x^2/2}\right]",
    text="(1 + alpha) / 2 * x + (1 - alpha) / 2 * (x * erf(n * x / sqrt(2)) + sqrt(2 / pi) / n * "
    "exp(-n^2 * x^2 / 2))",
    citation=BISWAS_SAU_2021,
    names=("SAU", "smooth activation unit"),
    survey=("SAU",),
    source="Biswas et al. (arXiv 2109.13210): LeakyReLU_α convolved with the Gaussian of std 1/n; the "
    "closed form is the exact convolution (derived, seed reference). The survey §4.2.6 treats α and n "
    "('b_i') as fixed or trainable; α = 0.15 as in third-party code, n = 1 from the seed reference.",
    params=(
        Param("alpha", 0.15, "leaky-ReLU slope α (learnable)", low=0.0, high=1.0, trainable=True),
        Param("n", 1.0, "sharpness n: the Gaussian kernel has std 1/n", low=0.0, low_inclusive=False),
    ),
    notes="Smooth Activation Unit: LeakyReLU_α convolved with a Gaussian of std 1/n. This is the exact "
    "convolution (the seed reference's derived form). Third-party code (and the torch_activation "
    "package) uses √(2/π)/(2n)·exp(-n²x²/2) for the Gaussian term, i.e. without the factor (1-α); the "
    "two agree for α = 0 and as n → ∞. Third-party defaults are α = 0.15 (learnable), n = 20000; "
    "the seed default n = 1 is used here. Evaluated as LeakyReLU_α(x) + (1-α)/2·(√(2/π)/n·e^{-n²x²/2} "
    "- |x| erfc(n|x|/√2)) to avoid cancellation.",
)
def sau(x: Tensor, alpha: Any = 0.15, n: Any = 1.0) -> Tensor:
    r"""SAU, the exact convolution of :math:`\mathrm{LeakyReLU}_\alpha` with a Gaussian of std 1/n."""
    c = math.sqrt(2.0 / math.pi) / n
    k = n / math.sqrt(2.0)
    half = (1 - alpha) / 2
    pos_side = x >= 0
    xp, xn = torch.where(pos_side, x, 0.0), torch.where(pos_side, 0.0, x)
    # x >= 0: x + (1-α)/2 h(x);  x < 0: αx + (1-α)/2 h(-x);  h(a) = c e^{-t²} - a erfc(t), t = n a/√2
    pos = xp + half * _gauss_excess(xp, k, c)
    neg = xn * alpha + half * _gauss_excess(-xn, k, c)
    return torch.where(pos_side, pos, neg)


def _gauss_excess(a: Tensor, k: Any, c: Any) -> Tensor:
    """``E|a + N(0, s²)| - a = c e^{-t²} - a erfc(t)`` for ``a >= 0``, ``t = k a`` (``k = 1/(s√2)``,
    ``c = s√(2/π)``), as ``e^{-t²} (c - a erfcx(t))``: the two terms cancel to ~c e^{-t²}/(2t²), and
    erfcx keeps that difference accurate. t is capped at 1e10 inside erfcx (whose backward overflows
    for huge t); there e^{-t²} = 0 anyway."""
    t = a * k
    tc = torch.where(t > 1e10, 1e10, t)
    return torch.exp(-(t * t)) * (c - a * torch.special.erfcx(tc))


@activation(
    "ssp",
    family="smooth_rectifier",
    latex=r"\ln(1 + e^x) - \ln 2",
    text="log(1 + exp(x)) - log(2)",
    citation=SCHUTT_2017,
    aliases=("shifted_softplus",),
    names=("ssp", "shifted softplus"),
    relations=(special_case_of("psoftplus", a=1.0, b=LN2),),
    source="Schütt et al. (SchNet, arXiv 1706.08566): ssp(x) = ln(0.5 e^x + 0.5) = ln(1 + e^x) - ln 2.",
    notes="Shifted softplus (SchNet): zero at zero, slope 1/2 there. Evaluated as log1p(expm1(x)/2) "
    "for x < 1 (no cancellation near 0).",
)
def ssp(x: Tensor) -> Tensor:
    r""":math:`\ln(1 + e^x) - \ln 2`."""
    return _shifted_softplus(x)


def _shifted_softplus(x: Tensor) -> Tensor:
    """ln(1 + e^x) - ln 2 (true ln 2), accurate near its zero at 0 and in both tails."""
    low = x < 1
    xs, xb = torch.where(low, x, 0.0), torch.where(low, 1.0, x)
    big = xb + torch.log1p(torch.exp(-xb)) - LN2
    return torch.where(low, _log1p_half_expm1(xs), big)


@activation(
    "squareplus",
    family="smooth_rectifier",
    latex=r"\tfrac12\left(x + \sqrt{x^2 + b}\right)",
    text="(x + sqrt(x^2 + b)) / 2",
    citation=BARRON_2021,
    params=(Param("b", 4.0, "smoothness b > 0 (curvature at 0)", low=0.0, low_inclusive=False),),
    names=("SquarePlus", "squareplus"),
    survey=("SquarePlus",),
    source="Barron (arXiv 2112.11687), Eq. 1: (x + √(x² + b))/2 with b = 4 (the paper's choice); the "
    "survey §4.55 writes it as the mollified ReLU with ε = b. (The peer package's default b ≈ 0 makes it "
    "ReLU.)",
    notes="Squareplus; b = 4 is the paper's choice (closest to softplus). The paper allows b = 0 "
    "(ReLU), excluded here. For x < 0 evaluated as b / (2 (sqrt(x² + b) - x)); sqrt(x² + b) as "
    "hypot(x, √b) so that x² never overflows.",
)
def squareplus(x: Tensor, b: Any = 4.0) -> Tensor:
    r""":math:`\frac12(x + \sqrt{x^2 + b})`."""
    sb = _as_tensor(b, x) ** 0.5
    left = x < 0
    xn = torch.where(left, x, 0.0)
    neg = b / (2 * (torch.hypot(xn, sb) - xn))
    return torch.where(left, neg, (x + torch.hypot(x, sb)) / 2)


@activation(
    "smu",
    family="smooth_rectifier",
    latex=r"\tfrac12\left[(1+\alpha)x + (1-\alpha)x\,\mathrm{erf}(\mu(1-\alpha)x)\right]",
    text="((1 + alpha) * x + (1 - alpha) * x * erf(mu * (1 - alpha) * x)) / 2",
    citation=BISWAS_SMU_2021,
    names=("SMU", "smooth maximum unit"),
    survey=("SMU",),
    relations=(
        equal_to("prelu", note="numerically, at the defaults only: with μ = 1e6 the erf smoothing is "
                 "invisible beyond |x| > 1e-5, so SMU is PReLU(0.25) to double precision on any grid; "
                 "mathematically it is its μ → ∞ limit"),
    ),
    source="Biswas et al. (arXiv 2111.04682): ((1+α)x + (1-α)x·erf(μ(1-α)x))/2; α = 0.25 and learnable μ "
    "initialised to 1e6 from the PyTorch code linked with the paper (iFe1er/SMU_pytorch); the survey "
    "§4.2.7 prints the same form with a_i, b_i learnable.",
    params=(
        Param("alpha", 0.25, "slope α of the smoothed leaky ReLU", low=0.0, high=1.0),
        Param("mu", 1e6, "smoothing μ > 0 (learnable; larger = sharper)", low=0.0, low_inclusive=False,
              trainable=True),
    ),
    notes="Smooth Maximum Unit, the erf-smoothed max(x, αx). Defaults α = 0.25 and learnable μ "
    "initialised to 1e6 follow the PyTorch code linked with the paper (iFe1er/SMU_pytorch); other "
    "ports use α = 0.01, μ = 2.5. Evaluated as x - (1-α)/2·x·erfc(w) for x ≥ 0 and "
    "αx + (1-α)/2·x·erfc(-w) for x < 0 (w = μ(1-α)x).",
)
def smu(x: Tensor, alpha: Any = 0.25, mu: Any = 1e6) -> Tensor:
    r"""SMU: :math:`\frac12[(1+\alpha)x + (1-\alpha)x\,\mathrm{erf}(\mu(1-\alpha)x)]`."""
    half = (1 - alpha) / 2
    k = mu * (1 - alpha)
    pos_side = x >= 0
    xp, xn = torch.where(pos_side, x, 0.0), torch.where(pos_side, 0.0, x)
    pos = xp - half * xp * torch.erfc(xp * k)
    neg = xn * alpha + half * xn * torch.erfc(-(xn * k))
    return torch.where(pos_side, pos, neg)


@activation(
    "smu1",
    family="smooth_rectifier",
    latex=r"\tfrac12\left[(1+\alpha)x + \sqrt{(1-\alpha)^2x^2 + \mu^2}\right]",
    text="((1 + alpha) * x + sqrt((1 - alpha)^2 * x^2 + mu^2)) / 2",
    citation=BISWAS_SMU_2021,
    names=("SMU-1", "LReLUPlus"),
    survey=("LReLUPlus (=SMU-1)",),
    relations=(
        equal_to("prelu", note="numerically, at the defaults only: with μ ≈ 4.4e-9 the smoothing changes "
                 "values by < μ²/|x| (1e-16 relative beyond |x| > 1e-3); mathematically PReLU(0.25) is "
                 "the μ → 0 limit"),
        Relation("related", "smu", note="the square-root instead of the erf smoothing of max(x, αx)"),
    ),
    source="Biswas et al. (arXiv 2111.04682): SMU-1 = ((1+α)x + √((1-α)²x² + μ²))/2; α = 0.25 and "
    "learnable μ initialised to 4.352665993287951e-9 from the linked PyTorch code. The survey §4.55 notes "
    "it equals LReLUPlus (Pan et al.) with ε = μ².",
    params=(
        Param("alpha", 0.25, "slope α of the smoothed leaky ReLU", low=0.0, high=1.0),
        Param("mu", 4.352665993287951e-9, "smoothing μ > 0 (learnable)", low=0.0, low_inclusive=False,
              trainable=True),
    ),
    notes="SMU-1, the square-root-smoothed max(x, αx). Defaults α = 0.25 and learnable μ initialised "
    "to 4.352665993287951e-9 follow the PyTorch code linked with the paper (iFe1er/SMU_pytorch). "
    "For x < 0 evaluated as αx + μ²/(2(hypot(w, μ) - w)), w = (1-α)x, avoiding cancellation.",
)
def smu1(x: Tensor, alpha: Any = 0.25, mu: Any = 4.352665993287951e-9) -> Tensor:
    r"""SMU-1: :math:`\frac12[(1+\alpha)x + \sqrt{(1-\alpha)^2x^2 + \mu^2}]`."""
    m = _as_tensor(mu, x)
    pos_side = x >= 0
    xn = torch.where(pos_side, 0.0, x)
    wn = xn * (1 - alpha)
    pos = (x * (1 + alpha) + torch.hypot(x * (1 - alpha), m)) / 2
    neg = xn * alpha + (m * m) / (2 * (torch.hypot(wn, m) - wn))
    return torch.where(pos_side, pos, neg)


@activation(
    "slu",
    family="smooth_rectifier",
    latex=r"x \;(x \ge 0);\quad 2\ln(1 + e^x) - 2\ln 2 \;(x < 0)",
    text="max(x, 0) + 2 * softplus(min(x, 0)) - 2 * log(2)",
    citation=ZHAO_2018,
    names=("SLU", "softplus linear unit"),
    survey=("SLU",),
    source="Zhao et al. (2018, Applied Intelligence): αx (x ≥ 0), β ln(1 + e^x) - γ (x < 0) with α = 1, "
    "β = 2, γ = 2 ln 2 from the paper's continuity and differentiability constraints at 0; the survey "
    "§3.6.13 prints the same.",
    notes="Softplus linear unit. The paper's general form is αx (x ≥ 0), β ln(1 + e^x) - γ (x < 0) "
    "with α = 1, β = 2, γ = 2 ln 2 fixed by continuity and differentiability at 0 (the paper's text "
    "was not available to us; the constants follow from its stated constraints). Continuously "
    "differentiable; negative saturation -2 ln 2.",
)
def slu(x: Tensor) -> Tensor:
    r""":math:`x` for :math:`x \ge 0`, :math:`2\ln\frac{1 + e^x}{2}` otherwise."""
    right = x >= 0
    return torch.where(right, x, 2 * _log1p_half_expm1(torch.where(right, 0.0, x)))


@activation(
    "bent_identity",
    family="smooth_rectifier",
    latex=r"\frac{\sqrt{x^2 + 1} - 1}{2} + x",
    text="(sqrt(x^2 + 1) - 1) / 2 + x",
    citation=KUNC_KLEMA_2024,
    names=("bent identity", "bent identity function"),
    survey=("bent identity",),
    relations=(special_case_of("blu", a=0.5),),
    source="Survey §3.10: (√(z² + 1) - 1)/2 + z, 'a fixed variant of the bendable linear unit with "
    "a = 1/2'; the peer package and two public transcriptions print the same.",
    notes="Bent identity: slopes 1/2 (x → -∞) and 3/2 (x → ∞), smooth and monotone. No original "
    "publication was found; cited from the survey, which lists it among the classical fixed "
    "activations. Evaluated as x + x·(x/(hypot(x, 1) + 1))/2 (no cancellation, no overflow).",
)
def bent_identity(x: Tensor) -> Tensor:
    r""":math:`\frac{\sqrt{x^2+1} - 1}{2} + x`."""
    one = torch.ones((), dtype=x.dtype, device=x.device)
    return x + x * (x / (torch.hypot(x, one) + 1)) / 2


CIUPARU_2020 = Citation(
    authors="Ciuparu, A. and Nagy-Dăbâcan, A. and Mureşan, R. C.",
    title="Soft++, a multi-parametric non-saturating non-linearity that improves convergence in deep "
    "neural architectures",
    year=2020,
    url="https://doi.org/10.1016/j.neucom.2019.12.014",
    venue="Neurocomputing 384",
)


@activation(
    "psoftplus",
    family="smooth_rectifier",
    latex=r"a\left(\ln(1 + e^x) - b\right)",
    text="a * (softplus(x) - b)",
    citation=KUNC_KLEMA_2024,
    params=(
        Param("a", 1.5, "output scale a > 0", low=0.0, low_inclusive=False),
        Param("b", LN2, "shift b (ln 2 makes f(0) = 0)"),
    ),
    aliases=("parametric_softplus",),
    names=("PSoftplus", "parametric softplus"),
    survey=("PSoftplus",),
    source="Survey §3.18: a·(ln(1 + e^z) - b) with fixed a, b; the recommended a = 1.5, b = ln 2 (our "
    "defaults); the peer package and a public transcription print the same. The original paper was out "
    "of reach. a = 1, b = ln 2 is the shifted softplus 'ssp'.",
    notes="Parametric softplus: a scaled, shifted softplus whose mean output is closer to 0. Evaluated as "
    "a·(ssp(x) + (ln 2 - b)) with ln 2 in two parts for x ≥ -1/2, so the value near the zero of "
    "softplus(x) - b keeps full accuracy for b ≈ ln 2 (b is taken exactly as given, also when it is the "
    "float64 ln 2), and as a·(ln(1 + e^x) - b) in the left tail.",
)
def psoftplus(x: Tensor, a: Any = 1.5, b: Any = LN2) -> Tensor:
    r""":math:`a(\ln(1 + e^x) - b)`."""
    # near the zero of softplus(x) - ln 2 (x ≥ -1/2): ssp(x) + (ln 2 - b); in the left tail, where
    # softplus(x) is small, ln(1 + e^x) - b directly (ssp + ln 2 would cancel there)
    left = x < -0.5
    xl, xr = torch.where(left, x, 0.0), torch.where(left, 0.0, x)
    tail = torch.log1p(torch.exp(xl)) - b
    return a * torch.where(left, tail, _shifted_softplus(xr) + ((LN2 - b) + LN2_LO))


@activation(
    "softplus_plus",
    family="smooth_rectifier",
    latex=r"\ln(1 + e^{a x}) + \frac{x}{b} - \ln 2",
    text="softplus(a * x) + x / b - log(2)",
    citation=CIUPARU_2020,
    params=(
        Param("a", 1.0, "exponent scale a > 0", low=0.0, low_inclusive=False),
        Param("b", 2.0, "the negative-side slope is 1/b (b > 0)", low=0.0, low_inclusive=False),
    ),
    aliases=("softpp",),
    names=("Soft++", "SoftPlusPlus"),
    survey=("Soft++",),
    source="Ciuparu et al. (2020, DOI 10.1016/j.neucom.2019.12.014): ln(1 + e^{az}) + z/b - ln 2 with "
    "fixed a, b; a = 1, b = 2 work well (the survey §3.18.1, our defaults). The peer package and a public "
    "transcription print the same.",
    notes="Soft++: softplus with a linear term, non-saturating on both sides (slope 1/b for x → -∞, a + 1/b "
    "for x → ∞), zero at 0. Evaluated as ssp(ax) + x/b.",
)
def softplus_plus(x: Tensor, a: Any = 1.0, b: Any = 2.0) -> Tensor:
    r""":math:`\ln(1 + e^{ax}) + x/b - \ln 2`."""
    return _shifted_softplus(x * a) + x / b
