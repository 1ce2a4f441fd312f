"""actlab.swap on real transformers / timm / torchvision models and on hand-made ones."""

from __future__ import annotations

import json
import re

import pytest
import torch
import torch.nn.functional as F
from torch import nn

import actlab
from actlab.surgery import is_activation_module

transformers = pytest.importorskip("transformers")
timm = pytest.importorskip("timm")
torchvision = pytest.importorskip("torchvision")


def _llama(act: str = "silu"):
    cfg = transformers.LlamaConfig(
        vocab_size=61, hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
        num_key_value_heads=2, max_position_embeddings=32, hidden_act=act, bos_token_id=1, eos_token_id=2,
    )
    torch.manual_seed(0)
    return transformers.LlamaForCausalLM(cfg).eval()


def _gpt2(act: str = "gelu_new"):
    cfg = transformers.GPT2Config(vocab_size=61, n_embd=32, n_layer=2, n_head=4, n_positions=32,
                                  activation_function=act, bos_token_id=1, eos_token_id=2)
    torch.manual_seed(0)
    return transformers.GPT2LMHeadModel(cfg).eval()


def _logits(model, ids):
    with torch.no_grad():
        return model(input_ids=ids).logits


IDS = torch.randint(0, 61, (2, 12), generator=torch.Generator().manual_seed(5))


def test_llama_silu_to_relu2_matches_a_model_built_with_relu2_and_back():
    a = _llama("silu")
    before = _logits(a, IDS)
    rep = actlab.swap(a, "relu2")
    b = rep.model
    assert b is not a and type(a.model.layers[0].mlp.act_fn).__name__ == "SiLUActivation"  # a untouched
    assert rep.paths == ["model.layers.0.mlp.act_fn", "model.layers.1.mlp.act_fn"]
    assert [r.before for r in rep.replaced] == ["SiLUActivation()"] * 2
    assert [r.after for r in rep.replaced] == ["Activation[relu2]()"] * 2
    assert rep.config_changes == [("hidden_act", "silu", "relu2")] and b.config.hidden_act == "relu2"
    assert rep.not_replaced == []
    after = _logits(b, IDS)
    assert not torch.allclose(after, before, atol=1e-3)
    # the reference: transformers' own ReLU² model (hidden_act="relu2") with the same weights
    ref = _llama("relu2")
    ref.load_state_dict(a.state_dict())
    torch.testing.assert_close(after, _logits(ref, IDS), rtol=1e-5, atol=1e-6)
    # and back: SiLU again gives the original outputs
    back = actlab.swap(b, "silu", inplace=True)
    assert back.model is b and back.config_changes == [("hidden_act", "relu2", "silu")]
    torch.testing.assert_close(_logits(b, IDS), before, rtol=1e-5, atol=1e-6)


def test_gpt2_gelu_to_relu2_and_back_to_tanh_gelu():
    a = _gpt2("gelu_new")
    before = _logits(a, IDS)
    rep = actlab.swap(a, "relu2")
    assert rep.paths == ["transformer.h.0.mlp.act", "transformer.h.1.mlp.act"]
    assert [r.before for r in rep.replaced] == ["NewGELUActivation()"] * 2
    assert rep.config_changes == [("activation_function", "gelu_new", "relu2")]
    ref = _gpt2("relu2")
    ref.load_state_dict(a.state_dict())
    after = _logits(rep.model, IDS)
    assert not torch.allclose(after, before, atol=1e-3)
    torch.testing.assert_close(after, _logits(ref, IDS), rtol=1e-5, atol=1e-6)
    back = actlab.swap(rep.model, "gelu_tanh")
    assert back.config_changes == [("activation_function", "relu2", "gelu_pytorch_tanh")]
    torch.testing.assert_close(_logits(back.model, IDS), before, rtol=1e-5, atol=1e-5)


def test_config_left_alone_when_not_every_activation_is_replaced_or_no_equivalent():
    rep = actlab.swap(_llama("silu"), "relu2", match="model.layers.0.*")
    assert rep.paths == ["model.layers.0.mlp.act_fn"]
    assert rep.config_changes == [] and rep.model.config.hidden_act == "silu"
    assert any("config.hidden_act left as 'silu'" in n and "model.layers.1.mlp.act_fn" in n
               for n in rep.notes)
    rep = actlab.swap(_llama("silu"), "golu")  # transformers has no GoLU
    assert rep.count == 2 and rep.config_changes == []
    assert any("no transformers ACT2FN entry" in n for n in rep.notes)


TV_RESNET18_RELUS = ["relu"] + [f"layer{i}.{j}.relu" for i in range(1, 5) for j in range(2)]
TIMM_RESNET18_RELUS = ["act1"] + [
    f"layer{i}.{j}.act{k}" for i in range(1, 5) for j in range(2) for k in (1, 2)
]


