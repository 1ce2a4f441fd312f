"""The ``robustness`` bench task: curves of a trained classifier, noise in the loop, bad settings."""

from __future__ import annotations

import math

import pytest

import actlab
from actlab.bench.spec import expand_grid
from actlab.bench.tasks import get_task


def _run(act: str = "relu", seed: int = 0, **over):
    task = get_task("robustness")
    return task.run(lambda: actlab.get(act), seed, task.config("tiny", **over))


def test_a_tiny_run_reports_both_curves_and_their_summaries():
    r = _run()
    m, c = r.metrics, r.curves
    assert not r.diverged and r.correct is None  # correctness would describe clean accuracy, not this metric
    assert m["test_metric"] == m["noise_auc_relative"] == m["best_test_metric"]
    assert c["noise_levels"] == [0.0, 0.5, 2.0] and c["bits"] == [8.0, 2.0, 1.0]
    assert c["noise_accuracy"][0] == m["clean_accuracy"]  # level 0 is the clean model
    assert 0.5 < m["clean_accuracy"] <= 1 and 0 <= m["noise_auc_relative"] <= 1.2
    a0, a1, a2 = c["noise_accuracy"]
    assert m["noise_auc"] == pytest.approx(((a0 + a1) / 2 * 0.5 + (a1 + a2) / 2 * 1.5) / 2.0)  # trapezoids
    for key in ("noise_half_level", "quant_half_bits"):
        assert m[key] > 0 and (math.isinf(m[key]) or m[key] <= 8)
    assert {"quant_auc", "quant_auc_relative", "val_accuracy", "dead_rate"} <= set(m)
    assert "val_metric" not in m  # validation accuracy is not this task's metric


def test_runs_are_deterministic_and_noise_in_the_loop_changes_training():
    a, b = _run(seed=1), _run(seed=1)
    assert a.metrics == b.metrics and a.curves == b.curves
    noisy = _run(seed=1, train_noise=0.5)
    assert noisy.curves["train_loss"] != a.curves["train_loss"]
    quant = _run(seed=1, train_bits=2)
    assert quant.curves["train_loss"] != a.curves["train_loss"]
    both = _run(seed=1, train_bits=3, train_noise=0.2, noise_where="pre")
    assert not both.diverged


def test_weight_noise_and_other_kinds():
    r = _run(noise_where="weights", noise_kind="multiplicative", quant_where="weights")
    assert r.curves["noise_accuracy"][0] == r.metrics["clean_accuracy"]
    assert not math.isnan(r.metrics["quant_auc"])


@pytest.mark.parametrize("over, name", [
    ({"noise_levels": [0.0, -0.5]}, "noise_levels"),
    ({"noise_levels": []}, "noise_levels"),
    ({"bits": [4, 0]}, "bits"),
    ({"bits": [1.5]}, "bits"),
    ({"train_noise": -1.0}, "train_noise"),
    ({"train_bits": -2}, "train_bits"),
    ({"noise_kind": "pink"}, "noise_kind"),
    ({"noise_where": "everywhere"}, "noise_where"),
    ({"quant_where": "x"}, "quant_where"),
    ({"repeats": 0}, "repeats"),
    ({"data": "cifar"}, "data"),
])
def test_bad_settings_fail_when_the_grid_is_built(over, name):
    with pytest.raises(ValueError, match=name):
        expand_grid(["robustness"], ["relu"], 1, preset="tiny", overrides={"robustness": over})
