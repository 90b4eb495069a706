"""TransformerClassifier: the supervised baseline."""

import pickle

import numpy as np
import pytest
import torch
from sklearn.base import clone
from torch import nn

from sktime_har.datasets import make_activity_windows
from sktime_har.exceptions import TrainingDivergedError
from sktime_har.supervised import TransformerClassifier

TINY = dict(conv_channels=(4, 8, 8), n_layers=1, n_heads=1, dim_feedforward=16,
            head_hidden_features=(16,), max_epochs=2, batch_size=16, device="cpu",
            random_state=0)


@pytest.fixture(scope="module", autouse=True)
def one_torch_thread():
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(previous)


@pytest.fixture(scope="module")
def data():
    X, y, _ = make_activity_windows(60, n_timesteps=16, n_classes=3, random_state=0)
    names = np.array(["walk", "sit", "lie"])[y]
    return X, names


def test_predict_proba_classes_and_module(data):
    X, y = data
    clf = TransformerClassifier(**TINY).fit(X, y)
    assert list(clf.classes_) == ["lie", "sit", "walk"]
    proba = clf.predict_proba(X)
    assert proba.shape == (60, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
    assert set(clf.predict(X)) <= set(clf.classes_)
    # module_ maps (B, C, T) to logits and exposes the conv blocks for Grad-CAM
    logits = clf.module_(torch.from_numpy(X[:4]))
    assert logits.shape == (4, 3)
    assert isinstance(clf.module_.encoder.conv_blocks[-1][0], nn.Conv1d)
    np.testing.assert_allclose(clf.decision_function(X[:4]), logits.detach().numpy(),
                               rtol=1e-4, atol=1e-5)


def test_learns_an_easy_task(data):
    X, y = data
    clf = TransformerClassifier(**{**TINY, "max_epochs": 15, "optimizer": "adam",
                                   "lr": 3e-3, "pooling": "mean"}).fit(X, y)
    assert clf.loss_history_[-1] < clf.loss_history_[0]
    assert clf.score(X, y) > 0.6  # chance is 1/3


def test_determinism_and_pickle(data):
    X, y = data
    a = TransformerClassifier(**TINY).fit(X, y)
    b = clone(a).fit(X, y)
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))
    restored = pickle.loads(pickle.dumps(a))
    np.testing.assert_array_equal(a.predict_proba(X), restored.predict_proba(X))


def test_bad_inputs(data, monkeypatch):
    X, y = data
    with pytest.raises(ValueError, match="entries"):
        TransformerClassifier(**TINY).fit(X, y[:-1])
    with pytest.raises(ValueError, match="requires y"):
        TransformerClassifier(**TINY).fit(X, None)
    with pytest.raises(ValueError, match="at least 2 timesteps"):
        TransformerClassifier(**TINY).fit(X[:, :, :1], y)
    clf = TransformerClassifier(**TINY).fit(X, y)
    with pytest.raises(ValueError, match="fitted on 6"):
        clf.predict(X[:, :5])
    with pytest.raises(ValueError, match="16"):
        clf.predict(X[:, :, :10])
    monkeypatch.setattr(nn.CrossEntropyLoss, "forward",
                        lambda self, a, b: a.sum() * float("nan"))
    with pytest.raises(TrainingDivergedError):
        TransformerClassifier(**TINY).fit(X, y)


def test_augmentations_change_training_only_and_stay_reproducible(data):
    X, y = data
    plain = TransformerClassifier(**TINY).fit(X, y)
    params = {**TINY, "augmentations": ("jitter", "scaling")}
    augmented = TransformerClassifier(**params).fit(X, y)
    again = TransformerClassifier(**params).fit(X, y)
    assert not np.allclose(augmented.loss_history_, plain.loss_history_)
    np.testing.assert_array_equal(augmented.predict_proba(X), again.predict_proba(X))
    # prediction is not augmented: the same windows give the same output twice
    np.testing.assert_array_equal(augmented.predict_proba(X), augmented.predict_proba(X))


def test_augmenter_sees_training_batches_only(data):
    from sktime_har._training import WindowNet

    X, y = data
    seen = []

    def augmenter(windows):
        seen.append(len(windows))
        return windows

    net = WindowNet(nn.Sequential(nn.Flatten(), nn.Linear(X.shape[1] * X.shape[2], 3)),
                    criterion=nn.CrossEntropyLoss, max_epochs=2, batch_size=16, verbose=0,
                    validation_fraction=0.25, augmenter=augmenter)
    net.fit(torch.from_numpy(X), torch.from_numpy(np.unique(y, return_inverse=True)[1]))
    assert sum(seen) == 2 * 45  # 45 training windows per epoch, the 15 held out never


@pytest.mark.parametrize(("params", "message"), [
    ({"augmentations": ("wobble",)}, "Unknown augmentation 'wobble'"),
    ({"augmentations": ("rotation",)}, "rotation needs channel_groups"),
    ({"augmentations": ("rotation",), "channel_groups": {"acc": [0, 1, 9]}},
     "names channel 9"),
])
def test_bad_augmentation_settings_are_named(data, params, message):
    X, y = data
    with pytest.raises(ValueError, match=message):
        TransformerClassifier(**{**TINY, **params}).fit(X, y)
