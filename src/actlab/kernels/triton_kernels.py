"""The ``triton`` backend: Triton kernels generated from each activation's definition.

Nothing here is written per activation. The derived PyTorch functions of
:mod:`actlab.kernels.lean` (forward ``f``, backward ``(x, dy) -> dx``, the two-valued-derivative
mask) are traced to aten graphs (:mod:`actlab.kernels.trace`); :class:`Translator` turns each
graph into a few lines of Triton, which are pasted into one of six kernel templates:

- ``fwd``: ``y = f(x)``;  ``bwd``: ``dx = vjp(x, dy)``;
- ``fwd_mask``: ``y = f(x)`` and the 1-bit-per-element packed mask of ``f'`` in the same pass;
  ``bwd_mask``: ``dx = dy * (v1 if bit else v0)`` from the packed mask;
- ``glu_fwd``: ``o = g(a) * u(b)``; ``glu_bwd``: both gradients of a GLU in one pass.

Loads and stores use the tensors' own dtype; all math runs in fp32 (fp64 for fp64 inputs).
Blocks are large (4096 elements by default) and contiguous, so loads and stores are vectorised.
Transcendental functions use CUDA's libdevice on the GPU. Under ``TRITON_INTERPRET=1`` the
kernels run on CPU tensors in Triton's interpreter (for tests); libdevice then maps to the
same-named ``torch`` functions.
"""

from __future__ import annotations

import hashlib
import linecache
import math
import operator
import os
from typing import Any

import torch
from torch import fx

from actlab.catalog.spec import ActivationSpec
from actlab.kernels.glu import GLUKernels
from actlab.kernels.lean import (
    BackendUnavailable,
    Kernels,
    backward_fn,
    forward_fn,
    mask_fn,
    mask_values,
    packed_size,
)
from actlab.kernels.trace import examples, trace

Tensor = torch.Tensor

#: launch configuration on the GPU: elements per program and warps per program
CONFIG: dict[str, int] = {"block": 4096, "warps": 8, "glu_block": 2048, "glu_warps": 8}
#: elements per program under the interpreter (fewer, larger numpy steps)
INTERPRET_BLOCK = 1024


class TritonUnavailable(BackendUnavailable):
    """The triton backend cannot run here (no triton, no GPU, or an op it cannot translate)."""


def interpret_mode() -> bool:
    """Whether Triton runs in its CPU interpreter (``TRITON_INTERPRET=1``)."""
    return os.environ.get("TRITON_INTERPRET", "0") not in ("", "0")


def unavailable_reason(device: torch.device | str) -> str | None:
    """``None`` if Triton kernels can run on ``device``, else why not."""
    device = torch.device(device)
    try:
        import triton  # noqa: F401
    except ImportError:
        return "triton is not installed (pip install triton)"
    if device.type == "cuda":
        return None if torch.cuda.is_available() else "CUDA is not available"
    if device.type == "cpu" and interpret_mode():
        return None
    return (
        f"triton kernels need a CUDA tensor, got a {device.type} tensor "
        "(set TRITON_INTERPRET=1 before the first kernel is built to run them slowly on the CPU "
        "through Triton's interpreter)"
    )


# ----------------------------------------------------------------------------- translation


class _Val:
    """A translated graph value: a Triton variable (``expr``) or a Python constant (``const``)."""

    __slots__ = ("expr", "const", "kind")

    def __init__(self, expr: str | None = None, const: Any = None, kind: str = "f"):
        self.expr, self.const, self.kind = expr, const, kind  # kind: f(loat), b(ool), i(nt), s(hape)

    @property
    def is_const(self) -> bool:
        return self.expr is None and self.kind != "s"


