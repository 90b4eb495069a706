"""Augmenter: the random augmentation module of CSSHAR / paper 001 as a torch module."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

import torch
from torch import Tensor, nn

from ._validation import check_batch, check_generator
from .permutation import permutation_order
from .rotation import rotate, triads_from_groups
from .time_shift import time_shift

__all__ = ["Augmenter"]

AUGMENTATIONS = ("jitter", "scaling", "rotation", "permutation", "time_shift")
_ALIASES = {
    "jittering": "jitter",
    "scale": "scaling",
    "rotate": "rotation",
    "permute": "permutation",
    "shift": "time_shift",
}


def _canonical(name: str, what: str) -> str:
    if not isinstance(name, str):
        raise TypeError(f"{what} names must be strings; got {name!r}.")
    canonical = _ALIASES.get(name, name)
    if canonical not in AUGMENTATIONS:
        raise ValueError(f"Unknown augmentation {name!r} in {what}; choose from {AUGMENTATIONS}.")
    return canonical


class Augmenter(nn.Module):
    """Random composition of time-series augmentations, applied per window on the batch.

    Each named augmentation is applied in the given order; the ones in ``always``
    (jittering, by default) to every window, the others to each window independently
    with probability ``p``. This is the augmentation module of paper 001, Section IV-B-2
    ("each augmentation, apart from the jittering augmentation used for all instances, is
    applied with a pre-defined probability p=0.5"): jitter for every window.
    The CSSHAR code compared against ``' jittering'`` (leading space), so there jitter
    was also applied with probability ``p``; pass ``always=()`` to reproduce that.

    Everything runs batched on the input's device, with no loop over windows. The
    result is that of computing each augmentation for the whole batch and keeping it
    where a window drew it; jitter, scaling and permutation get there more cheaply by
    drawing zero noise, unit gain or the identity order for the other windows.
    Randomness comes from torch's global generator (seed it, e.g. with
    ``sktime_har.utils._torch.seeded``) or from ``generator``. The module has no
    parameters and pickles.

    Default magnitudes follow the CSSHAR UCI-HAR configuration that paper 001 adopts
    (signals z-scored per channel): jitter ``sigma=0.5``, scaling ``sigma=0.5``,
    permutation up to 5 segments; time shift up to half the window.

    Parameters
    ----------
    augmentations : sequence of str, default=("jitter", "scaling", "permutation")
        Names from ``"jitter"``, ``"scaling"``, ``"rotation"``, ``"permutation"``,
        ``"time_shift"`` (aliases ``"jittering"``, ``"scale"``, ``"rotate"``,
        ``"permute"``, ``"shift"``). The default is the UCI-HAR preset.
    p : float, default=0.5
        Probability of each non-``always`` augmentation per window.
    channel_groups : mapping name -> channel indices, optional
        Sensor groups such as ``{"acc": [0, 1, 2], "gyro": [3, 4, 5]}``. Rotation rotates
        every group of exactly 3 channels (with the same rotation within a window, see
        :func:`~sktime_har.augment.rotate`); groups of another size are not rotated.
        Required (with at least one triad) when ``"rotation"`` is requested.
    always : sequence of str, default=("jitter",)
        Augmentations applied to every window.
    jitter_sigma, scale_sigma : float, default=0.5
        Noise standard deviation; standard deviation of the per-channel gain.
    max_segments : int, default=5
        Largest number of permutation segments.
    max_shift : int or None, default=None
        Largest time shift; half the window if None.

    Attributes
    ----------
    presets : dict
        Per-dataset augmentation sets of paper 001 (from CSSHAR): ``"uci_har"``,
        ``"mobiact"``, ``"usc_had"``.

    See Also
    --------
    jitter, scale, rotate, permute, time_shift : The augmentations, as functions.

    Examples
    --------
    >>> import torch
    >>> from sktime_har.augment import Augmenter
    >>> aug = Augmenter.from_preset("uci_har")
    >>> aug
    Augmenter(augmentations=('jitter', 'scaling', 'permutation'), p=0.5, always=('jitter',))
    >>> x = torch.randn(16, 6, 30)
    >>> aug(x, generator=torch.Generator().manual_seed(0)).shape
    torch.Size([16, 6, 30])
    >>> rot = Augmenter(["rotation"], p=1.0, channel_groups={"acc": [0, 1, 2], "gyro": [3, 4, 5]})
    >>> out = rot(x)
    >>> bool(torch.allclose(out[:, 3:].norm(dim=1), x[:, 3:].norm(dim=1), atol=1e-5))
    True
    """

    presets: ClassVar[dict[str, tuple[str, ...]]] = {
        "uci_har": ("jitter", "scaling", "permutation"),
        "mobiact": ("jitter", "scaling", "rotation"),
        "usc_had": ("jitter", "scaling"),
    }

    def __init__(
        self,
        augmentations: Sequence[str] = ("jitter", "scaling", "permutation"),
        p: float = 0.5,
        channel_groups: Mapping[str, Sequence[int]] | None = None,
        *,
        always: Sequence[str] = ("jitter",),
        jitter_sigma: float = 0.5,
        scale_sigma: float = 0.5,
        max_segments: int = 5,
        max_shift: int | None = None,
    ):
        super().__init__()
        if isinstance(augmentations, str):
            augmentations = (augmentations,)
        self.augmentations = tuple(_canonical(a, "augmentations") for a in augmentations)
        if len(set(self.augmentations)) != len(self.augmentations):
            raise ValueError(f"augmentations contains a name twice: {tuple(augmentations)}.")
        if isinstance(always, str):
            always = (always,)
        self.always = tuple(_canonical(a, "always") for a in always)
        p = float(p)
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"p must lie in [0, 1]; got {p!r}.")
        self.p = p
        self.channel_groups = (
            None
            if channel_groups is None
            else {str(k): tuple(int(c) for c in v) for k, v in dict(channel_groups).items()}
        )
        self.triads: tuple[tuple[int, int, int], ...] = ()
        if "rotation" in self.augmentations:
            groups = {k: v for k, v in (self.channel_groups or {}).items() if len(v) == 3}
            if not groups:
                raise ValueError(
                    "rotation needs channel_groups with at least one xyz triad, e.g. "
                    "{'acc': [0, 1, 2], 'gyro': [3, 4, 5]}; "
                    f"got channel_groups={channel_groups!r}."
                )
            self.triads = triads_from_groups(groups)
        for name, value in (("jitter_sigma", jitter_sigma), ("scale_sigma", scale_sigma)):
            if not float(value) >= 0:
                raise ValueError(f"{name} must be >= 0; got {value!r}.")
        self.jitter_sigma = float(jitter_sigma)
        self.scale_sigma = float(scale_sigma)
        if isinstance(max_segments, bool) or int(max_segments) != max_segments or max_segments < 2:
            raise ValueError(f"max_segments must be an integer >= 2; got {max_segments!r}.")
        self.max_segments = int(max_segments)
        if max_shift is not None and (
            isinstance(max_shift, bool) or int(max_shift) != max_shift or max_shift < 0
        ):
            raise ValueError(f"max_shift must be an integer >= 0 or None; got {max_shift!r}.")
        self.max_shift = None if max_shift is None else int(max_shift)

    @classmethod
    def from_preset(cls, name: str, **kwargs) -> Augmenter:
        """Build the augmentation set that paper 001 uses for dataset ``name``.

        Parameters
        ----------
        name : {"uci_har", "mobiact", "usc_had"}
        **kwargs
            Other constructor arguments (``p``, ``channel_groups``, magnitudes).
            ``"mobiact"`` uses rotation, so it needs ``channel_groups``.

        Returns
        -------
        augmenter : Augmenter
            The configured module.
        """
        if name not in cls.presets:
            raise ValueError(f"Unknown preset {name!r}; choose from {tuple(cls.presets)}.")
        return cls(cls.presets[name], **kwargs)

    def _augment(self, name: str, x: Tensor, generator: torch.Generator | None) -> Tensor:
        if name == "rotation":
            return rotate(x, self.triads, generator=generator)
        return time_shift(x, self.max_shift, generator=generator)

    def forward(self, x: Tensor, generator: torch.Generator | None = None) -> Tensor:
        """Return an augmented copy of the batch ``x``.

        Parameters
        ----------
        x : Tensor of shape (B, C, T)
            Batch of windows, any floating dtype and device.
        generator : torch.Generator or None, default=None
            Source of randomness (on ``x``'s device); torch's global generator if None.

        Returns
        -------
        x_aug : Tensor of shape (B, C, T)
            Augmented copy, same dtype and device (``x`` is not modified).
        """
        check_batch(x)
        check_generator(generator, x)
        owned = False  # whether x is already a copy that may be changed in place
        for name in self.augmentations:
            always = name in self.always
            if not always and self.p == 0.0:
                continue
            chosen = (
                None
                if always
                else torch.rand((x.shape[0], 1, 1), generator=generator, device=x.device) < self.p
            )
            if name == "jitter":
                x, owned = self._jitter(x, chosen, owned, generator), True
            elif name == "scaling":
                x, owned = self._scale(x, chosen, owned, generator), True
            elif name == "permutation":
                x, owned = self._permute(x, chosen, generator), True
            else:
                augmented = self._augment(name, x, generator)
                x = augmented if chosen is None else torch.where(chosen, augmented, x)
                owned = True
        return x

    # The per-window choice is folded into the augmentation's own random draw (zero
    # noise, unit gain, identity order) instead of computing the augmentation for the
    # whole batch and selecting with ``torch.where``: the random draws and the results
    # are the same, at a fraction of the memory traffic.
    def _jitter(self, x: Tensor, chosen: Tensor | None, owned: bool, generator) -> Tensor:
        noise = torch.randn(x.shape, generator=generator, device=x.device, dtype=x.dtype)
        noise = noise.mul_(self.jitter_sigma)
        if chosen is not None:
            noise = noise.masked_fill_(~chosen, 0.0)
        return x.add_(noise) if owned else noise.add_(x)

    def _scale(self, x: Tensor, chosen: Tensor | None, owned: bool, generator) -> Tensor:
        batch, channels, _ = x.shape
        factor = torch.randn(
            (batch, channels, 1), generator=generator, device=x.device, dtype=x.dtype
        )
        factor = factor.mul_(self.scale_sigma).add_(1.0)
        if chosen is not None:
            factor = factor.masked_fill_(~chosen, 1.0)
        return x.mul_(factor) if owned else x * factor

    def _permute(self, x: Tensor, chosen: Tensor | None, generator) -> Tensor:
        batch, channels, steps = x.shape
        if steps < 2:
            raise ValueError(f"permutation needs at least 2 timesteps; got T={steps}.")
        order = permutation_order(
            batch, steps, self.max_segments, generator=generator, device=x.device
        )
        if chosen is not None:
            identity = torch.arange(steps, device=x.device).expand(batch, steps)
            order = torch.where(chosen[:, :, 0], order, identity)
        return x.gather(2, order[:, None, :].expand(batch, channels, steps))

    def extra_repr(self) -> str:
        text = f"augmentations={self.augmentations}, p={self.p}, always={self.always}"
        if self.triads:
            text += f", triads={self.triads}"
        return text
