"""Claim 5: ReLU² gives the best sparsity–performance trade-off with the CETT threshold (Zhang et al.
2024, "ReLU² Wins")."""

from __future__ import annotations

import math
from typing import Any

from actlab.claims.base import INCONCLUSIVE, NOT_SUPPORTED, SUPPORTED, Paper, register_claim
from actlab.claims.decide import contrast, metric_by_seed, non_inferiority, superiority
from actlab.claims.protocols import _charlm
from actlab.claims.protocols._common import Arms

TARGET = 0.2
MIN_SPARSITY_GAIN = 0.01  # one percentage point of neurons
BPC_MARGIN = 0.02  # bits per character
ARMS = {"relu2": ("relu2", "plain"), "relu": ("relu", "plain"), "silu": ("silu", "plain"),
        "gelu": ("gelu", "plain"), "swiglu": ("silu", "glu"), "reglu": ("relu", "glu")}  # fmt: skip


@register_claim
class ReLU2Sparsity(_charlm.LMClaim):
    name = "relu2_sparsity"
    statement = (
        "ReLU² gives the best sparsity–performance trade-off: at the CETT threshold it has the highest "
        "activation sparsity of ReLU, ReLU², SiLU, GELU, SwiGLU and ReGLU, at no worse performance."
    )
    paper = Paper(
        "Zhang, Song, Xiao, Zhang, Han, Liu, Sun, Wang, Li, Zeng",
        "ReLU² Wins: Discovering Efficient Activation Functions for Sparse LLMs",
        2024,
        "2402.03804",
    )
    summary = (
        "the charlm models of the GLU claim plus ReLU², SiLU, ReGLU; per layer the CETT = 0.2 threshold of "
        "actlab.probe; sparsity and validation bits/char with sub-threshold neurons dropped"
    )
    protocol = (
        "The paper's measure: a neuron's output n_i = h_i·W_down[:, i]; per layer the threshold ε is the "
        "largest "
        "for which the cumulative error of tail truncation CETT = ‖Σ_{‖n_i‖≤ε} n_i‖ / ‖Σ n_i‖ (mean over "
        "tokens) stays ≤ 0.2; sparsity is the fraction of neurons with ‖n_i‖ ≤ ε; performance is measured "
        "with "
        "those neurons dropped. Activations as in the paper's comparison: ReLU, ReLU², SiLU/GELU FFNs and "
        "the "
        "gated SwiGLU and ReGLU, trained identically (equal parameters, charlm task)."
    )
    scaled_down = (
        "The paper trains 1B-parameter LLMs on 100 B tokens; here the 0.23 M-parameter character "
        "models of the GLU claim (3000 steps, every arm below 2 bits/char). Quick: out of reach."
    )
    decision = (
        f"(a) sparsity at CETT {TARGET}: ReLU² − other for each of the five others (superiority, "
        "simultaneous "
        f"intervals, δ = {MIN_SPARSITY_GAIN:g}); (b) bits/char with the neurons dropped: ReLU² "
        "non-inferior to "
        f"each other (margin {BPC_MARGIN:g}). Supported: (a) and (b) supported. Not supported: (a) or (b) "
        "not "
        "supported. Inconclusive otherwise, or when an arm ends above 2 bits/char."
    )
    lm_arms = ARMS

    def evaluate(self, arms: Arms, s: dict[str, Any], preset: str):
        failed, lines = self.regime_failure(arms, preset)
        if failed is not None:
            return failed
        sk, bk = f"cett_sparsity@{TARGET:g}", f"cett_bpc@{TARGET:g}"
        sp = {a: metric_by_seed(r, sk)[0] for a, r in arms.items()}
        bp = {a: metric_by_seed(r, bk)[0] for a, r in arms.items()}
        others = [a for a in ARMS if a != "relu2"]
        m = len(others)
        ca = [contrast(f"sparsity relu2 vs {o}", sp["relu2"], sp[o], True, 1 - 0.05 / m) for o in others]
        cb = [
            contrast(f"dropped-neuron bpc relu2 vs {o}", bp["relu2"], bp[o], False, 1 - 0.05 / m)
            for o in others
        ]
        da, db = superiority(ca, MIN_SPARSITY_GAIN), non_inferiority(cb, BPC_MARGIN)
        if da.verdict == SUPPORTED and db.verdict == SUPPORTED:
            verdict = SUPPORTED
        elif NOT_SUPPORTED in (da.verdict, db.verdict):
            verdict = NOT_SUPPORTED
        else:
            verdict = INCONCLUSIVE
        means = [f"{a}: sparsity {sum(sp[a].values()) / max(1, len(sp[a])):.3f}, bpc with dropped neurons "
                 f"{sum(bp[a].values()) / max(1, len(bp[a])):.3f}" for a in ARMS if sp[a]]  # fmt: skip
        p = da.primary
        return self.result(
            preset, verdict, effect=f"Δ sparsity at CETT {TARGET}, ReLU² − best other",
            estimate=p.est if p else math.nan, ci=da.ci, ci_level=da.level,
            test=f"paired t over seeds, Holm (simultaneous {100 * da.level:.3g} %)", p=da.p,
            n=p.cmp.n_pairs if p else 0, reason=f"(a) {da.verdict}: {da.reason}; (b) {db.verdict}: "
                                                f"{db.reason}",
            details=da.lines + db.lines + means + lines,
        )  # fmt: skip

    def plot(self, arms: Arms, result, plots):
        fig, ax = plots.plt.subplots(figsize=(6.5, 4.2))
        names = [a for a in ARMS if arms.get(a)]
        for a, col in zip(names, plots.colors(len(names))):
            xs, ys = [], []
            for t in (0.1, 0.2, 0.3):
                s_ = [r.metrics.get(f"cett_sparsity@{t:g}") for r in arms[a].values() if r.status == "ok"]
                b_ = [r.metrics.get(f"cett_bpc@{t:g}") for r in arms[a].values() if r.status == "ok"]
                s_ = [v for v in s_ if v is not None and math.isfinite(v)]
                b_ = [v for v in b_ if v is not None and math.isfinite(v)]
                if s_ and b_:
                    xs.append(sum(s_) / len(s_))
                    ys.append(sum(b_) / len(b_))
            if xs:
                ax.plot(xs, ys, marker="o", label=a, color=col, lw=2 if a == "relu2" else 1)
        ax.set_xlabel("sparsity (fraction of neurons dropped at CETT 0.1, 0.2, 0.3)")
        ax.set_ylabel("validation bits/char with them dropped")
        ax.set_title("Sparsity–performance trade-off (lower right is better)", fontsize=10)
        ax.legend(fontsize=8)
        return plots.save(fig, "claim-relu2-sparsity")
