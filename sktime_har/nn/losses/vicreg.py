"""VICReg: variance-invariance-covariance regularisation (Bardes et al.; paper 004, Eqs. 3-6)."""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from ._similarity import check_positive, check_view_pair

__all__ = ["VICRegLoss", "covariance_term", "invariance_term", "variance_term"]

_CONVENTIONS = ("reference", "paper")


def invariance_term(z1: Tensor, z2: Tensor, reduction: str = "mean") -> Tensor:
    r"""Invariance ``d(Z, Z')``: squared distance between the two views of each window.

    ``reduction="mean"``: mean over windows *and* features (``F.mse_loss``, the reference
    implementation). ``reduction="sum"``: Eq. 3 of paper 004 as printed,
    ``1/N sum_i ||z_i - z'_i||^2`` (sum over features), ``D`` times larger.
    """
    mse = F.mse_loss(z1, z2)
    return mse * z1.shape[1] if reduction == "sum" else mse


def variance_term(z: Tensor, eps: float = 1e-4, gamma: float = 1.0) -> Tensor:
    r"""Variance hinge ``v(Z) = 1/D sum_j max(0, gamma - sqrt(Var(z^j) + eps))`` (Eq. 4).

    ``Var`` is the unbiased variance over the batch (``B - 1`` in the denominator).
    """
    std = torch.sqrt(z.var(dim=0) + eps)
    return F.relu(gamma - std).mean()


def covariance_term(z: Tensor) -> Tensor:
    r"""Covariance ``c(Z) = 1/D sum_{i != j} C(Z)_{ij}^2`` (Eq. 5), ``C`` unbiased (``B - 1``)."""
    n, d = z.shape
    centred = z - z.mean(dim=0)
    cov = (centred.T @ centred) / (n - 1)
    off_diagonal = cov - torch.diag_embed(torch.diagonal(cov))
    return off_diagonal.pow(2).sum() / d


