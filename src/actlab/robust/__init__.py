"""``actlab.robust``: activations under noise and limited precision.

Effects (:mod:`actlab.robust.effects`) — additive, multiplicative and read noise, uniform ``k``-bit
quantisation with a straight-through gradient, a bounded output range — are modules that
:func:`apply` places at a model's activation sites (before or after each activation, found as
:func:`actlab.swap` finds them) and on its weights. They act in training mode only unless built
with ``when="always"``/``"eval"``, and are deterministic under a seed. :func:`noise_curve` and
:func:`quantization_curve` measure a trained model's metric as the noise grows or the bit width
shrinks, summarised by the area under the curve and the level at which the metric halves.

Example::

    from actlab import robust
    noisy = robust.apply(model, post=robust.AdditiveNoise(0.1, when="always"), seed=0).model
    curve = robust.noise_curve(model, robust.accuracy(x_test, y_test), levels=[0, 0.1, 0.2, 0.4])
    curve.auc, curve.half_level
"""

from actlab.robust.curve import (
    NOISE_KINDS,
    RobustnessCurve,
    accuracy,
    noise_curve,
    noise_effect,
    quantization_curve,
)
from actlab.robust.effects import (
    WHEN,
    AdditiveNoise,
    Clamp,
    Effect,
    MultiplicativeNoise,
    Quantize,
    ReadNoise,
    analog,
)
from actlab.robust.wrap import (
    WEIGHT_TYPES,
    NoisySite,
    NoisyWeights,
    RobustReport,
    apply,
    effects,
    remove,
    reseed,
)

__all__ = [
    "NOISE_KINDS",
    "WEIGHT_TYPES",
    "WHEN",
    "AdditiveNoise",
    "Clamp",
    "Effect",
    "MultiplicativeNoise",
    "NoisySite",
    "NoisyWeights",
    "Quantize",
    "ReadNoise",
    "RobustReport",
    "RobustnessCurve",
    "accuracy",
    "analog",
    "apply",
    "effects",
    "noise_curve",
    "noise_effect",
    "quantization_curve",
    "remove",
    "reseed",
]
