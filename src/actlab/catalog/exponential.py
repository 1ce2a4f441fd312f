"""ELU-like units: linear for x > 0, a saturating (exponential or algebraic) branch for x < 0.

The negative branches are evaluated on ``where(selected, x, 0)`` (so the unused branch never
overflows and gradients stay finite, while the selected branch gets the full derivative; ``clamp``
would give 0 or 1/2 at its bound) with ``expm1`` for accuracy near 0. Float parameters may be tensors.

Survey rows (Kunc & Kléma 2024) covered here: ELU, REU (§3.6), SELU, SERLU (§3.7), ISRLU (§3.8), PELU,
CELU (§4.2); the further ELU-like rows of §3.7 are in :mod:`actlab.catalog.elu_variants`.
"""

from __future__ import annotations

from typing import Any

import torch

from actlab.catalog.citations import CARLILE_2017
from actlab.catalog.registry import activation
from actlab.catalog.spec import Citation, Param, equal_to, special_case_of

Tensor = torch.Tensor
F = torch.nn.functional

CLEVERT_2015 = Citation(
    authors="Clevert, D.-A. and Unterthiner, T. and Hochreiter, S.",
    title="Fast and Accurate Deep Network Learning by Exponential Linear Units (ELUs)",
    year=2015,
    arxiv="1511.07289",
    venue="ICLR 2016",
)
BARRON_2017 = Citation(
    authors="Barron, J. T.",
    title="Continuously Differentiable Exponential Linear Units",
    year=2017,
    arxiv="1704.07483",
)
KLAMBAUER_2017 = Citation(
    authors="Klambauer, G. and Unterthiner, T. and Mayr, A. and Hochreiter, S.",
    title="Self-Normalizing Neural Networks",
    year=2017,
    arxiv="1706.02515",
    venue="NeurIPS",
)
TROTTIER_2016 = Citation(
    authors="Trottier, L. and Giguère, P. and Chaib-draa, B.",
    title="Parametric Exponential Linear Unit for Deep Convolutional Neural Networks",
    year=2016,
    arxiv="1605.09332",
    venue="ICMLA 2017",
)
ZHANG_LI_2018 = Citation(
    authors="Zhang, G. and Li, H.",
    title="Effectiveness of Scaled Exponentially-Regularized Linear Units (SERLUs)",
    year=2018,
    arxiv="1807.10117",
)
YING_2019 = Citation(
    authors="Ying, Y. and Su, J. and Shan, P. and Miao, L. and Wang, X. and Peng, S.",
    title="Rectified Exponential Units for Convolutional Neural Networks",
    year=2019,
    url="https://doi.org/10.1109/ACCESS.2019.2928442",
    venue="IEEE Access 7",
)

# SELU constants (Klambauer et al. 2017), as in torch.nn.SELU
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def expm1(u: Tensor) -> Tensor:
    """``exp(u) - 1``, accurate near 0, whose autograd derivative is ``exp(u)``.

    torch's own ``expm1`` backward computes ``result + 1``, which cancels for ``u << 0`` (in float32
    the derivative at u = -30 comes out as 0 instead of 9.4e-14). Here the value is ``expm1(u)`` and
    the derivative, to every order, that of ``exp(u)``.
    """
    e = torch.exp(u)
    return torch.expm1(u).detach() + (e - e.detach())


def x_exp_x(u: Tensor) -> Tensor:
    """``u * exp(u)`` for ``u <= 0``, with ``u`` floored at -1000 where ``exp`` is 0 in every dtype
    (so the backward never forms ``u * grad`` large enough to overflow and meet ``exp(u) = 0``)."""
    u = u.clamp(min=-1000.0)
    return u * torch.exp(u)


def _elu(x: Tensor, alpha: Any, input_scale: Any = 1.0) -> Tensor:
    """``x`` for ``x > 0``, ``alpha * expm1(x * input_scale)`` otherwise (derivative at 0 from the left)."""
    xn = torch.where(x > 0, 0.0, x)
    return torch.where(x > 0, x, expm1(xn * input_scale) * alpha)


