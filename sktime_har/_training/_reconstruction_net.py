"""skorch net for reconstruction objectives (autoencoders)."""

from __future__ import annotations

from skorch.utils import to_tensor

from sktime_har._training._net import WindowNet


class ReconstructionNet(WindowNet):
    """Train ``module`` to reconstruct its input: ``criterion(module(X), X)``.

    With ``y=None`` skorch hands a placeholder target to :meth:`get_loss`, so
    the loss reads the clean input ``X`` instead. Input corruption (denoising)
    belongs to the module's training-mode forward.

    Parameters
    ----------
    *args, **kwargs
        As for :class:`WindowNet`; ``criterion`` defaults to ``nn.MSELoss``.

    Examples
    --------
    >>> import torch
    >>> from torch import nn
    >>> from sktime_har._training import ReconstructionNet
    >>> net = ReconstructionNet(nn.Linear(3, 3), max_epochs=2, batch_size=4, verbose=0)
    >>> _ = net.fit(torch.randn(8, 3), None)
    >>> len(net.history)
    2
    """

    def __init__(self, *args, **kwargs):
        if len(args) < 2:
            import torch

            kwargs.setdefault("criterion", torch.nn.MSELoss)
        super().__init__(*args, **kwargs)

    def get_loss(self, y_pred, y_true, X=None, training=False):
        return self.criterion_(y_pred, to_tensor(X, device=self.device))
