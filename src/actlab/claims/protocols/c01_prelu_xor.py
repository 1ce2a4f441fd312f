"""Claim 1: a single PReLU unit solves XOR with 100 % success over a wider learning-rate range than
an MLP and GCU (Pinto & Tavares 2024)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from actlab.claims.base import INCONCLUSIVE, NOT_SUPPORTED, SUPPORTED, Claim, Paper, register_claim
from actlab.claims.protocols._common import Arms, arm

LRS = [round(10 ** (k / 3), 6) for k in range(-9, 4)]  # 1e-3 … 10, three per decade
MLP_ACTS = ("sigmoid", "tanh", "relu")
RELIABLE = 0.95  # "100 %": the Wilson 95 % bound of the success rate is at least this
WIDE_DECADES = 1.0


def wilson(s: int, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    """Wilson score interval of a binomial proportion s/n."""
    if n == 0:
        return 0.0, 1.0
    p = s / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return max(0.0, c - h), min(1.0, c + h)


def counts(runs: dict[int, Any], lrs: list[float]) -> tuple[np.ndarray, np.ndarray]:
    """Successes and trials per learning rate, pooled over the arm's seeds."""
    s = np.zeros(len(lrs), dtype=int)
    n = np.zeros(len(lrs), dtype=int)
    for r in runs.values():
        if r.status == "error" or r.correct is None:
            continue
        c = np.asarray(r.correct, dtype=int).reshape(len(lrs), -1)  # (lr, trial), see the xor task
        s += c.sum(1)
        n += c.shape[1]
    return s, n


def decades(s: np.ndarray, n: np.ndarray, bound: str = "low") -> float:
    """Width (decades) of the learning-rate grid where success is reliably 100 %: the lower (or,
    for ``bound="high"``, the upper) Wilson bound is at least :data:`RELIABLE`."""
    i = 0 if bound == "low" else 1
    ok = [wilson(int(a), int(b))[i] >= RELIABLE for a, b in zip(s, n) if b > 0]
    return sum(ok) / 3.0


