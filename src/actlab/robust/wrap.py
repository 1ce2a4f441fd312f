"""Put effects into a model: at its activation sites and on its weights.

:func:`apply` finds the activation modules the way :func:`actlab.swap` does
(:func:`actlab.surgery.is_activation_module`, roles from :func:`actlab.surgery.site_roles`) and
wraps each in a :class:`NoisySite`, which computes ``post(act(pre(x)))``: ``pre`` perturbs the
pre-activation (the activation's input), ``post`` the post-activation (its output). Weight effects
wrap each ``nn.Linear`` / convolution in a :class:`NoisyWeights`, which runs the layer with a
perturbed copy of its weight (the stored parameter is never changed). :func:`remove` unwraps.
"""

from __future__ import annotations

import copy
import fnmatch
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
from torch import nn

from actlab.robust.effects import Effect
from actlab.surgery import NotReplaced, _roles, _unreplaceable, is_activation_module, site_roles

__all__ = ["WEIGHT_TYPES", "NoisySite", "NoisyWeights", "RobustReport", "apply", "effects", "remove",
           "reseed"]

#: The layers whose weights ``apply(weights=...)`` perturbs by default.
WEIGHT_TYPES: tuple[type[nn.Module], ...] = (
    nn.Linear, nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.ConvTranspose1d, nn.ConvTranspose2d, nn.ConvTranspose3d,
)

EffectSpec = nn.Module | Callable[[], nn.Module] | Sequence[Any] | None


class NoisySite(nn.Module):
    """An activation with effects before and after it: ``forward(x) = post(act(pre(x)))``."""

    def __init__(self, act: nn.Module, pre: nn.Module | None = None, post: nn.Module | None = None):
        super().__init__()
        self.act = act
        self.pre = pre if pre is not None else nn.Identity()
        self.post = post if post is not None else nn.Identity()

    def forward(self, x: torch.Tensor, *args: Any, **kwargs: Any) -> torch.Tensor:
        return self.post(self.act(self.pre(x), *args, **kwargs))


class NoisyWeights(nn.Module):
    """A layer run with ``effect(weight)`` in place of its weight (``torch.func.functional_call``).

    The layer's parameters are unchanged and receive the gradient through the effect (the
    straight-through gradient for :class:`~actlab.robust.Quantize`).
    """

    def __init__(self, module: nn.Module, effect: nn.Module, name: str = "weight"):
        super().__init__()
        if not isinstance(getattr(module, name, None), torch.Tensor):
            raise TypeError(f"{type(module).__name__} has no tensor {name!r}")
        self.module = module
        self.effect = effect
        self.name = name

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        w = getattr(self.module, self.name)
        noisy = self.effect(w)
        if noisy is w:
            return self.module(*args, **kwargs)
        return torch.func.functional_call(self.module, {self.name: noisy}, args, kwargs)

    def extra_repr(self) -> str:
        return f"name={self.name!r}"


@dataclass
class RobustReport:
    """What :func:`apply` did: the model (a copy unless ``inplace``) and the paths it wrapped.

    ``sites``: ``(path, role)`` of every wrapped activation; ``weights``: the wrapped layers;
    ``not_wrapped``: activations it found but could not wrap (functional calls such as ``F.relu``
    inside a ``forward``, activation functions kept as attributes), with the reason — they see no
    effect; ``skipped``: ``(path, role)`` of activation modules left out for their role.
    """

    model: nn.Module = field(repr=False)
    sites: list[tuple[str, str]] = field(default_factory=list)
    weights: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    not_wrapped: list[NotReplaced] = field(default_factory=list)

    def summary(self) -> str:
        lines = [f"wrapped {len(self.sites)} activation site(s), {len(self.weights)} weight layer(s)"]
        lines += [f"  {p} [{r}]" for p, r in self.sites]
        lines += [f"  {p} [weights]" for p in self.weights]
        lines += [f"skipped (role): {p} [{r}]" for p, r in self.skipped]
        lines += [f"not wrapped: {r}" for r in self.not_wrapped]
        return "\n".join(lines)

    __str__ = summary


