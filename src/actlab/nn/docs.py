"""The "Modules" section of ``docs/catalog.md``: every ``actlab.nn`` module beyond the generic one.

Arguments are read from each module's signature, so they cannot drift from the code; the math and
the citation are stated once here.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass

from actlab import nn as anl


@dataclass(frozen=True)
class ModuleDoc:
    obj: object
    by_name: str | None  # how actlab.get builds it, if it can
    math: str
    summary: str
    citation: str


MODULE_DOCS: tuple[ModuleDoc, ...] = (
    ModuleDoc(
        anl.LearnableActivation,
        "actlab.get(name, trainable=True)",
        r"y = f(x;\ \theta),\quad \theta \in \mathbb{R}^{C}\ \text{learned}"
        r"\ \text{(log scale: } \theta = e^{\log\theta})",
        "The learnable form of a catalog function: its parameters become `nn.Parameter`s, scalar or one "
        "per channel (`num_parameters`, `channel_dim`), clamped to their valid range (APA/AGLU: "
        "λ ≥ 1e-4); Elephant learns log σ and log h, Snake optionally log a. Default: learn what the "
        "original work learns, else every float parameter.",
        "Per activation (see its catalog entry).",
    ),
    ModuleDoc(
        anl.VeLU,
        'actlab.get("velu", trainable=True)',
        r"y = \lambda\, a(x),\quad "
        r"\mathcal{L}_{aux} = \lambda_{OT}\,[\mathrm{mean}(a)^2 + (\mathrm{std}(a)-1)^2]",
        "VeLU with its learned output scale λ; `aux_loss()` returns the auxiliary loss of the last batch.",
        "Shakarami et al. (2025), arXiv 2504.15051.",
    ),
    ModuleDoc(
        anl.PAU,
        'actlab.get("pau", trainable=True)',
        r"\frac{a_0 + a_1x + \dots + a_m x^m}{1 + |b_1||x| + \dots + |b_n||x|^n}",
        "Safe Padé activation unit of degrees (m, n), initialised by a least-squares fit "
        "(`actlab.nn.fit_pau`, cached) to any catalog activation on an interval (default LeakyReLU(0.01) "
        "on [-3, 3]); the fit's max error is in `pau.fit.max_error`.",
        "Molina, Schramowski, Kersting (2020), Padé Activation Units, arXiv 1907.06732.",
    ),
    ModuleDoc(
        anl.GatedFFN,
        None,
        r"\big(g(xW) \odot xV\big) W_2",
        "Gated feed-forward block: any catalog activation as the gate (sigmoid = GLU, identity = "
        "Bilinear, relu = ReGLU, gelu = GEGLU, silu = SwiGLU, xsilu/xgelu/xatlu = expanded gates, "
        "cats = CATS), or `drelu` (ReLU on both branches). Default d_ff = ⌈8·d_model/3⌉ rounded up to "
        "a multiple of 64 (2048 for d_model = 768: the parameters of FFN(768, 3072)); `fused=True` "
        "computes the gate and up projections in one matmul.",
        "Shazeer (2020), GLU Variants Improve Transformer, arXiv 2002.05202.",
    ),
    ModuleDoc(
        anl.FFN,
        None,
        r"f(xW_1) W_2",
        "Plain transformer feed-forward block with any catalog activation (d_ff = 4·d_model by default).",
        "Vaswani et al. (2017), Attention Is All You Need, arXiv 1706.03762.",
    ),
    ModuleDoc(
        anl.DReLU,
        'actlab.get("turbo_drelu")',
        r"\max(0, g) \odot \max(0, u)",
        "dReLU gate: ReLU on both the gate and the up projection (one tensor is split in halves).",
        "Song et al. (2024), Turbo Sparse, arXiv 2406.05955.",
    ),
    ModuleDoc(
        anl.HeLU,
        'actlab.get("helu")',
        r"y = \max(0, z),\quad \partial L/\partial z = \partial L/\partial y \cdot \mathbb{1}[z > -\alpha]",
        "ReLU forward with the hysteresis backward (custom autograd function saving a 1-byte mask).",
        "Kimhi et al. (2024), Hysteresis Activation Function for Efficient Inference, arXiv 2411.10573.",
    ),
    ModuleDoc(
        anl.StochasticActivation,
        'actlab.get("stochastic", p=0.5)',
        r"y = \mathrm{SiLU}(x)\ \text{if}\ m = 1 \wedge x < 0\ \text{else}\ \mathrm{ReLU}(x),"
        r"\quad m \sim \mathrm{Bernoulli}(p)",
        "Random ReLU/SiLU choice in training, deterministic ReLU in eval; `finetune_relu()` for the "
        "ReLU fine-tuning phase, `stochastic_inference=True` to keep sampling, seedable generator. "
        "Draw granularity and default p are not fixed by the paper (see the docstring).",
        "Lomeli et al. (2025), Stochastic activations, arXiv 2509.22358.",
    ),
    ModuleDoc(
        anl.CATS,
        'actlab.get("cats")',
        r"a = \mathrm{SiLU}(x),\quad y = a\cdot\mathbb{1}[|a| \ge t]",
        "Thresholded SiLU; `actlab.nn.calibrate(model, batches, target_sparsity)` sets every CATS "
        "layer's threshold from a histogram (or the exact quantile) of calibration activations.",
        "Lee et al. (2024), CATS: Contextually-Aware Thresholding for Sparsity, arXiv 2404.08763.",
    ),
    ModuleDoc(
        anl.TopK,
        'actlab.get("topk", k=32)',
        r"y_i = f(x_i)\ \text{if}\ i \in \mathrm{argtop}_k(x)\ \text{else}\ 0",
        "Exact k-sparse activation per row (exactly k kept, ties included).",
        "Makhzani & Frey (2013), k-Sparse Autoencoders, arXiv 1312.5663; "
        "Gao et al. (2024), arXiv 2406.04093.",
    ),
    ModuleDoc(
        anl.StatisticalTopK,
        'actlab.get("statistical_topk", k=32)',
        r"\theta = \mu(x) + \sigma(x)\,\Phi^{-1}(1 - k/d),\quad y = \max(x - \theta, 0)",
        "Linear-time, sort-free top-k from the row's mean and standard deviation (hard or soft threshold).",
        "You et al. (2025), Spark Transformer, arXiv 2506.06644.",
    ),
    ModuleDoc(
        anl.SmartMixed,
        'actlab.get("smart_mixed", num_features=64)',
        r"y_i = \sum_p w_{ip} f_p(x_i),\quad w_i = \mathrm{GumbelSoftmax}(\ell_i)\ \text{(straight-through)}",
        "Per-neuron choice among a pool of catalog activations; `freeze()` fixes the argmax and "
        "evaluates each function once on its group of neurons; `distribution()` counts the choices.",
        "Omidvar (2025), SmartMixed, arXiv 2510.22450.",
    ),
    ModuleDoc(
        anl.XUnit,
        'actlab.get("xunit", num_features=64)',
        r"y = x \odot g\big(\mathrm{BN}(\mathrm{DWConv}(\mathrm{ReLU}(\mathrm{BN}(x))))\big),"
        r"\quad g(z) = e^{-z^2}",
        "Learnable spatial activation for image models (depthwise convolution gate).",
        "Kligvasser, Rott Shaham, Michaeli (2018), xUnit, arXiv 1711.06445.",
    ),
    ModuleDoc(
        anl.KANLinear,
        None,
        r"y_j = \sum_i w^b_{ji} b(x_i) + w^s_{ji} \sum_g c_{jig} B_g(x_i)",
        "Kolmogorov–Arnold layer: a learnable B-spline function plus a base activation (SiLU by default, "
        "any catalog name) on every edge.",
        "Liu et al. (2024), KAN: Kolmogorov-Arnold Networks, arXiv 2404.19756.",
    ),
    ModuleDoc(
        anl.CatalogKANLinear,
        None,
        r"y_j = \sum_i \sum_p c_{jip} f_p(x_i)",
        "KAN layer whose edge functions are combinations of chosen catalog activations; `select()` keeps "
        "each edge's dominant function.",
        "Built on Liu et al. (2024), arXiv 2404.19756.",
    ),
    ModuleDoc(
        anl.MatrixActivation,
        None,
        r"\sigma(x) = D(x)\,x,\quad D = \mathrm{diag}(\alpha_i(x_i)),"
        r"\ \alpha_i = t_{ij}\ \text{on}\ [s_{j-1}, s_j)",
        "Trainable matrix activation: piecewise-linear with per-neuron trainable slopes on fixed intervals.",
        "Liu, Cao, Li, Zikatanov (2021), Neural networks with trainable matrix activation functions, "
        "arXiv 2109.09948.",
    ),
)


def _arguments(obj: object) -> str:
    sig = inspect.signature(obj)
    parts = []
    for p in sig.parameters.values():
        if p.name == "self":
            continue
        if p.kind is inspect.Parameter.VAR_KEYWORD:
            parts.append(f"**{p.name}")
        elif p.default is inspect.Parameter.empty:
            parts.append(p.name)
        else:
            parts.append(f"{p.name}={p.default!r}")
    return ", ".join(parts)


def modules_markdown() -> str:
    """Markdown for the modules section of ``docs/catalog.md``."""
    out = [
        "\n## Modules\n\n",
        "Modules in `actlab.nn` beyond the generic elementwise `Activation`. Each is documented in its "
        "docstring; the arguments below are read from the code.\n",
    ]
    for d in MODULE_DOCS:
        name = d.obj.__name__
        out.append(f"\n### `actlab.nn.{name}`\n\n")
        if d.by_name:
            out.append(f"By name: `{d.by_name}`.\n\n")
        out.append(f"$$ {d.math} $$\n\n{d.summary}\n\n")
        out.append(f"Arguments: `{name}({_arguments(d.obj)})`\n\n")
        out.append(f"Citation: {d.citation}\n")
    out.append("\n### `actlab.nn.calibrate`\n\n")
    out.append(f"`calibrate({_arguments(anl.calibrate)})`: sets every CATS layer's threshold for a ")
    out.append("target sparsity (histogram or exact quantile of calibration activations).\n")
    return "".join(out)
