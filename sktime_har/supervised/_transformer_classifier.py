"""The paper's supervised baseline: transformer encoder + MLP head trained end to end."""

from __future__ import annotations

import warnings

import numpy as np
import torch
from scipy.special import softmax
from sklearn.base import ClassifierMixin
from sklearn.exceptions import DataConversionWarning
from sklearn.preprocessing import LabelEncoder
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted

from sktime_har._training import WindowNet
from sktime_har._training._docs import fill_param_docs
from sktime_har._training._engine import TorchEstimatorMixin
from sktime_har._training._inference import require_finite
from sktime_har._training._optim import resolve_optimizer
from sktime_har.base import BaseWindowEstimator
from sktime_har.nn.classification_head import ClassificationHead
from sktime_har.nn.encoder_with_head import EncoderWithHead
from sktime_har.nn.transformer_encoder import TransformerEncoder
from sktime_har.utils._constraints import (
    AUGMENTATION,
    OPTIMIZER,
    SEQUENCE,
    TRANSFORMER_ENCODER,
    reals,
)
from sktime_har.utils._params import (
    check_at_least_two_classes,
    check_channel_groups,
    check_kernel_size,
    make_augmenter,
    store_init_params,
)
from sktime_har.utils.validation import check_labels, warn_if_batch_exceeds_data


