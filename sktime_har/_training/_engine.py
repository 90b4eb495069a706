"""The training engine every torch estimator inherits: one fit skeleton, one inference rule."""

from __future__ import annotations

import contextlib
from abc import ABCMeta, abstractmethod
from collections.abc import Callable, Iterator

import numpy as np
import torch
from skorch import NeuralNet

from sktime_har._training._callbacks import check_callbacks
from sktime_har._training._distributed import process_group
from sktime_har._training._inference import eval_apply, module_device
from sktime_har._training._iterator import n_rows
from sktime_har.utils._constraints import (
    PRECISION,
    SkorchCallbacks,
    integers,
    positive_reals,
    reals,
)
from sktime_har.utils._torch import resolve_device, seed_from, seeded
from sktime_har.utils.validation import is_file_backed

# Inference batches: on a CPU the recurrent nets run fastest on a few hundred windows
# (1.25x the windows/s of 1024, benchmarks/throughput.py) and the other nets lose nothing;
# accelerators take more. Never fewer than the training batch.
CPU_INFERENCE_BATCH = 256
ACCELERATOR_INFERENCE_BATCH = 1024


def train_losses(history) -> np.ndarray:
    """The ``train_loss`` of every epoch of a skorch history, as a float array.

    Examples
    --------
    >>> from sktime_har._training._engine import train_losses
    >>> train_losses([{"train_loss": 2.0}, {"train_loss": 1.5}]).tolist()
    [2.0, 1.5]
    """
    return np.asarray([epoch["train_loss"] for epoch in history if "train_loss" in epoch],
                      dtype=float)


def inference_batch_size(batch_size: int, device: torch.device | str) -> int:
    """Windows per batch when a fitted network only embeds or predicts (no gradients kept).

    Examples
    --------
    >>> from sktime_har._training._engine import inference_batch_size
    >>> inference_batch_size(64, "cpu"), inference_batch_size(512, "cpu")
    (256, 512)
    """
    floor = (CPU_INFERENCE_BATCH if torch.device(device).type == "cpu"
             else ACCELERATOR_INFERENCE_BATCH)
    return max(floor, int(batch_size))


def check_groups(groups, n_windows: int) -> np.ndarray | None:
    """``groups`` as a 1D array of one group per window, or a ``ValueError`` naming the mismatch.

    Examples
    --------
    >>> from sktime_har._training._engine import check_groups
    >>> check_groups([1, 1, 2], 3).tolist(), check_groups(None, 3)
    ([1, 1, 2], None)
    """
    if groups is None:
        return None
    groups = np.asarray(groups)
    if groups.ndim != 1 or len(groups) != n_windows:
        raise ValueError(f"groups must hold one group per window, shape ({n_windows},); got "
                         f"shape {groups.shape}.")
    return groups


def to_training_device(data, device: torch.device):
    """Windows, targets or a dict of named per-window inputs as tensors on ``device``.

    A ``numpy.memmap`` (data larger than memory) stays in its file: the
    iterator reads, casts and moves one batch at a time.
    """
    if data is None:
        return None
    if isinstance(data, dict):
        return {name: to_training_device(value, device) for name, value in data.items()}
    if is_file_backed(data):
        return data
    if isinstance(data, np.ndarray):
        if not data.flags.writeable:  # torch.from_numpy warns on read-only arrays
            data = data.copy()
        data = torch.from_numpy(np.ascontiguousarray(data))
    return torch.as_tensor(data).to(device)