_LIB_UNARY = {
    "exp",
    "log",
    "sin",
    "cos",
    "tan",
    "tanh",
    "erf",
    "erfc",
    "erfinv",
    "log1p",
    "expm1",
    "atan",
    "asin",
    "acos",
    "sinh",
    "cosh",
    "asinh",
    "acosh",
    "atanh",
    "exp2",
    "log2",
    "log10",
    "lgamma",
    "trunc",
    "floor",
    "ceil",
    "sqrt",
    "rsqrt",
}
_LIB_BINARY = {"atan2": "atan2", "copysign": "copysign", "hypot": "hypot", "fmod": "fmod"}
_IDENTITY = {
    "alias",
    "detach",
    "clone",
    "lift_fresh_copy",
    "lift_fresh",
    "view",
    "reshape",
    "_unsafe_view",
    "expand",
    "contiguous",
    "alias_copy",
    "view_copy",
    "expand_copy",
    "_conj",
    "resolve_conj",
    "resolve_neg",
    "positive",
}
_CASTS = {"_to_copy", "to", "convert_element_type", "type_as", "_to_dtype"}
_CMP = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}
_BOOL = {
    "logical_and": "&",
    "bitwise_and": "&",
    "logical_or": "|",
    "bitwise_or": "|",
    "logical_xor": "^",
    "bitwise_xor": "^",
}
_CREATE = {
    "scalar_tensor",
    "full",
    "full_like",
    "zeros_like",
    "ones_like",
    "new_full",
    "new_zeros",
    "new_ones",
    "zeros",
    "ones",
}


