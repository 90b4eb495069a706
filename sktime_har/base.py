"""Base class stating the window-data layout once for every estimator."""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from sktime_har.utils.validation import MAX_ABS_INPUT, check_windows, is_file_backed


class BaseWindowEstimator(BaseEstimator):
    """Base for estimators on windows of shape ``(n_samples, n_channels, n_timesteps)``.

    Subclasses call :meth:`_validate_fit_windows` at the start of ``fit`` (or
    :meth:`_check_fit_windows`, their hyperparameter checks, then
    :meth:`_set_window_attributes`, so a rejected fit changes nothing) and
    :meth:`_validate_windows` at the start of ``predict``/``transform``. A 2D
    input ``(n_samples, n_timesteps)`` is one channel. Fitted attributes set
    here: ``n_channels_``, ``n_timesteps_`` and ``n_features_in_`` (scalars per
    window, ``n_channels * n_timesteps``).

    Subclasses may override :meth:`_min_timesteps` (shortest window the model
    accepts) and set ``_fixed_length = True`` when the model needs the fitted
    window length at predict time. Windows with absolute values beyond
    ``_max_abs_input`` (:data:`~sktime_har.utils.validation.MAX_ABS_INPUT`
    for the torch estimators) are rejected with a ``ValueError``; transformers
    that are the remedy for such data (scaling, resampling) set it to ``None``.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_har.base import BaseWindowEstimator
    >>> est = BaseWindowEstimator()
    >>> est._validate_fit_windows(np.zeros((3, 2, 8))).shape
    (3, 2, 8)
    >>> est.n_channels_, est.n_timesteps_
    (2, 8)
    """

    _fixed_length = False
    _max_abs_input: float | None = MAX_ABS_INPUT

    def _min_timesteps(self) -> int:
        return 1

    def _min_samples(self) -> int:
        return 1

    def _validate_fit_windows(self, X) -> np.ndarray:
        X = self._check_fit_windows(X)
        self._set_window_attributes(X)
        return X

    def _check_fit_windows(self, X) -> np.ndarray:
        # no side effects: a fit that then rejects a hyperparameter leaves the
        # estimator as it was (unfitted, or fitted on the earlier windows)
        X = check_windows(
            X,
            min_timesteps=self._min_timesteps(),
            min_samples=self._min_samples(),
            owner=type(self).__name__,
            max_abs=self._max_abs_input,
        )
        if not is_file_backed(X) and not X.flags.writeable:
            X = X.copy()  # torch.from_numpy warns on read-only arrays; memmaps stay on disk
        return X

    def _set_window_attributes(self, X: np.ndarray) -> None:
        _, self.n_channels_, self.n_timesteps_ = X.shape
        self.n_features_in_ = self.n_channels_ * self.n_timesteps_

    def _validate_windows(self, X) -> np.ndarray:
        check_is_fitted(self, "n_channels_")
        return check_windows(
            X,
            min_timesteps=self._min_timesteps(),
            n_channels=self.n_channels_,
            n_timesteps=self.n_timesteps_ if self._fixed_length else None,
            owner=type(self).__name__,
            max_abs=self._max_abs_input,
        )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.input_tags.two_d_array = True
        tags.input_tags.allow_nan = False
        return tags
