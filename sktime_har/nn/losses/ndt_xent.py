"""NDT-Xent: NT-Xent with dynamic temperatures from instance-level similarities (paper 001)."""

from __future__ import annotations

import math

import torch
from torch import Tensor, nn

from ._similarity import (
    check_positive,
    check_unit_interval,
    check_view_pair,
    cosine_similarity_matrix,
    positive_index,
)
from .nt_xent import contrastive_cross_entropy, view_similarity_matrix

__all__ = [
    "NDTXentLoss",
    "instance_similarities",
    "positive_temperature",
]

_POSITIVE_SOURCES = ("views", "instances", "constant")


def instance_similarities(instance_features: Tensor, *, floor: float = 1e-2) -> Tensor:
    """Angular similarities of the windows behind every pair of the ``2B`` views, ``(2B, 2B)``.

    The ``B x B`` matrix ``max(s_a(h_b, h_c), floor)`` tiled 2 x 2: view ``i`` of the
    stacked ``[z1; z2]`` comes from window ``i mod B`` and both views of a window share
    its instance features (``h_i = h_j`` in paper 001). Computed without gradient (the
    autoencoder that produced ``h`` is frozen), so the ``arccos`` input needs no margin
    and is only clipped to ``[-1, 1]`` against rounding. It is computed in float64
    because ``arccos`` amplifies float32 rounding near 1 (``arccos(1 - 6e-8) = 3e-4``):
    identical features then give a similarity of 1 to within 1e-8.
    """
    with torch.no_grad():
        h = instance_features.detach()
        if h.device.type != "mps":  # MPS has no float64
            h = h.double()
        cos = cosine_similarity_matrix(h).clamp(-1.0, 1.0)
        s_h = 1.0 - torch.arccos(cos) / math.pi
        return s_h.clamp_min(floor).repeat(2, 2).to(instance_features.dtype)


