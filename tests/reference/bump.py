"""References: bump activations (written from their definitions)."""

from mpmath import exp, mpf

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
