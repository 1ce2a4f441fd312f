"""``charlm``: a small causal transformer character-level language model; the activation sits in the
feed-forward blocks.

Corpus: by default text built offline from the Python standard library's own source files: every
``*.py`` under ``sysconfig.get_paths()["stdlib"]`` (excluding ``site-packages``, ``dist-packages``,
``__pycache__`` and the ``test``/``tests`` packages), in sorted relative-path order, concatenated
until ``corpus_chars`` characters. It therefore depends on the Python version (the corpus is fixed
for one interpreter). ``corpus=PATH`` uses a text file, or every file under a directory in sorted
order, instead. The vocabulary is the sorted set of characters of the corpus; the last
``val_fraction`` of the text is the validation split.

Model (GPT-style, pre-LayerNorm): token + learned position embeddings; ``n_layer`` blocks of
x + Attn(LN(x)), x + FFN(LN(x)) with causal multi-head self-attention; final LayerNorm; output
projection tied to the token embedding. The FFN (``ffn``) is

- ``plain``: ``actlab.nn.FFN``, f(x W₁) W₂ with ``d_ff`` (default 4·d_model);
- ``glu``: ``actlab.nn.GatedFFN``, (f(x W) ⊙ x V) W₂ with ``glu_d_ff`` (default ⌈8·d_model/3⌉
  rounded up to a multiple of 64, about the parameters of the plain FFN; Shazeer's equal-parameter
  comparison uses exactly 2/3 of the plain ``d_ff``),

with f = ``make_act()`` (one per block). No biases in the FFN. AdamW (weight decay on matrices only),
linear warm-up then cosine decay, minibatches of random windows of ``context`` characters.

Test metric (lower is better): validation loss in bits per character, the mean next-character
cross-entropy / ln 2 over ``eval_windows`` evenly spaced validation windows. ``device`` (default
``"cpu"``) is where the model trains. ``zero_fraction``,
``near_zero_fraction`` and ``dead_rate`` are the FFN activation statistics on validation windows.
"""

from __future__ import annotations

import functools
import math
import os
import sysconfig
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from torch import nn
from torch.nn import functional as F

from actlab.bench.tasks._train import ActSites, lr_factor, probe_stats
from actlab.bench.tasks.base import Task, TaskResult, Tracker, finite, register_task, seed_everything

_SKIP_DIRS = {"site-packages", "dist-packages", "__pycache__", "test", "tests"}


