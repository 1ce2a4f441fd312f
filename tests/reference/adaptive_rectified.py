"""References: adaptive rectified units of the survey's §4.2 (written from the printed formulas)."""

from mpmath import exp, log, mpf, sech, sin, sqrt, tanh

from tests.reference import ref


def _sig(z):
    return 1 / (1 + exp(-z))


@ref("prelu_plus", cases=[{"a": 1.0}, {"a": 0.0}])
def prelu_plus(x, a=2.0):
    return mpf(a) * x if x >= 0 else mpf(0)


@ref("margin_relu", cases=[{"m": -1.0}, {"m": 0.5}])
def margin_relu(x, m=-0.7978845608028654):
    return max(x, mpf(m))


@ref("rprelu", cases=[
    {"gamma": 0.5, "zeta": -0.3, "beta": 0.1},
    {"gamma": -1.2, "zeta": 0.7, "beta": -0.2},
])
def rprelu(x, gamma=0.0, zeta=0.0, beta=0.25):
    g, z, b = mpf(gamma), mpf(zeta), mpf(beta)
    return x - g + z if x > g else b * (x - g) + z


@ref("lelelu", cases=[{"a": 2.0}, {"a": 0.5}])
def lelelu(x, a=1.0):
    a = mpf(a)
    return a * x if x >= 0 else mpf("0.01") * a * x


@ref("preu", cases=[{"a": 1.5, "b": 0.5}, {"a": 0.7, "b": 2.0}, {"b": 0.0}])
def preu(x, a=1.0, b=1.0):
    a, b = mpf(a), mpf(b)
    return a * x if x > 0 else a * x * exp(b * x)


@ref("flexible_relu", cases=[{"b": -0.4}])
def flexible_relu(x, b=0.0):
    return max(mpf(0), x) + mpf(b)


@ref("shilu", cases=[{"alpha": 0.5, "beta": -0.2}])
def shilu(x, alpha=1.0, beta=1.0):
    return mpf(alpha) * max(mpf(0), x) + mpf(beta)


@ref("adaptive_hardtanh", cases=[{"a": 3.0, "b": 0.4}, {"a": 0.5, "b": -1.0}])
def adaptive_hardtanh(x, a=1.0, b=0.0):
    return min(mpf(1), max(mpf(-1), mpf(a) * (x - mpf(b))))


@ref("arelu", cases=[{"alpha": 0.3, "beta": -1.0}, {"alpha": 1.5, "beta": 0.0}])
def arelu(x, alpha=0.9, beta=2.0):
    c = min(max(mpf(alpha), mpf("0.01")), mpf("0.99"))
    return (1 + _sig(mpf(beta))) * x if x >= 0 else c * x


@ref("dprelu", cases=[{"a": 1.5, "b": 0.2}])
def dprelu(x, a=1.0, b=0.01):
    return mpf(a) * x if x >= 0 else mpf(b) * x


@ref("dual_line", cases=[{"a": 0.8, "b": 0.1, "m": 0.35}])
def dual_line(x, a=1.0, b=0.01, m=-0.22):
    return (mpf(a) * x if x >= 0 else mpf(b) * x) + mpf(m)


@ref("pilu", cases=[{"a": 1.5, "b": 0.2, "c": 0.7}, {"a": 0.5, "b": -0.1, "c": -1.3}])
def pilu(x, a=1.0, b=0.01, c=0.0):
    a, b, c = mpf(a), mpf(b), mpf(c)
    return a * x + c * (1 - a) if x >= c else b * x + c * (1 - b)


@ref("tent", cases=[{"a": 2.5}, {"a": 0.4}])
def tent(x, a=1.0):
    return max(mpf(0), mpf(a) - abs(x))


@ref("hat", cases=[{"a": 3.0}, {"a": 0.8}])
def hat(x, a=2.0):
    a = mpf(a)
    if x < 0 or x > a:
        return mpf(0)
    return x if x <= a / 2 else a - x


@ref("ptelu", cases=[{"a": 2.0, "b": 0.5}, {"a": 0.5, "b": 3.0}])
def ptelu(x, a=1.0, b=1.0):
    return x if x >= 0 else mpf(a) * tanh(mpf(b) * x)


