"""References: ELU-like units (written from the papers' definitions)."""

from mpmath import exp, mpf, sqrt

from tests.reference import ref

SELU_ALPHA = mpf("1.6732632423543772848170429916717")
SELU_SCALE = mpf("1.0507009873554804934193349852946")


@ref("elu", cases=[
    {'alpha': 0.5},
    {'alpha': 0.0},
])
def elu(x, alpha=1.0):
    return x if x > 0 else mpf(alpha) * (exp(x) - 1)


@ref("celu", cases=[
    {'alpha': 2.0},
])
def celu(x, alpha=1.0):
    a = mpf(alpha)
    return max(mpf(0), x) + min(mpf(0), a * (exp(x / a) - 1))


@ref("selu")
def selu(x):
    return SELU_SCALE * (x if x > 0 else SELU_ALPHA * (exp(x) - 1))


@ref("pelu", cases=[
    {'a': 2.0, 'b': 0.5},
])
def pelu(x, a=1.0, b=1.0):
    a, b = mpf(a), mpf(b)
    return a / b * x if x >= 0 else a * (exp(x / b) - 1)


@ref("isrlu", cases=[
    {'alpha': 3.0},
])
def isrlu(x, alpha=1.0):
    return x if x >= 0 else x / sqrt(1 + mpf(alpha) * x**2)


@ref("serlu", cases=[
    {'lambd': 1.0, 'alpha': 1.0},
])
def serlu(x, lambd=1.07862, alpha=2.90427):
    lam, a = mpf(lambd), mpf(alpha)
    return lam * x if x >= 0 else lam * a * x * exp(x)


@ref("reu")
def reu(x):
    return x if x > 0 else x * exp(x)
