"""Rectified units: ReLU and its piecewise-linear and power relatives.

Every function accepts its float parameters as Python numbers or as tensors that broadcast
against ``x`` (the learnable modules pass ``nn.Parameter``s); gradients then flow to them too.
Conventions at kinks follow PyTorch: ``relu'(0) = 0``, ``leaky_relu'(0) = slope``, clipping
functions have derivative 0 at their clip points.

Survey rows (Kunc & Kléma 2024, §3.6) covered here: ReLU, LReLU, NLReLU, BReLU (=ReLUN), HardTanh,
TRec, vReLU, RePU; further ReLU-family rows of §3.6 are in :mod:`actlab.catalog.relu_variants`.
"""

from __future__ import annotations

from numbers import Real
from typing import Any

import torch

from actlab.catalog.citations import NAIR_HINTON_2010, TORCH7_2011
from actlab.catalog.registry import activation
from actlab.catalog.spec import Citation, Param, Relation, equal_to, special_case_of

Tensor = torch.Tensor
F = torch.nn.functional

WIDROW_HOFF_1960 = Citation(
    authors="Widrow, B. and Hoff, M. E.",
    title="Adaptive Switching Circuits",
    year=1960,
    url="https://www-isl.stanford.edu/~widrow/papers/c1960adaptiveswitching.pdf",
    venue="IRE WESCON Convention Record",
)
KRIZHEVSKY_2010 = Citation(
    authors="Krizhevsky, A.",
    title="Convolutional Deep Belief Networks on CIFAR-10",
    year=2010,
    url="https://www.cs.toronto.edu/~kriz/conv-cifar10-aug2010.pdf",
    venue="Unpublished manuscript",
)
MAAS_2013 = Citation(
    authors="Maas, A. L. and Hannun, A. Y. and Ng, A. Y.",
    title="Rectifier Nonlinearities Improve Neural Network Acoustic Models",
    year=2013,
    url="https://ai.stanford.edu/~amaas/papers/relu_hybrid_icml2013_final.pdf",
    venue="ICML Workshop on Deep Learning for Audio, Speech and Language Processing",
)
HE_2015 = Citation(
    authors="He, K. and Zhang, X. and Ren, S. and Sun, J.",
    title="Delving Deep into Rectifiers: Surpassing Human-Level Performance on ImageNet Classification",
    year=2015,
    arxiv="1502.01852",
    venue="ICCV",
)
XU_2015 = Citation(
    authors="Xu, B. and Wang, N. and Chen, T. and Li, M.",
    title="Empirical Evaluation of Rectified Activations in Convolutional Network",
    year=2015,
    arxiv="1505.00853",
)
COLLOBERT_2004 = Citation(
    authors="Collobert, R.",
    title="Large Scale Machine Learning",
    year=2004,
    url="https://ronan.collobert.com/pub/matos/2004_phdthesis_lip6.pdf",
    venue="PhD thesis, Université Paris VI",
)
KIMHI_2024 = Citation(
    authors="Kimhi, M. and Kashani, I. and Mendelson, A. and Baskin, C.",
    title="Hysteresis Activation Function for Efficient Inference",
    year=2024,
    arxiv="2411.10573",
    venue="NeurIPS 2024 Workshop (PMLR 262)",
)
SO_2021 = Citation(
    authors="So, D. R. and Mańke, W. and Liu, H. and Dai, Z. and Shazeer, N. and Le, Q. V.",
    title="Primer: Searching for Efficient Transformers for Language Modeling",
    year=2021,
    arxiv="2109.08668",
    venue="NeurIPS",
)
SUN_2024 = Citation(
    authors="Sun, H. and Wu, Z. and Xia, B. and Chang, P. and Dong, Z. and Yuan, Y. and Chang, Y. "
    "and Wang, X.",
    title="Entropy-based Activation Function Optimization: A Method on Searching Better Activation "
    "Functions",
    year=2024,
    arxiv="2405.12954",
    venue="ICLR 2025",
)
LIEW_2016 = Citation(
    authors="Liew, S. S. and Khalil-Hani, M. and Bakhteri, R.",
    title="Bounded activation functions for enhanced training stability of deep neural networks on "
    "visual pattern recognition problems",
    year=2016,
    url="https://doi.org/10.1016/j.neucom.2016.08.037",
    venue="Neurocomputing 216",
)
KONDA_2014 = Citation(
    authors="Konda, K. and Memisevic, R. and Krueger, D.",
    title="Zero-bias autoencoders and the benefits of co-adapting features",
    year=2014,
    arxiv="1402.3337",
    venue="ICLR 2015",
)
JIN_2015 = Citation(
    authors="Jin, X. and Xu, C. and Feng, J. and Wei, Y. and Xiong, J. and Yan, S.",
    title="Deep Learning with S-shaped Rectified Linear Activation Units",
    year=2015,
    arxiv="1512.07030",
    venue="AAAI 2016",
)
YU_2022 = Citation(
    authors="Yu, W. and Si, C. and Zhou, P. and Luo, M. and Zhou, Y. and Feng, J. and Yan, S. and Wang, X.",
    title="MetaFormer Baselines for Vision",
    year=2022,
    arxiv="2210.13452",
)
LI_TANG_YU_2019 = Citation(
    authors="Li, B. and Tang, S. and Yu, H.",
    title="Better Approximations of High Dimensional Smooth Functions by Deep Neural Networks with "
    "Rectified Power Units",
    year=2019,
    arxiv="1903.05858",
    venue="Communications in Computational Physics",
)
LIU_2019 = Citation(
    authors="Liu, Y. and Zhang, J. and Gao, C. and Qu, J. and Ji, L.",
    title="Natural-Logarithm-Rectified Activation Function in Convolutional Neural Networks",
    year=2019,
    arxiv="1908.03682",
)
JARRETT_2009 = Citation(
    authors="Jarrett, K. and Kavukcuoglu, K. and Ranzato, M. and LeCun, Y.",
    title="What is the Best Multi-Stage Architecture for Object Recognition?",
    year=2009,
    url="http://yann.lecun.com/exdb/publis/pdf/jarrett-iccv-09.pdf",
    venue="ICCV",
)


