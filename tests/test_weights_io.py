"""Weights-only save/load: identical outputs, CPU tensors, hostile files refused."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
import torch
from sklearn.base import clone
from test_common import TINY_PARAMS, comparable_params

from sktime_har.datasets import make_activity_windows
from sktime_har.evaluation import MLPHeadClassifier
from sktime_har.inspection import LinearProbe
from sktime_har.persistence import load_weights, save_weights
from sktime_har.ssl import SimCLREncoder

ESTIMATORS = list(TINY_PARAMS)
FEATURE_INPUT = (LinearProbe, MLPHeadClassifier)  # take 2D features, not windows
OUTPUT_METHODS = ("transform", "predict", "predict_proba", "decision_function")


@pytest.fixture(scope="module")
def data():
    X, y, _ = make_activity_windows(48, n_channels=3, n_timesteps=16, n_classes=3,
                                    random_state=0)
    return X, y


def _fit(cls, X, y):
    est = cls(**TINY_PARAMS[cls])
    X_in = X.reshape(len(X), -1) if cls in FEATURE_INPUT else X
    return est.fit(X_in, y), X_in


def _tensors(value):
    if isinstance(value, torch.Tensor):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _tensors(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _tensors(v)


@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda c: c.__name__)
def test_fitted_round_trip_gives_identical_outputs(cls, data, tmp_path):
    est, X_in = _fit(cls, *data)
    path = tmp_path / "model.pt"
    save_weights(est, path)
    loaded = load_weights(path)
    assert type(loaded) is cls
    assert loaded.get_params(deep=False).keys() == est.get_params(deep=False).keys()
    checked = 0
    for method in OUTPUT_METHODS:
        if hasattr(est, method):
            np.testing.assert_array_equal(getattr(loaded, method)(X_in), getattr(est, method)(X_in))
            checked += 1
    assert checked >= 1


@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda c: c.__name__)
def test_unfitted_round_trip_keeps_params_and_refits_identically(cls, data, tmp_path):
    est = cls(**TINY_PARAMS[cls])
    save_weights(est, tmp_path / "unfitted.pt")
    loaded = load_weights(tmp_path / "unfitted.pt")
    assert comparable_params(loaded) == comparable_params(est)
    fitted, X_in = _fit(cls, *data)
    refitted = clone(loaded).fit(X_in, data[1])
    method = next(m for m in OUTPUT_METHODS if hasattr(fitted, m))
    np.testing.assert_array_equal(getattr(fitted, method)(X_in), getattr(refitted, method)(X_in))


def test_file_holds_only_cpu_tensors_and_literals(data, tmp_path):
    # weights_only=True refuses anything but tensors and literals; every tensor is on
    # the CPU whatever device trained the model, so the file loads without a GPU
    est, _ = _fit(SimCLREncoder, *data)
    save_weights(est, tmp_path / "enc.pt")
    raw = torch.load(tmp_path / "enc.pt", weights_only=True)
    assert raw["format"] == "sktime-har-weights"
    tensors = list(_tensors(raw))
    assert len(tensors) > 10
    assert {t.device.type for t in tensors} == {"cpu"}


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_model_trained_on_gpu_loads_on_cpu(data, tmp_path):
    X, y = data
    params = dict(TINY_PARAMS[SimCLREncoder], device="cuda")
    est = SimCLREncoder(**params).fit(X)
    save_weights(est, tmp_path / "gpu.pt")
    loaded = load_weights(tmp_path / "gpu.pt", device="cpu")
    assert next(loaded.module_.parameters()).device.type == "cpu"
    np.testing.assert_allclose(loaded.transform(X), est.transform(X), rtol=1e-4, atol=1e-5)


def test_nested_fitted_encoder_is_saved_with_the_probe(data, tmp_path):
    X, y = data
    encoder = SimCLREncoder(**TINY_PARAMS[SimCLREncoder]).fit(X)
    probe = LinearProbe(encoder=encoder, max_epochs=3, device="cpu", random_state=0).fit(X, y)
    save_weights(probe, tmp_path / "probe.pt")
    loaded = load_weights(tmp_path / "probe.pt")
    assert isinstance(loaded.encoder_, SimCLREncoder)
    np.testing.assert_array_equal(loaded.predict_proba(X), probe.predict_proba(X))


def test_loading_leaves_the_global_torch_rng_alone(data, tmp_path):
    est, _ = _fit(SimCLREncoder, *data)
    save_weights(est, tmp_path / "enc.pt")
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    load_weights(tmp_path / "enc.pt")
    assert torch.equal(torch.rand(3), expected)


class _SideEffect:
    """Unpickling this would create a file: the loader must never get that far."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


@pytest.mark.filterwarnings("ignore:Detected pickle protocol")
def test_hostile_pickle_is_refused_without_running(tmp_path):
    marker = tmp_path / "ran"
    with open(tmp_path / "evil.pt", "wb") as f:
        pickle.dump({"format": "sktime-har-weights", "version": 1,
                     "estimator": _SideEffect(marker)}, f)
    torch.save({"format": "sktime-har-weights", "version": 1,
                "estimator": _SideEffect(marker)}, tmp_path / "evil_torch.pt")
    for name in ("evil.pt", "evil_torch.pt"):
        with pytest.raises(ValueError, match="objects other than tensors"):
            load_weights(tmp_path / name)
    assert not marker.exists()


def test_foreign_class_name_is_refused(tmp_path):
    torch.save({"format": "sktime-har-weights", "version": 1,
                "estimator": {"class": "os.system", "params": {}, "attributes": {},
                              "modules": {}}}, tmp_path / "foreign.pt")
    with pytest.raises(ValueError, match="only sktime-har and scikit-learn"):
        load_weights(tmp_path / "foreign.pt")


def test_other_files_are_refused(tmp_path):
    torch.save({"weights": torch.zeros(2)}, tmp_path / "other.pt")
    with pytest.raises(ValueError, match="not a sktime-har weights file"):
        load_weights(tmp_path / "other.pt")
    torch.save({"format": "sktime-har-weights", "version": 99}, tmp_path / "future.pt")
    with pytest.raises(ValueError, match="version 99"):
        load_weights(tmp_path / "future.pt")


def test_unsaveable_hyperparameter_is_named(tmp_path):
    est = SimCLREncoder(random_state=np.random.RandomState(0))
    with pytest.raises(TypeError, match="random_state"):
        save_weights(est, tmp_path / "x.pt")
