"""Hugging Face: every catalog name is an ACT2FN name; tiny random LLaMA, GPT-2, BERT and T5 models
build, run, train a step, save and reload with actlab activations (issue 13, item 3)."""

from __future__ import annotations

import json

import pytest
import torch
from torch import nn

import actlab
from actlab.catalog.registry import resolve
from actlab.integrations.common import catalog_keys

transformers = pytest.importorskip("transformers")
from transformers.activations import ACT2CLS, ACT2FN  # noqa: E402

import actlab.integrations.transformers as actlab_hf  # noqa: E402

HF_OWN = set(dict.keys(ACT2CLS)) - {k for k, v in dict.items(ACT2CLS) if actlab_hf._ours(v)}


@pytest.fixture
def registered():
    reg = actlab_hf.register()
    yield reg
    actlab_hf.unregister()


def test_register_adds_every_catalog_name_and_keeps_transformers_own(registered):
    keys = catalog_keys()
    assert len(keys) >= 90
    assert set(registered.added) | set(registered.kept) == set(keys)
    assert set(registered.kept) == set(keys) & HF_OWN and "gelu" in registered.kept
    for key in registered.added:
        assert key in ACT2FN and key in ACT2CLS, key
        m = ACT2FN[key]  # a fresh module per lookup, as transformers expects
        assert isinstance(m, nn.Module) and m is not ACT2FN[key], key
        spec = getattr(m, "spec", None)
        if spec is not None:
            assert spec.name == resolve(key), key
    for key in registered.kept:  # transformers' own classes stay: existing configs compute what they did
        assert type(ACT2FN[key]).__module__.split(".")[0] in ("transformers", "torch"), key
    assert ACT2FN["actlab:gelu"].spec.name == "gelu" and type(ACT2FN["gelu"]).__name__ == "GELUActivation"
    assert actlab_hf.register().added == ()  # idempotent
    assert actlab_hf.is_registered()
    assert "added" in str(registered) and "kept" in str(registered)


def test_unregister_restores_transformers():
    before = (len(ACT2FN), len(ACT2CLS), type(ACT2FN))
    actlab_hf.register()
    actlab_hf.unregister()
    assert (len(ACT2FN), len(ACT2CLS), type(ACT2FN)) == before
    assert "golu" not in ACT2FN and not actlab_hf.is_registered()
    with pytest.raises(KeyError):
        ACT2FN["golu"]


def test_keys_with_parameters_and_their_errors(registered):
    m = ACT2FN["leaky_relu(negative_slope=0.2)"]  # transformers' leaky_relu takes no parameter; ours does
    assert isinstance(m, actlab.nn.Activation) and m.params == {"negative_slope": 0.2}
    assert "elu(alpha=0.5)" in ACT2FN and "nope" not in ACT2FN and "elu(0.5)" not in ACT2FN
    assert ACT2FN["actlab:hardtanh(min_val=-2.0, max_val=2.0)"].params == {"min_val": -2.0, "max_val": 2.0}
    learn = ACT2FN["snake(a=0.5, trainable=True)"]
    assert isinstance(learn, actlab.nn.LearnableActivation)
    assert [n for n, _ in learn.named_parameters()] == ["a"]
    with pytest.raises(KeyError, match="neither a transformers activation nor in actlab's catalog"):
        ACT2FN["nope"]
    with pytest.raises(ValueError, match="parameters must be keywords"):
        ACT2FN["elu(0.5)"]
    with pytest.raises(ValueError, match="must be a literal"):
        ACT2FN["elu(alpha=x)"]
    with pytest.raises(ValueError, match="negative_slope"):
        ACT2FN["leaky_relu(negative_slope=2.0)"]
    with pytest.raises(TypeError, match="bogus"):
        ACT2FN["elu(bogus=1)"]


IDS = torch.randint(0, 61, (2, 9), generator=torch.Generator().manual_seed(3))


def _llama(act: str):
    return transformers.LlamaForCausalLM(transformers.LlamaConfig(
        vocab_size=61, hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
        num_key_value_heads=2, max_position_embeddings=32, hidden_act=act))


def _gpt2(act: str):
    return transformers.GPT2LMHeadModel(transformers.GPT2Config(
        vocab_size=61, n_embd=32, n_layer=2, n_head=4, n_positions=32, activation_function=act))


