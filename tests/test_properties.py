"""Property-based tests (hypothesis) for losses, augmentations and metrics.

Each test states a property that must hold for every input hypothesis draws:
bounds, invariances, reductions to a simpler case, identities. Properties that
other test files already check with hypothesis (NT-Xent batch permutation,
rotation norms, permutation multisets, time-shift rolls, Student's t and
target distribution rows, clustering accuracy relabelling, channel-importance
rows, random channel masks) are not repeated here. Examples are kept few so
the file runs in seconds.
"""

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from scipy.special import rel_entr

from sktime_har.augment import Augmenter, jitter, permute, random_rotation_matrices, scale
from sktime_har.evaluation import mean_confidence_interval
from sktime_har.inspection import (
    ChannelOcclusion,
    attribution_entropy,
    channel_importance,
    mean_ci95,
)
from sktime_har.metrics import clustering_accuracy
from sktime_har.nn.losses import (
    NDTXentLoss,
    NTXentLoss,
    VICRegLoss,
    cluster_hardening_loss,
    multitask_reconstruction_loss,
)

FEW = settings(max_examples=15, deadline=None)
seeds = st.integers(0, 2**31 - 1)
batch_sizes = st.integers(2, 8)
widths = st.integers(1, 6)
temperatures = st.floats(0.05, 2.0)


def _randn(seed, *shape):
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)


def _gen(seed):
    return torch.Generator().manual_seed(seed)


# ------------------------------------------------------------------ NT-Xent


@FEW
@given(b=batch_sizes, d=widths, tau=temperatures, seed=seeds,
       similarity=st.sampled_from(["cosine", "angular"]))
def test_nt_xent_lies_between_its_log_bounds(b, d, tau, seed, similarity):
    # l_i = log(1 + sum_{k != i, j} exp((s_ik - s_ij) / tau)) with 2B - 2 negatives and
    # similarities in [-1, 1] (cosine) or [0, 1] (angular): the spread bounds each anchor
    z1, z2 = _randn(seed, b, d), _randn(seed + 1, b, d)
    loss = float(NTXentLoss(tau, similarity=similarity)(z1, z2))
    spread = 2.0 if similarity == "cosine" else 1.0
    n_neg = 2 * b - 2
    low = math.log1p(n_neg * math.exp(-spread / tau))
    high = math.log1p(n_neg * math.exp(spread / tau))
    # cross_entropy rounds tiny losses to 0 in float64: compare with a margin
    assert low - 1e-12 <= loss <= high * (1 + 1e-9)


@FEW
@given(b=batch_sizes, d=widths, tau=temperatures, seed=seeds,
       similarity=st.sampled_from(["cosine", "angular"]))
def test_nt_xent_ignores_the_length_of_each_projection(b, d, tau, seed, similarity):
    z1, z2 = _randn(seed, b, d), _randn(seed + 1, b, d)
    a1, a2 = _randn(seed + 2, b, 1).abs() + 0.1, _randn(seed + 3, b, 1).abs() + 0.1
    loss = NTXentLoss(tau, similarity=similarity)
    assert float(loss(a1 * z1, a2 * z2)) == pytest.approx(float(loss(z1, z2)), rel=1e-7)


# ------------------------------------------------------------------ NDT-Xent


@FEW
@given(b=batch_sizes, d=widths, f=widths, tau=temperatures, seed=seeds)
def test_ndt_xent_with_constant_temperatures_is_angular_nt_xent(b, d, f, tau, seed):
    # instance features that are positive multiples of one vector: every instance
    # similarity is 1, so every negative temperature is tau; tau_pos = tau ("constant")
    z1, z2 = _randn(seed, b, d), _randn(seed + 1, b, d)
    h = (_randn(seed + 2, b, 1).abs() + 0.1) * _randn(seed + 3, 1, f)
    ndt = NDTXentLoss(tau, positive_temperature="constant")(z1, z2, h)
    nt = NTXentLoss(tau, similarity="angular")(z1, z2)
    assert float(ndt) == pytest.approx(float(nt), rel=1e-6)


@FEW
@given(b=batch_sizes, d=widths, f=widths, tau=temperatures, seed=seeds,
       source=st.sampled_from(["views", "instances", "constant"]),
       floor=st.floats(1e-3, 0.5))
