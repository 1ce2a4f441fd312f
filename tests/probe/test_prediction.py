"""prediction_difference on models whose outputs are known."""

from __future__ import annotations

import math

import pytest
import torch
from torch import nn

import actlab


class Fixed(nn.Module):
    """Returns the logits stored for each input id (input: (B,) long tensor)."""

    def __init__(self, table):
        super().__init__()
        self.register_buffer("table", torch.tensor(table, dtype=torch.float64))

    def forward(self, ids):
        return self.table[ids]


def test_known_disagreement_and_total_variation():
    a = Fixed([[0.0, 0.0], [2.0, 0.0], [0.0, 5.0]])
    b = Fixed([[math.log(3.0), 0.0], [0.0, 2.0], [0.0, 5.0]])
    # example 0: p=(.5,.5), q=(.75,.25): TV .25, argmax 0 vs 0 (tie -> first) -> agree
    # example 1: p=(s, 1-s), q=(1-s, s) with s=σ(2): TV |2s-1|, argmax differs
    # example 2: identical
    s = 1 / (1 + math.exp(-2.0))
    r = actlab.probe.prediction_difference(a, b, [torch.tensor([0, 1]), torch.tensor([2])])
    assert r.n == 3
    assert r.disagreement == pytest.approx(1 / 3)
    assert r.pd_l1 == pytest.approx((0.25 + (2 * s - 1) + 0.0) / 3)
    assert r.max_l1 == pytest.approx(2 * s - 1)
    same = actlab.probe.prediction_difference(a, a, [torch.tensor([0, 1, 2])])
    assert same.disagreement == 0.0 and same.pd_l1 == 0.0


def test_sequences_dicts_binary_and_mode_restored():
    torch.manual_seed(0)

    class LM(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(10, 6)
            self.drop = nn.Dropout(0.5)

        def forward(self, input_ids):
            return {"logits": self.drop(self.emb(input_ids))}

    m = LM().train()
    batches = [{"input_ids": torch.randint(0, 10, (3, 4))} for _ in range(2)]
    r = actlab.probe.prediction_difference(m, m, batches)
    assert r.n == 2 * 3 * 4 and r.disagreement == 0.0 and r.pd_l1 == 0.0  # eval mode: dropout off
    assert m.training  # restored
    lin = nn.Linear(2, 1)
    neg = nn.Linear(2, 1)
    with torch.no_grad():
        neg.weight.copy_(-lin.weight)
        neg.bias.copy_(-lin.bias)
    x = torch.randn(50, 2)
    z = lin(x).detach().squeeze(1)
    r = actlab.probe.prediction_difference(lin, neg, [(x, None)])
    # binary: p = σ(z), q = σ(-z): TV = |2σ(z) - 1|; argmax differs unless z == 0
    assert r.disagreement == 1.0
    assert r.pd_l1 == pytest.approx(float((2 * torch.sigmoid(z.double()) - 1).abs().mean()))


def test_shape_mismatch_and_empty_data_raise():
    with pytest.raises(ValueError, match="shape"):
        actlab.probe.prediction_difference(nn.Linear(2, 3), nn.Linear(2, 4), [torch.randn(1, 2)])
    with pytest.raises(ValueError, match="no examples"):
        actlab.probe.prediction_difference(nn.Linear(2, 3), nn.Linear(2, 3), [])


def test_prediction_difference_restores_each_submodules_mode():
    import torch
    from torch import nn

    import actlab

    a = nn.Sequential(nn.Linear(4, 4), nn.BatchNorm1d(4), nn.Linear(4, 3))
    b = nn.Sequential(nn.Linear(4, 4), nn.BatchNorm1d(4), nn.Linear(4, 3))
    a.train()
    a[1].eval()  # a frozen BatchNorm inside a model in training mode
    b.eval()
    actlab.probe.prediction_difference(a, b, [torch.randn(8, 4)])
    assert a.training and not a[1].training and a[0].training
    assert not b.training and not b[1].training
