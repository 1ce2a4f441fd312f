"""The probe: forward hooks on activation modules feeding streaming per-layer statistics."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import torch
from torch import nn

from actlab.probe.metrics import LayerStats, ProbeSettings
from actlab.surgery import is_activation_module

Tensor = torch.Tensor

#: Metric names of :meth:`Probe.rows`, in order.
METRICS = (
    "zero_fraction",
    "near_zero_fraction",
    "threshold_sparsity",
    "dead_rate",
    "massive_count",
    "mean",
    "var",
)

#: Attribute names under which a feed-forward block keeps its down projection (the linear layer
#: whose input holds the activated neurons): LLaMA/Mistral ``down_proj``, GPT-2 ``c_proj``,
#: timm/ViT/BERT-style ``fc2``, T5 ``wo``, SwiGLU-style ``w2``, GPT-NeoX ``dense_4h_to_h``,
#: GPT-J ``fc_out``.
FOLLOWER_NAMES = ("down_proj", "c_proj", "fc2", "w2", "wo", "dense_4h_to_h", "fc_out")

Selection = (
    None
    | type
    | tuple[type, ...]
    | Callable[[str, nn.Module], bool]
    | Sequence[str | nn.Module]
)


def linear_weight(module: nn.Module) -> Tensor | None:
    """The (out, in) weight of an ``nn.Linear`` or a ``transformers`` ``Conv1D``; else None."""
    if isinstance(module, nn.Linear):
        return module.weight
    w = getattr(module, "weight", None)
    if type(module).__name__ == "Conv1D" and hasattr(module, "nf") and isinstance(w, Tensor) and w.dim() == 2:
        return w.t()  # transformers' Conv1D stores (in, out)
    return None


def _display(name: str) -> str:
    return name or "<model>"


def select_modules(model: nn.Module, modules: Selection = None) -> list[tuple[str, nn.Module]]:
    """``(path, module)`` pairs chosen by ``modules`` (see :func:`probe`); each instance once."""
    named = list(model.named_modules())
    if modules is None:
        return [(n, m) for n, m in named if is_activation_module(m)]
    if isinstance(modules, type) or (
        isinstance(modules, tuple) and modules and all(isinstance(t, type) for t in modules)
    ):
        return [(n, m) for n, m in named if isinstance(m, modules)]
    if callable(modules) and not isinstance(modules, nn.Module):
        return [(n, m) for n, m in named if modules(n, m)]
    if isinstance(modules, (str, nn.Module)):
        modules = [modules]
    by_id = {id(m): n for n, m in reversed(named)}
    out: list[tuple[str, nn.Module]] = []
    for item in modules:
        if isinstance(item, str):
            try:
                out.append((item, model.get_submodule(item)))
            except AttributeError:
                raise ValueError(f"model has no submodule {item!r}") from None
        elif isinstance(item, nn.Module):
            if id(item) not in by_id:
                raise ValueError(f"module {type(item).__name__} is not part of the model")
            out.append((by_id[id(item)], item))
        else:
            raise TypeError(f"modules entries must be names or nn.Modules, got {type(item).__name__}")
    return out


class Probe:
    """Forward hooks on a model's activation layers that accumulate statistics over many batches.

    Use it through :func:`actlab.probe` as a context manager: hooks are attached on entry and
    removed on exit, also when the block raises. The results stay readable after the block.
    No activation tensor is stored; the state of each layer has a fixed size
    (:meth:`state_nbytes`). See :mod:`actlab.probe.metrics` for every metric's definition.
    """

    def __init__(
        self,
        model: nn.Module,
        modules: Selection = None,
        *,
        followers: str | dict[str, nn.Module | str] | None = "auto",
        **settings: Any,
    ):
        self.model = model
        hist_range = settings.pop("hist_range", None)
        hist_bins = settings.pop("hist_bins", None)
        if hist_range is not None:  # linear bins instead of the default symmetric-log ones
            lo, hi = hist_range
            settings["hist_edges"] = torch.linspace(float(lo), float(hi), int(hist_bins or 100) + 1,
                                                    dtype=torch.float64)
        elif hist_bins is not None:
            raise ValueError("hist_bins needs hist_range (the default bins are fixed log-scale ones)")
        if settings.get("threshold_grid") is None:
            settings.pop("threshold_grid", None)
        self.settings = ProbeSettings(**settings)
        self.layers = select_modules(model, modules)
        if not self.layers:
            raise ValueError("no activation modules found to probe; pass `modules=` to choose some")
        self.stats: dict[str, LayerStats] = {
            _display(n): LayerStats(_display(n), self.settings) for n, _ in self.layers
        }
        self.followers = self._resolve_followers(followers)
        self._handles: list[torch.utils.hooks.RemovableHandle] = []

    # ---- set-up --------------------------------------------------------------------------
    def _resolve_followers(self, followers) -> dict[str, tuple[str, nn.Module]]:
        out: dict[str, tuple[str, nn.Module]] = {}
        if followers is None or not self.settings.threshold_sparsity:
            return out
        if followers == "auto":
            for name, _ in self.layers:
                if not name:
                    continue
                parent_name, _, _ = name.rpartition(".")
                parent = self.model.get_submodule(parent_name)
                for attr in FOLLOWER_NAMES:
                    f = getattr(parent, attr, None)
                    if isinstance(f, nn.Module) and linear_weight(f) is not None:
                        out[name] = (f"{parent_name}.{attr}" if parent_name else attr, f)
                        break
            return out
        if not isinstance(followers, dict):
            raise TypeError("followers must be 'auto', None or a dict {activation path: linear}")
        names = {n for n, _ in self.layers}
        for act, lin in followers.items():
            if act not in names:
                raise ValueError(f"followers: {act!r} is not a probed module")
            path = lin if isinstance(lin, str) else "<given>"
            mod = self.model.get_submodule(lin) if isinstance(lin, str) else lin
            if linear_weight(mod) is None:
                raise TypeError(f"followers[{act!r}] must be an nn.Linear or transformers Conv1D")
            out[act] = (path, mod)
        return out

    def attach(self) -> Probe:
        """Register the hooks (idempotent)."""
        if self._handles:
            return self
        for name, module in self.layers:
            st = self.stats[_display(name)]
            follower = self.followers.get(name)
            self._handles.append(module.register_forward_hook(self._act_hook(st, follower)))
            if follower is not None:
                self._handles.append(follower[1].register_forward_pre_hook(self._follower_hook(st, follower)))
        return self

    def detach(self) -> None:
        """Remove every hook this probe registered."""
        while self._handles:
            self._handles.pop().remove()

    def __enter__(self) -> Probe:
        return self.attach()

    def __exit__(self, *exc: object) -> None:
        self.detach()

    @property
    def attached(self) -> bool:
        return bool(self._handles)

    @staticmethod
    def _act_hook(st: LayerStats, follower: tuple[str, nn.Module] | None):
        def hook(module: nn.Module, args: tuple, out: Any) -> None:
            if not isinstance(out, Tensor):
                st.note = f"output of type {type(out).__name__} is not a tensor; not measured"
                return
            if st.calls == 0 and follower is not None and st.threshold_basis == "activation":
                w = linear_weight(follower[1])
                axis_last = st.neuron_dim_for() in ("auto", -1, out.dim() - 1) and out.dim() < 4
                if w is not None and out.dim() >= 1 and w.shape[1] == out.shape[-1] and axis_last:
                    st.threshold_basis = f"linear:{follower[0]}"
                else:
                    width = out.shape[-1] if out.dim() else 0
                    st.note = (f"{follower[0]} does not take this layer's {width} neurons; "
                               "threshold_sparsity uses the activation itself")
            st.update(out, cett_from_activation=st.threshold_basis == "activation")

        return hook

    @staticmethod
    def _follower_hook(st: LayerStats, follower: tuple[str, nn.Module]):
        def hook(module: nn.Module, args: tuple) -> None:
            if not st.threshold_basis.startswith("linear:"):
                return
            if not args or not isinstance(args[0], Tensor):
                st.note = f"{follower[0]} was not called with a tensor argument"
                return
            st.update_follower(args[0], linear_weight(module))

        return hook

    # ---- results -------------------------------------------------------------------------
    def reset(self) -> None:
        """Forget everything seen so far (hooks stay as they are)."""
        for name in list(self.stats):
            self.stats[name] = LayerStats(name, self.settings)
        if self._handles:
            self.detach()
            self.attach()

    def measured(self) -> list[str]:
        """Names of the layers that ran at least once, in model order."""
        return [n for n, st in self.stats.items() if st.calls > 0]

    def rows(self) -> list[dict[str, Any]]:
        """``{"layer", "metric", "value"}`` for every measured layer and every metric in :data:`METRICS`."""
        out = []
        for name in self.measured():
            m = self.stats[name].metrics()
            out.extend({"layer": name, "metric": k, "value": m[k]} for k in METRICS)
        return out

    def table(self) -> dict[str, dict[str, float]]:
        """``{layer: {metric: value}}`` for the measured layers."""
        return {n: self.stats[n].metrics() for n in self.measured()}

    def details(self) -> dict[str, Any]:
        """Everything: settings, per-layer metrics, thresholds, histograms, massive positions."""
        return {
            "settings": self.settings.as_dict(),
            "layers": {n: self.stats[n].details() for n in self.measured()},
            "unused": [n for n, st in self.stats.items() if st.calls == 0],
        }

    def state_nbytes(self) -> int:
        """Bytes held by all accumulators; does not grow with the number of batches seen."""
        return sum(st.state_nbytes() for st in self.stats.values())

    def to_csv(self, path: str | Path) -> Path:
        from actlab.probe.export import write_csv

        return write_csv(self.rows(), path)

    def to_json(self, path: str | Path) -> Path:
        from actlab.probe.export import write_json

        return write_json({"rows": self.rows(), **self.details()}, path)

    def plot(self, path: str | Path, title: str | None = None) -> Path:
        from actlab.probe.plot import plot_probe

        return plot_probe(self.details(), path, title=title)

    def __repr__(self) -> str:
        return (f"Probe({len(self.layers)} layers, {'attached' if self.attached else 'detached'}, "
                f"{sum(st.calls for st in self.stats.values())} calls seen)")


def probe(
    model: nn.Module,
    modules: Selection = None,
    *,
    eps: float = 1e-3,
    neuron_dim: int | str | dict[str, int | str] = "auto",
    cett: float = 0.2,
    massive_ratio: float = 1000.0,
    massive_floor: float = 100.0,
    max_positions: int = 32,
    hist_range: tuple[float, float] | None = None,
    hist_bins: int | None = None,
    threshold_grid: Tensor | Iterable[float] | None = None,
    threshold_sparsity: bool = True,
    followers: str | dict[str, nn.Module | str] | None = "auto",
) -> Probe:
    """Measure a model's activations over many batches: ``with actlab.probe(model) as p: model(x)``.

    Args:
        model: any ``nn.Module``.
        modules: which modules to hook. ``None``: every activation module
            (:func:`actlab.surgery.is_activation_module`); a class or tuple of classes; a
            predicate ``f(path, module) -> bool``; or a list of module paths / module objects.
        eps: |a| ≤ eps counts as near zero; a neuron is *active* on an input when |a| > eps.
        neuron_dim: the axis of neurons (channels). ``"auto"``: dim 1 for ≥ 4-d tensors (NCHW),
            the last dim otherwise ((B, C), (B, T, C)); an int; or ``{path: int | "auto"}``.
        cett: the CETT target of the threshold sparsity (ReLU² Wins): the largest tolerated mean
            relative L2 change of the layer output when sub-threshold neurons are dropped.
        massive_ratio, massive_floor: an element is massive when |a| > max(ratio · median|a|,
            floor) (Sun et al. 2024 use 1000 and 100).
        max_positions: how many of the largest massive activations to keep per layer.
        hist_range, hist_bins: ``hist_bins`` equal bins on [lo, hi) (default 100 bins); without
            them the bins are fixed on a symmetric log scale (0, ±1e-4 … ±1e3, 8 per decade).
            Values outside the bins are counted as under/overflow.
        threshold_grid: increasing positive thresholds searched for the CETT threshold (default:
            16 per decade on [1e-12, 1e12]).
        threshold_sparsity: set False to skip the CETT computation (the costliest metric).
        followers: ``"auto"`` finds the down projection after each activation (a ``down_proj``,
            ``c_proj``, ``fc2``, ``w2``, ``wo``, ``dense_4h_to_h`` or ``fc_out`` sibling whose
            input width equals the activation's width) and computes the threshold sparsity from
            that layer's input and weight; ``None`` always uses the activation itself; a dict
            ``{activation path: linear module or path}`` chooses explicitly.

    Returns a :class:`Probe`; results: ``p.rows()``, ``p.table()``, ``p.details()``,
    ``p.to_csv(path)``, ``p.to_json(path)``, ``p.plot(path)``.
    """
    return Probe(
        model,
        modules,
        followers=followers,
        eps=eps,
        neuron_dim=neuron_dim,
        cett=cett,
        massive_ratio=massive_ratio,
        massive_floor=massive_floor,
        max_positions=max_positions,
        hist_range=hist_range,
        hist_bins=hist_bins,
        threshold_grid=threshold_grid,
        threshold_sparsity=threshold_sparsity,
    )
