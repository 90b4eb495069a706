"""Mean and Student-t 95 % confidence interval over repeated runs."""

from __future__ import annotations

import numpy as np

from sktime_har.evaluation import mean_confidence_interval


def mean_ci95(values) -> tuple[float, float, float]:
    """Mean, sample standard deviation and 95 % CI half-width of repeated scores.

    The interval is the two-sided Student-t interval for the mean,
    ``mean +- t_{0.975, n-1} * std / sqrt(n)`` with the sample standard
    deviation (``ddof=1``), as is usual for a handful of seeds or folds (the
    paper reports "margins of error for 95 % confidence intervals" over 5
    folds, 9 activity hold-outs or 10 seeds). With fewer than two values the
    spread is undefined and ``std`` and the half-width are NaN.

    Parameters
    ----------
    values : array-like of shape (n_runs,)
        One score per run (seed, fold or hold-out combination).

    Returns
    -------
    mean : float
        Arithmetic mean of ``values``.
    std : float
        Sample standard deviation (``ddof=1``).
    half_width : float
        Half-width of the 95 % t-interval: the interval is
        ``[mean - half_width, mean + half_width]``.

    See Also
    --------
    OcclusionScorer.evaluate, subject_probe, activity_type_probe : Report it.

    Examples
    --------
    >>> from sktime_har.inspection import mean_ci95
    >>> m, s, h = mean_ci95([0.8, 0.9, 1.0])
    >>> round(m, 3), round(s, 3), round(h, 3)  # t(0.975, 2) = 4.303
    (0.9, 0.1, 0.248)
    """
    values = np.asarray(values, dtype=float).ravel()
    if values.size == 0:
        raise ValueError("mean_ci95 needs at least one value; got an empty array.")
    if not np.isfinite(values).all():
        raise ValueError("mean_ci95 needs finite values; got NaN or infinity.")
    mean, half = mean_confidence_interval(values, confidence=0.95)
    std = float(values.std(ddof=1)) if values.size > 1 else float("nan")
    return mean, std, half
