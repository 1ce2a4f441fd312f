r"""RePaViT's channel-idle FFN and its reparameterisation for inference.

RePaViT (Xu, Li, Chen, Liu & Wang, ICML 2025, arXiv 2505.21847) lets a share of an FFN's hidden
channels bypass the activation ("idle" channels), so that part of the block is linear and can be
folded away after training. With :math:`h = x W_1 + b_1` split into active channels :math:`h_a` (the
first :math:`(1-\theta) d_{ff}`) and idle ones :math:`h_i`,

.. math::
    \mathrm{FFN}(x) = [\,f(h_a),\ h_i\,] W_2 + b_2
                    = f(x W_{1,a} + b_{1,a}) W_{2,a} + x\,(W_{1,i} W_{2,i}) + (b_{1,i} W_{2,i} + b_2),

and the idle path :math:`x \mapsto x (W_{1,i} W_{2,i}) + c` is one ``d_model × d_model`` linear map.
:func:`reparameterize` builds that inference form (:class:`ReparameterizedFFN`): its cost is
``2·d_model·(1-θ)·d_ff + d_model²`` multiply-adds per token instead of ``2·d_model·d_ff`` (a saving
when θ·d_ff > d_model/2; RePaViT uses θ = 0.75 with d_ff = 4·d_model).

Use it as ``actlab.nn.FFN(d_model, d_ff, act, idle_ratio=0.75)`` and ``ffn.reparameterize()``. The
paper also replaces the FFN's pre-LayerNorm by a BatchNorm so that the norm folds too; actlab's FFN
has no norm of its own, and :func:`actlab.merge` folds a BatchNorm next to a linear layer.
"""

from __future__ import annotations

import torch
from torch import nn

Tensor = torch.Tensor


def check_idle_ratio(idle_ratio: float) -> float:
    """``idle_ratio`` as a float in [0, 1); raises ``ValueError`` naming the valid range otherwise."""
    number = isinstance(idle_ratio, (int, float)) and not isinstance(idle_ratio, bool)
    if not number or not 0.0 <= idle_ratio < 1.0:
        raise ValueError(f"idle_ratio must be a number in [0, 1), got {idle_ratio!r}")
    return float(idle_ratio)


def active_channels(d_ff: int, idle_ratio: float) -> int:
    """How many of ``d_ff`` hidden channels pass through the activation (at least one)."""
    return max(1, d_ff - round(check_idle_ratio(idle_ratio) * d_ff))


def channel_idle(act: nn.Module, h: Tensor, n_active: int | None) -> Tensor:
    """:math:`[f(h_{:, :n}),\\ h_{:, n:}]`: the activation on the first ``n_active`` channels only
    (all of them for ``None``)."""
    if n_active is None or n_active >= h.shape[-1]:
        return act(h)
    return torch.cat([act(h[..., :n_active]), h[..., n_active:]], dim=-1)


class ReparameterizedFFN(nn.Module):
    r"""The inference form of a channel-idle FFN: :math:`f(x W_{1,a} + b_{1,a}) W_{2,a} + x M + c`.

    Built by :func:`reparameterize`; ``up``/``down`` are the active channels' projections, ``idle``
    the folded linear path (``d_model × d_model``, with the bias c)."""

    def __init__(self, up: nn.Linear, act: nn.Module, down: nn.Linear, idle: nn.Linear):
        super().__init__()
        self.up, self.act, self.down, self.idle = up, act, down, idle

    def forward(self, x: Tensor) -> Tensor:
        return self.down(self.act(self.up(x))) + self.idle(x)

    def extra_repr(self) -> str:
        return f"d_model={self.idle.in_features}, active={self.up.out_features}"


def reparameterize(ffn: nn.Module) -> ReparameterizedFFN:
    """The :class:`ReparameterizedFFN` computing the same function as a channel-idle ``ffn``
    (an :class:`actlab.nn.FFN` with ``idle_ratio > 0``; its ``up_proj``, ``act``, ``down_proj``
    and ``n_active`` are read). ``ffn`` is not changed."""
    n = getattr(ffn, "n_active", None)
    up, down = getattr(ffn, "up_proj", None), getattr(ffn, "down_proj", None)
    if n is None or not isinstance(up, nn.Linear) or not isinstance(down, nn.Linear) or n >= up.out_features:
        raise TypeError(f"reparameterize needs a channel-idle FFN (actlab.nn.FFN with idle_ratio > 0), "
                        f"got {type(ffn).__name__}")
    d_model, d_ff = up.in_features, up.out_features
    w1, w2 = up.weight.detach(), down.weight.detach()  # (d_ff, d_model), (d_model, d_ff)
    zeros = lambda n: torch.zeros(n, dtype=w1.dtype, device=w1.device)  # noqa: E731
    b1 = up.bias.detach() if up.bias is not None else zeros(d_ff)
    b2 = down.bias.detach() if down.bias is not None else zeros(d_model)
    new_up = nn.Linear(d_model, n, bias=up.bias is not None).to(w1)
    new_down = nn.Linear(n, d_model, bias=False).to(w1)
    idle = nn.Linear(d_model, d_model, bias=True).to(w1)
    with torch.no_grad():
        new_up.weight.copy_(w1[:n])
        if up.bias is not None:
            new_up.bias.copy_(b1[:n])
        new_down.weight.copy_(w2[:, :n])
        # in PyTorch's (out, in) layout: M = W2_i W1_i, c = W2_i b1_i + b2
        idle.weight.copy_(w2[:, n:] @ w1[n:])
        idle.bias.copy_(w2[:, n:] @ b1[n:] + b2)
    return ReparameterizedFFN(new_up, ffn.act, new_down, idle)
