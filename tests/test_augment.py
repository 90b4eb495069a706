"""Augmentations: physical properties, statistics, probability semantics, determinism."""

import pickle

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from sktime_har.augment import (
    Augmenter,
    jitter,
    permute,
    random_rotation_matrices,
    rotate,
    scale,
    time_shift,
)
from sktime_har.utils._torch import seeded

GROUPS = {"acc": [0, 1, 2], "gyro": [3, 4, 5]}
DEVICES = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])


def _gen(seed, device="cpu"):
    return torch.Generator(device=device).manual_seed(seed)


# ---------------------------------------------------------------- rotation


@settings(max_examples=25, deadline=None)
@given(b=st.integers(1, 6), t=st.integers(1, 12), seed=st.integers(0, 2**31 - 1))
def test_rotation_preserves_each_triad_norm_and_leaves_other_channels(b, t, seed):
    x = torch.randn(b, 7, t, generator=_gen(seed), dtype=torch.float64)
    out = rotate(x, GROUPS, generator=_gen(seed + 1))
    for triad in GROUPS.values():
        torch.testing.assert_close(out[:, triad].norm(dim=1), x[:, triad].norm(dim=1))
    assert torch.equal(out[:, 6], x[:, 6])  # channel 6 is in no triad


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**31 - 1))
def test_rotation_is_proper_and_shared_by_the_triads_of_a_window(seed):
    # timesteps 0..2 of each triad hold the unit vectors: the output there is R itself
    eye = torch.eye(3, dtype=torch.float64)
    x = torch.cat([eye, eye], dim=0).expand(4, 6, 3).clone()
    out = rotate(x, GROUPS, generator=_gen(seed))
    R_acc, R_gyro = out[:, 0:3, :], out[:, 3:6, :]
    torch.testing.assert_close(R_acc, R_gyro)
    torch.testing.assert_close(R_acc @ R_acc.transpose(1, 2), eye.expand(4, 3, 3))
    torch.testing.assert_close(torch.linalg.det(R_acc), torch.ones(4, dtype=torch.float64))
    # different windows get different rotations
    assert not torch.allclose(R_acc[0], R_acc[1])


def test_rotation_matrices_are_uniform_not_sign_flips():
    R = random_rotation_matrices(20_000, generator=_gen(0), dtype=torch.float64)
    # Haar measure on SO(3): E[R] = 0 and E[R_ij^2] = 1/3 for every entry
    assert R.mean(dim=0).abs().max() < 0.03
    torch.testing.assert_close(
        (R**2).mean(dim=0), torch.full((3, 3), 1 / 3, dtype=torch.float64), atol=0.02, rtol=0
    )
    # element-wise sign flips would leave off-diagonal entries at zero
    assert R[:, 0, 1].abs().mean() > 0.3


def test_rotation_input_errors():
    x = torch.randn(2, 6, 5)
    with pytest.raises(ValueError, match="3 distinct"):
        rotate(x, [[0, 1]])
    with pytest.raises(ValueError, match="shares channels"):
        rotate(x, [[0, 1, 2], [2, 3, 4]])
    with pytest.raises(ValueError, match=r"\[0, 5\]"):
        rotate(x, [[4, 5, 6]])
    with pytest.raises(ValueError, match="at least one"):
        rotate(x, {})


# ---------------------------------------------------------------- permutation


@settings(max_examples=30, deadline=None)
@given(
    b=st.integers(1, 6),
    c=st.integers(1, 4),
    t=st.integers(2, 40),
    max_segments=st.integers(2, 8),
    seed=st.integers(0, 2**31 - 1),
)
def test_permutation_preserves_values_and_moves_channels_together(b, c, t, max_segments, seed):
    # channel k holds 1000 k + time, so a window's time order can be read off any channel
    time = torch.arange(t, dtype=torch.float64)
    x = (1000.0 * torch.arange(c, dtype=torch.float64)[:, None] + time).expand(b, c, t).clone()
    out = permute(x, max_segments, generator=_gen(seed))
    torch.testing.assert_close(out.sort(dim=2).values, x.sort(dim=2).values)
    order = out[:, 0, :]
    for k in range(c):
        torch.testing.assert_close(out[:, k, :] - 1000.0 * k, order)
    # the order is made of at most max_segments runs of consecutive timesteps
    breaks = (order[:, 1:] != order[:, :-1] + 1).sum(dim=1)
    assert int(breaks.max()) <= max_segments - 1


