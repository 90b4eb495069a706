"""skorch net for every autoencoder of the library (DSC, DEC/IDEC pretraining; ConvAutoencoder)."""

from __future__ import annotations

from sktime_har._training._net import WindowNet
from sktime_har.nn.losses.reconstruction import MultiTaskReconstructionLoss


class AutoencoderNet(WindowNet):
    """Train an autoencoder on unlabelled windows by its reconstruction tasks.

    The module's ``forward(x)`` returns ``(z, *predictions)`` and its
    ``targets(x)`` the matching targets (the reversed input and the future
    part for :class:`~sktime_har.nn.recurrent_autoencoder.RecurrentAutoencoder`,
    the input for :class:`~sktime_har.nn.dense_autoencoder.DenseAutoencoder`
    and :class:`~sktime_har.nn.conv_autoencoder.DenoisingConvAutoencoder`,
    whose training-mode forward corrupts its input first).
    The loss is the sum of the per-task mean squared errors (DSC Eq. 1).
    Fit with ``y=None``; the targets are read from ``X``.

    Parameters
    ----------
    *args, **kwargs
        As for :class:`~sktime_har._training.WindowNet`; ``criterion``
        defaults to :class:`~sktime_har.nn.losses.reconstruction.MultiTaskReconstructionLoss`.

    Examples
    --------
    >>> import torch
    >>> from sktime_har._training._autoencoder_net import AutoencoderNet
    >>> from sktime_har.nn.dense_autoencoder import DenseAutoencoder
    >>> net = AutoencoderNet(DenseAutoencoder, module__n_channels=2, module__n_timesteps=4,
    ...                      module__hidden_sizes=(8,), module__embedding_dim=2,
    ...                      max_epochs=2, batch_size=4, verbose=0)
    >>> _ = net.fit(torch.randn(8, 2, 4), None)
    >>> len(net.history)
    2
    """

    def __init__(self, *args, criterion=MultiTaskReconstructionLoss, stage: str = "pretraining",
                 **kwargs):
        super().__init__(*args, criterion=criterion, stage=stage, **kwargs)

    def get_loss(self, y_pred, y_true, X=None, training=False):
        _, *predictions = y_pred
        return self.criterion_(predictions, self.module_.targets(X))
