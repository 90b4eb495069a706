import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import GridSearchCV, GroupKFold, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from sktime_har.datasets import make_activity_windows
from sktime_har.inspection import (
    ChannelOcclusion,
    OcclusionScorer,
    mask_random_channels,
    mean_ci95,
)


def _flatten(X):
    # FFT magnitudes, flattened: phase-invariant, so a linear model separates the classes
    return np.abs(np.fft.rfft(np.asarray(X), axis=2)).reshape(len(X), -1)


def _flat_logreg(C=1.0):
    return make_pipeline(FunctionTransformer(_flatten), StandardScaler(),
                         LogisticRegression(C=C, max_iter=500))


@pytest.fixture(scope="module")
def data():
    return make_activity_windows(240, n_timesteps=16, noise=0.3, random_state=0)


@pytest.fixture(scope="module")
def fitted(data):
    X, y, _ = data
    return _flat_logreg().fit(X, y)


# ----------------------------------------------------------------- masking
@given(
    n=st.integers(1, 8),
    c=st.integers(1, 7),
    t=st.integers(1, 6),
    data=st.data(),
)
@settings(max_examples=60, deadline=None)
def test_mask_replaces_exactly_k_distinct_channels(n, c, t, data):
    k = data.draw(st.integers(0, c))
    seed = data.draw(st.integers(0, 2**16))
    # A value that N(0, 1) noise never produces, so every masked value differs.
    X = np.full((n, c, t), 1e6, dtype=np.float32)
    X += np.arange(c, dtype=np.float32)[None, :, None]
    Xm = mask_random_channels(X, k, np.random.default_rng(seed))
    changed = (Xm != X)
    # a channel is either fully replaced or fully untouched
    per_channel = changed.all(axis=2)
    assert np.array_equal(per_channel, changed.any(axis=2))
    assert (per_channel.sum(axis=1) == k).all()
    np.testing.assert_array_equal(Xm[~per_channel], X[~per_channel])
    assert (np.abs(Xm[per_channel]) < 10).all()  # noise, not data
    assert Xm.dtype == np.float32 and X[0, 0, 0] == np.float32(1e6)  # input untouched


def test_mask_varies_channels_across_windows_and_noise_is_standard_normal():
    X = np.zeros((2000, 6, 30), dtype=np.float32)
    Xm = mask_random_channels(X, 2, np.random.default_rng(0))
    masked = (Xm != 0).all(axis=2)
    # every channel gets masked in about a third of the windows
    np.testing.assert_allclose(masked.mean(axis=0), 2 / 6, atol=0.03)
    noise = Xm[masked]
    assert abs(noise.mean()) < 0.02 and abs(noise.std() - 1) < 0.02


@pytest.mark.parametrize("k", [7, 100])
def test_k_larger_than_channel_count_is_rejected(k, data, fitted):
    X, y, _ = data
    with pytest.raises(ValueError, match="larger than the number of channels"):
        mask_random_channels(X, k, np.random.default_rng(0))
    with pytest.raises(ValueError, match="larger than the number of channels"):
        OcclusionScorer(n_masked=k)(fitted, X, y)
    with pytest.raises(ValueError, match="larger than the number of channels"):
        OcclusionScorer().evaluate(fitted, X, y, n_masked=[0, k])


@pytest.mark.parametrize("k", [-1, 1.5, True, "2"])
def test_bad_k_is_rejected(k, data, fitted):
    X, y, _ = data
    with pytest.raises(ValueError, match="non-negative integer"):
        OcclusionScorer(n_masked=k)(fitted, X, y)


def test_bad_n_repeats(data, fitted):
    X, y, _ = data
    with pytest.raises(ValueError, match="n_repeats"):
        OcclusionScorer(n_repeats=0)(fitted, X, y)


# ----------------------------------------------------------------- scorer
def test_scorer_k0_is_clean_metric_and_masking_hurts(data, fitted):
    X, y, _ = data
    clean = f1_score(y, fitted.predict(X), average="macro")
    assert OcclusionScorer(n_masked=0)(fitted, X, y) == pytest.approx(clean)
    masked = OcclusionScorer(n_masked=4, n_repeats=3, random_state=0)(fitted, X, y)
    assert masked < clean - 0.1


