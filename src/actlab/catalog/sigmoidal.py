"""Sigmoidal activations: bounded (or one-sided bounded), S-shaped functions.

Also home of the small numerical helpers shared by the self-gated and periodic families
(``softplus``, ``ndtr``, scalar-or-tensor ``log``), so each stable form is written once.

Numerics: every function here is evaluated in the dtype of ``x`` (half types are upcast by the
caller) with forms that neither overflow nor produce ``0 * inf``: tails use ``log1p``/``expm1``
or log-space evaluation, and ``torch.where`` branches only ever see clamped arguments so that the
unselected branch cannot inject ``inf``/``NaN`` into the gradient.
"""

from __future__ import annotations

import math
from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor

from actlab.catalog.citations import CARLILE_2017, KUNC_KLEMA_2024
from actlab.catalog.registry import activation
from actlab.catalog.spec import Citation, Param, Relation, special_case_of

SQRT1_2 = 1.0 / math.sqrt(2.0)

# --------------------------------------------------------------------------- helpers


def softplus(x: Tensor) -> Tensor:
    """ln(1 + e^x) without overflow or threshold switch: ``logaddexp(x, 0)``; exact gradient σ(x)."""
    return torch.logaddexp(x, torch.zeros((), dtype=x.dtype, device=x.device))


def ndtr(x: Tensor) -> Tensor:
    """Standard normal CDF Φ(x) = erfc(-x/√2)/2, accurate in the lower tail.

    (``torch.special.ndtr`` and ``0.5 * (1 + erf(x/√2))`` lose all relative accuracy below x ≈ -6.)
    """
    return 0.5 * torch.special.erfc(-x * SQRT1_2)


def log_of(v: Any) -> Any:
    """ln v for a Python number (``-inf`` at 0) or a tensor (learnable parameter)."""
    if isinstance(v, Tensor):
        return torch.log(v)
    return math.log(v) if v > 0 else -math.inf


def neg_expm1_of(v: Any) -> Any:
    """1 - e^{-v} for a Python number or a tensor, accurate for small v."""
    if isinstance(v, Tensor):
        return -torch.expm1(-v)
    return -math.expm1(-v)


def rsqrt_of(v: Any) -> Any:
    """1/√v for a Python number or a tensor."""
    if isinstance(v, Tensor):
        return torch.rsqrt(v)
    return 1.0 / math.sqrt(v)


# --------------------------------------------------------------------------- citations

