"""Self-gated activations: f(x) = x · g(x) with a smooth (or piecewise) gate g.

SiLU/Swish, GELU, Mish, GoLU, the expanded gates xATLU/xGELU/xSiLU, AGLU and the survey's
SiLU-like family. Gates are evaluated in forms that stay accurate in the tails (Φ through
``erfc``, 1 + tanh(u) as 2σ(2u), log-space double exponentials) so that x · g(x) neither loses
relative accuracy nor produces ``0 · inf`` in value or gradient.
"""

from __future__ import annotations

import math
from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor

from actlab.catalog.citations import KUNC_KLEMA_2024, RAMACHANDRAN_2017
from actlab.catalog.exponential import expm1
from actlab.catalog.registry import activation
from actlab.catalog.sigmoidal import (
    APA_2024,
    ELFWING_2017,
    MOBILENETV3,
    SQRT1_2,
    _apa,
    log_of,
    ndtr,
    softplus,
)
from actlab.catalog.spec import Citation, Param, Relation, special_case_of

SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)

HENDRYCKS_2016 = Citation(
    authors="Hendrycks, D. and Gimpel, K.",
    title="Gaussian Error Linear Units (GELUs)",
    year=2016,
    arxiv="1606.08415",
)
MISRA_2019 = Citation(
    authors="Misra, D.",
    title="Mish: A Self Regularized Non-Monotonic Activation Function",
    year=2019,
    arxiv="1908.08681",
)
GOLU_2025 = Citation(
    authors="Das, I. and Safari, M. and Adriaensen, S. and Hutter, F.",
    title="Gompertz Linear Units: Leveraging Asymmetry for Enhanced Learning Dynamics",
    year=2025,
    arxiv="2502.03654",
)
APTX_2022 = Citation(
    authors="Kumar, R.",
    title="APTx: Better Activation Function than MISH, SWISH, and ReLU's Variants used in Deep Learning",
    year=2022,
    arxiv="2209.06119",
)
HUANG_2024 = Citation(
    authors="Huang, A. H.",
    title="Expanded Gating Ranges Improve Activation Functions",
    year=2024,
    arxiv="2405.20768",
)
ROY_2019 = Citation(
    authors="Roy, S. K. and Manna, S. and Dubey, S. R. and Chaudhuri, B. B.",
    title="LiSHT: Non-Parametric Linearly Scaled Hyperbolic Tangent Activation Function for Neural Networks",
    year=2019,
    arxiv="1901.05894",
)
NAG_2021 = Citation(
    authors="Nag, S. and Bhattacharyya, M.",
    title="SERF: Towards better training of deep neural networks using log-Softplus ERror activation "
    "Function",
    year=2021,
    arxiv="2108.09598",
)
WANG_2022 = Citation(
    authors="Wang, X. and Ren, H. and Wang, A.",
    title="Smish: A Novel Activation Function for Deep Learning Methods",
    year=2022,
    url="https://doi.org/10.3390/electronics11040540",
    venue="Electronics",
)
ZHU_2021 = Citation(
    authors="Zhu, H. and Zeng, H. and Liu, J. and Zhang, X.",
    title="Logish: A new nonlinear nonmonotonic activation function for convolutional neural network",
    year=2021,
    url="https://doi.org/10.1016/j.neucom.2021.06.067",
    venue="Neurocomputing",
)
LIU_DI_2020 = Citation(
    authors="Liu, X. and Di, X.",
    title="TanhExp: A Smooth Activation Function with High Convergence Speed for Lightweight Neural Networks",
    year=2020,
    arxiv="2003.09855",
)
ALCAIDE_2018 = Citation(
    authors="Alcaide, E.",
    title="E-swish: Adjusting Activations to Different Network Depths",
    year=2018,
    arxiv="1801.07145",
)
KAYTAN_2023 = Citation(
    authors="Kaytan, M. and Aydilek, İ. B. and Yeroğlu, C.",
    title="Gish: a novel activation function for image classification",
    year=2023,
    url="https://doi.org/10.1007/s00521-023-09035-5",
    venue="Neural Computing and Applications",
)
NAVEEN_2022 = Citation(
    authors="Naveen, P.",
    title="Phish: A Novel Hyper-Optimizable Activation Function",
    year=2022,
    url="https://doi.org/10.36227/techrxiv.17283824",
    venue="TechRxiv",
)
YU_SU_2019 = Citation(
    authors="Yu, C. and Su, Z.",
    title="Symmetrical Gaussian Error Linear Units (SGELUs)",
    year=2019,
    arxiv="1911.03925",
)
VAGERWAL_2021 = Citation(
    authors="Vagerwal, A.",
    title="Deeper Learning with CoLU Activation",
    year=2021,
    arxiv="2112.12078",
)
BASIRAT_ROTH_2018 = Citation(
    authors="Basirat, M. and Roth, P. M.",
    title="The Quest for the Golden Activation Function",
    year=2018,
    arxiv="1808.00783",
)

