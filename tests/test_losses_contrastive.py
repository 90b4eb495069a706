"""NT-Xent and NDT-Xent: hand-computed references, reductions, invariances, finiteness."""

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from sktime_har.nn.losses import NDTXentLoss, NTXentLoss

# ---------------------------------------------------------------- numpy references


def _normalise(a):
    return a / np.linalg.norm(a, axis=1, keepdims=True)


def _sim(a, similarity):
    cos = _normalise(a) @ _normalise(a).T
    if similarity == "cosine":
        return cos
    return 1.0 - np.arccos(np.clip(cos, -1.0, 1.0)) / math.pi  # Eq. 6


def nt_xent_reference(z1, z2, tau, similarity):
    """Eq. 1 of paper 001, one anchor at a time, mean over the 2B anchors."""
    b = len(z1)
    s = _sim(np.concatenate([z1, z2]), similarity)
    total = 0.0
    for i in range(2 * b):
        j = (i + b) % (2 * b)
        num = math.exp(s[i, j] / tau)
        den = num + sum(math.exp(s[i, k] / tau) for k in range(2 * b) if k not in (i, j))
        total += -math.log(num / den)
    return total / (2 * b)


def ndt_xent_reference(z1, z2, h, tau, source="views", floor=1e-2):
    """Eqs. 2-5 of paper 001 written out with loops."""
    b = len(z1)
    s = _sim(np.concatenate([z1, z2]), "angular")
    s_h = _sim(h, "angular")
    window = [i % b for i in range(2 * b)]
    neg_pairs = [(i, k) for i in range(2 * b) for k in range(2 * b) if window[i] != window[k]]
    if source == "views":
        mean_neg = np.mean([s[i, k] for i, k in neg_pairs])
    elif source == "instances":
        mean_neg = np.mean([max(s_h[window[i], window[k]], floor) for i, k in neg_pairs])
    else:
        mean_neg = 1.0
    tau_pos = tau * math.sqrt(max(mean_neg, floor))  # Eq. 3 (mean over negative pairs)
    total = 0.0
    for i in range(2 * b):
        j = (i + b) % (2 * b)
        num = math.exp(s[i, j] / tau_pos)
        den = num
        for k in range(2 * b):
            if k in (i, j):
                continue
            tau_neg = tau * math.sqrt(max(s_h[window[i], window[k]], floor))  # Eq. 2
            den += math.exp(s[i, k] / tau_neg)
        total += -math.log(num / den)  # Eq. 4
    return total / (2 * b)  # Eq. 5


def _random(b=5, d=7, f=9, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(b, d)), rng.normal(size=(b, d)), rng.normal(size=(b, f))


def _t(*arrays):
    return [torch.tensor(a, dtype=torch.float64) for a in arrays]


# ---------------------------------------------------------------- NT-Xent


def test_nt_xent_by_hand_on_orthonormal_views():
    # B=2, both views equal and orthogonal across windows: positive cos 1, two negatives at 0
    z = torch.eye(2, dtype=torch.float64)
    expected = math.log(1 + 2 * math.exp(-1 / 0.1))
    assert float(NTXentLoss(0.1)(z, z)) == pytest.approx(expected, rel=1e-9)
    # angular: negatives at 0.5; the positive's cosine 1 is clamped to 1 - eps first
    s_pos = 1 - math.acos(1 - 1e-6) / math.pi
    expected_angular = -math.log(math.exp(s_pos / 0.1) / (math.exp(s_pos / 0.1) + 2 * math.exp(5)))
    got = float(NTXentLoss(0.1, similarity="angular", eps=1e-6)(z, z))
    assert got == pytest.approx(expected_angular, rel=1e-9)


@pytest.mark.parametrize("similarity", ["cosine", "angular"])
@pytest.mark.parametrize("tau", [0.05, 0.1, 0.5])
def test_nt_xent_matches_numpy_reference(similarity, tau):
    z1, z2, _ = _random()
    expected = nt_xent_reference(z1, z2, tau, similarity)
    got = NTXentLoss(tau, similarity=similarity)(*_t(z1, z2))
    assert float(got) == pytest.approx(expected, rel=1e-7)


def test_nt_xent_cosine_and_angular_differ():
    z1, z2 = _t(*_random()[:2])
    assert not torch.isclose(NTXentLoss()(z1, z2), NTXentLoss(similarity="angular")(z1, z2))


