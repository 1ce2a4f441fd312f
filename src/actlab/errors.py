"""The errors actlab raises for bad input."""

from __future__ import annotations

import difflib


class UnknownActivationError(LookupError):
    """An activation name that is neither a canonical name nor an alias."""

    def __init__(self, name: str, known: list[str]):
        self.name = name
        self.suggestions = difflib.get_close_matches(name, known, n=5, cutoff=0.6)
        msg = f"unknown activation {name!r}"
        if self.suggestions:
            msg += "; did you mean " + ", ".join(repr(s) for s in self.suggestions) + "?"
        else:
            msg += "; `actlab.available()` lists every known name"
        super().__init__(msg)

    def __str__(self) -> str:  # LookupError would repr() the message otherwise
        return self.args[0]
