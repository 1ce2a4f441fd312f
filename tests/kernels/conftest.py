"""Shared helpers for the kernel tests: inputs, tolerances, references, saved-bytes accounting."""

from __future__ import annotations

import pytest
import torch

from actlab.catalog.registry import REGISTRY
from actlab.catalog.spec import HALF_TYPES, ActivationSpec

DTYPES = [torch.float64, torch.float32, torch.bfloat16, torch.float16]
DTYPE_IDS = ["fp64", "fp32", "bf16", "fp16"]
#: (rtol, atol) per dtype for a backend against eager (same definition, different evaluation order)
TOL = {
    torch.float64: (1e-9, 1e-10),
    torch.float32: (2e-5, 1e-5),
    torch.bfloat16: (1.6e-2, 1e-2),
    torch.float16: (2e-3, 2e-3),
}
ELEMENTWISE = sorted(n for n, s in REGISTRY.items() if s.elementwise)
MASKED = sorted(n for n in ELEMENTWISE if REGISTRY[n].grad_mask is not None)
#: representative activations for the slow backends (those registered)
REPRESENTATIVE = [
    n
    for n in (
        "golu",
        "mish",
        "gelu_tanh",
        "gelu",
        "smelu",
        "serf",
        "xatlu",
        "snake",
        "aptx",
        "swish",
        "elu",
        "softplus",
        "elephant",
        "relu",
        "leaky_relu",
        "hardtanh",
        "helu",
    )
    if n in REGISTRY
]


def inputs(
    spec: ActivationSpec, dtype: torch.dtype, n: int = 1000, seed: int = 0
) -> tuple[torch.Tensor, torch.Tensor]:
    """Input (requires grad) with values in about [-6, 6], kept 1e-2 away from the spec's kinks; and dy."""
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(n, generator=gen, dtype=torch.float64) * 2.5
    for k in spec.kinks(spec.defaults):
        near = (x - k).abs() < 1e-2
        x[near] = k + 0.05
    dy = torch.randn(n, generator=gen, dtype=torch.float64)
    return x.to(dtype).requires_grad_(), dy.to(dtype)


def declared_grad(spec: ActivationSpec, params: dict, x: torch.Tensor, dy: torch.Tensor) -> torch.Tensor:
    """The reference gradient written independently of the kernels: eager autograd of ``spec.fn``,
    or the derivative the spec declares (``grad_mask``/``grad``) where it declares one."""
    ct = torch.float32 if (spec.upcast and x.dtype in HALF_TYPES) else x.dtype
    xc, dyc = x.detach().to(ct), dy.to(ct)
    if spec.grad_mask is not None and spec.grad_mask_values is not None:
        v0, v1 = spec.grad_mask_values(params)
        g = torch.where(spec.grad_mask(xc, **params), dyc * v1, dyc * v0)
    elif spec.grad is not None:
        g = dyc * spec.grad(xc, **params)
    else:
        xx = x.detach().clone().requires_grad_(True)
        y = spec(xx, **params)
        (g,) = torch.autograd.grad(y, xx, dy)
    return g.to(x.dtype)


def check_close(actual: torch.Tensor, expected: torch.Tensor, dtype: torch.dtype, what: str) -> None:
    rtol, atol = TOL[dtype]
    torch.testing.assert_close(
        actual, expected, rtol=rtol, atol=atol, equal_nan=True, msg=lambda m: f"{what}: {m}"
    )


class SavedBytes:
    """Context manager summing the bytes autograd saves for backward."""

    def __enter__(self) -> SavedBytes:
        self.total, self.tensors = 0, []

        def pack(t: torch.Tensor) -> torch.Tensor:
            self.total += t.numel() * t.element_size()
            self.tensors.append((tuple(t.shape), t.dtype))
            return t

        self._hooks = torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t)
        self._hooks.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._hooks.__exit__(*exc)


@pytest.fixture
def interpret(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run Triton kernels in Triton's CPU interpreter."""
    pytest.importorskip("triton")
    monkeypatch.setenv("TRITON_INTERPRET", "1")
