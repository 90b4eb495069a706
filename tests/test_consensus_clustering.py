"""ConsensusClustering: co-association of several seeds' clusterings, then Ward."""

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score
from sklearn.utils import check_random_state

from sktime_har.clustering import ConsensusClustering, DeepSensoryClustering
from sktime_har.clustering._consensus import membership_features
from sktime_har.datasets import make_activity_windows


class NoisyOracle(ClusterMixin, BaseEstimator):
    """Knows the true clusters of ``X[:, 0]`` but relabels a share of windows at random per seed."""

    def __init__(self, n_clusters=3, noise=0.35, random_state=None):
        self.n_clusters = n_clusters
        self.noise = noise
        self.random_state = random_state

    def _noisy(self, truth):
        rng = check_random_state(self.random_state)
        labels = truth.copy()
        flip = rng.random_sample(len(labels)) < self.noise
        labels[flip] = rng.randint(0, self.n_clusters, size=flip.sum())
        return labels

    def fit(self, X, y=None):
        self.labels_ = self._noisy(np.asarray(X)[:, 0].astype(int))
        return self

    def predict(self, X):
        return self._noisy(np.asarray(X)[:, 0].astype(int))


def _truth(n=300, k=3, seed=0):
    truth = np.random.default_rng(seed).integers(0, k, size=n)
    return truth, np.c_[truth, np.zeros(n)].astype(float)


def test_membership_distance_is_twice_one_minus_the_co_association():
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 4, size=(5, 40))
    H = membership_features(labels, [4] * 5)
    sq_dist = ((H[:, None, :] - H[None, :, :]) ** 2).sum(axis=2)
    co_association = (labels[:, :, None] == labels[:, None, :]).mean(axis=0)
    np.testing.assert_allclose(sq_dist, 2 * (1 - co_association), atol=1e-12)


def test_the_consensus_of_noisy_members_beats_every_member():
    truth, X = _truth()
    consensus = ConsensusClustering(NoisyOracle(), n_members=7, random_state=0).fit(X)
    member_ari = [adjusted_rand_score(truth, labels) for labels in consensus.member_labels_]
    assert adjusted_rand_score(truth, consensus.labels_) > max(member_ari) + 0.2
    # the members disagree, and agreement_ says so without labels
    off_diagonal = consensus.agreement_[~np.eye(7, dtype=bool)]
    assert off_diagonal.max() < 0.8
    np.testing.assert_allclose(np.diag(consensus.agreement_), 1.0)


def test_identical_members_give_back_their_partition():
    X = np.vstack([np.random.default_rng(k).normal(4 * k, 0.5, size=(30, 2)) for k in range(3)])
    member = KMeans(3, n_init=10, random_state=0).fit(X)
    # well-separated blobs: every seed finds the same clusters
    consensus = ConsensusClustering(KMeans(3, n_init=10), n_members=3, random_state=0).fit(X)
    assert adjusted_rand_score(member.labels_, consensus.labels_) == 1.0


def test_members_are_the_fits_with_consecutive_seeds():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    consensus = ConsensusClustering(KMeans(4, n_init=1), n_members=3, random_state=5).fit(X)
    assert consensus.member_seeds_ == [5, 6, 7]
    for seed, labels in zip([5, 6, 7], consensus.member_labels_, strict=True):
        np.testing.assert_array_equal(KMeans(4, n_init=1, random_state=seed).fit(X).labels_,
                                      labels)
    assert len(consensus.member_fit_seconds_) == 3
    assert consensus.cluster_centers_.shape == (4, 12)


def test_labels_equal_predict_on_the_training_windows_and_new_windows_get_a_cluster():
    truth, X = _truth()
    consensus = ConsensusClustering(KMeans(3, n_init=1), n_members=4, random_state=0).fit(X)
    np.testing.assert_array_equal(consensus.predict(X), consensus.labels_)
    _, X_new = _truth(50, seed=1)
    assert set(consensus.predict(X_new)) <= set(range(3))


def test_a_label_a_member_never_gave_in_fit_counts_as_no_membership():
    truth, X = _truth()
    consensus = ConsensusClustering(NoisyOracle(noise=0.0), n_members=2, random_state=0).fit(X)
    X_new = X[:5].copy()
    X_new[:, 0] = 7  # the oracle answers cluster 7, which no member had in fit
    assert consensus.predict(X_new).shape == (5,)


def test_same_random_state_gives_the_same_deep_consensus():
    X, _, _ = make_activity_windows(48, n_channels=3, n_timesteps=16, random_state=0)
    member = DeepSensoryClustering(n_clusters=3, hidden_size=4, num_layers=1, embedding_dim=3,
                                   pretrain_epochs=2, max_refine_epochs=1, batch_size=16,
                                   device="cpu")
    first = ConsensusClustering(member, n_members=2, random_state=0).fit(X)
    second = ConsensusClustering(member, n_members=2, random_state=0).fit(X)
    np.testing.assert_array_equal(first.labels_, second.labels_)
    np.testing.assert_array_equal(first.predict(X), first.labels_)
    assert first.n_features_in_ == 3 * 16


def test_parallel_members_equal_serial_members():
    X = np.random.default_rng(0).normal(size=(80, 2))
    serial = ConsensusClustering(KMeans(3, n_init=1), n_members=3, random_state=0).fit(X)
    parallel = ConsensusClustering(KMeans(3, n_init=1), n_members=3, random_state=0,
                                   n_jobs=2).fit(X)
    np.testing.assert_array_equal(serial.labels_, parallel.labels_)


class _NoSeed(ClusterMixin, BaseEstimator):
    def __init__(self, n_clusters=2):
        self.n_clusters = n_clusters

    def fit(self, X, y=None):
        self.labels_ = np.zeros(len(X), dtype=int)
        return self


class _NoClusterCount(ClusterMixin, BaseEstimator):
    def __init__(self, random_state=None):
        self.random_state = random_state

    def fit(self, X, y=None):
        self.labels_ = np.zeros(len(X), dtype=int)
        return self


def test_clear_errors():
    X = np.random.default_rng(0).normal(size=(10, 2))
    with pytest.raises(ValueError, match="_NoSeed has no random_state parameter"):
        ConsensusClustering(_NoSeed()).fit(X)
    with pytest.raises(ValueError, match="_NoClusterCount has no integer n_clusters"):
        ConsensusClustering(_NoClusterCount()).fit(X)
    ConsensusClustering(_NoClusterCount(), n_clusters=1, n_members=2).fit(X)  # given: fine
    with pytest.raises(ValueError, match="max.2, n_clusters=3. windows; got n_samples = 2"):
        ConsensusClustering(KMeans(3)).fit(X[:2])
    with pytest.raises(ValueError, match="The 'n_members' parameter of ConsensusClustering"):
        ConsensusClustering(KMeans(3), n_members=0).fit(X)


def test_predict_exists_only_when_the_members_predict():
    assert hasattr(ConsensusClustering(KMeans(3)), "predict")
    assert not hasattr(ConsensusClustering(_NoSeed()), "predict")
