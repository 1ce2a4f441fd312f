"""Stochastic activation: a Bernoulli choice between ReLU and SiLU (Lomeli et al. 2025)."""

from __future__ import annotations

import torch
from torch import nn

from actlab.catalog.registry import lookup
from actlab.catalog.spec import evaluate
from actlab.nn.registry import register_module

GRANULARITIES = ("element", "token", "tensor")


class StochasticActivation(nn.Module):
    r"""Stochastic activation (Lomeli, Douze, Szilvasy, ..., Jégou, "Stochastic activations",
    arXiv 2509.22358): during training each draw selects SiLU with probability ``p`` and ReLU
    with probability ``1 - p``.

    .. math::

        y = \begin{cases} \mathrm{SiLU}(x) & \text{if } m = 1 \text{ and } x < 0 \\
                          \mathrm{ReLU}(x) & \text{otherwise} \end{cases},
        \qquad m \sim \mathrm{Bernoulli}(p)

    With ``negative_only=True`` (default) the draw acts only where :math:`x < 0` (the paper's Fig. 1:
    "randomly selects one of two activations when x < 0"); the positive side is ReLU's
    :math:`y = x` whatever the draw. ``negative_only=False`` applies the chosen function on the whole
    axis (SiLU also changes :math:`x > 0`).

    Phases (all switchable at any time):

    - training (``module.train()``): stochastic as above;
    - evaluation (``module.eval()``): deterministic ReLU, giving sparse activations;
    - ``finetune_relu()``: ReLU in training too, for the paper's final "fine-tune with ReLU"
      phase; ``finetune_relu(False)`` switches back;
    - ``stochastic_inference=True``: keep drawing at evaluation time (the paper's second use,
      more diverse generation).

    Reproducibility: with ``seed`` set the module draws from its own ``torch.Generator`` (one per
    device), so two modules with the same seed produce the same sequence of masks;
    :meth:`manual_seed` restarts it. Without a seed, the global RNG is used.

    Not verified against the paper (no official code found): the draw granularity (``granularity``:
    ``"element"`` — one draw per element, default; ``"token"`` — one per vector along the last dim;
    ``"tensor"`` — one per call), whether the draw touches only :math:`x < 0` (default yes), which
    probability the paper calls :math:`p` (its v3 figure labels ReLU as selected "with probability
    p"; here ``p`` is the probability of SiLU, as in the actlab issue), and the default ``p`` (0.5
    here; the paper reports e.g. 0.7 in its notation).

    Args:
        p: probability of SiLU for each draw, in ``[0, 1]``.
        negative_only: draw only where ``x < 0`` (see above).
        granularity: ``"element"``, ``"token"`` or ``"tensor"``.
        seed: seed of the module's own generator (``None``: use the global RNG).
        stochastic_inference: keep the draws in eval mode.

    Shape: input ``(*)``, output ``(*)``.
    """

    def __init__(
        self,
        p: float = 0.5,
        *,
        negative_only: bool = True,
        granularity: str = "element",
        seed: int | None = None,
        stochastic_inference: bool = False,
    ):
        super().__init__()
        if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0.0 <= p <= 1.0:
            raise ValueError(f"stochastic: parameter 'p' must be in [0, 1], got {p!r}")
        if granularity not in GRANULARITIES:
            raise ValueError(f"granularity must be one of {GRANULARITIES}, got {granularity!r}")
        self.p = float(p)
        self.negative_only = negative_only
        self.granularity = granularity
        self.seed = seed
        self.stochastic_inference = stochastic_inference
        self.relu_only = False
        self._relu = lookup("relu")
        self._silu = lookup("silu")
        self._generators: dict[torch.device, torch.Generator] = {}

    # -- switches ----------------------------------------------------------------------------
    def finetune_relu(self, enabled: bool = True) -> StochasticActivation:
        """Use plain ReLU in training as well (the "fine-tune with ReLU" phase); returns self."""
        self.relu_only = bool(enabled)
        return self

    def manual_seed(self, seed: int) -> StochasticActivation:
        """Restart the module's generators from ``seed``; returns self."""
        self.seed = int(seed)
        self._generators.clear()
        return self

    @property
    def stochastic(self) -> bool:
        """Whether the next forward draws (training, or eval with ``stochastic_inference``)."""
        return not self.relu_only and (self.training or self.stochastic_inference) and self.p > 0.0

    # -- forward ------------------------------------------------------------------------------
    def _generator(self, device: torch.device) -> torch.Generator | None:
        if self.seed is None:
            return None
        g = self._generators.get(device)
        if g is None:
            g = torch.Generator(device=device)
            g.manual_seed(self.seed)
            self._generators[device] = g
        return g

    def draw(self, x: torch.Tensor) -> torch.Tensor:
        """A boolean mask broadcastable to ``x``: True where SiLU is selected."""
        if self.granularity == "element":
            shape = x.shape
        elif self.granularity == "token":
            shape = (*x.shape[:-1], 1) if x.dim() else ()
        else:
            shape = (1,) * x.dim()
        u = torch.rand(shape, generator=self._generator(x.device), device=x.device)
        return u < self.p

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = evaluate(self._relu, x, {})
        if not self.stochastic:
            return y
        use_silu = self.draw(x)
        if self.negative_only:
            use_silu = use_silu & (x < 0)
        return torch.where(use_silu, evaluate(self._silu, x, {}), y)

    def extra_repr(self) -> str:
        s = f"p={self.p}, negative_only={self.negative_only}, granularity={self.granularity!r}"
        if self.seed is not None:
            s += f", seed={self.seed}"
        if self.relu_only:
            s += ", relu_only=True"
        if self.stochastic_inference:
            s += ", stochastic_inference=True"
        return s


def set_finetune_relu(model: nn.Module, enabled: bool = True) -> int:
    """Switch every :class:`StochasticActivation` in ``model`` to (or from) the ReLU phase.

    Returns the number of modules switched.
    """
    n = 0
    for m in model.modules():
        if isinstance(m, StochasticActivation):
            m.finetune_relu(enabled)
            n += 1
    return n


register_module("stochastic")(StochasticActivation)
