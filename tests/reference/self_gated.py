"""References: self-gated units x·g(x) (written from the papers' definitions, never from actlab's code).

Published forms that cancel in a tail at 50 digits (1 + erf, 1 + tanh, 2 - exp(-e^x), ...) are
evaluated with 340 significant digits (``precise``); nested exponentials use ``exp_`` (see
``tests.reference.sigmoidal``).
"""

from mpmath import atan, erf, log, mpf, pi, sqrt, tanh

from tests.reference import ref
from tests.reference.sigmoidal import exp_, logistic, precise


def Phi(x):
    """Standard normal CDF as published: (1 + erf(x/√2))/2."""
    return (1 + erf(x / sqrt(2))) / 2


def softplus(x):
    return log(1 + exp_(x))


@ref("gelu")
@precise
def gelu(x):
    return x * Phi(x)


@ref("gelu_tanh")
@precise
def gelu_tanh(x):
    return x / 2 * (1 + tanh(sqrt(2 / pi) * (x + mpf("0.044715") * x**3)))


@ref("silu")
def silu(x):
    return x * logistic(x)


@ref("swish", cases=[
    {'beta': 2.5},
])
def swish(x, beta=1.0):
    return x * logistic(mpf(beta) * x)


@ref("mish")
@precise
def mish(x):
    return x * tanh(softplus(x))


@ref("hardswish")
def hardswish(x):
    if x <= -3:
        return mpf(0)
    if x >= 3:
        return x
    return x * (x + 3) / 6


@ref("golu", cases=[
    {'alpha': 2.0, 'beta': 0.5, 'gamma': 3.0},
])
def golu(x, alpha=1.0, beta=1.0, gamma=1.0):
    return x * mpf(alpha) * exp_(-mpf(beta) * exp_(-mpf(gamma) * x))


@ref("aptx", cases=[
    {'alpha': 0.5, 'beta': 2.0, 'gamma': 1.5},
])
@precise
def aptx(x, alpha=1.0, beta=1.0, gamma=0.5):
    return (mpf(alpha) + tanh(mpf(beta) * x)) * mpf(gamma) * x


@ref("xatlu", cases=[
    {'alpha': 0.3},
])
@precise
def xatlu(x, alpha=0.0):
    a = mpf(alpha)
    return x * (atan(x) * (1 + 2 * a) / pi + mpf(1) / 2)


@ref("xgelu", cases=[
    {'alpha': 0.3},
])
@precise
def xgelu(x, alpha=0.0):
    a = mpf(alpha)
    return x * (erf(x / sqrt(2)) * (mpf(1) / 2 + a) + mpf(1) / 2)


@ref("xsilu", cases=[
    {'alpha': 0.3},
])
def xsilu(x, alpha=0.0):
    a = mpf(alpha)
    return x * (logistic(x) * (1 + 2 * a) - a)


@ref("aglu", cases=[
    {'lambd': 0.3, 'kappa': 2.0},
])
def aglu(x, lambd=1.0, kappa=1.0):
    lam, k = mpf(lambd), mpf(kappa)
    return x * (lam * exp_(-k * x) + 1) ** (-1 / lam)


@ref("lisht")
def lisht(x):
    return x * tanh(x)


@ref("serf")
@precise
def serf(x):
    return x * erf(softplus(x))


@ref("smish", cases=[
    {'alpha': 2.0, 'beta': 0.5},
])
@precise
def smish(x, alpha=1.0, beta=1.0):
    return mpf(alpha) * x * tanh(log(1 + logistic(mpf(beta) * x)))


@ref("logish")
def logish(x):
    return x * log(1 + logistic(x))


@ref("tanhexp")
def tanhexp(x):
    return x * tanh(exp_(x))


@ref("eswish", cases=[
    {'beta': 1.8},
])
def eswish(x, beta=1.375):
    return mpf(beta) * x * logistic(x)


@ref("gish")
@precise
def gish(x):
    return x * log(2 - exp_(-exp_(x)))


@ref("phish")
@precise
def phish(x):
    return x * tanh(x * Phi(x))


@ref("sgelu", cases=[
    {'alpha': 1.5},
])
def sgelu(x, alpha=0.1):
    return mpf(alpha) * x * erf(x / sqrt(2))


@ref("calu")
@precise
def calu(x):
    return x * (atan(x) / pi + mpf(1) / 2)


@ref("lalu")
def lalu(x):
    cdf = 1 - exp_(-x) / 2 if x >= 0 else exp_(x) / 2
    return x * cdf


@ref("colu")
def colu(x):
    return x / (1 - x * exp_(-(x + exp_(x))))


@ref("elish")
def elish(x):
    return x * logistic(x) if x >= 0 else (exp_(x) - 1) * logistic(x)


@ref("hard_elish")
def hard_elish(x):
    h = max(mpf(0), min(mpf(1), (x + 1) / 2))
    return x * h if x >= 0 else (exp_(x) - 1) * h
