"""Invariants of every spec: the Python signature's defaults are the Param defaults; the plain-text
formula, where it is written in actlab's expression language, computes the function; every entry
says where its formula comes from and cites a findable work; every survey row is accounted for."""

from __future__ import annotations

import functools
import inspect
import re

import numpy as np
import pytest
import torch

from actlab.catalog.survey import UNIMPLEMENTED
from actlab.search.expr import ExpressionSyntaxError, compile_expression, parse
from tests.catalog.common import ELEMENTWISE, NAMES, SPECS, away_from_kinks
from tests.catalog.test_names import survey_rows

CANONICAL = [n for n in NAMES if SPECS[n].preset_of is None]


@pytest.mark.parametrize("name", CANONICAL)
def test_signature_defaults_are_the_param_defaults(name):
    spec = SPECS[name]
    fn = spec.fn.func if isinstance(spec.fn, functools.partial) else spec.fn
    sig = inspect.signature(fn)
    args = [p for p in sig.parameters.values() if p.name != "x"]
    got = {p.name: p.default for p in args if p.default is not inspect.Parameter.empty}
    assert list(got) == list(spec.param_names), f"{name}: signature {list(got)} vs params {spec.param_names}"
    assert got == spec.defaults, f"{name}: signature defaults {got} != Param defaults {spec.defaults}"


# constructs outside the expression language: a formula_text using one need not parse
OUTSIDE_LANGUAGE = re.compile(
    r" if |<|>|≤|≥|\||clip\(|mean\(|sum|\.\.\.|Phi|Φ|erfc|floor|round|sign\(|relu6|;|∑|∏|otherwise|for "
)


def _substituted(spec) -> str:
    d = spec.defaults

    def sub(m: re.Match) -> str:
        k = m.group(0)
        v = d.get(k)
        return f"({v!r})" if isinstance(v, (int, float)) and not isinstance(v, bool) else k

    return re.sub(r"[A-Za-z_][A-Za-z_0-9]*", sub, spec.formula_text)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_formula_text_parses_and_computes_the_function_where_the_language_can_say_it(name):
    spec = SPECS[name]
    pieces = [p.strip() for p in _substituted(spec).split(" = ")]
    parsed = []
    for piece in pieces:
        try:
            parsed.append((piece, parse(piece)))
        except ExpressionSyntaxError:
            pass
    if not parsed:
        if not OUTSIDE_LANGUAGE.search(spec.formula_text):
            pytest.fail(
                f"{name}: formula_text {spec.formula_text!r} neither parses in the expression language "
                "nor uses a construct outside it (write it as an expression, e.g. 'x * sigmoid(beta * x)')"
            )
        return
    xs = away_from_kinks(name, [float(v) for v in np.linspace(-8, 8, 161) + 0.00713], spec.defaults)
    x = torch.tensor(xs, dtype=torch.float64)
    expected = spec.fn(x, **spec.defaults)
    for piece, expr in parsed:
        got = compile_expression(expr)(x)
        ok = torch.isclose(got, expected, rtol=1e-8, atol=1e-10) | (got.isnan() & expected.isnan())
        if not ok.all():
            pytest.fail(f"{name}: formula_text {piece!r} differs from fn at x = {x[~ok][:5].tolist()}")


CONTROL = re.compile(r"[\x00-\x1f\x7f]")  # \t from "\theta", \n from "\nu", \r from "\right"


@pytest.mark.parametrize("name", NAMES)
def test_texts_have_no_control_characters(name):
    """A LaTeX string written without r"..." turns \\right into a carriage return and ight."""
    spec = SPECS[name]
    for field in ("formula_latex", "formula_text", "source", "notes"):
        assert not CONTROL.search(getattr(spec, field)), f"{name}.{field}: {getattr(spec, field)!r}"


@pytest.mark.parametrize("name", NAMES)
def test_every_entry_cites_a_findable_work_and_says_where_its_formula_comes_from(name):
    spec = SPECS[name]
    c = spec.citation
    assert c.authors and c.title and 1940 <= c.year <= 2026
    assert c.arxiv or c.url, f"{name}: citation needs an arXiv id or a DOI/URL"
    if c.arxiv:
        assert re.fullmatch(r"\d{4}\.\d{4,5}|[a-z\-]+/\d{7}", c.arxiv), f"{name}: arXiv id {c.arxiv!r}"
    if len(spec.source) < 20:
        pytest.fail(f"{name}: the spec's source must say where its formula and defaults come from")


def test_every_survey_row_is_covered_or_has_a_reason():
    covered = {s for n in NAMES for s in SPECS[n].survey}
    rows = survey_rows()
    from actlab.nn.registry import MODULE_SURVEY

    missing = [
        (r["section"], r["name"], r["kind"])
        for r in rows
        if r["name"] not in covered and r["name"] not in MODULE_SURVEY and r["name"] not in UNIMPLEMENTED
    ]
    assert not missing, f"survey rows neither covered nor listed in catalog.survey.UNIMPLEMENTED: {missing}"
    double = sorted(set(UNIMPLEMENTED) & (covered | set(MODULE_SURVEY)))
    assert not double, f"rows both covered and listed as unimplemented: {double}"
    assert all(len(reason) >= 10 for reason in UNIMPLEMENTED.values())
    names = {r["name"] for r in rows}
    assert set(UNIMPLEMENTED) <= names, sorted(set(UNIMPLEMENTED) - names)
