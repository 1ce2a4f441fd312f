"""Claim 13: smooth activations (GELU, SiLU) degrade more gracefully than ReLU under activation noise
(Shah & Youngblood 2024)."""

from __future__ import annotations

from actlab.claims.base import register_claim
from actlab.claims.protocols._robust import DEGRADED, LEARNED, MIN_EFFECT, RobustnessClaim, prose

TRAIN_NOISE = 0.25


@register_claim
class SmoothNoise(RobustnessClaim):
    name = "smooth_noise_robustness"
    statement = prose("""Continuously differentiable activations (GELU, SiLU) keep more of their accuracy
        than ReLU as Gaussian noise on the activations grows.""")
    summary = prose(f"""digits MLP 64-128-128-10, trained with relative Gaussian noise σ = {TRAIN_NOISE:g}
        on every activation output, then accuracy vs noise σ ∈ {{0 … 4}}; area under accuracy ÷ clean
        accuracy; GELU, SiLU vs ReLU; paired seeds""")
    protocol = prose(f"""The paper trains networks in a simulated noisy analog environment (its AnalogVNN
        layers add Gaussian noise to every layer's output) and compares ReLU with GELU and SiLU as the
        noise grows. Bench task robustness: the digits MLP (two hidden layers of 128, Adam lr 1e-3, 20
        epochs quick), trained with additive Gaussian noise of σ = {TRAIN_NOISE:g} × rms on every
        activation output (noise in the loop, training mode only), then evaluated on the test set with the
        same kind of noise at σ ∈ {{0, 0.25, 0.5, 1, 2, 4}} × rms (2 draws per level). Metric per run:
        noise_auc_relative, the area under accuracy ÷ clean accuracy over the grid divided by its span
        (1 = nothing lost). Noise is relative to each tensor's rms so that an activation gains nothing from
        the scale of its outputs.""")
    scaled_down = prose("""The paper uses CNNs, VGG, ResNet-18 and ViTs on image data sets with AnalogVNN's
        quantised noisy layers; here one small MLP on the 8×8 digits, Gaussian noise only (quantisation is
        claim 14), and one training noise level. Full: width 256, 60 epochs, a 10-level grid, 5 draws, 10
        seeds.""")
    decision = prose(f"""Effect per seed: noise_auc_relative(smooth) − noise_auc_relative(ReLU) for GELU
        and SiLU (two contrasts, simultaneous intervals, Holm). Supported: both significantly positive and
        ≥ {MIN_EFFECT:g}. Not supported: an upper bound below {MIN_EFFECT:g}. Inconclusive otherwise, or
        when an activation's clean accuracy is below {LEARNED:g} or ReLU keeps more than {DEGRADED:g} of its
        accuracy at the harshest level (the grid does not reach degradation).""")
    env = {"train_noise": TRAIN_NOISE}
    metric, curve, x_key, what = "noise_auc_relative", "noise_accuracy", "noise_levels", "noise level"
    xlabel = "noise σ (× rms of each activation)"
    title = f"Accuracy vs activation noise (trained with σ = {TRAIN_NOISE:g})"
    plot_name = "claim-smooth-noise"
