"""Helpers for exporters that need more than the plain expression.

Under ``torch.onnx.export`` every backend steps aside to the plain expression of the activation
(:mod:`actlab.kernels.context`), so the ONNX graph holds standard operators. The exporter has no
translation for a few aten ops the catalog's numerically careful definitions use;
:func:`onnx_translations` supplies them, written with ONNX Script::

    onnx_program = torch.onnx.export(model, (x,), custom_translation_table=onnx_translations())

- ``hypot(x, y)`` (no translation at all): :math:`m\\sqrt{1 + (n/m)^2}` with
  :math:`m = \\max(|x|, |y|)`, :math:`n = \\min(|x|, |y|)` (no overflow of :math:`x^2`; 0 at
  :math:`x = y = 0`; ∞ if either is ∞).

And some whose translation loses the accuracy the definitions were written for:

- ``special_erfcx`` (translated as :math:`e^{x^2}(1 - \\mathrm{erf}\\,x)`: 0·∞ = NaN beyond
  :math:`x \\approx 9`, cancellation from :math:`x \\approx 2`): that form for :math:`x < 1`,
  Laplace's continued fraction
  :math:`\\mathrm{erfcx}(x) = \\pi^{-1/2} / (x + \\tfrac{1/2}{x + \\tfrac{1}{x + \\tfrac{3/2}{x + \\cdots}}})`
  with 40 terms for :math:`x \\ge 1` (relative error below 2e-7 there);
- ``log_sigmoid`` (translated as :math:`\\log\\sigma(x)`: −∞ below :math:`x \\approx -88`):
  :math:`\\min(x, 0) - \\log(1 + e^{-|x|})`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import torch


def _hypot(x: Any, y: Any) -> Any:
    from onnxscript import opset18 as op

    ax, ay = op.Abs(x), op.Abs(y)
    m, n = op.Max(ax, ay), op.Min(ax, ay)
    one = op.CastLike(1.0, m)
    r = op.Div(n, op.Where(op.Equal(m, op.CastLike(0.0, m)), one, m))
    return op.Mul(m, op.Sqrt(op.Add(one, op.Mul(r, r))))


_CF_TERMS = 40


def _erfcx(x: Any) -> Any:
    from onnxscript import opset18 as op

    one = op.CastLike(1.0, x)
    small = op.Less(x, one)
    xs = op.Min(x, one)  # each branch on inputs where it is accurate and finite
    direct = op.Mul(op.Exp(op.Mul(xs, xs)), op.Sub(one, op.Erf(xs)))
    xc = op.Max(x, one)
    t = xc
    for k in range(_CF_TERMS, 0, -1):
        t = op.Add(xc, op.Div(op.CastLike(k / 2, x), t))
    cf = op.Div(op.CastLike(1.0 / math.sqrt(math.pi), x), t)
    return op.Where(small, direct, cf)


def _log_sigmoid(x: Any) -> Any:
    from onnxscript import opset18 as op

    zero, one = op.CastLike(0.0, x), op.CastLike(1.0, x)
    return op.Sub(op.Min(x, zero), op.Log(op.Add(one, op.Exp(op.Neg(op.Abs(x))))))


def onnx_translations() -> dict[Any, Callable[..., Any]]:
    """``custom_translation_table`` for ``torch.onnx.export``: the ops its registry lacks."""
    aten = torch.ops.aten
    table: dict[Any, Callable[..., Any]] = {
        aten.hypot.default: _hypot,
        aten.special_erfcx.default: _erfcx,
        aten.log_sigmoid.default: _log_sigmoid,
    }
    # export's decompositions turn some aten ops into prims of the same name
    for name, fn in (("hypot", _hypot), ("erfcx", _erfcx)):
        if hasattr(torch.ops.prims, name):
            table[getattr(torch.ops.prims, name).default] = fn
    return table
