"""t-SNE panels of several representation spaces, coloured by true activity (DSC Figure 2)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from sktime_har.plotting._pyplot import import_pyplot
from sktime_har.utils._docstrings import fill_doc
from sktime_har.utils.validation import check_samples


def _subsample(n: int, labels: np.ndarray, max_samples: int | None, rng) -> np.ndarray:
    if max_samples is None or n <= max_samples:
        return np.arange(n)
    # keep the class balance: the same fraction of every class
    idx = []
    for cls in np.unique(labels):
        members = np.flatnonzero(labels == cls)
        k = max(1, int(round(len(members) * max_samples / n)))
        idx.append(rng.choice(members, size=min(k, len(members)), replace=False))
    return np.sort(np.concatenate(idx))


def tsne_2d(Z: np.ndarray, *, perplexity: float = 30.0, pca_components: int | None = 50,
            random_state=0) -> np.ndarray:
    """Project rows of ``Z`` to 2D with t-SNE (after PCA for wide inputs).

    Parameters
    ----------
    Z : array-like of shape (n_samples, n_features) or (n_samples, n_channels, n_timesteps)
        Representations; windows are flattened.
    perplexity : float, default=30.0
        t-SNE perplexity (lowered automatically for very few points).
    pca_components : int or None, default=50
        Reduce wider inputs to this many principal components first, the
        usual speed-up that barely changes the picture; ``None`` skips it.
    random_state : int, default=0
        Seed of PCA and t-SNE.

    Returns
    -------
    Y : ndarray of shape (n_samples, 2)
        The 2D t-SNE coordinates, one row per row of ``Z``.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_har.plotting._tsne import tsne_2d
    >>> tsne_2d(np.random.default_rng(0).normal(size=(30, 4)), perplexity=5).shape
    (30, 2)
    """
    from sklearn.decomposition import PCA
    from sklearn.manifold import TSNE

    Z = check_samples(Z, name="Z", owner="tsne_2d").astype(np.float64)
    Z = Z.reshape(len(Z), -1)
    if len(Z) < 3:
        raise ValueError(f"t-SNE needs at least 3 points; got {len(Z)}.")
    if not np.isfinite(Z).all():
        raise ValueError("The representation contains NaN or infinity.")
    if pca_components is not None and Z.shape[1] > pca_components and len(Z) > pca_components:
        Z = PCA(pca_components, random_state=random_state).fit_transform(Z)
    perplexity = min(float(perplexity), (len(Z) - 1) / 3.0)
    return TSNE(2, perplexity=perplexity, init="pca",
                random_state=random_state).fit_transform(Z)


@fill_doc
def plot_embedding_tsne(
    spaces: Mapping[str, np.ndarray] | np.ndarray,
    labels,
    *,
    label_names: Sequence[str] | Mapping | None = None,
    max_samples: int | None = 2000,
    perplexity: float = 30.0,
    random_state: int = 0,
    axes=None,
    point_size: float = 4.0,
):
    """Draw one t-SNE panel per representation space, points coloured by true label.

    With ``{"Data space": X, "Autoencoding space": Z_pretrained,
    "Clustering-oriented space": Z_refined}`` this is Figure 2(a) of Deep
    Sensory Clustering; with the embeddings of DEC and IDEC, Figure 2(b).

    Parameters
    ----------
    spaces : mapping of str to array-like, or one array-like
        Panel title -> representations of the **same** windows in the same
        order, each of shape ``(n_samples, n_features)`` or
        ``(n_samples, n_channels, n_timesteps)`` (raw windows are flattened).
    labels : array-like of shape (n_samples,)
        True activity of each window (colours only; never used for fitting).
    label_names : sequence or mapping or None, default=None
        Legend names: a sequence indexed by the sorted unique labels, or a
        mapping label -> name. Default: the labels themselves.
    max_samples : int or None, default=2000
        t-SNE is quadratic-ish in time; at most this many windows are drawn,
        a class-stratified random subset shared by all panels.
    perplexity : float, default=30.0
        t-SNE perplexity.
    random_state : int, default=0
        Seed of the subsample, PCA and t-SNE.
    axes : sequence of matplotlib Axes or None, default=None
        One per space; a new row of panels when None.
    point_size : float, default=4.0
        Marker size.

    Returns
    -------
    axes : list of matplotlib Axes
        One scatter panel per space, in the order of ``spaces``, titled with
        its key.

    Raises
    ------
    ImportError
        If matplotlib is not installed (``pip install "sktime-har[plot]"``).

    See Also
    --------
    sktime_har.clustering.DeepSensoryClustering : ``transform`` gives the
        embeddings; fit with ``refine=False`` for the autoencoding space.

    References
    ----------
    .. [1] %(cite_dsc)s, Figure 2.
    .. [2] van der Maaten, Hinton, "Visualizing Data using t-SNE", JMLR 2008.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from sktime_har.plotting import plot_embedding_tsne
    >>> rng = np.random.default_rng(0)
    >>> y = np.repeat([0, 1], 15)
    >>> axes = plot_embedding_tsne({"raw": rng.normal(size=(30, 5)),
    ...                             "embedded": rng.normal(size=(30, 2)) + y[:, None]},
    ...                            y, label_names=["walk", "sit"], perplexity=5)
    >>> [ax.get_title() for ax in axes]
    ['raw', 'embedded']
    """
    plt = import_pyplot()
    if not isinstance(spaces, Mapping):
        spaces = {"": spaces}
    if not spaces:
        raise ValueError("spaces must hold at least one representation.")
    labels = np.asarray(labels)
    if labels.ndim != 1:
        raise ValueError(f"labels must be 1D of shape (n_samples,); got shape {labels.shape}.")
    arrays = {}
    for name, Z in spaces.items():
        Z = check_samples(Z, name=f"space {name!r}", owner="plot_embedding_tsne")
        if Z.ndim not in (2, 3) or len(Z) != len(labels):
            raise ValueError(
                f"Space {name!r} must have shape (n_samples, n_features) or (n_samples, "
                f"n_channels, n_timesteps) with n_samples={len(labels)}; got {Z.shape}."
            )
        arrays[name] = Z
    classes = np.unique(labels)
    if label_names is None:
        names = {c: str(c) for c in classes}
    elif isinstance(label_names, Mapping):
        names = {c: str(label_names.get(c, c)) for c in classes}
    else:
        if len(label_names) < len(classes):
            raise ValueError(f"label_names has {len(label_names)} names for "
                             f"{len(classes)} classes.")
        names = {c: str(label_names[i]) for i, c in enumerate(classes)}

    idx = _subsample(len(labels), labels, max_samples, np.random.default_rng(random_state))
    if axes is None:
        _, axes = plt.subplots(1, len(arrays), figsize=(4.2 * len(arrays), 4.2), squeeze=False)
        axes = list(axes[0])
    axes = list(np.atleast_1d(axes))
    if len(axes) != len(arrays):
        raise ValueError(f"Got {len(axes)} axes for {len(arrays)} spaces.")
    cmap = plt.get_cmap("tab10" if len(classes) <= 10 else "tab20")
    for ax, (name, Z) in zip(axes, arrays.items(), strict=True):
        Y = tsne_2d(Z[idx], perplexity=perplexity, random_state=random_state)
        for i, cls in enumerate(classes):
            sel = labels[idx] == cls
            ax.scatter(Y[sel, 0], Y[sel, 1], s=point_size, color=cmap(i % cmap.N),
                       label=names[cls], linewidths=0)
        ax.set_title(name)
        ax.set_xticks([])
        ax.set_yticks([])
    axes[-1].legend(loc="center left", bbox_to_anchor=(1.0, 0.5), markerscale=3,
                    frameon=False)
    return axes