@ref("tanh_relu", cases=[{"b": 2.0}])
def tanh_relu(x, b=1.0):
    return x if x >= 0 else tanh(mpf(b) * x)


@ref("tanh_relu2", cases=[{"a": 1.7}])
def tanh_relu2(x, a=1.0):
    return x if x >= 0 else mpf(a) * tanh(x)


@ref("talu", cases=[{"a": -0.5}, {"a": -3.0}])
def talu(x, a=-1.75):
    a = mpf(a)
    if x >= 0:
        return x
    return tanh(x) if x > a else tanh(a)


@ref("ptalu", cases=[{"a": -1.5, "b": 0.0}, {"a": -0.3, "b": 2.2}])
def ptalu(x, a=-0.75, b=1.0):
    a, b = mpf(a), mpf(b)
    if x >= b:
        return x
    return tanh(x) if x > a else tanh(a)


@ref("tanhlu", cases=[{"a": 0.5, "b": 2.0, "c": 0.3}])
def tanhlu(x, a=1.0, b=1.0, c=1.0):
    return mpf(a) * tanh(mpf(b) * x) + mpf(c) * x


@ref("reltanh", cases=[{"a": -2.0, "b": 0.5}, {"a": -0.8, "b": 0.3}])
def reltanh(x, a=-1.5, b=0.0):
    a, b = mpf(a), mpf(b)
    if x <= a:
        return sech(a) ** 2 * (x - a) + tanh(a)
    if x >= b:
        return sech(b) ** 2 * (x - b) + tanh(b)
    return tanh(x)


@ref("blu", cases=[{"a": 0.5}, {"a": -1.0}, {"a": 1.0}])
def blu(x, a=0.0):
    return mpf(a) * (sqrt(x**2 + 1) - 1) + x


@ref("reblu", cases=[{"a": 0.5}, {"a": -0.7}])
def reblu(x, a=0.0):
    return mpf(a) * (sqrt(x**2 + 1) - 1) + x if x > 0 else mpf(0)


@ref("pfplus", cases=[{"a": 0.2, "b": 10.0}, {"a": 5.0, "b": 0.1}])
def pfplus(x, a=1.0, b=1.0):
    a, b = mpf(a), mpf(b)
    h = 1 if x >= 0 else 0
    return a * x * (1 - b * x) ** (h - 1)


@ref("pvlu", cases=[{"a": 0.5, "b": 3.0}, {"a": 0.1}])
def pvlu(x, a=1.0, b=1.0):
    return max(mpf(0), x) + mpf(a) * sin(mpf(b) * x)


@ref("rmaf", cases=[{"a": 1.5, "b": 0.8, "c": 2.0}, {"c": 0.0}])
def rmaf(x, a=1.0, b=1.0, c=1.0):
    window = 1 / (mpf("0.25") * (1 + exp(-x)) + mpf("0.75"))
    return mpf(b) * window ** mpf(c) * mpf(a) * x


@ref("tanh_exponential_linear_unit", cases=[{"a": 0.5}, {"a": 2.0}])
def tanh_exponential_linear_unit(x, a=1.0):
    u = mpf(a) * x
    elu = u if u > 0 else exp(u) - 1
    return x * tanh(elu)


@ref("delu", cases=[{"n": 0.5}, {"n": -1.0}])
def delu(x, n=0.0):
    if x <= 0:
        return x * _sig(x)
    return (mpf(n) + mpf("0.5")) * x + abs(exp(-x) - 1)


@ref("sc_mish", cases=[{"a": 0.25}])
def sc_mish(x, a=1.0):
    return max(mpf(0), x * tanh(log(1 + exp(mpf(a) * x))))


@ref("sc_swish")
def sc_swish(x):
    return max(mpf(0), x * _sig(x))


@ref("p_swish", cases=[{"a": 1.2, "b": 0.5, "c": -0.4}])
def p_swish(x, a=1.0, b=1.0, c=0.0):
    return mpf(a) * x * _sig(mpf(b) * x) if x <= mpf(c) else x


@ref("t_swish", cases=[{"a": 1.2, "b": 0.5, "c": 0.37}])
def t_swish(x, a=1.0, b=1.0, c=0.0):
    return x if x >= mpf(c) else mpf(a) * x * _sig(mpf(b) * x)


