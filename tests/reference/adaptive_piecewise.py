"""References: adaptive piecewise and shape-learning units (survey §4.32-§4.54), written from the
papers' and the survey's definitions, never from actlab's code.

Bin and table units (MTLU, CPN, PWLU, LuTU) put x into the bin floor((x - start)/width) and place
their knots at start + j*width, both evaluated in IEEE double arithmetic (Python floats), which is
part of their definition for float inputs; everything else is evaluated exactly (50 digits).
"""

import math

from mpmath import cos, log, mpf, ncdf, npdf, pi, sin

from tests.reference import ref
from tests.reference.sigmoidal import exp_, logistic

HATS = ((2.0, 2.0), (1.0, 1.0), (3.0, 1.0), (0.5, 0.5), (1.5, 0.5), (2.5, 0.5), (3.5, 0.5))


def _relu(v):
    return v if v > 0 else mpf(0)


def _hat(x, centre, half):
    return _relu(half - abs(x - centre))


def _melu(x, a, coefficients, max_input, wavelet):
    m = mpf(max_input)
    y = x if x > 0 else mpf(a) * x
    for c, (centre, half) in zip(coefficients, HATS):
        phi = _hat(x, m * centre, m * half)
        if wavelet:  # max(λ - |x - a|, 0) + min(|x - a - 2λ| - λ, 0)
            phi += min(abs(x - m * centre - 2 * m * half) - m * half, mpf(0))
        y += mpf(c) * phi
    return y


@ref("mexican_relu", cases=[
    {"a": 0.1, "coefficients": (0.5, -0.3, 0.8)},
    {"a": 0.0, "coefficients": (-1.0, 2.0, 0.25), "max_input": 2.5},
])
def mexican_relu(x, a=0.25, coefficients=(0.0, 0.0, 0.0), max_input=1.0):
    return _melu(x, a, coefficients, max_input, False)


@ref("mexican_relu_k8", cases=[
    {"a": 0.3, "coefficients": (0.5, -0.3, 0.8, 0.1, -0.2, 0.7, -0.4), "max_input": 0.75},
])
def mexican_relu_k8(x, a=0.25, coefficients=(0.0,) * 7, max_input=1.0):
    return _melu(x, a, coefficients, max_input, False)


@ref("gaussian_relu", cases=[
    {"a": 0.1, "coefficients": (0.5, -0.3, 0.8)},
    {"a": 0.5, "coefficients": (1.0, 1.0, -1.0), "max_input": 0.5},
])
def gaussian_relu(x, a=0.25, coefficients=(0.0, 0.0, 0.0), max_input=1.0):
    return _melu(x, a, coefficients, max_input, True)


@ref("modified_mexican_relu", cases=[{"a": 0.2, "b": 2.0, "c": -0.75}, {"a": 1.0, "b": 0.3, "c": 1.5},
                                      {"a": 0.0}])
def modified_mexican_relu(x, a=0.5, b=1.0, c=0.0):
    a, b, c = mpf(a), mpf(b), mpf(c)
    return a * _relu(b - abs(x - c)) + (1 - a) * _relu(x)


@ref("adaptive_hard_swish", cases=[{"b": 0.3}, {"b": 4.0}])
def adaptive_hard_swish(x, b=1.0):
    h = mpf("0.2") * mpf(b) * x + mpf("0.5")
    return 2 * x * max(mpf(0), min(h, mpf(1)))


@ref("adaptive_lisa", cases=[{"a_left": 0.2, "a_right": 0.5}, {"a_left": -0.1, "a_right": 1.5}])
def adaptive_lisa(x, a_left=0.01, a_right=0.1):
    ar, al = mpf(a_right), mpf(a_left)
    if x >= 1:
        return ar * x - ar + 1
    if x <= 0:
        return al * x
    return x


