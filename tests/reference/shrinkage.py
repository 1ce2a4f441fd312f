"""References: shrinkage operators (written from their definitions)."""

from mpmath import mpf, tanh

from tests.reference import ref


@ref("hardshrink", cases=[
    {'lambd': 0.0},
    {'lambd': 1.0},
])
def hardshrink(x, lambd=0.5):
    return x if abs(x) > lambd else mpf(0)


@ref("softshrink", cases=[
    {'lambd': 1.5},
    {'lambd': 0.0},
])
def softshrink(x, lambd=0.5):
    lam = mpf(lambd)
    if x > lam:
        return x - lam
    if x < -lam:
        return x + lam
    return mpf(0)


@ref("tanhshrink")
def tanhshrink(x):
    return x - tanh(x)
