"""Properties of windowing, per-channel scaling, resampling and the gravity split."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from sktime_har.datasets import make_activity_windows
from sktime_har.preprocessing import (
    ChannelStandardScaler,
    Resampler,
    resample_windows,
    sliding_windows,
    split_gravity,
    window_starts,
)

FAST = settings(max_examples=40, deadline=None)


# --- sliding_windows ---------------------------------------------------------------------

@FAST
@given(n=st.integers(1, 200), c=st.integers(1, 4), window=st.integers(1, 60),
       step=st.integers(1, 60))
def test_window_count_and_slices(n, c, window, step):
    signal = np.arange(n * c, dtype=np.float64).reshape(n, c)
    if window > n:
        with pytest.raises(ValueError, match="longer than the recording"):
            sliding_windows(signal, window=window, step=step)
        return
    W, y = sliding_windows(signal, window=window, step=step)
    assert y is None
    assert W.shape == ((n - window) // step + 1, c, window)
    for i in range(len(W)):
        np.testing.assert_array_equal(W[i], signal[i * step:i * step + window].T)


@FAST
@given(labels=arrays(np.int64, st.integers(5, 80), elements=st.integers(0, 3)),
       window=st.integers(1, 5), step=st.integers(1, 4))
def test_label_rules(labels, window, step):
    signal = np.zeros((len(labels), 2))
    starts = window_starts(len(labels), window, step)
    _, maj = sliding_windows(signal, labels, window=window, step=step)
    _, last = sliding_windows(signal, labels, window=window, step=step, label_rule="last")
    _, center = sliding_windows(signal, labels, window=window, step=step, label_rule="center")
    W, pure = sliding_windows(signal, labels, window=window, step=step, label_rule="pure")
    for i, s in enumerate(starts):
        seg = labels[s:s + window]
        counts = np.bincount(seg, minlength=4)
        assert maj[i] == np.flatnonzero(counts == counts.max())[0]  # ties -> smallest
        assert last[i] == seg[-1] and center[i] == seg[window // 2]
    pure_expected = [labels[s] for s in starts if (labels[s:s + window] == labels[s]).all()]
    assert pure.tolist() == pure_expected and len(W) == len(pure)


def test_string_labels_and_1d_signal():
    W, y = sliding_windows(np.arange(6.0), ["a", "a", "b", "b", "b", "c"], window=3, step=3)
    assert W.shape == (2, 1, 3) and y.tolist() == ["a", "b"]


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"signal": np.zeros((2, 3, 4)), "window": 2, "step": 1}, "n_timesteps, n_channels"),
        ({"signal": np.zeros((10, 2)), "window": 0, "step": 1}, "window must be"),
        ({"signal": np.zeros((10, 2)), "window": 2, "step": 1.5}, "step must be"),
        ({"signal": np.zeros((10, 2)), "window": 2, "step": 1, "label_rule": "mode"}, "label_rule"),
        ({"signal": np.zeros((10, 2)), "labels": np.zeros(9), "window": 2, "step": 1},
         "one per timestep"),
    ],
)
def test_windowing_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        sliding_windows(**kwargs)


# --- ChannelStandardScaler -----------------------------------------------------------------

@FAST
@given(X=arrays(np.float64, st.tuples(st.integers(2, 8), st.integers(1, 4), st.integers(2, 12)),
                elements=st.floats(-1e3, 1e3)))
def test_standardised_train_has_zero_mean_unit_std(X):
    scaler = ChannelStandardScaler().fit(X)
    Xt = scaler.transform(X)
    spread = X.std(axis=(0, 2))
    ok = spread > 1e-3 * np.maximum(np.abs(X).max(axis=(0, 2)), 1.0)
    np.testing.assert_allclose(Xt.mean(axis=(0, 2))[ok], 0, atol=1e-3)
    np.testing.assert_allclose(Xt.std(axis=(0, 2))[ok], 1, atol=1e-3)
    np.testing.assert_allclose(scaler.inverse_transform(Xt), X, rtol=1e-4,
                               atol=1e-4 * max(1.0, np.abs(X).max()))


def test_scaler_uses_train_statistics_and_handles_constant_channels():
    X, _, _ = make_activity_windows(60, n_channels=3, random_state=0)
    X[:, 1] = 7.0  # constant channel
    scaler = ChannelStandardScaler().fit(X[:40])
    assert scaler.scale_[1] == 1.0 and np.isfinite(scaler.transform(X)).all()
    np.testing.assert_allclose(scaler.transform(X[40:])[:, 1], 0.0)
    np.testing.assert_allclose(scaler.mean_, X[:40].mean(axis=(0, 2)), rtol=1e-5)
    assert ChannelStandardScaler(with_mean=False).fit(X).mean_.tolist() == [0, 0, 0]
    with pytest.raises(ValueError, match="fitted on 3"):
        scaler.transform(X[:, :2])


# --- resampling ----------------------------------------------------------------------------

@FAST
@given(n_in=st.integers(1, 80), n_out=st.integers(1, 80), c=st.integers(1, 3),
       level=st.floats(-100, 100), slope=st.floats(-2, 2))
def test_resample_length_and_linear_signals_preserved(n_in, n_out, c, level, slope):
    t_in = np.arange(n_in)
    X = np.broadcast_to(level + slope * t_in, (2, c, n_in))
    Xr = resample_windows(X, n_out)
    assert Xr.shape == (2, c, n_out) and Xr.dtype == np.float32
    expected = level + slope * (np.arange(n_out) * n_in / n_out if n_in > 1 else 0)
    np.testing.assert_allclose(Xr[0, 0], expected, atol=1e-3 * (1 + abs(level) + abs(slope) * n_in))


def test_resample_keeps_a_sine():
    t = np.arange(50) / 50.0
    X = np.sin(2 * np.pi * 2.0 * t)[None, None]
    Xr = resample_windows(X, 30)[0, 0]
    np.testing.assert_allclose(Xr[3:-3], np.sin(2 * np.pi * 2.0 * np.arange(30) / 30)[3:-3],
                               atol=0.02)


def test_resampler_transformer():
    X, _, _ = make_activity_windows(10, n_timesteps=50, random_state=0)
    np.testing.assert_array_equal(Resampler(n_timesteps=30).fit(X).transform(X),
                                  resample_windows(X, 30))
    with pytest.raises(ValueError, match="The 'n_timesteps' parameter of Resampler must be"):
        Resampler(n_timesteps=0).fit(X)
    with pytest.raises(ValueError, match="n_timesteps must be"):
        resample_windows(X, 2.5)


# --- gravity split -------------------------------------------------------------------------

@FAST
@given(acc=arrays(np.float64, st.tuples(st.integers(30, 300), st.integers(1, 3)),
                  elements=st.floats(-4, 4)))
def test_gravity_plus_body_is_total(acc):
    gravity, body = split_gravity(acc, sampling_rate=50)
    np.testing.assert_allclose(gravity + body, acc, atol=1e-12)


def test_gravity_tracks_orientation_and_body_keeps_motion():
    t = np.arange(3000) / 50.0
    gravity_true = np.where(t < 30, 1.0, 0.0)  # posture change at 30 s
    motion = 0.3 * np.sin(2 * np.pi * 2.0 * t)
    gravity, body = split_gravity(gravity_true + motion, sampling_rate=50)
    away = (np.abs(t - 30) > 5) & (t > 2) & (t < 58)  # off the step and the ends
    np.testing.assert_allclose(gravity[away], gravity_true[away], atol=0.02)
    np.testing.assert_allclose(body[away], motion[away], atol=0.02)
    # zero phase: the step is centred on the true change, not delayed
    assert abs(t[np.argmin(np.abs(gravity - 0.5))] - 30) < 0.1


def test_gravity_axis_and_errors():
    X = np.random.default_rng(0).normal(size=(2, 3, 200))
    g, _ = split_gravity(X, 50, axis=-1)
    np.testing.assert_allclose(g[1, 2], split_gravity(X[1, 2], 50)[0])
    with pytest.raises(ValueError, match="cutoff"):
        split_gravity(X[0, 0], 50, cutoff=30)
    with pytest.raises(ValueError, match="order"):
        split_gravity(X[0, 0], 50, order=0)
    with pytest.raises(ValueError, match="too short"):
        split_gravity(np.zeros(5), 50)
