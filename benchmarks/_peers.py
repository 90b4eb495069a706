"""Helpers shared by the peer benchmarks: the classical methods, from their own packages.

The peers are measured with their authors' released packages (``tslearn`` for
soft-DTW k-means, ``sktime`` for MiniRocket), never with a re-implementation.
This module only adapts their inputs and outputs:

- :func:`summary_statistics`: the 7 per-channel statistics of the "summary
  statistics" peer (mean, std, min, max, median, IQR, mean absolute first
  difference), 63 features for 9 channels;
- :class:`MiniRocketFeatures`: sktime's ``MiniRocketMultivariate`` as a
  scikit-learn transformer on ``(n, channels, time)`` arrays, returning a float
  numpy array (so it can sit in a ``Pipeline`` after ``ChannelOcclusion`` and be
  cloned by the evaluation protocols);
- the single-thread setting and the package versions of every peer row come
  from :mod:`benchmarks._common`.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

STATISTICS = ("mean", "std", "min", "max", "median", "iqr", "mean_abs_diff")


def summary_statistics(X) -> np.ndarray:
    """Per-channel summary statistics of windows ``X`` of shape ``(n, channels, time)``.

    Returns ``(n, 7 * channels)``, grouped by statistic (all channels' means,
    then all stds, ...), in the order of :data:`STATISTICS`.
    """
    X = np.asarray(X, dtype=float)
    if X.ndim != 3 or X.shape[2] < 2:
        raise ValueError(f"X must have shape (n, channels, time >= 2); got {X.shape}.")
    q25, q50, q75 = np.percentile(X, [25, 50, 75], axis=2)
    return np.concatenate([
        X.mean(axis=2), X.std(axis=2), X.min(axis=2), X.max(axis=2), q50, q75 - q25,
        np.abs(np.diff(X, axis=2)).mean(axis=2)], axis=1)


class MiniRocketFeatures(TransformerMixin, BaseEstimator):
    """sktime's ``MiniRocketMultivariate`` on ``(n, channels, time)`` numpy windows.

    Parameters
    ----------
    num_kernels : int, default=10000
        Passed to sktime (it rounds down to a multiple of 84).
    max_dilations_per_kernel : int, default=32
        Passed to sktime.
    random_state : int or None, default=None
        Passed to sktime.

    Examples
    --------
    >>> import numpy as np
    >>> X = np.random.default_rng(0).normal(size=(8, 2, 20))
    >>> MiniRocketFeatures(num_kernels=84, random_state=0).fit_transform(X).shape[0]
    8
    """

    def __init__(self, *, num_kernels=10_000, max_dilations_per_kernel=32, random_state=None):
        self.num_kernels = num_kernels
        self.max_dilations_per_kernel = max_dilations_per_kernel
        self.random_state = random_state

    def fit(self, X, y=None):
        from sktime.transformations.panel.rocket import MiniRocketMultivariate

        X = np.ascontiguousarray(X, dtype=float)
        self.rocket_ = MiniRocketMultivariate(
            num_kernels=self.num_kernels,
            max_dilations_per_kernel=self.max_dilations_per_kernel, n_jobs=1,
            random_state=self.random_state).fit(X)
        return self

    def transform(self, X):
        check_is_fitted(self, "rocket_")
        features = self.rocket_.transform(np.ascontiguousarray(X, dtype=float))
        return np.asarray(features, dtype=np.float64)


def peer_command_line(argv, description: str, name: str, run, write_markdown) -> dict:
    """The peer scripts' command line: ``--config cpu|smoke`` and ``--out``, on one thread.

    Runs ``run(config)`` under a one-thread BLAS limit and writes the result as
    ``<name>.json`` (``<name>_smoke.json`` for the smoke config) and, with
    ``write_markdown(result, path)``, the ``.md`` beside it.
    """
    import argparse
    import json
    from pathlib import Path

    from threadpoolctl import threadpool_limits

    from benchmarks._common import RESULTS

    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--config", choices=["cpu", "smoke"], default="cpu")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    with threadpool_limits(1):
        result = run(args.config)
    stem = name if args.config == "cpu" else f"{name}_{args.config}"
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / f"{stem}.json").write_text(json.dumps(result, indent=1) + "\n")
    write_markdown(result, args.out / f"{stem}.md")
    print(f"wrote {args.out / stem}.{{json,md}}", flush=True)
    return result
