"""References: adaptive exponential units of the survey's §4.2 (written from the printed formulas)."""

from mpmath import erf, exp, log, mpf

from tests.reference import ref

SELU_ALPHA = mpf("1.6732632423543772848170429916717")
SELU_SCALE = mpf("1.0507009873554804934193349852946")


def _elu(z, alpha=1):
    return z if z > 0 else mpf(alpha) * (exp(z) - 1)


def _sig(z):
    return 1 / (1 + exp(-z))


@ref("edelu", cases=[{"a": 2.0, "c": 0.5}, {"a": 0.5, "c": 0.0}])
def edelu(x, a=1.0, c=0.0):
    a, c = mpf(a), mpf(c)
    b = a if c == 0 else (exp(a * c) - 1) / c  # continuity: b c = e^{ac} - 1
    return x if x >= c else (exp(a * x) - 1) / b


@ref("shelu", cases=[{"alpha": 0.5, "b": 0.3}])
def shelu(x, alpha=1.0, b=0.0):
    return _elu(x + mpf(b), alpha)


@ref("svelu", cases=[{"alpha": 2.0, "b": -0.5}])
def svelu(x, alpha=1.0, b=0.0):
    return _elu(x, alpha) + mpf(b)


@ref("p_felu", cases=[{"alpha": 0.5, "b": 0.2}])
def p_felu(x, alpha=1.0, b=0.0):
    # the P+FELU form with the base-2 exponential of FELU
    b = mpf(b)
    return x + b if x >= 0 else mpf(alpha) * (mpf(2) ** (x / log(2)) - 1) + b


@ref("felu", cases=[{"alpha": 0.5}])
def felu(x, alpha=1.0):
    return x if x >= 0 else mpf(alpha) * (mpf(2) ** (x / log(2)) - 1)


def _pelu(z, a, b):
    a, b = mpf(a), mpf(b)
    return a / b * z if z >= 0 else a * (exp(z / b) - 1)


@ref("pshelu", cases=[{"a": 2.0, "b": 0.5, "c": -0.3}])
def pshelu(x, a=1.0, b=1.0, c=0.0):
    return _pelu(x + mpf(c), a, b)


@ref("psvelu", cases=[{"a": 0.5, "b": 2.0, "c": 0.4}])
def psvelu(x, a=1.0, b=1.0, c=0.0):
    return _pelu(x, a, b) + mpf(c)


@ref("mpelu", cases=[{"a": 1.0, "b": 1.0}, {"a": 2.0, "b": 0.5}])
def mpelu(x, a=0.25, b=1.0):
    return x if x > 0 else mpf(a) * (exp(mpf(b) * x) - 1)


@ref("mixed_lrelu_elu", cases=[{"p": 0.2, "negative_slope": 0.1, "alpha": 2.0}, {"p": 1.0}])
def mixed_lrelu_elu(x, p=0.5, negative_slope=0.01, alpha=1.0):
    p = mpf(p)
    lrelu = x if x >= 0 else mpf(negative_slope) * x
    return p * lrelu + (1 - p) * _elu(x, alpha)


@ref("gated_prelu_pelu", cases=[{"w": -0.5, "s": 0.1, "a": 2.0, "b": 0.5}])
def gated_prelu_pelu(x, w=1.0, s=0.25, a=1.0, b=1.0):
    g = _sig(mpf(w) * x)
    prelu = x if x >= 0 else mpf(s) * x
    return g * prelu + (1 - g) * _pelu(x, a, b)


@ref("p_e2_relu", cases=[{"a": 0.1, "b": 0.6}, {"a": 0.0, "b": 0.5}])
def p_e2_relu(x, a=0.4, b=0.3):
    a, b = mpf(a), mpf(b)
    return a * max(mpf(0), x) + b * _elu(x) + (1 - a - b) * (-_elu(-x))


@ref("p_e2_id", cases=[{"a": 0.2}, {"a": 1.0}])
def p_e2_id(x, a=0.5):
    a = mpf(a)
    return a * x + (1 - a) * (_elu(x) - _elu(-x))


@ref("soft_exponential", cases=[{"a": 0.5}, {"a": 0.01}])
def soft_exponential(x, a=0.0):
    a = mpf(a)
    if a < 0:
        return -log(1 - a * (x + a)) / a
    if a == 0:
        return x
    return (exp(a * x) - 1) / a + a


@ref("erfrelu", cases=[{"a": 0.5}, {"a": 2.0}])
def erfrelu(x, a=1.0):
    return x if x >= 0 else mpf(a) * erf(x)


@ref("lpselu_rp", cases=[{"a": 1.2, "b": 1.5, "c": 0.1, "m": -0.2}])
def lpselu_rp(x, a=SELU_SCALE, b=SELU_ALPHA, c=0.01, m=0.0):
    a, b, c, m = mpf(a), mpf(b), mpf(c), mpf(m)
    return (a * x if x >= 0 else a * b * (exp(x) - 1) + c * x) + m


@ref("lpselu", cases=[{"a": 1.0, "b": 1.0, "c": 0.05}])
def lpselu(x, a=SELU_SCALE, b=SELU_ALPHA, c=0.01):
    a, b, c = mpf(a), mpf(b), mpf(c)
    return a * x if x >= 0 else a * b * (exp(x) - 1) + c * x


@ref("pselu", cases=[{"a": 1.0, "b": 1.0}])
def pselu(x, a=SELU_SCALE, b=SELU_ALPHA):
    a, b = mpf(a), mpf(b)
    return a * x if x >= 0 else a * b * (exp(x) - 1)


@ref("pdelu", cases=[{"a": 2.0, "t": 0.5}, {"t": 0.0}, {"a": 0.5, "t": 0.99}])
def pdelu(x, a=1.0, t=0.9):
    a, t = mpf(a), mpf(t)
    if x > 0:
        return x
    base = max(mpf(0), 1 + (1 - t) * x)
    return a * (base ** (1 / (1 - t)) - 1)
