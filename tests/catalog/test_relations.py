"""Equivalences the catalog knows: every declared relation that claims the same function holds
numerically, and no two entries compute the same function (values and first derivative on the
fingerprint grid, out to ±50) without a declared relation between them (alias, preset of,
special case of, equal to)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from actlab.catalog.registry import lookup
from actlab.catalog.spec import INDISTINGUISHABLE, SAME_FUNCTION
from actlab.search.fingerprint import GRID, evaluate, transform
from actlab.search.identify import TOL_DERIV, TOL_VALUE
from tests.catalog.common import ELEMENTWISE, NAMES, SPECS

RELATED = [(n, r) for n in NAMES for r in SPECS[n].relations]


@pytest.mark.parametrize("name,rel", RELATED, ids=[f"{n}-{r.kind}-{r.other}" for n, r in RELATED])
def test_declared_relations_name_registered_entries_and_hold(name, rel):
    other = lookup(rel.other)  # raises if the relation names an unknown entry
    assert other.name == rel.other, f"{name}: relations name canonical entries, not {rel.other!r}"
    params = other.resolve_params(rel.param_dict)
    if rel.kind not in SAME_FUNCTION:
        assert rel.note, f"{name}: a {rel.kind} relation says how in its note"
    if rel.kind not in INDISTINGUISHABLE:
        return
    spec = SPECS[name]
    x = torch.linspace(-12.0, 12.0, 481, dtype=torch.float64) + 0.00731
    tol = (1e-10, 1e-12) if rel.kind in SAME_FUNCTION else (TOL_VALUE, TOL_VALUE)
    torch.testing.assert_close(spec.fn(x, **spec.defaults), other.fn(x, **params), rtol=tol[0], atol=tol[1])


def _same_function_edges() -> list[tuple[str, str]]:
    edges = []
    for n in NAMES:
        spec = SPECS[n]
        if spec.preset_of is not None:
            target, fixed = spec.preset_of
            # a preset equals its target at the target's defaults only if the fixed values are those
            if all(SPECS[target].defaults[k] == v for k, v in fixed):
                edges.append((n, target))
        edges += [(n, r.other) for r in spec.relations if r.kind in INDISTINGUISHABLE]
    return edges


def _components(edges: list[tuple[str, str]]) -> dict[str, str]:
    parent = {n: n for n in NAMES}

    def find(a: str) -> str:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for a, b in edges:
        parent[find(a)] = find(b)
    return {n: find(n) for n in NAMES}


def _fingerprints() -> tuple[list[str], np.ndarray, np.ndarray]:
    names, vals, ders = [], [], []
    with np.errstate(all="ignore"):
        for n in ELEMENTWISE:
            spec = SPECS[n]
            v, d = evaluate(lambda t, s=spec: s.fn(t, **s.defaults), GRID)
            names.append(n)
            vals.append(v)
            ders.append(d)
    return names, np.array(vals), np.array(ders)


def _tdist_matrix(a: np.ndarray) -> np.ndarray:
    """max over the grid of |T(a_i) - T(a_j)| where both are finite; inf where finiteness differs."""
    t = transform(a)
    fin = np.isfinite(t)
    out = np.empty((len(a), len(a)))
    for i in range(len(a)):
        both = fin & fin[i]
        diff = np.where(both, np.abs(t - t[i]), 0.0).max(axis=1)
        mismatch = (fin != fin[i]).any(axis=1)
        out[i] = np.where(mismatch, np.inf, diff)
    return out


def test_no_undeclared_duplicates():
    names, vals, ders = _fingerprints()
    same = (_tdist_matrix(vals) <= TOL_VALUE) & (_tdist_matrix(ders) <= TOL_DERIV)
    comp = _components(_same_function_edges())
    undeclared = [
        (names[i], names[j])
        for i in range(len(names))
        for j in range(i + 1, len(names))
        if same[i, j] and comp[names[i]] != comp[names[j]]
    ]
    assert not undeclared, (
        "pairs computing the same function at their defaults with no declared relation "
        f"(add special_case_of/equal_to to one of them, or make one a preset): {undeclared}"
    )


def test_declared_same_function_relations_are_not_contradicted_by_fingerprints():
    names, vals, ders = _fingerprints()
    index = {n: i for i, n in enumerate(names)}
    dv, dd = _tdist_matrix(vals), _tdist_matrix(ders)
    wrong = [
        (n, r.other)
        for n in names
        for r in SPECS[n].relations
        if r.kind in SAME_FUNCTION and not r.params and r.other in index
        and not (dv[index[n], index[r.other]] <= TOL_VALUE and dd[index[n], index[r.other]] <= TOL_DERIV)
    ]
    assert not wrong, f"declared equal at the defaults but different: {wrong}"
