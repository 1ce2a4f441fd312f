"""Trainable matrix activation: piecewise-linear, per-neuron trainable slopes (Liu et al. 2021)."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn


class MatrixActivation(nn.Module):
    r"""Trainable matrix activation function (TMAF; Liu, Cao, Li, Zikatanov, "Neural networks with
    trainable matrix activation functions", arXiv 2109.09948), diagonal form:

    .. math::

        \sigma(x) = D(x)\,x, \qquad D(x) = \mathrm{diag}\big(\alpha_1(x_1), \dots, \alpha_n(x_n)\big),
        \qquad \alpha_i(t) = t_{i,j} \ \text{ for } t \in [s_{j-1}, s_j)

    with fixed breakpoints :math:`-\infty = s_0 < s_1 < \dots < s_J < s_{J+1} = \infty` and a trainable
    slope :math:`t_{i,j}` for every neuron :math:`i` and interval :math:`j`. It is computed with
    comparisons and scalar multiplications only,
    :math:`\alpha_i(t) = t_{i,0} + \sum_{j \ge 1} (t_{i,j} - t_{i,j-1})\, \mathbb{1}[t \ge s_j]`.
    ReLU is the case :math:`J = 1, s_1 = 0, t_{i,\cdot} = (0, 1)` (the default initialisation);
    PReLU is :math:`(a, 1)`. The breakpoints are constants: the output is piecewise constant in
    them, so they receive no gradient.

    Args:
        num_features: neurons ``n`` (size of ``channel_dim``).
        breakpoints: increasing interior breakpoints :math:`s_1 < \dots < s_J`.
        init_slopes: the ``J + 1`` initial slopes, shared by all neurons (default ReLU-like:
            0 below the first breakpoint, 1 above the last, linearly spaced between).
        channel_dim: the input dimension indexing the neurons.

    Shape: input with ``num_features`` entries along ``channel_dim``; output the same shape.
    """

    def __init__(
        self,
        num_features: int,
        breakpoints: Sequence[float] = (0.0,),
        init_slopes: Sequence[float] | None = None,
        channel_dim: int = -1,
    ):
        super().__init__()
        bps = [float(b) for b in breakpoints]
        if not bps or any(b2 <= b1 for b1, b2 in zip(bps, bps[1:])):
            raise ValueError(f"breakpoints must be a non-empty increasing sequence, got {breakpoints}")
        if init_slopes is None:
            n = len(bps) + 1
            init_slopes = [j / (n - 1) for j in range(n)]
        if len(init_slopes) != len(bps) + 1:
            raise ValueError(
                f"need {len(bps) + 1} init_slopes for {len(bps)} breakpoints, got {len(init_slopes)}"
            )
        self.num_features, self.channel_dim = num_features, channel_dim
        self.register_buffer("breakpoints", torch.tensor(bps))
        self.slopes = nn.Parameter(torch.tensor([float(s) for s in init_slopes]).repeat(num_features, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        d = self.channel_dim if self.channel_dim >= 0 else x.dim() + self.channel_dim
        if not 0 <= d < x.dim() or x.shape[d] != self.num_features:
            raise ValueError(
                f"MatrixActivation: expected {self.num_features} features along dim {self.channel_dim}, "
                f"got shape {tuple(x.shape)}"
            )
        shape = [1] * x.dim()
        shape[d] = self.num_features
        t = self.slopes.to(x.dtype)
        alpha = t[:, 0].reshape(shape).expand_as(x)
        for j in range(1, t.shape[1]):
            step = (x >= self.breakpoints[j - 1]).to(x.dtype)
            alpha = alpha + (t[:, j] - t[:, j - 1]).reshape(shape) * step
        return alpha * x

    def extra_repr(self) -> str:
        return (
            f"num_features={self.num_features}, breakpoints={self.breakpoints.tolist()}, "
            f"channel_dim={self.channel_dim}"
        )