def test_permutation_segment_counts_and_cut_points_vary():
    t = 30
    x = torch.arange(t, dtype=torch.float32).expand(4000, 1, t).clone()
    out = permute(x, max_segments=5, generator=_gen(0))[:, 0]
    runs = 1 + (out[:, 1:] != out[:, :-1] + 1).sum(dim=1)
    # k segments in a random order: up to k runs, identity with probability 1/k!
    assert set(runs.tolist()) == {1, 2, 3, 4, 5}
    assert float((runs == 1).float().mean()) < 0.25  # k=2: 1/2, k=3: 1/6, ... averaged
    first_segment_end = [
        int((row[1:] != row[:-1] + 1).nonzero()[0])
        for row in out
        if bool((row[1:] != row[:-1] + 1).any())
    ]
    assert len(set(first_segment_end)) > 10  # random cut points, not equal splits


def test_permutation_errors():
    with pytest.raises(ValueError, match="at least 2 timesteps"):
        permute(torch.zeros(2, 1, 1))
    with pytest.raises(ValueError, match="max_segments"):
        permute(torch.zeros(2, 1, 5), max_segments=1)


# ---------------------------------------------------------------- scaling, jitter, shift


def test_scaling_is_one_factor_per_window_and_channel():
    x = torch.ones(3000, 4, 6, dtype=torch.float64)
    out = scale(x, sigma=0.5, generator=_gen(0))
    assert out.shape == x.shape
    assert torch.equal(out, out[:, :, :1].expand_as(out))  # constant over time
    factors = out[:, :, 0]
    assert abs(float(factors.mean()) - 1.0) < 0.02
    assert abs(float(factors.std()) - 0.5) < 0.02
    assert float((factors[:, 0] - factors[:, 1]).abs().mean()) > 0.1  # channels independent
    assert torch.equal(scale(x, sigma=0.0), x)


@pytest.mark.parametrize("sigma", [0.1, 0.5, 0.8])
def test_jitter_statistics(sigma):
    x = torch.randn(50, 6, 40, generator=_gen(1), dtype=torch.float64)
    noise = jitter(x, sigma, generator=_gen(2)) - x
    assert abs(float(noise.mean())) < 0.02 * max(sigma, 0.5)
    assert float(noise.std()) == pytest.approx(sigma, rel=0.03)
    assert torch.equal(jitter(x, 0.0), x)


@settings(max_examples=20, deadline=None)
@given(t=st.integers(1, 20), max_shift=st.integers(0, 25), seed=st.integers(0, 2**31 - 1))
def test_time_shift_is_a_bounded_roll(t, max_shift, seed):
    x = torch.randn(5, 3, t, generator=_gen(seed))
    out = time_shift(x, max_shift, generator=_gen(seed + 1))
    for window, original in zip(out, x, strict=True):
        assert any(
            torch.equal(window, original.roll(s, dims=1)) for s in range(-max_shift, max_shift + 1)
        )
    assert torch.equal(time_shift(x, 0), x)


def test_time_shift_default_half_window():
    x = torch.randn(50, 2, 31, generator=_gen(0))
    assert torch.equal(time_shift(x, generator=_gen(1)), time_shift(x, 15, generator=_gen(1)))
    assert not torch.equal(time_shift(x, generator=_gen(1)), time_shift(x, 14, generator=_gen(1)))
    # all shifts in [-15, 15] occur: 31 distinct rolls of a 31-sample window
    ramp = torch.arange(31.0).expand(3000, 1, 31).clone()
    assert len(set(time_shift(ramp, generator=_gen(2))[:, 0, 0].tolist())) == 31


