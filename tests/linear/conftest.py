"""Shared fixtures for the actlab.linear tests."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _one_thread(one_thread):
    """Tiny models: every test runs on one intra-op thread (``one_thread`` in tests/conftest.py)."""
