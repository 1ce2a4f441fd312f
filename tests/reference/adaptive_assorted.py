"""References: assorted adaptive units of survey §4.8-4.30, written from the papers' / the survey's
printed formulas (never from actlab's code)."""

from mpmath import cos, erfc, exp, gamma, log, log1p, mpf, sin, sinh, sqrt, tanh

from tests.reference import ref
from tests.reference.sigmoidal import exp_, logistic, precise


def softplus(t):
    return log1p(exp_(t))


def Phi(t):
    return erfc(-t / sqrt(2)) / 2


@ref("arbf", cases=[{"a": 0.5, "b": 2.0}, {"a": -1.0, "b": 0.3}])
def arbf(x, a=0.0, b=1.0):
    a, b = mpf(a), mpf(b)
    return exp_(-((x - a) ** 2) / (2 * b * b))


@ref("pgelu", cases=[{"a": 0.5}, {"a": 2.0}])
def pgelu(x, a=1.0):
    return x * Phi(x / mpf(a))


@ref("geu", cases=[{"a": 0.5}, {"a": 3.0}])
def geu(x, a=1.0):
    return Phi(x / mpf(a))


@ref("pfts", cases=[{"T": 0.0}, {"T": 0.5}])
def pfts(x, T=-0.2):
    return (x * logistic(x) if x >= 0 else 0) + mpf(T)


@ref("pfpm", cases=[{"p": 0.0}, {"p": 1.0}])
def pfpm(x, p=-0.2):
    return (x * tanh(softplus(x)) if x >= 0 else 0) + mpf(p)


@ref("sgt", cases=[{"a": 0.5, "alpha": 1.5, "b": 2.0, "beta": 0.7},
                   {"a": 0.1, "alpha": 0.5, "b": 1.0, "beta": 2.0}])
def sgt(x, a=1.0, alpha=1.0, b=1.0, beta=1.0):
    if x >= 0:
        return tanh(mpf(b) * x ** mpf(beta))
    return -tanh(mpf(a) * (-x) ** mpf(alpha))


@ref("rsign", cases=[{"a": 0.3}, {"a": -1.7}])
def rsign(x, a=0.0):
    return mpf(1) if x > mpf(a) else mpf(-1)


@ref("p_sig_ramp", cases=[{"a": 0.2, "b": 0.7}, {"a": 1.0, "b": 2.0}])
def p_sig_ramp(x, a=0.5, b=1.0):
    a, b = mpf(a), mpf(b)
    t = 1 / (2 * b)
    ramp = mpf(1) if x >= t else (mpf(0) if x <= -t else b * x + mpf(1) / 2)
    return a * logistic(x) + (1 - a) * ramp


@ref("pstanh", cases=[{"a": 1.0, "b": 1.0}, {"a": 0.3, "b": 2.5}])
@precise
def pstanh(x, a=0.5, b=1.0):
    return mpf(a) * x * (1 + tanh(mpf(b) * x))


@ref("ssinh", cases=[{"a": 0.5, "b": 0.3}, {"a": -2.0, "b": 1.5}])
def ssinh(x, a=1.0, b=1.0):
    return mpf(a) * sinh(mpf(b) * x)


@ref("sexp", cases=[{"a": 0.5, "b": 0.3}, {"a": 2.0, "b": -1.0}])
@precise
def sexp(x, a=1.0, b=1.0):
    return mpf(a) * (exp_(mpf(b) * x) - 1)


@ref("lau", cases=[{"a": 2.0, "b": 0.5}, {"a": -0.5, "b": 3.0}])
def lau(x, a=1.0, b=1.0):
    return x * log1p(mpf(a) * logistic(mpf(b) * x))


@ref("coslu", cases=[{"a": 0.5, "b": 2.0}, {"a": -1.0, "b": 0.3}])
def coslu(x, a=1.0, b=1.0):
    return (x + mpf(a) * cos(mpf(b) * x)) * logistic(x)


@ref("agumb", cases=[{"a": 0.5}, {"a": 3.0}])
@precise
def agumb(x, a=1.0):
    a = mpf(a)
    return 1 - (1 + a * exp_(x)) ** (-1 / a)


@ref("saaaf", cases=[{"a": 2.0, "b": 1.5}, {"a": 0.5, "b": 1.2}])
def saaaf(x, a=1.0, b=1.0):
    a, b = mpf(a), mpf(b)
    return x / (x / a + exp_(-x / b))


