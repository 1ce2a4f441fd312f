"""``actlab speed``: the measurement plumbing (no test times anything: only structure and bytes)."""

from __future__ import annotations

import csv
import json

import pytest
import torch
from typer.testing import CliRunner

from actlab import speed as sp
from actlab.catalog.registry import REGISTRY


def test_parse_size_and_dtype():
    assert (
        sp.parse_size("4M") == 4 * 2**20 and sp.parse_size("64K") == 65536 and sp.parse_size("1000") == 1000
    )
    assert sp.parse_dtype("bf16") is torch.bfloat16 and sp.parse_dtype("float32") is torch.float32
    with pytest.raises(ValueError):
        sp.parse_size("4X")
    with pytest.raises(ValueError):
        sp.parse_dtype("int8")


def test_run_speed_rows_ratios_and_saved_bytes(tmp_path):
    names = [n for n in ("relu", "golu") if n in REGISTRY]
    rows = sp.run_speed(
        names,
        [torch.float32],
        [4096],
        ["eager", "lean"],
        ["fwd", "bwd", "both"],
        "cpu",
        glu_gates=["relu"],
        min_run_time=0.01,
        progress=False,
        rounds=1,
    )
    assert len(rows) == (len(names) + 1) * 2 * 3
    by = {(r.name, r.impl, r.mode): r for r in rows}
    for r in rows:
        assert r.median_us > 0 and r.gbps > 0 and r.pct_copy > 0 and not r.note
    for n in names:
        assert by[(n, "eager", "both")].vs_eager == 1.0
        # saved bytes per element: 1/8 for the mask family, 4 (the fp32 input) otherwise
        assert by[(n, "lean", "fwd")].saved_bytes_per_elem == (0.125 if REGISTRY[n].grad_mask else 4.0)
    assert by[("glu:relu", "lean", "fwd")].saved_bytes_per_elem == 8.0  # a and b
    # GB/s follows the traffic model: forward reads x and writes y
    r = by[(names[0], "eager", "fwd")]
    assert r.gbps == pytest.approx(2 * 4096 * 4 / (r.median_us * 1e-6) / 1e9)

    sp.write_csv(rows, tmp_path / "s.csv")
    with (tmp_path / "s.csv").open() as f:
        assert len(list(csv.DictReader(f))) == len(rows)
    sp.plot(rows, tmp_path / "s.png")
    assert (tmp_path / "s.png").stat().st_size > 1000
    assert sp.autotable_from(rows, min_numel=1000)["devices"]["cpu"]["dtypes"] == {}  # lean is never listed


def test_autotable_from_picks_backends_faster_than_eager():
    def row(name, impl, vs):
        return sp.Row(name, impl, "float32", 4096, "both", "cpu", 1.0, 1.0, 1.0, vs_eager=vs)

    rows = [
        row("a", "eager", 1.0),
        row("a", "compiled", 3.0),
        row("a", "triton", 4.0),
        row("b", "eager", 1.0),
        row("b", "compiled", 0.5),
        row("c", "compiled", 1.02),
    ]
    table = sp.autotable_from(rows, min_numel=1000)
    cpu = table["devices"]["cpu"]
    assert cpu["min_numel"] == 1000 and cpu["default"] == ["eager"]
    assert cpu["dtypes"]["float32"] == {"a": ["triton", "compiled"]}  # b slower, c within the margin


def test_failing_backend_is_reported_not_fatal(monkeypatch):
    pytest.importorskip("triton")
    monkeypatch.delenv("TRITON_INTERPRET", raising=False)
    rows = sp.run_speed(
        ["relu"],
        [torch.float32],
        [1024],
        ["eager", "triton"],
        ["both"],
        "cpu",
        min_run_time=0.01,
        progress=False,
        rounds=1,
    )
    tri = next(r for r in rows if r.impl == "triton")
    assert "TRITON_INTERPRET" in tri.note and tri.median_us != tri.median_us  # NaN


def test_cli_speed_writes_csv_png_and_autotable(tmp_path):
    from actlab.cli import app

    res = CliRunner().invoke(
        app,
        [
            "speed",
            "--names",
            "relu",
            "--sizes",
            "2K",
            "--impls",
            "eager,lean",
            "--modes",
            "both",
            "--device",
            "cpu",
            "--min-time",
            "0.01",
            "--csv",
            str(tmp_path / "a.csv"),
            "--png",
            str(tmp_path / "a.png"),
            "--autotable",
            str(tmp_path / "t.json"),
            "--min-numel",
            "123",
        ],
    )
    assert res.exit_code == 0, res.output
    assert (tmp_path / "a.csv").exists() and (tmp_path / "a.png").exists()
    assert json.loads((tmp_path / "t.json").read_text())["devices"]["cpu"]["min_numel"] == 123
    assert "relu" in (tmp_path / "a.csv").read_text() and "wrote" in res.output
