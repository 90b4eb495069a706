"""Batched, gradient-free inference of a torch module in eval mode."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch

from sktime_har._training._distributed import apply_to_shares
from sktime_har.utils._torch import batched_apply


def module_device(module: torch.nn.Module) -> torch.device:
    """Device of the module's first parameter or buffer (CPU if it has none)."""
    for tensor in (*module.parameters(), *module.buffers()):
        return tensor.device
    return torch.device("cpu")


def require_finite(output: torch.Tensor, batch: torch.Tensor) -> torch.Tensor:
    """Return ``output`` unchanged, or raise ``ValueError`` if it holds NaN or inf.

    The last line of defence of every inference path: no prediction is ever
    derived from a non-finite network output.

    Parameters
    ----------
    output : Tensor
        What the network returned for ``batch``.
    batch : Tensor
        The input batch, whose magnitude the message names.

    Returns
    -------
    output : Tensor

    Examples
    --------
    >>> import torch
    >>> from sktime_har._training._inference import require_finite
    >>> require_finite(torch.ones(2), torch.ones(2)).tolist()
    [1.0, 1.0]
    """
    if output.is_floating_point() and not bool(torch.isfinite(output).all()):
        peak = float(batch.detach().abs().max()) if batch.numel() else 0.0
        raise ValueError(
            f"the fitted network returned NaN or infinity for windows whose values reach "
            f"{peak:.1e} in magnitude. Standardise the windows (e.g. "
            f"sktime_har.preprocessing.ChannelStandardScaler); if they are standardised, "
            f"the weights are not finite (a diverged or corrupted model): refit it."
        )
    return output


def eval_apply(
    module: torch.nn.Module,
    X: np.ndarray,
    *,
    batch_size: int,
    fn: Callable[[torch.Tensor], torch.Tensor] | None = None,
    check_finite: bool = True,
) -> np.ndarray:
    """Apply ``fn`` (default: ``module`` itself) in eval mode, restoring the mode after.

    Floating outputs are checked with :func:`require_finite`: a batch whose
    output holds NaN or infinity raises a ``ValueError`` instead of reaching
    the user.

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
    check_finite : bool, default=True
        Refuse non-finite outputs; ``False`` for a caller that raises its own
        error (e.g. a training stage that diverged).

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
    apply = fn if fn is not None else module

    def guarded(batch: torch.Tensor) -> torch.Tensor:
        return require_finite(apply(batch), batch) if check_finite else apply(batch)

    was_training = module.training
    module.eval()
    try:
        # in a process group each process computes its share of the rows
        return apply_to_shares(
            lambda rows: batched_apply(guarded, rows, batch_size=batch_size,
                                       device=module_device(module)), X)
    finally:
        module.train(was_training)
