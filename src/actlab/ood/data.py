"""Data given to :mod:`actlab.ood`: a tensor (or array) of inputs, or an iterable of batches.

A batch is a tensor of inputs or a tuple/list whose first element is (a ``DataLoader`` yielding
``(x, y)``). :func:`as_batches` checks the data before anything runs and returns the per-sample
shape, so that in-distribution and out-of-distribution sets of different shapes are refused up
front.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
import torch

__all__ = ["Batches", "as_batches"]


def _inputs(batch: Any, name: str) -> torch.Tensor:
    if isinstance(batch, (tuple, list)):
        if not batch:
            raise ValueError(f"{name}: an empty batch")
        batch = batch[0]
    if isinstance(batch, np.ndarray):
        batch = torch.from_numpy(batch)
    if not isinstance(batch, torch.Tensor):
        raise ValueError(f"{name} must be a tensor of inputs or an iterable of batches (tensors or "
                         f"(inputs, ...) tuples); got a batch of type {type(batch).__name__}")
    if batch.dim() < 1:
        raise ValueError(f"{name}: a batch must have a leading sample dimension, "
                         f"got shape {tuple(batch.shape)}")
    return batch


class Batches:
    """Re-iterable batches of inputs with a known per-sample shape (``sample_shape``)."""

    def __init__(self, data: Any, name: str, batch_size: int = 512):
        self.name = name
        if isinstance(data, np.ndarray):
            data = torch.from_numpy(data)
        if isinstance(data, torch.Tensor):
            x = _inputs(data, name)
            if len(x) == 0:
                raise ValueError(f"{name} is empty")
            self._tensor: torch.Tensor | None = x
            self._iterable: Iterable[Any] | None = None
            self.sample_shape = tuple(x.shape[1:])
            self.batch_size = batch_size
            return
        if isinstance(data, (str, bytes)) or not isinstance(data, Iterable):
            raise ValueError(f"{name} must be a tensor of inputs or an iterable of batches; "
                             f"got {type(data).__name__}")
        it = iter(data)
        first = next(it, None)
        if first is None:
            raise ValueError(f"{name} is empty")
        x0 = _inputs(first, name)
        self._tensor = None
        # a one-shot iterator is kept whole (its batches are needed again); a re-iterable is not
        self._iterable = [first, *it] if iter(data) is data else data
        self.sample_shape = tuple(x0.shape[1:])
        self.batch_size = batch_size

    def __iter__(self) -> Iterator[torch.Tensor]:
        if self._tensor is not None:
            for i in range(0, len(self._tensor), self.batch_size):
                yield self._tensor[i : i + self.batch_size]
            return
        assert self._iterable is not None
        for batch in self._iterable:
            x = _inputs(batch, self.name)
            if tuple(x.shape[1:]) != self.sample_shape:
                raise ValueError(f"{self.name}: batches of different sample shapes "
                                 f"{self.sample_shape} and {tuple(x.shape[1:])}")
            yield x


def as_batches(data: Any, name: str, batch_size: int = 512) -> Batches:
    """``data`` as :class:`Batches` (validated: a ``ValueError`` naming ``name`` when it is not data)."""
    return data if isinstance(data, Batches) else Batches(data, name, batch_size)
