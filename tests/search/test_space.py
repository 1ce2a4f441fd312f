"""The search space: genomes, their expressions, sampling, mutation, enumeration."""

from __future__ import annotations

import random

import pytest

from actlab.search.expr import parse
from actlab.search.space import BINARY_OPS, UNARY_OPS, Genome, Unit, get_space


def test_operator_sets_are_the_papers():
    assert len(UNARY_OPS) == 24 and len(BINARY_OPS) == 10


def test_swish_is_in_the_space():
    g = Genome((Unit("sigmul", "beta_mul", "x", betas=(1.0,)),))
    assert str(g.expression()) == "sigmoid(beta*x)*x"
    assert str(g.expression(trainable=False)) == "sigmoid(1*x)*x"


def test_beta_operators_and_composition():
    g = Genome((Unit("mix", "tanh", "relu", betas=(0.5,)), Unit("gauss2", "x", "beta_add", 1, 0, (1.0, 2.0))))
    e = g.expression()
    assert sorted(e.param_names) == ["beta1", "beta2", "beta3"]
    assert e.params == {"beta1": 0.5, "beta2": 1.0, "beta3": 2.0}
    assert str(e) == (
        "exp(-(beta3*(beta1*tanh(x) + (1 - beta1)*max(x, 0) - (x + beta2))^2)); beta1=0.5, beta3=2.0"
    )
    assert parse(str(e)) == e
    assert Genome.from_list(g.to_list()) == g


def test_invalid_genomes():
    with pytest.raises(ValueError):
        Genome((Unit("add", "x", "x", 1, 0),)).validate()  # unit 1 reads a unit that does not exist
    with pytest.raises(ValueError):
        Genome((Unit("add", "x", "x"), Unit("add", "x", "x", 0, 0))).validate()  # unit 2 ignores unit 1
    with pytest.raises(ValueError):
        Genome((Unit("add", "beta_mul", "x"),)).validate()  # missing beta value


def test_random_and_mutation_are_valid_and_deterministic():
    space = get_space("full", max_units=3)
    a = [space.random(random.Random(7)) for _ in range(3)]
    b = [space.random(random.Random(7)) for _ in range(3)]
    assert a == b
    rng = random.Random(1)
    g = space.random(rng)
    for _ in range(300):
        child = space.mutate(g, rng)
        child.validate()
        assert child != g and 1 <= len(child.units) <= 3
        child.expression()
        g = child


def test_fixed_beta_mutation_changes_values():
    space = get_space("full", max_units=1, trainable=False)
    rng = random.Random(0)
    g = Genome((Unit("sigmul", "beta_mul", "x", betas=(1.0,)),))
    seen = {space.mutate(g, rng).units[0].betas for _ in range(200)}
    assert any(b and b[0] in (0.5, 2.0) for b in seen)


def test_small_space_enumeration():
    space = get_space("small")
    genomes = list(space.enumerate())
    n_u, comm = len(space.unary), sum(op in ("add", "mul", "max") for op in space.binary)
    assert len(genomes) == comm * n_u * (n_u + 1) // 2 + (len(space.binary) - comm) * n_u * n_u
    assert len({g for g in genomes}) == len(genomes)
    texts = {str(g.expression()) for g in genomes}
    assert "sigmoid(beta*x)*x" in texts
