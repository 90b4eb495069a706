"""Device resolution, seeded execution and batched inference for torch modules."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

import numpy as np
import torch


def resolve_device(device: str | torch.device = "auto") -> torch.device:
    """Turn ``"auto"`` into CUDA when available, else CPU; validate other names.

    Parameters
    ----------
    device : str or torch.device, default="auto"
        ``"auto"``, ``"cpu"``, ``"cuda"``, ``"cuda:1"``, ``"mps"``, ...

    Returns
    -------
    device : torch.device

    Examples
    --------
    >>> from sktime_har.utils._torch import resolve_device
    >>> resolve_device("cpu")
    device(type='cpu')
    """
    if isinstance(device, torch.device):
        return device
    if not isinstance(device, str):
        raise TypeError(f"device must be a string such as 'auto', 'cpu' or 'cuda'; got {device!r}.")
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        resolved = torch.device(device)
    except RuntimeError as exc:
        raise ValueError(f"device={device!r} is not a torch device name.") from exc
    if resolved.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(f"device={device!r} was requested but CUDA is not available here.")
    return resolved


def seed_from(random_state) -> int:
    """Draw a torch seed from an int, ``None`` or a ``RandomState``.

    Parameters
    ----------
    random_state : int, RandomState instance or None
        Seed source, as in scikit-learn.

    Returns
    -------
    seed : int

    Examples
    --------
    >>> from sktime_har.utils._torch import seed_from
    >>> seed_from(3) == seed_from(3)
    True
    """
    from sklearn.utils import check_random_state

    return int(check_random_state(random_state).randint(0, 2**31 - 1))


@contextlib.contextmanager
def seeded(seed: int, device: torch.device | None = None) -> Iterator[None]:
    """Run a block with torch's RNG seeded, restoring the caller's RNG state after.

    Parameters
    ----------
    seed : int
        Seed for torch's CPU (and, if ``device`` is CUDA, GPU) generators.
    device : torch.device or None
        Device whose generator is also forked and seeded.

    Examples
    --------
    >>> import torch
    >>> from sktime_har.utils._torch import seeded
    >>> with seeded(0):
    ...     a = torch.rand(1)
    >>> with seeded(0):
    ...     b = torch.rand(1)
    >>> bool(a == b)
    True
    """
    devices = []
    if device is not None and device.type == "cuda":
        devices = [device.index or 0]
    with torch.random.fork_rng(devices=devices):
        torch.manual_seed(seed)
        yield


@torch.no_grad()
def batched_apply(
    fn: Callable[[torch.Tensor], torch.Tensor],
    X: np.ndarray,
    *,
    batch_size: int,
    device: torch.device,
) -> np.ndarray:
    """Apply ``fn`` to ``X`` in batches without gradients and return numpy.

    Memory stays bounded by ``batch_size`` whatever the number of windows:
    the output array is allocated once, after the first batch, and every
    batch is copied into it (collecting the batches and concatenating them
    would hold the output twice at the end).

    Parameters
    ----------
    fn : callable
        Maps a float32 tensor batch on ``device`` to a tensor (floating
        results are returned as float32, integer ones, e.g. ``argmax``
        indices, as they are).
    X : ndarray of shape (n_samples, ...)
        Validated float32 input.
    batch_size : int
        Windows per batch.
    device : torch.device
        Where ``fn`` runs.

    Returns
    -------
    out : ndarray of shape (n_samples, ...)

    Examples
    --------
    >>> import numpy as np, torch
    >>> from sktime_har.utils._torch import batched_apply
    >>> batched_apply(lambda x: x * 2, np.ones((5, 2), np.float32),
    ...               batch_size=2, device=torch.device("cpu")).sum()
    np.float32(20.0)
    """
    if len(X) == 0:
        raise ValueError("batched_apply needs at least one sample.")
    out = None
    for start in range(0, len(X), batch_size):
        # one batch read (from a memmap: from its file) and cast; never the whole input
        chunk = np.ascontiguousarray(X[start : start + batch_size], dtype=np.float32)
        if not chunk.flags.writeable:  # a read-only memmap: torch warns on those
            chunk = chunk.copy()
        batch = torch.from_numpy(chunk).to(device)
        result = fn(batch).detach()
        if result.is_floating_point():  # half/bfloat16 -> float32; indices stay integers
            result = result.float()
        result = result.cpu().numpy()
        if out is None:
            out = np.empty((len(X), *result.shape[1:]), dtype=result.dtype)
        out[start : start + len(result)] = result
    return out