RUMELHART_1986 = Citation(
    authors="Rumelhart, D. E. and Hinton, G. E. and Williams, R. J.",
    title="Learning representations by back-propagating errors",
    year=1986,
    url="https://doi.org/10.1038/323533a0",
    venue="Nature",
)
LECUN_1998 = Citation(
    authors="LeCun, Y. and Bottou, L. and Orr, G. B. and Müller, K.-R.",
    title="Efficient BackProp",
    year=1998,
    url="http://yann.lecun.com/exdb/publis/pdf/lecun-98b.pdf",
    venue="Neural Networks: Tricks of the Trade",
)
TURIAN_2009 = Citation(
    authors="Turian, J. and Bergstra, J. and Bengio, Y.",
    title="Quadratic Features and Deep Architectures for Chunking",
    year=2009,
    url="https://aclanthology.org/N09-2062/",
    venue="NAACL-HLT",
)
MOBILENETV3 = Citation(
    authors="Howard, A. and Sandler, M. and Chu, G. and Chen, L.-C. and Chen, B. and Tan, M. and others",
    title="Searching for MobileNetV3",
    year=2019,
    arxiv="1905.02244",
    venue="ICCV",
)
APA_2024 = Citation(
    authors="Alexandridis, K. P. and Deng, J. and Nguyen, A. and Luo, S.",
    title="Adaptive Parametric Activation",
    year=2024,
    arxiv="2407.08567",
    venue="ECCV",
)
WURAOLA_2018 = Citation(
    authors="Wuraola, A. and Patel, N.",
    title="SQNL: A New Computationally Efficient Activation Function",
    year=2018,
    url="https://doi.org/10.1109/IJCNN.2018.8489043",
    venue="IJCNN",
)
ELLIOTT_1993 = Citation(
    authors="Elliott, D. L.",
    title="A Better Activation Function for Artificial Neural Networks",
    year=1993,
    url="http://citeseerx.ist.psu.edu/viewdoc/summary?doi=10.1.1.46.7204",
    venue="ISR Technical Report TR 93-8, University of Maryland",
)
KLIMEK_2018 = Citation(
    authors="Klimek, M. D. and Perelstein, M.",
    title="Neural Network-Based Approach to Phase Space Integration",
    year=2018,
    arxiv="1810.11509",
)
XU_2016 = Citation(
    authors="Xu, B. and Huang, R. and Li, M.",
    title="Revise Saturated Activation Functions",
    year=2016,
    arxiv="1602.05980",
)
GOMES_2011 = Citation(
    authors="Gomes, G. S. da S. and Ludermir, T. B. and Lima, L. M. M. R.",
    title="Comparison of new activation functions in neural network for forecasting financial time series",
    year=2011,
    url="https://doi.org/10.1007/s00521-010-0407-3",
    venue="Neural Computing and Applications",
)
ELFWING_2017 = Citation(
    authors="Elfwing, S. and Uchibe, E. and Doya, K.",
    title="Sigmoid-Weighted Linear Units for Neural Network Function Approximation in Reinforcement "
    "Learning",
    year=2017,
    arxiv="1702.03118",
    venue="Neural Networks",
)

_POS = dict(low=0.0, low_inclusive=False)  # (0, inf)


# --------------------------------------------------------------------------- torch.nn


@activation(
    "sigmoid",
    family="sigmoidal",
    latex=r"\sigma(x) = \frac{1}{1 + e^{-x}}",
    text="1 / (1 + exp(-x)) = sigmoid(x)",
    citation=RUMELHART_1986,
    aliases=("logistic",),
    names=("Sigmoid", "logistic sigmoid", "logistic function", "logsig"),
    survey=("logistic sigmoid",),
    relations=(special_case_of("apa", lambd=1.0, kappa=1.0),),
    torch_ref=lambda x: torch.sigmoid(x),
    source="The standard logistic function 1/(1 + e^{-x}) (survey §3.2); cited for its use as the unit "
    "nonlinearity of back-propagation networks (Rumelhart, Hinton & Williams 1986).",
    notes="The logistic function; evaluated with torch's kernel (exact in both tails).",
)
def sigmoid(x: Tensor) -> Tensor:
    """σ(x) = 1 / (1 + e^{-x})."""
    return torch.sigmoid(x)


@activation(
    "tanh",
    family="sigmoidal",
    latex=r"\tanh(x)",
    text="tanh(x)",
    citation=LECUN_1998,
    names=("Tanh", "hyperbolic tangent", "tansig"),
    survey=("tanh",),
    relations=(
        special_case_of("stanh", a=1.0, b=1.0),
        Relation("affine_of", "sigmoid", note="tanh(x) = 2σ(2x) − 1"),
    ),
    torch_ref=lambda x: torch.tanh(x),
    source="The hyperbolic tangent (survey §3.2); cited for LeCun et al.'s case (Efficient BackProp, 1998) "
    "for symmetric sigmoids.",
    notes="See also 'stanh', LeCun's scaled tanh.",
)
def tanh(x: Tensor) -> Tensor:
    """tanh(x) = (e^x - e^{-x}) / (e^x + e^{-x})."""
    return torch.tanh(x)


@activation(
    "softsign",
    family="sigmoidal",
    latex=r"\frac{x}{1 + |x|}",
    text="x / (1 + abs(x))",
    citation=TURIAN_2009,
    names=("Softsign",),
    survey=("softsign",),
    relations=(special_case_of("rootsig_variant_2", a=1.0),),
    torch_ref=lambda x: F.softsign(x),
    source="x/(1 + |x|) as in Turian, Bergstra & Bengio (2009) and the survey §3.2.13.",
)
def softsign(x: Tensor) -> Tensor:
    """x / (1 + |x|)."""
    return x / (1.0 + x.abs())


