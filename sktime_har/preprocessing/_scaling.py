"""Per-channel standardisation of 3D window arrays."""

from __future__ import annotations

import numpy as np
from sklearn.base import TransformerMixin

from sktime_har.base import BaseWindowEstimator
from sktime_har.utils._params import store_init_params
from sktime_har.utils.validation import is_file_backed


class ChannelStandardScaler(TransformerMixin, BaseWindowEstimator):
    """Standardise each channel with a mean and scale learned on training windows.

    Unlike :class:`sklearn.preprocessing.StandardScaler` on flattened windows
    (one statistic per channel *and* timestep), the statistics here are
    pooled over samples and time, so every timestep of a channel is scaled
    alike and the window stays a signal. Fit on the training split and apply
    to validation and test, so no test statistics leak into the features.

    Parameters
    ----------
    with_mean : bool, default=True
        Subtract the channel mean.
    with_std : bool, default=True
        Divide by the channel standard deviation. Channels with zero (or
        near-zero) spread are left unscaled (scale 1).

    Attributes
    ----------
    mean_ : ndarray of shape (n_channels,)
        Per-channel mean over training samples and timesteps (zeros if
        ``with_mean=False``).
    scale_ : ndarray of shape (n_channels,)
        Per-channel divisor (ones if ``with_std=False``).
    n_channels_ : int
        Channels seen in ``fit``.
    n_timesteps_ : int
        Window length seen in ``fit`` (other lengths are accepted later).
    n_features_in_ : int
        ``n_channels_ * n_timesteps_``.

    See Also
    --------
    sklearn.preprocessing.StandardScaler : Per-feature scaling of 2D data.
    resample_windows : Change the window length.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_har.preprocessing import ChannelStandardScaler
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal([[5.0], [-2.0]], [[2.0], [0.5]], size=(100, 2, 16))
    >>> Xt = ChannelStandardScaler().fit_transform(X)
    >>> bool(np.allclose(Xt.mean(axis=(0, 2)), 0, atol=1e-6))
    True
    >>> np.round(Xt.std(axis=(0, 2)), 6).tolist()
    [1.0, 1.0]
    """

    _max_abs_input = None  # no network: any finite magnitude is fine

    _parameter_constraints: dict = {"with_mean": ["boolean"], "with_std": ["boolean"]}

    def __init__(self, *, with_mean: bool = True, with_std: bool = True):
        store_init_params(self, locals())

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float32"]  # cast once, at the boundary
        return tags

    def fit(self, X, y=None):
        """Learn the per-channel mean and standard deviation.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_channels, n_timesteps)
            Training windows (2D input is one channel).
        y : None
            Ignored.

        Returns
        -------
        self : ChannelStandardScaler
            The fitted scaler.
        """
        self._validate_params()
        with_mean, with_std = bool(self.with_mean), bool(self.with_std)
        X = self._validate_fit_windows(X)
        if is_file_backed(X):
            mean, std = _chunked_channel_moments(X)
        else:
            X = X.astype(np.float64)
            mean, std = X.mean(axis=(0, 2)), X.std(axis=(0, 2))
        # Constant channels: dividing by ~0 would blow up rounding noise.
        std[std < 10 * np.finfo(np.float32).eps * np.maximum(np.abs(mean), 1.0)] = 1.0
        self.mean_ = mean if with_mean else np.zeros_like(mean)
        self.scale_ = std if with_std else np.ones_like(std)
        return self

    def transform(self, X):
        """Standardise windows with the fitted statistics.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_channels, n_timesteps)
            Windows with the channel count seen in ``fit``.

        Returns
        -------
        X_scaled : ndarray of shape (n_samples, n_channels, n_timesteps), dtype float32
            ``(X - mean_) / scale_`` per channel.
        """
        X = self._validate_windows(X)
        if is_file_backed(X):
            # windows in files: only the float32 output is held, chunk by chunk
            out = np.empty(X.shape, dtype=np.float32)
            for rows in _chunks(X):
                out[rows] = self._standardise(_float32_rows(X, rows))
            return out
        return self._standardise(X)

    def _standardise(self, X: np.ndarray) -> np.ndarray:
        out = (X - self.mean_[None, :, None]) / self.scale_[None, :, None]
        return out.astype(np.float32)

    def inverse_transform(self, X):
        """Undo the standardisation.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_channels, n_timesteps)
            Standardised windows.

        Returns
        -------
        X_original : ndarray of shape (n_samples, n_channels, n_timesteps), dtype float32
            ``X * scale_ + mean_`` per channel.
        """
        X = self._validate_windows(X)
        out = X * self.scale_[None, :, None] + self.mean_[None, :, None]
        return out.astype(np.float32)


def _chunks(X, chunk_bytes: int = 64 * 2**20):
    """Slices of about ``chunk_bytes`` of float64 windows over the rows of ``X``."""
    rows = max(1, chunk_bytes // max(1, 8 * int(np.prod(X.shape[1:]))))
    return [slice(start, start + rows) for start in range(0, len(X), rows)]


def _float32_rows(X, rows: slice) -> np.ndarray:
    # float32 at the boundary, as validation makes the windows held in memory
    return np.asarray(X[rows], dtype=np.float32)


def _chunked_channel_moments(X) -> tuple[np.ndarray, np.ndarray]:
    """Per-channel mean and (population) standard deviation, in two passes over chunks."""
    count = X.shape[0] * X.shape[2]
    total = np.zeros(X.shape[1])
    for rows in _chunks(X):
        total += _float32_rows(X, rows).sum(axis=(0, 2), dtype=np.float64)
    mean = total / count
    squares = np.zeros(X.shape[1])
    for rows in _chunks(X):
        centred = _float32_rows(X, rows).astype(np.float64) - mean[None, :, None]
        squares += (centred * centred).sum(axis=(0, 2))
    return mean, np.sqrt(squares / count)
