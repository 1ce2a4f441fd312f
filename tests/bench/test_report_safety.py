"""A report is safe to open: every string a (hostile) store holds is escaped in Markdown and HTML, raw
HTML is never rendered, and headless Chromium runs no script from it."""

from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser

import pytest

import actlab
from actlab.bench import report as report_mod
from actlab.bench.report import md_escape, write_report
from actlab.bench.spec import RunSpec
from actlab.bench.store import RunRecord, Store

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]  # fmt: skip

EVIL_ACT = "<img src=x onerror=alert(1)> $\\frac{a}{$"  # and a broken mathtext label for the plots
EVIL_TASK = "t<svg onload=alert(3)>"
EVIL = {
    "params": {"<script>alert(2)</script>": "</td><script>alert(2)</script>"},
    "config": {"a": "[click](javascript:alert(4))", "b": "<iframe src=javascript:alert(7)>", "lr": 0.1},
    "error": "RuntimeError: <iframe src=javascript:alert(8)></iframe> `code` *bold* | pipe",
    "host": "<b onmouseover=alert(5)>host</b>",
    "metric": "<script>alert(9)</script>",
}
FORBIDDEN_TAGS = {"script", "iframe", "svg", "object", "embed", "b", "i", "u", "form", "input", "link",
                  "meta"}  # fmt: skip


def _hostile_store(path) -> None:
    with Store(path) as st:
        for act in (EVIL_ACT, "relu"):
            for seed in range(3):
                s = RunSpec(EVIL_TASK, act, EVIL["params"] if act != "relu" else {}, seed, EVIL["config"])
                st.record(RunRecord(
                    key=s.key, group=s.group, task=EVIL_TASK, activation=act, params=s.params, seed=seed,
                    config=s.config, version=s.version, status="ok",
                    metrics={"test_metric": 0.5 + 0.01 * seed + (0.1 if act == "relu" else 0),
                             "final_train_loss": 0.3, "steps": 10.0},
                    curves={"train_loss": [1.0, 0.5]}, metric=EVIL["metric"], higher_is_better=True,
                    wall_time=1.0, host=EVIL["host"], versions={"actlab": "<i>x</i>", "torch": "<u>y</u>"},
                    predictions=[0, 1, seed % 2], finished=1.0,
                ))  # fmt: skip
        s = RunSpec(EVIL_TASK, EVIL_ACT, EVIL["params"], 9, EVIL["config"])
        st.record(RunRecord(key=s.key, group=s.group, task=EVIL_TASK, activation=EVIL_ACT, params=s.params,
                            seed=9, config=s.config, version=s.version, status="error", error=EVIL["error"],
                            host=EVIL["host"], finished=1.0))  # fmt: skip


class _Audit(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.bad: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_TAGS:
            self.bad.append(f"<{tag}>")
        for k, v in attrs:
            if k.startswith("on"):
                self.bad.append(f"{tag}[{k}]")
            if k in ("src", "href") and v and not (v.startswith(("data:image/", "#"))):
                self.bad.append(f"{tag}[{k}={v[:40]}]")


def _raw_section(store, out):
    return "## Hook\n\n<script>alert(6)</script> <img src=x onerror=alert(10)>\n"


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile")
    _hostile_store(tmp / "evil.db")
    saved = list(report_mod.SECTIONS)
    report_mod.SECTIONS[:] = [_raw_section]
    try:
        return write_report(tmp / "evil.db", tmp / "out")
    finally:
        report_mod.SECTIONS[:] = saved


def test_markdown_escapes_every_store_string(hostile_report):
    md = hostile_report[0].read_text()
    ours = md[: md.index("## Hook")]  # the hook's own raw HTML is the hook's; it is rendered as text below
    import re

    assert not re.search(r"(?<!\\)<", ours), re.findall(r".{20}(?<!\\)<.{20}", ours)[:5]
    assert not re.search(r"(?<!\\)\[click\]", ours)
    assert md_escape(EVIL_ACT) in md and "RuntimeError: \\<iframe" in md
    assert md.count("](plots/") >= 3  # the plots were drawn, hostile labels (a broken $…$) and all


def test_html_has_no_markup_from_the_store(hostile_report):
    html = hostile_report[1].read_text()
    audit = _Audit()
    audit.feed(html[html.index("<body>") :])
    assert not audit.bad, audit.bad
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # shown, as text
    assert "&lt;script&gt;alert(6)&lt;/script&gt;" in html  # a section's raw HTML is text too
    body = html[html.index("<body>") :]
    assert 'href="javascript' not in html and "<a " not in body.replace('<a href="#', "")


def test_md_escape_neutralises_markdown_and_html():
    from markdown_it import MarkdownIt

    for text in ("<b>x</b>", "[a](javascript:x)", "*em* _u_ `c`", "a | b", "# head", "![i](x.png)", "&amp;"):
        out = MarkdownIt("commonmark", {"html": False}).renderInline(md_escape(text))
        assert "<b>" not in out and "<a " not in out and "<em>" not in out and "<code>" not in out
        assert "<img" not in out


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (make test installs it)")
def test_headless_chromium_runs_no_script_from_the_store(hostile_report, tmp_path):
    html = hostile_report[1].read_text()
    probe = tmp_path / "probe.html"
    trap = ("<script>window.alert=()=>{document.documentElement.dataset.pwned='yes'};"
            "addEventListener('load',()=>{document.body.dataset.done='1'})</script>")  # fmt: skip
    probe.write_text(html.replace("<head>", "<head>" + trap, 1))
    dom = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'ud'}", "--virtual-time-budget=5000", "--dump-dom",
         probe.as_uri()], capture_output=True, text=True, timeout=120,
    ).stdout  # fmt: skip
    assert 'data-done="1"' in dom, dom[-1500:]
    assert 'data-pwned="yes"' not in dom
    assert actlab.__version__  # the report rendered with the installed actlab
