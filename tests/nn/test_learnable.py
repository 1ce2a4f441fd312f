"""The learnable form of catalog activations (actlab.get(name, trainable=True))."""

from __future__ import annotations

import math

import pytest
import torch
from torch import nn

import actlab
from actlab.catalog.registry import REGISTRY
from actlab.nn import LearnableActivation, VeLU

WITH_FLOATS = sorted(
    n
    for n, s in REGISTRY.items()
    if any(p.kind == "float" for p in s.params) and s.module is None  # own modules: helu, pau, velu, rrelu
)
SEEDS = ["prelu", "swish", "apa", "aglu", "xatlu", "xgelu", "xsilu", "snake", "elephant", "crrelu", "aptx"]


@pytest.mark.parametrize("name", WITH_FLOATS)
def test_learnable_form_starts_as_the_catalog_function(name):
    spec = REGISTRY[name]
    x = torch.randn(3, 5, 7, dtype=torch.float64) * 3
    scalar = actlab.get(name, trainable=True).double()
    # parameters are created in fp32 (the default dtype): compare with the fp32-rounded values
    rounded = {k: torch.tensor(v, dtype=torch.float32).tolist() if k in scalar.learned else v
               for k, v in spec.defaults.items()}  # fmt: skip
    ref = spec.fn(x, **{k: tuple(v) if isinstance(v, list) else v for k, v in rounded.items()})
    tol = 1e-6 if scalar.log_scale else 1e-10  # exp(log θ) rounds θ once more
    torch.testing.assert_close(scalar(x), ref, rtol=tol, atol=tol, equal_nan=True)
    if scalar.vectors:  # learned coefficient vectors: one per layer, never per channel
        for v in scalar.vectors:
            assert getattr(scalar, scalar._storage(v)).shape == (len(spec.defaults[v]),)
        with pytest.raises(ValueError, match="per-channel"):
            actlab.get(name, trainable=True, num_parameters=5, channel_dim=1)
        return
    per_channel = actlab.get(name, trainable=True, num_parameters=5, channel_dim=1).double()
    torch.testing.assert_close(per_channel(x), ref, rtol=tol, atol=tol, equal_nan=True)
    for p in per_channel.parameters():
        assert p.shape == (5,)


def test_which_parameters_learn():
    assert actlab.get("prelu", trainable=True).learned == ("a",)
    assert actlab.get("apa", trainable=True).learned == ("lambd", "kappa")
    elephant = actlab.get("elephant", trainable=True)
    assert elephant.learned == ("sigma", "h") and elephant.fixed == {"d": 2}
    # official Elephant code learns log sigma and log h
    assert {n for n, _ in elephant.named_parameters()} == {"log_sigma", "log_h"}
    # nothing marked trainable in the original work (GoLU): every float parameter learns
    assert actlab.get("golu", trainable=True).learned == ("alpha", "beta", "gamma")
    assert actlab.get("golu", trainable=True, learn="gamma").learned == ("gamma",)
    with pytest.raises(TypeError, match="unknown parameter 'zeta'"):
        actlab.get("golu", trainable=True, learn=["zeta"])
    with pytest.raises(TypeError, match="'d' is int"):
        actlab.get("elephant", trainable=True, learn=["d"])
    with pytest.raises(ValueError, match="must be in"):
        actlab.get("snake", trainable=True, a=-1.0)


def test_snake_log_scale_option():
    plain = actlab.get("snake", trainable=True, a=2.0)
    logged = actlab.get("snake", trainable=True, a=2.0, log_scale=True)
    assert [n for n, _ in plain.named_parameters()] == ["a"]
    assert [n for n, _ in logged.named_parameters()] == ["log_a"]
    assert math.isclose(logged.log_a.item(), math.log(2.0), rel_tol=1e-6)
    x = torch.linspace(-4, 4, 101)
    torch.testing.assert_close(logged(x), plain(x))
    with torch.no_grad():
        logged.log_a.fill_(-50.0)  # a = e^-50 > 0: still inside the valid range
    assert logged.param_value("a") > 0


def test_values_are_kept_in_the_valid_range():
    apa = actlab.get("aglu", trainable=True)
    with torch.no_grad():
        apa.lambd.fill_(-3.0)
    assert apa.param_value("lambd").item() == pytest.approx(1e-4)  # official clamp(min=1e-4)
    x = torch.linspace(-5, 5, 11, requires_grad=True)
    y = apa(x)
    y.sum().backward()
    assert torch.isfinite(y).all() and torch.isfinite(x.grad).all()
    xatlu = actlab.get("xatlu", trainable=True)  # alpha in (-0.5, inf)
    with torch.no_grad():
        xatlu.alpha.fill_(-2.0)
    assert -0.5 < xatlu.param_value("alpha").item() < -0.49


def test_per_channel_parameters_follow_channel_dim():
    images = actlab.get("prelu", trainable=True, num_parameters=3)  # channel_dim=1, like nn.PReLU
    ref = nn.PReLU(3)
    with torch.no_grad():
        images.a.copy_(torch.tensor([0.1, -0.5, 2.0]))
        ref.weight.copy_(images.a)
    x = torch.randn(2, 3, 4, 4)
    torch.testing.assert_close(images(x), ref(x))
    seq = actlab.get("prelu", trainable=True, num_parameters=4, channel_dim=-1)
    with torch.no_grad():
        seq.a.copy_(torch.tensor([0.0, 1.0, -1.0, 0.5]))
    z = -torch.ones(2, 7, 4)
    assert seq(z)[0, 0].tolist() == [0.0, -1.0, 1.0, -0.5]
    with pytest.raises(ValueError, match="channels"):
        seq(torch.randn(2, 7, 5))