@ref("frac_relu", cases=[{"a": 0.3}, {"a": 0.0}, {"a": 0.9}])
def frac_relu(x, a=0.5):
    a = mpf(a)
    return x ** (1 - a) / gamma(2 - a) if x > 0 else mpf(0)


@ref("frac_prelu", cases=[{"a": 0.3, "b": 0.5}, {"a": 0.0, "b": 0.1}])
def frac_prelu(x, a=0.5, b=0.25):
    a, b = mpf(a), mpf(b)
    if x > 0:
        return x ** (1 - a) / gamma(2 - a)
    if x < 0:
        return -b * (-x) ** (1 - a) / gamma(2 - a)  # right-sided RL derivative of b x, terminal 0
    return mpf(0)


@ref("frac_lrelu", cases=[{"a": 0.2}])
def frac_lrelu(x, a=0.5):
    a = mpf(a)
    if x > 0:
        return x ** (1 - a) / gamma(2 - a)
    if x < 0:
        return -mpf("0.1") * (-x) ** (1 - a) / gamma(2 - a)
    return mpf(0)


@ref("falu", cases=[{"a": 0.0, "b": 2.0}, {"a": 1.5, "b": 1.0}, {"a": 1.0, "b": 3.0}])
def falu(x, a=0.5, b=1.0):
    a, b = mpf(a), mpf(b)
    g = x * logistic(b * x)
    if a <= 1:
        return g + a * logistic(b * x) * (1 - g)
    h = g + logistic(x) * (1 - g)
    return g + a * logistic(b * x) * (1 - 2 * h)


@ref("scaled_softsign", cases=[{"a": 2.0, "b": 0.5}, {"a": -1.0, "b": 3.0}])
def scaled_softsign(x, a=1.0, b=1.0):
    return mpf(a) * x / (mpf(b) + abs(x))


@ref("parameterized_softplus", cases=[{"a": 0.0}, {"a": 1.0}])
def parameterized_softplus(x, a=0.6931471805599453):
    return softplus(x) - mpf(a)


@ref("elus_plus_2l", cases=[{"a": 0.3, "b": 0.2}, {"a": 0.6931471805599453, "b": 1.0}])
@precise
def elus_plus_2l(x, a=0.6931471805599453, b=0.5):
    a, b = mpf(a), mpf(b)
    elu = x if x > 0 else exp_(x) - 1
    return b * elu + (1 - b) * (softplus(x) - a)


@ref("uaf", cases=[{"A": 1.0, "B": 0.5, "C": 0.1, "D": 1.0, "E": 0.2},
                   {"A": 2.0, "B": 0.0, "C": 0.0, "D": 0.0, "E": 0.0}])
def uaf(x, A=30.0, B=1.2e-6, C=1e-7, D=29.0, E=1.02e-6):
    A, B, C, D, E = map(mpf, (A, B, C, D, E))
    return softplus(A * (x + B) + C * x * x) - softplus(D * (x - B)) + E


@ref("leaf", cases=[{"p1": 0.0, "p2": 2.0, "p3": 2.0, "p4": -0.5},
                    {"p1": 0.0, "p2": 1.0, "p3": 1.0, "p4": 0.0},
                    {"p1": 1.5, "p2": 0.3, "p3": 10.0, "p4": 0.1}])
def leaf(x, p1=1.0, p2=0.0, p3=1.0, p4=0.0):
    p1, p2, p3, p4 = map(mpf, (p1, p2, p3, p4))
    return (p1 * x + p2) * logistic(p3 * x) + p4


@ref("grelu", cases=[{"a": 3.0, "b": 0.5}, {"a": 1.5, "b": 2.0}])
def grelu(x, a=2.0, b=1.0):
    a, b = mpf(a), mpf(b)
    return log1p(exp_(b * x * log(a))) / (b * log(a))  # ln(1 + a^(bx)) / (b ln a)


@ref("maf", cases=[{"a": 1.0, "b": 0.5}, {"a": -0.5, "b": 2.0}])
def maf(x, a=0.0, b=1.0):
    a, b = mpf(a), mpf(b)
    return sqrt((x - a) ** 2 + b * b)


@ref("eis", cases=[{"alpha": 0.5, "beta": 1.0, "gamma": 0.5, "delta": 1.0, "theta": 0.5},
                           {"alpha": 0.0, "beta": 1.0, "gamma": 0.0, "delta": 1.0, "theta": 1.0},
                           {"alpha": 1.0, "beta": 0.0, "gamma": 1.0, "delta": 1.16, "theta": 1.0}])
