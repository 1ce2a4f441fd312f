"""The report's robustness and OOD section: tables and plots per activation, escaped store strings."""

from __future__ import annotations

from actlab.bench.report import SECTIONS, write_report
from actlab.bench.robustness import robustness_section
from actlab.bench.store import RunRecord, Store

HOSTILE = "<img src=x onerror=alert(1)>"


def _rec(task: str, act: str, seed: int, metrics: dict, curves: dict, config: dict) -> RunRecord:
    return RunRecord(key=f"{task}{act}{seed}", group=f"{task}{act}", task=task, activation=act, params={},
                     seed=seed, config=config, version="0", status="ok", metrics=metrics, curves=curves,
                     metric="test_metric", higher_is_better=True)  # fmt: skip


def _fill(st: Store) -> None:
    rcfg = {"data": "digits", "model": "mlp", "noise_kind": "additive", "noise_where": "post",
            "relative": True, "quant_where": "post", "train_noise": 0.25, "train_bits": 0}  # fmt: skip
    ocfg = {"data": "digits", "model": "mlp", "ood_sets": ["uniform", HOSTILE], "score": "energy",
            "react_percentile": 90.0, "vra_low_percentile": 60.0, "vra_high_percentile": 90.0,
            "vra_gamma": 0.0}
    for act in ("relu", HOSTILE):
        for seed in range(3):
            d = 0.01 * seed
            st.record(_rec("robustness", act, seed,
                           {"test_metric": 0.5 + d, "clean_accuracy": 0.95, "noise_auc_relative": 0.5 + d,
                            "noise_half_level": 1.5 + d, "quant_auc_relative": 0.9 - d,
                            "quant_half_bits": float("inf") if seed else 1.2},
                           {"noise_levels": [0, 1, 2], "noise_accuracy": [0.95, 0.6 - d, 0.2],
                            "bits": [8, 2, 1], "quant_accuracy": [0.95, 0.9, 0.4 + d]}, rcfg))  # fmt: skip
            st.record(_rec("ood", act, seed,
                           {"test_metric": 0.7 + d, "accuracy": 0.95, "auroc_plain": 0.7 + d,
                            "auroc_react": 0.75 + d, "auroc_vra": 0.78 + 2 * d, "fpr95_plain": 0.6,
                            "fpr95_react": 0.5, "fpr95_vra": 0.45}, {}, ocfg))  # fmt: skip


def test_the_section_has_both_tables_both_curve_plots_and_escapes_the_store(tmp_path):
    with Store(tmp_path / "s.db") as st:
        _fill(st)
        md = robustness_section(st, tmp_path)
    assert md.startswith("## Robustness and OOD detection")
    assert "| relu | 3 | 0.95 |" in md
    assert "1.2 (2 of 3 not reached)" in md  # half levels beyond the grid are counted, not averaged
    # gains paired over seeds: a constant difference has no interval, a varying one has
    assert "| +0.05 | +0.09 [+0.0652, +0.115] | +0.04 [+0.0152, +0.0648] | 0.6 / 0.5 / 0.45 |" in md
    assert "  " not in md
    assert HOSTILE not in md and "\\<img src=x onerror=alert\\(1\\)\\>" in md
    plots = sorted(p.name for p in (tmp_path / "plots").iterdir())
    for prefix in ("section-noise", "section-bits", "section-ood"):
        assert any(p.startswith(prefix) for p in plots), prefix


def test_the_section_is_registered_and_silent_without_runs(tmp_path):
    assert robustness_section in SECTIONS
    with Store(tmp_path / "empty.db") as st:
        assert robustness_section(st, tmp_path) is None
    with Store(tmp_path / "s.db") as st:
        _fill(st)
    md, html = write_report(tmp_path / "s.db", tmp_path / "rep")
    text = html.read_text()
    assert "Robustness and OOD detection" in text and "<img src=x" not in text
    assert text.count("data:image/png;base64") >= 3
