"""``actlab.patch(model)``: actlab's fused, memory-lean kernels in a Hugging Face or timm model,
computing what the model computed.

Like Liger-Kernel's ``apply_liger_kernel_to_*``, :func:`patch` changes the model in place:

- **GLU pairs**: a gated MLP computing :math:`W_{down}\\,(g(x W_{gate}) \\odot x W_{up})` becomes a
  :class:`FusedGLU` whose :math:`g(a) \\odot b` runs through :func:`actlab.kernels.glu` (one
  pass forward; backward saves only ``a`` and ``b`` and computes both gradients together).
  Recognised by the names of its children, not its class: ``gate_proj/up_proj/down_proj``
  (LLaMA, Mistral, Qwen, Gemma, ...), ``fc1_g/fc1_x/fc2`` (timm ``SwiGLU``), a packed ``fc1``
  with ``chunk_dim``/``gate_last`` (timm ``GluMlp``, ``SwiGLUPacked``) and ``wi_0/wi_1/wo``
  (T5's gated FFN). The children are kept (same parameters, same ``state_dict`` keys);
- **activations**: every other activation module (``is_activation_module``) that a catalog
  activation computes exactly (``nn.GELU`` → ``gelu``, GPT-2's ``NewGELUActivation`` →
  ``gelu_tanh``, ``nn.ReLU(inplace=True)`` → ``relu`` with ``inplace``) becomes that actlab
  :class:`~actlab.nn.Activation` (``impl`` chooses the backend).

Nothing changes what the model computes: an activation is replaced only if the catalog function,
with the module's own parameter values (``negative_slope``, ``alpha``, ...), agrees with it in
float64 on [-30, 30] to 1e-7 relative, and then again in the model's dtype; a GLU block only
if the fused block's output and input gradient agree with the original's on a random input
(in the model's dtype, eval mode). Everything else is left alone and listed with the reason:
activations with learnable parameters or no catalog equivalent (e.g. ``QuickGELU``), blocks of
an unknown layout, functional activation calls inside ``forward``.

The config is not touched (``hidden_act`` still names the function), so a model saved with
``save_pretrained`` reloads as transformers builds it; patch it again after loading.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from typing import Any

import torch
from torch import nn

from actlab.api import get
from actlab.catalog.registry import PRESETS, REGISTRY, resolve
from actlab.catalog.spec import ActivationSpec, evaluate
from actlab.kernels import glu as kernel_glu
from actlab.nn.activation import Activation
from actlab.surgery import _unreplaceable, is_activation_module

Tensor = torch.Tensor

# ---- report ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Patched:
    """One patched module: ``kind`` is ``"glu"`` (a gated MLP) or ``"activation"``; ``max_abs_diff``
    the largest output difference seen by the numerical check (in the model's dtype)."""

    path: str
    kind: str
    before: str
    after: str
    max_abs_diff: float

    def __str__(self) -> str:
        diff = f"max |diff| {self.max_abs_diff:.3g}"
        return f"{self.path} [{self.kind}]: {self.before} -> {self.after} ({diff})"


@dataclass(frozen=True)
class Left:
    """A module (or call) :func:`patch` left alone, and why."""

    path: str
    what: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.what} ({self.reason})"


@dataclass
class PatchReport:
    """What :func:`patch` did to ``model`` (changed in place): ``patched`` and ``left`` alone."""

    model: nn.Module = field(repr=False)
    patched: list[Patched] = field(default_factory=list)
    left: list[Left] = field(default_factory=list)

    @property
    def paths(self) -> list[str]:
        return [p.path for p in self.patched]

    @property
    def count(self) -> int:
        return len(self.patched)

    def to_dict(self) -> dict[str, Any]:
        return {"patched": [_asdict(p) for p in self.patched], "left": [_asdict(p) for p in self.left]}

    def summary(self) -> str:
        glus = sum(p.kind == "glu" for p in self.patched)
        lines = [f"patched {glus} GLU block(s) and {self.count - glus} activation(s)"]
        lines += [f"  {p}" for p in self.patched]
        if self.left:
            lines.append(f"left alone: {len(self.left)}")
            lines += [f"  {p}" for p in self.left]
        return "\n".join(lines)

    __str__ = summary


def _asdict(obj: Any) -> dict[str, Any]:
    return {f.name: getattr(obj, f.name) for f in fields(obj)}


def _describe(m: nn.Module) -> str:
    return f"{m._get_name()}({m.extra_repr()})"


# ---- the fused GLU block --------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """Where a gated MLP keeps its parts: ``gate``/``up`` projections (or one packed ``gate``
    split in halves), the gate activation ``act``, the modules applied after the product
    (``post``, in order) and the one before which the product is cast to its weight's dtype."""

    name: str
    gate: str
    up: str | None
    act: tuple[str, ...]
    post: tuple[str, ...]
    cast_before: str | None = None

    @property
    def packed(self) -> bool:
        return self.up is None


