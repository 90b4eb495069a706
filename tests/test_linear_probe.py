import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.decomposition import PCA
from sklearn.exceptions import NotFittedError
from sklearn.frozen import FrozenEstimator
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler

from sktime_har.datasets import make_activity_windows
from sktime_har.inspection import LinearProbe

FAST = {"max_epochs": 15, "lr": 0.05, "batch_size": 32, "device": "cpu"}


def _fft_features(X):
    return np.abs(np.fft.rfft(np.asarray(X), axis=2)).reshape(len(X), -1)


@pytest.fixture(scope="module")
def blobs():
    rng = np.random.default_rng(0)
    labels = np.array(["walk", "sit", "lie"])
    y = labels[np.arange(150) % 3]
    centres = {"walk": [3, 0, 0, 0], "sit": [0, 3, 0, 0], "lie": [0, 0, 3, 0]}
    X = np.array([centres[v] for v in y]) + rng.normal(size=(150, 4))
    return X.astype(np.float32), y


def test_fits_separable_features_with_string_labels(blobs):
    X, y = blobs
    probe = LinearProbe(random_state=0, **FAST).fit(X, y)
    assert probe.classes_.tolist() == ["lie", "sit", "walk"]
    proba = probe.predict_proba(X)
    assert proba.shape == (150, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1, rtol=1e-5)
    assert probe.score(X, y) > 0.9
    assert set(probe.predict(X)) <= set(probe.classes_)
    assert probe.module_.layers[0].weight.shape == (3, 4)  # a single linear layer
    assert len(probe.module_.layers) == 1


def test_paper_defaults_learn_slowly_but_learn(blobs):
    X, y = blobs
    probe = LinearProbe(device="cpu", random_state=0)
    assert (probe.max_epochs, probe.lr) == (10, 1e-4)
    probe.fit(X, y)
    losses = [h["train_loss"] for h in probe.history_]
    assert len(losses) == 10 and losses[-1] < losses[0]


def test_same_seed_same_model(blobs):
    X, y = blobs
    a = LinearProbe(random_state=1, **FAST).fit(X, y).predict_proba(X)
    b = LinearProbe(random_state=1, **FAST).fit(X, y).predict_proba(X)
    c = LinearProbe(random_state=2, **FAST).fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_clone_pickle_and_cross_val_score(blobs):
    X, y = blobs
    probe = LinearProbe(random_state=0, **FAST)
    assert clone(probe).get_params() == probe.get_params()
    scores = cross_val_score(probe, X, y, cv=3)
    assert scores.mean() > 0.85
    fitted = probe.fit(X, y)
    restored = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(restored.predict(X), fitted.predict(X))


def test_encoder_on_windows():
    X, y, _ = make_activity_windows(180, n_timesteps=16, noise=0.3, random_state=0)
    encoder = make_pipeline(FunctionTransformer(_fft_features), StandardScaler()).fit(X)
    probe = LinearProbe(encoder=encoder, random_state=0, **FAST).fit(X, y)
    assert probe.encoder_ is encoder
    assert probe.n_features_in_ == X.shape[1] * X.shape[2]  # the input, as sklearn counts
    assert probe.n_head_features_ == 6 * 9  # the encoder's output width
    assert probe.score(X, y) > 0.8


def test_unfitted_encoder_is_cloned_and_fitted():
    X, y, _ = make_activity_windows(60, n_timesteps=16, random_state=0)
    encoder = make_pipeline(FunctionTransformer(_fft_features), PCA(5))
    probe = LinearProbe(encoder=encoder, random_state=0, **FAST).fit(X, y)
    assert probe.encoder_ is not encoder
    with pytest.raises(NotFittedError):
        encoder.transform(X)  # the user's object is untouched
    assert probe.predict_proba(X).shape == (60, 6)


def test_frozen_encoder_survives_clone():
    X, y, _ = make_activity_windows(60, n_timesteps=16, random_state=0)
    encoder = make_pipeline(FunctionTransformer(_fft_features), PCA(5)).fit(X)
    probe = clone(LinearProbe(encoder=FrozenEstimator(encoder), **FAST)).fit(X, y)
    np.testing.assert_allclose(probe.encoder_.transform(X), encoder.transform(X))


def test_three_d_without_encoder_is_rejected():
    X, y, _ = make_activity_windows(20, n_timesteps=8, random_state=0)
    with pytest.raises(ValueError, match="expects 2D features.*encoder="):
        LinearProbe(**FAST).fit(X, y)


@pytest.mark.parametrize(
    "params, match",
    [({"max_epochs": -1}, "max_epochs"), ({"lr": -1.0}, "lr"), ({"batch_size": 1.5}, "batch_size")],
)
def test_bad_params(blobs, params, match):
    X, y = blobs
    with pytest.raises(ValueError, match=match):
        LinearProbe(**{**FAST, **params}).fit(X, y)


def test_bad_inputs(blobs):
    X, y = blobs
    with pytest.raises(ValueError, match="at least 2 classes"):
        LinearProbe(**FAST).fit(X, np.zeros(len(X)))
    with pytest.raises(ValueError, match="entries"):
        LinearProbe(**FAST).fit(X, y[:-1])
    probe = LinearProbe(**FAST).fit(X, y)
    with pytest.raises(ValueError, match="X has 3 features, but LinearProbe is expecting 4"):
        probe.predict(X[:, :3])
    with pytest.raises(NotFittedError):
        LinearProbe().predict(X)
    with pytest.raises(ValueError, match="Unknown label type"):
        LinearProbe(**FAST).fit(X, np.linspace(0, 1, len(X)))
    with pytest.raises(ValueError, match="requires y"):
        LinearProbe(**FAST).fit(X, None)


def test_binary_decision_function_follows_sklearn(blobs):
    X, y = blobs
    keep = y != "lie"
    probe = LinearProbe(random_state=0, **FAST).fit(X[keep], y[keep])
    scores = probe.decision_function(X[keep])
    assert scores.shape == (keep.sum(),)
    np.testing.assert_array_equal(probe.classes_[(scores > 0).astype(int)], probe.predict(X[keep]))
