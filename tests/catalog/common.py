"""What the generated catalog tests iterate over: every entry (canonical functions and presets) and
its table of parameter settings (the defaults, then the cases given with its mpmath reference)."""

from __future__ import annotations

import math

import mpmath
import torch

from actlab.catalog.registry import PRESETS, REGISTRY
from actlab.catalog.spec import ActivationSpec
from tests.reference import CASES, REFERENCES

SPECS: dict[str, ActivationSpec] = {**REGISTRY, **PRESETS}
NAMES = sorted(SPECS)
ELEMENTWISE = [n for n in NAMES if SPECS[n].elementwise]


def settings(name: str) -> list[dict]:
    """The defaults of ``name`` and each of its reference cases, fully resolved."""
    spec = SPECS[name]
    return [spec.defaults, *(spec.resolve_params(c) for c in CASES.get(name, ()))]


def setting_ids(names: list[str]) -> tuple[list[tuple[str, dict]], list[str]]:
    """(name, params) for every setting of every name, with readable test ids."""
    cases, ids = [], []
    for n in names:
        for i, p in enumerate(settings(n)):
            cases.append((n, p))
            ids.append(n if i == 0 else f"{n}-case{i}")
    return cases, ids


def ref_value(name: str, x: float, params: dict) -> mpmath.mpf:
    return REFERENCES[name](mpmath.mpf(x), **params)


def close(y: float, r: mpmath.mpf, rtol: float = 1e-12) -> bool:
    """|y - r| <= rtol |r| + 1e-300; an infinite reference needs the same infinity."""
    if mpmath.isinf(r) or abs(r) > 1.7e308:
        return math.isinf(y) and (y > 0) == (r > 0)
    return abs(mpmath.mpf(y) - r) <= rtol * abs(r) + 1e-300


def away_from_kinks(name: str, xs: list[float], params: dict, gap: float = 1e-3) -> list[float]:
    kinks = SPECS[name].kinks(params)
    return [x for x in xs if all(abs(x - k) > gap for k in kinks)]


def mp_derivative(name: str, x: float, params: dict, h: str = "1e-20") -> mpmath.mpf:
    f, hh = REFERENCES[name], mpmath.mpf(h)
    return (f(mpmath.mpf(x) + hh, **params) - f(mpmath.mpf(x) - hh, **params)) / (2 * hh)


def float_params(spec: ActivationSpec) -> list[str]:
    return [p.name for p in spec.params if p.kind in ("float", "vector")]


def tensor_params(spec: ActivationSpec, params: dict, dtype=torch.float64, requires_grad=False) -> dict:
    out = dict(params)
    for k in float_params(spec):
        out[k] = torch.tensor(params[k], dtype=dtype, requires_grad=requires_grad)
    return out
