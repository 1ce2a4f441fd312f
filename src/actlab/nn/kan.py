"""KAN-style layers: learnable functions on every edge (Liu et al. 2024)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import torch
from torch import nn

from actlab.catalog.registry import lookup
from actlab.catalog.spec import HALF_TYPES, ActivationSpec, evaluate


def bspline_basis(x: torch.Tensor, knots: torch.Tensor, order: int) -> torch.Tensor:
    r"""B-spline basis functions of degree ``order`` on ``knots`` (Cox–de Boor recursion).

    .. math::

        B_{j,0}(x) = \mathbb{1}[t_j \le x < t_{j+1}], \qquad
        B_{j,p}(x) = \frac{x - t_j}{t_{j+p} - t_j} B_{j,p-1}(x)
                   + \frac{t_{j+p+1} - x}{t_{j+p+1} - t_{j+1}} B_{j+1,p-1}(x)

    Args:
        x: ``(..., n)`` inputs.
        knots: ``(n, K)`` increasing knots per input feature.
        order: spline degree ``p >= 0``.

    Returns: ``(..., n, K - 1 - order)`` basis values.
    """
    xe = x.unsqueeze(-1)
    b = ((xe >= knots[:, :-1]) & (xe < knots[:, 1:])).to(x.dtype)
    for p in range(1, order + 1):
        left = (xe - knots[:, : -(p + 1)]) / (knots[:, p:-1] - knots[:, : -(p + 1)])
        right = (knots[:, p + 1 :] - xe) / (knots[:, p + 1 :] - knots[:, 1:-p])
        b = left * b[..., :-1] + right * b[..., 1:]
    return b


class KANLinear(nn.Module):
    r"""A Kolmogorov–Arnold layer (Liu et al. 2024, "KAN: Kolmogorov-Arnold Networks", arXiv 2404.19756):
    a learnable function on every edge instead of a weight.

    .. math::

        y_j = \sum_{i=1}^{n_{in}} \phi_{j,i}(x_i), \qquad
        \phi_{j,i}(x) = w^{b}_{j,i}\, b(x) + w^{s}_{j,i} \sum_{g=1}^{G+k} c_{j,i,g} B_g(x)

    with :math:`b` the base activation (SiLU in the paper; any catalog name here) and
    :math:`B_g` the degree-:math:`k` B-spline basis on a uniform grid of :math:`G` intervals over
    ``grid_range``, extended by :math:`k` knots on each side. Outside the extended grid the spline
    part is 0 and only :math:`w^b b(x)` remains. Initialisation as in the paper:
    :math:`c \sim \mathcal{N}(0, \sigma^2)` with :math:`\sigma` = ``scale_noise``,
    :math:`w^s = 1`, :math:`w^b` Xavier-uniform.

    Args:
        in_features, out_features: layer sizes.
        grid_size: number of grid intervals ``G``.
        spline_order: B-spline degree ``k``.
        base_activation: catalog name of ``b``.
        grid_range: interval covered by the grid.
        scale_noise: std of the initial spline coefficients.

    Shape: input ``(*, in_features)``, output ``(*, out_features)``.
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        grid_size: int = 5,
        spline_order: int = 3,
        base_activation: str = "silu",
        grid_range: tuple[float, float] = (-1.0, 1.0),
        scale_noise: float = 0.1,
    ):
        super().__init__()
        if grid_size < 1 or spline_order < 0:
            raise ValueError(f"grid_size must be >= 1 and spline_order >= 0, got {grid_size}, {spline_order}")
        lo, hi = float(grid_range[0]), float(grid_range[1])
        if not hi > lo:
            raise ValueError(f"grid_range must be increasing, got {grid_range}")
        self.in_features, self.out_features = in_features, out_features
        self.grid_size, self.spline_order, self.grid_range = grid_size, spline_order, (lo, hi)
        h = (hi - lo) / grid_size
        knots = lo + h * torch.arange(-spline_order, grid_size + spline_order + 1, dtype=torch.float32)
        self.register_buffer("knots", knots.expand(in_features, -1).contiguous())
        self.base_spec = lookup(base_activation)
        self.base_params = self.base_spec.resolve_params({})
        self.base_weight = nn.Parameter(torch.empty(out_features, in_features))
        self.spline_weight = nn.Parameter(torch.empty(out_features, in_features, grid_size + spline_order))
        self.spline_scaler = nn.Parameter(torch.ones(out_features, in_features))
        nn.init.xavier_uniform_(self.base_weight)
        nn.init.normal_(self.spline_weight, std=scale_noise)

    def basis(self, x: torch.Tensor) -> torch.Tensor:
        """B-spline basis values ``(*, in_features, G + k)``."""
        return bspline_basis(x, self.knots.to(x.dtype), self.spline_order)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.shape[-1] != self.in_features:
            raise ValueError(f"KANLinear: expected {self.in_features} input features, got {x.shape[-1]}")
        lead = x.shape[:-1]
        xf = x.reshape(-1, self.in_features)
        compute = torch.float32 if xf.dtype in HALF_TYPES else xf.dtype
        xc = xf.to(compute)
        base = evaluate(self.base_spec, xc, self.base_params)
        y = base @ self.base_weight.to(compute).t()
        coef = (self.spline_weight * self.spline_scaler.unsqueeze(-1)).to(compute)
        y = y + self.basis(xc).reshape(xc.shape[0], -1) @ coef.reshape(self.out_features, -1).t()
        return y.to(x.dtype).reshape(*lead, self.out_features)

    def edge_function(self, j: int, i: int, x: torch.Tensor) -> torch.Tensor:
        r"""Evaluate the single edge function :math:`\phi_{j,i}` at points ``x`` (any shape)."""
        xs = x.reshape(-1, 1).expand(-1, self.in_features)
        b = evaluate(self.base_spec, xs[:, i], self.base_params)
        spline = self.basis(xs)[:, i, :] @ self.spline_weight[j, i] * self.spline_scaler[j, i]
        return (self.base_weight[j, i] * b + spline).reshape(x.shape)

    def extra_repr(self) -> str:
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, grid_size={self.grid_size}, "
            f"spline_order={self.spline_order}, base_activation={self.base_spec.name!r}, "
            f"grid_range={self.grid_range}"
        )


