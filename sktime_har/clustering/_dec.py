"""DEC and IDEC: deep embedded clustering on flattened windows (the paper's baselines)."""

from __future__ import annotations

from torch import nn

from sktime_har._training._docs import fill_param_docs
from sktime_har.clustering._base import BaseDeepClustering
from sktime_har.nn.dense_autoencoder import DenseAutoencoder
from sktime_har.utils._constraints import SEQUENCE
from sktime_har.utils._params import store_init_params

# Split at ``pretrain_epochs`` so IDEC can document ``gamma`` in signature order.
_SHARED_PARAMS_HEAD_DOC = """
    n_clusters : int, default=6
        Number of clusters.
    hidden_sizes : tuple of int, default=(500, 500, 2000)
        Encoder widths (``d-500-500-2000-10`` as in DEC); the decoder mirrors them.
    embedding_dim : int, default=10
        Size of the embedding.
    lr : float, default=1e-3
        Adam learning rate of the pretraining.
    lr_decay_epoch : int or None, default=None
        Pretraining epoch after which the learning rate is multiplied by 0.1.
    refine_lr : float or None, default=None
        Adam learning rate of the refinement; ``None`` continues with the
        learning rate pretraining ended with.
    batch_size : int, default=256
        Windows per mini-batch.
    pretrain_epochs : int, default=100
        Autoencoder pretraining epochs (end to end, not DEC's greedy
        layer-wise denoising pretraining)."""

_SHARED_PARAMS_TAIL_DOC = """
    tol : float, default=0.001
        Stop refining when fewer than this fraction of hard assignments change
        in an epoch.
    max_refine_epochs : int, default=100
        Upper bound on refinement epochs.
    init : {"kmeans", "ward"}, default="kmeans"
        Initial clustering of the embeddings (DEC and IDEC use k-means).
    n_init : int, default=20
        k-means restarts.
    ward_max_samples : int or None, default=20000
        Subsample size above which Ward runs on a subsample (memory is
        quadratic in the number of windows); every window then goes to the
        nearest of the cluster means.
    refine : bool, default=True
        Run the refinement; ``False`` gives k-means / Ward on the
        autoencoder's embedding.
    warm_start : bool, default=False
        Reuse the fitted network and skip pretraining on the next ``fit``
        when ``n_clusters``, the window shape, ``hidden_sizes`` and
        ``embedding_dim`` are unchanged; otherwise warn and pretrain afresh.
    device : str, default="auto"
        ``"auto"``, ``"cpu"``, ``"cuda"``, ...
    random_state : int, RandomState instance or None, default=None
        Seed; with an int, CPU fits are repeatable.
    verbose : int, default=0
        ``1`` shows progress per stage.
    %(training_params)s"""

_SHARED_PARAMS_DOC = _SHARED_PARAMS_HEAD_DOC + _SHARED_PARAMS_TAIL_DOC

_SHARED_ATTRIBUTES_DOC = """
    labels_ : ndarray of shape (n_samples,)
        Cluster of each training window (with ``refine=False``, the initial
        clustering's own labels, which for Ward can differ from ``predict``
        for a few windows).
    initial_labels_ : ndarray of shape (n_samples,)
        Clusters of the initial clustering of the pretrained embeddings.
    cluster_centers_ : ndarray of shape (n_clusters, embedding_dim)
        Centroids of the clustering layer.
    n_iter_ : int
        Refinement epochs run.
    converged_ : bool
        Whether refinement stopped by ``tol``.
    pretrain_loss_history_ : list of float
        Reconstruction loss per pretraining epoch.
    refine_loss_history_ : list of float
        Refinement loss per epoch.
    module_ : DeepClusteringModel
        The trained torch network.
    n_channels_ : int
        Channels seen in ``fit``.
    n_timesteps_ : int
        Window length seen in ``fit``.
    n_features_in_ : int
        ``n_channels_ * n_timesteps_``."""


_NOTES_DOC = """
    Notes
    -----
    On flattened sensor windows a long pretraining can leave an embedding that
    clusters worse than the raw windows: on UCI-HAR, after a few tens of epochs
    k-means on the embedding puts nearly all sitting, standing and laying
    windows in one cluster (figures in
    ``benchmarks/results/dec_pretraining_length.md``). The reconstruction loss
    keeps falling through that change, so it does not flag it: report
    ``pretrain_epochs`` with any DEC or IDEC baseline figure."""


class _DenseDeepClustering(BaseDeepClustering):
    _parameter_constraints: dict = {
        **BaseDeepClustering._parameter_constraints,
        "hidden_sizes": SEQUENCE,
    }

    def _check_model_params(self) -> None:
        sizes = tuple(self.hidden_sizes)
        if not sizes or any(isinstance(h, bool) or int(h) != h or h < 1 for h in sizes):
            raise ValueError(
                f"hidden_sizes must be a non-empty sequence of positive integers; "
                f"got {self.hidden_sizes!r}."
            )

    def _embedding_dim(self) -> int:
        return int(self.embedding_dim)

    def _make_autoencoder(self, n_channels: int, n_timesteps: int) -> nn.Module:
        return DenseAutoencoder(n_channels, n_timesteps, hidden_sizes=tuple(self.hidden_sizes),
                                embedding_dim=self.embedding_dim)