_POS = dict(low=0.0, low_inclusive=False)  # (0, inf)


# --------------------------------------------------------------------------- torch.nn


@activation(
    "gelu",
    family="self_gated",
    latex=r"x\,\Phi(x) = \frac{x}{2}\left(1 + \operatorname{erf}(x/\sqrt{2})\right)",
    text="x * Phi(x) = 0.5 * x * (1 + erf(x / sqrt(2)))",
    citation=HENDRYCKS_2016,
    names=("GELU", "Gaussian error linear unit"),
    survey=("GELU",),
    relations=(special_case_of("xgelu", alpha=0.0),),
    torch_ref=lambda x: F.gelu(x),
    source="Hendrycks & Gimpel (2016): x·Φ(x) with Φ the standard normal CDF (the exact erf form); the "
    "survey "
    "§3.3.1 prints the same.",
    notes="Exact (erf) form. Φ is evaluated as erfc(-x/√2)/2, accurate in the left tail where torch's "
    "0.5(1 + erf) kernel cancels (e.g. torch gives -0.0 at x = -10 in float64, true value -7.6e-23).",
)
def gelu(x: Tensor) -> Tensor:
    """GELU(x) = x Φ(x)."""
    return x * ndtr(x)


def _gelu_tanh_gate(x: Tensor) -> Tensor:
    # (1 + tanh u)/2 = σ(2u), u = √(2/π)(x + 0.044715 x³); for |x| >= 50 the gate is exactly 0 or 1, so x is
    # clamped there to keep x³ finite (and the gradient free of 0·inf).
    xc = torch.clamp(x, -50.0, 50.0)
    return torch.sigmoid(2.0 * SQRT_2_OVER_PI * (xc + 0.044715 * xc * xc * xc))


@activation(
    "gelu_tanh",
    family="self_gated",
    latex=r"\frac{x}{2}\left(1 + \tanh\!\left(\sqrt{2/\pi}\,(x + 0.044715 x^3)\right)\right)",
    text="0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3)))",
    citation=HENDRYCKS_2016,
    aliases=("gelu_approx",),
    names=("tanh-approximate GELU", "approximate GELU"),
    relations=(Relation("related", "gelu", note="its tanh approximation (Hendrycks & Gimpel, Sec. 2)"),),
    torch_ref=lambda x: F.gelu(x, approximate="tanh"),
    source="Hendrycks & Gimpel (2016), the tanh approximation 0.5x(1 + tanh(√(2/π)(x + 0.044715x³))) "
    "(torch approximate='tanh'); the survey §3.3.1 prints the same.",
    notes="Evaluated as x·σ(2u), the same function without the cancellation of 1 + tanh(u) for x < 0 (this "
    "is "
    "also why SiELU, x·σ(2u), is a preset of this entry).",
)
def gelu_tanh(x: Tensor) -> Tensor:
    """x (1 + tanh(√(2/π)(x + 0.044715x³))) / 2."""
    return x * _gelu_tanh_gate(x)


