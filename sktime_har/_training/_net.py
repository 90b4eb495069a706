"""Base skorch net for window data."""

from __future__ import annotations

import torch
from skorch import NeuralNet
from skorch.callbacks import EarlyStopping
from skorch.utils import to_device

from sktime_har._training._callbacks import StageProgressBar, StopOnNonFiniteLoss
from sktime_har._training._iterator import TensorBatchIterator, windows_of
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

    def __init__(self, *args, stage: str = "training", precision: str = "32",
                 validation_fraction: float | None = None, n_iter_no_change: int = 10,
                 validation_groups=None, **kwargs):
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
            return
        self.grad_scaler_.scale(loss).backward()
        for name in self._optimizers:
            self.grad_scaler_.unscale_(getattr(self, name + "_"))

    def train_step_single(self, batch, **fit_params):
        # skorch's step, with the backward pass of the chosen precision
        self._set_training(True)
        Xi, yi = _on(batch[0], self.device), _on(batch[1], self.device)
        y_pred = self.infer(Xi, **fit_params)
        loss = self.get_loss(y_pred, yi, X=Xi, training=True)
        self._backward(loss)
        return {"loss": loss, "y_pred": y_pred}

    def validation_step(self, batch, **fit_params):
        # batches read from a file arrive on the CPU; the loss reads X on the device
        Xi, yi = _on(batch[0], self.device), _on(batch[1], self.device)
        return super().validation_step((Xi, yi), **fit_params)

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
        return super().fit_loop(X, y, epochs=epochs, **fit_params)

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