class Translator:
    """Translate elementwise aten graphs into Triton statements.

    ``ct`` is the compute dtype (``torch.float32`` or ``torch.float64``). Each traced graph
    becomes a list of assignments; constants are folded and inlined.
    """

    def __init__(self, ct: torch.dtype):
        self.ct = ct
        self.tl_ct = "tl.float64" if ct == torch.float64 else "tl.float32"
        self.lines: list[str] = []
        self._n = 0

    # -- literals
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

    def e(self, v: _Val) -> str:
        if v.kind == "s":
            raise TritonUnavailable("a shape value is used as data")
        return v.expr if v.expr is not None else self.lit(v.const)

    def t(self, v: _Val) -> str:
        """Expression that is a block tensor (constants broadcast to ZERO's shape)."""
        return self.e(v) if v.expr is not None else f"(ZERO + {self.lit(v.const)})"

    def _assign(self, expr: str, kind: str) -> _Val:
        name = f"v{self._n}"
        self._n += 1
        self.lines.append(f"{name} = {expr}")
        return _Val(expr=name, kind=kind)

    # -- graphs
    def graph(self, gm: fx.GraphModule, inputs: list[_Val]) -> list[_Val]:
        env: dict[fx.Node, Any] = {}
        ins = iter(inputs)
        outs: list[_Val] = []
        for node in gm.graph.nodes:
            if node.op == "placeholder":
                env[node] = next(ins)
            elif node.op == "get_attr":
                val = getattr(gm, node.target)
                if not isinstance(val, torch.Tensor) or val.numel() != 1:
                    raise TritonUnavailable(f"non-scalar constant {node.target!r} in the graph")
                env[node] = _Val(const=val.item(), kind="b" if val.dtype == torch.bool else "f")
            elif node.op == "call_function":
                args = fx.node.map_arg(node.args, lambda n: env[n])
                kwargs = fx.node.map_arg(node.kwargs, lambda n: env[n])
                env[node] = self.call(node.target, list(args), dict(kwargs))
                if _inplace(node.target) and isinstance(node.args[0], fx.Node):
                    env[node.args[0]] = env[node]  # later uses of the mutated input see the result
            elif node.op == "output":
                res = node.args[0]
                res = res if isinstance(res, (tuple, list)) else (res,)
                outs = [env[r] if isinstance(r, fx.Node) else _Val(const=r) for r in res]
            else:
                raise TritonUnavailable(f"unsupported graph node {node.op}")
        return outs

    def call(self, target: Any, args: list, kw: dict) -> _Val:
        if not isinstance(target, torch._ops.OpOverload):
            # symbolic-shape arithmetic (operator.mul on SymInts, sym_size, ...)
            if target in (operator.getitem,):
                raise TritonUnavailable("multi-output op in the graph")
            return _Val(kind="s")
        name = target.overloadpacket.__name__
        if _inplace(target):
            name = name[:-1]  # SSA: an in-place op is its functional twin (graph() rebinds the input)
        if name.startswith("sym_"):
            return _Val(kind="s")
        if name in _CREATE:
            return self._create(name, args, kw)
        args = [_num(a) for a in args]
        vals = [a for a in [*args, *kw.values()] if isinstance(a, _Val)]
        if vals and all(v.is_const for v in vals if v.kind != "s") and name not in _CASTS:
            folded = self._fold(target, args, kw)
            if folded is not None:
                return folded
        return self._emit(name, args, kw)

    def _create(self, name: str, args: list, kw: dict) -> _Val:
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
        if isinstance(value, _Val):
            if not value.is_const:
                raise TritonUnavailable(f"{name} with a non-constant value")
            value = value.const
        dtype = kw.get("dtype")
        if dtype == torch.bool:
            return _Val(const=bool(value), kind="b")
        if dtype is not None and not dtype.is_floating_point:
            return _Val(const=int(value), kind="i")
        return _Val(const=float(value), kind="f")

    def _fold(self, target: Any, args: list, kw: dict) -> _Val | None:
        def conv(a: Any) -> Any:
            if isinstance(a, _Val):
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
        return _Val(const=out.item(), kind=kind)

    def _emit(self, name: str, a: list, kw: dict) -> _Val:  # noqa: C901  (one table of ops)
        e, t = self.e, self.t
        if name in _IDENTITY:
            return a[0]
        if name in _CASTS:
            dtype = kw.get("dtype", a[1] if len(a) > 1 and isinstance(a[1], torch.dtype) else None)
            src = a[0]
            if dtype is None or dtype.is_floating_point:
                if src.kind == "f":
                    return src
                if src.is_const:
                    return _Val(const=float(src.const), kind="f")
                return self._assign(f"{e(src)}.to({self.tl_ct})", "f")
            if dtype == torch.bool:
                return src if src.kind == "b" else self._assign(f"({e(src)} != 0)", "b")
            return self._assign(f"{e(src)}.to(tl.int32)", "i")
        if name in _LIB_UNARY:
            return self._assign(f"M.{name}({t(a[0])})", "f")
        if name == "round":
            if kw.get("decimals", 0) != 0:
                raise TritonUnavailable("round with decimals")
            return self._assign(f"M.rint({t(a[0])})", "f")
        if name in _LIB_BINARY:
            return self._assign(f"M.{_LIB_BINARY[name]}({t(a[0])}, {t(a[1])})", "f")
        if name == "neg":
            return self._assign(f"-{e(a[0])}", a[0].kind)
        if name == "abs":
            return self._assign(f"tl.abs({t(a[0])})", "f")
        if name == "sigmoid":
            return self._assign(f"1.0 / (1.0 + M.exp(-{t(a[0])}))", "f")
        if name == "reciprocal":
            return self._assign(f"1.0 / {e(a[0])}", "f")
        if name == "square":
            return self._assign(f"{e(a[0])} * {e(a[0])}", "f")
        if name == "relu":
            x = e(a[0])
            return self._assign(f"tl.where({x} < 0, 0.0, {x})", "f")
        if name in ("sign", "sgn"):
            x = e(a[0])
            return self._assign(f"tl.where({x} > 0, 1.0, tl.where({x} < 0, -1.0, {x}))", "f")
        if name == "isnan":
            return self._assign(f"{e(a[0])} != {e(a[0])}", "b")
        if name == "isinf":
            return self._assign(f'tl.abs({t(a[0])}) == float("inf")', "b")
        if name == "isfinite":
            return self._assign(f'tl.abs({t(a[0])}) < float("inf")', "b")
        if name in ("logical_not", "bitwise_not"):
            return self._assign(f"{e(a[0])} == 0", "b")
        if name in ("add", "sub", "rsub"):
            alpha = kw.get("alpha", a[2] if len(a) > 2 else 1)
            alpha = alpha.const if isinstance(alpha, _Val) else alpha
            x, y = (a[1], a[0]) if name == "rsub" else (a[0], a[1])
            ye = e(y) if alpha == 1 else f"({self.lit(alpha)} * {e(y)})"
            op = "+" if name == "add" else "-"
            return self._assign(f"{e(x)} {op} {ye}", _kind(x, y))
        if name == "mul":
            return self._assign(f"{e(a[0])} * {e(a[1])}", _kind(a[0], a[1]))
        if name in ("div", "true_divide"):
            mode = kw.get("rounding_mode")
            q = f"{e(a[0])} / {e(a[1])}"
            if mode is None:
                return self._assign(q, "f")
            return self._assign(f"M.{'trunc' if mode == 'trunc' else 'floor'}({q})", "f")
        if name == "remainder":
            x, y = e(a[0]), e(a[1])
            return self._assign(f"{x} - M.floor({x} / {y}) * {y}", "f")
        if name == "pow":
            return self._pow(a[0], a[1])
        if name in ("maximum", "minimum", "fmax", "fmin"):
            fn = "tl.maximum" if name in ("maximum", "fmax") else "tl.minimum"
            nan = ", propagate_nan=tl.PropagateNan.ALL" if name in ("maximum", "minimum") else ""
            return self._assign(f"{fn}({t(a[0])}, {t(a[1])}{nan})", "f")
        if name in ("clamp", "clamp_min", "clamp_max"):
            lo = a[1] if name != "clamp_max" else None
            hi = a[2] if name == "clamp" and len(a) > 2 else (a[1] if name == "clamp_max" else None)
            lo, hi = kw.get("min", lo), kw.get("max", hi)
            v = a[0]
            if lo is not None and not (isinstance(lo, _Val) and lo.is_const and lo.const is None):
                v = self._assign(
                    f"tl.maximum({t(v)}, {t(_as_val(lo))}, propagate_nan=tl.PropagateNan.ALL)", "f"
                )
            if hi is not None and not (isinstance(hi, _Val) and hi.is_const and hi.const is None):
                v = self._assign(
                    f"tl.minimum({t(v)}, {t(_as_val(hi))}, propagate_nan=tl.PropagateNan.ALL)", "f"
                )
            return v
        if name in _CMP:
            return self._assign(f"{e(a[0])} {_CMP[name]} {e(a[1])}", "b")
        if name in _BOOL:
            return self._assign(f"{e(a[0])} {_BOOL[name]} {e(a[1])}", "b")
        if name == "where":
            c, x, y = a
            if c.is_const:
                return x if c.const else y
            return self._assign(f"tl.where({e(c)}, {e(x)}, {e(y)})", _kind(x, y))
        if name == "masked_fill":
            x, msk, v = a[0], a[1], _as_val(a[2])
            return self._assign(f"tl.where({e(msk)}, {e(v)}, {e(x)})", x.kind)
        if name == "copy":
            return a[1]
        raise TritonUnavailable(f"aten.{name} has no Triton translation")

    def _pow(self, base: Any, ex: Any) -> _Val:
        base, ex = _as_val(base), _as_val(ex)
        if ex.is_const and not base.is_const:
            p, x = float(ex.const), self.e(base)
            simple = {
                1.0: x,
                2.0: f"{x} * {x}",
                3.0: f"{x} * {x} * {x}",
                4.0: f"({x} * {x}) * ({x} * {x})",
                -1.0: f"1.0 / {x}",
                -2.0: f"1.0 / ({x} * {x})",
                0.5: f"M.sqrt({x})",
                -0.5: f"M.rsqrt({x})",
                0.0: "ZERO + 1.0",
            }
            if p in simple:
                return self._assign(simple[p], "f")
        return self._assign(f"M.pow({self.t(base)}, {self.t(ex)})", "f")

    def output(self, v: _Val) -> str:
        """An expression of the block shape for output value ``v``."""
        if v.is_const:
            if v.kind == "b":
                return "(ZERO == ZERO)" if v.const else "(ZERO != ZERO)"
            return f"(ZERO + {self.lit(v.const)})"
        return self.e(v)


