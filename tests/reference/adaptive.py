"""References: adaptive activations. VeLU follows the official Keras layer (VeLU.ipynb):
reductions over the last axis; 'std_dev' = rsqrt(mean(x^2) + eps)."""

from mpmath import asin, atan, exp, mpf, sqrt, tanh

from tests.reference import ref


@ref("velu", cases=[
    dict(alpha=0.5, beta1=0.3, beta2=0.2, gamma=0.4, momentum=0.5, eps=1e-3, lambda_=1.5),
])
def velu(row, alpha=0.1, beta1=0.1, beta2=0.1, gamma=0.1, momentum=0.9, eps=1e-6, lambda_=1.0):
    """``row``: the last axis as a list of mpf; returns the list of outputs."""
    alpha, beta1, beta2, gamma = mpf(alpha), mpf(beta1), mpf(beta2), mpf(gamma)
    momentum, eps, lambda_ = mpf(momentum), mpf(eps), mpf(lambda_)
    variance = sum(v**2 for v in row) / len(row)
    std_dev = 1 / sqrt(variance + eps)
    adapt = 1 + gamma * tanh(std_dev * momentum)
    out = []
    for v in row:
        mix = atan(beta1 * v) + asin(min(max(beta2 * v, mpf(-1)), mpf(1)))
        gate = 1 / (1 + exp(-alpha * mix))
        out.append(lambda_ * v * gate * adapt)
    return out
