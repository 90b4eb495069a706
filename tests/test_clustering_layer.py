"""Clustering layer, target distribution and the losses of deep clustering."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sktime_har.nn.clustering_layer import (
    ClusteringLayer,
    student_t_assignment,
    target_distribution,
)
from sktime_har.nn.losses.cluster_hardening import cluster_hardening_loss
from sktime_har.nn.losses.reconstruction import multitask_reconstruction_loss

finite = st.floats(-50, 50, allow_nan=False, allow_infinity=False, width=32)


@settings(max_examples=40, deadline=None)
@given(
    z=arrays(np.float32, st.tuples(st.integers(1, 12), st.just(3)), elements=finite),
    centroids=arrays(np.float32, st.tuples(st.integers(1, 5), st.just(3)), elements=finite),
)
def test_student_t_rows_are_distributions_matching_the_formula(z, centroids):
    q = student_t_assignment(torch.from_numpy(z), torch.from_numpy(centroids)).double().numpy()
    assert q.shape == (len(z), len(centroids))
    assert np.all(q >= 0)
    np.testing.assert_allclose(q.sum(axis=1), 1.0, rtol=1e-5)
    # Eq. 3 with alpha=1, computed directly in float64
    sq = ((z[:, None, :].astype(np.float64) - centroids[None].astype(np.float64)) ** 2).sum(-1)
    kernel = 1.0 / (1.0 + sq)
    np.testing.assert_allclose(q, kernel / kernel.sum(axis=1, keepdims=True), rtol=1e-3,
                               atol=1e-6)


def test_student_t_prefers_the_nearest_centroid():
    centroids = torch.tensor([[0.0, 0.0], [3.0, 0.0], [0.0, 5.0]])
    z = torch.tensor([[0.2, 0.1], [2.9, 0.3], [0.1, 4.0]])
    q = student_t_assignment(z, centroids)
    assert q.argmax(dim=1).tolist() == [0, 1, 2]


def _balanced(q_rows: np.ndarray) -> np.ndarray:
    # all cyclic shifts of every row: every cluster gets the same soft frequency
    k = q_rows.shape[1]
    return np.concatenate([np.roll(q_rows, s, axis=1) for s in range(k)])


@settings(max_examples=40, deadline=None)
@given(logits=arrays(np.float64, st.tuples(st.integers(1, 8), st.integers(2, 6)),
                     elements=st.floats(-4, 4)))
def test_target_distribution_rows_sum_to_one_and_are_sharper(logits):
    q = torch.softmax(torch.from_numpy(_balanced(logits)), dim=1)
    p = target_distribution(q)
    np.testing.assert_allclose(p.sum(dim=1).numpy(), 1.0, rtol=1e-10)
    assert torch.all(p >= 0)
    # sharper: the top probability grows and the entropy shrinks, row by row
    assert torch.all(p.max(dim=1).values >= q.max(dim=1).values - 1e-12)

    def entropy(d):
        return -(torch.xlogy(d, d)).sum(dim=1)

    assert torch.all(entropy(p) <= entropy(q) + 1e-10)
    # the most probable cluster stays a most probable cluster (ties allowed)
    rows = torch.arange(len(q))
    assert torch.allclose(q[rows, p.argmax(dim=1)], q.max(dim=1).values)


def test_target_distribution_divides_by_cluster_frequency():
    # row 0 is undecided; the big cluster 0 is down-weighted, so p favours cluster 1
    q = torch.tensor([[0.5, 0.5], [0.9, 0.1], [0.9, 0.1], [0.9, 0.1]])
    p = target_distribution(q)
    assert p[0, 1] > p[0, 0]


def test_target_distribution_rejects_bad_shape():
    with pytest.raises(ValueError, match="n_samples, n_clusters"):
        target_distribution(torch.ones(3))


def test_clustering_layer_loads_centroids_and_validates():
    layer = ClusteringLayer(3, 2)
    centers = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, -1.0]], dtype=np.float32)
    layer.set_centroids(centers)
    np.testing.assert_array_equal(layer.centroids.detach().numpy(), centers)
    assert layer.centroids.requires_grad
    with pytest.raises(ValueError, match=r"shape \(3, 2\)"):
        layer.set_centroids(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="NaN"):
        layer.set_centroids(np.full((3, 2), np.nan))
    q = layer(torch.tensor([[2.0, -1.0]]))
    assert q.argmax().item() == 2


def test_cluster_hardening_loss_is_kl_divergence():
    q = torch.tensor([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]], requires_grad=True)
    p = target_distribution(q.detach())
    loss = cluster_hardening_loss(q, p)
    expected = (p * (p / q.detach()).log()).sum(dim=1).mean()
    assert loss.item() == pytest.approx(expected.item(), rel=1e-6)
    assert loss.item() > 0
    loss.backward()
    assert q.grad is not None and torch.isfinite(q.grad).all()
    assert cluster_hardening_loss(p, p).item() == pytest.approx(0.0, abs=1e-7)
    with pytest.raises(ValueError, match="same shape"):
        cluster_hardening_loss(q, p[:1])


def test_cluster_hardening_loss_handles_zero_target_entries():
    q = torch.tensor([[0.5, 0.5]])
    p = torch.tensor([[1.0, 0.0]])
    assert torch.isfinite(cluster_hardening_loss(q, p))


def test_multitask_reconstruction_loss_sums_the_task_mses():
    a, b = torch.zeros(2, 3, 4), torch.ones(2, 3, 2)
    loss = multitask_reconstruction_loss([a + 1, b * 3], [a, b])
    assert loss.item() == pytest.approx(1.0 + 4.0)
    with pytest.raises(ValueError, match="shape"):
        multitask_reconstruction_loss([a], [b])
    with pytest.raises(ValueError, match="one target per prediction"):
        multitask_reconstruction_loss([a, b], [a])