@pytest.mark.parametrize("lib", ["torchvision", "timm"])
def test_resnet18_every_relu_replaced_and_report_exact(lib):
    torch.manual_seed(0)
    if lib == "torchvision":
        m, expected = torchvision.models.resnet18(weights=None).eval(), TV_RESNET18_RELUS
    else:
        m, expected = timm.create_model("resnet18", pretrained=False).eval(), TIMM_RESNET18_RELUS
    x = torch.randn(1, 3, 32, 32)
    with torch.no_grad():
        y = m(x)
    rep = actlab.swap(m, "relu")
    assert rep.count == len(expected) == (9 if lib == "torchvision" else 17)
    assert rep.paths == expected
    assert all(r.before == "ReLU(inplace=True)" and r.after == "Activation[relu]()" for r in rep.replaced)
    assert rep.not_replaced == []
    assert not any(isinstance(mod, nn.ReLU) for mod in rep.model.modules())
    assert sum(isinstance(mod, nn.ReLU) for mod in m.modules()) == len(expected)  # original untouched
    with torch.no_grad():
        torch.testing.assert_close(rep.model(x), y)  # ReLU -> actlab relu: the same function
        y2 = actlab.swap(m, "relu2").model(x)
    assert not torch.allclose(y2, y)


class Functional(nn.Module):
    """Activations written as calls inside forward: none of them can be swapped."""

    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(4, 4)
        self.act = nn.GELU()

    def _gate(self, x):
        return F.gelu(x)

    def forward(self, x):
        x = F.relu(self.lin(x))
        x = torch.sigmoid(x) + self._gate(x) + _helper(x)
        return self.act(x).tanh()


def _helper(x):
    return F.silu(x)


def test_functional_activations_are_listed_as_not_replaced():
    m = nn.Sequential(Functional(), nn.TransformerEncoderLayer(4, 2, 8, dropout=0.0))
    rep = actlab.swap(m, "relu2")
    assert rep.paths == ["0.act"]  # the only activation module (the encoder's is a function)
    calls = sorted((r.path, r.what.split(" in ")[0]) for r in rep.not_replaced)
    assert calls == [
        ("0", "F.gelu()"),
        ("0", "F.relu()"),
        ("0", "F.silu()"),
        ("0", "tensor.tanh()"),
        ("0", "torch.sigmoid()"),
        ("1", "attribute activation = F.relu"),
    ]
    where = {r.what.split(" in ")[0]: r.what for r in rep.not_replaced if r.path == "0"}
    assert "Functional._gate (test_surgery.py:" in where["F.gelu()"]
    assert "_helper (test_surgery.py:" in where["F.silu()"]
    assert all("not a module" in r.reason for r in rep.not_replaced)
    # a path filter narrows the list; a type filter keeps only calls of that kind
    assert {r.path for r in actlab.swap(m, "relu2", match="1*").not_replaced} == {"1"}
    by_type = actlab.swap(m, "relu2", match=nn.ReLU).not_replaced
    assert sorted(r.what.split(" in ")[0] for r in by_type) == ["F.relu()", "attribute activation = F.relu"]


def test_transformers_act2fn_inside_forward_is_reported():
    from transformers.activations import ACT2FN

    class Dyn(nn.Module):
        def forward(self, x):
            return ACT2FN["gelu"](x)

    rep = actlab.swap(nn.Sequential(Dyn(), nn.ReLU()), "relu2")
    assert rep.paths == ["1"]
    assert [(r.path, r.what.split(" in ")[0]) for r in rep.not_replaced] == [("0", "ACT2FN['gelu']()")]