def _numbers(*values: Any) -> bool:
    """True when every value is a plain number (not a learnable tensor): checks can run."""
    return all(isinstance(v, Real) for v in values)


def _clip(x: Tensor, lo: Any, hi: Any) -> Tensor:
    """``min(max(x, lo), hi)`` with derivative 1 strictly inside ``(lo, hi)`` and 0 at and beyond
    the clip points (PyTorch's ``hardtanh`` convention); NaN passes through."""
    return torch.where(x <= lo, lo, torch.where(x >= hi, hi, x))


def _leaky(x: Tensor, slope: Any) -> Tensor:
    """``x`` for ``x > 0``, ``slope * x`` otherwise; derivative ``slope`` at 0 (as PyTorch)."""
    return torch.where(x > 0, x, x * slope)


@activation(
    "relu",
    family="rectified",
    latex=r"\max(0, x)",
    text="max(0, x)",
    citation=NAIR_HINTON_2010,
    names=("ReLU", "rectified linear unit"),
    survey=("ReLU",),
    relations=(
        special_case_of("threshold", threshold=0.0, value=0.0),
        special_case_of("leaky_relu", negative_slope=0.0),
    ),
    grad_mask=lambda x: x > 0,
    grad_mask_values=lambda p: (0.0, 1.0),
    kinks=lambda p: (0.0,),
    torch_ref=lambda x: F.relu(x),
    source="max(0, x) as in Nair & Hinton (2010), the noise-free form of their noisy rectified units; the "
    "survey (§3.6) prints the same.",
    notes="Derivative at 0 taken as 0, as in PyTorch. The same function as threshold(0, 0), leaky_relu(0) "
    "and repu(p=1).",
)
def relu(x: Tensor) -> Tensor:
    r"""Rectified linear unit :math:`\max(0, x)`."""
    return torch.relu(x)


@activation(
    "identity",
    family="rectified",
    latex="x",
    text="x",
    citation=WIDROW_HOFF_1960,
    aliases=("linear",),
    names=("identity function", "linear activation"),
    relations=(special_case_of("leaky_relu", negative_slope=1.0),),
    source="The linear unit f(x) = x of ADALINE (Widrow & Hoff 1960); no parameters.",
    notes="The reference point for init gains (gain 1). Returns a new tensor, never the input itself.",
)
def identity(x: Tensor) -> Tensor:
    r""":math:`f(x) = x`."""
    return x.clone()


