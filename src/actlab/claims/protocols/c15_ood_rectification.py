"""Claim 15: rectifying the penultimate activations (ReAct, VRA) raises OOD-detection AUROC over the
plain model (Sun et al. 2021; Xu et al. 2023)."""

from __future__ import annotations

from actlab.claims.base import register_claim
from actlab.claims.decide import contrast, superiority
from actlab.claims.protocols._common import finish
from actlab.claims.protocols._robust import (
    LEARNED,
    OOD_ACTS,
    REACT,
    OodClaim,
    by_seed,
    gain_plot,
    ood_lines,
    prose,
)

OTHERS = ", ".join(a for a in OOD_ACTS if a != "relu")


@register_claim
class OodRectification(OodClaim):
    name = "ood_rectification"
    statement = prose("""Rectifying the penultimate activations — ReAct (clip at the 90th percentile) and
        VRA (0 below α, clip at β) — raises the AUROC of energy-score OOD detection over the plain
        model.""")
    paper = REACT
    summary = prose("""digits ReLU MLP vs 5 generated/bundled OOD sets (noise, scikit-image patches,
        permuted and inverted digits); energy score; AUROC with ReAct (p = 90) and VRA (60th/90th per unit)
        vs plain, thresholds from the training inputs; paired seeds""")
    protocol = prose(f"""ReAct (Sun et al. 2021) clips the penultimate activations of a trained ReLU
        classifier at the 90th percentile of their values on in-distribution data and scores inputs with
        the energy score; VRA (Xu et al. 2023, whose claim this also is) sets activations below α to 0
        and above β to β, α and β the 60th and 90th per-unit percentiles on the training data (the authors'
        CIFAR-10 setting). Bench task ood: the digits MLP (two hidden layers of 128 ReLU units; the last
        one's output is the penultimate layer), in-distribution = the digits test split, OOD = uniform
        noise, Gaussian noise with the data's per-pixel moments, 8×8 patches of scikit-image's bundled
        photographs, digits with shuffled pixels and inverted digits (as many as test digits each). AUROC
        is the mean over the five sets. {OTHERS} networks are run too and reported, not judged.""")
    scaled_down = prose("""The papers use ResNet/DenseNet/MobileNet on CIFAR and ImageNet against
        natural-image OOD sets (SVHN, Textures, Places, iSUN, LSUN, iNaturalist); here a 2-hidden-layer MLP
        on 8×8 digits against OOD sets made offline. ReAct's code calibrates on held-out validation images,
        VRA's on the training set; here both calibrate on the training inputs. Full: width 256, 60 epochs,
        10 seeds.""")
    decision = prose(f"""Effect per seed on the ReLU network: AUROC(ReAct) − AUROC(plain) and AUROC(VRA) −
        AUROC(plain) (two contrasts, simultaneous intervals, Holm). Supported: both significantly positive.
        Not supported: one significantly negative. Inconclusive otherwise, or when the classifier is below
        {LEARNED:g} accuracy or the plain AUROC is already ≥ 0.99.""")
    def decide(self, arms, preset: str):
        plain = by_seed(arms, "auroc_plain")
        level = 1 - 0.05 / 2
        cs = [contrast("ReAct − plain", by_seed(arms, "auroc_react"), plain, True, level),
              contrast("VRA − plain", by_seed(arms, "auroc_vra"), plain, True, level)]  # fmt: skip
        d = superiority(cs, 0.0)
        return finish(self, preset, d, "Δ AUROC, rectified − plain (ReLU network, the smaller)",
                      "paired t over seeds, Holm", ood_lines(arms))

    def plot(self, arms, result, plots):
        return gain_plot(arms, plots, [("ReAct − plain", "auroc_react", "auroc_plain"),
                                       ("VRA − plain", "auroc_vra", "auroc_plain")],
                         "OOD AUROC gain from rectification, per seed", "ood-rectification")
