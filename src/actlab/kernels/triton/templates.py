"""Kernel templates: the Triton source of every generated kernel, as text.

Six templates, each filled with the statements :class:`~actlab.kernels.triton.translate.Translator`
writes for the traced derived functions of one activation (:mod:`actlab.kernels.lean`):

- ``fwd``: ``y = f(x)``;  ``bwd``: ``dx = vjp(x, dy)``;
- ``fwd_mask``: ``y = f(x)`` and the 1-bit-per-element packed mask of ``f'`` in the same pass;
  ``bwd_mask``: ``dx = dy * (v1 if bit else v0)`` from the packed mask;
- ``glu_fwd``: ``o = g(a) * u(b)``; ``glu_bwd``: both gradients of a GLU in one pass.

Loads and stores use the tensors' own dtype; all math runs in fp32 (fp64 for fp64 inputs). The
flat templates index contiguous blocks; the GLU templates index rows with their own strides, so
the two halves of a ``chunk(2, dim=-1)`` are read in place. Nothing here imports Triton: the
sources are compiled and launched by :mod:`actlab.kernels.triton.launch`.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import fx

from actlab.catalog.spec import ActivationSpec
from actlab.kernels.lean import backward_fn, forward_fn, is_mask_family, mask_fn, mask_values
from actlab.kernels.trace import examples, trace
from actlab.kernels.triton.translate import Translator, Val

FLAT = """\
    pid = tl.program_id(0)
    if I64:
        pid = pid.to(tl.int64)
    offs = pid * BLOCK + tl.arange(0, BLOCK)
    m = offs < N
"""
PACKED = """\
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
ROWS = """\
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
SIG_FLAT = "BLOCK: tl.constexpr, I64: tl.constexpr"


def compute_type(dtype: torch.dtype) -> torch.dtype:
    """The dtype of the kernels' math: fp64 for fp64 inputs, else fp32."""
    return torch.float64 if dtype == torch.float64 else torch.float32


def _indent(lines: list[str]) -> str:
    return "".join(f"    {ln}\n" for ln in lines)


def _load(ptr: str, offs: str, ct: str) -> str:
    return f"tl.load({ptr} + {offs}, mask=m, other=0.0).to({ct})"


class Source:
    """One kernel's source: a header, translated bodies and stores.

    ``interpret``: the source is for Triton's CPU interpreter, whose fp32 -> bf16 cast truncates
    (compiled Triton rounds to nearest even, like PyTorch), so bf16 stores round explicitly, and
    whose ``tl.sum`` needs a stand-in (``M.sum_rows``).
    """

    def __init__(self, ct: torch.dtype, store_dtype: torch.dtype, interpret: bool):
        self.tr = Translator(ct)
        self.ct = self.tr.tl_ct
        self.rnd = "M.round_to_bf16" if (store_dtype == torch.bfloat16 and interpret) else ""
        self.sum8 = "M.sum_rows" if interpret else "tl.sum"

    def body(self, gm: fx.GraphModule, *inputs: str) -> list[str]:
        outs = self.tr.graph(gm, [Val(expr=i) for i in inputs])
        return [self.tr.output(o) for o in outs]

    def let(self, name: str, expr: str) -> str:
        self.tr.lines.append(f"{name} = {expr}")
        return name

    def store(self, ptr: str, offs: str, value: str) -> str:
        return f"tl.store({ptr} + {offs}, {self.rnd}({value}).to({ptr}.dtype.element_ty), mask=m)"

    def finish(self, kind: str, sig: str, header: str, loads: list[str], stores: list[str]) -> str:
        return (
            f"@triton.jit\ndef {kind}({sig}):\n{header}"
            + _indent(loads)
            + _indent(self.tr.lines)
            + _indent(stores)
        )


