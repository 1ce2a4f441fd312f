"""References: sigmoidal units (written from the papers' definitions, never from actlab's code).

Formulas whose published form cancels in a tail (e.g. 1 - exp(-exp(x)) for x << 0) are
evaluated with 340 significant digits (``precise``): enough for a result accurate to 1e-12
relative or 1e-300 absolute, the tests' tolerance. ``exp_`` returns 0 below e^-1e9 (far under
any float) and inf above e^1e9, so nested exponentials at the half types' extremes
(exp(-exp(3e38))) evaluate instead of overflowing mpmath's exponent arithmetic.
"""

import functools

from mpmath import exp, log, mp, mpf, sqrt, tanh

from tests.reference import ref


def precise(f):
    """Evaluate ``f`` with 340 significant digits (tails of the published forms cancel at 50)."""

    @functools.wraps(f)
    def g(x, **params):
        with mp.workdps(340):
            return f(mpf(x), **params)

    return g


def exp_(t):
    """e^t, with e^t = 0 for t < -1e9 and inf for t > 1e9 (far outside every float format)."""
    if t < -1e9:
        return mpf(0)
    if t > 1e9:
        return mpf("inf")
    return exp(t)


def logistic(x):
    return 1 / (1 + exp_(-x))


@ref("sigmoid")
def sigmoid(x):
    return logistic(x)


@ref("tanh")
def tanh_(x):
    return tanh(x)


@ref("softsign")
def softsign(x):
    return x / (1 + abs(x))


@ref("hardsigmoid")
def hardsigmoid(x):
    if x <= -3:
        return mpf(0)
    if x >= 3:
        return mpf(1)
    return x / 6 + mpf(1) / 2


@ref("logsigmoid")
@precise
def logsigmoid(x):
    return log(logistic(x))


@ref("apa", cases=[
    {'lambd': 0.3, 'kappa': 2.0},
])
def apa(x, lambd=1.0, kappa=1.0):
    lam, k = mpf(lambd), mpf(kappa)
    return (lam * exp_(-k * x) + 1) ** (-1 / lam)


@ref("isru", cases=[
    {'alpha': 4.0},
])
def isru(x, alpha=1.0):
    return x / sqrt(1 + mpf(alpha) * x**2)


@ref("sqnl")
def sqnl(x):
    if x > 2:
        return mpf(1)
    if x >= 0:
        return x - x**2 / 4
    if x >= -2:
        return x + x**2 / 4
    return mpf(-1)


@ref("elliott")
def elliott(x):
    return x / (2 * (1 + abs(x))) + mpf(1) / 2


@ref("soft_clipping", cases=[
    {'alpha': 3.0},
])
@precise
def soft_clipping(x, alpha=0.5):
    a = mpf(alpha)
    return log((1 + exp(a * x)) / (1 + exp(a * (x - 1)))) / a


@ref("penalized_tanh", cases=[
    {'a': 0.5},
])
def penalized_tanh(x, a=0.25):
    return tanh(x) if x > 0 else mpf(a) * tanh(x)


@ref("stanh", cases=[
    {'a': 1.0, 'b': 2.0},
])
def stanh(x, a=1.7159, b=2.0 / 3.0):
    return mpf(a) * tanh(mpf(b) * x)


@ref("loglog")
def loglog(x):
    return exp_(-exp_(-x))


@ref("cloglog")
@precise
def cloglog(x):
    return 1 - exp_(-exp_(x))


@ref("dsilu")
@precise
def dsilu(x):
    s = logistic(x)
    return s * (1 + x * (1 - s))
