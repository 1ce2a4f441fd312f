"""``actlab.claims``: the literature's claims about activations, reproduced or refuted with statistics.

Each claim (:mod:`actlab.claims.protocols`, one module per claim) is a statement from a paper, a
protocol of bench runs that follows the paper at a size this machine can run, and a decision rule
fixed before any run. ``actlab claims list`` shows them; ``actlab claims run [NAMES] --preset
quick|full`` runs them through the bench runner (the bench's store: resumable, local or Ray) and
writes the report, which opens with the claims table. From Python::

    from actlab.claims import run_claims, evaluate
    with Store("results.db") as st:
        summary, results = run_claims(["snake_extrapolation"], "quick", st)

Importing this package registers every claim and the report's claims section
(:data:`actlab.bench.report.LEADING_SECTIONS`).
"""

from __future__ import annotations

import importlib
import pkgutil

from actlab.bench.report import EXCLUDED_RUNS, LEADING_SECTIONS
from actlab.claims.base import (
    INCONCLUSIVE,
    NOT_RUN,
    NOT_SUPPORTED,
    SUPPORTED,
    Claim,
    ClaimResult,
    Paper,
    available_claims,
    get_claim,
    register_claim,
)
from actlab.claims.board import claim_keys, claims_section, evaluate, plan, run_claims

__all__ = [
    "INCONCLUSIVE",
    "NOT_RUN",
    "NOT_SUPPORTED",
    "SUPPORTED",
    "Claim",
    "ClaimResult",
    "Paper",
    "available_claims",
    "evaluate",
    "get_claim",
    "plan",
    "register_claim",
    "run_claims",
]


def _load_protocols() -> None:
    from actlab.claims import protocols

    for info in sorted(pkgutil.iter_modules(protocols.__path__), key=lambda m: m.name):
        if not info.name.startswith("_"):
            importlib.import_module(f"{protocols.__name__}.{info.name}")


_load_protocols()
if claims_section not in LEADING_SECTIONS:
    LEADING_SECTIONS.append(claims_section)
if claim_keys not in EXCLUDED_RUNS:
    EXCLUDED_RUNS.append(claim_keys)
