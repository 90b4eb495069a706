"""Bad-input battery for the public functions and scorers that take windows or labels.

The estimators have their own battery (``test_bad_input.py``); here every
evaluation, inspection, plotting and preprocessing entry point gets ragged,
non-finite, string, wrongly shaped input, labels of the wrong length and
unfitted or non-estimator arguments, and must answer with a ``ValueError`` /
``TypeError`` (``NotFittedError`` for an unfitted estimator) that names what
it expected, never numpy's or torch's internal message.
"""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier

from sktime_har.datasets import make_activity_windows
from sktime_har.evaluation import (
    linear_evaluation,
    semi_supervised_evaluation,
    subject_cross_validation,
)
from sktime_har.inspection import (
    OcclusionScorer,
    activity_type_probe,
    attribution_entropy,
    channel_importance,
    mask_random_channels,
    subject_probe,
)
from sktime_har.plotting import plot_embedding_tsne, plot_saliency
from sktime_har.preprocessing import sliding_windows, split_gravity

N = 24
_X, _Y, _G = make_activity_windows(N, n_channels=3, n_timesteps=8, n_classes=2,
                                   random_state=0)
_X = _X.astype(np.float32)
_F = _X.mean(axis=2)
_CLF = KNeighborsClassifier(1).fit(_X.reshape(N, -1), _Y)


class _Flat(KNeighborsClassifier):
    # takes windows, as OcclusionScorer's estimators do
    def fit(self, X, y):
        return super().fit(np.asarray(X).reshape(len(X), -1), y)

    def predict(self, X):
        return super().predict(np.asarray(X).reshape(len(X), -1))


_FLAT = _Flat(n_neighbors=1).fit(_X, _Y)
_TYPES = {"a": [0, 1], "b": [2, 3]}
_Y4 = np.arange(N) % 4


def _ragged(X):
    return [w if i % 2 else w[..., :-1] for i, w in enumerate(X)]


def _nan(X):
    X = np.array(X, dtype=np.float32)
    X.flat[5] = np.nan
    return X


def _strings(X):
    return np.full(np.shape(X), "walk")


# name -> call taking (X-transform, y, estimator); X is windows or features as each needs
CALLS = {
    "OcclusionScorer.__call__": lambda f, y, est: OcclusionScorer(n_repeats=1)(est, f(_X), y),
    "OcclusionScorer.evaluate": lambda f, y, est: OcclusionScorer(n_repeats=1).evaluate(
        est, f(_X), y, n_masked=[0, 1]),
    "semi_supervised_evaluation": lambda f, y, est: semi_supervised_evaluation(
        est, f(_F), y, _F, _Y, k_values=(1,), n_repeats=1),
    "subject_cross_validation": lambda f, y, est: subject_cross_validation(
        est, f(_F), y, _G, n_splits=2),
    "linear_evaluation": lambda f, y, est: linear_evaluation(None, f(_F), y, _F, _Y),
    "subject_probe": lambda f, y, est: subject_probe(f(_F), _G if y is _Y else y,
                                                     probe=LogisticRegression(), n_splits=2, gap=0),
    "activity_type_probe": lambda f, y, est: activity_type_probe(
        f(_F), _Y4 if y is _Y else y, _TYPES, probe=LogisticRegression()),
    "channel_importance": lambda f, y, est: channel_importance(f(_X), y, y),
    "attribution_entropy": lambda f, y, est: attribution_entropy(f(_X), y, y),
}
# which calls take an estimator argument (the unfitted / non-estimator cases)
TAKES_FITTED = {"OcclusionScorer.__call__", "OcclusionScorer.evaluate"}
TAKES_PROTOTYPE = {"semi_supervised_evaluation", "subject_cross_validation"}


def _est_for(name):
    if name in TAKES_FITTED:
        return _FLAT
    return KNeighborsClassifier(1)


def _same(X):
    return X


@pytest.mark.parametrize("name", CALLS)
@pytest.mark.parametrize(("bad", "message"), [
    (_ragged, "ragged sequence"),
    (_nan, "NaN or infinity"),
    (_strings, "must hold numbers"),
])
def test_bad_samples_get_a_clear_error(name, bad, message):
    with pytest.raises((ValueError, TypeError), match=message):
        CALLS[name](bad, _Y, _est_for(name))


@pytest.mark.parametrize("name", CALLS)
def test_labels_of_the_wrong_length(name):
    with pytest.raises(ValueError, match=r"has \d+ entries but X has \d+ samples"):
        CALLS[name](_same, _Y[:-3], _est_for(name))


@pytest.mark.parametrize("name", CALLS)
def test_well_formed_input_runs(name):
    # the battery's control: the same calls succeed when nothing is wrong
    CALLS[name](_same, _Y, _est_for(name))


@pytest.mark.parametrize("name", sorted(TAKES_FITTED))
def test_unfitted_estimator_raises_not_fitted(name):
    with pytest.raises(NotFittedError):
        CALLS[name](_same, _Y, _Flat(n_neighbors=1))


@pytest.mark.parametrize("name", sorted(TAKES_FITTED | TAKES_PROTOTYPE))
@pytest.mark.parametrize("not_an_estimator", [KNeighborsClassifier, "knn", None])
def test_non_estimator_raises_type_error(name, not_an_estimator):
    with pytest.raises(TypeError, match="estimator must be an estimator instance"):
        CALLS[name](_same, _Y, not_an_estimator)


def test_linear_evaluation_rejects_an_unfitted_encoder():
    from sktime_har.ssl import SimCLREncoder

    with pytest.raises(NotFittedError):
        linear_evaluation(SimCLREncoder(), _X, _Y, _X, _Y)


def test_probe_without_predict_is_a_type_error():
    from sklearn.decomposition import PCA

    with pytest.raises(TypeError, match="probe must have predict"):
        subject_probe(_F, _G, probe=PCA(), n_splits=2)


@pytest.mark.parametrize("bad", [_ragged, _nan, _strings])
def test_mask_random_channels_checks_its_windows(bad):
    with pytest.raises((ValueError, TypeError),
                       match="ragged sequence|NaN or infinity|must hold numbers"):
        mask_random_channels(bad(_X), 1, np.random.default_rng(0))


def test_mask_random_channels_rejects_4d():
    with pytest.raises(ValueError, match="n_samples, n_channels, n_timesteps"):
        mask_random_channels(_X[..., None], 1, np.random.default_rng(0))


@pytest.mark.parametrize("bad", [_ragged, _nan, _strings])
def test_plot_saliency_checks_both_arrays(bad):
    pytest.importorskip("matplotlib")
    with pytest.raises((ValueError, TypeError),
                       match="ragged sequence|NaN or infinity|must hold numbers"):
        plot_saliency(_X[0], bad(_X[:3])[0] if bad is not _ragged else _ragged(_X[0]))


@pytest.mark.parametrize("bad", [_ragged, _nan, _strings])
def test_plot_embedding_tsne_checks_each_space(bad):
    pytest.importorskip("matplotlib")
    with pytest.raises((ValueError, TypeError),
                       match="ragged sequence|NaN or infinity|must hold numbers"):
        plot_embedding_tsne({"raw": bad(_F)}, _Y)


@pytest.mark.parametrize("call", [
    lambda s: sliding_windows(s, window=4, step=2),
    lambda s: split_gravity(s, 50.0),
], ids=["sliding_windows", "split_gravity"])
def test_recording_helpers_name_a_ragged_signal(call):
    signal = [[0.0, 1.0, 2.0], [0.0, 1.0]] * 10
    with pytest.raises(ValueError, match=r"\(n_timesteps, n_channels\); got a ragged sequence"):
        call(signal)
