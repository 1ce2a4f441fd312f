"""The search space of Ramachandran, Zoph & Le, "Searching for Activation Functions"
(arXiv 1710.05941): core units ``binary(unary(a), unary(b))`` composed 1–3 deep.

A :class:`Genome` is a list of units; unit ``j`` (1-based) reads its two inputs from ``x`` (input 0)
or from the output of an earlier unit ``i < j`` (input ``i``); every unit after the first reads the
unit just before it, so no unit is dead code. The function is the last unit's output.

Operator sets (the paper's, written with the primitives of :mod:`actlab.search.expr`):

- unary: ``x`` (identity), ``neg``, ``abs``, ``square``, ``cube``, ``sqrt``, ``beta_mul`` (β·a),
  ``beta_add`` (a + β), ``log`` (log|a|), ``exp``, ``sin``, ``cos``, ``sinh``, ``cosh``, ``tanh``,
  ``atan``, ``relu`` (max(a, 0)), ``minzero`` (min(a, 0)), ``sigmoid``, ``softplus``, ``gauss``
  (exp(−a²)), ``erf``, ``sinc``, ``asinh``;
- binary: ``add``, ``sub``, ``mul``, ``div`` (protected), ``max``, ``min``, ``sigmul`` (σ(a)·b),
  ``gauss2`` (exp(−β(a − b)²)), ``laplace2`` (exp(−β|a − b|)), ``mix`` (β·a + (1 − β)·b).

Every β occurrence is its own parameter (``beta``, or ``beta1``, ``beta2``, … when there are
several), trainable (initial value 1) or fixed (a constant from {0.5, 1, 2} chosen by the search).
Named spaces: ``"full"`` (all operators) and ``"small"`` (a subset for exhaustive enumeration).
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass

from actlab.search.expr import Binary, Const, Expression, Node, Param, Unary, X, const

__all__ = ["BINARY_OPS", "SPACES", "UNARY_OPS", "Genome", "Space", "Unit", "get_space"]

UNARY_OPS = (
    "x", "neg", "abs", "square", "cube", "sqrt", "beta_mul", "beta_add", "log", "exp", "sin", "cos",
    "sinh", "cosh", "tanh", "atan", "relu", "minzero", "sigmoid", "softplus", "gauss", "erf", "sinc", "asinh",
)  # fmt: skip
BINARY_OPS = ("add", "sub", "mul", "div", "max", "min", "sigmul", "gauss2", "laplace2", "mix")
COMMUTATIVE = frozenset({"add", "mul", "max", "min", "gauss2", "laplace2"})
_BETA_UNARY = frozenset({"beta_mul", "beta_add"})
_BETA_BINARY = frozenset({"gauss2", "laplace2", "mix"})
FIXED_BETAS = (0.5, 1.0, 2.0)


@dataclass(frozen=True)
class Unit:
    """``binary(u1(input a), u2(input b))``; ``betas`` holds one value per β the unit uses
    (order: u1, u2, binary) — the initial value when trainable, the constant when fixed."""

    binary: str
    u1: str
    u2: str
    a: int = 0
    b: int = 0
    betas: tuple[float, ...] = ()

    def n_betas(self) -> int:
        return (self.u1 in _BETA_UNARY) + (self.u2 in _BETA_UNARY) + (self.binary in _BETA_BINARY)


@dataclass(frozen=True)
class Genome:
    units: tuple[Unit, ...]

    def to_list(self) -> list[list]:
        return [[u.binary, u.u1, u.u2, u.a, u.b, list(u.betas)] for u in self.units]

    @classmethod
    def from_list(cls, data: list[list]) -> Genome:
        return cls(
            tuple(
                Unit(b, u1, u2, int(a), int(bb), tuple(float(v) for v in betas))
                for b, u1, u2, a, bb, betas in data
            )
        )

    def validate(self) -> None:
        if not 1 <= len(self.units) <= 3:
            raise ValueError(f"a genome has 1 to 3 units, got {len(self.units)}")
        for j, u in enumerate(self.units, start=1):
            if u.binary not in BINARY_OPS or u.u1 not in UNARY_OPS or u.u2 not in UNARY_OPS:
                raise ValueError(f"unit {j}: unknown operation in {u}")
            if not (0 <= u.a < j and 0 <= u.b < j):
                raise ValueError(
                    f"unit {j}: inputs must come from x (0) or units 1..{j - 1}, got {u.a}, {u.b}"
                )
            if j > 1 and j - 1 not in (u.a, u.b):
                raise ValueError(f"unit {j} must read unit {j - 1}")
            if len(u.betas) != u.n_betas():
                raise ValueError(f"unit {j}: {u.n_betas()} beta value(s) expected, got {len(u.betas)}")

    def expression(self, trainable: bool = True) -> Expression:
        """The genome as an :class:`Expression` (β's as parameters if ``trainable``)."""
        self.validate()
        total = sum(u.n_betas() for u in self.units)
        counter = itertools.count(1)
        init: dict[str, float] = {}

        def beta(value: float) -> Node:
            if not trainable:
                return const(value)
            name = "beta" if total == 1 else f"beta{next(counter)}"
            init[name] = value
            return Param(name)

        outs: list[Node] = [X]
        for u in self.units:
            vals = iter(u.betas)

            def take(vals: Iterator[float] = vals) -> Node:
                return beta(next(vals))

            left = _unary(u.u1, outs[u.a], take)
            right = _unary(u.u2, outs[u.b], take)
            outs.append(_binary(u.binary, left, right, take))
        return Expression(outs[-1], init)


def _unary(op: str, a: Node, beta) -> Node:
    if op == "x":
        return a
    if op == "beta_mul":
        return Binary("mul", beta(), a)
    if op == "beta_add":
        return Binary("add", a, beta())
    if op == "relu":
        return Binary("max", a, Const(0.0))
    if op == "minzero":
        return Binary("min", a, Const(0.0))
    if op == "gauss":
        return Unary("exp", Unary("neg", Unary("square", a)))
    return Unary(op, a)


def _binary(op: str, a: Node, b: Node, beta) -> Node:
    if op in ("add", "sub", "mul", "div", "max", "min"):
        return Binary(op, a, b)
    if op == "sigmul":
        return Binary("mul", Unary("sigmoid", a), b)
    if op == "gauss2":
        return Unary("exp", Unary("neg", Binary("mul", beta(), Unary("square", Binary("sub", a, b)))))
    if op == "laplace2":
        return Unary("exp", Unary("neg", Binary("mul", beta(), Unary("abs", Binary("sub", a, b)))))
    if op == "mix":
        p = beta()
        return Binary("add", Binary("mul", p, a), Binary("mul", Binary("sub", Const(1.0), p), b))
    raise ValueError(f"unknown binary operation {op!r}")


@dataclass(frozen=True)
class Space:
    """Operator sets, the maximal number of units and how β is handled."""

    name: str
    unary: tuple[str, ...] = UNARY_OPS
    binary: tuple[str, ...] = BINARY_OPS
    max_units: int = 2
    trainable: bool = True

    def __post_init__(self) -> None:
        if not 1 <= self.max_units <= 3:
            raise ValueError(f"max_units must be 1, 2 or 3, got {self.max_units}")
        bad = [u for u in self.unary if u not in UNARY_OPS] + [b for b in self.binary if b not in BINARY_OPS]
        if bad:
            raise ValueError(f"unknown operations: {bad}")

    def _betas(self, unit: Unit, rng: random.Random | None) -> Unit:
        n = unit.n_betas()
        if self.trainable or rng is None:
            vals = (1.0,) * n
        else:
            vals = tuple(rng.choice(FIXED_BETAS) for _ in range(n))
        return Unit(unit.binary, unit.u1, unit.u2, unit.a, unit.b, vals)

    def random_unit(self, j: int, rng: random.Random) -> Unit:
        """A random unit at position ``j`` (1-based) reading unit ``j - 1`` when ``j > 1``."""
        b, u1, u2 = rng.choice(self.binary), rng.choice(self.unary), rng.choice(self.unary)
        if j == 1:
            a, c = 0, 0
        else:
            a, c = j - 1, rng.randrange(j)
            if rng.random() < 0.5:
                a, c = c, a
        return self._betas(Unit(b, u1, u2, a, c), rng)

    def random(self, rng: random.Random) -> Genome:
        """A genome with a uniformly drawn number of units and uniformly drawn operations."""
        n = rng.randint(1, self.max_units)
        return Genome(tuple(self.random_unit(j, rng) for j in range(1, n + 1)))

    def mutate(self, g: Genome, rng: random.Random) -> Genome:
        """One random change: an operation, an input, a β value (fixed β), adding or dropping a unit."""
        for _ in range(100):
            units = list(g.units)
            kinds = ["u1", "u2", "binary", "input"]
            if len(units) < self.max_units:
                kinds.append("grow")
            if len(units) > 1:
                kinds.append("shrink")
            if not self.trainable and any(u.betas for u in units):
                kinds.append("beta")
            kind = rng.choice(kinds)
            j = rng.randrange(len(units))
            u = units[j]
            if kind == "u1":
                units[j] = self._rebeta(Unit(u.binary, rng.choice(self.unary), u.u2, u.a, u.b), u, rng)
            elif kind == "u2":
                units[j] = self._rebeta(Unit(u.binary, u.u1, rng.choice(self.unary), u.a, u.b), u, rng)
            elif kind == "binary":
                units[j] = self._rebeta(Unit(rng.choice(self.binary), u.u1, u.u2, u.a, u.b), u, rng)
            elif kind == "input":
                if j == 0:
                    continue
                side = rng.choice(("a", "b"))
                new = rng.randrange(j + 1)
                a, b = (new, u.b) if side == "a" else (u.a, new)
                if j not in (a, b):  # unit j+1 (index j) must read unit j
                    continue
                units[j] = Unit(u.binary, u.u1, u.u2, a, b, u.betas)
            elif kind == "grow":
                units.append(self.random_unit(len(units) + 1, rng))
            elif kind == "shrink":
                units.pop()
            else:  # beta
                with_beta = [i for i, x in enumerate(units) if x.betas]
                i = rng.choice(with_beta)
                x = units[i]
                k = rng.randrange(len(x.betas))
                vals = list(x.betas)
                vals[k] = rng.choice([v for v in FIXED_BETAS if v != vals[k]])
                units[i] = Unit(x.binary, x.u1, x.u2, x.a, x.b, tuple(vals))
            child = Genome(tuple(units))
            if child != g:
                child.validate()
                return child
        raise RuntimeError("could not mutate the genome")  # pragma: no cover - practically unreachable

    def _rebeta(self, new: Unit, old: Unit, rng: random.Random) -> Unit:
        if new.n_betas() == len(old.betas):
            return Unit(new.binary, new.u1, new.u2, new.a, new.b, old.betas)
        return self._betas(new, rng)

    def enumerate(self) -> Iterator[Genome]:
        """Every genome with 1, then 2, … ``max_units`` units, in a fixed order (commutative
        binaries of two reads of the same input listed once). Fixed β's take the value 1."""
        for n in range(1, self.max_units + 1):
            for units in self._units(n):
                yield Genome(units)

    def _units(self, n: int) -> Iterator[tuple[Unit, ...]]:
        if n == 0:
            yield ()
            return
        for prefix in self._units(n - 1):
            j = n
            inputs = [(0, 0)] if j == 1 else [(a, b) for a in range(j) for b in range(j) if j - 1 in (a, b)]
            for (a, b), op in itertools.product(inputs, self.binary):
                for u1, u2 in itertools.product(self.unary, repeat=2):
                    if op in COMMUTATIVE and (a, u1) > (b, u2):
                        continue
                    yield (*prefix, self._betas(Unit(op, u1, u2, a, b), None))


SPACES = {
    "full": Space("full"),
    "small": Space(
        "small",
        unary=("x", "neg", "abs", "square", "beta_mul", "relu", "sigmoid", "tanh", "erf"),
        binary=("add", "mul", "max", "sigmul"),
        max_units=1,
    ),
}


def get_space(name: str, max_units: int | None = None, trainable: bool = True) -> Space:
    """A named space (``"full"`` or ``"small"``), optionally with another unit count or fixed β."""
    if name not in SPACES:
        raise ValueError(f"unknown search space {name!r}; valid: {', '.join(SPACES)}")
    s = SPACES[name]
    return Space(s.name, s.unary, s.binary, max_units or s.max_units, trainable)
