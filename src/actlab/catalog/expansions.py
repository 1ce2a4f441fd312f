"""Expansions with learned coefficients (survey §4.48.6-§4.53, §4.61): polynomial (SLAF), Chebyshev
(ChPAF), Legendre (LPAF) and Hermite (HPAF) series, a Gaussian mixture (MoGU), a Fourier series (FSA),
rational units (ERA, the safe Hermite-Padé OPAUs), a cubic spline (SAF) and a kernel expansion (KAF).

Each expansion has a fixed number of coefficients, held by ``kind="vector"`` parameters (the sizes
and the reasons for them are in each entry's notes). A coefficient vector given as a tensor must have
shape ``(k,)`` (it is combined with the basis functions along a new axis), so the coefficients are one
set per layer in actlab's learnable module, not one per channel.

Where a paper gives no initial coefficients, the default is a stated projection or fit of a common
activation (ReLU, leaky ReLU, SiLU, softplus, tanh), computed once and written out to 17 digits;
``tests/catalog/test_expansions_numerics.py`` recomputes each of them from its definition.
"""

from __future__ import annotations

import math
from typing import Any

import torch

from actlab.catalog.adaptive_piecewise import _bin_index, _vec
from actlab.catalog.citations import KUNC_KLEMA_2024
from actlab.catalog.registry import activation
from actlab.catalog.spec import Citation, Param, Relation

Tensor = torch.Tensor

GOYAL_2019 = Citation(
    authors="Goyal, M. and Goyal, R. and Lall, B.",
    title="Learning Activation Functions: A new paradigm for understanding Neural Networks",
    year=2019,
    arxiv="1906.09529",
)
# authors as the survey names them: the checked landing page shows title, journal and abstract only
DEEPTHI_2023 = Citation(
    authors="Deepthi and Vikram and Venkatappareddy",
    title="Development of a novel activation function based on Chebyshev polynomials: an aid for "
    "classification and denoising of images",
    year=2023,
    url="https://doi.org/10.1007/s11227-023-05466-y",
    venue="The Journal of Supercomputing",
)
WANG_LIU_FOROOSH_2018 = Citation(
    authors="Wang, M. and Liu, B. and Foroosh, H.",
    title="Look-Up Table Unit Activation Function for Deep Convolutional Neural Networks",
    year=2018,
    url="https://doi.org/10.1109/WACV.2018.00139",
    venue="WACV 2018",
)
LIAO_2020 = Citation(
    authors="Liao, Z.",
    title="Trainable Activation Function in Image Classification",
    year=2020,
    arxiv="2004.13271",
)
TRIMMEL_2022 = Citation(
    authors="Trimmel, M. and Zanfir, M. and Hartley, R. and Sminchisescu, C.",
    title="ERA: Enhanced Rational Activations",
    year=2022,
    url="https://github.com/martrim/ERA",
    venue="ECCV 2022",
)
BISWAS_OPAU_2021 = Citation(
    authors="Biswas, K. and Banerjee, S. and Pandey, A. K.",
    title="Orthogonal-Padé Activation Functions: Trainable Activation functions for smooth and faster "
    "convergence in deep networks",
    year=2021,
    arxiv="2106.09693",
)
SCARDAPANE_2016 = Citation(
    authors="Scardapane, S. and Scarpiniti, M. and Comminiello, D. and Uncini, A.",
    title="Learning activation functions from data using cubic spline interpolation",
    year=2016,
    arxiv="1605.05509",
    venue="Neural Advances in Processing Nonlinear Dynamic Signals (2019)",
)
SCARDAPANE_2019 = Citation(
    authors="Scardapane, S. and Van Vaerenbergh, S. and Totaro, S. and Uncini, A.",
    title="Kafnets: kernel-based non-parametric activation functions for neural networks",
    year=2017,
    arxiv="1707.04035",
    venue="Neural Networks 110 (2019)",
)

SQRT_2PI = math.sqrt(2 * math.pi)
SQRT_PI = math.sqrt(math.pi)

# --------------------------------------------------------------------------- polynomial series


def _series(x: Tensor, coefficients: Any, basis: str) -> Tensor:
    """Σ_j a_j P_j(x) with P_j the monomials or an orthogonal family (three-term recurrences)."""
    a = _vec(coefficients, x)
    n = a.shape[0]
    if basis == "monomial":
        y = torch.zeros_like(x) + a[n - 1]
        for j in range(n - 2, -1, -1):
            y = y * x + a[j]
        return y
    p_prev = torch.ones_like(x)
    p = {"chebyshev": x, "legendre": x, "hermite": 2 * x}[basis]
    y = a[0] * p_prev
    if n > 1:
        y = y + a[1] * p
    for j in range(1, n - 1):  # P_{j+1} from P_j and P_{j-1}
        if basis == "chebyshev":
            p_next = 2 * x * p - p_prev
        elif basis == "legendre":
            p_next = ((2 * j + 1) * x * p - j * p_prev) / (j + 1)
        else:  # physicists' Hermite
            p_next = 2 * x * p - 2 * j * p_prev
        p_prev, p = p, p_next
        y = y + a[j + 1] * p
    return y


