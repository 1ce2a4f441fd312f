"""The probe as a context manager: hook life cycle, module choice, memory, exports."""

from __future__ import annotations

import csv
import json

import pytest
import torch
from torch import nn

import actlab
from actlab.probe import Probe


def _hooks(model: nn.Module) -> int:
    return sum(len(m._forward_hooks) + len(m._forward_pre_hooks) for m in model.modules())


class FFN(nn.Module):
    def __init__(self, d: int = 8, h: int = 16):
        super().__init__()
        self.fc1 = nn.Linear(d, h)
        self.act = nn.GELU()
        self.fc2 = nn.Linear(h, d)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


def test_actlab_probe_is_callable_and_has_prediction_difference():
    assert callable(actlab.probe)
    assert actlab.probe.prediction_difference is actlab.probe.prediction.prediction_difference
    assert isinstance(actlab.probe(FFN()), Probe)


def test_hooks_removed_on_exit_and_on_exception():
    net = nn.Sequential(FFN(), nn.ReLU(), FFN())
    with actlab.probe(net) as p:
        assert _hooks(net) == 5  # 3 activations + 2 followers (fc2 pre-hooks)
        net(torch.randn(2, 8))
    assert _hooks(net) == 0 and not p.attached
    with pytest.raises(RuntimeError, match="boom"):
        with actlab.probe(net):
            net(torch.randn(2, 8))
            raise RuntimeError("boom")
    assert _hooks(net) == 0
    calls = p.stats["1"].calls
    net(torch.randn(2, 8))  # outside the block nothing is recorded
    assert p.stats["1"].calls == calls == 1


def test_module_selection_by_names_type_predicate_and_objects():
    net = nn.Sequential(FFN(), nn.ReLU(), FFN())
    assert [n for n, _ in actlab.probe(net).layers] == ["0.act", "1", "2.act"]
    assert [n for n, _ in actlab.probe(net, modules=["1", "2.act"]).layers] == ["1", "2.act"]
    assert [n for n, _ in actlab.probe(net, modules=nn.GELU).layers] == ["0.act", "2.act"]
    assert [n for n, _ in actlab.probe(net, modules=lambda n, m: n.startswith("2.")).layers] == [
        "2.fc1", "2.act", "2.fc2"]
    assert [n for n, _ in actlab.probe(net, modules=[net[2].fc1]).layers] == ["2.fc1"]
    with pytest.raises(ValueError, match="no submodule"):
        actlab.probe(net, modules=["nope"])
    with pytest.raises(ValueError, match="not part of the model"):
        actlab.probe(net, modules=[nn.ReLU()])
    with pytest.raises(ValueError, match="no activation modules"):
        actlab.probe(nn.Linear(2, 2))


def test_state_does_not_grow_with_batches():
    torch.manual_seed(0)
    net = nn.Sequential(FFN(), nn.ReLU(), FFN())
    with actlab.probe(net) as p:
        net(torch.randn(4, 8))
        first = p.state_nbytes()
        for _ in range(30):
            net(torch.randn(4, 8))
    assert p.state_nbytes() == first
    assert p.stats["1"].calls == 31 and p.stats["1"].numel == 31 * 4 * 8
    # no tensor of the batches' size is held anywhere in the probe
    held = [v for st in p.stats.values() for v in vars(st).values() if isinstance(v, torch.Tensor)]
    assert all(t.numel() < 31 * 4 * 8 for t in held)


def test_shared_module_called_twice_accumulates_both_calls():
    relu = nn.ReLU()

    class Twice(nn.Module):
        def __init__(self):
            super().__init__()
            self.relu = relu
            self.lin = nn.Linear(3, 3)

        def forward(self, x):
            return self.relu(self.lin(self.relu(x)))

    m = Twice()
    with actlab.probe(m) as p:
        m(torch.tensor([[-1.0, 2.0, -3.0]]))
    assert p.stats["relu"].calls == 2 and p.stats["relu"].numel == 6


def test_exports_csv_json_plot(tmp_path):
    torch.manual_seed(0)
    net = nn.Sequential(FFN(), nn.ReLU())
    with actlab.probe(net) as p:
        for _ in range(3):
            net(torch.randn(5, 8))
    rows = p.rows()
    with open(p.to_csv(tmp_path / "p.csv")) as f:
        back = list(csv.DictReader(f))
    assert [(r["layer"], r["metric"]) for r in back] == [(r["layer"], r["metric"]) for r in rows]
    assert [float(r["value"]) for r in back] == [r["value"] for r in rows]
    data = json.loads(p.to_json(tmp_path / "p.json").read_text())
    assert data["rows"] == rows
    layer = data["layers"]["0.act"]
    assert layer["threshold_basis"] == "linear:0.fc2" and layer["calls"] == 3
    assert len(layer["histogram"]["counts"]) == 114  # default symmetric-log bins
    assert layer["histogram"]["edges"][57] == 0.0
    png = p.plot(tmp_path / "p.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000


def test_settings_are_validated():
    with pytest.raises(ValueError, match="cett"):
        actlab.probe(FFN(), cett=1.5)
    with pytest.raises(ValueError, match="threshold_grid"):
        actlab.probe(FFN(), threshold_grid=[1.0, 0.5])
    with pytest.raises(ValueError, match="eps"):
        actlab.probe(FFN(), eps=-1)
