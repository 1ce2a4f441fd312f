"""Claim 4: GLU variants (GEGLU, SwiGLU) beat ReLU and GELU feed-forward blocks at equal parameters
(Shazeer 2020), on the charlm task."""

from __future__ import annotations

from typing import Any

from actlab.claims.base import Paper, register_claim
from actlab.claims.decide import contrast, metric_by_seed, superiority
from actlab.claims.protocols import _charlm
from actlab.claims.protocols._common import Arms, finish, strip_plot

MIN_EFFECT = 0.01  # bits per character
ARMS = {
    "relu": ("relu", "plain"),
    "gelu": ("gelu", "plain"),
    "geglu": ("gelu", "glu"),
    "swiglu": ("silu", "glu"),
}


@register_claim
class GLUVariants(_charlm.LMClaim):
    name = "glu_variants"
    statement = (
        "GLU-variant FFNs (GEGLU, SwiGLU) reach a lower loss than ReLU and GELU FFNs with the same "
        "parameters."
    )
    paper = Paper("Shazeer", "GLU Variants Improve Transformer", 2020, "2002.05202")
    summary = (
        "charlm (Python-source characters), 2-layer d=96 transformer, 3000 AdamW steps; FFN 96→384→96 "
        "(ReLU, GELU) vs gated 96→2×256→96 (GEGLU, SwiGLU): equal parameters; validation bits/char"
    )
    protocol = (
        "The paper's comparison: the transformer's FFN max(0, xW₁)W₂ (ReLU) or GELU(xW₁)W₂ against "
        "(g(xW) ⊙ xV)W₂ with g = GELU (GEGLU) or Swish (SwiGLU), no biases, the gated hidden width 2/3 of "
        "the "
        "plain one so that parameters are equal (here 384 vs 256: 73 728 FFN weights per layer each), same "
        "training for all; metric: held-out log-perplexity (here validation bits per character of the bench "
        "charlm task, a causal character-level transformer on the Python standard library's source)."
    )
    scaled_down = (
        "The paper pre-trains T5-base (220 M parameters) for 65 536 steps on C4 and fine-tunes on GLUE; here "
        "a 0.23 M-parameter, 2-layer, d = 96 character model for 3000 steps of 32 × 64 characters (6 M "
        "characters), trained until every arm is below 2 bits/char (checked). Quick preset: out of reach."
    )
    decision = (
        "Effect per seed: bpc(plain) − bpc(gated) (positive = gated better) for GEGLU and SwiGLU against "
        "ReLU and "
        "GELU: four contrasts, simultaneous intervals, Holm. Supported: all four significantly positive "
        "and ≥ "
        f"{MIN_EFFECT:g} bits/char. Not supported: some upper bound below {MIN_EFFECT:g}. Inconclusive "
        "otherwise, "
        f"or when an arm ends above {_charlm.REGIME_BPC:g} bits/char."
    )
    lm_arms = ARMS

    def evaluate(self, arms: Arms, s: dict[str, Any], preset: str):
        failed, lines = self.regime_failure(arms, preset)
        if failed is not None:
            return failed
        worst = max((r.metrics["test_metric"] for a in arms.values() for r in a.values() if r.status == "ok"),
                    default=None)  # fmt: skip
        v = {a: metric_by_seed(runs, "test_metric", worst)[0] for a, runs in arms.items()}
        level = 1 - 0.05 / 4
        cs = [contrast(f"{g} vs {p}", v[g], v[p], higher_is_better=False, level=level)
              for g in ("geglu", "swiglu") for p in ("relu", "gelu")]  # fmt: skip
        d = superiority(cs, MIN_EFFECT)
        return finish(
            self, preset, d, "Δ bits/char, plain − gated (smallest of 4)", "paired t over seeds, Holm", lines
        )

    def plot(self, arms: Arms, result, plots):
        series = {
            a: [r.metrics["test_metric"] for r in runs.values() if r.status == "ok"]
            for a, runs in arms.items()
        }
        return strip_plot(
            plots,
            self.name,
            series,
            "validation bits/char (lower is better)",
            "charlm: plain versus gated FFNs at equal parameters",
        )
