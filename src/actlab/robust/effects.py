"""Noise and precision effects: small modules that perturb the tensor passing through them.

Each effect is an ``nn.Module`` mapping a tensor ``x`` to a perturbed tensor of the same shape:

=====================  ==========================================================================
:class:`AdditiveNoise`  ``y = x + σ ε`` (``relative=True``: ``y = x + σ · rms(x) · ε``)
:class:`MultiplicativeNoise`  ``y = x (1 + σ ε)``
:class:`ReadNoise`     ``y = x + σ · FS · ε``, ``FS`` the full scale (given, or ``max |x|``)
:class:`Quantize`      uniform ``k``-bit quantisation on ``[lo, hi]`` with a straight-through gradient
:class:`Clamp`         a bounded output range: ``y = min(max(x, lo), hi)`` (or a soft ``tanh`` bound)
=====================  ==========================================================================

with ``ε ~ N(0, 1)`` drawn independently per element at every call. Statistics such as ``rms(x)``,
``max |x|`` and a dynamic quantisation range are taken over the whole tensor (the batch included)
and carry no gradient.

**When an effect acts** (``when``): ``"train"`` (the default) — only while the module is in training
mode, like dropout, so noise in the training loop leaves evaluation clean; ``"eval"`` — only in eval
mode; ``"always"``. An inactive effect returns its input unchanged.

**Determinism**: an effect with ``seed=None`` draws from torch's global generator (reproducible under
``torch.manual_seed``); with an integer ``seed`` it owns a generator per device, seeded with it, so
its noise does not depend on (or disturb) any other random numbers. :meth:`Effect.reseed` restarts
the stream. Copies (``copy.deepcopy``, pickling) restart the stream from the seed.

Effects compose with ``nn.Sequential`` (applied left to right), and :func:`actlab.robust.apply` puts
them at a model's activation sites and on its weights.
"""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import nn

__all__ = [
    "WHEN",
    "AdditiveNoise",
    "Clamp",
    "Effect",
    "MultiplicativeNoise",
    "Quantize",
    "ReadNoise",
    "analog",
]

WHEN = ("train", "eval", "always")


