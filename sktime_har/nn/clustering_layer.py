"""Student's t soft cluster assignment and its sharpened target (DEC, Eqs. 3-4 of DSC).

``q_ij`` measures how close embedding ``z_i`` is to centroid ``mu_j`` with a
Student's t kernel; the target ``p_ij`` squares ``q``, divides by the soft
cluster frequency over the **whole** dataset and renormalises, which
emphasises confident assignments and keeps large clusters from absorbing the
others (Xie et al., ICML 2016; Abedin et al., ISWC 2020).
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn


def student_t_assignment(z: torch.Tensor, centroids: torch.Tensor,
                         alpha: float = 1.0) -> torch.Tensor:
    """Soft assignment ``q_ij ∝ (1 + ||z_i - mu_j||^2 / alpha) ** (-(alpha + 1) / 2)``.

    Parameters
    ----------
    z : Tensor of shape (n_samples, embedding_dim)
        Embeddings.
    centroids : Tensor of shape (n_clusters, embedding_dim)
        Cluster centres ``mu_j``.
    alpha : float, default=1.0
        Degrees of freedom of the Student's t kernel (1 in DEC and DSC, where
        the kernel is ``1 / (1 + d^2)``).

    Returns
    -------
    q : Tensor of shape (n_samples, n_clusters)
        Rows sum to one.

    See Also
    --------
    target_distribution : Sharpened target computed from ``q``.
    ClusteringLayer : Module holding trainable centroids that calls this function.

    Examples
    --------
    >>> import torch
    >>> from sktime_har.nn.clustering_layer import student_t_assignment
    >>> q = student_t_assignment(torch.zeros(1, 2), torch.tensor([[0.0, 0.0], [1.0, 0.0]]))
    >>> [round(v, 4) for v in q[0].tolist()]
    [0.6667, 0.3333]
    """
    if z.ndim != 2 or centroids.ndim != 2 or z.shape[1] != centroids.shape[1]:
        raise ValueError(
            "student_t_assignment expects z of shape (n_samples, d) and centroids of shape "
            f"(n_clusters, d); got {tuple(z.shape)} and {tuple(centroids.shape)}."
        )
    if alpha <= 0:
        raise ValueError(f"alpha must be > 0; got {alpha!r}.")
    # explicit squares: cdist's sqrt has an undefined gradient at zero distance
    sq_dist = (z.unsqueeze(1) - centroids.unsqueeze(0)).pow(2).sum(dim=2)
    # log-space normalisation keeps q finite for far-away embeddings
    log_kernel = -(alpha + 1.0) / 2.0 * torch.log1p(sq_dist / alpha)
    return torch.softmax(log_kernel, dim=1)


def target_distribution(q: torch.Tensor) -> torch.Tensor:
    """Auxiliary target ``p_ij = (q_ij^2 / f_j) / sum_j' (q_ij'^2 / f_j')``, ``f_j = sum_i q_ij``.

    Compute it over the whole dataset (``f_j`` is a dataset-level soft
    cluster frequency), not per mini-batch.

    Parameters
    ----------
    q : Tensor of shape (n_samples, n_clusters)
        Soft assignments, rows summing to one.

    Returns
    -------
    p : Tensor of shape (n_samples, n_clusters)
        Rows sum to one; each row is at least as peaked as the row of ``q``
        when the clusters are balanced.

    See Also
    --------
    student_t_assignment : Soft assignments ``q`` this target is computed from.
    sktime_har.nn.losses.cluster_hardening_loss : KL divergence between ``p`` and ``q``.

    Examples
    --------
    >>> import torch
    >>> from sktime_har.nn.clustering_layer import target_distribution
    >>> q = torch.tensor([[0.6, 0.4], [0.4, 0.6]])
    >>> p = target_distribution(q)
    >>> round(p[0, 0].item(), 4)
    0.6923
    """
    if q.ndim != 2:
        raise ValueError(f"target_distribution expects q of shape (n_samples, n_clusters); "
                         f"got {tuple(q.shape)}.")
    weight = q.pow(2) / q.sum(dim=0).clamp_min(torch.finfo(q.dtype).tiny)
    return weight / weight.sum(dim=1, keepdim=True)


class ClusteringLayer(nn.Module):
    """Centroids as trainable parameters, mapping embeddings to soft assignments.

    Parameters
    ----------
    n_clusters : int
        Number of centroids.
    embedding_dim : int
        Dimension of the embeddings.
    alpha : float, default=1.0
        Degrees of freedom of the Student's t kernel.

    Attributes
    ----------
    centroids : Parameter of shape (n_clusters, embedding_dim)
        Random until :meth:`set_centroids` loads centres from an initial
        clustering.

    See Also
    --------
    student_t_assignment : The soft assignment this layer computes.
    target_distribution : Sharpened target for the cluster hardening loss.
    sktime_har.nn.DeepClusteringModel : Autoencoder plus this layer.

    References
    ----------
    .. [1] Xie, Girshick, Farhadi, "Unsupervised Deep Embedding for
       Clustering Analysis", ICML 2016.

    Examples
    --------
    >>> import numpy as np, torch
    >>> from sktime_har.nn.clustering_layer import ClusteringLayer
    >>> layer = ClusteringLayer(3, 2)
    >>> layer.set_centroids(np.eye(3, 2))
    >>> layer(torch.zeros(4, 2)).shape
    torch.Size([4, 3])
    """

    def __init__(self, n_clusters: int, embedding_dim: int, alpha: float = 1.0) -> None:
        super().__init__()
        if int(n_clusters) < 1 or int(embedding_dim) < 1:
            raise ValueError(f"n_clusters and embedding_dim must be >= 1; got {n_clusters!r} "
                             f"and {embedding_dim!r}.")
        if alpha <= 0:
            raise ValueError(f"alpha must be > 0; got {alpha!r}.")
        self.n_clusters = int(n_clusters)
        self.embedding_dim = int(embedding_dim)
        self.alpha = float(alpha)
        self.centroids = nn.Parameter(torch.empty(self.n_clusters, self.embedding_dim))
        nn.init.xavier_uniform_(self.centroids)

    @torch.no_grad()
    def set_centroids(self, centers: np.ndarray | torch.Tensor) -> None:
        """Load initial centres (e.g. k-means or Ward cluster means) into the layer.

        Parameters
        ----------
        centers : array-like of shape (n_clusters, embedding_dim)
            Initial centroids; must be finite. Copied to the layer's device
            and dtype.
        """
        centers = torch.as_tensor(np.asarray(centers) if not isinstance(centers, torch.Tensor)
                                  else centers)
        if tuple(centers.shape) != (self.n_clusters, self.embedding_dim):
            raise ValueError(
                f"centers must have shape ({self.n_clusters}, {self.embedding_dim}); "
                f"got {tuple(centers.shape)}."
            )
        if not torch.isfinite(centers).all():
            raise ValueError("centers contain NaN or infinity.")
        self.centroids.copy_(centers.to(self.centroids.device, self.centroids.dtype))

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        """Soft assignments of embeddings.

        Parameters
        ----------
        z : Tensor of shape (batch, embedding_dim)
            Embeddings.

        Returns
        -------
        q : Tensor of shape (batch, n_clusters)
            Student's t soft assignments to the centroids; rows sum to one.
        """
        return student_t_assignment(z, self.centroids, self.alpha)