@activation(
    "elu",
    family="exponential",
    latex=r"x \text{ if } x > 0 \text{ else } \alpha (e^x - 1)",
    text="max(0, x) + alpha*(exp(min(0, x)) - 1)",
    citation=CLEVERT_2015,
    params=(Param("alpha", 1.0, "saturation value -α for x → -∞", low=0.0),),
    names=("ELU", "exponential linear unit"),
    survey=("ELU",),
    kinks=lambda p: (0.0,) if p["alpha"] != 1.0 else (),
    torch_ref=lambda x, alpha=1.0: F.elu(x, alpha),
    source="Clevert et al. (2015): x for x > 0, α(exp(x) - 1) otherwise, α = 1 in all "
    "experiments; the survey (§3.6.48) describes the same α.",
    notes="Derivative at 0 taken from the negative branch (α), as in PyTorch. Two transcriptions of the "
    "survey's formula divide by the parameter instead ((exp(z) - 1)/a); the survey's prose and the paper "
    "multiply, as here (identical at the default α = 1).",
)
def elu(x: Tensor, alpha: Any = 1.0) -> Tensor:
    r""":math:`x` for :math:`x > 0`, :math:`\alpha(e^x - 1)` otherwise."""
    return _elu(x, alpha)


@activation(
    "celu",
    family="exponential",
    latex=r"\max(0, x) + \min(0, \alpha (e^{x/\alpha} - 1))",
    text="max(0, x) + min(0, alpha * (exp(x/alpha) - 1))",
    citation=BARRON_2017,
    params=(Param("alpha", 1.0, "saturation value -α", low=0.0, low_inclusive=False),),
    names=("CELU", "continuously differentiable ELU"),
    survey=("CELU",),
    relations=(special_case_of("elu", alpha=1.0),),
    torch_ref=lambda x, alpha=1.0: F.celu(x, alpha),
    source="Barron (2017): max(0, x) + min(0, α(exp(x/α) - 1)); α = 1 as torch.nn.CELU.",
    notes="Continuously differentiable for every α > 0 (derivative 1 at 0); equals ELU at α = 1. The "
    "survey lists CELU among adaptive units (§4.2.51), but Barron's paper defines α as a fixed "
    "hyperparameter and learns nothing, so α is not marked trainable (trainable=True still learns it).",
)
def celu(x: Tensor, alpha: Any = 1.0) -> Tensor:
    r""":math:`\max(0, x) + \min(0, \alpha(e^{x/\alpha} - 1))`."""
    return _elu(x, alpha, 1.0 / alpha)


@activation(
    "selu",
    family="exponential",
    latex=r"\lambda \,(x \text{ if } x > 0 \text{ else } \alpha (e^x - 1))",
    text="1.0507009873554805*(max(0, x) + 1.6732632423543772*(exp(min(0, x)) - 1))",
    citation=KLAMBAUER_2017,
    names=("SELU", "scaled exponential linear unit"),
    survey=("SELU",),
    relations=(special_case_of("lselu", c=0.0), special_case_of("sselu", c=1.0)),
    kinks=lambda p: (0.0,),
    torch_ref=lambda x: F.selu(x),
    source="Klambauer et al. (2017), Eq. 2 with the fixed-point constants α ≈ 1.6733, λ ≈ 1.0507 (given "
    "to 30 digits in torch.nn.SELU); the survey (§3.7.11) prints the same.",
    notes="Constants α = 1.6732632423543772848170429916717 and λ = 1.0507009873554804934193349852946 "
    "(the self-normalizing fixed point: zero mean, unit variance for N(0, 1) inputs). Derivative at "
    "0 taken from the negative branch (λα), as in PyTorch.",
)
def selu(x: Tensor) -> Tensor:
    r""":math:`\lambda \cdot \mathrm{ELU}_\alpha(x)` with the self-normalizing constants."""
    return _elu(x, SELU_ALPHA) * SELU_SCALE


@activation(
    "pelu",
    family="exponential",
    latex=r"\tfrac{a}{b} x \text{ if } x \ge 0 \text{ else } a (e^{x/b} - 1)",
    text="(a/b) * x if x >= 0 else a * (exp(x/b) - 1)",
    citation=TROTTIER_2016,
    params=(
        Param("a", 1.0, "learnable saturation a > 0", low=0.0, low_inclusive=False, trainable=True),
        Param("b", 1.0, "learnable exponential decay b > 0", low=0.0, low_inclusive=False, trainable=True),
    ),
    names=("PELU", "parametric ELU", "parametric exponential linear unit"),
    survey=("PELU",),
    relations=(special_case_of("elu", alpha=1.0),),
    source="Trottier et al. (2016): (a/b) x for x >= 0, a(exp(x/b) - 1) otherwise, a and b learned "
    "per channel; initial values 1 as the keras-contrib PELU initialisers.",
    notes="Parametric ELU; a and b are learned per channel, initialised to 1 (the keras-contrib "
    "PELU initialisers); a = b = 1 is ELU. Continuously differentiable (slope a/b on both sides of 0).",
)
def pelu(x: Tensor, a: Any = 1.0, b: Any = 1.0) -> Tensor:
    r""":math:`\frac{a}{b}x` for :math:`x \ge 0`, :math:`a(e^{x/b} - 1)` otherwise."""
    xn = torch.where(x > 0, 0.0, x)
    return torch.where(x > 0, x * (a / b), expm1(xn / b) * a)


