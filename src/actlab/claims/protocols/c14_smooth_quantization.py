"""Claim 14: smooth activations (GELU, SiLU) degrade more gracefully than ReLU under low-bit
quantisation of the activations (Shah & Youngblood 2024)."""

from __future__ import annotations

from actlab.claims.base import register_claim
from actlab.claims.protocols._robust import DEGRADED, LEARNED, MIN_EFFECT, RobustnessClaim, prose

TRAIN_BITS = 4


@register_claim
class SmoothQuantization(RobustnessClaim):
    name = "smooth_quantization_robustness"
    statement = prose("""Continuously differentiable activations (GELU, SiLU) keep more of their accuracy
        than ReLU as the bit width of the activations shrinks.""")
    summary = prose(f"""digits MLP 64-128-128-10, trained with {TRAIN_BITS}-bit activations
        (straight-through gradient), then accuracy vs bit width 8 … 1; area under accuracy ÷ clean
        accuracy; GELU, SiLU vs ReLU; paired seeds""")
    protocol = prose(f"""The paper trains in a quantised analog environment (AnalogVNN's reduce-precision
        layers, trained with a straight-through gradient) and finds GELU/SiLU more resilient than ReLU as
        precision falls. Bench task robustness: the digits MLP (two hidden layers of 128, Adam lr 1e-3, 20
        epochs quick), trained with every activation output quantised to {TRAIN_BITS} bits (uniform levels
        on each tensor's min–max range, straight-through gradient, training mode only), then evaluated on
        the test set with the outputs quantised to 8, 6, 4, 3, 2 and 1 bits. Metric per run:
        quant_auc_relative, the area under accuracy ÷ clean accuracy over the bit grid divided by its
        span.""")
    scaled_down = prose("""The paper's CNNs/ViTs on image data sets, with quantisation and noise together,
        become one small MLP on 8×8 digits with quantisation alone (noise is claim 13) and one training bit
        width. Full: width 256, 60 epochs, 10 seeds.""")
    decision = prose(f"""Effect per seed: quant_auc_relative(smooth) − quant_auc_relative(ReLU) for GELU
        and SiLU (two contrasts, simultaneous intervals, Holm). Supported: both significantly positive and
        ≥ {MIN_EFFECT:g}. Not supported: an upper bound below {MIN_EFFECT:g}. Inconclusive otherwise, or
        when an activation's clean accuracy is below {LEARNED:g} or ReLU keeps more than {DEGRADED:g} of its
        accuracy at 1 bit.""")
    env = {"train_bits": TRAIN_BITS}
    metric, curve, x_key, what = "quant_auc_relative", "quant_accuracy", "bits", "bit width"
    xlabel = "bits per activation"
    title = f"Accuracy vs bit width (trained at {TRAIN_BITS} bits)"
    plot_name = "claim-smooth-quantization"
    invert = True
