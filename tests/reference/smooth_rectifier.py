"""References: smooth rectifiers (written from the papers' definitions)."""

from mpmath import erf, exp, log, mpf, pi, sqrt, workdps

from tests.reference import ref


@ref("softplus", cases=[
    {'beta': 2.0, 'threshold': 10.0},
])
def softplus(x, beta=1.0, threshold=20.0):
    # torch.nn.Softplus: linear above beta*x > threshold
    b = mpf(beta)
    if b * x > threshold:
        return x
    return log(1 + exp(b * x)) / b


@ref("smelu", cases=[
    {'beta': 0.0},
    {'beta': 0.5},
])
def smelu(x, beta=2.0):
    b = mpf(beta)
    if x <= -b:
        return mpf(0)
    if x >= b:
        return x
    return (x + b) ** 2 / (4 * b)


@ref("sau", cases=[
    {'alpha': 0.0, 'n': 3.0},
    {'alpha': 1.0, 'n': 0.5},
    {'alpha': 0.3, 'n': 20000.0},
])
def sau(x, alpha=0.15, n=1.0):
    # LeakyReLU_alpha convolved with the Gaussian of std 1/n (exact convolution)
    a, n = mpf(alpha), mpf(n)
    with workdps(_digits_for_cancellation(n * x)):
        return _sau(x, a, n)


def _digits_for_cancellation(z):
    # x * erf(z) + |x| cancels to ~exp(-z^2)/z^2 for large |z|; that is > 1e-300 only for z^2 < 700,
    # so at most ~300 extra digits are ever needed
    return 50 + min(int(float(z) ** 2 / 2.3), 320) if abs(z) < 1e3 else 50


def _sau(x, a, n):
    smoothed_abs = x * erf(n * x / sqrt(2)) + sqrt(2 / pi) / n * exp(-(n**2) * x**2 / 2)
    return (1 + a) / 2 * x + (1 - a) / 2 * smoothed_abs


@ref("ssp")
def ssp(x):
    return log(1 + exp(x)) - log(2)


@ref("squareplus", cases=[
    {'b': 0.01},
])
def squareplus(x, b=4.0):
    return (x + sqrt(x**2 + mpf(b))) / 2


@ref("smu", cases=[
    {'alpha': 0.0, 'mu': 2.5},
])
def smu(x, alpha=0.25, mu=1e6):
    a, m = mpf(alpha), mpf(mu)
    with workdps(_digits_for_cancellation(m * (1 - a) * x)):
        return ((1 + a) * x + (1 - a) * x * erf(m * (1 - a) * x)) / 2


@ref("smu1", cases=[
    {'alpha': 0.01, 'mu': 0.3},
])
def smu1(x, alpha=0.25, mu=4.352665993287951e-9):
    a, m = mpf(alpha), mpf(mu)
    return ((1 + a) * x + sqrt(((1 - a) * x) ** 2 + m**2)) / 2


@ref("slu")
def slu(x):
    # alpha = 1, beta = 2, gamma = 2 ln 2
    return x if x >= 0 else 2 * log(1 + exp(x)) - 2 * log(2)


@ref("bent_identity")
def bent_identity(x):
    return (sqrt(x**2 + 1) - 1) / 2 + x


@ref("psoftplus", cases=[
    {'a': 1.0, 'b': 0.0},
    {'a': 0.5, 'b': 2.0},
])
def psoftplus(x, a=1.5, b=0.6931471805599453):
    # a * (ln(1 + e^x) - b), b taken exactly as the float given
    return mpf(a) * (log(1 + exp(x)) - mpf(b))


@ref("softplus_plus", cases=[
    {'a': 2.0, 'b': 1.0},
    {'a': 0.5, 'b': 10.0},
])
def softplus_plus(x, a=1.0, b=2.0):
    return log(1 + exp(mpf(a) * x)) + x / mpf(b) - log(2)
