"""Generated Triton kernels, run on the CPU through Triton's interpreter (TRITON_INTERPRET=1)."""

from __future__ import annotations

import pytest
import torch

from actlab.catalog.registry import REGISTRY
from actlab.catalog.spec import ActivationSpec, Citation
from actlab.kernels.dispatch import BackendUnavailable, apply, glu, kernels_for
from actlab.kernels.lean import mask_fn, pack_bits, packed_size
from tests.kernels.conftest import REPRESENTATIVE, SavedBytes, check_close, declared_grad, inputs

pytestmark = [
    pytest.mark.usefixtures("interpret"),
    # numpy, inside Triton's interpreter, warns where a kernel divides 0/0 (as CUDA silently does)
    pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning"),
]


def test_representative_set_is_large_enough():
    assert len(REPRESENTATIVE) >= 10, REPRESENTATIVE


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16], ids=["fp32", "bf16"])
@pytest.mark.parametrize("name", REPRESENTATIVE)
def test_triton_values_grads_and_saved_bytes(name, dtype):
    spec = REGISTRY[name]
    params = spec.defaults
    x, dy = inputs(spec, dtype, n=2053)  # not a multiple of 8 or of the block
    kernels_for("triton", spec, params, dtype, x.device)  # build first: tracing saves (fake) tensors too
    with SavedBytes() as saved:
        y = apply(spec, params, x, "triton")
    (g,) = torch.autograd.grad(y, x, dy)
    check_close(y, spec(x.detach()), dtype, f"{name} value")
    check_close(g, declared_grad(spec, params, x, dy), dtype, f"{name} grad")
    if spec.grad_mask is not None:
        assert saved.total == packed_size(x.numel())
    else:
        assert saved.total == x.numel() * x.element_size()


@pytest.mark.parametrize("dtype", [torch.float64, torch.float16], ids=["fp64", "fp16"])
@pytest.mark.parametrize("name", [n for n in ("gelu_tanh", "golu", "relu") if n in REGISTRY])
def test_triton_other_dtypes(name, dtype):
    spec = REGISTRY[name]
    x, dy = inputs(spec, dtype, n=700)
    y = apply(spec, spec.defaults, x, "triton")
    (g,) = torch.autograd.grad(y, x, dy)
    check_close(y, spec(x.detach()), dtype, f"{name} value")
    check_close(g, declared_grad(spec, spec.defaults, x, dy), dtype, f"{name} grad")


@pytest.mark.parametrize("name", [n for n in ("relu", "hardtanh", "helu") if n in REGISTRY])
def test_triton_packed_mask_is_bit_exact(name):
    spec = REGISTRY[name]
    x = torch.randn(1029) * 2
    k = kernels_for("triton", spec, spec.defaults, x.dtype, x.device)
    y, packed = k.forward(x, True)
    assert torch.equal(packed, pack_bits(mask_fn(spec, spec.defaults)(x)))
    torch.testing.assert_close(y, spec(x))


def test_triton_nan_and_empty_inputs():
    spec = REGISTRY["relu"]
    x = torch.tensor([float("nan"), -1.0, 2.0], requires_grad=True)
    y = apply(spec, {}, x, "triton")
    assert torch.isnan(y[0]) and y[1] == 0 and y[2] == 2
    e = torch.empty(0, requires_grad=True)
    assert apply(spec, {}, e, "triton").shape == (0,)


def _spec(name: str, fn) -> ActivationSpec:
    return ActivationSpec(
        name=name,
        family="self_gated",
        fn=fn,
        formula_latex="",
        formula_text="",
        citation=Citation("test", "test", 2024),
    )


def test_untranslatable_op_is_reported_and_auto_falls_back(tmp_path, monkeypatch):
    spec = _spec("cumulative", lambda x: torch.cumsum(x, 0))  # not elementwise math: no translation
    x = torch.randn(10, requires_grad=True)
    with pytest.raises(BackendUnavailable, match="cumsum"):
        apply(spec, {}, x, "triton")
    path = tmp_path / "t.json"
    path.write_text('{"devices": {"cpu": {"min_numel": 0, "default": ["triton"]}}}')
    monkeypatch.setenv("ACTLAB_AUTOTABLE", str(path))
    torch.testing.assert_close(apply(spec, {}, x, "auto"), torch.cumsum(x, 0))


def test_translation_covers_constants_pow_clamp_and_inplace_ops():
    fn = lambda x: (
        torch.clamp(x, -1.5, 2.0) ** 3
        + torch.where(x > 0, 2.0, x.abs().sqrt()) * torch.tensor(0.5)
        + torch.atan2(x, torch.ones_like(x))
        + (x > 1).logical_and_(x < 3).float()
    )  # noqa: E731
    spec = _spec("mixture", fn)
    x = torch.randn(333, dtype=torch.float64, requires_grad=True)
    y = apply(spec, {}, x, "triton")
    (g,) = torch.autograd.grad(y.sum(), x)
    xx = x.detach().requires_grad_()
    (ref,) = torch.autograd.grad(fn(xx).sum(), xx)
    torch.testing.assert_close(y, fn(x.detach()))
    torch.testing.assert_close(g, ref)


GATES = [g for g in ("silu", "gelu_tanh", "golu", "relu", "sigmoid") if g in REGISTRY]


@pytest.mark.parametrize("up", [None, "relu"], ids=["glu", "double-act"])
@pytest.mark.parametrize("gate", GATES)
def test_triton_glu_matches_eager(gate, up):
    h = torch.randn(6, 2 * 173, dtype=torch.float32, requires_grad=True)
    a, b = h.chunk(2, dim=-1)  # strided halves: read in place, not copied
    do = torch.randn(6, 173)
    glu(gate, a.detach(), b.detach(), up=up, impl="triton")  # build the kernels outside the hook
    with SavedBytes() as saved:
        o = glu(gate, a, b, up=up, impl="triton")
    assert saved.total == 2 * a.numel() * 4
    (dh,) = torch.autograd.grad(o, h, do)
    oe = glu(gate, a, b, up=up, impl="eager")
    (dhe,) = torch.autograd.grad(oe, h, do)
    check_close(o, oe, torch.float32, "glu value")
    check_close(dh, dhe, torch.float32, "glu grads")


def test_triton_glu_bf16_contiguous():
    a = torch.randn(4, 300, dtype=torch.bfloat16, requires_grad=True)
    b = torch.randn(4, 300, dtype=torch.bfloat16, requires_grad=True)
    do = torch.randn(4, 300, dtype=torch.bfloat16)
    o = glu("silu", a, b, impl="triton")
    da, db = torch.autograd.grad(o, (a, b), do)
    af, bf = a.detach().float().requires_grad_(), b.detach().float().requires_grad_()
    of = torch.nn.functional.silu(af) * bf
    daf, dbf = torch.autograd.grad(of, (af, bf), do.float())
    check_close(o, of.to(torch.bfloat16), torch.bfloat16, "value")
    check_close(da, daf.to(torch.bfloat16), torch.bfloat16, "da")
    check_close(db, dbf.to(torch.bfloat16), torch.bfloat16, "db")
