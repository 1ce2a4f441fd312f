"""Role-aware swap: a network's nonlinearities are swapped, its gates (SE, attention, GLU sigmoid,
LSTM/GRU gates) only when asked (issue 13, item 6)."""

from __future__ import annotations

from collections import Counter

import pytest
import torch
from torch import nn

import actlab
from actlab.surgery import is_activation_module, is_gate_function, site_roles

torchvision = pytest.importorskip("torchvision")
timm = pytest.importorskip("timm")


def _kinds(model: nn.Module) -> Counter:
    return Counter(type(m).__name__ for m in model.modules() if is_activation_module(m))


def test_mobilenet_v3_small_keeps_its_squeeze_excitation_gates():
    torch.manual_seed(0)
    m = torchvision.models.mobilenet_v3_small(weights=None).eval()
    assert _kinds(m) == Counter(Hardswish=19, ReLU=14, Hardsigmoid=9)
    rep = actlab.swap(m, "golu")
    assert rep.count == 33 and {r.role for r in rep.replaced} == {"nonlinearity"}
    gates = [r for r in rep.not_replaced if r.role == "gate"]
    assert [r.path for r in gates] == [p for p, mod in m.named_modules() if p.endswith("scale_activation")]
    assert all(r.what == "Hardsigmoid()" and "roles=" in r.reason for r in gates)
    assert _kinds(rep.model) == Counter(Activation=33, Hardsigmoid=9)
    # the SE blocks' inner ReLU is a nonlinearity, swapped with the rest
    assert isinstance(rep.model.features[1].block[1].activation, actlab.nn.Activation)
    assert "[gate]" in rep.summary() and "[nonlinearity]" in rep.summary()
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        assert torch.isfinite(rep.model(x)).all()
    # roles= reaches the gates: all of them, or only them
    assert actlab.swap(m, "golu", roles="all").count == 42
    only = actlab.swap(m, "sigmoid", roles="gate")
    assert only.count == 9 and {r.role for r in only.replaced} == {"gate"}
    assert _kinds(only.model) == Counter(Hardswish=19, ReLU=14, Activation=9)
    # so does a match= that selects them (explicit selection: every role)
    by_type = actlab.swap(m, "hardsigmoid", match=nn.Hardsigmoid)
    assert by_type.count == 9 and not [r for r in by_type.not_replaced if r.role == "gate"]
    with torch.no_grad():  # Hardsigmoid -> actlab's hardsigmoid: the same network
        torch.testing.assert_close(by_type.model(x), m(x))
    assert actlab.swap(m, "golu", match="features.1.*").paths == [
        "features.1.block.0.2", "features.1.block.1.activation", "features.1.block.1.scale_activation"]


def test_timm_squeeze_excite_gate():
    m = timm.create_model("mobilenetv3_small_050", pretrained=False, num_classes=4).eval()
    roles = site_roles(m)
    gates = sorted(p for p, r in roles.items() if r == "gate")
    assert gates and all(p.endswith(".se.gate") for p in gates)
    assert all(r == "nonlinearity" for p, r in roles.items() if not p.endswith(".se.gate"))
    rep = actlab.swap(m, "relu2")
    assert sorted(r.path for r in rep.not_replaced if r.role == "gate") == gates
    assert all(isinstance(rep.model.get_submodule(p), nn.Hardsigmoid) for p in gates)


class LSTMCell(nn.Module):
    """A hand-written LSTM cell: sigmoid gates and tanh nonlinearities as modules."""

    def __init__(self, d: int):
        super().__init__()
        self.lin = nn.Linear(2 * d, 4 * d)
        self.gate_act = nn.Sigmoid()
        self.cell_act = nn.Tanh()
        self.out_act = nn.Tanh()

    def forward(self, x, h, c):
        i, f, g, o = self.lin(torch.cat([x, h], -1)).chunk(4, -1)
        c = self.gate_act(f) * c + self.gate_act(i) * self.cell_act(g)
        return self.gate_act(o) * self.out_act(c), c


def test_hand_written_lstm_cell_gates_and_nonlinearities():
    cell = LSTMCell(3)
    assert site_roles(cell) == {"gate_act": "gate", "cell_act": "nonlinearity", "out_act": "nonlinearity"}
    rep = actlab.swap(cell, "golu")
    assert rep.paths == ["cell_act", "out_act"]
    assert [(r.path, r.role) for r in rep.not_replaced] == [("gate_act", "gate")]
    assert isinstance(rep.model.gate_act, nn.Sigmoid)


