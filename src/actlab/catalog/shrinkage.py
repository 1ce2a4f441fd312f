"""Shrinkage operators: hard and soft thresholding, and tanhshrink."""

from __future__ import annotations

from fractions import Fraction
from math import comb, factorial
from typing import Any

import torch

from actlab.catalog.citations import TORCH7_2011
from actlab.catalog.registry import activation
from actlab.catalog.spec import Citation, Param

Tensor = torch.Tensor
F = torch.nn.functional

DONOHO_JOHNSTONE_1994 = Citation(
    authors="Donoho, D. L. and Johnstone, I. M.",
    title="Ideal spatial adaptation by wavelet shrinkage",
    year=1994,
    url="https://doi.org/10.1093/biomet/81.3.425",
    venue="Biometrika 81(3)",
)


@activation(
    "hardshrink",
    family="shrinkage",
    latex=r"x \text{ if } |x| > \lambda \text{ else } 0",
    text="x if |x| > lambd else 0",
    citation=DONOHO_JOHNSTONE_1994,
    params=(Param("lambd", 0.5, "threshold λ", low=0.0),),
    grad_mask=lambda x, lambd=0.5: (x > lambd) | (x < -lambd),
    grad_mask_values=lambda p: (0.0, 1.0),
    kinks=lambda p: (-p["lambd"], p["lambd"]),
    torch_ref=lambda x, lambd=0.5: F.hardshrink(x, lambd),
    names=("Hardshrink", "hard shrinkage", "hard thresholding"),
    survey=("hardshrink",),
    source="Donoho & Johnstone (1994): hard thresholding x·1[|x| > λ]; λ = 0.5 and f(±λ) = 0 as in "
    "torch.nn.Hardshrink; the survey §3.6.22 prints the same.",
    notes="Hard thresholding. f(±λ) = 0 and derivative 0 there, as in PyTorch.",
)
def hardshrink(x: Tensor, lambd: Any = 0.5) -> Tensor:
    r""":math:`x` if :math:`|x| > \lambda`, else 0."""
    return torch.where((x >= -lambd) & (x <= lambd), 0.0, x)


@activation(
    "softshrink",
    family="shrinkage",
    latex=r"\mathrm{sign}(x)\max(|x| - \lambda, 0)",
    text="max(x - lambd, 0) + min(x + lambd, 0)",
    citation=DONOHO_JOHNSTONE_1994,
    params=(Param("lambd", 0.5, "threshold λ", low=0.0),),
    grad_mask=lambda x, lambd=0.5: (x > lambd) | (x < -lambd),
    grad_mask_values=lambda p: (0.0, 1.0),
    kinks=lambda p: (-p["lambd"], p["lambd"]),
    torch_ref=lambda x, lambd=0.5: F.softshrink(x, lambd),
    names=("Softshrink", "soft shrinkage", "soft thresholding"),
    survey=("softshrink",),
    source="Donoho & Johnstone (1994): soft thresholding sign(x)·max(|x| - λ, 0); λ = 0.5 as in "
    "torch.nn.Softshrink; the survey §3.6.23 prints the same.",
    notes="Soft thresholding. f(±λ) = 0 and derivative 0 there, as in PyTorch.",
)
def softshrink(x: Tensor, lambd: Any = 0.5) -> Tensor:
    r""":math:`\mathrm{sign}(x)\max(|x| - \lambda, 0)`."""
    return torch.where((x >= -lambd) & (x <= lambd), 0.0, x - torch.sign(x) * lambd)


def _tanhshrink_coefficients(n_terms: int) -> tuple[float, ...]:
    """Taylor coefficients of x - tanh(x) = sum_k s_k x^(2k+1), k = 1..n_terms (exact, then float).

    tanh x = sum_{n>=1} 2^(2n) (2^(2n) - 1) B_(2n) x^(2n-1) / (2n)!  (B = Bernoulli numbers).
    """
    n_max = 2 * (n_terms + 1)
    bern = [Fraction(1)]
    for m in range(1, n_max + 1):
        bern.append(-sum(comb(m + 1, k) * bern[k] for k in range(m)) / (m + 1))
    coeffs = []
    for n in range(2, n_terms + 2):
        c = Fraction(2 ** (2 * n) * (2 ** (2 * n) - 1)) * bern[2 * n] / factorial(2 * n)
        coeffs.append(float(-c))
    return tuple(coeffs)


# (switch point, coefficients): below the switch the Taylor series is used. The truncation error
# there is below the dtype's rounding; above it x - tanh(x) loses < 3 eps / x^2 relative accuracy.
_TANHSHRINK_SERIES = {
    torch.float64: (0.25, _tanhshrink_coefficients(12)),
    torch.float32: (1.0, _tanhshrink_coefficients(24)),
}


@activation(
    "tanhshrink",
    family="shrinkage",
    latex=r"x - \tanh(x)",
    text="x - tanh(x)",
    citation=TORCH7_2011,
    torch_ref=lambda x: F.tanhshrink(x),
    names=("Tanhshrink",),
    source="Torch7 / torch.nn.Tanhshrink: x - tanh(x) (no original paper located; cited from Torch7, where "
    "it first appeared as a module).",
    notes="Tanhshrink, as in Torch7/PyTorch (no original paper located). Near 0 the difference "
    "cancels (x - tanh x ≈ x³/3), so |x| below 0.25 (float64) or 1 (float32) uses the Taylor series. "
    "PyTorch's own float32 kernel subtracts directly and is off by ~1e-4 relative at |x| ≈ 0.05 "
    "(this implementation stays within ~4e-7 relative in float32).",
)
def tanhshrink(x: Tensor) -> Tensor:
    r""":math:`x - \tanh(x)`."""
    switch, coeffs = _TANHSHRINK_SERIES.get(x.dtype, _TANHSHRINK_SERIES[torch.float64])
    near = x.abs() < switch
    xs = torch.where(near, x, 0.0)
    u = xs * xs
    poly = torch.full_like(xs, coeffs[-1])
    for c in reversed(coeffs[:-1]):
        poly = poly * u + c
    series = xs * u * poly
    return torch.where(near, series, x - torch.tanh(x))
