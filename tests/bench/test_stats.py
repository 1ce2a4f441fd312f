"""Statistics: Holm, paired tests, bootstrap CIs, ranks, prediction disagreement, boards."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats as sps

from actlab.bench.spec import RunSpec
from actlab.bench.stats import holm, mean_curve, prediction_disagreement, summarize
from actlab.bench.store import RunRecord


def test_holm_against_hand_computation():
    # m = 4: sorted p = .01 (x4 = .04), .02 (x3 = .06), .03 (x2 = .06), .5 (x1 = .5)
    assert holm([0.03, 0.01, 0.5, 0.02]) == pytest.approx([0.06, 0.04, 0.5, 0.06])
    # monotone: a later smaller product is raised to the running maximum; capped at 1
    assert holm([0.04, 0.011]) == pytest.approx([0.04, 0.022])
    assert holm([0.9, 0.8]) == pytest.approx([1.0, 1.0])
    out = holm([float("nan"), 0.01, 0.02])  # NaN is not a test: m = 2
    assert math.isnan(out[0]) and out[1:] == pytest.approx([0.02, 0.02])


def test_prediction_disagreement():
    assert prediction_disagreement([[0, 1, 1, 0], [0, 1, 1, 0]]) == 0.0
    # pairs: (a,b) 1/4, (a,c) 2/4, (b,c) 1/4 -> mean 1/3
    assert prediction_disagreement([[0, 1, 1, 0], [0, 1, 1, 1], [1, 1, 1, 1]]) == pytest.approx(1 / 3)
    assert math.isnan(prediction_disagreement([[0, 1]]))


def test_mean_curve_handles_unequal_lengths_and_nan():
    c = mean_curve([[1.0, 2.0, 3.0], [3.0, float("nan")]])
    assert c.tolist() == [2.0, 2.0, 3.0]


def _rec(act: str, seed: int, value: float, status: str = "ok", preds=None, hib=True, task="t", **params):
    s = RunSpec(task, act, params, seed, {"c": 1}, version="0")
    return RunRecord(
        key=s.key, group=s.group, task=task, activation=act, params=params, seed=seed, config=s.config,
        version="0", status=status, metrics={"test_metric": value, "final_train_loss": 1.0 - value},
        curves={"train_loss": [1.0, 1.0 - value]}, predictions=preds, metric="acc", higher_is_better=hib,
        wall_time=1.0 + seed, time_per_step=0.1, peak_memory=100 * 2**20, memory_delta=2**20,
    )  # fmt: skip


def test_summarize_statistics_match_scipy():
    base = [0.80, 0.82, 0.78, 0.81, 0.79, 0.80]
    good = [0.85, 0.86, 0.84, 0.88, 0.83, 0.85]
    same = [0.80, 0.83, 0.77, 0.80, 0.80, 0.81]
    recs = [_rec("relu", i, v, preds=[0, 1, i % 2]) for i, v in enumerate(base)]
    recs += [_rec("gelu", i, v) for i, v in enumerate(good)]
    recs += [_rec("silu", i, v) for i, v in enumerate(same)]
    recs += [_rec("tanh", 0, float("nan"), status="diverged"), _rec("tanh", 1, float("nan"), status="error")]
    (board,) = summarize(recs)
    g = {x.label: x for x in board.groups}
    assert board.baseline == "relu" and board.metric == "acc"
    assert g["gelu"].mean == pytest.approx(np.mean(good))
    assert g["gelu"].std == pytest.approx(np.std(good, ddof=1))
    assert g["gelu"].ci_low <= g["gelu"].mean <= g["gelu"].ci_high
    assert min(good) <= g["gelu"].ci_low and g["gelu"].ci_high <= max(good)
    assert [x.label for x in board.ranked()] == ["gelu", "silu", "relu", "tanh"]
    assert g["gelu"].rank == 1 and g["tanh"].rank is None
    assert (g["tanh"].n_runs, g["tanh"].n_diverged, g["tanh"].n_error) == (2, 1, 1)
    # paired tests equal scipy's
    assert g["gelu"].n_pairs == 6
    assert g["gelu"].diff_mean == pytest.approx(np.mean(np.subtract(good, base)))
    assert g["gelu"].p_ttest == pytest.approx(sps.ttest_rel(good, base).pvalue)
    assert g["gelu"].p_wilcoxon == pytest.approx(sps.wilcoxon(np.subtract(good, base)).pvalue)
    assert g["silu"].p_ttest == pytest.approx(sps.ttest_rel(same, base).pvalue)
    assert g["gelu"].p_ttest < 0.001 < 0.5 < g["silu"].p_ttest
    # Holm over the two finite p-values
    p = sorted([g["gelu"].p_ttest, g["silu"].p_ttest])
    assert g["gelu"].p_holm == pytest.approx(2 * p[0])
    assert g["silu"].p_holm == pytest.approx(max(2 * p[0], p[1]))
    # reproducibility: predictions [0,1,s%2]: seeds of equal parity agree -> 9/15 pairs differ at 1/3
    assert g["relu"].disagreement == pytest.approx((9 / 15) / 3)
    assert math.isnan(g["gelu"].disagreement)
    assert g["relu"].wall_time == pytest.approx(np.mean([1.0 + i for i in range(6)]))


def test_lower_is_better_ranks_and_few_seeds():
    recs = [_rec("relu", i, v, hib=False) for i, v in enumerate([0.5, 0.6, 0.7])]
    recs += [_rec("gelu", i, v, hib=False) for i, v in enumerate([0.2, 0.3, 0.1])]
    recs += [_rec("silu", i, v, hib=False) for i, v in enumerate([0.5, 0.6, 0.7])]
    (board,) = summarize(recs)
    g = {x.label: x for x in board.groups}
    assert g["gelu"].rank == 1 and g["relu"].rank == g["silu"].rank == 2
    assert math.isnan(g["gelu"].p_wilcoxon)  # 3 pairs: too few for Wilcoxon
    assert g["silu"].p_ttest == 1.0  # identical to the baseline
    # constant non-zero difference: t statistic undefined
    recs2 = [_rec("relu", i, v) for i, v in enumerate([0.5, 0.6, 0.7])]
    recs2 += [_rec("gelu", i, v + 0.125) for i, v in enumerate([0.5, 0.6, 0.7])]
    (b2,) = summarize(recs2)
    assert math.isnan({x.label: x for x in b2.groups}["gelu"].p_ttest)


def test_boards_split_by_config_and_params():
    a = [_rec("relu", i, 0.5 + i / 10) for i in range(2)]
    b = [_rec("leaky_relu", i, 0.6, negative_slope=0.2) for i in range(2)]
    other_task = [_rec("relu", i, 0.1, task="u") for i in range(2)]
    boards = summarize(a + b + other_task)
    assert [x.task for x in boards] == ["t", "u"]
    labels = {x.label for x in boards[0].groups}
    assert labels == {"relu", "leaky_relu(negative_slope=0.2)"}