def test_torch_recurrent_layers_report_their_gates():
    m = nn.ModuleDict({"lstm": nn.LSTM(4, 8), "gru": nn.GRU(4, 8), "rnn": nn.RNN(4, 8, nonlinearity="relu"),
                       "head": nn.Sequential(nn.Linear(8, 8), nn.GELU())})
    rep = actlab.swap(m, "golu")
    assert rep.paths == ["head.1"]
    got = [(r.path, r.role, r.what) for r in rep.not_replaced]
    assert got == [
        ("lstm", "gate", "sigmoid input, forget and output gates of LSTM"),
        ("lstm", "nonlinearity", "cell-input and cell-output tanh of LSTM"),
        ("gru", "gate", "sigmoid reset and update gates of GRU"),
        ("gru", "nonlinearity", "candidate-state tanh of GRU"),
        ("rnn", "nonlinearity", "relu of RNN"),
    ]
    assert all("cannot replace" in r.reason for r in rep.not_replaced)
    assert [r.path for r in actlab.swap(m, "golu", match="gru*").not_replaced] == ["gru", "gru"]


class GLU(nn.Module):
    def __init__(self, act: nn.Module):
        super().__init__()
        self.w, self.v, self.act = nn.Linear(4, 8), nn.Linear(4, 8), act

    def forward(self, x):
        return self.act(self.w(x)) * self.v(x)


class SelfGated(nn.Module):  # x * sigmoid(x): the sigmoid scales its own input (SiLU written out)
    def __init__(self):
        super().__init__()
        self.sig = nn.Sigmoid()

    def forward(self, x):
        return x * self.sig(x)


class SequentialSE(nn.Module):  # the gate is the last layer of a Sequential; the product is one level up
    def __init__(self):
        super().__init__()
        self.se = nn.Sequential(nn.Linear(4, 2), nn.ReLU(), nn.Linear(2, 4), nn.Sigmoid())

    def forward(self, x):
        return x * self.se(x).unsqueeze(0).squeeze(0)


class Untraceable(nn.Module):
    def __init__(self):
        super().__init__()
        self.sig = nn.Sigmoid()

    def forward(self, x):
        if x.sum() > 0:  # control flow on a value: torch.fx cannot trace it
            return self.sig(x)
        return x


def test_roles_of_glu_self_gating_nested_and_untraceable_uses():
    m = nn.ModuleDict({"glu": GLU(nn.Sigmoid()), "swiglu": GLU(nn.SiLU()), "self": SelfGated(),
                       "se": SequentialSE(), "odd": Untraceable(), "mlp": nn.Sequential(nn.Linear(4, 4),
                                                                                       nn.Sigmoid())})
    assert site_roles(m) == {"glu.act": "gate", "swiglu.act": "nonlinearity", "self.sig": "nonlinearity",
                             "se.se.1": "nonlinearity", "se.se.3": "gate", "odd.sig": "unknown",
                             "mlp.1": "nonlinearity"}
    rep = actlab.swap(m, "relu")
    assert rep.paths == ["swiglu.act", "self.sig", "se.se.1", "mlp.1"]
    assert {r.path: r.role for r in rep.not_replaced} == {"glu.act": "gate", "se.se.3": "gate",
                                                          "odd.sig": "unknown"}
    assert "could not be traced" in next(r.reason for r in rep.not_replaced if r.role == "unknown")
    assert actlab.swap(m, "relu", roles=("nonlinearity", "unknown")).count == 5
    assert actlab.swap(m, "relu", roles="all").count == 7


def test_gate_function_test_and_roles_argument_errors():
    for gate in (nn.Sigmoid(), nn.Hardsigmoid(), actlab.get("sigmoid"), actlab.get("hardsigmoid")):
        assert is_gate_function(gate), gate
    others = (nn.Tanh(), nn.ReLU(), nn.SiLU(), nn.GELU(), actlab.get("golu"), nn.Softplus(), nn.Linear(1, 1))
    for other in others:
        assert not is_gate_function(other), other
    m = GLU(nn.Sigmoid())
    with pytest.raises(ValueError, match="roles must be 'all' or among 'nonlinearity', 'gate', 'unknown'"):
        actlab.swap(m, "relu", roles="gates")
    with pytest.raises(ValueError, match="roles must be"):
        actlab.swap(m, "relu", roles=())


class Stack(nn.Module):  # gates inside a ModuleList: the module above the list calls them
    def __init__(self):
        super().__init__()
        self.gates = nn.ModuleList([nn.Sigmoid(), nn.Sigmoid()])
        self.acts = nn.ModuleList([nn.Sigmoid(), nn.Tanh()])

    def forward(self, x):
        for g, a in zip(self.gates, self.acts):
            x = g(x) * a(x + 1)
        return x


def test_module_lists_are_passed_over():
    assert site_roles(Stack()) == {"gates.0": "gate", "gates.1": "gate", "acts.0": "gate",
                                   "acts.1": "nonlinearity"}
