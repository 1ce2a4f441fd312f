"""Swap activations inside existing models: :func:`swap` and its :class:`SwapReport`.

What counts as an activation module (:func:`is_activation_module`):

- the elementwise ``torch.nn`` activations (``nn.ReLU``, ``nn.GELU``, ``nn.SiLU``, ... — not
  ``nn.Softmax``, ``nn.GLU`` or ``nn.MultiheadAttention``, which are not elementwise);
- every module class defined in ``transformers.activations`` (what ``ACT2FN[config.hidden_act]``
  builds, e.g. the ``act_fn`` gate activation of LLaMA/Mistral MLPs or GPT-2's ``mlp.act``);
- every module class defined in ``timm.layers.activations*`` (timm's own activation layers;
  timm otherwise uses the ``torch.nn`` classes);
- actlab's modules: :class:`actlab.nn.Activation` and any leaf ``actlab.nn`` module with a ``spec``;
- classes added with :func:`register_activation_type`.

Neither ``transformers`` nor ``timm`` is imported to decide this (classes are recognised by the
module they are defined in).

Each activation site also has a *role* (:func:`site_roles`):

- ``"gate"``: a gate function (bounded in [0, 1] and rising from 0 to 1, e.g. sigmoid or
  hardsigmoid) whose output multiplies another tensor: squeeze-excitation (torchvision
  MobileNetV3's ``scale_activation``), attention gates, a GLU's sigmoid, a hand-written LSTM/GRU
  cell's gates. Found by tracing the forward of the module holding it (``torch.fx``, submodules
  as leaves; when the activation's output is that module's output, the module above is traced);
- ``"nonlinearity"``: every other activation (the network's hidden nonlinearity, including a GLU's
  non-gate activation such as SwiGLU's SiLU and ``x * sigmoid(x)``, where the sigmoid scales its
  own input);
- ``"unknown"``: a gate function whose use could not be traced.

:func:`swap` replaces only nonlinearities unless ``roles=`` or ``match=`` says otherwise. The
gates of ``nn.LSTM``/``nn.GRU`` (and their cells) run inside one fused operator: they are
reported with their roles and cannot be replaced.
"""

from __future__ import annotations

import ast
import builtins
import copy
import fnmatch
import functools
import inspect
import itertools
import operator
import re
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from typing import Any

import torch
from torch import nn

_TORCH_ACTIVATIONS: tuple[type[nn.Module], ...] = (
    nn.ReLU, nn.ReLU6, nn.LeakyReLU, nn.PReLU, nn.RReLU, nn.ELU, nn.CELU, nn.SELU, nn.GELU,
    nn.SiLU, nn.Mish, nn.Hardswish, nn.Hardsigmoid, nn.Hardtanh, nn.Sigmoid, nn.Tanh,
    nn.Softplus, nn.Softsign, nn.Softshrink, nn.Hardshrink, nn.Tanhshrink, nn.LogSigmoid,
    nn.Threshold,
)
_EXTRA_TYPES: list[type] = []
_LIBRARY_MODULES = ("transformers.activations", "timm.layers.activations")


def register_activation_type(cls: type) -> type:
    """Treat modules of class ``cls`` as activations in :func:`swap` and :func:`actlab.probe`."""
    if not (isinstance(cls, type) and issubclass(cls, nn.Module)):
        raise TypeError(f"expected an nn.Module subclass, got {cls!r}")
    if cls not in _EXTRA_TYPES:
        _EXTRA_TYPES.append(cls)
    return cls


