"""Rows of the survey (Kunc & Kléma 2024, arXiv 2402.09092) that actlab does not implement, with
the reason. Every other row is covered by a catalog entry (its spec's ``survey`` field) or by an
``actlab.nn`` module (``register_module(..., survey=...)``); ``docs/survey-coverage.md`` is
generated from these three sources and ``docs/data/survey-rows.tsv``.

Kinds: X rows cannot be implemented from any source we could read; M rows are frameworks or
wrappers around an arbitrary function, not one activation (actlab's generic tools cover the idea:
``actlab.get(name, trainable=True)`` learns any entry's parameters, ``actlab.nn.SmartMixed``
learns a blend of catalog functions, ``actlab.search`` searches expression spaces).
"""

from __future__ import annotations

UNIMPLEMENTED: dict[str, str] = {
    # X: the formula is not recoverable
    "tanh36/tanh3 spline approx.": "a spline approximation of tanh whose coefficients are not printed in the "
    "survey or in the stored copy of the source",
    "LRTanh": "defined only by a modified back-propagation derivative, not by a forward function",
    "pRPPSG piecewise approx.": "a piecewise approximation whose pieces are not printed",
    "n-sigmoid": "omitted by the survey itself because of a typo in its source; no reliable definition",
    "RePSU (RePSKU+RePSHU)": "the formulas of the original (arXiv 2101.09948) were not readable in any "
    "copy we could reach, and the only transcription (RePSHU = 2x − RePSKU) is doubtful",
    "MLReLU": "the only available formula (z if z + a > 0, else -a z) is discontinuous and contradicts the "
    "survey's own description (a translated LReLU); the original paper was out of reach",
    "GRA Riccati": "the printed form 1 - a/(a + (1 + b z)^c) is undefined for z < -1/b and the original "
    "(IT Professional 2022, doi 10.1109/MITP.2022.3204904) could not be read to settle its domain",
    "FracSoftplus": "defined as a Grünwald-Letnikov fractional derivative of softplus; its exact form is a "
    "polylogarithm with no stable torch evaluation, and the step and number of terms used are not given",
    "FracTanh": "defined as a Grünwald-Letnikov fractional derivative of tanh; exact form a Fermi-Dirac-type "
    "integral, and the step and number of terms used are not given",
    "FracELU": "its negative side is an infinite series of complex fractional powers (a Mittag-Leffler "
    "function of negative argument) whose truncation the source does not give",
    "FracSiLU1": "a Bernoulli-number series that diverges for |x| > π; the survey notes the source "
    "definition is wrong",
    "FracSiLU2": "a Bernoulli-number series that diverges for |x| > π (radius of convergence π)",
    "FracGELU1": "a truncated series with complex powers for x < 0; the survey notes the source definition "
    "is wrong",
    "FracGELU2": "a truncated series with complex powers for x < 0 and heavy cancellation; the original "
    "definition is not recoverable",
    "SAAF smooth adaptive": "the survey prints no formula, and the breakpoints and polynomial basis of the "
    "original piecewise-polynomial construction are not recoverable",
    "FCAF hidden": "each neuron's output is computed from the previous neuron of the same layer: not "
    "elementwise, undefined for the first neuron, and the survey says the index's meaning is unclear",
    "FCAF output": "as FCAF hidden: defined across neighbouring neurons of a layer, with an unclear index",
    "CCAF": "as FCAF: a chaotic map across neighbouring neurons of a layer, not an activation of one input",
    "TSAF trapezoid": "the formula is only in the original (Pan et al.), which could not be read; the "
    "survey's printed sum of four ReLUs grows like 2x/c and is not a trapezoid",
    "TSAFPlus": "the smoothed TSAF; TSAF itself could not be recovered (see TSAF trapezoid)",
    # S and N rows left out of actlab.nn

    "S-RReLU": "the printed formula 1/(1+z)^2 + a z has a pole at z = -1 on its own negative branch; "
    "the original (Elakkiya & Dejey 2023) could not be read to repair it",
    "EACU": "the law of the random slope b, its 'protection mechanism' and the SE block that computes a "
    "are not given in the survey; the original (Zhang, Xu, Sheng 2023, JACIII 27(4)) could not be read",
    "RSP rand softplus": "the stochastic weight a_l follows a per-layer noise-level procedure that the "
    "survey only references; not recoverable",
    "tsoftmax": "the formula (an adaptive parameter c in a softmax) is not printed in any readable source",
    "glsoftmax": "known only from one transcription of the survey's equation; with its (unstated) defaults "
    "the normalisation divides by GLM_{c,d}(z) - GLM_{a,b}(z), zero for equal parameters or constant inputs",
    "gpsoftmax": "as glsoftmax, with the power mean: ill-defined without the paper's parameter constraints",
    "VBAF": "the printed formula sums deviations from the mean (identically 0); the original "
    "(Kayim & Yilmaz) could not be read to place the missing square",
    # M: frameworks and wrappers around an arbitrary inner function
    "L-ReLU": "a framework with an arbitrary inner function φ and parameter μ, not one activation",
    "TAAF": "a wrapper a·f(b·z + c) + d around any activation f (actlab.get(f, trainable=True) learns "
    "f's own parameters; the affine wrapper is not a catalog function)",
    "DPAF": "a construction over an arbitrary function g, not one activation",
    "FPAF": "a construction over two arbitrary functions g1, g2, not one activation",
    "trainable amplitude": "a learned amplitude a·g(z) around an arbitrary g, not one activation",
    "LAAF (n-LAAF)": "layer-wise locally adaptive scaling g(n·a·z) of an arbitrary g (with a slope-recovery "
    "loss term), a training scheme rather than one activation",
    "CatAF": "a construction over an arbitrary function g, not one activation",
    "ABU (+activation ensemble, Manessi-Rozza)": "learned combinations of a chosen set of activations; "
    "actlab.nn.SmartMixed learns a blend of any catalog functions",
    "TCA": "a transformation of an arbitrary set of base activations (framework)",
    "TCAv2": "a transformation of an arbitrary set of base activations (framework)",
    "APAF": "a blending framework over a chosen set of activations",
    "GABU": "a gated blending framework over a chosen set of activations",
    "DKNN": "a network-level construction (kernel network), not an activation",
    "Rowdy": "adds trainable sinusoidal perturbations to an arbitrary base activation (framework)",
    "NIN/MIN/WHE/NPF/hyperactivations": "sub-networks used as activations (network in neuron, hyper-"
    "activations): architectures, not functions",
    "VAF (AFU)": "an activation represented by a small neural network (framework)",
    "FAB": "an activation-function block built from other layers (framework)",
    "random NNs w/ trainable AFs (5 polys)": "random networks with trainable polynomial activations: a "
    "training setting, not one activation",
    "SAVE-inspired (Table 3, several)": "several functions listed in a table whose definitions are not "
    "printed in the survey",
}
