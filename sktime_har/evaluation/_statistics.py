"""Mean and Student-t confidence interval of repeated scores."""

from __future__ import annotations

import numpy as np
from scipy import stats


def mean_confidence_interval(scores, confidence: float = 0.95) -> tuple[float, float]:
    """Mean and half-width of the two-sided Student-t confidence interval.

    ``half_width = t_{(1 + confidence) / 2, n - 1} * s / sqrt(n)`` with ``s``
    the sample standard deviation (``ddof=1``): the interval for the mean of
    ``n`` independent repeats when their spread is estimated from the
    repeats themselves. With one score the half-width is ``nan``.

    Parameters
    ----------
    scores : array-like of shape (n_repeats,)
        Scores of the repeats.
    confidence : float, default=0.95
        Coverage of the interval, in (0, 1).

    Returns
    -------
    mean : float
        Mean score.
    half_width : float
        The interval is ``mean +- half_width``.

    See Also
    --------
    semi_supervised_evaluation : reports these per k.

    Examples
    --------
    >>> from sktime_har.evaluation import mean_confidence_interval
    >>> mean, hw = mean_confidence_interval([0.8, 0.9, 1.0])
    >>> round(mean, 3), round(hw, 3)  # t_{0.975, 2} = 4.303, s = 0.1
    (0.9, 0.248)
    """
    values = np.asarray(scores, dtype=float).ravel()
    if values.size == 0 or not np.isfinite(values).all():
        raise ValueError(f"scores must be a non-empty array of finite numbers; got {scores!r}.")
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be in (0, 1); got {confidence!r}.")
    mean = float(values.mean())
    if values.size == 1:
        return mean, float("nan")
    sem = values.std(ddof=1) / np.sqrt(values.size)
    return mean, float(stats.t.ppf((1.0 + confidence) / 2.0, values.size - 1) * sem)
