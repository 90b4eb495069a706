"""An autoencoder plus a clustering layer on its embedding (the stage II network).

Works with any autoencoder exposing ``encode(x) -> z``, ``decode(z) -> tuple``
and ``targets(x) -> tuple`` (:class:`RecurrentAutoencoder`,
:class:`DenseAutoencoder`), so Deep Sensory Clustering, DEC and IDEC share it.
"""

from __future__ import annotations

import torch
from torch import nn

from sktime_har.nn.clustering_layer import ClusteringLayer


class DeepClusteringModel(nn.Module):
    """Autoencoder whose embedding feeds a Student's t clustering layer.

    Parameters
    ----------
    autoencoder : nn.Module
        Provides ``encode``, ``decode``, ``targets`` and ``embedding_dim``.
    n_clusters : int
        Number of centroids in the clustering layer.
    alpha : float, default=1.0
        Degrees of freedom of the Student's t kernel.

    See Also
    --------
    sktime_har.nn.ClusteringLayer : The clustering layer put on the embedding.
    sktime_har.nn.DenseAutoencoder : Autoencoder of DEC and IDEC.
    sktime_har.nn.RecurrentAutoencoder : Autoencoder of Deep Sensory Clustering.
    sktime_har.clustering.DeepSensoryClustering : Estimator training this model.

    Examples
    --------
    >>> import torch
    >>> from sktime_har.nn.dense_autoencoder import DenseAutoencoder
    >>> from sktime_har.nn.deep_clustering_model import DeepClusteringModel
    >>> model = DeepClusteringModel(DenseAutoencoder(2, 4, hidden_sizes=(8,), embedding_dim=3), 5)
    >>> q, z, rec = model(torch.zeros(6, 2, 4))
    >>> tuple(q.shape), tuple(z.shape), tuple(rec.shape)
    ((6, 5), (6, 3), (6, 2, 4))
    """

    def __init__(self, autoencoder: nn.Module, n_clusters: int, alpha: float = 1.0) -> None:
        super().__init__()
        for method in ("encode", "decode", "targets"):
            if not callable(getattr(autoencoder, method, None)):
                raise TypeError(f"autoencoder must define {method}(); "
                                f"got {type(autoencoder).__name__}.")
        self.autoencoder = autoencoder
        self.clustering = ClusteringLayer(n_clusters, int(autoencoder.embedding_dim), alpha)

    def soft_assign(self, x: torch.Tensor) -> torch.Tensor:
        """Soft cluster assignments ``Q`` of windows.

        Parameters
        ----------
        x : Tensor of shape (batch, n_channels, n_timesteps)
            Windows, as accepted by ``autoencoder.encode``.

        Returns
        -------
        q : Tensor of shape (batch, n_clusters)
            Student's t soft assignments of the embeddings; rows sum to one.
        """
        return self.clustering(self.autoencoder.encode(x))

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, ...]:
        """Return ``(q, z, *decoder_outputs)`` for windows ``x``.

        Parameters
        ----------
        x : Tensor of shape (batch, n_channels, n_timesteps)
            Windows, as accepted by ``autoencoder.encode``.

        Returns
        -------
        q : Tensor of shape (batch, n_clusters)
            Soft cluster assignments; rows sum to one.
        z : Tensor of shape (batch, embedding_dim)
            Embeddings of the windows.
        *decoder_outputs : Tensors
            Reconstructions as returned by ``autoencoder.decode(z)`` (one per
            decoder; the shapes of ``autoencoder.targets(x)``).
        """
        z = self.autoencoder.encode(x)
        return (self.clustering(z), z, *self.autoencoder.decode(z))
