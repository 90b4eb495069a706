"""Synthetic activity-like sensor windows with known labels, for tests and examples."""

from __future__ import annotations

import numpy as np
from sklearn.utils import check_random_state

from sktime_har.utils._params import check_int


def make_activity_windows(
    n_samples: int = 600,
    n_channels: int = 6,
    n_timesteps: int = 64,
    n_classes: int = 6,
    n_subjects: int = 10,
    *,
    noise: float = 0.5,
    sampling_rate: float = 50.0,
    random_state=None,
):
    """Generate activity-like multichannel windows with labels and subject ids.

    Half of the classes (rounded up) are *periodic* (walking-like: a class
    specific fundamental frequency with a harmonic, a class specific amplitude
    pattern over channels and a random phase per window), the rest are
    *static* (postures: a class specific constant orientation per channel with
    slow drift). Each subject adds a channel offset, an amplitude gain and a
    frequency shift; every window gets Gaussian sensor noise. Random phases
    make raw-space Euclidean clustering clearly worse than a representation
    that is invariant to them.

    Parameters
    ----------
    n_samples : int, default=600
        Number of windows.
    n_channels : int, default=6
        Channels per window (think acc xyz then gyro xyz).
    n_timesteps : int, default=64
        Samples per window.
    n_classes : int, default=6
        Number of activities.
    n_subjects : int, default=10
        Number of subjects, assigned round robin.
    noise : float, default=0.5
        Standard deviation of the additive sensor noise.
    sampling_rate : float, default=50.0
        Sampling rate in Hz used to place the frequencies.
    random_state : int, RandomState instance or None, default=None
        Seed for reproducible output.

    Returns
    -------
    X : ndarray of shape (n_samples, n_channels, n_timesteps), dtype float32
        The windows.
    y : ndarray of shape (n_samples,), dtype int64
        Activity labels in ``range(n_classes)``; classes ``0 .. ceil(n/2)-1``
        are periodic.
    groups : ndarray of shape (n_samples,), dtype int64
        Subject ids in ``range(n_subjects)``.

    See Also
    --------
    load_uci_har : Real UCI-HAR windows in the same layout.

    Examples
    --------
    >>> from sktime_har.datasets import make_activity_windows
    >>> X, y, groups = make_activity_windows(60, random_state=0)
    >>> X.shape, sorted(set(y.tolist())), len(set(groups.tolist()))
    ((60, 6, 64), [0, 1, 2, 3, 4, 5], 10)
    """
    n_samples = check_int(n_samples, "n_samples", 1)
    n_channels = check_int(n_channels, "n_channels", 1)
    n_timesteps = check_int(n_timesteps, "n_timesteps", 2)
    n_classes = check_int(n_classes, "n_classes", 1)
    n_subjects = check_int(n_subjects, "n_subjects", 1)
    if noise < 0:
        raise ValueError(f"noise must be >= 0; got {noise!r}.")
    rng = check_random_state(random_state)

    n_periodic = (n_classes + 1) // 2
    t = np.arange(n_timesteps) / sampling_rate
    # Class prototypes: frequencies spread over the gait band, channel patterns
    # and static orientations drawn once.
    freqs = np.linspace(1.0, 3.5, max(n_periodic, 1))
    amp_pattern = rng.uniform(0.4, 1.6, size=(n_classes, n_channels))
    harmonic = rng.uniform(0.2, 0.6, size=(n_classes, n_channels))
    orientation = rng.normal(0.0, 0.6, size=(n_classes, n_channels))
    subject_offset = rng.normal(0.0, 0.4, size=(n_subjects, n_channels))
    subject_gain = rng.uniform(0.8, 1.2, size=n_subjects)
    subject_fshift = rng.uniform(-0.15, 0.15, size=n_subjects)

    y = np.arange(n_samples) % n_classes
    rng.shuffle(y)
    groups = np.arange(n_samples) % n_subjects
    rng.shuffle(groups)

    X = np.empty((n_samples, n_channels, n_timesteps))
    for i in range(n_samples):
        k, s = y[i], groups[i]
        if k < n_periodic:
            f = freqs[k] * (1.0 + subject_fshift[s])
            phase = rng.uniform(0, 2 * np.pi, size=(n_channels, 1))
            arg = 2 * np.pi * f * t[None, :] + phase
            sig = amp_pattern[k, :, None] * (np.sin(arg) + harmonic[k, :, None] * np.sin(2 * arg))
        else:
            drift = rng.normal(0.0, 0.05, size=(n_channels, 1)) * np.linspace(-1, 1, n_timesteps)
            sig = orientation[k, :, None] + drift
        X[i] = subject_gain[s] * sig + subject_offset[s, :, None]
    X += rng.normal(0.0, noise, size=X.shape)
    return X.astype(np.float32), y.astype(np.int64), groups.astype(np.int64)
