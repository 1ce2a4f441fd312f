"""Normalising activations of the survey (§3.5, §3.8.7): softmax, β-softmax and SQMAX.

Each maps a vector along ``dim`` to non-negative values that sum to 1; none is elementwise.
"""

from __future__ import annotations

import torch
from torch import nn

from actlab.nn.registry import register_module
from actlab.nn.stochastic_units import check_number


class Softmax(nn.Module):
    r"""Softmax (survey §3.5): :math:`f(z)_j = e^{z_j} / \sum_{k=1}^N e^{z_k}` along ``dim``.

    Computed by ``torch.softmax`` (max-shifted, no overflow). Shape: input ``(*)``, output ``(*)``.
    """

    def __init__(self, dim: int = -1):
        super().__init__()
        self.dim = dim

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return torch.softmax(z, dim=self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class BetaSoftmax(nn.Module):
    r"""β-softmax (survey §3.5.1): :math:`f(z)_j = e^{\beta z_j} / \sum_{k=1}^N e^{\beta z_k}`.

    The survey says only that :math:`\beta` "takes random value from" the positive integers, with
    no further specification; here :math:`\beta > 0` is a given number (default 1, plain softmax),
    optionally learned (``trainable=True``, learned as :math:`\log\beta` so it stays positive).

    Shape: input ``(*)``, output ``(*)``.
    """

    def __init__(self, beta: float = 1.0, trainable: bool = False, dim: int = -1):
        super().__init__()
        b = check_number("beta_softmax", "beta", beta, 0.0, low_open=True)
        log_beta = torch.tensor(b).log()
        self.dim = dim
        if trainable:
            self.log_beta = nn.Parameter(log_beta)
        else:
            self.register_buffer("log_beta", log_beta)

    @property
    def beta(self) -> torch.Tensor:
        return self.log_beta.exp()

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return torch.softmax(self.beta.to(z.dtype) * z, dim=self.dim)

    def extra_repr(self) -> str:
        learn = isinstance(self.log_beta, nn.Parameter)
        return f"beta={float(self.beta):.6g}, trainable={learn}, dim={self.dim}"


class SQMAX(nn.Module):
    r"""Square softmax, SQMAX (Wuraola, Patel, Nguang 2021, "Efficient activation functions for
    embedded inference engines", Neurocomputing 442, doi 10.1016/j.neucom.2021.02.030; survey
    §3.8.7): a square-based replacement of the exponential in softmax,

    .. math:: f(z)_j = \frac{(z_j + c)^2}{\sum_{k=1}^N (z_k + c)^2}, \qquad c = 4.

    It normalises along ``dim`` (not elementwise). The output is 0/0 (NaN) only when every
    :math:`z_k = -c`. Shape: input ``(*)``, output ``(*)``.
    """

    def __init__(self, c: float = 4.0, dim: int = -1):
        super().__init__()
        self.c = check_number("sqmax", "c", c)
        self.dim = dim

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        s = (z + self.c) ** 2
        return s / s.sum(dim=self.dim, keepdim=True)

    def extra_repr(self) -> str:
        return f"c={self.c:.6g}, dim={self.dim}"


register_module("softmax", names=("softmax", "soft argmax"), survey=("softmax",))(Softmax)
register_module("beta_softmax", names=("β-softmax", "beta softmax"), survey=("beta-softmax",))(BetaSoftmax)
register_module("sqmax", names=("SQMAX", "square softmax"), survey=("SQMAX",))(SQMAX)

__all__ = ["SQMAX", "BetaSoftmax", "Softmax"]
