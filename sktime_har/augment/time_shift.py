"""Time shift: circularly roll each window by a random number of timesteps."""

from __future__ import annotations

import torch
from torch import Tensor

from ._validation import check_batch, check_generator

__all__ = ["time_shift"]


def time_shift(
    x: Tensor, max_shift: int | None = None, *, generator: torch.Generator | None = None
) -> Tensor:
    """Roll each window circularly in time by ``s ~ U{-max_shift, ..., max_shift}``.

    Circular, so no values are invented or lost (padding would add artificial flat
    segments); all channels of a window shift together. The default ``max_shift`` is half
    the window (``T // 2``), 15 on the 30-sample UCI-HAR windows: the value of the CSSHAR
    authors' later shift configuration for UCI-HAR.

    Parameters
    ----------
    x : Tensor of shape (B, C, T)
        Batch of windows (windows, channels, timesteps), any floating dtype and device.
    max_shift : int or None, default=None
        Largest shift in timesteps (>= 0); ``T // 2`` if None.
    generator : torch.Generator or None
        Source of randomness (on ``x``'s device); torch's global generator if None.

    Returns
    -------
    x_aug : Tensor of shape (B, C, T)
        Shifted copy, same dtype and device as ``x`` (``x`` itself is not modified).

    See Also
    --------
    permute : Shuffle random time segments.
    Augmenter : Random composition of augmentations.


    Examples
    --------
    >>> import torch
    >>> from sktime_har.augment import time_shift
    >>> x = torch.arange(6.0).view(1, 1, 6)
    >>> out = time_shift(x, 2, generator=torch.Generator().manual_seed(0))
    >>> any(torch.equal(out, x.roll(s, dims=2)) for s in range(-2, 3))
    True
    """
    check_batch(x)
    check_generator(generator, x)
    batch, channels, steps = x.shape
    if max_shift is None:
        max_shift = steps // 2
    if isinstance(max_shift, bool) or int(max_shift) != max_shift or max_shift < 0:
        raise ValueError(f"max_shift must be an integer >= 0 or None; got {max_shift!r}.")
    max_shift = int(max_shift)
    shift = torch.randint(
        -max_shift, max_shift + 1, (batch, 1), generator=generator, device=x.device
    )
    source = (torch.arange(steps, device=x.device)[None, :] - shift) % steps
    return x.gather(2, source[:, None, :].expand(batch, channels, steps))
