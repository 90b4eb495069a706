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
from sktime_har._training._callbacks import check_callbacks
from sktime_har._training._docs import fill_training_params
from sktime_har._training._inference import eval_apply
from sktime_har.nn.classification_head import ClassificationHead
from sktime_har.utils._params import (
    check_at_least_two_classes,
    check_float,
    check_int,
    check_precision,
    check_validation_fraction,
    check_verbose,
)
from sktime_har.utils._torch import resolve_device, seed_from, seeded
from sktime_har.utils.validation import MAX_ABS_INPUT, check_magnitude


@fill_training_params
class MLPHeadClassifier(ClassifierMixin, BaseEstimator):
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

    See Also
    --------
    linear_evaluation : frozen-encoder evaluation with this head or a linear one.

    References
    ----------
    .. [1] Khaertdinov, Asteriadis, Ghaleb, "Dynamic Temperature Scaling in
       Contrastive Self-Supervised Learning for Sensor-Based Human Activity
       Recognition", IEEE T-BIOM 2022.

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
        self.hidden_features = hidden_features
        self.dropout = dropout
        self.lr = lr
        self.max_epochs = max_epochs
        self.min_steps = min_steps
        self.batch_size = batch_size
        self.device = device
        self.random_state = random_state
        self.verbose = verbose
        self.callbacks = callbacks
        self.precision = precision
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change

    def fit(self, X, y):
        """Train the head.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Features.
        y : array-like of shape (n_samples,)
            Labels.

        Returns
        -------
        self : object
            The fitted head.
        """
        X, y = validate_data(self, X, y, dtype=np.float32)
        check_magnitude(float(np.abs(X).max()), MAX_ABS_INPUT, owner="MLPHeadClassifier")
        check_classification_targets(y)
        check_float(self.lr, "lr")
        max_epochs = check_int(self.max_epochs, "max_epochs", 0)
        min_steps = check_int(self.min_steps, "min_steps", 0)
        batch_size = check_int(self.batch_size, "batch_size", 1)
        verbose = check_verbose(self.verbose)
        labels = LabelEncoder().fit(y)
        check_at_least_two_classes(labels.classes_, type(self).__name__)
        self.classes_ = labels.classes_
        batches_per_epoch = -(-len(X) // batch_size)
        epochs = max(max_epochs, -(-min_steps // batches_per_epoch))
        device = resolve_device(self.device)
        with seeded(seed_from(self.random_state), device):
            net = WindowNet(
                self._make_module(),
                torch.nn.CrossEntropyLoss(),
                optimizer=torch.optim.Adam,
                lr=self.lr,
                batch_size=batch_size,
                max_epochs=epochs,
                device=device,
                verbose=verbose,
                stage="MLP head training",
                callbacks=check_callbacks(self.callbacks),
                precision=check_precision(self.precision),
                validation_fraction=check_validation_fraction(self.validation_fraction),
                n_iter_no_change=check_int(self.n_iter_no_change, "n_iter_no_change", 1),
            )
            X_t = torch.from_numpy(np.ascontiguousarray(X)).to(device)
            net.fit(X_t, torch.from_numpy(labels.transform(y).astype(np.int64)).to(device))
        self.module_ = net.module_.eval()
        return self

    def _make_module(self) -> ClassificationHead:
        return ClassificationHead(
            self.n_features_in_,
            len(self.classes_),
            hidden_features=tuple(self.hidden_features),
            dropout=self.dropout,
        )

    def _build_modules(self) -> None:
        # untrained network of the fitted layout; sktime_har.persistence loads weights into it
        self.module_ = self._make_module().eval()

    def predict_proba(self, X):
        """Class probabilities.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Features.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns ordered as ``classes_``.
        """
        check_is_fitted(self, "module_")
        X = validate_data(self, X, dtype=np.float32, reset=False)
        check_magnitude(float(np.abs(X).max()), MAX_ABS_INPUT, owner="MLPHeadClassifier")
        logits = eval_apply(self.module_, np.ascontiguousarray(X), batch_size=1024)
        return softmax(logits.astype(np.float64), axis=1)

    def predict(self, X):
        """Most probable class.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Features.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted labels.
        """
        proba = self.predict_proba(X)  # checks fitted first
        return self.classes_[np.argmax(proba, axis=1)]
