"""References: square- and square-root-based units (survey §3.8-3.12, 3.16, 3.21-3.22, 3.42-3.44), written
from the printed formulas (piecewise, as the papers state them), not from actlab's rearrangements."""

from mpmath import mpf, sqrt

from tests.reference import ref


@ref("sqlu")
def sqlu(x):
    if x > 0:
        return x
    if x >= -2:
        return x + x**2 / 4
    return mpf(-1)


@ref("squish")
def squish(x):
    if x > 0:
        return x + x**2 / 32
    if x >= -2:
        return x + x**2 / 2
    return mpf(0)


@ref("sqreu")
def sqreu(x):
    if x > 0:
        return x
    if x >= -2:
        return x + x**2 / 2
    return mpf(0)


@ref("sqsoftplus")
def sqsoftplus(x):
    half = mpf(1) / 2
    if x > half:
        return x
    if x >= -half:
        return (x + half) ** 2 / 2
    return mpf(0)


@ref("logsqnl")
def logsqnl(x):
    if x > 2:
        return mpf(1)
    if x >= 0:
        return (x - x**2 / 4) / 2 + mpf(1) / 2
    if x >= -2:
        return (x + x**2 / 4) / 2 + mpf(1) / 2
    return mpf(0)


@ref("linq", cases=[{"a": 0.0}, {"a": 0.5}, {"a": 1.0}])
def linq(x, a=0.1):
    a = mpf(a)
    t = 2 - 2 * a
    if x >= t:
        return a * x + 1 - 2 * a + a**2
    if x <= -t:
        return a * x - 1 + 2 * a - a**2
    return x * (4 - abs(x)) / 4


@ref("mef")
def mef(x):
    return x / sqrt(1 + x**2) + mpf(1) / 2


@ref("ssaf", cases=[{"a": 0.25}, {"a": 3.0}])
def ssaf(x, a=1.0):
    a = mpf(a)
    return sqrt(2 * a * x) if x >= 0 else -sqrt(-2 * a * x)


@ref("sqrt")
def sqrt_af(x):
    return sqrt(x) if x >= 0 else -sqrt(-x)


@ref("mishra")
def mishra(x):
    s = x / (1 + abs(x))
    return s**2 / 2 + s / 2


@ref("sbaf", cases=[{"k": 0.5, "alpha": 0.3}, {"k": 2.0, "alpha": 0.9}, {"k": 0.0}])
def sbaf(x, k=0.98, alpha=0.5):
    k, alpha = mpf(k), mpf(alpha)
    if x <= 0 or x >= 1:  # outside the unit interval: the continuous extension (limits at 0⁺ and 1⁻)
        return mpf(1)
    return 1 / (1 + k * x**alpha * (1 - x) ** (1 - alpha))


@ref("puaf", cases=[{"a": 0, "b": 5.0, "c": 10.0}, {"a": 2, "b": 3.0, "c": 2.0}, {"b": 1.0, "c": 0.5}])
def puaf(x, a=1, b=5.0, c=10.0):
    b, c = mpf(b), mpf(c)
    if x > c:
        return x**a
    if x < -c:
        return mpf(0)
    if b == 0:
        return x**a / 2
    return x**a * (c + x) ** b / ((c + x) ** b + (c - x) ** b)


@ref("bfire", cases=[{"a": 0.1}, {"a": 3.0}])
def bfire(x, a=1.0):
    a = mpf(a)
    if x > a:
        return x - a / 2
    if x < -a:
        return -x - a / 2
    return x**2 / (2 * a)


@ref("bbfire", cases=[{"a": 0.5, "b": 2.0}, {"a": 4.0, "b": 1.0}])
def bbfire(x, a=1.0, b=5.0):
    a, b = mpf(a), mpf(b)
    return min(bfire(x, a), b)


@ref("ncu")
def ncu(x):
    return x - x**3


@ref("triple", cases=[{"a": 0.1}, {"a": 2.0}])
def triple(x, a=1.0):
    return mpf(a) * x**3


@ref("squ")
def squ(x):
    return x**2 + x