def _stdlib_files() -> list[Path]:
    root = Path(sysconfig.get_paths()["stdlib"])
    files = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP_DIRS)
        files.extend(Path(dirpath, f) for f in filenames if f.endswith(".py"))
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def _files_under(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if path.is_dir():
        files = (p for p in path.rglob("*") if p.is_file())
        return sorted(files, key=lambda p: p.relative_to(path).as_posix())
    raise FileNotFoundError(f"charlm: corpus {str(path)!r} does not exist")


@functools.lru_cache(maxsize=4)
def load_corpus(corpus: str | None, max_chars: int) -> str:
    """Stdlib sources (``corpus=None``) or the file(s) at ``corpus``, cut to ``max_chars`` characters."""
    files = _stdlib_files() if corpus is None else _files_under(Path(corpus).expanduser())
    parts, n = [], 0
    for f in files:
        try:
            text = f.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue  # binary or unreadable files are skipped
        parts.append(text)
        n += len(text)
        if n >= max_chars:
            break
    text = "".join(parts)[:max_chars]
    if len(text) < 1000:
        raise ValueError(f"charlm: corpus has only {len(text)} characters; need at least 1000")
    return text


class Block(nn.Module):
    """Pre-LN transformer block: x + Attn(LN(x)), then x + FFN(LN(x))."""

    def __init__(self, d_model: int, n_head: int, ffn: nn.Module):
        super().__init__()
        self.n_head = n_head
        self.ln1 = nn.LayerNorm(d_model)
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.proj = nn.Linear(d_model, d_model)
        self.ln2 = nn.LayerNorm(d_model)
        self.ffn = ffn

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, t, d = x.shape
        q, k, v = self.qkv(self.ln1(x)).split(d, dim=2)
        q, k, v = (z.view(b, t, self.n_head, d // self.n_head).transpose(1, 2) for z in (q, k, v))
        a = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        x = x + self.proj(a.transpose(1, 2).reshape(b, t, d))
        return x + self.ffn(self.ln2(x))


def make_ffn(
    kind: str, d_model: int, make_act: Callable[[], nn.Module], d_ff: int | None = None
) -> nn.Module:
    """``actlab.nn.FFN`` (``plain``, hidden ``d_ff`` or 4·d_model) or ``actlab.nn.GatedFFN``
    (``glu``, hidden ``d_ff`` or its default) with activation ``make_act()``."""
    from actlab.nn import FFN, GatedFFN

    if kind == "plain":
        ffn = FFN(d_model, int(d_ff or 4 * d_model), act="relu")
    elif kind == "glu":
        ffn = GatedFFN(d_model, None if d_ff is None else int(d_ff), gate="relu")
    else:
        raise ValueError(f"charlm: ffn must be 'plain' or 'glu', got {kind!r}")
    act = make_act()
    ffn.act = act  # the blocks call self.act(...): replace the placeholder with the benchmarked one
    name = getattr(getattr(act, "spec", None), "name", None) or type(act).__name__
    if kind == "plain":
        ffn.act_name = name
    else:
        ffn.gate_name = name
    return ffn


class CharTransformer(nn.Module):
    def __init__(self, vocab: int, cfg: dict[str, Any], make_act: Callable[[], nn.Module]):
        super().__init__()
        d = int(cfg["d_model"])
        if d % int(cfg["n_head"]):
            raise ValueError(f"charlm: d_model {d} is not divisible by n_head {cfg['n_head']}")
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(int(cfg["context"]), d)
        n_layer, n_head = int(cfg["n_layer"]), int(cfg["n_head"])
        d_ff = cfg.get("d_ff") if cfg["ffn"] == "plain" else cfg.get("glu_d_ff")
        self.blocks = nn.ModuleList(
            Block(d, n_head, make_ffn(cfg["ffn"], d, make_act, d_ff)) for _ in range(n_layer)
        )
        self.ln = nn.LayerNorm(d)
        self.head = nn.Linear(d, vocab, bias=False)
        self.head.weight = self.tok.weight
        for name, p in self.named_parameters():  # GPT-2 style init
            if p.dim() == 2:
                residual = name.endswith((".proj.weight", ".down_proj.weight"))  # scaled as in GPT-2
                std = 0.02 / math.sqrt(2 * int(cfg["n_layer"])) if residual else 0.02
                nn.init.normal_(p, 0.0, std)
            elif name.endswith("bias"):
                nn.init.zeros_(p)

    def forward(self, idx: torch.Tensor) -> torch.Tensor:
        x = self.tok(idx) + self.pos(torch.arange(idx.shape[1], device=idx.device))
        for blk in self.blocks:
            x = blk(x)
        return self.head(self.ln(x))


@torch.no_grad()
def val_bpc(model: nn.Module, windows: torch.Tensor, batch: int) -> float:
    """Mean next-character cross-entropy over ``windows`` in bits per character."""
    was = model.training
    model.eval()
    total, n = 0.0, 0
    for i in range(0, len(windows), batch):
        w = windows[i : i + batch]
        logits = model(w[:, :-1])
        total += float(F.cross_entropy(logits.flatten(0, 1), w[:, 1:].flatten(), reduction="sum"))
        n += w[:, 1:].numel()
    model.train(was)
    return total / n / math.log(2)


@dataclass
class CharData:
    """The corpus split: training characters, validation windows, the vocabulary."""

    text_chars: int
    vocab: list[str]
    train: torch.Tensor
    val_windows: torch.Tensor


def prepare_data(config: dict[str, Any]) -> CharData:
    text = load_corpus(config["corpus"], int(config["corpus_chars"]))
    vocab = sorted(set(text))
    lookup = {c: i for i, c in enumerate(vocab)}
    data = torch.tensor([lookup[c] for c in text], dtype=torch.int64)
    ctx = int(config["context"])
    n_val = max(int(len(data) * float(config["val_fraction"])), ctx + 2)
    train, val = data[:-n_val], data[-n_val:]
    starts = torch.linspace(0, len(val) - ctx - 1, int(config["eval_windows"])).long()
    device = torch.device(config["device"])
    val_windows = torch.stack([val[s : s + ctx + 1] for s in starts.tolist()]).to(device)
    return CharData(len(text), vocab, train, val_windows)


def make_optimizer(
    model: nn.Module, config: dict[str, Any], lr: float | None = None
) -> torch.optim.Optimizer:
    """AdamW (β = 0.9, 0.95), weight decay on matrices only."""
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    return torch.optim.AdamW(
        [{"params": decay, "weight_decay": float(config["weight_decay"])},
         {"params": no_decay, "weight_decay": 0.0}],
        lr=float(config["lr"] if lr is None else lr),
        betas=(0.9, 0.95),
    )  # fmt: skip


def train_lm(
    model: nn.Module,
    data: CharData,
    config: dict[str, Any],
    gen: torch.Generator,
    tr: Tracker,
    *,
    steps: int,
    lr: float,
    warmup: int,
    evals: int,
    prefix: str = "",
) -> int:
    """``steps`` AdamW steps on random training windows (warm-up then cosine decay of ``lr``),
    ``evals`` validation evaluations (curve ``{prefix}test_metric``; for ``prefix=""`` the
    tracker's test metric). Returns the steps done (fewer when the loss diverged: ``tr.diverged``)."""
    device = next(model.parameters()).device
    opt = make_optimizer(model, config, lr)
    bs, ctx = int(config["batch_size"]), int(config["context"])
    eval_at = {max(1, round(steps * (i + 1) / max(1, evals))) for i in range(max(1, evals))}
    log_every = max(1, steps // 50)
    run_loss, run_n, done = 0.0, 0, 0
    model.train()
    for step in range(1, steps + 1):
        ix = torch.randint(0, len(data.train) - ctx - 1, (bs,), generator=gen)
        w = torch.stack([data.train[i : i + ctx + 1] for i in ix.tolist()]).to(device)
        for g in opt.param_groups:
            g["lr"] = lr * lr_factor("cosine", step - 1, steps, warmup)
        loss = F.cross_entropy(model(w[:, :-1]).flatten(0, 1), w[:, 1:].flatten())
        loss_value = loss.item()  # the step's one host sync
        if not math.isfinite(loss_value):
            tr.diverged = True
            break
        opt.zero_grad(set_to_none=True)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        done += 1
        run_loss += loss_value
        run_n += 1
        if step % log_every == 0 or step == steps:
            tr.log(f"{prefix}train_loss", run_loss / run_n)
            run_loss, run_n = 0.0, 0
        if step in eval_at:
            if not finite(0.0, model):
                tr.diverged = True
                break
            v = val_bpc(model, data.val_windows, bs)
            if prefix:
                tr.log(f"{prefix}test_metric", v)
            else:
                tr.evaluation(v)
    return done


@dataclass
class Fitted:
    """A trained charlm run: what later measurements need."""

    data: CharData
    model: nn.Module
    gen: torch.Generator
    tracker: Tracker
    steps: int
    extra: dict[str, float]


@register_task
class CharLMTask(Task):
    name = "charlm"
    metric = "val_bpc"
    higher_is_better = False
    description = "char-level causal transformer LM on Python stdlib source; activation in the FFN; bits/char"

    def default_config(self, preset: str) -> dict[str, Any]:
        base = {"corpus": None, "corpus_chars": 1_000_000, "val_fraction": 0.1, "ffn": "plain",
                "d_model": 64, "d_ff": None, "glu_d_ff": None, "n_head": 4, "n_layer": 2, "context": 64,
                "batch_size": 32, "lr": 2e-3, "weight_decay": 0.1, "warmup_steps": 20, "evals": 5,
                "eval_windows": 128, "device": "cpu"}
        if preset == "tiny":
            return {**base, "corpus_chars": 100_000, "d_model": 32, "n_layer": 1, "context": 32,
                    "batch_size": 16, "steps": 60, "eval_windows": 32, "warmup_steps": 5}
        if preset == "quick":
            return {**base, "steps": 300}
        if preset == "full":
            return {**base, "corpus_chars": 5_000_000, "d_model": 128, "n_head": 4, "n_layer": 4,
                    "context": 128, "batch_size": 32, "lr": 1e-3, "steps": 3000, "warmup_steps": 100,
                    "evals": 15, "eval_windows": 256}
        raise ValueError(f"unknown preset {preset!r}")

    def warmup_config(self, config: dict[str, Any]) -> dict[str, Any]:
        return {**config, "steps": 3, "evals": 1, "warmup_steps": 1}

    def build(self, config: dict[str, Any], make_act: Callable[[], nn.Module], seed: int):
        """``(data, model, activation sites, generator)`` of one run, before training."""
        data = prepare_data(config)
        gen = seed_everything(seed)
        sites = ActSites(make_act)
        model = CharTransformer(len(data.vocab), config, sites).to(torch.device(config["device"]))
        return data, model, sites, gen

    def fit(self, make_act: Callable[[], nn.Module], seed: int, config: dict[str, Any]) -> Fitted:
        """Build and train one run's model; measure its FFN activations on validation windows."""
        data, model, sites, gen = self.build(config, make_act, seed)
        tr = Tracker(higher_is_better=False)
        done = train_lm(model, data, config, gen, tr, steps=int(config["steps"]), lr=float(config["lr"]),
                        warmup=int(config["warmup_steps"]), evals=int(config["evals"]))  # fmt: skip
        extra: dict[str, float] = {}
        if not tr.diverged:
            bs = int(config["batch_size"])
            first = data.val_windows[:bs, :-1]
            extra = probe_stats(model, lambda: model(first), sites.modules, neuron_dim=-1)
            extra["vocab_size"] = float(len(data.vocab))
            extra["corpus_chars"] = float(data.text_chars)
            extra["params"] = float(sum(p.numel() for p in model.parameters()))
        return Fitted(data, model, gen, tr, done, extra)

    def run(self, make_act: Callable[[], nn.Module], seed: int, config: dict[str, Any]) -> TaskResult:
        f = self.fit(make_act, seed, config)
        if f.tracker.diverged:
            return f.tracker.result(float("nan"), f.steps)
        return f.tracker.result(f.tracker.curves["test_metric"][-1], f.steps, extra=f.extra)