def test_nt_xent_prefers_aligned_views():
    z1, z2, _ = _t(*_random())
    aligned = NTXentLoss()(z1, z1 + 0.01 * z2)
    unrelated = NTXentLoss()(z1, z2)
    assert aligned < unrelated


# ---------------------------------------------------------------- NDT-Xent


@pytest.mark.parametrize("source", ["views", "instances", "constant"])
@pytest.mark.parametrize("tau", [0.1, 0.3])
def test_ndt_xent_matches_numpy_reference(source, tau):
    z1, z2, h = _random(b=4, seed=3)
    expected = ndt_xent_reference(z1, z2, h, tau, source)
    got = NDTXentLoss(tau, positive_temperature=source)(*_t(z1, z2, h))
    assert float(got) == pytest.approx(expected, rel=1e-7)


@pytest.mark.parametrize("source", ["constant", "instances"])
def test_ndt_xent_reduces_to_angular_nt_xent(source):
    # all instance similarities 1 -> every tau_neg = tau; tau_pos = tau (constant, or the
    # mean of instance similarities that are all 1)
    z1, z2, _ = _t(*_random(b=6, seed=1))
    same = torch.ones(6, 11, dtype=torch.float64) * 3.0
    ndt = NDTXentLoss(0.1, positive_temperature=source)(z1, z2, same)
    reference = NTXentLoss(0.1, similarity="angular")(z1, z2)
    assert float(ndt) == pytest.approx(float(reference), rel=1e-6)


def test_ndt_xent_differs_from_nt_xent_with_varied_instances():
    z1, z2, h = _t(*_random(b=6, seed=2))
    ndt = NDTXentLoss(0.1, positive_temperature="constant")(z1, z2, h)
    assert not torch.isclose(ndt, NTXentLoss(0.1, similarity="angular")(z1, z2))