LAYOUTS = (
    Layout("gate_proj/up_proj/down_proj", "gate_proj", "up_proj", ("act_fn", "act", "activation_fn"),
           ("down_proj",)),
    Layout("timm SwiGLU", "fc1_g", "fc1_x", ("act",), ("drop1", "norm", "fc2", "drop2")),
    Layout("timm GluMlp", "fc1", None, ("act",), ("drop1", "norm", "fc2", "drop2")),
    Layout("T5 gated FFN", "wi_0", "wi_1", ("act",), ("dropout", "wo"), cast_before="wo"),
)


def _hooked(m: nn.Module) -> bool:
    from torch.nn.modules import module as _m

    return bool(m._forward_hooks or m._forward_pre_hooks or _m._global_forward_hooks
                or _m._global_forward_pre_hooks)


def gated(act: nn.Module, a: Tensor, b: Tensor) -> Tensor:
    r""":math:`\mathrm{act}(a) \odot b`, through :func:`actlab.kernels.glu` when ``act`` is an actlab
    activation with number-valued parameters, a non-eager backend and no forward hooks (a probe
    must see it); else ``act(a) * b``."""
    if (isinstance(act, Activation) and act.impl != "eager" and act.spec.elementwise and not _hooked(act)
            and not any(isinstance(v, Tensor) for v in act.params.values())
            and a.shape == b.shape and a.dtype == b.dtype):
        return kernel_glu(act.spec, a, b, impl=act.impl, **act.params)
    return act(a) * b


class FusedGLU(nn.Module):
    r"""A gated MLP :math:`\mathrm{post}(g(a) \odot b)` whose product runs through :func:`gated`.

    ``a, b`` are ``gate(x), up(x)``, or the halves of ``gate(x)`` along ``chunk_dim`` for a packed
    projection (``gate_last``: ``b, a``, as timm's ``GluMlp``). It holds the original block's
    children under their own names, so parameters and ``state_dict`` keys do not change.
    Built by :func:`patch`.
    """

    def __init__(self, original: nn.Module, layout: Layout, act_name: str, act: nn.Module):
        super().__init__()
        for name, child in original.named_children():
            setattr(self, name, child)
        setattr(self, act_name, act)
        self.layout, self.act_name = layout, act_name
        self.source = type(original).__name__
        self.chunk_dim = getattr(original, "chunk_dim", -1)
        self.gate_last = bool(getattr(original, "gate_last", False))
        self.train(original.training)

    def forward(self, x: Tensor) -> Tensor:
        lay = self.layout
        if lay.packed:
            a, b = getattr(self, lay.gate)(x).chunk(2, dim=self.chunk_dim)
            if self.gate_last:
                a, b = b, a
        else:
            a, b = getattr(self, lay.gate)(x), getattr(self, lay.up)(x)
        h = gated(getattr(self, self.act_name), a, b)
        for name in lay.post:
            m = getattr(self, name)
            w = getattr(m, "weight", None)
            cast = name == lay.cast_before and isinstance(w, Tensor) and w.is_floating_point()
            if cast and w.dtype != h.dtype:  # as T5 does before wo (kept in fp32 in half models)
                h = h.to(w.dtype)
            h = m(h)
        return h

    def extra_repr(self) -> str:
        return f"{self.layout.name!r}, from {self.source}"


# ---- equivalent catalog activations ---------------------------------------------------------------

_GRID = torch.linspace(-30.0, 30.0, 1201, dtype=torch.float64)
#: (rtol, atol relative to the output's scale) of the checks in each dtype
_TOL = {torch.float64: (1e-9, 1e-10), torch.float32: (1e-4, 1e-5), torch.bfloat16: (2e-2, 2e-2),
        torch.float16: (5e-3, 5e-3)}


def _candidates(m: nn.Module) -> Iterator[ActivationSpec]:
    """Catalog activations that might compute ``m``: its class name first, then every one."""
    base = type(m).__name__.removesuffix("Activation")
    try:
        key = resolve(base)
        first = REGISTRY.get(key) or PRESETS.get(key)
    except LookupError:
        first = None
    if first is not None:
        yield first
    for table in (REGISTRY, PRESETS):
        for name in sorted(table):
            if table[name] is not first:
                yield table[name]


def _reference(m: nn.Module) -> Tensor | None:
    try:
        with torch.no_grad():
            y = copy.deepcopy(m).to(torch.float64)(_GRID.clone())
    except Exception:
        return None
    return y if isinstance(y, Tensor) and y.shape == _GRID.shape else None


