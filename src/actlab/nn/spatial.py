"""xUnit: a learnable spatial activation for image models (Kligvasser et al. 2018)."""

from __future__ import annotations

import torch
from torch import nn

from actlab.catalog.registry import lookup
from actlab.catalog.spec import evaluate
from actlab.nn.registry import register_module

GATES = ("gaussian", "sigmoid")


class XUnit(nn.Module):
    r"""xUnit (Kligvasser, Rott Shaham, Michaeli, "xUnit: Learning a Spatial Activation Function for
    Efficient Image Restoration", CVPR 2018, arXiv 1711.06445).

    .. math::

        z = \mathrm{BN}_2\big(\mathrm{DWConv}_{k\times k}(\mathrm{ReLU}(\mathrm{BN}_1(x)))\big), \qquad
        y = x \odot g(z)

    where the depthwise convolution gives every channel its own learned :math:`k \times k` spatial
    filter, so each output pixel is gated by its neighbourhood. The paper's gate is the Gaussian
    :math:`g(z) = e^{-z^2}`; the authors' later code uses the sigmoid (``gate="sigmoid"``).

    Args:
        num_features: channels ``C``.
        kernel_size: odd spatial size ``k`` of the depthwise filter (default 7, as the official code).
        batch_norm: use the two batch norms (the paper's figure); False drops them.
        gate: ``"gaussian"`` (paper) or ``"sigmoid"``.
        act: the catalog activation after the first batch norm (``"relu"`` in the paper).

    Shape: input ``(N, C, H, W)``, output ``(N, C, H, W)``.
    """

    def __init__(
        self,
        num_features: int,
        kernel_size: int = 7,
        batch_norm: bool = True,
        gate: str = "gaussian",
        act: str = "relu",
    ):
        super().__init__()
        if kernel_size < 1 or kernel_size % 2 == 0:
            raise ValueError(f"xunit: kernel_size must be a positive odd integer, got {kernel_size}")
        if gate not in GATES:
            raise ValueError(f"xunit: gate must be one of {GATES}, got {gate!r}")
        self.num_features, self.kernel_size, self.gate = num_features, kernel_size, gate
        self.bn1 = nn.BatchNorm2d(num_features) if batch_norm else nn.Identity()
        self.act_spec = lookup(act)
        self.act_params = self.act_spec.resolve_params({})
        self.conv = nn.Conv2d(
            num_features, num_features, kernel_size, padding=kernel_size // 2, groups=num_features
        )
        self.bn2 = nn.BatchNorm2d(num_features) if batch_norm else nn.Identity()
        self.gate_spec = lookup(gate)  # catalog "gaussian" is exp(-z^2), "sigmoid" 1/(1+exp(-z))

    def gate_map(self, x: torch.Tensor) -> torch.Tensor:
        """The spatial gate :math:`g(z)` in ``[0, 1]``, shape of ``x``."""
        h = evaluate(self.act_spec, self.bn1(x), self.act_params)
        z = self.bn2(self.conv(h))
        return evaluate(self.gate_spec, z, {})

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * self.gate_map(x)

    def extra_repr(self) -> str:
        return f"num_features={self.num_features}, kernel_size={self.kernel_size}, gate={self.gate!r}"


register_module("xunit")(XUnit)
