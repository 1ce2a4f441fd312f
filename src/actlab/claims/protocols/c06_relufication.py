"""Claim 6: ReLU in place of SiLU/GELU keeps quality and raises activation sparsity; relufying a trained
model and fine-tuning briefly recovers most of the loss (Mirzadeh et al. 2023, "ReLU Strikes Back")."""

from __future__ import annotations

import math
from typing import Any

from actlab.claims.base import INCONCLUSIVE, NOT_SUPPORTED, SUPPORTED, Paper, register_claim
from actlab.claims.decide import contrast, equivalence, metric_by_seed, superiority
from actlab.claims.protocols import _charlm
from actlab.claims.protocols._common import Arms, strip_plot

QUALITY_MARGIN = 0.03  # bits per character: "keeps quality"
SPARSITY_GAIN = 0.10  # ten percentage points more exact zeros
RECOVERY = 0.5  # "most of the loss"
ARMS = {"relu": ("relu", "plain"), "gelu": ("gelu", "plain"), "silu": ("silu", "plain")}


def recovery(r) -> float:
    """Fraction of the relufication loss that fine-tuning recovers: (before − after) / (before − original)."""
    m = r.metrics
    b, a, o = m.get("relufied_bpc_before"), m.get("relufied_bpc"), m.get("test_metric")
    if None in (a, b, o) or not all(math.isfinite(v) for v in (a, b, o)) or b - o <= 0:
        return math.nan
    return (b - a) / (b - o)


@register_claim
class Relufication(_charlm.LMClaim):
    name = "relufication"
    statement = (
        "Trained with ReLU instead of GELU/SiLU, a transformer keeps its quality and gains activation "
        "sparsity; swapping a trained GELU/SiLU model's activation for ReLU and fine-tuning briefly "
        "recovers most of the loss the swap costs."
    )
    paper = Paper(
        "Mirzadeh, Alizadeh, Mehta, Del Mundo, Tuzel, Samei, Rastegari, Farajtabar",
        "ReLU Strikes Back: Exploiting Activation Sparsity in Large Language Models",
        2023,
        "2310.04564",
    )
    summary = (
        "charlm models (ReLU/GELU/SiLU FFN, 3000 steps); GELU and SiLU models relufied with actlab.swap "
        "and fine-tuned 300 steps (10 %)"
    )
    protocol = (
        "Stage 1 of the paper (training from scratch with ReLU, GELU, SiLU: similar quality, far more "
        "exact zeros "
        "with ReLU) and its relufication (replace the trained model's GELU/SiLU by ReLU, continue training "
        "briefly): here the FFN activation of the charlm models is swapped with actlab.swap, the "
        "validation bpc "
        "measured before and after 10 % more training steps (AdamW at half the peak learning rate, "
        "warm-up and "
        "cosine decay); sparsity = fraction of exact zeros of the FFN activations on validation text."
    )
    scaled_down = (
        "The paper uses OPT 1.3 B, Llama 7 B and Falcon 7 B, fine-tuning relufied models on billions of "
        "tokens; here the 0.23 M-parameter character models of the GLU claim and 300 fine-tuning steps. "
        "Quick: out of reach."
    )
    decision = (
        f"(a) quality: bpc(ReLU) − bpc(GELU), bpc(ReLU) − bpc(SiLU) within ±{QUALITY_MARGIN:g} bits/char "
        "(TOST, "
        f"simultaneous); (b) sparsity: zero fraction ReLU − GELU/SiLU ≥ {SPARSITY_GAIN:g} (superiority); "
        "(c) recovery fraction (before − after)/(before − original) of relufied GELU and SiLU > "
        f"{RECOVERY:g} "
        "(superiority over seeds). Supported: (a), (b), (c) all supported. Not supported: any not supported. "
        "Inconclusive otherwise, or when an arm ends above 2 bits/char."
    )
    lm_arms = ARMS

    def evaluate(self, arms: Arms, s: dict[str, Any], preset: str):
        failed, lines = self.regime_failure(arms, preset)
        if failed is not None:
            return failed
        bpc = {a: metric_by_seed(r, "test_metric")[0] for a, r in arms.items()}
        zf = {a: metric_by_seed(r, "zero_fraction")[0] for a, r in arms.items()}
        ca = [
            contrast(f"bpc relu − {o}", bpc["relu"], bpc[o], True, 1 - 2 * 0.05 / 2) for o in ("gelu", "silu")
        ]
        cb = [
            contrast(f"zero fraction relu vs {o}", zf["relu"], zf[o], True, 1 - 0.05 / 2)
            for o in ("gelu", "silu")
        ]
        rec = {o: {k: recovery(r) for k, r in arms[o].items() if r.status == "ok"} for o in ("gelu", "silu")}
        rec = {o: {k: v for k, v in d.items() if math.isfinite(v)} for o, d in rec.items()}
        cc = [contrast(f"recovery of relufied {o} vs "
                       f"{RECOVERY:g}", rec[o], {k: RECOVERY for k in rec[o]}, True,
                       1 - 0.05 / 2) for o in ("gelu", "silu")]  # fmt: skip
        da, db, dc = equivalence(ca, QUALITY_MARGIN), superiority(cb, SPARSITY_GAIN), superiority(cc, 0.0)
        parts = (da.verdict, db.verdict, dc.verdict)
        verdict = (SUPPORTED if all(v == SUPPORTED for v in parts)
                   else NOT_SUPPORTED if NOT_SUPPORTED in parts else INCONCLUSIVE)  # fmt: skip
        extra = []
        for o in ("gelu", "silu"):
            for k, r in sorted(arms[o].items()):
                m = r.metrics
                if "relufied_bpc" in m:
                    extra.append(
                        f"{o} seed {k}: {m['test_metric']:.3f} → swapped {m['relufied_bpc_before']:.3f} → "
                        f"fine-tuned {m['relufied_bpc']:.3f} bits/char; zeros "
                        f"{m.get('zero_fraction', math.nan):.3f} → "
                        f"{m.get('relufied_zero_fraction', math.nan):.3f}"
                    )
        p = dc.primary
        return self.result(
            preset, verdict, effect="recovery fraction − 0.5 (relufied GELU/SiLU, smaller)",
            estimate=p.est if p else math.nan, ci=dc.ci, ci_level=dc.level, test="paired t over seeds, Holm",
            p=dc.p, n=p.cmp.n_pairs if p else 0,
            reason=f"(a) quality {da.verdict}: {da.reason}; (b) sparsity {db.verdict}: {db.reason}; "
                   f"(c) recovery {dc.verdict}: {dc.reason}",
            details=da.lines + db.lines + dc.lines + extra + lines,
        )  # fmt: skip

    def plot(self, arms: Arms, result, plots):
        series = {}
        for a, runs in arms.items():
            series[f"{a} (trained)"] = [r.metrics["test_metric"] for r in runs.values() if r.status == "ok"]
            if a != "relu":
                series[f"{a} → relu"] = [r.metrics.get("relufied_bpc_before", math.nan) for r in runs.values()
                                         if r.status == "ok"]  # fmt: skip
                series[f"{a} → relu + FT"] = [r.metrics.get("relufied_bpc", math.nan) for r in runs.values()
                                              if r.status == "ok"]  # fmt: skip
        return strip_plot(
            plots, self.name, series, "validation bits/char", "Relufication: swap, then fine-tune"
        )