def is_activation_module(module: nn.Module) -> bool:
    """Whether ``module`` is an activation layer (see the module docstring for the rule)."""
    if isinstance(module, _TORCH_ACTIVATIONS) or (_EXTRA_TYPES and isinstance(module, tuple(_EXTRA_TYPES))):
        return True
    mod = type(module).__module__ or ""
    if mod.startswith(_LIBRARY_MODULES):
        return True
    if mod.startswith("actlab."):
        from actlab.catalog.spec import ActivationSpec
        from actlab.nn.activation import Activation

        if isinstance(module, Activation):
            return True
        # a module of one catalog function (its own children, if any, activations too: e.g. the
        # stochastic RReLU holds its eval-mode Activation)
        return isinstance(getattr(module, "spec", None), ActivationSpec) and all(
            is_activation_module(c) for c in module.children()
        )
    return False


# ---- swap ------------------------------------------------------------------------------------

#: Config attributes through which Hugging Face models name their activation.
HF_CONFIG_KEYS = ("hidden_act", "activation_function", "hidden_activation")


@dataclass(frozen=True)
class Replacement:
    """One module path whose activation was replaced."""

    path: str
    before: str
    after: str
    role: str = "nonlinearity"

    def __str__(self) -> str:
        return f"{self.path} [{self.role}]: {self.before} -> {self.after}"


@dataclass(frozen=True)
class NotReplaced:
    """An activation that :func:`swap` found but could not replace, and why."""

    path: str
    what: str
    reason: str
    role: str = "nonlinearity"

    def __str__(self) -> str:
        return f"{self.path} [{self.role}]: {self.what} ({self.reason})"