def _inplace(target: Any) -> bool:
    if not isinstance(target, torch._ops.OpOverload):
        return False
    name = target.overloadpacket.__name__
    return name.endswith("_") and not name.endswith("__") and not name.startswith("_")


def _num(a: Any) -> Any:
    """Python numbers among an op's positional arguments become constant values."""
    if isinstance(a, bool):
        return _Val(const=a, kind="b")
    if isinstance(a, int):
        return _Val(const=a, kind="i")
    if isinstance(a, float):
        return _Val(const=a, kind="f")
    return a


def _as_val(v: Any) -> _Val:
    return v if isinstance(v, _Val) else _Val(const=v, kind="f")


def _kind(x: _Val, y: _Val) -> str:
    return "f" if "f" in (x.kind, y.kind) else x.kind


# ----------------------------------------------------------------------------- templates

_FLAT = """\
    pid = tl.program_id(0)
    if I64:
        pid = pid.to(tl.int64)
    offs = pid * BLOCK + tl.arange(0, BLOCK)
    m = offs < N
"""
_PACKED = """\
    pid = tl.program_id(0)
    if I64:
        pid = pid.to(tl.int64)
    r = tl.arange(0, BLOCK // 8)
    c = tl.arange(0, 8)
    offs = pid * BLOCK + r[:, None] * 8 + c[None, :]
    m = offs < N
    poffs = pid * (BLOCK // 8) + r
    pm = poffs < (N + 7) // 8
"""
_ROWS = """\
    pid = tl.program_id(0)
    row = pid // NCB
    cb = pid - row * NCB
    if I64:
        row = row.to(tl.int64)
    cols = cb * BLOCK + tl.arange(0, BLOCK)
    m = cols < D
    oa = row * SA + cols
    ob = row * SB + cols
    offs = row * D + cols
"""