# L2 projections of ReLU onto polynomials of degree 2 (the cubic coefficient is 0), each under the
# weight its basis is orthogonal for: standard normal (monomials), 1/sqrt(1 - x²) on [-1, 1]
# (Chebyshev), uniform on [-1, 1] (Legendre), e^{-x²} (physicists' Hermite)
SLAF_INIT = (1 / (2 * SQRT_2PI), 0.5, 1 / (2 * SQRT_2PI), 0.0)
CHPAF_INIT = (1 / math.pi, 0.5, 2 / (3 * math.pi), 0.0)
LPAF_INIT = (0.25, 0.5, 5 / 16, 0.0)
HPAF_INIT = (1 / (2 * SQRT_PI), 0.25, 1 / (8 * SQRT_PI), 0.0)
_PROJECTION_NOTE = (
    "No initial coefficients are given in the sources we could read; the default is the L2 "
    "projection of ReLU onto the degree-2 polynomials under the weight the basis is orthogonal for "
    "({weight}), so the unit starts as a smooth ReLU-like quadratic (a_3 = 0). Four coefficients (order "
    "3, the order the survey reports for ChPAF), learned once per layer by actlab's learnable module."
)


@activation(
    "self_learnable_polynomial",
    family="polynomial",
    latex=r"\sum_{j=0}^{3} a_j x^j",
    text="sum_j a_j x^j for j in 0..3",
    citation=GOYAL_2019,
    params=(Param("coefficients", SLAF_INIT, "a_0..a_3 (learnable)", trainable=True, kind="vector"),),
    names=("SLAF", "Self-learnable activation function"),
    survey=("SLAF polynomial",),
    source="Goyal et al. (2019): SLAF(x) = Σ_{j<k} a_j x^j with learned a_j (survey §4.48.6, which notes "
    "the inputs are mean-variance normalised against exploding powers).",
    notes="Self-learnable polynomial activation, cubic (k = 4). "
    + _PROJECTION_NOTE.format(weight="standard normal: ReLU's Hermite projection written in monomials"),
)
def self_learnable_polynomial(x: Tensor, coefficients: Any = SLAF_INIT) -> Tensor:
    r""":math:`\sum_j a_j x^j` (Horner)."""
    return _series(x, coefficients, "monomial")


@activation(
    "chebyshev_polynomial_activation",
    family="polynomial",
    latex=r"\sum_{j=0}^{3} a_j T_j(x),\ T_{j+1} = 2xT_j - T_{j-1}",
    text="sum_j a_j T_j(x) for j in 0..3, Chebyshev polynomials of the first kind",
    citation=DEEPTHI_2023,
    params=(Param("coefficients", CHPAF_INIT, "a_0..a_3 (learnable, shared by the network in the paper)",
                  trainable=True, kind="vector"),),
    names=("ChPAF", "Chebyshev polynomial-based activation function"),
    survey=("ChPAF",),
    source="Survey §4.48.7 (Deepthi, Vikram & Venkatappareddy): Σ_{j<=k} a_j C_j(x) with Chebyshev "
    "polynomials C_0 = 1, C_1 = x, C_{j+1} = 2x C_j - C_{j-1}, maximum order 3 in their experiments. The "
    "paper's landing page (checked) describes a data-driven, self-learnable activation based on Chebyshev "
    "polynomials; its full text could not be read, so the formula is the survey's.",
    notes="Chebyshev series activation, order 3. "
    + _PROJECTION_NOTE.format(weight="1/sqrt(1 - x²) on [-1, 1]: 1/π + x/2 + 2/(3π) T_2"),
)
def chebyshev_polynomial_activation(x: Tensor, coefficients: Any = CHPAF_INIT) -> Tensor:
    r""":math:`\sum_j a_j T_j(x)`."""
    return _series(x, coefficients, "chebyshev")


