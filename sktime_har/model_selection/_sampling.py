"""Draw k labelled windows per class (the semi-supervised protocol)."""

from __future__ import annotations

import numpy as np
from sklearn.utils import check_random_state

from sktime_har.utils._docstrings import fill_doc


@fill_doc
def sample_per_class(y, k: int, random_state=None) -> np.ndarray:
    """Indices of ``k`` randomly chosen samples of every class.

    Used by the semi-supervised protocol: a classifier is trained on the
    ``k * n_classes`` selected windows of the training split only.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Class labels.
    k : int
        Samples to draw per class (without replacement).
    random_state : int, RandomState instance or None, default=None
        Seed of the draw.

    Returns
    -------
    indices : ndarray of shape (k * n_classes,)
        Sorted indices into ``y``.

    Raises
    ------
    ValueError
        If ``k`` is not a positive integer or a class has fewer than ``k``
        samples.

    See Also
    --------
    subject_split : The subject splits the samples are drawn within.

    References
    ----------
    .. [1] %(cite_dynamic_temperature)s.

    Examples
    --------
    >>> from sktime_har.model_selection import sample_per_class
    >>> idx = sample_per_class([0, 0, 0, 1, 1, 1], k=2, random_state=0)
    >>> len(idx)
    4
    """
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or k < 1:
        raise ValueError(f"k must be a positive integer; got {k!r}.")
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"y must be 1D of shape (n_samples,); got shape {y.shape}.")
    rng = check_random_state(random_state)
    chosen = []
    for cls in np.unique(y):
        members = np.flatnonzero(y == cls)
        if len(members) < k:
            raise ValueError(
                f"class {cls!r} has {len(members)} samples, fewer than k={k}."
            )
        chosen.append(rng.choice(members, size=k, replace=False))
    return np.sort(np.concatenate(chosen))
