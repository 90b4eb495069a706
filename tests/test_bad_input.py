"""Bad-input battery: every estimator's ``fit`` and ``predict``/``transform``.

Malformed input (NaN, inf, wrong dimensionality, ragged lists, strings, empty
arrays, a channel count differing from fit) must raise a ``ValueError`` or
``TypeError`` whose message names what was expected, never a torch error.
float64, integer and Fortran-ordered input must be accepted.

``LinearProbe`` (without an encoder) and ``MLPHeadClassifier`` take 2D feature
matrices ``(n_samples, n_features)`` rather than windows, so they get features
and the feature-matrix wording of the expected shape.
"""

import copy
import re

import numpy as np
import pytest
import torch
from sklearn.base import ClassifierMixin
from test_common import TINY_PARAMS

from sktime_har.datasets import make_activity_windows
from sktime_har.evaluation import MLPHeadClassifier
from sktime_har.inspection import LinearProbe
from sktime_har.utils.validation import MAX_ABS_INPUT

N_SAMPLES, N_CHANNELS, N_TIMESTEPS = 40, 6, 32
FEATURE_ESTIMATORS = (LinearProbe, MLPHeadClassifier)
PREDICT_METHODS = ("transform", "predict", "predict_proba")
ESTIMATORS = list(TINY_PARAMS)

_X, _Y, _ = make_activity_windows(
    N_SAMPLES, n_channels=N_CHANNELS, n_timesteps=N_TIMESTEPS, random_state=0
)
_X = _X.astype(np.float32)
_FEATURES = np.concatenate([_X.mean(axis=2), _X.std(axis=2)], axis=1)


def _good_X(cls):
    return (_FEATURES if cls in FEATURE_ESTIMATORS else _X).copy()


def _with_nan(X):
    X = X.copy()
    X[3].flat[5] = np.nan
    return X


def _with_inf(X):
    X = X.copy()
    X[3].flat[5] = np.inf
    return X


def _one_d(X):
    return X.ravel()[:N_TIMESTEPS].copy()


def _four_d(X):
    return X.reshape(X.shape + (1,) * (4 - X.ndim))


def _ragged(X):
    # Alternating full and one-shorter rows/windows, as a plain list.
    return [row if i % 2 == 0 else row[..., :-1] for i, row in enumerate(X)]


def _object_strings(X):
    return np.full(X.shape, "walking", dtype=object)


def _str_dtype(X):
    return np.full(X.shape, "walking")


def _empty(X):
    return X[:0]


def _fewer_channels(X):
    return X[:, : X.shape[1] - 2]


_WINDOW_SHAPE = "n_samples, n_channels, n_timesteps"
# case name -> (builder, regex for window estimators, regex for feature estimators)
BAD_CASES = {
    "nan": (_with_nan, "NaN", "NaN"),
    "inf": (_with_inf, "infinity", "infinity"),
    "1d": (_one_d, _WINDOW_SHAPE, "2D array|2D features"),
    "4d": (_four_d, _WINDOW_SHAPE, r"n_samples, n_features|dim 4"),
    "ragged_list": (_ragged, _WINDOW_SHAPE, "inhomogeneous shape|ragged sequence"),
    "object_dtype": (_object_strings, _WINDOW_SHAPE, "convert string to float"),
    "str_dtype": (_str_dtype, "must hold numbers", "convert string to float|must hold numbers"),
    "empty": (_empty, "sample", "sample"),
}
PREDICT_ONLY_CASES = {
    "fewer_channels": (_fewer_channels, "channels", "features"),
}


def _y_for(cls, X):
    if not issubclass(cls, ClassifierMixin):
        return None
    # The bad X must be what fails, so y always matches its length.
    return _Y[: min(len(X), N_SAMPLES)]


def _fit(cls, X):
    return cls(**TINY_PARAMS[cls]).fit(X, _y_for(cls, X))


def _methods(cls):
    return [m for m in PREDICT_METHODS if hasattr(cls, m)]


def _assert_clear_error(call, pattern):
    with pytest.raises((ValueError, TypeError), match=pattern) as info:
        call()
    # A torch RuntimeError is not a ValueError/TypeError, so it fails above;
    # also make sure the error was not re-raised from deep inside torch.
    assert "torch" not in type(info.value).__module__


@pytest.fixture(scope="module")
def fitted():
    cache = {}

    def get(cls):
        if cls not in cache:
            cache[cls] = _fit(cls, _good_X(cls))
        return cache[cls]

    return get


def _pattern(cls, case):
    _, window_pattern, feature_pattern = case
    return feature_pattern if cls in FEATURE_ESTIMATORS else window_pattern


@pytest.mark.parametrize("case_name", list(BAD_CASES))
@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda c: c.__name__)
def test_fit_rejects_bad_input(cls, case_name):
    case = BAD_CASES[case_name]
    X_bad = case[0](_good_X(cls))
    _assert_clear_error(lambda: _fit(cls, X_bad), _pattern(cls, case))


_PREDICT_PARAMS = [
    pytest.param(cls, method, id=f"{cls.__name__}-{method}")
    for cls in ESTIMATORS
    for method in _methods(cls)
]


@pytest.mark.parametrize("case_name", list(BAD_CASES) + list(PREDICT_ONLY_CASES))
@pytest.mark.parametrize("cls, method", _PREDICT_PARAMS)
def test_predict_rejects_bad_input(fitted, cls, method, case_name):
    case = {**BAD_CASES, **PREDICT_ONLY_CASES}[case_name]
    estimator = fitted(cls)
    X_bad = case[0](_good_X(cls))
    _assert_clear_error(lambda: getattr(estimator, method)(X_bad), _pattern(cls, case))