@activation(
    "legendre_polynomial_activation",
    family="polynomial",
    latex=r"\sum_{j=0}^{3} a_j P_j(x),\ (j + 1)P_{j+1} = (2j + 1)xP_j - jP_{j-1}",
    text="sum_j a_j P_j(x) for j in 0..3, Legendre polynomials",
    citation=KUNC_KLEMA_2024,
    params=(Param("coefficients", LPAF_INIT, "a_0..a_3 (learnable, shared by the network)", trainable=True,
                  kind="vector"),),
    names=("LPAF", "Legendre polynomial-based activation function"),
    survey=("LPAF",),
    source="Survey §4.48.8: Σ_{j<=k} a_j G_j(x) with Legendre polynomials G_0 = 1, G_1 = x and Bonnet's "
    "recurrence. The original paper could not be read; the citation is the survey.",
    notes="Legendre series activation, order 3. "
    + _PROJECTION_NOTE.format(weight="uniform on [-1, 1]: 1/4 + x/2 + 5/16 P_2"),
)
def legendre_polynomial_activation(x: Tensor, coefficients: Any = LPAF_INIT) -> Tensor:
    r""":math:`\sum_j a_j P_j(x)`."""
    return _series(x, coefficients, "legendre")


@activation(
    "hermite_polynomial_activation",
    family="polynomial",
    latex=r"\sum_{j=0}^{3} a_j H_j(x),\ H_{j+1} = 2xH_j - 2jH_{j-1}",
    text="sum_j a_j H_j(x) for j in 0..3, physicists' Hermite polynomials",
    citation=KUNC_KLEMA_2024,
    params=(Param("coefficients", HPAF_INIT, "a_0..a_3 (learnable)", trainable=True, kind="vector"),),
    names=("HPAF", "Hermite polynomial-based activation function"),
    survey=("HPAF",),
    source="Survey §4.48.9: Σ_j a_j H_j(x) with Hermite polynomials (H_0 = 1, H_1 = 2x: physicists' "
    "convention). The original paper could not be read; the citation is the survey.",
    notes="Hermite series activation, order 3, physicists' polynomials (the probabilists' He_j give the "
    "same function space). "
    + _PROJECTION_NOTE.format(weight="e^{-x²}: 1/(2√π) + H_1/4 + H_2/(8√π)"),
)
def hermite_polynomial_activation(x: Tensor, coefficients: Any = HPAF_INIT) -> Tensor:
    r""":math:`\sum_j a_j H_j(x)`."""
    return _series(x, coefficients, "hermite")


# --------------------------------------------------------------------------- MoGU, FSA

MOGU_SCALES = (1.0, 1.0, 1.0)
MOGU_MEANS = (-1.0, 0.0, 1.0)
MOGU_SIGMAS = (1.0, 1.0, 1.0)


@activation(
    "mixture_of_gaussians_unit",
    family="bump",
    latex=r"\sum_{j=1}^{3} \frac{a_j}{\sqrt{2\pi}\,|\sigma_j|} e^{-(x - \mu_j)^2 / (2\sigma_j^2)}",
    text="sum_j a_j N(x; mu_j, sigma_j^2) for j in 1..3",
    citation=WANG_LIU_FOROOSH_2018,
    params=(
        Param("scales", MOGU_SCALES, "a_1..a_3, component weights (learnable)", trainable=True,
              kind="vector"),
        Param("means", MOGU_MEANS, "μ_1..μ_3 (learnable)", trainable=True, kind="vector"),
        Param("sigmas", MOGU_SIGMAS, "σ_1..σ_3, nonzero standard deviations (learnable)", trainable=True,
              kind="vector"),
    ),
    names=("MoGU", "Mixture of Gaussian unit"),
    survey=("MoGU",),
    source="Wang, Liu & Foroosh (2018), proposed from the learned LuTU shapes (survey §4.48.10): "
    "MoGU(x) = Σ_j a_j N(x; μ_j, σ_j²) with a, σ, μ trainable per neuron.",
    notes="Mixture of Gaussian unit with three components (a few peaks and valleys, as the paper "
    "describes the learned shapes). The defaults (unit weights and widths, means -1, 0, 1) are ours; "
    "the σ_j enter as |σ_j| (σ_j = 0 is a point mass and not allowed).",
)
def mixture_of_gaussians_unit(
    x: Tensor, scales: Any = MOGU_SCALES, means: Any = MOGU_MEANS, sigmas: Any = MOGU_SIGMAS
) -> Tensor:
    r""":math:`\sum_j a_j \mathcal N(x; \mu_j, \sigma_j^2)`."""
    a, mu, sg = _vec(scales, x), _vec(means, x), _vec(sigmas, x)
    z = (x.unsqueeze(-1) - mu) / sg
    return (a / (sg.abs() * SQRT_2PI) * torch.exp(-(z * z) / 2)).sum(-1)


