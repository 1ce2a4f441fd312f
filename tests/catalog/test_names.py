"""Names: canonical names, aliases, presets, printed names and survey rows resolve to their entry
case- and punctuation-insensitively; an abbreviation several entries go by raises an error listing
them; canonical names never hide such an ambiguity."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import actlab
from actlab.catalog.registry import (
    ALIASES,
    LOOSE,
    MODULE_PREFIX,
    ambiguous_names,
    loose,
    printed_keys,
    resolve,
)
from actlab.errors import AmbiguousActivationError
from tests.catalog.common import NAMES, SPECS

ROOT = Path(__file__).resolve().parents[2]


def survey_rows() -> list[dict]:
    lines = (ROOT / "docs" / "data" / "survey-rows.tsv").read_text().splitlines()
    return list(csv.DictReader([ln for ln in lines if not ln.startswith("#")], delimiter="\t"))


def test_canonical_names_and_aliases_are_not_ambiguous_printed_names():
    """A canonical name or alias equal (loosely) to an abbreviation several entries claim would
    silently pick one of them: such entries must be renamed."""
    amb = ambiguous_names()
    own = {loose(n): n for n in [*NAMES, *ALIASES]}
    hidden = {k: (own[k], amb[k]) for k in amb if k in own}
    assert not hidden, f"canonical names/aliases hiding an ambiguity (name, claimants): {hidden}"


@pytest.mark.parametrize("name", NAMES)
def test_every_printed_name_resolves_to_its_entry_or_is_ambiguous(name):
    spec = SPECS[name]
    for printed in (*spec.names, *spec.survey, *spec.aliases):
        keys = printed_keys(printed)
        claimants = set().union(*(LOOSE[k] for k in keys))
        assert name in claimants
        if all(len(LOOSE[k]) > 1 for k in keys):
            with pytest.raises(AmbiguousActivationError):
                resolve(printed)
        else:
            assert resolve(printed) == name, printed


def test_ambiguous_abbreviations_list_their_candidates():
    for abbrev in ("DReLU", "SReLU", "FReLU", "TeLU"):
        with pytest.raises(AmbiguousActivationError) as e:
            actlab.get(abbrev)
        assert isinstance(e.value, LookupError) and len(e.value.candidates) >= 2
        for c in e.value.candidates:
            assert repr(c) in str(e.value)


@pytest.mark.parametrize(
    "printed,expected",
    [
        ("Sigmoid-Gumbel", None),
        ("TanhSig", None),
        ("Derivative of SiLU (dSiLU)", "dsilu"),
        ("dSiLU", "dsilu"),
        ("d-silu", "dsilu"),
        ("LEAKY RELU", "leaky_relu"),
        ("ExpExpish", None),
    ],
)
def test_survey_examples_resolve(printed, expected):
    key = resolve(printed)
    assert not key.startswith(MODULE_PREFIX)
    if expected is not None:
        assert key == expected
    assert actlab.describe(printed).name == key


def test_survey_names_of_entries_are_survey_rows():
    rows = {r["name"] for r in survey_rows()}
    unknown = sorted((n, s) for n in NAMES for s in SPECS[n].survey if s not in rows)
    assert not unknown, f"survey names that are not rows of docs/data/survey-rows.tsv: {unknown}"


def test_fixed_and_adaptive_survey_rows_resolve_by_their_printed_name():
    """A row resolves when its printed name finds the entry covering it; a row that names several
    variants ("PWLU / N-PWLU") resolves when the ambiguity error lists exactly its variants."""
    rows = [r for r in survey_rows() if r["kind"] in ("F", "A")]
    covering: dict[str, set[str]] = {}
    for n in NAMES:
        for row in SPECS[n].survey:
            covering.setdefault(row, set()).add(n)
    unresolved = []
    for r in rows:
        mine = covering.get(r["name"], set())
        try:
            ok = resolve(r["name"]) in mine
        except AmbiguousActivationError as e:
            ok = len(mine) > 1 and set(e.candidates) == mine
        except LookupError:
            ok = False
        if not ok:
            unresolved.append((r["section"], r["name"], sorted(mine)))
    share = 1 - len(unresolved) / len(rows)
    assert share >= 0.95, f"{share:.1%} of {len(rows)} F/A rows resolve; unresolved: {unresolved}"
