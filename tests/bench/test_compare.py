"""actlab.bench.compare: activations swapped into a user's own model and training function."""

from __future__ import annotations

import pytest
import torch
from torch import nn

import actlab
from actlab.bench import compare
from actlab.bench.store import Store

SEEN: list[str] = []


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(2, 16), nn.GELU(), nn.Linear(16, 16), nn.GELU(), nn.Linear(16, 2))

    def forward(self, x):
        return self.body(x)


def make_model(seed: int) -> nn.Module:
    torch.manual_seed(seed)
    return Net()


def train(model: nn.Module, seed: int) -> dict:
    act = model.body[1]
    SEEN.append(type(act).__name__ + ":" + getattr(getattr(act, "spec", None), "name", "?"))
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(256, 2, generator=g)
    y = (x[:, 0] * x[:, 1] > 0).long()
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    for _ in range(60):
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        acc = float((model(x).argmax(-1) == y).float().mean())
    return {"test_metric": acc, "final_train_loss": loss.item(), "steps": 60.0}


def test_compare_swaps_each_activation_into_the_users_model(tmp_path):
    SEEN.clear()
    boards = compare(make_model, train, ["relu", "tanh"], name="xy", seeds=2, store=tmp_path / "r.db",
                     metric="accuracy", report=tmp_path / "rep")  # fmt: skip
    (board,) = boards
    assert board.task == "user.xy" and {g.label for g in board.groups} == {"relu", "tanh"}
    assert sorted(s.split(":")[1] for s in SEEN) == ["relu", "relu", "tanh", "tanh"]
    assert all(g.n_ok == 2 and g.saved_bytes > 0 for g in board.groups)  # the swapped modules were metered
    assert (tmp_path / "rep" / "report.html").exists()
    # resumable: a second call runs nothing
    SEEN.clear()
    compare(make_model, train, ["relu", "tanh"], name="xy", seeds=2, store=tmp_path / "r.db")
    assert SEEN == []
    with Store(tmp_path / "r.db") as st:
        assert len(st) == 4 and {r.metric for r in st.runs()} == {"accuracy"}


def test_compare_rejects_bad_input_before_running(tmp_path):
    with pytest.raises(ValueError, match="name"):
        compare(make_model, train, ["relu"], name="a:b", store=tmp_path / "r.db")
    with pytest.raises(LookupError):
        compare(make_model, train, ["rleu"], name="x", store=tmp_path / "r.db")
    assert actlab.available()  # the library is untouched
