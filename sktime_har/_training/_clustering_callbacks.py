"""Callbacks of the clustering refinement stage: dataset-wide target refresh, tol stopping."""

from __future__ import annotations

import torch
from skorch.callbacks import Callback

from sktime_har._training._distributed import apply_to_shares, is_distributed
from sktime_har._training._inference import module_device
from sktime_har._training._iterator import batch_rows, windows_of
from sktime_har.exceptions import TrainingDivergedError
from sktime_har.nn.clustering_layer import target_distribution


@torch.no_grad()
def soft_assignments(module: torch.nn.Module, X: torch.Tensor, batch_size: int) -> torch.Tensor:
    """Soft assignments ``Q`` of every window of ``X`` (eval mode, no gradients).

    Parameters
    ----------
    module : DeepClusteringModel
        Provides ``soft_assign(x)``.
    X : Tensor or ndarray of shape (n_samples, n_channels, n_timesteps)
        All training windows: a tensor, or an array or memmap read batch by batch.
    batch_size : int
        Windows per inference batch.

    Returns
    -------
    q : Tensor of shape (n_samples, n_clusters)
    """
    device = module_device(module)

    def assign(rows):
        # a batch at a time: X may be a memmap read from its file
        parts = [module.soft_assign(batch_rows(rows, slice(s, s + batch_size)).to(device))
                 for s in range(0, len(rows), batch_size)]
        return torch.cat(parts, dim=0)

    was_training = module.training
    module.eval()
    try:
        if not is_distributed():
            return assign(X)
        # in a process group each process assigns its share; all receive every row's
        return torch.from_numpy(apply_to_shares(
            lambda rows: assign(rows).cpu().numpy(), X)).to(device)
    finally:
        module.train(was_training)


class RefreshTargetDistribution(Callback):
    """Recompute ``Q`` on the whole dataset and the target ``P`` from it.

    Runs once before training and after every epoch, so ``P`` is a
    dataset-level quantity held fixed for a whole epoch (as in DEC with one
    update per epoch), never a mini-batch estimate. Sets
    ``net.target_distribution_`` (tensor of shape ``(n_samples, n_clusters)``),
    which the net's loss reads, and records
    ``changed_fraction`` (share of windows whose hard assignment changed in
    the epoch) in ``net.history``; the hard assignments it compares stay
    in the callback. Non-finite assignments raise
    :class:`~sktime_har.exceptions.TrainingDivergedError`.

    Parameters
    ----------
    batch_size : int, default=1024
        Windows per inference batch.

    Examples
    --------
    >>> from sktime_har._training._clustering_callbacks import RefreshTargetDistribution
    >>> RefreshTargetDistribution(batch_size=512).batch_size
    512
    """

    def __init__(self, batch_size: int = 1024):
        self.batch_size = batch_size

    def _refresh(self, net) -> torch.Tensor | None:
        q = soft_assignments(net.module_, self.X_, self.batch_size)
        if not bool(torch.isfinite(q).all()):
            # finite batch losses can still end in non-finite weights (the last step)
            raise TrainingDivergedError(
                f"refinement diverged: the soft assignments became non-finite after epoch "
                f"{len(net.history)}. Lower refine_lr or gamma, or standardise the channels."
            )
        net.target_distribution_ = target_distribution(q)
        labels = q.argmax(dim=1)
        previous, self.assignments_ = self.assignments_, labels
        return None if previous is None else (labels != previous).float().mean()

    def on_train_begin(self, net, X=None, y=None, **kwargs):
        self.X_ = windows_of(X)  # a tensor on the device, or a memmap
        self.assignments_ = None
        self._refresh(net)

    def resume(self, net):
        """After weights were loaded from a checkpoint: ``P`` and the labels from them."""
        self.assignments_ = None
        self._refresh(net)

    def on_epoch_end(self, net, **kwargs):
        changed = self._refresh(net)
        net.history.record("changed_fraction", float(changed))

    def on_train_end(self, net, **kwargs):
        self.X_ = None  # no reference to the training data once fitted


class StopOnStableAssignments(Callback):
    """Stop refinement once fewer than ``tol`` of the hard assignments changed in an epoch.

    Reads ``changed_fraction`` recorded by :class:`RefreshTargetDistribution`
    and stops the way skorch's ``EarlyStopping`` does (raising
    ``KeyboardInterrupt``, which ``NeuralNet.partial_fit`` catches before
    running the ``on_train_end`` callbacks). Whether it stopped is read off
    the history: the last epoch's ``changed_fraction`` is below ``tol``.

    Parameters
    ----------
    tol : float, default=0.001
        Stop when the changed fraction is strictly below this (0.1 % in DEC
        and DSC). ``0`` never stops early.

    Examples
    --------
    >>> from sktime_har._training._clustering_callbacks import StopOnStableAssignments
    >>> StopOnStableAssignments(tol=0.01).tol
    0.01
    """

    def __init__(self, tol: float = 0.001):
        self.tol = tol

    def on_epoch_end(self, net, **kwargs):
        if net.history[-1, "changed_fraction"] < self.tol:
            raise KeyboardInterrupt