def test_ndt_xent_temperatures_stay_between_the_floor_and_tau(b, d, f, tau, seed, source, floor):
    z1, z2, h = _randn(seed, b, d), _randn(seed + 1, b, d), _randn(seed + 2, b, f)
    loss = NDTXentLoss(tau, similarity_floor=floor, positive_temperature=source)
    tau_pos, tau_neg = loss.temperatures(z1, z2, h)
    low, high = tau * math.sqrt(floor) * (1 - 1e-6), tau * (1 + 1e-6)
    assert tau_neg.shape == (2 * b, 2 * b)
    assert bool(((tau_neg >= low) & (tau_neg <= high)).all())
    assert low <= float(tau_pos) <= high
    torch.testing.assert_close(tau_neg, tau_neg.T)  # pair (i, k) is pair (k, i)
    assert float(loss(z1, z2, h)) >= 0


# ------------------------------------------------------------------ VICReg


@FEW
@given(b=batch_sizes, d=widths, seed=seeds, convention=st.sampled_from(["reference", "paper"]))
def test_vicreg_invariance_is_zero_for_identical_views_and_terms_nonnegative(
    b, d, seed, convention
):
    z = _randn(seed, b, d)
    terms = VICRegLoss(convention=convention).terms(z, z.clone())
    assert float(terms["invariance"]) == 0.0
    other = VICRegLoss(convention=convention).terms(z, _randn(seed + 1, b, d))
    assert float(other["invariance"]) > 0
    for name in ("invariance", "variance", "covariance", "loss"):
        assert float(other[name]) >= 0.0


@FEW
@given(b=batch_sizes, d=widths, seed=seeds, shift=st.floats(-10, 10))
def test_vicreg_is_symmetric_and_translation_invariant(b, d, seed, shift):
    z1, z2 = _randn(seed, b, d), _randn(seed + 1, b, d)
    offset = shift * _randn(seed + 2, 1, d)  # the same offset for both views
    loss = VICRegLoss()
    reference = float(loss(z1, z2))
    assert float(loss(z2, z1)) == pytest.approx(reference, rel=1e-12)
    assert float(loss(z1 + offset, z2 + offset)) == pytest.approx(reference, rel=1e-6, abs=1e-9)


# ------------------------------------------------------------------ DSC losses

_logits = arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(2, 5)),
                 elements=st.floats(-5, 5))


@FEW
@given(q_logits=_logits, data=st.data())
def test_cluster_hardening_is_a_nonnegative_kl_divergence(q_logits, data):
    p_logits = data.draw(arrays(np.float64, q_logits.shape, elements=st.floats(-5, 5)))
    q = torch.softmax(torch.from_numpy(q_logits), dim=1)
    p = torch.softmax(torch.from_numpy(p_logits), dim=1)
    kl = float(cluster_hardening_loss(q, p))
    assert kl >= -1e-12
    expected = rel_entr(p.numpy(), q.numpy()).sum(axis=1).mean()
    assert kl == pytest.approx(expected, rel=1e-9, abs=1e-12)
    assert abs(float(cluster_hardening_loss(q, q.clone()))) < 1e-12


@FEW
@given(shapes=st.lists(st.tuples(st.integers(1, 4), st.integers(1, 5)), min_size=1, max_size=3),
       seed=seeds)
def test_multitask_reconstruction_is_the_sum_of_task_mses(shapes, seed):
    preds = [_randn(seed + i, *s) for i, s in enumerate(shapes)]
    targets = [_randn(seed + 100 + i, *s) for i, s in enumerate(shapes)]
    total = float(multitask_reconstruction_loss(preds, targets))
    singles = [float(multitask_reconstruction_loss([p], [t])) for p, t in zip(preds, targets,
                                                                                strict=True)]
    assert total == pytest.approx(sum(singles), rel=1e-12)
    assert all(v >= 0 for v in singles)
    reversed_total = float(multitask_reconstruction_loss(preds[::-1], targets[::-1]))
    assert reversed_total == pytest.approx(total, rel=1e-12)
    assert float(multitask_reconstruction_loss(preds, [p.clone() for p in preds])) == 0.0


# ------------------------------------------------------------------ augmentations

_batch_shapes = st.tuples(st.integers(1, 5), st.integers(1, 7), st.integers(2, 16))
_dtypes = st.sampled_from([torch.float32, torch.float64])


@FEW
@given(shape=_batch_shapes, dtype=_dtypes, sigma=st.floats(0.0, 2.0), seed=seeds)
def test_jitter_adds_signal_independent_noise(shape, dtype, sigma, seed):
    x = _randn(seed, *shape).to(dtype)
    y = 3.0 * _randn(seed + 1, *shape).to(dtype)
    out_x = jitter(x, sigma, generator=_gen(seed + 2))
    out_y = jitter(y, sigma, generator=_gen(seed + 2))
    assert out_x.shape == x.shape and out_x.dtype == dtype
    # the same draw gives the same noise whatever the signal
    torch.testing.assert_close(out_x - x, out_y - y)
    assert torch.equal(jitter(x, 0.0, generator=_gen(seed)), x)