@activation(
    "relu6",
    family="rectified",
    latex=r"\min(\max(0, x), 6)",
    text="min(max(0, x), 6)",
    citation=KRIZHEVSKY_2010,
    names=("ReLU6", "ReLU-6"),
    relations=(special_case_of("relun", n=6.0), special_case_of("hardtanh", min_val=0.0, max_val=6.0)),
    grad_mask=lambda x: (x > 0) & (x < 6),
    grad_mask_values=lambda p: (0.0, 1.0),
    kinks=lambda p: (0.0, 6.0),
    torch_ref=lambda x: F.relu6(x),
    source="min(max(0, x), 6) from Krizhevsky (2010), rectified units capped at 6; torch.nn.ReLU6 computes "
    "the same.",
    notes="Derivative 0 at x = 0 and x = 6 (PyTorch's hardtanh convention). It is relun(n=6).",
)
def relu6(x: Tensor) -> Tensor:
    r""":math:`\min(\max(0, x), 6)`."""
    return _clip(x, 0.0, 6.0)


@activation(
    "leaky_relu",
    family="rectified",
    latex=r"\max(0, x) + s \min(0, x)",
    text="max(x, negative_slope*x)",
    citation=MAAS_2013,
    params=(Param("negative_slope", 0.01, "slope s for x < 0", low=0.0, high=1.0),),
    aliases=("lrelu",),
    names=("LReLU", "Leaky ReLU", "LeakyReLU"),
    survey=("LReLU",),
    grad_mask=lambda x, negative_slope=0.01: x > 0,
    grad_mask_values=lambda p: (p["negative_slope"], 1.0),
    kinks=lambda p: (0.0,),
    torch_ref=lambda x, negative_slope=0.01: F.leaky_relu(x, negative_slope),
    source="Maas et al. (2013): x for x > 0, 0.01 x otherwise (slope 0.01 as in the paper). The "
    "survey (§3.6.2) writes the negative branch as z/a with a = 100: the same function.",
    notes="Derivative at 0 taken as the negative slope, as in PyTorch. Slopes up to 1 (so that "
    "max(x, s x) holds); slope 1/3 is the preset vlrelu.",
)
def leaky_relu(x: Tensor, negative_slope: Any = 0.01) -> Tensor:
    r""":math:`x` for :math:`x > 0`, :math:`s x` otherwise."""
    return _leaky(x, negative_slope)


@activation(
    "prelu",
    family="rectified",
    latex=r"\max(0, x) + a \min(0, x)",
    text="max(0, x) + a*min(0, x)",
    citation=HE_2015,
    params=(Param("a", 0.25, "learnable slope for x < 0 (initial value 0.25)", trainable=True),),
    names=("PReLU", "parametric ReLU"),
    survey=("PReLU",),
    relations=(special_case_of("leaky_relu", negative_slope=0.25),),
    grad_mask=lambda x, a=0.25: x > 0,
    grad_mask_values=lambda p: (p["a"], 1.0),
    kinks=lambda p: (0.0,),
    torch_ref=lambda x, a=0.25: F.prelu(x, torch.tensor([a], dtype=x.dtype)),
    source="He et al. (2015), Eq. 1 (f(y) = max(0, y) + a min(0, y)) with a learned and initialised to "
    "0.25; torch.nn.PReLU uses the same initial value.",
    notes="Same function as leaky_relu with a learnable slope a. One shared a by default; per-channel "
    "slopes are a module option. The slope is unbounded (the paper does not constrain it). Derivative "
    "at 0 taken as a, as in PyTorch.",
)
def prelu(x: Tensor, a: Any = 0.25) -> Tensor:
    r""":math:`x` for :math:`x > 0`, :math:`a x` otherwise (:math:`a` learnable)."""
    return _leaky(x, a)


def _rrelu_slope(lower: Any, upper: Any) -> Any:
    if _numbers(lower, upper) and lower > upper:
        raise ValueError(f"rrelu: parameter 'lower' must be <= 'upper', got lower={lower}, upper={upper}")
    return (lower + upper) / 2


