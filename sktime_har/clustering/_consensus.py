"""A consensus of several seeds' clusterings: co-association of their labels, then Ward.

Deep clustering results move with the seed (weight initialisation, batch
order, k-means starts) by several points of accuracy, and without labels a
user cannot pick the good seed. Fitting the clusterer with several seeds and
clustering the windows by how often the members put them together removes
that lottery without looking at labels.
"""

from __future__ import annotations

import time
from numbers import Integral

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import BaseEstimator, ClusterMixin, clone
from sklearn.metrics import adjusted_rand_score
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods
from sklearn.utils.metaestimators import available_if
from sklearn.utils.validation import _num_samples, check_is_fitted

from sktime_har.clustering._base import ward_centers
from sktime_har.clustering._deep_sensory_clustering import DeepSensoryClustering
from sktime_har.utils._constraints import integers
from sktime_har.utils._docstrings import fill_doc
from sktime_har.utils._params import store_init_params


def membership_features(member_labels: np.ndarray, n_member_clusters: list[int]) -> np.ndarray:
    """One-hot memberships of every window in every member, scaled by ``1 / sqrt(m)``.

    The squared distance between two rows is ``2 * (1 - c)``, with ``c`` the
    fraction of members that put both windows in one cluster (their
    co-association), so Ward on these rows is Ward on the co-association
    distances, without the ``n x n`` matrix.

    Parameters
    ----------
    member_labels : ndarray of shape (n_members, n_samples)
        Cluster labels ``0 .. n_member_clusters[i] - 1`` of each member; a
        label of ``-1`` (a cluster the member did not have) leaves the
        window's row of that member at zero.
    n_member_clusters : list of int
        Number of clusters of each member.

    Returns
    -------
    H : ndarray of shape (n_samples, sum(n_member_clusters))

    Examples
    --------
    >>> import numpy as np
    >>> from sktime_har.clustering._consensus import membership_features
    >>> H = membership_features(np.array([[0, 0, 1], [1, 0, 0]]), [2, 2])
    >>> np.round(((H[0] - H[1]) ** 2).sum(), 3)  # together in one of the two members
    np.float64(1.0)
    """
    n_members, n_samples = member_labels.shape
    blocks = []
    for labels, k in zip(member_labels, n_member_clusters, strict=True):
        block = np.zeros((n_samples, k))
        known = labels >= 0
        block[np.flatnonzero(known), labels[known]] = 1.0
        blocks.append(block)
    return np.hstack(blocks) / np.sqrt(n_members)


def _fit_member(estimator, X, seed) -> tuple:
    member = clone(estimator).set_params(random_state=seed)
    start = time.perf_counter()
    member.fit(X)
    return member, time.perf_counter() - start


def _members_predict(self) -> bool:
    return hasattr(self.estimator if self.estimator is not None else DeepSensoryClustering,
                   "predict")


