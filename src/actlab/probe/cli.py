"""``actlab probe``: build a model, run generated inputs through it, print and write the probe.

The typer wrapper lives in :mod:`actlab.cli`; this module does the work. Exit codes: 0 done,
2 bad input (unknown model, unknown activation, conflicting options) or weights that could not
be downloaded.

Models are built with random initialisation and no download: a timm model by name
(``pretrained=False``), or a Hugging Face model from its config class
(``AutoConfig.for_model(model_type, ...)``) made tiny (:data:`TINY_HF`). ``--weights`` instead
downloads pretrained weights (a timm name, or a Hugging Face Hub id) and fails with a clear
message when the Hub cannot be reached.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import torch
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from torch import nn

from actlab.probe.hooks import METRICS, Probe, probe
from actlab.probe.prediction import prediction_difference

__all__ = ["BadInput", "build_model", "make_batches", "probe_command", "TINY_HF"]

console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

#: Sizes of the randomly initialised Hugging Face models (keys a config does not know are ignored
#: by it): 2 layers, width 64, 4 heads, 256-token vocabulary.
TINY_HF: dict[str, Any] = {
    "hidden_size": 64,
    "intermediate_size": 128,
    "num_hidden_layers": 2,
    "num_attention_heads": 4,
    "num_key_value_heads": 2,
    "vocab_size": 256,
    "max_position_embeddings": 128,
    "bos_token_id": 1,
    "eos_token_id": 2,
    "pad_token_id": 0,
    "image_size": 32,
    "patch_size": 8,
}


class BadInput(Exception):
    """Rejected input (exit code 2)."""


def _hf_model(name: str, weights: bool) -> tuple[nn.Module, dict[str, Any]]:
    try:
        import transformers
        from transformers import AutoConfig
        from transformers.models.auto.configuration_auto import CONFIG_MAPPING_NAMES
        from transformers.models.auto.modeling_auto import MODEL_FOR_CAUSAL_LM_MAPPING_NAMES
    except ImportError as e:  # pragma: no cover - transformers is in the `all` extra
        raise BadInput(f"--hf-config needs transformers ({e}); pip install 'actlab[all]'") from None
    if weights:
        try:
            config = AutoConfig.from_pretrained(name)
            auto = (transformers.AutoModelForCausalLM
                    if config.model_type in MODEL_FOR_CAUSAL_LM_MAPPING_NAMES else transformers.AutoModel)
            model = auto.from_pretrained(name)
        except (OSError, ValueError) as e:
            raise BadInput(
                f"could not load pretrained weights for {name!r} from the Hugging Face Hub: "
                f"{str(e).splitlines()[0]}\n--weights needs network access to the Hub (or the files "
                "in the local cache); without --weights, --hf-config takes a model type such as "
                "'llama' or 'gpt2' and builds a small randomly initialised model offline."
            ) from None
        return model, {"source": "hf", "name": name, "weights": "pretrained"}
    if name not in CONFIG_MAPPING_NAMES:
        import difflib

        close = difflib.get_close_matches(name, list(CONFIG_MAPPING_NAMES), n=5)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise BadInput(f"unknown Hugging Face model type {name!r}{hint}")
    config = AutoConfig.for_model(name, **TINY_HF)
    heads = getattr(config, "num_attention_heads", None)
    if isinstance(getattr(config, "head_dim", None), int) and heads:
        config.head_dim = config.hidden_size // heads
    causal = name in MODEL_FOR_CAUSAL_LM_MAPPING_NAMES
    auto = transformers.AutoModelForCausalLM if causal else transformers.AutoModel
    model = auto.from_config(config)
    return model, {"source": "hf", "name": name, "weights": "random", "class": type(model).__name__}


def _timm_model(name: str, weights: bool) -> tuple[nn.Module, dict[str, Any]]:
    try:
        import timm
    except ImportError as e:  # pragma: no cover
        raise BadInput(f"--timm needs timm ({e}); pip install 'actlab[all]'") from None
    if not timm.is_model(name):
        close = timm.list_models(f"*{name}*")[:5]
        hint = f"; similar: {', '.join(close)}" if close else ""
        raise BadInput(f"unknown timm model {name!r}{hint}")
    try:
        model = timm.create_model(name, pretrained=weights)
    except Exception as e:  # hub / network errors come in many types
        if not weights:
            raise
        raise BadInput(
            f"could not download pretrained weights for timm model {name!r}: "
            f"{str(e).splitlines()[0] if str(e) else type(e).__name__}\n--weights needs network "
            "access to the Hugging Face Hub (or the files in the local cache); drop --weights to "
            "probe the randomly initialised model."
        ) from None
    return model, {"source": "timm", "name": name, "weights": "pretrained" if weights else "random"}


def build_model(
    model: str | None = None, hf_config: str | None = None, timm_name: str | None = None,
    weights: bool = False,
) -> tuple[nn.Module, dict[str, Any]]:
    """The model named by exactly one of ``model`` (``timm:NAME``, ``hf:NAME`` or a bare name,
    tried as a timm model and then as a Hugging Face model type), ``hf_config`` or ``timm_name``."""
    given = [x for x in (model, hf_config, timm_name) if x]
    if len(given) != 1:
        raise BadInput("give exactly one model: MODEL, --hf-config NAME or --timm NAME")
    if hf_config:
        return _hf_model(hf_config, weights)
    if timm_name:
        return _timm_model(timm_name, weights)
    src, sep, name = model.partition(":")
    if sep and src in ("hf", "timm"):
        return _hf_model(name, weights) if src == "hf" else _timm_model(name, weights)
    try:
        import timm

        if timm.is_model(model):
            return _timm_model(model, weights)
    except ImportError:  # pragma: no cover
        pass
    return _hf_model(model, weights)


def make_batches(model: nn.Module, n: int, batch_size: int, seq_len: int, image_size: int | None,
                 seed: int) -> list[Any]:
    """``n`` generated input batches suited to ``model`` (token ids or images), reproducible by seed."""
    g = torch.Generator().manual_seed(seed)
    config = getattr(model, "config", None)
    main = getattr(model, "main_input_name", None)
    if config is not None and main == "input_ids":
        vocab = int(config.vocab_size)
        return [{"input_ids": torch.randint(0, vocab, (batch_size, seq_len), generator=g)} for _ in range(n)]
    if config is not None and main == "pixel_values":
        size = image_size or int(getattr(config, "image_size", 32))
        ch = int(getattr(config, "num_channels", 3))
        return [{"pixel_values": torch.randn(batch_size, ch, size, size, generator=g)} for _ in range(n)]
    if config is not None:
        raise BadInput(f"inputs named {main!r} are not generated; probe it from Python with your data")
    cfg = getattr(model, "pretrained_cfg", None) or getattr(model, "default_cfg", None) or {}
    ch, h, w = cfg.get("input_size", (3, 224, 224))
    if image_size:
        h = w = image_size
    return [torch.randn(batch_size, ch, h, w, generator=g) for _ in range(n)]


def _run(model: nn.Module, batches: list[Any], label: str, **settings: Any) -> Probe:
    from actlab.probe.prediction import run_model

    model.eval()
    with Progress(TextColumn(f"[bold]{label}[/bold]"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True) as bar:
        task = bar.add_task(label, total=len(batches))
        with torch.no_grad(), probe(model, **settings) as p:
            for b in batches:
                run_model(model, b)
                bar.advance(task)
    return p


_SHORT = {
    "zero_fraction": "zero",
    "near_zero_fraction": "near0",
    "threshold_sparsity": "thr_sp",
    "dead_rate": "dead",
    "massive_count": "massv",
    "mean": "mean",
    "var": "var",
}


def _fmt(metric: str, v: float) -> str:
    if isinstance(v, float) and math.isnan(v):
        return "–"
    if metric == "massive_count":
        return str(int(v))
    if metric in ("mean", "var"):
        return f"{v:.3g}"
    return f"{v:.3f}"


def _rows(before: Probe, after: Probe | None, label: str) -> list[tuple[str, str, list[str]]]:
    """(layer, stage, formatted metric cells) for the table and the markdown."""
    a = after.table() if after is not None else {}
    out = []
    for layer, vals in before.table().items():
        out.append((layer, "before" if after is not None else "", [_fmt(m, vals[m]) for m in METRICS]))
        if after is not None:
            av = a.get(layer)
            out.append(("", f"→ {label}",
                        [_fmt(m, av[m]) if av else "?" for m in METRICS]))
    return out


def probe_table(before: Probe, after: Probe | None = None, title: str = "", label: str = "after") -> Table:
    """A rich table: one row per layer (and one more, ``→ label``, after a swap), one column per metric."""
    t = Table(title=title)
    t.add_column("layer", overflow="fold", min_width=12)
    for m in METRICS:
        t.add_column(_SHORT[m], justify="right", no_wrap=True)
    for layer, stage, cells in _rows(before, after, label):
        t.add_row(layer or f"  {stage}", *cells)
    return t


def probe_markdown(before: Probe, after: Probe | None = None, label: str = "after") -> str:
    """The same table as GitHub markdown (for notes and reports)."""
    cols = ["layer", *([""] if after is not None else []), *(_SHORT[m] for m in METRICS)]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for layer, stage, cells in _rows(before, after, label):
        lines.append("| " + " | ".join([layer, *([stage] if after is not None else []), *cells]) + " |")
    return "\n".join(lines) + "\n"


def probe_command(
    model: str | None = None,
    hf_config: str | None = None,
    timm_name: str | None = None,
    weights: bool = False,
    swap_to: str | None = None,
    batches: int = 8,
    batch_size: int = 4,
    seq_len: int = 32,
    image_size: int | None = None,
    seed: int = 0,
    eps: float = 1e-3,
    cett: float = 0.2,
    out: Path = Path("out/probe"),
) -> int:
    """Run the command; return the exit code."""
    from actlab.api import get
    from actlab.surgery import swap

    try:
        if batches < 1 or batch_size < 1 or seq_len < 1:
            raise BadInput("--batches, --batch-size and --seq-len must be >= 1")
        if swap_to is not None:
            get(swap_to)  # unknown names fail before the model is built
        torch.manual_seed(seed)
        net, info = build_model(model, hf_config, timm_name, weights)
        data = make_batches(net, batches, batch_size, seq_len, image_size, seed)
        settings = {"eps": eps, "cett": cett}
        before = _run(net, data, info["name"], **settings)
    except (BadInput, LookupError, ValueError, TypeError) as e:
        err.print(f"[red]error:[/red] {e}")
        return 2
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    params = sum(p.numel() for p in net.parameters())
    console.print(f"[bold]{info['name']}[/bold] ({info['source']}, {info['weights']} weights, "
                  f"{params:,} parameters); {batches} batches of {batch_size}"
                  + (f" x {seq_len} tokens" if isinstance(data[0], dict) and "input_ids" in data[0] else ""))
    summary: dict[str, Any] = {"model": info, "batches": batches, "batch_size": batch_size,
                               "seq_len": seq_len, "seed": seed}
    if swap_to is None:
        console.print(probe_table(before, title=f"probe of {info['name']}"))
        written = [before.to_csv(out / "probe.csv"), before.to_json(out / "probe.json"),
                   before.plot(out / "probe.png", title=info["name"])]
        (out / "probe.md").write_text(probe_markdown(before))
        written.append(out / "probe.md")
    else:
        rep = swap(net, swap_to)
        after = _run(rep.model, data, f"{info['name']} → {swap_to}", **settings)
        pd = prediction_difference(net, rep.model, data)
        console.print(f"swap → {swap_to}: replaced {rep.count} module(s)"
                      + (f", {len(rep.not_replaced)} not replaceable" if rep.not_replaced else ""))
        for r in rep.not_replaced:
            console.print(f"  not replaced: {r}")
        for k, old, new in rep.config_changes:
            console.print(f"  config.{k}: {old!r} → {new!r}")
        title = f"probe of {info['name']}: before → after swap to {swap_to}"
        console.print(probe_table(before, after, title=title, label=swap_to))
        console.print(f"prediction difference (argmax disagreement over {pd.n} predictions): "
                      f"{pd.disagreement:.3f}; mean total-variation distance: {pd.pd_l1:.3f}")
        written = [before.to_csv(out / "before.csv"), before.to_json(out / "before.json"),
                   before.plot(out / "before.png", title=f"{info['name']} (before)"),
                   after.to_csv(out / "after.csv"), after.to_json(out / "after.json"),
                   after.plot(out / "after.png", title=f"{info['name']} → {swap_to}")]
        (out / "probe.md").write_text(probe_markdown(before, after, label=swap_to))
        written.append(out / "probe.md")
        summary |= {"swap_to": swap_to, "swap": rep.to_dict(), "prediction_difference": pd.as_dict()}
    (out / "summary.json").write_text(json.dumps(summary, indent=1))
    written.append(out / "summary.json")
    console.print("wrote " + ", ".join(str(p) for p in written))
    return 0
