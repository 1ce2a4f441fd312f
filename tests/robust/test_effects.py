"""The effects of actlab.robust: noise statistics, quantiser levels and straight-through gradient,
bounded ranges, when they act, determinism under a seed, and bad input."""

from __future__ import annotations

import copy
import pickle

import pytest
import torch
from torch import nn

from actlab import robust

N = 200_000


def _draw(effect: nn.Module, x: torch.Tensor) -> torch.Tensor:
    effect.train()
    return effect(x)


@pytest.mark.parametrize("std", [0.05, 0.3, 2.0])
def test_additive_noise_has_mean_zero_and_the_given_std(std):
    x = torch.full((N,), 1.5, dtype=torch.float64)
    d = _draw(robust.AdditiveNoise(std, seed=1), x) - x
    assert abs(float(d.mean())) < 5 * std / N**0.5
    assert float(d.std()) == pytest.approx(std, rel=0.02)


def test_relative_additive_noise_scales_with_the_rms_of_the_tensor():
    x = torch.full((N,), -4.0, dtype=torch.float64)  # rms 4
    d = _draw(robust.AdditiveNoise(0.1, relative=True, seed=2), x) - x
    assert float(d.std()) == pytest.approx(0.4, rel=0.02)
    # scale-free: the same noise-to-signal ratio for a tenfold signal
    d10 = _draw(robust.AdditiveNoise(0.1, relative=True, seed=2), 10 * x) - 10 * x
    assert torch.allclose(d10, 10 * d)


def test_multiplicative_noise_is_relative_to_each_value():
    x = torch.cat([torch.full((N,), 2.0), torch.full((N,), -0.5)]).double()
    y = _draw(robust.MultiplicativeNoise(0.2, seed=3), x)
    ratio = y / x - 1
    assert abs(float(ratio.mean())) < 5 * 0.2 / (2 * N) ** 0.5
    assert float(ratio[:N].std()) == pytest.approx(0.2, rel=0.02)
    assert float(ratio[N:].std()) == pytest.approx(0.2, rel=0.02)
    assert torch.equal(_draw(robust.MultiplicativeNoise(0.2, seed=3), torch.zeros(10)), torch.zeros(10))


def test_read_noise_scales_with_the_full_scale():
    x = torch.zeros(N, dtype=torch.float64)
    x[0] = 5.0  # max |x| = 5: the adaptive full scale
    d = _draw(robust.ReadNoise(0.02, seed=4), x) - x
    assert float(d[1:].std()) == pytest.approx(0.1, rel=0.02)
    d = _draw(robust.ReadNoise(0.02, full_scale=2.0, seed=4), x) - x
    assert float(d[1:].std()) == pytest.approx(0.04, rel=0.02)


