"""Shared fixtures for the actlab.verify tests."""

from __future__ import annotations

import pytest
import torch


@pytest.fixture(autouse=True)
def _one_thread():
    """Bound computations run many small tensor operations: one intra-op thread is much faster than
    two on a loaded machine. The previous setting is restored after each test."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)
