"""References: periodic and oscillating units (written from the papers' definitions)."""

from mpmath import cos, mpf, pi, sin

from tests.reference import ref
from tests.reference.sigmoidal import exp_, precise


def sinc(t):
    """Unnormalised sinc, sin(t)/t with sinc(0) = 1."""
    return mpf(1) if t == 0 else sin(t) / t


@ref("snake", cases=[
    {'a': 5.0},
])
def snake(x, a=1.0):
    a = mpf(a)
    return x + sin(a * x) ** 2 / a


@ref("snake_beta", cases=[
    {'alpha': 2.0, 'beta': 0.5},
])
def snake_beta(x, alpha=1.0, beta=1.0):
    return x + sin(mpf(alpha) * x) ** 2 / mpf(beta)


@ref("sine", cases=[
    {'w0': 1.0},
    {'w0': 2.0, 'amplitude': -0.5, 'shift': 0.3},
])
def sine(x, w0=30.0, amplitude=1.0, shift=0.0):
    return mpf(amplitude) * sin(mpf(w0) * x) + mpf(shift)


@ref("sine_unscaled")
def sine_unscaled(x):
    return sin(x)


@ref("sine_pi")
def sine_pi(x):
    # sin(w0 x) with w0 = the float64 pi (what the preset fixes): zeros at multiples of pi/w0
    return sin(mpf(3.141592653589793) * x)


@ref("shifted_sine")
def shifted_sine(x):
    # the survey's 0.5 sin(a z) + 0.3 with a = 0.2
    return sin(mpf(0.2) * x) / 2 + mpf(3) / 10


@ref("gcu")
def gcu(x):
    return x * cos(x)


@ref("asu")
def asu(x):
    return x * sin(x)


@ref("ssu")
@precise  # sin(x - π) at x = 0 must vanish to below 1e-300
def ssu(x):
    return pi * sinc(x - pi)


@ref("dsu")
@precise
def dsu(x):
    return pi / 2 * (sinc(x - pi) - sinc(x + pi))


@ref("sinlu", cases=[
    {'a': 0.5, 'b': 3.0},
])
def sinlu(x, a=1.0, b=1.0):
    return (x + mpf(a) * sin(mpf(b) * x)) / (1 + exp_(-x))


@ref("cosine")
def cosine(x):
    return 1 - cos(x)


@ref("cosid")
def cosid(x):
    return cos(x) - x


@ref("sinp", cases=[{'a': 1.5}, {'a': 0.0}, {'a': 2.0}])
def sinp(x, a=1.0):
    return sin(x) - mpf(a) * x


@ref("sinc")
def sinc_af(x):
    return sinc(x)
