"""skorch net for clustering refinement (Cluster Assignment Hardening, DSC stage II)."""

from __future__ import annotations

from sktime_har._training._clustering_callbacks import RefreshTargetDistribution
from sktime_har._training._net import WindowNet
from sktime_har.nn.losses.cluster_hardening import cluster_hardening_loss
from sktime_har.nn.losses.reconstruction import multitask_reconstruction_loss


class ClusteringNet(WindowNet):
    """Refine a :class:`~sktime_har.nn.deep_clustering_model.DeepClusteringModel`.

    Loss per batch ``gamma * KL(P_batch || Q_batch)``, plus the autoencoder's
    reconstruction loss when ``reconstruction=True`` (DSC Eq. 2 and IDEC;
    DEC uses ``reconstruction=False``). ``P`` is computed over the whole
    dataset before training and after each epoch by the
    :class:`RefreshTargetDistribution` callback this net always carries.

    Fit with ``X = {"windows": windows, "window_index": torch.arange(n_samples)}``
    and ``y=None``: each batch then carries the indices of its windows,
    which select their rows of ``P``.

    Parameters
    ----------
    *args, **kwargs
        As for :class:`~sktime_har._training.WindowNet` (``criterion`` is
        unused: the loss is assembled in :meth:`get_loss`).
    gamma : float, default=0.1
        Weight of the clustering loss.
    reconstruction : bool, default=True
        Keep the autoencoder's reconstruction tasks during refinement.
    inference_batch_size : int, default=1024
        Windows per batch when recomputing ``Q`` on the whole dataset.

    Examples
    --------
    >>> import torch
    >>> from sktime_har._training._clustering_net import ClusteringNet
    >>> from sktime_har.nn.dense_autoencoder import DenseAutoencoder
    >>> from sktime_har.nn.deep_clustering_model import DeepClusteringModel
    >>> model = DeepClusteringModel(DenseAutoencoder(2, 4, hidden_sizes=(8,), embedding_dim=2), 3)
    >>> net = ClusteringNet(model, max_epochs=2, batch_size=4, verbose=0)
    >>> _ = net.fit({"windows": torch.randn(8, 2, 4), "window_index": torch.arange(8)}, None)
    >>> net.target_distribution_.shape, "changed_fraction" in net.history[-1]
    (torch.Size([8, 3]), True)
    """

    def __init__(self, *args, gamma: float = 0.1, reconstruction: bool = True,
                 inference_batch_size: int = 1024, stage: str = "refinement",
                 criterion=None, **kwargs):
        super().__init__(*args, criterion=criterion, stage=stage, **kwargs)
        self.gamma = gamma
        self.reconstruction = reconstruction
        self.inference_batch_size = inference_batch_size

    def initialize_criterion(self):
        # the loss terms are plain functions; nothing to build
        self.criterion_ = None
        return self

    @property
    def _default_callbacks(self):
        return [*super()._default_callbacks,
                ("target_distribution",
                 RefreshTargetDistribution(batch_size=self.inference_batch_size))]

    def get_loss(self, y_pred, y_true, X=None, training=False):
        q, _, *predictions = y_pred
        p = self.target_distribution_[X["window_index"]]
        loss = self.gamma * cluster_hardening_loss(q, p)
        if self.reconstruction:
            targets = self.module_.autoencoder.targets(X["windows"])
            loss = loss + multitask_reconstruction_loss(predictions, targets)
        return loss