@ref("piecewise_linear_unit", cases=[{"a": 0.25, "c": 2.0}, {"a": 0.0, "c": 0.5}, {"a": 1.0}])
def piecewise_linear_unit(x, a=0.1, c=1.0):
    a, c = mpf(a), mpf(c)
    return max(a * (x + c) - c, min(a * (x - c) + c, x))


@ref("adaptive_linear_unit", cases=[
    {"a": 0.5, "b": -0.25, "c": 2.0, "d": 0.3, "e": -0.6},
    {"a": -1.0, "b": 1.0, "c": 0.5, "d": 1.5, "e": -3.0},
])
def adaptive_linear_unit(x, a=0.0, b=0.0, c=1.0, d=0.1, e=-1.0):
    u = x - mpf(a)
    p = mpf(c) * u if u > 0 else mpf(d) * u
    return max(p, mpf(e)) + mpf(b)


@ref("aria", cases=[
    {"A": 0.1, "K": 1.5, "C": 0.5, "Q": 2.0, "B": 1.3, "nu": 0.7},
    {"A": -0.2, "K": 0.8, "C": 2.0, "Q": 0.25, "B": -0.5, "nu": 3.0},
])
def aria(x, A=0.0, K=1.0, C=1.0, Q=1.0, B=1.0, nu=1.0):
    A, K, C, Q, B, nu = (mpf(v) for v in (A, K, C, Q, B, nu))
    return x * (A + (K - A) * exp_(-log(C + Q * exp_(-B * x)) / nu))


@ref("aria2", cases=[{"a": 1.75, "b": 1.0}, {"a": 0.5, "b": -3.0}])
def aria2(x, a=1.5, b=2.0):
    return x * (1 + exp_(-mpf(b) * x)) ** (-mpf(a))


@ref("modified_weibull", cases=[{"a": 0.5, "b": 3, "c": 2.0, "d": 2}, {"a": 2.0, "b": 1, "c": 1.5, "d": 4}])
def modified_weibull(x, a=1.0, b=2, c=1.0, d=2):
    return (x / mpf(a)) ** (b - 1) * exp_(-((x / mpf(c)) ** d))


@ref("sincos", cases=[{"a": 0.5, "b": 2.0, "c": -1.5, "d": 0.3}])
def sincos(x, a=1.0, b=1.0, c=1.0, d=1.0):
    return mpf(a) * sin(mpf(b) * x) + mpf(c) * cos(mpf(d) * x)


@ref("sine_sigmoid", cases=[{"a": 0.5, "b": 2.0, "c": -1.5, "d": 0.3}])
def sine_sigmoid(x, a=1.0, b=1.0, c=1.0, d=1.0):
    return mpf(a) * sin(mpf(b) * x) + mpf(c) * logistic(mpf(d) * x)


@ref("expcos", cases=[{"a": 0.25, "b": 3.0}, {"a": 2.0, "b": -0.5}])
def expcos(x, a=1.0, b=1.0):
    return exp_(-mpf(a) * x * x) * cos(mpf(b) * x)


# ----------------------------------------------------------------- multi-bin units

def _bin(x, width, n):
    """floor(x / width) in double arithmetic, clipped to the n bins around 0 (0-based)."""
    half = n // 2
    t = math.floor(float(x) / float(width)) if abs(float(x)) < 1e300 else (1e300 if x > 0 else -1e300)
    return int(min(max(t, -half), n - 1 - half)) + half


MTLU_SLOPES = (0.0,) * 10 + (1.0,) * 10
MTLU_ZEROS = (0.0,) * 20
CASE_SLOPES = tuple(math.sin(1.3 * k) for k in range(20))
CASE_INTERCEPTS = tuple(0.5 * math.cos(0.7 * k) for k in range(20))
CASE_NONLINEAR = tuple(0.3 * math.sin(2.1 * k + 0.4) for k in range(20))


