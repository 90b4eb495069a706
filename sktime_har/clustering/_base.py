"""Shared two-stage recipe of deep clustering estimators (DSC, DEC, IDEC).

Stage I pretrains an autoencoder by its reconstruction tasks; the centroids
of a clustering layer are then initialised once from the embeddings (k-means
or Ward); stage II refines encoder and centroids with Cluster Assignment
Hardening until the hard assignments stop changing. Subclasses only choose
the autoencoder and whether stage II keeps its reconstruction loss.
"""

from __future__ import annotations

import warnings

import numpy as np
import torch
from sklearn.base import ClassNamePrefixFeaturesOutMixin, ClusterMixin, TransformerMixin
from sklearn.cluster import AgglomerativeClustering, KMeans
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.validation import check_is_fitted
from skorch.callbacks import LRScheduler
from torch.optim.lr_scheduler import MultiStepLR

from sktime_har._training._autoencoder_net import AutoencoderNet
from sktime_har._training._clustering_callbacks import StopOnStableAssignments
from sktime_har._training._clustering_net import ClusteringNet
from sktime_har._training._engine import TorchEstimatorMixin, to_training_device
from sktime_har._training._inference import require_finite
from sktime_har.base import BaseWindowEstimator
from sktime_har.exceptions import TrainingDivergedError
from sktime_har.nn.deep_clustering_model import DeepClusteringModel
from sktime_har.utils._constraints import integers, positive_reals, reals
from sktime_har.utils._docstrings import fill_doc
from sktime_har.utils.validation import check_windows, warn_if_batch_exceeds_data

_LR_DECAY_FACTOR = 0.1  # "decayed by a factor of 10" (DSC, Section 4)


