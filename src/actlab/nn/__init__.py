"""Modules: the generic elementwise activation and the special modules built on the catalog.

- :class:`Activation`: any catalog function as a module (``actlab.get(name)``).
- :class:`LearnableActivation` / :class:`VeLU`: the learnable form (``actlab.get(name, trainable=True)``).
- :class:`PAU`: safe Padé activation unit, fitted to any catalog activation.
- :class:`GatedFFN`, :class:`FFN`, :class:`DReLU`: feed-forward blocks (GLU family, dReLU).
- :class:`HeLU`: ReLU with the hysteresis backward (``actlab.get("helu")``).
- :class:`StochasticActivation`: ReLU/SiLU Bernoulli mix (``actlab.get("stochastic")``).
- :class:`CATS`, :func:`calibrate`, :class:`TopK`, :class:`StatisticalTopK`: sparse activations.
- :class:`SmartMixed`: per-neuron choice from a pool of activations.
- :class:`XUnit`: learnable spatial activation; :class:`KANLinear`, :class:`CatalogKANLinear`: KAN layers;
  :class:`MatrixActivation`: trainable matrix (piecewise-linear) activation.
- The survey's S rows (random in training, seeded, deterministic in eval: RReLU, NReLU, ProbAct, EELU,
  noisy activations, ...) in :mod:`actlab.nn.stochastic_units`; its N rows (softmax variants, maxout,
  CReLU, DualReLU/OPLU, DY-ReLU, meta-ACON, ...) in :mod:`actlab.nn.survey_layers`,
  :mod:`actlab.nn.softmax_variants` and :mod:`actlab.nn.dynamic`; all by name through ``actlab.get``.
"""

# the survey's S and N rows: importing the modules registers their names for actlab.get
from actlab.nn import dynamic, softmax_variants, stochastic_units, survey_layers  # noqa: F401
from actlab.nn.activation import Activation
from actlab.nn.gated import FFN, DReLU, GatedFFN, default_d_ff
from actlab.nn.helu import HeLU
from actlab.nn.kan import CatalogKANLinear, KANLinear
from actlab.nn.learnable import LearnableActivation
from actlab.nn.matrix import MatrixActivation
from actlab.nn.mixed import SmartMixed
from actlab.nn.pau import PAU, PadeFit, fit_pau
from actlab.nn.sparse import CATS, StatisticalTopK, TopK, calibrate
from actlab.nn.spatial import XUnit
from actlab.nn.stochastic import StochasticActivation, set_finetune_relu
from actlab.nn.velu import VeLU

__all__ = [
    "CATS",
    "FFN",
    "PAU",
    "Activation",
    "CatalogKANLinear",
    "DReLU",
    "GatedFFN",
    "HeLU",
    "KANLinear",
    "LearnableActivation",
    "MatrixActivation",
    "PadeFit",
    "SmartMixed",
    "StatisticalTopK",
    "StochasticActivation",
    "TopK",
    "VeLU",
    "XUnit",
    "calibrate",
    "default_d_ff",
    "fit_pau",
    "set_finetune_relu",
]
