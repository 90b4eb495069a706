"""Cluster Assignment Hardening loss ``KL(P || Q)`` (DEC; DSC Section 3.2).

``Q`` are the Student's t soft assignments of a batch and ``P`` the matching
rows of the sharpened target distribution computed over the whole dataset
(:func:`sktime_har.nn.clustering_layer.target_distribution`). ``P`` is a
fixed target: no gradient flows into it.
"""

from __future__ import annotations

import torch
from torch import nn


def cluster_hardening_loss(q: torch.Tensor, p: torch.Tensor) -> torch.Tensor:
    """``KL(P || Q) = (1/n) sum_i sum_j p_ij log(p_ij / q_ij)``.

    Parameters
    ----------
    q : Tensor of shape (batch, n_clusters)
        Soft assignments (rows sum to one).
    p : Tensor of shape (batch, n_clusters)
        Target distribution rows for the same windows; treated as constant.

    Returns
    -------
    loss : Tensor of shape ()
        Mean over the batch of the per-window divergence.

    See Also
    --------
    ClusterHardeningLoss : Module form of this function.
    sktime_har.nn.student_t_assignment : Computes the soft assignments ``q``.
    sktime_har.nn.target_distribution : Computes the target ``p`` from ``q``.

    References
    ----------
    .. [1] Xie, Girshick, Farhadi, "Unsupervised Deep Embedding for
       Clustering Analysis", ICML 2016.
    .. [2] Abedin et al., "Towards Deep Clustering of Human Activities from
       Wearables", ISWC 2020, Section 3.2.

    Examples
    --------
    >>> import torch
    >>> from sktime_har.nn.losses.cluster_hardening import cluster_hardening_loss
    >>> q = torch.tensor([[0.5, 0.5]])
    >>> cluster_hardening_loss(q, q).item()
    0.0
    """
    if q.ndim != 2 or q.shape != p.shape:
        raise ValueError(
            "cluster_hardening_loss expects q and p of the same shape (batch, n_clusters); "
            f"got {tuple(q.shape)} and {tuple(p.shape)}."
        )
    p = p.detach()
    tiny = torch.finfo(q.dtype).tiny
    # p log p is 0 where p is 0 (xlogy), q is clamped so log never sees 0
    kl = torch.xlogy(p, p) - p * torch.log(q.clamp_min(tiny))
    return kl.sum(dim=1).mean()


class ClusterHardeningLoss(nn.Module):
    """Module form of :func:`cluster_hardening_loss`.

    The loss has no hyperparameters.

    See Also
    --------
    cluster_hardening_loss : The function this module calls.
    sktime_har.nn.ClusteringLayer : Produces the soft assignments ``q``.

    Examples
    --------
    >>> import torch
    >>> from sktime_har.nn.losses.cluster_hardening import ClusterHardeningLoss
    >>> q = torch.tensor([[0.5, 0.5]]); p = torch.tensor([[1.0, 0.0]])
    >>> round(ClusterHardeningLoss()(q, p).item(), 4)
    0.6931
    """

    def __init__(self) -> None:
        super().__init__()

    def forward(self, q: torch.Tensor, p: torch.Tensor) -> torch.Tensor:
        """Compute ``KL(P || Q)`` averaged over the batch.

        Parameters
        ----------
        q : Tensor of shape (batch, n_clusters)
            Soft assignments (rows sum to one).
        p : Tensor of shape (batch, n_clusters)
            Target distribution rows for the same windows; treated as constant.

        Returns
        -------
        loss : Tensor of shape ()
            Mean over the batch of the per-window divergence.
        """
        return cluster_hardening_loss(q, p)
