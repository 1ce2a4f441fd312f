"""Robustness curves: a trained model's metric as noise grows or the bit width shrinks.

For a model ``f`` and a metric ``m`` (``evaluate(model) -> float``) the curve is
``m(f_ℓ)`` over a grid of levels ``ℓ``, where ``f_ℓ`` is ``f`` with the effect at level ``ℓ`` at
every activation site (or on every weight). Two summaries:

- the **area under the curve**, normalised by the span of the grid, i.e. the mean metric over the
  range of levels (trapezoid rule): ``auc``; the same for the *retention* ``m(f_ℓ)/m(f)`` (for a
  lower-is-better metric ``m(f)/m(f_ℓ)``): ``auc_relative``, which does not reward a model for its
  clean metric, only for keeping it;
- the **half level**: the level at which the retention first falls to 0.5 (the metric to half its
  clean value), interpolated linearly between the two grid levels around the crossing; ``None``
  when it stays above 0.5 over the whole grid.

Levels run in order of severity: noise standard deviations upwards, bit widths downwards.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import torch
from torch import nn

from actlab.robust.effects import (
    AdditiveNoise,
    MultiplicativeNoise,
    Quantize,
    ReadNoise,
    check_bits,
    check_level,
)
from actlab.robust.wrap import _derived_seed, apply

__all__ = ["NOISE_KINDS", "WHERE", "RobustnessCurve", "accuracy", "noise_curve", "noise_effect",
           "quantization_curve"]

NOISE_KINDS = ("additive", "multiplicative", "read")
WHERE = ("pre", "post", "weights")


@dataclass(frozen=True)
class RobustnessCurve:
    """A metric against the level of one effect (see the module docstring for the summaries).

    ``levels`` in order of severity (the first the mildest), ``values`` the metric at each (the
    mean over the noise draws), ``clean`` the metric without the effect, ``axis`` ``"std"`` (noise)
    or ``"bits"``; ``draws`` holds every draw's metric per level.
    """

    kind: str
    axis: str
    levels: tuple[float, ...]
    values: tuple[float, ...]
    clean: float
    higher_is_better: bool = True
    draws: tuple[tuple[float, ...], ...] = ()

    @property
    def retention(self) -> tuple[float, ...]:
        """``value / clean`` per level (``clean / value`` for a lower-is-better metric)."""
        out = []
        for v in self.values:
            num, den = (v, self.clean) if self.higher_is_better else (self.clean, v)
            out.append(num / den if den != 0 else float("nan"))
        return tuple(out)

    def _area(self, ys: Sequence[float]) -> float:
        x = np.asarray(self.levels, dtype=float)
        y = np.asarray(ys, dtype=float)
        if len(x) == 1:
            return float(y[0])
        span = abs(x[-1] - x[0])
        return float(np.sum(np.abs(np.diff(x)) * (y[1:] + y[:-1]) / 2) / span)

    @property
    def auc(self) -> float:
        """Area under metric-versus-level over the grid, divided by its span (the mean metric)."""
        return self._area(self.values)

    @property
    def auc_relative(self) -> float:
        """Area under retention-versus-level over the grid, divided by its span."""
        return self._area(self.retention)

    @property
    def half_level(self) -> float | None:
        """The level at which the retention first reaches 0.5 (linear interpolation), or ``None``."""
        r = self.retention
        prev_l, prev_r = None, 1.0
        for lvl, ret in zip(self.levels, r):
            if math.isnan(ret):
                return None
            if ret <= 0.5:
                if prev_l is None or prev_r == ret:
                    return float(lvl)
                t = (prev_r - 0.5) / (prev_r - ret)
                return float(prev_l + t * (lvl - prev_l))
            prev_l, prev_r = lvl, ret
        return None

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.update(auc=self.auc, auc_relative=self.auc_relative, half_level=self.half_level)
        return d


def noise_effect(kind: str, std: float, *, relative: bool = True, when: str = "always") -> nn.Module:
    """The noise effect ``kind`` at standard deviation ``std``.

    ``"additive"``: :class:`AdditiveNoise` (``relative``: σ times the tensor's rms);
    ``"multiplicative"``: :class:`MultiplicativeNoise`; ``"read"``: :class:`ReadNoise` (σ times
    ``max |x|``).
    """
    if kind == "additive":
        return AdditiveNoise(std, relative=relative, when=when)
    if kind == "multiplicative":
        return MultiplicativeNoise(std, when=when)
    if kind == "read":
        return ReadNoise(std, when=when)
    raise ValueError(f"kind must be one of {', '.join(map(repr, NOISE_KINDS))}, got {kind!r}")


def accuracy(x: torch.Tensor, y: torch.Tensor, batch_size: int = 1024) -> Callable[[nn.Module], float]:
    """``evaluate(model)``: the fraction of ``x`` whose arg-max prediction equals ``y``."""
    if len(x) != len(y) or len(y) == 0:
        raise ValueError(f"x and y must be non-empty and of one length, got {len(x)} and {len(y)}")

    @torch.no_grad()
    def evaluate(model: nn.Module) -> float:
        device = next((p.device for p in model.parameters()), x.device)
        right = 0
        for i in range(0, len(x), batch_size):
            out = model(x[i : i + batch_size].to(device))
            right += int((out.argmax(-1).cpu() == y[i : i + batch_size].cpu()).sum())
        return right / len(y)

    return evaluate


def _check_where(where: str) -> str:
    if where not in WHERE:
        raise ValueError(f"where must be one of {', '.join(map(repr, WHERE))}, got {where!r}")
    return where


def _check_levels(levels: Iterable[Any], name: str, check: Callable[[str, Any], Any]) -> list[Any]:
    out = [check(name, v) for v in levels]
    if not out:
        raise ValueError(f"{name} must not be empty")
    if len(set(out)) != len(out):
        raise ValueError(f"{name} must not repeat a value, got {out}")
    return out


def _evaluate(model: nn.Module, evaluate: Callable[[nn.Module], float]) -> float:
    was = model.training
    model.eval()
    try:
        return float(evaluate(model))
    finally:
        model.train(was)


def noise_curve(
    model: nn.Module,
    evaluate: Callable[[nn.Module], float],
    levels: Iterable[float],
    *,
    kind: str = "additive",
    where: str = "post",
    relative: bool = True,
    repeats: int = 1,
    seed: int = 0,
    roles: str | Iterable[str] = "all",
    higher_is_better: bool = True,
    clean: float | None = None,
) -> RobustnessCurve:
    """``evaluate`` of ``model`` with ``kind`` noise of each standard deviation in ``levels``.

    Args:
        model: a trained model (not modified; each level runs on a copy, in eval mode).
        evaluate: ``evaluate(model) -> float``, e.g. :func:`accuracy`.
        levels: noise standard deviations ≥ 0 (sorted ascending; 0 is the clean model).
        kind: ``"additive"``, ``"multiplicative"`` or ``"read"`` (:func:`noise_effect`).
        where: ``"post"`` (activation outputs), ``"pre"`` (activation inputs) or ``"weights"``.
        relative: additive noise relative to the tensor's rms (a scale-free signal-to-noise ratio).
        repeats: noise draws per level (their mean is the curve's value).
        seed: the draws use seeds derived from it (:func:`actlab.robust.reseed`): the curve is
            the same on every call.
        roles: the activation sites (see :func:`actlab.robust.apply`).
        higher_is_better: the metric's direction (for the retention and the half level).
        clean: the clean metric if already known (else measured).
    """
    _check_where(where)
    noise_effect(kind, 0.0)  # validates kind
    grid = sorted(_check_levels(levels, "levels", check_level))
    if isinstance(repeats, bool) or not isinstance(repeats, int) or repeats < 1:
        raise ValueError(f"repeats must be an integer >= 1, got {repeats!r}")
    base = _evaluate(model, evaluate) if clean is None else float(clean)
    values, draws = [], []
    for std in grid:
        if std == 0:
            got = [base]
        else:
            got = []
            for r in range(repeats):
                noisy = apply(model, **{where: noise_effect(kind, std, relative=relative)}, roles=roles,
                              seed=_derived_seed(seed, r)).model
                got.append(_evaluate(noisy, evaluate))
        draws.append(tuple(got))
        values.append(float(np.mean(got)))
    label = f"{where} {kind} noise" + (" (relative)" if relative and kind == "additive" else "")
    return RobustnessCurve(label, "std", tuple(grid), tuple(values), base, higher_is_better, tuple(draws))


def quantization_curve(
    model: nn.Module,
    evaluate: Callable[[nn.Module], float],
    bits: Iterable[int] = (8, 6, 4, 3, 2, 1),
    *,
    where: str = "post",
    range: tuple[float, float] | None = None,  # noqa: A002
    roles: str | Iterable[str] = "all",
    higher_is_better: bool = True,
    clean: float | None = None,
) -> RobustnessCurve:
    """``evaluate`` of ``model`` with every activation output (or weight) quantised to each of ``bits``.

    :class:`~actlab.robust.Quantize` at each bit width (sorted descending: the mildest first),
    with ``range`` fixed or (``None``) each tensor's own min–max range.
    """
    _check_where(where)
    grid = sorted(_check_levels(bits, "bits", lambda n, v: check_bits(v, n)), reverse=True)
    base = _evaluate(model, evaluate) if clean is None else float(clean)
    values = []
    for b in grid:
        q = apply(model, **{where: Quantize(b, range, when="always")}, roles=roles).model
        values.append(_evaluate(q, evaluate))
    draws = tuple((v,) for v in values)
    return RobustnessCurve(f"{where} quantization", "bits", tuple(float(b) for b in grid), tuple(values),
                           base, higher_is_better, draws)