def _maker(spec: EffectSpec, what: str) -> Callable[[], nn.Module] | None:
    """A zero-argument callable returning a fresh effect module (``None``: no effect)."""
    if spec is None:
        return None
    if isinstance(spec, nn.Module):
        return lambda: copy.deepcopy(spec)
    if isinstance(spec, (list, tuple)):
        parts = [_maker(s, what) for s in spec]
        parts = [p for p in parts if p is not None]
        if not parts:
            return None
        return lambda: nn.Sequential(*(p() for p in parts))
    if callable(spec):
        def make() -> nn.Module:
            m = spec()
            if not isinstance(m, nn.Module):
                raise TypeError(f"{what}: the factory returned {type(m).__name__}, not an nn.Module")
            return m

        return make
    raise TypeError(f"{what} must be None, an nn.Module (an effect), a factory or a list of them; "
                    f"got {type(spec).__name__}")


def _path_ok(match: str | Callable[[str, nn.Module], bool] | None, path: str, m: nn.Module) -> bool:
    if match is None:
        return True
    if isinstance(match, str):
        return fnmatch.fnmatchcase(path, match)
    if callable(match):
        return bool(match(path, m))
    raise TypeError(f"match must be None, a glob string or a predicate(path, module); "
                    f"got {type(match).__name__}")


def _derived_seed(seed: int, index: int) -> int:
    """An independent 63-bit seed for the ``index``-th effect of a model seeded with ``seed``."""
    state = np.random.SeedSequence([int(seed), int(index)]).generate_state(1, np.uint64)[0]
    return int(state >> np.uint64(1))


def effects(model: nn.Module) -> list[Effect]:
    """Every :class:`~actlab.robust.Effect` in ``model``, in module order."""
    return [m for m in model.modules() if isinstance(m, Effect)]


def reseed(model: nn.Module, seed: int) -> nn.Module:
    """Give every effect in ``model`` its own seed derived from ``seed``, restarting its stream.

    The ``i``-th effect (in module order) gets an independent seed from
    ``numpy.random.SeedSequence([seed, i])``, so two calls with one seed give identical noise.
    Returns ``model``.
    """
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be an integer >= 0, got {seed!r}")
    for i, e in enumerate(effects(model)):
        e.reseed(_derived_seed(seed, i))
    return model


