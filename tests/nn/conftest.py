"""Shared fixtures for the actlab.nn tests."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _one_thread(one_thread):
    """The models here are tiny: every test runs on one intra-op thread (tests/conftest.py)."""
