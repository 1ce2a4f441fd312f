"""SmartMixed: every neuron picks its own activation from a pool (Omidvar 2025)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from actlab.catalog.registry import lookup
from actlab.catalog.spec import ActivationSpec, evaluate
from actlab.nn.registry import register_module

DEFAULT_POOL = ("relu", "sigmoid", "tanh", "leaky_relu", "elu", "selu")


def _pool_specs(pool: Sequence[str | tuple[str, dict]]) -> list[tuple[ActivationSpec, dict[str, Any]]]:
    out = []
    for item in pool:
        name, params = (item, {}) if isinstance(item, str) else item
        spec = lookup(name)
        if not spec.elementwise:
            raise ValueError(f"smart_mixed: {spec.name} is not elementwise")
        out.append((spec, spec.resolve_params(dict(params))))
    if len(out) < 2:
        raise ValueError("smart_mixed: the pool needs at least two activations")
    return out


class SmartMixed(nn.Module):
    r"""Per-neuron choice of activation (Omidvar 2025, "SmartMixed: A Two-Phase Training Strategy for
    Adaptive Activation Function Learning in Neural Networks", arXiv 2510.22450).

    Neuron :math:`i` holds logits :math:`\ell_i \in \mathbb{R}^P` over a pool
    :math:`f_1, \dots, f_P` of catalog activations. Phase 1 (selection):

    .. math:: y_i = \sum_{p=1}^{P} w_{ip} f_p(x_i), \qquad
              w_i = \mathrm{GumbelSoftmax}(\ell_i, \tau)

    with the straight-through hard sample (``hard=True``: one-hot forward, soft-sample gradient)
    in training, and the one-hot :math:`\arg\max_p \ell_{ip}` in evaluation. Phase 2:
    :meth:`freeze` fixes each neuron's argmax; the forward pass then groups the neurons by chosen
    function (one permutation, one call per function on a contiguous slice, one inverse
    permutation) instead of evaluating every function on every neuron. :meth:`distribution`
    reports how many neurons chose each function.

    Args:
        num_features: number of neurons (size of ``channel_dim``).
        pool: catalog names (or ``(name, params)`` pairs); default the paper's ReLU, Sigmoid, Tanh,
            LeakyReLU, ELU, SELU.
        channel_dim: the input dimension indexing the neurons (``-1`` for ``(*, F)``, ``1`` for
            ``(N, C, H, W)``).
        tau: Gumbel-softmax temperature.
        hard: straight-through hard samples (True) or soft mixtures (False) in training.

    Shape: input with ``num_features`` entries along ``channel_dim``; output the same shape.
    """

    def __init__(
        self,
        num_features: int,
        pool: Sequence[str | tuple[str, dict]] = DEFAULT_POOL,
        *,
        channel_dim: int = -1,
        tau: float = 1.0,
        hard: bool = True,
    ):
        super().__init__()
        if num_features < 1:
            raise ValueError(f"num_features must be positive, got {num_features}")
        if not tau > 0:
            raise ValueError(f"tau must be > 0, got {tau}")
        self.num_features, self.channel_dim, self.tau, self.hard = num_features, channel_dim, tau, hard
        self._pool = _pool_specs(pool)
        self.pool_names = [s.name for s, _ in self._pool]
        self.logits = nn.Parameter(torch.zeros(num_features, len(self._pool)))
        self.register_buffer("choice", torch.full((num_features,), -1, dtype=torch.long))
        self._groups: tuple[torch.Tensor, torch.Tensor, list[int]] | None = None
        self.register_load_state_dict_post_hook(lambda module, keys: module._invalidate())

    # -- state ------------------------------------------------------------------------------
    @property
    def frozen(self) -> bool:
        return bool((self.choice >= 0).all())

    def _invalidate(self) -> None:
        self._groups = None
        if self.frozen:
            self.logits.requires_grad_(False)

    def freeze(self) -> SmartMixed:
        """Fix each neuron's activation to its argmax logit (phase 2); returns self."""
        with torch.no_grad():
            self.choice.copy_(self.logits.argmax(dim=-1))
        self.logits.requires_grad_(False)
        self._groups = None
        return self

    def distribution(self) -> dict[str, int]:
        """How many neurons use (frozen) or currently prefer (argmax) each pool function."""
        choice = self.choice if self.frozen else self.logits.detach().argmax(dim=-1)
        counts = torch.bincount(choice.cpu(), minlength=len(self._pool)).tolist()
        return dict(zip(self.pool_names, counts))

    # -- forward ----------------------------------------------------------------------------
    def _dim(self, x: torch.Tensor) -> int:
        d = self.channel_dim if self.channel_dim >= 0 else x.dim() + self.channel_dim
        if not 0 <= d < x.dim() or x.shape[d] != self.num_features:
            raise ValueError(
                f"smart_mixed: expected {self.num_features} features along dim {self.channel_dim}, "
                f"got shape {tuple(x.shape)}"
            )
        return d

    def weights(self) -> torch.Tensor:
        """Mixture weights ``(num_features, P)`` for this forward pass."""
        if self.training:
            return F.gumbel_softmax(self.logits, tau=self.tau, hard=self.hard, dim=-1)
        return F.one_hot(self.logits.argmax(dim=-1), len(self._pool)).to(self.logits.dtype)

    def mixture(self, x: torch.Tensor, weights: torch.Tensor) -> torch.Tensor:
        r""":math:`\sum_p w_{ip} f_p(x_i)`, every function evaluated on every neuron."""
        d = self._dim(x)
        shape = [1] * x.dim()
        shape[d] = self.num_features
        y = None
        for p, (spec, params) in enumerate(self._pool):
            term = weights[:, p].reshape(shape) * evaluate(spec, x, params)
            y = term if y is None else y + term
        return y.to(x.dtype)

    def _grouping(self, device: torch.device) -> tuple[torch.Tensor, torch.Tensor, list[int]]:
        if self._groups is None or self._groups[0].device != device:
            order = torch.argsort(self.choice, stable=True)
            inverse = torch.argsort(order)
            counts = torch.bincount(self.choice, minlength=len(self._pool)).tolist()
            self._groups = (order.to(device), inverse.to(device), counts)
        return self._groups

    def grouped(self, x: torch.Tensor) -> torch.Tensor:
        """Frozen forward: each function applied once, to the contiguous slice of its neurons."""
        d = self._dim(x)
        order, inverse, counts = self._grouping(x.device)
        parts = torch.split(x.index_select(d, order), counts, dim=d)
        out = [evaluate(spec, part, params) for (spec, params), part in zip(self._pool, parts)]
        return torch.cat(out, dim=d).index_select(d, inverse)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.frozen:
            return self.grouped(x)
        return self.mixture(x, self.weights())

    def extra_repr(self) -> str:
        return (
            f"num_features={self.num_features}, pool={self.pool_names}, channel_dim={self.channel_dim}, "
            f"tau={self.tau}, hard={self.hard}, frozen={self.frozen}"
        )


register_module("smart_mixed")(SmartMixed)
