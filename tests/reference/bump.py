"""References: bump activations (written from their definitions)."""

from mpmath import exp, mpf

from tests.reference import ref


@ref("elephant")
def elephant(x, sigma=1.0, d=2, h=1.0):
    return mpf(h) / (1 + abs(x / mpf(sigma)) ** int(d))


@ref("gaussian")
def gaussian(x):
    return exp(-(x**2))
