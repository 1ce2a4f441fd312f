"""Every module is reachable by name and listed in the catalog's modules section."""

from __future__ import annotations

import inspect

import pytest
import torch

import actlab
from actlab.docs import catalog_markdown
from actlab.nn.docs import MODULE_DOCS, modules_markdown
from actlab.nn.registry import MODULES


@pytest.mark.parametrize("doc", [d for d in MODULE_DOCS if d.by_name], ids=lambda d: d.obj.__name__)
def test_documented_by_name_calls_build_the_module(doc):
    module = eval(doc.by_name, {"actlab": actlab, "name": "prelu"})
    assert isinstance(module, doc.obj)


def test_registered_module_names():
    expected = {"cats", "topk", "statistical_topk", "stochastic", "smart_mixed", "xunit", "turbo_drelu"}
    assert expected <= set(MODULES)
    with pytest.raises(actlab.UnknownActivationError, match="statistical_topk"):
        actlab.get("statistical_topkk")


def test_every_public_module_is_documented():
    classes = {
        name
        for name in actlab.nn.__all__
        if inspect.isclass(getattr(actlab.nn, name))
        and issubclass(getattr(actlab.nn, name), torch.nn.Module)
        and name != "Activation"
    }
    documented = {d.obj.__name__ for d in MODULE_DOCS}
    assert classes == documented
    md = modules_markdown()
    for name in classes:
        assert f"### `actlab.nn.{name}`" in md
    assert "### `actlab.nn.calibrate`" in md and "arXiv" in md


def test_catalog_markdown_ends_with_the_modules_section():
    md = catalog_markdown()
    assert md.endswith(modules_markdown())
    assert md.index("## Modules") > md.index("### `relu`")
