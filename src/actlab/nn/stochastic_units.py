"""Activations that are random in training (the survey's S rows), each with a seeded generator.

Every module here draws its noise from its own ``torch.Generator`` when ``seed`` is given (one per
device; the same seed gives the same sequence of draws, :meth:`SeededNoise.manual_seed` restarts
it) and from the global RNG otherwise. In training mode (``module.train()``) the noise is drawn
afresh at every forward and kept, detached, in ``last_noise`` so that the formula can be checked
with the very values that were used. In evaluation mode (``module.eval()``) the module is
deterministic: each class says which test-time rule of its paper it applies (the expectation of
the noise, the mean slope, or the noise switched off).

``granularity`` chooses the shape of a draw: ``"element"`` (default) draws per element, as
``torch.nn.RReLU`` does; ``"neuron"`` draws one value per position of ``x.shape[1:]`` and shares
it across the batch (dimension 0), the papers' "for each neuron". The papers that redraw per
epoch (EReLU, EPReLU) are approximated by a redraw per forward.
"""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import nn

from actlab.catalog.registry import lookup
from actlab.catalog.spec import HALF_TYPES, ActivationSpec, evaluate
from actlab.nn.registry import register_module

GRANULARITIES = ("element", "neuron")


# ------------------------------------------------------------------------------------- checks


def check_number(
    module: str,
    name: str,
    value: Any,
    low: float = -math.inf,
    high: float = math.inf,
    *,
    low_open: bool = False,
    high_open: bool = False,
) -> float:
    """``float(value)`` if it is a finite real in the stated range, else a ValueError naming it."""
    lo_b, hi_b = ("(" if low_open else "["), (")" if high_open else "]")
    rng = f"{lo_b}{low:g}, {high:g}{hi_b}"
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{module}: parameter '{name}' must be a finite number in {rng}, got {value!r}")
    v = float(value)
    if v < low or v > high or (low_open and v == low) or (high_open and v == high):
        raise ValueError(f"{module}: parameter '{name}' must be in {rng}, got {value!r}")
    return v


def check_count(module: str, name: str, value: Any, low: int = 1) -> int:
    """``value`` if it is an integer ``>= low``, else a ValueError naming it."""
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise ValueError(f"{module}: parameter '{name}' must be an integer >= {low}, got {value!r}")
    return value


def channel_parameter(module: str, name: str, value: Any, num_parameters: int) -> nn.Parameter:
    """A learnable ``(num_parameters,)`` tensor filled with ``value`` (one per channel, dim 1)."""
    check_count(module, "num_parameters", num_parameters)
    v = check_number(module, name, value)
    return nn.Parameter(torch.full((num_parameters,), v))


def per_channel(p: torch.Tensor, x: torch.Tensor, module: str, dim: int = 1) -> torch.Tensor:
    """``p`` (one value, or one per channel of ``x`` along ``dim``) shaped to broadcast against ``x``."""
    p = p.to(x.dtype)
    if p.numel() == 1:
        return p.reshape(())
    d = dim % x.dim() if x.dim() else 0
    if x.dim() < 2 or x.shape[d] != p.numel():
        raise ValueError(
            f"{module}: {p.numel()} per-channel parameters need inputs with {p.numel()} channels in "
            f"dim {dim}, got shape {tuple(x.shape)}"
        )
    shape = [1] * x.dim()
    shape[d] = p.numel()
    return p.reshape(shape)


def compute_dtype(x: torch.Tensor) -> torch.dtype:
    """The dtype a module computes in: float32 for half types, else the input's."""
    return torch.float32 if x.dtype in HALF_TYPES else x.dtype


# ------------------------------------------------------------------------------------- base