class TorchEstimatorMixin(metaclass=ABCMeta):
    """Device, seeding, skorch training, history and batched inference of a torch estimator.

    Every torch estimator of the library inherits it, so a training feature
    (callbacks, a validation split, precision, resuming, progress) is written
    once here and in :class:`~sktime_har._training.WindowNet`. An estimator
    supplies its modules and calls, inside ``fit``:

    1. :meth:`_training_device` and :meth:`_seeded_training` (modules are
       built and trained in that scope, so a seed gives one result on CPU);
    2. :meth:`_train_net` once per training stage, with the stage's net
       class, module, data and schedule;
    3. :meth:`_keep_training_record` for the stage whose history the user
       reads as ``history_`` / ``loss_history_``.

    Inference goes through :meth:`_apply_module` (eval mode, no gradients,
    batches of :meth:`_inference_batch_size`, non-finite outputs refused).
    :meth:`_build_modules` is the hook :mod:`sktime_har.persistence` calls to
    rebuild the untrained modules of a fitted layout before loading weights.

    The estimator's parameters ``device``, ``random_state``, ``verbose``,
    ``batch_size``, ``callbacks``, ``precision``, ``validation_fraction``
    and ``n_iter_no_change`` are read here, and their constraints (with those
    of ``lr``, ``batch_size`` and ``max_epochs``) declared once in
    ``_parameter_constraints``, which subclasses extend. ``fit`` starts with
    ``self._validate_params()``.

    Examples
    --------
    >>> import numpy as np, torch
    >>> from sklearn.base import BaseEstimator
    >>> from sktime_har._training import WindowNet
    >>> from sktime_har._training._engine import TorchEstimatorMixin
    >>> class LeastSquares(TorchEstimatorMixin, BaseEstimator):
    ...     def __init__(self, batch_size=4, device="cpu", random_state=0, verbose=0,
    ...                  callbacks=None, precision="32", validation_fraction=None,
    ...                  n_iter_no_change=10):
    ...         self.batch_size, self.device, self.random_state = batch_size, device, random_state
    ...         self.verbose, self.callbacks, self.precision = verbose, callbacks, precision
    ...         self.validation_fraction = validation_fraction
    ...         self.n_iter_no_change = n_iter_no_change
    ...     def _build_modules(self):
    ...         self.module_ = torch.nn.Linear(2, 1).eval()
    ...     def fit(self, X, y):
    ...         device = self._training_device()
    ...         with self._seeded_training(device):
    ...             net = self._train_net(WindowNet, torch.nn.Linear(2, 1), X, y, device=device,
    ...                                   stage="fitting", lr=0.1, max_epochs=3,
    ...                                   criterion=torch.nn.MSELoss)
    ...         self.module_ = net.module_.eval()
    ...         self._keep_training_record(net)
    ...         return self
    >>> X = np.ones((8, 2), np.float32); y = np.ones((8, 1), np.float32)
    >>> est = LeastSquares().fit(X, y)
    >>> len(est.loss_history_), est._apply_module(X).shape
    (3, (8, 1))
    """

    _parameter_constraints: dict = {
        "device": [str, torch.device],
        "random_state": ["random_state"],
        "verbose": [integers(0), "boolean"],
        "callbacks": [SkorchCallbacks(), None],
        "precision": PRECISION,
        "validation_fraction": [reals(0, 1, closed="neither"), None],
        "n_iter_no_change": [integers(1)],
        "lr": [positive_reals()],
        "batch_size": [integers(1)],
        "max_epochs": [integers(0)],
    }

    # ---------------------------------------------------------------- hooks
    @abstractmethod
    def _build_modules(self) -> None:
        """Set ``module_`` (and its views) to untrained modules of the fitted layout."""

    # ------------------------------------------------------------- training
    def _training_options(self) -> dict:
        """The shared training parameters (validated by ``_validate_params``) as net options."""
        return dict(
            verbose=int(self.verbose),
            callbacks=check_callbacks(self.callbacks),  # each stage gets a fresh copy
            precision=self.precision,
            validation_fraction=(None if self.validation_fraction is None
                                 else float(self.validation_fraction)),
            n_iter_no_change=int(self.n_iter_no_change),
        )

    def _training_device(self) -> torch.device:
        device = resolve_device(self.device)
        if self.precision == "16" and device.type != "cuda":
            raise ValueError(
                f"precision='16' (float16 autocast with gradient scaling) needs a CUDA device; "
                f"this fit runs on {device.type}. Use precision='bf16' there: bfloat16 autocast "
                "works on CPU and CUDA and needs no gradient scaling."
            )
        return device

    @contextlib.contextmanager
    def _seeded_training(self, device: torch.device, seed: int | None = None) -> Iterator[int]:
        """Torch's RNG seeded from ``random_state`` (or ``seed``); the caller's restored after."""
        seed = seed_from(self.random_state) if seed is None else int(seed)
        with seeded(seed, device):
            yield seed

    def _train_net(self, net_class: type[NeuralNet], module: torch.nn.Module, X, y=None, *,
                   device: torch.device, stage: str, lr: float, max_epochs: int,
                   batch_size: int | None = None, optimizer=torch.optim.Adam,
                   callbacks: list | tuple = (), groups=None, **net_options) -> NeuralNet:
        """Build the stage's skorch net with the shared training options and fit it.

        ``X`` is an array of windows (or features), or a dict of named
        per-window inputs with the windows under ``"windows"``; ``callbacks``
        are the stage's own, run before the user's; ``groups`` (one per
        window) makes the validation split hold out whole groups.
        """
        options = self._training_options()
        user_callbacks = options.pop("callbacks")
        if process_group()[0] > 0:
            options["verbose"] = 0  # in a process group only rank 0 reports progress
        net = net_class(
            module,
            optimizer=optimizer,
            lr=float(lr),
            batch_size=int(self.batch_size if batch_size is None else batch_size),
            max_epochs=int(max_epochs),
            device=device,
            stage=stage,
            callbacks=[*callbacks, *user_callbacks],
            validation_groups=check_groups(groups, n_rows(X)),
            **options,
            **net_options,
        )
        net.fit(to_training_device(X, device), to_training_device(y, device))
        return net

    def _keep_training_record(self, net: NeuralNet) -> None:
        self.history_ = net.history
        self.loss_history_ = train_losses(net.history)

    # ------------------------------------------------------------ inference
    def _inference_batch_size(self, device: torch.device) -> int:
        return inference_batch_size(self.batch_size, device)

    def _apply_module(self, X: np.ndarray, fn: Callable | None = None,
                      module: torch.nn.Module | None = None, *,
                      check_finite: bool = True) -> np.ndarray:
        """``fn`` (default: the module) on validated ``X`` in eval mode, batch by batch."""
        module = self.module_ if module is None else module
        return eval_apply(module, X, fn=fn, check_finite=check_finite,
                          batch_size=self._inference_batch_size(module_device(module)))
