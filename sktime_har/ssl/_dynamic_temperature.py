"""Dynamic temperature scaling: contrastive pretraining with NDT-Xent (paper 001)."""

from __future__ import annotations

import numpy as np
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.frozen import FrozenEstimator
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.validation import check_is_fitted
from torch import nn

from sktime_har._training._docs import fill_param_docs
from sktime_har.ssl._base import BaseSSLEncoder
from sktime_har.ssl._conv_autoencoder import ConvAutoencoder
from sktime_har.utils._constraints import positive_reals
from sktime_har.utils._params import store_init_params

_POSITIVE_SOURCES = ("views", "instances", "constant")


def _is_fitted(estimator) -> bool:
    try:
        check_is_fitted(estimator)
    except NotFittedError:
        return False
    return True


@fill_param_docs
class DynamicTemperatureSSL(BaseSSLEncoder):
    """Transformer encoder pretrained with dynamic temperatures (NDT-Xent, [1]_).

    Algorithm 1 of [1]_: (1) a denoising :class:`ConvAutoencoder` is trained on
    the windows (or a fitted one is used), then frozen; (2) the transformer
    encoder and projection head are trained on two augmented views per window
    with NDT-Xent: NT-Xent with angular similarity in which every negative
    pair ``(i, k)`` is scaled by ``tau * sqrt(s_a(h_i, h_k))``, ``h`` the
    frozen autoencoder's features of the *original* windows, and the positive
    pairs by one batch temperature (Eq. 3). Windows the autoencoder finds
    similar, the likely false negatives, then weigh less in the denominator.
    ``transform`` returns the frozen transformer encoder's features.

    The instance features of all training windows are computed once before
    training (the autoencoder is frozen and deterministic in eval mode) and
    sliced per batch.

    Parameters
    ----------
    temperature : float, default=0.1
        Base temperature ``tau`` (paper, UCI-HAR: 0.1).
    positive_temperature : {"views", "instances", "constant"}, default="views"
        Source of the batch positive temperature of Eq. 3 (see
        :class:`sktime_har.nn.losses.NDTXentLoss`; "views" follows the printed
        equation and carries gradient).
    autoencoder : ConvAutoencoder, FrozenEstimator or None, default=None
        The instance-feature model. ``None`` trains
        ``ConvAutoencoder(conv_channels=conv_channels, kernel_size=kernel_size,
        batch_size=batch_size)`` with the paper's settings (50 epochs, Adam 1e-3,
        256 features). An
        unfitted ``ConvAutoencoder`` is cloned, then fitted on ``X`` (pass one
        to choose its budget). A fitted one is used as is and never modified;
        as with any scikit-learn parameter, ``clone`` (hence
        ``cross_validate`` and ``GridSearchCV``) returns it unfitted, so wrap it
        in ``sklearn.frozen.FrozenEstimator`` to keep it fitted across clones.
    %(transformer_encoder_params)s
    %(ssl_params)s
    %(training_params)s

    Attributes
    ----------
    autoencoder_ : ConvAutoencoder or FrozenEstimator
        The fitted, frozen autoencoder that gave the instance features.
    encoder_ : TransformerEncoder
        The trained encoder, in eval mode.
    module_ : EncoderWithHead
        Encoder plus projection head.
    history_ : skorch.History
        Per-epoch training log.
    loss_history_ : ndarray of shape (n_epochs,)
        Mean NDT-Xent per epoch.
    n_channels_, n_timesteps_, n_features_in_ : int
        Fitted window layout (the autoencoder fixes the training length).

    See Also
    --------
    SimCLREncoder : the same objective with one constant temperature.
    ConvAutoencoder : the instance-feature model.

    References
    ----------
    .. [1] %(cite_dynamic_temperature)s.

    Examples
    --------
    >>> from sktime_har.datasets import make_activity_windows
    >>> from sktime_har.ssl import ConvAutoencoder, DynamicTemperatureSSL
    >>> X, y, _ = make_activity_windows(32, n_timesteps=16, random_state=0)
    >>> ssl = DynamicTemperatureSSL(
    ...     autoencoder=ConvAutoencoder(conv_channels=(4, 8), latent_dim=8, max_epochs=1,
    ...                                 batch_size=16),
    ...     conv_channels=(4, 8), n_layers=1, n_heads=1, max_epochs=1, batch_size=16,
    ...     device="cpu", random_state=0).fit(X)
    >>> ssl.transform(X).shape
    (32, 128)
    """

    _parameter_constraints: dict = {
        **BaseSSLEncoder._parameter_constraints,
        "temperature": [positive_reals()],
        "positive_temperature": [StrOptions(set(_POSITIVE_SOURCES))],
        "autoencoder": [ConvAutoencoder, FrozenEstimator, None],
    }

    def __init__(
        self,
        *,
        temperature=0.1,
        positive_temperature="views",
        autoencoder=None,
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

    def _make_loss(self) -> nn.Module:
        from sktime_har.nn.losses import NDTXentLoss

        return NDTXentLoss(
            temperature=float(self.temperature),
            positive_temperature=self.positive_temperature,
        )

    def _fit_autoencoder(self, X: np.ndarray, seed: int, groups=None):
        autoencoder = self.autoencoder
        if autoencoder is None:
            autoencoder = ConvAutoencoder(
                conv_channels=tuple(self.conv_channels),
                kernel_size=self.kernel_size,
                batch_size=self.batch_size,
                device=self.device,
                verbose=self.verbose,
                callbacks=self.callbacks,
                precision=self.precision,
                validation_fraction=self.validation_fraction,
                n_iter_no_change=self.n_iter_no_change,
            )
        inner = autoencoder.estimator if isinstance(autoencoder, FrozenEstimator) else autoencoder
        if not isinstance(inner, ConvAutoencoder):
            raise TypeError(
                "autoencoder must be None, a ConvAutoencoder or a FrozenEstimator wrapping a "
                f"fitted ConvAutoencoder; got {type(autoencoder).__name__}."
            )
        if not _is_fitted(inner):
            if isinstance(autoencoder, FrozenEstimator):
                raise ValueError("autoencoder is a FrozenEstimator around an unfitted model.")
            autoencoder = clone(autoencoder)  # never fit the user's object in place
            if autoencoder.random_state is None:
                autoencoder.set_params(random_state=seed)
            autoencoder.fit(X, groups=groups)
        inner = autoencoder.estimator if isinstance(autoencoder, FrozenEstimator) else autoencoder
        if inner.n_channels_ != X.shape[1] or inner.n_timesteps_ != X.shape[2]:
            raise ValueError(
                f"the fitted autoencoder expects windows of shape (n_samples, "
                f"{inner.n_channels_}, {inner.n_timesteps_}); X has shape {X.shape}."
            )
        return autoencoder

    def _fit_auxiliary(self, X: np.ndarray, seed: int, groups=None) -> None:
        self.autoencoder_ = self._fit_autoencoder(X, seed, groups)

    def _loss_inputs(self, X: np.ndarray) -> dict[str, np.ndarray]:
        # frozen instance features of the original windows (eval mode, no gradient)
        return {"instance_features": self.autoencoder_.transform(X)}