@activation(
    "rrelu",
    family="rectified",
    latex=r"x \text{ if } x > 0 \text{ else } \tfrac{l + u}{2} x",
    text="max(0, x) + (lower + upper)/2*min(0, x)",
    citation=XU_2015,
    names=("RReLU", "randomized leaky ReLU"),
    survey=("RReLU",),
    params=(
        Param("lower", 1 / 8, "lower bound l of the random slope", low=0.0, high=1.0),
        Param("upper", 1 / 3, "upper bound u of the random slope", low=0.0, high=1.0),
    ),
    relations=(special_case_of("leaky_relu", negative_slope=(1 / 8 + 1 / 3) / 2),),
    module="actlab.nn.stochastic_units:rrelu_module",
    grad_mask=lambda x, lower=1 / 8, upper=1 / 3: x > 0,
    grad_mask_values=lambda p: ((p["lower"] + p["upper"]) / 2, 1.0),
    kinks=lambda p: (0.0,),
    torch_ref=lambda x, lower=1 / 8, upper=1 / 3: F.rrelu(x, lower, upper, training=False),
    source="Xu et al. (2015): slope drawn from a uniform law in training, its mean at test time; "
    "bounds l = 1/8, u = 1/3 and the mean slope (l + u)/2 as torch.nn.RReLU.",
    notes="Randomized leaky ReLU. In training the slope for x < 0 is drawn from U(lower, upper) per "
    "element; this functional form is the evaluation mode, slope (lower + upper)/2, as "
    "torch.nn.functional.rrelu(training=False). (Xu et al. draw the divisor 1/a ~ U(3, 8) and test "
    "with the mean divisor; PyTorch averages the slope instead: we follow PyTorch.) The random "
    "training mode belongs to the module: actlab.get('rrelu') draws the slope in training (seeded "
    "generator, seed=...) and is this function in eval mode. Requires lower <= upper.",
)
def rrelu(x: Tensor, lower: Any = 1 / 8, upper: Any = 1 / 3) -> Tensor:
    r"""Evaluation-mode RReLU: :math:`x` for :math:`x > 0`, :math:`\frac{l+u}{2} x` otherwise."""
    return _leaky(x, _rrelu_slope(lower, upper))


def _check_order(name: str, lo_name: str, lo: Any, hi_name: str, hi: Any) -> None:
    if _numbers(lo, hi) and not lo < hi:
        raise ValueError(f"{name}: parameter {lo_name!r} must be < {hi_name!r}, got {lo} and {hi}")


@activation(
    "hardtanh",
    family="rectified",
    latex=r"\min(\max(x, a), b)",
    text="min(max(x, min_val), max_val)",
    citation=COLLOBERT_2004,
    params=(
        Param("min_val", -1.0, "lower clip value a"),
        Param("max_val", 1.0, "upper clip value b"),
    ),
    names=("HardTanh", "hard tanh"),
    survey=("HardTanh",),
    grad_mask=lambda x, min_val=-1.0, max_val=1.0: (x > min_val) & (x < max_val),
    grad_mask_values=lambda p: (0.0, 1.0),
    kinks=lambda p: (p["min_val"], p["max_val"]),
    torch_ref=lambda x, min_val=-1.0, max_val=1.0: F.hardtanh(x, min_val, max_val),
    source="Collobert (2004), the 'HardTanh' clip of x to [-1, 1]; the survey (§3.6.18) gives the "
    "general clip to [a, b], as torch.nn.Hardtanh(min_val, max_val).",
    notes="Derivative 0 at the clip points, as in PyTorch. Requires min_val < max_val.",
)
def hardtanh(x: Tensor, min_val: Any = -1.0, max_val: Any = 1.0) -> Tensor:
    r""":math:`\min(\max(x, a), b)`."""
    _check_order("hardtanh", "min_val", min_val, "max_val", max_val)
    return _clip(x, min_val, max_val)


