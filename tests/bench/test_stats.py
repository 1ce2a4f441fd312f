"""Statistics: intervals with their nominal coverage (simulated), paired tests, the set indistinguishable
from the best, ties, divergence, Wilcoxon at small n, learning-rate selection, board titles."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats as sps

from actlab.bench.spec import RunSpec
from actlab.bench.stats import (
    holm,
    mean_curve,
    mean_interval,
    paired,
    prediction_disagreement,
    summarize,
)
from actlab.bench.stats import (
    test_set_variance as set_variance,
)
from actlab.bench.store import RunRecord


def test_holm_against_hand_computation():
    # m = 4: sorted p = .01 (x4 = .04), .02 (x3 = .06), .03 (x2 = .06), .5 (x1 = .5)
    assert holm([0.03, 0.01, 0.5, 0.02]) == pytest.approx([0.06, 0.04, 0.5, 0.06])
    assert holm([0.04, 0.011]) == pytest.approx([0.04, 0.022])
    assert holm([0.9, 0.8]) == pytest.approx([1.0, 1.0])
    out = holm([float("nan"), 0.01, 0.02])  # NaN is not a test: m = 2
    assert math.isnan(out[0]) and out[1:] == pytest.approx([0.02, 0.02])


def test_prediction_disagreement_and_mean_curve():
    assert prediction_disagreement([[0, 1, 1, 0], [0, 1, 1, 0]]) == 0.0
    assert prediction_disagreement([[0, 1, 1, 0], [0, 1, 1, 1], [1, 1, 1, 1]]) == pytest.approx(1 / 3)
    assert math.isnan(prediction_disagreement([[0, 1]]))
    assert mean_curve([[1.0, 2.0, 3.0], [3.0, float("nan")]]).tolist() == [2.0, 2.0, 3.0]


# ---------------------------------------------------------------------------- intervals


def test_t_interval_equals_scipy_and_degenerate_cases():
    x = [0.81, 0.79, 0.84]
    iv = mean_interval(x)
    lo, hi = sps.t.interval(0.95, len(x) - 1, loc=np.mean(x), scale=sps.sem(x))
    assert (iv.low, iv.high) == pytest.approx((lo, hi)) and not iv.test_set
    assert not mean_interval([0.5]).finite and mean_interval([0.5]).note == "one seed"
    # constant over seeds (float rounding included): no interval, said so
    c = mean_interval([0.1 + 0.2, 0.3, 0.3])
    assert not c.finite and "constant" in c.note


@pytest.mark.parametrize("n", [2, 3, 5])
def test_seed_interval_has_nominal_coverage_at_small_n(n):
    rng = np.random.default_rng(n)
    hits = 0
    trials = 3000
    for _ in range(trials):
        iv = mean_interval(rng.normal(0.7, 0.05, n))
        hits += iv.low <= 0.7 <= iv.high
    # binomial sd at 3000 trials is 0.004: [0.935, 0.965] is about ±3.7 sd around 0.95
    assert 0.935 <= hits / trials <= 0.965, hits / trials


def _accuracy_world(rng, k: int, n: int, tau: float) -> np.ndarray:
    """k seeds × n test examples, correct when difficulty + seed effect + noise > 0: difficulty
    ~ N(1.5, 2) per example (shared by the seeds, as hard examples are hard for every model), seed
    effect ~ N(0, tau), per-(seed, example) noise ~ N(0, 0.5)."""
    li = rng.normal(1.5, 2.0, n)
    b = rng.normal(0.0, tau, k)
    return ((li[None, :] + b[:, None] + rng.normal(0.0, 0.5, (k, n))) > 0).astype(float)


@pytest.mark.parametrize("k, tau", [(2, 0.0), (3, 0.1), (5, 0.3)])
def test_interval_with_test_set_error_covers_the_population_accuracy(k, tau):
    """The estimand is the accuracy over seeds AND over the population of examples the test set is
    drawn from: the seed-only interval misses the test-set sampling error (coverage < 0.9 here)."""
    rng = np.random.default_rng(10 * k)
    n_big = 400_000
    latent = rng.normal(1.5, 2.0, n_big) + rng.normal(0, tau, n_big) + rng.normal(0, 0.5, n_big)
    truth = float(np.mean(latent > 0))
    trials, hits, seed_only = 1500, 0, 0
    for _ in range(trials):
        c = _accuracy_world(rng, k, 300, tau)
        iv = mean_interval(c.mean(1), c)
        assert iv.test_set
        hits += iv.low <= truth <= iv.high
        s = mean_interval(c.mean(1))
        seed_only += s.finite and s.low <= truth <= s.high
    assert 0.935 <= hits / trials <= 0.995, hits / trials  # at least nominal (mildly conservative)
    assert seed_only / trials < 0.9, seed_only / trials


def test_test_set_variance_of_one_model_is_binomial():
    rng = np.random.default_rng(0)
    c = (rng.random((1, 2000)) < 0.8).astype(float)
    v, n = set_variance(c)
    p = c.mean()
    assert n == 2000 and v == pytest.approx(p * (1 - p) / (n - 1) * (n - 1) / n, rel=0.01)


# ---------------------------------------------------------------------------- paired tests


def test_paired_equals_ttest_rel_and_reports_wilcoxon_minimum():
    a = [0.85, 0.86, 0.84, 0.88, 0.83, 0.85]
    b = [0.80, 0.82, 0.78, 0.81, 0.79, 0.80]
    c = paired(a, b)
    assert c.p_ttest == pytest.approx(sps.ttest_rel(a, b).pvalue)
    assert c.diff.estimate == pytest.approx(np.mean(np.subtract(a, b)))
    lo, hi = sps.t.interval(0.95, 5, loc=np.mean(np.subtract(a, b)), scale=sps.sem(np.subtract(a, b)))
    assert (c.diff.low, c.diff.high) == pytest.approx((lo, hi))
    assert c.p_wilcoxon == pytest.approx(sps.wilcoxon(np.subtract(a, b), method="exact").pvalue)
    assert c.wilcoxon_min_p == pytest.approx(2 / 2**6) and c.direction(True) == "better"
    # 5 pairs: Wilcoxon can never go below 2/32 = 0.0625 and the report says so
    c5 = paired(a[:5], b[:5])
    assert c5.wilcoxon_min_p == pytest.approx(0.0625) and c5.p_wilcoxon >= 0.0625


def test_constant_difference_has_no_t_test_not_a_tiny_p():
    base = [0.5, 0.6, 0.7, 0.65, 0.55]
    other = [v + 0.1 for v in base]  # differences 0.1 up to float rounding
    c = paired(other, base)
    assert math.isnan(c.p_ttest) and "constant difference" in c.note
    assert c.p_wilcoxon == pytest.approx(0.0625)  # the exact sign-rank test still says what it can
    same = paired(base, list(base))
    assert same.p_ttest == 1.0 and "identical" in same.note


def test_paired_includes_test_set_error_of_the_difference():
    rng = np.random.default_rng(1)
    ca = (rng.random((3, 400)) < 0.8).astype(int)
    cb = ca.copy()
    flip = rng.random((3, 400)) < 0.05
    cb[flip] = 1 - cb[flip]
    a, b = ca.mean(1), cb.mean(1)
    with_test = paired(a, b, ca.tolist(), cb.tolist())
    without = paired(a, b)
    assert with_test.diff.test_set and not without.diff.test_set
    assert with_test.diff.high - with_test.diff.low > 0


# ---------------------------------------------------------------------------- boards


def _rec(act, seed, value, status="ok", preds=None, hib=True, task="t", config=None, correct=None,
         val=None, **params):  # fmt: skip
    cfg = config or {"c": 1}
    s = RunSpec(task, act, params, seed, cfg, version="0")
    metrics = {"test_metric": value, "final_train_loss": 1.0 - value}
    if val is not None:
        metrics["val_metric"] = val
    return RunRecord(
        key=s.key, group=s.group, task=task, activation=act, params=params, seed=seed, config=s.config,
        version="0", status=status, metrics=metrics, curves={"train_loss": [1.0, 1.0 - value]},
        predictions=preds, metric="acc", higher_is_better=hib, wall_time=1.0 + seed, time_per_step=0.1,
        saved_bytes=1024.0 * (seed + 1), correct=correct,
    )  # fmt: skip


def test_summarize_matches_scipy_and_marks_the_set_indistinguishable_from_the_best():
    base = [0.80, 0.82, 0.78, 0.81, 0.79, 0.80]
    good = [0.85, 0.86, 0.84, 0.88, 0.83, 0.85]
    close = [0.851, 0.859, 0.842, 0.879, 0.828, 0.848]
    recs = [_rec("relu", i, v, preds=[0, 1, i % 2]) for i, v in enumerate(base)]
    recs += [_rec("gelu", i, v) for i, v in enumerate(good)]
    recs += [_rec("silu", i, v) for i, v in enumerate(close)]
    (board,) = summarize(recs)
    g = {x.label: x for x in board.groups}
    assert board.baseline == "relu" and board.best.label == "gelu"
    assert g["gelu"].p_ttest == pytest.approx(sps.ttest_rel(good, base).pvalue)
    assert g["gelu"].n_pairs == 6 and g["gelu"].direction == "better"
    lo, hi = g["gelu"].diff_ci
    assert lo < g["gelu"].diff_mean < hi and lo > 0
    assert g["silu"].in_top and g["gelu"].in_top and not g["relu"].in_top  # silu ≈ gelu, relu worse
    assert [x.label for x in board.top] == ["gelu", "silu"]
    assert g["relu"].disagreement == pytest.approx((9 / 15) / 3)
    assert g["gelu"].saved_bytes == pytest.approx(np.mean([1024.0 * (i + 1) for i in range(6)]))
    # Holm over the whole report equals Holm over this board when there is one board
    assert g["gelu"].p_holm_all == pytest.approx(g["gelu"].p_holm)


def test_equal_means_share_a_rank_despite_float_rounding():
    recs = [_rec("relu", 0, 0.1 + 0.2), _rec("gelu", 0, 0.3), _rec("silu", 0, 0.2)]
    (board,) = summarize(recs)
    g = {x.label: x for x in board.groups}
    assert g["relu"].rank == g["gelu"].rank == 1 and g["silu"].rank == 3


def test_diverged_runs_count_against_the_activation():
    """1 ok run of 3 must not rank first: diverged runs count as the worst finished value."""
    recs = [_rec("relu", i, v) for i, v in enumerate([0.80, 0.81, 0.79])]
    recs += [_rec("lucky", 0, 0.95), _rec("lucky", 1, math.nan, "diverged")]
    recs += [_rec("lucky", 2, math.nan, "diverged")]
    (board,) = summarize(recs)
    g = {x.label: x for x in board.groups}
    assert g["lucky"].mean == pytest.approx(0.95)  # the raw mean of its finished run is still shown
    assert g["lucky"].div_rate == pytest.approx(2 / 3)
    assert board.best.label == "relu" and g["lucky"].rank == 2


def test_lower_is_better_and_few_seeds():
    recs = [_rec("relu", i, v, hib=False) for i, v in enumerate([0.5, 0.6, 0.7])]
    recs += [_rec("gelu", i, v, hib=False) for i, v in enumerate([0.2, 0.3, 0.1])]
    (board,) = summarize(recs)
    g = {x.label: x for x in board.groups}
    assert g["gelu"].rank == 1 and g["gelu"].direction == "better" and g["gelu"].diff_mean < 0
    assert g["gelu"].wilcoxon_min_p == pytest.approx(0.25)  # 3 pairs: 2/8


def test_learning_rate_sweep_selects_on_validation_never_on_test():
    recs = []
    for seed in range(3):
        # lr 0.1: best test, worst validation; lr 0.01: the other way round
        recs.append(_rec("relu", seed, 0.90, config={"c": 1, "lr": 0.1}, val=0.70))
        recs.append(_rec("relu", seed, 0.80, config={"c": 1, "lr": 0.01}, val=0.85))
        recs.append(_rec("gelu", seed, 0.82, config={"c": 1, "lr": 0.1}, val=0.86))
        recs.append(_rec("gelu", seed, 0.60, config={"c": 1, "lr": 0.01}, val=0.60))
    (board,) = summarize(recs)
    g = {x.label: x for x in board.groups}
    assert board.lr_sweep == [0.01, 0.1] and board.lr_selected_on == "val_metric"
    assert g["relu"].lr == 0.01 and g["relu"].mean == pytest.approx(0.80)
    assert g["gelu"].lr == 0.1 and g["gelu"].mean == pytest.approx(0.82)


def test_boards_are_titled_by_the_config_key_that_differs():
    a = [_rec("relu", i, 0.5, task="charlm", config={"ffn": "plain", "d": 64}) for i in range(2)]
    b = [_rec("relu", i, 0.6, task="charlm", config={"ffn": "glu", "d": 64}) for i in range(2)]
    c = [_rec("relu", i, 0.1, task="u") for i in range(2)]
    titles = sorted(x.title for x in summarize(a + b + c))
    assert titles == ["charlm ffn=glu", "charlm ffn=plain", "u"]