def positive_temperature(
    view_sim: Tensor,
    instance_sim: Tensor | None,
    temperature: float,
    *,
    source: str = "views",
    floor: float = 1e-2,
) -> Tensor:
    r"""Eq. 3 of paper 001: one positive temperature for the whole batch.

    ``tau_pos = tau * sqrt(mean_{e(i) != e(k)} s_a(., .))``, the mean over the
    ``2B (2B - 2)`` ordered pairs of views cut from different windows, taken over the
    view similarities ``s_a(z_i, z_k)`` (``source="views"``, as printed in Eq. 3; keeps
    the gradient) or over the frozen instance similarities (``source="instances"``, as
    the sentence after Eq. 3 reads; no gradient). ``source="constant"`` returns ``tau``.
    """
    if source == "constant":
        return view_sim.new_tensor(temperature)
    sim = view_sim if source == "views" else instance_sim
    n_views = sim.shape[0]
    window = torch.arange(n_views, device=sim.device) % (n_views // 2)
    negative_pair = window[:, None] != window[None, :]
    mean_negative = sim[negative_pair].mean()
    return temperature * mean_negative.clamp_min(floor).sqrt()


class NDTXentLoss(nn.Module):
    r"""Negative dynamic temperature-scaled cross entropy (NDT-Xent, paper 001, Eqs. 2-6).

    NT-Xent (Eq. 1) with angular similarity ``s_a`` (Eq. 6) between projections, where
    every negative pair gets its own temperature from the similarity of the two *windows*
    it comes from, measured on instance features ``h`` of a frozen, separately pre-trained
    denoising autoencoder (Eq. 2):

    .. math::

        \tau^{neg}_{i,k} = \tau \sqrt{s_a(h_i, h_k)}, \qquad
        \tau^{pos} = \tau \sqrt{\frac{1}{|P|} \sum_{(i,k) \in P} s_a(z_i, z_k)},

        l_{dt}(i, j) = -\log \frac{\exp(s_a(z_i, z_j) / \tau^{pos})}
        {\exp(s_a(z_i, z_j)/\tau^{pos}) + \sum_{k \ne i, j}
        \exp(s_a(z_i, z_k) / \tau^{neg}_{i,k})}

    with ``P`` the ordered pairs of views from different windows (Eq. 3) and the loss the
    mean of ``l_dt`` over the ``2B`` anchors (Eq. 5). Since ``s_a(h) <= 1``, every
    ``tau_neg <= tau``: a pair of windows the autoencoder finds dissimilar is scaled
    sharper (lower temperature, larger logit) than a similar pair, so similar negatives,
    the likely false negatives of the same activity, weigh relatively less in the
    denominator.

    Choices the paper leaves open, made here:

    - ``instance_features`` are computed on the **original** windows, not on the views:
      Algorithm 1 passes the un-augmented batch through the frozen encoder and the text
      sets ``h_i = h_j = l_1(g(X_l))`` for both views of ``X_l``. The ``B x B`` angular
      similarity matrix of ``h`` is tiled 2 x 2 over the stacked views ``[z1; z2]``.
    - Eq. 3 prints the *view* similarities ``s_a(z_i, z_k)`` while the next paragraph
      says both Eqs. 2 and 3 use instance similarities. The default
      ``positive_temperature="views"`` follows the equation and the stated purpose
      ("penalizes the model for producing high negative similarities", which only a
      quantity computed from the model's outputs can do); ``tau_pos`` then **carries
      gradient** (``detach_positive_temperature=True`` stops it). ``"instances"`` uses
      the frozen features (no gradient); ``"constant"`` uses ``tau`` (the angular NT-Xent
      limit, for ablations).
    - Eq. 3 divides by ``4n^2 - 2n = 2n(2n - 1)`` while its indicator admits only the
      ``2n(2n - 2)`` pairs from different windows; this uses the mean over those pairs,
      so identical similarities of 1 give exactly ``tau_pos = tau``.
    - Temperatures are bounded away from 0: every similarity under a square root is
      clamped to at least ``similarity_floor`` (default 0.01), so every temperature is
      at least ``tau * sqrt(similarity_floor)`` = ``0.1 * tau`` and every logit at most
      ``10 / tau``. The ``arccos`` input of the view similarities is clamped to
      ``[-1 + eps, 1 - eps]`` (the instance similarities carry no gradient and are
      exact). Together they keep the loss and its gradients finite for identical,
      orthogonal or opposite inputs.
    - The negative temperatures carry no gradient (frozen autoencoder).

    Parameters
    ----------
    temperature : float, default=0.1
        Base temperature ``tau`` (paper 001 on UCI-HAR: 0.1).
    eps : float, default=1e-6
        Clamp margin of the ``arccos`` input.
    similarity_floor : float, default=1e-2
        Lower bound of every similarity under a square root (temperature floor).
    positive_temperature : {"views", "instances", "constant"}, default="views"
        Source of ``tau_pos``, see above.
    detach_positive_temperature : bool, default=False
        Stop the gradient through ``tau_pos`` when it comes from the views.

    See Also
    --------
    NTXentLoss : The constant-temperature loss (CSSHAR / SimCLR).

    Notes
    -----
    Shapes: ``z1`` and ``z2`` are ``(B, D)`` projections of the two views (``B >= 2``);
    ``instance_features`` is ``(B, F)``, the frozen autoencoder features of the original
    windows, row ``b`` for window ``b``; the output is a scalar.

    References
    ----------
    .. [1] B. Khaertdinov, S. Asteriadis, E. Ghaleb, "Dynamic Temperature Scaling in
       Contrastive Self-Supervised Learning for Sensor-Based Human Activity Recognition",
       IEEE T-BIOM 4(4), 2022, Eqs. 2-6 and Algorithm 1.

    Examples
    --------
    >>> import torch
    >>> from sktime_har.nn.losses import NDTXentLoss, NTXentLoss
    >>> _ = torch.manual_seed(0)
    >>> z1, z2, h = torch.randn(8, 16), torch.randn(8, 16), torch.randn(8, 32)
    >>> loss = NDTXentLoss(temperature=0.1)(z1, z2, h)
    >>> loss.shape, bool(torch.isfinite(loss))
    (torch.Size([]), True)
    >>> # identical instance features and tau_pos = tau give angular NT-Xent
    >>> same = torch.ones(8, 32)
    >>> ndt = NDTXentLoss(positive_temperature="constant")(z1, z2, same)
    >>> bool(torch.isclose(ndt, NTXentLoss(similarity="angular")(z1, z2)))
    True
    """

    def __init__(
        self,
        temperature: float = 0.1,
        eps: float = 1e-6,
        *,
        similarity_floor: float = 1e-2,
        positive_temperature: str = "views",
        detach_positive_temperature: bool = False,
    ):
        super().__init__()
        if positive_temperature not in _POSITIVE_SOURCES:
            raise ValueError(
                f"positive_temperature must be one of {_POSITIVE_SOURCES}; "
                f"got {positive_temperature!r}."
            )
        self.temperature = check_positive("temperature", temperature)
        self.eps = check_unit_interval("eps", eps)
        self.similarity_floor = check_unit_interval("similarity_floor", similarity_floor)
        self.positive_temperature = positive_temperature
        self.detach_positive_temperature = bool(detach_positive_temperature)

    def temperatures(
        self, z1: Tensor, z2: Tensor, instance_features: Tensor
    ) -> tuple[Tensor, Tensor]:
        """Return the positive and negative temperatures of a batch.

        Parameters
        ----------
        z1 : Tensor of shape (B, D)
            Projections of the first views.
        z2 : Tensor of shape (B, D)
            Projections of the second views.
        instance_features : Tensor of shape (B, F)
            Frozen autoencoder features of the original windows.

        Returns
        -------
        tau_pos : Tensor of shape ()
            Batch positive temperature (Eq. 3).
        tau_neg : Tensor of shape (2B, 2B)
            Negative temperatures (Eq. 2) for the stacked views ``[z1; z2]``.
        """
        self._check(z1, z2, instance_features)
        view_sim = view_similarity_matrix(z1, z2, "angular", self.eps)
        return self._temperatures(view_sim, instance_features)

    def forward(self, z1: Tensor, z2: Tensor, instance_features: Tensor) -> Tensor:
        """Return the NDT-Xent loss of a batch of view pairs.

        Parameters
        ----------
        z1 : Tensor of shape (B, D)
            Projections of the first views; row ``b`` comes from window ``b``.
        z2 : Tensor of shape (B, D)
            Projections of the second views of the same windows.
        instance_features : Tensor of shape (B, F)
            Frozen autoencoder features of the original (un-augmented) windows.

        Returns
        -------
        loss : Tensor of shape ()
            Eq. 5 of paper 001.
        """
        self._check(z1, z2, instance_features)
        view_sim = view_similarity_matrix(z1, z2, "angular", self.eps)
        tau_pos, tau_neg = self._temperatures(view_sim, instance_features)
        positive = torch.zeros_like(view_sim, dtype=torch.bool)
        n_views = view_sim.shape[0]
        positive[torch.arange(n_views), positive_index(n_views // 2, view_sim.device)] = True
        temperatures = torch.where(positive, tau_pos.to(view_sim.dtype), tau_neg.to(view_sim.dtype))
        return contrastive_cross_entropy(view_sim / temperatures)

    def _temperatures(self, view_sim: Tensor, instance_features: Tensor) -> tuple[Tensor, Tensor]:
        instance_sim = instance_similarities(instance_features, floor=self.similarity_floor)
        tau_neg = self.temperature * instance_sim.sqrt()
        tau_pos = positive_temperature(
            view_sim,
            instance_sim,
            self.temperature,
            source=self.positive_temperature,
            floor=self.similarity_floor,
        )
        if self.detach_positive_temperature:
            tau_pos = tau_pos.detach()
        return tau_pos, tau_neg

    @staticmethod
    def _check(z1: Tensor, z2: Tensor, instance_features: Tensor) -> None:
        check_view_pair(z1, z2)
        if not isinstance(instance_features, Tensor):
            raise TypeError(
                "instance_features must be a torch.Tensor of shape (B, F); "
                f"got {type(instance_features).__name__}."
            )
        if instance_features.ndim != 2 or instance_features.shape[0] != z1.shape[0]:
            raise ValueError(
                f"instance_features must have shape (B, F) with B={z1.shape[0]} (one row per "
                f"window of z1/z2); got {tuple(instance_features.shape)}."
            )
        if not instance_features.is_floating_point():
            raise TypeError(
                f"instance_features must be floating point; got {instance_features.dtype}."
            )

    def extra_repr(self) -> str:
        return (
            f"temperature={self.temperature}, positive_temperature={self.positive_temperature!r}, "
            f"similarity_floor={self.similarity_floor}"
        )