@activation(
    "silu",
    family="self_gated",
    latex=r"x\,\sigma(x)",
    text="x * sigmoid(x)",
    citation=ELFWING_2017,
    names=("SiLU", "Swish-1", "sigmoid-weighted linear unit", "sigmoid linear unit"),
    survey=("SiLU",),
    relations=(
        special_case_of("swish", beta=1.0),
        special_case_of("aglu", lambd=1.0, kappa=1.0),
        special_case_of("xsilu", alpha=0.0),
    ),
    torch_ref=lambda x: F.silu(x),
    source="Elfwing, Uchibe & Doya (2017), Eq. 1: x·σ(x) (also named SiLU in Hendrycks & Gimpel 2016); the "
    "survey §3.3 prints the same.",
    notes="Equal to 'swish' with beta = 1, which is a separate entry because swish has a parameter.",
)
def silu(x: Tensor) -> Tensor:
    """SiLU(x) = x σ(x)."""
    return F.silu(x)


@activation(
    "mish",
    family="self_gated",
    latex=r"x \tanh(\ln(1 + e^x))",
    text="x * tanh(softplus(x))",
    citation=MISRA_2019,
    names=("Mish",),
    survey=("Mish",),
    relations=(Relation("related", "tanhexp", note="tanh of softplus(x) instead of tanh of e^x"),),
    torch_ref=lambda x: F.mish(x),
    source="Misra (2019), Eq. 1: x·tanh(softplus(x)); the survey §3.3.29 prints the same.",
)
def mish(x: Tensor) -> Tensor:
    """Mish(x) = x tanh(softplus(x))."""
    return x * torch.tanh(softplus(x))


@activation(
    "hardswish",
    family="self_gated",
    latex=r"x\,\frac{\min(\max(0, x + 3), 6)}{6}",
    text="x * min(max(x + 3, 0), 6) / 6",
    citation=MOBILENETV3,
    aliases=("hard_swish",),
    names=("HardSwish", "h-swish"),
    survey=("hard swish",),
    relations=(Relation("related", "hardsigmoid", note="x · hardsigmoid(x)"),),
    kinks=lambda p: (-3.0, 3.0),
    torch_ref=lambda x: F.hardswish(x),
    source="Howard et al. (2019), h-swish(x) = x·relu6(x + 3)/6 (torch.nn.Hardswish); the survey §3.6.20 "
    "prints "
    "the same.",
    notes="PyTorch's boundary convention (torch 2.x CPU): derivative 0 for x <= -3, x/3 + 1/2 for "
    "-3 < x < 3 and 1 for x >= 3. Older torch CPU kernels used x/3 + 1/2 at x = 3 as well. The survey's "
    "adaptive Hard-Swish (§4.32) is another function.",
)
def hardswish(x: Tensor) -> Tensor:
    """x · relu6(x + 3) / 6."""
    return x * (F.relu6(x + 3.0) / 6.0)  # gate first: x · 6 would overflow near the dtype maximum


# --------------------------------------------------------------------------- seeds


@activation(
    "swish",
    family="self_gated",
    latex=r"x\,\sigma(\beta x)",
    text="x * sigmoid(beta * x)",
    citation=RAMACHANDRAN_2017,
    params=(Param("beta", 1.0, "gate slope; β = 1 is SiLU, β → ∞ ReLU", low=0.0, trainable=True),),
    names=("Swish", "ACON-A", "PSiLU"),
    survey=("swish (=ACON-A=PSiLU)",),
    source="Ramachandran, Zoph & Le (2017): x·σ(βx) with β a constant or trainable parameter; β = 1 (their "
    "Swish-1). The survey §4.4.1 prints the same and notes ACON-A and PSiLU are this function.",
    notes="β = 1 equals 'silu'.",
)
def swish(x: Tensor, beta: Any = 1.0) -> Tensor:
    """Swish_β(x) = x σ(βx)."""
    return x * torch.sigmoid(beta * x)


