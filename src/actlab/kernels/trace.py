"""Trace an activation's PyTorch definition into an aten-level ``torch.fx`` graph.

:func:`trace` runs ``make_fx`` with symbolic shapes (the graph works for any size) and a
decomposition table that lowers composite ops (``gelu``, ``softplus``, ``elu``, their backward
ops, ...) to primitive elementwise aten ops. The compiled backend compiles these graphs and the
Triton backend translates them to Triton source: both start from the same definition.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import fx

aten = torch.ops.aten

_EXTRA = (
    "gelu",
    "gelu_backward",
    "elu",
    "elu_backward",
    "celu",
    "selu",
    "silu",
    "silu_backward",
    "mish",
    "mish_backward",
    "softplus",
    "softplus_backward",
    "hardtanh",
    "hardtanh_backward",
    "leaky_relu",
    "leaky_relu_backward",
    "hardswish",
    "hardswish_backward",
    "hardsigmoid",
    "hardsigmoid_backward",
    "softshrink",
    "hardshrink",
    "threshold",
    "threshold_backward",
    "log_sigmoid_forward",
    "log_sigmoid_backward",
    "logit",
    "sgn",
    "sign",
    "relu",
    "clamp",
    "clamp_min",
    "clamp_max",
    "tanh_backward",
    "sigmoid_backward",
    "erfc",
    "xlogy",
    "rrelu",
    "hardsigmoid",
    "logaddexp",
    "sinc",
    "frac",
    "special_log_ndtr",
    "special_ndtr",
    "heaviside",
    "lerp",
    "addcmul",
    "addcdiv",
    "square",
    "nan_to_num",
    "masked_fill",
)


def decompositions() -> dict:
    """core-aten decompositions plus those of the composite activation ops."""
    from torch._decomp import core_aten_decompositions, get_decompositions

    ops = [getattr(aten, n) for n in _EXTRA if hasattr(aten, n)]
    return {**core_aten_decompositions(), **get_decompositions(ops)}


_DECOMP: dict | None = None


def trace(fn: Callable[..., object], *examples: torch.Tensor) -> fx.GraphModule:
    """``make_fx`` graph of ``fn`` on ``examples`` (symbolic shapes, decomposed, dead code removed)."""
    from torch.fx.experimental.proxy_tensor import make_fx

    global _DECOMP
    if _DECOMP is None:
        _DECOMP = decompositions()
    gm = make_fx(fn, decomposition_table=_DECOMP, tracing_mode="symbolic")(*examples)
    _vectorizable(gm.graph)
    gm.graph.eliminate_dead_code()
    gm.recompile()
    return gm


def _vectorizable(graph: fx.Graph) -> None:
    """Rewrite ops into equivalent forms that inductor vectorises: ``isnan(t)`` → ``t != t``
    (inductor's CPU code evaluates ``isnan`` element by element)."""
    for node in list(graph.nodes):
        if node.op == "call_function" and node.target == aten.isnan.default:
            with graph.inserting_before(node):
                ne = graph.call_function(aten.ne.Tensor, (node.args[0], node.args[0]))
            ne.meta = dict(node.meta)
            node.replace_all_uses_with(ne)
            graph.erase_node(node)


def examples(k: int, dtype: torch.dtype, device: torch.device | str, n: int = 16) -> list[torch.Tensor]:
    """``k`` distinct small example inputs (values in [-3, 3], no exact zeros).

    Distinct tensors matter: ``make_fx`` treats one tensor passed twice as one input.
    """
    base = torch.linspace(-3.0, 3.0, n, dtype=torch.float64) + 0.01
    return [(base * (1.0 - 0.1 * i)).to(dtype=dtype, device=device) for i in range(k)]
