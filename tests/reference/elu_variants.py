"""References: the ELU-like units of the survey's §3.7 (Kunc & Kléma 2024), written from the published
definitions (papers and authors' code where we could read them, otherwise the survey's formulas)."""

from mpmath import exp, log, mpf, sqrt, tanh

from tests.reference import ref
from tests.reference.sigmoidal import precise

SELU_ALPHA = mpf("1.6732632423543772848170429916717")
SELU_SCALE = mpf("1.0507009873554804934193349852946")


def _sigmoid(x):
    return 1 / (1 + exp(-x))


@ref("maxsig")
def maxsig(x):
    return max(x, _sigmoid(x))


@ref("thlu")
def thlu(x):
    return x if x >= 0 else tanh(x / 2)


@ref("diffelu", cases=[{"a": 1.0, "b": 1.0}, {"a": 0.5, "b": 0.0}])
def diffelu(x, a=0.3, b=0.1):
    a, b = mpf(a), mpf(b)
    return x if x >= 0 else a * (x * exp(x) - b * exp(b * x))


@ref("polu", cases=[{"n": 1.0}, {"n": 2.0}, {"n": 0.5}])
def polu(x, n=1.5):
    return x if x >= 0 else (1 - x) ** (-mpf(n)) - 1


@ref("polylu")
def polylu(x):
    # FPLUS: (sgn(x) x + 1)^{sgn(x)} - 1
    return x if x >= 0 else 1 / (1 - x) - 1


@ref("iplu", cases=[{"a": 2.0}, {"a": 0.5}])
def iplu(x, a=1.0):
    return x if x >= 0 else 1 / (1 + abs(x) ** mpf(a))


@ref("pflu")
@precise  # 1 + x/sqrt(1 + x^2) cancels to ~1/(2x^2) for x << 0
def pflu(x):
    return x * (1 + x / sqrt(1 + x**2)) / 2


@ref("fpflu")
@precise
def fpflu(x):
    return x if x >= 0 else x + x**2 / sqrt(1 + x**2)


@ref("lselu", cases=[{"c": 0.0}, {"lambd": 1.0, "alpha": 1.0, "c": 0.5}])
def lselu(x, lambd=SELU_SCALE, alpha=SELU_ALPHA, c=0.1):
    lam, a, c = mpf(lambd), mpf(alpha), mpf(c)
    return lam * x if x >= 0 else lam * a * (exp(x) - 1) + lam * c * x


@ref("sselu", cases=[{"c": 1.0}, {"lambd": 1.0, "alpha": 2.0, "c": 2.0}])
def sselu(x, lambd=SELU_SCALE, alpha=SELU_ALPHA, c=0.5):
    lam, a, c = mpf(lambd), mpf(alpha), mpf(c)
    return lam * x if x >= 0 else lam * a * (exp(c * x) - 1)


def _rsigelu(x, a, b):
    # first author's code: x > 1 -> x sigmoid(x) a + x; x <= 0 -> b (e^x - 1); otherwise x
    if x > 1:
        return x * _sigmoid(x) * a + x
    if x <= 0:
        return b * (exp(x) - 1)
    return x


@ref("rsigelud", cases=[{"a": 0.0, "b": 0.0}, {"a": 0.9, "b": 0.2}])
def rsigelud(x, a=0.5, b=0.5):
    return _rsigelu(x, mpf(a), mpf(b))


@ref("rsigelu", cases=[{"a": 0.1}, {"a": 0.9}])
def rsigelu(x, a=0.5):
    return _rsigelu(x, mpf(a), mpf(a))


@ref("hard_srelue", cases=[{"a": 1.0}, {"a": 0.0}])
def hard_srelue(x, a=0.5):
    a = mpf(a)
    if x >= 0:
        return a * x * max(mpf(0), min(mpf(1), (x + 1) / 2)) + x
    return a * (exp(x) - 1)


@ref("ls_relu", cases=[{"a": 0.5, "b": 2.0}, {"a": 2.0, "b": 0.5}])
def ls_relu(x, a=1.0, b=1.0):
    a, b = mpf(a), mpf(b)
    if x <= 0:
        return x / (1 + abs(x))
    if x <= b:
        return x
    return log(a * x + 1) + abs(log(a * b + 1) - b)