class SeededNoise(nn.Module):
    """Base class: a seeded per-device generator, the draw shape, and the train/eval switch.

    Subclasses implement :meth:`sample` (the noise for an input), :meth:`apply` (the training
    formula with given noise) and :meth:`deterministic` (the evaluation-mode function). The forward
    computes in float32 for half-precision inputs and returns the input's dtype.
    """

    def __init__(self, seed: int | None = None, granularity: str = "element"):
        super().__init__()
        if granularity not in GRANULARITIES:
            raise ValueError(f"granularity must be one of {GRANULARITIES}, got {granularity!r}")
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int)):
            raise ValueError(f"parameter 'seed' must be an integer or None, got {seed!r}")
        self.seed = seed
        self.granularity = granularity
        self.last_noise: Any = None
        self._generators: dict[torch.device, torch.Generator] = {}

    def manual_seed(self, seed: int) -> SeededNoise:
        """Restart the module's generators from ``seed``; returns self."""
        self.seed = int(seed)
        self._generators.clear()
        return self

    def generator(self, device: torch.device) -> torch.Generator | None:
        """The module's generator on ``device`` (``None``: the global RNG)."""
        if self.seed is None:
            return None
        g = self._generators.get(device)
        if g is None:
            g = torch.Generator(device=device)
            g.manual_seed(self.seed)
            self._generators[device] = g
        return g

    def noise_shape(self, x: torch.Tensor) -> tuple[int, ...]:
        """Shape of one draw for input ``x`` (see ``granularity``)."""
        if self.granularity == "neuron" and x.dim() >= 2:
            return (1, *x.shape[1:])
        return tuple(x.shape)

    def uniform(self, x: torch.Tensor, low: float, high: float, shape: Any = None) -> torch.Tensor:
        """``U(low, high)`` draws (shape of a draw for ``x`` unless ``shape`` is given)."""
        shape = self.noise_shape(x) if shape is None else shape
        u = torch.rand(shape, generator=self.generator(x.device), device=x.device, dtype=x.dtype)
        return low + (high - low) * u

    def normal(self, x: torch.Tensor, shape: Any = None) -> torch.Tensor:
        """Standard normal draws (shape of a draw for ``x`` unless ``shape`` is given)."""
        shape = self.noise_shape(x) if shape is None else shape
        return torch.randn(shape, generator=self.generator(x.device), device=x.device, dtype=x.dtype)

    def sample(self, x: torch.Tensor) -> Any:
        raise NotImplementedError

    def apply(self, x: torch.Tensor, noise: Any) -> torch.Tensor:
        raise NotImplementedError

    def deterministic(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        dtype = x.dtype
        x = x.to(compute_dtype(x))
        if self.training:
            noise = self.sample(x)
            self.last_noise = _detached(noise)
            y = self.apply(x, noise)
        else:
            y = self.deterministic(x)
        return y.to(dtype)

    def extra_repr(self) -> str:
        s = f"granularity={self.granularity!r}"
        return s + (f", seed={self.seed}" if self.seed is not None else "")


def _detached(noise: Any) -> Any:
    if isinstance(noise, dict):
        return {k: v.detach() for k, v in noise.items()}
    return noise.detach()


def _leaky(x: torch.Tensor, slope: Any) -> torch.Tensor:
    return torch.where(x >= 0, x, x * slope)


# ------------------------------------------------------------------------------------- RReLU


class RReLU(SeededNoise):
    r"""Randomized leaky ReLU (Xu, Wang, Chen, Li 2015, "Empirical Evaluation of Rectified
    Activations in Convolutional Network", arXiv 1505.00853; survey §3.6.3):

    .. math:: f(x) = \begin{cases} x & x \ge 0 \\ a\,x & x < 0 \end{cases},
              \qquad a \sim U(l, u) \text{ in training}

    Test-time rule: the mean slope :math:`a = (l + u)/2` (the catalog's ``rrelu``, which this
    module evaluates in eval mode, as ``torch.nn.RReLU``). Xu et al. write the slope as a divisor
    :math:`1/a` with :math:`a \sim U(3, 8)`; the defaults here are PyTorch's ``l = 1/8, u = 1/3``.
    ``last_noise`` holds the drawn slopes.

    Args:
        lower, upper: bounds of the slope, ``0 <= lower <= upper <= 1``.
        seed, granularity: see :class:`SeededNoise`.
        impl: backend of the evaluation-mode catalog function.
    """

    def __init__(
        self,
        lower: float = 1 / 8,
        upper: float = 1 / 3,
        *,
        seed: int | None = None,
        granularity: str = "element",
        impl: str = "auto",
    ):
        super().__init__(seed, granularity)
        self.lower = check_number("rrelu", "lower", lower, 0.0, 1.0)
        self.upper = check_number("rrelu", "upper", upper, 0.0, 1.0)
        if self.lower > self.upper:
            raise ValueError(f"rrelu: parameter 'lower' must be <= 'upper', got lower={lower}, upper={upper}")
        from actlab.nn.activation import Activation

        self.eval_act = Activation(lookup("rrelu"), impl=impl, lower=self.lower, upper=self.upper)

    @property
    def spec(self):
        """The catalog entry (the eval-mode function): swap and probe see an activation site."""
        return self.eval_act.spec

    def sample(self, x: torch.Tensor) -> torch.Tensor:
        return self.uniform(x, self.lower, self.upper)

    def apply(self, x: torch.Tensor, noise: torch.Tensor) -> torch.Tensor:
        return _leaky(x, noise)

    def deterministic(self, x: torch.Tensor) -> torch.Tensor:
        return self.eval_act(x)

    def extra_repr(self) -> str:
        return f"lower={self.lower:.6g}, upper={self.upper:.6g}, " + super().extra_repr()


def rrelu_module(spec: ActivationSpec, impl: str = "auto", trainable: bool = False, **params: Any) -> RReLU:
    """``actlab.get("rrelu")``: the stochastic :class:`RReLU` (random slope in training, the
    catalog's mean-slope ``rrelu`` in eval). ``seed`` and ``granularity`` pass through."""
    if trainable:
        raise ValueError("rrelu: parameter 'trainable' must be False (RReLU has no learned parameters)")
    options = {k: params.pop(k) for k in ("seed", "granularity") if k in params}
    resolved = spec.resolve_params(params)
    return RReLU(resolved["lower"], resolved["upper"], impl=impl, **options)


# ------------------------------------------------------------------------------------- ReLU family


class NoisyReLU(SeededNoise):
    r"""Noisy ReLU, NReLU (Nair & Hinton 2010, "Rectified Linear Units Improve Restricted
    Boltzmann Machines", ICML; survey §3.6.6):

    .. math:: f(x) = \max\big(0,\; x + \sqrt{v(x)}\,\varepsilon\big), \qquad \varepsilon \sim N(0, 1)

    with variance :math:`v(x) = \sigma(x)` (the logistic sigmoid: Nair & Hinton's approximation of
    a sum of binary units with shifted biases, :math:`N(0, \sigma(x))`). The survey reads
    :math:`\sigma(z)` as "the standard deviation of the inputs"; we follow the paper. With
    ``std`` given, the noise has that fixed standard deviation instead. Test-time rule: noise off,
    :math:`\max(0, x)`. ``last_noise`` holds :math:`\varepsilon`.
    """

    def __init__(self, std: float | None = None, *, seed: int | None = None, granularity: str = "element"):
        super().__init__(seed, granularity)
        self.std = None if std is None else check_number("nrelu", "std", std, 0.0)

    def sample(self, x: torch.Tensor) -> torch.Tensor:
        return self.normal(x)

    def apply(self, x: torch.Tensor, noise: torch.Tensor) -> torch.Tensor:
        scale = torch.sigmoid(x).sqrt() if self.std is None else self.std
        return torch.relu(x + scale * noise)

    def deterministic(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(x)

    def extra_repr(self) -> str:
        s = "variance=sigmoid(x)" if self.std is None else f"std={self.std:.6g}"
        return f"{s}, " + super().extra_repr()


class RandomTranslationReLU(SeededNoise):
    r"""Randomly translational ReLU, RT-ReLU (Cao, Li, Zhang, ..., "Randomly translational
    activation inspired by the input distributions of ReLU", Neurocomputing 2018; survey §3.6.11):

    .. math:: f(x) = \max(0,\; x + a), \qquad a \sim N(0, \sigma^2) \text{ in training}

    a jitter drawn per neuron at every iteration; :math:`\sigma = 0.75` as in the paper's
    experiments. Test-time rule: :math:`a = 0` (ReLU). ``last_noise`` holds :math:`a`.
    """

    def __init__(self, sigma: float = 0.75, *, seed: int | None = None, granularity: str = "element"):
        super().__init__(seed, granularity)
        self.sigma = check_number("rt_relu", "sigma", sigma, 0.0)

    def sample(self, x: torch.Tensor) -> torch.Tensor:
        return self.sigma * self.normal(x)

    def apply(self, x: torch.Tensor, noise: torch.Tensor) -> torch.Tensor:
        return torch.relu(x + noise)

    def deterministic(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(x)

    def extra_repr(self) -> str:
        return f"sigma={self.sigma:.6g}, " + super().extra_repr()


class RandomTranslationPReLU(SeededNoise):
    r"""Randomly translational PReLU, RT-PReLU (Cao et al., Neurocomputing 2018; survey §4.2.10):

    .. math:: f(x) = \begin{cases} x & x + b \ge 0 \\ a\,x & x + b < 0 \end{cases},
              \qquad b \sim N(0, \sigma^2) \text{ in training}

    with the PReLU slope :math:`a` learned (one, or one per channel; initialised to 0.25 as
    :mod:`torch.nn.PReLU`); :math:`\sigma = 0.75`. The random offset moves the switching point,
    as the survey's formula writes it (the paper itself could not be read here). The survey writes
    the negative part as :math:`x / a`; we use actlab's PReLU convention :math:`a x`. Test-time
    rule: :math:`b = 0` (PReLU). ``last_noise`` holds :math:`b`.
    """

    def __init__(
        self,
        sigma: float = 0.75,
        a: float = 0.25,
        num_parameters: int = 1,
        *,
        seed: int | None = None,
        granularity: str = "element",
    ):
        super().__init__(seed, granularity)
        self.sigma = check_number("rt_prelu", "sigma", sigma, 0.0)
        self.a = channel_parameter("rt_prelu", "a", a, num_parameters)

    def sample(self, x: torch.Tensor) -> torch.Tensor:
        return self.sigma * self.normal(x)

    def apply(self, x: torch.Tensor, noise: torch.Tensor) -> torch.Tensor:
        a = per_channel(self.a, x, "rt_prelu")
        return torch.where(x + noise >= 0, x, a * x)

    def deterministic(self, x: torch.Tensor) -> torch.Tensor:
        return _leaky(x, per_channel(self.a, x, "rt_prelu"))

    def extra_repr(self) -> str:
        return f"sigma={self.sigma:.6g}, num_parameters={self.a.numel()}, " + super().extra_repr()


class ElasticReLU(SeededNoise):
    r"""Elastic ReLU, EReLU (Jiang, Pang, Li, Pan, Xie 2018, "Deep neural networks with Elastic
    Rectified Linear Units for object recognition", Neurocomputing 275, doi
    10.1016/j.neucom.2017.09.056; survey §3.6.38):

    .. math:: f(x) = \begin{cases} k\,x & x \ge 0 \\ 0 & x < 0 \end{cases},
              \qquad k \sim U(1 - \alpha, 1 + \alpha) \text{ in training}

    Test-time rule: :math:`k = E[k] = 1` (ReLU), as the paper states. ``alpha`` in (0, 1): 0.1 is
    our default (the paper's value was not readable here). The paper draws :math:`k` per neuron
    and epoch; this module redraws at every forward. ``last_noise`` holds :math:`k`.
    """

    def __init__(self, alpha: float = 0.1, *, seed: int | None = None, granularity: str = "element"):
        super().__init__(seed, granularity)
        self.alpha = check_number("elastic_relu", "alpha", alpha, 0.0, 1.0, low_open=True, high_open=True)

    def sample(self, x: torch.Tensor) -> torch.Tensor:
        return self.uniform(x, 1.0 - self.alpha, 1.0 + self.alpha)

    def apply(self, x: torch.Tensor, noise: torch.Tensor) -> torch.Tensor:
        return torch.relu(x) * noise

    def deterministic(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(x)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha:.6g}, " + super().extra_repr()


class ElasticPReLU(SeededNoise):
    r"""Elastic PReLU, EPReLU (Jiang et al. 2018, the EReLU paper; survey §4.2.25):

    .. math:: f(x) = \begin{cases} k\,x & x \ge 0 \\ a\,x & x < 0 \end{cases},
              \qquad k \sim U(1 - \alpha, 1 + \alpha) \text{ in training}

    with the PReLU slope :math:`a` learned (init 0.25, one or one per channel). Test-time rule:
    :math:`k = 1` (PReLU). The paper's training alternates epochs with :math:`k = 1` while
    learning :math:`a` (call ``.eval()``: gradients still reach :math:`a`) and epochs with random
    :math:`k` and :math:`a` fixed (``.train()`` and ``a.requires_grad_(False)``). ``last_noise``
    holds :math:`k`.
    """

    def __init__(
        self,
        alpha: float = 0.1,
        a: float = 0.25,
        num_parameters: int = 1,
        *,
        seed: int | None = None,
        granularity: str = "element",
    ):
        super().__init__(seed, granularity)
        self.alpha = check_number("elastic_prelu", "alpha", alpha, 0.0, 1.0, low_open=True, high_open=True)
        self.a = channel_parameter("elastic_prelu", "a", a, num_parameters)

    def sample(self, x: torch.Tensor) -> torch.Tensor:
        return self.uniform(x, 1.0 - self.alpha, 1.0 + self.alpha)

    def apply(self, x: torch.Tensor, noise: torch.Tensor) -> torch.Tensor:
        a = per_channel(self.a, x, "elastic_prelu")
        return torch.where(x >= 0, noise * x, a * x)

    def deterministic(self, x: torch.Tensor) -> torch.Tensor:
        return _leaky(x, per_channel(self.a, x, "elastic_prelu"))

    def extra_repr(self) -> str:
        return f"alpha={self.alpha:.6g}, num_parameters={self.a.numel()}, " + super().extra_repr()


class ElasticELU(SeededNoise):
    r"""Elastic exponential linear unit, EELU (Kim, Kim, Kim 2020, "Elastic exponential linear
    units for convolutional neural networks", Neurocomputing 406, doi 10.1016/j.neucom.2020.03.051;
    survey §4.2.60):

    .. math:: f(x) = \begin{cases} k\,x & x \ge 0 \\ a\,(e^{b x} - 1) & x < 0 \end{cases},
              \qquad k = \operatorname{clip}_{[0, 2]} N(1, \sigma^2),\; \sigma \sim U(0, \epsilon)

    EReLU's elastic positive slope combined with MPELU's negative part; :math:`a, b` learned (one,
    or one per channel), initialised as actlab's ``mpelu`` (0.25, 1). One :math:`\sigma` is drawn
    per forward, then :math:`k` per element; the truncation to [0, 2] is done by clipping (with
    :math:`\epsilon \le 0.2` a draw outside has probability below 1e-6). ``epsilon = 0.1`` (the
    survey: the authors recommend 0.1 or 0.2). Test-time rule: :math:`k = 1` (MPELU).
    ``last_noise`` holds :math:`k`; ``last_sigma`` the drawn :math:`\sigma`.
    """

    def __init__(
        self,
        epsilon: float = 0.1,
        a: float = 0.25,
        b: float = 1.0,
        num_parameters: int = 1,
        *,
        seed: int | None = None,
        granularity: str = "element",
    ):
        super().__init__(seed, granularity)
        self.epsilon = check_number("eelu", "epsilon", epsilon, 0.0, 1.0)
        self.a = channel_parameter("eelu", "a", a, num_parameters)
        self.b = channel_parameter("eelu", "b", b, num_parameters)
        self.last_sigma: torch.Tensor | None = None

    def sample(self, x: torch.Tensor) -> torch.Tensor:
        sigma = self.uniform(x, 0.0, self.epsilon, shape=())
        self.last_sigma = sigma.detach()
        return (1.0 + sigma * self.normal(x)).clamp(0.0, 2.0)

    def _negative(self, x: torch.Tensor) -> torch.Tensor:
        a, b = per_channel(self.a, x, "eelu"), per_channel(self.b, x, "eelu")
        xn = torch.where(x < 0, x, torch.zeros_like(x))  # the unselected branch never overflows
        return a * torch.expm1(b * xn)

    def apply(self, x: torch.Tensor, noise: torch.Tensor) -> torch.Tensor:
        return torch.where(x >= 0, noise * x, self._negative(x))

    def deterministic(self, x: torch.Tensor) -> torch.Tensor:
        return torch.where(x >= 0, x, self._negative(x))

    def extra_repr(self) -> str:
        return f"epsilon={self.epsilon:.6g}, num_parameters={self.a.numel()}, " + super().extra_repr()


# ------------------------------------------------------------------------------------- additive noise


class ProbAct(SeededNoise):
    r"""Probabilistic activation, ProbAct (Lee, Shridhar, Hayashi, Iwana, Kang, Uchida 2019,
    "ProbAct: A Probabilistic Activation Function for Deep Neural Networks", arXiv 1905.10761;
    survey §4.2.11):

    .. math:: f(x) = g(x) + \sigma\,\varepsilon, \qquad \varepsilon \sim N(0, 1)

    with mean function :math:`g` (any catalog activation; ReLU in the paper) and scale
    :math:`\sigma`, learned by default (one, or one per channel) and initialised to 0 as in the
    authors' code (``TrainableSigma``); ``trainable=False`` keeps a fixed :math:`\sigma`.
    Test-time rule: the mean, :math:`g(x)` (noise off; the paper also samples at test time to
    estimate uncertainty: keep the module in training mode for that). ``last_noise`` holds
    :math:`\varepsilon`.
    """

    def __init__(
        self,
        act: str = "relu",
        sigma: float = 0.0,
        trainable: bool = True,
        num_parameters: int = 1,
        *,
        seed: int | None = None,
        granularity: str = "element",
        **act_params: Any,
    ):
        super().__init__(seed, granularity)
        self.spec = lookup(act)
        self.act_params = self.spec.resolve_params(act_params)
        check_number("probact", "sigma", sigma, 0.0)
        sigma_t = channel_parameter("probact", "sigma", sigma, num_parameters)
        if trainable:
            self.sigma = sigma_t
        else:
            self.register_buffer("sigma", sigma_t.detach().clone())

    def mean(self, x: torch.Tensor) -> torch.Tensor:
        return evaluate(self.spec, x, self.act_params)

    def sample(self, x: torch.Tensor) -> torch.Tensor:
        return self.normal(x)

    def apply(self, x: torch.Tensor, noise: torch.Tensor) -> torch.Tensor:
        return self.mean(x) + per_channel(self.sigma, x, "probact") * noise

    def deterministic(self, x: torch.Tensor) -> torch.Tensor:
        return self.mean(x)

    def extra_repr(self) -> str:
        learn = isinstance(self.sigma, nn.Parameter)
        return (
            f"act={self.spec.name!r}, trainable={learn}, num_parameters={self.sigma.numel()}, "
            + super().extra_repr()
        )


# ------------------------------------------------------------------------------------- PATS


class PATS(SeededNoise):
    r"""PATS (survey §4.4.9; cited there without a readable original):

    .. math:: f(x) = x \arctan\!\big(a \pi\, \sigma(x)\big), \qquad a \sim U(l, u) \text{ in training}

    (PSGU's :math:`x \tanh(a\,\sigma(x))` with arctan and a random scale), with
    :math:`0 < l < u < 1`; the authors deem :math:`l = 1/2, u = 3/4` suitable, and
    :math:`a = 5/8` gave their lowest test error (the value later works fix). Test-time rule: the
    expectation :math:`a = (l + u)/2` (= 5/8 at the defaults; the survey notes the authors do not
    say, "one can only assume that the expected value is used"). The factor :math:`\pi` is as the
    survey's formula is transcribed. ``last_noise`` holds :math:`a`.
    """

    def __init__(
        self,
        lower: float = 0.5,
        upper: float = 0.75,
        *,
        seed: int | None = None,
        granularity: str = "element",
    ):
        super().__init__(seed, granularity)
        self.lower = check_number("pats", "lower", lower, 0.0, 1.0, low_open=True, high_open=True)
        self.upper = check_number("pats", "upper", upper, 0.0, 1.0, low_open=True, high_open=True)
        if not self.lower < self.upper:
            raise ValueError(f"pats: parameter 'lower' must be < 'upper', got lower={lower}, upper={upper}")

    def _f(self, x: torch.Tensor, a: Any) -> torch.Tensor:
        return x * torch.atan(a * math.pi * torch.sigmoid(x))

    def sample(self, x: torch.Tensor) -> torch.Tensor:
        return self.uniform(x, self.lower, self.upper)

    def apply(self, x: torch.Tensor, noise: torch.Tensor) -> torch.Tensor:
        return self._f(x, noise)

    def deterministic(self, x: torch.Tensor) -> torch.Tensor:
        return self._f(x, (self.lower + self.upper) / 2)

    def extra_repr(self) -> str:
        return f"lower={self.lower:.6g}, upper={self.upper:.6g}, " + super().extra_repr()


# ------------------------------------------------------------------------------------- noisy (Gulcehre)

_HARD = {
    # h(x) and its first-order Taylor expansion u(x) around 0
    "hard_tanh": (lambda x: x.clamp(-1.0, 1.0), lambda x: x),
    "hard_sigmoid": (lambda x: (0.25 * x + 0.5).clamp(0.0, 1.0), lambda x: 0.25 * x + 0.5),
}
# the authors' code defaults (caglar/noisy_units, NTanhP / NSigmoidP): alpha, c, half-normal noise
_NOISY_DEFAULTS = {"hard_tanh": (1.15, 0.5, False), "hard_sigmoid": (1.1, 0.15, True)}
HALF_NORMAL_MEAN = math.sqrt(2.0 / math.pi)


class NoisyActivation(SeededNoise):
    r"""Noisy activation function (Gulcehre, Moczulski, Denil, Bengio 2016, "Noisy Activation
    Functions", ICML, arXiv 1603.00391; survey §4.18), noise added to the output:

    .. math::

        \phi(x) = \alpha h(x) + (1 - \alpha) u(x) + d(x)\, s(x)\, \varepsilon, \quad
        d(x) = -\operatorname{sgn}(x)\operatorname{sgn}(1 - \alpha), \quad
        s(x) = c\,\big(\sigma(p\,\Delta(x)) - \tfrac12\big)^2

    with :math:`h` hard-tanh or hard-sigmoid, :math:`u` its linearisation at 0 (:math:`x`,
    :math:`x/4 + 1/2`), :math:`\Delta = h - u` (zero in the linear regime, so noise appears only
    where the unit saturates), :math:`p` learned (one, or one per channel; init 1), and
    :math:`\varepsilon = |\xi|` (half-normal) or :math:`\xi`, :math:`\xi \sim N(0, 1)`. Defaults per
    ``h`` from the authors' code (``NTanhP``: :math:`\alpha = 1.15, c = 0.5`, normal noise;
    ``NSigmoidP``: :math:`\alpha = 1.1, c = 0.15`, half-normal). Test-time rule: the noise is
    replaced by its expectation (0, or :math:`\sqrt{2/\pi}` for half-normal noise, the code's
    0.797). ``last_noise`` holds :math:`\varepsilon`. The input-noise variant (NANI) is not
    included.
    """

    def __init__(
        self,
        h: str = "hard_tanh",
        alpha: float | None = None,
        c: float | None = None,
        half_normal: bool | None = None,
        p: float = 1.0,
        num_parameters: int = 1,
        *,
        seed: int | None = None,
        granularity: str = "element",
    ):
        super().__init__(seed, granularity)
        if h not in _HARD:
            raise ValueError(f"noisy_activation: parameter 'h' must be one of {tuple(_HARD)}, got {h!r}")
        a0, c0, hn0 = _NOISY_DEFAULTS[h]
        self.h = h
        self.alpha = check_number("noisy_activation", "alpha", a0 if alpha is None else alpha)
        self.c = check_number("noisy_activation", "c", c0 if c is None else c, 0.0)
        self.half_normal = hn0 if half_normal is None else bool(half_normal)
        self.p = channel_parameter("noisy_activation", "p", p, num_parameters)

    def _parts(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        h, u = _HARD[self.h]
        hx, ux = h(x), u(x)
        p = per_channel(self.p, x, "noisy_activation")
        scale = self.c * (torch.sigmoid(p * (hx - ux)) - 0.5) ** 2
        d = (
            -torch.sign(x) * math.copysign(1.0, 1.0 - self.alpha)
            if self.alpha != 1.0
            else torch.zeros_like(x)
        )
        return self.alpha * hx + (1.0 - self.alpha) * ux, d * scale

    def sample(self, x: torch.Tensor) -> torch.Tensor:
        xi = self.normal(x)
        return xi.abs() if self.half_normal else xi

    def apply(self, x: torch.Tensor, noise: torch.Tensor) -> torch.Tensor:
        base, spread = self._parts(x)
        return base + spread * noise

    def deterministic(self, x: torch.Tensor) -> torch.Tensor:
        base, spread = self._parts(x)
        return base + spread * (HALF_NORMAL_MEAN if self.half_normal else 0.0)

    def extra_repr(self) -> str:
        return (
            f"h={self.h!r}, alpha={self.alpha:.6g}, c={self.c:.6g}, half_normal={self.half_normal}, "
            + super().extra_repr()
        )


# ------------------------------------------------------------------------------------- RPAU


class RandomizedPAU(SeededNoise):
    r"""Randomized Padé activation unit, RPAU (Molina, Schramowski, Kersting 2020, "Padé Activation
    Units", ICLR, arXiv 1907.06732; survey §4.50): the safe PAU

    .. math:: f(x) = \frac{\sum_{j=0}^m a_j x^j}{1 + \sum_{k=1}^n |b_k|\,|x|^k}

    with every coefficient :math:`c` perturbed for every input element in training:
    :math:`\tilde c \sim U\big((1 - \alpha) c, (1 + \alpha) c\big)` (bounds swapped where
    :math:`c < 0`), i.e. noise of relative size :math:`\alpha` around the learned coefficient. The
    survey prints :math:`c + z` with :math:`z \sim U((1-\alpha)c, (1+\alpha)c)`, which would double
    every coefficient on average; we read the interval as the law of the perturbed coefficient.
    ``alpha = 0.05`` is our choice (a value was not recoverable). Coefficients start from the
    least-squares fit of :class:`~actlab.nn.PAU` (LeakyReLU(0.01) on [-3, 3] by default).
    Test-time rule: the noise-free coefficients (the mean). ``last_noise`` holds the relative
    factors ``{"numerator": (*x.shape, m+1), "denominator": (*x.shape, n)}`` in
    :math:`[1 - \alpha, 1 + \alpha]`.
    """

    def __init__(
        self,
        alpha: float = 0.05,
        m: int = 5,
        n: int = 4,
        *,
        seed: int | None = None,
        granularity: str = "element",
        **pau_kwargs: Any,
    ):
        super().__init__(seed, granularity)
        from actlab.nn.pau import PAU

        self.alpha = check_number("rpau", "alpha", alpha, 0.0, 1.0)
        self.pau = PAU(m=m, n=n, **pau_kwargs)

    def sample(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        shape = self.noise_shape(x)
        lo, hi = 1.0 - self.alpha, 1.0 + self.alpha
        return {
            "numerator": self.uniform(x, lo, hi, shape=(*shape, self.pau.m + 1)),
            "denominator": self.uniform(x, lo, hi, shape=(*shape, self.pau.n)),
        }

    def apply(self, x: torch.Tensor, noise: dict[str, torch.Tensor]) -> torch.Tensor:
        num = self.pau.numerator.to(x.dtype) * noise["numerator"]
        den = self.pau.denominator.to(x.dtype) * noise["denominator"]
        powers = torch.stack([x**j for j in range(self.pau.m + 1)], dim=-1)
        ax = x.abs()
        abs_powers = torch.stack([ax**k for k in range(1, self.pau.n + 1)], dim=-1)
        return (powers * num).sum(-1) / (1.0 + (abs_powers * den.abs()).sum(-1))

    def deterministic(self, x: torch.Tensor) -> torch.Tensor:
        return self.pau(x)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha:.6g}, m={self.pau.m}, n={self.pau.n}, " + super().extra_repr()


# ------------------------------------------------------------------------------------- registry

register_module("nrelu", names=("NReLU", "noisy ReLU", "noisy rectified linear unit"), survey=("NReLU",))(
    NoisyReLU
)
register_module("rt_relu", names=("RT-ReLU", "randomly translational ReLU"), survey=("RT-ReLU",))(
    RandomTranslationReLU
)
register_module("rt_prelu", names=("RT-PReLU", "randomly translational PReLU"), survey=("RT-PReLU",))(
    RandomTranslationPReLU
)
register_module("elastic_relu", names=("EReLU", "elastic ReLU"), survey=("EReLU",))(ElasticReLU)
register_module(
    "elastic_prelu", names=("EPReLU", "elastic PReLU", "elastic parametric ReLU"), survey=("EPReLU",)
)(ElasticPReLU)
register_module("eelu", names=("EELU", "elastic exponential linear unit", "elastic ELU"), survey=("EELU",))(
    ElasticELU
)
register_module("probact", names=("ProbAct", "probabilistic activation"), survey=("ProbAct",))(ProbAct)
register_module("pats", names=("PATS",), survey=("PATS",))(PATS)
register_module(
    "noisy_activation",
    names=("noisy activation function", "noisy activation"),
    survey=("noisy AFs (Gulcehre)",),
)(NoisyActivation)
register_module(
    "rpau", names=("RPAU", "randomized PAU", "randomized Padé activation unit"), survey=("RPAU randomized",)
)(RandomizedPAU)


__all__ = [
    "GRANULARITIES",
    "PATS",
    "RReLU",
    "ElasticELU",
    "ElasticPReLU",
    "ElasticReLU",
    "NoisyActivation",
    "NoisyReLU",
    "ProbAct",
    "RandomTranslationPReLU",
    "RandomTranslationReLU",
    "RandomizedPAU",
    "SeededNoise",
    "rrelu_module",
]
