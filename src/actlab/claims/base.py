"""What a claim is: a statement from a paper, a protocol of bench runs, and a decision rule.

A claim is one subclass of :class:`Claim` in one module of :mod:`actlab.claims.protocols`,
registered with :func:`register_claim`; that module holds everything the claim needs (its bench
tasks, if the bench lacks them, its runs, its decision rule, its plot). Adding a claim is adding
such a module: the package imports every module it finds there.

A claim's :meth:`Claim.specs` are ordinary bench runs (:class:`~actlab.bench.spec.RunSpec`), so
they share the bench's store, resumability, executors (local or Ray) and leases; runs two
claims have in common (the same task, config, activation and seed) are run once.
:meth:`Claim.evaluate` turns the recorded runs into a :class:`ClaimResult`: an effect size with its
95 % interval, the test and its p-value, and a verdict that can come out either way:

- ``supported``: the data show the effect the paper claims, in its direction, beyond chance
  (and beyond the claim's stated minimum effect, if it has one);
- ``not supported``: the data exclude that effect (the interval lies on the other side of the
  claim's threshold, or a comparison goes significantly the other way);
- ``inconclusive``: neither — too few seeds for the effect's size, or the protocol did not reach
  the regime the claim is about (the reason says which).

The rule is fixed in the claim's module before any run; it is never adjusted to the outcome.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from actlab.bench.spec import RunSpec
from actlab.bench.store import RunRecord

__all__ = [
    "INCONCLUSIVE",
    "NOT_RUN",
    "NOT_SUPPORTED",
    "SUPPORTED",
    "Claim",
    "ClaimResult",
    "Paper",
    "available_claims",
    "get_claim",
    "register_claim",
]

SUPPORTED = "supported"
NOT_SUPPORTED = "not supported"
INCONCLUSIVE = "inconclusive"
NOT_RUN = "not run"
PRESETS = ("tiny", "quick", "full")


@dataclass(frozen=True)
class Paper:
    authors: str
    title: str
    year: int
    arxiv: str = ""

    def cite(self) -> str:
        ref = f", arXiv {self.arxiv}" if self.arxiv else ""
        return f'{self.authors} ({self.year}), "{self.title}"{ref}'


@dataclass
class ClaimResult:
    """The outcome of a claim on a store: verdict, effect size with its interval, test, p-value."""

    claim: str
    preset: str
    verdict: str
    effect: str = ""  # what the estimate is, e.g. "Δ extrapolation MSE, snake − best of relu/tanh"
    estimate: float = math.nan
    ci: tuple[float, float] = (math.nan, math.nan)
    ci_level: float = 0.95
    test: str = ""
    p: float = math.nan
    n: int = 0  # seeds (or pairs, trials) behind the test
    reason: str = ""
    details: list[str] = field(default_factory=list)  # one line per sub-result, for the report
    runs_found: int = 0
    runs_planned: int = 0
    plot: str | None = None


class Claim:
    """Base class of a claim; subclass it in a module of :mod:`actlab.claims.protocols`.

    Class attributes: ``name`` (lower-case key), ``statement`` (the claim), ``paper``,
    ``protocol`` (what is run, as the paper does it), ``scaled_down`` (how and why it differs from
    the paper: sizes, steps, data), ``decision`` (the verdict rule, in words), ``presets``
    (``{preset: settings}``; a preset missing here is out of reach: ``out_of_reach[preset]`` says
    why). Subclasses implement :meth:`arms` (named groups of bench runs, e.g. one per activation)
    and :meth:`evaluate` (and may draw :meth:`plot`); both receive the preset's settings.
    """

    name: str = ""
    statement: str = ""
    paper: Paper = Paper("", "", 0)
    protocol: str = ""
    scaled_down: str = ""
    decision: str = ""
    presets: dict[str, dict[str, Any]] = {}
    out_of_reach: dict[str, str] = {}

    def settings(self, preset: str, seeds: int | None = None) -> dict[str, Any] | None:
        """The preset's settings (``seeds`` overridden; ``"preset"`` added), or None when the preset is
        out of reach."""
        if preset not in PRESETS:
            raise ValueError(f"unknown preset {preset!r}; valid presets: {', '.join(PRESETS)}")
        s = self.presets.get(preset)
        if s is None:
            return None
        s = dict(s)
        if seeds is not None:
            if seeds < 1:
                raise ValueError(f"seeds must be at least 1, got {seeds}")
            s["seeds"] = int(seeds)
        s.setdefault("preset", preset)
        return s

    def specs(self, preset: str, seeds: int | None = None) -> list[RunSpec]:
        """The bench runs of this claim at ``preset`` (empty when out of reach), without duplicates."""
        s = self.settings(preset, seeds)
        if s is None:
            return []
        seen: dict[str, RunSpec] = {}
        for specs in self.arms(s).values():
            for sp in specs:
                seen.setdefault(sp.key, sp)
        return list(seen.values())

    def arms(self, settings: dict[str, Any]) -> dict[str, list[RunSpec]]:
        """Named groups of bench runs (an arm's runs differ only in seed)."""
        raise NotImplementedError

    def evaluate(
        self, arms: dict[str, dict[int, RunRecord]], settings: dict[str, Any], preset: str
    ) -> ClaimResult:
        """The verdict from the recorded runs of each arm (``arm -> seed -> record``; runs not yet
        recorded are missing)."""
        raise NotImplementedError

    def plot(self, arms: dict[str, dict[int, RunRecord]], result: ClaimResult, plots: Any) -> str | None:
        """Draw the claim's plot with ``plots`` (:class:`actlab.bench.report.Plots`); return its path."""
        return None

    def result(self, preset: str, verdict: str, **kw: Any) -> ClaimResult:
        return ClaimResult(claim=self.name, preset=preset, verdict=verdict, **kw)


_CLAIMS: dict[str, Claim] = {}


def register_claim(cls: type[Claim]) -> type[Claim]:
    """Class decorator: register one instance of ``cls`` under ``cls.name``."""
    if not cls.name or cls.name != cls.name.lower():
        raise ValueError(f"{cls.__name__}: a claim needs a lower-case name, got {cls.name!r}")
    if cls.name in _CLAIMS and type(_CLAIMS[cls.name]) is not cls:
        raise ValueError(f"claim {cls.name!r} registered twice")
    _CLAIMS[cls.name] = cls()
    return cls


def available_claims() -> list[str]:
    """Names of every registered claim, in board order (the order of the protocol modules)."""
    return list(_CLAIMS)


def get_claim(name: str) -> Claim:
    """The claim ``name``; a ``LookupError`` naming close matches otherwise."""
    import difflib

    key = str(name).strip().lower().replace("-", "_")
    if key not in _CLAIMS:
        near = difflib.get_close_matches(key, list(_CLAIMS), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(map(repr, near))}?" if near else ""
        raise LookupError(f"unknown claim {name!r}{hint} (claims: {', '.join(_CLAIMS)})")
    return _CLAIMS[key]