@fill_param_docs
class TransformerClassifier(ClassifierMixin, TorchEstimatorMixin, BaseWindowEstimator):
    """Transformer encoder and classification head trained end to end with labels.

    The "supervised transformer" (ST) of [1]_: the same encoder as
    :class:`~sktime_har.ssl.SimCLREncoder` / :class:`~sktime_har.ssl.DynamicTemperatureSSL`
    with the paper's prediction MLP (256 and 128 hidden units, dropout 0.2)
    on top, trained with cross-entropy.

    Parameters
    ----------
    %(transformer_encoder_params)s
    head_hidden_features : tuple of int, default=(256, 128)
        Hidden widths of the classification head; ``()`` for a linear head.
    head_dropout : float, default=0.2
        Dropout of the head.
    augmentations : tuple of str, default=()
        Augmentations of :class:`sktime_har.augment.Augmenter` applied to
        every training batch (never at prediction time); ``()`` trains on
        the windows as they are, as the paper's supervised transformer does.
        ``("scaling",)`` or ``("jitter", "scaling")`` are mild choices for
        z-scored windows.
    augmentation_p : float, default=0.5
        Probability of each augmentation except jitter (always applied).
    channel_groups : dict or None, default=None
        Channel triads for the rotation augmentation, e.g.
        ``{"acc": [0, 1, 2], "gyro": [3, 4, 5]}``.
    optimizer : {"lars", "adam"}, default="lars"
        LARS over Adam (paper) or Adam.
    lr : float, default=1e-4
        Learning rate.
    batch_size : int, default=128
        Windows per batch.
    max_epochs : int, default=200
        Training epochs (the paper trains ST like the SSL encoders).
    device : str, default="auto"
        Torch device.
    random_state : int, RandomState or None, default=None
        Seed of initialisation, batching, dropout and augmentation.
    verbose : int, default=0
        Progress output when > 0.
    %(training_params)s

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    module_ : EncoderWithHead
        Maps ``(B, C, T)`` to logits; ``module_.encoder.conv_blocks`` holds
        the conv blocks (Grad-CAM's default layer is the last ``Conv1d``).
    encoder_ : TransformerEncoder
        ``module_.encoder``.
    history_ : skorch.History
        Per-epoch training log.
    loss_history_ : ndarray of shape (n_epochs,)
        Mean training cross-entropy per epoch.
    n_channels_, n_timesteps_, n_features_in_ : int
        Fitted window layout.

    See Also
    --------
    SimCLREncoder, DynamicTemperatureSSL : the same encoder trained without labels.

    References
    ----------
    .. [1] %(cite_dynamic_temperature)s.

    Examples
    --------
    >>> from sktime_har.datasets import make_activity_windows
    >>> from sktime_har.supervised import TransformerClassifier
    >>> X, y, _ = make_activity_windows(32, n_timesteps=16, random_state=0)
    >>> clf = TransformerClassifier(conv_channels=(4, 8), n_layers=1, n_heads=1, batch_size=16,
    ...                             max_epochs=1, device="cpu", random_state=0).fit(X, y)
    >>> clf.predict_proba(X).shape
    (32, 6)
    """

    _parameter_constraints: dict = {
        **TorchEstimatorMixin._parameter_constraints,
        **TRANSFORMER_ENCODER,
        "head_hidden_features": SEQUENCE,
        "head_dropout": [reals(0, 1, closed="left")],
        **AUGMENTATION,
        "optimizer": OPTIMIZER,
    }

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
        head_hidden_features=(256, 128),
        head_dropout=0.2,
        augmentations=(),
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

    @property
    def _fixed_length(self) -> bool:  # flattened features depend on the window length
        return self.pooling == "flatten"

    def _min_timesteps(self) -> int:
        # one-sample "windows" have no temporal structure; a 2D (n, 1) input is far more
        # likely a mis-shaped feature column than n windows of length one
        return 2

    def fit(self, X, y, groups=None):
        """Train encoder and head on labelled windows.

        Parameters
        ----------
        %(fit_windows_param)s
        y : array-like of shape (n_samples,)
            Activity labels.
        %(fit_groups_param)s

        Returns
        -------
        self : object
            The fitted classifier.
        """
        self._validate_params()
        if y is None:
            raise ValueError(
                "TransformerClassifier requires y to be passed, but the target y is None."
            )
        X = self._check_fit_windows(X)
        y = np.asarray(y)
        if y.ndim == 2 and y.shape[1] == 1:
            warnings.warn("A column-vector y was passed when a 1d array was expected; "
                          "it is ravelled.", DataConversionWarning, stacklevel=2)
        y = check_labels(y, len(X))
        check_classification_targets(y)
        warn_if_batch_exceeds_data(int(self.batch_size), len(X), type(self).__name__)
        check_kernel_size(self.kernel_size, X.shape[2])
        check_channel_groups(self.channel_groups, X.shape[1])
        augmenter = make_augmenter(self) if len(self.augmentations) else None
        optimizer = resolve_optimizer(self.optimizer)
        self._set_window_attributes(X)
        encoder_labels = LabelEncoder().fit(y)
        check_at_least_two_classes(encoder_labels.classes_, type(self).__name__)
        self.classes_ = encoder_labels.classes_
        y_index = encoder_labels.transform(y).astype(np.int64)
        device = self._training_device()
        with self._seeded_training(device):
            net = self._train_net(WindowNet, self._make_module(), X, y_index, device=device,
                                  stage="TransformerClassifier training", optimizer=optimizer,
                                  lr=self.lr, max_epochs=self.max_epochs,
                                  criterion=torch.nn.CrossEntropyLoss(), groups=groups,
                                  augmenter=None if augmenter is None else augmenter.to(device))
        self.module_ = net.module_.eval()
        self.encoder_ = self.module_.encoder
        self._keep_training_record(net)
        return self

    def _make_module(self) -> EncoderWithHead:
        encoder = TransformerEncoder(
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
        head = ClassificationHead(
            encoder.out_features,
            len(self.classes_),
            hidden_features=tuple(self.head_hidden_features),
            dropout=self.head_dropout,
        )
        return EncoderWithHead(encoder, head)

    def _build_modules(self) -> None:
        # untrained network of the fitted layout; sktime_har.persistence loads weights into it
        self.module_ = self._make_module().eval()
        self.encoder_ = self.module_.encoder

    def _logits(self, X):
        check_is_fitted(self, "module_")
        X = self._validate_windows(X)
        return self._apply_module(X)

    def decision_function(self, X):
        """Class scores, as scikit-learn classifiers return them.

        Parameters
        ----------
        %(fitted_windows_param)s

        Returns
        -------
        scores : ndarray of shape (n_samples, n_classes), or (n_samples,) for two classes
            Unnormalised class logits, columns ordered as ``classes_``. With two
            classes, the logit of ``classes_[1]`` minus that of ``classes_[0]``
            (positive means ``classes_[1]``), the scikit-learn convention.
        """
        logits = self._logits(X)
        if logits.shape[1] == 2:
            return logits[:, 1] - logits[:, 0]
        return logits

    def predict_proba(self, X):
        """Class probabilities (softmax of the logits).

        Parameters
        ----------
        %(fitted_windows_param)s

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns ordered as ``classes_``.
        """
        return softmax(self._logits(X).astype(np.float64), axis=1)

    def predict(self, X):
        """Most probable activity per window.

        Parameters
        ----------
        %(fitted_windows_param)s

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted labels (values of ``classes_``).
        """
        check_is_fitted(self, "module_")
        X = self._validate_windows(X)
        # argmax per batch: no (n_samples, n_classes) array of logits is held
        index = self._apply_module(
            X, fn=lambda x: require_finite(self.module_(x), x).argmax(dim=1))
        return self.classes_[index]
