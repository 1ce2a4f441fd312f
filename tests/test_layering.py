"""Layering: the import contracts in ``.importlinter`` hold, and ``import actlab`` loads the library only."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

importlinter = pytest.importorskip("importlinter")
grimp = pytest.importorskip("grimp")

ROOT = Path(__file__).resolve().parents[1]
LINT = Path(sys.executable).with_name("lint-imports")


def _lint(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT), "--no-cache", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def test_import_contracts_hold():
    res = _lint()
    assert res.returncode == 0, res.stdout + res.stderr
    assert "Contracts: 2 kept, 0 broken." in res.stdout


def test_the_linter_sees_a_broken_layer(tmp_path):
    # the same package under a contract it breaks (nn imports catalog): reported, exit code 1
    cfg = tmp_path / "upside-down.ini"
    cfg.write_text("[importlinter]\nroot_package = actlab\n\n[importlinter:contract:x]\nname = x\n"
                   "type = layers\nlayers =\n    actlab.catalog\n    actlab.nn\n")
    res = _lint(str(cfg))
    assert res.returncode == 1
    assert "actlab.catalog is not allowed to import actlab.nn" not in res.stdout
    assert "actlab.nn is not allowed to import actlab.catalog" in res.stdout


def test_kernels_do_not_import_nn():
    graph = grimp.build_graph("actlab", cache_dir=None)
    chains = graph.find_shortest_chains(importer="actlab.kernels", imported="actlab.nn", as_packages=True)
    assert not chains, sorted(chains)


_PROBE = """
import json, sys
import actlab
loaded = sorted(m for m in sys.modules if m == "actlab" or m.startswith("actlab."))
third = sorted(m for m in ("transformers", "timm", "torchvision", "ray", "sqlite3", "onnx")
               if m in sys.modules)
patch = actlab.patch  # a lazy public name: imports actlab.integrations.patch now
bench = actlab.bench
after = sorted(m for m in sys.modules if m.startswith(("actlab.bench", "actlab.integrations")))
print(json.dumps({"loaded": loaded, "third": third, "after": after}))
"""


def test_import_actlab_loads_the_library_not_the_applications():
    out = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, timeout=120,
                         check=True)
    res = json.loads(out.stdout.strip().splitlines()[-1])
    top = {m.split(".")[1] for m in res["loaded"] if "." in m}
    assert {"catalog", "functional", "nn", "kernels", "surgery", "probe", "api"} <= top
    assert not top & {"bench", "search", "claims", "cli", "integrations", "speed", "docs", "plots"}, top
    assert res["third"] == []  # no transformers/timm import, no registration side effect
    assert "actlab.integrations.patch" in res["after"] and "actlab.bench" in res["after"]
