"""The paper's prediction MLP as a classifier on frozen features."""

from __future__ import annotations

import numpy as np
import torch
from scipy.special import softmax
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.preprocessing import LabelEncoder
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from sktime_har._training import WindowNet
from sktime_har._training._docs import fill_param_docs
from sktime_har._training._engine import TorchEstimatorMixin
from sktime_har.nn.classification_head import ClassificationHead
from sktime_har.utils._constraints import SEQUENCE, integers, reals
from sktime_har.utils._params import (
    check_at_least_two_classes,
    store_init_params,
)
from sktime_har.utils.validation import MAX_ABS_INPUT, check_magnitude


@fill_param_docs
class MLPHeadClassifier(ClassifierMixin, TorchEstimatorMixin, BaseEstimator):
    """MLP (256-128, ReLU, dropout 0.2) trained with Adam and cross-entropy on features.

    The fine-tuning head of [1]_ (Section IV-B4), for features of a frozen
    encoder. Unlike the paper it trains for a fixed number of epochs without
    the validation-driven learning-rate decay, and it takes at least
    ``min_steps`` optimiser steps so that tiny labelled sets (k windows per
    class) are trained too.

    Parameters
    ----------
    hidden_features : tuple of int, default=(256, 128)
        Hidden widths; ``()`` gives a linear softmax classifier.
    dropout : float, default=0.2
        Dropout after each hidden layer.
    lr : float, default=1e-4
        Adam learning rate (paper: 1e-4).
    max_epochs : int, default=50
        Epochs (paper: 50).
    min_steps : int, default=500
        Fewest optimiser steps; more epochs are run when the data is small.
    batch_size : int, default=128
        Samples per batch.
    device : str, default="auto"
        Torch device.
    random_state : int, RandomState or None, default=None
        Seed of initialisation, batching and dropout.
    verbose : int, default=0
        ``> 0`` shows skorch's epoch log and a progress bar.
    %(training_params)s

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    module_ : ClassificationHead
        The trained head, in eval mode.
    n_features_in_ : int
    n_head_features_ : int
        Input width of the head.
    history_ : skorch.history.History
        Per-epoch training log.
    loss_history_ : ndarray of shape (n_epochs,)
        Training loss per epoch.

    See Also
    --------
    linear_evaluation : frozen-encoder evaluation with this head or a linear one.
    sktime_har.inspection.LinearProbe : this head without hidden layers, on an encoder.

    References
    ----------
    .. [1] %(cite_dynamic_temperature)s.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_har.evaluation import MLPHeadClassifier
    >>> X = np.r_[np.zeros((10, 4)), np.ones((10, 4))]; y = np.r_[[0] * 10, [1] * 10]
    >>> MLPHeadClassifier(lr=1e-2, min_steps=50, device="cpu", random_state=0).fit(X, y).score(X, y)
    1.0
    """

    def __init__(
        self,
        *,
        hidden_features=(256, 128),
        dropout=0.2,
        lr=1e-4,
        max_epochs=50,
        min_steps=500,
        batch_size=128,
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
        "hidden_features": SEQUENCE,
        "dropout": [reals(0, 1, closed="left")],
        "min_steps": [integers(0)],
    }

    # ---------------------------------------------------------------- hooks
    # LinearProbe overrides these: no hidden layers, no step floor, and an encoder
    _stage = "MLP head training"

    def _head_layout(self) -> tuple[tuple[int, ...], float]:
        """Hidden widths and dropout of the head."""
        return tuple(self.hidden_features), self.dropout

    def _min_optimizer_steps(self) -> int:
        return int(self.min_steps)

    def _fit_features(self, X, y) -> tuple[np.ndarray, np.ndarray]:
        """Validated training features and labels; sets ``n_features_in_``."""
        X, y = validate_data(self, X, y, dtype=np.float32)
        check_magnitude(float(np.abs(X).max()), MAX_ABS_INPUT, owner=type(self).__name__)
        self.n_head_features_ = X.shape[1]
        return np.ascontiguousarray(X), y

    def _features(self, X) -> np.ndarray:
        """Validated features of fitted-layout input for the head."""
        X = validate_data(self, X, dtype=np.float32, reset=False)
        check_magnitude(float(np.abs(X).max()), MAX_ABS_INPUT, owner=type(self).__name__)
        return np.ascontiguousarray(X)

    # ---------------------------------------------------------------- public
    def fit(self, X, y, groups=None):
        """Train the head.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Features.
        y : array-like of shape (n_samples,)
            Labels.
        %(fit_groups_param)s

        Returns
        -------
        self : object
            The fitted head.
        """
        self._validate_params()
        features, y = self._fit_features(X, y)
        check_classification_targets(y)
        max_epochs, min_steps = int(self.max_epochs), self._min_optimizer_steps()
        batch_size = int(self.batch_size)
        labels = LabelEncoder().fit(y)
        check_at_least_two_classes(labels.classes_, type(self).__name__)
        self.classes_ = labels.classes_
        batches_per_epoch = -(-len(features) // batch_size)
        epochs = max(max_epochs, -(-min_steps // batches_per_epoch))
        device = self._training_device()
        with self._seeded_training(device):
            net = self._train_net(WindowNet, self._make_module(), features,
                                  labels.transform(y).astype(np.int64), device=device,
                                  stage=self._stage, lr=self.lr, batch_size=batch_size,
                                  max_epochs=epochs, criterion=torch.nn.CrossEntropyLoss(),
                                  groups=groups)
        self._keep_training_record(net)
        self.module_ = net.module_.eval()
        return self

    def _make_module(self) -> ClassificationHead:
        hidden_features, dropout = self._head_layout()
        return ClassificationHead(self.n_head_features_, len(self.classes_),
                                  hidden_features=hidden_features, dropout=dropout)

    def _build_modules(self) -> None:
        # untrained network of the fitted layout; sktime_har.persistence loads weights into it
        self.module_ = self._make_module().eval()

    def _logits(self, X) -> np.ndarray:
        check_is_fitted(self, "module_")
        return self._apply_module(self._features(X))

    def decision_function(self, X) -> np.ndarray:
        """Logits of the head (scikit-learn's binary convention for 2 classes).

        Parameters
        ----------
        X : array-like
            Input as in :meth:`fit`.

        Returns
        -------
        scores : ndarray of shape (n_samples, n_classes) or (n_samples,)
            The logits; with two classes the logit difference (positive
            favours ``classes_[1]``), as scikit-learn expects.
        """
        logits = self._logits(X)
        return logits[:, 1] - logits[:, 0] if logits.shape[1] == 2 else logits

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities (softmax of the logits).

        Parameters
        ----------
        X : array-like
            Input as in :meth:`fit`.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns ordered as ``classes_``.
        """
        return softmax(self._logits(X).astype(np.float64), axis=1)

    def predict(self, X) -> np.ndarray:
        """Most probable class.

        Parameters
        ----------
        X : array-like
            Input as in :meth:`fit`.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Labels from ``classes_`` with the largest logit.
        """
        logits = self._logits(X)  # checks fitted first
        return self.classes_[np.argmax(logits, axis=1)]
