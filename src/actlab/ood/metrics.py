r"""OOD scores and detection metrics, and :func:`evaluate`.

Scores (higher = more in-distribution), from the logits ``f`` of a classifier:

- ``"energy"``: the negative free energy :math:`T \log \sum_i e^{f_i/T}` (Liu et al., "Energy-based
  Out-of-distribution Detection", NeurIPS 2020), the score ReAct and VRA report with; ``T = 1``;
- ``"msp"``: the maximum softmax probability :math:`\max_i \mathrm{softmax}(f/T)_i` (Hendrycks &
  Gimpel 2017);
- ``"max_logit"``: :math:`\max_i f_i` (Hendrycks et al. 2022).

Metrics treat in-distribution as the positive class, as ReAct and VRA do:

- ``auroc``: the area under the ROC curve, i.e. the probability that a random in-distribution
  sample scores above a random OOD sample (ties count one half);
- ``aupr_in`` / ``aupr_out``: the area under the precision–recall curve with in-distribution
  (resp. OOD, scores negated) as positives, as average precision
  (``sklearn.metrics.average_precision_score``: precision summed over the recall steps);
- ``fpr95``: the false-positive rate at 95 % true-positive rate: the fraction of OOD samples
  scoring at or above the highest threshold that keeps at least 95 % of in-distribution samples.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import torch
from torch import nn

from actlab.ood.data import as_batches

__all__ = ["SCORES", "OODResult", "aupr", "auroc", "evaluate", "fpr_at_tpr", "score_logits", "scores"]


def _energy(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    return temperature * torch.logsumexp(logits / temperature, dim=-1)


def _msp(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    return torch.softmax(logits / temperature, dim=-1).amax(dim=-1)


def _max_logit(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    return logits.amax(dim=-1)


SCORES: dict[str, Callable[[torch.Tensor, float], torch.Tensor]] = {
    "energy": _energy,
    "msp": _msp,
    "max_logit": _max_logit,
}


def _score_fn(score: str | Callable[[torch.Tensor], torch.Tensor], temperature: float) -> Callable:
    if isinstance(temperature, bool) or not isinstance(temperature, (int, float)) or not temperature > 0:
        raise ValueError(f"temperature must be a number > 0, got {temperature!r}")
    if callable(score):
        return score
    if score not in SCORES:
        raise LookupError(f"unknown score {score!r}; available: {', '.join(SCORES)} (or a callable)")
    fn = SCORES[score]
    return lambda logits: fn(logits, float(temperature))


def score_logits(logits: torch.Tensor, score: str = "energy", temperature: float = 1.0) -> torch.Tensor:
    """The OOD score of each row of ``logits`` (see the module docstring)."""
    return _score_fn(score, temperature)(logits.float())


@torch.no_grad()
def scores(
    model: nn.Module,
    data: Any,
    score: str | Callable[[torch.Tensor], torch.Tensor] = "energy",
    temperature: float = 1.0,
    *,
    name: str = "data",
) -> np.ndarray:
    """The OOD score of every sample of ``data`` under ``model`` (in eval mode), as float64."""
    fn = _score_fn(score, temperature)
    batches = as_batches(data, name)
    dev = next((p.device for p in model.parameters()), torch.device("cpu"))
    was = model.training
    model.eval()
    try:
        out = [fn(model(x.to(dev)).float()).double().cpu() for x in batches]
    finally:
        model.train(was)
    return torch.cat(out).numpy()


def _check_scores(s_id: Any, s_ood: Any) -> tuple[np.ndarray, np.ndarray]:
    a = np.asarray(s_id, dtype=float).ravel()
    b = np.asarray(s_ood, dtype=float).ravel()
    if len(a) == 0 or len(b) == 0:
        raise ValueError(f"need at least one in-distribution and one OOD score, got {len(a)} and {len(b)}")
    if not (np.isfinite(a).all() and np.isfinite(b).all()):
        raise ValueError("scores must be finite")
    return a, b


def _labels(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return np.concatenate([np.ones(len(a)), np.zeros(len(b))]), np.concatenate([a, b])


def auroc(id_scores: Any, ood_scores: Any) -> float:
    """P(score of an in-distribution sample > score of an OOD sample), ties counted ½."""
    from sklearn.metrics import roc_auc_score

    y, s = _labels(*_check_scores(id_scores, ood_scores))
    return float(roc_auc_score(y, s))


def aupr(id_scores: Any, ood_scores: Any, positive: str = "in") -> float:
    """Average precision with in-distribution (``positive="in"``) or OOD (``"out"``) as positives."""
    from sklearn.metrics import average_precision_score

    a, b = _check_scores(id_scores, ood_scores)
    if positive == "in":
        y, s = _labels(a, b)
    elif positive == "out":
        y, s = _labels(-b, -a)
    else:
        raise ValueError(f"positive must be 'in' or 'out', got {positive!r}")
    return float(average_precision_score(y, s))


def fpr_at_tpr(id_scores: Any, ood_scores: Any, tpr: float = 0.95) -> float:
    """The fraction of OOD scores ≥ λ, for the highest λ keeping at least ``tpr`` of the
    in-distribution scores (≥ λ)."""
    if isinstance(tpr, bool) or not isinstance(tpr, (int, float)) or not 0 < tpr <= 1:
        raise ValueError(f"tpr must be in (0, 1], got {tpr!r}")
    a, b = _check_scores(id_scores, ood_scores)
    k = int(np.ceil(tpr * len(a) - 1e-9))  # at least k in-distribution samples kept
    lam = np.sort(a)[::-1][k - 1]
    return float(np.mean(b >= lam))


@dataclass(frozen=True)
class OODResult:
    """Detection metrics of one (in-distribution, OOD) pair; see the module docstring."""

    auroc: float
    aupr_in: float
    aupr_out: float
    fpr95: float
    n_id: int
    n_ood: int
    score: str = "energy"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def evaluate(
    model: nn.Module,
    id_data: Any,
    ood_data: Any,
    *,
    score: str | Callable[[torch.Tensor], torch.Tensor] = "energy",
    temperature: float = 1.0,
    batch_size: int = 512,
) -> OODResult:
    """Score ``id_data`` and ``ood_data`` with ``model`` and return :class:`OODResult`.

    ``id_data`` and ``ood_data`` are tensors of inputs (or iterables of batches) with the same
    per-sample shape; a mismatch raises ``ValueError`` naming ``ood_data`` before the model runs.
    """
    _score_fn(score, temperature)
    ib = as_batches(id_data, "id_data", batch_size)
    ob = as_batches(ood_data, "ood_data", batch_size)
    if ob.sample_shape != ib.sample_shape:
        raise ValueError(f"ood_data must have the per-sample shape of id_data, {ib.sample_shape}; "
                         f"got {ob.sample_shape}")
    s_id = scores(model, ib, score, temperature)
    s_ood = scores(model, ob, score, temperature)
    return OODResult(
        auroc=auroc(s_id, s_ood),
        aupr_in=aupr(s_id, s_ood, "in"),
        aupr_out=aupr(s_id, s_ood, "out"),
        fpr95=fpr_at_tpr(s_id, s_ood, 0.95),
        n_id=len(s_id),
        n_ood=len(s_ood),
        score=score if isinstance(score, str) else getattr(score, "__name__", "custom"),
    )
