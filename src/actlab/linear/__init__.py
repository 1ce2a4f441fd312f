"""Linear structure of trained networks: how linear they are, removing nonlinearities, merging layers.

- :func:`linearity_scores` / :func:`procrustes_linearity`: per-layer linearity ("Your Transformer is
  Secretly Linear"); :func:`unit_linearisability`: per-unit linearisability ("Nonlinear Advantage").
- :func:`linearize`: activation sites (or their most linear units) → identity or best affine fit.
- :func:`merge`: fold adjacent linear layers (Linear∘Linear, Conv∘Conv, BatchNorm) into single ones.
- :mod:`actlab.linear.protocol`: LayerMerge's accuracy–depth trade-off on a small model.
"""

from actlab.linear.fold import ChannelAffine, LinearizeReport, MergeReport, PartialLinear, linearize, merge
from actlab.linear.measures import (
    Linearisability,
    affine_fits,
    linearity_scores,
    procrustes_linearity,
    unit_linearisability,
)

__all__ = [
    "ChannelAffine",
    "Linearisability",
    "LinearizeReport",
    "MergeReport",
    "PartialLinear",
    "affine_fits",
    "linearity_scores",
    "linearize",
    "merge",
    "procrustes_linearity",
    "unit_linearisability",
]
