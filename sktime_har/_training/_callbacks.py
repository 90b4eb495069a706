"""skorch callbacks that keep training safe."""

from __future__ import annotations

import math

from skorch.callbacks import Callback, ProgressBar

from sktime_har.exceptions import TrainingDivergedError


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
    """skorch's per-epoch progress bar, labelled with the training stage.

    Estimators with several training stages (e.g. the autoencoder, then the
    contrastive encoder of ``DynamicTemperatureSSL``) show one bar per stage;
    the label says which stage is running.

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
    """

    def __init__(self, stage: str = "training", **kwargs):
        super().__init__(**kwargs)
        self.stage = stage

    def on_epoch_begin(self, net, dataset_train=None, dataset_valid=None, **kwargs):
        super().on_epoch_begin(net, dataset_train=dataset_train, dataset_valid=dataset_valid,
                               **kwargs)
        self.pbar_.set_description(self.stage)