def check_level(name: str, value: Any) -> float:
    """``value`` as a float, or ``ValueError`` naming ``name`` unless it is a finite number ≥ 0."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    v = float(value)
    if not math.isfinite(v) or v < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return v


def check_bits(value: Any, name: str = "bits") -> int:
    """``value`` as an int, or ``ValueError`` naming ``name`` unless it is an integer ≥ 1."""
    if isinstance(value, bool) or not isinstance(value, int) and not (
        isinstance(value, float) and value.is_integer()
    ):
        raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
    if int(value) < 1:
        raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
    return int(value)


def _check_range(name: str, value: Any) -> tuple[float, float] | None:
    if value is None:
        return None
    try:
        lo, hi = (float(v) for v in value)
    except (TypeError, ValueError):
        lo = hi = math.nan
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        raise ValueError(f"{name} must be None or a pair (low, high) with low < high, got {value!r}")
    return lo, hi


class Effect(nn.Module):
    """Base class of the effects: the ``when`` switch and the seeded noise source.

    Subclasses implement :meth:`perturb`; ``forward`` calls it when the effect is active.
    """

    def __init__(self, *, when: str = "train", seed: int | None = None):
        super().__init__()
        if when not in WHEN:
            raise ValueError(f"when must be one of {', '.join(map(repr, WHEN))}, got {when!r}")
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int) or seed < 0):
            raise ValueError(f"seed must be None or an integer >= 0, got {seed!r}")
        self.when = when
        self.seed = seed
        self._generators: dict[str, torch.Generator] = {}

    @property
    def active(self) -> bool:
        """Whether :meth:`forward` perturbs its input now (see ``when``)."""
        return self.when == "always" or (self.when == "train") == self.training

    def reseed(self, seed: int | None = None) -> None:
        """Restart the noise stream (from ``seed`` if given, else from the effect's own seed)."""
        if seed is not None:
            if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
                raise ValueError(f"seed must be None or an integer >= 0, got {seed!r}")
            self.seed = seed
        self._generators = {}

    def normal(self, like: torch.Tensor) -> torch.Tensor:
        """Standard normal noise of ``like``'s shape, dtype and device, from the effect's stream."""
        if self.seed is None:
            return torch.randn(like.shape, dtype=like.dtype, device=like.device)
        key = str(like.device)
        gen = self._generators.get(key)
        if gen is None:
            gen = self._generators[key] = torch.Generator(device=like.device).manual_seed(self.seed)
        return torch.randn(like.shape, dtype=like.dtype, device=like.device, generator=gen)

    def perturb(self, x: torch.Tensor) -> torch.Tensor:  # pragma: no cover - abstract
        raise NotImplementedError

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.active or x.numel() == 0:
            return x
        return self.perturb(x)

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_generators"] = {}  # a copy restarts the stream from the seed
        return state

    def _when_repr(self) -> str:
        out = f", when={self.when!r}" if self.when != "train" else ""
        return out + (f", seed={self.seed}" if self.seed is not None else "")


class AdditiveNoise(Effect):
    r"""Additive Gaussian noise: :math:`y = x + \sigma\,\varepsilon`, :math:`\varepsilon \sim N(0, 1)`.

    With ``relative=True`` the standard deviation is ``std`` times the root mean square of ``x``
    (over the whole tensor, no gradient): :math:`y = x + \sigma\,\mathrm{rms}(x)\,\varepsilon`, a
    signal-to-noise ratio independent of the signal's scale.

    Args:
        std: σ ≥ 0 (0: no noise).
        relative: scale σ by ``rms(x)``.
        when, seed: see :class:`Effect`.
    """

    def __init__(self, std: float, *, relative: bool = False, when: str = "train", seed: int | None = None):
        super().__init__(when=when, seed=seed)
        self.std = check_level("std", std)
        self.relative = bool(relative)

    def perturb(self, x: torch.Tensor) -> torch.Tensor:
        if self.std == 0:
            return x
        scale = self.std
        if self.relative:
            scale = self.std * x.detach().float().pow(2).mean().sqrt().to(x.dtype)
        return x + scale * self.normal(x)

    def extra_repr(self) -> str:
        return f"std={self.std}" + (", relative=True" if self.relative else "") + self._when_repr()


class MultiplicativeNoise(Effect):
    r"""Multiplicative noise: :math:`y = x\,(1 + \sigma\,\varepsilon)`, :math:`\varepsilon \sim N(0, 1)`.

    Args:
        std: σ ≥ 0 (0: no noise).
        when, seed: see :class:`Effect`.
    """

    def __init__(self, std: float, *, when: str = "train", seed: int | None = None):
        super().__init__(when=when, seed=seed)
        self.std = check_level("std", std)

    def perturb(self, x: torch.Tensor) -> torch.Tensor:
        if self.std == 0:
            return x
        return x * (1 + self.std * self.normal(x))

    def extra_repr(self) -> str:
        return f"std={self.std}" + self._when_repr()


class ReadNoise(Effect):
    r"""Analog read noise: :math:`y = x + \sigma \cdot \mathrm{FS} \cdot \varepsilon`.

    The noise of reading an analog value (a crossbar column current, a photodetector) scales with
    the device's full-scale range ``FS``, not with the value read. ``full_scale=None`` takes
    ``FS = max |x|`` over the tensor (no gradient), the range an adaptive readout would be set to;
    on weights this is the largest conductance of the layer.

    Args:
        std: σ ≥ 0, as a fraction of the full scale.
        full_scale: the full-scale value (> 0), or ``None`` for ``max |x|``.
        when, seed: see :class:`Effect`.
    """

    def __init__(self, std: float, full_scale: float | None = None, *, when: str = "train",
                 seed: int | None = None):
        super().__init__(when=when, seed=seed)
        self.std = check_level("std", std)
        if full_scale is not None:
            fs = check_level("full_scale", full_scale)
            if fs == 0:
                raise ValueError(f"full_scale must be None or a finite number > 0, got {full_scale!r}")
            full_scale = fs
        self.full_scale = full_scale

    def perturb(self, x: torch.Tensor) -> torch.Tensor:
        if self.std == 0:
            return x
        fs = self.full_scale if self.full_scale is not None else x.detach().abs().max()
        return x + (self.std * fs) * self.normal(x)

    def extra_repr(self) -> str:
        fs = f", full_scale={self.full_scale}" if self.full_scale is not None else ""
        return f"std={self.std}{fs}" + self._when_repr()


class Quantize(Effect):
    r"""Uniform ``k``-bit quantisation with a straight-through gradient.

    With :math:`L = 2^k` levels spaced :math:`\Delta = (hi - lo)/(L - 1)` apart on ``[lo, hi]``:

    .. math:: y = lo + \Delta \cdot \mathrm{round}\!\left(\frac{\mathrm{clamp}(x, lo, hi) - lo}{\Delta}\right)

    (``round`` to the nearest level, halves to even). ``range=None`` takes ``lo = min x`` and
    ``hi = max x`` over the tensor at each call (no gradient); a constant tensor passes unchanged.
    The gradient is the straight-through estimator (Bengio et al. 2013) of the clipped form:
    ``∂y/∂x = 1`` for ``lo < x < hi`` and ``0`` outside, so quantisation can sit in the training loop.
    ``k = 1`` gives the two levels ``{lo, hi}``.

    Args:
        bits: ``k``, an integer ≥ 1.
        range: ``(lo, hi)`` with ``lo < hi``, or ``None`` for the tensor's own range.
        when: see :class:`Effect` (quantisation draws no noise, so it takes no seed).
    """

    def __init__(self, bits: int, range: tuple[float, float] | None = None, *, when: str = "train"):  # noqa: A002
        super().__init__(when=when)
        self.bits = check_bits(bits)
        self.range = _check_range("range", range)

    @property
    def levels(self) -> int:
        return 2 ** self.bits

    def perturb(self, x: torch.Tensor) -> torch.Tensor:
        if self.range is not None:
            lo, hi = self.range
            xc = torch.clamp(x, lo, hi)
        else:  # the tensor's own range: nothing to clip
            d = x.detach()
            lo, hi = d.min(), d.max()
            if not bool(hi > lo):
                return x
            xc = x
        step = (hi - lo) / (self.levels - 1)
        q = lo + step * torch.round((xc - lo) / step)
        return q.detach() + (xc - xc.detach())  # straight through: exactly q's value, xc's gradient

    def extra_repr(self) -> str:
        rng = f", range={self.range}" if self.range is not None else ""
        return f"bits={self.bits}{rng}" + self._when_repr()


class Clamp(Effect):
    r"""A bounded output range, as an analog output saturates.

    ``soft=False``: :math:`y = \min(\max(x, lo), hi)` (gradient 1 inside, 0 outside).
    ``soft=True``: :math:`y = c + h \tanh((x - c)/h)` with :math:`c = (lo + hi)/2`,
    :math:`h = (hi - lo)/2` — a smooth saturation with slope 1 at the centre.

    Args:
        low, high: the range, ``low < high``.
        soft: the smooth form.
        when: see :class:`Effect`.
    """

    def __init__(self, low: float, high: float, *, soft: bool = False, when: str = "train"):
        super().__init__(when=when)
        self.low, self.high = _check_range("(low, high)", (low, high))  # type: ignore[misc]
        self.soft = bool(soft)

    def perturb(self, x: torch.Tensor) -> torch.Tensor:
        if not self.soft:
            return torch.clamp(x, self.low, self.high)
        c, h = (self.low + self.high) / 2, (self.high - self.low) / 2
        return c + h * torch.tanh((x - c) / h)

    def extra_repr(self) -> str:
        return f"low={self.low}, high={self.high}" + (", soft=True" if self.soft else "") + self._when_repr()


def analog(
    *,
    read_noise: float = 0.0,
    bits: int | None = None,
    range: tuple[float, float] | None = None,  # noqa: A002
    soft: bool = False,
    when: str = "train",
    seed: int | None = None,
) -> nn.Sequential:
    """An analog read-out chain: saturation to ``range``, read noise, then ``bits``-bit conversion.

    ``Clamp(range) → ReadNoise(read_noise, full_scale = hi − lo) → Quantize(bits, range)``; each
    stage is left out when not asked for (no ``range``: no saturation, read noise relative to
    ``max |x|``, dynamic quantisation range; ``bits=None``: no quantisation).
    """
    rng = _check_range("range", range)
    stages: list[nn.Module] = []
    if rng is not None:
        stages.append(Clamp(*rng, soft=soft, when=when))
    if check_level("read_noise", read_noise) > 0:
        stages.append(ReadNoise(read_noise, None if rng is None else rng[1] - rng[0], when=when, seed=seed))
    if bits is not None:
        stages.append(Quantize(bits, rng, when=when))
    return nn.Sequential(*stages)