def ward_centers(Z: np.ndarray, n_clusters: int, max_samples: int | None,
                 random_state) -> tuple[np.ndarray, np.ndarray]:
    """Ward clustering of embeddings; centres are the cluster means.

    Ward linkage needs the condensed distance matrix, ``n * (n - 1) / 2``
    doubles (about 220 MB for 7.4 k windows, 10 GB for 50 k). Above
    ``max_samples`` windows, Ward runs on a random subsample of that size and
    every window is assigned to its nearest centre.

    Parameters
    ----------
    Z : ndarray of shape (n_samples, embedding_dim)
    n_clusters : int
    max_samples : int or None
        Largest number of windows Ward runs on; ``None`` means all.
    random_state : int, RandomState instance or None
        Draws the subsample.

    Returns
    -------
    centers : ndarray of shape (n_clusters, embedding_dim)
    labels : ndarray of shape (n_samples,)

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_har.clustering._base import ward_centers
    >>> Z = np.array([[0.0], [0.1], [5.0], [5.1]])
    >>> centers, labels = ward_centers(Z, 2, None, 0)
    >>> sorted(np.round(centers.ravel(), 2).tolist())
    [0.05, 5.05]
    """
    n = len(Z)
    if max_samples is not None and n > max_samples:
        idx = np.sort(check_random_state(random_state).choice(n, max_samples, replace=False))
        sub_labels = AgglomerativeClustering(n_clusters, linkage="ward").fit_predict(Z[idx])
        centers = np.stack([Z[idx][sub_labels == k].mean(axis=0) for k in range(n_clusters)])
        sq_dist = ((Z[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2)
        return centers, sq_dist.argmin(axis=1)
    labels = AgglomerativeClustering(n_clusters, linkage="ward").fit_predict(Z)
    centers = np.stack([Z[labels == k].mean(axis=0) for k in range(n_clusters)])
    return centers, labels


def _layout(autoencoder: torch.nn.Module) -> dict:
    """What makes two autoencoders interchangeable: parameter shapes and the window split."""
    shapes = {name: tuple(t.shape) for name, t in autoencoder.state_dict().items()}
    sizes = {name: getattr(autoencoder, name, None)
             for name in ("n_channels", "n_timesteps", "n_input")}
    return {"shapes": shapes, "sizes": sizes}


class BaseDeepClustering(ClassNamePrefixFeaturesOutMixin, ClusterMixin, TransformerMixin,
                         TorchEstimatorMixin,
                         BaseWindowEstimator):
    """Two-stage deep clustering; subclasses define the autoencoder.

    Subclasses implement ``_make_autoencoder(n_channels, n_timesteps)`` and
    ``_embedding_dim()``, and set ``_reconstruction_in_refinement`` and, if the
    clustering loss weight is not a hyperparameter, ``_default_gamma``.
    """

    _fixed_length = True
    _reconstruction_in_refinement = True
    _default_gamma = 1.0
    _parameter_constraints: dict = {
        **TorchEstimatorMixin._parameter_constraints,
        "n_clusters": [integers(1)],
        "embedding_dim": [integers(1)],
        "lr_decay_epoch": [integers(1), None],
        "refine_lr": [positive_reals(), None],
        "pretrain_epochs": [integers(0)],
        "gamma": [reals(0)],
        "tol": [reals(0, 1, closed="both")],
        "max_refine_epochs": [integers(1)],
        "init": [StrOptions({"ward", "kmeans"})],
        "n_init": [integers(1)],
        "ward_max_samples": [integers(1), None],
        "refine": ["boolean"],
        "warm_start": ["boolean"],
    }

    # ---------------------------------------------------------------- hooks
    def _make_autoencoder(self, n_channels: int, n_timesteps: int) -> torch.nn.Module:
        raise NotImplementedError

    def _embedding_dim(self) -> int:
        raise NotImplementedError

    def _check_model_params(self) -> None:
        """Validate the autoencoder hyperparameters (subclasses)."""

    def _build_modules(self) -> None:
        # untrained network of the fitted layout; sktime_har.persistence loads weights into it
        autoencoder = self._make_autoencoder(self.n_channels_, self.n_timesteps_)
        self.module_ = DeepClusteringModel(autoencoder, self.n_clusters).eval()

    def _gamma(self) -> float:
        return float(getattr(self, "gamma", self._default_gamma))

    # ----------------------------------------------------------- validation
    def _check_params(self, n_samples: int) -> None:
        # the rules that need the windows; the others are in _parameter_constraints
        k = int(self.n_clusters)
        if n_samples < k:
            raise ValueError(
                f"n_clusters={k} needs at least {k} windows to cluster; got {n_samples}."
            )
        if self.init == "ward" and n_samples < 2:  # caught here, not after pretraining
            raise ValueError(f"init='ward' needs at least 2 windows; got n_samples={n_samples}.")
        if self.ward_max_samples is not None and self.ward_max_samples < k:
            raise ValueError(f"ward_max_samples={self.ward_max_samples} must be at least "
                             f"n_clusters={k}: Ward needs a window per cluster.")
        warn_if_batch_exceeds_data(int(self.batch_size), n_samples, type(self).__name__)
        self._check_model_params()

    def _can_warm_start(self) -> bool:
        # call after _set_window_attributes: the network must match these windows
        # and the current hyperparameters, else stage I runs afresh
        if not (self.warm_start and hasattr(self, "module_")):
            return False
        if (self.module_.clustering.n_clusters == self.n_clusters
                and _layout(self.module_.autoencoder) == self._requested_layout()):
            return True
        warnings.warn(
            f"warm_start=True, but the fitted network of {type(self).__name__} does not "
            "match these windows or the current n_clusters / network hyperparameters; "
            "pretraining a new network from scratch.", UserWarning, stacklevel=3)
        return False

    def _requested_layout(self) -> dict:
        # built on the meta device: no memory, no draw from the user's torch RNG
        with torch.device("meta"):
            return _layout(self._make_autoencoder(self.n_channels_, self.n_timesteps_))

    def _refine_learning_rate(self) -> float:
        if self.refine_lr is not None:
            return float(self.refine_lr)
        decayed = self.lr_decay_epoch is not None and self.lr_decay_epoch < self.pretrain_epochs
        return float(self.lr) * (_LR_DECAY_FACTOR if decayed else 1.0)

    # ---------------------------------------------------------------- stages
    def _pretrain(self, autoencoder: torch.nn.Module, X_t,
                  device: torch.device, groups=None) -> list[float]:
        if self.pretrain_epochs == 0:
            return []
        callbacks = []
        if self.lr_decay_epoch is not None and self.lr_decay_epoch < self.pretrain_epochs:
            callbacks.append(("lr_decay", LRScheduler(
                policy=MultiStepLR, milestones=[int(self.lr_decay_epoch)],
                gamma=_LR_DECAY_FACTOR)))
        if self.verbose:
            print(f"[{type(self).__name__}] stage I: pretraining the autoencoder "
                  f"({self.pretrain_epochs} epochs)")
        net = self._train_net(AutoencoderNet, autoencoder, X_t, device=device,
                              stage="pretraining", lr=self.lr,
                              max_epochs=self.pretrain_epochs, callbacks=callbacks,
                              groups=groups)
        return [float(v) for v in net.history[:, "train_loss"]]

    def _initial_clustering(self, Z: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
        if self.verbose:
            print(f"[{type(self).__name__}] initialising {self.n_clusters} centroids "
                  f"by {self.init}")
        if self.init == "ward":
            return ward_centers(Z, self.n_clusters, self.ward_max_samples, seed)
        km = KMeans(self.n_clusters, n_init=self.n_init, random_state=seed).fit(Z)
        return km.cluster_centers_.astype(np.float32), km.labels_

    def _refine(self, model: DeepClusteringModel, X_t,
                device: torch.device, groups=None) -> tuple[list[float], int, bool]:
        if self.verbose:
            print(f"[{type(self).__name__}] stage II: refinement "
                  f"(until < {self.tol:g} of assignments change, at most "
                  f"{self.max_refine_epochs} epochs)")
        inputs = {"windows": X_t, "window_index": torch.arange(len(X_t), device=device)}
        net = self._train_net(
            ClusteringNet, model, inputs, device=device, stage="refinement",
            lr=self._refine_learning_rate(), max_epochs=self.max_refine_epochs,
            callbacks=[("stable_assignments", StopOnStableAssignments(self.tol))],
            gamma=self._gamma(), reconstruction=self._reconstruction_in_refinement,
            inference_batch_size=self._inference_batch_size(device), groups=groups,
        )
        losses = [float(v) for v in net.history[:, "train_loss"]]
        # an epoch that early stopping on the validation loss ended records no change
        converged = bool(net.history[-1].get("changed_fraction", 1.0) < self.tol)
        return losses, len(net.history), converged

    def _hard_assignments(self, X: np.ndarray, module: DeepClusteringModel) -> np.ndarray:
        # argmax per batch: no (n_samples, n_clusters) array of Q is held
        return self._apply_module(
            X, lambda x: require_finite(module.soft_assign(x), x).argmax(dim=1), module=module
        )

    # ------------------------------------------------------------ public API
    @fill_doc
    def fit(self, X, y=None, groups=None):
        """Pretrain the autoencoder, initialise the centroids and refine.

        Parameters
        ----------
        %(fit_windows_param)s
        y : None
            Ignored; present for API consistency.
        %(fit_groups_param)s

        Returns
        -------
        self : object
            The fitted estimator.
        """
        self._validate_params()
        X = self._check_fit_windows(X)
        self._check_params(len(X))
        self._set_window_attributes(X)
        device = self._training_device()
        rng = check_random_state(self.random_state)
        torch_seed, cluster_seed = (int(s) for s in rng.randint(0, 2**31 - 1, size=2))
        warm = self._can_warm_start()

        with self._seeded_training(device, seed=torch_seed):
            X_t = to_training_device(X, device)  # a memmap stays in its file
            if warm:
                model = self.module_.to(device)
            else:
                autoencoder = self._make_autoencoder(self.n_channels_, self.n_timesteps_)
                self.pretrain_loss_history_ = self._pretrain(autoencoder.to(device), X_t, device,
                                                             groups)
                model = DeepClusteringModel(autoencoder, self.n_clusters).to(device)
            Z = self._apply_module(X, fn=model.autoencoder.encode, module=model,
                                   check_finite=False)  # raised below, as divergence
            if not np.isfinite(Z).all():
                # finite batch losses can still end in non-finite weights (the last step)
                raise TrainingDivergedError(
                    f"pretraining diverged: the embeddings of {int((~np.isfinite(Z)).any(1).sum())}"
                    f" of {len(Z)} windows are non-finite. Lower lr, or standardise the channels "
                    "(sktime_har.preprocessing.ChannelStandardScaler)."
                )
            centers, init_labels = self._initial_clustering(Z, cluster_seed)
            # the step a public re-implementation skipped: the layer must hold these
            model.clustering.set_centroids(centers)
            if self.refine:
                losses, n_iter, converged = self._refine(model, X_t, device, groups)
                labels = self._hard_assignments(X, model)  # of the weights training kept
            else:
                labels, losses, n_iter, converged = np.asarray(init_labels), [], 0, False

        self.module_ = model.eval()
        self.initial_labels_ = np.asarray(init_labels)
        self.labels_ = labels
        self.refine_loss_history_ = losses
        self.n_iter_ = n_iter
        self.converged_ = converged
        self.cluster_centers_ = model.clustering.centroids.detach().cpu().numpy().copy()
        self._n_features_out = self._embedding_dim()
        return self

    def _validate_windows(self, X) -> np.ndarray:
        # the network is built for the fitted window length: check it first, in
        # scikit-learn's wording for a feature-count mismatch
        check_is_fitted(self, "n_channels_")
        X = check_windows(X, n_channels=self.n_channels_, owner=type(self).__name__,
                          max_abs=self._max_abs_input)
        if X.shape[2] != self.n_timesteps_:
            raise ValueError(
                f"X has {X.shape[1] * X.shape[2]} features, but {type(self).__name__} is "
                f"expecting {self.n_features_in_} features as input: windows must have "
                f"{self.n_timesteps_} timesteps, the length seen in fit; expected shape "
                f"(n_samples, {self.n_channels_}, {self.n_timesteps_}), got {X.shape}."
            )
        return X

    def transform(self, X) -> np.ndarray:
        """Embed windows with the fitted encoder.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_channels, n_timesteps)

        Returns
        -------
        Z : ndarray of shape (n_samples, embedding_dim)
        """
        X = self._validate_windows(X)
        return self._apply_module(X, self.module_.autoencoder.encode)

    def predict_proba(self, X) -> np.ndarray:
        """Soft cluster assignments ``Q`` (Student's t kernel to the centroids).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_channels, n_timesteps)

        Returns
        -------
        Q : ndarray of shape (n_samples, n_clusters)
            Rows sum to one.
        """
        X = self._validate_windows(X)
        return self._apply_module(X, self.module_.soft_assign)

    def predict(self, X) -> np.ndarray:
        """Hard cluster assignment of (new) windows: the most probable cluster.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_channels, n_timesteps)

        Returns
        -------
        labels : ndarray of shape (n_samples,)
        """
        return self._hard_assignments(self._validate_windows(X), self.module_)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = self.random_state is None
        return tags
