"""References: adaptive sigmoids and adaptive sigmoid-weighted units (survey §4.3-4.4), written from
the papers' / the survey's printed formulas (never from actlab's code)."""

from mpmath import erf, log, log1p, mpf, sqrt, tanh

from tests.reference import ref
from tests.reference.sigmoidal import exp_, logistic, precise


def softplus(t):
    return log1p(exp_(t))


@ref("yamada_yabuta_sigmoid", cases=[{"a": 0.5}, {"a": 3.0}])
@precise
def yamada_yabuta_sigmoid(x, a=1.0):
    a = mpf(a)
    return 2 * (1 - exp_(-a * x)) / (a * (1 + exp_(-a * x)))


@ref("generalized_tanh", cases=[{"a": 1.7159, "b": 4.0 / 3.0}, {"a": 0.5, "b": 3.0}])
@precise
def generalized_tanh(x, a=1.0, b=1.0):
    a, b = mpf(a), mpf(b)
    return a * (1 - exp_(-b * x)) / (1 + exp_(-b * x))


@ref("assf", cases=[{"a": 2.5}, {"a": 0.3}])
def assf(x, a=1.0):
    return logistic(mpf(a) * x)


@ref("adaptive_slope_tanh", cases=[{"a": 0.4}, {"a": 2.0}])
def adaptive_slope_tanh(x, a=1.0):
    return tanh(mpf(a) * x)


@ref("svaf", cases=[{"a": 1.5}])
def svaf(x, a=1.0):
    return tanh(mpf(a) * x)


@ref(
    "tanhsoft",
    cases=[{"a": 0.5, "b": 0.5, "c": 1.5, "d": 0.3}, {"a": -0.5, "b": 0.2, "c": 0.5, "d": 0.0},
           {"a": 1.0, "b": 0.0, "c": 1.0, "d": 1.0}],
)
@precise
def tanhsoft(x, a=0.87, b=0.0, c=1.0, d=1.0):
    a, b, c, d = mpf(a), mpf(b), mpf(c), mpf(d)
    inner = a * x + (b * exp_(c * x) if b else 0)
    return tanh(inner) * log(d + exp_(x))


@ref("tanhsoft1", cases=[{"a": 0.5}, {"a": -1.0}])
@precise
def tanhsoft1(x, a=0.87):
    return tanh(mpf(a) * x) * softplus(x)


@ref("tanhsoft2", cases=[{"b": 1.0, "c": 1.0}, {"b": 2.0, "c": 0.5}])
@precise
def tanhsoft2(x, b=0.6, c=1.0):
    return x * tanh(mpf(b) * exp_(mpf(c) * x))


@ref("tanhsoft3", cases=[{"a": 0.5}, {"a": 0.0}])
@precise
def tanhsoft3(x, a=1.0):
    return log(1 + exp_(x) * tanh(mpf(a) * x))


@ref("amplitude_slope_sigmoid", cases=[{"a": 2.0, "b": 0.5}, {"a": 0.7, "b": 3.0}])
def amplitude_slope_sigmoid(x, a=1.0, b=1.0):
    return mpf(a) / (1 + exp_(-mpf(b) * x))


@ref("scaled_logistic_sigmoid", cases=[{"a": 1.5, "b": 2.0}])
def scaled_logistic_sigmoid(x, a=1.0, b=1.0):
    return mpf(a) / (1 + exp_(-mpf(b) * x))


@ref("power_sigmoid", cases=[{"m": 2.0}, {"m": 0.3}])
def power_sigmoid(x, m=1.0):
    return (1 + exp_(-x)) ** (-mpf(m))


@ref("stac_tanh", cases=[{"a": 0.5, "b": 0.3}, {"a": 2.0, "b": -0.1}])
def stac_tanh(x, a=1.0, b=0.1):
    a, b = mpf(a), mpf(b)
    if x > a:
        return tanh(a) + b * (x - a)
    if x < -a:
        return tanh(-a) + b * (x + a)
    return tanh(x)


@ref("ahaf", cases=[{"beta": 1.5, "gamma": 0.5}, {"beta": 1.0, "gamma": 65536.0}])
def ahaf(x, beta=1.0, gamma=1.0):
    return mpf(beta) * x * logistic(mpf(gamma) * x)


@ref("pssilu", cases=[{"a": 2.0, "b": 0.2}, {"a": 0.5, "b": 0.9}])
def pssilu(x, a=1.0, b=0.0):
    a, b = mpf(a), mpf(b)
    return x * (logistic(a * x) - b) / (1 - b)


@ref("acon_b", cases=[{"beta": 2.0, "p": 0.1}, {"beta": 0.5, "p": -0.3}])
def acon_b(x, beta=1.0, p=0.25):
    beta, p = mpf(beta), mpf(p)
    return (1 - p) * x * logistic(beta * (1 - p) * x) + p * x


@ref("acon_c", cases=[{"beta": 2.0, "p1": 1.2, "p2": 0.1}, {"beta": 0.5, "p1": -0.5, "p2": 0.3}])
def acon_c(x, beta=1.0, p1=1.0, p2=0.0):
    beta, p1, p2 = mpf(beta), mpf(p1), mpf(p2)
    return (p1 - p2) * x * logistic(beta * (p1 - p2) * x) + p2 * x


@ref("psgu", cases=[{"a": 1.0}, {"a": 3.0}])
def psgu(x, a=0.5):
    return x * tanh(mpf(a) * logistic(x))


@ref("tbsrelul", cases=[{"a": 1.0}, {"a": 2.5}])
@precise
def tbsrelul(x, a=0.5):
    return x * tanh(mpf(a) * (1 - exp_(-x)) / (1 + exp_(-x)))


@ref("aqulu", cases=[{"a": 0.5, "b": 0.3}, {"a": 0.25, "b": 0.5}])
def aqulu(x, a=0.2, b=0.5):
    a, b = mpf(a), mpf(b)
    if x >= (1 - b) / a:
        return x
    if x >= -b / a:
        return a * x * x + b * x
    return mpf(0)


@ref("erfact", cases=[{"a": 1.0, "b": 1.0}, {"a": 0.5, "b": 2.0}])
def erfact(x, a=0.75, b=0.75):
    return x * erf(mpf(a) * exp_(mpf(b) * x))


@ref("pserf", cases=[{"a": 1.0, "b": 1.0}, {"a": 0.5, "b": 2.0}])
def pserf(x, a=1.25, b=0.85):
    return x * erf(mpf(a) * softplus(mpf(b) * x))


@ref("swim", cases=[{"a": 1.0}, {"a": -0.3}])
def swim(x, a=0.5):
    return x / 2 * (1 + mpf(a) * x / sqrt(1 + x * x))