def equivalent(m: nn.Module) -> tuple[ActivationSpec, dict[str, Any]] | None:
    """``(spec, params)`` of the catalog activation computing exactly what ``m`` computes, or ``None``.

    The spec's parameters take ``m``'s attributes of the same names where it has them
    (``nn.LeakyReLU.negative_slope``, ``nn.ELU.alpha``, ``nn.Hardtanh.min_val``, ...), else their
    defaults; the match is checked in float64 on [-30, 30] (rtol 1e-7). Modules with parameters
    or buffers (learnable activations) and specs with a module of their own (whose backward
    differs, e.g. HeLU) are never matched.
    """
    if isinstance(m, Activation):
        return m.spec, dict(m.params)
    if any(True for _ in m.parameters()) or any(True for _ in m.buffers()):
        return None
    ref = _reference(m)
    if ref is None:
        return None
    finite = torch.isfinite(ref)
    for spec in _candidates(m):
        if not spec.elementwise or spec.module is not None:
            continue
        given = {p.name: getattr(m, p.name) for p in spec.params if isinstance(getattr(m, p.name, None),
                                                                                   (int, float))}
        try:
            params = spec.resolve_params(given)
            with torch.no_grad():
                y = evaluate(spec, _GRID.clone(), params)
        except Exception:
            continue
        if y.shape == ref.shape and torch.equal(torch.isfinite(y), finite) and torch.allclose(
                y[finite], ref[finite], rtol=1e-7, atol=1e-10 * max(1.0, float(ref[finite].abs().max()))):
            return spec, params
    return None


def _close(y: Tensor, ref: Tensor) -> tuple[bool, float]:
    rtol, atol = _TOL.get(ref.dtype, _TOL[torch.float32])
    y, ref = y.double(), ref.double()
    ok = torch.isfinite(ref)
    if not torch.equal(torch.isfinite(y), ok):
        return False, float("inf")
    diff = float((y[ok] - ref[ok]).abs().max()) if bool(ok.any()) else 0.0
    scale = max(1.0, float(ref[ok].abs().max())) if bool(ok.any()) else 1.0
    return bool(torch.allclose(y[ok], ref[ok], rtol=rtol, atol=atol * scale)), diff


def _near_tensor(*mods: nn.Module) -> Tensor | None:
    for m in mods:
        for t in (*m.parameters(), *m.buffers()):
            if t.is_floating_point():
                return t
    return None


def _check_activation(old: nn.Module, new: nn.Module, like: Tensor | None) -> tuple[bool, float]:
    """The two on the grid in the model's dtype and device."""
    dtype = like.dtype if like is not None else torch.float32
    x = _GRID.to(device=like.device if like is not None else "cpu", dtype=dtype)
    with torch.no_grad():
        return _close(new(x.clone()), old(x.clone()))


# ---- GLU blocks ------------------------------------------------------------------------------------


def _layout(m: nn.Module) -> tuple[Layout, str] | None:
    kids = dict(m.named_children())
    for lay in LAYOUTS:
        act = next((a for a in lay.act if a in kids), None)
        need = {lay.gate, *([lay.up] if lay.up else []), *lay.post}
        if act is None or not need <= set(kids) or set(kids) - need - {act}:
            continue
        if lay.packed and not hasattr(m, "chunk_dim"):
            continue
        if is_activation_module(kids[act]):
            return lay, act
    return None


def _example(proj: nn.Module, like: Tensor) -> Tensor | None:
    """A small random input for a block whose first projection is ``proj``."""
    gen = torch.Generator().manual_seed(0)
    if isinstance(proj, nn.Conv2d):
        shape: tuple[int, ...] = (2, proj.in_channels, 3, 3)
    elif isinstance(getattr(proj, "in_features", None), int):
        shape = (2, 3, proj.in_features)
    else:
        return None
    return torch.randn(shape, generator=gen, dtype=torch.float64).to(device=like.device, dtype=like.dtype)


def _modes(m: nn.Module) -> list[tuple[nn.Module, bool]]:
    return [(s, s.training) for s in m.modules()]


def _check_block(old: nn.Module, new: nn.Module, x: Tensor) -> tuple[bool, float]:
    """Output and input gradient of the two blocks on ``x`` (eval mode; modes restored)."""
    saved = _modes(old) + _modes(new)
    try:
        old.eval()
        new.eval()
        outs = []
        for m in (old, new):
            xi = x.clone().requires_grad_()
            with torch.enable_grad():
                y = m(xi)
                dy = torch.ones_like(y) / y.numel() ** 0.5
                (g,) = torch.autograd.grad(y, xi, dy)
            outs.append((y.detach(), g))
    except Exception:
        return False, float("inf")
    finally:
        for s, mode in saved:
            s.training = mode
    ok_y, dy_ = _close(outs[1][0], outs[0][0])
    ok_g, _ = _close(outs[1][1], outs[0][1])
    return ok_y and ok_g, dy_


# ---- patch -----------------------------------------------------------------------------------------