class Mixed(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Sequential(nn.Linear(3, 3), nn.GELU(), nn.Linear(3, 3), nn.ReLU())
        self.b = nn.ModuleDict({"act": nn.GELU(), "other": nn.Tanh()})

    def forward(self, x):
        return self.b["other"](self.b["act"](self.a(x)))


def test_match_by_type_glob_regex_predicate():
    m = Mixed()
    assert actlab.swap(m, "relu").paths == ["a.1", "a.3", "b.act", "b.other"]
    assert actlab.swap(m, "relu", match=nn.GELU).paths == ["a.1", "b.act"]
    assert actlab.swap(m, "relu", match=(nn.ReLU, nn.Tanh)).paths == ["a.3", "b.other"]
    assert actlab.swap(m, "relu", match=nn.Linear).paths == ["a.0", "a.2"]  # explicit types: any module
    assert actlab.swap(m, "relu", match=nn.Sequential).paths == ["a"]  # replaced whole, children not visited
    assert actlab.swap(m, "relu", match="b.*").paths == ["b.act", "b.other"]
    assert actlab.swap(m, "relu", match=re.compile(r"\.\d$")).paths == ["a.1", "a.3"]
    assert actlab.swap(m, "relu", match=lambda p, mod: isinstance(mod, nn.Tanh)).paths == ["b.other"]
    rep = actlab.swap(m, "relu", match="nothing*")
    assert rep.count == 0 and "no activation module matched" in rep.notes[0]
    with pytest.raises(TypeError, match="match must be"):
        actlab.swap(m, "relu", match=3)


def test_to_as_spec_instance_factory_and_params():
    m = Mixed()
    x = torch.randn(5, 3)
    rep = actlab.swap(m, "leaky_relu", match=nn.GELU, params={"negative_slope": 0.2})
    assert rep.replaced[0].after == "Activation[leaky_relu](negative_slope=0.2)"
    assert actlab.swap(m, actlab.describe("relu2"), match=nn.GELU).replaced[0].after == "Activation[relu2]()"
    inst = nn.PReLU()
    rep = actlab.swap(m, inst, match=nn.GELU)
    news = [rep.model.a[1], rep.model.b["act"]]
    assert all(isinstance(n, nn.PReLU) and n is not inst for n in news)
    assert news[0].weight is not news[1].weight  # one fresh module per site, no shared parameters
    rep = actlab.swap(m, lambda: nn.LeakyReLU(0.5), match=nn.GELU)
    assert rep.replaced[1].after == "LeakyReLU(negative_slope=0.5)"
    ref = Mixed()
    ref.load_state_dict(m.state_dict())
    ref.a[1] = nn.LeakyReLU(0.5)
    ref.b["act"] = nn.LeakyReLU(0.5)
    torch.testing.assert_close(rep.model(x), ref(x))
    with pytest.raises(actlab.UnknownActivationError):
        actlab.swap(m, "not_an_activation")
    with pytest.raises(TypeError, match="not an nn.Module"):
        actlab.swap(m, lambda: 3)


def test_keeps_dtype_and_sharing_structure_and_learnable_sites_are_separate():
    shared = nn.PReLU()
    m = nn.Sequential(nn.Linear(3, 3), shared, nn.Linear(3, 3), shared, nn.Linear(3, 3), nn.PReLU()).double()
    rep = actlab.swap(m, nn.PReLU, match=nn.PReLU)  # a class is a factory
    assert rep.paths == ["1", "3", "5"]
    new = rep.model
    assert new[1] is new[3] and new[1] is not new[5]  # a shared instance stays shared, others are fresh
    assert new[1].weight.dtype == torch.float64 and new[5].weight.dtype == torch.float64
    assert new(torch.randn(2, 3, dtype=torch.float64)).dtype == torch.float64


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_keeps_device_on_cuda():
    m = nn.Sequential(nn.Linear(3, 3), nn.PReLU(), nn.ReLU()).cuda().half()
    rep = actlab.swap(m, nn.PReLU)
    assert rep.model[1].weight.device.type == "cuda" and rep.model[1].weight.dtype == torch.float16
    assert rep.model[2].weight.device.type == "cuda"
    y = rep.model(torch.randn(2, 3, device="cuda", dtype=torch.float16))
    assert y.device.type == "cuda" and y.dtype == torch.float16


def test_root_activation_and_report_serialises():
    rep = actlab.swap(nn.GELU(), "relu")
    assert rep.paths == ["<model>"] and isinstance(rep.model, actlab.nn.Activation)
    rep = actlab.swap(Mixed(), "relu2", match=nn.GELU)
    d = json.loads(json.dumps(rep.to_dict()))
    assert d["replaced"][0] == {
        "path": "a.1", "before": "GELU(approximate='none')", "after": "Activation[relu2]()",
        "role": "nonlinearity",
    }
    assert "replaced 2 activation module(s)" in str(rep)


def test_activation_detection_covers_the_libraries():
    from timm.layers import get_act_layer
    from transformers.activations import ACT2FN

    for name in ("gelu", "gelu_new", "silu", "relu2", "quick_gelu", "mish", "linear"):
        assert is_activation_module(ACT2FN[name]), name
    for name in ("swish", "gelu", "hard_swish", "mish", "relu", "prelu"):
        assert is_activation_module(get_act_layer(name)()), name
    assert is_activation_module(actlab.get("golu"))
    for m in (nn.Linear(2, 2), nn.Softmax(-1), nn.GLU(), nn.Identity(), nn.Sequential(nn.ReLU())):
        assert not is_activation_module(m), m
