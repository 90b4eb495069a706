"""K-fold over contiguous per-subject blocks with a gap: overlapping windows never straddle."""

from __future__ import annotations

import numbers

import numpy as np
from sklearn.model_selection import BaseCrossValidator


class BlockedSubjectKFold(BaseCrossValidator):
    """K-fold in which every subject contributes one contiguous block of windows per fold.

    Subject-identification probing needs every subject on both sides of a
    split, so grouping by subject (``GroupKFold``) does not apply. Random
    K-fold, as in the authors' code, puts a window and its 50 %-overlapping
    neighbours on opposite sides, and the probe can match shared samples
    instead of learning subject traits. Here the windows of each subject,
    taken **in the order given** (recording order, as the loaders return
    them), are cut into ``n_splits`` contiguous blocks; fold ``i`` tests on
    block ``i`` of every subject, and the ``gap`` windows on each side of
    that block are dropped from training. With windows of length ``L`` and
    step ``s``, neighbours up to ``ceil(L / s) - 1`` positions apart overlap,
    so ``gap = 1`` suffices for 50 % overlap. Windows of different
    recordings of one subject never overlap, so concatenating recordings is
    safe.

    Parameters
    ----------
    n_splits : int, default=5
        Number of folds; every subject needs at least ``n_splits`` windows.
    gap : int, default=1
        Windows dropped from training on each side of every test block.

    See Also
    --------
    subject_probe : Uses this splitter.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_har.inspection import BlockedSubjectKFold
    >>> subjects = np.repeat([1, 2], 10)
    >>> train, test = next(BlockedSubjectKFold(n_splits=5).split(subjects, groups=subjects))
    >>> test.tolist(), train[:3].tolist()  # windows 0-1 of each subject; window 2 is the gap
    ([0, 1, 10, 11], [3, 4, 5])
    """

    def __init__(self, n_splits=5, *, gap=1):
        self.n_splits = n_splits
        self.gap = gap

    def _check_params(self):
        if isinstance(self.n_splits, bool) or not isinstance(self.n_splits, numbers.Integral) \
                or self.n_splits < 2:
            raise ValueError(f"n_splits must be an integer >= 2; got {self.n_splits!r}.")
        if isinstance(self.gap, bool) or not isinstance(self.gap, numbers.Integral) \
                or self.gap < 0:
            raise ValueError(f"gap must be a non-negative integer; got {self.gap!r}.")

    def get_n_splits(self, X=None, y=None, groups=None) -> int:
        """Number of folds.

        Parameters
        ----------
        X : object, default=None
            Ignored; present for scikit-learn API compatibility.
        y : object, default=None
            Ignored; present for scikit-learn API compatibility.
        groups : object, default=None
            Ignored; present for scikit-learn API compatibility.

        Returns
        -------
        n_splits : int
            The ``n_splits`` hyperparameter.
        """
        return int(self.n_splits)

    def split(self, X, y=None, groups=None):
        """Yield train and test indices.

        Parameters
        ----------
        X : array-like of shape (n_samples, ...)
            Only its length is used.
        y : object, default=None
            Ignored; present for scikit-learn API compatibility.
        groups : array-like of shape (n_samples,)
            Subject id of every window; within a subject, windows must be in
            temporal order.

        Yields
        ------
        train, test : ndarray of int
            Indices of the training windows (test block and ``gap`` windows
            on each side of it excluded) and of the test windows of the fold.
        """
        self._check_params()
        if groups is None:
            raise ValueError("BlockedSubjectKFold needs groups= (one subject id per window).")
        groups = np.asarray(groups)
        if groups.ndim != 1 or len(groups) != len(X):
            raise ValueError(
                f"groups must be 1D with one entry per window ({len(X)}); got shape "
                f"{groups.shape}."
            )
        fold_of = np.empty(len(groups), dtype=np.int64)
        dropped = [np.zeros(len(groups), dtype=bool) for _ in range(self.n_splits)]
        for subject in np.unique(groups):
            idx = np.flatnonzero(groups == subject)  # stable: keeps the given order
            if len(idx) < self.n_splits:
                raise ValueError(
                    f"Subject {subject.item()!r} has {len(idx)} windows; BlockedSubjectKFold "
                    f"with n_splits={self.n_splits} needs at least {self.n_splits}."
                )
            bounds = np.linspace(0, len(idx), self.n_splits + 1).round().astype(int)
            for f in range(self.n_splits):
                lo, hi = bounds[f], bounds[f + 1]
                fold_of[idx[lo:hi]] = f
                dropped[f][idx[max(lo - self.gap, 0):lo]] = True
                dropped[f][idx[hi:hi + self.gap]] = True
        for f in range(self.n_splits):
            test = np.flatnonzero(fold_of == f)
            train = np.flatnonzero((fold_of != f) & ~dropped[f])
            yield train, test

    def _iter_test_indices(self, X=None, y=None, groups=None):  # required by the base class
        for _, test in self.split(X, y, groups):
            yield test
