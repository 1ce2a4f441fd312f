"""The ``auto`` policy and its memory guarantee, for every elementwise catalog activation.

``auto`` (default ``memory="lean"``) saves at most the input's bytes for backward (1 bit per
element for two-valued derivatives); it runs eager autograd only where eager is within that
budget, else the lean path with eager math. Cheap by design: small tensors, no compiling.
"""

from __future__ import annotations

import pytest
import torch

from actlab.catalog.registry import REGISTRY
from actlab.kernels import dispatch
from actlab.kernels.dispatch import apply, choose, eager_within_budget
from actlab.kernels.lean import is_mask_family, packed_size
from tests.kernels.conftest import ELEMENTWISE, SavedBytes, inputs


@pytest.fixture(autouse=True)
def shipped_table(monkeypatch):
    monkeypatch.delenv("ACTLAB_AUTOTABLE", raising=False)


def _budget(spec, x):
    return packed_size(x.numel()) if is_mask_family(spec) else x.numel() * x.element_size()


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16], ids=["fp32", "bf16"])
@pytest.mark.parametrize("name", ELEMENTWISE)
def test_auto_saves_at_most_the_input_and_eager_only_within_the_budget(name, dtype):
    spec = REGISTRY[name]
    params = spec.defaults
    x, _ = inputs(spec, dtype, n=1003)  # another size than the policy's probe
    with SavedBytes() as eager:
        apply(spec, params, x, "eager")
    with SavedBytes() as auto:
        y = apply(spec, params, x, "auto")
    budget = _budget(spec, x)
    assert auto.total <= budget, f"{name}: auto saved {auto.total} bytes, budget {budget}"
    eager_fits = eager.total <= budget
    assert eager_within_budget(spec, params, dtype) == eager_fits  # the probe generalises
    assert choose(spec, params, x) == ("eager" if eager_fits else "lean")
    torch.testing.assert_close(y, apply(spec, params, x.detach(), "eager"), equal_nan=True)
    # the caller may ask for eager's memory; without a gradient nothing is saved at all
    assert choose(spec, params, x, memory="eager") == "eager"
    with torch.no_grad(), SavedBytes() as none:
        apply(spec, params, x, "auto")
    assert none.total == 0


def test_the_mask_family_saves_one_bit_per_element():
    for name in [n for n in ELEMENTWISE if is_mask_family(REGISTRY[n])]:
        spec = REGISTRY[name]
        x, _ = inputs(spec, torch.float32, n=4099)
        with SavedBytes() as auto:
            apply(spec, spec.defaults, x, "auto")
        assert auto.tensors == [((packed_size(4099),), torch.uint8)], name


def test_large_inputs_follow_the_table_within_the_budget(tmp_path, monkeypatch):
    """Above min_numel a table may list backends; eager is still skipped where it is over budget."""
    path = tmp_path / "t.json"
    path.write_text('{"devices": {"cpu": {"min_numel": 2000, "default": ["eager"]}}}')
    monkeypatch.setenv("ACTLAB_AUTOTABLE", str(path))
    dispatch._DECISIONS.clear()
    for name in ELEMENTWISE[:: max(1, len(ELEMENTWISE) // 40)]:  # a spread of the catalog
        spec = REGISTRY[name]
        x, _ = inputs(spec, torch.float32, n=2500)
        with SavedBytes() as auto:
            apply(spec, spec.defaults, x, "auto")
        assert auto.total <= _budget(spec, x), name
