"""The LayerMerge trade-off protocol runs end to end on digits (small settings)."""

from __future__ import annotations

import pytest

from actlab.linear.protocol import layermerge_tradeoff, main


def test_tradeoff_rows():
    rows = layermerge_tradeoff("relu", depth=2, width=16, epochs=3, repeats=1)
    assert [r.removed for r in rows] == [0, 1, 2]
    assert [r.depth for r in rows] == [3, 2, 1]  # each removed activation merges two linear layers
    assert rows[0].params > rows[-1].params and all(0 <= r.accuracy <= 1 for r in rows)
    assert all(r.max_abs_diff < 1e-4 for r in rows)
    assert len(set(rows[-1].sites.split(","))) == 2


def test_cli_writes_csv(tmp_path, capsys):
    out = tmp_path / "rows.csv"
    assert main(["--depth", "1", "--width", "8", "--epochs", "1", "--csv", str(out)]) == 0
    assert "accuracy" in capsys.readouterr().out
    assert out.read_text().splitlines()[0].startswith("removed,sites,depth")


def test_bad_depth():
    with pytest.raises(ValueError, match="depth"):
        layermerge_tradeoff(depth=0)
