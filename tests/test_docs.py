"""The generated documentation: docs/catalog.md and docs/survey-coverage.md are current, and the
self-contained HTML catalog renders, searches and filters in headless Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

import actlab
from actlab.catalog.registry import PRESETS, REGISTRY
from actlab.catalog_html import catalog_html
from actlab.cli import app
from actlab.docs import catalog_markdown, survey_coverage, survey_coverage_markdown

ROOT = Path(__file__).resolve().parents[1]
SURVEY = ROOT / "docs" / "data" / "survey-rows.tsv"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]


def test_catalog_markdown_is_current():
    committed = (ROOT / "docs" / "catalog.md").read_text()
    assert committed == catalog_markdown(), "docs/catalog.md is out of date: run `actlab docs`"


def test_survey_coverage_is_current_and_lists_every_row():
    committed = (ROOT / "docs" / "survey-coverage.md").read_text()
    assert committed == survey_coverage_markdown(SURVEY), "docs/survey-coverage.md is stale (actlab docs)"
    rows = survey_coverage(SURVEY)
    assert len(rows) == 438
    missing = [r.name for r in rows if not (r.covered_by or r.reason)]
    assert not missing, missing


def test_docs_command_writes_all_three(tmp_path):
    r = CliRunner().invoke(app, ["docs", "--out", str(tmp_path), "--survey", str(SURVEY)])
    assert r.exit_code == 0, r.output
    assert {p.name for p in tmp_path.iterdir()} == {"catalog.md", "survey-coverage.md", "catalog.html"}
    r = CliRunner().invoke(app, ["docs", "--out", str(tmp_path), "--survey", str(tmp_path / "nope.tsv")])
    assert r.exit_code == 2 and "Invalid value" in r.output


def test_html_is_self_contained_and_escapes_what_it_shows():
    page = catalog_html()
    assert "<link" not in page and not re.search(r'src="(?!data:)', page) and "http-equiv" not in page
    assert page.count('<article class="card"') == len(REGISTRY) + len(PRESETS)
    for name in ("golu", "relu", "snake"):
        assert f'id="{name}"' in page
    # a hostile note is shown as text, never as markup
    from actlab.catalog import registry

    spec = actlab.describe("relu")
    import dataclasses

    evil = dataclasses.replace(spec, name="zz_evil", aliases=(), names=(), survey=(), relations=(),
                               notes='<img src=x onerror="alert(1)">')  # fmt: skip
    registry.REGISTRY["zz_evil"] = evil
    try:
        page = catalog_html()
    finally:
        del registry.REGISTRY["zz_evil"]
    assert '<img src=x onerror="alert(1)">' not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page


def _dom(url: str, tmp_path: Path, tag: str) -> str:
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / tag}", "--virtual-time-budget=10000",
         "--dump-dom", url],
        capture_output=True, text=True, timeout=180,
    ).stdout  # fmt: skip


@pytest.mark.skipif(CHROMIUM is None, reason="needs Debian's chromium (make test installs it)")
def test_html_renders_searches_and_filters_in_headless_chromium(tmp_path):
    page = tmp_path / "catalog.html"
    page.write_text(catalog_html())
    total = len(REGISTRY) + len(PRESETS)

    def shown(dom: str) -> tuple[int, int]:
        assert 'data-ready="1"' in dom, dom[-1500:]  # the page's script ran to the end
        visible = len(re.findall(r'<article class="card"(?![^>]*hidden)', dom))
        count = int(re.search(r'<b id="shown">(\d+)</b>', dom).group(1))
        return visible, count

    assert shown(_dom(page.as_uri(), tmp_path, "all")) == (total, total)
    # search: every card whose searchable text contains "gelu"
    expected = sum("gelu" in t for t in re.findall(r'data-search="([^"]*)"', page.read_text()))
    assert expected >= 3
    assert shown(_dom(page.as_uri() + "#q=gelu", tmp_path, "q")) == (expected, expected)
    # filter by family and property
    fam = sum(s.family == "periodic" for s in (*REGISTRY.values(), *PRESETS.values()))
    assert shown(_dom(page.as_uri() + "#family=periodic", tmp_path, "fam")) == (fam, fam)
    pwl = sum(actlab.properties(n).piecewise_linear for n in (*REGISTRY, *PRESETS)
              if actlab.describe(n).elementwise)  # fmt: skip
    assert shown(_dom(page.as_uri() + "#tags=piecewise_linear", tmp_path, "tag")) == (pwl, pwl)
