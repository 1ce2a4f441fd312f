"""Rectified, piecewise-linear units."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from actlab.catalog.citations import NAIR_HINTON_2010
from actlab.catalog.registry import activation


@activation(
    "relu",
    family="rectified",
    latex=r"\max(0, x)",
    text="max(0, x)",
    citation=NAIR_HINTON_2010,
    grad_mask=lambda x: x > 0,
    grad_mask_values=lambda p: (0.0, 1.0),
    kinks=lambda p: (0.0,),
    torch_ref=lambda x: F.relu(x),
    notes="Derivative at 0 taken as 0, as in PyTorch.",
)
def relu(x: torch.Tensor) -> torch.Tensor:
    return torch.relu(x)
