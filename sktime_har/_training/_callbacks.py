"""skorch callbacks that keep training safe."""

from __future__ import annotations

import copy
import math
import time

from skorch.callbacks import Callback, ProgressBar

from sktime_har.exceptions import TrainingDivergedError


def check_callbacks(callbacks, owner: str = "callbacks") -> list:
    """A fresh copy of the user's skorch callbacks, or a ``TypeError`` naming what is expected.

    Parameters
    ----------
    callbacks : list of (Callback or (str, Callback)) or None
        As passed to an estimator's ``callbacks`` parameter.
    owner : str, default="callbacks"
        Name used in the message.

    Returns
    -------
    callbacks : list
        A deep copy, so each training stage starts from unused callbacks and
        the estimator's parameter is never modified.

    Examples
    --------
    >>> from skorch.callbacks import EarlyStopping
    >>> from sktime_har._training._callbacks import check_callbacks
    >>> check_callbacks(None)
    []
    >>> [type(cb).__name__ for cb in check_callbacks([EarlyStopping(monitor="train_loss")])]
    ['EarlyStopping']
    >>> check_callbacks(EarlyStopping())
    Traceback (most recent call last):
    ...
    TypeError: callbacks must be a list of skorch callbacks ...
    """
    expected = (f"{owner} must be a list of skorch callbacks (instances of "
                "skorch.callbacks.Callback or (name, callback) pairs) or None")
    if callbacks is None:
        return []
    if not isinstance(callbacks, (list, tuple)):
        raise TypeError(f"{expected}; got {type(callbacks).__name__}.")
    for item in callbacks:
        named = (isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], str)
                 and isinstance(item[1], Callback))
        if not (named or isinstance(item, Callback)):
            raise TypeError(f"{expected}; got the entry {item!r}.")
    return copy.deepcopy(list(callbacks))


class StopOnNonFiniteLoss(Callback):
    """Stop training with a clear error as soon as a batch loss is NaN or infinite.

    Parameters
    ----------
    stage : str, default="training"
        Name of the training stage, used in the message.

    Examples
    --------
    >>> from sktime_har._training import StopOnNonFiniteLoss
    >>> StopOnNonFiniteLoss(stage="pretraining").stage
    'pretraining'
    """

    def __init__(self, stage: str = "training"):
        self.stage = stage

    def on_batch_end(self, net, batch=None, training=None, loss=None, **kwargs):
        value = float(loss.detach()) if loss is not None else 0.0
        if not math.isfinite(value):
            epoch = len(net.history)
            raise TrainingDivergedError(
                f"{self.stage} diverged: the loss became {value} in epoch {epoch}. "
                "Likely causes: a learning rate too high for this data, unscaled inputs "
                "with very large values, or a temperature too close to zero. Standardise "
                "the channels (sktime_har.preprocessing.ChannelStandardScaler) or lower lr."
            )


class StageProgressBar(ProgressBar):
    """skorch's per-epoch progress bar, labelled with the stage and its ETA.

    Estimators with several training stages (e.g. the autoencoder, then the
    contrastive encoder of ``DynamicTemperatureSSL``) show one bar per stage.
    The label names the stage, the postfix shows ``epoch=<epoch>/<max_epochs>``
    and, from the first batch on, ``eta``, the time the stage needs at the measured speed
    if it runs all ``max_epochs`` (stages with a stopping tolerance may end
    sooner), so a user sees within seconds whether a fit takes minutes or days.

    Parameters
    ----------
    stage : str, default="training"
        Label shown before the bar.
    **kwargs
        As for :class:`skorch.callbacks.ProgressBar`.

    Examples
    --------
    >>> from sktime_har._training._callbacks import StageProgressBar
    >>> StageProgressBar(stage="pretraining", postfix_keys=["train_loss"]).stage
    'pretraining'
    >>> StageProgressBar.format_duration(3725.0)
    '1:02:05'
    """

    def __init__(self, stage: str = "training", **kwargs):
        super().__init__(**kwargs)
        self.stage = stage

    @staticmethod
    def format_duration(seconds: float) -> str:
        """``h:mm:ss`` for a duration in seconds."""
        seconds = int(round(seconds))
        return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"

    def on_train_begin(self, net, X=None, y=None, **kwargs):
        super().on_train_begin(net, X=X, y=y, **kwargs)
        self.stage_start_ = time.perf_counter()
        self.batches_done_ = 0

    def on_epoch_begin(self, net, dataset_train=None, dataset_valid=None, **kwargs):
        super().on_epoch_begin(net, dataset_train=dataset_train, dataset_valid=dataset_valid,
                               **kwargs)
        self.epoch_ = len(net.history)
        self.pbar_.set_description(self.stage)
        self.pbar_.set_postfix({"epoch": f"{self.epoch_}/{net.max_epochs}"})

    def _get_postfix_dict(self, net):
        postfix = {"epoch": f"{self.epoch_}/{net.max_epochs}"}
        postfix.update(super()._get_postfix_dict(net))
        per_epoch = self.pbar_.total
        if per_epoch and self.batches_done_:
            per_batch = (time.perf_counter() - self.stage_start_) / self.batches_done_
            left = per_epoch * net.max_epochs - self.batches_done_
            postfix["eta"] = self.format_duration(max(left, 0) * per_batch)
        return postfix

    def on_batch_end(self, net, **kwargs):
        self.batches_done_ += 1
        super().on_batch_end(net, **kwargs)
        if self.batches_done_ == 1:
            self.pbar_.refresh()  # show the first ETA now, not after tqdm's redraw interval

    def __getstate__(self):
        state = super().__getstate__()
        for name in ("stage_start_", "batches_done_", "epoch_"):
            state.pop(name, None)
        return state