@activation(
    "hardsigmoid",
    family="sigmoidal",
    latex=r"\min(\max(0, x + 3), 6) / 6",
    text="min(max(x / 6 + 0.5, 0), 1)",
    citation=MOBILENETV3,
    aliases=("hard_sigmoid",),
    names=("HardSigmoid", "h-sigmoid"),
    # the row lists three slopes; the others are linear_hard_sigmoid (1/2) and hard_sigmoid_keras (0.2)
    survey=("hard sigmoid",),
    grad_mask=lambda x: (x > -3.0) & (x < 3.0),
    grad_mask_values=lambda p: (0.0, 1.0 / 6.0),
    kinks=lambda p: (-3.0, 3.0),
    torch_ref=lambda x: F.relu6(x + 3.0) / 6.0,
    source="relu6(x + 3)/6, the h-sigmoid of MobileNetV3 (Howard et al. 2019) and torch.nn.Hardsigmoid.",
    notes="PyTorch's form (slope 1/6). The survey's hard-sigmoid row (§3.6.17) names the family and prints "
    "two other slopes, 1/2 (clip((x + 1)/2): linear_hard_sigmoid) and 0.2 (Keras: hard_sigmoid_keras); the "
    "name 'hard sigmoid' resolves to this, the most used form. Derivative 1/6 strictly inside (-3, 3) "
    "and 0 at x = ±3, as torch.nn.Hardsigmoid. Parity "
    "is checked against relu6(x + 3)/6 (the definition in the torch docs) because torch 2.x's F.hardsigmoid "
    "backward uses the float32 constant 1/6 = 0.16666667163... even in float64.",
)
def hardsigmoid(x: Tensor) -> Tensor:
    """relu6(x + 3) / 6."""
    return F.relu6(x + 3.0) / 6.0


@activation(
    "logsigmoid",
    family="sigmoidal",
    latex=r"\log \sigma(x) = -\log(1 + e^{-x})",
    text="log(sigmoid(x)) = -softplus(-x)",
    citation=KUNC_KLEMA_2024,
    aliases=("log_sigmoid",),
    names=("LogSigmoid", "log-sigmoid", "logarithm of the logistic sigmoid"),
    survey=("log-sigmoid",),
    torch_ref=lambda x: F.logsigmoid(x),
    source="Survey §3.3.20: the logarithm of the logistic sigmoid, ln σ(z) (no single original paper).",
    notes="Evaluated with torch's stable kernel (log1p of exp(-|x|)).",
)
def logsigmoid(x: Tensor) -> Tensor:
    """log σ(x) = -ln(1 + e^{-x})."""
    return F.logsigmoid(x)


# --------------------------------------------------------------------------- seeds


def _apa(x: Tensor, lambd: Any, kappa: Any) -> Tensor:
    # (λ e^{-κx} + 1)^{-1/λ} = exp(-ln(1 + e^{ln λ - κx}) / λ) = exp(-softplus(ln λ - κx) / λ)
    return torch.exp(-softplus(log_of(lambd) - kappa * x) / lambd)


