"""Input checks shared by the augmentations."""

from __future__ import annotations

import torch
from torch import Tensor

__all__ = ["check_batch", "check_generator"]


def check_batch(x: Tensor, name: str = "x") -> None:
    """Raise unless ``x`` is a floating point tensor of shape ``(B, C, T)``."""
    if not isinstance(x, Tensor):
        raise TypeError(
            f"{name} must be a torch.Tensor of shape (B, C, T); got {type(x).__name__}."
        )
    if x.ndim != 3:
        raise ValueError(
            f"{name} must have shape (B, C, T) (windows, channels, timesteps); "
            f"got {x.ndim} dimensions {tuple(x.shape)}."
        )
    if not x.is_floating_point():
        raise TypeError(f"{name} must be a floating point tensor; got {x.dtype}.")


def check_generator(generator: torch.Generator | None, x: Tensor) -> None:
    """Raise unless ``generator`` is None or a ``torch.Generator`` on ``x``'s device type."""
    if generator is None:
        return
    if not isinstance(generator, torch.Generator):
        raise TypeError(
            f"generator must be a torch.Generator or None; got {type(generator).__name__}."
        )
    if generator.device.type != x.device.type:
        raise ValueError(
            f"generator lives on {generator.device} but the batch on {x.device}; "
            "create it with torch.Generator(device=x.device)."
        )


def compute_dtype(x: Tensor) -> torch.dtype:
    """float32 for half precision inputs (some CPU kernels lack them), else ``x.dtype``."""
    return torch.promote_types(x.dtype, torch.float32)