def elementwise_sources(
    spec: ActivationSpec, params: dict[str, Any], dtype: torch.dtype, interpret: bool
) -> dict[str, str]:
    """The sources of one activation's kernels for inputs of ``dtype``: ``fwd`` and either
    ``fwd_mask`` + ``bwd_mask`` (two-valued derivative) or ``bwd``."""
    ct = compute_type(dtype)
    ex, ex2 = examples(2, ct, "cpu")
    out: dict[str, str] = {}
    fwd = trace(forward_fn(spec, params), ex)
    src = Source(ct, dtype, interpret)
    (y,) = src.body(fwd, "x")
    x_loads = [f"x = {_load('X', 'offs', src.ct)}", "ZERO = tl.full(x.shape, 0.0, x.dtype)"]
    out["fwd"] = src.finish("fwd", f"X, Y, N, {SIG_FLAT}", FLAT, x_loads, [src.store("Y", "offs", y)])
    if is_mask_family(spec):
        msk = trace(mask_fn(spec, params), ex)
        src = Source(ct, dtype, interpret)
        (y,) = src.body(fwd, "x")
        (b,) = src.body(msk, "x")
        out["fwd_mask"] = src.finish(
            "fwd_mask",
            f"X, Y, P, N, {SIG_FLAT}",
            PACKED,
            x_loads,
            [
                src.store("Y", "offs", y),
                f"bits = (({b}) & m).to(tl.uint8) << c[None, :].to(tl.uint8)",
                f"tl.store(P + poffs, {src.sum8}(bits, axis=1).to(tl.uint8), mask=pm)",
            ],
        )
        v0, v1 = mask_values(spec, params)
        src = Source(ct, dtype, interpret)
        out["bwd_mask"] = src.finish(
            "bwd_mask",
            f"P, DY, DX, N, {SIG_FLAT}",
            PACKED,
            [
                "p = tl.load(P + poffs, mask=pm, other=0)",
                f"dy = {_load('DY', 'offs', src.ct)}",
                "bit = ((p[:, None] >> c[None, :].to(tl.uint8)) & 1) != 0",
            ],
            [
                f"dx = tl.where(bit, dy * {src.tr.lit(v1)}, dy * {src.tr.lit(v0)})",
                src.store("DX", "offs", "dx"),
            ],
        )
    else:
        bwd = trace(backward_fn(spec, params), ex, ex2)
        src = Source(ct, dtype, interpret)
        (dx,) = src.body(bwd, "x", "dy")
        out["bwd"] = src.finish(
            "bwd",
            f"X, DY, DX, N, {SIG_FLAT}",
            FLAT,
            [*x_loads[:1], f"dy = {_load('DY', 'offs', src.ct)}", x_loads[1]],
            [src.store("DX", "offs", dx)],
        )
    return out


def glu_sources(gate: tuple, up: tuple | None, dtype: torch.dtype, interpret: bool) -> dict[str, str]:
    """The sources of the fused GLU forward and backward for ``gate(a) * up(b)``."""
    ct = compute_type(dtype)
    ex, ex2 = examples(2, ct, "cpu")
    gf = trace(forward_fn(*gate), ex)
    gb = trace(backward_fn(*gate), ex, ex2)
    uf = ub = None
    if up is not None:
        uf = trace(forward_fn(*up), ex)
        ub = trace(backward_fn(*up), ex, ex2)

    def branches(src: Source) -> str:
        (ga,) = src.body(gf, "a")
        src.let("ga", ga)
        return src.let("ub", src.body(uf, "b")[0]) if uf is not None else "b"

    src = Source(ct, dtype, interpret)
    loads = [
        f"a = {_load('A', 'oa', src.ct)}",
        f"b = {_load('B', 'ob', src.ct)}",
        "ZERO = tl.full(a.shape, 0.0, a.dtype)",
    ]
    ubv = branches(src)
    fwd = src.finish(
        "glu_fwd",
        f"A, B, O, D, SA, SB, NCB, {SIG_FLAT}",
        ROWS,
        loads,
        [src.store("O", "offs", f"ga * {ubv}")],
    )
    src = Source(ct, dtype, interpret)
    ubv = branches(src)
    src.let("ta", f"do * {ubv}")
    src.let("tb", "do * ga")
    (da,) = src.body(gb, "a", "ta")
    db = src.body(ub, "b", "tb")[0] if ub is not None else "tb"
    bwd = src.finish(
        "glu_bwd",
        f"A, B, DO, DA, DB, D, SA, SB, NCB, {SIG_FLAT}",
        ROWS,
        [*loads, f"do = {_load('DO', 'offs', src.ct)}"],
        [src.store("DA", "offs", da), src.store("DB", "offs", db)],
    )
    return {"fwd": fwd, "bwd": bwd}