@fill_param_docs
class DEC(_DenseDeepClustering):
    __doc__ = f"""Deep Embedded Clustering on flattened windows (Xie et al., 2016).

    A fully connected autoencoder is pretrained on the flattened windows, its
    embeddings are clustered once to set the centroids of a Student's t
    clustering layer, and the encoder and centroids are then trained on
    ``KL(P || Q)`` alone (the decoder is dropped). It ignores temporal order,
    which is why Deep Sensory Clustering beats it on sensor data.

    Parameters
    ----------{_SHARED_PARAMS_DOC}

    Attributes
    ----------{_SHARED_ATTRIBUTES_DOC}

    See Also
    --------
    IDEC : Keeps the reconstruction loss during refinement.
    DeepSensoryClustering : Recurrent, multi-task autoencoder for sensor windows.
{_NOTES_DOC}

    References
    ----------
    .. [1] %(cite_dec)s.

    Examples
    --------
    >>> from sktime_har.clustering import DEC
    >>> from sktime_har.datasets import make_activity_windows
    >>> X, _, _ = make_activity_windows(60, n_channels=3, n_timesteps=16, random_state=0)
    >>> dec = DEC(hidden_sizes=(32,), embedding_dim=4, pretrain_epochs=2, batch_size=32,
    ...           max_refine_epochs=2, device="cpu", random_state=0).fit(X)
    >>> dec.labels_.shape, dec.cluster_centers_.shape
    ((60,), (6, 4))
    """

    _reconstruction_in_refinement = False
    _default_gamma = 1.0

    def __init__(
        self,
        n_clusters: int = 6,
        *,
        hidden_sizes: tuple[int, ...] = (500, 500, 2000),
        embedding_dim: int = 10,
        lr: float = 1e-3,
        lr_decay_epoch: int | None = None,
        refine_lr: float | None = None,
        batch_size: int = 256,
        pretrain_epochs: int = 100,
        tol: float = 0.001,
        max_refine_epochs: int = 100,
        init: str = "kmeans",
        n_init: int = 20,
        ward_max_samples: int | None = 20000,
        refine: bool = True,
        warm_start: bool = False,
        device: str = "auto",
        random_state=None,
        verbose: int = 0,
        callbacks=None,
        precision="32",
        validation_fraction=None,
        n_iter_no_change=10,
    ):
        store_init_params(self, locals())


@fill_param_docs
class IDEC(_DenseDeepClustering):
    __doc__ = f"""Improved Deep Embedded Clustering on flattened windows (Guo et al., 2017).

    As :class:`DEC`, but refinement minimises ``gamma * KL(P || Q) + L_rec``:
    keeping the decoder preserves the local structure of the embedding.

    Parameters
    ----------{_SHARED_PARAMS_HEAD_DOC}
    gamma : float, default=0.1
        Weight of the clustering loss (0.1 in IDEC).{_SHARED_PARAMS_TAIL_DOC}

    Attributes
    ----------{_SHARED_ATTRIBUTES_DOC}

    See Also
    --------
    DEC : Drops the reconstruction loss during refinement.
    DeepSensoryClustering : Recurrent, multi-task autoencoder for sensor windows.
{_NOTES_DOC}

    References
    ----------
    .. [1] Guo, Gao, Liu, Yin, "Improved Deep Embedded Clustering with Local
       Structure Preservation", IJCAI 2017.

    Examples
    --------
    >>> from sktime_har.clustering import IDEC
    >>> from sktime_har.datasets import make_activity_windows
    >>> X, _, _ = make_activity_windows(60, n_channels=3, n_timesteps=16, random_state=0)
    >>> idec = IDEC(hidden_sizes=(32,), embedding_dim=4, pretrain_epochs=2, batch_size=32,
    ...             max_refine_epochs=2, device="cpu", random_state=0).fit(X)
    >>> idec.predict(X[:5]).shape
    (5,)
    """

    _reconstruction_in_refinement = True

    def __init__(
        self,
        n_clusters: int = 6,
        *,
        hidden_sizes: tuple[int, ...] = (500, 500, 2000),
        embedding_dim: int = 10,
        lr: float = 1e-3,
        lr_decay_epoch: int | None = None,
        refine_lr: float | None = None,
        batch_size: int = 256,
        pretrain_epochs: int = 100,
        gamma: float = 0.1,
        tol: float = 0.001,
        max_refine_epochs: int = 100,
        init: str = "kmeans",
        n_init: int = 20,
        ward_max_samples: int | None = 20000,
        refine: bool = True,
        warm_start: bool = False,
        device: str = "auto",
        random_state=None,
        verbose: int = 0,
        callbacks=None,
        precision="32",
        validation_fraction=None,
        n_iter_no_change=10,
    ):
        store_init_params(self, locals())
