"""Saliency figures: local attributions (Figure 3) and global channel importance (Figure 4)."""

from __future__ import annotations

import numpy as np

from sktime_har.plotting._pyplot import import_pyplot
from sktime_har.utils.validation import check_samples


def _names(channel_names, n_channels: int) -> list[str]:
    if channel_names is None:
        return [f"ch{i}" for i in range(n_channels)]
    names = [str(c) for c in channel_names]
    if len(names) != n_channels:
        raise ValueError(f"channel_names has {len(names)} entries for {n_channels} channels.")
    return names


def plot_saliency(window, attribution, *, channel_names=None, ax=None, title=None,
                  cmap="Reds"):
    """Draw one window's channels over a heatmap of their absolute attributions.

    Each channel gets one horizontal band; the band's colour intensity at
    time ``t`` is ``|attribution|`` normalised by its maximum over the
    window, and the channel's signal (scaled to the band) is drawn on top,
    as in Figure 3 of Khaertdinov & Asteriadis (2023).

    Parameters
    ----------
    window : array-like of shape (n_channels, n_timesteps)
        The input window.
    attribution : array-like of shape (n_channels, n_timesteps)
        Its attributions, e.g. one row of :meth:`GuidedGradCAM.attribute`.
    channel_names : sequence of str or None, default=None
        Band labels (e.g. ``acc_x ... gyro_z``).
    ax : matplotlib Axes or None, default=None
        Axes to draw on; a new figure when None.
    title : str or None, default=None
        Axes title.
    cmap : str, default="Reds"
        Colormap of the attribution.

    Returns
    -------
    ax : matplotlib Axes
        The axes drawn on: the attribution heatmap with one signal line per
        channel.

    See Also
    --------
    sktime_har.inspection.GuidedGradCAM : Produces the attributions.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from sktime_har.plotting import plot_saliency
    >>> w = np.sin(np.linspace(0, 6, 30))[None].repeat(2, 0)
    >>> ax = plot_saliency(w, np.abs(w), channel_names=["acc_x", "gyro_x"])
    >>> len(ax.get_lines())
    2
    """
    plt = import_pyplot()
    window = check_samples(window, name="window", owner="plot_saliency").astype(float)
    attribution = check_samples(attribution, name="attribution",
                                owner="plot_saliency").astype(float)
    if window.ndim != 2 or window.shape != attribution.shape:
        raise ValueError(
            "window and attribution must both be (n_channels, n_timesteps) of one shape; "
            f"got {window.shape} and {attribution.shape}."
        )
    n_channels, n_timesteps = window.shape
    names = _names(channel_names, n_channels)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.6 * n_channels + 1.2))
    heat = np.abs(attribution)
    peak = heat.max()
    heat = heat / peak if peak > 0 else heat
    ax.imshow(heat, aspect="auto", cmap=cmap, vmin=0, vmax=1, interpolation="nearest",
              extent=(-0.5, n_timesteps - 0.5, n_channels, 0))
    t = np.arange(n_timesteps)
    for i, signal in enumerate(window):
        span = np.ptp(signal)
        scaled = (signal - signal.mean()) / span if span > 0 else np.zeros_like(signal)
        ax.plot(t, i + 0.5 - 0.8 * scaled, color="black", linewidth=1)
    ax.set_yticks(np.arange(n_channels) + 0.5, names)
    ax.set_xlabel("time step")
    if title:
        ax.set_title(title)
    return ax


def plot_channel_importance(importance, labels, *, channel_names=None, ax=None,
                            title="Channel importance per activity", annotate=True,
                            cmap="viridis"):
    """Heatmap of per-activity channel importance (Figure 4).

    Parameters
    ----------
    importance : array-like of shape (n_activities, n_channels)
        From :func:`sktime_har.inspection.channel_importance` (rows sum to 1).
    labels : sequence of shape (n_activities,)
        Row labels (activity names).
    channel_names : sequence of str or None, default=None
        Column labels.
    ax : matplotlib Axes or None, default=None
        Axes to draw on; a new figure when None.
    title : str or None, default="Channel importance per activity"
        Axes title.
    annotate : bool, default=True
        Write the values in the cells.
    cmap : str, default="viridis"
        Colormap.

    Returns
    -------
    ax : matplotlib Axes
        The axes drawn on: an ``(n_activities, n_channels)`` heatmap.

    See Also
    --------
    sktime_har.inspection.channel_importance : Produces the matrix.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sktime_har.plotting import plot_channel_importance
    >>> ax = plot_channel_importance([[0.7, 0.3], [0.4, 0.6]], ["walk", "sit"],
    ...                              channel_names=["acc", "gyro"])
    >>> len(ax.texts)
    4
    """
    plt = import_pyplot()
    importance = np.asarray(importance, dtype=float)
    if importance.ndim != 2 or importance.shape[0] != len(labels):
        raise ValueError(
            "importance must be (n_activities, n_channels) with one row per label; got "
            f"shape {importance.shape} for {len(labels)} labels."
        )
    names = _names(channel_names, importance.shape[1])
    if ax is None:
        _, ax = plt.subplots(figsize=(0.9 * importance.shape[1] + 2.5,
                                      0.45 * importance.shape[0] + 1.5))
    image = ax.imshow(importance, aspect="auto", cmap=cmap)
    ax.set_xticks(np.arange(len(names)), names, rotation=45, ha="right")
    ax.set_yticks(np.arange(len(labels)), [str(v) for v in labels])
    if annotate:
        cutoff = np.nanmean(importance)
        for (i, j), value in np.ndenumerate(importance):
            if np.isfinite(value):
                ax.text(j, i, f"{value:.2f}", ha="center", va="center", fontsize=8,
                        color="white" if value < cutoff else "black")
    ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
    if title:
        ax.set_title(title)
    return ax