@activation(
    "isrlu",
    family="exponential",
    latex=r"x \text{ if } x \ge 0 \text{ else } \frac{x}{\sqrt{1 + \alpha x^2}}",
    text="max(0, x) + min(0, x)/sqrt(1 + alpha*min(0, x)^2)",
    citation=CARLILE_2017,
    params=(Param("alpha", 1.0, "α > 0; the negative saturation is -1/√α", low=0.0, low_inclusive=False),),
    names=("ISRLU", "inverse square root linear unit"),
    survey=("ISRLU",),
    source="Carlile et al. (2017): x for x >= 0, x/sqrt(1 + αx²) otherwise; α = 1 (the paper "
    "analyses α = 1 and 3; survey §3.8.9).",
    notes="Inverse square root linear unit. Twice continuously differentiable. For x < -1 evaluated "
    "as -1/sqrt(α + 1/x²) so that x² never overflows.",
)
def isrlu(x: Tensor, alpha: Any = 1.0) -> Tensor:
    r""":math:`x` for :math:`x \ge 0`, :math:`x / \sqrt{1 + \alpha x^2}` otherwise."""
    xn = torch.where(x >= 0, 0.0, x)
    far = xn < -1
    xs = torch.where(far, 0.0, xn)
    small = xs * torch.rsqrt(1 + alpha * xs * xs)
    xb = torch.where(far, xn, -1.0)
    big = -torch.rsqrt(alpha + xb.reciprocal().square())
    return torch.where(x >= 0, x, torch.where(far, big, small))


@activation(
    "serlu",
    family="exponential",
    latex=r"\lambda x \text{ if } x \ge 0 \text{ else } \lambda \alpha x e^x",
    text="lambd*(max(0, x) + alpha*min(0, x)*exp(min(0, x)))",
    citation=ZHANG_LI_2018,
    names=("SERLU", "scaled exponentially-regularized linear unit"),
    survey=("SERLU",),
    source="Zhang & Li (2018): λx for x >= 0, λαx·exp(x) otherwise, with the self-normalising values "
    "λ = 1.07862, α = 2.90427 from the paper (the peer package torch-activation defaults both to 1).",
    params=(
        Param("lambd", 1.07862, "scale λ", low=0.0, low_inclusive=False),
        Param("alpha", 2.90427, "negative-branch weight α", low=0.0, low_inclusive=False),
    ),
    kinks=lambda p: (0.0,),
    notes="Scaled exponentially-regularized linear unit; λ = 1.07862, α = 2.90427 are the paper's "
    "self-normalizing values (we checked: E f(z) ≈ 2e-7, E f(z)² ≈ 1.000003 for z ~ N(0, 1)). "
    "Non-monotone (minimum at x = -1). Derivative at 0 taken as λ (right branch).",
)
def serlu(x: Tensor, lambd: Any = 1.07862, alpha: Any = 2.90427) -> Tensor:
    r""":math:`\lambda x` for :math:`x \ge 0`, :math:`\lambda\alpha x e^x` otherwise."""
    xn = torch.where(x >= 0, 0.0, x)
    return torch.where(x >= 0, x, x_exp_x(xn) * alpha) * lambd


@activation(
    "reu",
    family="exponential",
    latex=r"x \text{ if } x > 0 \text{ else } x e^x",
    text="max(0, x) + min(0, x)*exp(min(0, x))",
    citation=YING_2019,
    names=("REU", "rectified exponential unit"),
    survey=("REU",),
    relations=(
        special_case_of("serlu", lambd=1.0, alpha=1.0),
        equal_to("suish", note="max(x, x exp(-|x|)) is x for x > 0 and x exp(x) otherwise"),
    ),
    source="Ying et al. (2019): x for x > 0, x·exp(x) otherwise; the survey (§3.6.49) prints the same.",
    notes="Rectified exponential unit; continuously differentiable (derivative (1 + x) e^x → 1 at 0), "
    "non-monotone with minimum -1/e at x = -1.",
)
def reu(x: Tensor) -> Tensor:
    r""":math:`x` for :math:`x > 0`, :math:`x e^x` otherwise."""
    xn = torch.where(x > 0, 0.0, x)
    return torch.where(x > 0, x, x_exp_x(xn))