def _indent(lines: list[str]) -> str:
    return "".join(f"    {ln}\n" for ln in lines)


def _load(ptr: str, offs: str, ct: str) -> str:
    return f"tl.load({ptr} + {offs}, mask=m, other=0.0).to({ct})"


class _Source:
    """Builds one kernel's source from a header, translated bodies and stores."""

    def __init__(self, ct: torch.dtype):
        self.tr = Translator(ct)
        self.ct = self.tr.tl_ct

    def body(self, gm: fx.GraphModule, *inputs: str) -> list[str]:
        outs = self.tr.graph(gm, [_Val(expr=i) for i in inputs])
        return [self.tr.output(o) for o in outs]

    def let(self, name: str, expr: str) -> str:
        self.tr.lines.append(f"{name} = {expr}")
        return name


def _finish(kind: str, sig: str, header: str, loads: list[str], src: _Source, stores: list[str]) -> str:
    text = (
        f"@triton.jit\ndef {kind}({sig}):\n{header}"
        + _indent(loads)
        + _indent(src.tr.lines)
        + _indent(stores)
    )
    return text


def _compile_source(text: str, kind: str) -> Any:
    import triton
    import triton.language as tl

    digest = hashlib.sha1(text.encode()).hexdigest()[:16]
    text = text.replace(f"def {kind}(", f"def {kind}_{digest}(", 1)
    filename = f"<actlab-triton-{kind}-{digest}>"
    # Triton reads a kernel's source through inspect/linecache: register it there (nothing on disk)
    linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
    ns: dict[str, Any] = {"triton": triton, "tl": tl, "M": _math_namespace()}
    exec(compile(text, filename, "exec"), ns)  # noqa: S102  (our own generated kernel source)
    return ns[f"{kind}_{digest}"]


def _math_namespace() -> Any:
    if interpret_mode():
        return _TorchMath()
    from triton.language.extra import libdevice

    return libdevice


class _TorchMath:
    """libdevice stand-in for Triton's interpreter: the same-named ``torch`` function on the data."""

    _ALIAS = {"rint": "round"}

    @staticmethod
    def _bf16(t: Tensor) -> Tensor:
        return t.to(torch.bfloat16).to(t.dtype)

    @staticmethod
    def sum_rows(bits: Any, axis: int) -> Any:
        from triton.language import core
        from triton.runtime.interpreter import TensorHandle

        out = torch.from_numpy(bits.handle.data).sum(axis, dtype=torch.uint8).numpy()
        return core.tensor(
            TensorHandle(out, bits.handle.dtype.scalar), core.block_type(bits.dtype, list(out.shape))
        )

    def __getattr__(self, name: str) -> Any:
        from triton.language import core
        from triton.runtime.interpreter import TensorHandle

        fn = self._bf16 if name == "round_to_bf16" else getattr(torch, self._ALIAS.get(name, name))

        def call(*args: Any) -> Any:
            ref = next(a for a in args if isinstance(a, core.tensor))
            data = [torch.from_numpy(a.handle.data) if isinstance(a, core.tensor) else a for a in args]
            out = fn(*data).numpy()
            return core.tensor(TensorHandle(out, ref.handle.dtype.scalar), ref.type)

        return call