def apply(
    model: nn.Module,
    *,
    pre: EffectSpec = None,
    post: EffectSpec = None,
    weights: EffectSpec = None,
    roles: str | Iterable[str] = "all",
    match: str | Callable[[str, nn.Module], bool] | None = None,
    weight_match: str | Callable[[str, nn.Module], bool] | None = None,
    weight_types: tuple[type[nn.Module], ...] = WEIGHT_TYPES,
    seed: int | None = None,
    inplace: bool = False,
) -> RobustReport:
    """Wrap ``model``'s activation sites and weight layers with effects; return a :class:`RobustReport`.

    Args:
        model: any ``nn.Module``.
        pre: effect(s) on each activation's input (the pre-activation): an effect module
            (deep-copied per site), a factory, or a list of them (applied in order).
        post: effect(s) on each activation's output (the post-activation).
        weights: effect(s) on the ``weight`` of every layer of ``weight_types`` (``nn.Linear`` and
            the convolutions) whose path matches ``weight_match``.
        roles: which activation sites: ``"all"`` (the default: noise hits a gate as it hits any
            other activation), or among ``"nonlinearity"``, ``"gate"``, ``"unknown"`` (see
            :func:`actlab.surgery.site_roles`).
        match: a glob on the activation's module path, or a predicate ``f(path, module)``.
        weight_match: the same for the weight layers.
        seed: when given, every effect in the returned model (those placed by earlier calls
            included) gets an independent seed derived from it (see :func:`reseed`), so the noise
            is the same on every call with this seed. ``None`` keeps the effects' own seeds.
        inplace: modify ``model``; otherwise a deep copy (``report.model``).

    An activation module shared by several paths gets one wrapper, shared the same way. Wrapping
    a model that is itself an activation returns the wrapper as ``report.model``.
    """
    make_pre, make_post = _maker(pre, "pre"), _maker(post, "post")
    make_w = _maker(weights, "weights")
    wanted = _roles(roles, None)  # swap's validation of roles=
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int) or seed < 0):
        raise ValueError(f"seed must be None or an integer >= 0, got {seed!r}")
    target = model if inplace else copy.deepcopy(model)
    report = RobustReport(model=target)

    def site(act: nn.Module) -> NoisySite:
        return NoisySite(act, make_pre() if make_pre else None, make_post() if make_post else None)

    if make_pre or make_post:
        if is_activation_module(target) and _path_ok(match, "", target):
            report.model = site(target)
            report.sites.append(("<model>", "nonlinearity"))
            if seed is not None:
                reseed(report.model, seed)
            return report
        found = _find(target, lambda p, parent, m: is_activation_module(m) and _path_ok(match, p, m))
        role_of = site_roles(target, [p for p, *_ in found])
        done: dict[int, NoisySite] = {}
        for path, parent, attr, child in found:
            role = role_of[path]
            if role not in wanted:
                report.skipped.append((path, role))
                continue
            if id(child) not in done:
                done[id(child)] = site(child)
            setattr(parent, attr, done[id(child)])
            report.sites.append((path, role))
        # the functional calls (F.relu in a forward) that swap reports, less the effects' own code
        ours = {id(m) for w in done.values() for part in (w.pre, w.post) for m in part.modules()}
        found_calls = _unreplaceable(target, {id(m) for m in done.values()}, lambda p, fn: True)
        report.not_wrapped = [r for r in found_calls if id(_get(target, r.path)) not in ours]

    if make_w is not None:
        found = _find(target, lambda p, parent, m: isinstance(m, weight_types)
                      and not isinstance(parent, NoisyWeights) and _path_ok(weight_match, p, m))
        wrapped: dict[int, NoisyWeights] = {}
        for path, parent, attr, child in found:
            if id(child) not in wrapped:
                wrapped[id(child)] = NoisyWeights(child, make_w())
            setattr(parent, attr, wrapped[id(child)])
            report.weights.append(path)

    if seed is not None:
        reseed(report.model, seed)
    return report


def _get(model: nn.Module, path: str) -> nn.Module | None:
    if path == "<model>":
        return model
    try:
        return model.get_submodule(path)
    except AttributeError:
        return None


def _find(
    model: nn.Module, select: Callable[[str, nn.Module, nn.Module], bool]
) -> list[tuple[str, nn.Module, str, nn.Module]]:
    """``(path, parent, attribute, module)`` of every module ``select(path, parent, module)`` picks,
    not descending into a picked one."""
    out: list[tuple[str, nn.Module, str, nn.Module]] = []
    taken: set[str] = set()
    for pname, parent in model.named_modules(remove_duplicate=False):
        parts = pname.split(".") if pname else []
        if any(".".join(parts[: i + 1]) in taken for i in range(len(parts))):
            continue
        for attr, child in parent._modules.items():
            if child is None:
                continue
            path = f"{pname}.{attr}" if pname else attr
            if select(path, parent, child):
                out.append((path, parent, attr, child))
                taken.add(path)
    return out


def remove(model: nn.Module, inplace: bool = False) -> nn.Module:
    """``model`` without the wrappers :func:`apply` put in (a copy unless ``inplace``)."""
    target = model if inplace else copy.deepcopy(model)
    if isinstance(target, NoisySite):
        return remove(target.act, inplace=True)
    if isinstance(target, NoisyWeights):
        return remove(target.module, inplace=True)
    for parent in list(target.modules()):
        for attr, child in list(parent._modules.items()):
            inner = child
            while isinstance(inner, (NoisySite, NoisyWeights)):
                inner = inner.act if isinstance(inner, NoisySite) else inner.module
            if inner is not child:
                setattr(parent, attr, inner)
    return target
