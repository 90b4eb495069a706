"""Scaling: one random gain per window and channel."""

from __future__ import annotations

import torch
from torch import Tensor

from ._validation import check_batch, check_generator

__all__ = ["scale"]


def scale(x: Tensor, sigma: float = 0.5, *, generator: torch.Generator | None = None) -> Tensor:
    """Multiply each channel of each window by a factor drawn from ``N(1, sigma^2)``.

    The factor is constant over time (a sensor gain change), drawn independently per
    window and channel (a gain per sensor axis). CSSHAR's public code drew it per *value*,
    which is closer to multiplicative noise than to scaling. ``sigma=0.5`` is CSSHAR's
    UCI-HAR setting; about 2 % of factors are then negative (a channel flips sign), as in
    CSSHAR.

    Parameters
    ----------
    x : Tensor of shape (B, C, T)
        Batch of windows (windows, channels, timesteps), any floating dtype and device.
    sigma : float, default=0.5
        Standard deviation of the factor (>= 0).
    generator : torch.Generator or None
        Source of randomness (on ``x``'s device); torch's global generator if None.

    Returns
    -------
    x_aug : Tensor of shape (B, C, T)
        Scaled copy, same dtype and device as ``x`` (``x`` itself is not modified).

    See Also
    --------
    jitter : Additive Gaussian noise.
    Augmenter : Random composition of augmentations.


    Examples
    --------
    >>> import torch
    >>> from sktime_har.augment import scale
    >>> x = torch.ones(2, 3, 5)
    >>> out = scale(x, sigma=0.1, generator=torch.Generator().manual_seed(0))
    >>> bool((out == out[:, :, :1]).all())  # constant over time
    True
    """
    check_batch(x)
    check_generator(generator, x)
    sigma = float(sigma)
    if not sigma >= 0:
        raise ValueError(f"sigma must be >= 0; got {sigma!r}.")
    batch, channels, _ = x.shape
    factor = torch.randn((batch, channels, 1), generator=generator, device=x.device, dtype=x.dtype)
    return x * (1.0 + sigma * factor)
