"""The survey's non-elementwise activations (its N rows) as layers reachable by name.

Families here: the GLU feed-forward blocks by name and the gated tanh unit; concatenating units
(CReLU, NCReLU, paired ReLU, multi-bias) whose output doubles (or multiplies) a dimension; units
over pairs of channels (DualReLU, DualELU, OPLU, 2D-KAF: the two halves of ``dim``, as
``torch.nn.GLU`` splits); units with a neuron- or layer-parity (BAF, All-ReLU, alternating RePU);
data-dependent thresholds (ABReLU, AOAF, dynamic DReLU); a training-error schedule (DLReLU);
maxout, WiG, the funnel/SCAA spatial units, N-activation and the multi-output HCAF.

Unless a class says otherwise, ``dim = 1`` is the channel (feature) dimension, as in
``(N, C, *)`` convolution outputs and ``(N, F)`` dense outputs.
"""

from __future__ import annotations

import math
from typing import Any

import torch
from torch import nn

from actlab.catalog.registry import lookup
from actlab.catalog.spec import evaluate
from actlab.nn.gated import GatedFFN
from actlab.nn.registry import register_module
from actlab.nn.sparse import TopK
from actlab.nn.stochastic_units import channel_parameter, check_count, check_number, per_channel


def _check_dim(x: torch.Tensor, dim: int, module: str) -> int:
    if x.dim() == 0 or not -x.dim() <= dim < x.dim():
        raise ValueError(
            f"{module}: parameter 'dim' = {dim} is out of range for an input of shape {tuple(x.shape)}"
        )
    return dim % x.dim()


def _halves(x: torch.Tensor, dim: int, module: str) -> tuple[torch.Tensor, torch.Tensor]:
    d = _check_dim(x, dim, module)
    if x.shape[d] % 2:
        raise ValueError(f"{module}: dim {dim} must have even size (pairs of channels), got {x.shape[d]}")
    a, b = x.chunk(2, dim=d)
    return a, b


# ------------------------------------------------------------------------------------- GLU family


def _gated_factory(gate: str, doc: str):
    def factory(d_model: int, d_ff: int | None = None, bias: bool = False, **kwargs: Any) -> GatedFFN:
        return GatedFFN(d_model, d_ff, gate=gate, bias=bias, **kwargs)

    factory.__doc__ = doc + f"\n\n``actlab.nn.GatedFFN(d_model, d_ff, gate={gate!r}, bias=bias, **kwargs)``."
    return factory


glu = _gated_factory("sigmoid", "GLU (Dauphin et al. 2017, arXiv 1612.08083): :math:`\\sigma(xW) \\odot xV`.")
reglu = _gated_factory("relu", "ReGLU (Shazeer 2020, arXiv 2002.05202): :math:`\\max(0, xW) \\odot xV`.")
geglu = _gated_factory(
    "gelu", "GEGLU (Shazeer 2020, arXiv 2002.05202): :math:`\\mathrm{GELU}(xW) \\odot xV`."
)
swiglu = _gated_factory(
    "silu", "SwiGLU (Shazeer 2020, arXiv 2002.05202): :math:`\\mathrm{SiLU}(xW) \\odot xV`."
)


class GatedTanhUnit(nn.Module):
    r"""Gated tanh unit, GTU (van den Oord et al. 2016, "Conditional Image Generation with
    PixelCNN Decoders", arXiv 1606.05328; Dauphin et al. 2017, arXiv 1612.08083; survey §3.4.1):

    .. math:: \mathrm{GTU}(z, z') = \tanh(z) \odot \sigma(z')

    with :math:`z, z'` the two halves of ``dim`` (two learned linear maps of the input, computed
    by one layer of twice the width, as ``torch.nn.GLU`` takes them). It is not a
    :class:`~actlab.nn.GatedFFN` gate: there the second branch is linear.

    Shape: input ``(*, 2n, *)``, output ``(*, n, *)``.
    """

    def __init__(self, dim: int = -1):
        super().__init__()
        self.dim = dim

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        z, zp = _halves(x, self.dim, "gtu")
        return torch.tanh(z) * torch.sigmoid(zp)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


def k_wta(k: int, dim: int = -1) -> TopK:
    r"""k-winners-take-all, k-WTA (Xiao, Zhong, Zheng 2020, "Enhancing Adversarial Defense by
    k-Winners-Take-All", ICLR, arXiv 1905.10510; survey §3.46): keeps the ``k`` largest values
    along ``dim`` and zeroes the rest, :class:`~actlab.nn.TopK` without an activation."""
    return TopK(k, dim=dim)


# ------------------------------------------------------------------------------------- concatenating


