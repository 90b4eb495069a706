"""Shared base of the contrastive / joint-embedding self-supervised encoders."""

from __future__ import annotations

from abc import abstractmethod

import numpy as np
from sklearn.base import ClassNamePrefixFeaturesOutMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted
from torch import nn

from sktime_har._training import ContrastiveNet
from sktime_har._training._docs import fill_param_docs
from sktime_har._training._engine import TorchEstimatorMixin
from sktime_har._training._optim import resolve_optimizer
from sktime_har.base import BaseWindowEstimator
from sktime_har.nn.encoder_with_head import EncoderWithHead
from sktime_har.nn.projection_head import ProjectionHead
from sktime_har.nn.transformer_encoder import TransformerEncoder
from sktime_har.utils._constraints import (
    AUGMENTATION,
    OPTIMIZER,
    TRANSFORMER_ENCODER,
    integers,
)
from sktime_har.utils._params import (
    check_channel_groups,
    check_kernel_size,
    make_augmenter,
    store_init_params,
)
from sktime_har.utils.validation import warn_if_batch_exceeds_data


@fill_param_docs
class BaseSSLEncoder(ClassNamePrefixFeaturesOutMixin, TransformerMixin, TorchEstimatorMixin,
                     BaseWindowEstimator):
    """Base of the self-supervised transformer encoders (SimCLR, NDT-Xent, VICReg).

    ``fit(X)`` trains :class:`~sktime_har.nn.TransformerEncoder` plus a
    :class:`~sktime_har.nn.ProjectionHead` on two augmented views of every
    batch with the loss returned by :meth:`_make_loss`; ``transform(X)``
    returns the frozen encoder's features (eval mode, no gradients, in
    batches). Subclasses implement ``_make_loss`` and may override
    :meth:`_fit_auxiliary` (fit models the loss depends on, e.g. a frozen
    autoencoder) and :meth:`_loss_inputs` (named per-window tensors the loss
    takes as keyword arguments, e.g. ``instance_features``).

    Parameters
    ----------
    %(transformer_encoder_params)s
    %(ssl_params)s
    %(training_params)s

    See Also
    --------
    SimCLREncoder : NT-Xent with a constant temperature.
    DynamicTemperatureSSL : NT-Xent with instance-aware dynamic temperatures.

    References
    ----------
    .. [1] %(cite_dynamic_temperature)s.

    Examples
    --------
    A new objective only supplies its loss:

    >>> import torch
    >>> from sktime_har.datasets import make_activity_windows
    >>> from sktime_har.ssl import BaseSSLEncoder
    >>> class MeanSquaredViews(BaseSSLEncoder):
    ...     def _make_loss(self):
    ...         class Loss(torch.nn.Module):
    ...             def forward(self, z1, z2):
    ...                 return ((z1 - z2) ** 2).mean()
    ...         return Loss()
    >>> X, _, _ = make_activity_windows(32, n_timesteps=16, random_state=0)
    >>> enc = MeanSquaredViews(conv_channels=(4, 8), n_layers=1, n_heads=1, max_epochs=1,
    ...                        batch_size=16, device="cpu", random_state=0).fit(X)
    >>> enc.transform(X).shape
    (32, 128)
    """

    def __init__(
        self,
        *,
        conv_channels=(32, 64, 128),
        kernel_size=3,
        n_layers=8,
        n_heads=8,
        dim_feedforward=256,
        dropout=0.1,
        pooling="flatten",
        norm_first=False,
        projection_hidden_dim=256,
        projection_dim=256,
        augmentations=("jitter", "scaling", "permutation"),
        augmentation_p=0.5,
        channel_groups=None,
        optimizer="lars",
        lr=1e-4,
        batch_size=128,
        max_epochs=200,
        device="auto",
        random_state=None,
        verbose=0,
        callbacks=None,
        precision="32",
        validation_fraction=None,
        n_iter_no_change=10,
    ):
        store_init_params(self, locals())

    _parameter_constraints: dict = {
        **TorchEstimatorMixin._parameter_constraints,
        **TRANSFORMER_ENCODER,
        "projection_hidden_dim": [integers(1)],
        "projection_dim": [integers(1)],
        **AUGMENTATION,
        "optimizer": OPTIMIZER,
        "batch_size": [integers(2)],  # a contrastive batch needs a negative per window
    }

    # ---------------------------------------------------------------- hooks
    @abstractmethod
    def _make_loss(self) -> nn.Module:
        """Return the loss module, called as ``loss(z1, z2, **self._loss_inputs(X))``."""

    def _fit_auxiliary(self, X: np.ndarray, seed: int, groups=None) -> None:
        """Fit the models the loss depends on and set them as fitted attributes.

        Called at the start of ``fit``, inside the seeded scope, with the
        validated windows, the fit's seed and its ``groups``. The default fits
        nothing.
        """

    def _loss_inputs(self, X: np.ndarray) -> dict[str, np.ndarray]:
        """Named per-window arrays ``(n_samples, ...)`` the loss takes with each batch.

        Computed once after :meth:`_fit_auxiliary`; each batch passes its rows
        to the loss by name. The default is none (the loss gets ``z1, z2``).
        """
        return {}

    # --------------------------------------------------------- window rules
    @property
    def _fixed_length(self) -> bool:  # flattened features depend on the window length
        return self.pooling == "flatten"

    def _min_timesteps(self) -> int:
        # one-sample "windows" have no temporal structure; a 2D (n, 1) input is far more
        # likely a mis-shaped feature column than n windows of length one
        return 2

    def _min_samples(self) -> int:
        return 2  # a contrastive batch needs at least one negative per window

    # ------------------------------------------------------------- building
    def _check_data_params(self, n_channels: int, n_timesteps: int) -> None:
        # the rules that need the windows; the others are in _parameter_constraints
        check_kernel_size(self.kernel_size, n_timesteps)
        check_channel_groups(self.channel_groups, n_channels)

    def _make_encoder(self) -> TransformerEncoder:
        return TransformerEncoder(
            self.n_channels_,
            self.n_timesteps_,
            conv_channels=tuple(self.conv_channels),
            kernel_size=self.kernel_size,
            n_layers=self.n_layers,
            n_heads=self.n_heads,
            dim_feedforward=self.dim_feedforward,
            dropout=self.dropout,
            pooling=self.pooling,
            norm_first=bool(self.norm_first),
        )

    def _make_module(self) -> EncoderWithHead:
        encoder = self._make_encoder()
        head = ProjectionHead(encoder.out_features, self.projection_hidden_dim, self.projection_dim)
        return EncoderWithHead(encoder, head)

    def _build_modules(self) -> None:
        # untrained network of the fitted layout; sktime_har.persistence loads weights into it
        self.module_ = self._make_module().eval()
        self.encoder_ = self.module_.encoder

    # ---------------------------------------------------------------- public
    def fit(self, X, y=None, groups=None):
        """Pretrain the encoder on unlabelled windows.

        Parameters
        ----------
        %(fit_windows_param)s
        y : None
            Ignored (self-supervised).
        %(fit_groups_param)s

        Returns
        -------
        self : object
            The fitted encoder.
        """
        self._validate_params()
        X = self._check_fit_windows(X)
        self._check_data_params(X.shape[1], X.shape[2])
        warn_if_batch_exceeds_data(int(self.batch_size), len(X), type(self).__name__)
        self._set_window_attributes(X)
        device = self._training_device()
        with self._seeded_training(device) as seed:
            self._fit_auxiliary(X, seed, groups)
            inputs = self._loss_inputs(X)
            net = self._train_net(
                ContrastiveNet, self._make_module(), {"windows": X, **inputs} if inputs else X,
                device=device,
                stage=f"{type(self).__name__} pretraining",
                optimizer=resolve_optimizer(self.optimizer), lr=self.lr,
                batch_size=min(int(self.batch_size), len(X)), max_epochs=self.max_epochs,
                criterion=self._make_loss(), augmenter=make_augmenter(self).to(device),
                groups=groups,
            )
        self.module_ = net.module_.eval()
        self.encoder_ = self.module_.encoder
        self._keep_training_record(net)
        self._n_features_out = self.encoder_.out_features
        return self

    def transform(self, X):
        """Features of the frozen encoder.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_channels, n_timesteps)
            Windows with the fitted channel count (and, with
            ``pooling="flatten"``, the fitted length).

        Returns
        -------
        features : ndarray of shape (n_samples, n_features), dtype float32
            ``n_features = conv_channels[-1] * n_timesteps`` (flatten) or
            ``conv_channels[-1]`` (mean).
        """
        check_is_fitted(self, "encoder_")
        X = self._validate_windows(X)
        return self._apply_module(X, module=self.encoder_)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = False
        tags.transformer_tags.preserves_dtype = ["float32"]  # torch features are float32
        return tags
