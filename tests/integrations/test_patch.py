"""actlab.patch: GLU pairs and activations of tiny LLaMA/Mistral/GPT-2/T5 and timm ViTs replaced by
actlab's fused, memory-lean implementations, computing the same (issue 13, item 5)."""

from __future__ import annotations

import copy
import json

import pytest
import torch
from torch import nn

import actlab
from actlab.integrations.patch import FusedGLU, equivalent

transformers = pytest.importorskip("transformers")
timm = pytest.importorskip("timm")
torchvision = pytest.importorskip("torchvision")

IDS = torch.randint(0, 61, (2, 9), generator=torch.Generator().manual_seed(1))


def _llama():
    return transformers.LlamaForCausalLM(transformers.LlamaConfig(
        vocab_size=61, hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
        num_key_value_heads=2, max_position_embeddings=32))


def _mistral():
    return transformers.MistralForCausalLM(transformers.MistralConfig(
        vocab_size=61, hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
        num_key_value_heads=2, max_position_embeddings=32))


def _gpt2():
    return transformers.GPT2LMHeadModel(transformers.GPT2Config(
        vocab_size=61, n_embd=32, n_layer=2, n_head=4, n_positions=32, bos_token_id=1, eos_token_id=2))


def _t5():
    return transformers.T5ForConditionalGeneration(transformers.T5Config(
        vocab_size=61, d_model=32, d_kv=8, d_ff=64, num_layers=2, num_heads=4, feed_forward_proj="gated-gelu",
        decoder_start_token_id=0, pad_token_id=0))


def _loss(model):
    kw = {"input_ids": IDS, "labels": IDS}
    if isinstance(model, transformers.T5ForConditionalGeneration):
        kw["decoder_input_ids"] = IDS
    out = model(**kw)
    return out.logits, out.loss


def _same_training_step(original, patched, forward):
    """Outputs and every parameter's gradient of the patched model equal the original's (in train
    mode: both draw the same dropout masks from the same seed)."""
    torch.manual_seed(7)
    y0, l0 = forward(original)
    torch.manual_seed(7)
    y1, l1 = forward(patched)
    torch.testing.assert_close(y1, y0, rtol=1e-5, atol=1e-5)
    l0.backward()
    l1.backward()
    for (name, p), q in zip(patched.named_parameters(), original.parameters()):
        if q.grad is None:
            assert p.grad is None, name
        else:
            torch.testing.assert_close(p.grad, q.grad, rtol=1e-4, atol=1e-6, msg=name)


MODELS = {
    "llama": (_llama, ["model.layers.0.mlp", "model.layers.1.mlp"], "glu", "FusedGLU(Activation[silu]())"),
    "mistral": (_mistral, ["model.layers.0.mlp", "model.layers.1.mlp"], "glu",
                "FusedGLU(Activation[silu]())"),
    "gpt2": (_gpt2, ["transformer.h.0.mlp.act", "transformer.h.1.mlp.act"], "activation",
             "Activation[gelu_tanh]()"),
    "t5": (_t5, [f"{s}.block.{i}.layer.{k}.DenseReluDense" for s, k in (("encoder", 1), ("decoder", 2))
                 for i in range(2)], "glu", "FusedGLU(Activation[gelu_tanh]())"),
}


@pytest.mark.parametrize("impl", ["lean", "auto"])
@pytest.mark.parametrize("name", list(MODELS))
def test_hf_models_patched_compute_the_same(name, impl, tmp_path):
    build, paths, kind, after = MODELS[name]
    torch.manual_seed(0)
    original = build().train()
    model = copy.deepcopy(original)
    keys = list(model.state_dict())
    rep = actlab.patch(model, impl=impl)
    assert rep.model is model and rep.paths == paths
    assert {p.kind for p in rep.patched} == {kind} and {p.after for p in rep.patched} == {after}
    assert all(p.max_abs_diff < 1e-5 for p in rep.patched)
    if kind == "glu":
        assert all(isinstance(model.get_submodule(p), FusedGLU) for p in paths)
    assert list(model.state_dict()) == keys  # same parameters under the same names
    _same_training_step(original, model, _loss)
    # the config still names the function: saved and reloaded, transformers builds what it built
    model.save_pretrained(tmp_path)
    again = type(original).from_pretrained(tmp_path).eval()
    model.eval()
    with torch.no_grad():
        torch.testing.assert_close(_loss(again)[0], _loss(model)[0], rtol=1e-5, atol=1e-5)
    assert actlab.patch(again, impl=impl).paths == paths
    json.dumps(rep.to_dict())
    assert "patched" in rep.summary()


def _saved_bytes(module, x):
    seen: dict[int, int] = {}

    def pack(t):
        seen[t.untyped_storage().data_ptr()] = t.untyped_storage().nbytes()
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        module(x)
    return sum(seen.values())


def test_fused_glu_saves_one_hidden_tensor_less():
    torch.manual_seed(0)
    mlp = _llama().model.layers[0].mlp
    x = torch.randn(4, 16, 32, requires_grad=True)
    eager = _saved_bytes(mlp, x)
    fused = actlab.patch(copy.deepcopy(mlp), impl="lean").model
    assert isinstance(fused, FusedGLU)
    # eager SiLU-GLU keeps a (for silu), silu(a) and b (for the product); the fused one a and b
    assert eager - _saved_bytes(fused, x) == 4 * 16 * 64 * 4


