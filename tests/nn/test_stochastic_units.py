"""Stochastic survey units: seeded draws, the training formula with the drawn noise, the noise's
statistics, the deterministic eval rule, gradients, dtypes and bad arguments.

The reference formulas here are written from the papers (numpy, float64), not from the modules.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

import actlab
from actlab.nn import stochastic_units as su


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def hard_tanh(x):
    return np.clip(x, -1.0, 1.0)


def hard_sigmoid(x):
    return np.clip(0.25 * x + 0.5, 0.0, 1.0)


def noisy_ref(x, eps, h, alpha, c, p):
    """Gulcehre et al. 2016, Eq. of the noisy activation (noise added to the output)."""
    hx = hard_tanh(x) if h == "hard_tanh" else hard_sigmoid(x)
    ux = x if h == "hard_tanh" else 0.25 * x + 0.5
    d = -np.sign(x) * np.sign(1.0 - alpha)
    s = c * (sigmoid(p * (hx - ux)) - 0.5) ** 2
    return alpha * hx + (1 - alpha) * ux + d * s * eps


def pau_ref(x, num, den):
    """Safe PAU with per-element coefficients: num (..., m+1), den (..., n)."""
    p = sum(num[..., j] * x**j for j in range(num.shape[-1]))
    q = 1.0 + sum(np.abs(den[..., k - 1]) * np.abs(x) ** k for k in range(1, den.shape[-1] + 1))
    return p / q


# name, constructor kwargs, training reference f(x, noise, module), eval reference f(x, module)
CASES = {
    "rrelu": (
        lambda **kw: su.RReLU(**kw),
        lambda x, a, m: np.where(x >= 0, x, a * x),
        lambda x, m: np.where(x >= 0, x, (1 / 8 + 1 / 3) / 2 * x),
    ),
    "nrelu": (
        lambda **kw: su.NoisyReLU(**kw),
        lambda x, e, m: np.maximum(0.0, x + np.sqrt(sigmoid(x)) * e),
        lambda x, m: np.maximum(0.0, x),
    ),
    "rt_relu": (
        lambda **kw: su.RandomTranslationReLU(**kw),
        lambda x, a, m: np.maximum(0.0, x + a),
        lambda x, m: np.maximum(0.0, x),
    ),
    "rt_prelu": (
        lambda **kw: su.RandomTranslationPReLU(**kw),
        lambda x, b, m: np.where(x + b >= 0, x, 0.25 * x),
        lambda x, m: np.where(x >= 0, x, 0.25 * x),
    ),
    "elastic_relu": (
        lambda **kw: su.ElasticReLU(**kw),
        lambda x, k, m: np.where(x >= 0, k * x, 0.0),
        lambda x, m: np.maximum(0.0, x),
    ),
    "elastic_prelu": (
        lambda **kw: su.ElasticPReLU(**kw),
        lambda x, k, m: np.where(x >= 0, k * x, 0.25 * x),
        lambda x, m: np.where(x >= 0, x, 0.25 * x),
    ),
    "eelu": (
        lambda **kw: su.ElasticELU(**kw),
        lambda x, k, m: np.where(x >= 0, k * x, 0.25 * (np.exp(np.minimum(x, 0.0)) - 1)),
        lambda x, m: np.where(x >= 0, x, 0.25 * (np.exp(np.minimum(x, 0.0)) - 1)),
    ),
    "probact": (
        lambda **kw: su.ProbAct(sigma=0.3, **kw),
        lambda x, e, m: np.maximum(0.0, x) + float(m.sigma.detach()) * e,  # 0.3 stored in float32
        lambda x, m: np.maximum(0.0, x),
    ),
    "pats": (
        lambda **kw: su.PATS(**kw),
        lambda x, a, m: x * np.arctan(a * math.pi * sigmoid(x)),
        lambda x, m: x * np.arctan(5 / 8 * math.pi * sigmoid(x)),
    ),
    "noisy_tanh": (
        lambda **kw: su.NoisyActivation("hard_tanh", **kw),
        lambda x, e, m: noisy_ref(x, e, "hard_tanh", 1.15, 0.5, 1.0),
        lambda x, m: noisy_ref(x, 0.0, "hard_tanh", 1.15, 0.5, 1.0),
    ),
    "noisy_sigmoid": (
        lambda **kw: su.NoisyActivation("hard_sigmoid", **kw),
        lambda x, e, m: noisy_ref(x, e, "hard_sigmoid", 1.1, 0.15, 1.0),
        lambda x, m: noisy_ref(x, math.sqrt(2 / math.pi), "hard_sigmoid", 1.1, 0.15, 1.0),
    ),
    "rpau": (
        lambda **kw: su.RandomizedPAU(**kw),
        lambda x, f, m: pau_ref(
            x,
            m.pau.numerator.detach().double().numpy() * f["numerator"],
            m.pau.denominator.detach().double().numpy() * f["denominator"],
        ),
        lambda x, m: pau_ref(
            x, m.pau.numerator.detach().double().numpy(), m.pau.denominator.detach().double().numpy()
        ),
    ),
}


def _np(noise):
    if isinstance(noise, dict):
        return {k: v.double().numpy() for k, v in noise.items()}
    return noise.double().numpy()


def _x(shape=(64, 8), scale=3.0, seed=0):
    g = torch.Generator().manual_seed(seed)
    return scale * torch.randn(*shape, generator=g, dtype=torch.float64)


@pytest.mark.parametrize("name", CASES)
def test_training_output_is_the_formula_with_the_drawn_noise(name):
    make, train_ref, _ = CASES[name]
    m = make(seed=3).double().train()
    x = _x(scale=4.0)  # reaches the saturated regime of the hard units
    y = m(x)
    ref = train_ref(x.numpy(), _np(m.last_noise), m)
    np.testing.assert_allclose(y.detach().numpy(), ref, rtol=1e-12, atol=1e-12)
    assert y.shape == x.shape and y.dtype == x.dtype


@pytest.mark.parametrize("name", CASES)
def test_eval_is_deterministic_and_the_papers_test_time_rule(name):
    make, _, eval_ref = CASES[name]
    m = make(seed=3).double().eval()
    x = _x(scale=4.0)
    y1, y2 = m(x), m(x)
    assert torch.equal(y1, y2)
    np.testing.assert_allclose(y1.detach().numpy(), eval_ref(x.numpy(), m), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", CASES)
def test_same_seed_same_noise_and_fresh_draws_each_call(name):
    make = CASES[name][0]
    x = _x()
    a, b, c = make(seed=11).double(), make(seed=11).double(), make(seed=12).double()
    if name == "rpau":  # the same coefficients (the fit is deterministic), only the draws differ
        b.load_state_dict(a.state_dict())
        c.load_state_dict(a.state_dict())
    ya = [a(x) for _ in range(2)]
    yb = [b(x) for _ in range(2)]
    assert all(torch.equal(u, v) for u, v in zip(ya, yb))
    assert not torch.equal(ya[0], ya[1])
    assert not torch.equal(c(x), ya[0])
    a.manual_seed(11)
    assert torch.equal(a(x), ya[0])


@pytest.mark.parametrize("name", CASES)
def test_gradients_are_finite_and_match_finite_differences(name):
    make = CASES[name][0]
    m = make(seed=5).double()
    x = _x((6, 4), scale=2.0).requires_grad_(True)
    for mode in ("train", "eval"):
        getattr(m, mode)()

        def f(inp):
            m.manual_seed(5)  # the same draws at every evaluation
            return m(inp)

        assert torch.autograd.gradcheck(f, (x,), eps=1e-6, atol=1e-5)
        m.zero_grad()
        f(x).sum().backward()
        assert all(p.grad is None or torch.isfinite(p.grad).all() for p in m.parameters())


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("dtype", [torch.float16, torch.bfloat16, torch.float32])
def test_low_precision_keeps_dtype_and_stays_finite(name, dtype):
    m = CASES[name][0](seed=1)
    x = _x((32, 4), scale=5.0).to(dtype)
    for mode in ("train", "eval"):
        getattr(m, mode)()
        y = m(x)
        assert y.dtype == dtype and torch.isfinite(y).all()


def _draws(m, x, n):
    out = []
    for _ in range(n):
        m(x)
        out.append(m.last_noise.reshape(-1))
    return torch.cat(out).double()


@pytest.mark.parametrize(
    "make, mean, std",
    [
        (lambda: su.RReLU(seed=0), (1 / 8 + 1 / 3) / 2, (1 / 3 - 1 / 8) / math.sqrt(12)),
        (lambda: su.NoisyReLU(seed=0), 0.0, 1.0),
        (lambda: su.RandomTranslationReLU(seed=0), 0.0, 0.75),
        (lambda: su.RandomTranslationPReLU(seed=0), 0.0, 0.75),
        (lambda: su.ElasticReLU(0.2, seed=0), 1.0, 0.4 / math.sqrt(12)),
        (lambda: su.ElasticPReLU(0.3, seed=0), 1.0, 0.6 / math.sqrt(12)),
        (lambda: su.ProbAct(sigma=0.1, seed=0), 0.0, 1.0),
        (lambda: su.PATS(seed=0), 0.625, 0.25 / math.sqrt(12)),
        (lambda: su.NoisyActivation("hard_tanh", seed=0), 0.0, 1.0),
        (
            lambda: su.NoisyActivation("hard_sigmoid", seed=0),
            math.sqrt(2 / math.pi),
            math.sqrt(1 - 2 / math.pi),
        ),
    ],
)
def test_noise_statistics(make, mean, std):
    m = make().train()
    d = _draws(m, torch.zeros(200, 50), 4)  # 40000 draws
    n = d.numel()
    assert abs(d.mean().item() - mean) < 5 * std / math.sqrt(n)
    assert abs(d.std().item() / std - 1) < 0.03


def test_uniform_draws_stay_in_their_bounds():
    m = su.RReLU(0.1, 0.3, seed=0)
    d = _draws(m, torch.zeros(100, 100), 2)
    assert d.min() >= 0.1 and d.max() <= 0.3
    k = _draws(su.ElasticReLU(0.25, seed=0), torch.zeros(100, 100), 2)
    assert k.min() >= 0.75 and k.max() <= 1.25


def test_eelu_sigma_is_uniform_and_k_is_clipped_gaussian():
    m = su.ElasticELU(epsilon=0.2, seed=0).train()
    x = torch.zeros(50, 40)
    sigmas, ks = [], []
    for _ in range(400):
        m(x)
        sigmas.append(float(m.last_sigma))
        ks.append(m.last_noise)
    s = torch.tensor(sigmas, dtype=torch.float64)
    assert 0.0 <= s.min() and s.max() <= 0.2
    assert abs(s.mean().item() - 0.1) < 5 * (0.2 / math.sqrt(12)) / math.sqrt(400)
    k = torch.stack(ks).double()
    assert k.min() >= 0.0 and k.max() <= 2.0
    # each call's k has the std of its own sigma
    per_call = k.reshape(400, -1).std(dim=1)
    np.testing.assert_allclose(per_call.numpy(), s.numpy(), atol=0.02)


def test_rpau_factors_are_relative_and_uniform():
    m = su.RandomizedPAU(alpha=0.1, seed=0).train()
    m(torch.zeros(100, 50))
    f = m.last_noise
    assert f["numerator"].shape == (100, 50, 6) and f["denominator"].shape == (100, 50, 4)
    allf = torch.cat([f["numerator"].reshape(-1), f["denominator"].reshape(-1)]).double()
    assert allf.min() >= 0.9 and allf.max() <= 1.1
    assert abs(allf.mean().item() - 1.0) < 5 * (0.2 / math.sqrt(12)) / math.sqrt(allf.numel())


def test_neuron_granularity_shares_a_draw_across_the_batch():
    m = su.ElasticReLU(0.3, seed=2, granularity="neuron").train()
    x = torch.rand(16, 5, 3) + 0.1  # positive: y = k * x
    y = m(x)
    assert m.last_noise.shape == (1, 5, 3)
    k = y / x
    torch.testing.assert_close(k, k[:1].expand_as(k))
    assert k[0].unique().numel() > 1


def test_probact_learns_sigma_and_other_means():
    m = su.ProbAct(seed=0)
    assert isinstance(m.sigma, torch.nn.Parameter) and float(m.sigma.detach()) == 0.0
    x = torch.randn(64)
    m(x).pow(2).sum().backward()
    assert m.sigma.grad is not None and m.sigma.grad.abs().item() > 0
    fixed = su.ProbAct(sigma=0.2, trainable=False)
    assert not any(True for _ in fixed.parameters())
    silu = su.ProbAct("silu", sigma=0.5, seed=0).eval()
    torch.testing.assert_close(silu(x), x * torch.sigmoid(x))


def test_per_channel_parameters():
    m = su.ElasticPReLU(num_parameters=3, a=0.1).eval()
    with torch.no_grad():
        m.a.copy_(torch.tensor([0.1, 0.2, 0.3]))
    x = -torch.ones(2, 3, 4)
    torch.testing.assert_close(m(x)[0, :, 0], torch.tensor([-0.1, -0.2, -0.3]))
    with pytest.raises(ValueError, match="3 channels"):
        m(torch.ones(2, 4, 4))


def test_nrelu_fixed_std_option():
    m = su.NoisyReLU(std=0.5, seed=1).double()
    x = _x()
    y = m(x)
    np.testing.assert_allclose(y.numpy(), np.maximum(0, x.numpy() + 0.5 * m.last_noise.numpy()), rtol=1e-12)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: su.RReLU(lower=0.5, upper=0.2), "'lower'"),
        (lambda: su.RReLU(lower=-0.1), "'lower'"),
        (lambda: su.RReLU(upper=float("nan")), "'upper'"),
        (lambda: su.NoisyReLU(std=-1.0), "'std'"),
        (lambda: su.RandomTranslationReLU(sigma=-0.1), "'sigma'"),
        (lambda: su.RandomTranslationPReLU(sigma=-0.1), "'sigma'"),
        (lambda: su.RandomTranslationPReLU(num_parameters=0), "'num_parameters'"),
        (lambda: su.ElasticReLU(alpha=1.0), "'alpha'"),
        (lambda: su.ElasticPReLU(alpha=0.0), "'alpha'"),
        (lambda: su.ElasticELU(epsilon=-0.1), "'epsilon'"),
        (lambda: su.ProbAct(sigma=-1.0), "'sigma'"),
        (lambda: su.PATS(lower=0.8, upper=0.6), "'lower'"),
        (lambda: su.PATS(upper=1.5), "'upper'"),
        (lambda: su.NoisyActivation("tanh"), "'h'"),
        (lambda: su.NoisyActivation(c=-1.0), "'c'"),
        (lambda: su.RandomizedPAU(alpha=2.0), "'alpha'"),
        (lambda: su.ElasticReLU(seed=1.5), "'seed'"),
        (lambda: su.ElasticReLU(granularity="batch"), "granularity"),
    ],
)
def test_bad_arguments_raise_value_error_naming_them(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_rrelu_module_factory_builds_the_stochastic_unit_from_the_spec():
    spec = actlab.describe("rrelu")
    m = su.rrelu_module(spec, lower=0.2, upper=0.3, seed=4)
    assert isinstance(m, su.RReLU) and (m.lower, m.upper) == (0.2, 0.3)
    x = _x().float()
    torch.testing.assert_close(m.eval()(x), actlab.functional.rrelu(x, lower=0.2, upper=0.3))
    m.train()
    y = m(x)
    assert torch.equal(y, torch.where(x >= 0, x, m.last_noise * x))
    with pytest.raises(ValueError, match="'lower'"):
        su.rrelu_module(spec, lower=0.5, upper=0.2)
    with pytest.raises(ValueError, match="'trainable'"):
        su.rrelu_module(spec, trainable=True)


S_ROWS = {
    "NReLU": "nrelu",
    "RT-ReLU": "rt_relu",
    "EReLU": "elastic_relu",
    "EELU": "eelu",
    "EPReLU": "elastic_prelu",
    "RT-PReLU": "rt_prelu",
    "ProbAct": "probact",
    "PATS": "pats",
    "noisy AFs (Gulcehre)": "noisy_activation",
    "RPAU randomized": "rpau",
}


@pytest.mark.parametrize("row", S_ROWS)
def test_survey_s_rows_build_by_their_printed_name(row):
    from actlab.nn.registry import MODULE_SURVEY

    assert MODULE_SURVEY[row] == S_ROWS[row]
    m = actlab.get(row, seed=0)
    assert isinstance(m, su.SeededNoise)
    x = torch.randn(4, 3)
    assert m(x).shape == x.shape
    assert torch.equal(m.eval()(x), m(x))


def test_survey_s_rows_printed_abbreviations_resolve():
    for name, key in [
        ("EReLU", "elastic_relu"),
        ("RT-PReLU", "rt_prelu"),
        ("noisy activation", "noisy_activation"),
    ]:
        assert actlab.catalog.registry.resolve(name) == "module:" + key
    with pytest.raises(TypeError):
        actlab.get("EReLU", no_such_option=1)
