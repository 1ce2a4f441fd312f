"""Rows of the survey (Kunc & Kléma 2024, arXiv 2402.09092) that actlab does not implement, with
the reason. Every other row is covered by a catalog entry (its spec's ``survey`` field) or by an
``actlab.nn`` module (``register_module(..., survey=...)``); ``docs/survey-coverage.md`` is
generated from these three sources and ``docs/data/survey-rows.tsv``.
"""

from __future__ import annotations

UNIMPLEMENTED: dict[str, str] = {}
