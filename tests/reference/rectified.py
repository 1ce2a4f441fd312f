"""References: rectified units (written from the papers' definitions; the S-shaped ReLU of Jin et al.
is ``s_shaped_relu``)."""

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


@ref("leaky_relu", cases=[
    {'negative_slope': 0.2},
    {'negative_slope': 0.3},
])
def leaky_relu(x, negative_slope=0.01):
    return x if x > 0 else mpf(negative_slope) * x


@ref("prelu", cases=[
    {'a': -0.5},
    {'a': -0.7},
])
def prelu(x, a=0.25):
    return x if x > 0 else mpf(a) * x


@ref("rrelu", cases=[
    {'lower': 0.1, 'upper': 0.3},
    {'lower': 0.2, 'upper': 0.2},
])
def rrelu(x, lower=1 / 8, upper=1 / 3):
    # evaluation mode of torch.nn.RReLU: the mean slope
    slope = (mpf(lower) + mpf(upper)) / 2
    return x if x >= 0 else slope * x


@ref("hardtanh", cases=[
    {'min_val': -2.0, 'max_val': 3.0},
    {'min_val': -0.5, 'max_val': 2.0},
])
def hardtanh(x, min_val=-1.0, max_val=1.0):
    return min(max(mpf(min_val), x), mpf(max_val))


@ref("threshold", cases=[
    {'threshold': 1.0, 'value': -2.0},
    {'threshold': 0.5, 'value': 3.0},
])
def threshold(x, threshold=0.0, value=0.0):
    return x if x > threshold else mpf(value)


@ref("helu", cases=[
    {'alpha': 0.5},
])
def helu(x, alpha=0.05):
    # forward of the hysteresis ReLU is ReLU; alpha only acts in its backward pass
    return x if x > 0 else mpf(0)


@ref("relu2")
def relu2(x):
    return x**2 if x > 0 else mpf(0)


@ref("crrelu", cases=[
    {'eps': -0.3},
])
def crrelu(x, eps=0.01):
    return (x if x > 0 else mpf(0)) + mpf(eps) * x * exp(-(x**2) / 2)


@ref("relun", cases=[
    {'n': 6.0},
    {'n': 2.5},
])
def relun(x, n=1.0):
    return min(max(mpf(0), x), mpf(n))


@ref("trec", cases=[
    {'theta': 0.0},
    {'theta': 0.25},
])
def trec(x, theta=1.0):
    return x if x > theta else mpf(0)


@ref("s_shaped_relu", cases=[
    {'t_left': -0.5, 'a_left': 0.2, 't_right': 2.0, 'a_right': 1.5},
])
def s_shaped_relu(x, t_left=-1.0, a_left=0.1, t_right=1.0, a_right=0.1):
    tl, al, tr, ar = mpf(t_left), mpf(a_left), mpf(t_right), mpf(a_right)
    if x >= tr:
        return tr + ar * (x - tr)
    if x <= tl:
        return tl + al * (x - tl)
    return x


@ref("starrelu", cases=[
    {'scale': 2.0, 'bias': 0.5},
])
def starrelu(x, scale=0.8944, bias=-0.4472):
    r = x if x > 0 else mpf(0)
    return mpf(scale) * r**2 + mpf(bias)


@ref("repu", cases=[
    {'p': 1},
    {'p': 2},
])
def repu(x, p=3):
    return x**p if x > 0 else mpf(0)


@ref("nlrelu", cases=[
    {'beta': 3.0},
])
def nlrelu(x, beta=1.0):
    return log(1 + mpf(beta) * x) if x > 0 else mpf(0)


@ref("absolute")
def absolute(x):
    return abs(x)