@activation(
    "golu",
    family="self_gated",
    latex=r"x\,\alpha\, e^{-\beta e^{-\gamma x}}",
    text="x * alpha * exp(-beta * exp(-gamma * x))",
    citation=GOLU_2025,
    params=(
        Param("alpha", 1.0, "upper asymptote (scale) of the Gompertz gate", low=0.0),
        Param("beta", 1.0, "displacement of the gate along x", low=0.0),
        Param("gamma", 1.0, "growth rate of the gate", low=0.0),
    ),
    names=("GoLU", "Gompertz linear unit"),
    relations=(Relation("limit_of", "aglu", note="λ → 0 with κ = 1 (at α = β = γ = 1)"),),
    source="Das et al. (2025): x·α·exp(−β exp(−γx)); official automl/GoLU code, α = β = γ = 1 (x times the "
    "standard Gumbel CDF), not trainable there.",
    notes="Gompertz Linear Unit. At the defaults it is the survey's ExpExpish (§3.3.13), registered as the "
    "preset 'expexpish'. The double exponential is evaluated as exp(-exp(min(ln β - γx, 30))), so f(-1e3) = "
    "-0 "
    "exactly with a finite gradient.",
)
def golu(x: Tensor, alpha: Any = 1.0, beta: Any = 1.0, gamma: Any = 1.0) -> Tensor:
    """GoLU(x) = x α exp(-β exp(-γx))."""
    s = torch.clamp(log_of(beta) - gamma * x, max=30.0)  # ln(β e^{-γx})
    return x * (alpha * torch.exp(-torch.exp(s)))


@activation(
    "aptx",
    family="self_gated",
    latex=r"(\alpha + \tanh(\beta x))\,\gamma x",
    text="(alpha + tanh(beta * x)) * gamma * x",
    citation=APTX_2022,
    params=(
        Param("alpha", 1.0, "offset of the tanh gate", low=0.0),
        Param("beta", 1.0, "slope of the tanh gate", low=0.0),
        Param("gamma", 0.5, "output scale", **_POS),
    ),
    names=("APTx",),
    relations=(special_case_of("swish", beta=2.0, note="(1 + tanh x)·x/2 = x·σ(2x)"),),
    source="Kumar (2022), APTx(x) = (α + tanh(βx))γx with α = 1, β = 1, γ = 1/2 (official "
    "mr-ravin/aptx_activation "
    "code; the parameters are fixed by default there, trainable on request).",
    notes="With the defaults APTx(x) = x σ(2x) = swish(x; β = 2). α + tanh(βx) is evaluated as (α - 1) + "
    "2σ(2βx), "
    "which is exact for α = 1 in the left tail.",
)
def aptx(x: Tensor, alpha: Any = 1.0, beta: Any = 1.0, gamma: Any = 0.5) -> Tensor:
    """APTx(x) = (α + tanh(βx)) γ x."""
    return ((alpha - 1.0) + 2.0 * torch.sigmoid(2.0 * beta * x)) * x * gamma


_XALPHA = Param(
    "alpha",
    0.0,
    "gate expansion: the gate's range becomes (-α, 1 + α)",
    low=-0.5,
    low_inclusive=False,
    trainable=True,
)


def _cauchy_cdf(x: Tensor) -> Tensor:
    # arctan(x)/π + 1/2 = atan2(1, -x)/π: no cancellation in the left tail.
    return torch.atan2(torch.ones((), dtype=x.dtype, device=x.device), -x) / math.pi


_X_SOURCE = ("Huang (2024), the expanded gate g_α = (1 + 2α)g − α of {gate}, official "
             "AllenHaoHuang/x-activation "
             "code: α learned, initialised at 0.")


@activation(
    "xatlu",
    family="self_gated",
    latex=r"x \left( (1 + 2\alpha)\left(\tfrac{\arctan x}{\pi} + \tfrac12\right) - \alpha \right)",
    text="x * ((1 + 2*alpha) * (atan(x)/pi + 1/2) - alpha)",
    citation=HUANG_2024,
    params=(_XALPHA,),
    names=("xATLU", "expanded arctan linear unit"),
    source=_X_SOURCE.format(gate="the arctan gate arctan(x)/π + 1/2"),
    notes="At α = 0, xATLU is ATLU = x(arctan(x)/π + 1/2), identical to 'calu' (declared there).",
)
def xatlu(x: Tensor, alpha: Any = 0.0) -> Tensor:
    """xATLU(x) = x((1 + 2α)(arctan(x)/π + 1/2) - α)."""
    return x * ((1.0 + 2.0 * alpha) * _cauchy_cdf(x) - alpha)