@dataclass
class SwapReport:
    """What :func:`swap` did.

    ``model`` is the modified model (the input itself when ``inplace=True``, else a deep copy);
    ``replaced`` lists every replaced module path (a module shared by several paths is listed
    at each); ``not_replaced`` the activations left in place with the reason (gates when only
    nonlinearities are swapped, functional calls inside ``forward``, activation functions stored
    as plain attributes, the gates of ``nn.LSTM``/``nn.GRU``); each entry carries its ``role``
    (``"nonlinearity"``, ``"gate"`` or ``"unknown"``, see :func:`site_roles`); ``config_changes``
    the Hugging Face config attributes updated, as ``(key, before, after)``.
    """

    model: nn.Module = field(repr=False)
    replaced: list[Replacement] = field(default_factory=list)
    not_replaced: list[NotReplaced] = field(default_factory=list)
    config_changes: list[tuple[str, Any, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def paths(self) -> list[str]:
        return [r.path for r in self.replaced]

    @property
    def count(self) -> int:
        return len(self.replaced)

    def to_dict(self) -> dict[str, Any]:
        return {
            "replaced": [_asdict(r) for r in self.replaced],
            "not_replaced": [_asdict(r) for r in self.not_replaced],
            "config_changes": [list(c) for c in self.config_changes],
            "notes": list(self.notes),
        }

    def summary(self) -> str:
        lines = [f"replaced {self.count} activation module(s)"]
        lines += [f"  {r}" for r in self.replaced]
        if self.not_replaced:
            lines.append(f"not replaced: {len(self.not_replaced)}")
            lines += [f"  {r}" for r in self.not_replaced]
        lines += [f"config: {k}: {b!r} -> {a!r}" for k, b, a in self.config_changes]
        lines += [f"note: {n}" for n in self.notes]
        return "\n".join(lines)

    __str__ = summary


def _asdict(obj: Any) -> dict[str, Any]:
    return {f.name: getattr(obj, f.name) for f in fields(obj)}


def _describe(m: nn.Module) -> str:
    extra = m.extra_repr()
    return f"{m._get_name()}({extra})"


Match = None | type | tuple[type, ...] | str | re.Pattern | Callable[[str, nn.Module], bool]


def _selector(match: Match) -> tuple[Callable[[str, nn.Module], bool], Callable[[str, str], bool]]:
    """(module selector, functional-call filter) for ``match`` (see :func:`swap`)."""
    if match is None:
        return (lambda p, m: is_activation_module(m)), (lambda p, fn: True)
    if isinstance(match, type) or (
        isinstance(match, tuple) and match and all(isinstance(t, type) for t in match)
    ):
        types_ = match if isinstance(match, tuple) else (match,)

        def fn_ok(path: str, fname: str) -> bool:
            base = fname.removesuffix("()").rsplit(".", 1)[-1].rstrip("_")  # "F.relu_()" -> "relu"
            cls = _FUNC_TO_MODULE.get(base)
            return cls is not None and any(issubclass(cls, t) for t in types_)

        return (lambda p, m: isinstance(m, types_)), fn_ok
    if isinstance(match, str):
        return ((lambda p, m: is_activation_module(m) and fnmatch.fnmatchcase(p, match)),
                (lambda p, fn: fnmatch.fnmatchcase(p, match)))
    if isinstance(match, re.Pattern):
        return ((lambda p, m: is_activation_module(m) and match.search(p) is not None),
                (lambda p, fn: match.search(p) is not None))
    if callable(match):
        return (lambda p, m: is_activation_module(m) and bool(match(p, m))), (lambda p, fn: True)
    raise TypeError(f"match must be None, a class, a tuple of classes, a glob string, a compiled regex "
                    f"or a predicate(path, module); got {type(match).__name__}")


def _factory(to: Any, params: dict[str, Any]) -> Callable[[], nn.Module]:
    """A zero-argument callable returning a fresh replacement module."""
    from actlab.catalog.spec import ActivationSpec

    if isinstance(to, (str, ActivationSpec)):
        from actlab.api import get

        return lambda: get(to, **params)
    if isinstance(to, nn.Module):
        if params:
            raise TypeError("params can only be given with a name, a spec or a factory")
        return lambda: copy.deepcopy(to)
    if callable(to):
        return lambda: to(**params)
    raise TypeError(f"`to` must be an activation name, an ActivationSpec, an nn.Module or a factory; "
                    f"got {type(to).__name__}")


def _reference_tensor(model: nn.Module, parent: nn.Module, old: nn.Module) -> torch.Tensor | None:
    for src in (old, parent, model):
        for t in itertools.chain(src.parameters(), src.buffers()):
            if t.is_floating_point():
                return t
    return None


def swap(
    model: nn.Module,
    to: Any,
    match: Match = None,
    inplace: bool = False,
    *,
    params: dict[str, Any] | None = None,
    roles: str | Iterable[str] | None = None,
) -> SwapReport:
    """Replace the activation modules of ``model``; return a :class:`SwapReport`.

    Args:
        model: any ``nn.Module`` (plain PyTorch, ``transformers``, ``timm``, ``torchvision``).
        to: the new activation: a catalog name (``"relu2"``, built with :func:`actlab.get`), an
            :class:`~actlab.ActivationSpec`, a module instance (deep-copied per site) or a factory
            (a class or zero-argument callable returning a module). Each replaced module instance
            gets its own fresh module, so learnable replacements share no parameters (a module
            instance shared by several paths in the original stays shared).
        match: which activations: ``None`` (all, see :func:`is_activation_module`); a class or
            tuple of classes (every module of those classes, activation or not); a glob on the
            module path (``"*.mlp.act_fn"``); a compiled regex (searched in the path); or a
            predicate ``f(path, module) -> bool`` over the activation modules.
        inplace: modify ``model`` itself; otherwise a deep copy is modified (``report.model``).
        params: keyword parameters for the new activation (``{"negative_slope": 0.1}``).
        roles: which roles to replace (see :func:`site_roles`): ``"nonlinearity"``, ``"gate"``,
            ``"unknown"``, several of them, or ``"all"``. Default: only ``"nonlinearity"`` when
            ``match`` is ``None``; every role when ``match`` is given (what it selects is
            replaced, gates included). Sites left alone for their role are listed in
            ``report.not_replaced``.

    New modules are moved to the device and floating dtype of the module they replace (or of
    its parent, or the model, when it has no tensors). For Hugging Face models the config's
    ``hidden_act`` / ``activation_function`` / ``hidden_activation`` is set to the
    ``transformers`` ``ACT2FN`` name that computes the same function, when one exists and
    every activation built from that config entry was replaced; otherwise a note says why not.

    Activations that are not modules cannot be replaced and are listed in
    ``report.not_replaced``: calls such as ``F.relu(x)``, ``torch.sigmoid(x)``, ``x.relu()`` or
    ``ACT2FN[...](x)`` found by parsing the source of each module class's ``forward`` (and of
    the same-class methods and same-file functions it calls), and activation functions kept as
    plain attributes (``nn.TransformerEncoderLayer.activation = F.relu``).
    """
    select, fn_ok = _selector(match)
    wanted = _roles(roles, match)
    make = _factory(to, dict(params or {}))
    first = make()  # fail early (unknown name, bad parameter) before copying the model
    if not isinstance(first, nn.Module):
        raise TypeError(f"the replacement factory returned {type(first).__name__}, not an nn.Module")
    target = model if inplace else copy.deepcopy(model)
    report = SwapReport(model=target)

    if select("", target):
        new = first
        ref = _reference_tensor(target, target, target)
        if ref is not None:
            new = new.to(device=ref.device, dtype=ref.dtype)
        report.replaced.append(Replacement("<model>", _describe(target), _describe(new)))
        report.model = new
        if inplace:
            report.notes.append("the model is itself the activation: the replacement is in report.model, "
                                "the object passed in is unchanged")
        return report

    sites: list[tuple[str, nn.Module, str, nn.Module]] = []
    taken: set[str] = set()
    for pname, parent in target.named_modules(remove_duplicate=False):
        parts = pname.split(".") if pname else []
        if any(".".join(parts[: i + 1]) in taken for i in range(len(parts))):
            continue  # inside a module already selected: it is replaced as a whole
        for attr, child in parent._modules.items():
            if child is None:
                continue
            path = f"{pname}.{attr}" if pname else attr
            if select(path, child):
                sites.append((path, parent, attr, child))
                taken.add(path)

    role_of = site_roles(target, [p for p, *_ in sites])
    fresh: dict[int, nn.Module] = {}
    for path, parent, attr, old in sites:
        role = role_of[path]
        if role not in wanted:
            report.not_replaced.append(NotReplaced(path, _describe(old), _ROLE_REASON[role], role))
            continue
        if id(old) not in fresh:
            new = first if not fresh else make()
            ref = _reference_tensor(target, parent, old)
            if ref is not None:
                new = new.to(device=ref.device, dtype=ref.dtype)
            fresh[id(old)] = new
        new = fresh[id(old)]
        setattr(parent, attr, new)
        report.replaced.append(Replacement(path, _describe(old), _describe(new), role))

    replaced_ids = {id(m) for m in fresh.values()}
    report.not_replaced.extend(_unreplaceable(target, replaced_ids, fn_ok))
    report.not_replaced.extend(_recurrent(target, fn_ok))
    if fresh:
        _update_hf_config(target, first, report)
    if not sites:
        report.notes.append("no activation module found" if match is None
                            else f"no activation module matched {match!r}")
    return report


# ---- roles: a network's nonlinearity or a gate --------------------------------------------------

ROLES = ("nonlinearity", "gate", "unknown")
_ROLE_REASON = {
    "gate": "a gate (its output scales another tensor): swap replaces the network's nonlinearities "
            "by default; pass roles=('nonlinearity', 'gate') or a match= that selects it",
    "unknown": "a gate function whose use could not be traced (torch.fx) to tell a gate from a "
               "nonlinearity; pass roles='all' or a match= that selects it",
    "nonlinearity": "a nonlinearity, and roles= does not include 'nonlinearity'",
}


def _roles(roles: str | Iterable[str] | None, match: Match) -> frozenset[str]:
    if roles is None:
        return frozenset(ROLES) if match is not None else frozenset({"nonlinearity"})
    names = (roles,) if isinstance(roles, str) else tuple(roles)
    if "all" in names:
        return frozenset(ROLES)
    bad = [r for r in names if r not in ROLES]
    if bad or not names:
        raise ValueError(f"roles must be 'all' or among {', '.join(map(repr, ROLES))}; got {roles!r}")
    return frozenset(names)


_GRID = torch.linspace(-30.0, 30.0, 601, dtype=torch.float64)


def is_gate_function(module: nn.Module) -> bool:
    """Whether ``module`` computes a gate function: values in [0, 1], non-decreasing, from ≈0 to ≈1.

    Sigmoid, hardsigmoid and their relatives are; tanh, ReLU, SiLU and GELU are not. Decided
    numerically on [-30, 30] (float64); a module that cannot run on a 1-d float64 tensor is not.
    """
    try:
        with torch.no_grad():
            y = copy.deepcopy(module).to(torch.float64)(_GRID.clone())
    except Exception:
        return False
    if not isinstance(y, torch.Tensor) or y.shape != _GRID.shape or not bool(torch.isfinite(y).all()):
        return False
    return bool((y >= 0).all() and (y <= 1).all() and (y.diff() >= -1e-12).all()
                and y[0] <= 0.01 and y[-1] >= 0.99)


class _LeafTracer(torch.fx.Tracer):
    """Traces one module's own forward: every submodule is a leaf (a single ``call_module``)."""

    def is_leaf_module(self, m: nn.Module, qualname: str) -> bool:
        return True


_MULS = {operator.mul, operator.imul, torch.mul}
_SHAPE_OPS = {"view", "reshape", "unsqueeze", "squeeze", "expand", "expand_as", "flatten", "permute",
              "transpose", "contiguous", "to", "type_as", "view_as", "reshape_as"}


def _uses(node: torch.fx.Node) -> Iterable[tuple[str, Any]]:
    """``("mul", other operand)`` and ``("output", node)`` uses of ``node``, through shape-only ops."""
    for user in node.users:
        if user.op == "output":
            yield "output", user
        elif (user.op == "call_method" and user.target in _SHAPE_OPS and user.args[0] is node) or (
            user.op == "call_function" and user.target is operator.getitem and user.args[0] is node
        ):
            yield from _uses(user)
        elif (user.op == "call_function" and user.target in _MULS) or (
            user.op == "call_method" and user.target in ("mul", "mul_")
        ):
            for other in user.args:
                if other is not node:
                    yield "mul", other


class _Roles:
    """One :func:`site_roles` call: traced graphs and gate-function tests, cached for that call."""

    def __init__(self) -> None:
        self.graphs: dict[int, torch.fx.Graph | None] = {}
        self.gates: dict[tuple[type, str], bool] = {}

    def gate_function(self, m: nn.Module) -> bool:
        key = (type(m), _describe(m))
        if key not in self.gates:
            self.gates[key] = is_gate_function(m)
        return self.gates[key]

    def graph(self, m: nn.Module) -> torch.fx.Graph | None:
        if id(m) not in self.graphs:
            try:
                self.graphs[id(m)] = _LeafTracer().trace(m)
            except Exception:  # control flow on values, unsupported calls: the use is unknown
                self.graphs[id(m)] = None
        return self.graphs[id(m)]

    def use_in(self, module: nn.Module, attr: str, own_input: bool) -> str:
        """How ``module``'s forward uses submodule ``attr``: gate, nonlinearity, output or unknown.

        ``own_input``: a product with the activation's own input is self-gating, not a gate.
        """
        graph = self.graph(module)
        every = graph.nodes if graph is not None else ()
        nodes = [n for n in every if n.op == "call_module" and n.target == attr]
        if not nodes:
            return "unknown"
        use = "nonlinearity"
        for n in nodes:
            for kind, other in _uses(n):
                if kind == "mul" and not (own_input and other in n.all_input_nodes):
                    return "gate"
                if kind == "output":
                    use = "output"
        return use


def site_roles(model: nn.Module, paths: Iterable[str] | None = None) -> dict[str, str]:
    """The role (``"nonlinearity"``, ``"gate"``, ``"unknown"``) of each activation module path.

    ``paths`` defaults to every activation module of ``model`` (:func:`is_activation_module`).
    A path whose module is not a gate function (:func:`is_gate_function`) is a nonlinearity. A
    gate function is a gate when the forward of the module holding it multiplies its output
    (directly or reshaped) with another tensor than its own input, a nonlinearity when that
    forward uses it otherwise; when its output is that module's output, the module above
    decides (up to the model itself, whose output is no gate; a ``ModuleList``/``ModuleDict`` is
    passed over); when a forward cannot be traced, the role is unknown.
    """
    named = dict(model.named_modules(remove_duplicate=False))
    if paths is None:
        paths = [p for p, m in named.items() if p and is_activation_module(m)]
    state = _Roles()
    out: dict[str, str] = {}
    for path in paths:
        module = named.get(path)
        if module is None or not path or not state.gate_function(module):
            out[path] = "nonlinearity"
            continue
        use, target, here, own = "output", path, path, True
        while use == "output" and here:
            here = here.rpartition(".")[0]
            holder = named[here]
            if isinstance(holder, (nn.ModuleList, nn.ModuleDict)):
                continue  # no forward of its own: the module above calls self.<list>.<i>
            use = state.use_in(holder, target[len(here) + 1:] if here else target, own)
            target, own = here, False
        out[path] = "nonlinearity" if use == "output" else use  # the model's own output: not a gate
    return out


_RECURRENT = {
    nn.LSTM: ("input, forget and output gates", "cell-input and cell-output tanh"),
    nn.LSTMCell: ("input, forget and output gates", "cell-input and cell-output tanh"),
    nn.GRU: ("reset and update gates", "candidate-state tanh"),
    nn.GRUCell: ("reset and update gates", "candidate-state tanh"),
}


def _recurrent(model: nn.Module, fn_ok: Callable[[str, str], bool]) -> list[NotReplaced]:
    """The activations inside ``nn.LSTM``/``nn.GRU``/``nn.RNN`` (and cells): reported, never replaced."""
    out: list[NotReplaced] = []
    why = "inside the fused recurrent operator, not a module: swap cannot replace it"
    for path, m in model.named_modules():
        shown = path or "<model>"
        kind = type(m).__name__
        gates = next((v for t, v in _RECURRENT.items() if isinstance(m, t)), None)
        if gates is not None:
            if fn_ok(path, "torch.sigmoid()"):
                out.append(NotReplaced(shown, f"sigmoid {gates[0]} of {kind}", why, "gate"))
            if fn_ok(path, "torch.tanh()"):
                out.append(NotReplaced(shown, f"{gates[1]} of {kind}", why, "nonlinearity"))
        elif isinstance(m, (nn.RNN, nn.RNNCell)) and fn_ok(path, f"torch.{m.nonlinearity}()"):
            out.append(NotReplaced(shown, f"{m.nonlinearity} of {kind}", why, "nonlinearity"))
    return out


# ---- functional activations: found by reading forward() source ---------------------------------

_FUNC_NAMES = (
    "relu", "relu_", "relu6", "leaky_relu", "leaky_relu_", "elu", "elu_", "selu", "selu_", "celu",
    "celu_", "gelu", "silu", "mish", "hardswish", "hardsigmoid", "hardtanh", "hardtanh_", "sigmoid",
    "sigmoid_", "tanh", "tanh_", "softplus", "softsign", "logsigmoid", "rrelu", "rrelu_", "glu",
    "prelu", "threshold", "threshold_", "hardshrink", "softshrink", "tanhshrink",
)
_TENSOR_METHODS = ("relu", "relu_", "sigmoid", "sigmoid_", "tanh", "tanh_")
_FUNC_TO_MODULE: dict[str, type[nn.Module]] = {
    "relu": nn.ReLU, "relu6": nn.ReLU6, "leaky_relu": nn.LeakyReLU, "elu": nn.ELU, "selu": nn.SELU,
    "celu": nn.CELU, "gelu": nn.GELU, "silu": nn.SiLU, "mish": nn.Mish, "hardswish": nn.Hardswish,
    "hardsigmoid": nn.Hardsigmoid, "hardtanh": nn.Hardtanh, "sigmoid": nn.Sigmoid, "tanh": nn.Tanh,
    "softplus": nn.Softplus, "softsign": nn.Softsign, "logsigmoid": nn.LogSigmoid, "rrelu": nn.RReLU,
    "glu": nn.GLU, "prelu": nn.PReLU, "threshold": nn.Threshold, "hardshrink": nn.Hardshrink,
    "softshrink": nn.Softshrink, "tanhshrink": nn.Tanhshrink,
}


def _known_functions() -> dict[int, str]:
    import torch.nn.functional as F

    out: dict[int, str] = {}
    for ns, label in ((F, "F"), (torch, "torch"), (torch.special, "torch.special")):
        for n in _FUNC_NAMES:
            f = getattr(ns, n, None)
            if callable(f):
                out.setdefault(id(f), f"{label}.{n}")
    return out


def _resolve(node: ast.AST, env: dict[str, Any]) -> Any:
    """The object a dotted name (``F.relu``, ``torch.nn.functional.gelu``) refers to in ``env``."""
    if isinstance(node, ast.Name):
        return env.get(node.id, _MISSING)
    if isinstance(node, ast.Attribute):
        base = _resolve(node.value, env)
        return _MISSING if base is _MISSING else getattr(base, node.attr, _MISSING)
    return _MISSING


_MISSING = object()


@functools.cache
def _scan_class(cls: type) -> tuple[tuple[str, str], ...]:
    """``(call, where)`` for every activation call in ``cls.forward`` and what it calls."""
    known = _known_functions()
    found: list[tuple[str, str]] = []
    seen: set[int] = set()

    def visit(fn: Any, owner: str, depth: int) -> None:
        fn = inspect.unwrap(fn)
        if not inspect.isfunction(fn) or id(fn) in seen or depth > 3:
            return
        seen.add(id(fn))
        try:
            lines, start = inspect.getsourcelines(fn)
            tree = ast.parse(textwrap.dedent("".join(lines)))
        except (OSError, TypeError, SyntaxError):
            return
        env = dict(builtins.__dict__) | fn.__globals__
        try:
            env |= inspect.getclosurevars(fn).nonlocals
        except (TypeError, ValueError):  # pragma: no cover - odd closures
            pass
        src = (inspect.getsourcefile(fn) or "?").rsplit("/", 1)[-1]
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            obj = _resolve(f, env)
            where = f"{owner} ({src}:{start + node.lineno - 1})"
            if obj is not _MISSING and id(obj) in known:
                found.append((f"{known[id(obj)]}()", where))
            elif isinstance(f, ast.Subscript) and (
                type(_resolve(f.value, env)).__name__ == "ClassInstantier"
                or (isinstance(f.value, ast.Name) and f.value.id == "ACT2FN")
            ):
                found.append((f"{ast.unparse(f)}()", where))  # transformers' ACT2FN[...] built in forward
            elif (isinstance(f, ast.Attribute) and f.attr in _TENSOR_METHODS and not node.args
                  and _resolve(f.value, env) is _MISSING
                  and not (isinstance(f.value, ast.Name) and f.value.id == "self")):
                found.append((f"tensor.{f.attr}()", where))
            elif (isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id == "self"
                  and inspect.isfunction(getattr(cls, f.attr, None))):
                visit(getattr(cls, f.attr), f"{cls.__name__}.{f.attr}", depth + 1)
            elif isinstance(f, ast.Name) and inspect.isfunction(obj) and obj.__module__ == fn.__module__:
                visit(obj, obj.__qualname__, depth + 1)

    fwd = getattr(cls, "forward", None)
    if fwd is not None:
        visit(fwd, f"{cls.__name__}.forward", 0)
    return tuple(found)


def _unreplaceable(model: nn.Module, replaced_ids: set[int],
                   fn_ok: Callable[[str, str], bool]) -> list[NotReplaced]:
    known = _known_functions()
    out: list[NotReplaced] = []
    for path, m in model.named_modules():
        if id(m) in replaced_ids or is_activation_module(m):
            continue
        shown = path or "<model>"
        for call, where in _scan_class(type(m)):
            if fn_ok(path, call):
                out.append(NotReplaced(shown, f"{call} in {where}",
                                       "functional call inside forward, not a module: swap cannot "
                                       "replace it (change the forward, or make it a module)"))
        for attr, val in vars(m).items():
            name = known.get(id(val)) if callable(val) and not attr.startswith("_") else None
            if name is not None and fn_ok(path, name):
                out.append(NotReplaced(shown, f"attribute {attr} = {known[id(val)]}",
                                       "an activation function kept as a plain attribute, not a module"))
    return out


# ---- Hugging Face config -------------------------------------------------------------------------

def _same_function(a: nn.Module, b: nn.Module) -> bool:
    x = torch.linspace(-6, 6, 241, dtype=torch.float64)
    try:
        with torch.no_grad():
            ya = a.to(torch.float64)(x.clone())
            yb = b.to(torch.float64)(x.clone())
    except Exception:  # a module that cannot run on a 1-d float64 tensor cannot be matched
        return False
    return ya.shape == yb.shape and bool(torch.allclose(ya, yb, rtol=1e-6, atol=1e-9))


#: ACT2FN names tried first when several compute the same function (then alphabetical order).
_HF_PREFERRED = ("relu", "relu2", "silu", "gelu", "gelu_pytorch_tanh", "gelu_new", "sigmoid", "tanh",
                 "mish", "relu6", "leaky_relu", "hardswish", "quick_gelu", "linear")


def _update_hf_config(model: nn.Module, sample: nn.Module, report: SwapReport) -> None:
    config = getattr(model, "config", None)
    keys = [k for k in HF_CONFIG_KEYS if isinstance(getattr(config, k, None), str)]
    if config is None or not keys:
        return
    try:
        from transformers.activations import ACT2CLS, ACT2FN
    except ImportError:  # pragma: no cover - transformers models imply transformers
        return
    sample = copy.deepcopy(sample).cpu()
    first = [getattr(sample, "name", None), *_HF_PREFERRED]
    names = sorted(ACT2CLS, key=lambda k: (first.index(k) if k in first else len(first), k))
    new_key = None
    for k in names:
        try:
            cand = ACT2FN[k]
        except Exception:
            continue
        if not any(True for _ in cand.parameters()) and _same_function(sample, cand):
            new_key = k
            break
    for key in keys:
        old = getattr(config, key)
        try:
            old_cls = type(ACT2FN[old])
        except Exception:
            continue
        left = [p for p, m in model.named_modules() if type(m) is old_cls and is_activation_module(m)]
        if left:
            report.notes.append(f"config.{key} left as {old!r}: {len(left)} {old_cls.__name__} module(s) "
                                f"were not replaced (e.g. {left[0]})")
        elif new_key is None:
            report.notes.append(f"config.{key} left as {old!r}: no transformers ACT2FN entry computes "
                                f"{_describe(sample)}; a model rebuilt from this config gets the old one")
        elif new_key != old:
            setattr(config, key, new_key)
            report.config_changes.append((key, old, new_key))