@ref("multibin_trainable_linear_unit", cases=[
    {"slopes": CASE_SLOPES, "intercepts": CASE_INTERCEPTS, "width": 0.25},
    {"slopes": tuple(1.0 - 0.05 * k for k in range(20)), "intercepts": MTLU_ZEROS, "width": 0.5},
])
def multibin_trainable_linear_unit(x, slopes=MTLU_SLOPES, intercepts=MTLU_ZEROS, width=0.1):
    k = _bin(x, width, len(slopes))
    return mpf(slopes[k]) * x + mpf(intercepts[k])


@ref("piecewise_nonlinear_cpn", cases=[
    {"slopes": CASE_SLOPES, "intercepts": CASE_INTERCEPTS, "nonlinear": CASE_NONLINEAR, "width": 0.25},
])
def piecewise_nonlinear_cpn(x, slopes=MTLU_SLOPES, intercepts=MTLU_ZEROS, nonlinear=MTLU_ZEROS, width=0.1):
    k = _bin(x, width, len(slopes))
    return mpf(slopes[k]) * x + mpf(intercepts[k]) + mpf(nonlinear[k]) * logistic(x)


CPNMC_VALUES = tuple(max(0.0, (k - 9) * 0.1) for k in range(20))


@ref("continuous_piecewise_linear_cpn", cases=[
    {"values": tuple(math.sin(0.9 * k) + 0.1 * k for k in range(20)), "width": 0.25},
])
def continuous_piecewise_linear_cpn(x, values=CPNMC_VALUES, width=0.1):
    n = len(values)
    k = _bin(x, width, n)
    left = float(k - n // 2) * float(width)  # left end of bin k; y_{-1} = 0 at the left end of bin 0
    prev = mpf(0) if k == 0 else mpf(values[k - 1])
    return prev + (mpf(values[k]) - prev) * (x - mpf(left)) / mpf(width)


@ref("max_piecewise_nonlinear_cpn", cases=[
    {"a": (1.0, 0.5, -0.2, 0.1), "b": (0.3, -0.5, 1.0, 0.0), "c": (0.0, 0.2, -0.1, 0.4)},
])
def max_piecewise_nonlinear_cpn(x, a=(1.0, 1.0, 0.0, 0.0), b=(0.0,) * 4, c=(0.0,) * 4):
    silu = x * logistic(x)
    return max(mpf(ak) * x + mpf(bk) * silu + mpf(ck) for ak, bk, ck in zip(a, b, c))


PWLU_POINTS = tuple(max(0.0, -3.0 + i * 0.375) for i in range(17))


@ref("pwlu", cases=[
    {"points": tuple(math.tanh(-2.0 + 0.25 * i) + 0.05 * i for i in range(17)), "left": -2.0, "right": 2.0,
     "slope_left": 0.1, "slope_right": 0.5},
    {"points": tuple(0.1 * i * i for i in range(17)), "left": -1.0, "right": 3.0, "slope_left": -0.5,
     "slope_right": 2.0},
])
def pwlu(x, points=PWLU_POINTS, left=-3.0, right=3.0, slope_left=0.0, slope_right=1.0):
    n = len(points) - 1
    if x < left:
        return (x - mpf(left)) * mpf(slope_left) + mpf(points[0])
    if x >= right:
        return (x - mpf(right)) * mpf(slope_right) + mpf(points[n])
    d = (float(right) - float(left)) / n  # the knots B_i = B_L + i d, in double arithmetic
    i = min(max(math.floor((float(x) - float(left)) / d), 0), n - 1)
    knot = float(left) + i * d
    return mpf(points[i]) + (mpf(points[i + 1]) - mpf(points[i])) * (x - mpf(knot)) / mpf(d)


@ref("non_uniform_pwlu", cases=[
    {"left": -1.5, "widths": (0.5, 1.0, 0.25, 2.0), "slopes": (0.2, -0.5, 1.5, 0.7), "slope_left": 0.05,
     "slope_right": 1.2, "value_left": -0.3},
    {"widths": (-1.0, 0.5, -0.5, 1.5), "slopes": (1.0, 0.0, 2.0, -1.0)},
])
def non_uniform_pwlu(x, left=-2.0, widths=(1.0,) * 4, slopes=(0.0, 0.0, 1.0, 1.0), slope_left=0.0,
                     slope_right=1.0, value_left=0.0):
    b = mpf(left)
    y = mpf(value_left) + mpf(slope_left) * min(x - b, mpf(0))
    for w, k in zip(widths, slopes):  # each interval adds its slope times the part of x inside it
        w = abs(mpf(w))
        y += mpf(k) * min(max(x - b, mpf(0)), w)
        b += w
    return y + mpf(slope_right) * max(x - b, mpf(0))


LUTU_VALUES = tuple(max(0.0, -12.0 + j * 0.1) for j in range(241))


def _anchor(start, step, j):
    return float(start) + j * float(step)  # a_j = a_0 + s j in double arithmetic


@ref("lutu_linear", cases=[
    {"values": tuple(math.sin(0.1 * j) for j in range(241)), "start": -12.0, "step": 0.1},
    {"values": tuple(0.01 * j for j in range(241)), "start": -6.0, "step": 0.05},
])
def lutu_linear(x, values=LUTU_VALUES, start=-12.0, step=0.1):
    n = len(values) - 1
    j = min(max(math.floor((float(x) - float(start)) / float(step)), 0), n - 1) if abs(x) < 1e300 else (
        0 if x < 0 else n - 1)
    a = mpf(_anchor(start, step, j))
    return mpf(values[j]) + (mpf(values[j + 1]) - mpf(values[j])) * (x - a) / mpf(step)


@ref("lutu_cosine", cases=[
    {"values": tuple(math.sin(0.1 * j) for j in range(241)), "t": 1},
    {"values": tuple(0.01 * j for j in range(241)), "start": -6.0, "step": 0.05, "t": 3},
])
def lutu_cosine(x, values=LUTU_VALUES, start=-12.0, step=0.1, t=2):
    tau = mpf(t) * mpf(step)
    total = mpf(0)
    for j, b in enumerate(values):
        dist = x - mpf(_anchor(start, step, j))
        if abs(dist) < tau:
            total += mpf(b) * (1 + cos(pi * dist / tau))
    return mpf(step) / (2 * tau) * total


# ----------------------------------------------------------------- TruG

def _trunc_mean(x, xi1, xi2, sigma):
    """Mean of N(x, σ²) truncated to [ξ1, ξ2] (ξ2 may be +inf), from the truncated-normal formula."""
    s = mpf(sigma)
    a = (mpf(xi1) - x) / s
    if xi2 is None:
        den = ncdf(-a)  # 1 - Φ(a)
        return x + s * npdf(a) / den
    b = (mpf(xi2) - x) / s
    den = ncdf(-a) - ncdf(-b) if a >= 0 else ncdf(b) - ncdf(a)
    return x + s * (npdf(a) - npdf(b)) / den


@ref("truncated_gaussian_unit", cases=[
    {"xi1": 0.0, "xi2": 1.0, "sigma": 0.5},
    {"xi1": -2.0, "xi2": 0.5, "sigma": 2.0},
    {"xi1": -0.3, "xi2": 0.3, "sigma": 0.25},
])
def truncated_gaussian_unit(x, xi1=-1.0, xi2=1.0, sigma=1.0):
    if abs(x) > 1e12:  # the mean tends to the truncation point on that side
        return mpf(xi1) if x < 0 else mpf(xi2)
    return _trunc_mean(x, xi1, xi2, sigma)


@ref("truncated_gaussian_unit_relu", cases=[{"xi1": -1.0, "sigma": 0.5}, {"xi1": 0.5, "sigma": 2.0}])
def truncated_gaussian_unit_relu(x, xi1=0.0, sigma=1.0):
    if x > 1e12:
        return x
    if x < -1e12:
        return mpf(xi1) + mpf(sigma) ** 2 / (mpf(xi1) - x)
    return _trunc_mean(x, xi1, None, sigma)