@activation(
    "threshold",
    family="rectified",
    latex=r"x \text{ if } x > \theta \text{ else } v",
    text="x if x > threshold else value",
    citation=TORCH7_2011,
    params=(
        Param("threshold", 0.0, "threshold θ"),
        Param("value", 0.0, "output v at and below the threshold"),
    ),
    names=("Threshold",),
    grad_mask=lambda x, threshold=0.0, value=0.0: x > threshold,
    grad_mask_values=lambda p: (0.0, 1.0),
    kinks=lambda p: (p["threshold"],),
    torch_ref=lambda x, threshold=0.0, value=0.0: F.threshold(x, threshold, value),
    source="torch.nn.Threshold (from Torch7's nn.Threshold): x if x > threshold else value.",
    notes="torch.nn.Threshold has no default parameters: the defaults here, threshold = 0 and value = 0, "
    "make it ReLU. Discontinuous at the threshold unless value = threshold. Special cases: trec "
    "(value 0), displaced_relu and shifted_relu (value = threshold = -a).",
)
def threshold(x: Tensor, threshold: Any = 0.0, value: Any = 0.0) -> Tensor:
    r""":math:`x` if :math:`x > \theta`, else :math:`v`."""
    return torch.where(x <= threshold, value, x)


@activation(
    "helu",
    family="rectified",
    latex=r"\max(0, x)",
    text="max(0, x)",
    citation=KIMHI_2024,
    params=(
        Param(
            "alpha",
            0.05,
            "width of the backward hysteresis window; the forward does not use it",
            low=0.0,
        ),
    ),
    names=("HeLU", "hysteresis ReLU"),
    relations=(equal_to("relu", note="in the forward pass; the HeLU module's backward differs"),),
    grad_mask=lambda x, alpha=0.05: x > 0,
    grad_mask_values=lambda p: (0.0, 1.0),
    kinks=lambda p: (0.0,),
    module="actlab.nn.helu:helu_module",
    source="Official code (github idankdev/helu, helu.py): forward max(0, x), backward passes the "
    "gradient where x > -alpha; alpha = 0.05 is the code's default (paper arXiv 2411.10573).",
    notes="Hysteresis ReLU: the forward is exactly ReLU. The surrogate backward of the paper (gradient 1 "
    "on (-alpha, inf), 0 elsewhere) is implemented by the HeLU module (actlab.get('helu')); this "
    "functional form and its grad_mask give the true derivative of the forward, i.e. ReLU's.",
)
def helu(x: Tensor, alpha: Any = 0.05) -> Tensor:
    r"""HeLU forward, identical to ReLU: :math:`\max(0, x)`."""
    return torch.relu(x)


@activation(
    "relu2",
    family="rectified",
    latex=r"\max(0, x)^2",
    text="max(0, x)^2",
    citation=SO_2021,
    aliases=("squared_relu", "requ"),
    names=("squared ReLU", "ReQU", "rectified quadratic unit"),
    relations=(special_case_of("repu", p=2),),
    source="Primer (So et al. 2021): squared ReLU max(0, x)^2; the survey (§3.6.39) lists it as "
    "RePU with a = 2 (ReQU).",
    notes="Continuously differentiable (derivative 2 max(0, x)). The same function as repu(p=2) (ReQU).",
)
def relu2(x: Tensor) -> Tensor:
    r""":math:`\max(0, x)^2`."""
    return torch.relu(x).square()


@activation(
    "crrelu",
    family="rectified",
    latex=r"\max(0, x) + \varepsilon\, x\, e^{-x^2/2}",
    text="max(0, x) + eps*x*exp(-x^2/2)",
    citation=SUN_2024,
    params=(Param("eps", 0.01, "learnable correction weight ε (initial value 0.01)", trainable=True),),
    names=("CRReLU", "correction regularized ReLU"),
    relations=(Relation("related", "relu", note="eps = 0 gives ReLU"),),
    kinks=lambda p: (0.0,),
    source="Formula and initial eps = 0.01 from two identical third-party implementations and the ICLR "
    "2025 reviews of arXiv 2405.12954 (no official code found).",
    notes="Correction Regularized ReLU; ε is learnable. Derivative at 0 taken as ε (ReLU's part 0, as in "
    "PyTorch).",
)
def crrelu(x: Tensor, eps: Any = 0.01) -> Tensor:
    r""":math:`\max(0, x) + \varepsilon x e^{-x^2/2}`."""
    return torch.relu(x) + eps * x * torch.exp(-0.5 * (x * x))


