"""`actlab probe` end to end on tiny random models (no download)."""

from __future__ import annotations

import csv
import json

import pytest
from typer.testing import CliRunner

from actlab.cli import app

pytest.importorskip("transformers")
pytest.importorskip("timm")
runner = CliRunner()


def test_hf_llama_swap_to_relu2_before_and_after(tmp_path):
    r = runner.invoke(app, ["probe", "--hf-config", "llama", "--swap-to", "relu2", "--batches", "2",
                            "--batch-size", "2", "--seq-len", "8", "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert "→ relu2" in r.output and "probe of llama: before → after swap to relu2" in r.output
    assert "config.hidden_act: 'silu' → 'relu2'" in r.output
    files = {p.name for p in tmp_path.iterdir()}
    assert files == {"before.csv", "before.json", "before.png", "after.csv", "after.json", "after.png",
                     "probe.md", "summary.json"}
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert [x["path"] for x in summary["swap"]["replaced"]] == [
        "model.layers.0.mlp.act_fn", "model.layers.1.mlp.act_fn"]
    assert summary["prediction_difference"]["n"] == 2 * 2 * 8
    before = json.loads((tmp_path / "before.json").read_text())["layers"]
    after = json.loads((tmp_path / "after.json").read_text())["layers"]
    layer = "model.layers.0.mlp.act_fn"
    assert before[layer]["zero_fraction"] == 0.0 and 0.2 < after[layer]["zero_fraction"] < 0.8
    assert after[layer]["threshold_basis"] == "linear:model.layers.0.mlp.down_proj"
    md = (tmp_path / "probe.md").read_text().splitlines()
    assert md[0].startswith("| layer |") and len(md) == 2 + 4  # header, rule, 2 layers x (before, after)


def test_timm_model_by_prefix_writes_one_probe(tmp_path):
    r = runner.invoke(app, ["probe", "timm:resnet18", "--batches", "1", "--batch-size", "1",
                            "--image-size", "32", "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    with open(tmp_path / "probe.csv") as f:
        rows = list(csv.DictReader(f))
    assert len({row["layer"] for row in rows}) == 17 and len(rows) == 17 * 7
    assert (tmp_path / "probe.png").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize(
    "args, message",
    [
        (["--hf-config", "llamma"], "unknown Hugging Face model type 'llamma'; did you mean llama"),
        (["--timm", "resnet_nope"], "unknown timm model 'resnet_nope'"),
        (["--timm", "resnet18", "--hf-config", "llama"], "give exactly one model"),
        ([], "give exactly one model"),
        (["--hf-config", "llama", "--swap-to", "relu3"], "unknown activation 'relu3'"),
        (["--hf-config", "llama", "--batches", "0"], "must be >= 1"),
    ],
)
def test_bad_input_exits_2_with_a_message(args, message, tmp_path):
    r = runner.invoke(app, ["probe", *args, "--out", str(tmp_path)])
    assert r.exit_code == 2
    assert message in " ".join(r.output.split())


def test_weights_offline_fail_clearly(monkeypatch, tmp_path):
    hub = pytest.importorskip("huggingface_hub")
    monkeypatch.setattr(hub.constants, "HF_HUB_OFFLINE", True)  # no network use, whatever the machine
    r = runner.invoke(app, ["probe", "--timm", "resnet18", "--weights", "--out", str(tmp_path)])
    assert r.exit_code == 2
    assert "could not download pretrained weights for timm model 'resnet18'" in " ".join(r.output.split())
    r = runner.invoke(app, ["probe", "--hf-config", "some-org/some-model", "--weights",
                            "--out", str(tmp_path)])
    assert r.exit_code == 2
    text = " ".join(r.output.split())
    assert "could not load pretrained weights for 'some-org/some-model'" in text and "network access" in text
