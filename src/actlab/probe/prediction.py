"""Prediction difference between two models (reproducibility, Shamir et al., arXiv 2010.09931).

For each example the two models' class probabilities ``p`` and ``q`` are compared:

- ``disagreement``: the fraction of examples whose argmax class differs (ties broken towards the
  lowest class index, as ``torch.argmax`` does);
- ``pd_l1``: the mean of ``½ Σ_k |p_k − q_k|`` — the total-variation distance between the two
  predictive distributions, in [0, 1]; Shamir et al. call the expected ½‖p − q‖₁ of two
  independently trained models their (absolute) prediction difference;
- ``max_l1``: the largest per-example value of the same distance.

An *example* is every position of the logits but the last axis: a (B, K) classifier gives B
examples, a (B, T, V) language model B·T token predictions. A last axis of size 1 is read as the
logit of a binary classifier (p = [1 − σ(z), σ(z)]).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

import torch
from torch import nn


@dataclass(frozen=True)
class PredictionDifference:
    n: int
    disagreement: float
    pd_l1: float
    max_l1: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def logits_of(output: Any) -> torch.Tensor:
    """The logits tensor in a model output: a tensor, ``.logits``, or the first tensor of a tuple."""
    if isinstance(output, torch.Tensor):
        return output
    lg = getattr(output, "logits", None)
    if isinstance(lg, torch.Tensor):
        return lg
    if isinstance(output, dict) and isinstance(output.get("logits"), torch.Tensor):
        return output["logits"]
    if isinstance(output, (tuple, list)) and output and isinstance(output[0], torch.Tensor):
        return output[0]
    raise TypeError(f"cannot find logits in a model output of type {type(output).__name__}")


def run_model(model: nn.Module, batch: Any) -> torch.Tensor:
    """Call ``model`` on one batch: a tensor, a dict of keyword inputs, or ``(inputs, target…)``."""
    if isinstance(batch, dict):
        return logits_of(model(**batch))
    if isinstance(batch, (tuple, list)):
        return logits_of(model(batch[0]))
    return logits_of(model(batch))


def _probs(z: torch.Tensor) -> torch.Tensor:
    z = z.detach().double()
    if z.shape[-1] == 1:
        s = torch.sigmoid(z)
        return torch.cat([1 - s, s], dim=-1)
    return torch.softmax(z, dim=-1)


@torch.no_grad()
def prediction_difference(
    model_a: nn.Module, model_b: nn.Module, data: Iterable[Any], *, eval_mode: bool = True
) -> PredictionDifference:
    """How often and how much two models' predictions differ on ``data`` (see module docstring).

    ``data`` is an iterable of batches, each a tensor, a dict of keyword inputs (Hugging Face) or
    a tuple whose first item is the input. With ``eval_mode`` both models run in eval mode
    (dropout off) and their previous modes are restored afterwards.
    """
    # every submodule's own flag: a part the user left in eval mode (a frozen BatchNorm) stays so
    modes = [(m, m.training) for model in (model_a, model_b) for m in model.modules()]
    if eval_mode:
        model_a.eval()
        model_b.eval()
    n = 0
    differ = 0
    tv_sum = 0.0
    tv_max = 0.0
    try:
        for batch in data:
            pa, pb = _probs(run_model(model_a, batch)), _probs(run_model(model_b, batch))
            if pa.shape != pb.shape:
                raise ValueError(f"the models' outputs differ in shape: {tuple(pa.shape)} vs "
                                 f"{tuple(pb.shape)}")
            pa, pb = pa.reshape(-1, pa.shape[-1]), pb.reshape(-1, pb.shape[-1])
            tv = 0.5 * (pa - pb).abs().sum(-1)
            n += pa.shape[0]
            differ += int((pa.argmax(-1) != pb.argmax(-1)).sum())
            tv_sum += float(tv.sum())
            tv_max = max(tv_max, float(tv.max())) if tv.numel() else tv_max
    finally:
        for m, was in modes:
            m.train(was)
    if n == 0:
        raise ValueError("prediction_difference: data yielded no examples")
    return PredictionDifference(n=n, disagreement=differ / n, pd_l1=tv_sum / n, max_l1=tv_max)