class CReLU(nn.Module):
    r"""Concatenated ReLU, CReLU (Shang, Sohn, Almeida, Lee 2016, "Understanding and Improving
    Convolutional Neural Networks via Concatenated Rectified Linear Units", arXiv 1603.05201;
    survey §3.6.34): :math:`\mathrm{CReLU}(x) = [\max(0, x), \max(0, -x)]`, concatenated along
    ``dim``.

    Shape: input ``(*, C, *)``, output ``(*, 2C, *)``.
    """

    def __init__(self, dim: int = 1):
        super().__init__()
        self.dim = dim

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _check_dim(x, self.dim, "crelu")
        return torch.cat([torch.relu(x), torch.relu(-x)], dim=self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class NCReLU(nn.Module):
    r"""Negative concatenated ReLU, NCReLU (survey §3.6.35):
    :math:`\mathrm{NCReLU}(x) = [\max(0, x), -\max(0, -x)] = [\max(0, x), \min(0, x)]` along ``dim``.

    Shape: input ``(*, C, *)``, output ``(*, 2C, *)``.
    """

    def __init__(self, dim: int = 1):
        super().__init__()
        self.dim = dim

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _check_dim(x, self.dim, "ncrelu")
        return torch.cat([torch.relu(x), -torch.relu(-x)], dim=self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class BipolarActivation(nn.Module):
    r"""Bipolar activation function, BAF (Eidnes & Nøkland 2017, "Shifting Mean Activation Towards
    Zero with Bipolar Activation Functions", arXiv 1709.04054; survey §3.6.35):

    .. math:: f(x)_i = \begin{cases} g(x_i) & i \bmod 2 = 0 \\ -g(-x_i) & i \bmod 2 = 1 \end{cases}

    with :math:`i` the index along ``dim`` (the neuron or channel) and :math:`g` any catalog
    activation of the ReLU family (``"relu"``: BReLU, ``"elu"``: BELU).

    Shape: input ``(*)``, output ``(*)``.
    """

    def __init__(self, act: str = "relu", dim: int = 1, **act_params: Any):
        super().__init__()
        self.spec = lookup(act)
        self.act_params = self.spec.resolve_params(act_params)
        self.dim = dim

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        d = _check_dim(x, self.dim, "baf")
        shape = [1] * x.dim()
        shape[d] = x.shape[d]
        odd = (torch.arange(x.shape[d], device=x.device) % 2 == 1).reshape(shape)
        g = evaluate(self.spec, x, self.act_params)
        g_neg = -evaluate(self.spec, -x, self.act_params)
        return torch.where(odd, g_neg, g)

    def extra_repr(self) -> str:
        return f"act={self.spec.name!r}, dim={self.dim}"


class PairedReLU(nn.Module):
    r"""Paired ReLU (survey §4.2.26; the original was not read here): two outputs per input,

    .. math:: f(x) = \big[\max(a x - b, 0),\; \max(c x - d, 0)\big]

    concatenated along ``dim``; :math:`a, b, c, d` learned (one, or one per channel), the scales
    initialised to :math:`a = 0.5, c = -0.5` (survey) and the thresholds to 0 (our choice).

    Shape: input ``(*, C, *)``, output ``(*, 2C, *)``.
    """

    def __init__(
        self,
        num_parameters: int = 1,
        a: float = 0.5,
        b: float = 0.0,
        c: float = -0.5,
        d: float = 0.0,
        dim: int = 1,
    ):
        super().__init__()
        self.a = channel_parameter("paired_relu", "a", a, num_parameters)
        self.b = channel_parameter("paired_relu", "b", b, num_parameters)
        self.c = channel_parameter("paired_relu", "c", c, num_parameters)
        self.d = channel_parameter("paired_relu", "d", d, num_parameters)
        self.dim = dim

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        d = _check_dim(x, self.dim, "paired_relu")
        a, b, c, dd = (per_channel(p, x, "paired_relu", d) for p in (self.a, self.b, self.c, self.d))
        return torch.cat([torch.relu(a * x - b), torch.relu(c * x - dd)], dim=d)

    def extra_repr(self) -> str:
        return f"num_parameters={self.a.numel()}, dim={self.dim}"


class MultiBiasActivation(nn.Module):
    r"""Multi-bias activation, MBA (Li, Ouyang, Wang 2016, "Multi-Bias Non-linear Activation in
    Deep Neural Networks", ICML, arXiv 1604.00676; survey §4.31): each input map gives :math:`K`
    output maps with their own learned biases,

    .. math:: f(x)_{c,k} = g(x_c + b_{c,k}), \qquad k = 1, \dots, K

    with :math:`g` a catalog activation (ReLU in the paper). Output channel ``c·K + k`` holds
    :math:`g(x_c + b_{c,k})`. The biases start evenly spaced in :math:`[-1, 1]` (our choice: equal
    starts would make the K maps identical); ``k = 4`` is our default.

    Shape: input ``(N, C, *)``, output ``(N, K·C, *)``.
    """

    def __init__(self, channels: int, k: int = 4, act: str = "relu", **act_params: Any):
        super().__init__()
        self.channels = check_count("mba", "channels", channels)
        self.k = check_count("mba", "k", k)
        start = torch.linspace(-1.0, 1.0, self.k) if self.k > 1 else torch.zeros(1)
        self.bias = nn.Parameter(start.repeat(self.channels, 1))
        self.spec = lookup(act)
        self.act_params = self.spec.resolve_params(act_params)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.dim() < 2 or x.shape[1] != self.channels:
            raise ValueError(f"mba: input must have shape (N, {self.channels}, *), got {tuple(x.shape)}")
        shape = (1, self.channels, self.k, *([1] * (x.dim() - 2)))
        y = x.unsqueeze(2) + self.bias.to(x.dtype).reshape(shape)
        y = evaluate(self.spec, y, self.act_params)
        return y.flatten(1, 2)

    def extra_repr(self) -> str:
        return f"channels={self.channels}, k={self.k}, act={self.spec.name!r}"


class Maxout(nn.Module):
    r"""Maxout (Goodfellow, Warde-Farley, Mirza, Courville, Bengio 2013, "Maxout Networks", ICML,
    arXiv 1302.4389; survey §4.47): the maximum of ``pieces`` affine functions,

    .. math:: h_i(x) = \max_{j = 1..k} \big(x^\top W_{\cdot ij} + b_{ij}\big)

    With ``in_features`` and ``out_features`` the module holds the affine maps
    (``Linear(in_features, k·out_features)``, input ``(*, in_features)``, output
    ``(*, out_features)``). Without them it is the activation alone: the maximum over groups of
    ``pieces`` consecutive channels of ``dim`` (input ``(*, k·C, *)``, output ``(*, C, *)``), to
    follow a layer of ``k`` times the width.
    """

    def __init__(
        self, pieces: int = 2, dim: int = 1, in_features: int | None = None, out_features: int | None = None
    ):
        super().__init__()
        self.pieces = check_count("maxout", "pieces", pieces)
        self.dim = dim
        if (in_features is None) != (out_features is None):
            raise ValueError("maxout: give both 'in_features' and 'out_features', or neither")
        self.linear = None
        if in_features is not None:
            check_count("maxout", "in_features", in_features)
            check_count("maxout", "out_features", out_features)
            self.linear = nn.Linear(in_features, out_features * self.pieces)
            self.dim = -1

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.linear is not None:
            x = self.linear(x)
        d = _check_dim(x, self.dim, "maxout")
        if x.shape[d] % self.pieces:
            raise ValueError(
                f"maxout: dim {self.dim} has size {x.shape[d]}, not a multiple of pieces={self.pieces}"
            )
        shape = (*x.shape[:d], x.shape[d] // self.pieces, self.pieces, *x.shape[d + 1 :])
        return x.reshape(shape).amax(dim=d + 1)

    def extra_repr(self) -> str:
        return f"pieces={self.pieces}, dim={self.dim}"


# ------------------------------------------------------------------------------------- pairs


class DualReLU(nn.Module):
    r"""Dual rectified linear unit, DualReLU (Godin, Degrave, Dambre, De Neve 2017, "Dual
    Rectified Linear Units (DReLUs): A Replacement for Tanh Activation Functions in
    Quasi-Recurrent Neural Networks", arXiv 1707.08214; survey §3.6.36):

    .. math:: f(z, z') = \max(0, z) - \max(0, z')

    with :math:`z, z'` the two halves of ``dim``. Shape: input ``(*, 2n, *)``, output ``(*, n, *)``.
    """

    def __init__(self, dim: int = 1):
        super().__init__()
        self.dim = dim

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        z, zp = _halves(x, self.dim, "dual_relu")
        return torch.relu(z) - torch.relu(zp)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class DualELU(nn.Module):
    r"""Dual exponential linear unit, DualELU (Godin et al. 2017, arXiv 1707.08214; survey §3.7.2):
    :math:`f(z, z') = \mathrm{ELU}_\alpha(z) - \mathrm{ELU}_\alpha(z')` with the catalog's ``elu``
    and :math:`z, z'` the halves of ``dim``. Shape: input ``(*, 2n, *)``, output ``(*, n, *)``.
    """

    def __init__(self, alpha: float = 1.0, dim: int = 1):
        super().__init__()
        self.spec = lookup("elu")
        self.params = self.spec.resolve_params({"alpha": alpha})
        self.dim = dim

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        z, zp = _halves(x, self.dim, "dual_elu")
        return evaluate(self.spec, z, self.params) - evaluate(self.spec, zp, self.params)

    def extra_repr(self) -> str:
        return f"alpha={self.params['alpha']:.6g}, dim={self.dim}"


class OPLU(nn.Module):
    r"""Orthogonal permutation linear unit, OPLU (Chernodub & Nowicki 2016, "Norm-preserving
    Orthogonal Permutation Linear Unit Activation Functions (OPLU)", arXiv 1604.02313; survey
    §3.6.37): each pair of neurons :math:`(z_i, z_j)` gives :math:`(\max(z_i, z_j), \min(z_i, z_j))`.

    The pairs are element ``t`` of the first half of ``dim`` with element ``t`` of the second half
    (any fixed pairing is equivalent up to a permutation of the next layer's weights); the maxima
    fill the first half of the output, the minima the second. The map is a permutation, so it
    preserves the norm. Shape: input ``(*, 2n, *)``, output the same.
    """

    def __init__(self, dim: int = 1):
        super().__init__()
        self.dim = dim

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        a, b = _halves(x, self.dim, "oplu")
        return torch.cat([torch.maximum(a, b), torch.minimum(a, b)], dim=self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class KAF2D(nn.Module):
    r"""Two-dimensional kernel activation function, 2D-KAF (Scardapane, Van Vaerenbergh, Totaro,
    Uncini 2019, "Kafnets: Kernel-based non-parametric activation functions for neural networks",
    Neural Networks 110, arXiv 1707.04035; survey §4.61):

    .. math:: f(z, z') = \sum_{i=1}^{D^2} \alpha_i \exp\!\big(-\gamma\, \|(z, z') - d_i\|^2\big)

    over a fixed :math:`D \times D` grid of dictionary points :math:`d_i` in
    :math:`[-B, B]^2`, with mixing coefficients :math:`\alpha` learned per output neuron
    (initialised :math:`N(0, 0.3^2)`). :math:`z, z'` are the two halves of ``dim``. As the authors'
    code (ispamm/kernel-activation-functions, ``KAF2D``): :math:`D = 10`, :math:`B = 3`, and
    :math:`\gamma = 1/(2 s^2)` with :math:`s = \sqrt2\,\Delta` for grid step :math:`\Delta`.

    Shape: input ``(N, 2n, *)``, output ``(N, n, *)``.
    """

    def __init__(self, num_features: int, d: int = 10, boundary: float = 3.0, dim: int = 1):
        super().__init__()
        check_count("kaf2d", "num_features", num_features)
        if num_features % 2:
            raise ValueError(f"kaf2d: parameter 'num_features' must be even (pairs), got {num_features}")
        self.d = check_count("kaf2d", "d", d, 2)
        self.boundary = check_number("kaf2d", "boundary", boundary, 0.0, low_open=True)
        self.num_outputs = num_features // 2
        self.dim = dim
        grid = torch.linspace(-self.boundary, self.boundary, self.d)
        gx, gy = torch.meshgrid(grid, grid, indexing="xy")
        self.register_buffer("dict_x", gx.reshape(-1))
        self.register_buffer("dict_y", gy.reshape(-1))
        step = 2 * self.boundary / (self.d - 1)
        self.gamma = 1.0 / (2.0 * (math.sqrt(2.0) * step) ** 2)
        self.alpha = nn.Parameter(0.3 * torch.randn(self.num_outputs, self.d * self.d))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        z, zp = _halves(x, self.dim, "kaf2d")
        d = self.dim % x.dim()
        if z.shape[d] != self.num_outputs:
            raise ValueError(f"kaf2d: dim {self.dim} must have size {2 * self.num_outputs}, got {x.shape[d]}")
        z, zp = z.movedim(d, -1).unsqueeze(-1), zp.movedim(d, -1).unsqueeze(-1)
        dx, dy = self.dict_x.to(x.dtype), self.dict_y.to(x.dtype)
        k = torch.exp(-self.gamma * ((z - dx) ** 2 + (zp - dy) ** 2))
        y = (k * self.alpha.to(x.dtype)).sum(-1)
        return y.movedim(-1, d)

    def extra_repr(self) -> str:
        return (
            f"num_features={2 * self.num_outputs}, d={self.d}, boundary={self.boundary:.6g}, dim={self.dim}"
        )


# ------------------------------------------------------------------------------------- parity / schedules


class AlternatingRePU(nn.Module):
    r"""Alternating rectified power unit (Berradi 2018, "Symmetric Power Activation Functions for
    Deep Neural Networks", LOPAL; survey §3.6.39):

    .. math:: f_1(x) = \max(0, x)^{b} \;\text{(odd epochs)}, \qquad
              f_2(x) = \max(0, x)^{1/b} \;\text{(even epochs)}

    with the mean :math:`(f_1 + f_2)/2` at test time (eval mode). ``epoch`` (1-based, set with
    :meth:`set_epoch`) selects the training function. ``b > 1``; the paper tried
    :math:`b \in \{1.05, \dots, 1.25\}`, 1.15 (the middle) is our default. The derivative of
    :math:`x^{1/b}` is unbounded at :math:`0^+`; at 0 it is taken as 0.
    """

    def __init__(self, b: float = 1.15, epoch: int = 1):
        super().__init__()
        self.b = check_number("alternating_repu", "b", b, 1.0, low_open=True)
        self.epoch = check_count("alternating_repu", "epoch", epoch)

    def set_epoch(self, epoch: int) -> AlternatingRePU:
        """Select the training function for ``epoch`` (1-based); returns self."""
        self.epoch = check_count("alternating_repu", "epoch", epoch)
        return self

    def _pow(self, x: torch.Tensor, p: float) -> torch.Tensor:
        pos = x > 0
        xs = torch.where(pos, x, torch.ones_like(x))  # safe base: no inf gradient at 0
        return torch.where(pos, xs**p, torch.zeros_like(x))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training:
            return 0.5 * (self._pow(x, self.b) + self._pow(x, 1.0 / self.b))
        return self._pow(x, self.b if self.epoch % 2 == 1 else 1.0 / self.b)

    def extra_repr(self) -> str:
        return f"b={self.b:.6g}, epoch={self.epoch}"


class AllReLU(nn.Module):
    r"""Alternated left ReLU, All-ReLU (Curci, Mocanu, Pechenizkiy 2021, "Truly Sparse Neural
    Networks at Scale", arXiv 2102.01732; survey §4.34):

    .. math:: f(x) = \begin{cases} x & x > 0 \\ -a x & x \le 0,\ l \bmod 2 = 0 \\
                     a x & x \le 0,\ l \bmod 2 = 1 \end{cases}

    with :math:`l` the index of the layer (``layer_index``) and :math:`a` fixed; 0.6 is our default
    (the paper's value was not verified here).
    """

    def __init__(self, a: float = 0.6, layer_index: int = 1):
        super().__init__()
        self.a = check_number("all_relu", "a", a)
        self.layer_index = check_count("all_relu", "layer_index", layer_index, 0)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        slope = self.a if self.layer_index % 2 == 1 else -self.a
        return torch.where(x > 0, x, slope * x)

    def extra_repr(self) -> str:
        return f"a={self.a:.6g}, layer_index={self.layer_index}"


class DLReLU(nn.Module):
    r"""Dynamic leaky ReLU, DLReLU, and its exponential form exp-DLReLU (survey §4.2.13, after a
    work that named it dynamic ReLU):

    .. math:: f(x) = \begin{cases} x & x \ge 0 \\ a\, b_t\, x & x < 0 \end{cases}, \qquad
              b_t = \mathrm{MSE}_{t-1} \text{ (DLReLU)}, \quad
              b_t = e^{-\mathrm{MSE}_{t-1}} \text{ (exp-DLReLU)}

    the leakiness scaled by the test error of the previous epoch. Call :meth:`update` with that
    error after each epoch. Before the first update the error is 1 (DLReLU) or 0 (exp-DLReLU),
    so the slope starts at :math:`a` either way (our choice). :math:`a` in (0, 1), default 0.01
    (LReLU's usual leak; the work's value was not recoverable). The survey prints
    :math:`\exp(-b_t) = \exp(\mathrm{MSE})`; we take the decreasing :math:`e^{-\mathrm{MSE}}`
    (the stated aim is to keep large errors from blowing up the slope).
    """

    def __init__(self, a: float = 0.01, error: float | None = None, exponential: bool = False):
        super().__init__()
        self.a = check_number("dlrelu", "a", a, 0.0, 1.0, low_open=True, high_open=True)
        self.exponential = bool(exponential)
        start = (0.0 if self.exponential else 1.0) if error is None else error
        self.error = check_number("dlrelu", "error", start, 0.0)

    def update(self, error: float) -> DLReLU:
        """Set the previous epoch's test error (MSE, ``>= 0``); returns self."""
        self.error = check_number("dlrelu", "error", float(error), 0.0)
        return self

    def get_extra_state(self) -> dict[str, float]:
        """The schedule's state (the last error) travels with ``state_dict``."""
        return {"error": self.error}

    def set_extra_state(self, state: dict[str, float]) -> None:
        self.update(state["error"])

    @property
    def slope(self) -> float:
        """The current negative slope :math:`a b_t`."""
        return self.a * (math.exp(-self.error) if self.exponential else self.error)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.where(x >= 0, x, self.slope * x)

    def extra_repr(self) -> str:
        return f"a={self.a:.6g}, exponential={self.exponential}, error={self.error:.6g}"


def exp_dlrelu(a: float = 0.01, error: float | None = None) -> DLReLU:
    """exp-DLReLU: :class:`DLReLU` with ``exponential=True``."""
    return DLReLU(a, error, exponential=True)


# ------------------------------------------------------------------------------------- data-dependent


def _stat_dims(x: torch.Tensor, dims: Any, module: str) -> tuple[int, ...]:
    if dims is not None:
        return tuple(dims) if isinstance(dims, (tuple, list)) else (dims,)
    if x.dim() > 2:
        return tuple(range(2, x.dim()))  # the activation map of each sample and channel
    if x.dim() >= 1:
        return (0,)  # a dense layer: each neuron over the batch
    raise ValueError(f"{module}: input must have at least one dimension")


class ABReLU(nn.Module):
    r"""Average biased ReLU, ABReLU (Dubey & Chakraborty 2018, "Average Biased ReLU Based CNN
    Descriptor for Improved Face Retrieval", arXiv 1804.02051; survey §3.6.42):

    .. math:: f(x)_i = \max(0,\; x_i - \bar x_i)

    with :math:`\bar x_i` the average of the input activation map of channel :math:`i`: by default
    over the spatial dims of each sample (``(N, C, *)`` inputs), or over the batch for ``(N, F)``
    inputs; ``dims`` overrides. Deterministic (data-dependent), the same in train and eval.
    """

    def __init__(self, dims: Any = None):
        super().__init__()
        self.dims = dims

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        mean = x.mean(dim=_stat_dims(x, self.dims, "abrelu"), keepdim=True)
        return torch.relu(x - mean)

    def extra_repr(self) -> str:
        return f"dims={self.dims}"


class AOAF(nn.Module):
    r"""Adaptive offset activation function, AOAF (survey §4.2.12):

    .. math:: f(x)_i = \max(0,\; x_i - b\,a_i) + c\,a_i

    with :math:`a_i` the mean input of neuron (channel) :math:`i`, averaged as :class:`ABReLU`
    does (``dims``), and :math:`b = c = 0.17`, the values with the best accuracy in the work's
    experiments (survey).
    """

    def __init__(self, b: float = 0.17, c: float = 0.17, dims: Any = None):
        super().__init__()
        self.b = check_number("aoaf", "b", b)
        self.c = check_number("aoaf", "c", c)
        self.dims = dims

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        a = x.mean(dim=_stat_dims(x, self.dims, "aoaf"), keepdim=True)
        return torch.relu(x - self.b * a) + self.c * a

    def extra_repr(self) -> str:
        return f"b={self.b:.6g}, c={self.c:.6g}, dims={self.dims}"


class MidpointReLU(nn.Module):
    r"""Dynamic ReLU with a batch-midpoint threshold, "DReLU" of survey §4.2.14:

    .. math:: f(x)_i = \max(x_i, t_i), \qquad t_i = \tfrac12\big(\min x_{\cdot i} + \max x_{\cdot i}\big)

    the displaced ReLU (``displaced_relu``, :math:`\max(x, -a)`) with its shift set per batch to
    the midpoint of the range of the inputs of channel :math:`i` (over every dim but 1 by
    default; ``dims`` overrides), e.g. inputs in [-4, 8] give :math:`t = 2`. Deterministic given
    the batch, the same in train and eval.
    """

    def __init__(self, dims: Any = None):
        super().__init__()
        self.dims = dims

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.dims is not None:
            dims = tuple(self.dims) if isinstance(self.dims, (tuple, list)) else (self.dims,)
        else:
            dims = tuple(d for d in range(x.dim()) if d != 1) if x.dim() > 1 else (0,)
        t = 0.5 * (x.amin(dim=dims, keepdim=True) + x.amax(dim=dims, keepdim=True))
        return torch.maximum(x, t)

    def extra_repr(self) -> str:
        return f"dims={self.dims}"


# ------------------------------------------------------------------------------------- adaptive


class NActivation(nn.Module):
    r"""N-activation (survey §4.33), with learned :math:`a_i, b_i` and thresholds
    :math:`t_{\min} = \min(a, b)`, :math:`t_{\max} = \max(a, b)`:

    .. math:: f(x) = \begin{cases} x - 2t_{\min} & x < t_{\min} \\ -x & t_{\min} \le x \le t_{\max}
              \\ x - 2t_{\max} & x > t_{\max} \end{cases}

    (continuous; an N-shaped, non-monotonic piecewise-linear function). Elementwise, but its
    thresholds are the min/max of two parameters, hence a module. One pair, or one per channel;
    initial :math:`a = -0.5, b = 0.5` are our choice (none recoverable).
    """

    def __init__(self, num_parameters: int = 1, a: float = -0.5, b: float = 0.5):
        super().__init__()
        self.a = channel_parameter("n_activation", "a", a, num_parameters)
        self.b = channel_parameter("n_activation", "b", b, num_parameters)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        a, b = per_channel(self.a, x, "n_activation"), per_channel(self.b, x, "n_activation")
        lo, hi = torch.minimum(a, b), torch.maximum(a, b)
        return torch.where(x < lo, x - 2 * lo, torch.where(x > hi, x - 2 * hi, -x))

    def extra_repr(self) -> str:
        return f"num_parameters={self.a.numel()}"


class WiG(nn.Module):
    r"""Weighted sigmoid gate unit, WiG (Tanaka 2018, "Weighted Sigmoid Gate Unit for an
    Activation Function of Deep Neural Network", arXiv 1810.01829; survey §3.3): each raw input
    gated by a sigmoid of a learned linear map of all inputs,

    .. math:: f(x) = x \odot \sigma(W x + b)

    over the ``features`` of ``dim`` (a 1x1 convolution for ``dim = 1`` of image tensors).
    :math:`W` starts as the identity and :math:`b` at 0, so the unit starts as SiLU (our choice).

    Shape: input ``(*, features, *)``, output the same.
    """

    def __init__(self, features: int, dim: int = -1, bias: bool = True):
        super().__init__()
        check_count("wig", "features", features)
        self.gate = nn.Linear(features, features, bias=bias)
        with torch.no_grad():
            self.gate.weight.copy_(torch.eye(features))
            if bias:
                self.gate.bias.zero_()
        self.dim = dim

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        d = _check_dim(x, self.dim, "wig")
        if x.shape[d] != self.gate.in_features:
            raise ValueError(f"wig: dim {self.dim} must have size {self.gate.in_features}, got {x.shape[d]}")
        xm = x.movedim(d, -1)
        return (xm * torch.sigmoid(self.gate(xm))).movedim(-1, d)

    def extra_repr(self) -> str:
        return f"features={self.gate.in_features}, dim={self.dim}"


class HCAF(nn.Module):
    r"""Hybrid chaotic activation function, HCAF (Reid & Ferens; survey §3.48.1): a multi-output
    unit. Neuron :math:`i` computes :math:`a_i = \sigma(z_i)` and sends a different value to each
    of the ``outputs`` neurons of the next layer, by iterating the logistic map:

    .. math:: c_{i,1} = r\,a_i (1 - a_i), \qquad c_{i,j} = r\,c_{i,j-1} (1 - c_{i,j-1})

    :math:`r = 4` (the chaotic regime, as the authors use; values of :math:`r` outside
    :math:`[0, 4]` leave :math:`[0, 1]`). The next layer combines them as
    :math:`y_j = \sum_i w_{ji} c_{i,j}` (e.g. ``torch.einsum("...ij,ji->...j", c, W)``).

    Shape: input ``(*, n)``, output ``(*, n, outputs)``.
    """

    def __init__(self, outputs: int, r: float = 4.0):
        super().__init__()
        self.outputs = check_count("hcaf", "outputs", outputs)
        self.r = check_number("hcaf", "r", r, 0.0, 4.0)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        c = torch.sigmoid(z)
        out = []
        for _ in range(self.outputs):
            c = self.r * c * (1 - c)
            out.append(c)
        return torch.stack(out, dim=-1)

    def extra_repr(self) -> str:
        return f"outputs={self.outputs}, r={self.r:.6g}"


class FunnelActivation(nn.Module):
    r"""Funnel activation (Ma, Zhang, Sun 2020, "Funnel Activation for Visual Recognition", ECCV,
    arXiv 2007.11824; the survey's FunPReLU/FunReLU, §4.2.4) and the spatial context-aware
    activation (SCAA, survey §3.6.10):

    .. math:: f(X) = \max\big(X,\; T(X)\big), \qquad T(X) = \mathrm{BN}(\mathrm{DWConv}_{k\times k}(X))

    the elementwise maximum of the input and a spatial condition: a depthwise :math:`k \times k`
    convolution (no bias, "same" padding) over the 2-D feature map, followed by batch
    normalisation for the funnel activation (``norm=True``, as the paper) and without it for
    SCAA (``norm=False``: the survey defines SCAA as :math:`\max(X, f_{DW}(X))`). ``kernel_size``
    3 is the paper's choice (other sizes tested, 3x3 best).

    Shape: input ``(N, C, H, W)``, output the same.
    """

    def __init__(self, channels: int, kernel_size: int = 3, norm: bool = True):
        super().__init__()
        self.channels = check_count("funnel_relu", "channels", channels)
        k = check_count("funnel_relu", "kernel_size", kernel_size)
        if k % 2 == 0:
            raise ValueError(f"funnel_relu: parameter 'kernel_size' must be odd, got {kernel_size}")
        self.conv = nn.Conv2d(channels, channels, k, padding=k // 2, groups=channels, bias=False)
        self.bn = nn.BatchNorm2d(channels) if norm else nn.Identity()

    def spatial_condition(self, x: torch.Tensor) -> torch.Tensor:
        """:math:`T(X)`."""
        if x.dim() != 4 or x.shape[1] != self.channels:
            raise ValueError(
                f"funnel_relu: input must have shape (N, {self.channels}, H, W), got {tuple(x.shape)}"
            )
        return self.bn(self.conv(x))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.maximum(x, self.spatial_condition(x))

    def extra_repr(self) -> str:
        return f"channels={self.channels}, norm={not isinstance(self.bn, nn.Identity)}"


def scaa(channels: int, kernel_size: int = 3) -> FunnelActivation:
    """SCAA: :class:`FunnelActivation` without the batch norm, :math:`\\max(X, f_{DW}(X))`."""
    return FunnelActivation(channels, kernel_size, norm=False)


# ------------------------------------------------------------------------------------- registry

register_module("glu", names=("GLU", "gated linear unit"), survey=("GLU",))(glu)
register_module("reglu", names=("ReGLU",), survey=("ReGLU",))(reglu)
register_module("geglu", names=("GEGLU",), survey=("GEGLU",))(geglu)
register_module("swiglu", names=("SwiGLU",), survey=("SwiGLU",))(swiglu)
register_module("gtu", names=("GTU", "gated tanh unit"), survey=("GTU",))(GatedTanhUnit)
register_module("k_wta", names=("k-WTA", "k-winners-take-all"), survey=("k-WTA",))(k_wta)
register_module("crelu", names=("CReLU", "concatenated ReLU"), survey=("CReLU",))(CReLU)
register_module("ncrelu", names=("NCReLU", "negative concatenated ReLU"), survey=("NCReLU",))(NCReLU)
register_module("baf", names=("BAF", "bipolar activation function"), survey=("BAF (parity)",))(
    BipolarActivation
)
register_module("paired_relu", names=("Paired ReLU",), survey=("Paired ReLU",))(PairedReLU)
register_module("mba", names=("MBA", "multi-bias activation"), survey=("MBA multi-bias",))(
    MultiBiasActivation
)
register_module("maxout", names=("maxout", "maxout unit"), survey=("maxout",))(Maxout)
register_module("dual_relu", names=("DualReLU", "dual ReLU", "DReLU"), survey=("DualReLU",))(DualReLU)
register_module("dual_elu", names=("DualELU", "dual ELU"), survey=("DualELU",))(DualELU)
register_module("oplu", names=("OPLU", "orthogonal permutation linear unit"), survey=("OPLU",))(OPLU)
register_module(
    "kaf2d", names=("2D-KAF", "KAF2D", "two-dimensional kernel activation function"), survey=("2D-KAF",)
)(KAF2D)
register_module(
    "alternating_repu", names=("alternating RePU", "symmetric power activation"), survey=("alternating RePU",)
)(AlternatingRePU)
register_module("all_relu", names=("All-ReLU", "alternated left ReLU"), survey=("All-ReLU",))(AllReLU)
register_module("dlrelu", names=("DLReLU", "dynamic leaky ReLU"), survey=("DLReLU",))(DLReLU)
register_module("exp_dlrelu", names=("exp-DLReLU",), survey=("exp-DLReLU",))(exp_dlrelu)
register_module("abrelu", names=("ABReLU", "average biased ReLU"), survey=("ABReLU",))(ABReLU)
register_module("aoaf", names=("AOAF", "adaptive offset activation function"), survey=("AOAF",))(AOAF)
register_module("midpoint_relu", names=("DReLU", "dynamic ReLU"), survey=("DReLU dynamic",))(MidpointReLU)
register_module("n_activation", names=("N-activation",), survey=("N-activation",))(NActivation)
register_module("wig", names=("WiG", "weighted sigmoid gate unit"), survey=("WiG",))(WiG)
register_module("hcaf", names=("HCAF", "hybrid chaotic activation function"), survey=("HCAF",))(HCAF)
register_module(
    "funnel_relu", names=("FunPReLU", "FunReLU", "funnel activation", "FReLU"), survey=("FunPReLU",)
)(FunnelActivation)
register_module("scaa", names=("SCAA", "spatial context-aware activation"), survey=("SCAA",))(scaa)

__all__ = [
    "AOAF",
    "HCAF",
    "KAF2D",
    "OPLU",
    "ABReLU",
    "AllReLU",
    "AlternatingRePU",
    "BipolarActivation",
    "CReLU",
    "DLReLU",
    "DualELU",
    "DualReLU",
    "FunnelActivation",
    "GatedTanhUnit",
    "Maxout",
    "MidpointReLU",
    "MultiBiasActivation",
    "NActivation",
    "NCReLU",
    "PairedReLU",
    "WiG",
    "exp_dlrelu",
    "geglu",
    "glu",
    "k_wta",
    "reglu",
    "scaa",
    "swiglu",
]