@activation(
    "apa",
    family="sigmoidal",
    latex=r"\left(\lambda e^{-\kappa x} + 1\right)^{-1/\lambda}",
    text="exp(-log(1 + lambd * exp(-kappa * x)) / lambd)",
    citation=APA_2024,
    params=(
        Param("lambd", 1.0, "asymmetry; λ = 1 gives σ(κx), λ → 0 the Gompertz gate", trainable=True,
              learn_min=1e-4, **_POS),
        Param("kappa", 1.0, "slope", low=0.0, trainable=True),
    ),
    names=("APA", "Adaptive Parametric Activation"),
    source="Alexandridis et al. (2024), APA(z) = (λe^{-κz} + 1)^{-1/λ}; the official code (kostas1515/AGLU, "
    "also in Ultralytics) learns λ and κ and clamps λ at 1e-4.",
    notes="Adaptive Parametric Activation: λ and κ are learned (initialised uniformly in (0, 1) there); the "
    "catalog "
    "default λ = κ = 1 gives the logistic sigmoid. Computed in log space, exp(-softplus(ln λ - κx)/λ), so no "
    "tail overflows.",
)
def apa(x: Tensor, lambd: Any = 1.0, kappa: Any = 1.0) -> Tensor:
    """APA(x) = (λ e^{-κx} + 1)^{-1/λ}."""
    return _apa(x, lambd, kappa)


# --------------------------------------------------------------------------- survey


@activation(
    "isru",
    family="sigmoidal",
    latex=r"\frac{x}{\sqrt{1 + \alpha x^2}}",
    text="x / sqrt(1 + alpha * x^2)",
    citation=CARLILE_2017,
    params=(Param("alpha", 1.0, "saturation: the output lies in (-1/√α, 1/√α)", **_POS),),
    names=("ISRU", "inverse square root unit"),
    survey=("ISRU",),
    source="Carlile et al. (2017), ISRU(x) = x/√(1 + αx²); α = 1 as in the paper's plots; the survey §3.8.10 "
    "prints the same.",
    notes="Inverse square root unit. Evaluated as c·x/hypot(c, x) with c = 1/√α, which cannot overflow.",
)
def isru(x: Tensor, alpha: Any = 1.0) -> Tensor:
    """ISRU(x) = x / √(1 + αx²)."""
    c = rsqrt_of(alpha)
    ct = c if isinstance(c, Tensor) else torch.tensor(c, dtype=x.dtype, device=x.device)
    return c * x / torch.hypot(ct, x)


@activation(
    "sqnl",
    family="sigmoidal",
    latex=r"\begin{cases} 1 & x > 2 \\ x - x^2/4 & 0 \le x \le 2 \\ x + x^2/4 & -2 \le x < 0 \\ "
    r"-1 & x < -2 \end{cases}",
    text="min(max(x, -2), 2) - min(max(x, -2), 2) * abs(min(max(x, -2), 2)) / 4",
    citation=WURAOLA_2018,
    names=("SQNL", "square nonlinearity"),
    survey=("SQNL",),
    source="Wuraola & Patel (2018): the piecewise quadratic x ∓ x²/4 on [-2, 2], ±1 outside; the survey "
    "§3.8.1 "
    "prints the same.",
    notes="Square nonlinearity; continuously differentiable (derivative 1 - |x|/2 inside [-2, 2], 0 "
    "outside).",
)
def sqnl(x: Tensor) -> Tensor:
    """SQNL(x) = c - c|c|/4, c = clip(x, -2, 2)."""
    c = torch.clamp(x, -2.0, 2.0)
    return c - c * c.abs() / 4.0


@activation(
    "elliott",
    family="sigmoidal",
    latex=r"\frac{1}{2}\,\frac{x}{1 + |x|} + \frac{1}{2}",
    text="0.5 * x / (1 + abs(x)) + 0.5",
    citation=ELLIOTT_1993,
    aliases=("elliott_sigmoid",),
    names=("Elliott", "Elliott sigmoid"),
    survey=("Elliott",),
    relations=(Relation("affine_of", "softsign", note="(softsign(x) + 1)/2"),),
    source="Elliott (1993): x/(2(1 + |x|)) + 1/2, a (0, 1)-valued squashing function; the survey §3.2.15 "
    "prints "
    "the same (a scaled and translated softsign).",
    notes="For x < 0 evaluated as 0.5/(1 - x), which avoids the cancellation of 0.5 + 0.5x/(1+|x|) in the "
    "left "
    "tail.",
)
def elliott(x: Tensor) -> Tensor:
    """Elliott(x) = x / (2(1 + |x|)) + 1/2."""
    xn = torch.where(x < 0, x, 0.0)
    xp = torch.where(x < 0, 0.0, x)  # not clamp: its gradient at the bound 0 is 0
    return torch.where(x < 0, 0.5 / (1.0 - xn), 0.5 + 0.5 * xp / (1.0 + xp))


