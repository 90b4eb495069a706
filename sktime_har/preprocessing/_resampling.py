"""Changing the number of timesteps per window (e.g. 50 Hz to 30 Hz)."""

from __future__ import annotations

import numbers
from math import gcd

import numpy as np
from scipy.signal import resample_poly
from sklearn.base import TransformerMixin

from sktime_har.base import BaseWindowEstimator
from sktime_har.utils._constraints import integers
from sktime_har.utils._params import store_init_params
from sktime_har.utils.validation import check_windows


def _check_n_timesteps(n_timesteps) -> int:
    if (
        isinstance(n_timesteps, bool)
        or not isinstance(n_timesteps, numbers.Integral)
        or n_timesteps < 1
    ):
        raise ValueError(f"n_timesteps must be an integer >= 1; got {n_timesteps!r}.")
    return int(n_timesteps)


def resample_windows(X, n_timesteps):
    """Resample every window to ``n_timesteps`` samples with a polyphase filter.

    Uses :func:`scipy.signal.resample_poly` with ``up/down =
    n_timesteps/n_in`` (reduced by their gcd) after removing each window's
    end-to-end linear trend (added back afterwards). Why
    not :func:`scipy.signal.resample` (FFT): it treats each window as one
    period of a periodic signal, so a window whose end differs from its
    start (any drift or posture change) rings at both edges. The polyphase
    route applies a proper anti-aliasing FIR low-pass when downsampling, and
    removing the trend between the window's first and last samples before
    filtering makes the residual zero at both ends, so the edges do not droop
    and constant or linearly trending windows come out unchanged.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_channels, n_in) or (n_samples, n_in)
        Windows (2D input is one channel).
    n_timesteps : int
        Output window length, e.g. ``30`` to take 1 s windows from 50 Hz to
        30 Hz.

    Returns
    -------
    X_resampled : ndarray of shape (n_samples, n_channels, n_timesteps), dtype float32
        The resampled windows (a copy even when the length is unchanged).

    See Also
    --------
    Resampler : The same as a scikit-learn transformer.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_har.preprocessing import resample_windows
    >>> X = np.ones((2, 3, 50))
    >>> Xr = resample_windows(X, 30)
    >>> Xr.shape, bool(np.allclose(Xr, 1.0))
    ((2, 3, 30), True)
    """
    n_timesteps = _check_n_timesteps(n_timesteps)
    X = check_windows(X)
    n_in = X.shape[-1]
    if n_in == n_timesteps:
        return X.copy()
    if n_in == 1:  # nothing to interpolate: a one-sample window is a constant
        return np.repeat(X, n_timesteps, axis=-1)
    g = gcd(n_in, n_timesteps)
    X64 = X.astype(np.float64)
    # Remove the straight line through each window's first and last samples,
    # resample the residual (zero at both ends, so zero padding adds no step)
    # and put the line back at the output sample times: constants and linear
    # trends are reproduced exactly, which the filter's phase ripple alone
    # would not do (about 1e-4 for 50 -> 30).
    first, last = X64[..., :1], X64[..., -1:]
    slope = (last - first) / (n_in - 1)
    residual = X64 - (first + slope * np.arange(n_in))
    out = resample_poly(residual, n_timesteps // g, n_in // g, axis=-1, padtype="constant")
    t_out = np.arange(n_timesteps) * (n_in / n_timesteps)  # output times in input samples
    out = out[..., :n_timesteps] + first + slope * t_out
    return np.ascontiguousarray(out, dtype=np.float32)


class Resampler(TransformerMixin, BaseWindowEstimator):
    """Transformer resampling windows to a fixed number of timesteps.

    Stateless apart from recording the input shape; see
    :func:`resample_windows` for the method and why it was chosen.

    Parameters
    ----------
    n_timesteps : int, default=30
        Output window length.

    Attributes
    ----------
    n_channels_ : int
        Channels seen in ``fit``.
    n_timesteps_ : int
        Input window length seen in ``fit``.
    n_features_in_ : int
        ``n_channels_ * n_timesteps_``.

    See Also
    --------
    resample_windows : The function this wraps.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_har.preprocessing import Resampler
    >>> Resampler(n_timesteps=30).fit_transform(np.zeros((4, 6, 50))).shape
    (4, 6, 30)
    """

    _max_abs_input = None  # no network: any finite magnitude is fine

    _parameter_constraints: dict = {"n_timesteps": [integers(1)]}

    def __init__(self, *, n_timesteps: int = 30):
        store_init_params(self, locals())

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float32"]  # cast once, at the boundary
        return tags

    def fit(self, X, y=None):
        """Check the parameters and record the input shape.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_channels, n_in)
            Windows.
        y : None
            Ignored.

        Returns
        -------
        self : Resampler
            The fitted transformer.
        """
        self._validate_params()
        self._validate_fit_windows(X)
        return self

    def transform(self, X):
        """Resample windows to ``n_timesteps``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_channels, n_in)
            Windows with the channel count seen in ``fit``.

        Returns
        -------
        X_resampled : ndarray of shape (n_samples, n_channels, n_timesteps), dtype float32
            The resampled windows.
        """
        X = self._validate_windows(X)
        return resample_windows(X, self.n_timesteps)