# ---------------------------------------------------------------- common behaviour


FUNCTIONS = {
    "jitter": lambda x, g: jitter(x, generator=g),
    "scale": lambda x, g: scale(x, generator=g),
    "rotate": lambda x, g: rotate(x, GROUPS, generator=g),
    "permute": lambda x, g: permute(x, generator=g),
    "time_shift": lambda x, g: time_shift(x, generator=g),
    "augmenter": lambda x, g: Augmenter(
        ("jitter", "scaling", "rotation", "permutation", "time_shift"), channel_groups=GROUPS
    )(x, generator=g),
}


@pytest.mark.parametrize("name", list(FUNCTIONS))
@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64, torch.bfloat16])
def test_shape_dtype_device_preserved_and_input_untouched(name, device, dtype):
    x = torch.randn(8, 6, 30, device=device).to(dtype)
    before = x.clone()
    out = FUNCTIONS[name](x, _gen(0, device))
    assert out.shape == x.shape and out.dtype == dtype and out.device == x.device
    assert torch.equal(x, before)
    assert not torch.equal(out, x)


@pytest.mark.parametrize("name", list(FUNCTIONS))
def test_determinism_under_seeded_generators(name):
    x = torch.randn(16, 6, 30, generator=_gen(5))
    fn = FUNCTIONS[name]
    assert torch.equal(fn(x, _gen(3)), fn(x, _gen(3)))
    assert not torch.equal(fn(x, _gen(3)), fn(x, _gen(4)))
    # global generator, seeded through the estimators' context manager
    with seeded(11):
        a = fn(x, None)
    with seeded(11):
        b = fn(x, None)
    assert torch.equal(a, b)


@pytest.mark.parametrize("fn", [jitter, scale, permute, time_shift])
def test_bad_batches(fn):
    with pytest.raises(ValueError, match=r"\(B, C, T\)"):
        fn(torch.zeros(4, 5))
    with pytest.raises(TypeError, match="floating point"):
        fn(torch.zeros(2, 3, 4, dtype=torch.long))
    with pytest.raises(TypeError, match="torch.Tensor"):
        fn(np.zeros((2, 3, 4)))
    with pytest.raises(TypeError, match="Generator"):
        fn(torch.zeros(2, 3, 4), generator=3)


# ---------------------------------------------------------------- Augmenter


def test_p_zero_applies_only_jitter():
    x = torch.randn(32, 6, 30, generator=_gen(0))
    aug = Augmenter(("jitter", "scaling", "permutation", "time_shift"), p=0.0)
    torch.testing.assert_close(aug(x, generator=_gen(1)), jitter(x, 0.5, generator=_gen(1)))
    assert torch.equal(Augmenter(p=0.0, always=())(x), x)


def test_p_one_applies_everything_to_every_window():
    x = torch.arange(30.0).expand(64, 1, 30).clone()
    out = Augmenter(("permutation",), p=1.0, always=(), max_segments=2)(x, generator=_gen(0))
    changed = (out != x).any(dim=2).squeeze(1)
    assert float(changed.float().mean()) > 0.35  # k=2 segments swap with probability 1/2
    torch.testing.assert_close(out.sort(dim=2).values, x)


def test_each_window_drawn_independently_with_probability_p():
    x = torch.ones(4000, 2, 5)
    out = Augmenter(("scaling",), p=0.3, always=())(x, generator=_gen(0))
    changed = (out != x).any(dim=2).any(dim=1).float().mean()
    assert float(changed) == pytest.approx(0.3, abs=0.03)


