"""References: expansions with learned coefficients (survey §4.48.6-§4.53, §4.61), written from the
definitions (polynomial families from their closed forms via mpmath, not recurrences)."""

import math

from mpmath import chebyt, cos, hermite, legendre, mpf, pi, sin, sqrt

from tests.reference import ref
from tests.reference.sigmoidal import exp_

S2P = sqrt(2 * pi)
SP = sqrt(pi)
CASE4 = (0.3, -1.2, 0.5, 0.25)


@ref("self_learnable_polynomial", cases=[{"coefficients": CASE4}, {"coefficients": (0.0, 1.0, 0.0, 0.0)}])
def self_learnable_polynomial(x, coefficients=(1 / (2 * math.sqrt(2 * math.pi)), 0.5,
                                               1 / (2 * math.sqrt(2 * math.pi)), 0.0)):
    return sum(mpf(a) * x**j for j, a in enumerate(coefficients))


@ref("chebyshev_polynomial_activation", cases=[{"coefficients": CASE4}])
def chebyshev_polynomial_activation(x, coefficients=(1 / math.pi, 0.5, 2 / (3 * math.pi), 0.0)):
    return sum(mpf(a) * chebyt(j, x) for j, a in enumerate(coefficients))


@ref("legendre_polynomial_activation", cases=[{"coefficients": CASE4}])
def legendre_polynomial_activation(x, coefficients=(0.25, 0.5, 5 / 16, 0.0)):
    return sum(mpf(a) * legendre(j, x) for j, a in enumerate(coefficients))


@ref("hermite_polynomial_activation", cases=[{"coefficients": CASE4}])
def hermite_polynomial_activation(x, coefficients=(1 / (2 * math.sqrt(math.pi)), 0.25,
                                                   1 / (8 * math.sqrt(math.pi)), 0.0)):
    return sum(mpf(a) * hermite(j, x) for j, a in enumerate(coefficients))  # physicists' H_j


@ref("mixture_of_gaussians_unit", cases=[
    {"scales": (0.5, -1.0, 2.0), "means": (-2.0, 0.5, 1.5), "sigmas": (0.3, 1.5, -0.8)},
])
def mixture_of_gaussians_unit(x, scales=(1.0,) * 3, means=(-1.0, 0.0, 1.0), sigmas=(1.0,) * 3):
    total = mpf(0)
    for a, mu, sg in zip(scales, means, sigmas):
        sg = abs(mpf(sg))
        total += mpf(a) / (S2P * sg) * exp_(-((x - mpf(mu)) ** 2) / (2 * sg * sg))
    return total


FSA_COS = tuple(-2 / (math.pi * j * j) if j % 2 else 0.0 for j in range(1, 6))
FSA_SIN = tuple((-1) ** (j + 1) / j for j in range(1, 6))


@ref("fourier_series_activation", cases=[
    {"a": 0.1, "cos_coefficients": (0.5, -0.2, 0.1, 0.0, 0.3), "sin_coefficients": (1.0, 0.0, -0.4, 0.2, 0.1),
     "d": 0.7},
])
def fourier_series_activation(x, a=math.pi / 4, cos_coefficients=FSA_COS, sin_coefficients=FSA_SIN, d=1.0):
    d = mpf(d)
    return mpf(a) + sum(mpf(b) * cos(j * d * x) + mpf(c) * sin(j * d * x)
                        for j, (b, c) in enumerate(zip(cos_coefficients, sin_coefficients), start=1))


@ref("enhanced_rational_activation", cases=[
    {"a": 0.2, "b": -0.5, "c": 1.5, "d": 0.3, "e": 0.7, "f": 0.9},
    {"a": 1.0, "b": 0.0, "c": -2.0, "d": 1.0, "e": -1.5, "f": 0.0, "eps": 0.01},
])
def enhanced_rational_activation(x, a=0.5, b=4.332260916305448, c=0.0, d=-85.56192725699964, e=0.0,
                                 f=4.454425347925945, eps=1e-6):
    a, b, c, d, e, f = (mpf(v) for v in (a, b, c, d, e, f))
    return a * x + b + (c * x + d) / ((x - e) ** 2 + f * f + mpf(eps))