@activation(
    "xgelu",
    family="self_gated",
    latex=r"x \left( (1 + 2\alpha)\,\Phi(x) - \alpha \right)",
    text="x * ((1 + 2*alpha) * 0.5 * (1 + erf(x / sqrt(2))) - alpha)",
    citation=HUANG_2024,
    params=(_XALPHA,),
    names=("xGELU", "expanded GELU"),
    source=_X_SOURCE.format(gate="the Gaussian gate Φ (code: x(erf(x/√2)(1/2 + α) + 1/2))"),
    notes="At α = 0, xGELU = GELU (declared on 'gelu').",
)
def xgelu(x: Tensor, alpha: Any = 0.0) -> Tensor:
    """xGELU(x) = x((1 + 2α)Φ(x) - α)."""
    return x * ((1.0 + 2.0 * alpha) * ndtr(x) - alpha)


@activation(
    "xsilu",
    family="self_gated",
    latex=r"x \left( (1 + 2\alpha)\,\sigma(x) - \alpha \right)",
    text="x * ((1 + 2*alpha) * sigmoid(x) - alpha)",
    citation=HUANG_2024,
    params=(_XALPHA,),
    names=("xSiLU", "expanded SiLU"),
    source=_X_SOURCE.format(gate="the sigmoid gate σ"),
    notes="At α = 0, xSiLU = SiLU (declared on 'silu').",
)
def xsilu(x: Tensor, alpha: Any = 0.0) -> Tensor:
    """xSiLU(x) = x((1 + 2α)σ(x) - α)."""
    return x * ((1.0 + 2.0 * alpha) * torch.sigmoid(x) - alpha)


@activation(
    "aglu",
    family="self_gated",
    latex=r"x \left(\lambda e^{-\kappa x} + 1\right)^{-1/\lambda}",
    text="x * exp(-log(1 + lambd * exp(-kappa * x)) / lambd)",
    citation=APA_2024,
    params=(
        Param("lambd", 1.0, "asymmetry; λ = 1 gives x σ(κx), λ → 0 a GoLU-like gate", low=0.0,
              low_inclusive=False, trainable=True, learn_min=1e-4),
        Param("kappa", 1.0, "slope", low=0.0, trainable=True),
    ),
    names=("AGLU", "adaptive gated linear unit"),
    relations=(Relation("related", "apa", note="x · APA(x)"),),
    source="Alexandridis et al. (2024): AGLU(z) = z·APA(z) = z(λe^{-κz} + 1)^{-1/λ}; λ, κ learned in the "
    "official "
    "code (kostas1515/AGLU, Ultralytics).",
    notes="λ = κ = 1 gives SiLU (declared on 'silu').",
)
def aglu(x: Tensor, lambd: Any = 1.0, kappa: Any = 1.0) -> Tensor:
    """AGLU(x) = x (λ e^{-κx} + 1)^{-1/λ}."""
    return x * _apa(x, lambd, kappa)


# --------------------------------------------------------------------------- survey


@activation(
    "lisht",
    family="self_gated",
    latex=r"x \tanh(x)",
    text="x * tanh(x)",
    citation=ROY_2019,
    names=("LiSHT", "linearly scaled hyperbolic tangent"),
    survey=("LiSHT",),
    source="Roy et al. (2019): x·tanh(x); the survey §3.3.28 prints the same.",
    notes="Even and non-negative.",
)
def lisht(x: Tensor) -> Tensor:
    """LiSHT(x) = x tanh(x)."""
    return x * torch.tanh(x)


@activation(
    "serf",
    family="self_gated",
    latex=r"x \operatorname{erf}(\ln(1 + e^x))",
    text="x * erf(softplus(x))",
    citation=NAG_2021,
    names=("Serf", "SERF", "log-softplus error activation function"),
    survey=("Serf",),
    relations=(Relation("related", "mish", note="erf instead of tanh of softplus(x)"),),
    source="Nag & Bhattacharyya (2021): x·erf(ln(1 + eˣ)); the survey §3.3.32 prints the same.",
)
def serf(x: Tensor) -> Tensor:
    """Serf(x) = x erf(ln(1 + e^x))."""
    # Below x = -800 the value is exactly (-)0 in every dtype; masking that region keeps x·erf'(·) from
    # overflowing in the backward pass at the half types' extremes.
    far = x < -800.0
    xc = torch.clamp(x, min=-800.0)
    return torch.where(far, x * 0.0, x * torch.erf(softplus(xc)))


