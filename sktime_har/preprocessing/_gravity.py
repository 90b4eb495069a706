"""Separating an accelerometer signal into gravity and body acceleration."""

from __future__ import annotations

import numbers

import numpy as np
from scipy.signal import butter, sosfiltfilt

from sktime_har.utils.validation import check_numeric


def split_gravity(acc, sampling_rate, cutoff=0.3, order=3, *, axis=0):
    """Split total acceleration into a gravity estimate and body acceleration.

    Gravity is the output of an ``order``-th order Butterworth low-pass at
    ``cutoff`` Hz (0.3 Hz, 3rd order, as in UCI-HAR); body acceleration is
    ``acc - gravity``, so the two always add back up to the input.

    The filter runs forward and backward (:func:`scipy.signal.sosfiltfilt`):
    zero phase, so the gravity estimate is not delayed against the signal (a
    causal ``lfilter`` lags a 0.3 Hz low-pass by about a second, which would
    leak posture changes into the body part). The price is that it uses
    future samples, so it is an offline filter, and it doubles the effective
    order. Apply it to whole continuous recordings before windowing (as
    :func:`sktime_har.datasets.load_uci_har` does for the ``"dsc"`` layout):
    on short windows the filter's edge transients dominate. Second-order
    sections keep the very low normalised cutoff numerically stable.

    Parameters
    ----------
    acc : array-like of shape (n_timesteps, n_channels) or (n_timesteps,)
        Total acceleration, time along ``axis``.
    sampling_rate : float
        Sampling rate in Hz (50 for UCI HAPT).
    cutoff : float, default=0.3
        Low-pass corner frequency in Hz; must be below ``sampling_rate / 2``.
    order : int, default=3
        Butterworth order.
    axis : int, default=0
        Time axis of ``acc`` (use ``-1`` for windows shaped
        ``(n_samples, n_channels, n_timesteps)``).

    Returns
    -------
    gravity : ndarray, same shape as ``acc``
        Low-frequency (gravity) component, float64.
    body : ndarray, same shape as ``acc``
        ``acc - gravity``.

    Raises
    ------
    ValueError
        If the cutoff is not in ``(0, sampling_rate / 2)``, the order is not a
        positive integer, or the signal is too short for the filter's padding.

    See Also
    --------
    sliding_windows : Cut the separated recordings into windows afterwards.
    sktime_har.datasets.load_uci_har : Applies this split for the ``"dsc"`` layout.
    scipy.signal.sosfiltfilt : The zero-phase filter used here.

    References
    ----------
    .. [1] Anguita et al., "A Public Domain Dataset for Human Activity
       Recognition Using Smartphones", ESANN 2013.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_har.preprocessing import split_gravity
    >>> t = np.arange(500) / 50.0
    >>> acc = np.stack([1.0 + 0.5 * np.sin(2 * np.pi * 2.0 * t), np.zeros_like(t)], axis=1)
    >>> gravity, body = split_gravity(acc, sampling_rate=50)
    >>> bool(np.allclose(gravity + body, acc))
    True
    >>> round(float(gravity[100:400, 0].mean()), 2), round(float(body[100:400, 0].std()), 2)
    (1.0, 0.35)
    """
    arr = check_numeric(acc, name="acc", expected="(n_timesteps, n_channels)").astype(np.float64)
    if arr.ndim == 0:
        raise ValueError("acc must be a signal of shape (n_timesteps, n_channels); got a scalar.")
    if not np.isfinite(arr).all():
        raise ValueError("acc contains NaN or infinity; interpolate the gaps first.")
    if not isinstance(sampling_rate, numbers.Real) or sampling_rate <= 0:
        raise ValueError(f"sampling_rate must be a positive number (Hz); got {sampling_rate!r}.")
    nyquist = sampling_rate / 2.0
    if not isinstance(cutoff, numbers.Real) or not 0 < cutoff < nyquist:
        raise ValueError(
            f"cutoff must be in (0, sampling_rate / 2) = (0, {nyquist}) Hz; got {cutoff!r}."
        )
    if isinstance(order, bool) or not isinstance(order, numbers.Integral) or order < 1:
        raise ValueError(f"order must be a positive integer; got {order!r}.")
    sos = butter(int(order), cutoff, btype="lowpass", fs=sampling_rate, output="sos")
    try:
        gravity = sosfiltfilt(sos, arr, axis=axis)
    except ValueError as exc:  # signal shorter than the filter's edge padding
        raise ValueError(
            f"acc is too short along axis {axis} for a order-{order} filtfilt "
            f"(shape {arr.shape}); filter whole recordings, not short windows. ({exc})"
        ) from exc
    return gravity, arr - gravity
