"""Denoising convolutional autoencoder whose transform gives instance features."""

from __future__ import annotations

from sklearn.base import ClassNamePrefixFeaturesOutMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from sktime_har._training import AutoencoderNet
from sktime_har._training._docs import fill_param_docs
from sktime_har._training._engine import TorchEstimatorMixin
from sktime_har.base import BaseWindowEstimator
from sktime_har.nn.conv_autoencoder import DenoisingConvAutoencoder
from sktime_har.utils._constraints import SEQUENCE, integers, reals
from sktime_har.utils._params import (
    check_kernel_size,
    store_init_params,
)
from sktime_har.utils.validation import warn_if_batch_exceeds_data


@fill_param_docs
class ConvAutoencoder(ClassNamePrefixFeaturesOutMixin, TransformerMixin, TorchEstimatorMixin,
                      BaseWindowEstimator):
    """Denoising convolutional autoencoder (Fig. 3 of [1]_); ``transform`` = instance features.

    Three ``Conv1d/BatchNorm1d/ReLU`` blocks, a linear bottleneck ``l1`` (the
    instance features), ``l2`` and a mirrored decoder with a linear output
    layer are trained with MSE to reconstruct the clean windows from copies
    corrupted by Gaussian noise. :class:`DynamicTemperatureSSL` uses the
    frozen ``g`` and ``l1`` to measure how similar two windows are; on its own
    it is the "CAE" baseline of Table II of [1]_.

    Parameters
    ----------
    conv_channels : tuple of int, default=(32, 64, 128)
        Encoder block widths (decoder mirrored).
    kernel_size : int, default=3
        Convolution kernel size.
    latent_dim : int, default=256
        Size of the instance features (paper, UCI-HAR: 256).
    noise_std : float, default=0.5
        Standard deviation of the training input noise (paper: 0.5).
    lr : float, default=1e-3
        Adam learning rate (paper: 1e-3).
    batch_size : int, default=128
        Windows per batch.
    max_epochs : int, default=50
        Training epochs (paper: 50).
    device : str, default="auto"
        Torch device.
    random_state : int, RandomState or None, default=None
        Seed of initialisation, batching and noise.
    verbose : int, default=0
        Progress output when > 0.
    %(training_params)s

    Attributes
    ----------
    module_ : DenoisingConvAutoencoder
        The trained autoencoder, in eval mode.
    history_ : skorch.History
        Per-epoch training log.
    loss_history_ : ndarray of shape (n_epochs,)
        Mean training MSE per epoch.
    n_channels_, n_timesteps_, n_features_in_ : int
        Fitted window layout (the bottleneck fixes the window length).

    See Also
    --------
    DynamicTemperatureSSL : uses these features for its dynamic temperatures.

    References
    ----------
    .. [1] %(cite_dynamic_temperature)s.
    .. [2] Haresamudram, Anderson, Plötz, "On the role of features in human
       activity recognition", ISWC 2019.

    Examples
    --------
    >>> from sktime_har.datasets import make_activity_windows
    >>> from sktime_har.ssl import ConvAutoencoder
    >>> X, y, _ = make_activity_windows(32, n_timesteps=16, random_state=0)
    >>> ae = ConvAutoencoder(conv_channels=(4, 8), latent_dim=8, max_epochs=2, batch_size=16,
    ...                      device="cpu", random_state=0).fit(X)
    >>> ae.transform(X).shape
    (32, 8)
    """

    _fixed_length = True
    _parameter_constraints: dict = {
        **TorchEstimatorMixin._parameter_constraints,
        "conv_channels": SEQUENCE,
        "kernel_size": [integers(1)],
        "latent_dim": [integers(1)],
        "noise_std": [reals(0)],
    }

    def __init__(
        self,
        *,
        conv_channels=(32, 64, 128),
        kernel_size=3,
        latent_dim=256,
        noise_std=0.5,
        lr=1e-3,
        batch_size=128,
        max_epochs=50,
        device="auto",
        random_state=None,
        verbose=0,
        callbacks=None,
        precision="32",
        validation_fraction=None,
        n_iter_no_change=10,
    ):
        store_init_params(self, locals())

    def _min_timesteps(self) -> int:
        # one-sample "windows" have no temporal structure; a 2D (n, 1) input is far more
        # likely a mis-shaped feature column than n windows of length one
        return 2

    def fit(self, X, y=None, groups=None):
        """Train the autoencoder to denoise the windows.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_channels, n_timesteps)
            Windows.
        y : None
            Ignored.
        %(fit_groups_param)s

        Returns
        -------
        self : object
            The fitted autoencoder.
        """
        self._validate_params()
        X = self._check_fit_windows(X)
        check_kernel_size(self.kernel_size, X.shape[2])
        warn_if_batch_exceeds_data(int(self.batch_size), len(X), type(self).__name__)
        self._set_window_attributes(X)
        device = self._training_device()
        with self._seeded_training(device):
            net = self._train_net(AutoencoderNet, self._make_module(), X, device=device,
                                  stage="ConvAutoencoder training", lr=self.lr,
                                  max_epochs=self.max_epochs, groups=groups)
        self.module_ = net.module_.eval()
        self._keep_training_record(net)
        self._n_features_out = self.module_.out_features
        return self

    def _make_module(self) -> DenoisingConvAutoencoder:
        return DenoisingConvAutoencoder(
            self.n_channels_,
            self.n_timesteps_,
            conv_channels=tuple(self.conv_channels),
            kernel_size=self.kernel_size,
            latent_dim=self.latent_dim,
            noise_std=self.noise_std,
        )

    def _build_modules(self) -> None:
        # untrained network of the fitted layout; sktime_har.persistence loads weights into it
        self.module_ = self._make_module().eval()

    def transform(self, X):
        """Instance features ``h = l1(g(X))`` (no input noise).

        Parameters
        ----------
        %(fitted_windows_param)s

        Returns
        -------
        features : ndarray of shape (n_samples, latent_dim), dtype float32
            Instance features of the windows.
        """
        check_is_fitted(self, "module_")
        X = self._validate_windows(X)
        return self._apply_module(X, fn=self.module_.encode)

    def reconstruct(self, X):
        """Reconstruct windows (eval mode, no input noise).

        Parameters
        ----------
        %(fitted_windows_param)s

        Returns
        -------
        X_rec : ndarray of shape (n_samples, n_channels, n_timesteps), dtype float32
            Reconstructed windows.
        """
        check_is_fitted(self, "module_")
        X = self._validate_windows(X)
        return self._apply_module(X, fn=self.module_.reconstruct)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = False
        tags.transformer_tags.preserves_dtype = ["float32"]  # torch features are float32
        return tags