FSA_RANK = 5
# Fourier series of ReLU on (-π, π): π/4 - (2/π) Σ_odd cos(jx)/j² + Σ (-1)^{j+1} sin(jx)/j
FSA_COS = tuple(-2 / (math.pi * j * j) if j % 2 else 0.0 for j in range(1, FSA_RANK + 1))
FSA_SIN = tuple((-1) ** (j + 1) / j for j in range(1, FSA_RANK + 1))


@activation(
    "fourier_series_activation",
    family="periodic",
    latex=r"a + \sum_{j=1}^{5}\left(b_j \cos(jdx) + c_j \sin(jdx)\right)",
    text="a + sum_j (b_j cos(j d x) + c_j sin(j d x)) for j in 1..5",
    citation=LIAO_2020,
    params=(
        Param("a", math.pi / 4, "constant term a (learnable)", trainable=True),
        Param("cos_coefficients", FSA_COS, "b_1..b_5 (learnable)", trainable=True, kind="vector"),
        Param("sin_coefficients", FSA_SIN, "c_1..c_5 (learnable)", trainable=True, kind="vector"),
        Param("d", 1.0, "base frequency d (learnable)", trainable=True),
    ),
    names=("FSA", "Fourier series activation"),
    survey=("FSA Fourier",),
    source="Liao (2020), Fourier-CNN: a trainable Fourier series a + Σ_{j<=r} (b_j cos(j d x) + "
    "c_j sin(j d x)) with rank r = 5 (survey §4.48.11).",
    notes="Fourier series activation of rank 5 (the paper's r; 5 + 5 coefficients). The defaults, ours, "
    "are the rank-5 Fourier series of ReLU on (-π, π) with d = 1 (a = π/4, b_j = -2/(πj²) for odd j, "
    "c_j = (-1)^{j+1}/j): the unit starts as a periodic approximation of ReLU.",
)
def fourier_series_activation(
    x: Tensor, a: Any = math.pi / 4, cos_coefficients: Any = FSA_COS, sin_coefficients: Any = FSA_SIN,
    d: Any = 1.0,
) -> Tensor:
    r""":math:`a + \sum_j (b_j \cos(jdx) + c_j \sin(jdx))`."""
    b, c = _vec(cos_coefficients, x), _vec(sin_coefficients, x)
    theta = x * d
    c1, s1 = torch.cos(theta), torch.sin(theta)
    if x.dtype == torch.float64:
        # θ = x d carries a rounding error of up to half an ulp, which sin/cos of a large θ amplify:
        # recover it exactly (Veltkamp/Dekker two-product) and correct cos θ, sin θ to first order
        lo = _product_error(x.detach(), torch.as_tensor(d, dtype=x.dtype).detach(), theta.detach())
        c1, s1 = c1 - s1.detach() * lo, s1 + c1.detach() * lo
    # cos(jθ), sin(jθ) by angle addition (no overflow of jθ for huge θ)
    cj, sj = c1, s1
    y = torch.zeros_like(x) + a
    for k in range(b.shape[0]):
        y = y + b[k] * cj + c[k] * sj
        cj, sj = cj * c1 - sj * s1, sj * c1 + cj * s1
    return y


def _product_error(u: Tensor, v: Tensor, p: Tensor) -> Tensor:
    """The exact rounding error u·v - fl(u·v) of a float64 product (Dekker's two-product with Veltkamp
    splitting); 0 where the splitting would overflow (|u|, |v| > 1e290)."""
    ok = (u.abs() < 1e290) & (v.abs() < 1e290)
    u, v = torch.where(ok, u, 0.0), torch.where(ok, v, 0.0)
    p = torch.where(ok, p, 0.0)

    def split(w: Tensor) -> tuple[Tensor, Tensor]:
        t = w * 134217729.0  # 2^27 + 1
        hi = t - (t - w)
        return hi, w - hi

    uh, ul = split(u)
    vh, vl = split(v)
    return ((uh * vh - p) + uh * vl + ul * vh) + ul * vl


# --------------------------------------------------------------------------- rational units

# least-squares fit of a x + b + d/(x² + f² + ε) to SiLU on [-5, 5] (2001 points) with a = 1/2
ERA_INIT = (4.332260916305448, -85.56192725699964, 4.454425347925945)


