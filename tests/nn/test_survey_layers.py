"""The survey's non-elementwise rows as layers: each forward against an independent numpy
evaluation of its paper's formula, shapes, gradients, bad arguments, and the survey coverage of
the S and N rows (every one a module reachable by its printed name, or listed with a reason).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

import actlab
from actlab.catalog.survey import UNIMPLEMENTED
from actlab.nn import dynamic, softmax_variants
from actlab.nn import survey_layers as sl
from actlab.nn.registry import MODULE_SURVEY
from tests.catalog.test_names import survey_rows


def relu(x):
    return np.maximum(x, 0.0)


def elu(x, a=1.0):
    return np.where(x > 0, x, a * (np.exp(np.minimum(x, 0.0)) - 1))


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def rnd(*shape, seed=0, scale=2.0):
    g = torch.Generator().manual_seed(seed)
    return scale * torch.randn(*shape, generator=g, dtype=torch.float64)


def close(y, ref, tol=1e-12):
    np.testing.assert_allclose(y.detach().numpy(), ref, rtol=tol, atol=tol)


# ------------------------------------------------------------------------------------- softmax family


def test_softmax_beta_softmax_sqmax():
    z = rnd(5, 7)
    zn = z.numpy()
    e = np.exp(zn - zn.max(-1, keepdims=True))
    close(softmax_variants.Softmax()(z), e / e.sum(-1, keepdims=True))
    b = softmax_variants.BetaSoftmax(beta=2.5).double()
    beta = float(b.beta)  # 2.5 as stored (log beta in float32)
    assert beta == pytest.approx(2.5, rel=1e-6)
    e2 = np.exp(beta * (zn - zn.max(-1, keepdims=True)))
    close(b(z), e2 / e2.sum(-1, keepdims=True))
    sq = softmax_variants.SQMAX()(z)
    s = (zn + 4.0) ** 2
    close(sq, s / s.sum(-1, keepdims=True))
    colwise = softmax_variants.SQMAX(c=1.0, dim=0)(z)
    s1 = (zn + 1.0) ** 2
    close(colwise, s1 / s1.sum(0, keepdims=True))
    # huge logits: no overflow
    assert torch.isfinite(softmax_variants.BetaSoftmax(10.0)(torch.tensor([1e4, 0.0]))).all()
    tb = softmax_variants.BetaSoftmax(2.0, trainable=True)
    tb(torch.randn(3, 4)).mul(torch.randn(3, 4)).sum().backward()
    assert tb.log_beta.grad is not None
    with pytest.raises(ValueError, match="'beta'"):
        softmax_variants.BetaSoftmax(beta=0.0)
    with pytest.raises(ValueError, match="'c'"):
        softmax_variants.SQMAX(c=float("inf"))


# ------------------------------------------------------------------------------------- concatenating


def test_crelu_ncrelu_double_the_channel_dim():
    x = rnd(2, 3, 4)
    xn = x.numpy()
    close(sl.CReLU()(x), np.concatenate([relu(xn), relu(-xn)], axis=1))
    close(sl.NCReLU()(x), np.concatenate([relu(xn), -relu(-xn)], axis=1))
    assert sl.CReLU(dim=-1)(x).shape == (2, 3, 8)
    with pytest.raises(ValueError, match="'dim'"):
        sl.CReLU(dim=3)(x)


def test_baf_alternates_by_neuron_parity():
    x = rnd(4, 6, 2)
    xn = x.numpy()
    ref = xn.copy()
    ref[:, 0::2] = relu(xn[:, 0::2])
    ref[:, 1::2] = -relu(-xn[:, 1::2])
    close(sl.BipolarActivation()(x), ref)
    refe = xn.copy()
    refe[:, 0::2] = elu(xn[:, 0::2])
    refe[:, 1::2] = -elu(-xn[:, 1::2])
    close(sl.BipolarActivation("elu")(x), refe)
    with pytest.raises(LookupError):
        sl.BipolarActivation("no_such_activation")


def test_paired_relu_and_multi_bias():
    x = rnd(3, 2, 5)
    xn = x.numpy()
    close(sl.PairedReLU().double()(x), np.concatenate([relu(0.5 * xn), relu(-0.5 * xn)], axis=1))
    p = sl.PairedReLU(num_parameters=2).double()
    with torch.no_grad():
        p.b.copy_(torch.tensor([0.1, -0.2]))
    ref_b = relu(0.5 * xn - p.b.detach().numpy()[None, :, None])
    close(p(x)[:, :2], ref_b)
    m = sl.MultiBiasActivation(2, k=3).double()
    y = m(x)
    assert y.shape == (3, 6, 5)
    b = m.bias.detach().numpy()
    for c in range(2):
        for k in range(3):
            close(y[:, c * 3 + k], relu(xn[:, c] + b[c, k]))
    with pytest.raises(ValueError, match=r"\(N, 2, \*\)"):
        m(rnd(3, 4, 5))
    with pytest.raises(ValueError, match="'k'"):
        sl.MultiBiasActivation(2, k=0)


def test_maxout_activation_and_layer():
    x = rnd(4, 6, 3)
    xn = x.numpy()
    close(sl.Maxout(pieces=3)(x), xn.reshape(4, 2, 3, 3).max(axis=2))
    layer = sl.Maxout(pieces=2, in_features=5, out_features=3).double()
    v = rnd(7, 5)
    w, b = layer.linear.weight.detach().numpy(), layer.linear.bias.detach().numpy()
    z = v.numpy() @ w.T + b
    close(layer(v), z.reshape(7, 3, 2).max(axis=2))
    with pytest.raises(ValueError, match="multiple of pieces"):
        sl.Maxout(pieces=4)(x)
    with pytest.raises(ValueError, match="'in_features'"):
        sl.Maxout(in_features=3)
    with pytest.raises(ValueError, match="'pieces'"):
        sl.Maxout(pieces=0)


# ------------------------------------------------------------------------------------- pairs


def test_dual_units_oplu_and_gtu_take_pairs_of_channels():
    x = rnd(3, 4, 5)
    a, b = x.numpy()[:, :2], x.numpy()[:, 2:]
    close(sl.DualReLU()(x), relu(a) - relu(b))
    close(sl.DualELU(alpha=0.5)(x), elu(a, 0.5) - elu(b, 0.5))
    y = sl.OPLU()(x)
    close(y, np.concatenate([np.maximum(a, b), np.minimum(a, b)], axis=1))
    torch.testing.assert_close(y.norm(dim=1), x.norm(dim=1))  # norm preserving
    g = sl.GatedTanhUnit(dim=1)(x)
    close(g, np.tanh(a) * sigmoid(b))
    for mod in (sl.DualReLU(), sl.DualELU(), sl.OPLU(), sl.GatedTanhUnit(dim=1)):
        with pytest.raises(ValueError, match="even size"):
            mod(rnd(2, 3, 4))


def test_kaf2d_is_a_gaussian_kernel_expansion_over_pairs():
    m = sl.KAF2D(4).double()
    x = rnd(5, 4, 3, scale=1.5)
    y = m(x)
    assert y.shape == (5, 2, 3)
    grid = np.linspace(-3.0, 3.0, 10)
    gx, gy = np.meshgrid(grid, grid)  # x varies along columns
    np.testing.assert_allclose(m.dict_x.numpy(), gx.ravel(), atol=1e-6)
    np.testing.assert_allclose(m.dict_y.numpy(), gy.ravel(), atol=1e-6)
    dx, dy = m.dict_x.numpy(), m.dict_y.numpy()  # the grid as stored (float32 values)
    step = grid[1] - grid[0]
    gamma = 0.5 / (2 * step / math.sqrt(2)) ** 2
    alpha = m.alpha.detach().numpy()
    xn = x.numpy()
    ref = np.zeros((5, 2, 3))
    for i in range(2):
        z, zp = xn[:, i], xn[:, i + 2]
        k = np.exp(-gamma * ((z[..., None] - dx) ** 2 + (zp[..., None] - dy) ** 2))
        ref[:, i] = (k * alpha[i]).sum(-1)
    close(y, ref)
    with pytest.raises(ValueError, match="'num_features'"):
        sl.KAF2D(3)
    with pytest.raises(ValueError, match="size 4"):
        m(rnd(5, 6, 3))


# ------------------------------------------------------------------------------------- parity / schedules


def test_alternating_repu_by_epoch_and_its_test_time_mean():
    x = rnd(50)
    xn = x.numpy()
    m = sl.AlternatingRePU(b=1.2)
    close(m.set_epoch(1)(x), relu(xn) ** 1.2)
    close(m.set_epoch(2)(x), relu(xn) ** (1 / 1.2))
    close(m.eval()(x), 0.5 * (relu(xn) ** 1.2 + relu(xn) ** (1 / 1.2)))
    z = torch.tensor([0.0, 1.0], dtype=torch.float64, requires_grad=True)
    m.train().set_epoch(2)(z).sum().backward()
    assert torch.isfinite(z.grad).all() and z.grad[0] == 0
    with pytest.raises(ValueError, match="'b'"):
        sl.AlternatingRePU(b=1.0)
    with pytest.raises(ValueError, match="'epoch'"):
        m.set_epoch(0)


def test_all_relu_sign_follows_layer_parity():
    x = rnd(30)
    xn = x.numpy()
    close(sl.AllReLU(a=0.3, layer_index=1)(x), np.where(xn > 0, xn, 0.3 * xn))
    close(sl.AllReLU(a=0.3, layer_index=2)(x), np.where(xn > 0, xn, -0.3 * xn))
    with pytest.raises(ValueError, match="'layer_index'"):
        sl.AllReLU(layer_index=-1)


def test_dlrelu_follows_the_error_schedule():
    x = rnd(30)
    xn = x.numpy()
    m = sl.DLReLU(a=0.1)
    close(m(x), np.where(xn >= 0, xn, 0.1 * xn))
    close(m.update(0.4)(x), np.where(xn >= 0, xn, 0.1 * 0.4 * xn))
    e = sl.exp_dlrelu(a=0.1)
    close(e(x), np.where(xn >= 0, xn, 0.1 * xn))
    close(e.update(0.4)(x), np.where(xn >= 0, xn, 0.1 * math.exp(-0.4) * xn))
    fresh = sl.DLReLU(a=0.1)
    fresh.load_state_dict(m.state_dict())  # the schedule is saved with the model
    assert fresh.error == 0.4
    with pytest.raises(ValueError, match="'error'"):
        m.update(-1.0)
    with pytest.raises(ValueError, match="'a'"):
        sl.DLReLU(a=1.5)


# ------------------------------------------------------------------------------------- data-dependent


def test_abrelu_aoaf_midpoint_use_the_stated_statistics():
    x = rnd(3, 2, 4, 4)
    xn = x.numpy()
    mean = xn.mean(axis=(2, 3), keepdims=True)
    close(sl.ABReLU()(x), relu(xn - mean))
    close(sl.AOAF()(x), relu(xn - 0.17 * mean) + 0.17 * mean)
    dense = rnd(8, 5)
    dn = dense.numpy()
    close(sl.ABReLU()(dense), relu(dn - dn.mean(0, keepdims=True)))
    t = 0.5 * (xn.min(axis=(0, 2, 3), keepdims=True) + xn.max(axis=(0, 2, 3), keepdims=True))
    close(sl.MidpointReLU()(x), np.maximum(xn, t))
    # the survey's example: inputs in [-4, 8] give the threshold 2
    v = torch.tensor([[-4.0], [8.0], [1.0], [3.0]])
    assert sl.MidpointReLU()(v).flatten().tolist() == [2.0, 8.0, 2.0, 3.0]
    m = sl.ABReLU().eval()
    assert torch.equal(m(x), m(x))


# ------------------------------------------------------------------------------------- adaptive


def test_n_activation_wig_hcaf():
    x = rnd(40)
    xn = x.numpy()
    ref = np.where(xn < -0.5, xn + 1.0, np.where(xn > 0.5, xn - 1.0, -xn))
    close(sl.NActivation().double()(x), ref)
    n = sl.NActivation().double()
    with torch.no_grad():
        n.a.fill_(0.7)
        n.b.fill_(-0.2)  # a > b: the thresholds are min/max
    close(n(x), np.where(xn < -0.2, xn + 0.4, np.where(xn > 0.7, xn - 1.4, -xn)))
    wig = sl.WiG(3, dim=1).double()
    v = rnd(4, 3, 5)
    close(wig(v), v.numpy() * sigmoid(v.numpy()))  # starts as SiLU
    with torch.no_grad():
        wig.gate.weight.copy_(rnd(3, 3, seed=1))
        wig.gate.bias.copy_(rnd(3, seed=2))
    w, b = wig.gate.weight.detach().numpy(), wig.gate.bias.detach().numpy()
    vn = v.numpy()
    pre = np.einsum("ij,njk->nik", w, vn) + b[None, :, None]
    close(wig(v), vn * sigmoid(pre))
    with pytest.raises(ValueError, match="size 3"):
        wig(rnd(4, 2, 5))
    h = sl.HCAF(outputs=4)(x)
    assert h.shape == (40, 4)
    c = sigmoid(xn)
    for j in range(4):
        c = 4.0 * c * (1 - c)
        close(h[:, j], c)
    with pytest.raises(ValueError, match="'r'"):
        sl.HCAF(3, r=4.5)


def test_funnel_and_scaa_take_the_max_with_a_depthwise_condition():
    torch.manual_seed(0)
    f = sl.FunnelActivation(3).double().eval()
    with torch.no_grad():
        f.bn.running_mean.copy_(torch.tensor([0.1, -0.2, 0.3]))
        f.bn.running_var.copy_(torch.tensor([1.5, 0.5, 2.0]))
    x = rnd(2, 3, 5, 6)
    xn = x.numpy()
    w = f.conv.weight.detach().numpy()[:, 0]  # (C, 3, 3)
    pad = np.pad(xn, ((0, 0), (0, 0), (1, 1), (1, 1)))
    conv = np.zeros_like(xn)
    for i in range(3):
        for j in range(3):
            conv += w[None, :, i, j, None, None] * pad[:, :, i : i + 5, j : j + 6]
    rm, rv = f.bn.running_mean.numpy(), f.bn.running_var.numpy()
    gw, gb = f.bn.weight.detach().numpy(), f.bn.bias.detach().numpy()
    t = (conv - rm[None, :, None, None]) / np.sqrt(rv[None, :, None, None] + f.bn.eps)
    t = t * gw[None, :, None, None] + gb[None, :, None, None]
    close(f(x), np.maximum(xn, t), tol=1e-10)
    s = sl.scaa(3).double()
    s.conv.load_state_dict(f.conv.state_dict())
    close(s(x), np.maximum(xn, conv), tol=1e-10)
    with pytest.raises(ValueError, match="'kernel_size'"):
        sl.FunnelActivation(3, kernel_size=4)
    with pytest.raises(ValueError, match=r"\(N, 3, H, W\)"):
        f(rnd(2, 3, 5))


# ------------------------------------------------------------------------------------- dynamic


def test_dy_relu_piecewise_max_with_hyper_coefficients():
    torch.manual_seed(0)
    m = dynamic.DYReLU(8, k=2, reduction=4).double()
    x = rnd(3, 8, 4, 4)
    xn = x.numpy()
    ctx = xn.mean(axis=(2, 3))
    l1, l2 = m.hyper[0], m.hyper[2]
    h = relu(ctx @ l1.weight.detach().numpy().T + l1.bias.detach().numpy())
    theta = 2 * sigmoid(h @ l2.weight.detach().numpy().T + l2.bias.detach().numpy()) - 1
    theta = theta.reshape(3, 8, 2, 2)
    a = np.array([1.0, 0.0]) + 1.0 * theta[:, :, 0]
    b = 0.5 * theta[:, :, 1]
    lines = xn[..., None] * a[:, :, None, None, :] + b[:, :, None, None, :]
    close(m(x), lines.max(-1))
    va = dynamic.DYReLU(8, variant="A").double()
    assert va(x).shape == x.shape and va.coefficients(x)[0].shape == (3, 1, 2)
    # zero hyper-function output: starts exactly as ReLU (a = (1, 0), b = 0 after 2*sigmoid(0)-1 = 0)
    z = dynamic.DYReLU(8).double()
    for p in z.hyper[2].parameters():
        torch.nn.init.zeros_(p)
    close(z(x), relu(xn))
    with pytest.raises(ValueError, match="'variant'"):
        dynamic.DYReLU(8, variant="C")
    with pytest.raises(ValueError, match=r"\(N, 8, \*\)"):
        m(rnd(3, 4, 2))


def test_meta_acon_switching_factor_from_the_input():
    torch.manual_seed(0)
    m = dynamic.MetaACON(4, r=2).double()
    with torch.no_grad():
        m.p1.copy_(torch.tensor([1.0, 0.5, 2.0, -1.0]))
        m.p2.copy_(torch.tensor([0.0, 0.1, -0.3, 0.2]))
    x = rnd(2, 4, 3, 3)
    xn = x.numpy()
    ctx = xn.mean(axis=(2, 3))
    hid = ctx @ m.fc2.weight.detach().numpy().T + m.fc2.bias.detach().numpy()
    beta = sigmoid(hid @ m.fc1.weight.detach().numpy().T + m.fc1.bias.detach().numpy())[:, :, None, None]
    p1 = m.p1.detach().numpy()[None, :, None, None]
    p2 = m.p2.detach().numpy()[None, :, None, None]
    dpx = (p1 - p2) * xn
    close(m(x), dpx * sigmoid(beta * dpx) + p2 * xn)
    with pytest.raises(ValueError, match="'channels'"):
        dynamic.MetaACON(0)


# ------------------------------------------------------------------------------------- gradients


LAYERS = {
    "crelu": (lambda: sl.CReLU(), (3, 4)),
    "baf": (lambda: sl.BipolarActivation("elu"), (3, 4)),
    "paired_relu": (lambda: sl.PairedReLU(4), (3, 4)),
    "mba": (lambda: sl.MultiBiasActivation(4, k=2), (3, 4)),
    "maxout": (lambda: sl.Maxout(in_features=4, out_features=2), (3, 4)),
    "dual_elu": (lambda: sl.DualELU(), (3, 4)),
    "oplu": (lambda: sl.OPLU(), (3, 4)),
    "kaf2d": (lambda: sl.KAF2D(4), (3, 4)),
    "gtu": (lambda: sl.GatedTanhUnit(), (3, 4)),
    "alternating_repu": (lambda: sl.AlternatingRePU(), (3, 4)),
    "aoaf": (lambda: sl.AOAF(), (3, 4, 2)),
    "n_activation": (lambda: sl.NActivation(4), (3, 4)),
    "wig": (lambda: sl.WiG(4), (3, 4)),
    "hcaf": (lambda: sl.HCAF(3), (3, 4)),
    "funnel": (lambda: sl.FunnelActivation(2).eval(), (2, 2, 3, 3)),
    "dy_relu": (lambda: dynamic.DYReLU(4, reduction=2), (3, 4, 2)),
    "meta_acon": (lambda: dynamic.MetaACON(4, r=2), (3, 4, 2)),
    "sqmax": (lambda: softmax_variants.SQMAX(), (3, 4)),
    "beta_softmax": (lambda: softmax_variants.BetaSoftmax(1.5, trainable=True), (3, 4)),
}


@pytest.mark.parametrize("name", LAYERS)
def test_layer_gradients_match_finite_differences(name):
    make, shape = LAYERS[name]
    torch.manual_seed(0)
    m = make().double()
    x = rnd(*shape, seed=3).requires_grad_(True)
    assert torch.autograd.gradcheck(m, (x,), eps=1e-6, atol=1e-5)
    m(x).pow(2).sum().backward()
    assert all(p.grad is None or torch.isfinite(p.grad).all() for p in m.parameters())


@pytest.mark.parametrize("name", LAYERS)
def test_layers_run_in_float32_and_keep_shape_dtype(name):
    make, shape = LAYERS[name]
    m = make()
    y = m(torch.randn(*shape))
    assert y.dtype == torch.float32 and torch.isfinite(y).all()


# ------------------------------------------------------------------------------------- names / survey

# rows of kind S or N this work leaves out (the lead lists them in catalog/survey.py)

BUILD_KWARGS = {
    "GLU": {"d_model": 8},
    "ReGLU": {"d_model": 8},
    "GEGLU": {"d_model": 8},
    "SwiGLU": {"d_model": 8},
    "k-WTA": {"k": 2},
    "MBA multi-bias": {"channels": 4},
    "2D-KAF": {"num_features": 4},
    "WiG": {"features": 4},
    "HCAF": {"outputs": 3},
    "FunPReLU": {"channels": 4},
    "SCAA": {"channels": 4},
    "DY-ReLU": {"channels": 4, "reduction": 2},
    "meta-ACON": {"channels": 4, "r": 2},
}


def _sn_rows():
    return [r for r in survey_rows() if r["kind"] in ("S", "N")]


def test_survey_every_s_and_n_row_is_a_module_or_listed_with_a_reason():
    covered_by_specs = {s for n in actlab.available() for s in actlab.describe(n).survey}
    known = set(MODULE_SURVEY) | set(UNIMPLEMENTED) | covered_by_specs
    missing = [r["name"] for r in _sn_rows() if r["name"] not in known]
    assert not missing, missing
    assert not set(UNIMPLEMENTED) & set(MODULE_SURVEY)


@pytest.mark.parametrize("row", [r["name"] for r in _sn_rows() if r["name"] in MODULE_SURVEY])
def test_survey_row_builds_by_its_printed_name(row):
    m = actlab.get(row, **BUILD_KWARGS.get(row, {}))
    assert isinstance(m, torch.nn.Module)
    assert actlab.catalog.registry.resolve(row) == "module:" + MODULE_SURVEY[row]


def test_survey_gated_rows_are_gated_ffn_blocks():
    for row, gate in [("GLU", "sigmoid"), ("ReGLU", "relu"), ("GEGLU", "gelu"), ("SwiGLU", "silu")]:
        m = actlab.get(row, d_model=8, d_ff=16)
        assert isinstance(m, actlab.nn.GatedFFN) and m.gate_name == gate and m.d_ff == 16
    kw = actlab.get("k-WTA", k=2)
    assert kw(torch.tensor([[3.0, -1.0, 2.0, 0.5]])).tolist() == [[3.0, 0.0, 2.0, 0.0]]


def test_survey_ambiguous_abbreviations_raise_listing_the_candidates():
    from actlab.catalog.registry import AmbiguousActivationError, resolve

    with pytest.raises(AmbiguousActivationError, match="funnel_relu"):
        resolve("FReLU")
    with pytest.raises(AmbiguousActivationError, match="midpoint_relu") as e:
        resolve("dynamic ReLU")
    assert "dy_relu" in str(e.value)