def test_scorer_is_seeded_and_paired(data, fitted):
    X, y, _ = data
    a = OcclusionScorer(n_masked=2, n_repeats=2, random_state=3)(fitted, X, y)
    b = OcclusionScorer(n_masked=2, n_repeats=2, random_state=3)(fitted, X, y)
    c = OcclusionScorer(n_masked=2, n_repeats=2, random_state=4)(fitted, X, y)
    assert a == b and a != c


def test_scorer_in_cross_validate_and_grid_search(data):
    X, y, groups = data
    scoring = {
        "clean": "f1_macro",
        "occluded": OcclusionScorer(n_masked=3, n_repeats=2, random_state=0),
    }
    res = cross_validate(_flat_logreg(), X, y, groups=groups, cv=GroupKFold(3),
                         scoring=scoring)
    assert res["test_occluded"].shape == (3,)
    assert np.isfinite(res["test_occluded"]).all()
    assert (res["test_occluded"] < res["test_clean"]).all()
    search = GridSearchCV(_flat_logreg(), {"logisticregression__C": [0.01, 1.0]}, cv=2,
                          scoring=OcclusionScorer(n_masked=1, n_repeats=2, random_state=0))
    search.fit(X, y)
    assert np.isfinite(search.best_score_)


def test_evaluate_report(data, fitted):
    X, y, _ = data
    scorer = OcclusionScorer(n_repeats=4, random_state=0)
    report = scorer.evaluate(fitted, X, y, n_masked=range(0, 4))
    assert report.n_masked == [0, 1, 2, 3]
    assert report.scores.shape == (4, 4) and report.recall.shape == (4, 6)
    # k = 0 is deterministic: no spread
    assert report.std[0] == 0 and report.ci95[0] == 0
    for i in range(4):
        m, s, h = mean_ci95(report.scores[i])
        assert report.mean[i] == pytest.approx(m)
        assert report.std[i] == pytest.approx(s)
        assert report.ci95[i] == pytest.approx(h)
    # the report's scores agree with the scorer itself (same seeds)
    assert report.mean[2] == pytest.approx(
        OcclusionScorer(n_masked=2, n_repeats=4, random_state=0)(fitted, X, y)
    )
    assert report.mean[0] > report.mean[3]
    np.testing.assert_allclose(report.recall_drop["0->1"], report.recall[0] - report.recall[1])
    np.testing.assert_allclose(report.recall_drop["1->2"], report.recall[1] - report.recall[2])
    d = report.to_dict()
    assert d["classes"] == list(range(6)) and len(d["mean"]) == 4


def test_evaluate_recall_matches_sklearn(data, fitted):
    from sklearn.metrics import recall_score

    X, y, _ = data
    report = OcclusionScorer(n_repeats=1).evaluate(fitted, X, y, n_masked=[0])
    np.testing.assert_allclose(report.recall[0],
                               recall_score(y, fitted.predict(X), average=None))
    assert "1->2" not in report.recall_drop


def test_evaluate_with_probability_metric(data, fitted):
    X, y, _ = data
    report = OcclusionScorer(n_repeats=2, metric="neg_log_loss", random_state=0).evaluate(
        fitted, X, y, n_masked=[0, 2]
    )
    assert report.mean[1] < report.mean[0] < 0


# ------------------------------------------------------- ChannelOcclusion
def test_channel_occlusion_group_in_fit_and_transform():
    # constant gyro, accelerometer values that differ between windows
    X = np.full((50, 6, 20), 7.0, dtype=np.float32)
    X[:, :3] += np.arange(50, dtype=np.float32)[:, None, None]
    occ = ChannelOcclusion(group="gyro", random_state=0)
    Xt_train = occ.fit_transform(X)
    Xt_test = occ.transform(X)
    for Xt in (Xt_train, Xt_test):
        np.testing.assert_array_equal(Xt[:, :3], X[:, :3])
        assert (Xt[:, 3:] != 7).all()
        assert abs(Xt[:, 3:].std() - 1) < 0.05
        assert abs(Xt[:, 3:].mean()) < 0.05
    np.testing.assert_array_equal(occ.occluded_channels_, [3, 4, 5])
    # reproducible with an int seed, and fit_transform == fit().transform()
    np.testing.assert_array_equal(Xt_train, Xt_test)
    # a window's noise depends on its values, not on its row or the other rows
    np.testing.assert_array_equal(occ.transform(X[::-1]), Xt_test[::-1])
    np.testing.assert_array_equal(occ.transform(X[7:9]), Xt_test[7:9])
    assert not np.array_equal(Xt_test[0, 3:], Xt_test[1, 3:])
    # fresh noise on every call with a RandomState
    occ = ChannelOcclusion(group="gyro", random_state=np.random.RandomState(0)).fit(X)
    assert not np.array_equal(occ.transform(X), occ.transform(X))


