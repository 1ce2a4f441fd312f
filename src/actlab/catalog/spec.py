"""The single definition of an activation: :class:`ActivationSpec`.

Everything else (the functional form, modules, kernels, properties, docs, plots and the
benchmark) is derived from a spec; nothing about an activation is written down twice.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import torch

Tensor = torch.Tensor
FLOAT32_MAX = float(torch.finfo(torch.float32).max)

FAMILIES = (
    "rectified",  # piecewise-linear and rectifier-like units (ReLU, LeakyReLU, ReLU6, ...)
    "exponential",  # ELU-like units with an exponential negative branch
    "self_gated",  # x * g(x) with g a smooth gate (SiLU, GELU, Mish, GoLU, ...)
    "sigmoidal",  # bounded, S-shaped functions (sigmoid, tanh, softsign, ...)
    "shrinkage",  # shrinkage/thresholding operators (softshrink, tanhshrink, ...)
    "periodic",  # functions with a periodic component (Snake, SIREN sine, ...)
    "rational",  # rational functions (Padé activation units, ...)
    "smooth_rectifier",  # smooth approximations of ReLU (softplus, SmeLU, SAU, ...)
    "bump",  # localised, non-monotone bumps (Elephant, Gaussian, ...)
    "polynomial",  # polynomial, Fourier, spline and kernel expansions with learned coefficients
    "adaptive",  # depends on statistics of the whole input (VeLU), not purely elementwise
)


@dataclass(frozen=True)
class Param:
    """One parameter of an activation.

    ``low``/``high`` bound the valid range (``None`` = unbounded); ``*_inclusive`` say whether
    the bound itself is allowed. ``trainable`` records whether the *original* work learns it.
    ``kind`` is ``"float"``, ``"int"`` or ``"vector"`` (a tuple of floats, e.g. Padé coefficients).

    Learning policy (read by :class:`actlab.nn.LearnableActivation`, nothing is keyed on names):
    ``learn_min`` is a lower bound applied to the learned value before use (tighter than ``low``,
    e.g. APA's λ ≥ 1e-4 from the official code); ``log_scale`` stores the learned value as its
    logarithm by default (Elephant's σ and h); ``role`` names what the parameter is for where a
    module needs to know (``"aux_weight"``: the weight of an auxiliary loss, not part of f).
    """

    name: str
    default: Any
    doc: str = ""
    low: float | None = None
    high: float | None = None
    low_inclusive: bool = True
    high_inclusive: bool = True
    trainable: bool = False
    kind: str = "float"
    learn_min: float | None = None
    log_scale: bool = False
    role: str = ""

    def range_text(self) -> str:
        lo = "-inf" if self.low is None else _fmt(self.low)
        hi = "inf" if self.high is None else _fmt(self.high)
        left = "[" if (self.low is not None and self.low_inclusive) else "("
        right = "]" if (self.high is not None and self.high_inclusive) else ")"
        return f"{left}{lo}, {hi}{right}"

    def check(self, value: Any, owner: str) -> Any:
        """Return ``value`` coerced to this parameter's kind; raise ``ValueError`` if out of range.

        Tensors (learnable parameters) are passed through unchecked: their values change in training.
        """
        if isinstance(value, Tensor):
            return value
        if self.kind == "vector":
            try:
                vals = tuple(float(v) for v in value)
            except (TypeError, ValueError):
                raise ValueError(
                    f"{owner}: parameter {self.name!r} must be a sequence of numbers, got {value!r}"
                ) from None
            if len(vals) != len(self.default):
                raise ValueError(
                    f"{owner}: parameter {self.name!r} must have {len(self.default)} entries, "
                    f"got {len(vals)}"
                )
            if not all(math.isfinite(v) for v in vals):
                raise ValueError(f"{owner}: parameter {self.name!r} must be finite, got {vals}")
            return vals
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(
                f"{owner}: parameter {self.name!r} must be a number in {self.range_text()}, "
                f"got {value!r}"
            )
        if self.kind == "int":
            if isinstance(value, float) and not value.is_integer():
                raise ValueError(
                    f"{owner}: parameter {self.name!r} must be an integer in {self.range_text()}, "
                    f"got {value!r}"
                )
            value = int(value)
        else:
            value = float(value)
        ok = math.isfinite(value)
        if ok and self.low is not None:
            ok = value >= self.low if self.low_inclusive else value > self.low
        if ok and self.high is not None:
            ok = value <= self.high if self.high_inclusive else value < self.high
        if not ok:
            raise ValueError(
                f"{owner}: parameter {self.name!r} must be in {self.range_text()}, got {value!r}"
            )
        if abs(value) > FLOAT32_MAX:
            # activations compute in the input's dtype (half types in float32): a parameter that
            # float32 cannot hold would turn into inf (or an overflow error) inside the function
            raise ValueError(
                f"{owner}: parameter {self.name!r} must be in {self.range_text()} and representable "
                f"in float32 (|value| <= {FLOAT32_MAX:.4g}), got {value!r}"
            )
        return value


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() and abs(v) < 1e15 else repr(v)


@dataclass(frozen=True)
class Citation:
    """Where an activation was published."""

    authors: str
    title: str
    year: int
    arxiv: str | None = None
    url: str | None = None
    venue: str | None = None

    def link(self) -> str:
        if self.arxiv:
            return f"https://arxiv.org/abs/{self.arxiv}"
        return self.url or ""

    def short(self) -> str:
        first = self.authors.split(",")[0].split(" and ")[0].strip()
        # authors are written "Last, F. and Last2, F2."; a single "Last, F." is no "et al."
        etal = " et al." if " and " in self.authors else ""
        return f"{first}{etal} ({self.year})"


RELATION_KINDS = {
    "special_case_of": "equals {other}({params}) exactly",
    "equal_to": "computes the same function as {other}({params}), written differently",
    "approximates": "agrees with {other}({params}) to within {note}",
    "affine_of": "is an affine transform of {other}: {note}",
    "limit_of": "is the limit of {other} as {note}",
    "related": "is related to {other}: {note}",
}
SAME_FUNCTION = ("special_case_of", "equal_to")  # relations that say: the very same function
# relations under which two entries may be indistinguishable on the duplicate test's grid
INDISTINGUISHABLE = (*SAME_FUNCTION, "approximates")


@dataclass(frozen=True)
class Relation:
    """A known relation of one activation to another registered one.

    ``special_case_of``/``equal_to`` claim f(x) = other(x; params) for every x at f's defaults; the
    catalog tests check the claim numerically, and the duplicate test accepts two entries that
    compute the same function only if one declares such a relation to the other. ``approximates``
    claims agreement to a stated tolerance only (e.g. SMU with μ = 10⁶ and PReLU: ``note`` gives the
    largest difference); it is checked at the duplicate test's resolution. ``affine_of``,
    ``limit_of`` and ``related`` are documentation (with ``note`` saying how).
    """

    kind: str
    other: str
    params: tuple[tuple[str, Any], ...] = ()
    note: str = ""

    def __post_init__(self) -> None:
        if self.kind not in RELATION_KINDS:
            raise ValueError(f"unknown relation kind {self.kind!r}; one of {', '.join(RELATION_KINDS)}")
        if isinstance(self.params, dict):
            object.__setattr__(self, "params", tuple(self.params.items()))

    @property
    def param_dict(self) -> dict[str, Any]:
        return dict(self.params)

    def describe(self) -> str:
        args = ", ".join(f"{k}={_num(v)}" for k, v in self.params)
        return RELATION_KINDS[self.kind].format(other=self.other, params=args, note=self.note).rstrip(": ")


def _num(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.6g}"
    return repr(v)


def special_case_of(other: str, note: str = "", **params: Any) -> Relation:
    """``Relation("special_case_of", other, params)``: this function is ``other(x; **params)``."""
    return Relation("special_case_of", other, tuple(params.items()), note)


def equal_to(other: str, note: str = "", **params: Any) -> Relation:
    """``Relation("equal_to", other, params)``: the same function as ``other(x; **params)``."""
    return Relation("equal_to", other, tuple(params.items()), note)


@dataclass(frozen=True)
class ActivationSpec:
    """Everything actlab knows about one activation function.

    ``fn(x, **params)`` is the reference implementation (plain PyTorch, numerically stable,
    computing in the dtype of ``x``; half types are upcast by the caller). Optional fields feed
    the kernels and tests:

    - ``grad(x, **params)``: the derivative f'(x), if written out; otherwise autograd of ``fn``.
    - ``grad_mask(x, **params) -> bool tensor`` and ``grad_mask_values(params) -> (v0, v1)``:
      for functions whose derivative takes two values, f'(x) = where(mask, v1, v0). Kernels then
      save one bit per element for backward instead of the input.
    - ``kinks(params)``: points where f is not differentiable (tests keep away from them).
    - ``torch_ref(x, **params)``: the equivalent ``torch.nn.functional`` call, for parity tests.
    - ``elementwise``: False where the output depends on other elements (e.g. VeLU).

    Provenance and names:

    - ``source``: where the formula and the defaults come from (the paper's equation, the authors'
      code, the survey) and, where sources disagree, which form is implemented and why.
    - ``names``: printed names and abbreviations (``"Sigmoid-Gumbel"``, ``"SG"``) that
      :func:`actlab.get` resolves case- and punctuation-insensitively; an abbreviation claimed by
      several entries is ambiguous and raises an error listing them.
    - ``survey``: the rows of the survey (Kunc & Kléma 2024) this entry covers, by their name in
      ``docs/data/survey-rows.tsv``.
    - ``relations``: :class:`Relation`s to other entries (special case of, equal to, affine transform
      of, ...).
    - ``module``: ``"package.module:factory"`` building this activation's module when it is not the
      generic one, called as ``factory(spec, impl=..., trainable=..., **params)``.
    - ``preset_of``: for a named preset, the entry it fixes parameters of and the fixed values.
    """

    name: str
    family: str
    fn: Callable[..., Tensor]
    formula_latex: str
    formula_text: str
    citation: Citation
    params: tuple[Param, ...] = ()
    aliases: tuple[str, ...] = ()
    notes: str = ""
    grad: Callable[..., Tensor] | None = None
    grad_mask: Callable[..., Tensor] | None = None
    grad_mask_values: Callable[[dict], tuple[float, float]] | None = None
    kinks: Callable[[dict], tuple[float, ...]] = field(default=lambda p: ())
    torch_ref: Callable[..., Tensor] | None = None
    elementwise: bool = True
    upcast: bool = True
    source: str = ""
    names: tuple[str, ...] = ()
    survey: tuple[str, ...] = ()
    relations: tuple[Relation, ...] = ()
    module: str | None = None
    preset_of: tuple[str, tuple[tuple[str, Any], ...]] | None = None

    def __reduce__(self):
        # Pickled by name: a spec holds functions (often lambdas) that are not picklable, and a
        # model saved with torch.save must load against the catalog of the loading process.
        from actlab.catalog.registry import lookup_spec

        return (lookup_spec, (self.name,))

    @property
    def param_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params)

    @property
    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params}

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(name)

    def resolve_params(self, params: dict[str, Any]) -> dict[str, Any]:
        """Validate keyword parameters and fill in defaults.

        Raises ``TypeError`` for an unknown keyword (listing the valid ones) and ``ValueError``
        for an out-of-range value (naming the parameter and its range).
        """
        unknown = [k for k in params if k not in self.param_names]
        if unknown:
            valid = ", ".join(self.param_names) if self.params else "none"
            raise TypeError(
                f"{self.name}: unexpected keyword argument(s) {', '.join(map(repr, unknown))}; "
                f"valid parameters: {valid}"
            )
        out = {}
        for p in self.params:
            out[p.name] = p.check(params[p.name], self.name) if p.name in params else p.default
        return out

    def __call__(self, x: Tensor, **params: Any) -> Tensor:
        """Apply the activation with validated parameters (half types computed in fp32)."""
        return evaluate(self, x, self.resolve_params(params))


HALF_TYPES = (torch.float16, torch.bfloat16)


def evaluate(spec: ActivationSpec, x: Tensor, params: dict[str, Any]) -> Tensor:
    """Run ``spec.fn`` on already-resolved ``params``; half types are computed in fp32."""
    if spec.upcast and x.dtype in HALF_TYPES:
        return spec.fn(x.float(), **params).to(x.dtype)
    return spec.fn(x, **params)
