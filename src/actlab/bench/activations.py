"""Activation strings of ``actlab bench``: parse, validate and turn into module factories.

An activation in a sweep is a string plus a parameter dict:

- a catalog name or alias, resolved with :func:`actlab.get` (``"gelu"``, ``"swish"``,
  ``"leaky_relu"`` with ``{"negative_slope": 0.2}``, ``"prelu"`` with ``{"trainable": True}``);
- ``"<prefix>:<rest>"`` for a prefix registered with :func:`register_prefix`, e.g. the search
  engine's ``"expr:x * sigmoid(x)"``; ``factory(rest, params)`` builds the module factory.

:func:`resolve` validates everything (unknown name, unknown keyword, out-of-range value) by building
one module, so bad input fails before any run starts. The returned factories are picklable (they
hold only strings and plain values), so worker processes and Ray tasks can rebuild them.

On the command line, ``--activations`` takes a comma-separated list whose items may carry
parameters: ``relu,leaky_relu(negative_slope=0.2),prelu(trainable=True),expr:max(x, 0)``
(see :func:`parse_activation_list`).
"""

from __future__ import annotations

import ast
import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from torch import nn

__all__ = [
    "ActivationFactory",
    "canonical",
    "label",
    "parse_activation_list",
    "prefix_modules",
    "register_prefix",
    "resolve",
]

PrefixFactory = Callable[[str, dict], Callable[[], nn.Module]]

_PREFIXES: dict[str, PrefixFactory] = {}
_CANONICAL: dict[str, Callable[[str], str]] = {}
# prefixes whose provider registers itself on import; tried when a prefix is not yet registered
_LAZY_PREFIX_MODULES: dict[str, str] = {"expr": "actlab.search"}


def register_prefix(
    prefix: str, factory: PrefixFactory, canonicalize: Callable[[str], str] | None = None
) -> PrefixFactory:
    """Resolve activation strings ``"<prefix>:<rest>"`` with ``factory(rest, params)``.

    ``factory`` must validate ``rest`` and ``params`` and raise ``ValueError``/``TypeError``/
    ``LookupError`` for bad input; it returns a zero-argument callable building a fresh module.
    The module defining ``factory`` is imported in every worker process before a run, so define
    it at module level of an importable module. ``canonicalize(rest)``, if given, maps equivalent
    spellings to one string (e.g. ``"x * sigmoid( x )"`` → ``"x*sigmoid(x)"``), so they share a
    run key; otherwise ``rest`` is only stripped of surrounding whitespace.
    """
    if not prefix or not prefix.isidentifier():
        raise ValueError(f"activation prefix must be an identifier, got {prefix!r}")
    _PREFIXES[prefix] = factory
    if canonicalize is not None:
        _CANONICAL[prefix] = canonicalize
    else:
        _CANONICAL.pop(prefix, None)
    return factory


def prefix_modules() -> list[str]:
    """Modules whose import registers the current prefix factories (imported by workers)."""
    mods = {getattr(f, "__module__", None) for f in _PREFIXES.values()}
    return sorted(m for m in mods if m and m != "__main__")


def _split_prefix(activation: str) -> tuple[str, str] | None:
    head, sep, rest = activation.partition(":")
    if sep and head.isidentifier():
        return head, rest
    return None


def _prefix_factory(prefix: str) -> PrefixFactory:
    if prefix not in _PREFIXES and prefix in _LAZY_PREFIX_MODULES:
        try:
            importlib.import_module(_LAZY_PREFIX_MODULES[prefix])
        except ImportError:
            pass
    if prefix not in _PREFIXES:
        known = ", ".join(repr(p + ":") for p in sorted(_PREFIXES)) or "none registered"
        raise LookupError(f"unknown activation prefix {prefix + ':'!r} (known prefixes: {known})")
    return _PREFIXES[prefix]


@dataclass(frozen=True)
class ActivationFactory:
    """A picklable zero-argument factory: ``factory()`` returns a fresh activation module."""

    activation: str
    params: dict[str, Any] = field(default_factory=dict)

    def __call__(self) -> nn.Module:
        split = _split_prefix(self.activation)
        if split is not None:
            return _prefix_factory(split[0])(split[1], dict(self.params))()
        import actlab

        return actlab.get(self.activation, **self.params)


