"""Resume an interrupted fit where it stopped, with the weights an uninterrupted fit gets."""

from __future__ import annotations

import os
import re
from pathlib import Path

import torch
import torch.distributed as dist
from skorch.callbacks import Callback, EarlyStopping
from skorch.history import History

from sktime_har._training._distributed import process_group

# what skorch's EarlyStopping keeps between epochs
_EARLY_STOPPING_STATE = ("misses_", "dynamic_threshold_", "best_epoch_", "best_model_weights_")


def _stage_file(dirname: Path, stage: str) -> Path:
    return dirname / (re.sub(r"[^A-Za-z0-9]+", "_", stage).strip("_").lower() + ".pt")


class ResumableCheckpoint(Callback):
    """Save every training stage after each epoch, and resume it from there on the next fit.

    Pass it in an estimator's ``callbacks``. After every epoch it writes one
    file per training stage to ``dirname``: the module's weights, the
    optimiser state, the learning-rate schedulers' and early stopping's state,
    the epoch history and torch's random-number state. When a later ``fit`` of the same
    estimator (same hyperparameters, same data, same ``random_state``) starts
    a stage whose file exists, it loads that state and trains only the
    remaining epochs, so a fit interrupted after epoch k and resumed ends with
    the same weights, losses and outputs as an uninterrupted fit. A stage
    that had finished is loaded and not trained again; delete ``dirname`` to
    start afresh.

    The files are written by :func:`torch.save` and read back with
    ``weights_only=False`` (they hold the history): load only checkpoints you
    wrote yourself.

    Parameters
    ----------
    dirname : str or path-like
        Folder for the per-stage files; created if missing.

    Attributes
    ----------
    resumed_from_ : int
        Epochs the current stage loaded from its file (``0`` when it started
        afresh).

    See Also
    --------
    skorch.callbacks.Checkpoint : saves the best model, without resuming.
    sktime_har.persistence.save_weights : saves a fitted estimator.

    Examples
    --------
    >>> import tempfile
    >>> import numpy as np
    >>> from sktime_har.callbacks import ResumableCheckpoint
    >>> from sktime_har.ssl import ConvAutoencoder
    >>> X = np.random.default_rng(0).normal(size=(32, 3, 16)).astype("float32")
    >>> folder = tempfile.mkdtemp()
    >>> params = dict(conv_channels=(4, 4), latent_dim=4, batch_size=8, device="cpu",
    ...               random_state=0)
    >>> first = ConvAutoencoder(max_epochs=2, callbacks=[ResumableCheckpoint(folder)],
    ...                         **params).fit(X)
    >>> resumed = ConvAutoencoder(max_epochs=4, callbacks=[ResumableCheckpoint(folder)],
    ...                           **params).fit(X)
    >>> len(resumed.history_)  # 2 epochs loaded, 2 trained
    4
    """

    def __init__(self, dirname):
        self.dirname = dirname

    def _path(self, net) -> Path:
        return _stage_file(Path(self.dirname), getattr(net, "stage", "training"))

    @staticmethod
    def _early_stopping(net) -> dict:
        return {name: cb for name, cb in net.callbacks_ if isinstance(cb, EarlyStopping)}

    @staticmethod
    def _schedulers(net) -> dict:
        return {name: cb.lr_scheduler_ for name, cb in net.callbacks_
                if getattr(cb, "lr_scheduler_", None) is not None}

    def on_train_begin(self, net, X=None, y=None, **kwargs):
        self.resumed_from_ = 0
        path = self._path(net)
        if not path.exists():
            return
        state = torch.load(path, map_location=net.device, weights_only=False)
        try:
            net.module_.load_state_dict(state["module"])
        except RuntimeError as exc:
            raise ValueError(
                f"the checkpoint {path} was written by a different model (other "
                "hyperparameters or data shape), so this fit cannot resume from it; delete "
                "the file or give ResumableCheckpoint another folder."
            ) from exc
        for name in net._optimizers:
            getattr(net, name + "_").load_state_dict(state["optimizers"][name])
        for name, scheduler in self._schedulers(net).items():
            scheduler.load_state_dict(state["schedulers"][name])
        for name, cb in self._early_stopping(net).items():
            for key, value in state["early_stopping"][name].items():
                setattr(cb, key, value)
        net.history = History(state["history"])
        torch.set_rng_state(state["rng"])
        if state.get("cuda_rng") is not None and torch.cuda.is_available():
            torch.cuda.set_rng_state_all(state["cuda_rng"])
        # callbacks whose state derives from the weights recompute it from the loaded ones
        for _, cb in net.callbacks_:
            if hasattr(cb, "resume"):
                cb.resume(net)
        self.resumed_from_ = len(net.history)
        net.resumed_epochs_ = self.resumed_from_

    def on_epoch_end(self, net, **kwargs):
        rank, world = process_group()
        if rank == 0:
            self._save(net)
        if world > 1:
            # every process holds the same state; rank 0 writes it and nobody reads it
            # (the next stage or a resumed fit) before it is complete
            dist.barrier()

    def _save(self, net) -> None:
        path = self._path(net)
        path.parent.mkdir(parents=True, exist_ok=True)
        state = {
            "stage": getattr(net, "stage", "training"),
            "module": net.module_.state_dict(),
            "optimizers": {name: getattr(net, name + "_").state_dict()
                           for name in net._optimizers},
            "schedulers": {name: s.state_dict() for name, s in self._schedulers(net).items()},
            "early_stopping": {
                name: {key: getattr(cb, key) for key in _EARLY_STOPPING_STATE}
                for name, cb in self._early_stopping(net).items()},
            "history": list(net.history),
            "rng": torch.get_rng_state(),
            "cuda_rng": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else None,
        }
        tmp = path.with_suffix(".tmp")
        torch.save(state, tmp)
        os.replace(tmp, path)  # a crash while writing never leaves a half-written file
