"""Evaluation protocols: CI arithmetic, semi-supervised draws, heads, subject CV, baselines."""

import numpy as np
import pytest
import torch
from scipy import stats
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.neighbors import KNeighborsClassifier

from sktime_har.datasets import make_activity_windows
from sktime_har.evaluation import (
    MLPHeadClassifier,
    linear_evaluation,
    make_head,
    mean_confidence_interval,
    random_encoder,
    semi_supervised_evaluation,
    subject_cross_validation,
)
from sktime_har.ssl import DynamicTemperatureSSL, SimCLREncoder


@pytest.fixture(scope="module", autouse=True)
def one_torch_thread():
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)


def test_t_interval_by_hand():
    scores = [0.70, 0.80, 0.90, 0.80]
    mean, half = mean_confidence_interval(scores)
    s = np.std(scores, ddof=1)  # 0.08165
    assert mean == pytest.approx(0.80)
    assert half == pytest.approx(3.182446305 * s / 2.0, rel=1e-6)  # t_{0.975, 3}
    assert mean_confidence_interval(scores, 0.9)[1] == pytest.approx(
        stats.t.ppf(0.95, 3) * s / 2.0)
    assert np.isnan(mean_confidence_interval([0.5])[1])
    assert mean_confidence_interval([0.5, 0.5])[1] == 0.0
    with pytest.raises(ValueError):
        mean_confidence_interval([])
    with pytest.raises(ValueError):
        mean_confidence_interval([0.1, 0.2], confidence=1.0)


class RecordingClassifier(ClassifierMixin, BaseEstimator):
    """Predicts the majority class and records the labels it was trained on."""

    def __init__(self, random_state=None):
        self.random_state = random_state

    def fit(self, X, y):
        self.seen_ = np.asarray(y)
        self.classes_, counts = np.unique(y, return_counts=True)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])


def test_semi_supervised_draws_k_per_class_and_repeats(monkeypatch):
    y = np.repeat([0, 1, 2], 30)
    X = np.arange(len(y), dtype=float)[:, None]
    seen = []
    original_fit = RecordingClassifier.fit

    def spy(self, X, y):
        seen.append((np.asarray(X).ravel().copy(), np.asarray(y).copy(), self.random_state))
        return original_fit(self, X, y)

    monkeypatch.setattr(RecordingClassifier, "fit", spy)
    rows = semi_supervised_evaluation(RecordingClassifier(), X, y, X, y,
                                      k_values=(1, 5), n_repeats=4, random_state=0)
    assert [r["k"] for r in rows] == [1, 5] and all(len(r["scores"]) == 4 for r in rows)
    assert len(seen) == 8
    for i, (_, ys, seed) in enumerate(seen):
        k = 1 if i < 4 else 5
        assert np.array_equal(np.bincount(ys, minlength=3), [k, k, k])
        assert seed is not None
    assert len({tuple(x) for x, _, _ in seen[4:]}) > 1  # different draws per repeat
    mean, half = mean_confidence_interval(rows[1]["scores"])
    assert rows[1]["f1"] == mean and (rows[1]["ci95"] == half or np.isnan(half))
    with pytest.raises(ValueError, match="fewer than k"):
        semi_supervised_evaluation(KNeighborsClassifier(1), X, y, X, y, k_values=(31,))
    with pytest.raises(ValueError, match="n_repeats"):
        semi_supervised_evaluation(KNeighborsClassifier(1), X, y, X, y, n_repeats=0)


def test_semi_supervised_is_reproducible():
    X, y, _ = make_activity_windows(120, n_timesteps=16, random_state=0)
    F = X.reshape(len(X), -1)
    kw = dict(k_values=(2, 5), n_repeats=3, random_state=0)
    a = semi_supervised_evaluation(make_head("linear"), F, y, F, y, **kw)
    b = semi_supervised_evaluation(make_head("linear"), F, y, F, y, **kw)
    assert [r["scores"] for r in a] == [r["scores"] for r in b]


def test_heads_and_linear_evaluation():
    X, y, _ = make_activity_windows(120, n_timesteps=16, random_state=0)
    F = np.abs(np.fft.rfft(X, axis=2)).reshape(len(X), -1)  # an informative representation
    linear = linear_evaluation(None, F[:80], y[:80], F[80:], y[80:], head="linear")
    assert 0.6 < linear["f1"] <= 1.0 and linear["wall_s"] >= 0
    mlp_head = MLPHeadClassifier(hidden_features=(16,), lr=1e-2, max_epochs=5, min_steps=100,
                                 device="cpu", random_state=0)
    mlp = linear_evaluation(None, F[:80], y[:80], F[80:], y[80:], head=mlp_head)
    assert mlp["f1"] > 0.5
    proba = mlp_head.fit(F, y).predict_proba(F)
    np.testing.assert_allclose(proba.sum(1), 1.0, rtol=1e-6)
    with pytest.raises(ValueError, match="head"):
        make_head("svm")
    for bad in (0, -1.0, "1", True):
        with pytest.raises(ValueError, match="C must be a positive number"):
            make_head("linear", C=bad)
    # a smaller C shrinks the logistic regression's weights
    norms = [np.linalg.norm(make_head("linear", C=c).fit(F, y)[-1].coef_) for c in (1e-3, 1.0)]
    assert norms[0] < 0.5 * norms[1]
    paper = make_head("mlp")
    assert paper.hidden_features == (256, 128) and paper.dropout == 0.2 and paper.lr == 1e-4


def test_linear_evaluation_with_encoder_and_random_baseline():
    X, y, _ = make_activity_windows(64, n_timesteps=16, random_state=0)
    trained = DynamicTemperatureSSL(conv_channels=(4, 8), n_layers=1, n_heads=1, max_epochs=0,
                                    batch_size=16, device="cpu", random_state=3)
    rand = random_encoder(trained)
    assert isinstance(rand, SimCLREncoder)
    assert (rand.max_epochs, rand.conv_channels, rand.random_state) == (0, (4, 8), 3)
    rand.fit(X)
    res = linear_evaluation(rand, X[:40], y[:40], X[40:], y[40:])
    assert 0.0 <= res["f1"] <= 1.0
    with pytest.raises(Exception, match="not fitted"):
        linear_evaluation(random_encoder(trained), X, y, X, y)


def test_subject_cross_validation_never_splits_a_subject():
    X, y, groups = make_activity_windows(60, n_timesteps=8, n_subjects=6, random_state=0)
    F = X.reshape(len(X), -1)
    seen_train = []

    class GroupSpy(RecordingClassifier):
        def fit(self, X, y):
            seen_train.append(set(np.asarray(X)[:, -1].astype(int)))
            return super().fit(X, y)

        def predict(self, X):
            overlap = set(np.asarray(X)[:, -1].astype(int)) & seen_train[-1]
            assert not overlap, f"subjects {overlap} in train and test"
            return super().predict(X)

    tagged = np.c_[F, groups]  # last column carries the subject id to the spy
    res = subject_cross_validation(GroupSpy(), tagged, y, groups, n_splits=3)
    assert len(res["scores"]) == 3 and len(seen_train) == 3
    assert res["f1"] == pytest.approx(np.mean(res["scores"]))
