"""Translate elementwise aten graphs (``torch.fx``, from :mod:`actlab.kernels.trace`) into Triton.

Every value of a graph becomes a Triton expression (assigned to a fresh variable) or a folded
Python constant. The ops are data: :data:`OPS` maps an aten op name to its Triton template
(``{0}``, ``{1}`` the argument expressions), the kind of its result and whether its arguments
must be block tensors; the few ops with options (casts, ``add``'s ``alpha``, ``div``'s rounding
mode, ``pow``, ``clamp``, ``where``, tensor creation) have handlers. An op outside the table
raises :class:`TritonUnavailable` naming it, so the backend steps aside for that function.
``M.<fn>`` is the math library (CUDA libdevice, or a ``torch`` stand-in under the interpreter).
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass
from typing import Any

import torch
from torch import fx

from actlab.kernels.lean import BackendUnavailable


class TritonUnavailable(BackendUnavailable):
    """The triton backend cannot run here (no triton, no GPU, or an op it cannot translate)."""


class Val:
    """A translated graph value: a Triton variable (``expr``) or a Python constant (``const``)."""

    __slots__ = ("expr", "const", "kind")

    def __init__(self, expr: str | None = None, const: Any = None, kind: str = "f"):
        self.expr, self.const, self.kind = expr, const, kind  # kind: f(loat), b(ool), i(nt), s(hape)

    @property
    def is_const(self) -> bool:
        return self.expr is None and self.kind != "s"


@dataclass(frozen=True)
class Op:
    """How one aten op translates: ``template.format(*args)``.

    ``kind``: the result's kind (``"f"``, ``"b"``, ``"i"``), ``"arg"`` for the first argument's
    kind, ``"mix"`` for float if any argument is float. ``block``: arguments are written as block
    tensors (a constant broadcast to the block), as calls such as ``tl.maximum`` need.
    """

    template: str
    kind: str = "f"
    block: bool = False


_LIB_UNARY = (
    "exp log sin cos tan tanh erf erfc erfinv log1p expm1 atan asin acos sinh cosh asinh acosh "
    "atanh exp2 log2 log10 lgamma trunc floor ceil sqrt rsqrt"
).split()
_LIB_BINARY = ("atan2", "copysign", "hypot", "fmod")
_NAN = ", propagate_nan=tl.PropagateNan.ALL"

#: the op table: aten name -> translation
OPS: dict[str, Op] = {
    **{n: Op(f"M.{n}({{0}})", block=True) for n in _LIB_UNARY},
    **{n: Op(f"M.{n}({{0}}, {{1}})", block=True) for n in _LIB_BINARY},
    "neg": Op("-{0}", "arg"),
    "abs": Op("tl.abs({0})", block=True),
    "sigmoid": Op("1.0 / (1.0 + M.exp(-{0}))", block=True),
    "reciprocal": Op("1.0 / {0}"),
    "square": Op("{0} * {0}"),
    "relu": Op("tl.where({0} < 0, 0.0, {0})"),
    "sign": Op("tl.where({0} > 0, 1.0, tl.where({0} < 0, -1.0, {0}))"),
    "sgn": Op("tl.where({0} > 0, 1.0, tl.where({0} < 0, -1.0, {0}))"),
    "isnan": Op("{0} != {0}", "b"),
    "isinf": Op('tl.abs({0}) == float("inf")', "b", block=True),
    "isfinite": Op('tl.abs({0}) < float("inf")', "b", block=True),
    "logical_not": Op("{0} == 0", "b"),
    "bitwise_not": Op("{0} == 0", "b"),
    "mul": Op("{0} * {1}", "mix"),
    "remainder": Op("{0} - M.floor({0} / {1}) * {1}"),
    "maximum": Op("tl.maximum({0}, {1}" + _NAN + ")", block=True),
    "minimum": Op("tl.minimum({0}, {1}" + _NAN + ")", block=True),
    "fmax": Op("tl.maximum({0}, {1})", block=True),
    "fmin": Op("tl.minimum({0}, {1})", block=True),
    **{
        n: Op(f"{{0}} {s} {{1}}", "b")
        for n, s in dict(eq="==", ne="!=", lt="<", le="<=", gt=">", ge=">=").items()
    },
    **{
        n: Op(f"{{0}} {s} {{1}}", "b")
        for n, s in dict(
            logical_and="&", bitwise_and="&", logical_or="|", bitwise_or="|", logical_xor="^", bitwise_xor="^"
        ).items()
    },
}
#: ops that pass their first argument through (views, copies, conjugation of reals)
IDENTITY = frozenset(
    "alias detach clone lift_fresh_copy lift_fresh view reshape _unsafe_view expand contiguous "
    "alias_copy view_copy expand_copy _conj resolve_conj resolve_neg positive".split()
)
CASTS = frozenset("_to_copy to convert_element_type type_as _to_dtype".split())
CREATE = frozenset(
    "scalar_tensor full full_like zeros_like ones_like new_full new_zeros new_ones zeros ones".split()
)
#: integer powers written as products
POWERS = {
    1.0: "{0}",
    2.0: "{0} * {0}",
    3.0: "{0} * {0} * {0}",
    4.0: "({0} * {0}) * ({0} * {0})",
    -1.0: "1.0 / {0}",
    -2.0: "1.0 / ({0} * {0})",
    0.5: "M.sqrt({0})",
    -0.5: "M.rsqrt({0})",
    0.0: "ZERO + 1.0",
}


class Translator:
    """Translate elementwise aten graphs into Triton statements (``self.lines``).

    ``ct`` is the compute dtype (``torch.float32`` or ``torch.float64``). Constants are folded
    and inlined; in-place ops are their functional twins (the graph is rebound in SSA form).
    """

    def __init__(self, ct: torch.dtype):
        self.ct = ct
        self.tl_ct = "tl.float64" if ct == torch.float64 else "tl.float32"
        self.lines: list[str] = []
        self._n = 0
        self._special = {
            "round": self._round,
            "add": self._addsub,
            "sub": self._addsub,
            "rsub": self._addsub,
            "div": self._div,
            "true_divide": self._div,
            "pow": self._pow,
            "clamp": self._clamp,
            "clamp_min": self._clamp,
            "clamp_max": self._clamp,
            "where": self._where,
            "masked_fill": self._masked_fill,
            "copy": lambda name, a, kw: a[1],
        }

    # -- literals and expressions
    def lit(self, c: Any) -> str:
        if isinstance(c, bool):
            return "True" if c else "False"
        if isinstance(c, int):
            return repr(c)
        c = float(c)
        if math.isnan(c):
            return 'float("nan")'
        if math.isinf(c):
            return 'float("inf")' if c > 0 else '(-float("inf"))'
        if self.ct == torch.float64 and float(torch.tensor(c, dtype=torch.float32)) != c:
            return f"tl.full([1], {c!r}, tl.float64)"  # a literal would be rounded to fp32
        return repr(c)

    def e(self, v: Val) -> str:
        if v.kind == "s":
            raise TritonUnavailable("a shape value is used as data")
        return v.expr if v.expr is not None else self.lit(v.const)

    def t(self, v: Val) -> str:
        """Expression that is a block tensor (constants broadcast to ZERO's shape)."""
        return self.e(v) if v.expr is not None else f"(ZERO + {self.lit(v.const)})"

    def assign(self, expr: str, kind: str) -> Val:
        name = f"v{self._n}"
        self._n += 1
        self.lines.append(f"{name} = {expr}")
        return Val(expr=name, kind=kind)

    def output(self, v: Val) -> str:
        """An expression of the block shape for output value ``v``."""
        if v.is_const:
            if v.kind == "b":
                return "(ZERO == ZERO)" if v.const else "(ZERO != ZERO)"
            return f"(ZERO + {self.lit(v.const)})"
        return self.e(v)

    # -- graphs
    def graph(self, gm: fx.GraphModule, inputs: list[Val]) -> list[Val]:
        env: dict[fx.Node, Any] = {}
        ins = iter(inputs)
        outs: list[Val] = []
        for node in gm.graph.nodes:
            if node.op == "placeholder":
                env[node] = next(ins)
            elif node.op == "get_attr":
                val = getattr(gm, node.target)
                if not isinstance(val, torch.Tensor) or val.numel() != 1:
                    raise TritonUnavailable(f"non-scalar constant {node.target!r} in the graph")
                env[node] = Val(const=val.item(), kind="b" if val.dtype == torch.bool else "f")
            elif node.op == "call_function":
                args = fx.node.map_arg(node.args, lambda n: env[n])
                kwargs = fx.node.map_arg(node.kwargs, lambda n: env[n])
                env[node] = self.call(node.target, list(args), dict(kwargs))
                if _inplace(node.target) and isinstance(node.args[0], fx.Node):
                    env[node.args[0]] = env[node]  # later uses of the mutated input see the result
            elif node.op == "output":
                res = node.args[0]
                res = res if isinstance(res, (tuple, list)) else (res,)
                outs = [env[r] if isinstance(r, fx.Node) else Val(const=r) for r in res]
            else:
                raise TritonUnavailable(f"unsupported graph node {node.op}")
        return outs

    def call(self, target: Any, args: list, kw: dict) -> Val:
        if not isinstance(target, torch._ops.OpOverload):
            # symbolic-shape arithmetic (operator.mul on SymInts, sym_size, ...)
            if target in (operator.getitem,):
                raise TritonUnavailable("multi-output op in the graph")
            return Val(kind="s")
        name = target.overloadpacket.__name__
        if _inplace(target):
            name = name[:-1]  # SSA: an in-place op is its functional twin (graph() rebinds the input)
        if name.startswith("sym_"):
            return Val(kind="s")
        if name in CREATE:
            return self._create(name, args, kw)
        args = [_num(a) for a in args]
        vals = [a for a in [*args, *kw.values()] if isinstance(a, Val)]
        if vals and all(v.is_const for v in vals if v.kind != "s") and name not in CASTS:
            folded = self._fold(target, args, kw)
            if folded is not None:
                return folded
        return self.emit(name, args, kw)

    def emit(self, name: str, a: list, kw: dict) -> Val:
        """Translate one op (after constant folding) through the table or its handler."""
        if name in IDENTITY:
            return a[0]
        if name in CASTS:
            return self._cast(a, kw)
        op = OPS.get(name)
        if op is not None:
            fmt = self.t if op.block else self.e
            vals = [_as_val(x) for x in a if isinstance(x, (Val, float, int))]
            kind = op.kind
            if kind == "arg":
                kind = vals[0].kind
            elif kind == "mix":
                kind = "f" if "f" in (v.kind for v in vals) else vals[0].kind
            return self.assign(op.template.format(*[fmt(v) for v in vals]), kind)
        handler = self._special.get(name)
        if handler is not None:
            return handler(name, a, kw)
        raise TritonUnavailable(f"aten.{name} has no Triton translation")

    # -- handlers of ops with options
    def _create(self, name: str, args: list, kw: dict) -> Val:
        if name in ("zeros_like", "new_zeros", "zeros"):
            value = 0
        elif name in ("ones_like", "new_ones", "ones"):
            value = 1
        elif name == "scalar_tensor":
            value = args[0]
        elif name in ("full", "full_like"):
            value = args[1]
        else:  # new_full(self, size, value)
            value = args[2]
        if isinstance(value, Val):
            if not value.is_const:
                raise TritonUnavailable(f"{name} with a non-constant value")
            value = value.const
        dtype = kw.get("dtype")
        if dtype == torch.bool:
            return Val(const=bool(value), kind="b")
        if dtype is not None and not dtype.is_floating_point:
            return Val(const=int(value), kind="i")
        return Val(const=float(value), kind="f")

    def _fold(self, target: Any, args: list, kw: dict) -> Val | None:
        def conv(a: Any) -> Any:
            if isinstance(a, Val):
                if a.kind == "s":
                    raise ValueError
                if a.kind == "b":
                    return torch.tensor(bool(a.const))
                return torch.tensor(a.const, dtype=self.ct if a.kind == "f" else torch.int64)
            return a

        try:
            out = target(*[conv(a) for a in args], **{k: conv(v) for k, v in kw.items()})
        except Exception:  # not foldable here: emit it
            return None
        if not isinstance(out, torch.Tensor) or out.numel() != 1:
            return None
        kind = "b" if out.dtype == torch.bool else ("f" if out.dtype.is_floating_point else "i")
        return Val(const=out.item(), kind=kind)

    def _cast(self, a: list, kw: dict) -> Val:
        dtype = kw.get("dtype", a[1] if len(a) > 1 and isinstance(a[1], torch.dtype) else None)
        src = a[0]
        if dtype is None or dtype.is_floating_point:
            if src.kind == "f":
                return src
            if src.is_const:
                return Val(const=float(src.const), kind="f")
            return self.assign(f"{self.e(src)}.to({self.tl_ct})", "f")
        if dtype == torch.bool:
            return src if src.kind == "b" else self.assign(f"({self.e(src)} != 0)", "b")
        return self.assign(f"{self.e(src)}.to(tl.int32)", "i")

    def _round(self, name: str, a: list, kw: dict) -> Val:
        if kw.get("decimals", 0) != 0:
            raise TritonUnavailable("round with decimals")
        return self.assign(f"M.rint({self.t(a[0])})", "f")

    def _addsub(self, name: str, a: list, kw: dict) -> Val:
        alpha = kw.get("alpha", a[2] if len(a) > 2 else 1)
        alpha = alpha.const if isinstance(alpha, Val) else alpha
        x, y = (a[1], a[0]) if name == "rsub" else (a[0], a[1])
        ye = self.e(y) if alpha == 1 else f"({self.lit(alpha)} * {self.e(y)})"
        op = "+" if name == "add" else "-"
        return self.assign(f"{self.e(x)} {op} {ye}", _kind(x, y))

    def _div(self, name: str, a: list, kw: dict) -> Val:
        mode = kw.get("rounding_mode")
        q = f"{self.e(a[0])} / {self.e(a[1])}"
        if mode is None:
            return self.assign(q, "f")
        return self.assign(f"M.{'trunc' if mode == 'trunc' else 'floor'}({q})", "f")

    def _pow(self, name: str, a: list, kw: dict) -> Val:
        base, ex = _as_val(a[0]), _as_val(a[1])
        if ex.is_const and not base.is_const and float(ex.const) in POWERS:
            return self.assign(POWERS[float(ex.const)].format(self.e(base)), "f")
        return self.assign(f"M.pow({self.t(base)}, {self.t(ex)})", "f")

    def _clamp(self, name: str, a: list, kw: dict) -> Val:
        lo = a[1] if name != "clamp_max" else None
        hi = a[2] if name == "clamp" and len(a) > 2 else (a[1] if name == "clamp_max" else None)
        lo, hi = kw.get("min", lo), kw.get("max", hi)
        v = a[0]
        for bound, fn in ((lo, "tl.maximum"), (hi, "tl.minimum")):
            if bound is not None and not (isinstance(bound, Val) and bound.is_const and bound.const is None):
                v = self.assign(f"{fn}({self.t(v)}, {self.t(_as_val(bound))}{_NAN})", "f")
        return v

    def _where(self, name: str, a: list, kw: dict) -> Val:
        c, x, y = a
        if c.is_const:
            return x if c.const else y
        return self.assign(f"tl.where({self.e(c)}, {self.e(x)}, {self.e(y)})", _kind(x, y))

    def _masked_fill(self, name: str, a: list, kw: dict) -> Val:
        x, msk, v = a[0], a[1], _as_val(a[2])
        return self.assign(f"tl.where({self.e(msk)}, {self.e(v)}, {self.e(x)})", x.kind)


def _inplace(target: Any) -> bool:
    if not isinstance(target, torch._ops.OpOverload):
        return False
    name = target.overloadpacket.__name__
    return name.endswith("_") and not name.endswith("__") and not name.startswith("_")


def _num(a: Any) -> Any:
    """Python numbers among an op's positional arguments become constant values."""
    if isinstance(a, bool):
        return Val(const=a, kind="b")
    if isinstance(a, int):
        return Val(const=a, kind="i")
    if isinstance(a, float):
        return Val(const=a, kind="f")
    return a


def _as_val(v: Any) -> Val:
    return v if isinstance(v, Val) else Val(const=v, kind="f")


def _kind(x: Val, y: Val) -> str:
    return "f" if "f" in (x.kind, y.kind) else x.kind
