"""References: the "Plus" family (survey §4.55, Pan et al.'s MSRF smoothing), the published forms
with |u|_ε = sqrt(u² + ε), evaluated with 120 digits (the forms cancel in the flat regions)."""

import functools

from mpmath import log, mp, mpf, sqrt

from tests.reference import ref
from tests.reference.sigmoidal import exp_

HATS = ((2.0, 2.0), (1.0, 1.0), (3.0, 1.0))


def digits(f):
    @functools.wraps(f)
    def g(x, **params):
        with mp.workdps(120):
            return f(mpf(x), **params)

    return g


def m(u, eps):
    """The mollified absolute value |u|_ε."""
    return sqrt(u * u + mpf(eps))


@ref("step_plus", cases=[{"eps": 1.0}, {"eps": 1e-4}])
@digits
def step_plus(x, eps=0.01):
    return (1 + x / m(x, eps)) / 2


@ref("bipolar_plus", cases=[{"eps": 2.0}, {"eps": 1e-4}])
@digits
def bipolar_plus(x, eps=0.01):
    return x / m(x, eps)


@ref("vrelu_plus", cases=[{"eps": 0.5}])
@digits
def vrelu_plus(x, eps=0.01):
    return m(x, eps)


@ref("brelu_plus", cases=[{"eps": 0.25}, {"eps": 1e-4}])
@digits
def brelu_plus(x, eps=0.01):
    return (1 + m(x, eps) - m(x - 1, eps)) / 2


@ref("srelu_plus", cases=[{"a": 0.3, "t": 0.5, "eps": 0.1}, {"a": -0.2, "t": 2.0}, {"a": 1.5, "t": 1.0}])
@digits
def srelu_plus(x, a=0.1, t=1.0, eps=0.01):
    a, t = mpf(a), mpf(t)
    return a * x + (a - 1) * (m(x - t, eps) - m(x + t, eps)) / 2


@ref("hardtanh_plus", cases=[{"eps": 0.3}])
@digits
def hardtanh_plus(x, eps=0.01):
    return (m(x + 1, eps) - m(x - 1, eps)) / 2


@ref("signrelu_plus", cases=[{"eps": 0.5}, {"eps": 1e-4}])
@digits
def signrelu_plus(x, eps=0.01):
    return (x + m(x, eps)) / 2 + (x - m(x, eps)) / (2 * m(1 - x, eps))


@ref("softshrink_plus", cases=[{"a": 1.5, "eps": 0.1}, {"a": 0.1, "eps": 1e-4}])
@digits
def softshrink_plus(x, a=0.5, eps=0.01):
    a = mpf(a)
    return x + (m(x - a, eps) - m(x + a, eps)) / 2


@ref("pan_plus", cases=[{"a": 0.5, "eps": 0.1}, {"a": 2.0, "eps": 1e-4}])
@digits
def pan_plus(x, a=1.0, eps=0.01):
    a = mpf(a)
    return -a + (m(x - a, eps) + m(x + a, eps)) / 2


@ref("hardshrink_plus", cases=[{"a": 1.5, "eps": 0.1}, {"a": 0.1, "eps": 1e-4}])
@digits
def hardshrink_plus(x, a=0.5, eps=0.01):
    a = mpf(a)
    return x * (1 + ((x - a) / m(x - a, eps) - (x + a) / m(x + a, eps)) / 2)


@ref("melu_plus", cases=[
    {"a": 0.1, "coefficients": (0.5, -0.3, 0.8)},
    {"a": 0.6, "coefficients": (-1.0, 2.0, 0.25), "max_input": 2.5, "eps": 0.1},
])
@digits
def melu_plus(x, a=0.1, coefficients=(0.0, 0.0, 0.0), max_input=1.0, eps=0.01):
    a, mm = mpf(a), mpf(max_input)
    y = (x + a * x + m((1 - a) * x, eps)) / 2  # LReLUPlus
    for c, (centre, half) in zip(coefficients, HATS):
        v = mm * half - m(x - mm * centre, eps)
        y += mpf(c) * (v + m(v, eps)) / 2
    return y


@ref("elu_plus", cases=[{"alpha": 0.5, "eps": 0.1}, {"alpha": 2.0, "eps": 1e-4}])
@digits
def elu_plus(x, alpha=1.0, eps=0.01):
    u = mpf(alpha) * (exp_(x) - 1)
    return (x + m(x, eps)) / 2 + (u - m(u, eps)) / 2


@ref("swish_plus", cases=[{"eps": 1.0}])
@digits
def swish_plus(x, eps=0.01):
    return x * (1 + x / m(x, eps)) / 2


@ref("mish_plus", cases=[{"eps": 1.0}, {"eps": 1e-4}])
@digits
def mish_plus(x, eps=0.01):
    sp = (x + m(x, eps)) / 2
    return x * sp / m(sp, eps)


@ref("logish_plus", cases=[{"eps": 1.0}])
@digits
def logish_plus(x, eps=0.01):
    return x * log(1 + (1 + x / m(x, eps)) / 2)


@ref("softsign_plus", cases=[{"eps": 1.0}])
@digits
def softsign_plus(x, eps=0.01):
    return x / (1 + m(x, eps))