ACCEPTED_CASES = {
    "float64": lambda X: X.astype(np.float64),
    "int": lambda X: np.round(X * 100).astype(np.int64),
    "fortran_order": np.asfortranarray,
    "object_numbers": lambda X: X.astype(object),
}


@pytest.mark.parametrize("case_name", list(ACCEPTED_CASES))
@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda c: c.__name__)
def test_accepts_numeric_variants(cls, case_name):
    X = ACCEPTED_CASES[case_name](_good_X(cls))
    estimator = _fit(cls, X)
    for method in _methods(cls):
        out = np.asarray(getattr(estimator, method)(X))
        assert len(out) == N_SAMPLES
        if out.dtype.kind in "fc":
            assert np.all(np.isfinite(out)), (method, case_name)


@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda c: c.__name__)
def test_fit_one_sample_works_or_says_why(cls):
    X = _good_X(cls)[:1]
    try:
        estimator = _fit(cls, X)
    except ValueError as exc:
        # One window: too few for a batch, a contrastive pair, the clusters or
        # the classes. The message must say which.
        assert any(word in str(exc) for word in ("sample", "n_clusters", "class")), exc
        return
    for method in _methods(cls):
        out = np.asarray(getattr(estimator, method)(X))
        assert len(out) == 1
        if out.dtype.kind in "fc":
            assert np.all(np.isfinite(out))


@pytest.mark.parametrize("cls, method", _PREDICT_PARAMS)
def test_predict_one_sample(fitted, cls, method):
    out = np.asarray(getattr(fitted(cls), method)(_good_X(cls)[:1]))
    assert len(out) == 1
    if out.dtype.kind in "fc":
        assert np.all(np.isfinite(out))


_BATCHED = [cls for cls in ESTIMATORS if "batch_size" in cls().get_params()]


@pytest.mark.parametrize("cls", _BATCHED, ids=lambda c: c.__name__)
def test_a_fit_rejected_for_a_hyperparameter_leaves_the_estimator_unfitted(cls):
    from sklearn.exceptions import NotFittedError

    estimator = cls(**{**TINY_PARAMS[cls], "batch_size": 0})
    with pytest.raises(ValueError, match="batch_size"):
        estimator.fit(_good_X(cls), _y_for(cls, _good_X(cls)))
    for method in _methods(cls):
        with pytest.raises(NotFittedError):
            getattr(estimator, method)(_good_X(cls))


# The magnitude rule (docs/bad_input.rst): |values| <= MAX_ABS_INPUT is accepted by
# every estimator with a network, anything larger is refused with a message naming
# it; the transformers without one accept any finite magnitude.
NETWORK_ESTIMATORS = [c for c in ESTIMATORS if getattr(c, "_max_abs_input", True) is not None]
NO_NETWORK_ESTIMATORS = [c for c in ESTIMATORS if c not in NETWORK_ESTIMATORS]


def _scaled_to(X, peak):
    return (X * (peak / np.abs(X).max())).astype(np.float64)


def _predict_params(classes):
    return [p for p in _PREDICT_PARAMS if p.values[0] in classes]


def test_magnitude_rule_covers_every_estimator():
    assert NO_NETWORK_ESTIMATORS, "the no-network transformers must be listed"
    assert {c.__name__ for c in NO_NETWORK_ESTIMATORS} == {
        "ChannelOcclusion", "ChannelStandardScaler", "Resampler"
    }


@pytest.mark.parametrize("peak", [1e7, 1e20, 1e30])
@pytest.mark.parametrize("cls, method", _predict_params(NETWORK_ESTIMATORS))
def test_predict_rejects_extreme_magnitude(fitted, cls, method, peak):
    X = _scaled_to(_good_X(cls), peak)
    _assert_clear_error(lambda: getattr(fitted(cls), method)(X),
                        re.escape(f"up to {peak:.0e} in magnitude"))


@pytest.mark.parametrize("cls, method", _predict_params(NETWORK_ESTIMATORS))
def test_predict_accepts_the_largest_allowed_magnitude(fitted, cls, method):
    out = np.asarray(getattr(fitted(cls), method)(_scaled_to(_good_X(cls), MAX_ABS_INPUT)))
    assert len(out) == N_SAMPLES
    if out.dtype.kind in "fc":
        assert np.isfinite(out).all()


@pytest.mark.parametrize("cls", NETWORK_ESTIMATORS, ids=lambda c: c.__name__)
def test_fit_rejects_extreme_magnitude(cls):
    X = _scaled_to(_good_X(cls), 1e30)
    _assert_clear_error(lambda: _fit(cls, X), "in magnitude")


@pytest.mark.parametrize("cls", NO_NETWORK_ESTIMATORS, ids=lambda c: c.__name__)
def test_no_network_transformers_accept_any_finite_magnitude(cls):
    X = _scaled_to(_good_X(cls), 1e30)
    out = _fit(cls, X).transform(X)
    assert np.isfinite(out).all()


@pytest.mark.parametrize("cls, method", _predict_params(
    [c for c in NETWORK_ESTIMATORS if hasattr(c, "_build_modules")]))
def test_non_finite_network_output_raises(fitted, cls, method):
    # a corrupted (NaN-weight) model must never hand back NaN or a label derived from it
    estimator = copy.deepcopy(fitted(cls))
    with torch.no_grad():
        for param in estimator.module_.parameters():
            param.fill_(float("nan"))
    _assert_clear_error(lambda: getattr(estimator, method)(_good_X(cls)), "NaN or infinity")
