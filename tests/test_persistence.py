"""Persistence: pickle round trips and ``sklearn.base.clone`` for every estimator.

A fitted estimator that is pickled and loaded gives bit-identical outputs; a
clone of a fitted estimator is unfitted and, refitted with the same
``random_state``, reproduces the original outputs exactly (CPU determinism);
an unfitted estimator pickles too.
"""

import pickle

import numpy as np
import pytest
from sklearn.base import ClassifierMixin, clone
from sklearn.exceptions import NotFittedError
from sklearn.utils.validation import check_is_fitted
from test_common import TINY_PARAMS, comparable_params

from sktime_har.datasets import make_activity_windows
from sktime_har.evaluation import MLPHeadClassifier
from sktime_har.inspection import LinearProbe

ESTIMATORS = list(TINY_PARAMS)
FEATURE_ESTIMATORS = (LinearProbe, MLPHeadClassifier)
OUTPUT_METHODS = ("transform", "predict", "predict_proba")

_X, _Y, _ = make_activity_windows(40, n_channels=6, n_timesteps=32, random_state=0)
_X = _X.astype(np.float32)
_FEATURES = np.concatenate([_X.mean(axis=2), _X.std(axis=2)], axis=1)


def _data(cls):
    X = _FEATURES if cls in FEATURE_ESTIMATORS else _X
    y = _Y if issubclass(cls, ClassifierMixin) else None
    return X, y


def _outputs(estimator, X):
    methods = [m for m in OUTPUT_METHODS if hasattr(estimator, m)]
    assert methods
    return {m: np.asarray(getattr(estimator, m)(X)) for m in methods}


def _assert_same_outputs(expected, actual):
    assert expected.keys() == actual.keys()
    for method in expected:
        np.testing.assert_array_equal(actual[method], expected[method], err_msg=method)


@pytest.fixture(scope="module")
def fitted():
    cache = {}

    def get(cls):
        if cls not in cache:
            X, y = _data(cls)
            estimator = cls(**TINY_PARAMS[cls]).fit(X, y)
            cache[cls] = (estimator, _outputs(estimator, X))
        return cache[cls]

    return get


@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda c: c.__name__)
def test_pickle_fitted_round_trip(fitted, cls):
    estimator, expected = fitted(cls)
    X, _ = _data(cls)
    loaded = pickle.loads(pickle.dumps(estimator))
    assert type(loaded) is cls
    check_is_fitted(loaded)
    _assert_same_outputs(expected, _outputs(loaded, X))
    # Loading must not disturb the original either.
    _assert_same_outputs(expected, _outputs(estimator, X))


@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda c: c.__name__)
def test_clone_fitted_is_unfitted_and_refits_identically(fitted, cls):
    estimator, expected = fitted(cls)
    X, y = _data(cls)
    cloned = clone(estimator)
    assert comparable_params(cloned) == comparable_params(estimator)
    with pytest.raises(NotFittedError):
        check_is_fitted(cloned)
    cloned.fit(X, y)
    _assert_same_outputs(expected, _outputs(cloned, X))


@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda c: c.__name__)
def test_pickle_unfitted(fitted, cls):
    estimator = cls(**TINY_PARAMS[cls])
    loaded = pickle.loads(pickle.dumps(estimator))
    assert type(loaded) is cls
    assert comparable_params(loaded) == comparable_params(estimator)
    X, y = _data(cls)
    loaded.fit(X, y)
    _, expected = fitted(cls)
    _assert_same_outputs(expected, _outputs(loaded, X))
