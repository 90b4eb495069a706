"""Sum of mean squared errors over several decoder outputs (DSC Eq. 1, DEC/IDEC pretraining).

For the recurrent autoencoder of Deep Sensory Clustering the pairs are the
reversed-input reconstruction and the future prediction, so the loss is
``L_AE = MSE(y_rec, y_rec_hat) + MSE(y_fut, y_fut_hat)``; for a plain
autoencoder it is a single reconstruction MSE.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn
from torch.nn import functional as F


def multitask_reconstruction_loss(predictions: Sequence[torch.Tensor],
                                  targets: Sequence[torch.Tensor]) -> torch.Tensor:
    """Sum over tasks of the mean squared error of each prediction.

    Parameters
    ----------
    predictions : sequence of Tensor
        One tensor per decoding task, any shape.
    targets : sequence of Tensor
        Same length as ``predictions``, each the shape of its prediction.

    Returns
    -------
    loss : Tensor of shape ()
        Sum over the tasks of each task's mean squared error.

    See Also
    --------
    MultiTaskReconstructionLoss : Module form of this function.
    sktime_har.nn.RecurrentAutoencoder : Its ``decode`` and ``targets`` give the two tasks.

    References
    ----------
    .. [1] Abedin et al., "Towards Deep Clustering of Human Activities from
       Wearables", ISWC 2020, Eq. 1.

    Examples
    --------
    >>> import torch
    >>> from sktime_har.nn.losses.reconstruction import multitask_reconstruction_loss
    >>> multitask_reconstruction_loss([torch.ones(2, 3), torch.zeros(2)],
    ...                               [torch.zeros(2, 3), torch.ones(2)]).item()
    2.0
    """
    if len(predictions) != len(targets) or len(predictions) == 0:
        raise ValueError(
            f"Need one target per prediction (at least one); got {len(predictions)} "
            f"predictions and {len(targets)} targets."
        )
    total = predictions[0].new_zeros(())
    for i, (pred, target) in enumerate(zip(predictions, targets, strict=True)):
        if pred.shape != target.shape:
            raise ValueError(
                f"Prediction {i} has shape {tuple(pred.shape)} but its target has shape "
                f"{tuple(target.shape)}."
            )
        total = total + F.mse_loss(pred, target)
    return total


class MultiTaskReconstructionLoss(nn.Module):
    """Module form of :func:`multitask_reconstruction_loss`.

    The loss has no hyperparameters.

    See Also
    --------
    multitask_reconstruction_loss : The function this module calls.
    sktime_har.nn.DenseAutoencoder : Single-task autoencoder trained with this loss.
    sktime_har.nn.RecurrentAutoencoder : Two-task autoencoder trained with this loss.

    Examples
    --------
    >>> import torch
    >>> from sktime_har.nn.losses.reconstruction import MultiTaskReconstructionLoss
    >>> MultiTaskReconstructionLoss()([torch.ones(2)], [torch.zeros(2)]).item()
    1.0
    """

    def __init__(self) -> None:
        super().__init__()

    def forward(self, predictions: Sequence[torch.Tensor],
                targets: Sequence[torch.Tensor]) -> torch.Tensor:
        """Sum over tasks of the mean squared error of each prediction.

        Parameters
        ----------
        predictions : sequence of Tensor
            One tensor per decoding task, any shape.
        targets : sequence of Tensor
            Same length as ``predictions``, each the shape of its prediction.

        Returns
        -------
        loss : Tensor of shape ()
            Sum over the tasks of each task's mean squared error.
        """
        return multitask_reconstruction_loss(predictions, targets)
