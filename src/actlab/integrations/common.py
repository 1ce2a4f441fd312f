"""Names shared by the integrations: which catalog keys to register, and keys with parameters.

A key is a catalog name (canonical, preset or alias: ``"golu"``, ``"vlrelu"``, ``"squared_relu"``),
optionally prefixed with ``"actlab:"`` (always actlab's function, even where the other library
already uses the name: ``"actlab:gelu"``), optionally followed by keyword parameters in
parentheses, written as Python literals: ``"leaky_relu(negative_slope=0.2)"``,
``"snake(a=0.5, trainable=True)"``. Any keyword :func:`actlab.get` takes is allowed there
(``impl``, ``trainable`` and the activation's parameters); a bad one raises the error ``get`` raises.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from typing import Any

from torch import nn

from actlab.api import get
from actlab.catalog.registry import ALIASES, PRESETS, REGISTRY, resolve

PREFIX = "actlab:"
_CALL = re.compile(r"^\s*([^()]+?)\s*\((.*)\)\s*$", re.DOTALL)


@dataclass(frozen=True)
class Registration:
    """What a ``register()`` did: the names it ``added``, and the catalog names the library already
    defines (``kept``: the library's own class stays, so existing models compute what they did;
    ``"actlab:<name>"`` reaches actlab's)."""

    library: str
    added: tuple[str, ...]
    kept: tuple[str, ...]

    def __str__(self) -> str:
        return (f"{self.library}: added {len(self.added)} activation names; kept its own "
                f"{', '.join(self.kept) or 'none'} (actlab's as 'actlab:<name>')")


def catalog_keys() -> list[str]:
    """Every catalog name, read from the registry now: canonical names, presets and aliases."""
    return sorted({*REGISTRY, *PRESETS, *ALIASES})


def parse_key(key: str) -> tuple[str, dict[str, Any]]:
    """``(name, params)`` of a key (``"actlab:elu(alpha=0.5)"`` → ``("elu", {"alpha": 0.5})``).

    Raises ``ValueError`` for a malformed parameter list (positional arguments, non-literal values).
    """
    if not isinstance(key, str):
        raise TypeError(f"an activation key must be a string, got {type(key).__name__}")
    body = key.strip()
    if body.lower().startswith(PREFIX):
        body = body[len(PREFIX):]
    m = _CALL.match(body)
    if m is None:
        return body, {}
    name, args = m.group(1), m.group(2)
    try:
        call = ast.parse(f"f({args})", mode="eval").body
    except SyntaxError as e:
        raise ValueError(f"activation key {key!r}: cannot parse the parameters {args!r}: {e.msg}") from None
    if not isinstance(call, ast.Call) or call.args or any(k.arg is None for k in call.keywords):
        raise ValueError(f"activation key {key!r}: parameters must be keywords, e.g. {name}(alpha=0.5)")
    params: dict[str, Any] = {}
    for kw in call.keywords:
        try:
            params[kw.arg] = ast.literal_eval(kw.value)
        except ValueError:
            raise ValueError(f"activation key {key!r}: the value of {kw.arg!r} must be a literal "
                             f"(number, string, bool, tuple), got {ast.unparse(kw.value)!r}") from None
    return name, params


def is_catalog_key(key: Any) -> bool:
    """Whether ``key`` names something :func:`build` can make (without building it)."""
    if not isinstance(key, str):
        return False
    try:
        resolve(parse_key(key)[0])
    except (LookupError, ValueError, TypeError):
        return False
    return True


def missing_key(key: Any, library: str) -> str:
    """``key`` if the catalog resolves it, for a library table's ``__missing__``.

    Raises ``KeyError`` (dict semantics) for a non-string or unknown name, naming close matches;
    ``ValueError`` for a malformed parameter list.
    """
    if not isinstance(key, str):
        raise KeyError(key)
    name, _ = parse_key(key)
    try:
        resolve(name)
    except LookupError as e:
        raise KeyError(f"{key!r} is neither a {library} activation nor in actlab's catalog: {e}") from None
    return key


def build(key: str, **kwargs: Any) -> nn.Module:
    """The module for ``key``: ``actlab.get(name, **params, **kwargs)``.

    An unknown name raises :class:`actlab.UnknownActivationError` (a ``LookupError``);
    parameters in both ``key`` and ``kwargs`` raise ``TypeError``.
    """
    name, params = parse_key(key)
    both = sorted(set(params) & set(kwargs))
    if both:
        raise TypeError(f"activation key {key!r}: {', '.join(both)} given both in the key and as keywords")
    return get(name, **params, **kwargs)


__all__ = ["PREFIX", "Registration", "build", "catalog_keys", "is_catalog_key", "missing_key", "parse_key"]