@activation(
    "enhanced_rational_activation",
    family="rational",
    latex=r"ax + b + \frac{cx + d}{(x - e)^2 + f^2 + \epsilon}",
    text="a*x + b + (c*x + d) / ((x - e)^2 + f^2 + eps)",
    citation=TRIMMEL_2022,
    params=(
        Param("a", 0.5, "slope a (learnable)", trainable=True),
        Param("b", ERA_INIT[0], "offset b (learnable)", trainable=True),
        Param("c", 0.0, "numerator slope c of the fraction (learnable)", trainable=True),
        Param("d", ERA_INIT[1], "numerator offset d (learnable)", trainable=True),
        Param("e", 0.0, "pole abscissa e (learnable)", trainable=True),
        Param("f", ERA_INIT[2], "pole distance f (learnable)", trainable=True),
        Param("eps", 1e-6, "ε > 0 keeping the denominator away from 0 when f is small", low=0.0,
              low_inclusive=False),
    ),
    names=("ERA", "Enhanced rational activation"),
    survey=("ERA",),
    source="Trimmel et al. (2022), authors' README (martrim/ERA): ERAs of degree 2n are a x + b + "
    "Σ_{i<=n} (c_i x + d_i)/((x - e_i)² + f_i²), the partial-fraction form of a rational function whose "
    "denominator is a product of quadratics (no poles); 'simple functions of degree 2, having a single "
    "fractional term, work often best' and Swish initialisation works best. The survey (§4.51) prints the "
    "product form with ε = 1e-6 added to the denominator.",
    notes="Enhanced rational activation of degree 2 (one fractional term, so every parameter is a "
    "scalar and can be learned per channel); the survey's experiments use m = 5, n = 4 (two terms). "
    "Defaults, ours: the least-squares fit to SiLU on [-5, 5] with a = 1/2 (the authors' recommended "
    "Swish initialisation; their fitted values were not available); max error 0.042 there. ε is added "
    "inside the term's denominator. For |x - e| > 1 the term is evaluated as (c u + (ce + d) u²)/(1 + "
    "(f² + ε) u²), u = 1/(x - e), so huge inputs neither overflow nor lose the linear part.",
)
def enhanced_rational_activation(
    x: Tensor, a: Any = 0.5, b: Any = ERA_INIT[0], c: Any = 0.0, d: Any = ERA_INIT[1], e: Any = 0.0,
    f: Any = ERA_INIT[2], eps: Any = 1e-6,
) -> Tensor:
    r""":math:`ax + b + (cx + d)/((x - e)^2 + f^2 + \epsilon)`."""
    w = x - e
    far = w.abs() > 1
    wn = torch.where(far, 0.0, w)
    near = (c * x + d) / (wn * wn + (f * f + eps))
    u = 1 / torch.where(far, w, 2.0)
    q = (u * c + u * u * (c * e + d)) / (1 + u * u * (f * f + eps))
    return x * a + b + torch.where(far, q, near)


# monomial coefficients (constant term first) of the Hermite polynomials of degree 0..5
HERMITE_PROB = (
    (1,), (0, 1), (-1, 0, 1), (0, -3, 0, 1), (3, 0, -6, 0, 1), (0, 15, 0, -10, 0, 1),
)
HERMITE_PHYS = (
    (1,), (0, 2), (-2, 0, 4), (0, -12, 0, 8), (12, 0, -48, 0, 16), (0, 120, 0, -160, 0, 32),
)
# least-squares fits of the safe Hermite-Padé (5, 4) unit to LeakyReLU(0.01) on [-3, 3] (2001 points,
# 300 random starts; max errors 0.082 and 0.069)
HP1_NUMERATOR = (2.737781993151884, 4.420915873195986, 2.8013349718892453, 0.8032935135848042,
                 0.06594554194611035, -0.035371536793451126)
HP1_DENOMINATOR = (4.038352802656133, 0.628843336015959, 8.876487892189856e-06, 1.8404565182888486e-09)
HP2_NUMERATOR = (3.564046677914453, 4.241673102626368, 2.026428461264028, 0.5086559892525607,
                 0.05737280534927158, 0.0018323610195475442)
HP2_DENOMINATOR = (4.879473287862908, 0.8865705891497688, 0.08063178489162408, 0.008407873014168767)
HERMITE_ROOTS_PROB = ((0.0,), (-1.0, 1.0), (-math.sqrt(3), 0.0, math.sqrt(3)),
                      tuple(s * math.sqrt(3 + t * math.sqrt(6)) for s in (-1, 1) for t in (-1, 1)))
HERMITE_ROOTS_PHYS = tuple(tuple(r / math.sqrt(2) for r in rs) for rs in HERMITE_ROOTS_PROB)


def _poly(coefs: tuple, t: Tensor) -> Tensor:
    y = torch.zeros_like(t) + coefs[-1]
    for c in coefs[-2::-1]:
        y = y * t + c
    return y