@register_claim
class PReLUXor(Claim):
    name = "prelu_xor"
    statement = ("A single PReLU unit (3 parameters) solves XOR with 100 % success over a wide learning-rate "
                 "range, wider than a 2-2-1 MLP and a single GCU unit.")  # fmt: skip
    paper = Paper("Pinto, Tavares", "PReLU: Yet Another Single-Layer Solution to the XOR Problem", 2024,
                  "2409.10821")  # fmt: skip
    summary = (
        "XOR, Adam, 300 full-batch epochs, MSE, inputs {0,1} and {−1,1}; PReLU unit without bias vs GCU "
        "unit vs 2-2-1 MLP (sigmoid/tanh/ReLU, the best counts); 13 learning rates 1e-3…10; trials pooled "
        "over seeds"
    )
    protocol = (
        "The paper's setting: the four XOR points, targets 0/1, full-batch Adam for 300 epochs at each "
        "learning rate of a log grid (the paper's Figure 2: 100 trials, 300 epochs, Adam), success = all "
        "four outputs on the right side of 0.5, random initialisations (PyTorch's default Linear init; "
        "PReLU slope initialised at 0.25 and learned). Models: one PReLU unit y = PReLU(w·x) with no bias "
        "(the paper's three parameters w₁, w₂, slope), one GCU unit y = GCU(w·x + b) (three parameters) and "
        "the 2-2-1 MLP with a linear output. The paper's text was not available here, only its abstract and "
        "figure captions: the MLP's nonlinearity is not given (sigmoid, tanh and ReLU MLPs are run and the "
        "widest range counts, the comparison most favourable to the MLP), the loss is assumed to be the "
        "MSE, and the input encoding is uncertain (Figure 1 shows inputs in {0,1} and says how to halve "
        "the weights for {−1,1}; actlab's unit test follows {−1,1}): both encodings are run."
    )
    scaled_down = (
        "Not scaled down in size (XOR is tiny): the paper uses 100 trials per learning rate; quick uses "
        "100 (50 per seed × 2 seeds), full 300."
    )
    decision = (
        "Range = decades of the learning-rate grid (3 points per decade) where the success rate's Wilson "
        f"95 % lower bound is ≥ {RELIABLE} (≈ all trials succeed). Effect Δ = range(PReLU) − max(range(GCU), "
        "range(best MLP)), with a 95 % interval from 4000 replicates (each cell's rate drawn from its "
        "Jeffreys posterior, then its trials resampled). Per encoding: supported when PReLU's range is "
        f"≥ {WIDE_DECADES:g} decade and Δ's interval above 0; not supported when even by the Wilson upper "
        f"bounds PReLU's range is below {WIDE_DECADES:g} decade, or Δ's interval is at or below 0; "
        "inconclusive otherwise. The claim: supported when supported under both encodings, not supported "
        "when not supported under both, inconclusive otherwise (the undetermined encoding decides). The "
        "first version of this protocol judged {0,1} alone; the rule was widened to both encodings when "
        "the encoding turned out to be uncertain, which can only make a 'supported' harder to reach."
    )
    presets = {
        "tiny": {"seeds": 1, "trials": 4, "epochs": 40, "lrs": [0.01, 0.1, 1.0]},
        "quick": {"seeds": 2, "trials": 50, "epochs": 300, "lrs": LRS},
        "full": {"seeds": 3, "trials": 100, "epochs": 300, "lrs": LRS},
    }
    encodings = ("01", "pm1")

    def _cfg(self, s: dict[str, Any], net: str, bias: bool, inputs: str) -> dict[str, Any]:
        return {"lrs": s["lrs"], "trials": s["trials"], "epochs": s["epochs"], "log_every": 50,
                "optimizer": "adam", "single_bias": bias, "nets": [net], "inputs": inputs}  # fmt: skip

    def arms(self, s: dict[str, Any]) -> dict[str, list]:
        k = s["seeds"]
        out = {}
        for enc in self.encodings:
            out[f"prelu|{enc}"] = arm(
                "xor", "prelu", k, self._cfg(s, "single", False, enc), {"trainable": True}
            )
            out[f"gcu|{enc}"] = arm("xor", "gcu", k, self._cfg(s, "single", True, enc))
            for a in MLP_ACTS:
                out[f"mlp_{a}|{enc}"] = arm("xor", a, k, self._cfg(s, "mlp", True, enc))
        return out

    def _judge(self, cells: dict, lrs: list[float]) -> tuple[str, str, float, float, float, float, list[str]]:
        """(verdict, reason, Δ, low, high, p, detail lines) of one encoding."""
        widths = {a: decades(*cells[a]) for a in cells}
        mlps = [a for a in cells if a.startswith("mlp_") and cells[a][1].sum()]
        rival = max(widths["gcu"], max(widths[a] for a in mlps))
        delta = widths["prelu"] - rival
        rng = np.random.default_rng(0)
        reps = []
        for _ in range(4000):
            w = {}
            for a in ("prelu", "gcu", *mlps):
                sc, nc = cells[a]
                p = rng.beta(sc + 0.5, nc - sc + 0.5)
                w[a] = decades(rng.binomial(nc, p), nc)
            reps.append(w["prelu"] - max(w["gcu"], max(w[a] for a in mlps)))
        reps = np.asarray(reps)
        lo, hi = (float(v) for v in np.quantile(reps, [0.025, 0.975]))
        p = float(min(1.0, 2 * min((reps <= 0).mean(), (reps >= 0).mean())))
        possible = decades(*cells["prelu"], bound="high")
        if widths["prelu"] >= WIDE_DECADES and lo > 0:
            verdict, why = SUPPORTED, "PReLU reliably 100 % over a wide range, wider than both rivals"
        elif possible < WIDE_DECADES:
            verdict, why = (
                NOT_SUPPORTED,
                (
                    f"PReLU reaches 100 % over less than {WIDE_DECADES:g} decade even by the Wilson upper "
                    f"bounds ({possible:.3g} decades)"
                ),
            )
        elif hi <= 0:
            verdict, why = NOT_SUPPORTED, "PReLU's 100 % range is not wider than its rivals'"
        else:
            verdict, why = INCONCLUSIVE, "the ranges' intervals overlap"
        lines = []
        for a in ("prelu", "gcu", *mlps):
            sc, nc = cells[a]
            rates = ", ".join(f"{lr:g}: {x / y:.2f}" for lr, x, y in zip(lrs, sc, nc) if y)
            lines.append(f"{a}: 100 % range {widths[a]:.3g} decades; success by lr {rates}")
        return verdict, why, delta, lo, hi, p, lines

    def evaluate(self, arms: Arms, s: dict[str, Any], preset: str):
        lrs = list(s["lrs"])
        per = {}
        details = []
        for enc in self.encodings:
            cells = {a.split("|")[0]: counts(runs, lrs) for a, runs in arms.items() if a.endswith(f"|{enc}")}
            if any(cells.get(a, (0, np.zeros(1)))[1].sum() == 0 for a in ("prelu", "gcu")) or not any(
                cells[a][1].sum() for a in cells if a.startswith("mlp_")
            ):
                per[enc] = (INCONCLUSIVE, "runs missing", math.nan, math.nan, math.nan, math.nan, [])
            else:
                per[enc] = self._judge(cells, lrs)
            v, why, d, lo, hi, p, lines = per[enc]
            name = "{0,1}" if enc == "01" else "{−1,1}"
            details.append(f"inputs {name}: {v} — {why}; Δ = {d:.3g} [{lo:.3g}, {hi:.3g}]")
            details += [f"  {line}" for line in lines]
        verdicts = {v[0] for v in per.values()}
        verdict = (
            SUPPORTED
            if verdicts == {SUPPORTED}
            else NOT_SUPPORTED
            if verdicts == {NOT_SUPPORTED}
            else INCONCLUSIVE
        )
        # the headline effect: the encoding least favourable to the claim
        worst = min(per.values(), key=lambda v: v[2] if math.isfinite(v[2]) else math.inf)
        reason = "; ".join(f"{'{0,1}' if e == '01' else '{−1,1}'}: {v[0]} ({v[1]})" for e, v in per.items())
        n = int(min(counts(r, lrs)[1].min() for a, r in arms.items() if a.startswith("prelu|")))
        return self.result(
            preset, verdict, effect="Δ 100 %-range (decades), PReLU − best rival (less favourable encoding)",
            estimate=worst[2], ci=(worst[3], worst[4]), test="bootstrap over trials", p=worst[5], n=n,
            reason=reason, details=details,
        )  # fmt: skip

    def plot(self, arms: Arms, result, plots):
        fig, ax = plots.plt.subplots(figsize=(7, 4.5))
        names = [a for a in arms if arms[a]]
        for a, col in zip(names, plots.colors(len(names))):
            runs = arms[a]
            lrs = list(next(iter(runs.values())).curves.get("lr", []))
            sc, nc = counts(runs, lrs)
            if nc.sum() == 0:
                continue
            kind, enc = a.split("|")
            label = f"{kind}, inputs {'{0,1}' if enc == '01' else '{-1,1}'}"
            ax.plot(lrs, sc / np.maximum(nc, 1), marker="o", ms=3, color=col, lw=2 if kind == "prelu" else 1,
                    ls="-" if enc == "01" else "--", label=label)  # fmt: skip
        ax.set_xscale("log")
        ax.set_ylim(-0.03, 1.03)
        ax.axhline(1.0, color="grey", lw=0.6, ls="--")
        ax.set_xlabel("learning rate (Adam)")
        ax.set_ylabel("success rate over trials")
        ax.set_title("XOR: success rate versus learning rate", fontsize=10)
        ax.legend(fontsize=7, ncol=2, loc="lower center")
        return plots.save(fig, "claim-prelu-xor")
