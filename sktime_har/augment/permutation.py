"""Permutation: cut each window into random segments and shuffle them."""

from __future__ import annotations

import torch
from torch import Tensor

from ._validation import check_batch, check_generator

__all__ = ["permute"]


def permute(
    x: Tensor, max_segments: int = 5, *, generator: torch.Generator | None = None
) -> Tensor:
    """Cut each window at random points into 2..``max_segments`` segments and shuffle them.

    Per window: the number of segments ``k`` is uniform on ``{2, ..., min(max_segments,
    T)}``, the ``k - 1`` cut points are distinct and uniform among the ``T - 1`` gaps
    between timesteps, and the segments are put in a uniformly random order (which can be
    the original one, with probability ``1 / k!``). All channels of a window move
    together, so the multiset of values of each channel is preserved. CSSHAR's code drew
    ``k`` from ``{1, ..., max_segments - 1}`` (``k = 1`` being a no-op) and cut into equal
    parts; this follows the issue (2..max_segments, random cut points). ``max_segments=5``
    is CSSHAR's UCI-HAR setting.

    Fully vectorised: cut points come from ranking random keys, the segment order from
    ranking another set of random keys, and one ``gather`` reorders the time axis.

    Parameters
    ----------
    x : Tensor of shape (B, C, T), T >= 2
        Batch of windows (windows, channels, timesteps), any floating dtype and device.
    max_segments : int, default=5
        Largest number of segments (>= 2).
    generator : torch.Generator or None
        Source of randomness (on ``x``'s device); torch's global generator if None.

    Returns
    -------
    x_aug : Tensor of shape (B, C, T)
        Copy with shuffled time segments, same dtype and device as ``x`` (``x`` is not
        modified).

    See Also
    --------
    time_shift : Circular shift in time.
    Augmenter : Random composition of augmentations.


    Examples
    --------
    >>> import torch
    >>> from sktime_har.augment import permute
    >>> x = torch.arange(8.0).view(1, 1, 8)
    >>> out = permute(x, max_segments=3, generator=torch.Generator().manual_seed(1))
    >>> sorted(out.flatten().tolist()) == x.flatten().tolist()
    True
    """
    check_batch(x)
    check_generator(generator, x)
    if isinstance(max_segments, bool) or int(max_segments) != max_segments or max_segments < 2:
        raise ValueError(f"max_segments must be an integer >= 2; got {max_segments!r}.")
    batch, channels, steps = x.shape
    if steps < 2:
        raise ValueError(f"permutation needs at least 2 timesteps; got T={steps}.")
    device = x.device
    most = min(int(max_segments), steps)
    n_segments = torch.randint(2, most + 1, (batch,), generator=generator, device=device)

    # cut before timestep t (t = 1..T-1) when the gap's random rank is among the k - 1 lowest
    gap_rank = torch.rand((batch, steps - 1), generator=generator, device=device)
    gap_rank = gap_rank.argsort(dim=1).argsort(dim=1)
    cuts = gap_rank < (n_segments - 1)[:, None]
    segment = torch.zeros((batch, steps), dtype=torch.long, device=device)
    segment[:, 1:] = cuts.long().cumsum(dim=1)

    # a random order of the segments: sort timesteps by (rank of their segment, time)
    segment_rank = torch.rand((batch, most), generator=generator, device=device)
    segment_rank = segment_rank.argsort(dim=1).argsort(dim=1)
    key = segment_rank.gather(1, segment) * steps + torch.arange(steps, device=device)
    order = key.argsort(dim=1)
    return x.gather(2, order[:, None, :].expand(batch, channels, steps))
