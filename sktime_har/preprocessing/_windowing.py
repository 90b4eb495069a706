"""Cutting continuous recordings into fixed-length, possibly overlapping windows."""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from sktime_har.utils._params import check_int
from sktime_har.utils.validation import check_numeric

LABEL_RULES = ("majority", "last", "center", "pure")


def window_starts(n_timesteps: int, window: int, step: int) -> np.ndarray:
    """Start indices of the windows that fit entirely in a recording.

    There are ``(n_timesteps - window) // step + 1`` of them when
    ``n_timesteps >= window``, none otherwise; an incomplete tail is dropped.

    Parameters
    ----------
    n_timesteps : int
        Length of the recording.
    window : int
        Window length in samples.
    step : int
        Hop between consecutive window starts, in samples.

    Returns
    -------
    starts : ndarray of shape (n_windows,), dtype intp
        The start index of each window.

    See Also
    --------
    sliding_windows : Cuts a recording into windows at these starts.

    Examples
    --------
    >>> from sktime_har.preprocessing import window_starts
    >>> window_starts(10, window=4, step=3).tolist()
    [0, 3, 6]
    """
    n_timesteps = check_int(n_timesteps, "n_timesteps", 0)
    window = check_int(window, "window", 1)
    step = check_int(step, "step", 1)
    if n_timesteps < window:
        return np.empty(0, dtype=np.intp)
    return np.arange(0, n_timesteps - window + 1, step, dtype=np.intp)


def _window_labels(labels: np.ndarray, starts: np.ndarray, window: int, rule: str):
    """Label per window and a mask of the windows to keep (all but impure ones)."""
    codes_of, codes = np.unique(labels, return_inverse=True)
    codes = codes.reshape(-1)
    per_window = sliding_window_view(codes, window)[starts]  # (n_windows, window) view
    keep = np.ones(len(starts), dtype=bool)
    if rule == "last":
        chosen = per_window[:, -1]
    elif rule == "center":
        chosen = per_window[:, window // 2]
    elif rule == "pure":
        chosen = per_window[:, 0]
        keep = (per_window == chosen[:, None]).all(axis=1)
    else:  # majority; ties go to the smallest label (np.unique order)
        n_codes = len(codes_of)
        offsets = np.arange(len(starts))[:, None] * n_codes
        counts = np.bincount((per_window + offsets).ravel(), minlength=len(starts) * n_codes)
        chosen = counts.reshape(len(starts), n_codes).argmax(axis=1)
    return codes_of[chosen], keep


def sliding_windows(signal, labels=None, *, window, step, label_rule="majority"):
    """Cut a continuous recording into windows of shape ``(n_channels, window)``.

    The recording is time-major, ``(n_timesteps, n_channels)``, the way
    recordings are stored (one row per sample, one column per sensor axis);
    a 1D signal is one channel. The windows come out in the library's layout
    ``(n_windows, n_channels, window)``. Only complete windows are kept, so
    there are ``(n_timesteps - window) // step + 1`` of them (before the
    ``"pure"`` rule drops any).

    Parameters
    ----------
    signal : array-like of shape (n_timesteps, n_channels) or (n_timesteps,)
        The continuous recording, time along the first axis.
    labels : array-like of shape (n_timesteps,), default=None
        Per-sample labels of any sortable type. If None, no window labels
        are computed.
    window : int
        Window length in samples.
    step : int
        Hop between window starts in samples (``step < window`` overlaps,
        ``step == window`` tiles, ``step > window`` skips samples).
    label_rule : {"majority", "last", "center", "pure"}, default="majority"
        How a window's label is read from its samples: the most frequent
        (ties go to the smallest label), the last sample's, the centre
        sample's (index ``window // 2``), or ``"pure"``: keep only windows
        whose samples all share one label and drop the others.

    Returns
    -------
    windows : ndarray of shape (n_windows, n_channels, window)
        Copies of the signal slices, same dtype as ``signal``.
    window_labels : ndarray of shape (n_windows,) or None
        One label per window; None when ``labels`` is None.

    Raises
    ------
    ValueError
        If the signal is not 1D/2D, ``labels`` has another length, ``window``
        or ``step`` is not a positive integer, ``window`` exceeds the
        recording, or ``label_rule`` is unknown.

    See Also
    --------
    window_starts : Start indices of the windows.
    resample_windows : Change the number of timesteps per window.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_har.preprocessing import sliding_windows
    >>> signal = np.arange(20.0).reshape(10, 2)  # 10 timesteps, 2 channels
    >>> labels = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1]
    >>> W, y = sliding_windows(signal, labels, window=4, step=2)
    >>> W.shape, y.tolist()
    ((4, 2, 4), [0, 0, 1, 1])
    >>> W[1, 0].tolist()  # channel 0 of the window starting at timestep 2
    [4.0, 6.0, 8.0, 10.0]
    >>> sliding_windows(signal, labels, window=4, step=2, label_rule="pure")[1].tolist()
    [0, 1]
    """
    arr = check_numeric(signal, name="signal", expected="(n_timesteps, n_channels)")
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2:
        raise ValueError(
            "signal must be a continuous recording of shape (n_timesteps, n_channels) "
            f"or (n_timesteps,); got shape {arr.shape}."
        )
    window = check_int(window, "window", 1)
    step = check_int(step, "step", 1)
    if label_rule not in LABEL_RULES:
        raise ValueError(f"label_rule must be one of {LABEL_RULES}; got {label_rule!r}.")
    n_timesteps = arr.shape[0]
    if window > n_timesteps:
        raise ValueError(
            f"window={window} is longer than the recording ({n_timesteps} timesteps, "
            f"signal shape {arr.shape}); expected (n_timesteps, n_channels) with "
            f"n_timesteps >= window."
        )
    starts = window_starts(n_timesteps, window, step)
    # sliding_window_view over time gives (n_timesteps - window + 1, n_channels, window)
    windows = sliding_window_view(arr, window, axis=0)[starts]
    if labels is None:
        return windows, None
    labels = np.asarray(labels)
    if labels.shape != (n_timesteps,):
        raise ValueError(
            f"labels must have shape ({n_timesteps},), one per timestep of the signal; "
            f"got shape {labels.shape}."
        )
    window_labels, keep = _window_labels(labels, starts, window, label_rule)
    return windows[keep], window_labels[keep]