def _bert(act: str):
    return transformers.BertForMaskedLM(transformers.BertConfig(
        vocab_size=61, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64,
        max_position_embeddings=32, hidden_act=act))


def _t5(act: str):
    return transformers.T5ForConditionalGeneration(transformers.T5Config(
        vocab_size=61, d_model=32, d_kv=8, d_ff=64, num_layers=2, num_heads=4, feed_forward_proj=act,
        decoder_start_token_id=0, pad_token_id=0))


def _run(model, train: bool = False):
    kw = {"input_ids": IDS, "labels": IDS}
    if isinstance(model, transformers.T5ForConditionalGeneration):
        kw["decoder_input_ids"] = IDS
    out = model(**kw)
    return out.logits, out.loss


#: (builder, config key, config attribute, activation paths, expected name, expected params)
MODELS = {
    "llama-golu": (_llama, "golu", "hidden_act", "model.layers.{}.mlp.act_fn", "golu", {}),
    "gpt2-elu-alpha": (_gpt2, "elu(alpha=0.5)", "activation_function", "transformer.h.{}.mlp.act", "elu",
                       {"alpha": 0.5}),
    "bert-learnable-snake": (_bert, "snake(a=0.5, trainable=True)", "hidden_act",
                             "bert.encoder.layer.{}.intermediate.intermediate_act_fn", "snake", {}),
    "t5-gated-xatlu": (_t5, "gated-xatlu", "feed_forward_proj", "encoder.block.{}.layer.1.DenseReluDense.act",
                       "xatlu", {}),
}


@pytest.mark.parametrize("case", list(MODELS))
def test_tiny_models_build_train_save_and_reload(case, registered, tmp_path):
    build, key, attr, path, name, params = MODELS[case]
    torch.manual_seed(0)
    model = build(key)
    acts = [model.get_submodule(path.format(i)) for i in range(2)]
    assert all(getattr(a, "spec", None) is not None and a.spec.name == name for a in acts), acts
    assert acts[0] is not acts[1]
    for k, v in params.items():
        assert acts[0].params[k] == v
    if case.startswith("bert"):  # a learnable activation: its parameter is trained, saved and reloaded
        assert isinstance(acts[0], actlab.nn.LearnableActivation)
        with torch.no_grad():
            acts[0].a.fill_(0.7)
    model.train()
    logits, loss = _run(model)
    loss.backward()
    grads = [p.grad for p in model.parameters() if p.requires_grad]
    assert grads and all(g is not None and torch.isfinite(g).all() for g in grads if g is not None)
    if case.startswith("bert"):
        assert acts[0].a.grad is not None and acts[0].a.grad.abs().sum() > 0
    model.eval()
    with torch.no_grad():
        before, _ = _run(model)
    model.save_pretrained(tmp_path)
    assert json.loads((tmp_path / "config.json").read_text())[attr] == key
    again = type(model).from_pretrained(tmp_path).eval()
    assert type(again.get_submodule(path.format(0))) is type(acts[0])
    if case.startswith("bert"):
        assert again.get_submodule(path.format(0)).a.item() == pytest.approx(0.7)
    with torch.no_grad():
        after, _ = _run(again)
    torch.testing.assert_close(after, before)


def test_a_config_naming_an_unknown_activation_fails_clearly(registered):
    with pytest.raises(KeyError, match="not_an_activation"):
        _llama("not_an_activation")


@pytest.mark.parametrize("impl", ["eager", "lean", "auto", "triton", "compiled"])
def test_llama_backends_agree_with_eager(impl, registered, monkeypatch):
    if impl == "triton":
        pytest.importorskip("triton")
        monkeypatch.setenv("TRITON_INTERPRET", "1")
    torch.manual_seed(0)
    ref = _llama("golu(impl='eager')")
    torch.manual_seed(0)
    model = _llama(f"golu(impl={impl!r})")
    assert model.model.layers[0].mlp.act_fn.impl == impl
    y_ref, loss_ref = _run(ref)
    y, loss = _run(model)
    torch.testing.assert_close(y, y_ref, rtol=2e-5, atol=2e-5)
    loss_ref.backward()
    loss.backward()
    for (n, p), q in zip(model.named_parameters(), ref.parameters()):
        torch.testing.assert_close(p.grad, q.grad, rtol=1e-4, atol=1e-6, msg=n)
