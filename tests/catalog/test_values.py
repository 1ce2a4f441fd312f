"""Values of every entry against its independent mpmath reference, at the defaults and at every
non-default setting of its reference table (float64, relative error <= 1e-12)."""

from __future__ import annotations

import mpmath
import pytest
import torch

from tests.catalog.common import ELEMENTWISE, NAMES, SPECS, close, ref_value, setting_ids
from tests.reference import CASES, REFERENCES

MAGNITUDES = (1e-8, 1e-3, 0.1, 0.3, 0.5, 1.0, 1.7, 2.0, 3.0, 5.0, 10.0, 20.0, 1e3)
POINTS = [s * v for v in MAGNITUDES for s in (1.0, -1.0)]
POINTS += [0.0, 0.25, -2.5, 7.3, -7.3, 30.0, -30.0]
CASES_ALL, IDS = setting_ids(ELEMENTWISE)


def test_every_entry_has_a_reference_and_parametrised_ones_a_case():
    missing = sorted(set(NAMES) - set(REFERENCES))
    extra = sorted(set(REFERENCES) - set(NAMES))
    assert not missing, f"entries without an mpmath reference: {missing}"
    assert not extra, f"references for unregistered names: {extra}"
    no_case = sorted(n for n in NAMES if SPECS[n].params and not CASES.get(n))
    assert not no_case, f"entries with parameters but no non-default case in their reference: {no_case}"


@pytest.mark.parametrize("name,params", CASES_ALL, ids=IDS)
def test_values_against_mpmath(name, params):
    spec = SPECS[name]
    y = spec.fn(torch.tensor(POINTS, dtype=torch.float64), **params).tolist()
    refs = [ref_value(name, x, params) for x in POINTS]
    bad = [(x, yi, mpmath.nstr(r, 17)) for x, yi, r in zip(POINTS, y, refs) if not close(yi, r)]
    assert not bad, f"{name}{params}: (x, actlab, mpmath) mismatches: {bad}"


@pytest.mark.parametrize("name", [n for n in NAMES if SPECS[n].params])
def test_cases_are_inside_the_valid_ranges_and_differ_from_the_defaults(name):
    spec = SPECS[name]
    for case in CASES[name]:
        resolved = spec.resolve_params(case)  # raises if a case is out of range or misspelt
        assert resolved != spec.defaults, f"{name}: case {case} is the defaults"
