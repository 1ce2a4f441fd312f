"""Hugging Face ``transformers``: every catalog activation becomes an ``ACT2FN`` name.

Models build their activations with ``ACT2FN[config.hidden_act]`` (LLaMA, Mistral, BERT),
``ACT2FN[config.activation_function]`` (GPT-2) or ``ACT2FN[config.dense_act_fn]`` (T5, from
``feed_forward_proj="gated-<name>"``). After :func:`register`, every catalog name works there::

    import actlab.integrations.transformers as actlab_hf
    actlab_hf.register()
    cfg = transformers.LlamaConfig(..., hidden_act="golu")
    model = transformers.LlamaForCausalLM(cfg)          # model.layers[i].mlp.act_fn: Activation[golu]
    model.save_pretrained(path)                         # config.json keeps hidden_act="golu"
    transformers.AutoModelForCausalLM.from_pretrained(path)   # (register() again in a new process)

Keys (see :mod:`actlab.integrations.common`): a catalog name, preset or alias; ``"actlab:<name>"``
for actlab's function where transformers already defines the name (``"gelu"``, ``"silu"``,
``"relu2"``, ... keep transformers' classes, so existing configs compute what they did); and
parameters in the key, kept verbatim in ``config.json``: ``hidden_act="elu(alpha=0.5)"``,
``"snake(a=0.5, trainable=True)"`` (a learnable activation, whose parameters ``save_pretrained``
stores with the model's weights).

:func:`register` adds the catalog's names as they are at the call (canonical names, presets,
aliases) to ``ACT2FN`` and ``ACT2CLS``, and lets ``ACT2FN`` resolve any other key the catalog
resolves when a model asks for it (names registered later, printed names, parameters).
:func:`unregister` undoes both.
"""

from __future__ import annotations

import functools
from typing import Any

from transformers import activations as _hf

from actlab.integrations.common import Registration, build, catalog_keys, is_catalog_key, missing_key


def _entry(key: str) -> functools.partial:
    return functools.partial(build, key)


def _ours(entry: Any) -> bool:
    return isinstance(entry, functools.partial) and entry.func is build


def _missing(self: Any, key: Any) -> Any:
    return _entry(missing_key(key, "transformers"))


def _contains(self: Any, key: Any) -> bool:
    return dict.__contains__(self, key) or is_catalog_key(key)


def _install(act2fn: Any) -> None:
    """Let ``ACT2FN`` resolve catalog keys it does not hold (its class gets ``__missing__``)."""
    base = type(act2fn)
    if getattr(base, "_actlab", False):
        return
    act2fn.__class__ = type(
        f"Actlab{base.__name__}", (base,),
        {"__missing__": _missing, "__contains__": _contains, "_actlab": True, "__module__": __name__},
    )


def register() -> Registration:
    """Add every catalog name to ``transformers.activations.ACT2FN`` (and ``ACT2CLS``).

    Names transformers already defines keep transformers' class (``kept``); ``ACT2FN`` also
    resolves ``"actlab:<name>"``, names with parameters and names added to the catalog later.
    Idempotent. Returns a :class:`Registration`.
    """
    act2fn, act2cls = _hf.ACT2FN, _hf.ACT2CLS
    _install(act2fn)
    added, kept = [], []
    for key in catalog_keys():
        have = [t[key] for t in (act2cls, act2fn) if dict.__contains__(t, key)]
        if any(not _ours(e) for e in have):
            kept.append(key)
            continue
        if len(have) < 2:
            act2cls[key] = _entry(key)
            dict.__setitem__(act2fn, key, _entry(key))
            added.append(key)
    return Registration("transformers", tuple(added), tuple(kept))


def unregister() -> None:
    """Undo :func:`register`: remove actlab's entries and ``ACT2FN``'s catalog lookup."""
    act2fn, act2cls = _hf.ACT2FN, _hf.ACT2CLS
    for table in (act2cls, act2fn):
        for key in [k for k, v in dict.items(table) if _ours(v)]:
            dict.__delitem__(table, key)
    if getattr(type(act2fn), "_actlab", False):
        act2fn.__class__ = type(act2fn).__mro__[1]


def is_registered() -> bool:
    """Whether :func:`register` is in effect."""
    return bool(getattr(type(_hf.ACT2FN), "_actlab", False))


__all__ = ["Registration", "is_registered", "register", "unregister"]
