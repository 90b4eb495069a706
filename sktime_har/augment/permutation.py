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
    parts; the library draws 2..max_segments segments at random cut points. ``max_segments=5``
    is CSSHAR's UCI-HAR setting.

    Fully vectorised and sort-light: the cuts are the ``k - 1`` lowest of random keys
    on the gaps (a ``topk``), the segment order ranks another set of random keys, and
    each timestep's new position is computed from the segment lengths (no sort over
    time), so one ``gather`` reorders the time axis.

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
    order = permutation_order(batch, steps, max_segments, generator=generator, device=x.device)
    return x.gather(2, order[:, None, :].expand(batch, channels, steps))


def permutation_order(
    batch: int,
    steps: int,
    max_segments: int,
    *,
    generator: torch.Generator | None = None,
    device: torch.device | str | None = None,
) -> Tensor:
    """Time index of every output timestep for :func:`permute`: ``out[..., i] = x[..., order[i]]``.

    Draws, in this order: the segment counts, the gap keys and the segment keys (the
    random stream :func:`permute` has always used, so seeded results do not change).
    Returns a ``(batch, steps)`` long tensor, each row a permutation of ``range(steps)``.
    """
    most = min(int(max_segments), steps)
    n_segments = torch.randint(2, most + 1, (batch,), generator=generator, device=device)

    # cut before timestep t (t = 1..T-1) when its gap key is among the k - 1 lowest
    gap_key = torch.rand((batch, steps - 1), generator=generator, device=device)
    lowest = gap_key.topk(most - 1, dim=1, largest=False, sorted=True).indices
    is_cut = torch.arange(most - 1, device=device) < (n_segments - 1)[:, None]
    cuts = torch.zeros((batch, steps - 1), dtype=torch.long, device=device)
    cuts.scatter_(1, lowest, is_cut.long())
    segment = torch.zeros((batch, steps), dtype=torch.long, device=device)
    torch.cumsum(cuts, dim=1, out=segment[:, 1:])

    # segments in a random order: the segment of rank r is by_rank[:, r]
    by_rank = torch.rand((batch, most), generator=generator, device=device).argsort(dim=1)
    lengths = torch.zeros((batch, most), dtype=torch.long, device=device)
    lengths.scatter_add_(1, segment, torch.ones_like(segment))
    start = lengths.cumsum(dim=1) - lengths
    ranked_lengths = lengths.gather(1, by_rank)
    ranked_start = ranked_lengths.cumsum(dim=1) - ranked_lengths
    new_start = torch.empty_like(start).scatter_(1, by_rank, ranked_start)

    # timestep t of segment s moves to new_start[s] + (t - start[s])
    time = torch.arange(steps, device=device)
    destination = (new_start - start).gather(1, segment) + time
    return torch.empty_like(destination).scatter_(1, destination, time.expand(batch, steps))