@pytest.mark.parametrize("name", SEEDS)
def test_seed_activations_learn_their_parameters(name):
    """Fit the learnable form to the same function with other parameter values: the loss falls."""
    spec = REGISTRY[name]
    student = actlab.get(name, trainable=True)
    target = {n: spec.defaults[n] * 1.5 + 0.3 for n in student.learned}
    x = torch.linspace(-3, 3, 257)
    y = spec.fn(x, **{**spec.defaults, **target})
    opt = torch.optim.Adam(student.parameters(), lr=0.05)
    first = None
    for _ in range(80):
        opt.zero_grad()
        loss = (student(x) - y).pow(2).mean()
        loss.backward()
        for p in student.parameters():
            assert p.grad is not None and torch.isfinite(p.grad).all()
        opt.step()
        first = loss.item() if first is None else first
    assert loss.item() < 0.2 * first, f"{name}: {first:.3g} -> {loss.item():.3g}"


def test_velu_learns_lambda_only_and_exposes_its_aux_loss():
    velu = actlab.get("velu", trainable=True)
    assert isinstance(velu, VeLU) and [n for n, _ in velu.named_parameters()] == ["lambda_"]
    spec = REGISTRY["velu"]
    x = torch.randn(6, 10, dtype=torch.float64) * 2
    velu = velu.double()
    with torch.no_grad():
        velu.lambda_.fill_(1.7)
    y = velu(x)
    a = spec.fn(x, **{**spec.defaults, "lambda_": 1.0})
    torch.testing.assert_close(y, 1.7 * a)
    # lambda_OT * [(mean - 0)^2 + (std - 1)^2], population std over every element (Keras add_loss)
    expected = 0.1 * (a.mean() ** 2 + (a.std(correction=0) - 1) ** 2)
    torch.testing.assert_close(velu.aux_loss(), expected)
    assert actlab.get("velu", trainable=True, lambda_ot=0.5).lambda_ot == 0.5
    # the aux loss trains what feeds VeLU
    lin = nn.Linear(10, 10).double()
    velu(lin(x))
    velu.aux_loss().backward()
    assert lin.weight.grad is not None and lin.weight.grad.abs().sum() > 0
    with pytest.raises(RuntimeError, match="forward pass first"):
        actlab.get("velu", trainable=True).aux_loss()


def test_learnable_module_repr_and_type():
    m = actlab.get("xsilu", trainable=True, num_parameters=8, channel_dim=-1)
    assert isinstance(m, LearnableActivation)
    assert "xsilu" in repr(m) and "num_parameters=8" in repr(m)


def test_prelu_single_layer_solves_xor():
    """Pinto & Tavares 2024 ("PReLU: Yet Another Single-Layer Solution to the XOR Problem",
    arXiv 2409.10821): y = PReLU(w1 x1 + w2 x2) has three learnable parameters (w1, w2, a) and
    solves XOR; with a = -1 it computes |w1 x1 + w2 x2|. Setting as in the paper: inputs in
    {-1, 1}, targets in {0, 1}, Adam for 300 epochs of the 4 points. Every seed and learning rate
    tried must reach 100 % accuracy (we measured 100/100 seeds at each of lr 0.01, 0.03, 0.1, 0.3,
    1.0). With inputs in {0, 1} and no bias, plain gradient descent fails for about 40 % of the
    initialisations, so that encoding is not used here."""
    x = torch.tensor([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]])
    y = torch.tensor([[0.0], [1.0], [1.0], [0.0]])
    for lr, seeds in ((0.01, range(5)), (0.1, range(5, 20)), (1.0, range(20, 25))):
        for seed in seeds:
            torch.manual_seed(seed)
            net = nn.Sequential(nn.Linear(2, 1, bias=False), actlab.get("prelu", trainable=True))
            assert sum(p.numel() for p in net.parameters()) == 3
            opt = torch.optim.Adam(net.parameters(), lr=lr)
            for _ in range(300):
                opt.zero_grad()
                loss = (net(x) - y).pow(2).mean()
                loss.backward()
                opt.step()
            out = net(x).detach()
            assert torch.equal((out > 0.5).float(), y), f"lr={lr} seed={seed}: {out.flatten().tolist()}"
            assert loss.item() < 1e-3
            assert net[1].a.item() < 0  # the solution needs a negative slope (|z| at a = -1)


def test_unregistered_spec_is_accepted():
    """The search package builds learnable modules from specs that are not in the registry."""
    from actlab.catalog.spec import ActivationSpec, Citation, Param
    from actlab.nn.learnable import learnable

    spec = ActivationSpec(
        name="scaled_tanh_tmp",
        family="sigmoidal",
        fn=lambda x, c=2.0: c * torch.tanh(x),
        formula_latex=r"c \tanh x",
        formula_text="c * tanh(x)",
        citation=Citation(authors="Test, A.", title="none", year=2024),
        params=(Param("c", 2.0),),
    )
    m = learnable(spec, c=3.0)
    x = torch.linspace(-2, 2, 9)
    torch.testing.assert_close(m(x), 3.0 * torch.tanh(x))
    assert "scaled_tanh_tmp" not in REGISTRY and m.learned == ("c",)