@pytest.mark.parametrize("mlp", ["Mlp", "SwiGLU", "SwiGLUPacked"])
def test_timm_vit_patched_computes_the_same(mlp):
    kw = {} if mlp == "Mlp" else {"mlp_layer": getattr(timm.layers, mlp), "act_layer": nn.SiLU}
    torch.manual_seed(0)
    original = timm.create_model("vit_tiny_patch16_224", pretrained=False, img_size=32, patch_size=8, depth=2,
                                 num_classes=5, **kw)
    model = copy.deepcopy(original)
    rep = actlab.patch(model, impl="lean")
    if mlp == "Mlp":
        assert rep.paths == ["blocks.0.mlp.act", "blocks.1.mlp.act"]
        assert [p.after for p in rep.patched] == ["Activation[gelu]()"] * 2
    else:
        assert rep.paths == ["blocks.0.mlp", "blocks.1.mlp"] and {p.kind for p in rep.patched} == {"glu"}
    # what patch cannot touch is listed: the attention's functional calls, if any
    assert all("patch cannot replace it" in r.reason for r in rep.left)
    x = torch.randn(2, 3, 32, 32, generator=torch.Generator().manual_seed(2))

    def forward(m):
        y = m(x)
        return y, (y ** 2).mean()

    original.eval()
    model.eval()  # dropout off, as in the check
    _same_training_step(original, model, forward)


def test_mobilenet_inplace_activations_and_gates():
    torch.manual_seed(0)
    original = torchvision.models.mobilenet_v3_small(weights=None).eval()
    model = copy.deepcopy(original)
    rep = actlab.patch(model)
    # every activation is the catalog's, gates included (patch keeps each function: roles do not matter)
    assert rep.count == 42 and not [r for r in rep.left if "no catalog" in r.reason]
    inplace = [p for p, m in original.named_modules() if getattr(m, "inplace", False)]
    assert inplace  # nn.ReLU/Hardswish(inplace=True) stay in place; the others do not
    for p, m in model.named_modules():
        if isinstance(m, actlab.nn.Activation):
            assert getattr(m, "inplace", False) == (p in inplace), p
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        torch.testing.assert_close(model(x), original(x))


class NotAGLU(nn.Module):  # the LLaMA names, another formula
    def __init__(self):
        super().__init__()
        self.gate_proj, self.up_proj, self.down_proj = nn.Linear(4, 8), nn.Linear(4, 8), nn.Linear(8, 4)
        self.act_fn = nn.SiLU()

    def forward(self, x):
        return self.down_proj(self.act_fn(self.gate_proj(x)) + self.up_proj(x))


class QuickGELU(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


def test_what_patch_leaves_alone_and_why():
    m = nn.ModuleDict({"odd": NotAGLU(), "prelu": nn.PReLU(), "mine": QuickGELU(), "done": actlab.get("golu"),
                       "quick": transformers.activations.QuickGELUActivation(), "leaky": nn.LeakyReLU(0.2)})
    before = copy.deepcopy(m)
    rep = actlab.patch(m)
    left = {r.path: r.reason for r in rep.left}
    assert "computes something else" in left["odd"]
    assert left["prelu"] == "learnable parameters"
    assert left["quick"] == "no catalog activation computes it exactly"
    assert left["done"] == "already actlab's"
    assert "patch cannot replace it" in left["mine"]  # torch.sigmoid inside forward
    # the odd block is not fused, but its SiLU is the catalog's silu; LeakyReLU keeps its slope
    assert rep.paths == ["odd.act_fn", "leaky"]
    assert rep.model["leaky"].params == {"negative_slope": 0.2}
    x = torch.randn(3, 4)
    for k in ("odd", "leaky", "quick"):
        torch.testing.assert_close(rep.model[k](x), before[k](x))


def test_equivalents_are_exact_functions():
    assert equivalent(nn.GELU())[0].name == "gelu"
    assert equivalent(nn.GELU(approximate="tanh"))[0].name == "gelu_tanh"
    assert equivalent(nn.SiLU())[0].name == "silu"
    assert equivalent(nn.ELU(alpha=0.3)) == (actlab.describe("elu"), {"alpha": 0.3})
    assert equivalent(nn.Hardtanh(-2.0, 3.0))[1] == {"min_val": -2.0, "max_val": 3.0}
    assert equivalent(nn.ReLU())[0].module is None  # never HeLU, whose backward differs
    assert equivalent(nn.PReLU()) is None and equivalent(nn.Linear(1, 1)) is None


def test_a_hooked_gate_is_still_seen():
    torch.manual_seed(0)
    mlp = actlab.patch(_llama().model.layers[0].mlp, impl="lean").model
    calls = []
    mlp.act_fn.register_forward_hook(lambda *a: calls.append(1))
    mlp(torch.randn(2, 32))
    assert calls == [1]  # the fused path steps aside so the hook fires


def test_triton_glu_under_the_interpreter(monkeypatch):
    pytest.importorskip("triton")
    monkeypatch.setenv("TRITON_INTERPRET", "1")
    torch.manual_seed(0)
    original = _llama()
    model = copy.deepcopy(original)
    assert len(actlab.patch(model, impl="triton").paths) == 2
    _same_training_step(original, model, _loss)


def test_patch_rejects_non_modules():
    with pytest.raises(TypeError, match="nn.Module"):
        actlab.patch("llama")
