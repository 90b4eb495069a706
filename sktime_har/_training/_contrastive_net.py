"""skorch net for contrastive objectives on two augmented views of each window."""

from __future__ import annotations

import torch
from skorch.utils import to_device

from sktime_har._training._net import WindowNet


class ContrastiveNet(WindowNet):
    """Train ``module`` with a loss on two augmented views of every batch.

    Each training step draws two views ``augmenter(X_batch)`` (on the
    training device, from torch's global RNG), passes both through the
    module in one forward call (so BatchNorm sees both views, as in SimCLR)
    and calls ``criterion(z1, z2)``, or ``criterion(z1, z2, extra)`` when the
    iterator's second element ``extra`` (per-window inputs such as frozen
    instance features, passed as ``y`` to ``fit``) is not ``None``.

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
        # set before NeuralNet.__init__ so skorch treats it as a plain attribute,
        # not as a trainable module it would register and re-initialise
        self.augmenter = augmenter
        kwargs.setdefault("iterator_train__drop_last", True)
        super().__init__(*args, **kwargs)

    def _loss(self, z: torch.Tensor, extra) -> torch.Tensor:
        z1, z2 = z.chunk(2)
        if extra is None:
            return self.criterion_(z1, z2)
        return self.criterion_(z1, z2, to_device(extra, self.device))

    def train_step_single(self, batch, **fit_params):
        if self.augmenter is None:
            raise ValueError("ContrastiveNet needs an augmenter; got None.")
        self._set_training(True)
        Xi, extra = batch  # y is None for self-supervised fits, else per-window extras
        Xi = to_device(Xi, self.device)
        views = torch.cat([self.augmenter(Xi), self.augmenter(Xi)], dim=0)
        z = self.infer(views, **fit_params)
        loss = self._loss(z, extra)
        loss.backward()
        return {"loss": loss, "y_pred": z}

    def validation_step(self, batch, **fit_params):
        self._set_training(False)
        Xi, extra = batch
        Xi = to_device(Xi, self.device)
        with torch.no_grad():
            views = torch.cat([self.augmenter(Xi), self.augmenter(Xi)], dim=0)
            z = self.infer(views, **fit_params)
            loss = self._loss(z, extra)
        return {"loss": loss, "y_pred": z}