@activation(
    "smish",
    family="self_gated",
    latex=r"\alpha x \tanh(\ln(1 + \sigma(\beta x)))",
    text="alpha * x * tanh(log(1 + sigmoid(beta * x)))",
    citation=WANG_2022,
    params=(
        Param("alpha", 1.0, "output scale", **_POS),
        Param("beta", 1.0, "input scale of the sigmoid", **_POS),
    ),
    names=("Smish",),
    survey=("Smish",),
    source="Wang, Ren & Wang (2022): αx·tanh(ln(1 + σ(βx))), α = β = 1 recommended after a small parameter "
    "search; the survey §3.3.30 prints the same.",
)
def smish(x: Tensor, alpha: Any = 1.0, beta: Any = 1.0) -> Tensor:
    """Smish(x) = α x tanh(ln(1 + σ(βx)))."""
    return x * torch.tanh(torch.log1p(torch.sigmoid(beta * x))) * alpha


@activation(
    "logish",
    family="self_gated",
    latex=r"x \ln(1 + \sigma(x))",
    text="x * log(1 + sigmoid(x))",
    citation=ZHU_2021,
    names=("Logish",),
    survey=("Logish",),
    relations=(special_case_of("plogish", a=1.0, b=1.0),),
    source="Zhu et al. (2021): x·ln(1 + σ(x)); the survey §3.3.11 prints the same.",
)
def logish(x: Tensor) -> Tensor:
    """Logish(x) = x ln(1 + σ(x))."""
    return x * torch.log1p(torch.sigmoid(x))


@activation(
    "tanhexp",
    family="self_gated",
    latex=r"x \tanh(e^x)",
    text="x * tanh(exp(x))",
    citation=LIU_DI_2020,
    names=("TanhExp", "tanh exponential activation"),
    survey=("TanhExp",),
    source="Liu & Di (2020): x·tanh(eˣ); the survey §3.3.31 prints the same.",
    notes="Rediscovered as TeLU by Fernandez & Mali (2024), registered as the preset 'telu_2024'. exp is "
    "evaluated at min(x, 20) (tanh(e^20) = 1 exactly in every dtype), so the gradient sech²(e^x)·e^x never "
    "becomes 0·inf.",
)
def tanhexp(x: Tensor) -> Tensor:
    """TanhExp(x) = x tanh(e^x)."""
    return x * torch.tanh(torch.exp(torch.clamp(x, max=20.0)))


@activation(
    "eswish",
    family="self_gated",
    latex=r"\beta x \sigma(x)",
    text="beta * x * sigmoid(x)",
    citation=ALCAIDE_2018,
    aliases=("e_swish",),
    params=(Param("beta", 1.375, "output scale; the paper recommends 1 <= β <= 2", **_POS),),
    names=("E-swish",),
    survey=("E-swish",),
    relations=(Relation("affine_of", "silu", note="β · SiLU(x); β = 1 gives SiLU"),),
    source="Alcaide (2018): β·x·σ(x) with 1 <= β <= 2; β = 1.375 is the value reported for the wide residual "
    "networks. The survey §4.4.4 prints the same.",
    notes="Not the 'exponential swish' e^{-x}σ(x) of the survey §3.3.8, which some code also calls ESwish.",
)
def eswish(x: Tensor, beta: Any = 1.375) -> Tensor:
    """E-swish(x) = β x σ(x)."""
    return F.silu(x) * beta


