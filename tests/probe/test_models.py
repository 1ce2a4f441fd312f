"""The probe on real library models: tiny LLaMA / GPT-2 (transformers) and torchvision resnet18."""

from __future__ import annotations

import math

import pytest
import torch

import actlab
from actlab.probe import METRICS
from tests.probe.test_metrics import _cett_bruteforce

transformers = pytest.importorskip("transformers")


def _llama():
    cfg = transformers.LlamaConfig(
        vocab_size=61, hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
        num_key_value_heads=2, max_position_embeddings=32, hidden_act="silu", bos_token_id=1, eos_token_id=2,
    )
    torch.manual_seed(0)
    return transformers.LlamaForCausalLM(cfg).eval()


BATCHES = [torch.randint(0, 61, (2, 12), generator=torch.Generator().manual_seed(i)) for i in range(3)]


def test_llama_probe_before_and_after_relu2_swap():
    model = _llama()
    with torch.no_grad(), actlab.probe(model) as before:
        for ids in BATCHES:
            model(input_ids=ids)
    layers = ["model.layers.0.mlp.act_fn", "model.layers.1.mlp.act_fn"]
    assert before.measured() == layers
    d = before.details()["layers"]
    assert [d[n]["threshold_basis"] for n in layers] == [f"linear:{n[:-6]}down_proj" for n in layers]
    assert all(not math.isnan(r["value"]) for r in before.rows())
    assert before.table()[layers[0]]["zero_fraction"] == 0.0  # SiLU is never exactly 0 here

    swapped = actlab.swap(model, "relu2").model
    gate_out = []
    hooks = [swapped.model.layers[i].mlp.gate_proj.register_forward_hook(
        lambda m, a, o: gate_out.append(o.detach())) for i in range(2)]
    with torch.no_grad(), actlab.probe(swapped) as after:
        for ids in BATCHES:
            swapped(input_ids=ids)
    for h in hooks:
        h.remove()
    # ReLU²(g) = 0 exactly where the gate pre-activation g ≤ 0
    g0 = torch.cat([g.flatten() for g in gate_out[0::2]])
    expected = float((g0 <= 0).double().mean())
    assert after.table()[layers[0]]["zero_fraction"] == pytest.approx(expected, abs=1e-12)
    for n in layers:
        assert after.table()[n]["threshold_sparsity"] >= after.table()[n]["zero_fraction"]
        assert [r["metric"] for r in after.rows() if r["layer"] == n] == list(METRICS)


def test_gpt2_threshold_sparsity_uses_conv1d_c_proj():
    cfg = transformers.GPT2Config(vocab_size=61, n_embd=32, n_layer=1, n_head=4, n_positions=32,
                                  bos_token_id=1, eos_token_id=2)
    torch.manual_seed(0)
    model = transformers.GPT2LMHeadModel(cfg).eval()
    c_proj = model.transformer.h[0].mlp.c_proj
    seen = []
    h = c_proj.register_forward_pre_hook(lambda m, a: seen.append(a[0].detach()))
    grid = torch.logspace(-5, 1, 49, dtype=torch.float64)
    with torch.no_grad(), actlab.probe(model, threshold_grid=grid) as p:
        for ids in BATCHES:
            model(input_ids=ids)
    h.remove()
    d = p.details()["layers"]["transformer.h.0.mlp.act"]
    assert d["threshold_basis"] == "linear:transformer.h.0.mlp.c_proj"
    a = torch.cat([s.reshape(-1, s.shape[-1]) for s in seen]).double().numpy()
    w = c_proj.weight.detach().double().t().numpy()  # Conv1D stores (in, out)
    ref = _cett_bruteforce(a, w, grid.tolist(), 0.2)
    assert d["threshold_sparsity"] == pytest.approx(ref[0], abs=1e-12)
    assert d["threshold"] == pytest.approx(ref[1])


def test_torchvision_resnet_shared_relu_counts_both_calls():
    torchvision = pytest.importorskip("torchvision")
    m = torchvision.models.resnet18(weights=None).eval()
    bn1 = []
    h = m.bn1.register_forward_hook(lambda mod, a, o: bn1.append(o.detach().clone()))
    with torch.no_grad(), actlab.probe(m) as p:
        m(torch.randn(2, 3, 32, 32))
    h.remove()
    assert p.stats["relu"].calls == 1 and p.stats["layer1.0.relu"].calls == 2  # used twice per block
    assert p.stats["relu"].numel == 2 * 64 * 16 * 16
    assert set(p.stats["layer1.0.relu"].ever_active) == {64}  # NCHW: 64 channels are the neurons
    # the stem ReLU outputs 0 exactly where its input (bn1's output) is ≤ 0
    assert p.table()["relu"]["zero_fraction"] == float((bn1[0] <= 0).double().mean())
