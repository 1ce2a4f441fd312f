"""Rational activations: the (safe) Padé Activation Unit."""

from __future__ import annotations

import math
from typing import Any

import torch

from actlab.catalog.registry import activation
from actlab.catalog.spec import Citation, Param

Tensor = torch.Tensor

MOLINA_2019 = Citation(
    authors="Molina, A. and Schramowski, P. and Kersting, K.",
    title="Padé Activation Units: End-to-end Learning of Flexible Activation Functions in Deep Networks",
    year=2019,
    arxiv="1907.06732",
    venue="ICLR 2020",
)

# "pade_optimized_leakyrelu" initialisation of the official code (least-squares fit of the safe
# PAU 5/4 to LeakyReLU(0.01) on [-3, 3)), the default of PAU()
PAU_NUMERATOR = (
    3.35583603e-02,
    5.05000375e-01,
    1.65343934e00,
    2.01001052e00,
    9.31901999e-01,
    1.52424124e-01,
)
PAU_DENOMINATOR = (3.30847488e-06, 3.98021568e00, 5.12471206e-07, 3.01830109e-01)


def _coefficients(v: Any, x: Tensor) -> Tensor:
    if isinstance(v, Tensor):
        return v.to(dtype=x.dtype, device=x.device)
    return torch.tensor(v, dtype=x.dtype, device=x.device)


@activation(
    "pau",
    family="rational",
    latex=r"\frac{\sum_{j=0}^{5} a_j x^j}{1 + \sum_{k=1}^{4} |b_k|\,|x|^k}",
    text="(a0 + a1 x + ... + a5 x^5) / (1 + |b1||x| + |b2||x|^2 + |b3||x|^3 + |b4||x|^4)",
    citation=MOLINA_2019,
    module="actlab.nn.pau:pau_module",
    params=(
        Param("numerator", PAU_NUMERATOR, "a0..a5 (learnable)", trainable=True, kind="vector"),
        Param("denominator", PAU_DENOMINATOR, "b1..b4 (learnable)", trainable=True, kind="vector"),
    ),
    kinks=lambda p: (0.0,) if p["denominator"][0] != 0 else (),
    names=("PAU", "Padé activation unit", "safe PAU"),
    survey=("PAU (+safe)",),
    source="Molina et al. (arXiv 1907.06732): the safe PAU P(x)/(1 + Σ|b_k||x|^k) of degree (5, 4); the "
    "defaults are the official code's 'pade_optimized_leakyrelu' coefficients (ml-research/pau, "
    "pau/utils.py). The survey §4.49 lists PAU and safe PAU; the peer package's denominator "
    "1 + Σ|b_j|x^(2j) is neither.",
    notes="Safe PAU of degree (5, 4) (official code ml-research/pau): Q(x) = 1 + Σ|b_k||x|^k ≥ 1, so "
    "there are no poles. Defaults: the official 'pade_optimized_leakyrelu' coefficients (fit to "
    "LeakyReLU(0.01) on [-3, 3)). One set of coefficients per layer, learned. For |x| > 1 numerator "
    "and denominator are divided by |x|^4 before the division, so large inputs (up to the float32 "
    "maximum) do not overflow while the ratio is finite. Because of |b1||x| the derivative jumps by "
    "2|b1|a0 at 0 (≈ 2.2e-7 with the defaults; autograd gives a1 there).",
)
def pau(x: Tensor, numerator: Any = PAU_NUMERATOR, denominator: Any = PAU_DENOMINATOR) -> Tensor:
    r"""Safe Padé unit :math:`P(x) / (1 + \sum_k |b_k| |x|^k)`."""
    a = _coefficients(numerator, x)
    b = _coefficients(denominator, x).abs()
    m, n = a.shape[0] - 1, b.shape[0]
    far = x.abs() > 1
    # |x| <= 1 (and NaN): Horner in x and |x|
    xs = torch.where(far, 0.0, x)
    axs = xs.abs()
    p_near = torch.zeros_like(xs) + a[m]
    for j in range(m - 1, -1, -1):
        p_near = p_near * xs + a[j]
    q_near = torch.zeros_like(xs) + b[n - 1]
    for k in range(n - 2, -1, -1):
        q_near = q_near * axs + b[k]
    q_near = q_near * axs + 1
    # |x| > 1: divide P and Q by |x|^n. With t = 1/x and s = sign(x) (s^j = s^n s^(j-n)):
    #   P/|x|^n = s^n [sum_{j<=n} a_j t^(n-j) + sum_{j>n} a_j x^(j-n)],  Q/|x|^n = sum_k |b_k| |t|^(n-k)
    # (b_0 = 1). Horner only (no t^0 = 1/t in the backward pass). t is taken from x clipped to
    # +-2^(maxexp/2 - 4): beyond, t changes the result by < 2^-60 relative, and clipping keeps t^2
    # normal, so the overflowing partial dL/dQ (~ x) of huge |x| meets a nonzero factor and is
    # then zeroed by the clip instead of producing inf * 0 = NaN.
    xb = torch.where(far, x, 2.0)
    big = 2.0 ** (math.frexp(torch.finfo(x.dtype).max)[1] // 2 - 4)
    t = xb.clamp(-big, big).reciprocal()
    p_low = torch.zeros_like(xb) + a[0]
    for j in range(1, min(n, m) + 1):
        p_low = p_low * t + a[j]
    if m < n:
        p_low = p_low * t.pow(n - m)
    p_high = torch.zeros_like(xb)
    for j in range(m, n, -1):
        p_high = (p_high + a[j]) * xb
    p_far = (p_low + p_high) * torch.sign(xb).pow(n)
    r = t.abs()
    q_far = torch.ones_like(xb)
    for k in range(n):
        q_far = q_far * r + b[k]
    return torch.where(far, p_far / q_far, p_near / q_near)
