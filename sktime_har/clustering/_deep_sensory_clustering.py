"""Deep Sensory Clustering (Abedin et al., ISWC 2020) as a scikit-learn clusterer."""

from __future__ import annotations

from torch import nn

from sktime_har._training._docs import fill_param_docs
from sktime_har.clustering._base import BaseDeepClustering
from sktime_har.nn.recurrent_autoencoder import RecurrentAutoencoder, min_timesteps_for
from sktime_har.utils._constraints import integers, reals
from sktime_har.utils._params import store_init_params


@fill_param_docs
class DeepSensoryClustering(BaseDeepClustering):
    """End-to-end clustering of raw sensor windows with a recurrent autoencoder.

    **Stage I** pretrains a multi-task recurrent autoencoder: a bidirectional
    GRU reads the first ``input_fraction`` of each window, its final hidden
    states are reduced to an embedding ``z``, and two GRU decoders started
    from a back-projection of ``z`` reconstruct the time-reversed input and
    predict the rest of the window (loss: sum of both MSEs, Eq. 1).
    The centroids of a Student's t clustering layer are then set **once**
    from the embeddings, by k-means or by the means of Ward clusters.
    **Stage II** refines encoder, decoders and centroids with
    ``gamma * KL(P || Q) + L_AE`` (Eq. 2-4), the target ``P`` being computed
    over the whole training set after every epoch, until fewer than ``tol``
    of the hard assignments change between consecutive epochs.

    Defaults are the paper's settings (sized for a GPU: on a CPU, lower
    ``hidden_size`` and the epoch counts). The paper standardises every
    channel before windowing; do so too (e.g. with training statistics).

    Parameters
    ----------
    n_clusters : int, default=6
        Number of clusters (activities).
    hidden_size : int, default=256
        GRU units per direction and layer, encoder and decoders.
    num_layers : int, default=2
        Stacked GRU layers.
    embedding_dim : int, default=64
        Size of the embedding (the paper uses 64 for UCI-HAR, 256 for
        datasets with many channels).
    input_fraction : float, default=0.5
        Fraction of each window read by the encoder; the rest is the
        future-prediction target. Windows must leave at least one timestep
        on each side.
    lr : float, default=1e-3
        Adam learning rate of stage I.
    lr_decay_epoch : int or None, default=70
        Pretraining epoch after which the learning rate is multiplied by 0.1;
        ``None`` keeps it constant.
    refine_lr : float or None, default=None
        Adam learning rate of stage II; ``None`` continues with the learning
        rate pretraining ended with (``lr * 0.1`` when the decay happened).
    batch_size : int, default=256
        Windows per mini-batch in both stages.
    pretrain_epochs : int, default=100
        Epochs of stage I.
    gamma : float, default=0.1
        Weight of the clustering loss against the autoencoder loss in stage II.
    tol : float, default=0.001
        Stop stage II when the fraction of windows whose hard assignment
        changed in an epoch is below this.
    max_refine_epochs : int, default=100
        Upper bound on stage II epochs.
    init : {"ward", "kmeans"}, default="ward"
        How the centroids are initialised from the pretrained embeddings.
    n_init : int, default=20
        k-means restarts when ``init="kmeans"``.
    ward_max_samples : int or None, default=20000
        Ward linkage keeps ``n * (n - 1) / 2`` pairwise distances in memory
        (about 220 MB at 7.4 k windows, 1.6 GB at 20 k); above this many
        windows it runs on a random subsample of this size and every window
        is then assigned to the nearest of its cluster means. ``None`` never
        subsamples.
    refine : bool, default=True
        Run stage II. ``False`` stops after the initial clustering, which is
        traditional clustering on the autoencoding space (Table 2).
    warm_start : bool, default=False
        When fitted before with the same ``n_clusters``, window shape and
        network hyperparameters (``hidden_size``, ``num_layers``,
        ``embedding_dim``, ``input_fraction``), skip stage I and start from
        the current network, e.g. to re-cluster a ``refine=False`` fit with
        another ``init`` without pretraining again. Otherwise a warning says
        so and stage I runs afresh.
    device : str, default="auto"
        ``"auto"`` (CUDA when available), ``"cpu"``, ``"cuda"``, ...
    random_state : int, RandomState instance or None, default=None
        Seeds weights, shuffling and the initial clustering; with an int,
        fits on CPU are repeatable.
    verbose : int, default=0
        ``1`` prints a progress bar and a loss table per stage.
    %(training_params)s

    Attributes
    ----------
    labels_ : ndarray of shape (n_samples,)
        Cluster of each training window: the most probable cluster after
        refinement, or with ``refine=False`` the initial clustering's own
        labels (Table 2's "clustering on the autoencoding space"). Ward's
        labels are not always those of the nearest cluster mean, so with
        ``refine=False, init="ward"`` a few of them can differ from
        ``predict`` on the same windows.
    initial_labels_ : ndarray of shape (n_samples,)
        Clusters of the initial k-means / Ward clustering of the embeddings
        (nearest cluster mean when Ward ran on a subsample, see
        ``ward_max_samples``).
    cluster_centers_ : ndarray of shape (n_clusters, embedding_dim)
        Centroids of the clustering layer, in embedding space.
    n_iter_ : int
        Refinement epochs run (0 when ``refine=False``).
    converged_ : bool
        Whether refinement stopped by ``tol`` rather than ``max_refine_epochs``.
    pretrain_loss_history_ : list of float
        Mean autoencoder loss per pretraining epoch.
    refine_loss_history_ : list of float
        Mean refinement loss per epoch.
    module_ : DeepClusteringModel
        The trained torch network (``module_.autoencoder``,
        ``module_.clustering``).
    n_channels_ : int
        Channels seen in ``fit``.
    n_timesteps_ : int
        Window length seen in ``fit`` (predict needs the same).
    n_features_in_ : int
        ``n_channels_ * n_timesteps_``.

    See Also
    --------
    DEC : The same refinement on a fully connected autoencoder, without
        reconstruction loss.
    IDEC : DEC keeping the reconstruction loss.
    sklearn.cluster.KMeans : Clustering on the raw windows.

    References
    ----------
    .. [1] %(cite_dsc)s.
    .. [2] %(cite_dec)s.

    Examples
    --------
    >>> from sktime_har.clustering import DeepSensoryClustering
    >>> from sktime_har.datasets import make_activity_windows
    >>> X, y, _ = make_activity_windows(60, n_channels=3, n_timesteps=16, random_state=0)
    >>> dsc = DeepSensoryClustering(n_clusters=6, hidden_size=8, num_layers=1,
    ...                             embedding_dim=4, pretrain_epochs=2, batch_size=32,
    ...                             max_refine_epochs=2, random_state=0, device="cpu")
    >>> dsc.fit_predict(X).shape
    (60,)
    >>> dsc.transform(X).shape, dsc.predict_proba(X).shape
    ((60, 4), (60, 6))
    """

    _parameter_constraints: dict = {
        **BaseDeepClustering._parameter_constraints,
        "hidden_size": [integers(1)],
        "num_layers": [integers(1)],
        "input_fraction": [reals(0, 1, closed="right")],
    }

    def __init__(
        self,
        n_clusters: int = 6,
        *,
        hidden_size: int = 256,
        num_layers: int = 2,
        embedding_dim: int = 64,
        input_fraction: float = 0.5,
        lr: float = 1e-3,
        lr_decay_epoch: int | None = 70,
        refine_lr: float | None = None,
        batch_size: int = 256,
        pretrain_epochs: int = 100,
        gamma: float = 0.1,
        tol: float = 0.001,
        max_refine_epochs: int = 100,
        init: str = "ward",
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

    def _min_timesteps(self) -> int:
        return min_timesteps_for(float(self.input_fraction))  # validated first in fit

    def _embedding_dim(self) -> int:
        return int(self.embedding_dim)

    def _make_autoencoder(self, n_channels: int, n_timesteps: int) -> nn.Module:
        return RecurrentAutoencoder(
            n_channels, n_timesteps, input_fraction=self.input_fraction,
            hidden_size=self.hidden_size, num_layers=self.num_layers,
            embedding_dim=self.embedding_dim,
        )