def test_negative_temperatures_follow_instance_similarity():
    h = torch.tensor([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    loss = NDTXentLoss(0.1)
    z = torch.randn(3, 4)
    tau_pos, tau_neg = loss.temperatures(z, z, h)
    assert tau_neg.shape == (6, 6)
    # windows 0 and 1 identical -> tau; 0 and 2 orthogonal -> s_a = 0.5 -> tau * sqrt(0.5)
    assert float(tau_neg[0, 1]) == pytest.approx(0.1, rel=1e-6)
    assert float(tau_neg[0, 2]) == pytest.approx(0.1 * math.sqrt(0.5), rel=1e-6)
    # both views of a window share the instance features (tiling)
    assert torch.equal(tau_neg[:3, :3], tau_neg[3:, 3:])
    assert torch.equal(tau_neg[:3, :3], tau_neg[:3, 3:])
    assert not tau_neg.requires_grad


def test_temperature_floor_for_opposite_instances():
    h = torch.tensor([[1.0, 0.0], [-1.0, 0.0]])  # s_a = 0 -> floored
    _, tau_neg = NDTXentLoss(0.1, similarity_floor=1e-2).temperatures(
        torch.randn(2, 3), torch.randn(2, 3), h
    )
    assert float(tau_neg.min()) == pytest.approx(0.1 * math.sqrt(1e-2), rel=1e-6)


def test_positive_temperature_gradient_choice():
    z1, z2, h = _t(*_random(b=4, seed=5))
    grads = {}
    for detach in (False, True):
        a = z1.clone().requires_grad_(True)
        NDTXentLoss(detach_positive_temperature=detach)(a, z2, h).backward()
        grads[detach] = a.grad
    assert not torch.allclose(grads[False], grads[True])  # tau_pos from views carries gradient
    # instance-based tau_pos is frozen: detaching changes nothing
    a = z1.clone().requires_grad_(True)
    NDTXentLoss(positive_temperature="instances")(a, z2, h).backward()
    b = z1.clone().requires_grad_(True)
    NDTXentLoss(positive_temperature="instances", detach_positive_temperature=True)(
        b, z2, h
    ).backward()
    assert torch.allclose(a.grad, b.grad)


def test_instance_features_get_no_gradient():
    z1, z2, h = _t(*_random(b=4))
    h.requires_grad_(True)
    z1.requires_grad_(True)
    NDTXentLoss()(z1, z2, h).backward()
    assert h.grad is None and z1.grad is not None


# ---------------------------------------------------------------- invariances


@settings(max_examples=25, deadline=None)
@given(perm=st.permutations(list(range(5))), seed=st.integers(0, 10_000))
def test_batch_permutation_invariance(perm, seed):
    z1, z2, h = _t(*_random(b=5, seed=seed))
    p = torch.tensor(perm)
    for loss in (NTXentLoss(), NTXentLoss(similarity="angular"), NDTXentLoss()):
        args = (z1, z2, h) if isinstance(loss, NDTXentLoss) else (z1, z2)
        permuted = tuple(a[p] for a in args)
        assert float(loss(*permuted)) == pytest.approx(float(loss(*args)), rel=1e-9)
        # swapping the two views is also a relabelling
        swapped = (args[1], args[0], *args[2:])
        assert float(loss(*swapped)) == pytest.approx(float(loss(*args)), rel=1e-9)


def _degenerate(kind, b, d):
    if kind == "identical":
        z = torch.ones(b, d)
        return z, z.clone()
    if kind == "orthogonal":
        z = torch.eye(max(b, d))[:b, :d]
        return z, z.clone()
    if kind == "opposite":
        z = torch.randn(b, d)
        return z, -z
    if kind == "zeros":
        return torch.zeros(b, d), torch.zeros(b, d)
    z = torch.randn(b, d)  # the views of each window identical
    return z, z.clone()


@settings(max_examples=30, deadline=None)
@given(
    kind=st.sampled_from(["identical", "orthogonal", "opposite", "zeros", "same_views"]),
    b=st.integers(2, 8),
    d=st.integers(1, 8),
    tau=st.floats(0.01, 1.0),
)
def test_losses_and_gradients_finite_on_degenerate_inputs(kind, b, d, tau):
    z1, z2 = _degenerate(kind, b, d)
    h_cases = [torch.ones(b, 4), torch.eye(max(b, 4))[:b, :4], torch.randn(b, 4)]
    losses = [NTXentLoss(tau), NTXentLoss(tau, similarity="angular")]
    losses += [NDTXentLoss(tau, positive_temperature=s) for s in ("views", "instances")]
    for loss in losses:
        for h in h_cases if isinstance(loss, NDTXentLoss) else [None]:
            a = z1.clone().requires_grad_(True)
            c = z2.clone().requires_grad_(True)
            value = loss(a, c, h) if h is not None else loss(a, c)
            value.backward()
            assert torch.isfinite(value)
            assert torch.isfinite(a.grad).all() and torch.isfinite(c.grad).all()


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "z1, z2, match",
    [
        (torch.zeros(4), torch.zeros(4), r"shape \(B, D\)"),
        (torch.zeros(4, 3), torch.zeros(5, 3), "same shape"),
        (torch.zeros(1, 3), torch.zeros(1, 3), "at least 2 windows"),
        (torch.zeros(2, 2, 2), torch.zeros(2, 2, 2), r"shape \(B, D\)"),
    ],
)
def test_bad_shapes_raise_value_error(z1, z2, match):
    with pytest.raises(ValueError, match=match):
        NTXentLoss()(z1, z2)
    with pytest.raises(ValueError, match=match):
        NDTXentLoss()(z1, z2, torch.zeros(z1.shape[0], 3))


def test_bad_instance_features():
    z = torch.zeros(4, 3)
    with pytest.raises(ValueError, match="instance_features"):
        NDTXentLoss()(z, z, torch.zeros(3, 5))
    with pytest.raises(ValueError, match="instance_features"):
        NDTXentLoss()(z, z, torch.zeros(4))
    with pytest.raises(TypeError, match="instance_features"):
        NDTXentLoss()(z, z, np.zeros((4, 5)))
    with pytest.raises(TypeError, match="z1"):
        NTXentLoss()(np.zeros((4, 3)), z)


@pytest.mark.parametrize(
    "factory",
    [
        lambda: NTXentLoss(temperature=0),
        lambda: NTXentLoss(temperature=-1),
        lambda: NTXentLoss(similarity="dot"),
        lambda: NDTXentLoss(temperature=float("nan")),
        lambda: NDTXentLoss(positive_temperature="batch"),
        lambda: NDTXentLoss(similarity_floor=0),
        lambda: NDTXentLoss(eps=1.5),
    ],
)
def test_bad_parameters(factory):
    with pytest.raises(ValueError):
        factory()