# ----------------------------------------------------------------------------- kernels


def _ct(dtype: torch.dtype) -> torch.dtype:
    return torch.float64 if dtype == torch.float64 else torch.float32


def _launch(kernel: Any, grid: int, numel: int, *args: Any, glu: bool = False) -> None:
    interp = interpret_mode()
    block = INTERPRET_BLOCK if interp else CONFIG["glu_block" if glu else "block"]
    warps = CONFIG["glu_warps" if glu else "warps"]
    i64 = numel + 2 * block >= 2**31
    kernel[(grid(block),)](*args, BLOCK=block, I64=i64, num_warps=warps)


def _rounding(dtype: torch.dtype) -> str:
    """Function applied to values before a store: none, except under Triton's interpreter for bf16,
    whose fp32 -> bf16 cast truncates (compiled Triton rounds to nearest even, like PyTorch)."""
    return "M.round_to_bf16" if (dtype == torch.bfloat16 and interpret_mode()) else ""


def _sum8() -> str:
    # tl.sum is a @triton.jit library function: under the interpreter it works only if triton was
    # imported with TRITON_INTERPRET=1 already set, so the interpreter gets a torch stand-in
    return "M.sum_rows" if interpret_mode() else "tl.sum"


def build_elementwise(spec: ActivationSpec, params: dict[str, Any], dtype: torch.dtype) -> dict[str, Any]:
    """Generate (and jit) the elementwise kernels of one activation for inputs of ``dtype``."""
    ct = _ct(dtype)
    RND = _rounding(dtype)  # noqa: N806
    ex, ex2 = examples(2, ct, "cpu")
    kernels: dict[str, Any] = {}
    fwd = trace(forward_fn(spec, params), ex)
    src = _Source(ct)
    (y,) = src.body(fwd, "x")
    kernels["fwd"] = _compile_source(
        _finish(
            "fwd",
            "X, Y, N, BLOCK: tl.constexpr, I64: tl.constexpr",
            _FLAT,
            [f"x = {_load('X', 'offs', src.ct)}", "ZERO = tl.full(x.shape, 0.0, x.dtype)"],
            src,
            [f"tl.store(Y + offs, {RND}({y}).to(Y.dtype.element_ty), mask=m)"],
        ),
        "fwd",
    )
    if spec.grad_mask is not None and spec.grad_mask_values is not None:
        msk = trace(mask_fn(spec, params), ex)
        src = _Source(ct)
        (y,) = src.body(fwd, "x")
        (b,) = src.body(msk, "x")
        kernels["fwd_mask"] = _compile_source(
            _finish(
                "fwd_mask",
                "X, Y, P, N, BLOCK: tl.constexpr, I64: tl.constexpr",
                _PACKED,
                [f"x = {_load('X', 'offs', src.ct)}", "ZERO = tl.full(x.shape, 0.0, x.dtype)"],
                src,
                [
                    f"tl.store(Y + offs, {RND}({y}).to(Y.dtype.element_ty), mask=m)",
                    f"bits = (({b}) & m).to(tl.uint8) << c[None, :].to(tl.uint8)",
                    f"tl.store(P + poffs, {_sum8()}(bits, axis=1).to(tl.uint8), mask=pm)",
                ],
            ),
            "fwd_mask",
        )
        v0, v1 = mask_values(spec, params)
        src = _Source(ct)
        kernels["bwd_mask"] = _compile_source(
            _finish(
                "bwd_mask",
                "P, DY, DX, N, BLOCK: tl.constexpr, I64: tl.constexpr",
                _PACKED,
                [
                    "p = tl.load(P + poffs, mask=pm, other=0)",
                    f"dy = {_load('DY', 'offs', src.ct)}",
                    "bit = ((p[:, None] >> c[None, :].to(tl.uint8)) & 1) != 0",
                ],
                src,
                [
                    f"dx = tl.where(bit, dy * {src.tr.lit(v1)}, dy * {src.tr.lit(v0)})",
                    f"tl.store(DX + offs, {RND}(dx).to(DX.dtype.element_ty), mask=m)",
                ],
            ),
            "bwd_mask",
        )
    else:
        bwd = trace(backward_fn(spec, params), ex, ex2)
        src = _Source(ct)
        (dx,) = src.body(bwd, "x", "dy")
        kernels["bwd"] = _compile_source(
            _finish(
                "bwd",
                "X, DY, DX, N, BLOCK: tl.constexpr, I64: tl.constexpr",
                _FLAT,
                [
                    f"x = {_load('X', 'offs', src.ct)}",
                    f"dy = {_load('DY', 'offs', src.ct)}",
                    "ZERO = tl.full(x.shape, 0.0, x.dtype)",
                ],
                src,
                [f"tl.store(DX + offs, {RND}({dx}).to(DX.dtype.element_ty), mask=m)"],
            ),
            "bwd",
        )
    return kernels


