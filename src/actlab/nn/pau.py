"""Padé activation units (safe PAU) with least-squares initialisation to any catalog activation."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn

from actlab.catalog.registry import lookup
from actlab.catalog.spec import ActivationSpec, evaluate

DEFAULT_TARGET = "leaky_relu"
DEFAULT_INTERVAL = (-3.0, 3.0)


@dataclass(frozen=True)
class PadeFit:
    """Coefficients of a safe PAU fitted to ``target`` on ``interval`` and the fit's errors.

    ``max_error`` / ``rms_error`` are measured on 20001 evenly spaced points of the interval.
    """

    target: str
    target_params: tuple
    m: int
    n: int
    interval: tuple[float, float]
    numerator: tuple[float, ...]
    denominator: tuple[float, ...]
    max_error: float
    rms_error: float


def _pau_spec() -> ActivationSpec:
    return lookup("pau")


def _rational(x: torch.Tensor, numerator: Any, denominator: Any) -> torch.Tensor:
    return _pau_spec().fn(x, numerator=numerator, denominator=denominator)


def fit_pau(
    target: str = DEFAULT_TARGET,
    m: int = 5,
    n: int = 4,
    interval: tuple[float, float] = DEFAULT_INTERVAL,
    **target_params: Any,
) -> PadeFit:
    r"""Least-squares fit of a safe PAU of degrees ``(m, n)`` to a catalog activation.

    Minimises :math:`\sum_i (P(x_i)/Q(x_i) - f(x_i))^2` over 2001 evenly spaced points of
    ``interval``, with :math:`Q(x) = 1 + \sum_k |b_k| |x|^k`. The start comes from the linearised
    problem :math:`P(x) - f(x) \sum_k c_k |x|^k = f(x)` with :math:`c_k \ge 0` (a bounded linear least
    squares, ``scipy.optimize.lsq_linear``); ``scipy.optimize.least_squares`` (trust-region,
    ``b_k >= 0``) then refines the true rational residual. Results are cached per (target,
    parameters, degrees, interval).
    """
    spec = lookup(target)
    params = spec.resolve_params(target_params)
    lo, hi = float(interval[0]), float(interval[1])
    if not hi > lo:
        raise ValueError(f"interval must be increasing, got {interval}")
    if m < 0 or n < 0:
        raise ValueError(f"degrees must be non-negative, got m={m}, n={n}")
    return _fit_cached(spec.name, tuple(sorted(params.items())), int(m), int(n), lo, hi)


@functools.lru_cache(maxsize=64)
def _fit_cached(name: str, pkey: tuple, m: int, n: int, lo: float, hi: float) -> PadeFit:
    import numpy as np
    from scipy.optimize import least_squares, lsq_linear

    spec = lookup(name)
    params = dict(pkey)
    xt = torch.linspace(lo, hi, 2001, dtype=torch.float64)
    with torch.no_grad():
        ft = spec.fn(xt, **params)
    x, f = xt.numpy(), ft.numpy()
    powers = np.stack([x**j for j in range(m + 1)], axis=1)
    abs_powers = np.stack([np.abs(x) ** k for k in range(1, n + 1)], axis=1) if n else np.zeros((len(x), 0))
    # linearised start: P(x) - f(x) * sum_k c_k |x|^k = f(x), c >= 0
    design = np.concatenate([powers, -f[:, None] * abs_powers], axis=1)
    lower, upper = np.concatenate([np.full(m + 1, -np.inf), np.zeros(n)]), np.full(m + 1 + n, np.inf)
    start = lsq_linear(design, f, bounds=(lower, upper), lsmr_tol="auto").x

    def residual(theta: np.ndarray) -> np.ndarray:
        return powers @ theta[: m + 1] / (1.0 + abs_powers @ theta[m + 1 :]) - f

    def jacobian(theta: np.ndarray) -> np.ndarray:
        q = 1.0 + abs_powers @ theta[m + 1 :]
        p = powers @ theta[: m + 1]
        return np.concatenate([powers / q[:, None], -(p / q**2)[:, None] * abs_powers], axis=1)

    # b_k >= 0 as bounds (the safe form uses |b_k|, so this loses nothing and keeps Q smooth in b)
    sol = least_squares(
        residual,
        start,
        jac=jacobian,
        bounds=(lower, upper),
        method="trf",
        xtol=1e-12,
        ftol=1e-12,
        gtol=1e-12,
        max_nfev=5000,
    )
    theta = sol.x if np.sum(sol.fun**2) <= np.sum(residual(start) ** 2) else start
    num = tuple(float(v) for v in theta[: m + 1])
    den = tuple(float(abs(v)) for v in theta[m + 1 :])
    grid = torch.linspace(lo, hi, 20001, dtype=torch.float64)
    with torch.no_grad():
        err = (
            _rational(grid, torch.tensor(num, dtype=torch.float64), torch.tensor(den, dtype=torch.float64))
            - spec.fn(grid, **params)
        ).abs()
    return PadeFit(
        target=name,
        target_params=pkey,
        m=m,
        n=n,
        interval=(lo, hi),
        numerator=num,
        denominator=den,
        max_error=float(err.max()),
        rms_error=float(err.pow(2).mean().sqrt()),
    )


class PAU(nn.Module):
    r"""Safe Padé activation unit (Molina, Schramowski, Kersting, "Padé Activation Units", ICLR 2020,
    arXiv 1907.06732):

    .. math::

        \mathrm{PAU}(x) = \frac{P(x)}{Q(x)} = \frac{a_0 + a_1 x + \dots + a_m x^m}
                                                   {1 + |b_1|\,|x| + \dots + |b_n|\,|x|^n}

    The denominator is at least 1, so the unit has no poles. The ``m + 1 + n`` coefficients are
    ``nn.Parameter``s shared by all units of the layer (as in the paper). They are initialised by a
    least-squares fit (:func:`fit_pau`) of the rational function to a catalog activation on an
    interval (default LeakyReLU(0.01) on [-3, 3], the paper's default), cached per target, degrees
    and interval; :attr:`fit` holds the fit and its ``max_error``. The function itself is the
    catalog's ``pau`` entry evaluated with these coefficients.

    Args:
        m, n: numerator and denominator degrees (default 5, 4).
        init: catalog name of the activation to fit.
        interval: fitting interval.
        numerator, denominator: explicit initial coefficients (skip the fit).
        **init_params: parameters of the ``init`` activation (e.g. ``negative_slope=0.2``).

    Shape: input ``(*)``, output ``(*)``; half types computed in fp32.

    Example::

        >>> pau = actlab.nn.PAU(init="gelu")
        >>> pau.fit.max_error < 1e-2
        True
    """

    def __init__(
        self,
        m: int = 5,
        n: int = 4,
        init: str = DEFAULT_TARGET,
        interval: tuple[float, float] = DEFAULT_INTERVAL,
        *,
        numerator: Any = None,
        denominator: Any = None,
        **init_params: Any,
    ):
        super().__init__()
        self.spec = _pau_spec()
        self.fit: PadeFit | None = None
        if numerator is None and denominator is None:
            self.fit = fit_pau(init, m, n, interval, **init_params)
            numerator, denominator = self.fit.numerator, self.fit.denominator
        elif numerator is None or denominator is None:
            raise ValueError("PAU: give both numerator and denominator, or neither")
        num = torch.as_tensor(numerator, dtype=torch.float32).reshape(-1).clone()
        den = torch.as_tensor(denominator, dtype=torch.float32).reshape(-1).clone()
        self.m, self.n = num.numel() - 1, den.numel()
        self.numerator = nn.Parameter(num)
        self.denominator = nn.Parameter(den)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return evaluate(self.spec, x, {"numerator": self.numerator, "denominator": self.denominator})

    def extra_repr(self) -> str:
        s = f"m={self.m}, n={self.n}"
        if self.fit is not None:
            s += f", init={self.fit.target!r} on {self.fit.interval}, max_error={self.fit.max_error:.3g}"
        return s


def pau_module(
    spec: ActivationSpec, impl: str = "auto", trainable: bool = False, **params: Any
) -> nn.Module:
    """``actlab.get("pau")``: the fixed catalog function; ``trainable=True``: a :class:`PAU` module."""
    if not trainable:
        from actlab.nn.activation import Activation

        return Activation(spec, impl=impl, **params)
    if set(params) <= set(spec.param_names):
        resolved = spec.resolve_params(params)
        return PAU(numerator=resolved["numerator"], denominator=resolved["denominator"])
    return PAU(**params)