@activation(
    "gish",
    family="self_gated",
    latex=r"x \ln\left(2 - e^{-e^{x}}\right)",
    text="x * log(2 - exp(-exp(x)))",
    citation=KAYTAN_2023,
    names=("Gish",),
    survey=("Gish",),
    source="Kaytan, Aydilek & Yeroğlu (2023): x·ln(2 − exp(−eˣ)); the survey §3.3.10 prints the same.",
    notes="Evaluated as x·log1p(-expm1(-e^x)) with e^x taken at min(x, 20) (where the gate is exactly ln 2).",
)
def gish(x: Tensor) -> Tensor:
    """Gish(x) = x ln(2 - exp(-e^x))."""
    return x * torch.log1p(-torch.expm1(-torch.exp(torch.clamp(x, max=20.0))))


@activation(
    "phish",
    family="self_gated",
    latex=r"x \tanh(\mathrm{GELU}(x))",
    text="x * tanh(0.5 * x * (1 + erf(x / sqrt(2))))",
    citation=NAVEEN_2022,
    names=("Phish",),
    survey=("Phish",),
    source="Naveen (2022): x·tanh(GELU(x)); the survey §3.3.16 prints the same.",
    notes="GELU taken in its exact erf form.",
)
def phish(x: Tensor) -> Tensor:
    """Phish(x) = x tanh(GELU(x))."""
    xc = torch.clamp(x, min=-40.0)  # GELU(x) = -0 below -40 in every dtype; avoids x·x·0 in backward
    return x * torch.tanh(xc * ndtr(xc))


@activation(
    "sgelu",
    family="self_gated",
    latex=r"\alpha x \operatorname{erf}(x / \sqrt{2})",
    text="alpha * x * erf(x / sqrt(2))",
    citation=YU_SU_2019,
    params=(Param("alpha", 0.1, "output scale (fixed hyperparameter)", **_POS),),
    names=("SGELU", "symmetrical Gaussian error linear unit"),
    survey=("SGELU",),
    relations=(Relation("related", "gelu", note="α·x·erf(x/√2) = α(2·GELU(x) − x), an even function"),),
    source="Yu & Su (2019): α·x·erf(x/√2) with a hyperparameter α; α = 0.1 is the value of the paper's MNIST "
    "experiments (a review of the paper reports the same). The survey §3.3.2 prints the same form.",
    notes="Symmetrical GELU, an even function. The peer package uses α = 1; the paper fixes no general "
    "default.",
)
def sgelu(x: Tensor, alpha: Any = 0.1) -> Tensor:
    """SGELU(x) = α x erf(x/√2)."""
    return x * torch.erf(x * SQRT1_2) * alpha


@activation(
    "calu",
    family="self_gated",
    latex=r"x \left(\tfrac{\arctan x}{\pi} + \tfrac12\right)",
    text="x * (atan(x)/pi + 1/2)",
    citation=KUNC_KLEMA_2024,
    names=("CaLU", "Cauchy linear unit"),
    survey=("CaLU",),
    relations=(special_case_of("xatlu", alpha=0.0),),
    source="Survey §3.3.3: x·Φ_Cauchy(x) = x(arctan(x)/π + 1/2); the original source is not accessible here.",
    notes="Cauchy linear unit: x times the standard Cauchy CDF. Same function as xatlu with α = 0 (ATLU).",
)
def calu(x: Tensor) -> Tensor:
    """CaLU(x) = x (arctan(x)/π + 1/2)."""
    return x * _cauchy_cdf(x)


@activation(
    "lalu",
    family="self_gated",
    latex=r"x \begin{cases} 1 - \tfrac12 e^{-x} & x \ge 0 \\ \tfrac12 e^{x} & x < 0 \end{cases}",
    text="x * (1 - exp(-x)/2 if x >= 0 else exp(x)/2)",
    citation=KUNC_KLEMA_2024,
    names=("LaLU", "Laplace linear unit"),
    survey=("LaLU",),
    source="Survey §3.3.4: x·Φ_Laplace(x) with the standard Laplace CDF; the original source is not "
    "accessible "
    "here.",
    notes="Laplace linear unit: x times the standard Laplace CDF. Continuously differentiable.",
)
def lalu(x: Tensor) -> Tensor:
    """LaLU(x) = x Φ_Laplace(x)."""
    e = torch.exp(-x.abs())
    return x * torch.where(x >= 0, 1.0 - 0.5 * e, 0.5 * e)


