"""The activation registry, filled by the :func:`activation` and :func:`preset` declarations.

Three kinds of names resolve to an entry:

- the canonical name and the ``aliases`` (lower snake case after :func:`normalize`; unique);
- the printed ``names`` and ``survey`` rows of an entry (``"Sigmoid-Gumbel"``, ``"dSiLU"``,
  ``"Derivative of SiLU (dSiLU)"``), matched case- and punctuation-insensitively (:func:`loose`).
  A loose key claimed by several entries is ambiguous: looking it up raises
  :class:`~actlab.errors.AmbiguousActivationError` listing them, instead of guessing.

A *preset* is a named entry that fixes parameters of another one (``vlrelu`` is ``leaky_relu``
with slope 1/3); it is an :class:`ActivationSpec` of its own (with ``preset_of`` set) in
:data:`PRESETS`, so it has its own citation, source note and test, but it is not a distinct
function and :func:`actlab.available` does not count it.

Modules that are not one elementwise function (``actlab.nn``'s CATS, top-k, maxout, ...) put
their names into the same index with :func:`register_module_names`, so one resolver serves all.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Callable
from typing import Any

from actlab.catalog.spec import FAMILIES, ActivationSpec, Citation, Param, Relation
from actlab.errors import AmbiguousActivationError, UnknownActivationError

REGISTRY: dict[str, ActivationSpec] = {}
PRESETS: dict[str, ActivationSpec] = {}
ALIASES: dict[str, str] = {}
# loose key -> set of entry keys ("golu", or "module:cats" for a module) claiming it
LOOSE: dict[str, set[str]] = {}
# weaker claims: names mentioned inside a printed name's parentheses (see parenthesised_keys)
WEAK: dict[str, set[str]] = {}
MODULE_PREFIX = "module:"


def normalize(name: str) -> str:
    """Canonical spelling of a user-supplied name: lower case, ``-``/space → ``_``."""
    return name.strip().lower().replace("-", "_").replace(" ", "_")


_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def loose(name: str) -> str:
    """The key printed names are matched by: lower case, letters and digits only.

    Greek letters used in printed names are spelled out first (``β-softmax`` → ``betasoftmax``), and
    ``+`` is read as "plus" (``PReLU+`` → ``preluplus``, not ``prelu``).
    """
    s = name.strip().lower().replace("+", "plus")
    for g, spelled in _GREEK.items():
        s = s.replace(g, spelled)
    return _NON_ALNUM.sub("", s)


_GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "λ": "lambda", "μ": "mu", "σ": "sigma", "φ": "phi", "π": "pi",
}
_PAREN = re.compile(r"\(([^()]*)\)")


def printed_keys(printed: str) -> set[str]:
    """Loose keys of one printed name: the whole and the part outside parentheses.

    ``"Derivative of SiLU (dSiLU)"`` → {derivativeofsiludsilu, derivativeofsilu}; the names inside
    the parentheses are :func:`parenthesised_keys`.
    """
    keys = {loose(printed), loose(_PAREN.sub(" ", printed))}
    return {k for k in keys if k}


def parenthesised_keys(printed: str) -> set[str]:
    """Loose keys of the names inside a printed name's parentheses: ``"RePU (ReQU, ReCU)"`` →
    {requ, recu}. They are weaker claims: an entry that has the name itself (canonical, alias or
    printed name) wins over a row that mentions it in parentheses. Remarks that are not names
    (``(=ReLUN)``, ``(+safe)``, ``(3 eqs)``, ``(-1/-2/-3)``, ``(survey's)``) add nothing.
    """
    keys = set()
    for group in _PAREN.findall(printed):
        for part in re.split(r"[,/]", group):
            part = part.strip()
            if part[:1].isalpha() and "'" not in part and "’" not in part and len(loose(part)) >= 2:
                keys.add(loose(part))
    return keys


def _claim(key: str, entry: str, table: dict[str, set[str]] | None = None) -> None:
    (LOOSE if table is None else table).setdefault(key, set()).add(entry)


def _claim_printed(printed: str, entry: str) -> None:
    for key in printed_keys(printed):
        _claim(key, entry)
    for key in parenthesised_keys(printed):
        _claim(key, entry, WEAK)


def _check_family(spec: ActivationSpec) -> None:
    if spec.family not in FAMILIES:
        raise ValueError(f"{spec.name}: unknown family {spec.family!r}; one of {FAMILIES}")
    if spec.name != normalize(spec.name):
        raise ValueError(f"canonical names are lower-case snake case, got {spec.name!r}")


def _add(spec: ActivationSpec, table: dict[str, ActivationSpec]) -> ActivationSpec:
    _check_family(spec)
    own = [spec.name, *map(normalize, spec.aliases)]
    if len(set(own)) != len(own):
        raise ValueError(f"{spec.name}: an alias repeats the name or another alias")
    for n in own:
        if n in REGISTRY or n in PRESETS or n in ALIASES:
            raise ValueError(f"activation name {n!r} is registered twice")
    table[spec.name] = spec
    for a in spec.aliases:
        ALIASES[normalize(a)] = spec.name
    for n in (spec.name, *spec.aliases):
        _claim(loose(n), spec.name)
    for printed in (*spec.names, *spec.survey):
        _claim_printed(printed, spec.name)
    return spec


def register(spec: ActivationSpec) -> ActivationSpec:
    """Add ``spec`` to the registry; names and aliases must be unique."""
    return _add(spec, REGISTRY)


def activation(
    name: str,
    *,
    family: str,
    latex: str,
    text: str,
    citation: Citation,
    params: tuple[Param, ...] | list[Param] = (),
    aliases: tuple[str, ...] | list[str] = (),
    notes: str = "",
    **extra: Any,
) -> Callable[[Callable], Callable]:
    """Decorator: register the decorated function as the reference implementation of ``name``.

    ``extra`` takes the optional :class:`ActivationSpec` fields (``grad``, ``grad_mask``,
    ``grad_mask_values``, ``kinks``, ``torch_ref``, ``elementwise``, ``upcast``, ``source``,
    ``names``, ``survey``, ``relations``, ``module``).
    """

    def deco(fn: Callable) -> Callable:
        register(
            ActivationSpec(
                name=name,
                family=family,
                fn=fn,
                formula_latex=latex,
                formula_text=text,
                citation=citation,
                params=tuple(params),
                aliases=tuple(aliases),
                notes=notes,
                **_tuples(extra),
            )
        )
        return fn

    return deco


def _tuples(extra: dict[str, Any]) -> dict[str, Any]:
    for key in ("names", "survey", "relations"):
        if key in extra:
            extra[key] = tuple(extra[key])
    return extra


# ------------------------------------------------------------------------------------- presets


def _with_fixed(f: Callable | None, fixed: dict[str, Any]) -> Callable | None:
    return None if f is None else functools.partial(f, **fixed)


def _merged(f: Callable, fixed: dict[str, Any]) -> Callable[[dict], Any]:
    return lambda p: f({**fixed, **p})


def preset(
    name: str,
    *,
    of: str,
    params: dict[str, Any],
    citation: Citation,
    source: str,
    family: str | None = None,
    latex: str | None = None,
    text: str | None = None,
    aliases: tuple[str, ...] | list[str] = (),
    names: tuple[str, ...] | list[str] = (),
    survey: tuple[str, ...] | list[str] = (),
    notes: str = "",
    relations: tuple[Relation, ...] | list[Relation] = (),
    trainable: tuple[str, ...] | list[str] | None = None,
) -> ActivationSpec:
    """Register ``name`` as entry ``of`` with ``params`` fixed (they are no longer parameters).

    The remaining parameters of ``of`` stay parameters of the preset with their defaults. The
    preset's own ``citation`` is the work that named it; ``latex``/``text`` default to the target's
    formula with the values substituted in words. ``trainable`` names the remaining parameters the
    preset's own work learns (default: as the target says), e.g. an adaptive variant of a fixed
    function.
    """
    target = lookup(of)
    if target.preset_of is not None:
        raise ValueError(f"preset {name!r}: {of!r} is itself a preset; name the underlying entry")
    fixed = target.resolve_params(params)
    fixed = {k: fixed[k] for k in params}
    rest = tuple(p for p in target.params if p.name not in fixed)
    if trainable is not None:
        unknown = sorted(set(trainable) - {p.name for p in rest})
        if unknown:
            raise ValueError(f"preset {name!r}: trainable names unknown parameters {unknown}")
        rest = tuple(dataclasses.replace(p, trainable=p.name in trainable) for p in rest)
    args = ", ".join(f"{k}={v!r}" for k, v in fixed.items())
    spec = dataclasses.replace(
        target,
        name=name,
        family=family or target.family,
        fn=functools.partial(target.fn, **fixed),
        formula_latex=latex or f"\\mathrm{{{target.name}}}(x;\\ {args})".replace("_", r"\_"),
        formula_text=text or f"{target.name}(x; {args})",
        citation=citation,
        params=rest,
        aliases=tuple(aliases),
        notes=notes,
        grad=_with_fixed(target.grad, fixed),
        grad_mask=_with_fixed(target.grad_mask, fixed),
        grad_mask_values=None if target.grad_mask_values is None else _merged(target.grad_mask_values, fixed),
        kinks=_merged(target.kinks, fixed),
        torch_ref=_with_fixed(target.torch_ref, fixed),
        source=source,
        names=tuple(names),
        survey=tuple(survey),
        relations=tuple(relations),
        preset_of=(target.name, tuple(fixed.items())),
    )
    return _add(spec, PRESETS)


# ------------------------------------------------------------------------------------- modules


def register_module_names(key: str, names: tuple[str, ...] | list[str] = (), survey=()) -> None:
    """Put a module's name (``key``), printed ``names`` and ``survey`` rows into the loose index."""
    entry = MODULE_PREFIX + key
    _claim(loose(key), entry)
    for printed in (*names, *survey):
        _claim_printed(printed, entry)


# ------------------------------------------------------------------------------------- lookup


def resolve(name: str) -> str:
    """The entry key ``name`` stands for: a spec or preset name, or ``"module:<key>"``.

    Order: canonical names and aliases (exact after :func:`normalize`), then module keys, then
    printed names (:func:`loose`). Raises :class:`UnknownActivationError` (with close matches)
    or :class:`AmbiguousActivationError` (listing the candidates).
    """
    if not isinstance(name, str):
        raise TypeError(f"activation name must be a string, got {type(name).__name__}")
    key = normalize(name)
    key = ALIASES.get(key, key)
    if key in REGISTRY or key in PRESETS:
        return key
    candidates = LOOSE.get(loose(name)) or WEAK.get(loose(name), set())
    if MODULE_PREFIX + key in candidates:
        return MODULE_PREFIX + key
    if len(candidates) == 1:
        return next(iter(candidates))
    if len(candidates) > 1:
        raise AmbiguousActivationError(name, sorted(c.removeprefix(MODULE_PREFIX) for c in candidates))
    known = sorted({*REGISTRY, *PRESETS, *ALIASES, *(k.removeprefix(MODULE_PREFIX) for s in LOOSE.values()
                                                     for k in s if k.startswith(MODULE_PREFIX))})
    raise UnknownActivationError(name, known)


def lookup(name: str | ActivationSpec) -> ActivationSpec:
    """The spec registered under ``name`` (canonical, alias, preset or printed name)."""
    if isinstance(name, ActivationSpec):
        return name
    key = resolve(name)
    if key.startswith(MODULE_PREFIX):
        module = key.removeprefix(MODULE_PREFIX)
        hint = f"{name!r} is a module, not a single function: use actlab.get({module!r})"
        raise UnknownActivationError(name, sorted([*REGISTRY, *PRESETS]), hint=hint)
    return REGISTRY.get(key) or PRESETS[key]


def lookup_spec(name: str) -> ActivationSpec:
    """:func:`lookup` by canonical name (what a pickled spec stores)."""
    from actlab import catalog  # noqa: F401  (a fresh process unpickling a model fills the registry)

    return lookup(name)


def ambiguous_names() -> dict[str, list[str]]:
    """Every loose key claimed by more than one entry, with the entries (sorted)."""
    weak = {k: v for k, v in WEAK.items() if k not in LOOSE}
    return {k: sorted(v) for k, v in (*LOOSE.items(), *weak.items()) if len(v) > 1}


def relatives(name: str) -> list[tuple[str, str]]:
    """Every known relation of ``name`` to other entries, as (other entry, sentence), both ways:
    the relations it declares, those others declare to it, its presets, and what it is a preset of."""
    spec = lookup(name)
    out: list[tuple[str, str]] = []
    if spec.preset_of is not None:
        target, fixed = spec.preset_of
        out.append((target, f"is the preset {target}({_args(fixed)})"))
    out += [(r.other, r.describe()) for r in spec.relations]
    for other in (*REGISTRY.values(), *PRESETS.values()):
        if other.name == spec.name:
            continue
        if other.preset_of is not None and other.preset_of[0] == spec.name:
            fixed = _args(other.preset_of[1])
            out.append((other.name, f"has the preset {other.name} = {spec.name}({fixed})"))
        for r in other.relations:
            if r.other == spec.name:
                out.append((other.name, f"{other.name} {r.describe()}"))
    return out


def _args(fixed: tuple[tuple[str, Any], ...]) -> str:
    return ", ".join(f"{k}={v:.6g}" if isinstance(v, float) else f"{k}={v!r}" for k, v in fixed)
