"""Sparse activations: CATS (with threshold calibration), exact top-k and statistical top-k."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

import torch
from torch import nn

from actlab.catalog.registry import lookup
from actlab.catalog.spec import HALF_TYPES, evaluate
from actlab.nn.registry import register_module


class CATS(nn.Module):
    r"""CATS, Contextually-Aware Thresholding for Sparsity (Lee, Lee, Zhang, Tiwari, Mirhoseini 2024,
    arXiv 2404.08763):

    .. math:: \mathrm{CATS}_t(x) = \begin{cases} a & |a| \ge t \\ 0 & |a| < t \end{cases},
              \qquad a = \mathrm{SiLU}(x)

    Used as the gate of a gated FFN, ``(CATS(x W_gate) ⊙ x W_up) W_down``. The threshold ``t`` is a
    per-layer buffer, not trained: :func:`calibrate` sets it so that a target fraction of the
    activations is zeroed. Values with ``|a| == t`` are kept (the official ``Cats`` module's
    convention). The gradient is the masked SiLU derivative.

    Args:
        threshold: initial ``t >= 0`` (0 keeps every non-zero value).
        act: the activation that is thresholded (``"silu"`` in the paper; any catalog name).

    Shape: input ``(*)``, output ``(*)``.
    """

    def __init__(self, threshold: float = 0.0, act: str = "silu"):
        super().__init__()
        if not threshold >= 0:
            raise ValueError(f"cats: parameter 'threshold' must be in [0, inf), got {threshold!r}")
        self.spec = lookup(act)
        self.params = self.spec.resolve_params({})
        self.register_buffer("threshold", torch.tensor(float(threshold)))

    def activation(self, x: torch.Tensor) -> torch.Tensor:
        """The dense activation :math:`a = f(x)` before thresholding."""
        return evaluate(self.spec, x, self.params)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        a = self.activation(x)
        return torch.where(a.abs() >= self.threshold.to(a.dtype), a, torch.zeros_like(a))

    def extra_repr(self) -> str:
        return f"act={self.spec.name!r}, threshold={float(self.threshold):.6g}"


register_module("cats")(CATS)


class _LogHistogram:
    """Streaming histogram of non-negative values on log-spaced bins (constant memory).

    Bin 0 holds ``[0, lo)``; then ``per_decade`` bins per decade up to ``hi``; the last bin holds
    ``[hi, inf)``. Quantiles interpolate geometrically inside a bin (relative resolution
    ``10**(1/per_decade) - 1``, 0.23 % for 1000 bins per decade).
    """

    def __init__(self, lo: float = 1e-10, hi: float = 1e6, per_decade: int = 1000):
        decades = math.log10(hi) - math.log10(lo)
        self.edges = torch.logspace(
            math.log10(lo), math.log10(hi), int(round(decades * per_decade)) + 1, dtype=torch.float64
        )
        self.counts = torch.zeros(len(self.edges) + 1, dtype=torch.float64)
        self.total = 0

    def add(self, values: torch.Tensor) -> None:
        v = values.detach().reshape(-1).to("cpu", torch.float64)
        v = v[~torch.isnan(v)]
        idx = torch.bucketize(v, self.edges, right=True)  # 0: below lo; len(edges): at or above hi
        self.counts += torch.bincount(idx, minlength=len(self.counts)).to(torch.float64)
        self.total += v.numel()

    def quantile(self, q: float) -> float:
        """The value ``t`` with a fraction ``q`` of the values below it."""
        if self.total == 0:
            raise ValueError("no values recorded")
        target = q * self.total
        cum = torch.cumsum(self.counts, 0)
        i = int(torch.searchsorted(cum, torch.tensor([target], dtype=torch.float64)).item())
        i = min(i, len(self.counts) - 1)
        before = float(cum[i - 1]) if i > 0 else 0.0
        inside = float(self.counts[i])
        frac = 0.0 if inside == 0 else (target - before) / inside
        if i == 0:
            return float(self.edges[0]) * frac
        if i >= len(self.edges):
            return float(self.edges[-1])
        lo, hi = float(self.edges[i - 1]), float(self.edges[i])
        return lo * (hi / lo) ** frac


def _run(model: nn.Module, batch: Any, forward: Callable[[nn.Module, Any], Any] | None) -> None:
    if forward is not None:
        forward(model, batch)
    elif isinstance(batch, dict):
        model(**batch)
    elif isinstance(batch, (tuple, list)):
        model(*batch)
    else:
        model(batch)


@torch.no_grad()
def calibrate(
    model: nn.Module,
    batches: Iterable[Any],
    target_sparsity: float,
    *,
    method: str = "histogram",
    sequential: bool = False,
    forward: Callable[[nn.Module, Any], Any] | None = None,
) -> dict[str, float]:
    r"""Set the threshold of every :class:`CATS` layer in ``model`` for a target sparsity.

    Runs ``model`` (in eval mode, without gradients) on ``batches``, records :math:`|a|` at each
    CATS layer, and sets that layer's threshold to the ``target_sparsity`` quantile of its values:
    a fraction ``target_sparsity`` of the activations then falls below ``t`` and is zeroed.

    By default every layer is calibrated in one pass on the dense model (all thresholds 0), as the
    CATS paper does; a layer fed by earlier sparsified layers then sees slightly different inputs
    at inference. ``sequential=True`` calibrates the layers one after another in execution order,
    each with the earlier layers already sparsified (one pass over ``batches`` per layer; the
    batches are materialised in a list), so each layer hits the target on its actual inputs.

    Args:
        model: a module containing :class:`CATS` layers.
        batches: calibration inputs; each is passed as ``model(batch)`` (tuples/lists unpacked,
            dicts as keywords) unless ``forward(model, batch)`` is given.
        target_sparsity: fraction in ``[0, 1)`` of activations to zero.
        method: ``"histogram"`` (streaming, constant memory: 1000 log-spaced bins per decade over
            ``[1e-10, 1e6]``, geometric interpolation inside a bin, as the CATS code's histogram)
            or ``"exact"`` (keeps every value; exact order statistic).
        sequential: calibrate layer by layer on the already sparsified model (see above).
        forward: optional ``forward(model, batch)`` to run one batch.

    Returns: ``{qualified layer name: threshold}``. The model's training mode is restored; on an
    error the previous thresholds are restored.
    """
    if not 0.0 <= target_sparsity < 1.0:
        raise ValueError(f"target_sparsity must be in [0, 1), got {target_sparsity!r}")
    if method not in ("histogram", "exact"):
        raise ValueError(f"method must be 'histogram' or 'exact', got {method!r}")
    layers = {name: m for name, m in model.named_modules() if isinstance(m, CATS)}
    if not layers:
        raise ValueError("calibrate: the model has no CATS layer")
    saved = {n: m.threshold.clone() for n, m in layers.items()}
    was_training = model.training
    model.eval()
    try:
        for m in layers.values():
            m.threshold.zero_()
        if not sequential:
            stores = _record(model, batches, layers, method, forward)
            out = {n: _set(layers[n], stores[n], target_sparsity, n) for n in layers}
        else:
            batches = list(batches)
            order = _execution_order(model, batches[:1], layers, forward) if batches else list(layers)
            out = {}
            for n in order:
                stores = _record(model, batches, {n: layers[n]}, method, forward)
                out[n] = _set(layers[n], stores[n], target_sparsity, n)
    except BaseException:
        for n, m in layers.items():
            m.threshold.copy_(saved[n])
        raise
    finally:
        model.train(was_training)
    return {n: out[n] for n in layers}


def _record(
    model: nn.Module, batches: Iterable[Any], layers: dict[str, CATS], method: str, forward: Any
) -> dict[str, Any]:
    stores: dict[str, Any] = {n: (_LogHistogram() if method == "histogram" else []) for n in layers}

    def hook(name: str) -> Callable:
        def pre(module: CATS, args: tuple) -> None:
            a = module.activation(args[0]).abs()
            if method == "histogram":
                stores[name].add(a)
            else:
                stores[name].append(a.detach().reshape(-1).to("cpu", torch.float64))

        return pre

    handles = [m.register_forward_pre_hook(hook(n)) for n, m in layers.items()]
    try:
        for batch in batches:
            _run(model, batch, forward)
    finally:
        for h in handles:
            h.remove()
    return stores


def _execution_order(model: nn.Module, batches: list, layers: dict[str, CATS], forward: Any) -> list[str]:
    order: list[str] = []
    handles = [
        m.register_forward_pre_hook(lambda mod, args, n=n: order.append(n) if n not in order else None)
        for n, m in layers.items()
    ]
    try:
        for batch in batches:
            _run(model, batch, forward)
    finally:
        for h in handles:
            h.remove()
    return order + [n for n in layers if n not in order]


def _set(layer: CATS, store: Any, s: float, name: str) -> float:
    if isinstance(store, _LogHistogram):
        t = store.quantile(s) if store.total else None
    else:
        t = _exact_threshold(torch.cat(store), s) if store else None
    if t is None:
        raise ValueError(f"calibrate: layer {name!r} saw no input")
    layer.threshold.fill_(t)
    return float(layer.threshold)


def _exact_threshold(values: torch.Tensor, s: float) -> float:
    """Smallest ``t`` with ``round(s·n)`` values strictly below it."""
    n = values.numel()
    k = int(round(s * n))
    if k == 0:
        return 0.0
    v, _ = torch.sort(values)
    # midpoint between the k-th and (k+1)-th smallest keeps exactly k below (barring ties)
    return float(v[k - 1]) if k >= n else float((v[k - 1] + v[k]) / 2)


class TopK(nn.Module):
    r"""Exact top-k activation (k-sparse autoencoders: Makhzani & Frey 2013, arXiv 1312.5663;
    Gao et al. 2024, "Scaling and evaluating sparse autoencoders", arXiv 2406.04093):

    .. math::

        \mathrm{TopK}(x)_i = \begin{cases} f(x_i) & i \in \mathrm{argtop}_k(x) \\ 0 & \text{else}\end{cases}

    along ``dim``. Exactly ``k`` positions per row are kept even with ties (``torch.topk`` picks
    ``k`` indices); the gradient flows to the kept positions only. ``act`` (default none, i.e.
    identity) is applied to the kept values (Gao et al. use ``"relu"``).

    Args:
        k: number of values kept per row (``1 <= k <= size of dim``).
        dim: the dimension along which rows are taken.
        act: optional catalog activation for the kept values.

    Shape: input ``(*)``, output ``(*)``.
    """

    def __init__(self, k: int, dim: int = -1, act: str | None = None):
        super().__init__()
        if isinstance(k, bool) or not isinstance(k, int) or k < 1:
            raise ValueError(f"topk: parameter 'k' must be a positive integer, got {k!r}")
        self.k, self.dim = k, dim
        self.spec = lookup(act) if act is not None else None
        self.params = self.spec.resolve_params({}) if self.spec is not None else {}

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.k > x.shape[self.dim]:
            raise ValueError(f"topk: k={self.k} exceeds the size {x.shape[self.dim]} of dim {self.dim}")
        vals, idx = torch.topk(x, self.k, dim=self.dim)
        if self.spec is not None:
            vals = evaluate(self.spec, vals, self.params)
        return torch.zeros_like(x).scatter(self.dim, idx, vals)

    def extra_repr(self) -> str:
        return f"k={self.k}, dim={self.dim}" + (f", act={self.spec.name!r}" if self.spec else "")


register_module("topk")(TopK)


class StatisticalTopK(nn.Module):
    r"""Statistical top-k (You et al. 2025, "Spark Transformer", arXiv 2506.06644): a linear-time,
    sort-free approximation of top-k that assumes each row is roughly Gaussian.

    .. math::

        \theta(x) = \mu(x) + \sigma(x)\, \Phi^{-1}\!\left(1 - \tfrac{k}{d}\right), \qquad
        \text{soft: } y = \max(x - \theta, 0), \quad \text{hard: } y = x \cdot \mathbb{1}[x > \theta]

    with :math:`\mu, \sigma` the mean and (population) standard deviation of the row of length
    :math:`d` along ``dim``. On Gaussian rows about ``k`` entries survive. The soft-threshold form
    (default) is continuous and is the form Spark Transformer uses, as we read the paper; ``hard``
    keeps the surviving values unchanged.

    Args:
        k: expected number of entries kept per row (``1 <= k < d``).
        dim: the dimension along which rows are taken.
        soft: soft thresholding (default) or hard thresholding.

    Shape: input ``(*)``, output ``(*)``.
    """

    def __init__(self, k: int, dim: int = -1, soft: bool = True):
        super().__init__()
        if isinstance(k, bool) or not isinstance(k, int) or k < 1:
            raise ValueError(f"statistical_topk: parameter 'k' must be a positive integer, got {k!r}")
        self.k, self.dim, self.soft = k, dim, soft

    def threshold(self, x: torch.Tensor) -> torch.Tensor:
        """The per-row threshold :math:`\\theta(x)`, with ``dim`` kept (size 1)."""
        d = x.shape[self.dim]
        if not self.k < d:
            raise ValueError(f"statistical_topk: k={self.k} must be smaller than the row length {d}")
        xf = x.float() if x.dtype in HALF_TYPES else x
        z = torch.special.ndtri(torch.tensor(1.0 - self.k / d, dtype=torch.float64)).to(xf.dtype)
        std, mean = torch.std_mean(xf, dim=self.dim, correction=0, keepdim=True)
        return mean + std * z

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        theta = self.threshold(x).to(x.dtype)
        if self.soft:
            return torch.clamp_min(x - theta, 0)
        return torch.where(x > theta, x, torch.zeros_like(x))

    def extra_repr(self) -> str:
        return f"k={self.k}, dim={self.dim}, soft={self.soft}"


register_module("statistical_topk")(StatisticalTopK)
