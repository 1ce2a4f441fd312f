"""Shared fixtures for the actlab.verify tests."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _one_thread(one_thread):
    """Bound computations run many small tensor operations: every test runs on one intra-op
    thread (``one_thread``, tests/conftest.py)."""
