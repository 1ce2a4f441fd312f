"""References: the ReLU family of the survey's §3.6 (Kunc & Kléma 2024), written from the published
definitions (papers where we could read them, otherwise the survey's formulas), not from actlab."""

from mpmath import cos, exp, log, mpf, sin, tanh

from tests.reference import ref


def _sigmoid(x):
    return 1 / (1 + exp(-x))


@ref("displaced_relu", cases=[{"a": 0.0}, {"a": 2.5}])
def displaced_relu(x, a=0.05):
    # Macêdo et al.: identity down to -a, constant -a below
    a = mpf(a)
    return x if x >= -a else -a


@ref("shifted_relu")
def shifted_relu(x):
    # Clevert et al. (2015): SReLU = max(-1, x)
    return x if x >= -1 else mpf(-1)


@ref("vlrelu")
def vlrelu(x):
    # leaky ReLU z/a with a = 3
    return x if x >= 0 else x / 3


@ref("olrelu")
def olrelu(x):
    # z * exp(-(u + l)/(u - l)) for z < 0 with the RReLU bounds l = 3, u = 8
    lo, up = mpf(3), mpf(8)
    return x if x >= 0 else x * exp(-(up + lo) / (up - lo))


@ref("delay_relu", cases=[{"a": 0.5}, {"a": 2.0}])
def delay_relu(x, a=0.08):
    return max(mpf(0), x - mpf(a))


@ref("slrelu", cases=[{"a": 1.0}, {"a": 10.0}])
def slrelu(x, a=2.0):
    return mpf(a) * x if x >= 0 else mpf(0)


@ref("li_relu", cases=[{"a": 0.5}, {"a": 0.0}, {"a": -0.25}])
def li_relu(x, a=0.1):
    a = mpf(a)
    return (a + 1) * x if x >= 0 else a * x


@ref("abslu", cases=[{"a": 0.0}, {"a": 1.0}, {"a": 0.2}])
def abslu(x, a=0.5):
    return x if x >= 0 else mpf(a) * abs(x)


@ref("blrelu", cases=[{"a": 0.0, "b": 6.0}, {"a": 0.5, "b": 0.25}])
def blrelu(x, a=0.1, b=1.0):
    a, b = mpf(a), mpf(b)
    c = (1 - a) * b
    if x <= 0:
        return a * x
    if x < b:
        return x
    return a * x + c


@ref("linear_hard_sigmoid", cases=[{"slope": 0.2}, {"slope": 0.3}, {"slope": 2.0}])
def linear_hard_sigmoid(x, slope=0.5):
    return max(mpf(0), min(mpf(1), mpf(slope) * x + mpf("0.5")))


@ref("hard_sigmoid_keras")
def hard_sigmoid_keras(x):
    # Keras 2: 0 below -2.5, 1 above 2.5, 0.2 x + 0.5 in between
    if x < mpf("-2.5"):
        return mpf(0)
    if x > mpf("2.5"):
        return mpf(1)
    return mpf("0.2") * x + mpf("0.5")


@ref("sv_hardtanh", cases=[{"a": -2.0}, {"a": 0.0}])
def sv_hardtanh(x, a=0.5):
    a = mpf(a)
    if x < -1:
        return -1 + a
    if x > 1:
        return 1 + a
    return x + a


@ref("sh_hardtanh", cases=[{"a": -1.5}, {"a": 0.0}])
def sh_hardtanh(x, a=0.5):
    a = mpf(a)
    if x < -1 - a:
        return mpf(-1)
    if x > 1 - a:
        return mpf(1)
    return x + a


@ref("pan_function", cases=[{"a": 0.0}, {"a": 2.5}])
def pan_function(x, a=1.0):
    a = mpf(a)
    if x >= a:
        return x - a
    if x <= -a:
        return -x - a
    return mpf(0)


@ref("mirrored_relu")
def mirrored_relu(x):
    # min(ReLU(1 - z), ReLU(1 + z))
    return min(max(mpf(0), 1 - x), max(mpf(0), 1 + x))


@ref("lsptlu", cases=[{"a": 0.5}, {"a": 3.0}])
def lsptlu(x, a=1.0):
    a = mpf(a)
    if x < 0:
        return mpf("0.2") * x
    if x <= a:
        return x
    if x <= 2 * a:
        return 2 * a - x
    return mpf(0)