def _set(model: nn.Module, path: str, new: nn.Module) -> None:
    parent, _, attr = path.rpartition(".")
    setattr(model.get_submodule(parent) if parent else model, attr, new)


def patch(model: nn.Module, *, impl: str = "auto", glu: bool = True, activations: bool = True) -> PatchReport:
    """Put actlab's fused, memory-lean implementations into ``model`` (in place); return a
    :class:`PatchReport`.

    Args:
        model: a Hugging Face, timm, torchvision or plain PyTorch model.
        impl: backend of the new activations and fused GLUs (``"auto"``: the measured choice per
            device, dtype and size, see :mod:`actlab.kernels.dispatch`; ``"lean"``: always the
            memory-lean path; ``"compiled"``, ``"triton"``).
        glu: fuse the GLU pairs of gated MLPs (see the module doc for the layouts).
        activations: replace the other activation modules by the catalog activations computing
            the same.

    Every replacement is checked numerically first and skipped (and listed in ``report.left``) if
    it would change what the model computes; see the module doc. To keep the original model,
    patch a ``copy.deepcopy`` of it.
    """
    if isinstance(model, FusedGLU) or not isinstance(model, nn.Module):
        raise TypeError(f"patch expects an nn.Module, got {type(model).__name__}")
    report = PatchReport(model=model)
    made: dict[tuple[int, str], nn.Module] = {}

    def actlab_act(old: nn.Module) -> nn.Module | None:
        found = equivalent(old)
        if found is None:
            return None
        spec, params = found
        key = (id(old), impl)
        if key not in made:
            made[key] = get(spec.name, impl=impl, inplace=bool(getattr(old, "inplace", False)), **params)
        return made[key]

    done: set[str] = set()
    if glu:
        for path, block in list(model.named_modules()):
            if any(path.startswith(d + ".") for d in done) or isinstance(block, FusedGLU):
                continue
            found = _layout(block)
            if found is None:
                continue
            lay, act_name = found
            act = getattr(block, act_name)
            shown = path or "<model>"
            if _hooked(block) or any(True for _ in block._parameters) or any(True for _ in block._buffers):
                report.left.append(Left(shown, _describe(block), "a GLU block with hooks or tensors of its "
                                                                 "own: the fused block would not keep them"))
                continue
            new_act = act if isinstance(act, Activation) else actlab_act(act)
            if new_act is None:
                report.left.append(Left(shown, f"{lay.name} block", f"its gate activation {_describe(act)} "
                                        "has no catalog equivalent"))
                continue
            fused = FusedGLU(block, lay, act_name, new_act)
            like = _near_tensor(block)
            x = None if like is None else _example(getattr(block, lay.gate), like)
            if x is None:
                report.left.append(Left(shown, f"{lay.name} block", "no input for the numerical check "
                                        "(the first projection is neither Linear nor Conv2d)"))
                continue
            ok, diff = _check_block(block, fused, x)
            if not ok:
                report.left.append(Left(shown, f"{lay.name} block", f"the fused block computes something "
                                        f"else (max |diff| {diff:.3g}): its forward is not the GLU layout"))
                continue
            if path:
                _set(model, path, fused)
            else:
                report.model = fused
            done.add(path)
            report.patched.append(Patched(shown, "glu", f"{type(block).__name__}({_describe(act)})",
                                          f"FusedGLU({_describe(new_act)})", diff))
    if activations:
        root = report.model
        for path, m in list(root.named_modules(remove_duplicate=False)):
            if not path or any(path.startswith(d + ".") or path == d for d in done if d):
                continue
            if not is_activation_module(m):
                continue
            if isinstance(m, Activation):
                report.left.append(Left(path, _describe(m), "already actlab's"))
                continue
            new = actlab_act(m)
            if new is None:
                why = ("learnable parameters" if any(True for _ in m.parameters())
                       else "no catalog activation computes it exactly")
                report.left.append(Left(path, _describe(m), why))
                continue
            parent_path = path.rpartition(".")[0]
            ok, diff = _check_activation(m, new, _near_tensor(root.get_submodule(parent_path), root))
            if not ok:
                report.left.append(Left(path, _describe(m), f"differs in the model's dtype (max |diff| "
                                                            f"{diff:.3g})"))
                continue
            _set(root, path, new)
            report.patched.append(Patched(path, "activation", _describe(m), _describe(new), diff))
    kept = {id(m) for m in report.model.modules() if isinstance(m, (Activation, FusedGLU))}
    why = "a functional call inside forward or a plain attribute, not a module: patch cannot replace it"
    for item in _unreplaceable(report.model, kept, lambda p, f: True):
        report.left.append(Left(item.path, item.what, why))
    return report


__all__ = ["LAYOUTS", "FusedGLU", "Layout", "Left", "PatchReport", "Patched", "equivalent", "gated", "patch"]
