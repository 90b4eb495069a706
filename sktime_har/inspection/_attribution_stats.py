"""Global summaries of local attributions: per-activity channel importance and entropy."""

from __future__ import annotations

import numpy as np

from sktime_har.utils.validation import check_labels, check_samples


def _window_distributions(attributions, y_true, y_pred, labels):
    attributions = check_samples(attributions, name="attributions",
                                 owner="the attribution summary").astype(float)
    if attributions.ndim != 3:
        raise ValueError(
            "attributions must be 3D of shape (n_samples, n_channels, n_timesteps); "
            f"got shape {attributions.shape}."
        )
    n = attributions.shape[0]
    y_true = check_labels(y_true, n, name="y_true")
    y_pred = check_labels(y_pred, n, name="y_pred")
    mass = np.abs(attributions).sum(axis=2)  # (n, channels): |attr| summed over time
    total = mass.sum(axis=1)
    # Windows with an all-zero attribution have no distribution over channels.
    keep = (y_true == y_pred) & (total > 0)
    dist = np.divide(mass, total[:, None], out=np.zeros_like(mass), where=total[:, None] > 0)
    labels = np.unique(y_true) if labels is None else np.asarray(labels)
    return dist, keep, y_true, labels


def channel_importance(attributions, y_true, y_pred, *, labels=None):
    """Per-activity channel importance from local attributions (paper 004, Figure 4).

    For each correctly classified window, ``|attribution|`` is summed over
    time and l1-normalised over channels (a categorical distribution over
    channels); these distributions are averaged per true class. Windows with
    an all-zero attribution are skipped.

    Parameters
    ----------
    attributions : array-like of shape (n_samples, n_channels, n_timesteps)
        Local attributions, e.g. from :meth:`GuidedGradCAM.attribute`.
    y_true, y_pred : array-like of shape (n_samples,)
        True and predicted labels.
    labels : array-like or None, default=None
        Row order; default the sorted unique ``y_true``.

    Returns
    -------
    importance : ndarray of shape (n_labels, n_channels)
        Rows sum to 1; a class with no correctly classified window gets a
        NaN row.
    labels : ndarray of shape (n_labels,)
        The class of each row of ``importance``.

    See Also
    --------
    attribution_entropy : Entropy of the same distributions.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_har.inspection import channel_importance
    >>> attr = np.zeros((2, 3, 4)); attr[0, 0] = 1; attr[1, 1] = -2; attr[1, 2] = 2
    >>> imp, labels = channel_importance(attr, ["a", "b"], ["a", "b"])
    >>> imp.tolist(), labels.tolist()
    ([[1.0, 0.0, 0.0], [0.0, 0.5, 0.5]], ['a', 'b'])
    """
    dist, keep, y_true, labels = _window_distributions(attributions, y_true, y_pred, labels)
    out = np.full((len(labels), dist.shape[1]), np.nan)
    for i, label in enumerate(labels):
        rows = keep & (y_true == label)
        if rows.any():
            out[i] = dist[rows].mean(axis=0)
    return out, labels


def attribution_entropy(attributions, y_true, y_pred, *, labels=None, base=2.0):
    """Mean entropy of the per-window channel distributions, per activity (Tables 5-6).

    The per-window distribution is the one of :func:`channel_importance`
    (``|attribution|`` summed over time, l1-normalised over channels, on
    correctly classified windows); its Shannon entropy, in **bits** by
    default (``base=2``, the base that matches the paper's values: they
    exceed ``ln 6 = 1.79`` and stay below ``log2 6 = 2.58`` for 6 channels),
    is averaged per true class. Higher values mean attributions spread over
    more channels. The paper's "Overall" row is the mean over activities.

    Parameters
    ----------
    attributions : array-like of shape (n_samples, n_channels, n_timesteps)
        Local attributions.
    y_true, y_pred : array-like of shape (n_samples,)
        True and predicted labels.
    labels : array-like or None, default=None
        Output order; default the sorted unique ``y_true``.
    base : float, default=2.0
        Logarithm base (2: bits; ``np.e``: nats).

    Returns
    -------
    entropy : ndarray of shape (n_labels,)
        NaN for a class with no correctly classified window.
    labels : ndarray of shape (n_labels,)
        The class of each entry of ``entropy``.

    See Also
    --------
    channel_importance : The averaged distributions themselves.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_har.inspection import attribution_entropy
    >>> attr = np.ones((2, 4, 3)); attr[1, 1:] = 0
    >>> ent, labels = attribution_entropy(attr, [0, 1], [0, 1])
    >>> ent.tolist()  # uniform over 4 channels = 2 bits; one channel = 0 bits
    [2.0, 0.0]
    """
    if not base > 1:
        raise ValueError(f"base must be > 1; got {base!r}.")
    dist, keep, y_true, labels = _window_distributions(attributions, y_true, y_pred, labels)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(dist > 0, dist * np.log(dist), 0.0)  # 0 log 0 = 0
    window_entropy = -terms.sum(axis=1) / np.log(base)
    out = np.full(len(labels), np.nan)
    for i, label in enumerate(labels):
        rows = keep & (y_true == label)
        if rows.any():
            out[i] = window_entropy[rows].mean()
    return out, labels
