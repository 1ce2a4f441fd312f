"""Expressions as catalog activations: :func:`register_expression` and the bench's ``expr:`` prefix.

An expression becomes an :class:`~actlab.catalog.spec.ActivationSpec` whose ``fn`` is the compiled
expression, so it runs through the same modules and kernels as every catalog function
(``actlab.get(name)``, ``actlab.functional.<name>``, ``actlab.get(name, trainable=True)`` for its
β parameters).
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from typing import Any

from torch import nn

from actlab.catalog.spec import FAMILIES, ActivationSpec, Citation, Param
from actlab.search.expr import Expression, parse

__all__ = ["expression_factory", "expression_module", "expression_spec", "register_expression"]

EXPRESSION_CITATION = Citation(
    authors="Ramachandran, P. and Zoph, B. and Le, Q. V.",
    title="Searching for Activation Functions",
    year=2017,
    arxiv="1710.05941",
)


def _user_citation(expr: Expression) -> Citation:
    return Citation(
        authors="actlab user",
        title=f"User-registered expression {expr.text}",
        year=datetime.date.today().year,
    )


def closest_family(expr: Expression | str) -> str:
    """The family of the catalog function that :func:`~actlab.search.identify.identify` finds
    equal, near or nearest to ``expr`` (``"self_gated"`` for an empty catalog)."""
    from actlab.catalog.registry import REGISTRY
    from actlab.search.identify import identify

    ident = identify(parse(expr))
    name = ident.name or (ident.nearest[0]["name"] if ident.nearest else None)
    return REGISTRY[name].family if name in REGISTRY else "self_gated"


def expression_spec(
    expr: Expression | str,
    name: str | None = None,
    *,
    family: str | None = None,
    citation: Citation | None = None,
    notes: str = "",
    aliases: tuple[str, ...] = (),
) -> ActivationSpec:
    """An (unregistered) :class:`ActivationSpec` computing ``expr``.

    Its parameters are the expression's named parameters (``beta``, …), unbounded, trainable in
    the original work (the search trains them), with the expression's initial values as defaults.
    ``family`` defaults to :func:`closest_family`.
    """
    e = parse(expr)
    fam = family if family is not None else closest_family(e)
    if fam not in FAMILIES:
        raise ValueError(f"unknown family {fam!r}; one of {FAMILIES}")
    params = tuple(
        Param(k, v, doc=f"parameter {k} of the expression", trainable=True) for k, v in e.params.items()
    )
    return ActivationSpec(
        name=name or f"expr:{e.text}",
        family=fam,
        fn=e.fn,
        formula_latex=e.latex(),
        formula_text=e.text,
        citation=citation or _user_citation(e),
        params=params,
        aliases=tuple(aliases),
        notes=(notes + " " if notes else "")
        + "Expression language of actlab search: protected a/b (|b| >= 1e-6), log|a| and sqrt|a| "
        "(arguments clamped at 1e-30).",
    )


def register_expression(
    name: str,
    expr: Expression | str,
    *,
    family: str | None = None,
    citation: Citation | None = None,
    notes: str = "",
    aliases: tuple[str, ...] | list[str] = (),
) -> ActivationSpec:
    """Register expression ``expr`` as catalog activation ``name`` and return its spec.

    Example::

        >>> actlab.register_expression("my_swish", "x*sigmoid(beta*x); beta=1.5")
        >>> actlab.get("my_swish")(torch.randn(3))            # β fixed at 1.5
        >>> actlab.get("my_swish", trainable=True)            # β learned, initialised at 1.5

    ``family`` defaults to the family of the closest catalog function; ``citation`` to a citation
    of the user's expression (an exported search result cites the search that found it).
    Raises ``ValueError`` for a name already registered or a bad family, and
    :class:`~actlab.search.expr.ExpressionSyntaxError` (a ``ValueError``) for a bad expression.
    """
    from actlab.catalog.registry import register

    spec = expression_spec(expr, name, family=family, citation=citation, notes=notes, aliases=tuple(aliases))
    return register(spec)


@functools.lru_cache(maxsize=4096)
def _cached_spec(text: str) -> ActivationSpec:
    # family is irrelevant for search candidates; skipping identify keeps module creation cheap
    return expression_spec(text, family="self_gated", citation=EXPRESSION_CITATION)


def expression_module(expr: Expression | str, trainable: bool = True, **init: float) -> nn.Module:
    """A fresh module computing ``expr``: the generic :class:`~actlab.nn.activation.Activation`
    (actlab's kernels), or the learnable module when ``trainable`` and the expression has parameters
    (``init`` overrides their initial values)."""
    e = parse(expr)
    spec = _cached_spec(str(e))
    if trainable and spec.params:
        from actlab.nn.learnable import learnable

        return learnable(spec, **init)
    from actlab.nn.activation import Activation

    return Activation(spec, **init)


def expression_factory(rest: str, params: dict[str, Any]) -> Callable[[], nn.Module]:
    """The bench's ``"expr:<expression>"`` resolver: ``params`` holds initial values of the
    expression's parameters and optionally ``trainable`` (default True)."""
    e = parse(rest)
    params = dict(params)
    trainable = params.pop("trainable", True)
    if not isinstance(trainable, bool):
        raise ValueError(f"expr: 'trainable' must be true or false, got {trainable!r}")
    unknown = sorted(set(params) - set(e.param_names))
    if unknown:
        raise TypeError(
            f"expr:{rest}: unknown parameter(s) {', '.join(map(repr, unknown))}; "
            f"valid: {', '.join(e.param_names + ('trainable',))}"
        )
    for k, v in params.items():
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise ValueError(f"expr:{rest}: parameter {k!r} must be a number, got {v!r}")
    init = {k: float(v) for k, v in params.items()}
    return functools.partial(expression_module, str(e), trainable, **init)