@activation(
    "colu",
    family="self_gated",
    latex=r"\frac{x}{1 - x e^{-(x + e^x)}}",
    text="x / (1 - x * exp(-(x + exp(x))))",
    citation=VAGERWAL_2021,
    names=("CoLU", "collapsing linear unit"),
    survey=("CoLU",),
    source="Vagerwal (2021): x/(1 − x e^{−(x + eˣ)}); the survey §3.3.5 prints the same.",
    notes="Collapsing linear unit. For x < 0 evaluated as x·v/(v - x) with v = exp(x + e^x) (the same "
    "function multiplied through by v), which does not overflow in the left tail.",
)
def colu(x: Tensor) -> Tensor:
    """CoLU(x) = x / (1 - x e^{-(x + e^x)})."""
    # branch-safe arguments selected with the outer condition (a clamp would pass no gradient at 0)
    xp = torch.where(x >= 0, x, 0.0)
    xn = torch.where(x >= 0, 0.0, x)
    # x e^{-(x + e^x)} for x >= 0 (at most 0.06; exactly 0 from x = 40 on, where x is clamped)
    xq = torch.clamp(xp, max=40.0)
    t = xq * torch.exp(-xq - torch.exp(xq))
    v = torch.exp(xn + torch.exp(xn))  # e^{x + e^x} for x < 0, <= e
    return torch.where(x >= 0, xp / (1.0 - t), xn * v / (v - xn))


@activation(
    "elish",
    family="self_gated",
    latex=r"\begin{cases} x\,\sigma(x) & x \ge 0 \\ (e^x - 1)\,\sigma(x) & x < 0 \end{cases}",
    text="sigmoid(x) * (max(x, 0) + min(exp(x) - 1, 0))",
    citation=BASIRAT_ROTH_2018,
    names=("ELiSH", "exponential linear sigmoid squashing"),
    survey=("ELiSH",),
    relations=(Relation("related", "silu", note="SiLU for x >= 0, (eˣ − 1)σ(x) below"),),
    source="Basirat & Roth (2018): x·σ(x) for x >= 0 and (eˣ − 1)·σ(x) for x < 0; the survey §3.7.17 prints "
    "the "
    "same.",
    notes="Exponential linear sigmoid squashing; continuously differentiable at 0 (slope 1/2 on both sides).",
)
def elish(x: Tensor) -> Tensor:
    """ELiSH(x) = x σ(x) for x >= 0, (e^x - 1) σ(x) for x < 0."""
    s = torch.sigmoid(x)
    return torch.where(x >= 0, x * s, expm1(torch.clamp(x, max=0.0)) * s)


@activation(
    "hard_elish",
    family="self_gated",
    latex=r"\begin{cases} x\, h(x) & x \ge 0 \\ (e^x - 1)\, h(x) & x < 0 \end{cases},\ "
    r"h(x) = \max(0, \min(1, (x + 1)/2))",
    text="(max(x, 0) + min(exp(x) - 1, 0)) * min(max((x + 1) / 2, 0), 1)",
    citation=BASIRAT_ROTH_2018,
    aliases=("hardelish",),
    names=("HardELiSH", "hard ELiSH"),
    survey=("HardELiSH",),
    relations=(Relation("related", "elish", note="ELiSH with the hard sigmoid clip((x + 1)/2, 0, 1)"),),
    kinks=lambda p: (-1.0, 1.0),
    source="Basirat & Roth (2018): ELiSH with the hard sigmoid max(0, min(1, (x + 1)/2)); the survey §3.7.18 "
    "prints the same.",
    notes="Not differentiable at x = ±1; autograd there follows torch.clamp (gradient of the clipped term "
    "included at the boundary). The peer package's hard ELiSH is positive for x < 0 (it is not this "
    "function).",
)
def hard_elish(x: Tensor) -> Tensor:
    """HardELiSH(x) = x h(x) (x >= 0), (e^x - 1) h(x) (x < 0), h = clip((x+1)/2, 0, 1)."""
    h = torch.clamp((x + 1.0) * 0.5, 0.0, 1.0)
    return torch.where(x >= 0, x * h, expm1(torch.clamp(x, max=0.0)) * h)