@FEW
@given(shape=_batch_shapes, dtype=_dtypes, sigma=st.floats(0.0, 2.0), seed=seeds,
       gain=st.floats(-3, 3))
def test_scale_is_one_gain_per_window_channel_and_linear(shape, dtype, sigma, seed, gain):
    x = (_randn(seed, *shape).abs() + 0.5).to(dtype)  # no zeros: ratios are defined
    out = scale(x, sigma, generator=_gen(seed + 1))
    assert out.shape == x.shape and out.dtype == dtype
    ratio = out / x
    torch.testing.assert_close(ratio, ratio[:, :, :1].expand_as(ratio))  # constant in time
    torch.testing.assert_close(scale(gain * x, sigma, generator=_gen(seed + 1)), gain * out)
    assert torch.equal(scale(x, 0.0, generator=_gen(seed)), x)


@FEW
@given(n=st.integers(1, 16), seed=seeds)
def test_random_rotation_matrices_are_proper_rotations(n, seed):
    R = random_rotation_matrices(n, dtype=torch.float64, generator=_gen(seed))
    eye = torch.eye(3, dtype=torch.float64).expand(n, 3, 3)
    torch.testing.assert_close(R @ R.transpose(1, 2), eye)
    torch.testing.assert_close(torch.linalg.det(R), torch.ones(n, dtype=torch.float64))


_NAMES = ["jitter", "scaling", "rotation", "permutation", "time_shift"]
_GROUPS = {"acc": [0, 1, 2], "gyro": [3, 4, 5]}


@FEW
@given(names=st.lists(st.sampled_from(_NAMES), min_size=1, max_size=5, unique=True),
       p=st.floats(0.0, 1.0), b=st.integers(1, 5), t=st.integers(2, 12), dtype=_dtypes,
       seed=seeds)
def test_augmenter_keeps_shape_dtype_and_input(names, p, b, t, dtype, seed):
    x = _randn(seed, b, 6, t).to(dtype)
    before = x.clone()
    out = Augmenter(names, p=p, channel_groups=_GROUPS)(x, generator=_gen(seed + 1))
    assert out.shape == x.shape and out.dtype == dtype
    assert torch.equal(x, before)
    # with probability 0 and nothing forced, the composition is the identity
    identity = Augmenter(names, p=0.0, channel_groups=_GROUPS, always=())
    assert torch.equal(identity(x, generator=_gen(seed)), x)


@FEW
@given(b=st.integers(1, 5), t=st.integers(2, 12), p=st.floats(0.0, 1.0), seed=seeds)
def test_augmenter_of_time_reorderings_keeps_each_channels_values(b, t, p, seed):
    x = _randn(seed, b, 6, t)
    out = Augmenter(("permutation", "time_shift"), p=p, always=())(x, generator=_gen(seed + 1))
    assert torch.equal(out.sort(dim=2).values, x.sort(dim=2).values)
    # the functional form with a fixed generator gives one fixed reordering
    torch.testing.assert_close(permute(x, generator=_gen(seed)), permute(x, generator=_gen(seed)))


# ------------------------------------------------------------------ metrics

_labels = st.lists(st.integers(0, 4), min_size=1, max_size=30)


@settings(max_examples=30, deadline=None)
@given(true=_labels, data=st.data())
def test_clustering_accuracy_bounds_and_symmetry(true, data):
    pred = data.draw(st.lists(st.integers(0, 5), min_size=len(true), max_size=len(true)))
    y_true, y_pred = np.array(true), np.array(pred)
    acc = clustering_accuracy(y_true, y_pred)
    n = len(y_true)
    # at least the best single (class, cluster) cell, at most everything
    best_cell = max(np.sum((y_true == a) & (y_pred == c)) for a in set(true) for c in set(pred))
    assert best_cell / n - 1e-12 <= acc <= 1.0
    assert clustering_accuracy(y_pred, y_true) == pytest.approx(acc)
    # one cluster: the majority class fraction
    majority = np.bincount(y_true).max() / n
    assert clustering_accuracy(y_true, np.zeros(n)) == pytest.approx(majority)
    # a relabelled copy of the truth is a perfect clustering
    assert clustering_accuracy(y_true, (y_true * 7 + 3).astype(str)) == 1.0


_attributions = arrays(np.float64, st.tuples(st.integers(1, 10), st.integers(1, 6),
                                             st.integers(1, 5)),
                       # subnormals would underflow to an all-zero window when rescaled
                       elements=st.floats(-10, 10, allow_subnormal=False))