class TritonKernels(Kernels):
    """:class:`~actlab.kernels.lean.Kernels` running generated Triton kernels."""

    name = "triton"

    def __init__(
        self, spec: ActivationSpec, params: dict[str, Any], dtype: torch.dtype, device: torch.device
    ):
        reason = unavailable_reason(device)
        if reason:
            raise TritonUnavailable(reason)
        super().__init__(spec, params)
        self.k = build_elementwise(spec, params, dtype)

    def forward(self, x: Tensor, save: bool) -> tuple[Tensor, Tensor | None]:
        x = x.contiguous()
        y = torch.empty_like(x)
        n = x.numel()
        packed = None
        if save and self.masked:
            packed = torch.empty(packed_size(n), dtype=torch.uint8, device=x.device)
        if n:
            grid = lambda b: triton_cdiv(n, b)
            if packed is not None:
                _launch(self.k["fwd_mask"], grid, n, x, y, packed, n)
            else:
                _launch(self.k["fwd"], grid, n, x, y, n)
        if not save:
            return y, None
        return y, (packed if self.masked else x)

    def backward(self, saved: Tensor, dy: Tensor) -> Tensor:
        dy = dy.contiguous()
        dx = torch.empty_like(dy)
        n = dy.numel()
        if n:
            grid = lambda b: triton_cdiv(n, b)
            if self.masked:
                _launch(self.k["bwd_mask"], grid, n, saved, dy, dx, n)
            else:
                _launch(self.k["bwd"], grid, n, saved.contiguous(), dy, dx, n)
        return dx


