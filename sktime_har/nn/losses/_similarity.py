"""Pairwise similarity matrices and shape checks shared by the contrastive losses."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import Tensor

__all__ = [
    "angular_from_cosine",
    "check_view_pair",
    "cosine_similarity_matrix",
    "positive_index",
]


def check_view_pair(z1: Tensor, z2: Tensor, *, min_batch: int = 2) -> None:
    """Raise ``ValueError`` unless ``z1`` and ``z2`` are matching ``(B, D)`` batches.

    Parameters
    ----------
    z1, z2 : Tensor of shape (B, D)
        Projections of the first and second views; row ``b`` of both comes from window ``b``.
    min_batch : int, default=2
        Smallest accepted ``B``.
    """
    for name, z in (("z1", z1), ("z2", z2)):
        if not isinstance(z, Tensor):
            raise TypeError(
                f"{name} must be a torch.Tensor of shape (B, D); got {type(z).__name__}."
            )
        if z.ndim != 2:
            raise ValueError(
                f"{name} must have shape (B, D); got {z.ndim} dimensions {tuple(z.shape)}."
            )
        if not z.is_floating_point():
            raise TypeError(f"{name} must be a floating point tensor; got {z.dtype}.")
    if z1.shape != z2.shape:
        raise ValueError(
            "z1 and z2 must have the same shape (B, D); "
            f"got {tuple(z1.shape)} and {tuple(z2.shape)}."
        )
    if z1.shape[0] < min_batch:
        raise ValueError(
            f"The loss needs a batch of at least {min_batch} windows; got B={z1.shape[0]} "
            "(drop the last incomplete batch, e.g. iterator_train__drop_last=True)."
        )
    if z1.shape[1] < 1:
        raise ValueError("z1 and z2 must have at least one feature (D >= 1).")


def cosine_similarity_matrix(a: Tensor, b: Tensor | None = None) -> Tensor:
    """Cosine similarities between all rows of ``a`` and all rows of ``b``.

    Parameters
    ----------
    a : Tensor of shape (N, D)
    b : Tensor of shape (M, D) or None
        Defaults to ``a``.

    Returns
    -------
    sim : Tensor of shape (N, M), values in [-1, 1]
        Zero rows get similarity 0 to everything (``F.normalize`` keeps them at zero).
    """
    a = F.normalize(a, dim=1)
    b = a if b is None else F.normalize(b, dim=1)
    return a @ b.T


def angular_from_cosine(cos: Tensor, eps: float = 1e-6) -> Tensor:
    """Angular similarity ``s_a = 1 - arccos(cos) / pi`` (paper 001, Eq. 6).

    ``cos`` is clamped to ``[-1 + eps, 1 - eps]`` first: the derivative of ``arccos`` is
    ``-1 / sqrt(1 - x^2)``, infinite at ``x = +-1`` (identical or opposite vectors), and
    the clamp bounds it by about ``1 / sqrt(2 eps)`` (707 for ``eps=1e-6``).

    Parameters
    ----------
    cos : Tensor
        Cosine similarities.
    eps : float, default=1e-6
        Clamp margin.

    Returns
    -------
    s_a : Tensor, same shape, values in (0, 1)
    """
    return 1.0 - torch.arccos(cos.clamp(-1.0 + eps, 1.0 - eps)) / math.pi


def positive_index(batch_size: int, device: torch.device) -> Tensor:
    """Index of each view's positive partner in the stacked ``[z1; z2]`` batch of ``2B`` views.

    Row ``i < B`` (first view of window ``i``) pairs with ``i + B`` and vice versa.
    """
    idx = torch.arange(batch_size, device=device)
    return torch.cat([idx + batch_size, idx])


def check_unit_interval(name: str, value: float, *, low_open: bool = True) -> float:
    """Validate a float in ``(0, 1)`` (or ``[0, 1)``) and return it as ``float``."""
    value = float(value)
    if not (0.0 < value < 1.0 if low_open else 0.0 <= value < 1.0) or math.isnan(value):
        raise ValueError(f"{name} must lie strictly between 0 and 1; got {value!r}.")
    return value


def check_positive(name: str, value: float) -> float:
    """Validate a finite float ``> 0`` and return it as ``float``."""
    value = float(value)
    if not (value > 0.0 and math.isfinite(value)):
        raise ValueError(f"{name} must be a finite number > 0; got {value!r}.")
    return value
