"""Cheap rejection of candidates before any training (in the spirit of EvoNorms' rejection
protocols: Liu et al., "Evolving Normalization-Activation Layers", arXiv 2004.02967).

Rules, in order (the first that fires is the recorded reason):

1. ``non-finite``: a value or derivative on the fingerprint grid (float64, [-50, 50]) is NaN/inf.
2. ``constant``: the values on the grid vary by less than 1e-8·(1 + max|f|), or |f'| < 1e-8
   everywhere on the grid.
3. ``second-moment``: E[f(z)²], z ~ N(0, 1) (trapezoid rule on [-12, 12]), is zero or not finite,
   so no second-moment-preserving init gain exists.
4. Deep random network at initialisation (float64, so that it measures signal propagation, not
   float32 overflow of a particular way of writing the formula): a ``depth``-layer MLP of width
   ``width`` without biases, weights N(0, gain²/width) with gain = 1/√E[f(z)²] (the rule of
   :func:`actlab.init_gain`), fed a batch of N(0, 1) inputs. With r_out = RMS(output)/RMS(input)
   and r_grad = RMS(∂⟨output, u⟩/∂input)/RMS(u) for a random u ~ N(0, 1):

   - ``non-finite signal`` / ``non-finite gradient``: NaN/inf in the output or the input gradient;
   - ``exploding signal`` / ``vanishing signal``: r_out > 1e4 or r_out < 1e-4;
   - ``exploding gradient`` / ``vanishing gradient``: r_grad > 1e4 or r_grad < 1e-4;
   - ``collapsed signal``: the outputs of different inputs are nearly the same: the RMS over the
     batch of (output − batch mean) is below 1e-3 of the output RMS.

Everything is seeded, so a verdict is a pure function of the candidate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from actlab.search.fingerprint import Fingerprint, as_function, fingerprint, one_thread

__all__ = ["Verdict", "check", "second_moment"]

SIGNAL_LIMIT = 1e4


@dataclass
class Verdict:
    """``ok`` or not, the ``reason`` (one of the rule names) and measured numbers in ``detail``."""

    ok: bool
    reason: str | None = None
    detail: dict[str, float] = field(default_factory=dict)

    def __str__(self) -> str:
        if self.ok:
            return "ok"
        nums = ", ".join(f"{k}={v:.3g}" for k, v in self.detail.items())
        return f"rejected: {self.reason}" + (f" ({nums})" if nums else "")


def second_moment(g: Any) -> float:
    """E[g(z)²] for z ~ N(0, 1), trapezoid rule on [-12, 12] in float64."""
    z = torch.linspace(-12.0, 12.0, 24001, dtype=torch.float64)
    w = torch.exp(-0.5 * z * z) / math.sqrt(2.0 * math.pi)
    with torch.no_grad():
        y = g(z)
    return float(torch.trapezoid(y * y * w, z))


def check(
    f: Any,
    params: dict[str, Any] | None = None,
    *,
    depth: int = 20,
    width: int = 128,
    batch: int = 256,
    seed: int = 0,
    fp: Fingerprint | None = None,
) -> Verdict:
    """Apply the rejection rules (module docstring) to ``f`` (anything
    :func:`~actlab.search.fingerprint.as_function` accepts)."""
    with one_thread():
        return _check(f, params, depth, width, batch, seed, fp)


def _check(
    f: Any,
    params: dict[str, Any] | None,
    depth: int,
    width: int,
    batch: int,
    seed: int,
    fp: Fingerprint | None,
) -> Verdict:
    g = as_function(f, params)
    fp = fp if fp is not None else fingerprint(g)
    v, d = fp.values, fp.derivs
    if not (np.isfinite(v).all() and np.isfinite(d).all()):
        bad = ~(np.isfinite(v) & np.isfinite(d))
        from actlab.search.fingerprint import GRID

        return Verdict(False, "non-finite", {"x": float(GRID[bad][0])})
    spread = float(v.max() - v.min())
    if spread <= 1e-8 * (1.0 + float(np.abs(v).max())) or float(np.abs(d).max()) < 1e-8:
        return Verdict(False, "constant", {"range": spread})
    m2 = second_moment(g)
    if not math.isfinite(m2) or m2 <= 0.0:
        return Verdict(False, "second-moment", {"E[f(z)^2]": m2})
    gain = 1.0 / math.sqrt(m2)

    gen = torch.Generator().manual_seed(seed)
    x0 = torch.randn(batch, width, generator=gen, dtype=torch.float64).requires_grad_(True)
    h = x0
    with torch.enable_grad(), np.errstate(all="ignore"):
        for _ in range(depth):
            w = torch.randn(width, width, generator=gen, dtype=torch.float64) * (gain / math.sqrt(width))
            h = g(h @ w)
        u = torch.randn(h.shape, generator=gen, dtype=torch.float64)
        (gx,) = torch.autograd.grad((h * u).sum(), x0, allow_unused=True)
    if gx is None:
        gx = torch.zeros_like(x0)
    h = h.detach()
    rms_out = float(h.pow(2).mean().sqrt())
    r_out = rms_out / float(x0.detach().pow(2).mean().sqrt())
    r_grad = float(gx.pow(2).mean().sqrt()) / float(u.pow(2).mean().sqrt())
    detail = {"gain": gain, "r_out": r_out, "r_grad": r_grad}
    if not torch.isfinite(h).all():
        return Verdict(False, "non-finite signal", detail)
    if not torch.isfinite(gx).all():
        return Verdict(False, "non-finite gradient", detail)
    if r_out > SIGNAL_LIMIT:
        return Verdict(False, "exploding signal", detail)
    if r_out < 1.0 / SIGNAL_LIMIT:
        return Verdict(False, "vanishing signal", detail)
    if r_grad > SIGNAL_LIMIT:
        return Verdict(False, "exploding gradient", detail)
    if r_grad < 1.0 / SIGNAL_LIMIT:
        return Verdict(False, "vanishing gradient", detail)
    centred = float((h - h.mean(0, keepdim=True)).pow(2).mean().sqrt())
    detail["spread"] = centred / max(rms_out, 1e-300)
    if detail["spread"] < 1e-3:
        return Verdict(False, "collapsed signal", detail)
    return Verdict(True, None, detail)
