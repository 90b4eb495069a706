"""NT-Xent, the SimCLR / CSSHAR contrastive loss, with cosine or angular similarity."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from ._similarity import (
    angular_from_cosine,
    check_positive,
    check_unit_interval,
    check_view_pair,
    cosine_similarity_matrix,
    positive_index,
)

__all__ = ["NTXentLoss", "contrastive_cross_entropy", "view_similarity_matrix"]

_SIMILARITIES = ("cosine", "angular")


def view_similarity_matrix(z1: Tensor, z2: Tensor, similarity: str, eps: float = 1e-6) -> Tensor:
    """Similarities between all ``2B`` stacked views ``[z1; z2]``, shape ``(2B, 2B)``."""
    cos = cosine_similarity_matrix(torch.cat([z1, z2], dim=0))
    return angular_from_cosine(cos, eps) if similarity == "angular" else cos


def contrastive_cross_entropy(logits: Tensor) -> Tensor:
    """Mean over the ``2B`` anchors of ``-log softmax`` at each anchor's positive partner.

    Parameters
    ----------
    logits : Tensor of shape (2B, 2B)
        Scaled similarities of the stacked views ``[z1; z2]``; the diagonal (a view with
        itself) is excluded here, so row ``i`` normalises over its positive and its
        ``2B - 2`` negatives exactly as the denominator of Eq. 1 of paper 001.

    Returns
    -------
    loss : Tensor of shape ()
    """
    n_views = logits.shape[0]
    self_pair = torch.eye(n_views, dtype=torch.bool, device=logits.device)
    # -inf drops the self pair from the softmax; its gradient is exactly zero
    logits = logits.masked_fill(self_pair, float("-inf"))
    return F.cross_entropy(logits, positive_index(n_views // 2, logits.device))


class NTXentLoss(nn.Module):
    r"""Normalised temperature-scaled cross entropy (NT-Xent) over two batches of views.

    For the ``2B`` views ``[z1; z2]`` (view ``i`` and view ``i + B`` come from the same
    window), Eq. 1 of paper 001 (SimCLR's loss, as used by CSSHAR) gives, for an anchor
    ``i`` with positive partner ``j``:

    .. math::

        l(i, j) = -\log \frac{\exp(s(z_i, z_j) / \tau)}
        {\exp(s(z_i, z_j)/\tau) + \sum_{k=1}^{2B} \mathbb{1}_{[k \ne i, j]}
        \exp(s(z_i, z_k) / \tau)}

    and the loss is the mean of ``l`` over all ``2B`` anchors (both directions of every
    positive pair, Eq. 5's normalisation). Each anchor has one positive and ``2B - 2``
    negatives.

    The similarity ``s`` is cosine, or angular (Eq. 6 of paper 001):
    ``s_a = 1 - arccos(s_c) / pi`` in ``(0, 1)``, with the ``arccos`` input clamped to
    ``[-1 + eps, 1 - eps]`` so that the gradient stays finite for identical or opposite
    vectors.

    Parameters
    ----------
    temperature : float, default=0.1
        ``tau`` (paper 001 and CSSHAR on UCI-HAR: 0.1).
    similarity : {"cosine", "angular"}, default="cosine"
        Similarity between projections. "cosine" is CSSHAR / SimCLR; "angular" is the
        "AS" ablation of Table I of paper 001.
    eps : float, default=1e-6
        Clamp margin of the ``arccos`` input (angular only).

    See Also
    --------
    NDTXentLoss : NT-Xent with dynamic temperatures (paper 001).
    VICRegLoss : Non-contrastive alternative (paper 004).

    Notes
    -----
    Shapes: ``z1`` and ``z2`` are ``(B, D)`` with ``B >= 2`` (an anchor needs at least one
    negative); the output is a scalar.

    References
    ----------
    .. [1] B. Khaertdinov, S. Asteriadis, E. Ghaleb, "Dynamic Temperature Scaling in
       Contrastive Self-Supervised Learning for Sensor-Based Human Activity Recognition",
       IEEE T-BIOM 4(4), 2022, Eqs. 1 and 6.
    .. [2] T. Chen, S. Kornblith, M. Norouzi, G. Hinton, "A Simple Framework for Contrastive
       Learning of Visual Representations", ICML 2020.

    Examples
    --------
    >>> import torch
    >>> from sktime_har.nn.losses import NTXentLoss
    >>> z1, z2 = torch.eye(4), torch.eye(4)
    >>> loss = NTXentLoss(temperature=0.1)(z1, z2)
    >>> round(float(loss), 4)  # positives at similarity 1, negatives at 0
    0.0003
    >>> float(NTXentLoss(similarity="angular")(z1, z2)) > float(loss)
    True
    """

    def __init__(self, temperature: float = 0.1, similarity: str = "cosine", eps: float = 1e-6):
        super().__init__()
        if similarity not in _SIMILARITIES:
            raise ValueError(f"similarity must be one of {_SIMILARITIES}; got {similarity!r}.")
        self.temperature = check_positive("temperature", temperature)
        self.similarity = similarity
        self.eps = check_unit_interval("eps", eps)

    def forward(self, z1: Tensor, z2: Tensor) -> Tensor:
        """Return the NT-Xent loss of a batch of view pairs.

        Parameters
        ----------
        z1 : Tensor of shape (B, D)
            Projections of the first views; row ``b`` comes from window ``b``.
        z2 : Tensor of shape (B, D)
            Projections of the second views of the same windows.

        Returns
        -------
        loss : Tensor of shape ()
            Mean of Eq. 1 over the ``2B`` anchors.
        """
        check_view_pair(z1, z2)
        sim = view_similarity_matrix(z1, z2, self.similarity, self.eps)
        return contrastive_cross_entropy(sim / self.temperature)

    def extra_repr(self) -> str:
        return f"temperature={self.temperature}, similarity={self.similarity!r}"