def _hermite_prob(j, x):
    """He_j(x) = 2^{-j/2} H_j(x/√2)."""
    return hermite(j, x / sqrt(2)) / sqrt(2) ** j


def _safe_pade(x, numerator, denominator, r):
    num = sum(mpf(a) * r(j, x) for j, a in enumerate(numerator))
    den = 1 + sum(abs(mpf(b)) * abs(r(k, x)) for k, b in enumerate(denominator, start=1))
    return num / den


HP1_NUM = (2.737781993151884, 4.420915873195986, 2.8013349718892453, 0.8032935135848042,
           0.06594554194611035, -0.035371536793451126)
HP1_DEN = (4.038352802656133, 0.628843336015959, 8.876487892189856e-06, 1.8404565182888486e-09)
HP2_NUM = (3.564046677914453, 4.241673102626368, 2.026428461264028, 0.5086559892525607,
           0.05737280534927158, 0.0018323610195475442)
HP2_DEN = (4.879473287862908, 0.8865705891497688, 0.08063178489162408, 0.008407873014168767)
CASE_NUM = (0.1, 1.0, 0.5, -0.2, 0.1, 0.05)
CASE_DEN = (0.5, -1.0, 0.2, 2.0)


@ref("safe_hermite_pade_prob", cases=[{"numerator": CASE_NUM, "denominator": CASE_DEN}])
def safe_hermite_pade_prob(x, numerator=HP1_NUM, denominator=HP1_DEN):
    return _safe_pade(x, numerator, denominator, _hermite_prob)


@ref("safe_hermite_pade_phys", cases=[{"numerator": CASE_NUM, "denominator": CASE_DEN}])
def safe_hermite_pade_phys(x, numerator=HP2_NUM, denominator=HP2_DEN):
    return _safe_pade(x, numerator, denominator, hermite)


SAF_INIT = tuple(math.tanh(-2.0 + k * 0.2) for k in range(21))


@ref("spline_activation", cases=[
    {"control_points": tuple(math.sin(0.7 * k) + 0.05 * k for k in range(21))},
    {"control_points": tuple(max(0.0, -1.0 + 0.125 * k) for k in range(21)), "start": -1.0, "step": 0.125},
])
def spline_activation(x, control_points=SAF_INIT, start=-2.0, step=0.2):
    """Uniform Catmull-Rom spline through (x_k, q_k), x_k = start + k step (double arithmetic), constant
    outside [x_1, x_{Q-2}]."""
    q = [mpf(v) for v in control_points]
    n = len(q)
    lo, hi = float(start) + float(step), float(start) + (n - 2) * float(step)
    if x < lo:
        return q[1]
    if x > hi:
        return q[n - 2]
    i = min(max(math.floor((float(x) - float(start)) / float(step)), 1), n - 3)
    t = (x - mpf(float(start) + i * float(step))) / mpf(step)
    p0, p1, p2, p3 = q[i - 1], q[i], q[i + 1], q[i + 2]
    return (2 * p1 + (p2 - p0) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t**2
            + (-p0 + 3 * p1 - 3 * p2 + p3) * t**3) / 2


KAF_INIT = (
    0.045102421391184026, -0.04011694395788495, 0.07129445649170556, -0.019949785774237793,
    0.06753024279256746, 0.02638514677453504, 0.03977349522946635, 0.16408388421681477,
    -0.05161461033817999, 0.2895976669036235, 0.17799860263105693, -0.18036870450602077,
    1.139504033039356, -0.7587237494512983, 0.7129602640208097, 2.2781464961147253,
    -4.788566978330195, 9.069159181807478, -8.482624114400284, 6.466932790562937,
)


@ref("kernel_activation_function", cases=[
    {"coefficients": tuple(0.3 * math.cos(0.9 * j) for j in range(20)), "gamma": 0.5, "boundary": 2.0},
])
def kernel_activation_function(x, coefficients=KAF_INIT, gamma=1.6712962962962965, boundary=3.0):
    n = len(coefficients)
    step = 2 * float(boundary) / (n - 1)
    total = mpf(0)
    for j, a in enumerate(coefficients):
        d = mpf(-float(boundary) + j * step)
        total += mpf(a) * exp_(-mpf(gamma) * (x - d) ** 2)
    return total


