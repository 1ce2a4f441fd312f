"""Session-wide test hygiene.

Benchmark tasks, claims protocols and search evaluations seed the global generators and turn on
torch's deterministic-algorithms mode (``actlab.bench.tasks.base.seed_everything``), as a training
run should. Called directly from a test, that global state would leak into every later test: in
deterministic mode new tensors are NaN-filled, which adds kernel launches and changes results of
tests that never asked for it. Every test therefore starts and ends with torch's deterministic mode
as the session had it.
"""

from __future__ import annotations

import pytest
import torch


@pytest.fixture(autouse=True)
def _restore_deterministic_mode():
    mode = torch.are_deterministic_algorithms_enabled(), torch.is_deterministic_algorithms_warn_only_enabled()
    yield
    torch.use_deterministic_algorithms(mode[0], warn_only=mode[1])


@pytest.fixture
def one_thread():
    """One intra-op thread for the test (the previous setting restored after). Tests of tiny models
    and of many small tensor operations (nn, linear, verify, probe) are much faster with one thread
    than with two on a loaded machine: the thread hand-off dominates."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)