def test_noise_is_independent_across_elements():
    x = torch.zeros(N // 2, 2, dtype=torch.float64)
    d = _draw(robust.AdditiveNoise(1.0, seed=5), x)
    corr = torch.corrcoef(d.T)[0, 1]
    assert abs(float(corr)) < 5 / (N // 2) ** 0.5


def test_zero_std_is_the_identity():
    x = torch.randn(100)
    for e in (robust.AdditiveNoise(0), robust.MultiplicativeNoise(0.0), robust.ReadNoise(0)):
        assert _draw(e, x) is x


# ---- quantisation ---------------------------------------------------------------------------------

@pytest.mark.parametrize("bits", [1, 2, 3, 5])
def test_quantizer_levels_on_a_fixed_range(bits):
    q = robust.Quantize(bits, range=(-1.0, 2.0))
    x = torch.linspace(-3, 4, 10_001, dtype=torch.float64)
    y = _draw(q, x)
    levels = torch.linspace(-1.0, 2.0, 2**bits, dtype=torch.float64)
    got = torch.unique(y)
    assert torch.allclose(got, levels, atol=1e-12)  # every level used, none other
    step = 3.0 / (2**bits - 1)
    inside = (x >= -1) & (x <= 2)
    assert float((y[inside] - x[inside]).abs().max()) <= step / 2 + 1e-12  # the nearest level
    assert torch.all(y[x < -1] == -1) and torch.all(y[x > 2] == 2)  # clipped


def test_quantizer_dynamic_range_keeps_min_and_max():
    x = torch.tensor([0.3, -1.7, 0.1, 2.9, 1.0], dtype=torch.float64)
    y = _draw(robust.Quantize(2), x)  # levels -1.7, -0.1667, 1.3667, 2.9
    lo, hi = -1.7, 2.9
    step = (hi - lo) / 3
    expected = torch.tensor([lo + step, lo, lo + step, hi, lo + 2 * step], dtype=torch.float64)
    assert torch.allclose(y, expected)
    c = torch.full((7,), 0.25)
    assert torch.equal(_draw(robust.Quantize(3), c), c)  # a constant tensor passes unchanged


def test_one_bit_quantizer_is_binary():
    x = torch.tensor([-2.0, 0.4, 0.6, 3.0])
    assert _draw(robust.Quantize(1, range=(0.0, 1.0)), x).tolist() == [0.0, 0.0, 1.0, 1.0]


def test_straight_through_gradient():
    x = torch.linspace(-2.013, 3.017, 101, dtype=torch.float64, requires_grad=True)  # no point at ±1
    y = _draw(robust.Quantize(2, range=(-1.0, 1.0)), x)
    (y * torch.arange(101.0, dtype=torch.float64)).sum().backward()
    inside = (x.detach() > -1) & (x.detach() < 1)
    weights = torch.arange(101.0, dtype=torch.float64)
    expected = torch.where(inside, weights, torch.zeros_like(weights))
    assert torch.equal(x.grad, expected)  # identity inside the range, zero where clipped
    # dynamic range: the gradient passes everywhere (nothing is clipped)
    z = torch.randn(50, requires_grad=True)
    _draw(robust.Quantize(3), z).sum().backward()
    assert torch.equal(z.grad, torch.ones(50))


def test_quantizer_trains_in_the_loop():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 16), nn.Tanh(), robust.Quantize(2), nn.Linear(16, 1))
    x = torch.randn(256, 2)
    y = (x[:, :1] * x[:, 1:] > 0).float()
    opt = torch.optim.Adam(model.parameters(), lr=0.05)
    first = None
    for _ in range(150):
        loss = nn.functional.binary_cross_entropy_with_logits(model(x), y)
        first = first if first is not None else loss.item()
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert loss.item() < 0.6 * first


# ---- bounded range ----------------------------------------------------------------------------------

def test_clamp_hard_and_soft():
    x = torch.linspace(-10, 10, 401, dtype=torch.float64, requires_grad=True)
    y = _draw(robust.Clamp(-1.0, 3.0), x)
    assert torch.equal(y, x.detach().clamp(-1, 3))
    s = _draw(robust.Clamp(-1.0, 3.0, soft=True), x)
    assert float(s.detach().min()) > -1 and float(s.detach().max()) < 3
    (g,) = torch.autograd.grad(s[200], x)  # x = 0 ... the centre is 1
    c = torch.tensor(1.0, dtype=torch.float64, requires_grad=True)
    (slope,) = torch.autograd.grad(_draw(robust.Clamp(-1.0, 3.0, soft=True), c), c)
    assert float(slope) == pytest.approx(1.0)
    assert float(g[200]) == pytest.approx(1 - torch.tanh(torch.tensor(-0.5)).item() ** 2)


def test_analog_chain_clamps_then_reads_then_quantizes():
    chain = robust.analog(read_noise=0.01, bits=3, range=(0.0, 1.0), seed=0)
    kinds = [type(m) for m in chain]
    assert kinds == [robust.Clamp, robust.ReadNoise, robust.Quantize]
    assert chain[1].full_scale == 1.0
    chain.train()
    y = chain(torch.linspace(-1, 2, 1000, dtype=torch.float64))
    assert torch.allclose(torch.unique(y), torch.arange(8, dtype=torch.float64) / 7)
    assert len(robust.analog()) == 0


