"""Linear softmax classifier on frozen features: the MLP head without hidden layers."""

from __future__ import annotations

import numpy as np
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils._param_validation import HasMethods
from sklearn.utils.validation import check_is_fitted, column_or_1d

from sktime_har._training._docs import fill_param_docs
from sktime_har._training._engine import TorchEstimatorMixin
from sktime_har.evaluation import MLPHeadClassifier
from sktime_har.utils._params import store_init_params
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


@fill_param_docs
class LinearProbe(MLPHeadClassifier):
    """Linear layer with softmax on frozen features (the paper's probing and fine-tuning head).

    :class:`~sktime_har.evaluation.MLPHeadClassifier` without hidden layers
    (one linear layer trained with cross-entropy and Adam) and without its
    floor on optimiser steps, plus an encoder option. It
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
    loss_history_ : ndarray of shape (n_epochs,)
        Training loss per epoch.
    module_ : ClassificationHead
        The trained linear layer (logits; softmax is applied in
        :meth:`predict_proba`).
    n_features_in_ : int
        Features of the input seen in ``fit``: the columns of ``X`` without
        an encoder, ``n_channels * n_timesteps`` of the windows with one.
    n_head_features_ : int
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
    .. [1] %(cite_inspection)s.

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
        store_init_params(self, locals())

    _parameter_constraints: dict = {
        **TorchEstimatorMixin._parameter_constraints,
        "encoder": [HasMethods(["fit", "transform"]), None],
    }

    # MLPHeadClassifier's hooks: one linear layer, no step floor, windows through an encoder
    _stage = "linear probing"

    def _head_layout(self) -> tuple[tuple[int, ...], float]:
        return (), 0.0

    def _min_optimizer_steps(self) -> int:
        return 0

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

    def _encode(self, X: np.ndarray, encoder) -> np.ndarray:
        if encoder is None:
            return X
        return check_feature_matrix(
            encoder.transform(X), name="the encoder's features", owner="LinearProbe"
        )

    def _fit_features(self, X, y) -> tuple[np.ndarray, np.ndarray]:
        if y is None:
            raise ValueError("LinearProbe requires y to be passed, but the target y is None.")
        X = self._input(X, self.encoder, fitted=False)
        y = check_labels(column_or_1d(y, warn=True), len(X))
        if self.encoder is None or _is_fitted(self.encoder):
            self.encoder_ = self.encoder
        else:
            self.encoder_ = clone(self.encoder).fit(X)
        features = self._encode(X, self.encoder_)
        if self.encoder_ is None:
            self.n_features_in_ = features.shape[1]
        else:  # the sklearn contract counts the user's input, not the encoder's output
            _, self.n_channels_, self.n_timesteps_ = X.shape
            self.n_features_in_ = self.n_channels_ * self.n_timesteps_
        self.n_head_features_ = features.shape[1]
        return features, y

    def _features(self, X) -> np.ndarray:
        X = self._input(X, self.encoder_, fitted=True)
        if self.encoder_ is None and X.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has {X.shape[1]} features, but LinearProbe is expecting "
                f"{self.n_features_in_} features as input."
            )
        return self._encode(X, self.encoder_)

    def fit(self, X, y, groups=None):
        """Train the linear layer on (encoded) ``X``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features) or (n_samples, n_channels, n_timesteps)
            Features, or windows when ``encoder`` is set.
        y : array-like of shape (n_samples,)
            Labels of any hashable type.
        %(fit_groups_param)s

        Returns
        -------
        self : LinearProbe
            The fitted probe.
        """
        return super().fit(X, y, groups)
