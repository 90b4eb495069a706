"""Base skorch net for window data."""

from __future__ import annotations

from contextlib import nullcontext

import torch
from skorch import NeuralNet
from skorch.callbacks import EarlyStopping
from skorch.utils import to_device

from sktime_har._training import _distributed as dp
from sktime_har._training._callbacks import StageProgressBar, StopOnNonFiniteLoss
from sktime_har._training._iterator import TensorBatchIterator, n_rows, windows_of
from sktime_har._training._split import RandomValidationSplit

#: autocast dtype of each ``precision`` below float32
AUTOCAST_DTYPES = {"bf16": torch.bfloat16, "16": torch.float16}


class WindowNet(NeuralNet):
    """skorch ``NeuralNet`` with in-memory batching and a divergence guard.

    Objectives subclass it and override :meth:`get_loss` (and, for
    augmentation-based objectives, ``train_step_single``). ``X`` is a tensor
    of windows, or a dict with the windows under ``"windows"`` and named
    per-window inputs of the loss (e.g. ``"window_index"``,
    ``"instance_features"``) beside them; batches slice them all alike. ``verbose > 0``
    adds a progress bar per epoch, labelled with ``stage``, and skorch's
    epoch log. In a ``torch.distributed`` process group it trains
    data-parallel (:mod:`sktime_har._training._distributed`): the module
    starts from rank 0's state, its ``BatchNorm1d`` layers share the global
    batch's statistics while it trains, each process takes its share of
    every batch, the gradients are summed before each step and the recorded
    losses are those of the global batches.

    Parameters
    ----------
    *args, **kwargs
        As for :class:`skorch.NeuralNet`. ``stage`` names the training stage
        in progress output and errors; ``augmenter`` (a callable mapping a
        ``(B, C, T)`` batch to a random view of it) transforms the windows of
        every training batch, never those of a validation batch.

    Examples
    --------
    >>> import numpy as np, torch
    >>> from sktime_har._training import WindowNet
    >>> net = WindowNet(torch.nn.Linear, module__in_features=2, module__out_features=1,
    ...                 criterion=torch.nn.MSELoss, max_epochs=1, verbose=0)
    >>> X = np.zeros((4, 2), "float32"); y = np.zeros((4, 1), "float32")
    >>> _ = net.fit(X, y)
    """

    def __init__(self, *args, stage: str = "training", precision: str = "32",
                 validation_fraction: float | None = None, n_iter_no_change: int = 10,
                 validation_groups=None, augmenter=None, **kwargs):
        # set before NeuralNet.__init__ so skorch treats it as a plain attribute,
        # not as a trainable module it would register and re-initialise
        self.augmenter = augmenter
        kwargs.setdefault("iterator_train", TensorBatchIterator)
        kwargs.setdefault("iterator_valid", TensorBatchIterator)
        kwargs.setdefault("iterator_train__shuffle", True)
        if validation_fraction is not None:
            # the split's seed comes from the (estimator-seeded) global stream now, at
            # construction, so a resumed fit draws the same split
            seed = int(torch.randint(2**31 - 1, ()).item())
            kwargs.setdefault("train_split", RandomValidationSplit(validation_fraction, seed,
                                                                   groups=validation_groups))
        kwargs.setdefault("train_split", None)
        super().__init__(*args, **kwargs)
        self.stage = stage
        self.precision = precision
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change

    def initialize_module(self):
        super().initialize_module()
        if dp.is_distributed():
            # before the optimizer is built: it must hold the swapped layers' parameters
            dp.share_batch_norms(self.module_)
            dp.broadcast_state(self.module_)
            # the estimator seeded the global stream alike everywhere: it keeps the batch
            # order common, while augmentation and dropout draw from the rank's own stream
            self.rank_stream_ = dp.RankStream(torch.initial_seed(), torch.device(self.device))
        return self

    def rank_stream(self):
        """Context in which this process draws its own random numbers (a no-op in one process)."""
        stream = getattr(self, "rank_stream_", None)
        return stream.active() if stream is not None and dp.is_distributed() else nullcontext()

    def initialize(self):
        super().initialize()
        # float16 gradients underflow without loss scaling; bfloat16 has float32's range
        self.grad_scaler_ = (torch.amp.GradScaler(torch.device(self.device).type)
                             if self.precision == "16" else None)
        return self

    def _backward(self, loss: torch.Tensor) -> None:
        """``loss.backward()``; under float16, of the scaled loss, then the gradients unscaled.

        Unscaling here, before ``on_grad_computed``, lets callbacks such as
        ``GradientNormClipping`` see the true gradients.
        """
        if self.grad_scaler_ is None:
            loss.backward()
        else:
            self.grad_scaler_.scale(loss).backward()
            for name in self._optimizers:
                self.grad_scaler_.unscale_(getattr(self, name + "_"))
        if dp.is_distributed():
            dp.sum_gradients(p for _, p in self.get_all_learnable_params())

    def _share_of_global_mean(self, loss: torch.Tensor, X) -> torch.Tensor:
        """This process's term ``mean_r * n_r / n`` of a batch-mean loss (in one process: it)."""
        if not dp.is_distributed():
            return loss
        rows = float(n_rows(X))
        total = dp.sum_over_processes(loss.new_tensor(rows))
        return loss * rows / total

    def train_step_single(self, batch, **fit_params):
        # skorch's step, with the backward pass of the chosen precision
        self._set_training(True)
        Xi, yi = _on(batch[0], self.device), _on(batch[1], self.device)
        with self.rank_stream():
            if self.augmenter is not None:
                Xi = _with_windows(Xi, self.augmenter(windows_of(Xi)))
            y_pred = self.infer(Xi, **fit_params)
        loss = self._share_of_global_mean(self.get_loss(y_pred, yi, X=Xi, training=True), Xi)
        self._backward(loss)
        return {"loss": dp.sum_over_processes(loss.detach()), "y_pred": y_pred}

    def validation_step(self, batch, **fit_params):
        # batches read from a file arrive on the CPU; the loss reads X on the device
        Xi, yi = _on(batch[0], self.device), _on(batch[1], self.device)
        step = super().validation_step((Xi, yi), **fit_params)
        step["loss"] = dp.sum_over_processes(self._share_of_global_mean(step["loss"], Xi))
        return step

    def run_single_epoch(self, iterator, training, prefix, step_fn, **fit_params):
        super().run_single_epoch(iterator, training, prefix, step_fn, **fit_params)
        sizes = getattr(iterator, "global_batch_sizes", None)
        if dp.is_distributed() and sizes:
            # epoch losses are averages weighted by batch size: the global batches' sizes
            batches = self.history[-1]["batches"][-len(sizes):]
            for row, size in zip(batches, sizes, strict=True):
                row[prefix + "_batch_size"] = size

    def _step_optimizer(self, step_fn):
        if self.grad_scaler_ is None:
            return super()._step_optimizer(step_fn)
        step_fn()  # once: a closure cannot be re-run under a gradient scaler
        for name in self._optimizers:
            # skips the step when the scaled gradients overflowed, then lowers the scale
            self.grad_scaler_.step(getattr(self, name + "_"))
        self.grad_scaler_.update()
        return None

    def fit_loop(self, X, y=None, epochs=None, **fit_params):
        # a stage resumed from a checkpoint (ResumableCheckpoint) trains only what is left
        if epochs is None:
            epochs = max(self.max_epochs - getattr(self, "resumed_epochs_", 0), 0)
        try:
            return super().fit_loop(X, y, epochs=epochs, **fit_params)
        finally:
            # the fitted module is an ordinary one, as after a single-process fit
            dp.plain_batch_norms(self.module_)

    def infer(self, x, **fit_params):
        """The module's forward pass; under bfloat16 (``"bf16"``) or float16 (``"16"``) autocast.

        The outputs are cast back to float32, so losses, the target
        distribution and every reduction run in full precision; only the
        module's matrix products and convolutions run in the lower precision. Named
        per-window inputs (a dict ``X``) are for the loss: the module sees
        only ``X["windows"]``.
        """
        x = windows_of(x)
        if self.precision == "32":
            return super().infer(x, **fit_params)
        device_type = torch.device(self.device).type
        with torch.autocast(device_type=device_type, dtype=AUTOCAST_DTYPES[self.precision]):
            out = super().infer(x, **fit_params)
        return _to_float32(out)

    @property
    def _default_callbacks(self):
        callbacks = list(super()._default_callbacks)
        callbacks.append(("finite_loss", StopOnNonFiniteLoss(stage=self.stage)))
        if self.validation_fraction is not None:
            # stop once the validation loss stalls and keep the best epoch's weights
            callbacks.append(("early_stopping", EarlyStopping(
                monitor="valid_loss", patience=self.n_iter_no_change, load_best=True,
                sink=print if self.verbose else _silent)))
        if self.verbose:
            callbacks.append(
                ("progress", StageProgressBar(stage=self.stage, postfix_keys=["train_loss"]))
            )
        return callbacks


def _on(data, device):
    """A batch (tensor, dict of tensors or None) on the training device."""
    return None if data is None else to_device(data, device)


def _with_windows(data, windows):
    """``data`` (a tensor of windows or a dict holding them) with other windows."""
    return {**data, "windows": windows} if isinstance(data, dict) else windows


def _silent(*args, **kwargs):
    pass


def _to_float32(out):
    if isinstance(out, torch.Tensor):
        return out.float() if out.is_floating_point() else out
    if isinstance(out, tuple) and hasattr(out, "_fields"):  # a named tuple
        return type(out)(*(_to_float32(o) for o in out))
    if isinstance(out, (tuple, list)):
        return type(out)(_to_float32(o) for o in out)
    if isinstance(out, dict):
        return {k: _to_float32(v) for k, v in out.items()}
    return out