def _soft_clip_left(x: Tensor, alpha: Any) -> Tensor:
    # SC(x) = (1/α) ln(1 + t), t = (1 - e^{-α}) e^{αx} / (1 + e^{α(x-1)}), written as softplus(ln t);
    # used for x <= 1/2 where t <= e^{α/2}.
    lnt = log_of(neg_expm1_of(alpha)) + alpha * x - softplus(alpha * (x - 1.0))
    return softplus(lnt) / alpha


@activation(
    "soft_clipping",
    family="sigmoidal",
    latex=r"\frac{1}{\alpha} \ln \frac{1 + e^{\alpha x}}{1 + e^{\alpha (x - 1)}}",
    text="(1/alpha) * log((1 + exp(alpha*x)) / (1 + exp(alpha*(x - 1))))",
    citation=KLIMEK_2018,
    aliases=("softclip",),
    params=(Param("alpha", 0.5, "sharpness; α → ∞ gives clip(x, 0, 1)", **_POS),),
    names=("SC", "soft clipping"),
    survey=("SC soft clipping",),
    source="Klimek & Perelstein (2018): (1/α) ln((1 + e^{αx})/(1 + e^{α(x-1)})); the survey §3.2.11 prints "
    "the "
    "same with a fixed a and no value.",
    notes="Output in (0, 1), approximately linear on [0, 1]. The paper gives no single default; 0.5 follows "
    "common implementations (uncertain; the peer package uses 50, close to clip(x, 0, 1)). Uses the symmetry "
    "SC(x) = 1 - SC(1 - x) and a log-space form, so neither tail cancels or overflows.",
)
def soft_clipping(x: Tensor, alpha: Any = 0.5) -> Tensor:
    """SC(x) = (1/α) ln((1 + e^{αx}) / (1 + e^{α(x-1)}))."""
    left = torch.where(x > 0.5, 0.5, x)  # not clamp: its gradient at the bound 0.5 is 0
    right = torch.where(x > 0.5, x, 0.5)
    return torch.where(x > 0.5, 1.0 - _soft_clip_left(1.0 - right, alpha), _soft_clip_left(left, alpha))


@activation(
    "penalized_tanh",
    family="sigmoidal",
    latex=r"\begin{cases} \tanh(x) & x > 0 \\ a \tanh(x) & x \le 0 \end{cases}",
    text="max(tanh(x), a * tanh(x))",
    citation=XU_2016,
    aliases=("ptanh",),
    params=(Param("a", 0.25, "slope factor on the negative side", low=0.0, high=1.0),),
    names=("penalized tanh", "penalized hyperbolic tangent"),
    survey=("ptanh",),
    kinks=lambda p: (0.0,) if p["a"] != 1.0 else (),
    source="Xu, Huang & Li (2016): tanh(x) for x > 0, a·tanh(x) otherwise, with a = 0.25 (their "
    "experiments).",
    notes="The survey (§3.2.9) writes the same function as tanh(z)/a with a > 1 (its a is 1/a here; the peer "
    "package uses 1/a = 2, i.e. a = 0.5). Derivative at 0 taken as a (the x <= 0 branch). The text form "
    "max(tanh x, a tanh x) is exact for a in [0, 1].",
)
def penalized_tanh(x: Tensor, a: Any = 0.25) -> Tensor:
    """tanh(x) for x > 0, a·tanh(x) otherwise."""
    t = torch.tanh(x)
    return torch.where(x > 0, t, a * t)


