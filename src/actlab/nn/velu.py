"""VeLU with its learnable scale and its auxiliary loss (Shakarami et al. 2025, arXiv 2504.15051)."""

from __future__ import annotations

from typing import Any

import torch

from actlab.catalog.registry import lookup
from actlab.catalog.spec import HALF_TYPES
from actlab.nn.learnable import LearnableActivation

DEFAULT_LAMBDA_OT = 0.1


class VeLU(LearnableActivation):
    r"""VeLU, the Variance-enhanced Learning Unit, with its trainable output scale :math:`\lambda`.

    .. math::

        a(x) = \mathrm{VeLU}_{\lambda=1}(x), \qquad y = \lambda\, a(x), \qquad
        \mathcal{L}_{aux} = \lambda_{OT} \big[\mathrm{mean}(a)^2 + (\mathrm{std}(a) - 1)^2\big]

    The function :math:`a` (which depends on the inverse RMS of ``x`` over the last axis, hence not
    elementwise) is the catalog's ``velu`` entry; only :math:`\lambda` is learned by default, as in
    the official code. The auxiliary loss (the code's ``add_loss``; global mean and population
    standard deviation of :math:`a` over the whole last batch) is returned by :meth:`aux_loss`;
    add it to the training loss. It keeps the graph of the last forward pass until the next one.

    Args:
        lambda_ot: weight :math:`\lambda_{OT}` of the auxiliary loss (default 0.1); if the catalog
            spec has its own parameter for it, that one is used instead.
        **kwargs: as :class:`LearnableActivation` (initial values, ``learn``, ``num_parameters``...).
    """

    def __init__(self, impl: str = "auto", lambda_ot: float | None = None, **kwargs: Any):
        spec = lookup("velu")
        super().__init__(spec, impl=impl, **kwargs)
        self.scale_name = _scale_param(spec)
        ot = [p.name for p in spec.params if p.role == "aux_weight"]
        if ot and lambda_ot is not None:
            raise TypeError(f"velu: set the auxiliary weight through the parameter {ot[0]!r}")
        self.ot_name = ot[0] if ot else None
        self.lambda_ot = float(lambda_ot) if lambda_ot is not None else DEFAULT_LAMBDA_OT
        self._last: torch.Tensor | None = None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        params = self.params_for(x)
        scale = params[self.scale_name]
        params[self.scale_name] = 1.0
        xc = x.float() if (self.spec.upcast and x.dtype in HALF_TYPES) else x
        a = self.spec.fn(xc, **params)
        self._last = a
        return (scale * a).to(x.dtype)

    def aux_loss(self) -> torch.Tensor:
        """:math:`\\lambda_{OT}[\\mathrm{mean}(a)^2 + (\\mathrm{std}(a) - 1)^2]` of the last forward pass."""
        if self._last is None:
            raise RuntimeError("velu: aux_loss() needs a forward pass first")
        std, mean = torch.std_mean(self._last, correction=0)
        weight = self.fixed.get(self.ot_name, self.lambda_ot) if self.ot_name else self.lambda_ot
        if self.ot_name in self.learned:
            weight = self.param_value(self.ot_name).reshape(())
        return weight * (mean.square() + (std - 1.0).square())

    def _get_name(self) -> str:
        return "VeLU"


def _scale_param(spec: Any) -> str:
    scales = [p.name for p in spec.params if p.role == "scale"]
    if len(scales) != 1:
        raise LookupError(f"{spec.name}: the spec must mark exactly one parameter with role='scale'")
    return scales[0]


def velu_module(spec: Any, impl: str = "auto", trainable: bool = False, **params: Any) -> Any:
    """The module of the catalog's ``velu`` (its spec's ``module``): :class:`VeLU` when trainable."""
    if not trainable:
        from actlab.nn.activation import Activation

        return Activation(spec, impl=impl, **params)
    return VeLU(impl=impl, **params)