class VICRegLoss(nn.Module):
    r"""VICReg loss between two batches of projections ``Z`` and ``Z'``.

    .. math::

        L(Z, Z') = \lambda\, d(Z, Z') + \mu\, v(Z, Z') + \nu\, [c(Z) + c(Z')]

    with the invariance ``d`` (mean squared error between the two views of each window,
    Eq. 3 of paper 004), the variance hinge ``v`` on ``S(z^j) = sqrt(Var(z^j) + eps)``
    with target ``gamma = 1`` (Eq. 4) and the sum of squared off-diagonal covariances
    divided by ``D`` (Eq. 5). Variance and covariance use the unbiased (``B - 1``)
    estimators, which is why a batch needs at least two windows.

    ``convention`` settles two places where paper 004's printed Eq. 3 and 6 differ from
    the code both VICReg papers ran (the official ``facebookresearch/vicreg`` loss, which
    the 004 authors copied, and which their ``lambda=10, mu=10, nu=5`` were tuned with):

    - ``"reference"`` (default): ``d`` is ``F.mse_loss`` (mean over windows and features)
      and ``v(Z, Z') = [v(Z) + v(Z')] / 2``.
    - ``"paper"``: Eq. 3 and 6 as printed: ``d = 1/N sum_i ||z_i - z'_i||^2`` (sum over
      features) and ``v(Z, Z') = v(Z) + v(Z')``.

    Parameters
    ----------
    sim_weight : float, default=10.0
        ``lambda``, weight of the invariance term (paper 004, UCI-HAR).
    var_weight : float, default=10.0
        ``mu``, weight of the variance term.
    cov_weight : float, default=5.0
        ``nu``, weight of the covariance term.
    eps : float, default=1e-4
        Added to the variance under the square root (keeps the gradient finite at zero
        variance).
    convention : {"reference", "paper"}, default="reference"
        See above.

    See Also
    --------
    NTXentLoss : Contrastive alternative with negative pairs.

    Notes
    -----
    Shapes: ``z1`` and ``z2`` are ``(B, D)`` with ``B >= 2``; ``forward`` returns a scalar
    (or the dict of :meth:`terms`).

    References
    ----------
    .. [1] B. Khaertdinov, S. Asteriadis, "Explaining, Analyzing, and Probing
       Representations of Self-Supervised Learning Models for Sensor-based Human Activity
       Recognition", IJCB 2023, Eqs. 3-6.
    .. [2] A. Bardes, J. Ponce, Y. LeCun, "VICReg: Variance-Invariance-Covariance
       Regularization for Self-Supervised Learning", ICLR 2022.

    Examples
    --------
    >>> import torch
    >>> from sktime_har.nn.losses import VICRegLoss
    >>> z1 = torch.tensor([[1.0, 0.0], [-1.0, 0.0]])
    >>> z2 = z1.clone()
    >>> terms = VICRegLoss().terms(z1, z2)
    >>> {k: round(float(v), 4) for k, v in terms.items()}
    {'invariance': 0.0, 'variance': 0.495, 'covariance': 0.0, 'loss': 4.95}
    >>> VICRegLoss()(z1, z2)
    tensor(4.9500)
    """

    def __init__(
        self,
        sim_weight: float = 10.0,
        var_weight: float = 10.0,
        cov_weight: float = 5.0,
        eps: float = 1e-4,
        *,
        convention: str = "reference",
    ):
        super().__init__()
        for name, value in (
            ("sim_weight", sim_weight),
            ("var_weight", var_weight),
            ("cov_weight", cov_weight),
        ):
            if not (float(value) >= 0.0 and float(value) < float("inf")):
                raise ValueError(f"{name} must be a finite number >= 0; got {value!r}.")
        if convention not in _CONVENTIONS:
            raise ValueError(f"convention must be one of {_CONVENTIONS}; got {convention!r}.")
        self.sim_weight = float(sim_weight)
        self.var_weight = float(var_weight)
        self.cov_weight = float(cov_weight)
        self.eps = check_positive("eps", eps)
        self.convention = convention

    def terms(self, z1: Tensor, z2: Tensor) -> dict[str, Tensor]:
        """Return the unweighted terms and the weighted total.

        Parameters
        ----------
        z1 : Tensor of shape (B, D)
            Projections of the first views, ``B >= 2``.
        z2 : Tensor of shape (B, D)
            Projections of the second views of the same windows.

        Returns
        -------
        terms : dict
            ``"invariance"`` (``d``), ``"variance"`` (``v(Z, Z')``), ``"covariance"``
            (``c(Z) + c(Z')``) and ``"loss"`` (the weighted sum that ``forward`` returns).
        """
        check_view_pair(z1, z2, min_batch=2)
        reference = self.convention == "reference"
        invariance = invariance_term(z1, z2, "mean" if reference else "sum")
        variance = variance_term(z1, self.eps) + variance_term(z2, self.eps)
        if reference:
            variance = variance / 2
        covariance = covariance_term(z1) + covariance_term(z2)
        loss = (
            self.sim_weight * invariance + self.var_weight * variance + self.cov_weight * covariance
        )
        return {
            "invariance": invariance,
            "variance": variance,
            "covariance": covariance,
            "loss": loss,
        }

    def forward(
        self, z1: Tensor, z2: Tensor, return_terms: bool = False
    ) -> Tensor | dict[str, Tensor]:
        """Return the VICReg loss of a batch of view pairs.

        Parameters
        ----------
        z1 : Tensor of shape (B, D)
            Projections of the first views, ``B >= 2``.
        z2 : Tensor of shape (B, D)
            Projections of the second views of the same windows.
        return_terms : bool, default=False
            Return the dict of :meth:`terms` instead of the scalar.

        Returns
        -------
        loss : Tensor of shape () or dict
            Eq. 6 of paper 004 (weighted sum), or the terms and the sum.
        """
        terms = self.terms(z1, z2)
        return terms if return_terms else terms["loss"]

    def extra_repr(self) -> str:
        return (
            f"sim_weight={self.sim_weight}, var_weight={self.var_weight}, "
            f"cov_weight={self.cov_weight}, convention={self.convention!r}"
        )