@activation(
    "stanh",
    family="sigmoidal",
    latex=r"a \tanh(b x)",
    text="a * tanh(b * x)",
    citation=LECUN_1998,
    aliases=("scaled_tanh",),
    params=(
        Param("a", 1.7159, "amplitude", **_POS),
        Param("b", 2.0 / 3.0, "input scale", **_POS),
    ),
    names=("scaled hyperbolic tangent", "LeCun tanh"),
    survey=("stanh",),
    source="LeCun et al. (1998): a·tanh(bx) with a = 1.7159, b = 2/3 (so that f(±1) ≈ ±1); the survey §3.2.3 "
    "prints the same.",
    notes="LeCun's scaled tanh.",
)
def stanh(x: Tensor, a: Any = 1.7159, b: Any = 2.0 / 3.0) -> Tensor:
    """a·tanh(b·x)."""
    return a * torch.tanh(b * x)


@activation(
    "loglog",
    family="sigmoidal",
    latex=r"e^{-e^{-x}}",
    text="exp(-exp(-x))",
    citation=GOMES_2011,
    names=("LogLog", "log-log", "Gumbel CDF"),
    survey=("LogLog",),
    relations=(Relation("limit_of", "apa", note="λ → 0 with κ = 1 (the Gompertz gate)"),),
    source="Gomes, Ludermir & Lima (2011) propose the log-log function e^{-e^{-x}} (the Gumbel CDF) as an "
    "activation; the survey §3.2.20 prints the same.",
    notes="The inner exponent is clamped at 30 (exp(-e^30) is 0 in every dtype), which keeps the gradient "
    "finite "
    "in the left tail.",
)
def loglog(x: Tensor) -> Tensor:
    """exp(-exp(-x))."""
    return torch.exp(-torch.exp(torch.clamp(-x, max=30.0)))


@activation(
    "cloglog",
    family="sigmoidal",
    latex=r"1 - e^{-e^{x}}",
    text="1 - exp(-exp(x))",
    citation=GOMES_2011,
    aliases=("complementary_loglog",),
    names=("cLogLog", "complementary log-log"),
    survey=("cLogLog",),
    relations=(Relation("related", "loglog", note="cloglog(x) = 1 − loglog(−x)"),),
    source="Gomes, Ludermir & Lima (2011): the complementary log-log 1 − exp(−exp(x)), increasing (the "
    "inverse "
    "link of the cloglog model).",
    notes="The peer package and a third-party transcription of the survey print 1 − exp(−exp(−x)), which is "
    "decreasing (it is 1 − loglog(x)); actlab keeps the original orientation of Gomes et al. Evaluated as "
    "-expm1(-exp(x)) (accurate in the left tail); the exponent is clamped at 30 for a finite gradient in the "
    "right tail.",
)
def cloglog(x: Tensor) -> Tensor:
    """1 - exp(-exp(x))."""
    return -torch.expm1(-torch.exp(torch.clamp(x, max=30.0)))


@activation(
    "dsilu",
    family="sigmoidal",
    latex=r"\sigma(x)\,\bigl(1 + x (1 - \sigma(x))\bigr)",
    text="sigmoid(x) * (1 + x * (1 - sigmoid(x)))",
    citation=ELFWING_2017,
    names=("dSiLU", "Derivative of SiLU (dSiLU)", "derivative of sigmoid-weighted linear unit"),
    survey=("dSiLU",),
    relations=(Relation("related", "silu", note="the derivative of SiLU, d/dx [x σ(x)]"),),
    source="Elfwing, Uchibe & Doya (2017), Eq. 3: the derivative of SiLU, σ(x)(1 + x(1 − σ(x))), used as a "
    "sigmoid-like unit; the survey §3.3.21 prints the same.",
    notes="Range ≈ (-0.1, 1.1). 1 - σ(x) is computed as σ(-x) to keep relative accuracy in the right tail. "
    "Not the DoubleSiLU of Verma et al., who also call theirs 'DSiLU' (see 'double_silu').",
)
def dsilu(x: Tensor) -> Tensor:
    """dSiLU(x) = σ(x)(1 + x(1 - σ(x)))."""
    return torch.sigmoid(x) * (1.0 + x * torch.sigmoid(-x))
