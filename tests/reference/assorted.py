"""References: survey §3.13-3.45 functions of catalog/assorted.py, written from the published (or, where
noted in the specs, resolved) formulas in their direct form, not from actlab's rearrangements."""

from mpmath import asinh, atan, cosh, exp, log, mpf, sinh, sqrt, tanh

from tests.reference import ref


@ref("symlog")
def symlog(x):
    # ln(z + 1) for z >= 0, -ln(-z + 1) for z < 0
    return log(x + 1) if x >= 0 else -log(-x + 1)


@ref("symexp")
def symexp(x):
    return exp(x) - 1 if x >= 0 else -(exp(-x) - 1)


def _r(v):
    return v**3 * (v**5 - 2 * v**4 + 2)


def _h(u, c):
    if u >= c:
        return _r(c)
    if u >= 0:
        return _r(u)
    return mpf(0)


@ref("spocu", cases=[
    {"c": 2.0},
    {"alpha": 1.0, "beta": 0.5, "gamma": 1.0, "c": 1.0},
    {"c": 10000.0},
])
def spocu(x, alpha=3.0937, beta=0.6653, gamma=4.437, c=1.0):
    alpha, beta, gamma, c = mpf(alpha), mpf(beta), mpf(gamma), mpf(c)
    return alpha * _h(x / gamma + beta, c) - alpha * _h(beta, c)


@ref("aranda_ordaz", cases=[{"a": 1.0}, {"a": 0.1}, {"a": 5.0}])
def aranda_ordaz(x, a=2.0):
    a = mpf(a)
    return 1 - (1 + a * exp(x)) ** (-1 / a)


@ref("comb_h_sine", cases=[{"a": 0.5}, {"a": 2.0}])
def comb_h_sine(x, a=1.0):
    a = mpf(a)
    return sinh(a * x) + asinh(a * x)


@ref("m_arcsinh")
def m_arcsinh(x):
    return asinh(x) * sqrt(abs(x)) / 12


@ref("hyper_sinh")
def hyper_sinh(x):
    return sinh(x) / 3 if x > 0 else x**3 / 4


@ref("arctid")
def arctid(x):
    return atan(x) ** 2 - x


@ref("hclsh")
def hclsh(x):
    if x >= 0:
        return log(cosh(x) + x * cosh(x / 2))
    return log(cosh(x)) + x


@ref("exponential")
def exponential(x):
    return exp(-x)


@ref("e_tanh", cases=[{"a": 0.5}, {"a": 3.0}])
def e_tanh(x, a=1.0):
    return mpf(a) * exp(x) * tanh(x)


@ref("evolved_tanh_relu")
def evolved_tanh_relu(x):
    return tanh(x**2) + max(x, mpf(0))


@ref("evolved_tanh_log_relu")
def evolved_tanh_log_relu(x):
    # log read as log|z| with tanh(log 0) = -1
    t = mpf(-1) if x == 0 else tanh(log(abs(x)))
    return max(t, max(x, mpf(0)))


def _smax(p, q, k):
    h = min(max(mpf(1) / 2 - (p - q) / (2 * k), mpf(0)), mpf(1))
    return p * (1 - h) + h * q + k * h * (1 - h)


def _smin(p, q, k):
    h = min(max(mpf(1) / 2 + (p - q) / (2 * k), mpf(0)), mpf(1))
    return p * (1 - h) + h * q - k * h * (1 - h)


@ref("kdac", cases=[{"a": 0.3, "b": 0.05}, {"a": 1.0, "b": 2.0, "c": 0.5}])
def kdac(x, a=0.1, b=0.1, c=0.01):
    # the authors' KDAC.py: smax(alpha x, where(x > 0, alpha x, smin(beta x, tanh x))), k = c
    a, b, c = mpf(a), mpf(b), mpf(c)
    r = a * x if x > 0 else _smin(b * x, tanh(x), c)
    return _smax(a * x, r, c)