@ref("soft_modulus_q")
def soft_modulus_q(x):
    return x**2 * (2 - abs(x)) if abs(x) <= 1 else abs(x)


@ref("soft_modulus_t", cases=[{"a": 1.0}, {"a": 0.3}])
def soft_modulus_t(x, a=0.01):
    return x * tanh(x / mpf(a))


@ref("sign_relu", cases=[{"a": 0.0}, {"a": 2.5}])
def sign_relu(x, a=1.0):
    return x if x >= 0 else mpf(a) * x / (abs(x) + 1)


@ref("sine_relu", cases=[{"epsilon": 0.006}, {"epsilon": 1.0}])
def sine_relu(x, epsilon=0.0025):
    return x if x >= 0 else mpf(epsilon) * (sin(x) - cos(x))


@ref("minsin")
def minsin(x):
    return sin(x) if x >= 0 else x


@ref("vlu", cases=[{"a": 0.1, "b": 2.0}, {"a": -0.5, "b": 0.5}])
def vlu(x, a=1.0, b=1.0):
    return max(mpf(0), x) + mpf(a) * sin(mpf(b) * x)


@ref("resp", cases=[{"a": 1.4}, {"a": 2.0}])
def resp(x, a=1.7):
    return mpf(a) * x + log(2) if x >= 0 else log(1 + exp(x))


@ref("prenu", cases=[{"a": 1.0}, {"a": 0.0}, {"a": 0.6}])
def prenu(x, a=0.25):
    return x - mpf(a) * log(x + 1) if x >= 0 else mpf(0)


@ref("recu")
def recu(x):
    return x**3 if x > 0 else mpf(0)


@ref("apprelu", cases=[{"a": 0.5, "b": 2.0}, {"a": 2.0, "b": 0.5}])
def apprelu(x, a=1.0, b=1.5):
    return mpf(a) * x ** mpf(b) if x > 0 else mpf(0)


def _even_powlin(ax, d):
    d = mpf(d)
    return ax**d / d if ax < 1 else ax - (1 - 1 / d)


@ref("eplaf", cases=[{"d": 1.0}, {"d": 3.0}])
def eplaf(x, d=2.0):
    return _even_powlin(abs(x), d)


@ref("oplaf", cases=[{"d": 1.0}, {"d": 3.0}])
def oplaf(x, d=2.0):
    v = _even_powlin(abs(x), d)
    return v if x >= 0 else -v


@ref("flatten_t_swish", cases=[{"t": -0.5}, {"t": 0.0}])
def flatten_t_swish(x, t=-0.2):
    t = mpf(t)
    return x * _sigmoid(x) + t if x >= 0 else t


@ref("relu_swish")
def relu_swish(x):
    return x * _sigmoid(x) if x >= 0 else mpf(0)


@ref("oaf")
def oaf(x):
    return x + x * _sigmoid(x) if x >= 0 else x * _sigmoid(x)


@ref("ada", cases=[{"a": 1.0, "b": 0.5}, {"a": 0.0, "b": -1.0}])
def ada(x, a=0.3, b=0.0):
    # official code: max(x, 0) * exp(-alpha x) (times e^b)
    return x * exp(-mpf(a) * x + mpf(b)) if x >= 0 else mpf(0)


@ref("lada", cases=[{"a": 1.0, "b": 0.5, "c": 0.2}, {"a": 0.0, "b": 0.0, "c": 0.0}])
def lada(x, a=0.1, b=0.0, c=0.01):
    return x * exp(-mpf(a) * x + mpf(b)) if x >= 0 else mpf(c) * x


@ref("siglu")
def siglu(x):
    # the survey's modified sigmoid (1 - e^{-2z})/(1 + e^{-2z}) for z < 0
    return x if x >= 0 else (1 - exp(-2 * x)) / (1 + exp(-2 * x))


@ref("sara", cases=[{"a": 1.0, "b": 1.0}, {"a": 2.0, "b": 0.0}])
def sara(x, a=0.5, b=0.7):
    return x if x >= 0 else x / (1 + mpf(a) * exp(-mpf(b) * x))
