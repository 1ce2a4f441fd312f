"""Streaming per-layer accumulators: nothing here keeps an activation tensor.

Every statistic is updated batch by batch from running counts and sums whose size does not
depend on how much data is seen (see :meth:`LayerStats.state_nbytes`):

- ``zero_fraction``: #{a = 0} / #a over every element seen.
- ``near_zero_fraction``: #{|a| ≤ ε} / #a.
- ``dead_rate``: the fraction of neurons that were never active, a neuron being active on an
  input when |a| > ε at some position (a per-neuron "ever active" bit set, OR-ed over batches).
  This is the dead-neuron rate (DNR) of the APA paper (Alexandridis et al., arXiv 2407.08567):
  neurons whose output stays at (near) zero for all the data seen.
- ``massive_count``: elements with |a| > max(ratio · median|a|, floor), the median taken over
  the whole activation tensor of one forward call ("massive activations", Sun et al. 2024,
  arXiv 2402.17762, who use ratio 1000 and floor 100). The largest ones are kept with their
  positions.
- ``mean``, ``var``: exact streaming mean and (population) variance in float64 (Chan et al.'s
  pairwise merge of per-batch moments), and a histogram over fixed bin edges.
- ``threshold_sparsity``: the magnitude-threshold sparsity of "ReLU² Wins" (Zhang et al. 2024,
  arXiv 2402.03804), computed by :class:`CETTAccumulator`.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field
from typing import Any

import torch

Tensor = torch.Tensor

#: Neuron-output magnitudes are binned on this log grid for the CETT search: 16 points per
#: decade from 1e-12 to 1e12, so the threshold found is within a factor 10^(1/16) ≈ 1.155 of
#: the exact one and the sparsity reported is a lower bound on the exact value.
DEFAULT_THRESHOLD_GRID = torch.logspace(-12, 12, 24 * 16 + 1, dtype=torch.float64)

#: Histogram edges on a symmetric log scale: 0, ±10^k for k = -4, -3.875, …, 3 (8 bins per decade;
#: 115 edges, 114 bins), so activations of any scale from 1e-4 to 1e3 are resolved; bins are
#: [lo, hi), |a| < 1e-4 falls into the two bins next to 0, |a| ≥ 1e3 into under/overflow.
_POS = torch.logspace(-4, 3, 57, dtype=torch.float64)
DEFAULT_HIST_EDGES = torch.cat([-_POS.flip(0), torch.zeros(1, dtype=torch.float64), _POS])

# element budget of the temporaries one CETT chunk may allocate
_CHUNK_ELEMS = 1 << 22


@dataclass
class ProbeSettings:
    """The knobs of a probe; see :func:`actlab.probe.probe` for their meaning."""

    eps: float = 1e-3
    neuron_dim: int | str | dict = "auto"
    cett: float = 0.2
    massive_ratio: float = 1000.0
    massive_floor: float = 100.0
    max_positions: int = 32
    hist_edges: Tensor = field(default_factory=lambda: DEFAULT_HIST_EDGES.clone())
    threshold_grid: Tensor = field(default_factory=lambda: DEFAULT_THRESHOLD_GRID.clone())
    threshold_sparsity: bool = True

    def __post_init__(self) -> None:
        if not self.eps >= 0:
            raise ValueError(f"eps must be >= 0, got {self.eps!r}")
        if not 0 <= self.cett <= 1:
            raise ValueError(f"cett must be in [0, 1], got {self.cett!r}")
        if not self.massive_ratio > 0 or not self.massive_floor >= 0:
            raise ValueError("massive_ratio must be > 0 and massive_floor >= 0")
        self.hist_edges = torch.as_tensor(self.hist_edges, dtype=torch.float64).flatten()
        self.threshold_grid = torch.as_tensor(self.threshold_grid, dtype=torch.float64).flatten()
        for name, t in (("hist_edges", self.hist_edges), ("threshold_grid", self.threshold_grid)):
            if t.numel() < 2 or not bool((t[1:] > t[:-1]).all()):
                raise ValueError(f"{name} must be strictly increasing with at least 2 entries")
        if not bool((self.threshold_grid > 0).all()):
            raise ValueError("threshold_grid entries must be > 0 (threshold 0 is always included)")

    def as_dict(self) -> dict[str, Any]:
        nd = self.neuron_dim if not isinstance(self.neuron_dim, dict) else dict(self.neuron_dim)
        return {
            "eps": self.eps,
            "neuron_dim": nd,
            "cett": self.cett,
            "massive_ratio": self.massive_ratio,
            "massive_floor": self.massive_floor,
            "max_positions": self.max_positions,
            "hist_edges": self.hist_edges.tolist(),
            "threshold_grid": [float(self.threshold_grid[0]), float(self.threshold_grid[-1]),
                               self.threshold_grid.numel()],
        }


def neuron_axis(x: Tensor, neuron_dim: int | str) -> int:
    """The axis holding the neurons (channels) of ``x``.

    ``"auto"``: dim 1 for tensors of 4 or more dims (NCHW / NCDHW convolution maps), the last dim
    otherwise ((B, C) MLP activations, (B, T, C) sequences). 3-d convolution maps (N, C, L) need
    ``neuron_dim=1`` explicitly.
    """
    if neuron_dim == "auto":
        return 1 if x.dim() >= 4 else x.dim() - 1
    if not isinstance(neuron_dim, int):
        raise ValueError(f"neuron_dim must be an int or 'auto', got {neuron_dim!r}")
    d = neuron_dim % x.dim() if x.dim() else 0
    return d


def as_tokens(x: Tensor, axis: int) -> Tensor:
    """``x`` as a (positions, neurons) matrix: the neuron axis moved last, the rest flattened."""
    if x.dim() == 0:
        return x.reshape(1, 1)
    return x.movedim(axis, -1).reshape(-1, x.shape[axis])


class CETTAccumulator:
    """Magnitude-threshold sparsity of "ReLU² Wins" (Zhang et al. 2024, arXiv 2402.03804).

    A layer computes ``y = W a`` from neuron values ``a`` (the input of the linear layer that
    follows the activation; bias left out). Neuron ``i`` contributes ``n_i = a_i W[:, i]``, of
    magnitude ``‖n_i‖₂ = |a_i| ‖W[:, i]‖₂``. For a threshold ε the neurons with ``‖n_i‖ ≤ ε``
    are treated as inactive; the cumulative error of tail truncation of a token is

        CETT(ε) = ‖Σ_{i: ‖n_i‖ ≤ ε} n_i‖₂ / ‖Σ_i n_i‖₂ .

    The layer's threshold ε* is the largest grid value for which the mean CETT over every token
    seen, and that at every smaller grid value, stays ≤ the target (``cett``, default 0.2); the
    threshold sparsity is the fraction of (token, neuron) pairs with ‖n_i‖ ≤ ε*. ε = 0 (removing
    exactly-zero contributions) always qualifies, so the result is at least the fraction of zero
    contributions. Without a following linear layer ``W`` is the identity: ``n_i = a_i e_i``,
    ‖n_i‖ = |a_i|, and CETT is the relative L2 norm of the truncated activation vector.

    Streaming: per grid value it keeps the running sum of CETT over tokens and the count of
    removed pairs (two float64 vectors of the grid's length), nothing else.
    """

    def __init__(self, grid: Tensor, target: float):
        self.grid = grid
        self.target = float(target)
        nb = grid.numel() + 1  # bucket len(grid) = above the largest grid value
        self.cett_sum = torch.zeros(nb, dtype=torch.float64)
        self.removed = torch.zeros(nb, dtype=torch.float64)
        self.tokens = 0
        self.pairs = 0
        self.zero_pairs = 0
        self._dev_grid: dict[torch.device, Tensor] = {}

    def _grid_on(self, device: torch.device) -> Tensor:
        if device not in self._dev_grid:
            self._dev_grid[device] = self.grid.to(device=device, dtype=torch.float32)
        return self._dev_grid[device]

    @torch.no_grad()
    def update(self, a: Tensor, weight: Tensor | None = None) -> None:
        """Add a (tokens, neurons) batch; ``weight`` is (out, neurons) or None for the identity."""
        a = a.detach().float().contiguous()
        if weight is not None:
            weight = weight.detach().to(device=a.device, dtype=torch.float32)
            if weight.shape[1] != a.shape[1]:
                raise ValueError(f"weight has {weight.shape[1]} inputs, activations {a.shape[1]}")
        t, c = a.shape
        if t == 0 or c == 0:
            return
        grid = self._grid_on(a.device)
        nb = grid.numel() + 1
        mag = a.abs() if weight is None else a.abs() * weight.norm(dim=0)
        b = torch.bucketize(mag, grid)  # ‖n_i‖ ≤ grid[k]  <=>  b ≤ k
        zeros = int((mag == 0).sum())
        removed = torch.bincount(b.flatten(), minlength=nb).to(torch.float64)
        lo, hi = int(b.min()), int(b.max())
        width = hi - lo + 1
        d = 1 if weight is None else weight.shape[0]
        step = max(1, min(t, _CHUNK_ELEMS // (2 * c), _CHUNK_ELEMS // (width * d)))
        cett_sum = torch.zeros(nb, dtype=torch.float64, device=a.device)
        for s in range(0, t, step):
            cett_sum[lo : hi + 1] += self._chunk_cett(a[s : s + step], b[s : s + step] - lo, width, weight)
        cett_sum[hi + 1 :] = float(t)  # every neuron removed: the truncation is the whole output
        self.cett_sum += cett_sum.cpu()
        self.removed += removed.cpu()
        self.tokens += t
        self.pairs += t * c
        self.zero_pairs += zeros

    @staticmethod
    def _chunk_cett(a: Tensor, b: Tensor, width: int, weight: Tensor | None) -> Tensor:
        """Σ over the chunk's tokens of CETT at buckets ``lo … hi`` (``b`` is relative to lo)."""
        t, c = a.shape
        rows = (torch.arange(t, device=a.device).unsqueeze(1) * width + b).flatten()
        if weight is None:
            # ‖truncated‖² = Σ_{removed} a_i²: scatter a² into (token, bucket), prefix-sum buckets
            sq = torch.zeros(t * width, dtype=torch.float64, device=a.device)
            sq.index_add_(0, rows, (a.double() ** 2).flatten())
            part = sq.view(t, width).cumsum(1).sqrt()
            full = part[:, -1:]
        else:
            # per (token, bucket) sum of contributions a_i W[:, i]: one sparse-dense product
            idx = torch.stack([rows, torch.arange(c, device=a.device).repeat(t)])
            sp = torch.sparse_coo_tensor(idx, a.flatten(), (t * width, c), check_invariants=False)
            per_bucket = torch.sparse.mm(sp, weight.t()).double().view(t, width, -1)
            part = per_bucket.cumsum(1).norm(dim=2)
            full = part[:, -1:]  # every contribution summed: the layer output W a
        ratio = torch.where(full > 0, part / full.clamp_min(1e-300),
                            torch.where(part > 0, torch.inf, 0.0))
        return ratio.sum(0)

    def result(self) -> tuple[float, float]:
        """``(threshold_sparsity, threshold)``; NaNs before any data."""
        if self.tokens == 0:
            return math.nan, math.nan
        mean_cett = self.cett_sum[:-1] / self.tokens
        removed = self.removed.cumsum(0)[:-1]
        bad = (mean_cett > self.target).nonzero()
        k = int(bad[0]) - 1 if bad.numel() else mean_cett.numel() - 1
        if k < 0:
            return self.zero_pairs / self.pairs, 0.0
        return float(removed[k]) / self.pairs, float(self.grid[k])

    def curve(self) -> dict[str, list[float]]:
        """Mean CETT and sparsity at every grid threshold (for plots of the trade-off)."""
        if self.tokens == 0:
            return {"threshold": [], "cett": [], "sparsity": []}
        return {
            "threshold": self.grid.tolist(),
            "cett": (self.cett_sum[:-1] / self.tokens).tolist(),
            "sparsity": (self.removed.cumsum(0)[:-1] / self.pairs).tolist(),
        }

    def state_nbytes(self) -> int:
        return sum(t.numel() * t.element_size() for t in (self.cett_sum, self.removed))


class LayerStats:
    """Running statistics of one activation layer (see the module docstring)."""

    def __init__(self, name: str, settings: ProbeSettings):
        self.name = name
        self.s = settings
        self.calls = 0
        self.numel = 0
        self.zeros = 0
        self.near_zeros = 0
        self.nonfinite = 0
        self.massive = 0
        self.max_abs = 0.0
        self.mean = 0.0
        self.m2 = 0.0  # Σ (a - mean)² in float64
        nh = settings.hist_edges.numel() + 1
        self.hist = torch.zeros(nh, dtype=torch.float64)  # [underflow, bins..., overflow]
        self.ever_active: dict[int, Tensor] = {}  # neuron count -> bool per neuron
        self.positions: list[tuple[float, int, int, tuple[int, ...], float]] = []  # min-heap
        self._seq = 0
        self.cett = CETTAccumulator(settings.threshold_grid, settings.cett)
        self.threshold_basis = "activation"
        self.follower_calls = 0
        self.note = ""
        self._edges: dict[torch.device, Tensor] = {}

    def neuron_dim_for(self) -> int | str:
        nd = self.s.neuron_dim
        if isinstance(nd, dict):
            return nd.get(self.name, "auto")
        return nd

    @torch.no_grad()
    def update(self, out: Tensor, *, cett_from_activation: bool) -> None:
        """Fold one forward call's activation output into the running statistics."""
        xf = out.detach().float()
        n = xf.numel()
        self.calls += 1
        if n == 0:
            return
        ab = xf.abs()
        self.numel += n
        self.zeros += int((xf == 0).sum())
        self.near_zeros += int((ab <= self.s.eps).sum())
        self.nonfinite += int((~torch.isfinite(xf)).sum())
        self.max_abs = max(self.max_abs, float(ab.max()))
        # mean / variance: merge this batch's moments (Chan, Golub & LeVeque)
        xd = xf.double()
        bm = float(xd.mean())
        bm2 = float(((xd - bm) ** 2).sum())
        tot = self.numel
        prev = tot - n
        delta = bm - self.mean
        self.mean += delta * n / tot
        self.m2 += bm2 + delta * delta * prev * n / tot
        # histogram on fixed edges; bucket 0 = underflow, last = overflow; bins are [lo, hi)
        if xf.device not in self._edges:
            self._edges[xf.device] = self.s.hist_edges.to(device=xf.device, dtype=torch.float32)
        b = torch.bucketize(xf.flatten(), self._edges[xf.device], right=True)
        self.hist += torch.bincount(b, minlength=self.hist.numel()).to(torch.float64).cpu()
        # dead neurons: a neuron is active on this call if |a| > eps somewhere along the other axes
        axis = neuron_axis(xf, self.neuron_dim_for())
        tok = as_tokens(ab, axis)
        active = (tok > self.s.eps).any(0).cpu()
        c = active.numel()
        self.ever_active[c] = self.ever_active.get(c, torch.zeros(c, dtype=torch.bool)) | active
        self._massive(ab, xf)
        if cett_from_activation and self.s.threshold_sparsity:
            self.cett.update(as_tokens(xf, axis))

    def _massive(self, ab: Tensor, xf: Tensor) -> None:
        med = float(ab.flatten().median())
        cut = max(self.s.massive_ratio * med, self.s.massive_floor)
        mask = ab > cut
        cnt = int(mask.sum())
        self.massive += cnt
        if cnt == 0 or self.s.max_positions <= 0:
            return
        k = min(cnt, self.s.max_positions)
        vals, flat = torch.topk(torch.where(mask, ab, torch.zeros((), device=ab.device)).flatten(), k)
        for v, i in zip(vals.tolist(), flat.tolist()):
            idx = tuple(int(j) for j in torch.unravel_index(torch.tensor(i), tuple(xf.shape)))
            item = (v, -self._seq, self.calls - 1, idx, float(xf.flatten()[i]))
            self._seq += 1
            if len(self.positions) < self.s.max_positions:
                heapq.heappush(self.positions, item)
            else:
                heapq.heappushpop(self.positions, item)

    def update_follower(self, a: Tensor, weight: Tensor) -> None:
        """CETT from the input ``a`` (…, neurons) of the linear layer that follows the activation."""
        self.follower_calls += 1
        if self.s.threshold_sparsity:
            self.cett.update(a.detach().reshape(-1, a.shape[-1]), weight)

    # ---- results -------------------------------------------------------------------------
    @property
    def dead_rate(self) -> float:
        total = sum(v.numel() for v in self.ever_active.values())
        if total == 0:
            return math.nan
        return sum(int((~v).sum()) for v in self.ever_active.values()) / total

    def dead_neurons(self) -> dict[int, list[int]]:
        """Indices of never-active neurons, keyed by the layer's neuron count."""
        return {c: (~v).nonzero().flatten().tolist() for c, v in self.ever_active.items()}

    def metrics(self) -> dict[str, float]:
        """The seven reported metrics (NaN where undefined)."""
        n = self.numel
        if self.s.threshold_sparsity and self.cett_valid():
            ts, _ = self.cett.result()
        else:
            ts = math.nan
        return {
            "zero_fraction": self.zeros / n if n else math.nan,
            "near_zero_fraction": self.near_zeros / n if n else math.nan,
            "threshold_sparsity": ts,
            "dead_rate": self.dead_rate,
            "massive_count": float(self.massive),
            "mean": self.mean if n else math.nan,
            "var": self.m2 / n if n else math.nan,
        }

    def cett_valid(self) -> bool:
        if self.threshold_basis == "activation":
            return True
        if self.follower_calls != self.calls:
            self.note = (f"threshold_sparsity undefined: the following linear layer ran "
                         f"{self.follower_calls} times, the activation {self.calls} times")
            return False
        return True

    def massive_positions(self) -> list[dict[str, Any]]:
        """Largest massive activations kept: call index, index into that call's tensor, value."""
        items = sorted(self.positions, key=lambda it: (-it[0], -it[1]))
        return [{"call": it[2], "index": list(it[3]), "value": it[4]} for it in items]

    def details(self) -> dict[str, Any]:
        ts, thr = self.cett.result() if self.cett_valid() else (math.nan, math.nan)
        edges = self.s.hist_edges.tolist()
        return {
            **self.metrics(),
            "calls": self.calls,
            "numel": self.numel,
            "nonfinite": self.nonfinite,
            "max_abs": self.max_abs,
            "threshold": thr,
            "threshold_basis": self.threshold_basis,
            "cett_target": self.s.cett,
            "dead_neurons": self.dead_neurons(),
            "massive_positions": self.massive_positions(),
            "histogram": {
                "edges": edges,
                "counts": self.hist[1:-1].tolist(),
                "underflow": float(self.hist[0]),
                "overflow": float(self.hist[-1]),
            },
            "note": self.note,
        }

    def state_nbytes(self) -> int:
        """Bytes held by the accumulators (constant in the number of batches seen)."""
        b = self.hist.numel() * self.hist.element_size() + self.cett.state_nbytes()
        b += sum(v.numel() * v.element_size() for v in self.ever_active.values())
        b += len(self.positions) * 64
        return b