@fill_doc
class ConsensusClustering(ClusterMixin, BaseEstimator):
    """Cluster windows by the consensus of one clusterer fitted with several seeds.

    Each member is a clone of ``estimator`` fitted on the same windows with
    its own ``random_state``. Two windows are close when many members put
    them in one cluster (their co-association); Ward linkage on that
    similarity gives the consensus clusters, and every window (a training
    window or a new one) goes to the consensus cluster whose membership
    profile is nearest to its own. No labels are used: the seed is neither
    picked nor tuned, so the result does not depend on a lucky seed. The
    pairwise agreement of the members (``agreement_``) tells, again without
    labels, how much the seed moved the clustering.

    The members are fitted one after another unless ``n_jobs`` asks for
    parallel processes; each member costs one fit of ``estimator``.

    Parameters
    ----------
    estimator : clusterer or None, default=None
        The clusterer to fit with several seeds: it needs ``random_state``,
        ``labels_`` after ``fit``, and ``predict`` for this estimator's
        ``predict``. ``None`` means ``DeepSensoryClustering()``.
    n_members : int, default=5
        Number of seeds (members).
    n_clusters : int or None, default=None
        Number of consensus clusters. ``None`` takes ``estimator``'s
        ``n_clusters``.
    ward_max_samples : int or None, default=20000
        Largest number of windows Ward runs on (its memory grows with the
        square); above it Ward runs on a random subsample and every window
        goes to its nearest consensus centre. ``None`` means all.
    random_state : int, RandomState instance or None, default=None
        Seeds of the members: with an int ``r``, member ``i`` is fitted with
        ``random_state=r + i`` (so the members are the fits a user would get
        with those seeds); a ``RandomState`` draws them; ``None`` leaves every
        member unseeded. It also draws Ward's subsample.
    n_jobs : int or None, default=None
        Processes fitting members in parallel (joblib). ``None`` means one.
        Give each process its share of the cores (e.g. ``torch`` threads).

    Attributes
    ----------
    members_ : list of estimator
        The fitted members, in seed order.
    member_seeds_ : list of int or None
        The ``random_state`` each member was fitted with.
    member_labels_ : ndarray of shape (n_members, n_samples)
        Each member's ``labels_`` on the training windows.
    member_fit_seconds_ : list of float
        Wall time of each member's ``fit``.
    labels_ : ndarray of shape (n_samples,)
        Consensus cluster of each training window.
    cluster_centers_ : ndarray of shape (n_clusters, sum of the members' clusters)
        Membership profile of each consensus cluster: for each member, the
        share of the cluster's windows in each of the member's clusters,
        scaled by ``1 / sqrt(n_members)``.
    agreement_ : ndarray of shape (n_members, n_members)
        Adjusted Rand index between the members' training labels (1 on the
        diagonal): a label-free measure of how much the seed matters.
    n_clusters_ : int
        Number of consensus clusters.
    n_features_in_ : int
        Features seen in ``fit`` (the members' count).

    See Also
    --------
    DeepSensoryClustering : The default member.

    References
    ----------
    .. [1] A. Fred and A. K. Jain, "Combining multiple clusterings using
       evidence accumulation", IEEE TPAMI 27(6), 2005.
    .. [2] %(cite_dsc)s.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.cluster import KMeans
    >>> from sktime_har.clustering import ConsensusClustering
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(c, 0.3, size=(20, 2)) for c in (0, 3, 6)])
    >>> consensus = ConsensusClustering(KMeans(3, n_init=1), n_members=3, random_state=0)
    >>> labels = consensus.fit_predict(X)
    >>> len(set(labels)), consensus.agreement_.shape
    (3, (3, 3))
    >>> bool((consensus.predict(X) == labels).all())
    True
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "get_params", "set_params"]), None],
        "n_members": [integers(1)],
        "n_clusters": [integers(1), None],
        "ward_max_samples": [integers(1), None],
        "random_state": ["random_state"],
        "n_jobs": [Integral, None],
    }

    def __init__(self, estimator=None, n_members: int = 5, n_clusters: int | None = None,
                 ward_max_samples: int | None = 20000, random_state=None,
                 n_jobs: int | None = None):
        store_init_params(self, locals())

    def _estimator(self):
        return DeepSensoryClustering() if self.estimator is None else self.estimator

    def _consensus_size(self, estimator) -> int:
        if self.n_clusters is not None:
            return self.n_clusters
        n_clusters = estimator.get_params().get("n_clusters")
        if not isinstance(n_clusters, Integral):
            raise ValueError(
                f"ConsensusClustering needs n_clusters: {type(estimator).__name__} has no "
                "integer n_clusters parameter to take it from."
            )
        return int(n_clusters)

    def _member_seeds(self) -> list:
        if self.random_state is None:
            return [None] * self.n_members
        if isinstance(self.random_state, Integral):
            return [int(self.random_state) + i for i in range(self.n_members)]
        rng = check_random_state(self.random_state)
        return [int(s) for s in rng.randint(0, 2**31 - 1, size=self.n_members)]

    def fit(self, X, y=None):
        """Fit every member, then cluster their co-association.

        Parameters
        ----------
        X : array-like
            Training windows, in the form ``estimator`` takes (for the deep
            clusterers, ``(n_samples, n_channels, n_timesteps)``).
        y : None
            Ignored; present for API consistency.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        self._validate_params()
        estimator = self._estimator()
        if "random_state" not in estimator.get_params():
            raise ValueError(
                f"ConsensusClustering varies the members' random_state, but "
                f"{type(estimator).__name__} has no random_state parameter."
            )
        n_clusters = self._consensus_size(estimator)
        n_samples = _num_samples(X)
        if n_samples < max(2, n_clusters):  # before any member's (possibly long) fit
            raise ValueError(
                f"ConsensusClustering needs at least max(2, n_clusters={n_clusters}) windows; "
                f"got n_samples = {n_samples}."
            )
        seeds = self._member_seeds()
        fitted = Parallel(n_jobs=self.n_jobs)(
            delayed(_fit_member)(estimator, X, seed) for seed in seeds
        )
        members = [member for member, _ in fitted]
        member_labels = np.stack([np.asarray(m.labels_) for m in members])
        # a member's labels need not be 0..k-1 (a clusterer may leave clusters empty)
        codes = [np.unique(labels, return_inverse=True) for labels in member_labels]
        self._member_codes = [values for values, _ in codes]
        self._member_sizes = [len(values) for values in self._member_codes]
        H = membership_features(np.stack([inverse for _, inverse in codes]), self._member_sizes)
        centers, _ = ward_centers(H, n_clusters, self.ward_max_samples,
                                  check_random_state(self.random_state))

        self.members_ = members
        self.member_seeds_ = seeds
        self.member_labels_ = member_labels
        self.member_fit_seconds_ = [round(seconds, 3) for _, seconds in fitted]
        self.cluster_centers_ = centers
        self.n_clusters_ = n_clusters
        # every window goes to its nearest profile, so labels_ equals predict(X)
        self.labels_ = self._nearest_center(H)
        self.agreement_ = np.array([[adjusted_rand_score(a, b) for b in member_labels]
                                    for a in member_labels])
        if hasattr(members[0], "n_features_in_"):
            self.n_features_in_ = members[0].n_features_in_
        return self

    def _nearest_center(self, H: np.ndarray) -> np.ndarray:
        C = self.cluster_centers_
        # expanded square: no (n_samples, n_clusters, n_features) array
        sq_dist = (H**2).sum(axis=1)[:, None] - 2 * H @ C.T + (C**2).sum(axis=1)[None, :]
        return sq_dist.argmin(axis=1)

    @available_if(_members_predict)
    def predict(self, X) -> np.ndarray:
        """Consensus cluster of (new) windows, from every member's ``predict``.

        A label a member never gave in ``fit`` counts as no membership.

        Parameters
        ----------
        X : array-like
            Windows, in the form ``estimator`` takes.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
        """
        check_is_fitted(self, "members_")
        coded = []
        for member, values in zip(self.members_, self._member_codes, strict=True):
            labels = np.asarray(member.predict(X))
            position = np.searchsorted(values, labels).clip(0, len(values) - 1)
            # a label unseen in fit is coded -1: no membership in that member
            coded.append(np.where(values[position] == labels, position, -1))
        return self._nearest_center(membership_features(np.stack(coded), self._member_sizes))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = self._estimator().__sklearn_tags__()
        tags.input_tags = inner.input_tags
        tags.non_deterministic = self.random_state is None or inner.non_deterministic
        return tags
