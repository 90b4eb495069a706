"""Replace fixed channels (or a named sensor) with Gaussian noise, in training and test data."""

from __future__ import annotations

import hashlib
import numbers
from collections.abc import Mapping
from numbers import Integral

import numpy as np
from sklearn.base import TransformerMixin

from sktime_har.base import BaseWindowEstimator
from sktime_har.utils._docstrings import fill_doc
from sktime_har.utils._params import check_channel_groups, store_init_params
from sktime_har.utils._torch import seed_from

#: Channel layout of the 6-channel IMU windows of ``load_uci_har(protocol="ssl")``
#: (accelerometer xyz, then gyroscope xyz); the default ``channel_groups`` for
#: 6-channel data.
IMU6_CHANNEL_GROUPS = {"acc": [0, 1, 2], "gyro": [3, 4, 5]}


@fill_doc
class ChannelOcclusion(TransformerMixin, BaseWindowEstimator):
    """Occlude chosen channels, or a named sensor, with N(0, 1) noise.

    The train+test occlusion experiment of Khaertdinov & Asteriadis (2023,
    Table 2): every value of the occluded channels is replaced by an
    independent draw from a standard normal distribution, in ``fit_transform``
    (training data) and in ``transform`` (test data), so a model learns
    without that sensor. Use it as the first step of a ``Pipeline``. With
    neither ``channels`` nor ``group`` it passes the data through unchanged
    (the "no mask" row of the same experiment).

    Parameters
    ----------
    channels : list of int or None, default=None
        Indices of the channels to occlude. Mutually exclusive with ``group``.
    group : str or None, default=None
        Name of a channel group in ``channel_groups`` to occlude, e.g.
        ``"acc"`` or ``"gyro"``.
    channel_groups : dict of str to list of int or None, default=None
        Named channel groups. ``None`` means :data:`IMU6_CHANNEL_GROUPS`
        (``{"acc": [0, 1, 2], "gyro": [3, 4, 5]}``), accepted only for
        6-channel data.
    random_state : int, RandomState instance or None, default=None
        Seed of the noise. Each window's noise comes from a generator keyed
        by this seed and a hash of the window's own values, so it does not
        depend on the window's position or on the other windows transformed
        with it, and identical windows get identical noise. With an int every
        call gives the same noise for the same window, so
        ``fit_transform(X)`` equals ``fit(X).transform(X)`` (scikit-learn's
        contract); a ``RandomState`` instance or ``None`` gives fresh noise on
        every call.

    Attributes
    ----------
    occluded_channels_ : ndarray of int
        Sorted indices of the channels replaced by noise.
    n_channels_ : int
        Channels seen in ``fit``.
    n_timesteps_ : int
        Window length seen in ``fit``.
    n_features_in_ : int
        ``n_channels_ * n_timesteps_``.

    See Also
    --------
    OcclusionScorer : Test-time occlusion of random channels.

    References
    ----------
    .. [1] %(cite_inspection)s.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_har.inspection import ChannelOcclusion
    >>> X = np.random.default_rng(0).normal(size=(4, 6, 10)).astype(np.float32)
    >>> occ = ChannelOcclusion(group="acc", random_state=0).fit(X)
    >>> Xt = occ.transform(X)
    >>> bool((Xt[:, :3] != X[:, :3]).all()), bool((Xt[:, 3:] == X[:, 3:]).all())
    (True, True)

    A window gets the same noise whatever else is transformed with it:

    >>> bool(np.array_equal(occ.transform(X[2:]), Xt[2:]))
    True
    """

    _max_abs_input = None  # no network: any finite magnitude is fine

    _parameter_constraints: dict = {
        "channels": ["array-like", Integral, None],
        "group": [str, None],
        "channel_groups": [Mapping, None],
        "random_state": ["random_state"],
    }

    def __init__(self, *, channels=None, group=None, channel_groups=None, random_state=None):
        store_init_params(self, locals())

    def _resolve_channels(self, n_channels: int) -> np.ndarray:
        if self.channels is not None and self.group is not None:
            raise ValueError("Give either channels or group to ChannelOcclusion, not both.")
        # checked whether or not group uses them, so a typo fails at fit, not later
        groups = check_channel_groups(self.channel_groups, n_channels)
        if self.group is not None:
            if groups is None:
                if n_channels != 6:
                    raise ValueError(
                        f"group={self.group!r} needs channel_groups for {n_channels}-channel "
                        "data; the default layout {'acc': [0, 1, 2], 'gyro': [3, 4, 5]} "
                        "only applies to 6 channels."
                    )
                groups = IMU6_CHANNEL_GROUPS
            if self.group not in groups:
                raise ValueError(
                    f"Unknown channel group {self.group!r}; known groups: {sorted(groups)}."
                )
            chosen = groups[self.group]
        elif self.channels is not None:
            chosen = self.channels
        else:
            chosen = []
        chosen = np.asarray(list(np.atleast_1d(chosen)), dtype=object)
        for c in chosen:
            if isinstance(c, bool) or not isinstance(c, numbers.Integral):
                raise TypeError(f"Channel indices must be integers; got {c!r}.")
            if not 0 <= c < n_channels:
                raise ValueError(
                    f"Channel index {c} is out of range for {n_channels}-channel data "
                    f"(valid: 0..{n_channels - 1})."
                )
        return np.unique(chosen.astype(np.int64))

    def fit(self, X, y=None):
        """Check the data and resolve which channels to occlude.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_channels, n_timesteps)
            Training windows.
        y : object, default=None
            Ignored; present for scikit-learn API compatibility.

        Returns
        -------
        self : ChannelOcclusion
            The fitted transformer.
        """
        self._validate_params()
        X = self._validate_fit_windows(X)
        self.occluded_channels_ = self._resolve_channels(X.shape[1])
        return self

    def _occlude(self, X: np.ndarray) -> np.ndarray:
        X = X.copy()
        if not self.occluded_channels_.size:
            return X
        # Key each window's generator by the seed and the window's own values
        # (not its row index): the output of a window then does not change
        # with the order or the subset of windows passed to transform.
        key = seed_from(self.random_state).to_bytes(8, "little")
        shape = (self.occluded_channels_.size, X.shape[2])
        for window in X:
            digest = hashlib.blake2b(window.tobytes(), digest_size=16, key=key).digest()
            rng = np.random.default_rng(int.from_bytes(digest, "little"))
            window[self.occluded_channels_] = rng.standard_normal(shape, dtype=np.float32)
        return X

    def transform(self, X):
        """Replace the occluded channels of ``X`` with N(0, 1) noise.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_channels, n_timesteps)
            Windows with the channel count seen in ``fit``.

        Returns
        -------
        X_occluded : ndarray of shape (n_samples, n_channels, n_timesteps), float32
            A copy of ``X`` with the occluded channels replaced.
        """
        X = self._validate_windows(X)
        return self._occlude(X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float32"]  # cast once, at the boundary
        return tags
