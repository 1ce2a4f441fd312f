"""The report: Markdown + one self-contained HTML file, rendered in headless Chromium."""

from __future__ import annotations

import base64
import io
import re
import shutil
import subprocess

import numpy as np
import pytest

import actlab
from actlab.bench import report as report_mod
from actlab.bench.report import write_report
from actlab.bench.spec import RunSpec
from actlab.bench.store import Store

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
ACTS = {"relu": 0.80, "gelu": 0.84, "silu": 0.83, "leaky_relu": 0.79}


def _fill(store: Store) -> None:
    """Synthetic finished runs of a classification task and an XOR-like learning-rate task."""
    rng = np.random.default_rng(0)
    for act, base in ACTS.items():
        for seed in range(3):
            for task, cfg in (("cls", {"n": 1}), ("xorlike", {"lrs": [0.1, 1.0, 3.0]})):
                s = RunSpec(task, act, {}, seed, cfg)
                v = float(base + 0.01 * rng.standard_normal())
                curves = {"train_loss": list(np.linspace(1.0, 1.0 - v, 20) + 0.02 * rng.random(20))}
                if task == "xorlike":
                    curves |= {"lr": cfg["lrs"], "success_single": [0.0, v, 0.5]}
                    curves |= {"success_mlp": [v, 1.0, 0.2]}
                store.record({
                    "key": s.key, "grp": s.group, "task": task, "activation": act, "params": {},
                    "seed": seed, "config": cfg, "version": s.version, "metric": "accuracy",
                    "higher_is_better": True, "status": "ok",
                    "metrics": {"test_metric": v, "best_test_metric": v, "final_train_loss": 1 - v,
                                "steps": 100.0, "zero_fraction": 0.5 if act == "relu" else 0.0},
                    "curves": curves, "predictions": [seed % 2, 1, 0], "wall_time": 1.0 + rng.random(),
                    "time_per_step": 0.01, "peak_memory": 300 * 2**20, "memory_delta": 2**20,
                    "versions": {"actlab": actlab.__version__, "torch": "x"}, "host": "h", "finished": 1.0,
                })  # fmt: skip
    s = RunSpec("cls", "tanh", {}, 0, {"n": 1})
    store.record({
        "key": s.key, "grp": s.group, "task": "cls", "activation": "tanh", "params": {}, "seed": 0,
        "config": {"n": 1}, "version": s.version, "status": "error", "metrics": {}, "curves": {},
        "error": "RuntimeError: synthetic failure\nTraceback ...", "versions": {}, "finished": 1.0,
    })  # fmt: skip


def _section(store, out):
    """A SECTIONS hook that adds its own plot."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(3, 2))
    ax.plot([0, 1], [1, 0], color="purple")
    fig.savefig(out / "extra.png")
    plt.close(fig)
    return f"## Extra section\n\n{len(store)} runs seen by the hook.\n\n![extra plot](extra.png)\n"


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("report")
    saved = list(report_mod.SECTIONS)
    report_mod.SECTIONS[:] = [_section]
    try:
        with Store(tmp / "r.db") as st:
            _fill(st)
        return write_report(tmp / "r.db", tmp / "out")
    finally:
        report_mod.SECTIONS[:] = saved


def _pngs(html: str) -> list[bytes]:
    return [base64.b64decode(b) for b in re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)]


def test_markdown_and_self_contained_html(report):
    import matplotlib.image as mpimg

    md_path, html_path = report
    md, html = md_path.read_text(), html_path.read_text()
    # leaderboards ranked by mean, the baseline tested against, the error listed
    board = md[md.index("## cls") : md.index("## xorlike")]
    order = [a.replace("\\", "") for a in re.findall(r"^\| \d \| ✓? ?\| \**([a-z\\_]+)", board, re.M)]
    assert order == ["gelu", "silu", "relu", "leaky_relu"], board
    assert "Δ vs relu" in board and "synthetic failure" in board and "0/1 (1 errors)" in board
    assert "Holm" in md and "Multiple comparisons" in md
    # every plot kind: cls 5 (bars, loss, time, disagreement, sparsity), xorlike 6 (+ lr), the hook 1
    for name in ("cls-bars", "cls-loss", "cls-time", "cls-sparsity", "cls-disagreement", "xorlike-lr",
                 "xorlike-bars"):
        assert f"plots/{name}.png" in md
    pngs = _pngs(html)
    assert len(pngs) == 12 and "plots/" not in html and "extra.png" not in html
    # self-contained: no scripts, stylesheets or images fetched from anywhere
    assert "<script" not in html and "<link" not in html and not re.search(r'src="(?!data:)', html)
    for data in pngs:
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        img = mpimg.imread(io.BytesIO(data), format="png")
        assert img.shape[0] > 100 and img.shape[1] > 100 and img[..., :3].std() > 0.01  # a real plot
    assert "Extra section" in html and "25 runs seen by the hook" in html  # 4 x 3 x 2 + 1


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (make test installs it)")
def test_html_renders_in_headless_chromium(report, tmp_path):
    import matplotlib.image as mpimg

    _, html_path = report
    # a copy that reports, after load, how many <img> decoded (naturalWidth > 0)
    probe = tmp_path / "probe.html"
    probe.write_text(html_path.read_text().replace(
        "</body>",
        "<script>addEventListener('load',()=>{const i=[...document.images];document.body.dataset.loaded="
        "i.filter(x=>x.complete&&x.naturalWidth>0).length+'/'+i.length})</script></body>",
    ))  # fmt: skip
    dom = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'ud1'}", "--virtual-time-budget=5000", "--dump-dom",
         probe.as_uri()], capture_output=True, text=True, timeout=120,
    ).stdout  # fmt: skip
    assert 'data-loaded="12/12"' in dom, dom[-2000:]
    assert dom.count("<img") == 12 and "<table>" in dom

    shot = tmp_path / "shot.png"
    subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'ud2'}", f"--screenshot={shot}",
         "--window-size=1280,2000", html_path.as_uri()], capture_output=True, timeout=120,
    )  # fmt: skip
    img = mpimg.imread(shot)[..., :3]
    assert img.shape[:2] == (2000, 1280)
    # not blank: many distinct colours, and coloured (plot) pixels, not just black text on white
    colours = np.unique((img.reshape(-1, 3) * 255).astype(np.uint8), axis=0)
    assert len(colours) > 200
    saturation = img.max(axis=2) - img.min(axis=2)
    assert (saturation > 0.3).mean() > 0.005
