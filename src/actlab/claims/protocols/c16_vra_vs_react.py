"""Claim 16: VRA detects OOD inputs at least as well as ReAct (Xu et al. 2023)."""

from __future__ import annotations

from actlab.claims.base import register_claim
from actlab.claims.decide import contrast, non_inferiority, superiority
from actlab.claims.protocols._common import finish
from actlab.claims.protocols._robust import (
    LEARNED,
    VRA,
    OodClaim,
    by_seed,
    gain_plot,
    ood_lines,
    prose,
)

MARGIN = 0.01  # AUROC


@register_claim
class VraVsReact(OodClaim):
    name = "vra_vs_react"
    statement = "VRA's piecewise rectification gives an OOD-detection AUROC at least as high as ReAct's."
    paper = VRA
    summary = prose(f"""the runs of ood_rectification: AUROC(VRA) − AUROC(ReAct) on the ReLU network,
        paired seeds; non-inferiority margin {MARGIN:g}""")
    protocol = prose("""The VRA paper reports VRA above ReAct on CIFAR-10/100 and ImageNet with the energy
        score. Here the runs of claim ood_rectification (digits ReLU MLP, five offline OOD sets, energy
        score, ReAct at the 90th percentile, VRA at the 60th/90th per-unit percentiles, γ = 0, thresholds
        from the training inputs) are compared detector against detector.""")
    scaled_down = prose("""As claim ood_rectification: a small MLP on 8×8 digits and offline OOD sets, not
        CIFAR/ImageNet.""")
    decision = prose(f"""Effect per seed: AUROC(VRA) − AUROC(ReAct). Non-inferiority with margin
        {MARGIN:g}: supported when the 95 % lower bound is above −{MARGIN:g}; not supported when the upper
        bound is below −{MARGIN:g}; inconclusive otherwise, or when the classifier is below {LEARNED:g}
        accuracy or the plain AUROC is already ≥ 0.99. The superiority p-value is reported too.""")
    def decide(self, arms, preset: str):
        c = contrast("VRA − ReAct", by_seed(arms, "auroc_vra"), by_seed(arms, "auroc_react"), True, 0.95)
        d = non_inferiority([c], MARGIN)
        sup = superiority([c], 0.0)
        extra = [f"superiority (VRA > ReAct): {sup.verdict}, p = {sup.p:.3g}", *ood_lines(arms)]
        return finish(self, preset, d, "Δ AUROC, VRA − ReAct (ReLU network)", "paired t over seeds", extra)

    def plot(self, arms, result, plots):
        return gain_plot(arms, plots, [("VRA − ReAct", "auroc_vra", "auroc_react")],
                         "OOD AUROC, VRA − ReAct, per seed", "vra-vs-react")