@activation(
    "relun",
    family="rectified",
    latex=r"\min(\max(0, x), n)",
    text="min(max(0, x), n)",
    citation=LIEW_2016,
    params=(Param("n", 1.0, "upper bound n", low=0.0, low_inclusive=False),),
    aliases=("brelu", "bounded_relu"),
    names=("BReLU", "ReLUN", "ReLU-N", "bounded ReLU"),
    survey=("BReLU (=ReLUN)",),
    grad_mask=lambda x, n=1.0: (x > 0) & (x < n),
    grad_mask_values=lambda p: (0.0, 1.0),
    kinks=lambda p: (0.0, p["n"]),
    source="Bounded ReLU min(max(0, x), n) of Liew et al. (2016); the survey (§3.6.16) notes "
    "ReLUN is the same function, proposed later independently.",
    notes="The bound is a hyperparameter in Liew et al.; the default n = 1 here is our choice (n = 6 is "
    "relu6). Derivative 0 at 0 and at n, as PyTorch's hardtanh.",
)
def relun(x: Tensor, n: Any = 1.0) -> Tensor:
    r""":math:`\min(\max(0, x), n)`."""
    return _clip(x, 0.0, n)


@activation(
    "trec",
    family="rectified",
    latex=r"x \text{ if } x > \theta \text{ else } 0",
    text="x if x > theta else 0",
    citation=KONDA_2014,
    params=(Param("theta", 1.0, "threshold θ", low=0.0),),
    names=("TRec", "truncated rectified", "thresholded linear unit"),
    survey=("TRec",),
    relations=(special_case_of("threshold", threshold=1.0, value=0.0),),
    grad_mask=lambda x, theta=1.0: x > theta,
    grad_mask_values=lambda p: (0.0, 1.0),
    kinks=lambda p: (p["theta"],),
    source="Konda et al. (2014): x if x > θ else 0, with θ = 1 in most experiments; the survey "
    "(§3.6.21) prints the same.",
    notes="Truncated rectified (thresholded linear) unit of zero-bias autoencoders. Discontinuous at θ; "
    "f(θ) = 0 and derivative 0 there (torch.nn.Threshold's convention). It is threshold(θ, 0).",
)
def trec(x: Tensor, theta: Any = 1.0) -> Tensor:
    r""":math:`x` if :math:`x > \theta`, else 0."""
    return torch.where(x <= theta, 0.0, x)


@activation(
    "s_shaped_relu",
    family="rectified",
    latex=r"t_r + a_r (x - t_r) \;(x \ge t_r);\; x \;(t_l < x < t_r);\; t_l + a_l (x - t_l) \;(x \le t_l)",
    text="t_right + a_right*(x - t_right) if x >= t_right; x if t_left < x < t_right; "
    "t_left + a_left*(x - t_left) if x <= t_left",
    citation=JIN_2015,
    params=(
        Param("t_left", -1.0, "left knot t_l", trainable=True),
        Param("a_left", 0.1, "slope a_l left of t_l", trainable=True),
        Param("t_right", 1.0, "right knot t_r", trainable=True),
        Param("a_right", 0.1, "slope a_r right of t_r", trainable=True),
    ),
    names=("SReLU", "S-shaped ReLU", "S-shaped rectified linear activation unit"),
    survey=("SReLU",),
    kinks=lambda p: (p["t_left"], p["t_right"]),
    source="Jin et al. (2015): three linear pieces with knots t_l, t_r and outer slopes a_l, a_r, "
    "all learned per channel; the survey (§4.33) prints the same.",
    notes="S-shaped ReLU (canonical name s_shaped_relu; 'SReLU' also names the shifted ReLU, so "
    "actlab.get('SReLU') asks which). The paper initialises by 'freezing' to a leaky ReLU for the first "
    "epochs; the defaults here (t_l = -1, a_l = 0.1, t_r = 1, a_r = 0.1) are illustrative, not from the "
    "paper. Requires t_left < t_right. At a knot the derivative is the outer slope.",
)
def s_shaped_relu(
    x: Tensor, t_left: Any = -1.0, a_left: Any = 0.1, t_right: Any = 1.0, a_right: Any = 0.1
) -> Tensor:
    r"""S-shaped ReLU: identity between the knots, slopes :math:`a_l, a_r` outside."""
    _check_order("s_shaped_relu", "t_left", t_left, "t_right", t_right)
    right = t_right + a_right * (x - t_right)
    left = t_left + a_left * (x - t_left)
    return torch.where(x >= t_right, right, torch.where(x <= t_left, left, x))


