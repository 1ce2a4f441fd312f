"""The errors actlab raises for bad input."""

from __future__ import annotations

import difflib


class UnknownActivationError(LookupError):
    """An activation name that is neither a canonical name, an alias, a preset nor a printed name."""

    def __init__(self, name: str, known: list[str], hint: str = ""):
        self.name = name
        self.suggestions = difflib.get_close_matches(str(name).lower(), known, n=5, cutoff=0.6)
        msg = f"unknown activation {name!r}"
        if hint:
            msg += f"; {hint}"
        elif self.suggestions:
            msg += "; did you mean " + ", ".join(repr(s) for s in self.suggestions) + "?"
        else:
            msg += "; `actlab.available()` lists every known name"
        super().__init__(msg)

    def __str__(self) -> str:  # LookupError would repr() the message otherwise
        return self.args[0]


class AmbiguousActivationError(LookupError):
    """A printed name or abbreviation (``"SReLU"``) that several activations go by."""

    def __init__(self, name: str, candidates: list[str]):
        self.name = name
        self.candidates = list(candidates)
        super().__init__(
            f"{name!r} is ambiguous: it names {len(candidates)} activations "
            f"({', '.join(repr(c) for c in candidates)}); use one of these canonical names"
        )

    def __str__(self) -> str:
        return self.args[0]
