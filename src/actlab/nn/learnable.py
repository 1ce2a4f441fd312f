"""The learnable form of any catalog activation: its parameters become ``nn.Parameter``s.

``actlab.get(name, trainable=True, **kwargs)`` returns :class:`LearnableActivation` (or
:class:`VeLU` for ``"velu"``). The function itself is always the catalog's ``spec.fn``, called
with tensor parameters; this module only decides which parameters learn, their shape
(scalar or one per channel), and how they are stored (plain, or on a log scale) and bounded.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import torch
from torch import nn

from actlab.catalog.registry import lookup
from actlab.catalog.spec import ActivationSpec, evaluate
from actlab.nn.registry import module_factory

# How each parameter learns (log scale, lower bound while learning) is the spec's Param
# (``log_scale``, ``learn_min``): e.g. Elephant learns log σ and log h, APA/AGLU clamp λ at 1e-4,
# as their official code does. Snake's log-scale ``a`` (BigVGAN) is an option, off by default.
_RESERVED = frozenset(dir(nn.Module)) | frozenset(
    "spec impl num_parameters channel_dim learned log_scale fixed name param_value params_for "
    "scale_name ot_name lambda_ot".split()
)


def _names(value: bool | str | Iterable[str] | None, default: tuple[str, ...]) -> tuple[str, ...]:
    if value is None:
        return default
    if isinstance(value, bool):
        return default if value else ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


class LearnableActivation(nn.Module):
    r"""A catalog activation :math:`y = f(x; \theta)` whose parameters :math:`\theta` are learned.

    Every learned parameter is an ``nn.Parameter`` of shape ``(num_parameters,)``: one value shared by
    all elements (``num_parameters=1``) or one per channel along ``channel_dim`` (as
    ``torch.nn.PReLU``: ``channel_dim=1`` for ``(N, C, ...)`` images, ``-1`` for ``(..., C)``
    sequences). A learned coefficient vector (``Param.kind == "vector"``, e.g. a polynomial's or a
    spline's coefficients) is one ``nn.Parameter`` of shape ``(k,)`` per layer (per-channel learning
    of vectors is not supported). A parameter on a log scale is stored as ``log_<name>`` and used as
    :math:`\theta = e^{\log\theta}` (always positive). Learned values are clamped into the
    parameter's valid range from the catalog before use, and above ``Param.learn_min`` where the
    spec sets one (APA/AGLU: :math:`\lambda \ge 10^{-4}`, as the official code does), so the
    function never leaves its domain during training.

    Args:
        spec: the activation (spec or name).
        num_parameters: values per learned parameter (1, or the number of channels).
        channel_dim: the input dimension holding the channels when ``num_parameters > 1``.
        learn: names of the parameters to learn. Default: those the original work learns
            (``Param.trainable``, scalars and coefficient vectors); if it learns none, every float
            parameter. Integer parameters
            (e.g. Elephant's ``d``) and the rest stay fixed.
        log_scale: names of learned parameters stored on a log scale (``True`` = every positive
            learned parameter). Default: the parameters whose ``Param.log_scale`` is set (Elephant's
            ``sigma`` and ``h``); Snake's BigVGAN variant uses ``log_scale=True``.
        impl: backend; only the eager reference path exists for learnable parameters.
        **params: initial values of the activation's parameters (defaults from the catalog).

    Shape: input ``(*)`` (``(N, C, *)``/``(*, C)`` for per-channel parameters), output the same.
    Half-precision inputs are computed in fp32 and cast back, as for the fixed module.

    Example::

        >>> prelu = actlab.get("prelu", trainable=True, num_parameters=16)
        >>> prelu(torch.randn(8, 16, 5, 5)).shape
        torch.Size([8, 16, 5, 5])
    """

    def __init__(
        self,
        spec: ActivationSpec | str,
        *,
        num_parameters: int = 1,
        channel_dim: int = 1,
        learn: str | Iterable[str] | None = None,
        log_scale: bool | str | Iterable[str] | None = None,
        impl: str = "auto",
        **params: Any,
    ):
        super().__init__()
        spec = lookup(spec)
        if impl not in ("auto", "eager"):
            raise ValueError(f"impl must be 'auto' or 'eager' for learnable activations, got {impl!r}")
        if not isinstance(num_parameters, int) or num_parameters < 1:
            raise ValueError(f"num_parameters must be a positive integer, got {num_parameters!r}")
        self.spec = spec
        self.impl = impl
        self.num_parameters = num_parameters
        self.channel_dim = int(channel_dim)
        values = spec.resolve_params(params)
        floats = tuple(p.name for p in spec.params if p.kind == "float")
        trained = tuple(p.name for p in spec.params if p.trainable and p.kind in ("float", "vector"))
        learned = _names(learn, trained or floats)
        for name in learned:
            if name not in spec.param_names:
                raise TypeError(
                    f"{spec.name}: cannot learn unknown parameter {name!r}; "
                    f"parameters: {', '.join(spec.param_names) or 'none'}"
                )
            kind = spec.param(name).kind
            if kind not in ("float", "vector"):
                raise TypeError(f"{spec.name}: parameter {name!r} is {kind}, not learnable")
            if kind == "vector" and num_parameters > 1:
                raise ValueError(
                    f"{spec.name}: coefficient vector {name!r} is learned once per layer; per-channel "
                    "learning (num_parameters > 1) is not supported for vector parameters"
                )
        positive = tuple(
            n for n in learned
            if spec.param(n).kind == "float" and spec.param(n).low is not None and spec.param(n).low >= 0
        )
        if log_scale is True:
            logs = positive
        else:
            logs = _names(log_scale, tuple(n for n in learned if spec.param(n).log_scale))
        for name in logs:
            if spec.param(name).kind == "vector":
                raise ValueError(f"{spec.name}: log_scale is not supported for vector parameter {name!r}")
            if name not in learned:
                raise ValueError(f"{spec.name}: log_scale parameter {name!r} is not learned")
            if values[name] <= 0:
                raise ValueError(f"{spec.name}: log_scale needs {name!r} > 0, got {values[name]}")
        self.learned = learned
        self.log_scale = tuple(logs)
        self.fixed = {k: v for k, v in values.items() if k not in learned}
        self._bounds: dict[str, tuple[float | None, float | None]] = {}
        self.vectors = tuple(n for n in learned if spec.param(n).kind == "vector")
        for name in learned:
            if name in self.vectors:  # one coefficient vector, shape (k,)
                value = torch.tensor(values[name], dtype=torch.get_default_dtype())
            else:
                init = float(values[name])
                if name in self.log_scale:
                    init = math.log(init)
                value = torch.full((num_parameters,), init)
            self.register_parameter(self._storage(name), nn.Parameter(value))
            self._bounds[name] = self._bound(spec, name)

    # -- parameters ---------------------------------------------------------------------------
    def _storage(self, name: str) -> str:
        key = f"log_{name}" if name in self.log_scale else name
        # a parameter named like an nn.Module attribute (e.g. "training") is stored as "<name>_param"
        return f"{key}_param" if key in _RESERVED else key

    @staticmethod
    def _bound(spec: ActivationSpec, name: str) -> tuple[float | None, float | None]:
        p = spec.param(name)
        if p.kind == "vector":
            return None, None
        lo, hi = p.low, p.high
        if lo is not None and not p.low_inclusive:
            lo = lo + 1e-6 * max(1.0, abs(lo))
        if hi is not None and not p.high_inclusive:
            hi = hi - 1e-6 * max(1.0, abs(hi))
        if p.learn_min is not None:
            lo = p.learn_min if lo is None else max(lo, p.learn_min)
        return lo, hi

    def param_value(self, name: str) -> torch.Tensor:
        """The parameter ``name`` as used by the function, shape ``(num_parameters,)``."""
        raw = getattr(self, self._storage(name))
        v = raw.exp() if name in self.log_scale else raw
        lo, hi = self._bounds[name]
        if lo is not None or hi is not None:
            v = v.clamp(min=lo, max=hi)
        return v

    def _shaped(self, v: torch.Tensor, ndim: int) -> torch.Tensor:
        if self.num_parameters == 1:
            return v.reshape(())
        if ndim == 0:
            raise ValueError(f"{self.spec.name}: per-channel parameters need an input with a channel dim")
        dim = self.channel_dim if self.channel_dim >= 0 else ndim + self.channel_dim
        if ndim == 1 and self.channel_dim == 1:
            dim = 0  # like torch.nn.PReLU: a 1-D input is one vector of channels
        if not 0 <= dim < ndim:
            raise ValueError(
                f"{self.spec.name}: channel_dim {self.channel_dim} is out of range for {ndim}-D input"
            )
        return v.reshape((self.num_parameters,) + (1,) * (ndim - dim - 1))

    def params_for(self, x: torch.Tensor) -> dict[str, Any]:
        """All parameters of the function for input ``x``: learned ones shaped to broadcast."""
        out = dict(self.fixed)
        for name in self.learned:
            v = self.param_value(name)
            out[name] = v if name in self.vectors else self._shaped(v, x.dim())
        return out

    # -- forward ------------------------------------------------------------------------------
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.num_parameters > 1:
            dim_size = x.shape[0] if (x.dim() == 1 and self.channel_dim == 1) else None
            if dim_size is None:
                d = self.channel_dim if self.channel_dim >= 0 else x.dim() + self.channel_dim
                dim_size = x.shape[d] if 0 <= d < x.dim() else None
            if dim_size != self.num_parameters:
                raise ValueError(
                    f"{self.spec.name}: input has {dim_size} channels along dim {self.channel_dim}, "
                    f"the module {self.num_parameters} parameters"
                )
        return evaluate(self.spec, x, self.params_for(x))

    @property
    def name(self) -> str:
        return self.spec.name

    def extra_repr(self) -> str:
        parts = []
        for name in self.learned:
            v = self.param_value(name).detach()
            shown = f"{float(v[0]):.4g}" if v.numel() == 1 else f"<{v.numel()} values>"
            parts.append(f"{name}={shown}" + (" (log scale)" if name in self.log_scale else ""))
        parts += [f"{k}={v!r}" for k, v in self.fixed.items()]
        if self.num_parameters > 1:
            parts.append(f"num_parameters={self.num_parameters}, channel_dim={self.channel_dim}")
        return ", ".join(parts)

    def _get_name(self) -> str:
        return f"LearnableActivation[{self.spec.name}]"


def learnable(spec: ActivationSpec | str, impl: str = "auto", **kwargs: Any) -> nn.Module:
    """The module behind ``actlab.get(name, trainable=True, **kwargs)`` (the spec's own module if any)."""
    spec = lookup(spec)
    if spec.module is not None:
        return module_factory(spec)(spec, impl=impl, trainable=True, **kwargs)
    return LearnableActivation(spec, impl=impl, **kwargs)