def triton_cdiv(a: int, b: int) -> int:
    return -(-a // b)


# ----------------------------------------------------------------------------- GLU


def build_glu(gate: tuple, up: tuple | None, dtype: torch.dtype) -> dict[str, Any]:
    """Generate the fused GLU forward and backward kernels for ``gate(a) * up(b)``."""
    ct = _ct(dtype)
    RND = _rounding(dtype)  # noqa: N806
    ex, ex2 = examples(2, ct, "cpu")
    gf = trace(forward_fn(*gate), ex)
    gb = trace(backward_fn(*gate), ex, ex2)
    uf = ub = None
    if up is not None:
        uf = trace(forward_fn(*up), ex)
        ub = trace(backward_fn(*up), ex, ex2)
    sig_f = "A, B, O, D, SA, SB, NCB, BLOCK: tl.constexpr, I64: tl.constexpr"
    src = _Source(ct)
    loads = [
        f"a = {_load('A', 'oa', src.ct)}",
        f"b = {_load('B', 'ob', src.ct)}",
        "ZERO = tl.full(a.shape, 0.0, a.dtype)",
    ]
    (ga,) = src.body(gf, "a")
    ga = src.let("ga", ga)
    ubv = src.let("ub", src.body(uf, "b")[0]) if uf is not None else "b"
    fwd = _compile_source(
        _finish(
            "glu_fwd",
            sig_f,
            _ROWS,
            loads,
            src,
            [f"tl.store(O + offs, {RND}(ga * {ubv}).to(O.dtype.element_ty), mask=m)"],
        ),
        "glu_fwd",
    )
    sig_b = "A, B, DO, DA, DB, D, SA, SB, NCB, BLOCK: tl.constexpr, I64: tl.constexpr"
    src = _Source(ct)
    loads = loads + [f"do = {_load('DO', 'offs', src.ct)}"]
    (ga,) = src.body(gf, "a")
    src.let("ga", ga)
    ubv = src.let("ub", src.body(uf, "b")[0]) if uf is not None else "b"
    src.let("ta", f"do * {ubv}")
    src.let("tb", "do * ga")
    (da,) = src.body(gb, "a", "ta")
    db = src.body(ub, "b", "tb")[0] if ub is not None else "tb"
    bwd = _compile_source(
        _finish(
            "glu_bwd",
            sig_b,
            _ROWS,
            loads,
            src,
            [
                f"tl.store(DA + offs, {RND}({da}).to(DA.dtype.element_ty), mask=m)",
                f"tl.store(DB + offs, {RND}({db}).to(DB.dtype.element_ty), mask=m)",
            ],
        ),
        "glu_bwd",
    )
    return {"fwd": fwd, "bwd": bwd}


def _rows(t: Tensor) -> tuple[int, int, int] | None:
    """``(rows, cols, row_stride)`` if ``t`` is a stack of contiguous rows with one stride."""
    if t.dim() == 0 or t.stride(-1) != 1:
        return None
    d = t.shape[-1]
    if t.dim() == 1:
        return 1, d, d
    for i in range(t.dim() - 2):
        if t.shape[i] > 1 and t.stride(i) != t.stride(i + 1) * t.shape[i + 1]:
            return None
    return t.numel() // max(d, 1), d, t.stride(-2)


class TritonGLUKernels(GLUKernels):
    """GLU through two generated Triton kernels (forward; both gradients in one pass).

    Accepts the halves of a ``chunk(2, dim=-1)`` without copying them (rows with a stride).
    """

    name = "triton"

    def __init__(self, gate: tuple, up: tuple | None, dtype: torch.dtype, device: torch.device):
        reason = unavailable_reason(device)
        if reason:
            raise TritonUnavailable(reason)
        super().__init__(gate, up)
        self.k = build_glu(gate, up, dtype)

    @staticmethod
    def _layout(a: Tensor, b: Tensor) -> tuple[Tensor, Tensor, int, int, int, int]:
        if a.shape != b.shape:
            raise ValueError(
                f"glu: a and b must have the same shape, got {tuple(a.shape)} and {tuple(b.shape)}"
            )
        if a.is_contiguous() and b.is_contiguous():
            n = a.numel()
            return a, b, 1, n, n, n
        ra, rb = _rows(a), _rows(b)
        if ra is None or rb is None:
            a, b = a.contiguous(), b.contiguous()
            n = a.numel()
            return a, b, 1, n, n, n
        return a, b, ra[0], ra[1], ra[2], rb[2]

    def _grid(self, rows: int, d: int) -> tuple[Any, int]:
        interp = interpret_mode()
        block = INTERPRET_BLOCK if interp else CONFIG["glu_block"]
        block = min(block, max(16, 1 << (max(d, 1) - 1).bit_length()))
        return block, triton_cdiv(d, block)

    def _run(self, kernel: Any, rows: int, d: int, *args: Any) -> None:
        block, ncb = self._grid(rows, d)
        i64 = rows * max(d, *args[-2:]) + 2 * block >= 2**31
        kernel[(rows * ncb,)](
            *args[:-2], d, *args[-2:], ncb, BLOCK=block, I64=i64, num_warps=CONFIG["glu_warps"]
        )

    def forward(self, a: Tensor, b: Tensor) -> Tensor:
        a, b, rows, d, sa, sb = self._layout(a, b)
        o = torch.empty(a.shape, dtype=a.dtype, device=a.device)
        if o.numel():
            self._run(self.k["fwd"], rows, d, a, b, o, sa, sb)
        return o

    def backward(self, a: Tensor, b: Tensor, do: Tensor) -> tuple[Tensor, Tensor]:
        a, b, rows, d, sa, sb = self._layout(a, b)
        do = do.contiguous()
        da = torch.empty(a.shape, dtype=a.dtype, device=a.device)
        db = torch.empty(b.shape, dtype=b.dtype, device=b.device)
        if do.numel():
            self._run(self.k["bwd"], rows, d, a, b, do, da, db, sa, sb)
        return da, db