@precise
def eis(x, alpha=1.0, beta=1.0, gamma=1.0, delta=0.0, theta=1.0):
    alpha, beta, gamma, delta, theta = map(mpf, (alpha, beta, gamma, delta, theta))
    sp = softplus(x)
    return x * sp**alpha / (sqrt(beta + gamma * x * x) + delta * exp_(-theta * x))


@ref("eis1", cases=[{"delta": 2.0, "theta": 0.5}, {"delta": 0.5, "theta": 1.5}])
@precise
def eis1(x, delta=1.16, theta=1.0):
    delta, theta = mpf(delta), mpf(theta)
    return x * softplus(x) / (x + delta * exp_(-theta * x))


@ref("eis2", cases=[{"beta": 0.25}, {"beta": 4.0}])
def eis2(x, beta=1.0):
    return x * softplus(x) / sqrt(mpf(beta) + x * x)


@ref("eis3", cases=[{"delta": 2.0, "theta": 0.5}, {"delta": 0.3, "theta": 2.0}])
def eis3(x, delta=1.0, theta=1.0):
    return x / (1 + mpf(delta) * exp_(-mpf(theta) * x))


@ref("gln", cases=[{"a": 1.0, "b": 0.5}, {"a": -2.0, "b": -0.3}])
def gln(x, a=0.0, b=0.0):
    w = 1 / (1 + exp(-mpf(a)))
    return w * sin(x) + (1 - w) * tanh(x) - mpf(b)


@ref("naf", cases=[{"a": 0.5, "b": 2.0, "c": 1.5, "d": 0.5}, {"a": -0.5, "b": 0.0, "c": 2.0, "d": 3.0}])
def naf(x, a=1.0, b=1.0, c=1.0, d=1.0):
    a, b, c, d = map(mpf, (a, b, c, d))
    return a * exp_(-b * x * x) + c / (1 + exp_(-d * x))


@ref("naf_sine", cases=[{"a": 0.5, "b": 2.0, "c": 1.5, "d": 0.5, "e": 2.0, "f": 0.3}])
def naf_sine(x, a=1.0, b=1.0, c=1.0, d=1.0, e=1.0, f=1.0):
    a, b, c, d, e_, f = map(mpf, (a, b, c, d, e, f))
    return a * sin(b * x) + c * exp_(-d * x * x) + e_ / (1 + exp_(-f * x))


@ref("sls_sine", cases=[{"a": 0.5, "b": 2.0, "c": 1.5, "d": 0.5}, {"a": -0.2, "b": 0.3, "c": 2.0, "d": 3.0}])
def sls_sine(x, a=1.0, b=1.0, c=1.0, d=1.0):
    a, b, c, d = map(mpf, (a, b, c, d))
    return a * sin(b * x) + c / (1 + exp_(-d * x))


@ref("aplu", cases=[{"a1": 0.375, "b1": -1.0, "a2": -0.375, "b2": 1.5},
                    {"a1": 1.0, "b1": 0.5, "a2": 0.5, "b2": 2.5}])
def aplu(x, a1=0.0, b1=-1.0, a2=0.0, b2=1.0):
    a1, b1, a2, b2 = map(mpf, (a1, b1, a2, b2))
    relu = lambda t: t if t > 0 else mpf(0)  # noqa: E731
    return relu(x) + a1 * relu(-x + b1) + a2 * relu(-x + b2)


_SPLASH_CASE = {"ap0": 0.8, "ap1": 0.3, "ap2": -0.2, "ap3": 0.1,
                "an0": -0.4, "an1": 0.2, "an2": 0.05, "an3": -0.1}


@ref("splash", cases=[_SPLASH_CASE, {**_SPLASH_CASE, "b1": 0.5, "b2": 1.0, "b3": 2.0}])
def splash(x, ap0=1.0, ap1=0.0, ap2=0.0, ap3=0.0, an0=0.0, an1=0.0, an2=0.0, an3=0.0,
           b1=2.5 / 3.0, b2=5.0 / 3.0, b3=2.5):
    relu = lambda t: t if t > 0 else mpf(0)  # noqa: E731
    hinges = [mpf(0), mpf(b1), mpf(b2), mpf(b3)]
    ap = list(map(mpf, (ap0, ap1, ap2, ap3)))
    an = list(map(mpf, (an0, an1, an2, an3)))
    return sum(p * relu(x - h) + q * relu(-x - h) for p, q, h in zip(ap, an, hinges))