class CatalogKANLinear(nn.Module):
    r"""KAN layer whose edge functions live in the span of chosen catalog activations.

    .. math::

        y_j = \sum_{i=1}^{n_{in}} \phi_{j,i}(x_i), \qquad
        \phi_{j,i}(x) = \sum_{p=1}^{P} c_{j,i,p}\, f_p(x)

    Each edge learns its own combination of the pool :math:`f_1..f_P` (the "activation space"),
    replacing the B-spline basis of :class:`KANLinear` by functions from the catalog; a pool of one
    function gives an ordinary linear layer followed by that activation on the inputs.
    :meth:`dominant` reports, per edge, the function with the largest
    :math:`|c_{j,i,p}|\,\mathrm{RMS}(f_p)` on the data it was last given, and :meth:`select`
    keeps only that function on each edge (a hard choice), as a way to read a symbolic formula
    off the trained layer.

    Args:
        in_features, out_features: layer sizes.
        functions: catalog names or ``(name, params)`` pairs (names missing from the catalog raise).
        bias: add a bias per output.

    Shape: input ``(*, in_features)``, output ``(*, out_features)``.
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        functions: Sequence[str | tuple[str, dict]] = ("identity", "silu", "tanh", "relu2"),
        bias: bool = True,
    ):
        super().__init__()
        pool: list[tuple[ActivationSpec, dict[str, Any]]] = []
        for item in functions:
            name, params = (item, {}) if isinstance(item, str) else item
            spec = lookup(name)
            pool.append((spec, spec.resolve_params(dict(params))))
        if not pool:
            raise ValueError("CatalogKANLinear needs at least one function")
        self._pool = pool
        self.function_names = [s.name for s, _ in pool]
        self.in_features, self.out_features = in_features, out_features
        bound = 1.0 / math.sqrt(in_features * len(pool))
        self.coef = nn.Parameter(torch.empty(out_features, in_features, len(pool)).uniform_(-bound, bound))
        self.register_buffer("mask", torch.ones(out_features, in_features, len(pool)))
        self.bias = nn.Parameter(torch.zeros(out_features)) if bias else None

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """``(*, in_features, P)``: every pool function applied to every input."""
        return torch.stack([evaluate(s, x, p) for s, p in self._pool], dim=-1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.shape[-1] != self.in_features:
            raise ValueError(f"CatalogKANLinear: expected {self.in_features} inputs, got {x.shape[-1]}")
        f = self.features(x)
        w = (self.coef * self.mask).to(f.dtype)
        y = f.reshape(*x.shape[:-1], -1) @ w.reshape(self.out_features, -1).t()
        return y if self.bias is None else y + self.bias.to(y.dtype)

    @torch.no_grad()
    def dominant(self, x: torch.Tensor) -> torch.Tensor:
        """Index ``(out, in)`` of the function contributing most on each edge for inputs ``x``."""
        f = self.features(x.reshape(-1, self.in_features).float())
        rms = f.pow(2).mean(dim=0).sqrt()  # (in, P)
        return (self.coef.abs() * self.mask * rms.unsqueeze(0)).argmax(dim=-1)

    @torch.no_grad()
    def select(self, x: torch.Tensor) -> dict[str, int]:
        """Keep only each edge's dominant function (see :meth:`dominant`); returns the counts."""
        idx = self.dominant(x)
        self.mask.zero_().scatter_(-1, idx.unsqueeze(-1), 1.0)
        counts = torch.bincount(idx.reshape(-1).cpu(), minlength=len(self._pool)).tolist()
        return dict(zip(self.function_names, counts))

    def extra_repr(self) -> str:
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, "
            f"functions={self.function_names}, bias={self.bias is not None}"
        )
