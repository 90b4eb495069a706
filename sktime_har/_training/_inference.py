"""Batched, gradient-free inference of a torch module in eval mode."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch

from sktime_har.utils._torch import batched_apply


def module_device(module: torch.nn.Module) -> torch.device:
    """Device of the module's first parameter or buffer (CPU if it has none)."""
    for tensor in (*module.parameters(), *module.buffers()):
        return tensor.device
    return torch.device("cpu")


def eval_apply(
    module: torch.nn.Module,
    X: np.ndarray,
    *,
    batch_size: int,
    fn: Callable[[torch.Tensor], torch.Tensor] | None = None,
) -> np.ndarray:
    """Apply ``fn`` (default: ``module`` itself) in eval mode, restoring the mode after.

    Parameters
    ----------
    module : nn.Module
        Module whose train/eval mode is switched (dropout and BatchNorm
        behave as at test time) and whose device is used.
    X : ndarray of shape (n_samples, ...)
        Validated float32 input.
    batch_size : int
        Windows per batch.
    fn : callable or None, default=None
        What to apply to each batch, e.g. ``module.encode``.

    Returns
    -------
    out : ndarray of shape (n_samples, ...)

    Examples
    --------
    >>> import numpy as np, torch
    >>> from sktime_har._training._inference import eval_apply
    >>> m = torch.nn.Dropout(0.5).train()
    >>> eval_apply(m, np.ones((3, 2), np.float32), batch_size=2).sum(), m.training
    (np.float32(6.0), True)
    """
    was_training = module.training
    module.eval()
    try:
        return batched_apply(
            fn if fn is not None else module, X, batch_size=batch_size, device=module_device(module)
        )
    finally:
        module.train(was_training)