def _safe_orthogonal_pade(x: Tensor, numerator: Any, denominator: Any, basis: tuple) -> Tensor:
    r"""(Σ_j a_j r_j(x)) / (1 + Σ_k |b_k| |r_k(x)|) for m = len(a) - 1 <= 5, n = len(b) <= 4. For |x| > 1
    numerator and denominator are divided by x^n (r_j(x)/x^j is a polynomial in t = 1/x)."""
    a, b = _vec(numerator, x), _vec(denominator, x).abs()
    m, n = a.shape[0] - 1, b.shape[0]
    far = x.abs() > 1
    xs = torch.where(far, 0.0, x)
    num = sum(a[j] * _poly(basis[j], xs) for j in range(m + 1))
    den = 1 + sum(b[k - 1] * _poly(basis[k], xs).abs() for k in range(1, n + 1))
    xb = torch.where(far, x, 2.0)
    # t from x clipped to ±2^(maxexp/2 - 4) (as pau does): beyond, t changes the result by < 2^-60
    # relative, and the overflowing partial derivative of a huge |x| term is then zeroed by the clip
    big = 2.0 ** (math.frexp(torch.finfo(x.dtype).max)[1] // 2 - 4)
    t = 1 / xb.clamp(-big, big)
    # r_j(x)/x^j = Σ_i C_ji t^(j - i); divided by x^n: r_j(x)/x^n = (r_j/x^j) t^(n - j) (j <= n) or x^(j-n)
    def scaled(j: int, coef: Tensor) -> Tensor:
        # coef (Σ_i C_ji t^(j-i)) t^(n-j) or x^(j-n)
        rho = coef * _poly(tuple(reversed(basis[j])), t)
        return rho * t.pow(n - j) if j <= n else rho * xb.pow(j - n)

    num_far = sum(scaled(j, a[j]) for j in range(m + 1))
    den_far = t.pow(n) + sum(scaled(k, b[k - 1]).abs() for k in range(1, n + 1))
    return torch.where(far, num_far / den_far, num / den)


def _hp_kinks(p: dict, roots: tuple) -> tuple[float, ...]:
    out = set()
    for k, bk in enumerate(p["denominator"], start=1):
        if bk != 0:
            out |= set(roots[k - 1])
    return tuple(sorted(out))


_OPAU_SOURCE = (
    "Biswas, Banerjee & Pandey (2021): the safe orthogonal-Padé unit (Σ_{j<=m} a_j r_j(x)) / "
    "(1 + Σ_{k<=n} |b_k||r_k(x)|) with an orthogonal polynomial basis r_j; of their six bases the "
    "safe Hermite-Padé units HP-1 and HP-2 performed best (abstract). Survey §4.52, degrees m = 5, n = 4 "
    "as for PAU."
)


@activation(
    "safe_hermite_pade_prob",
    family="rational",
    latex=r"\frac{\sum_{j=0}^{5} a_j He_j(x)}{1 + \sum_{k=1}^{4} |b_k|\,|He_k(x)|}",
    text="sum_j a_j He_j(x) / (1 + sum_k |b_k| |He_k(x)|), probabilists' Hermite He_j",
    citation=BISWAS_OPAU_2021,
    params=(
        Param("numerator", HP1_NUMERATOR, "a_0..a_5 (learnable)", trainable=True, kind="vector"),
        Param("denominator", HP1_DENOMINATOR, "b_1..b_4 (learnable; enter as |b_k|)", trainable=True,
              kind="vector"),
    ),
    names=("HP-1", "Safe Hermite-Padé activation HP-1"),
    survey=("OPAU (+safe)",),
    kinks=lambda p: _hp_kinks(p, HERMITE_ROOTS_PROB),
    source=_OPAU_SOURCE + " This entry: probabilists' Hermite polynomials He_j.",
    notes="Safe orthogonal-Padé unit with probabilists' Hermite polynomials, degrees (5, 4): 6 + 4 "
    "coefficients. Uncertain: that HP-1 is the probabilists' and HP-2 the physicists' basis is our "
    "reading (the order of the paper's basis table); the paper's initial coefficients were not "
    "available: the defaults, ours, are a least-squares fit to LeakyReLU(0.01) on [-3, 3] as PAU's "
    "initialisation is (max error 0.082). The non-safe OPAU (signed denominator, with poles) is not "
    "implemented. |He_k| has kinks at the roots of He_k.",
)
def safe_hermite_pade_prob(
    x: Tensor, numerator: Any = HP1_NUMERATOR, denominator: Any = HP1_DENOMINATOR
) -> Tensor:
    r""":math:`\sum_j a_j He_j(x) / (1 + \sum_k |b_k||He_k(x)|)`."""
    return _safe_orthogonal_pade(x, numerator, denominator, HERMITE_PROB)


@activation(
    "safe_hermite_pade_phys",
    family="rational",
    latex=r"\frac{\sum_{j=0}^{5} a_j H_j(x)}{1 + \sum_{k=1}^{4} |b_k|\,|H_k(x)|}",
    text="sum_j a_j H_j(x) / (1 + sum_k |b_k| |H_k(x)|), physicists' Hermite H_j",
    citation=BISWAS_OPAU_2021,
    params=(
        Param("numerator", HP2_NUMERATOR, "a_0..a_5 (learnable)", trainable=True, kind="vector"),
        Param("denominator", HP2_DENOMINATOR, "b_1..b_4 (learnable; enter as |b_k|)", trainable=True,
              kind="vector"),
    ),
    names=("HP-2", "Safe Hermite-Padé activation HP-2"),
    survey=("OPAU (+safe)",),
    kinks=lambda p: _hp_kinks(p, HERMITE_ROOTS_PHYS),
    source=_OPAU_SOURCE + " This entry: physicists' Hermite polynomials H_j.",
    notes="Safe orthogonal-Padé unit with physicists' Hermite polynomials, degrees (5, 4). Same caveats "
    "as safe_hermite_pade_prob; defaults are the least-squares fit to LeakyReLU(0.01) on [-3, 3] (max "
    "error 0.069).",
)
def safe_hermite_pade_phys(
    x: Tensor, numerator: Any = HP2_NUMERATOR, denominator: Any = HP2_DENOMINATOR
) -> Tensor:
    r""":math:`\sum_j a_j H_j(x) / (1 + \sum_k |b_k||H_k(x)|)`."""
    return _safe_orthogonal_pade(x, numerator, denominator, HERMITE_PHYS)


# --------------------------------------------------------------------------- SAF (Catmull-Rom spline)

SAF_KNOTS, SAF_START, SAF_STEP = 21, -2.0, 0.2
SAF_INIT = tuple(math.tanh(SAF_START + k * SAF_STEP) for k in range(SAF_KNOTS))


def _saf_kinks(p: dict) -> tuple[float, ...]:
    q = len(p["control_points"])
    return (p["start"] + p["step"], p["start"] + (q - 2) * p["step"])


@activation(
    "spline_activation",
    family="polynomial",
    latex=r"\mathrm{CR}(q_{i-1}, q_i, q_{i+1}, q_{i+2}; t),\ x = x_i + t\Delta",
    text="Catmull-Rom cubic through (start + k step, q_k); q_1 if x < start + step, q_19 if x > start + "
    "19 step",
    citation=SCARDAPANE_2016,
    params=(
        Param("control_points", SAF_INIT, "q_0..q_20, the spline's values at the knots (learnable)",
              trainable=True, kind="vector"),
        Param("start", SAF_START, "first knot x_0 (fixed)"),
        Param("step", SAF_STEP, "knot spacing Δ > 0 (fixed)", low=0.0, low_inclusive=False),
    ),
    names=("SAF", "Spline activation function"),
    survey=("SAF splines / PPAF / ExSpliNet",),
    kinks=_saf_kinks,
    source="Scardapane et al. (2016): a spline activation function (SAF), a look-up table of control "
    "points q on uniform knots, the output interpolated by a cubic through the span's control point and "
    "its neighbours (survey §4.53: 'the closest knot and its p rightmost neighbors; p = 3 results in "
    "cubic interpolation'; the authors' spline-nn README: 'cubic spline interpolation over the four "
    "right-most control points').",
    notes="Spline activation function: uniform Catmull-Rom cubic spline (C¹) over 21 control points on "
    "[-2, 2] (Δ = 0.2), initialised to tanh at the knots, constant outside [x_1, x_19] (where the spline "
    "has its last complete span). Uncertain: the knot layout, the Catmull-Rom basis and the tanh "
    "initialisation are our reading of the paper (its text was not available to us). Each span is "
    "evaluated from the nearer knot (Taylor form about it), so values near a root keep full relative "
    "accuracy. PPAF (piecewise-constant, zero gradient, trained by its own procedure) and ExSpliNet (a "
    "network of splines) are not implemented separately.",
)
def spline_activation(x: Tensor, control_points: Any = SAF_INIT, start: Any = SAF_START,
                      step: Any = SAF_STEP) -> Tensor:
    r"""Catmull-Rom spline through :math:`(x_k, q_k)`, constant outside :math:`[x_1, x_{Q-2}]`."""
    q = _vec(control_points, x)
    n = q.shape[0]
    lo, hi = start + step, start + (n - 2) * step
    xc = torch.where(x < lo, torch.zeros_like(x) + lo, torch.where(x > hi, torch.zeros_like(x) + hi, x))
    i = _bin_index((xc - start) / step, 1, n - 3)
    p0, p1, p2, p3 = q[i - 1], q[i], q[i + 1], q[i + 2]
    c2 = (2 * p0 - 5 * p1 + 4 * p2 - p3) / 2
    c3 = (-p0 + 3 * p1 - 3 * p2 + p3) / 2
    knot = start + i.to(x.dtype) * step
    t = (xc - knot) / step
    left = p1 + t * ((p2 - p0) / 2 + t * (c2 + t * c3))
    tau = (xc - (knot + step)) / step  # t - 1, from the right knot
    right = p2 + tau * ((p3 - p1) / 2 + tau * ((c2 + 3 * c3) + tau * c3))
    y = torch.where(t <= 0.5, left, right)
    return torch.where(torch.isnan(x), x, y)


# --------------------------------------------------------------------------- KAF

KAF_SIZE, KAF_BOUNDARY = 20, 3.0
KAF_GAMMA = 1.6712962962962965  # 1/(6Δ²), Δ = 2·3/19 (the paper's rule of thumb)
# kernel ridge regression of softplus on the dictionary: (K + 1e-3 I) α = softplus(d)
KAF_INIT = (
    0.045102421391184026, -0.04011694395788495, 0.07129445649170556, -0.019949785774237793,
    0.06753024279256746, 0.02638514677453504, 0.03977349522946635, 0.16408388421681477,
    -0.05161461033817999, 0.2895976669036235, 0.17799860263105693, -0.18036870450602077,
    1.139504033039356, -0.7587237494512983, 0.7129602640208097, 2.2781464961147253,
    -4.788566978330195, 9.069159181807478, -8.482624114400284, 6.466932790562937,
)


def kaf_dictionary(boundary: float, size: int) -> list[float]:
    """The dictionary d_j = -boundary + j·(2·boundary/(size - 1)), j = 0..size-1, in double arithmetic."""
    step = 2 * boundary / (size - 1)
    return [-boundary + j * step for j in range(size)]


@activation(
    "kernel_activation_function",
    family="polynomial",
    latex=r"\sum_{j=1}^{20} \alpha_j e^{-\gamma (x - d_j)^2}",
    text="sum_j alpha_j exp(-gamma (x - d_j)^2) for j in 1..20, d_j uniform on [-boundary, boundary]",
    citation=SCARDAPANE_2019,
    params=(
        Param("coefficients", KAF_INIT, "mixing coefficients α_1..α_20 (learnable)", trainable=True,
              kind="vector"),
        Param("gamma", KAF_GAMMA, "kernel bandwidth γ > 0 (fixed)", low=0.0, low_inclusive=False),
        Param("boundary", KAF_BOUNDARY, "half-width of the dictionary's range (fixed)", low=0.0,
              low_inclusive=False),
    ),
    names=("KAF", "Kernel activation function", "Kafnet"),
    survey=("KAF",),
    relations=(Relation("related", "softplus", note="the defaults are a kernel ridge fit of softplus "
                        "(max error 0.028 on [-3, 3])"),),
    source="Scardapane et al. (2019): KAF(x) = Σ_j α_j κ(x, d_j), Gaussian kernel κ = exp(-γ(x - d)²), "
    "only α learned, dictionary of D elements uniformly spaced around 0, bandwidth γ = 1/(6Δ²) for grid "
    "spacing Δ (survey §4.61); D = 20 on [-3, 3] as in the authors' code (ispamm/kernel-activation-"
    "functions, pytorch/kafnets.py).",
    notes="Kernel activation function with a 20-element dictionary (the vector size). The authors' code "
    "uses γ = 1/(8Δ²) where the paper states 1/(6Δ²); the paper decides. The coefficients are initialised "
    "randomly or by kernel ridge regression to a chosen function in the paper; the default here (ours) "
    "is the ridge fit (K + 10⁻³ I)α = softplus(d) (softplus keeps the expansion positive and well "
    "conditioned). 2D-KAF is not elementwise and not here.",
)
def kernel_activation_function(x: Tensor, coefficients: Any = KAF_INIT, gamma: Any = KAF_GAMMA,
                               boundary: Any = KAF_BOUNDARY) -> Tensor:
    r""":math:`\sum_j \alpha_j e^{-\gamma (x - d_j)^2}`."""
    alpha = _vec(coefficients, x)
    n = alpha.shape[0]
    j = torch.arange(n, dtype=x.dtype, device=x.device)
    d = -boundary + j * (2 * boundary / (n - 1))
    z = x.unsqueeze(-1) - d
    return (alpha * torch.exp(-(z * z) * gamma)).sum(-1)