def _augment_then_select(x, aug, generator):
    """The Augmenter's definition: each augmentation on the whole batch, kept per window."""
    functions = {
        "jitter": lambda v: jitter(v, aug.jitter_sigma, generator=generator),
        "scaling": lambda v: scale(v, aug.scale_sigma, generator=generator),
        "rotation": lambda v: rotate(v, aug.triads, generator=generator),
        "permutation": lambda v: permute(v, aug.max_segments, generator=generator),
        "time_shift": lambda v: time_shift(v, aug.max_shift, generator=generator),
    }
    for name in aug.augmentations:
        if name in aug.always:
            x = functions[name](x)
        elif aug.p > 0:
            chosen = torch.rand((x.shape[0], 1, 1), generator=generator) < aug.p
            x = torch.where(chosen, functions[name](x), x)
    return x


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"always": ()},
        {"augmentations": ("permutation", "scaling", "jitter"), "always": ("scaling",), "p": 0.3},
        {"augmentations": ("jitter", "scaling", "rotation", "permutation", "time_shift"),
         "channel_groups": GROUPS, "p": 0.6},
    ],
)
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_augmenter_equals_augmenting_every_window_then_selecting(kwargs, dtype):
    # the Augmenter folds the per-window choice into each augmentation's draw; the
    # result must be bit for bit the batch-wide augmentation followed by the selection
    x = torch.randn(40, 6, 30, generator=_gen(0), dtype=dtype)
    before = x.clone()
    aug = Augmenter(**kwargs)
    for seed in range(3):
        expected = _augment_then_select(x, aug, _gen(seed))
        assert torch.equal(aug(x, generator=_gen(seed)), expected)
    assert torch.equal(x, before)


def test_presets_and_aliases():
    assert Augmenter.from_preset("uci_har").augmentations == ("jitter", "scaling", "permutation")
    assert Augmenter.from_preset("usc_had").augmentations == ("jitter", "scaling")
    mobiact = Augmenter.from_preset("mobiact", channel_groups=GROUPS)
    assert mobiact.augmentations == ("jitter", "scaling", "rotation")
    assert mobiact.triads == ((0, 1, 2), (3, 4, 5))
    aliased = Augmenter(("jittering", "scale", "rotate", "permute", "shift"), channel_groups=GROUPS)
    assert aliased.augmentations == ("jitter", "scaling", "rotation", "permutation", "time_shift")
    assert Augmenter().augmentations == Augmenter.from_preset("uci_har").augmentations


def test_rotation_uses_only_triads_of_channel_groups():
    groups = {"acc": [0, 1, 2], "all": [0, 1, 2, 3, 4, 5], "gyro": (3, 4, 5)}
    aug = Augmenter(("rotation",), p=1.0, always=(), channel_groups=groups)
    assert aug.triads == ((0, 1, 2), (3, 4, 5))
    assert groups["all"] == [0, 1, 2, 3, 4, 5]  # the caller's dict is not modified


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"augmentations": ("jitter", "mixup")}, "Unknown augmentation"),
        ({"augmentations": ("rotation",)}, "channel_groups"),
        ({"augmentations": ("rotation",), "channel_groups": {"all": [0, 1, 2, 3]}}, "triad"),
        ({"p": 1.5}, "p must"),
        ({"always": ("flip",)}, "Unknown augmentation"),
        ({"augmentations": ("jitter", "jittering")}, "twice"),
        ({"max_segments": 1}, "max_segments"),
        ({"max_shift": -1}, "max_shift"),
        ({"jitter_sigma": -0.1}, "jitter_sigma"),
    ],
)
def test_augmenter_bad_parameters(kwargs, match):
    with pytest.raises(ValueError, match=match):
        Augmenter(**kwargs)
    with pytest.raises(ValueError, match="Unknown preset"):
        Augmenter.from_preset("pamap2")


def test_augmenter_pickles_moves_and_has_no_parameters():
    aug = Augmenter.from_preset("mobiact", channel_groups=GROUPS, p=0.7)
    assert list(aug.parameters()) == []
    clone = pickle.loads(pickle.dumps(aug))
    x = torch.randn(8, 6, 30)
    assert torch.equal(aug(x, generator=_gen(0)), clone(x, generator=_gen(0)))
    assert aug.to("cpu") is aug  # nn.Module machinery intact
    assert "jitter" in repr(aug)