@activation(
    "starrelu",
    family="rectified",
    latex=r"s \max(0, x)^2 + b",
    text="scale*max(0, x)^2 + bias",
    citation=YU_2022,
    params=(
        Param("scale", 0.8944, "learnable scale s", trainable=True),
        Param("bias", -0.4472, "learnable bias b", trainable=True),
    ),
    names=("StarReLU",),
    survey=("StarReLU",),
    relations=(Relation("affine_of", "relu2", note="scale * relu2(x) + bias"),),
    source="Yu et al. (2022): StarReLU s relu(x)^2 + b with s = 0.8944, b = -0.4472; the official module "
    "learns both scalars.",
    notes="StarReLU. s ≈ 2/√5 and b ≈ -1/√5 make the output mean 0 and variance 1 for N(0, 1) inputs; "
    "the official module initialises them to 1 and 0 unless given.",
)
def starrelu(x: Tensor, scale: Any = 0.8944, bias: Any = -0.4472) -> Tensor:
    r""":math:`s \max(0, x)^2 + b`."""
    return torch.relu(x).square() * scale + bias


@activation(
    "repu",
    family="rectified",
    latex=r"\max(0, x)^p",
    text="x^p if x > 0 else 0",
    citation=LI_TANG_YU_2019,
    params=(Param("p", 3, "integer power p (p = 2: ReQU = relu2, p = 3: ReCU)", low=1, kind="int"),),
    names=("RePU", "rectified power unit"),
    survey=("RePU (ReQU, ReCU)",),
    kinks=lambda p: (0.0,) if p["p"] == 1 else (),
    source="Li, Tang & Yu (2019): max(0, x)^s; the survey (§3.6.39) names the cases a = 2 "
    "(ReQU) and a = 3 (ReCU).",
    notes="Rectified power unit. p = 1 is ReLU and p = 2 is relu2 (ReQU); the default p = 3 is ReCU (also "
    "the preset recu), our choice so that the entry differs from relu2. Integer powers only (the "
    "survey's real a, and a = 0 as the step function, are not covered).",
)
def repu(x: Tensor, p: int = 3) -> Tensor:
    r""":math:`\max(0, x)^p`."""
    return torch.relu(x).pow(p)


@activation(
    "nlrelu",
    family="rectified",
    latex=r"\ln(1 + \beta \max(0, x))",
    text="log(1 + beta*max(0, x))",
    citation=LIU_2019,
    params=(Param("beta", 1.0, "scale β inside the logarithm", low=0.0, low_inclusive=False),),
    names=("NLReLU", "natural-logarithm-ReLU", "natural-logarithm-rectified activation"),
    survey=("NLReLU",),
    kinks=lambda p: (0.0,),
    source="Liu et al. (2019): ln(β max(0, x) + 1); β = 1 (the survey, §3.6.12, prints the same form with a "
    "predefined constant).",
    notes="Derivative at 0 taken as 0 (ReLU's convention).",
)
def nlrelu(x: Tensor, beta: Any = 1.0) -> Tensor:
    r""":math:`\ln(1 + \beta \max(0, x))`."""
    return torch.log1p(torch.relu(x) * beta)


@activation(
    "absolute",
    family="rectified",
    latex=r"|x|",
    text="abs(x)",
    citation=JARRETT_2009,
    names=("vReLU", "V-shaped ReLU", "absolute value rectification", "modulus"),
    survey=("vReLU",),
    relations=(special_case_of("prelu", a=-1.0),),
    grad_mask=lambda x: x >= 0,
    grad_mask_values=lambda p: (-1.0, 1.0),
    kinks=lambda p: (0.0,),
    source="Absolute-value rectification |x| of Jarrett et al. (2009); the survey (§3.6.25) "
    "notes vReLU and the 'modulus' activation are the same function.",
    notes="The derivative at 0 is taken as +1 (not torch.abs's 0) so that it takes exactly two values.",
)
def absolute(x: Tensor) -> Tensor:
    r""":math:`|x|`."""
    return torch.where(x < 0, -x, x)
