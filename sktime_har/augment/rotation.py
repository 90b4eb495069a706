"""Rotation: a uniformly random proper 3D rotation of every xyz sensor triad."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import torch
from torch import Tensor

from ._validation import check_batch, check_generator, compute_dtype

__all__ = ["random_rotation_matrices", "rotate", "triads_from_groups"]

Triads = Sequence[Sequence[int]] | Mapping[str, Sequence[int]]


def random_rotation_matrices(
    n: int,
    *,
    device: torch.device | str | None = None,
    dtype: torch.dtype = torch.float32,
    generator: torch.Generator | None = None,
) -> Tensor:
    """Draw ``n`` rotation matrices uniformly (Haar measure) from SO(3).

    A unit quaternion from a normalised 4D standard normal vector is uniform on the
    3-sphere, and its rotation matrix is uniform on SO(3) with determinant exactly +1
    (never a reflection).

    Parameters
    ----------
    n : int
        Number of matrices.
    device : torch.device, str or None, default=None
        Where to build them (torch's default device if None).
    dtype : torch.dtype, default=torch.float32
        Precision.
    generator : torch.Generator or None
        Source of randomness; torch's global generator if None.

    Returns
    -------
    R : Tensor of shape (n, 3, 3)
        Orthogonal matrices with determinant +1.

    See Also
    --------
    rotate : Apply them to the xyz triads of a batch.

    Examples
    --------
    >>> import torch
    >>> from sktime_har.augment import random_rotation_matrices
    >>> R = random_rotation_matrices(4, generator=torch.Generator().manual_seed(0))
    >>> bool(torch.allclose(R @ R.transpose(1, 2), torch.eye(3).expand(4, 3, 3), atol=1e-5))
    True
    """
    q = torch.randn((n, 4), generator=generator, device=device, dtype=dtype)
    q = q / q.norm(dim=1, keepdim=True).clamp_min(torch.finfo(dtype).tiny)
    w, x, y, z = q.unbind(dim=1)
    rows = [
        1 - 2 * (y * y + z * z),
        2 * (x * y - z * w),
        2 * (x * z + y * w),
        2 * (x * y + z * w),
        1 - 2 * (x * x + z * z),
        2 * (y * z - x * w),
        2 * (x * z - y * w),
        2 * (y * z + x * w),
        1 - 2 * (x * x + y * y),
    ]
    return torch.stack(rows, dim=1).view(n, 3, 3)


def triads_from_groups(triads: Triads) -> tuple[tuple[int, int, int], ...]:
    """Normalise ``triads`` to a tuple of index triples and check they do not overlap.

    Parameters
    ----------
    triads : sequence of 3-sequences of int, or mapping name -> 3 channel indices
        For example ``[[0, 1, 2], [3, 4, 5]]`` or ``{"acc": [0, 1, 2], "gyro": [3, 4, 5]}``.

    Returns
    -------
    triads : tuple of (int, int, int)
        The channel indices of each triad.
    """
    items = list(triads.items()) if isinstance(triads, Mapping) else list(enumerate(triads))
    if not items:
        raise ValueError("rotation needs at least one xyz channel triad; got none.")
    out, seen = [], set()
    for name, group in items:
        try:
            group = tuple(int(c) for c in group)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"triad {name!r} must be 3 channel indices; got {group!r}.") from exc
        if len(group) != 3 or len(set(group)) != 3:
            raise ValueError(
                f"triad {name!r} must be 3 distinct channel indices (x, y, z); got {group!r}."
            )
        if seen & set(group):
            raise ValueError(f"triad {name!r} shares channels with another triad: {group!r}.")
        seen |= set(group)
        out.append(group)
    return tuple(out)


def rotate(x: Tensor, triads: Triads, *, generator: torch.Generator | None = None) -> Tensor:
    """Apply one uniformly random 3D rotation per window to each xyz channel triad.

    Within a window the **same** rotation is applied to every triad: accelerometer and
    gyroscope (and magnetometer) of one device share its body frame, so a change of
    device orientation rotates all of them alike; independent rotations would break the
    physical relation between them. Channels in no triad are left unchanged. Rotation
    preserves each triad's norm at every timestep. This is a real rotation, unlike the
    element-wise random sign flips called "rotation" in the CSSHAR code.

    Parameters
    ----------
    x : Tensor of shape (B, C, T)
        Batch of windows (windows, channels, timesteps), any floating dtype and device.
    triads : sequence of index triples or mapping name -> index triple
        E.g. ``channel_groups`` ``{"acc": [0, 1, 2], "gyro": [3, 4, 5]}``.
    generator : torch.Generator or None
        Source of randomness (on ``x``'s device); torch's global generator if None.

    Returns
    -------
    x_aug : Tensor of shape (B, C, T)
        Copy with rotated triads, same dtype and device as ``x`` (``x`` itself is not modified).

    See Also
    --------
    random_rotation_matrices : The rotations drawn here.
    Augmenter : Random composition of augmentations.


    Examples
    --------
    >>> import torch
    >>> from sktime_har.augment import rotate
    >>> x = torch.randn(2, 6, 10)
    >>> out = rotate(x, {"acc": [0, 1, 2], "gyro": [3, 4, 5]})
    >>> bool(torch.allclose(out[:, :3].norm(dim=1), x[:, :3].norm(dim=1), atol=1e-5))
    True
    """
    check_batch(x)
    check_generator(generator, x)
    groups = triads_from_groups(triads)
    batch, channels, steps = x.shape
    flat = [c for group in groups for c in group]
    if min(flat) < 0 or max(flat) >= channels:
        raise ValueError(
            f"triad channel indices must lie in [0, {channels - 1}] for a batch with "
            f"{channels} channels; got {groups}."
        )
    dtype = compute_dtype(x)
    R = random_rotation_matrices(batch, device=x.device, dtype=dtype, generator=generator)
    index = torch.tensor(flat, device=x.device)
    xyz = x.index_select(1, index).to(dtype).view(batch, len(groups), 3, steps)
    rotated = torch.einsum("bij,bgjt->bgit", R, xyz).reshape(batch, 3 * len(groups), steps)
    out = x.clone()
    out[:, index] = rotated.to(x.dtype)
    return out