# ---- when, determinism, copies -----------------------------------------------------------------------

def test_effects_act_in_training_only_unless_asked():
    x = torch.randn(1000)
    for when, train_on, eval_on in (("train", True, False), ("eval", False, True), ("always", True, True)):
        e = robust.AdditiveNoise(0.5, when=when, seed=0)
        e.train()
        assert (not torch.equal(e(x), x)) == train_on, when
        e.eval()
        assert (not torch.equal(e(x), x)) == eval_on, when
    q = robust.Quantize(2)
    q.eval()
    assert q(x) is x


def test_deterministic_under_a_seed_and_independent_of_the_global_generator():
    x = torch.zeros(1000)
    a, b = robust.AdditiveNoise(1.0, seed=7), robust.AdditiveNoise(1.0, seed=7)
    torch.manual_seed(0)
    ya = _draw(a, x)
    torch.manual_seed(123)
    before = torch.get_rng_state()
    yb = _draw(b, x)
    assert torch.equal(ya, yb)
    assert torch.equal(torch.get_rng_state(), before)  # a seeded effect leaves torch's generator alone
    assert not torch.equal(_draw(a, x), ya)  # the stream goes on
    a.reseed()
    assert torch.equal(_draw(a, x), ya)  # and restarts
    assert not torch.equal(_draw(robust.AdditiveNoise(1.0, seed=8), x), ya)
    # seed=None: torch's global generator
    torch.manual_seed(3)
    u = _draw(robust.AdditiveNoise(1.0), x)
    torch.manual_seed(3)
    assert torch.equal(_draw(robust.AdditiveNoise(1.0), x), u)


def test_copies_restart_the_stream_from_the_seed():
    x = torch.zeros(100)
    e = robust.MultiplicativeNoise(0.1, seed=11)
    first = _draw(robust.AdditiveNoise(1.0, seed=11), x)
    a = robust.AdditiveNoise(1.0, seed=11)
    _draw(a, x)
    for c in (copy.deepcopy(a), pickle.loads(pickle.dumps(a))):
        assert torch.equal(_draw(c, x), first)
    assert "seed=11" in repr(e)


@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16, torch.float32, torch.float64])
def test_effects_keep_shape_and_dtype(dtype):
    x = torch.randn(3, 4, 5).to(dtype)
    for e in (robust.AdditiveNoise(0.1, relative=True, seed=0), robust.MultiplicativeNoise(0.1, seed=0),
              robust.ReadNoise(0.1, seed=0), robust.Quantize(4), robust.Clamp(-1, 1, soft=True)):
        y = _draw(e, x)
        assert y.shape == x.shape and y.dtype == dtype, e
    assert _draw(robust.AdditiveNoise(1.0), torch.empty(0, 3)).shape == (0, 3)


# ---- bad input ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("make, name", [
    (lambda: robust.AdditiveNoise(-0.1), "std"),
    (lambda: robust.AdditiveNoise(float("nan")), "std"),
    (lambda: robust.MultiplicativeNoise(-1), "std"),
    (lambda: robust.ReadNoise(-0.5), "std"),
    (lambda: robust.ReadNoise(0.1, full_scale=0), "full_scale"),
    (lambda: robust.Quantize(0), "bits"),
    (lambda: robust.Quantize(-3), "bits"),
    (lambda: robust.Quantize(2.5), "bits"),
    (lambda: robust.Quantize(True), "bits"),
    (lambda: robust.Quantize(4, range=(1.0, 0.0)), "range"),
    (lambda: robust.Clamp(2.0, 2.0), "low, high"),
    (lambda: robust.AdditiveNoise(0.1, when="sometimes"), "when"),
    (lambda: robust.AdditiveNoise(0.1, seed=-1), "seed"),
    (lambda: robust.analog(read_noise=-1), "read_noise"),
])
def test_bad_input_is_a_value_error_naming_the_argument(make, name):
    with pytest.raises(ValueError, match=name):
        make()
