"""References: the survey's sigmoid-weighted linear units (§3.3) beyond the classics, and the presets
that are other entries under another name, written from the printed formulas (never from actlab's
code). ``precise``/``exp_`` as in ``tests.reference.sigmoidal``.
"""

from mpmath import atan, cosh, exp, log, mpf, pi, sin, sqrt, tanh

from tests.reference import ref
from tests.reference.sigmoidal import exp_, logistic, precise


@ref("ts_swish", cases=[{"a": 1.0, "b": 2.0}])
def ts_swish(x, a=20.0, b=40.0):
    s = logistic(x)
    return x * s * (s + logistic(x - mpf(a)) + logistic(x - mpf(b)))


@ref("generalized_swish")
def generalized_swish(x):
    return x * logistic(exp_(-x))


@ref("exponential_swish")
def exponential_swish(x):
    e = exp(-x)
    return e / (1 + e)  # e^{-z} σ(z) with σ(z) = 1/(1 + e^{-z})


@ref("dsigmoid")
@precise
def dsigmoid(x):
    s = logistic(x)
    return s * (1 - s)  # the derivative of the logistic sigmoid (= e^{-z} σ(z)^2)


@ref("loglogish")
@precise
def loglogish(x):
    return x * (1 - exp_(-exp_(x)))


@ref("expexpish")
def expexpish(x):
    return x * exp_(-exp_(-x))


@ref("self_arctan")
def self_arctan(x):
    return x * atan(x)


@ref("plogish", cases=[{"a": 2.0, "b": 1.0}])
@precise
def plogish(x, a=1.0, b=10.0):
    return mpf(a) * x * log(1 + logistic(mpf(b) * x))


@ref("suish")
def suish(x):
    return max(x, x * exp(-abs(x)))


@ref("tsrelu")
def tsrelu(x):
    return x * tanh(logistic(x))


@ref("tbsrelu")
@precise
def tbsrelu(x):
    e = exp(-x)
    return x * tanh((1 - e) / (1 + e))


@ref("double_silu")
def double_silu(x):
    return x * logistic(x * logistic(x))


@ref("msilu")
def msilu(x):
    return x * logistic(x) + exp(-x**2 - 1) / 4


@ref("tsilu")
def tsilu(x):
    u = x * logistic(x)
    return (exp(u) - exp(-u)) / (exp(u) + exp(-u))


@ref("asilu")
def asilu(x):
    return atan(x * logistic(x))


@ref("swat")
def swat(x):
    return x / (1 + exp(-atan(x)))


@ref("rehsec")
def rehsec(x):
    return x / cosh(x)


@ref("eanaf")
def eanaf(x):
    return x * exp(x) / (exp(x) + 2)


@ref("sinsig")
def sinsig(x):
    return x * sin(pi / 2 * logistic(x))


@ref("sielu")
def sielu(x):
    return x * logistic(2 * sqrt(2 / pi) * (x + mpf("0.044715") * x**3))


@ref("telu_2024")
def telu_2024(x):
    return x * tanh(exp_(x))
