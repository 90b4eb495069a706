"""Jittering: additive Gaussian noise."""

from __future__ import annotations

import torch
from torch import Tensor

from ._validation import check_batch, check_generator

__all__ = ["jitter"]


def jitter(x: Tensor, sigma: float = 0.5, *, generator: torch.Generator | None = None) -> Tensor:
    """Add independent Gaussian noise ``N(0, sigma^2)`` to every value.

    The default ``sigma=0.5`` is the CSSHAR configuration that paper 001 adopts for
    UCI-HAR (on channel-wise z-scored signals, so noise at half the signal's standard
    deviation).

    Parameters
    ----------
    x : Tensor of shape (B, C, T)
        Batch of windows (windows, channels, timesteps), any floating dtype and device.
    sigma : float, default=0.5
        Noise standard deviation (>= 0).
    generator : torch.Generator or None
        Source of randomness (on ``x``'s device); torch's global generator if None.

    Returns
    -------
    x_aug : Tensor of shape (B, C, T)
        Noisy copy, same dtype and device as ``x`` (``x`` itself is not modified).

    See Also
    --------
    scale : Per-channel random gain.
    Augmenter : Random composition of augmentations.


    Examples
    --------
    >>> import torch
    >>> from sktime_har.augment import jitter
    >>> x = torch.zeros(2, 3, 1000)
    >>> round(float(jitter(x, sigma=0.5, generator=torch.Generator().manual_seed(0)).std()), 1)
    0.5
    """
    check_batch(x)
    check_generator(generator, x)
    sigma = float(sigma)
    if not sigma >= 0:
        raise ValueError(f"sigma must be >= 0; got {sigma!r}.")
    noise = torch.randn(x.shape, generator=generator, device=x.device, dtype=x.dtype)
    return x + sigma * noise
