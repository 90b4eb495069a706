"""In-memory mini-batches by tensor slicing.

skorch's default ``DataLoader`` collates one window at a time, which dominates
the cost of training small models on many short windows. This iterator slices
whole batches out of one tensor instead (already on the training device when
the estimator put it there).
"""

from __future__ import annotations

import torch


def _as_tensor(data):
    if data is None or isinstance(data, torch.Tensor):
        return data
    if isinstance(data, dict):
        return {name: _as_tensor(value) for name, value in data.items()}
    return torch.as_tensor(data)


def take_rows(data, idx):
    """Rows ``idx`` of a tensor, or of every tensor of a dict of named per-window inputs.

    Examples
    --------
    >>> import torch
    >>> from sktime_har._training._iterator import take_rows
    >>> batch = take_rows({"windows": torch.zeros(4, 2), "window_index": torch.arange(4)}, [1, 3])
    >>> batch["window_index"].tolist()
    [1, 3]
    """
    if data is None:
        return None
    if isinstance(data, dict):
        return {name: value[idx] for name, value in data.items()}
    return data[idx]


def n_rows(data) -> int:
    """Windows in a tensor, or in a dict of named per-window inputs (its ``"windows"``)."""
    return len(data["windows"] if isinstance(data, dict) else data)


def windows_of(data):
    """The windows of a batch: the tensor itself, or the ``"windows"`` of named inputs."""
    return data["windows"] if isinstance(data, dict) else data


class TensorBatchIterator:
    """Iterate over ``(X_batch, y_batch)`` slices of a skorch ``Dataset``.

    Drop-in for skorch's ``iterator_train`` / ``iterator_valid``. Shuffling
    draws from torch's global generator, which the estimators seed inside a
    forked RNG scope, so runs are reproducible without touching the caller's
    RNG state.

    Parameters
    ----------
    dataset : skorch.dataset.Dataset
        Holds ``X`` (array or tensor, first axis = windows, or a dict of
        such tensors: the windows under ``"windows"`` and named per-window
        inputs of the loss beside them) and optional ``y``.
    batch_size : int, default=128
        Windows per batch.
    shuffle : bool, default=False
        Draw a new permutation each epoch.
    drop_last : bool, default=False
        Drop a final incomplete batch (contrastive and variance losses need
        several windows per batch).

    Examples
    --------
    >>> import numpy as np
    >>> from skorch.dataset import Dataset
    >>> from sktime_har._training import TensorBatchIterator
    >>> it = TensorBatchIterator(Dataset(np.zeros((5, 2), "float32")), batch_size=2)
    >>> [len(xb) for xb, _ in it]
    [2, 2, 1]
    """

    def __init__(self, dataset, batch_size: int = 128, shuffle: bool = False,
                 drop_last: bool = False):
        self.dataset = dataset
        self.batch_size = int(batch_size)
        self.shuffle = shuffle
        self.drop_last = drop_last

    def __len__(self) -> int:
        n = len(self.dataset)
        if self.drop_last and n >= self.batch_size:
            return n // self.batch_size
        return -(-n // self.batch_size)

    def __iter__(self):
        X = _as_tensor(self.dataset.X)
        y = _as_tensor(self.dataset.y)
        n = n_rows(X)
        order = torch.randperm(n, device=windows_of(X).device) if self.shuffle else None
        for b in range(len(self)):
            start = b * self.batch_size
            if order is None:
                idx = slice(start, start + self.batch_size)
            else:
                idx = order[start : start + self.batch_size]
            yield take_rows(X, idx), take_rows(y, idx)
