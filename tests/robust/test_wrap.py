"""actlab.robust.apply / remove / reseed: effects at activation sites and on weights."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from actlab import robust


def _mlp() -> nn.Sequential:
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 8), nn.GELU(), nn.Linear(8, 3))


class _SE(nn.Module):
    """A squeeze-excitation-style block: a hidden ReLU and a sigmoid gate that scales the input."""

    def __init__(self):
        super().__init__()
        self.fc1, self.act, self.fc2, self.gate = nn.Linear(6, 6), nn.ReLU(), nn.Linear(6, 6), nn.Sigmoid()

    def forward(self, x):
        return x * self.gate(self.fc2(self.act(self.fc1(x))))


class _Functional(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 3)

    def forward(self, x):
        return F.relu(self.fc(x))


def test_apply_wraps_every_activation_and_weight_layer_of_a_copy():
    m = _mlp()
    x = torch.randn(16, 4)
    clean = m(x)
    rep = robust.apply(m, post=robust.AdditiveNoise(0.1, when="always"),
                       weights=robust.MultiplicativeNoise(0.05, when="always"), seed=0)
    assert [p for p, _ in rep.sites] == ["1", "3"]
    assert rep.weights == ["0", "2", "4"]
    assert isinstance(rep.model[1], robust.NoisySite) and isinstance(rep.model[0], robust.NoisyWeights)
    assert not torch.allclose(rep.model(x), clean)
    assert torch.equal(m(x), clean)  # the original is untouched
    assert all(type(a) is type(b) for a, b in zip(robust.remove(rep.model), m))
    assert torch.equal(robust.remove(rep.model)(x), clean)  # unwrapping gives the clean model back
    assert "wrapped 2 activation site(s), 3 weight layer(s)" in str(rep)


def test_pre_acts_on_the_input_and_post_on_the_output():
    act = nn.Tanh()
    x = torch.linspace(-3, 3, 61)
    clamp = robust.Clamp(-0.5, 0.5, when="always")
    pre = robust.apply(nn.Sequential(act), pre=clamp).model
    post = robust.apply(nn.Sequential(act), post=clamp).model
    assert torch.equal(pre(x), torch.tanh(x.clamp(-0.5, 0.5)))
    assert torch.equal(post(x), torch.tanh(x).clamp(-0.5, 0.5))
    binary = robust.Quantize(1, range=(-0.5, 0.5), when="always")
    both = robust.apply(nn.Sequential(act), pre=[clamp, binary]).model
    assert set(both(x).tolist()) == {float(torch.tanh(torch.tensor(v))) for v in (-0.5, 0.5)}


def test_effects_are_off_in_eval_by_default_so_training_noise_leaves_evaluation_clean():
    m = _mlp()
    x = torch.randn(8, 4)
    noisy = robust.apply(m, post=robust.AdditiveNoise(0.5), weights=robust.MultiplicativeNoise(0.5),
                         seed=0).model
    noisy.eval()
    assert torch.equal(noisy(x), m(x))
    noisy.train()
    assert not torch.allclose(noisy(x), m(x))


def test_the_noise_is_deterministic_under_the_seed():
    m, x = _mlp(), torch.randn(8, 4)
    kw = dict(pre=robust.AdditiveNoise(0.2, when="always"), weights=robust.ReadNoise(0.05, when="always"))
    a = robust.apply(m, **kw, seed=5).model
    b = robust.apply(m, **kw, seed=5).model
    c = robust.apply(m, **kw, seed=6).model
    ya = a(x)
    assert torch.equal(ya, b(x))
    assert not torch.equal(ya, c(x))
    seeds = [e.seed for e in robust.effects(a)]
    assert len(set(seeds)) == len(seeds) == 5  # every effect its own stream
    assert not torch.equal(a(x), ya)
    robust.reseed(a, 5)
    assert torch.equal(a(x), ya)


def test_weight_effects_leave_the_parameters_alone_and_pass_gradients():
    m = _mlp()
    before = {k: v.clone() for k, v in m.state_dict().items()}
    q = robust.apply(m, weights=robust.Quantize(2, when="always")).model
    x = torch.randn(5, 4)
    out = q(x)
    out.sum().backward()
    ref = m
    h = x
    for layer in ref:  # the same forward with quantised weights, by hand
        if isinstance(layer, nn.Linear):
            w = layer.weight.detach()
            step = (w.max() - w.min()) / 3
            wq = w.min() + step * torch.round((w - w.min()) / step)
            h = F.linear(h, wq, layer.bias)
        else:
            h = layer(h)
    assert torch.allclose(out, h, atol=1e-6)
    assert all(torch.equal(v, before[k.replace("module.", "")]) for k, v in
               {k: v for k, v in q.state_dict().items()}.items())
    assert q[0].module.weight.grad is not None and q[0].module.weight.grad.abs().sum() > 0


def test_roles_select_gates_or_nonlinearities():
    m = _SE()
    every = robust.apply(m, post=robust.AdditiveNoise(0.1))
    assert sorted(every.sites) == [("act", "nonlinearity"), ("gate", "gate")]
    only = robust.apply(m, post=robust.AdditiveNoise(0.1), roles="nonlinearity")
    assert only.sites == [("act", "nonlinearity")] and only.skipped == [("gate", "gate")]
    assert isinstance(only.model.gate, nn.Sigmoid)
    with pytest.raises(ValueError, match="roles"):
        robust.apply(m, post=robust.AdditiveNoise(0.1), roles="gates")


def test_match_selects_by_path_and_functional_calls_are_reported():
    m = _mlp()
    rep = robust.apply(m, post=robust.AdditiveNoise(0.1), match="3", weight_match="4",
                       weights=robust.AdditiveNoise(0.1))
    assert rep.sites == [("3", "nonlinearity")] and rep.weights == ["4"]
    f = robust.apply(_Functional(), post=robust.AdditiveNoise(0.1))
    assert f.sites == [] and len(f.not_wrapped) == 1 and "F.relu()" in f.not_wrapped[0].what
    # the effects' own code (torch.tanh in a soft Clamp) is not reported as an unwrapped activation
    soft = robust.apply(_mlp(), post=robust.Clamp(-1, 1, soft=True))
    assert soft.not_wrapped == []


def test_a_shared_activation_gets_one_shared_wrapper_and_a_bare_activation_is_wrapped():
    act = nn.ReLU()
    m = nn.Sequential(nn.Linear(3, 3), act, nn.Linear(3, 3), act)
    rep = robust.apply(m, post=robust.AdditiveNoise(0.1))
    assert rep.model[1] is rep.model[3]
    bare = robust.apply(nn.GELU(), pre=robust.AdditiveNoise(0.1)).model
    assert isinstance(bare, robust.NoisySite) and isinstance(robust.remove(bare), nn.GELU)


def test_applying_twice_composes_and_remove_unwraps_all():
    m, x = _mlp(), torch.randn(4, 4)
    once = robust.apply(m, post=robust.Clamp(-0.2, 0.2, when="always")).model
    twice = robust.apply(once, post=robust.Clamp(-0.1, 0.1, when="always"),
                         weights=robust.AdditiveNoise(0.0)).model
    bare = robust.remove(twice)
    assert torch.equal(bare(x), m(x))
    assert not any(isinstance(mod, (robust.NoisySite, robust.NoisyWeights)) for mod in bare.modules())


def test_bad_effect_specs():
    with pytest.raises(TypeError, match="post"):
        robust.apply(_mlp(), post=3.0)
    with pytest.raises(TypeError, match="factory"):
        robust.apply(_mlp(), post=lambda: 3)
    with pytest.raises(ValueError, match="seed"):
        robust.apply(_mlp(), post=robust.AdditiveNoise(0.1), seed=-2)


def test_reached_from_the_top_level_package():
    import actlab

    assert actlab.robust is robust and "robust" in dir(actlab)
