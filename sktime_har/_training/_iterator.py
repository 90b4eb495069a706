"""Mini-batches by slicing: of one tensor in memory, or read batch by batch from a file.

skorch's default ``DataLoader`` collates one window at a time, which dominates
the cost of training small models on many short windows. This iterator slices
whole batches out of one tensor instead (already on the training device when
the estimator put it there). Data larger than memory (a ``numpy.memmap``)
stays on disk: each batch is read from the file, cast to float32 and turned
into a tensor on its own, so memory holds a batch, never the dataset.
"""

from __future__ import annotations

import numpy as np
import torch

from sktime_har._training._distributed import local_share


class LazyRows:
    """Rows ``indices`` of an array left where it is (a memmap: in its file).

    What a validation split of data larger than memory holds: indices, not a
    copy of the rows.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_har._training._iterator import LazyRows
    >>> rows = LazyRows(np.arange(10.0)[:, None], np.array([7, 2, 5]))
    >>> len(rows), rows[1:].ravel().tolist()
    (3, [2.0, 5.0])
    """

    def __init__(self, array: np.ndarray, indices: np.ndarray):
        self.array, self.indices = array, np.asarray(indices)

    def __len__(self) -> int:
        return len(self.indices)

    def __getitem__(self, idx) -> np.ndarray:
        return self.array[self.indices[idx]]


def _numpy_index(idx):
    return idx.cpu().numpy() if isinstance(idx, torch.Tensor) else idx


def _batch_tensor(rows: np.ndarray) -> torch.Tensor:
    # floating data as float32, indices and labels as they are; a fancy-indexed batch is
    # already a private copy, so only a read-only view (a slice of a memmap) is copied
    dtype = np.float32 if rows.dtype.kind == "f" else None
    rows = np.ascontiguousarray(rows, dtype=dtype)
    return torch.from_numpy(rows if rows.flags.writeable else rows.copy())


def batch_rows(data, idx):
    """Rows ``idx`` as tensors: sliced from a tensor, or read from an array or its file.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_har._training._iterator import batch_rows
    >>> batch = batch_rows({"windows": np.zeros((4, 2)), "window_index": np.arange(4)}, [1, 3])
    >>> batch["window_index"], batch["windows"].dtype
    (tensor([1, 3]), torch.float32)
    """
    if data is None or isinstance(data, torch.Tensor):
        return None if data is None else data[idx]
    if isinstance(data, dict):
        return {name: batch_rows(value, idx) for name, value in data.items()}
    return _batch_tensor(data[_numpy_index(idx)])  # an array, a memmap or LazyRows


def take_rows(data, idx):
    """Rows ``idx`` of a tensor or array (lazily: :class:`LazyRows`), or of every entry of a dict.

    Examples
    --------
    >>> import torch
    >>> from sktime_har._training._iterator import take_rows
    >>> batch = take_rows({"windows": torch.zeros(4, 2), "window_index": torch.arange(4)}, [1, 3])
    >>> batch["window_index"].tolist()
    [1, 3]
    """
    if data is None or isinstance(data, torch.Tensor):
        return None if data is None else data[idx]
    if isinstance(data, dict):
        return {name: take_rows(value, idx) for name, value in data.items()}
    if isinstance(data, LazyRows):
        return LazyRows(data.array, data.indices[_numpy_index(idx)])
    return LazyRows(data, np.arange(len(data))[_numpy_index(idx)])


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

    Notes
    -----
    In a ``torch.distributed`` process group every process draws the same
    order (the estimators seed the global stream alike) and yields only its
    contiguous share of each batch (:func:`~sktime_har._training._distributed.local_share`);
    ``global_batch_sizes`` records the sizes of the whole batches.

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
        X, y = self.dataset.X, self.dataset.y
        n = n_rows(X)
        windows = windows_of(X)
        device = windows.device if isinstance(windows, torch.Tensor) else torch.device("cpu")
        order = torch.randperm(n, device=device) if self.shuffle else None
        self.global_batch_sizes = []
        for b in range(len(self)):
            start = b * self.batch_size
            if order is None:
                idx = slice(start, min(start + self.batch_size, n))
            else:
                idx = order[start : start + self.batch_size]
            self.global_batch_sizes.append(
                idx.stop - idx.start if isinstance(idx, slice) else len(idx))
            idx = local_share(idx, n)
            yield batch_rows(X, idx), batch_rows(y, idx)
