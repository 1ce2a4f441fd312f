"""linear_regions: exact counts equal brute force for PWL nets; ε-patterns for smooth ones; codes."""

from __future__ import annotations

import pytest
import torch
from torch import nn

import actlab
from actlab.probe import PatternReport, RegionReport, linear_regions, pattern_distance

F64 = torch.float64


pytestmark = pytest.mark.usefixtures("one_thread")


def _net(act: nn.Module, seed: int, width: int = 12, d: int = 3) -> nn.Sequential:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(d, width), act, nn.Linear(width, width), act, nn.Linear(width, 2)).eval()


def _codes(model: nn.Sequential, x: torch.Tensor, kinks: list[float]) -> torch.Tensor:
    """Brute force: the piece index of every unit at every input (written out, not actlab's code)."""
    k = torch.tensor(kinks, dtype=F64)
    h, codes = x, []
    for m in model.double():
        if isinstance(m, nn.Linear):
            h = m(h)
        else:
            codes.append(torch.bucketize(h, k, right=True))
            h = m(h)
    model.float()
    return torch.cat(codes, dim=1)


PWL = [(nn.ReLU, [0.0]), (lambda: nn.LeakyReLU(0.1), [0.0]), (nn.Hardtanh, [-1.0, 1.0]),
       (lambda: actlab.get("relu6"), [0.0, 6.0]), (lambda: actlab.get("hardsigmoid"), [-3.0, 3.0])]


@pytest.mark.parametrize("make,kinks", PWL, ids=["relu", "leaky_relu", "hardtanh", "relu6", "hardsigmoid"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_segment_count_equals_brute_force(make, kinks, seed):
    model = _net(make(), seed)
    g = torch.Generator().manual_seed(seed)
    x0, x1 = torch.randn(3, generator=g) * 3, torch.randn(3, generator=g) * 3
    r = linear_regions(model, line=(x0, x1))
    assert isinstance(r, RegionReport) and r.mode == "exact" and r.kind == "line"
    t = torch.linspace(0, 1, 400001, dtype=F64)[:, None]
    c = _codes(model, x0.double() + t * (x1 - x0).double(), kinks)
    brute = int((c[1:] != c[:-1]).any(dim=1).sum()) + 1
    assert r.count == brute
    assert len(r.breakpoints) == r.count - 1 and bool((r.breakpoints > 0).all() & (r.breakpoints < 1).all())
    assert r.density == pytest.approx(r.count / float((x1 - x0).norm()))


@pytest.mark.parametrize("make,kinks", PWL[:3], ids=["relu", "leaky_relu", "hardtanh"])
def test_plane_count_matches_a_fine_grid(make, kinks):
    model = _net(make(), 3, width=8, d=2)
    origin, u, v = torch.tensor([-2.0, -2.0]), torch.tensor([4.0, 0.0]), torch.tensor([0.0, 4.0])
    r = linear_regions(model, plane=(origin, u, v))
    s = torch.linspace(0, 1, 801, dtype=F64)
    ss, tt = torch.meshgrid(s, s, indexing="ij")
    x = origin.double() + ss.reshape(-1, 1) * u.double() + tt.reshape(-1, 1) * v.double()
    grid = int(torch.unique(_codes(model, x, kinks), dim=0).shape[0])
    # activation regions are convex, so distinct patterns = regions; a grid can only miss slivers
    assert grid <= r.count <= grid + max(2, grid // 20)
    assert r.size == pytest.approx(16.0)


def test_smooth_activation_gives_a_stated_epsilon_count():
    model = _net(nn.Tanh(), 4)
    x0, x1 = torch.tensor([-3.0, 0.0, 1.0]), torch.tensor([3.0, 1.0, -1.0])
    coarse = linear_regions(model, line=(x0, x1), eps=0.1)
    fine = linear_regions(model, line=(x0, x1), eps=0.001)
    assert coarse.mode == fine.mode == "epsilon" and coarse.eps == 0.1 and coarse.resolution == 10001
    assert 1 <= coarse.count < fine.count  # smaller ε: more, smaller ε-linear pieces


def test_gelu_net_is_not_counted_as_exact():
    model = _net(actlab.get("gelu"), 5)
    r = linear_regions(model, line=(torch.zeros(3), torch.ones(3)))
    assert r.mode == "epsilon"


def test_codes_collisions_and_distances():
    model = _net(nn.ReLU(), 6, width=10)
    x = torch.randn(300, 3)
    x[1] = x[0]  # an exact duplicate must collide
    y = torch.randint(0, 3, (300,))
    rep = linear_regions(model, points=x, labels=y)
    assert isinstance(rep, PatternReport) and rep.mode == "exact"
    assert rep.codes.shape == (300, 20) and set(rep.codes.unique().tolist()) <= {0, 1}
    assert rep.n_unique == int(torch.unique(rep.codes, dim=0).shape[0])
    assert rep.collision_rate == pytest.approx(1 - rep.n_unique / 300)
    assert rep.shared >= 2 / 300 and 0 < rep.nearest_distance < 1
    assert rep.within_class is not None and rep.between_class is not None
    d = pattern_distance(rep.codes[:2], rep.codes[:3])
    assert d[0, 1] == 0 and d.shape == (2, 3)


def test_bad_input_is_named():
    model = _net(nn.ReLU(), 7)
    with pytest.raises(ValueError, match="exactly one of"):
        linear_regions(model)
    with pytest.raises(ValueError, match="exactly one of"):
        linear_regions(model, line=(torch.zeros(3), torch.ones(3)), points=torch.zeros(4, 3))
    with pytest.raises(ValueError, match="eps"):
        linear_regions(model, line=(torch.zeros(3), torch.ones(3)), eps=0)
    with pytest.raises(ValueError, match="shapes"):
        linear_regions(model, line=(torch.zeros(3), torch.ones(2)))
    with pytest.raises(ValueError, match="labels"):
        linear_regions(model, points=torch.zeros(4, 3), labels=[0, 1])
    with pytest.raises(TypeError, match="unsupported layer"):
        linear_regions(nn.Sequential(nn.Linear(3, 3), nn.LayerNorm(3)), points=torch.zeros(4, 3))