def _labels_for(n, seed):
    rng = np.random.default_rng(seed)
    y_true = rng.integers(0, 3, n)
    y_pred = np.where(rng.random(n) < 0.8, y_true, (y_true + 1) % 3)
    return y_true, y_pred


@FEW
@given(attr=_attributions, seed=st.integers(0, 1000), data=st.data())
def test_channel_importance_ignores_window_scale_sign_and_order(attr, seed, data):
    n = len(attr)
    y_true, y_pred = _labels_for(n, seed)
    factors = np.array(data.draw(st.lists(
        st.floats(0.1, 10) | st.floats(-10, -0.1), min_size=n, max_size=n)))
    order = np.array(data.draw(st.permutations(range(n))))
    imp, labels = channel_importance(attr, y_true, y_pred)
    scaled, labels2 = channel_importance(attr * factors[:, None, None], y_true, y_pred)
    shuffled, labels3 = channel_importance(attr[order], y_true[order], y_pred[order])
    np.testing.assert_array_equal(labels, labels2)
    np.testing.assert_array_equal(labels, labels3)
    np.testing.assert_allclose(scaled, imp, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(shuffled, imp, rtol=1e-9, atol=1e-12)
    # relabelling the channels permutes the importance columns the same way
    channels = np.array(data.draw(st.permutations(range(attr.shape[1]))))
    permuted, _ = channel_importance(attr[:, channels], y_true, y_pred)
    np.testing.assert_allclose(permuted, imp[:, channels], rtol=1e-9, atol=1e-12)


@FEW
@given(attr=_attributions, seed=st.integers(0, 1000), scale_by=st.floats(0.01, 100))
def test_attribution_entropy_between_zero_and_log_channels(attr, seed, scale_by):
    y_true, y_pred = _labels_for(len(attr), seed)
    n_channels = attr.shape[1]
    bits, labels = attribution_entropy(attr, y_true, y_pred)
    nats, _ = attribution_entropy(attr, y_true, y_pred, base=np.e)
    defined = ~np.isnan(bits)
    assert np.array_equal(defined, ~np.isnan(nats))
    assert (bits[defined] >= -1e-12).all()
    assert (bits[defined] <= math.log2(n_channels) + 1e-9).all()
    np.testing.assert_allclose(nats[defined], bits[defined] * math.log(2), rtol=1e-9, atol=1e-12)
    scaled, _ = attribution_entropy(scale_by * attr, y_true, y_pred)
    np.testing.assert_allclose(scaled, bits, rtol=1e-9, atol=1e-12)


@FEW
@given(values=st.lists(st.floats(-1e3, 1e3), min_size=2, max_size=12),
       shift=st.floats(-1e3, 1e3), factor=st.floats(-10, 10))
def test_confidence_intervals_are_location_scale_equivariant(values, shift, factor):
    v = np.array(values)
    mean, half = mean_confidence_interval(v)
    assert half >= 0 and v.min() - 1e-9 <= mean <= v.max() + 1e-9
    tol = 1e-9 * (1 + np.abs(v).max() + abs(shift))
    m2, h2 = mean_confidence_interval(v + shift)
    assert m2 == pytest.approx(mean + shift, abs=tol) and h2 == pytest.approx(half, abs=tol)
    m3, h3 = mean_confidence_interval(factor * v)
    assert m3 == pytest.approx(factor * mean, abs=tol * 10)
    assert h3 == pytest.approx(abs(factor) * half, abs=tol * 10)
    # a higher confidence never gives a narrower interval
    assert mean_confidence_interval(v, confidence=0.99)[1] >= half - tol
    m4, s4, h4 = mean_ci95(v)
    assert (m4, h4) == pytest.approx((mean, half)) and s4 >= 0


# ------------------------------------------------------------------ ChannelOcclusion


@FEW
@given(n=st.integers(1, 8), t=st.integers(1, 6), seed=st.integers(0, 1000), data=st.data())
def test_channel_occlusion_output_of_a_window_ignores_the_other_windows(n, t, seed, data):
    X = np.random.default_rng(seed).normal(size=(n, 4, t)).astype(np.float32)
    occ = ChannelOcclusion(channels=[1, 3], random_state=seed).fit(X)
    Xt = occ.transform(X)
    rows = np.array(data.draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=2 * n)))
    np.testing.assert_array_equal(occ.transform(X[rows]), Xt[rows])
    np.testing.assert_array_equal(Xt[:, [0, 2]], X[:, [0, 2]])
