"""The activation registry, filled by the :func:`activation` decorator."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from actlab.catalog.spec import FAMILIES, ActivationSpec, Citation, Param
from actlab.errors import UnknownActivationError

REGISTRY: dict[str, ActivationSpec] = {}
ALIASES: dict[str, str] = {}


def normalize(name: str) -> str:
    """Canonical spelling of a user-supplied name: lower case, ``-``/space → ``_``."""
    return name.strip().lower().replace("-", "_").replace(" ", "_")


def register(spec: ActivationSpec) -> ActivationSpec:
    """Add ``spec`` to the registry; names and aliases must be unique."""
    if spec.family not in FAMILIES:
        raise ValueError(f"{spec.name}: unknown family {spec.family!r}; one of {FAMILIES}")
    if spec.name != normalize(spec.name):
        raise ValueError(f"canonical names are lower-case snake case, got {spec.name!r}")
    for n in (spec.name, *map(normalize, spec.aliases)):
        if n in REGISTRY or n in ALIASES:
            raise ValueError(f"activation name {n!r} is registered twice")
    REGISTRY[spec.name] = spec
    for a in spec.aliases:
        ALIASES[normalize(a)] = spec.name
    return spec


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
    ``grad_mask_values``, ``kinks``, ``torch_ref``, ``elementwise``, ``upcast``).
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
                **extra,
            )
        )
        return fn

    return deco


def lookup(name: str) -> ActivationSpec:
    """The spec registered under ``name`` or one of its aliases."""
    if isinstance(name, ActivationSpec):
        return name
    if not isinstance(name, str):
        raise TypeError(f"activation name must be a string, got {type(name).__name__}")
    key = normalize(name)
    key = ALIASES.get(key, key)
    try:
        return REGISTRY[key]
    except KeyError:
        raise UnknownActivationError(name, sorted([*REGISTRY, *ALIASES])) from None
