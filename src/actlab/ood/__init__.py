"""``actlab.ood``: out-of-distribution detection by rectifying penultimate activations.

:func:`react` (Sun et al. 2021) and :func:`vra` (Xu et al. 2023) return copies of a classifier
whose penultimate activations are rectified with thresholds calibrated on in-distribution data;
:func:`evaluate` scores in-distribution and OOD inputs (energy, max softmax, max logit) and returns
AUROC, AUPR and the FPR at 95 % TPR.

Example::

    from actlab import ood
    plain = ood.evaluate(model, x_test, x_ood)
    clipped = ood.evaluate(ood.react(model, x_train, percentile=90), x_test, x_ood)
    vra = ood.evaluate(ood.vra(model, x_train), x_test, x_ood)
"""

from actlab.ood.data import Batches, as_batches
from actlab.ood.metrics import SCORES, OODResult, aupr, auroc, evaluate, fpr_at_tpr, score_logits, scores
from actlab.ood.rectify import (
    ReActRectifier,
    RectifiedHead,
    VRARectifier,
    features,
    find_head,
    react,
    rectifier,
    vra,
)

__all__ = [
    "SCORES",
    "Batches",
    "OODResult",
    "ReActRectifier",
    "RectifiedHead",
    "VRARectifier",
    "as_batches",
    "aupr",
    "auroc",
    "evaluate",
    "features",
    "find_head",
    "fpr_at_tpr",
    "react",
    "rectifier",
    "score_logits",
    "scores",
    "vra",
]
