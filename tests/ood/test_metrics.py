"""OOD scores and metrics against hand-computed cases, and ood.evaluate."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

from actlab import ood


def test_auroc_of_a_hand_computed_case():
    # pairs (id, ood): 0.9>0.5, 0.9>0.1, 0.8>0.5, 0.8>0.1, 0.3<0.5, 0.3>0.1 -> 5 of 6
    assert ood.auroc([0.9, 0.8, 0.3], [0.5, 0.1]) == pytest.approx(5 / 6)
    # a tie counts one half: (1 vs 1) = 1/2, (1 vs 0) = 1, (2 vs both) = 2 -> 3.5 of 4
    assert ood.auroc([1.0, 2.0], [1.0, 0.0]) == pytest.approx(3.5 / 4)
    assert ood.auroc([3, 4], [1, 2]) == 1.0 and ood.auroc([1, 2], [3, 4]) == 0.0


def test_aupr_of_a_hand_computed_case():
    # ranked: 3 (id), 2.5 (ood), 2 (id), 1 (ood): precision at each id = 1/1, 2/3 -> AP = 5/6
    assert ood.aupr([3.0, 2.0], [2.5, 1.0], "in") == pytest.approx((1 + 2 / 3) / 2)
    # OOD as positive, scores negated: ranked 1 (ood), 2 (id), 2.5 (ood), 3 (id): 1/1, 2/3
    assert ood.aupr([3.0, 2.0], [2.5, 1.0], "out") == pytest.approx((1 + 2 / 3) / 2)
    assert ood.aupr([5.0, 4.0], [1.0], "in") == 1.0


def test_fpr_at_95_tpr_of_a_hand_computed_case():
    id_s = np.arange(1, 21, dtype=float)  # keep 19 of 20 (95 %): threshold 2
    assert ood.fpr_at_tpr(id_s, [0.0, 1.5, 2.0, 3.0]) == pytest.approx(0.5)
    assert ood.fpr_at_tpr(id_s, [0.0, 1.0]) == 0.0
    assert ood.fpr_at_tpr(id_s, [0.0, 1.0], tpr=1.0) == 0.5  # keep all: threshold 1
    with pytest.raises(ValueError, match="tpr"):
        ood.fpr_at_tpr(id_s, [0.0], tpr=0)


def test_scores():
    logits = torch.tensor([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    e = ood.score_logits(logits, "energy")
    assert torch.allclose(e, torch.log(torch.exp(logits).sum(-1)))
    assert torch.allclose(ood.score_logits(logits, "energy", temperature=2.0),
                          2 * torch.log(torch.exp(logits / 2).sum(-1)))
    msp = torch.tensor([np.exp(3) / np.exp([1, 2, 3]).sum(), 1 / 3]).float()
    assert torch.allclose(ood.score_logits(logits, "msp"), msp)
    assert ood.score_logits(logits, "max_logit").tolist() == [3.0, 0.0]
    with pytest.raises(LookupError, match="energy"):
        ood.score_logits(logits, "entropy")
    with pytest.raises(ValueError, match="temperature"):
        ood.score_logits(logits, "energy", temperature=0)


def test_evaluate_agrees_with_the_metrics_of_its_scores_and_checks_shapes_first():
    torch.manual_seed(0)
    m = nn.Sequential(nn.Linear(3, 16), nn.ReLU(), nn.Linear(16, 2))
    x = torch.randn(300, 3)
    y = (x[:, 0] > 0).long()
    opt = torch.optim.Adam(m.parameters(), lr=0.05)
    for _ in range(100):
        loss = nn.functional.cross_entropy(m(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    far = torch.randn(200, 3) * 20  # far from the training data
    res = ood.evaluate(m, x, far, score="max_logit")
    assert res.n_id == 300 and res.n_ood == 200 and res.score == "max_logit"
    s_id, s_ood = ood.scores(m, x, "max_logit"), ood.scores(m, far, "max_logit")
    assert res.auroc == pytest.approx(ood.auroc(s_id, s_ood))
    assert res.fpr95 == pytest.approx(ood.fpr_at_tpr(s_id, s_ood))
    assert set(res.to_dict()) == {"auroc", "aupr_in", "aupr_out", "fpr95", "n_id", "n_ood", "score"}
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(far, torch.zeros(200)), batch_size=33)
    assert ood.evaluate(m, x, loader, score="max_logit") == res

    ran = []
    m.register_forward_hook(lambda *a: ran.append(1))
    with pytest.raises(ValueError, match="ood_data"):
        ood.evaluate(m, x, torch.randn(10, 4))
    with pytest.raises(ValueError, match="ood_data"):
        ood.evaluate(m, x, torch.randn(0, 3))
    with pytest.raises(ValueError, match="id_data"):
        ood.evaluate(m, "digits", x)
    with pytest.raises(ValueError, match="ood_data"):
        ood.evaluate(m, x, [(torch.randn(4, 3, 1),)])
    assert ran == []  # refused before the model ran


def test_reached_from_the_top_level_package():
    import actlab

    assert actlab.ood is ood and actlab.ood.react is ood.react
