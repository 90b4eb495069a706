"""Base skorch net for window data."""

from __future__ import annotations

from skorch import NeuralNet

from sktime_har._training._callbacks import StageProgressBar, StopOnNonFiniteLoss
from sktime_har._training._iterator import TensorBatchIterator


class WindowNet(NeuralNet):
    """skorch ``NeuralNet`` with in-memory batching and a divergence guard.

    Objectives subclass it and override :meth:`get_loss` (and, for
    augmentation-based objectives, ``train_step_single``). ``verbose > 0``
    adds a progress bar per epoch, labelled with ``stage``, and skorch's
    epoch log.

    Parameters
    ----------
    *args, **kwargs
        As for :class:`skorch.NeuralNet`. ``stage`` names the training stage
        in progress output and errors.

    Examples
    --------
    >>> import numpy as np, torch
    >>> from sktime_har._training import WindowNet
    >>> net = WindowNet(torch.nn.Linear, module__in_features=2, module__out_features=1,
    ...                 criterion=torch.nn.MSELoss, max_epochs=1, verbose=0)
    >>> X = np.zeros((4, 2), "float32"); y = np.zeros((4, 1), "float32")
    >>> _ = net.fit(X, y)
    """

    def __init__(self, *args, stage: str = "training", **kwargs):
        kwargs.setdefault("iterator_train", TensorBatchIterator)
        kwargs.setdefault("iterator_valid", TensorBatchIterator)
        kwargs.setdefault("iterator_train__shuffle", True)
        kwargs.setdefault("train_split", None)
        super().__init__(*args, **kwargs)
        self.stage = stage

    @property
    def _default_callbacks(self):
        callbacks = list(super()._default_callbacks)
        callbacks.append(("finite_loss", StopOnNonFiniteLoss(stage=self.stage)))
        if self.verbose:
            callbacks.append(
                ("progress", StageProgressBar(stage=self.stage, postfix_keys=["train_loss"]))
            )
        return callbacks
