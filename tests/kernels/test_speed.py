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
    table = sp.autotable_from(rows, min_numel=1000)["devices"]["cpu"]
    assert table["min_numel"] == 1000
    for name, order in table["dtypes"].get("float32", {}).items():
        assert set(order) <= {"eager", "lean"} and order[0] == "lean", (name, order)  # only where lean won


def test_autotable_from_orders_by_speed_and_lists_compilers_only_where_they_pay():
    def row(name, impl, us, saved):
        return sp.Row(name, impl, "float32", 4096, "both", "cpu", us, 1.0, 1.0, saved_bytes_per_elem=saved)

    rows = [
        row("golu", "eager", 10.0, 12.0),  # over the 4-byte budget
        row("golu", "lean", 14.0, 4.0),
        row("golu", "compiled", 4.0, 4.0),
        row("golu", "triton", 3.0, 4.0),
        row("mish", "eager", 10.0, 16.0),
        row("mish", "lean", 12.0, 4.0),
        row("mish", "compiled", 11.8, 4.0),  # within 5% of lean: compiling does not pay
        row("tanh", "eager", 5.0, 4.0),  # eager fastest and within the budget: the default
        row("tanh", "lean", 9.0, 4.0),
        row("relu", "eager", 5.0, 4.0),
        row("relu", "lean", 5.5, 0.125),
    ]
    cpu = sp.autotable_from(rows, min_numel=1000)["devices"]["cpu"]
    assert cpu["min_numel"] == 1000 and cpu["default"] == ["eager"]
    t = cpu["dtypes"]["float32"]
    assert t["golu"] == ["triton", "compiled", "eager", "lean"]
    # eager first and nothing compiles: the default (auto's budget then picks lean for mish)
    assert "mish" not in t and "tanh" not in t and "relu" not in t


def test_autotable_from_combines_sizes_and_lists_each_backend_once():
    def row(impl, n, us, saved=4.0):
        return sp.Row("golu", impl, "float32", n, "both", "cpu", us, 1.0, 1.0, saved_bytes_per_elem=saved)

    # compiled wins clearly at 4M and loses slightly at 1M: on average it pays
    rows = [
        row("eager", 2**20, 10.0, 20.0), row("lean", 2**20, 12.0), row("compiled", 2**20, 11.0),
        row("eager", 2**22, 60.0, 20.0), row("lean", 2**22, 80.0), row("compiled", 2**22, 20.0),
    ]
    order = sp.autotable_from(rows, min_numel=1000)["devices"]["cpu"]["dtypes"]["float32"]["golu"]
    assert order == ["compiled", "eager", "lean"]
    # a backend missing at one size is not listed from the other size alone
    rows = [r for r in rows if not (r.impl == "compiled" and r.numel == 2**20)]
    table = sp.autotable_from(rows, min_numel=1000)["devices"]["cpu"]["dtypes"]
    assert "golu" not in table.get("float32", {})  # eager first, nothing compiling: the default


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


def test_default_table_fits_80_columns_and_wide_has_every_column():
    from rich.console import Console

    rows = sp.run_speed(
        ["relu", "gelu_tanh"], [torch.float32], [1024], ["eager", "lean"], ["fwd", "both"], "cpu",
        min_run_time=0.01, progress=False, rounds=1,
    )  # fmt: skip
    nan = float("nan")
    note = "BackendUnavailable: triton kernels need a CUDA tensor"
    rows.append(sp.Row("relu", "triton", "float32", 1024, "both", "cpu", nan, nan, nan, note=note))
    console = Console(width=80, record=True, color_system=None)
    for t in sp.compact_tables(rows):
        console.print(t)
    text = console.export_text()
    assert max(map(len, text.splitlines())) <= 80
    for word in ("gelu_tanh", "×compile", "saved B/el", "could not run: relu triton"):
        assert word in text.replace("\n", " ")
    assert "fwd " not in text  # one mode: forward+backward
    wide = Console(width=200, record=True, color_system=None)
    wide.print(sp.table(rows))
    text = wide.export_text()
    assert "GB/s" in text and "peak MB" in text