def canonical(activation: str) -> str:
    """The canonical form of an activation string (aliases → canonical catalog names).

    Raises :class:`actlab.UnknownActivationError` for an unknown catalog name and ``LookupError``
    for an unknown prefix.
    """
    if not isinstance(activation, str) or not activation.strip():
        raise ValueError(f"activation must be a non-empty string, got {activation!r}")
    activation = activation.strip()
    split = _split_prefix(activation)
    if split is not None:
        _prefix_factory(split[0])
        rest = split[1].strip()
        if split[0] in _CANONICAL:
            rest = _CANONICAL[split[0]](rest)
        return f"{split[0]}:{rest}"
    import actlab
    from actlab.catalog.registry import normalize
    from actlab.nn.registry import MODULES

    if normalize(activation) in MODULES:
        return normalize(activation)
    try:
        return actlab.describe(activation).name
    except LookupError:
        # actlab.get's error names close matches among catalog names, aliases and modules
        actlab.get(activation)
        raise


def resolve(activation: str, params: dict[str, Any] | None = None) -> Callable[[], nn.Module]:
    """Validate ``activation`` with ``params`` and return a factory building fresh modules.

    One module is built here, so an unknown name (``actlab.UnknownActivationError``, a
    ``LookupError`` naming close matches), an unknown keyword (``TypeError``) or an out-of-range
    value (``ValueError``) is raised now, before any run starts.
    """
    factory = ActivationFactory(canonical(activation), dict(params or {}))
    module = factory()
    if not isinstance(module, nn.Module):
        raise TypeError(f"activation {activation!r} built a {type(module).__name__}, not an nn.Module")
    return factory


def label(activation: str, params: dict[str, Any] | None = None) -> str:
    """A short display label: ``leaky_relu(negative_slope=0.2)`` or just ``gelu``."""
    if not params:
        return activation
    inner = ", ".join(f"{k}={_fmt(v)}" for k, v in sorted(params.items()))
    return f"{activation}({inner})"


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, (list, tuple)):
        return "(" + ", ".join(_fmt(x) for x in v) + ")"
    return json.dumps(v) if isinstance(v, str) else str(v)


def _split_top(text: str, sep: str = ",") -> list[str]:
    """Split ``text`` on ``sep`` outside parentheses/brackets/quotes."""
    parts, depth, quote, cur = [], 0, None, []
    for ch in text:
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
            if depth < 0:
                raise ValueError(f"unbalanced parentheses in {text!r}")
        elif ch == sep and depth == 0:
            parts.append("".join(cur))
            cur = []
            continue
        cur.append(ch)
    if depth != 0 or quote:
        raise ValueError(f"unbalanced parentheses or quotes in {text!r}")
    parts.append("".join(cur))
    return [p.strip() for p in parts if p.strip()]


def parse_activation_list(text: str) -> list[tuple[str, dict[str, Any]]]:
    """Parse ``"relu,leaky_relu(negative_slope=0.2),expr:max(x, 0)"`` into ``(name, params)`` pairs.

    Values are Python literals (numbers, booleans, tuples, strings). Prefixed items (``expr:...``)
    are kept whole: their text is the prefix factory's to interpret.
    """
    out = []
    for item in _split_top(text):
        if _split_prefix(item) is not None:
            out.append((item, {}))
            continue
        name, paren, rest = item.partition("(")
        name = name.strip()
        params: dict[str, Any] = {}
        if paren:
            if not rest.endswith(")"):
                raise ValueError(f"activation {item!r}: expected name(key=value, ...)")
            try:
                call = ast.parse(f"f({rest}", mode="eval").body
            except SyntaxError:
                raise ValueError(f"activation {item!r}: cannot parse parameters") from None
            if not isinstance(call, ast.Call) or call.args:
                raise ValueError(f"activation {item!r}: parameters must be given as key=value")
            for kw in call.keywords:
                try:
                    params[kw.arg] = ast.literal_eval(kw.value)
                except ValueError:
                    raise ValueError(
                        f"activation {item!r}: value of {kw.arg!r} must be a literal"
                    ) from None
        out.append((name, params))
    if not out:
        raise ValueError("empty activation list")
    return out