def test_channel_occlusion_channels_and_identity():
    X = np.ones((4, 3, 5), dtype=np.float32)
    Xt = ChannelOcclusion(channels=[1], random_state=0).fit_transform(X)
    assert (Xt[:, [0, 2]] == 1).all() and (Xt[:, 1] != 1).all()
    np.testing.assert_array_equal(ChannelOcclusion().fit_transform(X), X)


def test_channel_occlusion_custom_groups():
    groups = {"body_acc": [0, 1, 2], "gyro": [3, 4, 5], "total_acc": [6, 7, 8]}
    X = np.ones((3, 9, 4), dtype=np.float32)
    Xt = ChannelOcclusion(group="total_acc", channel_groups=groups, random_state=0)\
        .fit_transform(X)
    assert (Xt[:, :6] == 1).all() and (Xt[:, 6:] != 1).all()


def test_unknown_group_lists_known_groups():
    X = np.ones((3, 6, 4), dtype=np.float32)
    with pytest.raises(ValueError, match=r"Unknown channel group 'magnetometer'.*'acc', 'gyro'"):
        ChannelOcclusion(group="magnetometer").fit(X)


@pytest.mark.parametrize(
    "params, match",
    [
        ({"channels": [0], "group": "acc"}, "not both"),
        ({"channels": [6]}, "out of range"),
        ({"channels": [-1]}, "out of range"),
        ({"group": "acc", "channel_groups": {"acc": [0, 9]}}, "names channel 9, but the windows"),
    ],
)
def test_channel_occlusion_bad_params(params, match):
    with pytest.raises(ValueError, match=match):
        ChannelOcclusion(**params).fit(np.ones((3, 6, 4)))


def test_default_groups_need_six_channels():
    with pytest.raises(ValueError, match="needs channel_groups for 9-channel"):
        ChannelOcclusion(group="acc").fit(np.ones((3, 9, 4)))


def test_channel_occlusion_checks_channel_count_at_transform():
    occ = ChannelOcclusion(channels=[0]).fit(np.ones((3, 6, 4)))
    with pytest.raises(ValueError, match="channels"):
        occ.transform(np.ones((3, 5, 4)))


def test_channel_occlusion_in_pipeline_lowers_score(data):
    X, y, groups = data
    clean = cross_validate(_flat_logreg(), X, y, cv=GroupKFold(3), groups=groups,
                           scoring="f1_macro")["test_score"].mean()
    pipe = make_pipeline(ChannelOcclusion(channels=[0, 1, 2, 3, 4], random_state=0),
                         FunctionTransformer(_flatten), StandardScaler(),
                         LogisticRegression(max_iter=500))
    occluded = cross_validate(pipe, X, y, cv=GroupKFold(3), groups=groups,
                              scoring="f1_macro")["test_score"].mean()
    assert occluded < clean - 0.05


# ---------------------------------------------------------------- plotting
def test_plot_occlusion_curve(data, fitted):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from sktime_har.plotting import plot_occlusion_curve

    X, y, _ = data
    report = OcclusionScorer(n_repeats=2, random_state=0).evaluate(fitted, X, y, range(3))
    ax = plot_occlusion_curve({"logreg": report, "as dict": report.to_dict()},
                              reference={"logreg": [0.9, 0.8, 0.7]})
    assert len(ax.containers) == 2 and ax.get_xlabel().startswith("masked")
    np.testing.assert_allclose(np.asarray(ax.containers[0][0].get_ydata(), float), report.mean)
    with pytest.raises(ValueError, match="lacks"):
        plot_occlusion_curve({"bad": {"mean": [1.0]}})
    plt.close("all")


def test_two_d_input_stays_two_d():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(80, 10)) + np.repeat([0.0, 3.0], 40)[:, None]
    y = np.repeat([0, 1], 40)
    clf = LogisticRegression().fit(X, y)  # a plain 2D estimator: one channel
    assert OcclusionScorer(n_masked=0)(clf, X, y) == 1.0
    assert OcclusionScorer(n_masked=1, n_repeats=2, random_state=0)(clf, X, y) < 0.8
    with pytest.raises(ValueError, match="larger than the number of channels"):
        OcclusionScorer(n_masked=2)(clf, X, y)
