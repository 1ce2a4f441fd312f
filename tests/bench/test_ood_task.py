"""The ``ood`` bench task: the generated and bundled OOD sets, a tiny run, bad settings."""

from __future__ import annotations

import pytest
import torch

import actlab
from actlab.bench.spec import expand_grid
from actlab.bench.tasks import get_task
from actlab.bench.tasks.ood import DETECTORS, OOD_SETS, ood_sets


def test_ood_sets_have_the_shape_of_the_data_and_differ_from_it():
    from actlab.bench.tasks.digits import load_digits_split

    x_tr, _, x_te, _ = load_digits_split(0.25)
    sets = ood_sets(x_tr, x_te, OOD_SETS, 50, 0, "digits")
    assert set(sets) == set(OOD_SETS)
    for name, x in sets.items():
        assert x.shape == (50, 1, 8, 8) and x.dtype == torch.float32, name
        assert bool(torch.isfinite(x).all())
    for name in ("uniform", "images", "inverted", "permuted"):
        assert float(sets[name].min()) >= 0 and float(sets[name].max()) <= 1, name
    # a permuted input holds the same values as some test input, in another order
    p = sets["permuted"].flatten(1)
    flat = x_te.flatten(1)
    assert any(torch.equal(torch.sort(p[0]).values, torch.sort(row).values) for row in flat)
    assert torch.equal(ood_sets(x_tr, x_te, ["images"], 5, 3, "digits")["images"],
                       ood_sets(x_tr, x_te, ["images"], 5, 3, "digits")["images"])  # seeded
    signals = ood_sets(torch.randn(100, 40), torch.randn(30, 40), OOD_SETS, 7, 0, "mnist1d")
    assert all(x.shape == (7, 40) for x in signals.values())
    with pytest.raises(ValueError, match="ood_sets"):
        ood_sets(x_tr, x_te, ["svhn"], 5, 0, "digits")


def test_a_tiny_run_scores_every_detector_on_every_set():
    task = get_task("ood")
    cfg = task.config("tiny", n_ood=64)
    r = task.run(lambda: actlab.get("relu"), 0, cfg)
    m = r.metrics
    assert not r.diverged and m["test_metric"] == m["auroc_plain"]
    for d in DETECTORS:
        for s in OOD_SETS:
            assert 0 <= m[f"auroc_{d}@{s}"] <= 1
        assert m[f"auroc_{d}"] == pytest.approx(sum(m[f"auroc_{d}@{s}"] for s in OOD_SETS) / len(OOD_SETS))
        assert 0 <= m[f"fpr95_{d}"] <= 1 and 0 <= m[f"aupr_in_{d}"] <= 1 and 0 <= m[f"accuracy_{d}"] <= 1
    assert m["accuracy_plain"] == m["accuracy"]
    assert m["react_gain"] == pytest.approx(m["auroc_react"] - m["auroc_plain"])
    assert m["vra_minus_react"] == pytest.approx(m["auroc_vra"] - m["auroc_react"])
    again = task.run(lambda: actlab.get("relu"), 0, cfg)
    assert again.metrics == m


def test_a_cnn_and_mnist1d():
    task = get_task("ood")
    cfg = task.config("tiny", model="cnn", n_ood=32, ood_sets=["uniform"])
    r = task.run(lambda: actlab.get("gelu"), 0, cfg)
    assert set(k for k in r.metrics if k.startswith("auroc_plain@")) == {"auroc_plain@uniform"}
    m1 = task.run(lambda: actlab.get("silu"), 0, task.config("tiny", data="mnist1d", n_ood=32,
                                                            ood_sets=["gaussian", "images"]))
    assert 0 <= m1.metrics["auroc_vra"] <= 1


@pytest.mark.parametrize("over, name", [
    ({"react_percentile": 0}, "react_percentile"),
    ({"react_percentile": 100.0}, "react_percentile"),
    ({"react_percentile": 120}, "react_percentile"),
    ({"vra_low_percentile": -1}, "vra_low_percentile"),
    ({"vra_high_percentile": 100}, "vra_high_percentile"),
    ({"vra_low_percentile": 95, "vra_high_percentile": 90}, "vra_low_percentile"),
    ({"vra_gamma": -0.5}, "vra_gamma"),
    ({"ood_sets": ["uniform", "svhn"]}, "ood_sets"),
    ({"ood_sets": []}, "ood_sets"),
    ({"n_ood": -3}, "n_ood"),
    ({"score": "odin"}, "score"),
])
def test_bad_settings_fail_when_the_grid_is_built(over, name):
    with pytest.raises(ValueError, match=name):
        expand_grid(["ood"], ["relu"], 1, preset="tiny", overrides={"ood": over})
