"""skorch net for contrastive objectives on two augmented views of each window."""

from __future__ import annotations

import torch
from skorch.utils import to_device

from sktime_har._training import _distributed as dp
from sktime_har._training._iterator import windows_of
from sktime_har._training._net import WindowNet


class ContrastiveNet(WindowNet):
    """Train ``module`` with a loss on two augmented views of every batch.

    Each training step draws two views ``augmenter(X_batch)`` (on the
    training device, from torch's global RNG), passes both through the
    module in one forward call (so BatchNorm sees both views, as in SimCLR)
    and calls ``criterion(z1, z2, **inputs)``: ``inputs`` are the batch's
    named per-window inputs when ``X`` is a dict (e.g.
    ``{"windows": X, "instance_features": H}`` calls
    ``criterion(z1, z2, instance_features=H_batch)``), none otherwise. Fit
    with ``y=None``. In a process group the projections and named inputs of
    all processes are gathered, so the loss sees the whole global batch
    (negatives, variance and covariance from every process).

    Parameters
    ----------
    *args, **kwargs
        As for :class:`WindowNet`; ``module`` maps ``(B, C, T)`` to
        projections ``(B, D)`` and ``criterion`` is a contrastive loss module.
    augmenter : callable
        Maps a ``(B, C, T)`` batch to a random view of the same shape.

    Examples
    --------
    >>> import numpy as np, torch
    >>> from torch import nn
    >>> from sktime_har._training import ContrastiveNet
    >>> class Distance(nn.Module):
    ...     def forward(self, z1, z2):
    ...         return ((z1 - z2) ** 2).mean()
    >>> net = ContrastiveNet(nn.Sequential(nn.Flatten(), nn.Linear(8, 2)), Distance(),
    ...                      augmenter=lambda x: x + 0.1 * torch.randn_like(x),
    ...                      max_epochs=1, batch_size=4, verbose=0)
    >>> _ = net.fit(torch.zeros(8, 2, 4), None)
    >>> len(net.history)
    1
    """

    def __init__(self, *args, augmenter=None, **kwargs):
        kwargs.setdefault("iterator_train__drop_last", True)
        super().__init__(*args, augmenter=augmenter, **kwargs)

    def initialize(self):
        world = dp.process_group()[1]
        if self.batch_size % world:
            raise ValueError(
                f"batch_size={self.batch_size} must be a multiple of the {world} processes "
                "of the process group: the contrastive loss gathers equal shares.")
        return super().initialize()

    def _views_and_loss(self, batch, **fit_params):
        Xi, _ = batch
        Xi = to_device(Xi, self.device)
        inputs = {k: v for k, v in Xi.items() if k != "windows"} if isinstance(Xi, dict) else {}
        windows = windows_of(Xi)
        with self.rank_stream():
            views = torch.cat([self.augmenter(windows), self.augmenter(windows)], dim=0)
            z = self.infer(views, **fit_params)
        z1, z2 = z.chunk(2)
        inputs = {name: dp.gather(value) for name, value in inputs.items()}
        return z, self.criterion_(dp.gather(z1), dp.gather(z2), **inputs)

    def train_step_single(self, batch, **fit_params):
        if self.augmenter is None:
            raise ValueError("ContrastiveNet needs an augmenter; got None.")
        self._set_training(True)
        z, loss = self._views_and_loss(batch, **fit_params)
        # every process computed the same global loss: its term of the summed objective
        self._backward(loss / dp.process_group()[1])
        return {"loss": loss.detach(), "y_pred": z}

    def validation_step(self, batch, **fit_params):
        self._set_training(False)
        with torch.no_grad():
            z, loss = self._views_and_loss(batch, **fit_params)
        return {"loss": loss, "y_pred": z}
