"""References: rectified units (written from the papers' definitions)."""

from mpmath import exp, log, mpf

from tests.reference import ref


@ref("relu")
def relu(x):
    return x if x > 0 else mpf(0)


@ref("identity")
def identity(x):
    return x


@ref("relu6")
def relu6(x):
    return min(max(mpf(0), x), mpf(6))


@ref("leaky_relu")
def leaky_relu(x, negative_slope=0.01):
    return x if x > 0 else mpf(negative_slope) * x


@ref("prelu")
def prelu(x, a=0.25):
    return x if x > 0 else mpf(a) * x


@ref("rrelu")
def rrelu(x, lower=1 / 8, upper=1 / 3):
    # evaluation mode of torch.nn.RReLU: the mean slope
    slope = (mpf(lower) + mpf(upper)) / 2
    return x if x >= 0 else slope * x


@ref("hardtanh")
def hardtanh(x, min_val=-1.0, max_val=1.0):
    return min(max(mpf(min_val), x), mpf(max_val))


@ref("threshold")
def threshold(x, threshold=0.0, value=0.0):
    return x if x > threshold else mpf(value)


@ref("helu")
def helu(x, alpha=0.05):
    # forward of the hysteresis ReLU is ReLU; alpha only acts in its backward pass
    return x if x > 0 else mpf(0)


@ref("relu2")
def relu2(x):
    return x**2 if x > 0 else mpf(0)


@ref("crrelu")
def crrelu(x, eps=0.01):
    return (x if x > 0 else mpf(0)) + mpf(eps) * x * exp(-(x**2) / 2)


@ref("relun")
def relun(x, n=1.0):
    return min(max(mpf(0), x), mpf(n))


@ref("trec")
def trec(x, theta=1.0):
    return x if x > theta else mpf(0)


@ref("srelu")
def srelu(x, t_left=-1.0, a_left=0.1, t_right=1.0, a_right=0.1):
    tl, al, tr, ar = mpf(t_left), mpf(a_left), mpf(t_right), mpf(a_right)
    if x >= tr:
        return tr + ar * (x - tr)
    if x <= tl:
        return tl + al * (x - tl)
    return x


@ref("starrelu")
def starrelu(x, scale=0.8944, bias=-0.4472):
    r = x if x > 0 else mpf(0)
    return mpf(scale) * r**2 + mpf(bias)


@ref("repu")
def repu(x, p=3):
    return x**p if x > 0 else mpf(0)


@ref("nlrelu")
def nlrelu(x, beta=1.0):
    return log(1 + mpf(beta) * x) if x > 0 else mpf(0)


@ref("absolute")
def absolute(x):
    return abs(x)
