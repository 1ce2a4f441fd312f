"""The expression language of ``actlab search``: parse, print (text and LaTeX), compile.

An activation is an expression in one variable ``x``, numeric constants and named trainable
parameters (``beta``, ``beta1``, ``alpha``, …), built from the primitives below. The search
space of Ramachandran, Zoph & Le, "Searching for Activation Functions" (arXiv 1710.05941) —
core units ``binary(unary(x1), unary(x2))`` — is written with these primitives (see
:mod:`actlab.search.space`); the same language also reads hand-written formulas such as
``x/(1 + exp(-x))`` or ``0.5*x*(1 + erf(x/sqrt(2)))``.

Syntax (usual precedence: ``^`` > unary ``-`` > ``* /`` > ``+ -``; ``* / + -`` associate left)::

    x, 2, 0.5, 1e-06, pi                     variable and constants
    beta, beta1, alpha, gamma2, ...          trainable parameters (initial value 1 unless given)
    -a   a + b   a - b   a*b   a/b           neg, add, sub, mul, protected div
    a^2  a^3                                 square, cube (only these exponents)
    max(a, b)  min(a, b)                     binary max / min
    abs sqrt log exp sin cos sinh cosh tanh atan sigmoid softplus erf sinc asinh   (unary calls)
    EXPR; beta=0.5, alpha=2                  initial values of the parameters

Protected operations (stated semantics, the same in every backend):

- ``a/b`` = a / b̃ with b̃ = b where |b| ≥ 1e-6, otherwise sign(b)·1e-6 (sign(0) = +1);
- ``log(a)`` = log(max(|a|, 1e-30)) (the search paper's ``log|x|``);
- ``sqrt(a)`` = √max(|a|, 1e-30);
- ``sinc(a)`` = sin(a)/a with sinc(0) = 1 (unnormalised);
- ``softplus(a)`` = log(1 + eᵃ) computed stably; everything else is the plain function
  (``exp``, ``sinh``, ``cosh`` may overflow to inf; the search rejects such candidates).

``parse(print(e)) == e`` for every expression ``e`` (structurally), and printing is canonical:
``str(parse(s))`` is a fixed point of ``str ∘ parse``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import torch

Tensor = torch.Tensor

__all__ = [
    "BINARY",
    "UNARY",
    "Binary",
    "Const",
    "Expression",
    "ExpressionSyntaxError",
    "Node",
    "Param",
    "Unary",
    "Var",
    "const",
    "parse",
]

DIV_EPS = 1e-6
LOG_EPS = 1e-30


class ExpressionSyntaxError(ValueError):
    """A string that is not a valid expression (the message points at the position)."""


# ------------------------------------------------------------------------------------------ nodes


@dataclass(frozen=True)
class Node:
    """Base class of expression nodes (immutable, hashable, compared structurally)."""


@dataclass(frozen=True)
class Var(Node):
    """The input ``x``."""


@dataclass(frozen=True)
class Const(Node):
    """A finite, non-negative constant (negative constants are ``Unary('neg', Const(v))``)."""

    value: float

    def __post_init__(self) -> None:
        v = float(self.value)
        if not math.isfinite(v) or v < 0 or (v == 0 and math.copysign(1.0, v) < 0):
            raise ValueError(f"Const holds a finite non-negative number, got {self.value!r}")
        object.__setattr__(self, "value", v)


@dataclass(frozen=True)
class Param(Node):
    """A named parameter (trainable in the search); its initial value lives in the Expression."""

    name: str

    def __post_init__(self) -> None:
        if not PARAM_RE.fullmatch(self.name):
            raise ValueError(f"parameter names look like beta, beta1, alpha_2; got {self.name!r}")


@dataclass(frozen=True)
class Unary(Node):
    op: str
    arg: Node

    def __post_init__(self) -> None:
        if self.op not in UNARY:
            raise ValueError(f"unknown unary operation {self.op!r}; one of {', '.join(UNARY)}")


@dataclass(frozen=True)
class Binary(Node):
    op: str
    left: Node
    right: Node

    def __post_init__(self) -> None:
        if self.op not in BINARY:
            raise ValueError(f"unknown binary operation {self.op!r}; one of {', '.join(BINARY)}")


X = Var()


def const(v: float) -> Node:
    """A constant node for any finite ``v`` (negative values become ``neg(Const(|v|))``)."""
    v = float(v)
    if v < 0:
        return Unary("neg", Const(-v))
    return Const(abs(v))  # abs: -0.0 → 0.0


# ------------------------------------------------------------------------------------ operations


def _div(a: Tensor, b: Tensor) -> Tensor:
    eps = torch.tensor(DIV_EPS, dtype=b.dtype, device=b.device)
    safe = torch.where(b.abs() < eps, torch.where(b < 0, -eps, eps), b)
    return a / safe


def _log(a: Tensor) -> Tensor:
    return torch.log(a.abs().clamp_min(LOG_EPS))


def _sqrt(a: Tensor) -> Tensor:
    return torch.sqrt(a.abs().clamp_min(LOG_EPS))


def _sinc(a: Tensor) -> Tensor:
    return torch.sinc(a / math.pi)


def _softplus(a: Tensor) -> Tensor:
    return torch.logaddexp(a, torch.zeros((), dtype=a.dtype, device=a.device))


@dataclass(frozen=True)
class Op:
    """One primitive: its torch function, LaTeX command and a plain-text description."""

    fn: Callable[..., Tensor]
    latex: str
    doc: str


UNARY: dict[str, Op] = {
    "neg": Op(torch.neg, "-", "-a"),
    "abs": Op(torch.abs, "abs", "|a|"),
    "square": Op(torch.square, "^2", "a^2"),
    "cube": Op(lambda a: a * a * a, "^3", "a^3"),
    "sqrt": Op(_sqrt, r"\sqrt", "sqrt(max(|a|, 1e-30))"),
    "log": Op(_log, r"\log", "log(max(|a|, 1e-30))"),
    "exp": Op(torch.exp, r"\exp", "e^a"),
    "sin": Op(torch.sin, r"\sin", "sin a"),
    "cos": Op(torch.cos, r"\cos", "cos a"),
    "sinh": Op(torch.sinh, r"\sinh", "sinh a"),
    "cosh": Op(torch.cosh, r"\cosh", "cosh a"),
    "tanh": Op(torch.tanh, r"\tanh", "tanh a"),
    "atan": Op(torch.atan, r"\arctan", "arctan a"),
    "sigmoid": Op(torch.sigmoid, r"\sigma", "1/(1+e^-a)"),
    "softplus": Op(_softplus, r"\operatorname{softplus}", "log(1+e^a)"),
    "erf": Op(torch.erf, r"\operatorname{erf}", "erf a"),
    "sinc": Op(_sinc, r"\operatorname{sinc}", "sin(a)/a, 1 at 0"),
    "asinh": Op(torch.asinh, r"\operatorname{asinh}", "asinh a"),
}

BINARY: dict[str, Op] = {
    "add": Op(torch.add, "+", "a + b"),
    "sub": Op(torch.sub, "-", "a - b"),
    "mul": Op(torch.mul, r"\cdot", "a * b"),
    "div": Op(_div, r"\frac", "a / b (|b| >= 1e-6 enforced)"),
    "max": Op(torch.maximum, r"\max", "max(a, b)"),
    "min": Op(torch.minimum, r"\min", "min(a, b)"),
}

# names accepted by the parser for unary calls (beside the canonical ones)
_UNARY_ALIASES = {"arctan": "atan", "arcsinh": "asinh", "square": "square", "cube": "cube"}
_CALLABLE_UNARY = {n for n in UNARY if n not in ("neg", "square", "cube")}
_GREEK = "alpha|beta|gamma|delta|epsilon|eta|kappa|lambda|mu|nu|rho|tau|theta|omega"
PARAM_RE = re.compile(rf"(?:{_GREEK})(?:_?\d+)?")
_GREEK_TEX = {
    "epsilon": r"\varepsilon",
    "lambda": r"\lambda",
}

# precedence of a node when printed
_PREC_ADD, _PREC_MUL, _PREC_NEG, _PREC_POW, _PREC_ATOM = 1, 2, 3, 4, 5


def _prec(n: Node) -> int:
    if isinstance(n, Binary):
        return {"add": _PREC_ADD, "sub": _PREC_ADD, "mul": _PREC_MUL, "div": _PREC_MUL}.get(n.op, _PREC_ATOM)
    if isinstance(n, Unary):
        if n.op == "neg":
            return _PREC_NEG
        if n.op in ("square", "cube"):
            return _PREC_POW
    return _PREC_ATOM


# ------------------------------------------------------------------------------------- printing


def _num(v: float) -> str:
    if v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return repr(v)


def to_text(n: Node) -> str:
    """Canonical text of a node (minimal parentheses, see the module docstring)."""
    if isinstance(n, Var):
        return "x"
    if isinstance(n, Const):
        return _num(n.value)
    if isinstance(n, Param):
        return n.name
    if isinstance(n, Unary):
        if n.op == "neg":
            inner = to_text(n.arg)
            # "--x" would read as one token in some languages; a space keeps it legible
            sep = " " if inner.startswith("-") else ""
            return "-" + sep + _wrap(n.arg, _PREC_NEG, inner)
        if n.op in ("square", "cube"):
            # the base of a power is an atom: (a^2)^2, (-x)^2
            return _wrap(n.arg, _PREC_POW + 1, to_text(n.arg)) + ("^2" if n.op == "square" else "^3")
        return f"{n.op}({to_text(n.arg)})"
    if isinstance(n, Binary):
        if n.op in ("max", "min"):
            return f"{n.op}({to_text(n.left)}, {to_text(n.right)})"
        p = _prec(n)
        left = _wrap(n.left, p, to_text(n.left))
        right = _wrap(n.right, p + 1, to_text(n.right))
        sym = {"add": " + ", "sub": " - ", "mul": "*", "div": "/"}[n.op]
        return left + sym + right
    raise TypeError(f"not an expression node: {n!r}")


def _wrap(child: Node, need: int, text: str) -> str:
    return f"({text})" if _prec(child) < need else text


def _param_tex(name: str) -> str:
    m = re.fullmatch(r"([a-z]+)_?(\d*)", name)
    assert m is not None
    base = _GREEK_TEX.get(m.group(1), "\\" + m.group(1))
    return base + (f"_{{{m.group(2)}}}" if m.group(2) else "")


def to_latex(n: Node) -> str:
    """LaTeX of a node (``\\frac`` for division, ``\\sigma`` for the logistic sigmoid)."""
    if isinstance(n, Var):
        return "x"
    if isinstance(n, Const):
        return r"\pi" if n.value == math.pi else _num(n.value)
    if isinstance(n, Param):
        return _param_tex(n.name)
    if isinstance(n, Unary):
        a = to_latex(n.arg)
        if n.op == "neg":
            return "-" + (rf"\left({a}\right)" if _prec(n.arg) < _PREC_NEG else a)
        if n.op in ("square", "cube"):
            base = rf"\left({a}\right)" if _prec(n.arg) <= _PREC_POW else a
            return f"{{{base}}}^{{{2 if n.op == 'square' else 3}}}"
        if n.op == "abs":
            return rf"\left|{a}\right|"
        if n.op == "sqrt":
            return rf"\sqrt{{\left|{a}\right|}}"
        if n.op == "log":
            return rf"\log\left|{a}\right|"
        return rf"{UNARY[n.op].latex}\left({a}\right)"
    if isinstance(n, Binary):
        a, b = to_latex(n.left), to_latex(n.right)
        if n.op == "div":
            return rf"\frac{{{a}}}{{{b}}}"
        if n.op in ("max", "min"):
            return rf"\{n.op}\left({a}, {b}\right)"
        p = _prec(n)
        if _prec(n.left) < p:
            a = rf"\left({a}\right)"
        if _prec(n.right) < p + 1 and not (
            n.op == "mul" and isinstance(n.right, Binary) and n.right.op == "div"
        ):
            b = rf"\left({b}\right)"
        sym = {"add": " + ", "sub": " - ", "mul": r" \cdot "}[n.op]
        return a + sym + b
    raise TypeError(f"not an expression node: {n!r}")


# -------------------------------------------------------------------------------------- parsing

_TOKEN_RE = re.compile(
    r"\s*(?:(?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|(?P<name>[A-Za-z_][A-Za-z_0-9]*)"
    r"|(?P<op>[-+*/^(),]))"
)


def _tokenize(text: str) -> list[tuple[str, str, int]]:
    out, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN_RE.match(text, pos)
        if m is None or m.end() == pos:
            raise ExpressionSyntaxError(
                f"unexpected character {text[pos:].lstrip()[:1]!r} at {pos} in {text!r}"
            )
        kind = m.lastgroup
        assert kind is not None
        out.append((kind, m.group(kind), m.start(kind)))
        pos = m.end()
    out.append(("end", "", len(text)))
    return out


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.toks = _tokenize(text)
        self.i = 0

    def peek(self) -> tuple[str, str, int]:
        return self.toks[self.i]

    def next(self) -> tuple[str, str, int]:
        t = self.toks[self.i]
        self.i += 1
        return t

    def error(self, msg: str) -> ExpressionSyntaxError:
        pos = self.peek()[2]
        return ExpressionSyntaxError(f"{msg} at position {pos} in {self.text!r}")

    def expect(self, value: str) -> None:
        if self.peek()[1] != value:
            raise self.error(f"expected {value!r}")
        self.next()

    def parse(self) -> Node:
        n = self.expr()
        if self.peek()[0] != "end":
            raise self.error(f"unexpected {self.peek()[1]!r}")
        return n

    def expr(self) -> Node:
        n = self.term()
        while self.peek()[1] in ("+", "-"):
            op = "add" if self.next()[1] == "+" else "sub"
            n = Binary(op, n, self.term())
        return n

    def term(self) -> Node:
        n = self.unary()
        while self.peek()[1] in ("*", "/"):
            op = "mul" if self.next()[1] == "*" else "div"
            n = Binary(op, n, self.unary())
        return n

    def unary(self) -> Node:
        if self.peek()[1] == "-":
            self.next()
            return Unary("neg", self.unary())
        if self.peek()[1] == "+":
            raise self.error("unary '+' is not part of the language")
        return self.power()

    def power(self) -> Node:
        n = self.atom()
        while self.peek()[1] == "^":
            self.next()
            kind, val, _ = self.peek()
            if kind != "num" or val not in ("2", "3"):
                raise self.error("only the exponents 2 and 3 are supported (write square(square(a)) for a^4)")
            self.next()
            n = Unary("square" if val == "2" else "cube", n)
        return n

    def atom(self) -> Node:
        kind, val, _ = self.peek()
        if kind == "num":
            self.next()
            return Const(float(val))
        if val == "(":
            self.next()
            n = self.expr()
            self.expect(")")
            return n
        if kind == "name":
            self.next()
            if self.peek()[1] == "(":
                return self.call(val)
            if val == "x":
                return X
            if val == "pi":
                return Const(math.pi)
            if PARAM_RE.fullmatch(val):
                return Param(val)
            raise ExpressionSyntaxError(
                f"unknown name {val!r} in {self.text!r} (the variable is x; parameters are named like "
                "beta, beta1, alpha; functions need parentheses)"
            )
        raise self.error("expected a number, x, a parameter, a function call or '('")

    def call(self, name: str) -> Node:
        self.expect("(")
        first = self.expr()
        if name in ("max", "min"):
            self.expect(",")
            second = self.expr()
            self.expect(")")
            return Binary(name, first, second)
        op = _UNARY_ALIASES.get(name, name)
        if op not in _CALLABLE_UNARY and op not in ("square", "cube"):
            known = ", ".join(sorted(_CALLABLE_UNARY | {"max", "min", "square", "cube"}))
            raise ExpressionSyntaxError(f"unknown function {name!r} in {self.text!r}; known: {known}")
        self.expect(")")
        return Unary(op, first)


def parse_node(text: str) -> Node:
    """Parse the expression part of ``text`` (no parameter values) into a node."""
    if not isinstance(text, str) or not text.strip():
        raise ExpressionSyntaxError(f"empty expression {text!r}")
    return _Parser(text).parse()


def parse(text: str | Expression) -> Expression:
    """Parse ``"EXPR"`` or ``"EXPR; beta=0.5, gamma=2"`` into an :class:`Expression`."""
    if isinstance(text, Expression):
        return text
    if not isinstance(text, str):
        raise TypeError(f"expected an expression string, got {type(text).__name__}")
    body, sep, tail = text.partition(";")
    root = parse_node(body)
    values: dict[str, float] = {}
    if sep and tail.strip():
        for item in tail.split(","):
            k, eq, v = item.partition("=")
            k = k.strip()
            if not eq or not PARAM_RE.fullmatch(k):
                raise ExpressionSyntaxError(
                    f"expected 'name=value' after ';', got {item.strip()!r} in {text!r}"
                )
            try:
                values[k] = float(v)
            except ValueError:
                raise ExpressionSyntaxError(f"value of {k!r} must be a number in {text!r}") from None
    try:
        return Expression(root, values)
    except ValueError as e:
        raise ExpressionSyntaxError(f"{e} in {text!r}") from None


# ----------------------------------------------------------------------------------- expression


def walk(n: Node) -> Iterator[Node]:
    """Every node of the tree, parents before children."""
    yield n
    if isinstance(n, Unary):
        yield from walk(n.arg)
    elif isinstance(n, Binary):
        yield from walk(n.left)
        yield from walk(n.right)


class Expression:
    """An activation expression: a node tree plus initial values of its named parameters.

    ``str(e)`` is the canonical text (with ``; name=value`` for initial values other than 1),
    ``e.latex()`` the LaTeX, ``e.fn`` the compiled function ``fn(x, **params) -> Tensor``.
    Expressions compare and hash by structure and parameter values.
    """

    __slots__ = ("_fn", "params", "root")

    def __init__(self, root: Node, params: dict[str, float] | None = None):
        if not isinstance(root, Node):
            raise TypeError(f"root must be an expression node, got {type(root).__name__}")
        self.root = root
        names = self.param_names
        params = dict(params or {})
        extra = sorted(set(params) - set(names))
        if extra:
            raise ValueError(f"values given for parameters not in the expression: {', '.join(extra)}")
        vals = {}
        for k in names:
            v = float(params.get(k, 1.0))
            if not math.isfinite(v):
                raise ValueError(f"parameter {k!r} must be finite, got {v}")
            vals[k] = v
        self.params: dict[str, float] = vals
        self._fn: Callable[..., Tensor] | None = None

    @property
    def param_names(self) -> tuple[str, ...]:
        """Parameter names in order of first appearance."""
        seen: dict[str, None] = {}
        for n in walk(self.root):
            if isinstance(n, Param):
                seen.setdefault(n.name, None)
        return tuple(seen)

    @property
    def text(self) -> str:
        """The formula without parameter values."""
        return to_text(self.root)

    def __str__(self) -> str:
        extra = {k: v for k, v in sorted(self.params.items()) if v != 1.0}
        if not extra:
            return self.text
        return self.text + "; " + ", ".join(f"{k}={v!r}" for k, v in extra.items())

    def __repr__(self) -> str:
        return f"Expression({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Expression) and self.root == other.root and self.params == other.params

    def __hash__(self) -> int:
        return hash((self.root, tuple(sorted(self.params.items()))))

    def latex(self) -> str:
        return to_latex(self.root)

    def size(self) -> int:
        """Number of nodes."""
        return sum(1 for _ in walk(self.root))

    @property
    def fn(self) -> Callable[..., Tensor]:
        """``fn(x, **params)``: the expression as a torch function (missing params → initial values)."""
        if self._fn is None:
            self._fn = compile_expression(self)
        return self._fn

    def __call__(self, x: Tensor, **params: Any) -> Tensor:
        return self.fn(x, **params)


def compile_expression(e: Expression) -> Callable[..., Tensor]:
    """Compile ``e`` into ``fn(x, **params)`` built from torch operations (autograd-friendly)."""
    body = _compile(e.root)
    defaults = dict(e.params)
    names = set(defaults)

    def fn(x: Tensor, **params: Any) -> Tensor:
        unknown = set(params) - names
        if unknown:
            raise TypeError(f"unexpected parameter(s) {sorted(unknown)}; expression has {sorted(names)}")
        env = {**defaults, **params}
        y = body(x, env)
        if y.shape != x.shape:  # an expression without x (constant) still returns x's shape
            y = y + torch.zeros_like(x)
        return y

    fn.__doc__ = f"f(x) = {to_text(e.root)}"
    return fn


def _compile(n: Node) -> Callable[[Tensor, dict], Tensor]:
    if isinstance(n, Var):
        return lambda x, env: x
    if isinstance(n, Const):
        v = n.value
        return lambda x, env: torch.tensor(v, dtype=x.dtype, device=x.device)
    if isinstance(n, Param):
        name = n.name

        def param(x: Tensor, env: dict) -> Tensor:
            p = env[name]
            if isinstance(p, Tensor):
                return p.to(dtype=x.dtype).reshape(-1)[0] if p.numel() == 1 else p.to(dtype=x.dtype)
            return torch.tensor(float(p), dtype=x.dtype, device=x.device)

        return param
    if isinstance(n, Unary):
        f, a = UNARY[n.op].fn, _compile(n.arg)
        return lambda x, env: f(a(x, env))
    if isinstance(n, Binary):
        f, a, b = BINARY[n.op].fn, _compile(n.left), _compile(n.right)
        return lambda x, env: f(a(x, env), b(x, env))
    raise TypeError(f"not an expression node: {n!r}")
