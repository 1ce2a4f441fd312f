"""Activations whose parameters a small network computes from the input: DY-ReLU and meta-ACON."""

from __future__ import annotations

import torch
from torch import nn

from actlab.nn.registry import register_module
from actlab.nn.stochastic_units import check_count, check_number

DY_RELU_VARIANTS = ("A", "B")


def _channels(x: torch.Tensor, channels: int, module: str) -> None:
    if x.dim() < 2 or x.shape[1] != channels:
        raise ValueError(f"{module}: input must have shape (N, {channels}, *), got {tuple(x.shape)}")


def _context(x: torch.Tensor) -> torch.Tensor:
    """Global average over the spatial dims: ``(N, C, *) -> (N, C)``."""
    return x.mean(dim=tuple(range(2, x.dim()))) if x.dim() > 2 else x


class DYReLU(nn.Module):
    r"""Dynamic ReLU, DY-ReLU (Chen, Dai, Liu, Chen, Yuan, Liu 2020, "Dynamic ReLU", ECCV,
    arXiv 2003.10027; survey §4.59): a piecewise-linear function whose coefficients a
    hyper-function computes from the whole input,

    .. math::

        y_c = \max_{1 \le k \le K} \big(a_c^k(x)\, x_c + b_c^k(x)\big), \quad
        a_c^k = \alpha^k + \lambda_a \Delta a_c^k(x), \quad b_c^k = \beta^k + \lambda_b \Delta b_c^k(x)

    The hyper-function pools each channel over the spatial dims, applies
    ``Linear(C, C/R) → ReLU → Linear(C/R, 2K·C)`` (``2K`` for variant A) and normalises with
    :math:`2\sigma(\cdot) - 1` to :math:`[-1, 1]`. Defaults as the paper: :math:`K = 2`,
    :math:`\lambda_a = 1, \lambda_b = 0.5`, :math:`\alpha^1 = 1`, other :math:`\alpha^k = \beta^k = 0`
    (so the unit starts near ReLU). ``variant="B"`` (default, the paper's main one): coefficients
    per channel, shared over space; ``"A"``: shared by all channels. Variant C (spatial attention)
    is not included. ``reduction = 4`` follows common implementations (the paper's value was not
    verified).

    Shape: input ``(N, C, *)``, output the same.
    """

    def __init__(
        self,
        channels: int,
        k: int = 2,
        reduction: int = 4,
        variant: str = "B",
        lambda_a: float = 1.0,
        lambda_b: float = 0.5,
    ):
        super().__init__()
        self.channels = check_count("dy_relu", "channels", channels)
        self.k = check_count("dy_relu", "k", k)
        reduction = check_count("dy_relu", "reduction", reduction)
        if variant not in DY_RELU_VARIANTS:
            raise ValueError(
                f"dy_relu: parameter 'variant' must be one of {DY_RELU_VARIANTS}, got {variant!r}"
            )
        self.variant = variant
        self.lambda_a = check_number("dy_relu", "lambda_a", lambda_a)
        self.lambda_b = check_number("dy_relu", "lambda_b", lambda_b)
        hidden = max(1, channels // reduction)
        out = 2 * self.k * (channels if variant == "B" else 1)
        self.hyper = nn.Sequential(nn.Linear(channels, hidden), nn.ReLU(), nn.Linear(hidden, out))
        init = torch.zeros(2, self.k)
        init[0, 0] = 1.0  # alpha^1 = 1, alpha^k>1 = beta^k = 0
        self.register_buffer("init_coefficients", init)

    def coefficients(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """The slopes and intercepts ``(a, b)``, each ``(N, C or 1, K)``."""
        _channels(x, self.channels, "dy_relu")
        theta = 2.0 * torch.sigmoid(self.hyper(_context(x))) - 1.0
        theta = theta.reshape(x.shape[0], -1, 2, self.k)
        init = self.init_coefficients.to(theta.dtype)
        a = init[0] + self.lambda_a * theta[:, :, 0]
        b = init[1] + self.lambda_b * theta[:, :, 1]
        return a, b

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        a, b = self.coefficients(x)
        shape = (x.shape[0], a.shape[1], *([1] * (x.dim() - 2)), self.k)
        y = x.unsqueeze(-1) * a.reshape(shape) + b.reshape(shape)
        return y.amax(dim=-1)

    def extra_repr(self) -> str:
        return f"channels={self.channels}, k={self.k}, variant={self.variant!r}"


class MetaACON(nn.Module):
    r"""meta-ACON (Ma, Zhang, Liu, Sun 2021, "Activate or Not: Learning Customized Activation",
    CVPR, arXiv 2009.04759; survey §4.4.6): ACON-C whose switching factor :math:`\beta` a small
    network computes per sample and channel,

    .. math::

        f(x)_c = (p_1 - p_2)\,x_c\,\sigma\big(\beta_c (p_1 - p_2)\,x_c\big) + p_2\,x_c, \qquad
        \beta_c = \sigma\big(W_1 W_2\, \bar x\big)_c

    with :math:`\bar x` the spatial mean of each channel (the authors' code; the paper writes the
    sum) and :math:`W_2: C \to \max(r, C/r)`, :math:`W_1` back to :math:`C` (1x1 layers with bias,
    ``r = 16``), without the batch norms of one version of the authors' code. :math:`p_1, p_2` are
    learned per channel, initialised to 1 and 0 (the ACON-C initial values in the survey; the
    authors' code draws them at random). At :math:`p_1 = 1, p_2 = 0` the unit is
    :math:`x\,\sigma(\beta x)`, swish with a data-dependent :math:`\beta`.

    Shape: input ``(N, C, *)``, output the same.
    """

    def __init__(self, channels: int, r: int = 16, p1: float = 1.0, p2: float = 0.0):
        super().__init__()
        self.channels = check_count("meta_acon", "channels", channels)
        r = check_count("meta_acon", "r", r)
        hidden = max(r, channels // r)
        self.fc2 = nn.Linear(channels, hidden)
        self.fc1 = nn.Linear(hidden, channels)
        self.p1 = nn.Parameter(torch.full((channels,), check_number("meta_acon", "p1", p1)))
        self.p2 = nn.Parameter(torch.full((channels,), check_number("meta_acon", "p2", p2)))

    def switching_factor(self, x: torch.Tensor) -> torch.Tensor:
        """:math:`\\beta`, shape ``(N, C)``."""
        _channels(x, self.channels, "meta_acon")
        return torch.sigmoid(self.fc1(self.fc2(_context(x))))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        view = (x.shape[0], self.channels, *([1] * (x.dim() - 2)))
        beta = self.switching_factor(x).reshape(view)
        shape = (1, self.channels, *([1] * (x.dim() - 2)))
        p1, p2 = self.p1.reshape(shape), self.p2.reshape(shape)
        dpx = (p1 - p2) * x
        return dpx * torch.sigmoid(beta * dpx) + p2 * x

    def extra_repr(self) -> str:
        return f"channels={self.channels}"


register_module(
    "dy_relu", names=("DY-ReLU", "dynamic ReLU", "dynamic parameter ReLU", "DReLU"), survey=("DY-ReLU",)
)(DYReLU)
register_module("meta_acon", names=("meta-ACON", "MetaACON", "MetaAconC"), survey=("meta-ACON",))(MetaACON)

__all__ = ["DY_RELU_VARIANTS", "DYReLU", "MetaACON"]
