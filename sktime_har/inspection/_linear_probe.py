"""Linear softmax classifier on frozen features, trained through skorch."""

from __future__ import annotations

import numpy as np
import torch
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.exceptions import NotFittedError
from sklearn.preprocessing import LabelEncoder
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, column_or_1d
from torch import nn

from sktime_har._training import WindowNet
from sktime_har._training._callbacks import check_callbacks
from sktime_har._training._docs import fill_training_params
from sktime_har._training._inference import eval_apply
from sktime_har.utils._params import (
    check_at_least_two_classes,
    check_float,
    check_int,
    check_precision,
    check_validation_fraction,
    check_verbose,
)
from sktime_har.utils._torch import resolve_device, seed_from, seeded
from sktime_har.utils.validation import (
    MAX_ABS_INPUT,
    check_feature_matrix,
    check_labels,
    check_windows,
)


def _is_fitted(estimator) -> bool:
    try:
        check_is_fitted(estimator)
    except NotFittedError:
        return False
    return True


@fill_training_params
class LinearProbe(ClassifierMixin, BaseEstimator):
    """Linear layer with softmax on frozen features (the paper's probing and fine-tuning head).

    A single ``nn.Linear`` trained with cross-entropy and Adam through skorch
    (:class:`~sktime_har._training.WindowNet` with in-memory batching). It
    reads 2D features ``(n_samples, n_features)``; with ``encoder`` it reads
    3D windows and uses ``encoder.transform`` as the frozen feature
    extractor, which makes a fitted SSL encoder plus a probe one classifier
    (and one torch model for :class:`GuidedGradCAM`).

    Parameters
    ----------
    encoder : transformer or None, default=None
        Feature extractor for 3D windows. A fitted encoder (or one wrapped in
        :class:`sklearn.frozen.FrozenEstimator`, which survives ``clone``) is
        used as is and never refitted; an unfitted one is cloned and fitted
        on ``X`` in :meth:`fit` (unsupervised, ``y`` is not passed).
    max_epochs : int, default=10
        Training epochs (paper: 10); 0 keeps the seeded initialisation.
    lr : float, default=1e-4
        Adam learning rate (paper: 1e-4).
    batch_size : int, default=128
        Mini-batch size.
    device : str, default="auto"
        ``"auto"`` (CUDA when available), ``"cpu"`` or ``"cuda"``.
    random_state : int, RandomState instance or None, default=None
        Seed of the weight initialisation and the batch order.
    verbose : int, default=0
        ``> 0`` shows skorch's epoch log and a progress bar.
    %(training_params)s

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
        Class labels (any type).
    encoder_ : transformer or None
        The frozen feature extractor in use.
    history_ : skorch.history.History
        Per-epoch training log (``history_[:, "train_loss"]``).
    module_ : torch.nn.Linear
        The trained linear layer (logits; softmax is applied in
        :meth:`predict_proba`).
    n_features_in_ : int
        Features of the input seen in ``fit``: the columns of ``X`` without
        an encoder, ``n_channels * n_timesteps`` of the windows with one.
    n_probe_features_ : int
        Input width of the linear layer (the encoder's output width with an
        encoder).
    n_channels_, n_timesteps_ : int
        Window layout seen in ``fit`` (only with an encoder); ``predict``
        requires the same.

    See Also
    --------
    subject_probe, activity_type_probe : Probing tasks built on this head.

    References
    ----------
    .. [1] B. Khaertdinov and S. Asteriadis, "Explaining, Analyzing, and
       Probing Representations of Self-Supervised Learning Models for
       Sensor-based Human Activity Recognition", IJCB 2023.

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_har.inspection import LinearProbe
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(60, 4)).astype("float32"); y = np.where(X[:, 0] > 0, "a", "b")
    >>> probe = LinearProbe(max_epochs=20, lr=0.05, device="cpu", random_state=0).fit(X, y)
    >>> probe.predict_proba(X).shape, probe.classes_.tolist()
    ((60, 2), ['a', 'b'])
    >>> bool(probe.score(X, y) > 0.8)
    True
    """

    def __init__(
        self,
        *,
        encoder=None,
        max_epochs=10,
        lr=1e-4,
        batch_size=128,
        device="auto",
        random_state=None,
        verbose=0,
        callbacks=None,
        precision="32",
        validation_fraction=None,
        n_iter_no_change=10,
    ):
        self.encoder = encoder
        self.max_epochs = max_epochs
        self.lr = lr
        self.batch_size = batch_size
        self.device = device
        self.random_state = random_state
        self.verbose = verbose
        self.callbacks = callbacks
        self.precision = precision
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change

    def _input(self, X, encoder, *, fitted: bool) -> np.ndarray:
        """Validate ``X``: features without an encoder, windows with one."""
        if encoder is None:
            return check_feature_matrix(
                X, owner="LinearProbe without an encoder",
                hint=" Pass encoder=<fitted transformer> to probe windows.",
            )
        if not fitted:
            return check_windows(X, owner="LinearProbe", max_abs=MAX_ABS_INPUT)
        return check_windows(
            X, n_channels=self.n_channels_, n_timesteps=self.n_timesteps_,
            owner="LinearProbe", max_abs=MAX_ABS_INPUT,
        )

    def _features(self, X: np.ndarray, encoder) -> np.ndarray:
        if encoder is None:
            return X
        return check_feature_matrix(
            encoder.transform(X), name="the encoder's features", owner="LinearProbe"
        )

    def fit(self, X, y):
        """Train the linear layer on (encoded) ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, n_channels, n_timesteps)
            Features, or windows when ``encoder`` is set.
        y : array-like of shape (n_samples,)
            Labels of any hashable type.

        Returns
        -------
        self : LinearProbe
            The fitted probe.
        """
        check_int(self.max_epochs, "max_epochs", 0)
        check_int(self.batch_size, "batch_size", 1)
        check_float(self.lr, "lr")
        verbose = check_verbose(self.verbose)
        device = resolve_device(self.device)
        if y is None:
            raise ValueError("LinearProbe requires y to be passed, but the target y is None.")
        X = self._input(X, self.encoder, fitted=False)
        y = check_labels(column_or_1d(y, warn=True), len(X))
        if self.encoder is None or _is_fitted(self.encoder):
            self.encoder_ = self.encoder
        else:
            self.encoder_ = clone(self.encoder).fit(X)
        features = self._features(X, self.encoder_)
        check_classification_targets(y)
        encoder = LabelEncoder().fit(y)
        self.classes_ = encoder.classes_
        check_at_least_two_classes(self.classes_, "LinearProbe")
        if self.encoder_ is None:
            self.n_features_in_ = features.shape[1]
        else:  # the sklearn contract counts the user's input, not the encoder's output
            _, self.n_channels_, self.n_timesteps_ = X.shape
            self.n_features_in_ = self.n_channels_ * self.n_timesteps_
        self.n_probe_features_ = features.shape[1]
        targets = torch.as_tensor(encoder.transform(y), dtype=torch.int64, device=device)
        inputs = torch.as_tensor(features, device=device)
        with seeded(seed_from(self.random_state), device):
            net = WindowNet(
                self._make_module(),
                criterion=nn.CrossEntropyLoss,
                optimizer=torch.optim.Adam,
                lr=float(self.lr),
                max_epochs=int(self.max_epochs),
                batch_size=int(self.batch_size),
                device=device,
                verbose=verbose,
                stage="linear probing",
                callbacks=check_callbacks(self.callbacks),
                precision=check_precision(self.precision),
                validation_fraction=check_validation_fraction(self.validation_fraction),
                n_iter_no_change=check_int(self.n_iter_no_change, "n_iter_no_change", 1),
            )
            net.fit(inputs, targets)
        self.module_ = net.module_.eval()
        self.history_ = net.history
        return self

    def _make_module(self) -> nn.Linear:
        return nn.Linear(self.n_probe_features_, len(self.classes_))

    def _build_modules(self) -> None:
        # untrained layer of the fitted size; sktime_har.persistence loads weights into it
        self.module_ = self._make_module().eval()

    def _logits(self, X) -> np.ndarray:
        check_is_fitted(self, "module_")
        X = self._input(X, self.encoder_, fitted=True)
        if self.encoder_ is None and X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has {X.shape[1]} features, but LinearProbe is expecting "
                f"{self.n_features_in_} features as input."
            )
        return eval_apply(self.module_, self._features(X, self.encoder_), batch_size=1024)

    def decision_function(self, X) -> np.ndarray:
        """Logits of the linear layer (scikit-learn's binary convention for 2 classes).

        Parameters
        ----------
        X : array-like
            Features or windows, as in :meth:`fit`.

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
            Features or windows, as in :meth:`fit`.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Columns follow ``classes_``.
        """
        logits = torch.from_numpy(self._logits(X))
        return torch.softmax(logits, dim=1).numpy()

    def predict(self, X) -> np.ndarray:
        """Most probable class.

        Parameters
        ----------
        X : array-like
            Features or windows, as in :meth:`fit`.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Labels from ``classes_`` with the largest logit.
        """
        logits = self._logits(X)
        return self.classes_[np.argmax(logits, axis=1)]
