"""References: bump activations (written from their definitions)."""

from mpmath import exp, mpf, pi, sqrt

from tests.reference import ref


@ref("elephant", cases=[
    {'sigma': 0.1, 'd': 4, 'h': 2.0},
    {'sigma': 2.0, 'd': 1, 'h': 1.0},
    {'d': 3},
])
def elephant(x, sigma=1.0, d=2, h=1.0):
    return mpf(h) / (1 + abs(x / mpf(sigma)) ** int(d))


@ref("gaussian")
def gaussian(x):
    return exp(-(x**2))


MEXICAN_HAT = 2 / (sqrt(3) * pi ** (mpf(1) / 4))


@ref("pmaf", cases=[{'a': 0.0}, {'a': 1.5}])
def pmaf(x, a=4.0):
    a = mpf(a)
    t = x + a if x < 0 else x - a
    return MEXICAN_HAT * (1 - t**2) * exp(-(t**2) / 2)


@ref("prbf", cases=[{'a': 1.0, 'b': 0.5}, {'a': 0.5, 'b': 2.0}])
def prbf(x, a=3.0, b=1.0):
    a, b = mpf(a), mpf(b)
    if x >= a:
        return exp(-((x - 2 * a) ** 2) / b**2)
    if x <= -a:
        return exp(-((x + 2 * a) ** 2) / b**2)
    return exp(-(x**2) / b**2)


@ref("polyexp", cases=[{'a': -1.0, 'b': 0.0, 'c': 1.0, 'd': 0.5}, {'a': 2.0, 'b': -3.0, 'c': 0.5, 'd': 0.0}])
def polyexp(x, a=1.0, b=1.0, c=1.0, d=1.0):
    a, b, c, d = mpf(a), mpf(b), mpf(c), mpf(d)
    return (a * x**2 + b * x + c) * exp(-d * x**2)


@ref("wave", cases=[{'a': 0.5}, {'a': 3.0}])
def wave(x, a=1.0):
    return (1 - x**2) * exp(-mpf(a) * x**2)
